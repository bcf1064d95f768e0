// createRedactor(): the Redactor the engine hands to the process runner (stream) and applies
// to every journal field (redactText, redactValue). Control sequences are stripped first, then
// secrets and token shapes are masked; see docs/redaction.md.
import type { TextTransform } from '../exec/types.js';
import type { ByteTransform, Redactor } from './types.js';
import { ControlSequenceStripper, stripControlSequences } from './control-sequences.js';
import { applyMasks, Masker, maskFor, type Match } from './masker.js';

export interface RedactorOptions {
  /** Secret values to mask from the start (more with addSecret). */
  secrets?: readonly string[];
}

/** Chars of already-emitted text kept so look-behinds at a chunk start see what preceded it. */
const CONTEXT_CHARS = 16;

export function createRedactor(options: RedactorOptions = {}): Redactor {
  const secrets = new Set<string>();
  for (const secret of options.secrets ?? []) if (secret !== '') secrets.add(secret);
  let masker = new Masker([...secrets]);
  let byteMasker = new Masker([...secrets], 'bytes');
  const counts = new Map<string, number>();

  const count = (rule: string) => counts.set(rule, (counts.get(rule) ?? 0) + 1);
  const tally = (matches: readonly Match[]) => {
    for (const match of matches) count(match.rule);
  };

  const redactText = (text: string): string => {
    const clean = stripControlSequences(text);
    const matches = masker.find(clean, 0);
    tally(matches);
    return applyMasks(clean, 0, clean.length, matches);
  };

  const redactValue = <T>(value: T): T => deepRedact(value, redactText, count) as T;

  return {
    addSecret(value: string) {
      if (value === '' || secrets.has(value)) return;
      secrets.add(value);
      // Open streams see it from their next chunk on (they read the current masker).
      masker = new Masker([...secrets]);
      byteMasker = new Masker([...secrets], 'bytes');
    },
    redactText,
    redactValue,
    stream: () => new RedactingStream(() => masker, tally, new ControlSequenceStripper()),
    byteStream: () => byteStream(() => byteMasker, tally),
    redactBytes: (bytes) => {
      const stream = byteStream(() => byteMasker, tally);
      return Buffer.concat([stream.push(bytes), stream.end()]);
    },
    counts: () => Object.fromEntries(counts),
  };
}

/**
 * In JSON the header name is a key and the credential a separate string (`{"Authorization":
 * "Bearer …"}`), which the text rules cannot connect: such values are masked by key.
 */
const SENSITIVE_KEYS: ReadonlyArray<[RegExp, string]> = [
  [/^(proxy-)?authorization$/i, 'authorization-header'],
  [/^(set-)?cookie$/i, 'cookie-header'],
  [/^(aws_?)?secret_?access_?key$/i, 'aws-secret-access-key'],
];

function deepRedact(value: unknown, redactText: (text: string) => string, tally: (rule: string) => void): unknown {
  if (typeof value === 'string') return redactText(value);
  if (Array.isArray(value)) return value.map((item) => deepRedact(item, redactText, tally));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      const rule = typeof item === 'string' && item !== '' ? SENSITIVE_KEYS.find(([re]) => re.test(key))?.[1] : undefined;
      if (rule !== undefined) tally(rule);
      // Keys are masked too: a parser can make a key of text from an unredacted `read`
      // artifact. (The journal's own fields are kept by journal/redact-record.ts, and
      // secrets are at least 4 characters, so names are not shredded.)
      out[redactText(key)] = rule !== undefined ? maskFor(rule) : deepRedact(item, redactText, tally);
    }
    return out;
  }
  return value;
}

/**
 * Streaming redaction. Each push scans the held-back text plus the new chunk and emits only
 * the part no future chunk can change: up to the last line break (no single-line rule spans
 * one), but never holding back more than the longest single-line match; a match that
 * touches the end of what has arrived, or straddles the cut, is held whole (that is how an
 * open PEM block waits for its END line, up to PEM_MAX_BODY). So the text held back is
 * bounded by the longest rule (~16 KiB), and end() emits the rest.
 */
class RedactingStream implements TextTransform {
  private pending = '';
  private context = '';

  constructor(
    private readonly masker: () => Masker,
    private readonly tally: (matches: readonly Match[]) => void,
    /** Absent for raw bytes, whose control bytes are data. */
    private readonly stripper?: ControlSequenceStripper,
  ) {}

  push(chunk: string): string {
    return this.emit(this.stripper ? this.stripper.push(chunk) : chunk, false);
  }

  end(): string {
    return this.emit(this.stripper ? this.stripper.end() : '', true);
  }

  private emit(text: string, final: boolean): string {
    if (text === '' && !final) return '';
    const buffer = this.context + this.pending + text;
    const from = this.context.length;
    const masker = this.masker();
    const matches = masker.find(buffer, from);
    let cut = final ? buffer.length : safeCut(masker, buffer, from);
    let emitted = matches.length;
    for (let i = 0; i < matches.length; i++) {
      const match = matches[i]!;
      if (match.end <= cut && (final || match.end < buffer.length)) continue;
      // This match may still grow (or begin a longer one): hold it back whole.
      if (match.start < cut) cut = match.start;
      emitted = i;
      break;
    }
    const done = matches.slice(0, emitted);
    this.tally(done);
    const out = applyMasks(buffer, from, cut, done);
    this.pending = buffer.slice(cut);
    this.context = buffer.slice(Math.max(0, cut - CONTEXT_CHARS), cut);
    return out;
  }
}

/** Bytes through a RedactingStream over their latin1 view: one char per byte, so unmasked
 *  bytes come back exactly as they were. */
function byteStream(masker: () => Masker, tally: (matches: readonly Match[]) => void): ByteTransform {
  const text = new RedactingStream(masker, tally);
  return {
    push: (chunk) => Buffer.from(text.push(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength).toString('latin1')), 'latin1'),
    end: () => Buffer.from(text.end(), 'latin1'),
  };
}

/** Where the text that no single-line match can still reach ends. */
function safeCut(masker: Masker, buffer: string, from: number): number {
  const byLength = buffer.length - masker.maxSingleLineMatch;
  const byLine = masker.secretsSpanLines ? -1 : buffer.lastIndexOf('\n') + 1;
  return Math.max(from, byLength, byLine);
}
