// Placeholder until the TUI lands (issue 6): explain what exists instead of failing.
export async function openHome(): Promise<void> {
  process.stderr.write('runbook: the interactive home screen is not built yet; see runbook --help\n');
}
