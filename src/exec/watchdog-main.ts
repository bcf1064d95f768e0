// The watchdog process (see watchdog.ts). Reads "+PGID" / "-PGID" lines from stdin, a
// pipe whose only writer is the tool; at EOF the tool is gone (exit, crash or kill -9),
// so it terminates every group still registered and exits. It imports nothing but
// process-group.js to start fast.
import { DEFAULT_GRACE_MS, terminateGroup } from './process-group.js';

const graceMs = Number(process.argv[2] ?? DEFAULT_GRACE_MS);
const groups = new Set<number>();
let pending = '';

// Its own session has no terminal, but a wrapper may still forward these: only EOF ends it.
for (const signal of ['SIGINT', 'SIGHUP', 'SIGPIPE'] as const) process.on(signal, () => {});

process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk: string) => {
  pending += chunk;
  const lines = pending.split('\n');
  pending = lines.pop() ?? '';
  for (const line of lines) {
    const pgid = Number(line.slice(1));
    if (!Number.isInteger(pgid) || pgid <= 1) continue;
    if (line.startsWith('+')) groups.add(pgid);
    else if (line.startsWith('-')) groups.delete(pgid);
  }
});
process.stdin.on('error', () => {});
process.stdin.once('close', () => {
  void Promise.all([...groups].map((pgid) => terminateGroup(pgid, graceMs))).then(() => process.exit(0));
});
