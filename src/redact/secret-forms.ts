// The forms a registered secret takes in output: raw, base64 (standard and URL-safe, padded
// or not, and inside a longer base64 blob such as a Basic auth `user:secret`),
// percent-encoded (encodeURIComponent and form encoding, upper- and lower-case hex) and
// JSON-escaped (as JSON.stringify, Go and Python write it, with `\/`, and twice for JSON
// inside a JSON string). Literal strings,
// searched with indexOf: a regex alternation of ~20 forms per secret ran at 114 MB/s on plain
// logs, indexOf at several GB/s (bench/redact.bench.js).

/** Base64 cores shorter than this are searched as whole encodings instead (too generic). */
const MIN_BASE64_CORE = 8;

export interface SecretForm {
  text: string;
  /** A base64 core: the chars around it (partial bits of the secret, padding) are masked too. */
  base64: boolean;
}

export function secretForms(secret: string): SecretForm[] {
  const plain = new Set<string>([secret]);
  const base64 = new Set<string>();
  const bytes = Buffer.from(secret, 'utf8');
  const cores = base64Cores(bytes);
  if (cores.length === 3 && cores.every((core) => core.length >= MIN_BASE64_CORE)) {
    // Every base64 form (bare, padded, inside `user:secret`) contains one of the cores.
    for (const core of cores) for (const variant of base64Variants(core)) base64.add(variant);
  } else {
    for (const variant of base64Variants(bytes.toString('base64'))) plain.add(variant);
  }
  const json = JSON.stringify(secret).slice(1, -1);
  plain.add(json);
  plain.add(json.replace(/\//g, '\\/'));
  // Go's encoding/json escapes <, > and & (and U+2028/9); Python's json escapes non-ASCII.
  plain.add(json.replace(/[<>&\u2028\u2029]/g, unicodeEscape));
  plain.add(json.replace(/[^\x00-\x7f]/g, unicodeEscape));
  plain.add(JSON.stringify(json).slice(1, -1));
  for (const encoded of [
    encodeURIComponent(secret),
    encodeURIComponent(secret).replace(/%20/g, '+'),
    new URLSearchParams({ v: secret }).toString().slice(2),
  ]) {
    plain.add(encoded);
    // Encoders disagree on hex case (%2f vs %2F).
    plain.add(encoded.replace(/%[0-9A-F]{2}/g, (escape) => escape.toLowerCase()));
  }
  return [
    ...[...plain].filter((text) => text !== '').map((text) => ({ text, base64: false })),
    ...[...base64].map((text) => ({ text, base64: true })),
  ];
}

function unicodeEscape(char: string): string {
  return `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

/** Standard and URL-safe alphabets, with and without padding. */
function base64Variants(std: string): string[] {
  const unpadded = std.replace(/=+$/, '');
  const url = (s: string) => s.replace(/\+/g, '-').replace(/\//g, '_');
  return [...new Set([std, unpadded, url(std), url(unpadded)])];
}

/**
 * The base64 chars that depend only on the secret's bytes when it sits at each of the three
 * byte alignments inside a longer blob (e.g. `user:secret` in Basic auth): whatever precedes
 * or follows, the encoding of the blob contains one of these three strings.
 */
function base64Cores(bytes: Buffer): string[] {
  const cores: string[] = [];
  for (let offset = 0; offset < 3; offset++) {
    const encoded = Buffer.concat([Buffer.alloc(offset), bytes]).toString('base64');
    const first = Math.ceil((offset * 8) / 6);
    // Char j covers bits [6j, 6j+6): it is fully inside the secret while (6j+5)/8 < end.
    const endByte = offset + bytes.length;
    const last = Math.floor((endByte * 8 - 6) / 6);
    if (last >= first) cores.push(encoded.slice(first, last + 1));
  }
  return cores;
}
