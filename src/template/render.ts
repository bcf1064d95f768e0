// Fills templates from a Scope. An argv element is always rendered as exactly one
// element: values are never split, globbed or shell-parsed, so `$(touch /tmp/x)` in a
// variable reaches the program as those bytes (issue 3: injection).

import { missingFactMessage, safeLookup, type Scope } from '../expr/scope.js';
import { proseNumber } from '../util/prose-number.js';
import { typeName } from '../expr/values.js';
import { parseTemplate, type TemplatePart } from './parse-template.js';
import { escapePromqlString, promqlSlotProblem } from './promql.js';

export type RenderArgvResult =
  | { ok: true; argv: string[]; reads: Record<string, unknown> }
  | { ok: false; error: string };

export type RenderTextResult = { ok: true; text: string } | { ok: false; error: string };

export function renderArgv(argv: string[], scope: Scope): RenderArgvResult {
  const reads: Record<string, unknown> = {};
  const rendered: string[] = [];
  let afterDoubleDash = false;
  for (const [index, element] of argv.entries()) {
    const result = fill(element, `argv[${index}]`, scope, reads, (path, value, before) => {
      if (value === null || typeof value === 'object') {
        return { ok: false, error: `value of '${path}' is ${article(value)}: an argv element takes text, a number or true/false` };
      }
      const piece = String(value);
      if (piece.includes('\0')) return { ok: false, error: `value of '${path}' contains a NUL byte: refused` };
      // A value that would begin the element with '-' could turn into an option (`-rf`);
      // only after a literal `--` does the program read it as a positional.
      if (before === '' && piece.startsWith('-') && !afterDoubleDash) {
        return { ok: false, error: `value of '${path}' starts with '-': refused as a positional argument (put '--' before it if the program takes it)` };
      }
      return { ok: true, text: piece };
    });
    if (!result.ok) return result;
    rendered.push(result.text);
    if (element === '--') afterDoubleDash = true;
  }
  return { ok: true, argv: rendered, reads };
}

/** Titles, `why`, a conclusion's key numbers: values are shown as text, arrays and objects as JSON. */
export function renderText(text: string, scope: Scope): RenderTextResult {
  return fill(text, 'text', scope, {}, (_path, value) => ({
    ok: true,
    text: typeof value === 'string' ? value : JSON.stringify(value),
  }));
}

/** Conclusion and remediation prose, read by a person: a negative number reads with a minus
 *  sign, "changed by −1 MiB" (src/util/prose-number.ts); true/false read yes/no, a fact
 *  nothing could be read for "not read", a list its items; only an object stays JSON. */
export function renderProse(text: string, scope: Scope): RenderTextResult {
  return fill(text, 'text', scope, {}, (_path, value) => ({ ok: true, text: proseValue(value) }));
}

function proseValue(value: unknown): string {
  if (typeof value === 'number') return proseNumber(value);
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (value === null) return 'not read';
  if (Array.isArray(value) && value.every((item) => item === null || typeof item !== 'object')) return value.length === 0 ? 'none' : value.map(proseValue).join(', ');
  return JSON.stringify(value);
}

/** A PromQL query (src/template/promql.ts): each value fills a double-quoted string literal,
 *  escaped; a template anywhere else is an error, as the validator says before any run. */
export function renderPromql(query: string, scope: Scope): RenderTextResult {
  return fill(query, 'promql', scope, {}, (path, value, before) => {
    const problem = promqlSlotProblem(before);
    if (problem !== undefined) return { ok: false, error: `'{{ ${path} }}': ${problem}` };
    if (value === null || typeof value === 'object') return { ok: false, error: `value of '${path}' is ${article(value)}: a PromQL string takes text, a number or true/false` };
    return { ok: true, text: escapePromqlString(String(value)) };
  });
}

export type RenderOptionsResult = { ok: true; options: Record<string, unknown> } | { ok: false; error: string };

/** `parse_options`: a value that is exactly one template (`"{{ after.heap_diff.alloc_sites }}"`)
 *  becomes the fact itself, list or object included, so a parser can be handed an earlier
 *  step's facts; a template inside other text renders as text; everything else is as written. */
export function renderOptions(options: Record<string, unknown>, scope: Scope): RenderOptionsResult {
  const rendered: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(options)) {
    if (typeof value !== 'string' || !value.includes('{{')) {
      rendered[name] = value;
      continue;
    }
    const parts = parsed(value, `parse_options.${name}`);
    if (!parts.ok) return parts;
    const only = parts.parts.length === 1 ? parts.parts[0]! : undefined;
    if (only && 'path' in only) {
      const fact = valueOf(only.path, scope, {});
      if (!fact.ok) return { ok: false, error: `parse_options.${name}: ${fact.error}` };
      rendered[name] = fact.value;
      continue;
    }
    const text = renderText(value, scope);
    if (!text.ok) return { ok: false, error: `parse_options.${name}: ${text.error}` };
    rendered[name] = text.text;
  }
  return { ok: true, options: rendered };
}

type PieceResult = { ok: true; text: string } | { ok: false; error: string };

/** Renders one template, turning each value into text with `format` (given the text so far). */
function fill(
  template: string,
  where: string,
  scope: Scope,
  reads: Record<string, unknown>,
  format: (path: string, value: unknown, before: string) => PieceResult,
): PieceResult {
  const parts = parsed(template, where);
  if (!parts.ok) return parts;
  let text = '';
  for (const part of parts.parts) {
    if ('literal' in part) {
      text += part.literal;
      continue;
    }
    const value = valueOf(part.path, scope, reads);
    if (!value.ok) return value;
    const piece = format(part.path, value.value, text);
    if (!piece.ok) return piece;
    text += piece.text;
  }
  return { ok: true, text };
}

function parsed(text: string, where: string): { ok: true; parts: TemplatePart[] } | { ok: false; error: string } {
  const result = parseTemplate(text);
  if (result.ok) return result;
  return { ok: false, error: `${where}: ${result.error.message} (at character ${result.error.offset + 1})` };
}

function valueOf(path: string, scope: Scope, reads: Record<string, unknown>): { ok: true; value: unknown } | { ok: false; error: string } {
  const result = safeLookup(scope, path.split('.'));
  if ('failure' in result) return { ok: false, error: result.failure };
  if (!result.found) return { ok: false, error: missingFactMessage(path, result) };
  const { value } = result;
  if (typeof value === 'number' && !Number.isFinite(value)) return { ok: false, error: `value of '${path}' is ${value}: not a usable number` };
  if (!['string', 'number', 'boolean', 'object'].includes(typeof value)) {
    return { ok: false, error: `value of '${path}' is a ${typeof value}: cannot be rendered` };
  }
  reads[path] = value;
  return { ok: true, value };
}

function article(value: unknown): string {
  const type = typeName(value);
  return type === 'null' ? 'null' : type === 'array' ? 'an array' : `an ${type}`;
}
