// The store over a real session: a step printing 20 000 lines reaches React as a few
// batched snapshots, each with a bounded tail.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createSession } from '../../src/engine/open-session.js';
import { loadRunbookSource } from './runbook-source.js';
import { PromptBroker } from '../../src/tui/prompt-broker.js';
import { SessionStore, type SessionView } from '../../src/tui/session-store.js';
import { testSetup } from './harness.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('SessionStore', () => {
  it('turns a synchronous burst of 10 000 events into one snapshot, published after the batch interval', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'runbook-store-'));
    dirs.push(dir);
    const runbook = await loadRunbookSource(dir, `id: one
title: One
summary: One step.
steps:
  - id: done
    conclude: { finding: x, severity: info, text: x }
`);
    const session = await createSession({ runbook, stateDir: dir, interactor: new PromptBroker().interactor, options: testSetup(dir).options, vars: {} });
    const store = new SessionStore(session);
    let notified = 0;
    store.subscribe(() => (notified += 1));
    const before = store.getSnapshot();
    for (let i = 0; i < 10_000; i++) session.addNote(`note ${i}`);
    expect(notified).toBe(0);
    expect(store.getSnapshot()).toBe(before);
    await new Promise<void>((resolve) => {
      const unsubscribe = store.subscribe(() => {
        unsubscribe();
        resolve();
      });
    });
    expect(notified).toBe(1);
    expect(store.getSnapshot().log.filter((e) => e.kind === 'note').length).toBe(10_000);
    session.close();
    store.dispose();
  });

  it('batches a burst of output events into few snapshots with a bounded tail', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'runbook-store-'));
    dirs.push(dir);
    const runbook = await loadRunbookSource(
      dir,
      `id: burst
title: Burst
summary: Many lines at once.
steps:
  - id: print
    run: { shell: "seq 1 20000" }
  - id: done
    conclude: { finding: printed, severity: info, text: printed }
`,
    );
    const setup = testSetup(dir);
    const session = await createSession({ runbook, stateDir: dir, interactor: new PromptBroker().interactor, options: setup.options, vars: {} });
    let outputEvents = 0;
    session.subscribe((event) => {
      if (event.type === 'step.output') outputEvents += 1;
    });
    const store = new SessionStore(session);
    const snapshots: SessionView[] = [];
    store.subscribe(() => snapshots.push(store.getSnapshot()));
    await session.runCurrent();
    store.flush();
    session.close();
    store.dispose();

    expect(outputEvents).toBeGreaterThan(0);
    expect(snapshots.length).toBeLessThanOrEqual(outputEvents + 4);
    for (const snapshot of snapshots) expect(snapshot.live?.tail.lines.length ?? 0).toBeLessThanOrEqual(50);
    const seen = snapshots.flatMap((s) => (s.live ? [s.live.tail.lines[s.live.tail.lines.length - 1]] : []));
    expect(seen.every((line) => line === undefined || /^\d+$/.test(line))).toBe(true);
    const last = snapshots[snapshots.length - 1]!;
    expect(last.live).toBeNull();
    expect(last.log.map((e) => e.kind)).toEqual(['header', 'finished']);
    expect(last.state.steps[0]?.status).toBe('passed');
    expect(store.getSnapshot()).toBe(last); // stable between flushes, as useSyncExternalStore needs
  });
});
