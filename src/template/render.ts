// Fills templates from a Scope. An argv element is always rendered as exactly one
// element: values are never split, globbed or shell-parsed, so `$(touch /tmp/x)` in a
// variable reaches the program as those bytes (issue 3: injection).

import { missingFactMessage, safeLookup, type Scope } from '../expr/scope.js';
import { typeName } from '../expr/values.js';
import { parseTemplate, type TemplatePart } from './parse-template.js';

export type RenderArgvResult =
  | { ok: true; argv: string[]; reads: Record<string, unknown> }
  | { ok: false; error: string };

export type RenderTextResult = { ok: true; text: string } | { ok: false; error: string };

export function renderArgv(argv: string[], scope: Scope): RenderArgvResult {
  const reads: Record<string, unknown> = {};
  const rendered: string[] = [];
  let afterDoubleDash = false;
  for (const [index, element] of argv.entries()) {
    const parts = parsed(element, `argv[${index}]`);
    if (!parts.ok) return parts;
    let text = '';
    for (const part of parts.parts) {
      if ('literal' in part) {
        text += part.literal;
        continue;
      }
      const value = valueOf(part.path, scope, reads);
      if (!value.ok) return value;
      if (value.value === null || typeof value.value === 'object') {
        return { ok: false, error: `value of '${part.path}' is ${article(value.value)}: an argv element takes text, a number or true/false` };
      }
      const piece = String(value.value);
      if (piece.includes('\0')) return { ok: false, error: `value of '${part.path}' contains a NUL byte: refused` };
      // A value that would begin the element with '-' could turn into an option (`-rf`);
      // only after a literal `--` does the program read it as a positional.
      if (text === '' && piece.startsWith('-') && !afterDoubleDash) {
        return { ok: false, error: `value of '${part.path}' starts with '-': refused as a positional argument (put '--' before it if the program takes it)` };
      }
      text += piece;
    }
    rendered.push(text);
    if (text === '--' && parts.parts.every((part) => 'literal' in part)) afterDoubleDash = true;
  }
  return { ok: true, argv: rendered, reads };
}

/** Titles, `why`, conclusion text: values are shown as text, arrays and objects as JSON. */
export function renderText(text: string, scope: Scope): RenderTextResult {
  const parts = parsed(text, 'text');
  if (!parts.ok) return parts;
  let out = '';
  for (const part of parts.parts) {
    if ('literal' in part) {
      out += part.literal;
      continue;
    }
    const value = valueOf(part.path, scope, {});
    if (!value.ok) return value;
    out += typeof value.value === 'string' ? value.value : JSON.stringify(value.value);
  }
  return { ok: true, text: out };
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
