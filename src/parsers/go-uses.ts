// How a line of Go code hands a value on, read from text: the source audits
// (http-body-audit, context-cancel-audit) follow a response or a cancel function through the
// function that got it. `name` is a Go identifier or selector (`resp`, `resp.Body`).
import { keptName } from './go-source-lines.js';

/** `s` matched literally inside a RegExp (identifiers and selectors such as `resp.Body`). */
export const escapeRegex = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** `name` as a whole value: not a field or method of it, not part of a longer selector. */
const wholeValue = (name: string): string => `(?<![\\w.])${escapeRegex(name)}\\b(?!\\s*[.(])`;

/** The right-hand side of an assignment (`a, b = x, y`, `v := x`), not a comparison. */
const assignment = /^[^=]*?[\w\])]\s*(?::=|=)(?!=)(.*)$/;

/** Where `code` hands `name` on, if it does: returned, passed to a call, or stored. */
export function handedOnBy(code: string, name: string): string | undefined {
  const value = new RegExp(wholeValue(name));
  if (!value.test(code)) return undefined;
  if (/^\s*return\b/.test(code)) return 'returned to the caller';
  const call = new RegExp(`([\\w.]+)\\([^()]*${wholeValue(name)}`).exec(code);
  if (call) return `passed to ${keptName(call[1]!)}`;
  const rhs = assignment.exec(code)?.[1];
  if ((rhs !== undefined && value.test(rhs)) || new RegExp(`:\\s*${wholeValue(name)}|<-\\s*${wholeValue(name)}`).test(code)) return 'stored in a variable, a field, a channel or a composite';
  return undefined;
}

/** The code of a line without its trailing `//` comment, and with string, raw-string and rune
 *  literals emptied (`"…"` → `""`): text in them is not a call or a use. A line inside a
 *  multi-line raw string or block comment is read as code (the walker follows raw strings). */
export function goCodeOnly(code: string): string {
  return code.replace(/"(?:[^"\\]|\\.)*"|`[^`]*`|'(?:[^'\\]|\\.)*'|\/\/.*$|\/\*.*?\*\//g, (literal) => (literal.startsWith('/') ? '' : literal[0]! + literal[0]!));
}
