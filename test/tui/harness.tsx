// Renders the real App (ink-testing-library) over a REAL engine session in a temporary
// state dir; tests type keys and wait for frames, never for fixed times.
import './no-ci.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { render } from 'ink-testing-library';
import { loadRunbook } from '../../src/runbook/load.js';
import type { Runbook } from '../../src/runbook/types.js';
import type { EngineSetup } from '../../src/engine/setup.js';
import { App, type AppStart, type TuiDeps } from '../../src/tui/App.js';
import { ExitGate } from '../../src/tui/exit-gate.js';
import type { HomeSources } from '../../src/tui/home-sources.js';
import { PromptBroker } from '../../src/tui/prompt-broker.js';
import type { SessionController } from '../../src/tui/session-controller.js';
import { openSession } from '../../src/tui/session-opener.js';

export const fixtureRunbooks = fileURLToPath(new URL('../fixtures/tui/runbooks/', import.meta.url));
export const examplesDir = fileURLToPath(new URL('../../examples/', import.meta.url));

export const KEYS = {
  enter: '\r',
  up: '\u001B[A',
  down: '\u001B[B',
  escape: '\u001B',
  ctrlC: '\u0003',
  ctrlD: '\u0004',
} as const;

export function fixtureRunbook(id: string): Promise<Runbook> {
  return loadRunbook(join(fixtureRunbooks, `${id}.yaml`));
}

export function testSetup(stateDir: string): EngineSetup {
  return {
    settings: {} as EngineSetup['settings'],
    stateDir,
    options: { yes: false, mode: 'interactive', defaultTimeoutMs: 60_000, confirm: 'mutating', graceMs: 500 },
  };
}

export interface Harness {
  ink: ReturnType<typeof render>;
  stateDir: string;
  deps: TuiDeps;
  /** Resolves when the App has quit (its one exit path ran). */
  exited: Promise<void>;
  controller(): SessionController | null;
  press(...keys: string[]): void;
  frame(): string;
  waitForFrame(expected: string | RegExp, timeoutMs?: number): Promise<string>;
  dispose(): Promise<void>;
}

export async function startApp(start: AppStart, home?: HomeSources): Promise<Harness> {
  const stateDir = mkdtempSync(join(tmpdir(), 'runbook-tui-'));
  const broker = new PromptBroker();
  let current: SessionController | null = null;
  let markExited!: () => void;
  const exited = new Promise<void>((resolve) => (markExited = resolve));
  const deps: TuiDeps = {
    broker,
    exitGate: new ExitGate(),
    home: home ?? { where: 'this host', processes: async () => ({ processes: [], failures: [], warnings: [] }), examples: async () => [], runbooks: async () => [], sessions: async () => [] },
    open: async (request) => {
      current = await openSession(request, testSetup(stateDir), broker);
      return current;
    },
    onExit: () => markExited(),
  };
  let markReady!: () => void;
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  const ink = render(<App start={start} deps={deps} onReady={markReady} />);
  await ready;
  const frame = (): string => ink.lastFrame() ?? '';
  return {
    ink,
    stateDir,
    deps,
    exited,
    controller: () => current,
    press: (...keys) => {
      for (const key of keys) ink.stdin.write(key);
    },
    frame,
    waitForFrame: async (expected, timeoutMs = 15_000) => {
      const deadline = Date.now() + timeoutMs;
      const matches = (text: string): boolean => (typeof expected === 'string' ? text.includes(expected) : expected.test(text));
      while (!matches(frame())) {
        if (Date.now() > deadline) throw new Error(`no frame with ${String(expected)} within ${timeoutMs} ms; last frame:\n${frame()}`);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      return frame();
    },
    dispose: async () => {
      await (current as SessionController | null)?.close();
      ink.unmount();
      rmSync(stateDir, { recursive: true, force: true });
    },
  };
}
