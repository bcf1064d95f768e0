import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { smapsRollupDiffer } from '../../src/diffs/smaps-rollup.js';
import { statusDiffer } from '../../src/diffs/status.js';
import { renderStatusFile, statusFieldsArbitrary } from '../parsers/render/status-file.js';
import { snakeCase } from '../../src/parsers/proc-fields.js';

const fixture = (path: string): string => readFileSync(new URL(`../fixtures/proc/${path}`, import.meta.url), 'utf8');

describe('status diff', () => {
  it('gives deltas for the leaky service: RSS and anonymous RSS up ~100 MB, 6 more threads', () => {
    const { facts, warnings, error } = statusDiffer.diff(fixture('local/leaky_before/proc_status.txt'), fixture('local/leaky_after/proc_status.txt'));
    expect(error).toBeUndefined();
    expect(warnings).toEqual([]);
    expect(facts).toMatchObject({ vm_rss_kb_delta: 102940, rss_anon_kb_delta: 102816, rss_file_kb_delta: 124, vm_data_kb_delta: 154056, threads_delta: 6 });
    expect(facts.before).toMatchObject({ vm_rss_kb: 8552, threads: 5 });
    expect(facts.after).toMatchObject({ vm_rss_kb: 111492, threads: 11 });
  });

  it('warns about fields on one side only and gives no delta for text fields', () => {
    const { facts, warnings } = statusDiffer.diff('Pid:\t1\nVmRSS:\t10 kB\nName:\ta\n', 'Pid:\t1\nThreads:\t3\nName:\tb\n');
    expect(facts).not.toHaveProperty('vm_rss_kb_delta');
    expect(facts).not.toHaveProperty('name_delta');
    expect(warnings).toEqual([{ message: expect.stringMatching(/vm_rss_kb, threads/) }]);
  });

  it('an unreadable side is an error naming that side', () => {
    expect(statusDiffer.diff('', fixture('procfs/26231/status')).error).toMatchObject({ code: 'empty', message: expect.stringMatching(/^before:/) });
  });

  it('delta = after − before for rendered files; never throws', () => {
    fc.assert(
      // Sizes are unsigned in the kernel's output; keep after-values non-negative and exact.
      fc.property(statusFieldsArbitrary, fc.integer({ min: 0, max: 1000 }), (fields, shift) => {
        const withPid = [{ key: 'Pid', value: 1, kb: false }, ...fields.filter((f) => f.key !== 'Pid').map((f) => ({ ...f, value: f.value % 2 ** 40 }))];
        const later = withPid.map((f) => ({ ...f, value: f.value + shift }));
        const { facts } = statusDiffer.diff(renderStatusFile(withPid, '\t', false), renderStatusFile(later, 'spaces', true));
        for (const f of withPid) expect(facts[`${snakeCase(f.key)}${f.kb ? '_kb' : ''}_delta`]).toBe(shift);
      }),
    );
    fc.assert(fc.property(fc.string({ unit: 'binary' }), fc.uint8Array(), (a, b) => void statusDiffer.diff(a, b)));
  });
});

describe('smaps-rollup diff', () => {
  it('gives Rss / Anonymous deltas for the leaky service', () => {
    const { facts, error } = smapsRollupDiffer.diff(fixture('local/leaky_before/proc_smaps_rollup.txt'), fixture('local/leaky_after/proc_smaps_rollup.txt'));
    expect(error).toBeUndefined();
    expect(facts.rss_kb_delta).toBe(111492 - (facts.before as { rss_kb: number }).rss_kb);
    expect(facts.anonymous_kb_delta).toBeGreaterThan(100_000);
  });

  it('never throws', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary' }), fc.uint8Array(), (a, b) => void smapsRollupDiffer.diff(a, b)));
  });
});
