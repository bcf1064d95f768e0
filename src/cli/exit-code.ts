// Handlers report their exit status here; main() returns it. One place decides how the
// process ends (bin/runbook.js sets process.exitCode), so pending writes always flush.
let code = 0;

export function setExitCode(value: number): void {
  code = value;
}

export function takeExitCode(): number {
  const value = code;
  code = 0;
  return value;
}
