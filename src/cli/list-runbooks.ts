// `runbook list [--json]`: every discoverable runbook with its id, title, summary, file.
import { discoverRunbookHeaders } from '../runbook/discover.js';

export async function listRunbooks(options: { json: boolean }): Promise<void> {
  const runbooks = (await discoverRunbookHeaders()).map((found) => ({
    id: found.id,
    title: found.title,
    summary: found.summary,
    file: found.file,
    problems: found.problems,
  }));
  if (options.json) {
    process.stdout.write(`${JSON.stringify(runbooks, null, 2)}\n`);
    return;
  }
  if (runbooks.length === 0) {
    process.stderr.write('runbook list: no runbooks found (add directories with RUNBOOK_PATH)\n');
    return;
  }
  const idWidth = Math.max(...runbooks.map((runbook) => runbook.id.length));
  for (const runbook of runbooks) {
    const title = runbook.title ?? `(invalid: ${runbook.problems} problem${runbook.problems === 1 ? '' : 's'}; runbook validate ${runbook.file})`;
    process.stdout.write(`${runbook.id.padEnd(idWidth)}  ${title}\n`);
    if (runbook.summary !== null) process.stdout.write(`${' '.repeat(idWidth)}  ${runbook.summary}\n`);
    process.stdout.write(`${' '.repeat(idWidth)}  ${runbook.file}\n`);
  }
}
