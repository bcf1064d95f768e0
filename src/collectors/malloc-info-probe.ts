// The `malloc_info` collector: glibc's own accounting of every arena (system bytes vs
// free chunks), read by calling malloc_info(0, FILE*) inside the live process through
// `gdb -p PID -batch`. gdb stops every thread of the process from attach to detach (the
// whole gdb run after attach, symbol loading included): the runbook asks first and the
// snapshot records how long gdb ran (`malloc_info.meta` → stopped_ms, an upper bound).
//
// malloc_info writes to a FILE*, so gdb has the process fopen a file in its own /tmp,
// which we read through /proc/PID/root and remove. gdb's inferior calls allocate (the
// string arguments): a process stopped inside malloc holding an arena lock could block
// them, which the timeout bounds.
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { LOCAL_TARGET } from '../targets/target.js';
import { captureOnTarget } from '../targets/run-on-target.js';
import type { ProbeOutcome } from './c-alloc-trace.js';

const gdbTimeoutMs = 120_000;

export function mallocInfoGdbArgv(pid: number, file: string): string[] {
  return [
    'gdb', '-p', String(pid), '-batch', '-nx', '-q',
    // A Go process puts gdb in Go mode, where C casts do not parse.
    '-ex', 'set language c',
    '-ex', `set $f = (void *) fopen("${file}", "w")`,
    '-ex', 'call (int) malloc_info(0, $f)',
    '-ex', 'call (int) fclose($f)',
  ];
}

/** Runs malloc_info in `pid`; the XML with a first comment line `<!-- stopped_ms=N -->`. */
export async function readMallocInfo(pid: number, signal?: AbortSignal): Promise<ProbeOutcome> {
  if (process.getuid?.() !== 0) return { ok: false, reason: 'not available here: attaching gdb needs root or the process\'s user with ptrace allowed' };
  const file = `/tmp/runbook-malloc-info-${randomBytes(6).toString('hex')}.xml`;
  const seenHere = `/proc/${pid}/root${file}`;
  const started = performance.now();
  try {
    const ran = await captureOnTarget(LOCAL_TARGET, mallocInfoGdbArgv(pid, file), {
      timeoutMs: gdbTimeoutMs,
      maxBytes: 1 << 20,
      what: `gdb -p ${pid} (malloc_info)`,
      ...(signal ? { signal } : {}),
    });
    const stoppedMs = Math.round(performance.now() - started);
    if (!ran.ok) {
      if (/not found|No such file|ENOENT/i.test(ran.reason)) return { ok: false, reason: 'not available here: gdb is not installed (apt-get install gdb)' };
      return { ok: false, reason: `not available here: ${ran.reason}` };
    }
    if (!existsSync(seenHere)) {
      const said = ran.bytes.toString('utf8').trim().split('\n').slice(-2).join(' / ');
      return { ok: false, reason: `not available here: malloc_info wrote nothing to ${file} in the process's /tmp (gdb said: ${said || 'nothing'})` };
    }
    const xml = readFileSync(seenHere, 'utf8');
    return { ok: true, bytes: Buffer.from(`<!-- stopped_ms=${stoppedMs} -->\n${xml}`) };
  } finally {
    rmSync(seenHere, { force: true });
  }
}
