// The runbook commands as a user runs them (the built bin/runbook.js).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { repoRoot, runCli } from '../helpers/cli.js';
import { expectedProblems } from './expected-problems.js';

const fixtures = 'test/fixtures/runbooks';
const refuseUi = `--import=${pathToFileURL(join(repoRoot, 'test', 'runbook', 'refuse-ui-imports.mjs')).href}`;
const stackTrace = /\n\s+at /;

describe('runbook validate', () => {
  it('prints one FILE:LINE:COL line per problem for a directory of broken runbooks and exits 2', async () => {
    const result = await runCli(['validate', `${fixtures}/broken`]);
    expect(result.exitCode).toBe(2);
    const expected = Object.entries(expectedProblems).flatMap(([rule, lines]) => lines.map((line) => `${fixtures}/broken/${rule}.yaml:${line}`));
    expect(result.stdout.trimEnd().split('\n').sort()).toEqual(expected.sort());
    const files = Object.keys(expectedProblems).length;
    expect(result.stderr).toBe(`runbook validate: ${expected.length} problems in ${files} of ${files} runbooks`);
    expect(result.stderr + result.stdout).not.toMatch(stackTrace);
  });

  it('exits 0 with a summary for valid runbooks', async () => {
    const result = await runCli(['validate', `${fixtures}/valid/go-memory.yaml`, `${fixtures}/valid/goto-missing.yaml`]);
    expect(result).toMatchObject({ exitCode: 0, stdout: '', stderr: 'runbook validate: 2 runbooks valid' });
  });

  it('reports a missing file as a problem, not a crash', async () => {
    const result = await runCli(['validate', 'no/such/runbook.yaml']);
    expect(result.exitCode).toBe(2);
    expect(result.stdout).toBe('no/such/runbook.yaml:1:1: cannot read runbook: no such file');
  });

  it('validates every discoverable runbook by default (RUNBOOK_PATH included)', async () => {
    const result = await runCli(['validate'], { env: { RUNBOOK_PATH: join(repoRoot, fixtures, 'broken') } });
    expect(result.exitCode).toBe(2);
    expect(result.stdout).toContain(`${fixtures}/broken/unknown-step-kind.yaml:6:5: unknown step kind 'runn' — did you mean 'run'?`);
  });

  it('loads neither React nor Ink (nor does --help); the hook really refuses them', async () => {
    const env = { NODE_OPTIONS: refuseUi };
    const validate = await runCli(['validate', `${fixtures}/valid`], { env });
    expect(validate.stderr).not.toContain('refused import');
    expect(validate.exitCode).toBe(0);
    const help = await runCli(['--help'], { env });
    expect(help.exitCode).toBe(0);
    expect(help.stderr).toBe('');
    const proof = await execa(process.execPath, ['-e', "await import('ink')", '--input-type=module'], { reject: false, env, cwd: repoRoot });
    expect(proof.exitCode).not.toBe(0);
    expect(String(proof.stderr)).toContain("refused import of 'ink'");
  });
});

describe('runbook list, show, schema', () => {
  const env = { RUNBOOK_PATH: join(repoRoot, fixtures, 'valid') };

  it('lists runbooks as JSON with id, title, summary and file', async () => {
    const result = await runCli(['list', '--json'], { env });
    expect(result.exitCode).toBe(0);
    const listed = JSON.parse(result.stdout) as Array<Record<string, unknown>>;
    expect(listed).toContainEqual({
      id: 'go-memory',
      title: 'Go service memory growth',
      summary: 'Is RSS growth in the Go heap, the C heap (cgo) or goroutine stacks?',
      file: join(repoRoot, fixtures, 'valid', 'go-memory.yaml'),
      problems: 0,
    });
  });

  it('lists runbooks as text', async () => {
    const result = await runCli(['list'], { env });
    expect(result.stdout).toMatch(/^go-memory +Go service memory growth$/m);
  });

  it('shows a runbook by id with its branches', async () => {
    const result = await runCli(['show', 'go-memory'], { env });
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain('  interval  duration  default 30s');
    expect(result.stdout).toContain('  4. compare       compute    Where did the memory go?');
    expect(result.stdout).toContain('compare → go-heap when rss_growth_mb > 20 and go_heap_growth_mb > 0.7 * rss_growth_mb; otherwise → c-heap');
  });

  it('shows a runbook by path', async () => {
    const result = await runCli(['show', `${fixtures}/valid/ask-goto-missing.yaml`]);
    expect(result.stdout).toContain("start → growing if answered yes; → flat if answered no; otherwise → growing (next step)");
  });

  it('shows which alerts a runbook answers and the inputs their labels fill', async () => {
    const result = await runCli(['show', `${fixtures}/valid/alert-match.yaml`]);
    expect(result.stdout).toContain('Answers alerts GoMemoryHigh | GoRSSGrowth where job=~"(un)?closed", severity="page", env!="prod"\n  pid = name:{{ labels.job }}\n  pprof = http://{{ labels.instance }}\n');
  });

  it('answers an unknown id with did-you-mean and the known ids, exit 2, no stack trace', async () => {
    const result = await runCli(['show', 'go-mem'], { env });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/^runbook: no runbook 'go-mem' — did you mean 'go-memory'\?\n  hint: known runbooks: .*go-memory/);
    expect(result.stderr).not.toMatch(stackTrace);
  });

  it('refuses to show an invalid runbook, listing its problems', async () => {
    const file = `${fixtures}/broken/goto-missing.yaml`;
    const result = await runCli(['show', file]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain(`${file}:7:15: goto 'fnish' names no step — did you mean 'finish'?`);
  });

  it('prints the committed JSON Schema', async () => {
    const result = await runCli(['schema']);
    expect(result.exitCode).toBe(0);
    expect(`${result.stdout}\n`).toBe(readFileSync(join(repoRoot, 'schema', 'runbook.schema.json'), 'utf8'));
  });

  it.each(['list', 'show', 'validate', 'schema'])('%s --help explains the command', async (command) => {
    const result = await runCli([command, '--help']);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain(`runbook ${command}`);
  });
});
