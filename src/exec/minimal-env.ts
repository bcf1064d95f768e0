// The environment a step sees: a short list inherited from the tool, plus the step's own
// `env`. Nothing else leaks in (tokens, cloud credentials, the tool's own settings), and
// a runbook behaves the same from one engineer's shell to the next.
const INHERITED = ['PATH', 'HOME', 'LANG', 'TZ', 'USER', 'TMPDIR'];

export function minimalEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (value !== undefined && (INHERITED.includes(name) || name.startsWith('LC_'))) env[name] = value;
  }
  return { ...env, ...extra };
}
