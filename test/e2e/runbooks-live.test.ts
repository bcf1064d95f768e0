// Every shipped runbook, run non-interactively through the real binary against the real
// Go test service in each of its modes: the conclusion and the path taken must be the
// diagnosis the mode was built to show (issue 5). One mode at a time, so a spinning stw
// service or a leaking neighbour cannot lengthen another mode's GC pauses on 2 CPUs; the
// runbooks for one mode run side by side (go-gc-pauses first and alone, for the same reason),
// together with `runbook capture`; the captured bundle is then replayed with every runbook
// and must reach the same conclusion by the same path.
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { hostShortOfCpu, loneStretchedPause } from '../helpers/host-spike.js';
import { buildLeaky, gcLineCount, goServiceSkipReason, startGoService, waitUntil, type GoService, type LeakyMode } from '../helpers/go-service.js';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { NUMBER_PLACEHOLDER } from '../helpers/placeholders.js';

interface Expectation {
  runbook: 'go-memory' | 'go-gc-pauses' | 'goroutine-leak' | 'cgo-leak';
  conclusion: string;
  path: string[];
  answers?: string[];
  /** What the conclusion text must say, live and replayed (signature, code at fault, creator). */
  mentions?: string[];
  /** What it must say live only, or on replay only (a debug=1 live run has no creator; the
   *  bundle captured with --debug2 has). */
  liveMentions?: string[];
  replayMentions?: string[];
  /** Set on the outcomes of the replay of the captured bundle. */
  replay?: boolean;
  /** The healthy service on a host short of CPU: one GC phase can exceed the threshold, and
   *  the runbook must then name the host (spike-host), with figures that show the shortage,
   *  or, when the host looked quiet at the snapshot, call the lone long pause unexplained
   *  while quoting a typical pause under 1 ms (spike-unexplained). */
  orHostSpike?: boolean;
}

interface Outcome {
  conclusion: string | undefined;
  text: string | undefined;
  path: string[];
  stderr: string;
}

const snapshots = ['before', 'wait', 'after'];
const goMemory = (...rest: string[]): string[] => [...snapshots, 'evidence', ...rest];
/** go-memory first reads the service's Prometheus history: skipped here (no Prometheus given). */
const memoryHistory = ['history_setup', 'history_rss', 'history_heap', 'history_goroutines', 'history_starts', 'history'];
/** go-gc-pauses reads its Prometheus history (skipped here: none given), the runtime settings
 *  and gctrace, then classifies the GC cost. */
const gcPauses = (...rest: string[]): string[] => [
  ...['history_setup', 'history_pause_max', 'history_pause_p75', 'history_pause_mean', 'history'],
  ...['evidence', 'settings', 'from_trace', 'classify', ...rest],
];
const hostSpikePath = (finding: string): string[] => gcPauses('offer_window', 'window_read', 'cgo_calls_absent', 'cgo_note', 'stw_cause', finding);

/** cgo-leak takes a third snapshot (plateau or steady growth). */
const cgoSnapshots = [...snapshots, 'wait_more', 'later'];
const interval = '5s';
/** The test service's own source: goroutine-leak audits it for response bodies never closed. */
const leakyDir = fileURLToPath(new URL('../go/leaky', import.meta.url));

/** The inputs each runbook declares (an undeclared --var is an error). */
const declaredInputs: Record<Expectation['runbook'], string[]> = {
  'go-memory': ['pid', 'pprof', 'interval', 'gctrace'],
  'go-gc-pauses': ['pid', 'pprof', 'gctrace'],
  'goroutine-leak': ['pid', 'pprof', 'interval', 'source_dir'],
  'cgo-leak': ['pid', 'pprof', 'interval'],
};

/** Live: the target's inputs as --var; replay (`bundle`): the bundle instead, and no live inputs. */
async function runRunbook(target: GoService | { bundle: string }, stateDir: string, expectation: Expectation): Promise<Outcome> {
  let source: string[];
  const inputs = declaredInputs[expectation.runbook];
  if ('bundle' in target) source = ['--bundle', target.bundle, ...(inputs.includes('source_dir') ? ['--var', `source_dir=${leakyDir}`] : [])];
  else {
    const values: Record<string, string> = { pid: String(target.pid), pprof: target.url, interval, gctrace: target.stderrPath, source_dir: leakyDir };
    source = inputs.flatMap((name) => ['--var', `${name}=${values[name]}`]);
  }
  const args = ['run', expectation.runbook, ...source, ...(expectation.answers ?? []).flatMap((a) => ['--answer', a]), '--non-interactive', '--json'];
  const result = await runCli(args, { env: { RUNBOOK_STATE_DIR: stateDir, CI: 'true' }, timeout: 90_000 });
  const events = result.stdout
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as { type: string; step?: string; finding?: string; text?: string });
  const concluded = events.find((e) => e.type === 'session.concluded');
  return {
    conclusion: concluded?.finding,
    text: concluded?.text,
    path: events.filter((e) => e.type === 'step.finished').map((e) => e.step!),
    stderr: result.stderr,
  };
}

interface ModeCase {
  mode: LeakyMode;
  label: string;
  noPprof?: boolean;
  /** leaky -rate and more flags (e.g. -background-load). */
  rate?: number;
  args?: string[];
  /** -upstream: the requests go to a second leaky process (mode healthy). */
  upstream?: boolean;
  /** runbook capture --debug2: the bundle holds a debug=2 dump per snapshot. */
  debug2?: boolean;
  /** What must have happened in the service before the first snapshot. */
  ready?: (service: GoService) => Promise<void>;
  expectations: Expectation[];
}

/** go-memory and goroutine-leak both conclude goroutine-leak, naming the code and (with a
 *  debug=2 dump) the creator; a debug=1 profile names a signature by frames only, so a
 *  wait-reason signature is checked where the dump was read. */
function goroutineLeak(code: string[], creator: string, debug2Signature?: string): Expectation[] {
  const withDump = [...code, `creator: ${creator}`, ...(debug2Signature ? [`Signature ${debug2Signature}`] : [])];
  // A body leak or a context never cancelled has no frame of the service in its stacks: the
  // source audit names the call.
  const bodyLeak = code.includes('http-body-not-closed');
  const contextLeak = code.includes('context-never-cancelled');
  const audit = bodyLeak ? 'body_audit' : contextLeak ? 'cancel_audit' : undefined;
  const audited = bodyLeak
    ? [`source audit of ${leakyDir}: main.fetchStatus (${leakyDir}/mode_goroutines.go:`, ') gets resp from client.Get and never closes resp.Body']
    : contextLeak
      ? [`source audit of ${leakyDir}: main.handleWithTimeoutBudget (${leakyDir}/mode_goroutine_waits.go:`, ') discards the cancel function of context.WithCancel (assigned to _): that context is never cancelled']
      : [];
  return [
    { runbook: 'go-memory', conclusion: 'goroutine-leak', path: [...memoryHistory, ...goMemory('gc_pressure', 'attribute', 'goroutine_stacks', 'goroutine-leak')], mentions: code, liveMentions: ['not recorded in a debug=1 profile'], replayMentions: withDump },
    {
      runbook: 'goroutine-leak',
      conclusion: 'goroutine-leak',
      answers: ['states=yes'],
      path: goMemory('growth', 'states', 'dump', 'causes', 'creator', ...(audit ? [audit] : []), 'own_code', 'goroutine-leak'),
      mentions: [...withDump, ...audited],
    },
  ];
}

const someCycles = (which: 'all' | 'forced', n: number) => (service: GoService) => waitUntil(`${n} ${which} GC cycles`, () => gcLineCount(service, which) >= n);

const cases: ModeCase[] = [
  {
    mode: 'healthy',
    label: 'healthy',
    ready: someCycles('all', 10),
    expectations: [
      { runbook: 'go-gc-pauses', conclusion: 'gc-pauses-normal', path: gcPauses('gc-pauses-normal'), orHostSpike: true },
      { runbook: 'go-memory', conclusion: 'no-growth', path: [...memoryHistory, ...goMemory('gc_pressure', 'attribute', 'no-growth')] },
      { runbook: 'goroutine-leak', conclusion: 'no-goroutine-growth', path: goMemory('growth', 'no-goroutine-growth') },
      { runbook: 'cgo-leak', conclusion: 'no-c-heap-growth', path: [...cgoSnapshots, 'regions', 'no-c-heap-growth'] },
    ],
  },
  {
    mode: 'go-heap',
    label: 'go-heap',
    expectations: [
      { runbook: 'go-memory', conclusion: 'go-heap-growth', path: [...memoryHistory, ...goMemory('gc_pressure', 'attribute', 'go_heap', 'site', 'summary', 'go-heap-growth')] },
      { runbook: 'goroutine-leak', conclusion: 'no-goroutine-growth', path: goMemory('growth', 'no-goroutine-growth') },
      { runbook: 'cgo-leak', conclusion: 'no-c-heap-growth', path: [...cgoSnapshots, 'regions', 'no-c-heap-growth'] },
    ],
  },
  {
    mode: 'c-heap',
    label: 'c-heap',
    expectations: [
      { runbook: 'go-memory', conclusion: 'c-heap-growth', path: [...memoryHistory, ...goMemory('gc_pressure', 'attribute', 'summary', 'c-heap-growth')] },
      // Not attached (the probe question defaults to no): judged from /proc alone.
      {
        runbook: 'cgo-leak',
        conclusion: 'c-heap-leak',
        answers: ['arena_test=not-tried'],
        path: [...cgoSnapshots, 'regions', 'probe', 'judge', 'untraced', 'asan', 'summary', 'c-heap-leak-untraced'],
      },
    ],
  },
  {
    mode: 'c-heap',
    label: 'c-heap -no-pprof',
    noPprof: true,
    ready: someCycles('all', 3),
    expectations: [
      { runbook: 'go-memory', conclusion: 'c-heap-growth', path: [...memoryHistory, ...goMemory('proc_only', 'c-heap-growth-proc')] },
      {
        runbook: 'cgo-leak',
        conclusion: 'c-heap-leak',
        answers: ['arena_test=not-tried'],
        path: [...cgoSnapshots, 'regions', 'probe', 'judge', 'untraced', 'asan', 'summary', 'c-heap-leak-untraced'],
      },
    ],
  },
  {
    mode: 'goroutine-leak',
    label: 'goroutine-leak',
    expectations: [
      { runbook: 'go-memory', conclusion: 'goroutine-leak', path: [...memoryHistory, ...goMemory('gc_pressure', 'attribute', 'goroutine_stacks', 'goroutine-leak')] },
      // Live, the debug=2 dump is affordable (a few thousand goroutines): it names the creator.
      {
        runbook: 'goroutine-leak',
        conclusion: 'goroutine-leak',
        answers: ['states=yes'],
        path: goMemory('growth', 'states', 'dump', 'causes', 'creator', 'own_code', 'goroutine-leak'),
      },
    ],
  },
  // Goroutine leak shapes (issue 13), each at its own leak rate and background load, so
  // that no case hangs on one count. Live, goroutine-leak takes the debug=2 dump (creator);
  // go-memory reads debug=1 profiles (no creator) live and the --debug2 bundle on replay.
  {
    mode: 'http-body-leak',
    label: 'http-body-leak (own server, background load 0.5)',
    rate: 0.8,
    args: ['-background-load', '0.5'],
    debug2: true,
    expectations: goroutineLeak(['http-body-not-closed', 'net/http.(*persistConn).readLoop', 'net/http.(*persistConn).writeLoop', 'net/http.(*conn).serve'], 'net/http.(*Transport).dialConn net/http/transport.go:'),
  },
  {
    mode: 'http-body-leak',
    label: 'http-body-leak (upstream in another process)',
    rate: 1.5,
    upstream: true,
    debug2: true,
    expectations: goroutineLeak(['http-body-not-closed', 'net/http.(*persistConn).readLoop', 'net/http.(*persistConn).writeLoop'], 'net/http.(*Transport).dialConn net/http/transport.go:'),
  },
  {
    mode: 'select-leak',
    label: 'select-leak (background load 1)',
    rate: 2,
    args: ['-background-load', '1'],
    debug2: true,
    expectations: goroutineLeak(['main.awaitReply leaky/mode_goroutines.go:'], 'main.leakSelects.func1 leaky/mode_goroutines.go:', 'select-never-ready'),
  },
  {
    mode: 'ticker-leak',
    label: 'ticker-leak (background load 0.2)',
    rate: 2.5,
    args: ['-background-load', '0.2'],
    debug2: true,
    expectations: goroutineLeak(['main.pollForever leaky/mode_goroutines.go:'], 'main.leakTickers.func1 leaky/mode_goroutines.go:', 'chan-receive-no-sender'),
  },
  // A context.WithCancel under a parent of the service's own type, its cancel dropped: the
  // propagateCancel goroutine is all standard library; the source audit names the function.
  ...[
    { rate: 2, load: '0.3' },
    { rate: 4, load: '1' },
  ].map(({ rate, load }): ModeCase => ({
    mode: 'context-leak',
    label: `context-leak (rate ${rate}, background load ${load})`,
    rate,
    args: ['-background-load', load],
    debug2: true,
    expectations: goroutineLeak(['context-never-cancelled', 'context.propagateCancel.func1'], 'context.propagateCancel context/context.go:'),
  })),
  {
    mode: 'load-increase',
    label: 'load-increase',
    rate: 3,
    debug2: true,
    expectations: [
      { runbook: 'go-memory', conclusion: 'no-growth', path: [...memoryHistory, ...goMemory('gc_pressure', 'attribute', 'no-growth')] },
      { runbook: 'goroutine-leak', conclusion: 'goroutine-growth-spread', path: goMemory('growth', 'spread'), mentions: ['main.serve'] },
    ],
  },
  {
    mode: 'stw',
    label: 'stw',
    ready: someCycles('forced', 5),
    expectations: [
      // Both phases wait for the 100 ms non-preemptible spin (time-to-safepoint); nobody answers
      // the profiling offer, so the cause comes from gctrace alone.
      { runbook: 'go-gc-pauses', conclusion: 'gc-stw-spike', path: gcPauses('offer_window', 'window_read', 'cgo_calls_absent', 'cgo_note', 'stw_cause', 'spike-safepoint') },
      { runbook: 'go-memory', conclusion: 'no-growth', path: [...memoryHistory, ...goMemory('gc_pressure', 'attribute', 'no-growth')] },
    ],
  },
];

describe.skipIf(goServiceSkipReason !== undefined)(`shipped runbooks on the live Go service${goServiceSkipReason ? ` (skipped: ${goServiceSkipReason})` : ''}`, () => {
  let service: GoService | undefined;
  let upstream: GoService | undefined;
  beforeAll(() => {
    buildLeaky();
  }, 300_000);
  afterEach(async () => {
    await service?.stop();
    await upstream?.stop();
    service = undefined;
    upstream = undefined;
  });

  for (const modeCase of cases) {
    it(`${modeCase.label}: ${modeCase.expectations.map((e) => `${e.runbook} → ${e.conclusion}`).join(', ')}`, async () => {
      const args = [...(modeCase.args ?? [])];
      if (modeCase.upstream) {
        upstream = await startGoService('healthy', { gctrace: false });
        args.push('-upstream', `${upstream.url}/mode`);
      }
      service = await startGoService(modeCase.mode, { ...(modeCase.noPprof ? { noPprof: true } : {}), ...(modeCase.rate === undefined ? {} : { rate: modeCase.rate }), args });
      await modeCase.ready?.(service);
      const stateDir = mkdtempSync(join(tmpdir(), 'runbook-e2e-'));
      const [first, ...rest] = modeCase.expectations;
      const alone = first!.runbook === 'go-gc-pauses' ? [first!] : [];
      const together = alone.length > 0 ? rest : modeCase.expectations;
      const outcomes: Array<[Expectation, Outcome]> = [];
      for (const expectation of alone) outcomes.push([expectation, await runRunbook(service, stateDir, expectation)]);
      // A bundle captured from the same process meanwhile must lead to the same diagnosis.
      const bundle = join(stateDir, 'bundle');
      const capture = runCli(
        ['capture', '--pid', String(service.pid), ...(modeCase.noPprof ? [] : ['--pprof', service.url]), '--interval', interval, '--count', '2', '--gctrace', service.stderrPath, ...(modeCase.debug2 ? ['--debug2'] : []), '--out', bundle],
        { env: { RUNBOOK_STATE_DIR: stateDir, CI: 'true' }, timeout: 90_000 },
      );
      const parallel = await Promise.all(together.map((e) => runRunbook(service!, stateDir, e)));
      together.forEach((e, i) => outcomes.push([e, parallel[i]!]));
      const captured = await capture;
      expect(captured.exitCode, captured.stderr).toBe(0);
      const replays = await Promise.all(modeCase.expectations.map((e) => runRunbook({ bundle }, stateDir, e)));
      modeCase.expectations.forEach((e, i) => outcomes.push([{ ...e, replay: true }, replays[i]!]));
      for (const [expectation, outcome] of outcomes) {
        const label = `${expectation.runbook}${expectation.replay ? ' (replayed bundle)' : ''}`;
        // The conclusion text carries the deciding facts: printed for docs/runbooks.md.
        console.log(`[${modeCase.label}] ${label} → ${outcome.conclusion}: ${outcome.text ?? outcome.stderr.slice(-2000)}`);
        const last = outcome.path.at(-1);
        const hostSpike =
          expectation.orHostSpike === true &&
          ((last === 'spike-host' && hostShortOfCpu(outcome.text ?? '')) || (last === 'spike-unexplained' && loneStretchedPause(outcome.text ?? '')));
        expect({ runbook: label, conclusion: outcome.conclusion, path: outcome.path }, outcome.stderr.slice(-3000)).toEqual({
          runbook: label,
          conclusion: hostSpike ? 'gc-stw-spike' : expectation.conclusion,
          path: hostSpike ? hostSpikePath(last ?? '') : expectation.path,
        });
        const mentions = [...(expectation.mentions ?? []), ...((expectation.replay ? expectation.replayMentions : expectation.liveMentions) ?? [])];
        for (const mention of mentions) expect(outcome.text, `${label}: mentions ${mention}`).toContain(mention);
        if (expectation.mentions) expect(outcome.text, `${label}: no placeholder`).not.toMatch(NUMBER_PLACEHOLDER);
      }
      if (modeCase.debug2) expect(captured.stderr).toMatch(/goroutine debug=2 dump: \d+ ms \(the world was stopped for at most that long\)/);
    }, modeCase.debug2 ? 240_000 : 120_000); // two debug=2 dumps (live and captured), and on 2 shared cores
  }
});
