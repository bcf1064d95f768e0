import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { runCli, repoRoot } from '../helpers/cli.js';

describe('runbook CLI basics', () => {
  it('prints the package version', async () => {
    const pkg = JSON.parse(readFileSync(`${repoRoot}/package.json`, 'utf8'));
    const result = await runCli(['--version']);
    expect(result.exitCode).toBe(0);
    expect(result.stdout.trim()).toBe(pkg.version);
  });

  it('answers an unknown command with a usage error and no stack trace', async () => {
    const result = await runCli(['no-such-command']);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('runbook: Unknown argument: no-such-command');
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});
