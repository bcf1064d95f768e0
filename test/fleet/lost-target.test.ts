import { describe, expect, it } from 'vitest';
import type { StepState } from '../../src/engine/events.js';
import type { StepFinishedRecord } from '../../src/journal/records.js';
import { lostTarget } from '../../src/fleet/lost-target.js';
import { parseTarget, type RemoteTarget } from '../../src/targets/target.js';

const ssh = parseTarget('ssh://root@10.0.0.2') as RemoteTarget;
const pod = parseTarget('kubectl://prod/api-1') as RemoteTarget;

function step(id: string, finish?: Partial<StepFinishedRecord>): StepState {
  if (finish === undefined) return { id, status: 'pending', attempts: 0 };
  const last = { v: 1, seq: 1, t: '', type: 'step.finished', step: id, kind: 'run', attempt: 1, status: 'passed', duration_ms: 1, ...finish } as StepFinishedRecord;
  return { id, status: last.status, attempts: 1, last };
}

describe('lostTarget', () => {
  it('names the step where ssh itself failed, from a run step exit code or a read/snapshot reason', () => {
    expect(lostTarget(ssh, [step('status', {}), step('heap', { status: 'failed', exit_code: 255, reason: 'ssh: connect to host 10.0.0.2 port 22: No route to host' })])).toBe(
      'lost the target at step heap (ssh: connect to host 10.0.0.2 port 22: No route to host)',
    );
    expect(lostTarget(ssh, [step('after', { kind: 'snapshot', status: 'failed', reason: 'reading files on ssh://root@10.0.0.2: exit 255: Connection closed by 10.0.0.2 port 22' })])).toMatch(
      /^lost the target at step after \(reading files .*exit 255/,
    );
    expect(lostTarget(ssh, [step('probe', { status: 'failed', exit_code: 255 })])).toBe('lost the target at step probe (ssh exit 255)');
    // A snapshot passes with what it could not read under `missing`.
    const after = step('after', { kind: 'snapshot', status: 'passed', facts: { missing: { proc_smaps: 'reading files on ssh://root@10.0.0.2: exit 255: ssh: connect to host 10.0.0.2 port 22: No route to host' } } });
    expect(lostTarget(ssh, [step('before', { kind: 'snapshot', facts: { missing: {} } }), after])).toBe(
      'lost the target at step after (proc_smaps: reading files on ssh://root@10.0.0.2: exit 255: ssh: connect to host 10.0.0.2 port 22: No route to host)',
    );
  });

  it('does not call a command that failed on a reachable host a lost target', () => {
    expect(lostTarget(ssh, [step('grep', { status: 'failed', exit_code: 1, reason: 'exit 1' }), step('later')])).toBeUndefined();
    expect(lostTarget(ssh, [step('slow', { status: 'timeout', reason: 'no answer within 2550 ms' })])).toBeUndefined();
    expect(lostTarget(ssh, [step('read', { status: 'failed', reason: 'reading /proc/1/smaps: exit 2552: odd' })])).toBeUndefined();
    expect(lostTarget(ssh, [step('ok', { exit_code: 255, status: 'passed' })])).toBeUndefined();
    expect(lostTarget(ssh, [step('after', { kind: 'snapshot', facts: { missing: { pprof_heap: 'GET http://127.0.0.1:6060/debug/pprof/heap: exit 22: 404' } } })])).toBeUndefined();
  });

  it('judges only ssh: kubectl has no exit status of its own for a lost pod', () => {
    expect(lostTarget(pod, [step('heap', { status: 'failed', exit_code: 255 })])).toBeUndefined();
  });
});
