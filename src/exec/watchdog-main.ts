// The watchdog process (see watchdog.ts). Reads "+PGID COOKIE STARTTIME" / "-PGID" lines
// from stdin, a pipe whose only writer is the tool; at EOF the tool is gone (exit, crash
// or kill -9), so it terminates every step still registered and exits. It imports nothing
// but process-group.js and what that needs, to start fast.
import { DEFAULT_GRACE_MS, terminateStep } from './process-group.js';
import type { StepHandle } from './step-processes.js';

const graceMs = Number(process.argv[2] ?? DEFAULT_GRACE_MS);
const steps = new Map<number, StepHandle>();
let pending = '';

// Its own session has no terminal, but a wrapper may still forward these: only EOF ends it.
for (const signal of ['SIGINT', 'SIGHUP', 'SIGPIPE'] as const) process.on(signal, () => {});

process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk: string) => {
  pending += chunk;
  const lines = pending.split('\n');
  pending = lines.pop() ?? '';
  for (const line of lines) {
    const [id, cookie = '', startTime = ''] = line.slice(1).split(' ');
    const pgid = Number(id);
    if (!Number.isInteger(pgid) || pgid <= 1) continue;
    if (line.startsWith('+') && /^[0-9a-f]+$/.test(cookie) && /^\d*$/.test(startTime)) steps.set(pgid, { pgid, cookie, startTime });
    else if (line.startsWith('-')) steps.delete(pgid);
  }
});
process.stdin.on('error', () => {});
process.stdin.once('close', () => {
  void Promise.all([...steps.values()].map((step) => terminateStep(step, graceMs))).then(() => process.exit(0));
});
