// A runbook written for one test, loaded (and validated) like any runbook file.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadRunbook } from '../../src/runbook/load.js';
import type { Runbook } from '../../src/runbook/types.js';

export async function loadRunbookSource(dir: string, yaml: string): Promise<Runbook> {
  const file = join(dir, 'runbook.yaml');
  writeFileSync(file, yaml);
  return loadRunbook(file);
}
