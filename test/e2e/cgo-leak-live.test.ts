// cgo-leak v2 (issue 14) against the real Go service's cgo modes, live and from bundles
// captured meanwhile by `runbook capture` (4 snapshots, the last with malloc_info and the
// uprobe trace): the leaks must be named by function and file:line (read here from the
// service's source, not written down), fragmentation must be concluded from evidence with
// no MALLOC_ARENA_MAX answer, and a cache that fills up must not be called a leak.
// Rates vary per case, so no rule can pass on one exact figure.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { binPath, repoRoot, runCli } from '../helpers/cli.js';
import { goServiceSkipReason, serviceCounter, servicePerTest, startGoService, waitUntil, type GoService } from '../helpers/go-service.js';

/** Why the attaching tools cannot run here (outside CI the tests skip; under CI they fail). */
const attachSkipReason: string | undefined = (() => {
  if (process.env['CI']) return undefined;
  if (process.getuid?.() !== 0) return 'uprobes and gdb attach need root';
  for (const tool of ['bpftrace', 'gdb', 'addr2line']) {
    if (spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0) return `${tool} is not installed`;
  }
  return undefined;
})();
const skipReason = goServiceSkipReason ?? attachSkipReason;

const modeSource = readFileSync(fileURLToPath(new URL('../go/leaky/mode_cgo.go', import.meta.url)), 'utf8').split('\n');
/** `leaky/mode_cgo.go:N` of the first line containing `code` (the build uses -trimpath). */
function sourceLine(code: string): string {
  const index = modeSource.findIndex((line) => line.includes(code));
  if (index < 0) throw new Error(`mode_cgo.go has no line with ${code}`);
  return `leaky/mode_cgo.go:${index + 1}`;
}

const series = ['before', 'wait', 'after', 'wait_more', 'later', 'regions'];
const tracedLeak = [...series, 'probe', 'probes', 'judge', 'asan', 'summary', 'c-heap-leak'];
const untracedLeak = [...series, 'probe', 'judge', 'untraced', 'asan', 'summary', 'c-heap-leak-untraced'];

interface Outcome {
  finding: string | undefined;
  text: string;
  path: string[];
  facts: Map<string, Record<string, unknown>>;
  stderr: string;
}

const leakyDir = fileURLToPath(new URL('../go/leaky', import.meta.url));

type RunEvent = { type: string; step?: string; finding?: string; text?: string; facts?: Record<string, unknown> };

/** Runs cgo-leak; `onStep` hears each finished step as it happens (to change the service's mode mid-run). */
async function runCgoLeak(source: GoService | { bundle: string }, stateDir: string, answers: string[], vars: string[] = [], onStep?: (step: string) => Promise<void>): Promise<Outcome> {
  const live = 'bundle' in source ? ['--bundle', source.bundle] : ['--var', `pid=${source.pid}`, '--var', `pprof=${source.url}`, '--var', 'interval=5s'];
  const inputs = [...live, ...vars.flatMap((v) => ['--var', v])];
  const args = ['run', 'cgo-leak', ...inputs, ...answers.flatMap((a) => ['--answer', a]), '--non-interactive', '--json'];
  // Attaching bpftrace and gdb takes tens of seconds on a loaded host: a generous bound.
  const child = execa(process.execPath, [binPath, ...args], { reject: false, stdin: 'ignore', cwd: repoRoot, env: { NO_COLOR: '1', RUNBOOK_STATE_DIR: stateDir, CI: 'true' }, timeout: 600_000 });
  const events: RunEvent[] = [];
  const heard: Array<Promise<void>> = [];
  let pending = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    const lines = (pending + chunk.toString('utf8')).split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines.filter((l) => l.startsWith('{'))) {
      const event = JSON.parse(line) as RunEvent;
      events.push(event);
      if (event.type === 'step.finished' && onStep) heard.push(onStep(event.step!));
    }
  });
  const result = await child;
  await Promise.all(heard);
  if (pending.startsWith('{')) events.push(JSON.parse(pending) as RunEvent);
  const concluded = events.find((e) => e.type === 'session.concluded');
  const finished = events.filter((e) => e.type === 'step.finished');
  return {
    finding: concluded?.finding,
    text: concluded?.text ?? '',
    path: finished.map((e) => e.step!),
    facts: new Map(finished.map((e) => [e.step!, e.facts ?? {}])),
    stderr: String(result.stderr).slice(-3000),
  };
}

function capture(service: GoService, stateDir: string): { bundle: string; done: Promise<{ exitCode: number | null; stderr: string }> } {
  const bundle = join(stateDir, 'bundle');
  const collect = 'status,smaps_rollup,maps,memstats,vars,malloc_info,c_allocs';
  const args = ['capture', '--pid', String(service.pid), '--pprof', service.url, '--interval', '5s', '--count', '4', '--collect', collect, '--out', bundle];
  return { bundle, done: runCli(args, { env: { RUNBOOK_STATE_DIR: stateDir, CI: 'true' }, timeout: 600_000 }) };
}

function expectOutcome(label: string, outcome: Outcome, finding: string, path: string[]): void {
  console.log(`[${label}] → ${outcome.finding}: ${outcome.text || outcome.stderr}`);
  expect({ label, finding: outcome.finding, path: outcome.path }, outcome.stderr).toEqual({ label, finding, path });
}

const mib = 1 << 20;

describe.skipIf(skipReason !== undefined)(`cgo-leak on the live Go service's cgo modes${skipReason ? ` (skipped: ${skipReason})` : ''}`, () => {
  const held = servicePerTest();

  const cstringSite = `main.registerNames (${sourceLine('name := C.CString(longName)')})`;
  const audited = `Source audit: C.CString in main.registerNames (${leakyDir}/${sourceLine('name := C.CString(longName)').replace('leaky/', '')}) is never freed there`;
  const leaks = [
    { mode: 'cstring-leak', rate: 1, site: cstringSite, captured: true, audit: audited },
    { mode: 'cstring-leak', rate: 0.6, site: cstringSite, captured: false },
    // Two causes at once: the Go heap leaking as well must not hide the C leak.
    { mode: 'cstring-and-go-heap', rate: 0.8, site: cstringSite, captured: false },
    { mode: 'c-large-malloc', rate: 1.6, site: `main.holdLargeBlock (${sourceLine('C.hold_block(1 << 20)')})`, captured: true, audit: 'Source audit: no C allocation in Go at the traced line' },
  ];
  for (const leak of leaks) {
    it(`${leak.mode} × ${leak.rate}: c-heap-leak naming ${leak.site}${leak.captured ? ', live and replayed' : ''}`, async () => {
      const service = (held.service = await startGoService(leak.mode, { rate: leak.rate, gctrace: false }));
      await waitUntil('C memory held', async () => (await serviceCounter(service, 'c_held_bytes')) > 4 * mib);
      const stateDir = mkdtempSync(join(tmpdir(), 'runbook-cgo-'));
      // Captured first, then run live: two uprobe traces attached at once missed each other's events.
      const captured = leak.captured ? capture(service, stateDir) : undefined;
      const capturedDone = await captured?.done;
      const heldBefore = await serviceCounter(service, 'c_held_bytes');
      const live = await runCgoLeak(service, stateDir, ['probe=yes'], leak.audit ? [`source_dir=${leakyDir}`] : []);
      const heldAfter = await serviceCounter(service, 'c_held_bytes');
      expectOutcome(`${leak.mode} × ${leak.rate} live`, live, 'c-heap-leak', leak.audit ? [...tracedLeak.slice(0, -2), 'audit', ...tracedLeak.slice(-2)] : tracedLeak);
      expect(live.text).toContain(`C memory leaks from ${leak.site}`);
      if (leak.audit) expect(live.text).toContain(leak.audit);
      // The audit's verdict is said once, not again as the list of unfreed calls.
      if (leak.audit) expect(live.text.split(leak.audit.replace('Source audit: ', '')).length).toBe(2);
      // The traced bytes are real: no more than the service says it leaked over the run.
      const traced = live.facts.get('probes')!['c_allocs'] as { top_mb: number; top_share: number };
      expect(traced.top_mb * mib).toBeLessThanOrEqual(heldAfter - heldBefore);
      expect(traced.top_share).toBeGreaterThan(0.9);
      if (!captured || !capturedDone) return;
      expect(capturedDone.exitCode, capturedDone.stderr).toBe(0);
      const replayed = await runCgoLeak({ bundle: captured.bundle }, stateDir, ['probe=yes']);
      expectOutcome(`${leak.mode} replayed`, replayed, 'c-heap-leak', tracedLeak);
      expect(replayed.text).toContain(`C memory leaks from ${leak.site}`);
      // Without attaching, the bundle decides by the documented pattern (cgo-leak.yaml, judge):
      // growth with a steady thread count is a leak; glibc arenas carrying at least half the
      // growth while threads are added reads as fragmentation. The Go runtime may start a
      // thread of its own mid-capture (a cgo call blocked: 6 → 7 once in nine CI runs); the
      // probed replay above tells the two apart either way, so a bundle whose threads rose is
      // held to the pattern it shows. c-large-malloc's 1 MiB blocks are mmaps of their own,
      // never arena growth: that leak stays a leak whatever the threads did.
      const untraced = await runCgoLeak({ bundle: captured.bundle }, stateDir, []);
      // The thread counts the runbook read from the bundle's snapshots, as its text quotes them.
      const threads = /threads (?:went )?(\d+) → (\d+)/.exec(untraced.text);
      expect(threads, untraced.text).not.toBeNull();
      const regions = untraced.facts.get('regions') as { threads_delta: number; glibc_arena_growth_mb: number; native_growth_mb: number };
      expect(regions.threads_delta).toBe(Number(threads![2]) - Number(threads![1]));
      if (regions.threads_delta > 0 && regions.glibc_arena_growth_mb >= 0.5 * regions.native_growth_mb) {
        console.log(`[${leak.mode} replayed, no probe] threads rose during the capture (${threads![1]} → ${threads![2]}) with the arenas growing`);
        expect(untraced.finding, untraced.text).toBe('glibc-fragmentation');
      } else {
        expectOutcome(`${leak.mode} replayed, no probe`, untraced, 'c-heap-leak', untracedLeak);
      }
    }, 900_000);
  }

  for (const rate of [1, 1.5]) {
    it(`glibc-frag × ${rate}: glibc-fragmentation from malloc_info, with no answer given${rate === 1 ? ', live and replayed' : ''}`, async () => {
      const service = (held.service = await startGoService('glibc-frag', { rate, gctrace: false }));
      await waitUntil('8 locked threads', async () => (await serviceCounter(service, 'frag_threads')) >= 8);
      const stateDir = mkdtempSync(join(tmpdir(), 'runbook-cgo-'));
      const captured = rate === 1 ? capture(service, stateDir) : undefined;
      const capturedDone = await captured?.done;
      const probed = await runCgoLeak(service, stateDir, ['probe=yes']);
      const heldBytes = await serviceCounter(service, 'c_held_bytes');
      expectOutcome(`glibc-frag × ${rate} live, probed`, probed, 'glibc-fragmentation', [...series, 'probe', 'probes', 'judge', 'arena_test', 'fragmentation']);
      // malloc_info's in-use bytes cover what the service really holds, and are a small part.
      const info = probed.facts.get('probes')!['malloc_info'] as { in_use_mb: number; free_mb: number };
      expect(info.in_use_mb * mib).toBeGreaterThanOrEqual(heldBytes * 0.5);
      expect(info.free_mb).toBeGreaterThan(info.in_use_mb);
      if (!captured || !capturedDone) return;
      expect(capturedDone.exitCode, capturedDone.stderr).toBe(0);
      const replayed = await runCgoLeak({ bundle: captured.bundle }, stateDir, ['probe=yes']);
      expectOutcome('glibc-frag replayed, probed', replayed, 'glibc-fragmentation', [...series, 'probe', 'probes', 'judge', 'arena_test', 'fragmentation']);
    }, 900_000);
  }

  for (const rate of [2, 1.5]) {
    it(`c-cache × ${rate}: a C cache that fills up is c-heap-plateau, not a leak`, async () => {
      // The cache starts filling once the first snapshot is taken, so it grows in the first
      // leg whatever the host's speed, and is full (48 MiB in 3-4 s) before the second.
      const service = (held.service = await startGoService('healthy', { rate, gctrace: false }));
      const stateDir = mkdtempSync(join(tmpdir(), 'runbook-cgo-'));
      const live = await runCgoLeak(service, stateDir, [], [], async (step) => {
        if (step === 'before') await service.setMode('c-cache', rate);
      });
      expect(await serviceCounter(service, 'c_cache_full')).toBe(1);
      expectOutcome(`c-cache × ${rate} live`, live, 'c-heap-plateau', [...series, 'probe', 'judge', 'c-heap-plateau']);
    }, 600_000);
  }
});
