// Planted secrets and tokens in every form the redactor promises to mask, each with the
// strings that must not survive redaction. Token values are well-known documentation
// examples or made-up values of the right shape, not live credentials.
export const SECRET = 'Tr0ub4dor&3 "x"/y+z';
const OTHER_SECRET = 'p4ss-w0rd_2026';
const UNICODE_SECRET = 'pässwörd-Ω42<>';

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
const b64url = (s: string) => Buffer.from(s, 'utf8').toString('base64url');

/** The base64 chars of `prefix + secret` that encode only the secret's bytes. */
function secretCore(prefix: string, encode: (s: string) => string): string {
  const start = Math.ceil((Buffer.byteLength(prefix) * 8) / 6);
  const end = Math.floor(((Buffer.byteLength(prefix) + Buffer.byteLength(SECRET)) * 8) / 6);
  return encode(prefix + SECRET).slice(start, end);
}

const PEM_BODY = Array.from({ length: 26 }, (_, i) =>
  Buffer.from(Array.from({ length: 48 }, (_, j) => (i * 48 + j * 7 + 13) % 256)).toString('base64'),
);

export interface Planted {
  name: string;
  /** The rule that must be counted. */
  rule: string;
  text: string;
  /** Substrings that must not appear in the redacted output. */
  leaks: string[];
}

export const SECRETS = [SECRET, OTHER_SECRET, UNICODE_SECRET];

export const PLANTED: Planted[] = [
  { name: 'raw secret', rule: 'secret-input', text: `password is ${SECRET} ok`, leaks: [SECRET] },
  { name: 'base64', rule: 'secret-input', text: `blob=${b64(SECRET)};`, leaks: [secretCore('', b64)] },
  { name: 'base64 unpadded', rule: 'secret-input', text: `blob=${b64(SECRET).replace(/=+$/, '')} `, leaks: [secretCore('', b64)] },
  { name: 'base64url', rule: 'secret-input', text: `t=${b64url(SECRET)}&x=1`, leaks: [secretCore('', b64url)] },
  {
    name: 'base64 of user:secret',
    rule: 'secret-input',
    text: `creds ${b64(`admin:${SECRET}`)} end`,
    leaks: [secretCore('admin:', b64)],
  },
  {
    name: 'base64 of a longer framing',
    rule: 'secret-input',
    text: `x ${b64(`{"user":"ops","password":"${SECRET}","mfa":true}`)} y`,
    leaks: [secretCore('{"user":"ops","password":"', b64)],
  },
  { name: 'encodeURIComponent', rule: 'secret-input', text: `?p=${encodeURIComponent(SECRET)}&q`, leaks: [encodeURIComponent(SECRET)] },
  {
    name: 'form encoding',
    rule: 'secret-input',
    text: `body: user=a&password=${new URLSearchParams({ p: SECRET }).toString().slice(2)}&x=1`,
    leaks: [new URLSearchParams({ p: SECRET }).toString().slice(2)],
  },
  {
    name: 'lower-case percent encoding',
    rule: 'secret-input',
    text: `?p=${encodeURIComponent(SECRET).replace(/%[0-9A-F]{2}/g, (e) => e.toLowerCase())}`,
    leaks: [encodeURIComponent(SECRET).toLowerCase()],
  },
  { name: 'JSON-escaped', rule: 'secret-input', text: `{"password": ${JSON.stringify(SECRET)}}`, leaks: [JSON.stringify(SECRET).slice(1, -1)] },
  {
    name: 'JSON inside JSON',
    rule: 'secret-input',
    text: `{"body": ${JSON.stringify(JSON.stringify({ password: SECRET }))}}`,
    leaks: [JSON.stringify(JSON.stringify(SECRET)).slice(1, -1)],
  },
  {
    name: 'JSON as Go writes it (\\u0026)',
    rule: 'secret-input',
    text: `{"password":"${JSON.stringify(SECRET).slice(1, -1).replace('&', '\\u0026')}"}`,
    leaks: [JSON.stringify(SECRET).slice(1, -1).replace('&', '\\u0026')],
  },
  {
    name: 'JSON as Python writes it (ASCII only)',
    rule: 'secret-input',
    text: `{"password": "p\\u00e4ssw\\u00f6rd-\\u03a942<>"}`,
    leaks: ['p\\u00e4ssw\\u00f6rd-\\u03a942'],
  },
  { name: 'non-ASCII secret', rule: 'secret-input', text: `pw=${UNICODE_SECRET}\n`, leaks: [UNICODE_SECRET] },
  {
    name: 'non-ASCII secret, base64 and percent-encoded',
    rule: 'secret-input',
    text: `${b64(UNICODE_SECRET)} ${encodeURIComponent(UNICODE_SECRET)}`,
    leaks: [b64(UNICODE_SECRET).slice(1, -2), encodeURIComponent(UNICODE_SECRET)],
  },
  { name: 'second secret', rule: 'secret-input', text: `DB_PASSWORD=${OTHER_SECRET}\n`, leaks: [OTHER_SECRET] },
  { name: 'AWS access key id', rule: 'aws-access-key-id', text: 'key AKIAIOSFODNN7EXAMPLE in use', leaks: ['AKIAIOSFODNN7EXAMPLE'] },
  { name: 'AWS session key id', rule: 'aws-access-key-id', text: 'ASIAY34FZKBOKMUTVV7A,', leaks: ['ASIAY34FZKBOKMUTVV7A'] },
  {
    name: 'aws_secret_access_key',
    rule: 'aws-secret-access-key',
    text: '[default]\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n',
    leaks: ['wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'],
  },
  {
    name: 'AWS_SECRET_ACCESS_KEY env',
    rule: 'aws-secret-access-key',
    text: 'AWS_SECRET_ACCESS_KEY="je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY"\n',
    leaks: ['je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY'],
  },
  {
    name: 'PEM private key',
    rule: 'pem-private-key',
    text: `key:\n-----BEGIN RSA PRIVATE KEY-----\n${PEM_BODY.join('\n')}\n-----END RSA PRIVATE KEY-----\ndone\n`,
    leaks: PEM_BODY,
  },
  {
    name: 'PKCS8 private key',
    rule: 'pem-private-key',
    text: `-----BEGIN PRIVATE KEY-----\n${PEM_BODY.slice(0, 3).join('\n')}\n-----END PRIVATE KEY-----`,
    leaks: PEM_BODY.slice(0, 3),
  },
  {
    name: 'JWT',
    rule: 'jwt',
    text: 'token=eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c done',
    leaks: ['eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ', 'SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c'],
  },
  ...['ghp', 'gho', 'ghu', 'ghs', 'ghr'].map((prefix) => ({
    name: `GitHub ${prefix}_ token`,
    rule: 'github-token',
    text: `GITHUB_TOKEN=${prefix}_16C7e42F292c6912E7710c838347Ae178B4a\n`,
    leaks: ['16C7e42F292c6912E7710c838347Ae178B4a'],
  })),
  {
    name: 'GitHub fine-grained token',
    rule: 'github-token',
    text: 'github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUV used',
    leaks: ['11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUV'],
  },
  ...['a', 'b', 'p', 'o', 's', 'r'].map((letter) => ({
    name: `Slack xox${letter}- token`,
    rule: 'slack-token',
    text: `slack: xox${letter}-2048123456-4096123456-abcDEF123ghiJKL456\n`,
    leaks: ['2048123456-4096123456-abcDEF123ghiJKL456'],
  })),
  {
    name: 'Slack webhook',
    rule: 'slack-webhook',
    text: 'POST https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX 200\n',
    leaks: ['T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX'],
  },
  {
    name: 'Authorization header',
    rule: 'authorization-header',
    text: '> GET /debug/vars HTTP/1.1\n> Authorization: Bearer opaque-4f9a1c2e8b7d\n> Accept: */*\n',
    leaks: ['opaque-4f9a1c2e8b7d'],
  },
  {
    name: 'Proxy-Authorization header',
    rule: 'authorization-header',
    text: 'proxy-authorization: Basic cHJveHl1c2VyOnByb3h5cGFzcw==\r\n',
    leaks: ['cHJveHl1c2VyOnByb3h5cGFzcw'],
  },
  {
    name: 'Authorization in JSON',
    rule: 'authorization-header',
    text: '{"headers": {"Authorization": "token 9f8e7d6c5b4a39281706"}}',
    leaks: ['9f8e7d6c5b4a39281706'],
  },
  { name: 'Cookie header', rule: 'cookie-header', text: 'Cookie: session=8c1f2e9a7d; csrftoken=77aa88bb\n', leaks: ['8c1f2e9a7d', '77aa88bb'] },
  {
    name: 'Set-Cookie header',
    rule: 'cookie-header',
    text: '< Set-Cookie: sid=Zm9vYmFyYmF6cXV4; Path=/; HttpOnly\n',
    leaks: ['Zm9vYmFyYmF6cXV4'],
  },
  { name: 'password in URL', rule: 'url-password', text: 'dsn postgres://app:Sup3rS3cr3t@db.internal:5432/orders\n', leaks: ['Sup3rS3cr3t'] },
  { name: 'password in URL, no user', rule: 'url-password', text: 'redis://:r3d1sPa55@cache:6379/0', leaks: ['r3d1sPa55'] },
];
