// Turns expression text into tokens. Hand-written so that every error carries the offset
// of the character at fault and nothing is ever evaluated as JavaScript.

export type Token =
  | { type: 'number'; value: number; offset: number; end: number }
  | { type: 'string'; value: string; offset: number; end: number }
  | { type: 'identifier'; value: string; offset: number; end: number }
  | { type: 'operator'; value: string; offset: number; end: number }
  | { type: 'end'; value: ''; offset: number; end: number };

export type TokenizeResult =
  | { ok: true; tokens: Token[] }
  | { ok: false; error: { message: string; offset: number } };

// Longest first, so `<=` wins over `<`.
const OPERATORS = ['==', '!=', '<=', '>=', '&&', '||', '<', '>', '+', '-', '*', '/', '%', '!', '(', ')', '[', ']', ',', '.'];
const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"' };
const NUMBER = /\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const IDENTIFIER = /[A-Za-z_][A-Za-z0-9_]*/y;

export function tokenize(source: string): TokenizeResult {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const ch = source[i] as string;
    if (ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r') {
      i++;
      continue;
    }
    if (ch >= '0' && ch <= '9') {
      NUMBER.lastIndex = i;
      const text = (NUMBER.exec(source) as RegExpExecArray)[0];
      const end = i + text.length;
      if (/[A-Za-z_.]/.test(source[end] ?? '')) {
        return fail(`malformed number '${source.slice(i, end + 1)}'`, i);
      }
      const value = Number(text);
      if (!Number.isFinite(value)) return fail(`number '${text}' is too large`, i);
      tokens.push({ type: 'number', value, offset: i, end });
      i = end;
      continue;
    }
    if (ch === "'" || ch === '"') {
      const string = readString(source, i);
      if (!string.ok) return string;
      tokens.push({ type: 'string', value: string.value, offset: i, end: string.end });
      i = string.end;
      continue;
    }
    IDENTIFIER.lastIndex = i;
    const identifier = IDENTIFIER.exec(source);
    if (identifier) {
      const end = i + identifier[0].length;
      tokens.push({ type: 'identifier', value: identifier[0], offset: i, end });
      i = end;
      continue;
    }
    const operator = OPERATORS.find((op) => source.startsWith(op, i));
    if (operator === undefined) {
      const hint = ch === '=' ? " (use '==' to compare)" : ch === '&' || ch === '|' ? ` (use '${ch}${ch}' or '${ch === '&' ? 'and' : 'or'}')` : '';
      return fail(`unexpected character '${ch}'${hint}`, i);
    }
    tokens.push({ type: 'operator', value: operator, offset: i, end: i + operator.length });
    i += operator.length;
  }
  tokens.push({ type: 'end', value: '', offset: source.length, end: source.length });
  return { ok: true, tokens };
}

function readString(
  source: string,
  start: number,
): { ok: true; value: string; end: number } | { ok: false; error: { message: string; offset: number } } {
  const quote = source[start];
  let value = '';
  let i = start + 1;
  while (i < source.length) {
    const ch = source[i] as string;
    if (ch === quote) return { ok: true, value, end: i + 1 };
    if (ch === '\\') {
      const escaped = ESCAPES[source[i + 1] ?? ''];
      if (escaped === undefined) return fail(`unknown escape '\\${source[i + 1] ?? ''}' in string`, i);
      value += escaped;
      i += 2;
      continue;
    }
    value += ch;
    i++;
  }
  return fail('unterminated string', start);
}

function fail(message: string, offset: number): { ok: false; error: { message: string; offset: number } } {
  return { ok: false, error: { message, offset } };
}
