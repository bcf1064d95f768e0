// The `malloc_info` collector: glibc's own accounting of every arena (system bytes vs
// free chunks), read by calling malloc_info(0, FILE*) inside the live process through
// `gdb -p PID -batch`. gdb stops every thread of the process from attach to detach (the
// whole gdb run after attach, symbol loading included): the runbook asks first and the
// snapshot records how long gdb ran (`malloc_info.meta` → stopped_ms, an upper bound).
//
// malloc_info writes to a FILE*, so gdb has the process fopen a file in its own /tmp,
// which we read through /proc/PID/root and remove.
//
// The calls run on a thread parked in runtime.notesleep, never on the thread gdb happens to
// stop in: that one may be running a goroutine on its small Go stack, which fopen and
// malloc_info's fprintf can overflow into other memory (seen killing the service once in
// 65 calls: SIGSEGV in another thread). notesleep runs only on g0, whose stack is the thread's own;
// a stripped binary names no frame, so no thread qualifies and nothing is called. The other
// threads run during the calls (scheduler-locking off), so an arena lock held by one of
// them is released rather than waited on forever.
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { LOCAL_TARGET } from '../targets/target.js';
import { captureOnTarget } from '../targets/run-on-target.js';
import type { ProbeOutcome } from './c-alloc-trace.js';

const gdbTimeoutMs = 120_000;

/** What the gdb script prints when no thread is parked on its system stack. */
const NO_SAFE_THREAD = 'runbook-malloc-info: no thread parked in runtime.notesleep';

/** gdb's Python: find a thread on its system stack, switch to it, call malloc_info there. */
function mallocInfoScript(file: string): string {
  return [
    'import gdb',
    'def parked_on_g0(thread):',
    '    thread.switch()',
    '    try:',
    '        frame = gdb.newest_frame()',
    '        for _ in range(8):',
    '            if frame is None:',
    '                return False',
    "            if frame.name() == 'runtime.notesleep':",
    '                return True',
    '            frame = frame.older()',
    '    except gdb.error:',
    '        return False',
    '    return False',
    'safe = next((t for t in gdb.selected_inferior().threads() if parked_on_g0(t)), None)',
    'if safe is None:',
    `    print(${JSON.stringify(NO_SAFE_THREAD)})`,
    'else:',
    '    safe.switch()',
    // A Go process puts gdb in Go mode, where C casts do not parse.
    "    gdb.execute('set language c')",
    "    gdb.execute('set scheduler-locking off')",
    // The service's own signals go to it, not to gdb: stopping on a Go nil-pointer SIGSEGV in
    // another thread would abandon the call half done.
    "    gdb.execute('handle SIGSEGV SIGBUS SIGFPE SIGPIPE SIGURG SIGPROF nostop noprint pass')",
    `    gdb.execute(${JSON.stringify(`set $f = (void *) fopen("${file}", "w")`)})`,
    "    gdb.execute('call (int) malloc_info(0, $f)')",
    "    gdb.execute('call (int) fclose($f)')",
  ].join('\n');
}

export function mallocInfoGdbArgv(pid: number, file: string): string[] {
  return ['gdb', '-p', String(pid), '-batch', '-nx', '-q', '-ex', `python exec(${JSON.stringify(mallocInfoScript(file))})`];
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
    const said = ran.bytes.toString('utf8');
    if (said.includes(NO_SAFE_THREAD)) {
      return { ok: false, reason: 'not available here: no thread of the process is parked on its own stack (runtime.notesleep; a stripped binary names none), and calling malloc_info on a goroutine stack could crash it' };
    }
    if (/Python scripting is not supported/i.test(said)) return { ok: false, reason: 'not available here: this gdb has no Python, which picking a safe thread needs' };
    if (!existsSync(seenHere)) {
      const last = said.trim().split('\n').slice(-2).join(' / ');
      return { ok: false, reason: `not available here: malloc_info wrote nothing to ${file} in the process's /tmp (gdb said: ${last || 'nothing'})` };
    }
    const xml = readFileSync(seenHere, 'utf8');
    return { ok: true, bytes: Buffer.from(`<!-- stopped_ms=${stoppedMs} -->\n${xml}`) };
  } finally {
    rmSync(seenHere, { force: true });
  }
}
