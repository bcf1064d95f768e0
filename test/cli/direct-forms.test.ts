// `runbook parse PARSER [FILE] [--json]` and `runbook diff KIND BEFORE AFTER [--json]` in
// their plain forms run without yargs (issue 19, start-up): which forms take that path, and
// that a user sees exactly what the yargs path prints for the same command (`--json=false`
// and `--no-json` go through yargs).
import { describe, expect, it } from 'vitest';
import { plainDiffArgs } from '../../src/cli/commands/diff.js';
import { plainParseArgs } from '../../src/cli/commands/parse.js';
import { runCli } from '../helpers/cli.js';

const gc = 'test/fixtures/gctrace/local_go1.19.8_stw_spike_asyncpreemptoff.txt';
const status = 'test/fixtures/proc/local/leaky_after/proc_status.txt';
const mapsBefore = 'test/fixtures/proc/local/leaky_before/proc_maps.txt';
const mapsAfter = 'test/fixtures/proc/local/leaky_after/proc_maps.txt';

async function expectSameAsYargs(pairs: [string[], string[]][]): Promise<void> {
  for (const [direct, viaYargs] of pairs) {
    const [a, b] = await Promise.all([runCli(direct), runCli(viaYargs)]);
    expect({ stdout: a.stdout, stderr: a.stderr, exitCode: a.exitCode }, direct.join(' ')).toEqual({ stdout: b.stdout, stderr: b.stderr, exitCode: b.exitCode });
  }
}

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
    await expectSameAsYargs(pairs);
  });
});

describe('the plain form of runbook diff', () => {
  it('is three words that are not options, with --json at most once anywhere', () => {
    expect(plainDiffArgs(['diff', 'maps', 'a', 'b'])).toEqual({ kind: 'maps', before: 'a', after: 'b', json: false });
    expect(plainDiffArgs(['diff', '--json', 'maps', 'a', 'b'])).toEqual({ kind: 'maps', before: 'a', after: 'b', json: true });
    expect(plainDiffArgs(['diff', 'maps', 'a', 'b', '--json'])).toEqual({ kind: 'maps', before: 'a', after: 'b', json: true });
  });

  it('leaves every other form to yargs', () => {
    for (const argv of [
      ['diff'],
      ['diff', 'maps', 'a'],
      ['diff', 'maps', 'a', '-'],
      ['diff', 'maps', 'a', 'b', 'c'],
      ['diff', 'maps', 'a', 'b', '--help'],
      ['diff', 'maps', 'a', 'b', '--json', '--json'],
      ['diff', 'maps', 'a', 'b', '--json=true'],
      ['diff', 'maps', '', 'b'],
      ['parse', 'maps', 'a', 'b'],
    ]) {
      expect(plainDiffArgs(argv), argv.join(' ')).toBeUndefined();
    }
  });

  it('prints what the yargs path prints: table, JSON, warnings, errors and exit codes', async () => {
    await expectSameAsYargs([
      [['diff', 'maps', mapsBefore, mapsAfter], ['diff', 'maps', mapsBefore, mapsAfter, '--json=false']],
      [['diff', 'maps', mapsBefore, mapsAfter, '--json'], ['diff', 'maps', mapsBefore, mapsAfter, '--json=true']],
      [['diff', 'status', status, gc], ['diff', 'status', status, gc, '--no-json']],
      [['diff', 'maps', mapsBefore, status, '--json'], ['diff', 'maps', mapsBefore, status, '--json=true']],
      [['diff', 'mapz', mapsBefore, mapsAfter], ['diff', 'mapz', mapsBefore, mapsAfter, '--no-json']],
      [['diff', 'maps', mapsBefore, 'no/such/file'], ['diff', 'maps', mapsBefore, 'no/such/file', '--no-json']],
    ]);
  });
});
