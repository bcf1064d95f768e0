// go-gc-pauses against the Go test service in the modes built for it (test/go/leaky/
// mode_gcpauses.go, mode_memlimit.go), each at two rates: live through the real binary, then
// replayed from a `runbook capture` bundle of the same process, which must conclude the same
// way. The modes' settings come from the environment, as in production (GOGC=25,
// GOMEMLIMIT=64MiB, GODEBUG=asyncpreemptoff=1), and the conclusion must quote them.
// One service at a time: on 2 shared CPUs a neighbour's GC load lengthens every pause.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { hostShortOfCpu } from '../helpers/host-spike.js';
import { gcLineCount, goServiceSkipReason, serviceCounter, servicePerTest, startGoService, waitUntil, type GoService } from '../helpers/go-service.js';

interface Outcome {
  conclusion: string | undefined;
  text: string;
  path: string[];
  stderr: string;
}

async function run(source: string[], stateDir: string): Promise<Outcome> {
  // go tool trace needs seconds of CPU; with eight test runs on 2 CPUs that took minutes.
  const result = await runCli(['run', 'go-gc-pauses', ...source, '--non-interactive', '--json'], { env: { RUNBOOK_STATE_DIR: stateDir, CI: 'true' }, timeout: 300_000 });
  const events = result.stdout
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as { type: string; step?: string; finding?: string; text?: string });
  const concluded = events.find((e) => e.type === 'session.concluded');
  return { conclusion: concluded?.finding, text: concluded?.text ?? '', path: events.filter((e) => e.type === 'step.finished').map((e) => e.step!), stderr: result.stderr };
}

interface ModeCase {
  label: string;
  mode: string;
  rate: number;
  env: Record<string, string>;
  /** GC cycles to wait for before the first reading. */
  cycles: number;
  /** When the conclusion follows a figure the text quotes: the conclusion and step it must be. */
  expected?: (outcome: Outcome, cyclesBeforeReady: number) => { conclusion: string; step: string };
  /** What the mode must have set up first: the cycles are counted from then on. */
  ready?: (service: GoService) => Promise<void>;
  conclusion: string;
  /** The conclusion step (which cause or which variant). */
  step: string;
  /** What the text must quote, given the service's own truth from /debug/vars. */
  text: (service: GoService) => Promise<RegExp[]>;
  /** Accept the 5 s CPU profile and execution trace (live), and capture them (--profile). */
  profile?: boolean;
  vars?: string[];
}

const cases: ModeCase[] = [
  ...[0.5, 1.5].map((rate) => ({
    label: `memlimit-thrash at GOMEMLIMIT=64MiB from the environment, rate ${rate}`,
    mode: 'memlimit-thrash',
    rate,
    env: { GOMEMLIMIT: '64MiB' },
    cycles: 200,
    conclusion: 'memory-limit-pressure',
    step: 'memory-limit-pressure',
    text: async () => [/GOMEMLIMIT 64 MiB from the environment/, /The GC runs [\d.]+ times a second/, /taken [\d.]+ % of the CPU/],
  })),
  {
    label: 'memlimit-thrash with the limit set in the code (debug.SetMemoryLimit), rate 1',
    mode: 'memlimit-thrash',
    rate: 1,
    env: {},
    cycles: 200,
    conclusion: 'memory-limit-pressure',
    step: 'memory-limit-pressure-code',
    text: async () => [/the environment sets no\s+GOMEMLIMIT, so the code sets it/],
  },
  // Rates well clear of the 10 % threshold on either host load. Measured over 5 s (GC CPU
  // since start, as gctrace prints it; 2 CPUs, 0 / 2 / 4 busy loops beside it): rate 0.2 →
  // 1.6 / 4.1 / 6.5 %, 0.6 → 8.6 / 17.5 % (a tie with the threshold: it failed one CI run),
  // 1 → 18 / 25 / 26 %, 2 → 32 / 32 / 33 %.
  ...[1, 2].map((rate) => ({
    label: `gc-cpu-high with GOGC=25 and no limit, rate ${rate}`,
    mode: 'gc-cpu-high',
    rate,
    env: { GOGC: '25' },
    cycles: 60,
    conclusion: 'gc-cpu-high',
    step: 'gc-cpu-high',
    text: async () => [/as GOGC=25\s+sets it; no memory limit pins it/, /taken [\d.]+ % of the CPU since start/],
  })),
  ...[1, 2].map((rate) => ({
    label: `preempt-loop with GODEBUG=asyncpreemptoff=1, loops of ${40 * rate} ms`,
    mode: 'preempt-loop',
    rate,
    env: { GODEBUG: 'asyncpreemptoff=1' },
    cycles: 15,
    conclusion: 'gc-stw-spike',
    step: 'spike-asyncpreemptoff',
    // One rate also takes the profile and the trace (each costs minutes on a loaded host).
    text: async () => [
      /GODEBUG=asyncpreemptoff=1/,
      /asynchronous preemption is off/,
      ...(rate === 2 ? [/CPU profile: main\.plainLoop at leaky\/mode_gcpauses\.go:\d+ took [\d.]+ %/, /Execution trace: \d+ stop-the-world pauses in the [\d.]+ ms traced/] : []),
    ],
    profile: rate === 2,
  })),
  // The belief under test: long cgo calls stretch a stop-the-world. If they did, pauses would
  // reach the calls' 200 or 400 ms; the threshold sits well under that and over what a
  // loaded host adds to a pause (up to 52 ms seen with 31 runnable threads per CPU).
  ...[4, 8].map((rate) => ({
    label: `cgo-calls, C calls of ${50 * rate} ms in flight while the GC runs`,
    mode: 'cgo-calls',
    rate,
    env: {},
    cycles: 15,
    conclusion: 'gc-pauses-normal',
    step: 'gc-pauses-cgo',
    vars: ['stw_threshold_ms=150'],
    // On a host short of CPU (a CI run: 5.5 runnable threads per CPU, 100 % busy) one sweep
    // termination took 215 ms: the runbook names the host then, with the figures that show it.
    expected: (outcome: Outcome) =>
      outcome.path.at(-1) === 'spike-host' && hostShortOfCpu(outcome.text) ? { conclusion: 'gc-stw-spike', step: 'spike-host' } : { conclusion: 'gc-pauses-normal', step: 'gc-pauses-cgo' },
    text: async () => [
      // "while N goroutines were…" in gc-pauses-cgo, "cgo: N goroutines were…" in spike-host.
      /(?:while|cgo:) [1-4] goroutines? (was|were) inside cgo calls: C\.c_(spin|sleep)_ms from main\.longCgoCalls\.func1 at leaky\/mode_gcpauses\.go:\d+/,
      /A goroutine inside a cgo call has released its P and stopTheWorldWithSema does not wait for it, so these calls do not stretch a stop-the-world/,
      /Execution trace: \d+ stop-the-world pauses in the [\d.]+ ms traced, the longest [\d.]+ ms \([a-z ]+\); [1-9]\d* began while goroutines were inside syscalls or cgo calls/,
      // Go 1.18+ per-thread timers undercount threads that stay in C: the profile may show the
      // C call that spins, the one that sleeps (a sample as it enters or leaves), or none; the
      // text names what it sampled and always says why the share is not the C time.
      /CPU profile: .*(inside cgo calls, most in C\.c_(spin|sleep)_ms from main\.longCgoCalls\.func1 at leaky\/mode_gcpauses\.go:\d+|none inside cgo calls) — [1-4] goroutines were inside cgo calls, and a CPU profile undercounts threads that stay inside long C calls/,
    ],
    profile: true,
  })),
  // The belief under test: a huge goroutine count stretches a stop-the-world. Since Go 1.8
  // stacks are scanned concurrently; the one pass over every goroutine (gcResetMarkState)
  // runs before stopTheWorldWithSema (go1.19 mgc.go gcStart). Measured: 250,000 parked
  // goroutines, longest pause 0.21 ms over 9 cycles. So no spike: the pauses are normal, and
  // the GC CPU their stack scans add decides between gc-pauses-normal and gc-cpu-high (as
  // quoted). On a host short of CPU a pause may still pass the threshold: then spike-host,
  // with figures that show it. A lone long pause on the loaded test host (25 ms at gc 11
  // beside a p50 of 0.16 ms, in one CI run, the host quiet at the snapshot) is honestly
  // spike-unexplained; what would refute the belief is the typical pause: a stop-the-world
  // that walked the goroutines would be long in every cycle, so the p50 must stay short.
  ...[1.5, 2.5].map((rate) => ({
    label: `many-goroutines, ${rate * 100_000} parked`,
    mode: 'many-goroutines',
    rate,
    env: {},
    cycles: 4,
    conclusion: 'gc-pauses-normal or gc-cpu-high',
    step: 'gc-pauses-normal or gc-cpu-high',
    expected: (outcome: Outcome, cyclesBeforeReady: number) => {
      if (outcome.path.at(-1) === 'spike-host' && hostShortOfCpu(outcome.text)) return { conclusion: 'gc-stw-spike', step: 'spike-host' };
      // A long pause while the goroutines were still being created (gc N before they were all
      // parked) that the host at the snapshot does not explain is honestly unexplained.
      const pauseGc = Number(/pause was [\d.]+ ms in [a-z ]+ \(gc (\d+);/.exec(outcome.text)?.[1]);
      if (outcome.path.at(-1) === 'spike-unexplained' && pauseGc <= cyclesBeforeReady) return { conclusion: 'gc-stw-spike', step: 'spike-unexplained' };
      const typicalMs = Number(/p50 ([\d.]+) ms over \d+ cycles/.exec(outcome.text)?.[1]);
      if (outcome.path.at(-1) === 'spike-unexplained' && typicalMs < 1) return { conclusion: 'gc-stw-spike', step: 'spike-unexplained' };
      const cpu = Number(/taken (\d+(?:\.\d+)?) % of the CPU since start/.exec(outcome.text)?.[1]);
      return cpu >= 10 ? { conclusion: 'gc-cpu-high', step: 'gc-cpu-high' } : { conclusion: 'gc-pauses-normal', step: 'gc-pauses-normal' };
    },
    // The first cycles run while the goroutines are being created: count them after.
    ready: (service: GoService) => waitUntil(`${rate * 100_000} parked goroutines`, async () => (await serviceCounter(service, 'parked_goroutines')) >= rate * 100_000, 60_000),
    text: async () => [/The (longest stop-the-world pause was|GC has taken)/],
  })),
];

describe.skipIf(goServiceSkipReason !== undefined)(`go-gc-pauses on the live Go service${goServiceSkipReason ? ` (skipped: ${goServiceSkipReason})` : ''}`, () => {
  const held = servicePerTest();

  for (const c of cases) {
    it(`${c.label} → ${c.conclusion} (${c.step}), live and replayed`, async () => {
      const s = (held.service = await startGoService(c.mode, { rate: c.rate, env: c.env }));
      await c.ready?.(s);
      const before = c.ready ? gcLineCount(s) : 0;
      await waitUntil(`${c.cycles} GC cycles`, () => gcLineCount(s) - before >= c.cycles, 60_000);
      const stateDir = mkdtempSync(join(tmpdir(), 'runbook-gcp-'));
      const options = [...(c.vars ?? []).flatMap((v) => ['--var', v]), ...(c.profile ? ['--answer', 'offer_window=profile'] : [])];
      const live = await run(['--var', `pid=${s.pid}`, '--var', `pprof=${s.url}`, '--var', `gctrace=${s.stderrPath}`, ...options], stateDir);
      const bundle = join(stateDir, 'bundle');
      const window = c.profile ? ['--count', '2', '--profile'] : ['--count', '1'];
      const captured = await runCli(['capture', '--pid', String(s.pid), '--pprof', s.url, '--interval', '1s', ...window, '--gctrace', s.stderrPath, '--out', bundle], {
        env: { RUNBOOK_STATE_DIR: stateDir, CI: 'true' },
        timeout: 300_000,
      });
      expect(captured.exitCode, captured.stderr).toBe(0);
      const replay = await run(['--bundle', bundle, ...options], stateDir);
      const patterns = await c.text(s);
      for (const [label, outcome] of [['live', live], ['replayed', replay]] as const) {
        console.log(`[${c.label}] ${label} → ${outcome.conclusion}: ${outcome.text || outcome.stderr.slice(-2000)}`);
        const expected = c.expected ? c.expected(outcome, before) : { conclusion: c.conclusion, step: c.step };
        expect({ label, conclusion: outcome.conclusion, step: outcome.path.at(-1) }, outcome.stderr.slice(-3000)).toEqual({ label, ...expected });
        for (const pattern of patterns) expect(outcome.text).toMatch(pattern);
        // Never a placeholder where a number could be read.
        expect(outcome.text).not.toMatch(/-1\b|\bnull\b|\bundefined\b|\bunknown\b|\btrue\b|\bfalse\b/);
      }
    }, 900_000);
  }
});
