// `runbook show ID`: inputs, steps and branches as readable text.
import { describeRunbook } from '../runbook/describe.js';
import { resolveRunbook } from '../runbook/discover.js';
import { loadRunbook } from '../runbook/load.js';

export async function showRunbook(idOrPath: string): Promise<void> {
  const runbook = await loadRunbook(await resolveRunbook(idOrPath));
  process.stdout.write(describeRunbook(runbook));
}
