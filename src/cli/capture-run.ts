// `runbook capture`: turns flags into CaptureOptions and prints progress on stderr
// (stdout stays for the bundle path, so scripts can use it).
import { captureBundle, defaultCaptureCollectors } from '../collectors/capture.js';
import { collectorSpecs } from '../collectors/evidence.js';
import { parseTarget } from '../targets/target.js';
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
  collect?: string;
  profile?: boolean;
}

export async function runCapture(flags: CaptureFlags): Promise<void> {
  // yargs turns `--pid abc` into NaN: name what a pid is rather than echo NaN back.
  if (!Number.isInteger(flags.pid) || flags.pid <= 0) throw new UserError('--pid must be a process id, a positive whole number', { hint: 'list Go processes with `runbook ps`' });
  const interval = parseDuration(flags.interval);
  if (!interval.ok) throw new UserError(`--interval: ${interval.error}`);
  const target = flags.target === undefined ? undefined : parseTarget(flags.target);
  const collect = flags.collect === undefined ? defaultCaptureCollectors : parseCollectors(flags.collect);
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
      collect,
      ...(flags.profile ? { profile: true } : {}),
      signal: controller.signal,
      onSnapshot: (index, snapshot) => {
        const missing = Object.entries((snapshot.facts['missing'] ?? {}) as Record<string, unknown>);
        const got = Object.keys(snapshot.artifacts).length;
        process.stderr.write(`snapshot ${index}: ${got} files${missing.length ? `, missing ${missing.map(([name]) => name).join(', ')}` : ''}\n`);
        for (const [name, reason] of missing) process.stderr.write(`  ${name}: ${String(reason)}\n`);
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
