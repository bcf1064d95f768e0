// go-memory with a snapshot series (issue 12 item 4), against the real Go test service:
// a Go heap leaking at two rates is steady growth at the rate the service leaked, and a C
// cache that fills then stops is a plateau. Each runs live (--var snapshots=3) while
// `runbook capture --count 3` captures the same process; the bundle is then replayed.
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { counterIn, runGoMemory, type Run } from '../helpers/go-memory-run.js';
import { STRICT_PLACEHOLDER } from '../helpers/placeholders.js';
import { goServiceSkipReason, servicePerTest, startGoService, waitUntil, type GoService } from '../helpers/go-service.js';

interface Series {
  snapshots: number;
  seconds: number;
  mibPerMin: number;
  trend: string;
  legsMb: number[];
}

/** The series sentence of a go-memory conclusion. */
function seriesIn(text: string): Series {
  const match = /Over (\d+) snapshots \(([\d.]+) s\), .*? grew (\u2212?[\d.]+) MiB\/min, (?:a )?(\w+): .*?; legs (.*)\.$/.exec(text);
  if (!match) throw new Error(`no series sentence in: ${text}`);
  // A leg that did not move at all prints 0 MiB, unsigned (a filled cache, 0.0 MiB in 15 s, in one run).
  // A leg that fell reads with a true minus sign (−1 MiB), never a bare "-1".
  const legsMb = [...match[5]!.matchAll(/([+\u2212]?[\d.]+) MiB in [\d.]+ s/g)].map((m) => Number(m[1]!.replace('\u2212', '-')));
  return { snapshots: Number(match[1]), seconds: Number(match[2]), mibPerMin: Number(match[3]!.replace('\u2212', '-')), trend: match[4]!, legsMb };
}

const takenAtMs = (dir: string | undefined): number => Date.parse(readFileSync(join(dir!, 'taken_at'), 'utf8').trim());

/** MiB/min the service says it leaked on the Go heap between the run's first and last snapshot. */
function leakedGoMibPerMin(run: Run): number {
  const mib = (counterIn(run.snapshots['after'], 'leaked_go_bytes') - counterIn(run.snapshots['before'], 'leaked_go_bytes')) / 1048576;
  return (mib / (takenAtMs(run.snapshots['after']) - takenAtMs(run.snapshots['before']))) * 60_000;
}

/** go-memory live with a series of three snapshots. */
function runLive(service: GoService, interval: string, stateDir: string): Promise<Run> {
  return runGoMemory(
    ['--var', `pid=${service.pid}`, '--var', `pprof=${service.url}`, '--var', `interval=${interval}`, '--var', `gctrace=${service.stderrPath}`, '--var', 'snapshots=3'],
    stateDir,
    ['force_gc=yes'],
  );
}

/** `runbook capture --count 3` of the service; `replay()` runs go-memory on the bundle once it is written. */
function runCapture(service: GoService, interval: string, stateDir: string) {
  const bundle = join(stateDir, 'bundle');
  const capture = runCli(
    ['capture', '--pid', String(service.pid), '--pprof', service.url, '--interval', interval, '--count', '3', '--gctrace', service.stderrPath, '--out', bundle],
    { env: { RUNBOOK_STATE_DIR: stateDir, CI: 'true' }, timeout: 400_000 },
  );
  const replay = async (): Promise<Run> => {
    const captured = await capture;
    expect(captured.exitCode, captured.stderr).toBe(0);
    return runGoMemory(['--bundle', bundle, '--var', 'snapshots=3'], stateDir, ['force_gc=yes']);
  };
  return { bundle, replay };
}

function checkCommon(run: Run, label: string): Series {
  console.log(`[go-memory series] ${label} → ${run.finding}: ${run.text || run.stderr.slice(-2000)}`);
  expect(run.finding, run.stderr.slice(-3000)).toBeDefined();
  expect(run.text, label).not.toMatch(STRICT_PLACEHOLDER);
  const series = seriesIn(run.text);
  expect(series.snapshots, label).toBe(3);
  expect(series.legsMb, label).toHaveLength(2);
  // The rate is the whole series' growth over its real time (legs and seconds are printed to 0.1).
  const fromLegs = ((series.legsMb[0]! + series.legsMb[1]!) / series.seconds) * 60;
  expect(Math.abs(series.mibPerMin - fromLegs), `${label}: ${fromLegs.toFixed(1)} MiB/min from the legs`).toBeLessThan(0.02 * Math.abs(fromLegs) + 0.5);
  return series;
}

describe.skipIf(goServiceSkipReason !== undefined)(`go-memory series, live and replayed${goServiceSkipReason ? ` (skipped: ${goServiceSkipReason})` : ''}`, () => {
  const held = servicePerTest();

  // go-heap leaks 7.5 MiB/s at rate 1, all of it retained: ~60 MiB a leg at either rate.
  // Resident memory follows the heap's high-water mark, which moves a GC cycle at a time: a
  // leg spanning one or two cycles wobbles by a cycle's worth (5 s legs at rate 1 read
  // +65.4 then +38.5 MiB while the service leaked +40.9 then +47.3), so legs hold several.
  for (const rate of [0.25, 0.5]) {
    const interval = `${Math.ceil(60 / (7.5 * rate))}s`;
    it(`go-heap at rate ${rate}, ${interval} apart: steady, at the rate the service leaked`, async () => {
      const service = (held.service = await startGoService('go-heap', { rate }));
      const stateDir = mkdtempSync(join(tmpdir(), 'runbook-go-memory-series-'));
      const { replay } = runCapture(service, interval, stateDir);
      const live = runLive(service, interval, stateDir);
      const runs = [['live', await live], ['replayed bundle', await replay()]] as const;
      for (const [label, run] of runs) {
        expect(run.finding, label).toBe('go-heap-growth');
        const series = checkCommon(run, label);
        expect(series.trend, label).toBe('steady');
        // Resident growth holds every retained byte (touched when allocated) and, GOGC=100
        // letting the heap reach twice the live heap before a GC, at most about twice them.
        const truth = leakedGoMibPerMin(run);
        expect(series.mibPerMin, `${label}: the service leaked ${truth.toFixed(1)} MiB/min`).toBeGreaterThan(0.8 * truth);
        expect(series.mibPerMin, `${label}: the service leaked ${truth.toFixed(1)} MiB/min`).toBeLessThan(2.2 * truth);
      }
    }, 900_000);
  }

  it('a C cache that fills in the first leg, then stops: a plateau', async () => {
    // Healthy until the first snapshot is taken; then c-cache fills its 48 MiB at 16 MiB/s
    // (rate 2), well inside the first 15 s leg, and stays full. The live run and the capture
    // each get a service of their own: one switch cannot fall in both first legs under load.
    const stateDir = mkdtempSync(join(tmpdir(), 'runbook-go-memory-series-'));
    const liveService = (held.service = await startGoService('healthy'));
    const live = runLive(liveService, '15s', stateDir);
    // The last file the run's before step writes is vars.json.
    const liveBefore = (): boolean => {
      const sessions = join(stateDir, 'sessions');
      return existsSync(sessions) && readdirSync(sessions).some((id) => existsSync(join(sessions, id, 'artifacts', 'before-1.snapshot', 'vars.json')));
    };
    await waitUntil('the live run\'s first snapshot', liveBefore, 120_000);
    await liveService.setMode('c-cache', 2);
    const liveRun = await live;
    await liveService.stop();
    const captureService = (held.service = await startGoService('healthy'));
    const { bundle, replay } = runCapture(captureService, '15s', stateDir);
    // The last file capture writes in a snapshot is smaps.
    await waitUntil('the capture\'s first snapshot', () => existsSync(join(bundle, 'snapshots', '0', 'smaps')), 120_000);
    await captureService.setMode('c-cache', 2);
    const runs = [['live', liveRun], ['replayed bundle', await replay()]] as const;
    for (const [label, run] of runs) {
      expect(run.finding, label).toBe('c-heap-growth');
      const series = checkCommon(run, label);
      expect(series.trend, label).toBe('plateau');
      expect(run.text, label).toMatch(/a plateau: it grew, then the last leg stayed under the noise floor/);
      // The whole cache (48 MiB, touched) in the first leg; the second under the 8 MiB floor.
      expect(series.legsMb[0], label).toBeGreaterThan(0.8 * 48);
      expect(series.legsMb[1], label).toBeLessThan(8);
    }
  }, 900_000);
});
