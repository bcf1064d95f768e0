// The `shell:` step form, for the rare step that needs a pipeline. The script is fixed
// text from the runbook; variables reach it only as environment variables ("$PID"),
// which the shell expands as data. Substituting them into the script text instead would
// let a value like `$(touch /tmp/x)` or `; rm -rf ~` run as code (reliability.md,
// "Injection").
const SHELL_PATH = '/bin/sh';

export function shellArgv(script: string): string[] {
  return [SHELL_PATH, '-c', script];
}
