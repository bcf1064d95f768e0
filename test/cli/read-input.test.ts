// `runbook parse FILE` feeds a streaming parser chunk by chunk: only a failed read is
// "cannot read FILE"; what the parser throws (a bug) is its own failure, not a bad path.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { streamInput } from '../../src/cli/read-input.js';

describe('streamInput', () => {
  it('passes on what the sink throws, and names a read failure as one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'runbook-read-input-'));
    try {
      const file = join(dir, 'input');
      writeFileSync(file, 'text\n');
      const failure = new RangeError('Map maximum size exceeded');
      await expect(streamInput(file, () => { throw failure; })).rejects.toBe(failure);
      await expect(streamInput(dir, () => undefined)).rejects.toThrow(`cannot read ${dir} (EISDIR)`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
