// The fleet's answer: groups by finding, the table by severity then size, outliers by the
// mechanics (≥3× the median of the rest, above the noise floor and the rest's spread).
import { describe, expect, it } from 'vitest';
import { fleetAnswer } from '../../src/fleet/fleet-answer.js';
import type { FleetRecord, NewFleetRecord } from '../../src/fleet/fleet-records.js';
import { findOutliers, type Instance } from '../../src/fleet/outliers.js';
import type { SessionConcludedRecord } from '../../src/journal/records.js';

function stamp(records: NewFleetRecord[]): FleetRecord[] {
  return records.map((r, i) => ({ v: 1, seq: i + 1, t: `2026-12-07T10:00:${String(i).padStart(2, '0')}Z`, ...r }) as FleetRecord);
}

const group = (values: number[], finding = 'go-heap-growth'): Instance[] => values.map((v, i) => ({ target: `ssh://h${i}`, finding, numbers: { rss_growth_mib: v, interval_s: 30 } }));

describe('outliers', () => {
  it.each([
    // [growth of each instance, the outliers expected]
    [[10, 11, 12, 40], ['ssh://h3']],
    [[100, 130, 90, 110, 95, 600], ['ssh://h5']],
    [[2.5, 3, 2, 9.4], ['ssh://h3']],
    [[40, 11, 12, 10, 13, 120], ['ssh://h5']],
  ])('%j: the instance growing ≥3× the median of the rest stands out', (values, expected) => {
    expect(findOutliers(group(values)).map((o) => o.target)).toEqual(expected);
  });

  it('names the number, value, median and ratio', () => {
    expect(findOutliers(group([10, 12, 14, 41]))).toEqual([{ target: 'ssh://h3', finding: 'go-heap-growth', number: 'rss_growth_mib', value: 41, median: 12, ratio: 3.4 }]);
  });

  it.each([
    [[10, 12, 29]], // under 3× the median (11 → 33)
    [[0.1, 0.2, 0.1, 0.6]], // 3× and more, but under one unit: noise in a group that does not grow
    [[5, 40, 9, 60, 10]], // scattered: 60 is not clear of 40 by more than the rest's spread
    [[10, 11, 12, 50, 55]], // two fast ones: neither stands out from a rest that holds the other
    [[0, 0, 0, 5]], // a ratio to nothing says nothing
    [[-3, -2, -4, 10]], // nor a ratio to shrinking
    [[10, 40]], // two instances have no "rest"
  ])('%j: no outlier', (values) => {
    expect(findOutliers(group(values))).toEqual([]);
  });

  it('instances without the number are left out of the comparison, not counted as zero', () => {
    const instances = [...group([10, 12, 45]), { target: 'ssh://bare', finding: 'go-heap-growth', numbers: {} }];
    expect(findOutliers(instances).map((o) => o.target)).toEqual(['ssh://h2']);
    expect(findOutliers([...group([10, 45]), { target: 'ssh://bare', finding: 'go-heap-growth', numbers: {} }])).toEqual([]);
  });

  it.each([
    // Conclude steps reaching one finding on different numbers: arenas are never compared with MiB.
    [[{ arenas: 64 }, { arenas: 48 }, { arenas: 56 }, { native_growth_mib: 900 }, { native_growth_mib: 1200 }], []],
    [[{ arenas: 4 }, { arenas: 5 }, { arenas: 6 }, { native_growth_mib: 400 }, { native_growth_mib: 300 }, { native_growth_mib: 350 }, { arenas: 40 }], ['ssh://h6']],
    [[{ arenas: 8 }, { native_growth_mib: 300 }, { native_growth_mib: 320 }, { native_growth_mib: 2000 }, { arenas: 9 }], ['ssh://h3']],
  ])('with mixed numbers, like is compared with like only: %j', (numbers, expected) => {
    const mixed = numbers.map((n, i) => ({ target: `ssh://h${i}`, finding: 'glibc-fragmentation', numbers: n as unknown as Record<string, number> }));
    expect(findOutliers(mixed).map((o) => o.target)).toEqual(expected);
  });
});

describe('the fleet answer', () => {
  const targets = ['ssh://a', 'ssh://b', 'ssh://c', 'ssh://d', 'ssh://e', 'kubectl:///p/pending/app', 'ssh://f'];
  const finished = (target: string, session: string, finding: string, severity: 'high' | 'info', growth: number): NewFleetRecord => ({
    type: 'child.finished',
    target,
    session_id: session,
    status: 'concluded',
    finding,
    severity,
    numbers: { rss_growth_mib: growth },
  });
  const records = stamp([
    { type: 'fleet.started', fleet_id: 'F', runbook: { id: 'go-memory', title: 'T', file: 'f', sha256: 's' }, spec: ['--targets hosts'], targets, concurrency: 8, target_timeout_ms: 600_000 },
    { type: 'child.failed', target: 'kubectl:///p/pending/app', reason: 'pod is Pending (Unschedulable): no process to examine' },
    { type: 'child.started', target: 'ssh://a', session_id: 'sa' },
    finished('ssh://a', 'sa', 'no-growth', 'info', 0.4),
    finished('ssh://b', 'sb', 'go-heap-growth', 'high', 12),
    finished('ssh://c', 'sc', 'go-heap-growth', 'high', 95),
    finished('ssh://d', 'sd', 'go-heap-growth', 'high', 14),
    { type: 'child.failed', target: 'ssh://e', reason: 'ssh: connect to host e port 22: Connection refused' },
    finished('ssh://f', 'sf', 'go-heap-growth', 'high', 11),
  ]);

  it('counts by finding, sorts the table by severity then size, names the outlier and the failures in target order', () => {
    const answer = fleetAnswer(records);
    expect(answer.groups).toEqual([
      { finding: 'go-heap-growth', severity: 'high', targets: ['ssh://c', 'ssh://d', 'ssh://b', 'ssh://f'] },
      { finding: 'no-growth', severity: 'info', targets: ['ssh://a'] },
    ]);
    expect(answer.rows.map((r) => r.target)).toEqual(['ssh://c', 'ssh://d', 'ssh://b', 'ssh://f', 'ssh://a']);
    expect(answer.outliers.map((o) => o.target)).toEqual(['ssh://c']);
    expect(answer.failed.map((f) => f.target)).toEqual(['ssh://e', 'kubectl:///p/pending/app']);
    expect(answer.pending).toEqual([]);
  });

  it('sizes rows on a number they share: arenas are never sorted against MiB', () => {
    const mixed = stamp([
      { type: 'child.finished', target: 'ssh://few-arenas', session_id: 's1', status: 'concluded', finding: 'glibc-fragmentation', severity: 'high', numbers: { arenas: 900, native_growth_mib: 5 } },
      { type: 'child.finished', target: 'ssh://big', session_id: 's2', status: 'concluded', finding: 'glibc-fragmentation', severity: 'high', numbers: { native_growth_mib: 400 } },
      { type: 'child.finished', target: 'ssh://mid', session_id: 's3', status: 'concluded', finding: 'glibc-fragmentation', severity: 'high', numbers: { native_growth_mib: 60 } },
    ]);
    expect(fleetAnswer(mixed).rows.map((r) => r.target)).toEqual(['ssh://big', 'ssh://mid', 'ssh://few-arenas']);
  });

  it('the child’s own session.concluded is the source of its finding and numbers', () => {
    const own: SessionConcludedRecord = { v: 1, seq: 9, t: 't', type: 'session.concluded', step: 's', finding: 'c-heap-growth', severity: 'high', text: 'x', numbers: { rss_growth_mib: 7 } };
    const answer = fleetAnswer(records, new Map([['sa', own]]));
    expect(answer.rows.find((r) => r.target === 'ssh://a')).toMatchObject({ finding: 'c-heap-growth', numbers: { rss_growth_mib: 7 } });
  });

  it('a member with no record yet is pending (the run stopped), not concluded', () => {
    const cut = records.slice(0, 5);
    expect(fleetAnswer(cut).pending).toEqual(['ssh://c', 'ssh://d', 'ssh://e', 'ssh://f']);
  });
});
