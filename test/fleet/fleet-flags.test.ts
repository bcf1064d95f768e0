// Fleet flags refused before any target is touched (exit 2, no fleet journal): the runbook
// name may come before or after --target/--fleet (each takes exactly one URL), and a
// --target-timeout past what a timer can hold is refused, naming the maximum.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { toolDirs, type ToolDirs } from '../runner/tool.js';

let dirs: ToolDirs;
beforeEach(() => {
  dirs = toolDirs();
});
afterEach(() => dirs.remove());

const fleet = ['--target', 'ssh://never-a.invalid', '--target', 'ssh://never-b.invalid'];
const countRunbook = fileURLToPath(new URL('../fixtures/fleet/fleet-count.yaml', import.meta.url));

describe('fleet flags', () => {
  it.each([
    ['the runbook first', ['run', 'go-memory', ...fleet, '--target-timeout', '25d', '--var', 'pid=1', '--non-interactive']],
    ['the runbook after --target', ['run', ...fleet, 'go-memory', '--target-timeout', '25d', '--var', 'pid=1', '--non-interactive']],
    ['the runbook after --fleet', ['run', '--fleet', 'kubectl://ns/deployment/api', 'go-memory', '--target-timeout', '200d', '--var', 'pid=1', '--non-interactive']],
  ])('reads the runbook name with %s and refuses a timeout over 24d', async (_, args) => {
    const result = await runCli(args, { env: dirs.env });
    expect(result.exitCode, result.stderr).toBe(2);
    expect(result.stderr).toMatch(/--target-timeout '\d+d' is longer than the most a target may take, 24d/);
    expect(existsSync(join(dirs.state, 'fleets'))).toBe(false);
  });

  it('refuses the setting fleet_target_timeout over 24d', async () => {
    const result = await runCli(['config', 'set', 'fleet_target_timeout', '30d'], { env: dirs.env });
    expect(result.exitCode, result.stderr).toBe(2);
    expect(result.stderr).toMatch(/fleet_target_timeout '30d' is longer than the most a target may take, 24d/);
  });

  it('takes one URL per --target: the runbook after a single --target is still the runbook', async () => {
    const result = await runCli(['run', '--target', 'ssh://never-a.invalid', 'go-memory', '--var', 'pid=notapid', '--non-interactive'], { env: dirs.env });
    expect(result.stderr).not.toMatch(/name a runbook/);
    expect(result.stderr).toMatch(/pid/);
    expect(result.exitCode, result.stderr).toBe(2);
  });

  it.each([
    ['a missing pid', ['go-memory'], /input pid \(Which Go process\?\) has no value/],
    ['an invalid pid', ['go-memory', '--var', 'pid=banana'], /input pid: 'banana' is not a process id/],
    ['an unknown --var', ['go-memory', '--var', 'pid=1', '--var', 'colour=red'], /runbook go-memory has no input 'colour'/],
    ['--answer naming no step', ['go-memory', '--var', 'pid=1', '--answer', 'nosuch=yes'], /--answer nosuch=…: runbook go-memory has no step 'nosuch'/],
    ['a question with no --answer', [countRunbook], /step seen asks "Is this the service that paged\?" and no answer was given; every target would stop there/],
    ['an --answer that is no choice', [countRunbook, '--answer', 'seen=maybe'], /--answer seen=maybe is not a choice/],
    ['--notes in a directory that does not exist', [countRunbook, '--answer', 'seen=yes', '--notes', '/nonexistent-dir/fleet.md'], /--notes \/nonexistent-dir\/fleet\.md: \/nonexistent-dir is not a directory/],
  ])('refuses %s once, before any target is touched', async (_, args, message) => {
    const result = await runCli(['run', ...args, ...fleet, '--non-interactive'], { env: dirs.env });
    expect(result.stderr).toMatch(message);
    expect(result.exitCode, result.stderr).toBe(2);
    expect(existsSync(join(dirs.state, 'fleets'))).toBe(false);
  });
});
