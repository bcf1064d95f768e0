import { describe, expect, it } from 'vitest';
import type { StepState } from '../../src/engine/events.js';
import type { StepFinishedRecord } from '../../src/journal/records.js';
import { lostCandidate, lostTarget } from '../../src/fleet/lost-target.js';
import { parseTarget, type RemoteTarget } from '../../src/targets/target.js';

const ssh = parseTarget('ssh://root@10.0.0.2') as RemoteTarget;
const pod = parseTarget('kubectl://prod/api-1') as RemoteTarget;

function step(id: string, finish?: Partial<StepFinishedRecord>): StepState {
  if (finish === undefined) return { id, status: 'pending', attempts: 0 };
  const last = { v: 1, seq: 1, t: '', type: 'step.finished', step: id, kind: 'run', attempt: 1, status: 'passed', duration_ms: 1, ...finish } as StepFinishedRecord;
  return { id, status: last.status, attempts: 1, last };
}

describe('lostCandidate', () => {
  it('is certain for the tool\'s own reads and snapshots, whose remote commands never exit 255', () => {
    expect(lostCandidate(ssh, [step('status', { kind: 'read' }), step('maps', { kind: 'read', status: 'failed', reason: 'dd if=/proc/3/maps … on ssh://root@10.0.0.2: exit 255: ssh: connect to host 10.0.0.2 port 22: No route to host' })])).toEqual({
      step: 'maps',
      reason: 'dd if=/proc/3/maps … on ssh://root@10.0.0.2: exit 255: ssh: connect to host 10.0.0.2 port 22: No route to host',
      certain: true,
    });
    // A snapshot passes with what it could not read under `missing`.
    const after = step('after', { kind: 'snapshot', facts: { missing: { proc_smaps: 'reading files on ssh://root@10.0.0.2: exit 255: Connection closed by 10.0.0.2 port 22' } } });
    expect(lostCandidate(ssh, [step('before', { kind: 'snapshot', facts: { missing: {} } }), after])).toEqual({
      step: 'after',
      reason: 'proc_smaps: reading files on ssh://root@10.0.0.2: exit 255: Connection closed by 10.0.0.2 port 22',
      certain: true,
    });
  });

  it('is uncertain for a run step that exited 255: the command may have exited so itself', () => {
    expect(lostCandidate(ssh, [step('probe', { status: 'failed', exit_code: 255 })])).toEqual({ step: 'probe', reason: 'exit 255', certain: false });
  });

  it('is nothing for failures that are not ssh\'s', () => {
    expect(lostCandidate(ssh, [step('grep', { status: 'failed', exit_code: 1, reason: 'exit 1' }), step('later')])).toBeUndefined();
    expect(lostCandidate(ssh, [step('slow', { kind: 'read', status: 'timeout', reason: 'no answer within 2550 ms' })])).toBeUndefined();
    expect(lostCandidate(ssh, [step('read', { kind: 'read', status: 'failed', reason: 'reading /proc/1/smaps: exit 2552: odd' })])).toBeUndefined();
    expect(lostCandidate(ssh, [step('ok', { exit_code: 255, status: 'passed' })])).toBeUndefined();
    expect(lostCandidate(ssh, [step('after', { kind: 'snapshot', facts: { missing: { pprof_heap: 'GET http://127.0.0.1:6060/debug/pprof/heap: exit 22: 404' } } })])).toBeUndefined();
  });

  it('judges only ssh: kubectl has no exit status of its own for a lost pod', () => {
    expect(lostCandidate(pod, [step('heap', { kind: 'read', status: 'failed', reason: 'exit 255' })])).toBeUndefined();
  });
});

describe('lostTarget', () => {
  it('probes the target for an uncertain candidate: ssh cannot reach it now, so it was lost', async () => {
    const closed = parseTarget('ssh://root@127.0.0.1:1') as RemoteTarget;
    expect(await lostTarget(closed, [step('probe', { status: 'failed', exit_code: 255 })])).toMatch(
      /^lost the target at step probe \(exit 255\); it does not answer now: true on ssh:\/\/root@127\.0\.0\.1:1: exit 255: .*Connection refused/,
    );
  }, 30_000);
});
