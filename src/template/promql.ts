// Templates in PromQL (the `query` step's `promql:`). A value may only fill the inside of a
// double-quoted string literal (`{job="{{ job }}"}`), and is escaped there as PromQL (Go)
// string-literal content, so no value can end the literal and add selectors, operators or
// comments: `"}or vector(1)` stays a label value. Anywhere else a template is refused.

/** Where the PromQL lexer is after some text: in a double-quoted literal (the only place a
 *  value may go), right after a backslash in one, or anywhere else. */
type LexState = 'code' | 'double' | 'double-escape' | 'single' | 'single-escape' | 'raw' | 'comment';

/** The lexer state after `text`, starting from `state` (PromQL: "…" and '…' with backslash
 *  escapes, `…` raw, # comments to the end of the line). */
export function promqlState(text: string, state: LexState = 'code'): LexState {
  for (const char of text) {
    switch (state) {
      case 'code':
        if (char === '"') state = 'double';
        else if (char === "'") state = 'single';
        else if (char === '`') state = 'raw';
        else if (char === '#') state = 'comment';
        break;
      case 'double':
        if (char === '\\') state = 'double-escape';
        else if (char === '"' || char === '\n') state = 'code';
        break;
      case 'single':
        if (char === '\\') state = 'single-escape';
        else if (char === "'" || char === '\n') state = 'code';
        break;
      case 'double-escape':
        state = 'double';
        break;
      case 'single-escape':
        state = 'single';
        break;
      case 'raw':
        if (char === '`') state = 'code';
        break;
      case 'comment':
        if (char === '\n') state = 'code';
        break;
    }
  }
  return state;
}

/** Why a value may not be filled in after `before`, or undefined when it may. */
export function promqlSlotProblem(before: string): string | undefined {
  const state = promqlState(before);
  if (state === 'double') return undefined;
  if (state === 'double-escape') return 'a template right after a backslash would have its first character read as an escape';
  return 'in PromQL a template may only fill the inside of a double-quoted string literal, like {job="{{ job }}"}: anywhere else a value could change the query';
}

/** `value` as the content of a PromQL double-quoted string literal: backslash and quote
 *  escaped, control characters as \xHH (a raw newline would end the literal), lone UTF-16
 *  surrogates as U+FFFD (Prometheus takes only valid UTF-8). */
export function escapePromqlString(value: string): string {
  let out = '';
  for (const char of value) {
    const code = char.codePointAt(0)!;
    if (char === '\\') out += '\\\\';
    else if (char === '"') out += '\\"';
    else if (char === '\n') out += '\\n';
    else if (char === '\r') out += '\\r';
    else if (char === '\t') out += '\\t';
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else if (code >= 0xd800 && code <= 0xdfff) out += '\ufffd';
    else out += char;
  }
  return out;
}
