// Token shapes masked whatever the runbook declared: credentials that commonly show up in
// command output (curl -v, env dumps, config files, logs). Each rule is a regex source that
// becomes one alternative of a single combined regex (one pass over the text).
//
// Conventions every rule follows, because the streaming masker relies on them:
// - every quantifier is bounded, so a match is never longer than `maxLength`;
// - only `pem-private-key` may span lines (the stream holds back an open PEM block);
// - when `keepPrefix` is set, the rule's first capture group is kept verbatim (the header
//   name, the `user:` of a URL) and only the rest is replaced by the mask.
// Node 20's V8 has no inline `(?i:…)`, so case-insensitive words are spelled with `ci()`.

export interface TokenRule {
  name: string;
  source: string;
  keepPrefix: boolean;
  /** Upper bound on a match's length in chars. */
  maxLength: number;
}

/** PEM blocks longer than this are masked up to the bound (a 4096-bit RSA key is ~3.3 KiB). */
export const PEM_MAX_BODY = 16 * 1024;
/** Header and cookie values longer than this are masked in pieces of this size. */
const HEADER_MAX_VALUE = 8 * 1024;

/** A case-insensitive spelling of a literal word for a regex without the `i` flag. */
function ci(word: string): string {
  return word.replace(/[A-Za-z]/g, (ch) => `[${ch.toUpperCase()}${ch.toLowerCase()}]`).replace(/[-.]/g, '\\$&');
}

/** A `Name: value` / `"Name": "value"` / `Name=value` prefix, kept when masking. */
function headerPrefix(names: string): string {
  return `(?<![A-Za-z0-9_-])(${names}["']?[ \\t]*[:=][ \\t]*["']?`;
}

const AUTH_SCHEMES = ['Bearer', 'Basic', 'Digest', 'Negotiate', 'Token', 'AWS4-HMAC-SHA256'].map(ci).join('|');

export const TOKEN_RULES: readonly TokenRule[] = [
  {
    name: 'pem-private-key',
    // An END marker within the bound, or else everything up to the bound (fail closed).
    source:
      `-----BEGIN [A-Z0-9 ]{0,40}PRIVATE KEY-----` +
      `(?:[\\s\\S]{0,${PEM_MAX_BODY}}?-----END [A-Z0-9 ]{0,40}PRIVATE KEY-----|[\\s\\S]{0,${PEM_MAX_BODY}})`,
    keepPrefix: false,
    maxLength: PEM_MAX_BODY + 140,
  },
  {
    name: 'aws-access-key-id',
    source: '(?<![A-Z0-9])(?:AKIA|ASIA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA|ABIA|ACCA)[A-Z0-9]{16}(?![A-Z0-9])',
    keepPrefix: false,
    maxLength: 20,
  },
  {
    name: 'aws-secret-access-key',
    source: `${headerPrefix(`(?:${ci('aws')}_?)?${ci('secret')}_?${ci('access')}_?${ci('key')}`)})[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+])`,
    keepPrefix: true,
    maxLength: 120,
  },
  {
    name: 'jwt',
    // header.payload.signature, base64url; the header is JSON so it starts `eyJ` ('{"').
    source: '(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{4,4096}\\.[A-Za-z0-9_-]{2,8192}\\.[A-Za-z0-9_-]{0,4096}',
    keepPrefix: false,
    maxLength: 16400,
  },
  {
    name: 'github-token',
    source: '(?<![A-Za-z0-9_])(?:gh[pousr]_[A-Za-z0-9]{36,251}|github_pat_[A-Za-z0-9_]{22,244})(?![A-Za-z0-9_])',
    keepPrefix: false,
    maxLength: 255,
  },
  {
    name: 'slack-token',
    source: '(?<![A-Za-z0-9])xox[abposr]-[A-Za-z0-9-]{10,250}',
    keepPrefix: false,
    maxLength: 255,
  },
  {
    name: 'slack-webhook',
    source: '(hooks\\.slack\\.com/(?:services|workflows|triggers)/)[A-Za-z0-9/_-]{8,300}',
    keepPrefix: true,
    maxLength: 340,
  },
  {
    name: 'authorization-header',
    source: `${headerPrefix(`(?:${ci('proxy-')})?${ci('authorization')}`)}(?:(?:${AUTH_SCHEMES})[ \\t]+)?)[^\\r\\n"']{1,${HEADER_MAX_VALUE}}`,
    keepPrefix: true,
    maxLength: HEADER_MAX_VALUE + 80,
  },
  {
    name: 'cookie-header',
    source: `${headerPrefix(`(?:${ci('set-')})?${ci('cookie')}`)})[^\\r\\n"']{1,${HEADER_MAX_VALUE}}`,
    keepPrefix: true,
    maxLength: HEADER_MAX_VALUE + 40,
  },
  {
    name: 'url-password',
    // Starts at `://` (not at the scheme) so the combined regex only wakes up on `://`.
    source: '(:\\/\\/[^\\s:/?#@"\'<>\\[\\]]{0,256}:)[^\\s/?#@"\'<>]{1,256}(?=@)',
    keepPrefix: true,
    maxLength: 520,
  },
];
