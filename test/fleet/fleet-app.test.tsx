// The fleet TUI over REAL child sessions (two local sessions standing in for two targets:
// the fleet's ssh/kubectl plumbing is tested in ssh-fleet.test.ts): a manual step is asked
// once on screen and its answer reaches each child; a mutating step is confirmed once,
// naming how many targets it touches; Enter opens a child's session screen while the
// fleet runs on, and Esc comes back to rows that kept updating.
import '../tui/no-ci.js';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { render } from 'ink-testing-library';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSession } from '../../src/engine/open-session.js';
import type { SessionOutcome } from '../../src/engine/session.js';
import { fleetInteractor } from '../../src/fleet/fleet-interactor.js';
import { FleetProgress } from '../../src/fleet/fleet-progress.js';
import type { FleetRecord, NewFleetRecord } from '../../src/fleet/fleet-records.js';
import type { FleetChild } from '../../src/fleet/run-fleet.js';
import { readJournal } from '../../src/journal/reader.js';
import type { Runbook } from '../../src/runbook/types.js';
import { FleetApp } from '../../src/tui/FleetApp.js';
import { openFleetChild } from '../../src/tui/fleet-child.js';
import { PromptBroker } from '../../src/tui/prompt-broker.js';
import { KEYS, testSetup } from '../tui/harness.js';
import { loadRunbookSource } from '../tui/runbook-source.js';

const RUNBOOK = `
id: fleet-tui-check
title: Fleet TUI check
summary: A question, a step that changes things, a step held until the test releases it.
inputs:
  gate: { type: path, prompt: File that releases the hold }
steps:
  - id: deployed
    title: Was there a deploy?
    ask:
      question: Was there a deploy today?
      choices:
        - { value: "yes", label: Deployed today }
        - { value: "no", label: No deploy }
  - id: mark
    title: Mark the host
    run:
      argv: [touch, "{{ gate }}.marked"]
      mutates: true
  - id: hold
    title: Hold until released
    run:
      argv: [sh, -c, 'while [ ! -e "$1" ]; do sleep 0.05; done', sh, "{{ gate }}"]
  - id: done
    conclude: { finding: released, severity: info, text: "Released." }
`;

/** A hold first, so a target's screen is open when the fleet's confirmation comes. */
const HOLD_THEN_CONFIRM = `
id: fleet-tui-hold-confirm
title: Fleet TUI hold then confirm
summary: A step held until the test releases it, then a step that changes things.
inputs:
  gate: { type: path, prompt: File that releases the hold }
steps:
  - id: hold
    title: Hold until released
    run:
      argv: [sh, -c, 'while [ ! -e "$1" ]; do sleep 0.05; done', sh, "{{ gate }}"]
  - id: mark
    title: Mark the host
    run:
      argv: [touch, "{{ gate }}.marked"]
      mutates: true
  - id: done
    conclude: { finding: released, severity: info, text: "Released." }
`;

let seq = 0;
const stamp = (record: NewFleetRecord): FleetRecord => ({ v: 1, seq: ++seq, t: '2026-12-07T10:00:00Z', ...record }) as FleetRecord;

let dir: string;
let ink: ReturnType<typeof render> | undefined;
const running: FleetChild[] = [];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'runbook-fleet-tui-'));
});
afterEach(async () => {
  ink?.unmount();
  for (const { session, done } of running.splice(0)) {
    session.cancelCurrent();
    await done.catch(() => undefined);
    session.close();
  }
  rmSync(dir, { recursive: true, force: true });
});

/** Two children of one fleet, run to their end as FleetRun runs them, reporting to the view. */
async function startFleet(runbook: Runbook, broker: PromptBroker, progress: FleetProgress): Promise<{ targets: string[]; children: Map<string, FleetChild & { done: Promise<SessionOutcome> }>; gates: string[] }> {
  const targets = ['ssh://web-1', 'ssh://web-2'];
  const gates = targets.map((_, i) => join(dir, `gate-${i}`));
  progress.onRecord(stamp({ type: 'fleet.started', fleet_id: 'F1', runbook: { id: runbook.id, title: runbook.title, file: runbook.file, sha256: runbook.sha256 }, spec: [], targets, concurrency: 2, target_timeout_ms: 600_000 }));
  const interactor = fleetInteractor(broker.interactor, targets.length);
  const setup = testSetup(join(dir, 'state'));
  const children = new Map<string, FleetChild & { done: Promise<SessionOutcome> }>();
  for (const [i, target] of targets.entries()) {
    const session = await createSession({ runbook, stateDir: setup.stateDir, interactor, options: setup.options, vars: { gate: gates[i]! }, listener: progress.childListener(target) });
    progress.onRecord(stamp({ type: 'child.started', target, session_id: session.id }));
    const done = session.runToEnd();
    running.push({ session, done });
    children.set(target, { session, done });
    void done.then((outcome) => {
      const c = outcome.conclusion!;
      progress.onRecord(stamp({ type: 'child.finished', target, session_id: session.id, status: 'concluded', finding: c.finding, severity: c.severity, numbers: {} }));
    });
  }
  return { targets, children, gates };
}

async function frameMatching(expected: RegExp, timeoutMs = 15_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const frame = ink!.lastFrame() ?? '';
    if (expected.test(frame)) return frame;
    if (Date.now() > deadline) throw new Error(`no frame matched ${expected}; last:\n${frame}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

async function renderFleet(progress: FleetProgress, broker: PromptBroker, children: Map<string, FleetChild>): Promise<void> {
  let markReady!: () => void;
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  ink = render(
    <FleetApp
      progress={progress}
      title="Fleet TUI check"
      broker={broker}
      onQuit={() => undefined}
      openChild={async (row) => {
        const child = children.get(row.target);
        return child !== undefined ? openFleetChild(child, broker) : `${row.target} has not started yet`;
      }}
      onReady={markReady}
    />,
  );
  await ready;
}

/** The two children running, the fleet TUI drawing them. */
async function fleetOnScreen(source = RUNBOOK): Promise<Awaited<ReturnType<typeof startFleet>>> {
  const runbook = await loadRunbookSource(dir, source);
  const broker = new PromptBroker();
  const progress = new FleetProgress();
  const fleet = await startFleet(runbook, broker, progress);
  await renderFleet(progress, broker, fleet.children);
  return fleet;
}

/** Answers the fleet's one question (no deploy) and confirms the step for both targets. */
async function answerDeployQuestion(): Promise<void> {
  await frameMatching(/Was there a deploy today\?/);
  ink!.stdin.write(KEYS.enter);
  await frameMatching(/It runs on 2 targets/);
  ink!.stdin.write('y');
}

const occurrences = (text: string, part: string): number => text.split(part).length - 1;

describe('the fleet TUI', () => {
  it('asks a manual step once for the fleet, confirms a mutating step once naming the target count, and every child gets the answer', async () => {
    const { children, gates } = await fleetOnScreen();
    const asked = await frameMatching(/Was there a deploy today\?/);
    expect(occurrences(asked, 'Was there a deploy today?')).toBe(1);
    expect(asked).toContain('one answer for all 2 targets');
    ink!.stdin.write('2'); // "No deploy"
    const confirm = await frameMatching(/It runs on 2 targets of this fleet/);
    expect(occurrences(confirm, 'It runs on 2 targets')).toBe(1);
    ink!.stdin.write('y');
    // Both children went on past the one confirmation: each marked its own host.
    await frameMatching(/2 running/);
    await frameMatching(/web-1\s+\S+( \S+)?\s+▶ hold[\s\S]*web-2\s+\S+( \S+)?\s+▶ hold/);
    expect(gates.map((gate) => existsSync(`${gate}.marked`))).toEqual([true, true]);
    for (const gate of gates) writeFileSync(gate, '');
    await frameMatching(/2 × released/);
    for (const { session } of children.values()) {
      const { records } = await readJournal(session.paths.journal);
      const deployed = records.find((r) => r.type === 'step.finished' && r.step === 'deployed');
      expect(deployed).toMatchObject({ meta: { answer: 'no' } });
    }
  });

  it('Enter opens a child\'s session screen while the fleet runs on; Esc comes back to rows that kept updating', async () => {
    const { children, gates } = await fleetOnScreen();
    await answerDeployQuestion();
    await frameMatching(/web-2\s+\S+( \S+)?\s+▶ hold/);
    // The first row is selected: Enter opens web-1's own session screen, its step running.
    ink!.stdin.write(KEYS.enter);
    const child = await frameMatching(/Hold until released/);
    expect(child).not.toMatch(/2 running/);
    // Keys that would run a step say the fleet runs it: no second run races the first.
    ink!.stdin.write(KEYS.enter);
    await frameMatching(/a step is running/);
    // web-2 concludes while web-1's screen is open.
    writeFileSync(gates[1]!, '');
    await children.get('ssh://web-2')!.done;
    ink!.stdin.write(KEYS.escape);
    const back = await frameMatching(/1 running · 1 × released/);
    expect(back).toMatch(/web-2.*\[info\] released/);
    expect(back).toMatch(/web-1\s+\S+( \S+)?\s+▶ hold/);
    // web-2 opens in its finished state; q comes back too.
    ink!.stdin.write(KEYS.down);
    ink!.stdin.write(KEYS.enter);
    await frameMatching(/Concluded: released/);
    ink!.stdin.write('q');
    await frameMatching(/1 running · 1 × released/);
    writeFileSync(gates[0]!, '');
    await frameMatching(/2 × released/);
  });

  it('Enter on a target that has not started says so and stays on the fleet view', async () => {
    const broker = new PromptBroker();
    const progress = new FleetProgress();
    progress.onRecord(stamp({ type: 'fleet.started', fleet_id: 'F2', runbook: { id: 'r', title: 'R', file: 'f', sha256: 's' }, spec: [], targets: ['ssh://web-9'], concurrency: 1, target_timeout_ms: 1000 }));
    await renderFleet(progress, broker, new Map());
    ink!.stdin.write(KEYS.enter);
    const frame = await frameMatching(/has not started yet/);
    expect(frame).toMatch(/web-9\s+waiting/);
  });

  it('a finished target (its session closed by the fleet) still takes a note and an export from its screen', async () => {
    const { children, gates } = await fleetOnScreen();
    await answerDeployQuestion();
    for (const gate of gates) writeFileSync(gate, '');
    await frameMatching(/2 × released/);
    // As run-fleet.ts does once a target finished: its journal writer is closed.
    const web1 = children.get('ssh://web-1')!;
    await web1.done;
    web1.session.close();
    ink!.stdin.write(KEYS.enter);
    await frameMatching(/Concluded: released/);
    ink!.stdin.write('n');
    await frameMatching(/Note for the incident notes/);
    ink!.stdin.write('checked the pool on web-1');
    await frameMatching(/checked the pool on web-1/);
    ink!.stdin.write(KEYS.ctrlD);
    await frameMatching(/Concluded: released/);
    ink!.stdin.write('x');
    const exported = await frameMatching(/notes written to|export failed/);
    expect(exported).toContain('notes written to');
    expect(exported).not.toMatch(/error:|not saved/);
    const { records } = await readJournal(web1.session.paths.journal);
    expect(records.filter((r) => r.type === 'note.added').map((r) => (r as { text: string }).text)).toEqual(['checked the pool on web-1']);
    expect(records.filter((r) => r.type === 'session.exported')).toHaveLength(1);
    // Each record follows the last one the session wrote: no seq reused across the reopen.
    expect(records.map((r) => r.seq)).toEqual(records.map((_, i) => i + 1));
  });

  it('a fleet question that comes while a target\'s screen is open is answered in the fleet view: Esc goes back, it does not answer', async () => {
    const { children, gates } = await fleetOnScreen(HOLD_THEN_CONFIRM);
    await frameMatching(/web-2\s+\S+( \S+)?\s+▶ hold/);
    ink!.stdin.write(KEYS.enter);
    await frameMatching(/Hold until released/);
    for (const gate of gates) writeFileSync(gate, '');
    const onScreen = await frameMatching(/The fleet asks at step mark/);
    expect(onScreen).not.toMatch(/press y to go ahead/);
    ink!.stdin.write(KEYS.escape);
    // Still unanswered: the fleet view asks it, naming the fleet's targets, not web-1 alone.
    const confirm = await frameMatching(/It runs on 2 targets of this fleet/);
    expect(confirm).toMatch(/target: 2 targets of this fleet/);
    expect(confirm).not.toMatch(/target: (ssh:\/\/)?web-1/);
    expect(gates.map((gate) => existsSync(`${gate}.marked`))).toEqual([false, false]);
    ink!.stdin.write('y');
    await frameMatching(/2 × released/);
    expect(gates.map((gate) => existsSync(`${gate}.marked`))).toEqual([true, true]);
    for (const { done } of children.values()) expect((await done).status).toBe('concluded');
  });
});
