import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { goRuntimeEnviron, parseGoByteCount, procEnvironParser } from '../../src/parsers/proc-environ.js';

const fixture = (name: string): Uint8Array => new Uint8Array(readFileSync(new URL(`../fixtures/proc/local/environ/${name}`, import.meta.url)));
const planted = ['planted-db-password-7731', 'ghp_plantedPLANTEDplanted0123456789abcd', 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'];
const text = (bytes: Uint8Array): string => Buffer.from(bytes).toString('utf8');

describe('proc-environ', () => {
  it('reads GOMEMLIMIT in bytes, GOGC, GODEBUG as a map and GOMAXPROCS from a real environ', () => {
    const { facts, warnings, error } = procEnvironParser.parse(fixture('memlimit_gogc25_asyncpreemptoff.environ'));
    expect(error).toBeUndefined();
    expect(warnings).toEqual([]);
    expect(facts).toMatchObject({
      gomemlimit_set: true,
      gomemlimit_bytes: 64 * 1024 * 1024,
      gogc_set: true,
      gogc: 25,
      gogc_off: false,
      godebug: { gctrace: '1', asyncpreemptoff: '1' },
      async_preempt_off: true,
      gomaxprocs: 2,
    });
  });

  it('never puts another variable, or its value, in a fact', () => {
    for (const name of ['memlimit_gogc25_asyncpreemptoff.environ', 'gogc_off.environ']) {
      const { facts } = procEnvironParser.parse(fixture(name));
      const json = JSON.stringify(facts);
      for (const secret of planted) expect(json).not.toContain(secret);
      expect(json).not.toMatch(/DATABASE_URL|API_TOKEN|AWS_SECRET|PATH|HOME/);
    }
  });

  it('keeps only the Go runtime variables for the disk (the bundle file parses to the same facts)', () => {
    for (const name of ['memlimit_gogc25_asyncpreemptoff.environ', 'gogc_off.environ', 'memlimit_bytes_suffix.environ', 'no_go_variables.environ']) {
      const kept = goRuntimeEnviron(fixture(name));
      for (const secret of planted) expect(text(kept)).not.toContain(secret);
      expect(text(kept).split('\0').filter(Boolean).every((entry) => /^GO[A-Z]+=/.test(entry))).toBe(true);
      expect(procEnvironParser.parse(kept)).toEqual(procEnvironParser.parse(fixture(name)));
    }
    expect(text(goRuntimeEnviron(fixture('memlimit_gogc25_asyncpreemptoff.environ')))).toBe('GOMEMLIMIT=64MiB\0GOGC=25\0GODEBUG=gctrace=1,asyncpreemptoff=1\0GOMAXPROCS=2\0');
  });

  it('GOGC=off and GOMEMLIMIT=off: no GC percent, no limit', () => {
    const { facts, warnings } = procEnvironParser.parse(fixture('gogc_off.environ'));
    expect(warnings).toEqual([]);
    expect(facts).toMatchObject({ gogc_set: true, gogc_off: true, gomemlimit_set: false, async_preempt_off: false, godebug: {} });
    expect(facts).not.toHaveProperty('gogc');
    expect(facts).not.toHaveProperty('gomemlimit_bytes');
  });

  it('no Go variable: the runtime defaults (GOGC 100, no limit)', () => {
    const { facts, error } = procEnvironParser.parse(fixture('no_go_variables.environ'));
    expect(error).toBeUndefined();
    expect(facts).toMatchObject({ gogc_set: false, gogc: 100, gogc_off: false, gomemlimit_set: false, go_variables: {} });
    expect(facts).not.toHaveProperty('gomaxprocs');
  });

  it('reads the B suffix and a pasted copy with newlines', () => {
    expect(procEnvironParser.parse(fixture('memlimit_bytes_suffix.environ')).facts).toMatchObject({ gomemlimit_bytes: 1_500_000_000, gogc: 200 });
    const pasted = text(fixture('memlimit_gogc25_asyncpreemptoff.environ')).replaceAll('\0', '\n');
    expect(procEnvironParser.parse(pasted).facts).toMatchObject({ gomemlimit_bytes: 64 << 20, gogc: 25, async_preempt_off: true });
  });

  it("reads byte counts as Go's parseByteCount does", () => {
    expect(parseGoByteCount('64MiB')).toBe(64 * 2 ** 20);
    expect(parseGoByteCount('1GiB')).toBe(2 ** 30);
    expect(parseGoByteCount('2TiB')).toBe(2 * 2 ** 40);
    expect(parseGoByteCount('512KiB')).toBe(512 * 1024);
    expect(parseGoByteCount('100B')).toBe(100);
    expect(parseGoByteCount('0')).toBe(0);
    expect(parseGoByteCount('9223372036854775807')).toBe(9223372036854775807);
    // Refused by the runtime: SI units, lower case, signs, spaces, overflow, a bare unit.
    for (const bad of ['64MB', '64mib', '64M', '-1', '+5', ' 64MiB', '64 MiB', '1.5GiB', '9223372036854775808', '8388608TiB', 'MiB', 'iB', 'B', '']) {
      expect(parseGoByteCount(bad), bad).toBeUndefined();
    }
  });

  it('warns about values the runtime refuses or ignores, quoting only Go variables', () => {
    const environ = 'TOKEN=s3cr3t-value\0GOMEMLIMIT=64MB\0GOGC=lots\0GOMAXPROCS=0\0GODEBUG=asyncpreemptoff=0,junk\0';
    const { facts, warnings } = procEnvironParser.parse(environ);
    expect(facts).toMatchObject({ gomemlimit_set: false, gogc: 100, async_preempt_off: false, godebug: { asyncpreemptoff: '0' } });
    expect(facts).not.toHaveProperty('gomaxprocs');
    expect(warnings.map((w) => w.message).join('\n')).toMatch(/GOMEMLIMIT=64MB is not a byte count[\s\S]*GOGC=lots is not a number; the runtime uses 100[\s\S]*GOMAXPROCS=0/);
    expect(JSON.stringify({ facts, warnings })).not.toContain('s3cr3t-value');
  });

  it('reads the first of a variable set twice, as runtime.gogetenv does, and GODEBUG keys last-wins', () => {
    const { facts, warnings } = procEnvironParser.parse('GOGC=50\0GOGC=400\0GODEBUG=asyncpreemptoff=1,asyncpreemptoff=0\0');
    expect(facts).toMatchObject({ gogc: 50, async_preempt_off: false });
    expect(warnings.map((w) => w.message)).toEqual(['GOGC is set more than once; the runtime reads the first']);
  });

  it('an empty environment is the defaults; foreign input is refused with a reason', () => {
    for (const empty of ['', '\0\0']) {
      expect(procEnvironParser.parse(empty)).toEqual({ facts: { go_variables: {}, gomemlimit_set: false, gogc_set: false, gogc_off: false, gogc: 100, godebug: {}, async_preempt_off: false }, warnings: [] });
    }
    expect(procEnvironParser.parse('gc 1 @0.012s 2%: 0.011+1.2+0.003 ms clock').error?.code).toBe('unrecognised-format');
  });

  it('is total: any bytes give a result, never a throw, and no non-Go value leaks', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        const result = procEnvironParser.parse(bytes);
        expect(result.facts).toBeTypeOf('object');
        goRuntimeEnviron(bytes);
      }),
    );
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom('GOGC', 'GOMEMLIMIT', 'GODEBUG', 'GOMAXPROCS', 'SECRET'), fc.string()), { maxLength: 8 }), (pairs) => {
        const environ = pairs.map(([name, value]) => `${name}=${name === 'SECRET' ? 'zz-planted-zz' : value.replaceAll('\0', '')}\0`).join('');
        const result = procEnvironParser.parse(environ);
        expect(JSON.stringify(result)).not.toContain('zz-planted-zz');
        expect(text(goRuntimeEnviron(environ))).not.toContain('zz-planted-zz');
      }),
    );
  });
});
