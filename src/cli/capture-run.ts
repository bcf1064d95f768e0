// `runbook capture`: turns flags into CaptureOptions and prints progress on stderr
// (stdout stays for the bundle path, so scripts can use it).
import { captureBundle, collectorsForSnapshot, defaultCaptureCollectors } from '../collectors/capture.js';
import { snapshotReport } from './capture-report.js';
import { collectorSpecs } from '../collectors/evidence.js';
import { parseTarget } from '../targets/target.js';
import { isRunbookPath, resolveRunbook } from '../runbook/discover.js';
import { UserError } from '../errors.js';
import type { Collector } from '../runbook/types.js';
import { formatDuration, parseDuration } from '../util/duration.js';

export interface CaptureFlags {
  pid: number;
  target?: string;
  pprof?: string;
  interval: string;
  count: number;
  gctrace?: string;
  out: string;
  title?: string;
  runbook?: string;
  collect?: string;
  profile?: boolean;
  debug2?: boolean;
}

export async function runCapture(flags: CaptureFlags): Promise<void> {
  // yargs turns `--pid abc` into NaN: name what a pid is rather than echo NaN back.
  if (!Number.isInteger(flags.pid) || flags.pid <= 0) throw new UserError('--pid must be a process id, a positive whole number', { hint: 'list Go processes with `runbook ps`' });
  const interval = parseDuration(flags.interval);
  if (!interval.ok) throw new UserError(`--interval: ${interval.error}`);
  const target = flags.target === undefined ? undefined : parseTarget(flags.target);
  // A runbook id that names nothing would preselect nothing when the bundle is opened: said now.
  if (flags.runbook !== undefined) {
    if (isRunbookPath(flags.runbook)) throw new UserError(`--runbook takes a runbook id, not a file (got ${flags.runbook})`, { hint: 'the ids are listed by `runbook list`' });
    await resolveRunbook(flags.runbook);
  }
  const chosen = flags.collect === undefined ? defaultCaptureCollectors : parseCollectors(flags.collect);
  const collect: Collector[] = flags.debug2 === true && !chosen.includes('goroutines_debug2') ? [...chosen, 'goroutines_debug2'] : chosen;
  const said = new Set<string>();
  const controller = new AbortController();
  const cancel = (): void => controller.abort();
  process.once('SIGINT', cancel);
  try {
    const result = await captureBundle({
      pid: flags.pid,
      ...(target ? { target } : {}),
      ...(flags.pprof ? { pprof: flags.pprof } : {}),
      intervalMs: interval.ms,
      count: flags.count,
      ...(flags.gctrace ? { gctrace: flags.gctrace } : {}),
      out: flags.out,
      ...(flags.title !== undefined ? { title: flags.title } : {}),
      ...(flags.runbook !== undefined ? { runbook: flags.runbook } : {}),
      collect,
      ...(flags.profile ? { profile: true } : {}),
      signal: controller.signal,
      onSnapshot: (index, snapshot) => {
        const report = snapshotReport(index, snapshot, collectorsForSnapshot(collect, index, flags.count, flags.profile === true));
        process.stderr.write(`${report.line}\n`);
        for (const line of report.covered.filter((line) => !said.has(line))) {
          said.add(line);
          process.stderr.write(`  not served: ${line}\n`);
        }
        for (const lacking of report.lacking.filter((line) => !said.has(line))) {
          said.add(lacking);
          process.stderr.write(`warning: not captured: ${lacking} (a replay will lack it)\n`);
        }
        const dumpMs = snapshot.durationsMs['goroutine2.txt'];
        const dumpMissing = (snapshot.facts['missing'] as Record<string, unknown> | undefined)?.['goroutines_debug2'] !== undefined;
        if (collect.includes('goroutines_debug2') && dumpMs !== undefined && !dumpMissing) {
          process.stderr.write(`  goroutine debug=2 dump: ${dumpMs} ms (the world was stopped for at most that long)\n`);
        }
        if (index + 1 < flags.count) process.stderr.write(`next snapshot in ${formatDuration(interval.ms)}…\n`);
      },
    });
    for (const warning of result.warnings) process.stderr.write(`warning: ${warning}\n`);
    process.stdout.write(`${flags.out}\n`);
  } finally {
    process.off('SIGINT', cancel);
  }
}

function parseCollectors(list: string): Collector[] {
  const names = list.split(',').map((name) => name.trim()).filter((name) => name !== '');
  // gctrace belongs to the whole bundle (--gctrace), not to a snapshot.
  const known = Object.keys(collectorSpecs).filter((name) => name !== 'gctrace');
  const unknown = names.filter((name) => !known.includes(name));
  if (unknown.length > 0 || names.length === 0) {
    throw new UserError(`--collect: unknown collector ${unknown.join(', ') || '(none given)'}`, { hint: `choose from ${known.join(', ')}` });
  }
  return names as Collector[];
}
