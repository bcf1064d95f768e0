// The TUI fleet view over a FleetProgress fed the records a real fleet run writes: 40
// targets in 80×24 scroll, the rows follow the children live, the summary counts findings.
import '../tui/no-ci.js';
import { render } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import { FleetProgress } from '../../src/fleet/fleet-progress.js';
import type { FleetRecord, NewFleetRecord } from '../../src/fleet/fleet-records.js';
import { FleetApp } from '../../src/tui/FleetApp.js';
import { summaryLine } from '../../src/tui/FleetView.js';
import { PromptBroker } from '../../src/tui/prompt-broker.js';

const KEYS = { down: '\u001B[B', up: '\u001B[A', pageDown: '\u001B[6~' };
let seq = 0;
const stamp = (record: NewFleetRecord): FleetRecord => ({ v: 1, seq: ++seq, t: '2026-12-07T10:00:00Z', ...record }) as FleetRecord;
const targets = Array.from({ length: 40 }, (_, i) => `kubectl:///payments/api-${String(i).padStart(2, '0')}/app`);

function startedFleet(): FleetProgress {
  const progress = new FleetProgress();
  progress.onRecord(stamp({ type: 'fleet.started', fleet_id: 'F1', runbook: { id: 'go-memory', title: 'Go memory', file: 'f', sha256: 's' }, spec: [], targets, concurrency: 8, target_timeout_ms: 600_000 }));
  return progress;
}

async function frameMatching(ink: ReturnType<typeof render>, expected: RegExp): Promise<string> {
  for (let i = 0; i < 200; i++) {
    const frame = ink.lastFrame() ?? '';
    if (expected.test(frame)) return frame;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`no frame matched ${expected}; last:\n${ink.lastFrame()}`);
}

/** ink-testing-library's stdout is 100 columns with no rows: make it the 80×24 terminal. */
function at80x24(ink: ReturnType<typeof render>): void {
  Object.defineProperty(ink.stdout, 'columns', { value: 80, configurable: true });
  Object.defineProperty(ink.stdout, 'rows', { value: 24, configurable: true });
  ink.stdout.emit('resize');
}

/** The fleet TUI with no child to open (fleet-app.test.tsx opens real ones). */
function fleetApp(progress: FleetProgress, onQuit: () => void = () => undefined): React.JSX.Element {
  return <FleetApp progress={progress} title="Go memory" broker={new PromptBroker()} onQuit={onQuit} openChild={async () => 'no session'} />;
}

let ink: ReturnType<typeof render> | undefined;
afterEach(() => ink?.unmount());

describe('the fleet view', () => {
  it('shows 40 targets in 80×24 a screenful at a time and scrolls to the last', async () => {
    const progress = startedFleet();
    ink = render(fleetApp(progress));
    at80x24(ink);
    const first = await frameMatching(ink, /1–20/);
    const lines = first.split('\n');
    // One row under the terminal's height: Ink redraws in place instead of clearing the screen.
    expect(lines).toHaveLength(23);
    expect(lines.every((line) => line.length <= 80)).toBe(true);
    expect(first).toContain('api-00');
    expect(first).not.toContain('api-39');
    ink.stdin.write(KEYS.pageDown);
    ink.stdin.write(KEYS.pageDown);
    const last = await frameMatching(ink, /21–40/);
    expect(last).toContain('api-39');
    expect(last).not.toContain('api-00/');
  });

  it('follows each child live: step, finding, failure, and the summary counts', async () => {
    const progress = startedFleet();
    ink = render(fleetApp(progress));
    at80x24(ink);
    await frameMatching(ink, /40 waiting/);
    const listen = progress.childListener(targets[0]!);
    progress.onRecord(stamp({ type: 'child.started', target: targets[0]!, session_id: 's0' }));
    listen({ type: 'current', step: 'before' }, {} as never);
    expect(await frameMatching(ink, /api-00\/app\s+\S+( \S+)?\s+▶ before/)).toMatch(/1 running · 39 waiting/);
    for (const [i, finding] of [[0, 'go-heap-growth'], [1, 'go-heap-growth'], [2, 'no-growth']] as const) {
      progress.childListener(targets[i]!);
      progress.onRecord(stamp({ type: 'child.finished', target: targets[i]!, session_id: `s${i}`, status: 'concluded', finding, severity: i < 2 ? 'high' : 'info', numbers: {} }));
    }
    progress.onRecord(stamp({ type: 'child.failed', target: targets[3]!, reason: 'pod is Pending (Unschedulable): no process to examine' }));
    const frame = await frameMatching(ink, /2 × go-heap-growth/);
    expect(frame).toContain('36 waiting · 2 × go-heap-growth · 1 × no-growth · 1 could not be diagnosed');
    expect(frame).toMatch(/api-01\/app.*\[high\] go-heap-growth/);
    expect(frame).toMatch(/api-03\/app.*pod is Pending/);
  });

  it('q asks to quit (the runner cancels the fleet, or closes a finished view)', async () => {
    let quits = 0;
    ink = render(fleetApp(startedFleet(), () => quits++));
    await frameMatching(ink, /waiting/);
    ink.stdin.write('q');
    expect(quits).toBe(1);
  });

  it('the summary counts nothing it was not told', () => {
    expect(summaryLine([])).toBe('');
  });
});
