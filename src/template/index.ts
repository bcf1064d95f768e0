// `{{ name }}` templates (docs/expressions.md#templates).

export { parseTemplate, templatePaths, type TemplatePart, type TemplateParseResult } from './parse-template.js';
export { renderArgv, renderOptions, renderPromql, renderProse, renderText, type RenderArgvResult, type RenderOptionsResult, type RenderTextResult } from './render.js';
export { BUILTIN_PATHS, type BuiltinPath } from './builtins.js';
export { escapePromqlString, promqlSlotProblem, promqlState } from './promql.js';
