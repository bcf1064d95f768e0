// The goroutine leak signature catalogue (runbooks/signatures/goroutines.yaml): validated
// like a runbook (FILE:LINE:COL through `runbook validate`), its JSON Schema committed as
// generated, and every signature recognising a real dump of the Go test service.
import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { matchSignature } from '../../src/diffs/goroutine-causes.js';
import { readGoroutines } from '../../src/parsers/goroutines.js';
import { shippedGoroutineSignatures, signatureCatalogueJsonSchema } from '../../src/runbook/goroutine-signatures.js';
import { runCli } from '../helpers/cli.js';
import { fixture } from '../parsers/pprof-peer.js';

const shipped = 'runbooks/signatures/goroutines.yaml';
const broken = 'test/fixtures/signatures';

describe('goroutine signature catalogue', () => {
  it('ships valid: `runbook validate` on it exits 0', async () => {
    expect(shippedGoroutineSignatures().problems).toEqual([]);
    const result = await runCli(['validate', shipped]);
    expect(result).toMatchObject({ exitCode: 0, stdout: '', stderr: 'runbook validate: 1 file valid' });
  });

  it('reports every mistake with FILE:LINE:COL and exits 2', async () => {
    const result = await runCli(['validate', broken]);
    expect(result.exitCode).toBe(2);
    expect(result.stdout.trimEnd().split('\n')).toEqual([
      `${broken}/broken-references.yaml:7:16: signature 'body-leak': partner 'server-keepalve' is not a signature in this catalogue — did you mean 'server-keepalive'?`,
      `${broken}/broken-references.yaml:7:33: signature 'body-leak' cannot be its own partner`,
      `${broken}/broken-references.yaml:10:9: signature id 'body-leak' is used twice; ids must be unique`,
      `${broken}/broken-references.yaml:18:12: signature 'server-keepalive': match needs at least one condition (frames, with, states or top_own: true), or it would match every stack`,
      `${broken}/broken-shape.yaml:6:7: unknown key 'frame' in match — did you mean 'frames'?`,
      `${broken}/broken-shape.yaml:9:9: 'id' 'Body Leak' must be a lowercase id of letters, digits and - (like http-body-not-closed)`,
      `${broken}/broken-shape.yaml:13:16: 'one_cause' must be true or false, got a string ('yes please')`,
      `${broken}/broken-shape.yaml:9:5: signature 'Body Leak' is missing 'fix' (The fix.)`,
    ]);
    expect(result.stderr).toBe('runbook validate: 8 problems in 2 of 2 files');
  });

  it('has its JSON Schema committed as generated (node bin/runbook.js schema --signatures > schema/goroutine-signatures.schema.json), which accepts the catalogue', () => {
    const schema = signatureCatalogueJsonSchema();
    expect(JSON.parse(readFileSync('schema/goroutine-signatures.schema.json', 'utf8'))).toEqual(schema);
    const validate = new Ajv2020({ strict: true, allowUnionTypes: true, strictRequired: false }).compile(schema);
    expect(validate(parse(readFileSync(shipped, 'utf8'))), JSON.stringify(validate.errors)).toBe(true);
    expect(validate(parse(readFileSync(`${broken}/broken-shape.yaml`, 'utf8')))).toBe(false);
  });
});

/** Signature → a real dump of the Go test service (test/fixtures/goroutines-leaks/SOURCE.txt)
 *  and the function its matching stack starts in. */
const realDumps: Record<string, { dump: string; stack: string }> = {
  'http-body-not-closed': { dump: 'http-body-leak-upstream.after.debug2.txt', stack: 'net/http.(*persistConn).readLoop' },
  'server-keepalive': { dump: 'upstream-server.debug2.txt', stack: 'net/http.(*conn).serve' },
  'select-never-ready': { dump: 'select-leak.after.debug2.txt', stack: 'main.awaitReply' },
  'chan-receive-no-sender': { dump: 'ticker-leak.after.debug2.txt', stack: 'main.pollForever' },
  'blocked-in-own-code': { dump: 'select-leak.after.debug1.txt', stack: 'main.awaitReply' },
  'sleep-loop': { dump: 'sleep-leak.after.debug2.txt', stack: 'main.refreshForever' },
  'sql-conn-wait': { dump: 'sql-pool-leak.after.debug2.txt', stack: 'main.leakSQLConnections.func1' },
  'context-never-cancelled': { dump: 'context-leak.after.debug2.txt', stack: 'context.propagateCancel.func1' },
  'sync-wait': { dump: 'waitgroup-leak.after.debug2.txt', stack: 'main.fanOutTwice' },
  'chan-send-no-receiver': { dump: 'chan-send-leak.after.debug2.txt', stack: 'main.leakGoroutines.func1.1' },
};

describe('each signature, on a real goroutine dump', () => {
  const catalogue = shippedGoroutineSignatures().catalogue!;
  it('every signature has one', () => {
    expect(catalogue.signatures.map((s) => s.id).sort()).toEqual(Object.keys(realDumps).sort());
  });
  for (const signature of catalogue.signatures) {
    const real = realDumps[signature.id];
    it(`${signature.id}: matches ${real?.stack} in ${real?.dump}`, () => {
      const groups = readGoroutines(fixture(`goroutines-leaks/${real!.dump}`).toString())!.groups;
      const matched = groups.filter((g) => matchSignature(catalogue, g)?.id === signature.id);
      expect(matched.length).toBeGreaterThan(0);
      expect(matched.map((g) => g.frames.filter((f) => f.func !== 'runtime.goexit').at(-1)?.func)).toContain(real!.stack);
    });
  }
});
