import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { snakeCase } from '../../src/parsers/proc-fields.js';
import { procStatusParser } from '../../src/parsers/proc-status.js';
import { smapsRollupParser } from '../../src/parsers/smaps-rollup.js';
import { renderStatusFile, statusFieldsArbitrary } from './render/status-file.js';

const fixture = (path: string): string => readFileSync(new URL(`../fixtures/proc/${path}`, import.meta.url), 'utf8');

describe('proc-status', () => {
  it('reads a status file that starts with an empty line (procfs 26231)', () => {
    const { facts, warnings, error } = procStatusParser.parse(fixture('procfs/26231/status'));
    expect(error).toBeUndefined();
    expect(warnings).toEqual([]);
    expect(facts).toMatchObject({ vm_rss_kb: 6716, vm_hwm_kb: 8028, rss_anon_kb: 2092, rss_file_kb: 4624, vm_data_kb: 2580, threads: 1 });
    expect(facts).toMatchObject({ name: 'prometheus', state: 'S (sleeping)', ppid: 1, vm_swap_kb: 660, voluntary_ctxt_switches: 4742839 });
  });

  it('keeps masks and octal values as text (Umask 0022, SigIgn, Cpus_allowed)', () => {
    const { facts } = procStatusParser.parse(fixture('procfs/26231/status'));
    expect(facts).toMatchObject({ umask: '0022', sig_ign: '0000000000001000', cap_eff: '0000003fffffffff', cpus_allowed: 'ff', cpus_allowed_list: '0-7' });
  });

  it('reads spaces instead of tabs after the colon (procfs 26235)', () => {
    const { facts } = procStatusParser.parse(fixture('procfs/26235/status'));
    expect(facts).toMatchObject({ name: 'kube-proxy', vm_rss_kb: 42652, vm_hwm_kb: 61776, threads: 51, ns_tgid: '26235\t1' });
  });

  it('reads every field of a recent kernel (leaky service, kernel 6.18)', () => {
    const { facts } = procStatusParser.parse(fixture('local/leaky_after/proc_status.txt'));
    expect(facts).toMatchObject({ vm_rss_kb: 111492, rss_anon_kb: 105108, threads: 11, thp_enabled: 1, untag_mask: '0xffffffffffffffff' });
    expect(Object.keys(facts)).toHaveLength(fixture('local/leaky_after/proc_status.txt').trim().split('\n').length);
  });

  it('names fields in snake_case', () => {
    expect(['VmRSS', 'RssAnon', 'VmHWM', 'Shared_Clean', 'THPeligible', 'NStgid', 'voluntary_ctxt_switches', 'PPid', 'AnonHugePages'].map(snakeCase)).toEqual([
      'vm_rss', 'rss_anon', 'vm_hwm', 'shared_clean', 'thp_eligible', 'ns_tgid', 'voluntary_ctxt_switches', 'ppid', 'anon_huge_pages',
    ]);
  });

  it('rejects text that is not a status file', () => {
    expect(procStatusParser.parse('').error?.code).toBe('empty');
    expect(procStatusParser.parse(fixture('procfs/26232/maps')).error?.code).toBe('unrecognised-format');
  });

  it('never throws on arbitrary text or bytes', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary' }), (text) => void procStatusParser.parse(text)));
    fc.assert(fc.property(fc.uint8Array(), (bytes) => void procStatusParser.parse(bytes)));
  });

  it('parse(render(fields)) gives the fields back: tabs or spaces, with or without a leading blank line', () => {
    fc.assert(
      fc.property(statusFieldsArbitrary, fc.constantFrom('\t' as const, 'spaces' as const), fc.boolean(), (fields, separator, blank) => {
        const { facts } = procStatusParser.parse(renderStatusFile(fields, separator, blank));
        expect(facts).toEqual(Object.fromEntries(fields.map((f) => [`${snakeCase(f.key)}${f.kb ? '_kb' : ''}`, f.value])));
      }),
    );
  });
});

describe('smaps-rollup', () => {
  it('agrees with procfs (TestProcSmapsRollup, bytes = kB × 1024)', () => {
    const expected = JSON.parse(fixture('procfs/26231/smaps_rollup.expected.json')) as Record<string, number | string>;
    const { facts, error } = smapsRollupParser.parse(fixture('procfs/26231/smaps_rollup'));
    expect(error).toBeUndefined();
    const ours: Record<string, number> = {
      Rss: facts.rss_kb as number, Pss: facts.pss_kb as number, SharedClean: facts.shared_clean_kb as number,
      SharedDirty: facts.shared_dirty_kb as number, PrivateClean: facts.private_clean_kb as number,
      PrivateDirty: facts.private_dirty_kb as number, Referenced: facts.referenced_kb as number,
      Anonymous: facts.anonymous_kb as number, Swap: facts.swap_kb as number, SwapPss: facts.swap_pss_kb as number,
    };
    for (const [name, kb] of Object.entries(ours)) expect(kb * 1024, name).toBe(expected[name]);
  });

  it('reads every field a recent kernel prints (Pss_Anon, KSM, …) and skips the [rollup] header', () => {
    const { facts, warnings } = smapsRollupParser.parse(fixture('local/leaky_after/proc_smaps_rollup.txt'));
    expect(warnings).toEqual([]);
    expect(facts).toMatchObject({ rss_kb: 111492, pss_kb: 110379, anonymous_kb: 105108, swap_kb: 0, pss_anon_kb: 105108, ksm_kb: 0 });
    expect(Object.keys(facts)).toHaveLength(22);
  });

  it('rejects text that is not smaps_rollup', () => {
    expect(smapsRollupParser.parse(fixture('procfs/26231/status')).error?.code).toBe('unrecognised-format');
  });

  it('never throws on arbitrary text or bytes', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary' }), (text) => void smapsRollupParser.parse(text)));
    fc.assert(fc.property(fc.uint8Array(), (bytes) => void smapsRollupParser.parse(bytes)));
  });
});
