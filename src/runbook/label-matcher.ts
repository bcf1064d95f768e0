// One label matcher of a runbook's `match:` block, in Alertmanager's own syntax
// (`job="api"`, `severity!="info"`, `instance=~"10\\.0\\..*"`, `env!~"dev|test"`), so a
// matcher can be copied from an Alertmanager route. Regexes are anchored at both ends, as
// Alertmanager anchors them; a label the alert lacks matches as the empty string.
// Alertmanager's regexes are Go RE2, ours JavaScript's: a leading `(?i)` is read as RE2 reads
// it, and the RE2 constructs JavaScript would read otherwise are refused by name.

export type MatchOperator = '=' | '!=' | '=~' | '!~';

export interface LabelMatcher {
  label: string;
  op: MatchOperator;
  value: string;
  /** The source text, for messages. */
  text: string;
}

export type MatcherParse = { ok: true; matcher: LabelMatcher } | { ok: false; error: string };

const SHAPE = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*(=~|!~|!=|=)\s*(.*?)\s*$/s;

export function parseLabelMatcher(text: string): MatcherParse {
  const found = SHAPE.exec(text);
  if (found === null) return { ok: false, error: `'${text}' is not a label matcher: write label="value", label!="value", label=~"regex" or label!~"regex"` };
  const [, label, op, written] = found as unknown as [string, string, MatchOperator, string];
  const value = unquote(written);
  if (value === undefined) return { ok: false, error: `'${text}': the value ${written} is neither one "quoted string" nor bare text without quotes` };
  // `job=api,env=prod` is two matchers written as one, not a job named "api,env=prod".
  if (!written.startsWith('"') && written.includes(',')) {
    return { ok: false, error: `'${text}': a bare value holds no comma; give each matcher its own list entry (matchers: ['job="api"', 'env="prod"']), or quote a value that has one` };
  }
  if (op === '=~' || op === '!~') {
    const problem = regexProblem(value);
    if (problem !== undefined) return { ok: false, error: `'${text}': the regex does not compile: ${problem}` };
  }
  return { ok: true, matcher: { label, op, value, text: text.trim() } };
}

/** Whether `labels` satisfy the matcher. */
export function labelMatches(matcher: LabelMatcher, labels: Readonly<Record<string, string>>): boolean {
  const actual = Object.hasOwn(labels, matcher.label) ? (labels[matcher.label] ?? '') : '';
  switch (matcher.op) {
    case '=':
      return actual === matcher.value;
    case '!=':
      return actual !== matcher.value;
    case '=~':
      return anchored(matcher.value).test(actual);
    case '!~':
      return !anchored(matcher.value).test(actual);
  }
}

/** RE2's leading case-insensitive flag, which JavaScript writes as the `i` flag. */
const CASELESS = '(?i)';

function anchored(regex: string): RegExp {
  const caseless = regex.startsWith(CASELESS);
  return new RegExp(`^(?:${caseless ? regex.slice(CASELESS.length) : regex})$`, caseless ? 'iu' : 'u');
}

/** RE2 syntax that JavaScript reads differently or not at all, each with what to write (an
 *  unescaped `(` or `[` only: `\(?` is a literal paren made optional). */
const RE2_ONLY: ReadonlyArray<[RegExp, string]> = [
  [/(?:^|[^\\])(?:\\\\)*\(\?[a-zA-Z-]+[:)]/, 'an RE2 flag group ((?s), (?m), (?U), (?i:…), or (?i) past the start) is not accepted; only a leading (?i) is'],
  [/(?:^|[^\\])(?:\\\\)*\(\?P</, 'an RE2 (?P<name>…) group is not accepted; write (?<name>…) or a plain (…)'],
  [/(?:^|[^\\])(?:\\\\)*\[\[:\^?[a-z]+:\]/, 'an RE2 POSIX class ([[:alpha:]]) is not accepted; write the characters ([a-zA-Z])'],
];

function regexProblem(regex: string): string | undefined {
  const body = regex.startsWith(CASELESS) ? regex.slice(CASELESS.length) : regex;
  const re2 = RE2_ONLY.find(([shape]) => shape.test(body));
  if (re2 !== undefined) return re2[1];
  try {
    anchored(regex);
    return undefined;
  } catch (error) {
    // V8 says "Invalid regular expression: /^(?:…)$/u: Unterminated group": the anchored form is ours.
    return (error as Error).message.replace(/^Invalid regular expression: \/.*\/[a-z]*: /s, '');
  }
}

/** A double-quoted value with Go string escapes (\" \\ \n \t), or the bare text. */
function unquote(written: string): string | undefined {
  if (!written.startsWith('"')) return written.includes('"') ? undefined : written;
  if (written.length < 2 || !written.endsWith('"')) return undefined;
  let value = '';
  const inner = written.slice(1, -1);
  for (let i = 0; i < inner.length; i++) {
    const char = inner[i]!;
    if (char === '"') return undefined;
    if (char !== '\\') {
      value += char;
      continue;
    }
    const next = inner[++i];
    if (next === undefined) return undefined;
    // Another escape (a regex's \. or \d) keeps its backslash, for the regex to read.
    value += ({ '\\': '\\', '"': '"', n: '\n', t: '\t' } as Record<string, string>)[next] ?? `\\${next}`;
  }
  return value;
}
