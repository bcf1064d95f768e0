// Values that would become shell syntax or an option if a transport ever joined argv into
// shell text unquoted. Each must arrive on the far side as the same bytes, as ONE argument,
// and none of the files they name may ever appear.
export const PAYLOADS = [
  '$(touch /tmp/runbook-pwned-subst)',
  '`touch /tmp/runbook-pwned-backtick`',
  '; touch /tmp/runbook-pwned-semicolon',
  '&& touch /tmp/runbook-pwned-and',
  '| touch /tmp/runbook-pwned-pipe',
  "it's 'quoted' \"twice\"",
  'line one\nline two; touch /tmp/runbook-pwned-newline',
  '-oProxyCommand=touch /tmp/runbook-pwned-option',
  '--help',
  '$HOME ${PATH} * ? [a] ~ # !',
  '\t leading and trailing spaces \t',
  'ünïcødé ✓',
  '',
];

/** The files a payload above would create if it ran. */
export const PWNED_FILES = ['subst', 'backtick', 'semicolon', 'and', 'pipe', 'newline', 'option'].map((name) => `/tmp/runbook-pwned-${name}`);
