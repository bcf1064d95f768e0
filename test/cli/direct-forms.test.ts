// `runbook parse PARSER [FILE] [--json]` in its plain form runs without yargs (issue 19,
// start-up): which forms take that path, and that a user sees exactly what the yargs path
// prints for the same command (`--json=false` and `--no-json` go through yargs).
import { describe, expect, it } from 'vitest';
import { plainParseArgs } from '../../src/cli/commands/parse.js';
import { runCli } from '../helpers/cli.js';

const gc = 'test/fixtures/gctrace/local_go1.19.8_stw_spike_asyncpreemptoff.txt';
const status = 'test/fixtures/proc/local/leaky_after/proc_status.txt';

describe('the plain form of runbook parse', () => {
  it('is words that are not options, with --json at most once anywhere', () => {
    expect(plainParseArgs(['parse', 'gctrace', 'f'])).toEqual({ parser: 'gctrace', file: 'f', json: false });
    expect(plainParseArgs(['parse', 'gctrace'])).toEqual({ parser: 'gctrace', file: undefined, json: false });
    expect(plainParseArgs(['parse', '--json', 'gctrace', 'f'])).toEqual({ parser: 'gctrace', file: 'f', json: true });
    expect(plainParseArgs(['parse', 'gctrace', 'f', '--json'])).toEqual({ parser: 'gctrace', file: 'f', json: true });
  });

  it('leaves every other form to yargs', () => {
    for (const argv of [
      ['parse'],
      ['parse', '--json'],
      ['parse', 'gctrace', '-'],
      ['parse', 'gctrace', 'f', 'extra'],
      ['parse', 'gctrace', 'f', '--help'],
      ['parse', 'gctrace', 'f', '--json', '--json'],
      ['parse', 'gctrace', 'f', '--json=false'],
      ['parse', 'gctrace', ''],
      ['diff', 'maps', 'a', 'b'],
    ]) {
      expect(plainParseArgs(argv), argv.join(' ')).toBeUndefined();
    }
  });

  it('prints what the yargs path prints: table, JSON, warnings, errors and exit codes', async () => {
    const pairs: [string[], string[]][] = [
      [['parse', 'gctrace', gc], ['parse', 'gctrace', gc, '--json=false']],
      [['parse', 'gctrace', gc, '--json'], ['parse', 'gctrace', gc, '--json=true']],
      [['parse', 'gctrace', status], ['parse', 'gctrace', status, '--no-json']],
      [['parse', 'gctrace', status, '--json'], ['parse', 'gctrace', status, '--json=true']],
      [['parse', 'gctrac', gc], ['parse', 'gctrac', gc, '--no-json']],
      [['parse', 'gctrace', 'no/such/file'], ['parse', 'gctrace', 'no/such/file', '--no-json']],
    ];
    for (const [direct, viaYargs] of pairs) {
      const [a, b] = await Promise.all([runCli(direct), runCli(viaYargs)]);
      expect({ stdout: a.stdout, stderr: a.stderr, exitCode: a.exitCode }, direct.join(' ')).toEqual({ stdout: b.stdout, stderr: b.stderr, exitCode: b.exitCode });
    }
  });
});
