// Finding what to mask: registered secrets by literal search (every encoded form), token
// shapes by one combined regex (one alternative per rule), merged left to right. Matches are
// found first and applied second so the streaming redactor can decide which are final before
// emitting anything. docs/redaction.md has the throughput measurement.
import { secretForms, type SecretForm } from './secret-forms.js';
import { TOKEN_RULES } from './token-rules.js';

const SECRET_RULE = 'secret-input';

export interface Match {
  start: number;
  end: number;
  rule: string;
  /** Chars at the start of the match kept verbatim (header name, `://user:`). */
  keep: number;
}

interface CompiledRule {
  name: string;
  group: number;
  prefixGroup: number | undefined;
}

const TOKENS = compileTokenRules();

export class Masker {
  private readonly forms: SecretForm[];
  private readonly probes: Probe[];
  /** Longest possible match of a rule that cannot span a line break. */
  readonly maxSingleLineMatch: number;
  /** True when a secret form contains a line break (the stream must not cut at lines). */
  readonly secretsSpanLines: boolean;

  /** `bytes`: the text searched is a latin1 view of raw bytes (one char per byte), so each
   *  form is searched as its UTF-8 bytes (the same text for the ASCII forms). */
  constructor(secrets: readonly string[], view: 'text' | 'bytes' = 'text') {
    const forms = secrets.flatMap(secretForms);
    this.forms = view === 'text' ? forms : forms.map((form) => ({ ...form, text: Buffer.from(form.text, 'utf8').toString('latin1') }));
    this.maxSingleLineMatch = Math.max(
      // A base64 core grows by a char before and after, and two padding chars.
      ...this.forms.map((form) => form.text.length + 4),
      ...TOKEN_RULES.filter((rule) => rule.name !== 'pem-private-key').map((rule) => rule.maxLength),
    );
    this.secretsSpanLines = this.forms.some((form) => /[\r\n]/.test(form.text));
    this.probes = this.forms.map(probeFor);
  }

  /** Every match in text[from..], left to right, non-overlapping. */
  find(text: string, from: number): Match[] {
    const secrets = this.findSecrets(text, from);
    const matches: Match[] = [];
    const regex = TOKENS.regex;
    let pos = from;
    let next = 0;
    let token: RegExpExecArray | null | undefined;
    for (;;) {
      // A secret that began inside the previous match but runs past it is masked to its end.
      while (next < secrets.length && secrets[next]!.start < pos) {
        const secret = secrets[next++]!;
        if (secret.end > pos) {
          matches.push({ ...secret, start: pos });
          pos = secret.end;
        }
      }
      if (token === undefined || (token !== null && token.index < pos)) {
        regex.lastIndex = pos;
        token = regex.exec(text);
      }
      const secret = secrets[next];
      if (secret !== undefined && (token === null || secret.start <= token.index)) {
        matches.push(secret);
        pos = secret.end;
        next++;
      } else if (token !== null) {
        matches.push(tokenMatch(token));
        pos = token.index + token[0].length;
      } else {
        return matches;
      }
    }
  }

  /** Occurrences of any secret form from `from`; overlapping ones merged into one. */
  private findSecrets(text: string, from: number): Match[] {
    if (this.probes.length === 0) return [];
    const found: Array<[number, number]> = [];
    for (const { form, offset, probe } of this.probes) {
      for (let hit = text.indexOf(probe, from + offset); hit !== -1; hit = text.indexOf(probe, hit + 1)) {
        const at = hit - offset;
        if (offset > 0 && !text.startsWith(form.text, at)) continue;
        const end = at + form.text.length;
        found.push(form.base64 ? widenBase64(text, from, at, end) : [at, end]);
      }
    }
    if (found.length === 0) return [];
    found.sort((a, b) => a[0] - b[0] || b[1] - a[1]);
    const merged: Match[] = [];
    for (const [start, end] of found) {
      const last = merged[merged.length - 1];
      if (last !== undefined && start < last.end) last.end = Math.max(last.end, end);
      else merged.push({ start, end, rule: SECRET_RULE, keep: 0 });
    }
    return merged;
  }
}

/**
 * Chars roughly from most to least frequent in logs and command output. A secret form is
 * searched from its rarest char on (then checked whole): indexOf skips ahead to candidate
 * first chars, so a rare first char made the search 2.5x faster than searching from the
 * form's start (measured on the bench/redact.bench.js text).
 */
const COMMON_CHARS = ' e0t1a2or\nsin.:345l6879cdmup="_/-hg,fbywkvxTSEIAMGRONCPDL()[]{}';
const MIN_PROBE = 4;

interface Probe {
  form: SecretForm;
  /** Where in the form the probe starts. */
  offset: number;
  probe: string;
}

function probeFor(form: SecretForm): Probe {
  const rank = (c: string) => {
    const i = COMMON_CHARS.indexOf(c);
    return i === -1 ? COMMON_CHARS.length : i;
  };
  let offset = 0;
  for (let k = 1; k <= form.text.length - MIN_PROBE; k++) {
    if (rank(form.text[k]!) > rank(form.text[offset]!)) offset = k;
  }
  return { form, offset, probe: form.text.slice(offset) };
}

const BASE64_CHAR = /[A-Za-z0-9+/_-]/;

/** A base64 core plus the neighbouring chars that hold the secret's partial bits, and padding. */
function widenBase64(text: string, from: number, start: number, end: number): [number, number] {
  if (start > from && BASE64_CHAR.test(text.charAt(start - 1))) start--;
  if (BASE64_CHAR.test(text.charAt(end))) end++;
  for (let pad = 0; pad < 2 && text.charAt(end) === '='; pad++) end++;
  return [start, end];
}

function tokenMatch(m: RegExpExecArray): Match {
  const rule = TOKENS.rules.find((r) => m[r.group] !== undefined)!;
  const keep = rule.prefixGroup === undefined ? 0 : (m[rule.prefixGroup]?.length ?? 0);
  return { start: m.index, end: m.index + m[0].length, rule: rule.name, keep };
}

function compileTokenRules(): { regex: RegExp; rules: CompiledRule[] } {
  const rules: CompiledRule[] = [];
  let group = 1;
  for (const rule of TOKEN_RULES) {
    rules.push({ name: rule.name, group, prefixGroup: rule.keepPrefix ? group + 1 : undefined });
    group += 1 + countGroups(rule.source);
  }
  return { regex: new RegExp(TOKEN_RULES.map((rule) => `(${rule.source})`).join('|'), 'g'), rules };
}

/** text[from, to) with the given matches (all inside that range) replaced by masks. */
export function applyMasks(text: string, from: number, to: number, matches: readonly Match[]): string {
  if (matches.length === 0) return text.slice(from, to);
  const parts: string[] = [];
  let at = from;
  for (const match of matches) {
    parts.push(text.slice(at, match.start + match.keep), maskFor(match.rule));
    at = match.end;
  }
  parts.push(text.slice(at, to));
  return parts.join('');
}

export function maskFor(rule: string): string {
  return `[REDACTED:${rule}]`;
}

function countGroups(source: string): number {
  // An empty alternative makes the regex match '', which exposes the group count.
  return new RegExp(`${source}|`).exec('')!.length - 1;
}
