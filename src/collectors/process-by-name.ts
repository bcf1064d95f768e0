// A Go process named instead of numbered (`--var pid=name:payments-api`, an alert's job
// label): an alert knows the service, not its pid. Resolved through discovery on the
// session's host to exactly one process; none or several is an answer naming what was
// found, never a guess. Shared by `pid` inputs and fleet runs (issue 20).
import { basename } from 'node:path';
import { discoverGoProcesses, type GoProcess } from './discover.js';
import type { ProcessHost } from './process-host.js';

/** The prefix that makes a pid input a process name. */
export const PROCESS_NAME_PREFIX = 'name:';

/** /proc/PID/comm keeps the first 15 bytes of the executable's name. */
const COMM_LENGTH = 15;

export type ProcessByName = { ok: true; process: GoProcess } | { ok: false; reason: string };

/** Whether `process` goes by `name`: its executable's basename or its command name. The
 *  command name holds only the first 15 bytes of a longer name, so it decides a longer name
 *  only when the cmdline cannot be read (a kernel thread, a zombie, another user's process
 *  on a hardened /proc): `payments-api-worker` is not `payments-api-worker-canary`. */
export function goesBy(process: GoProcess, name: string): boolean {
  const executable = process.cmdline[0] === undefined ? '' : basename(process.cmdline[0]);
  if (executable === name || process.name === name) return true;
  const bytes = Buffer.from(name, 'utf8');
  return executable === '' && bytes.length > COMM_LENGTH && process.name === bytes.subarray(0, COMM_LENGTH).toString('utf8');
}

export async function findGoProcessByName(name: string, host: ProcessHost): Promise<ProcessByName> {
  const on = host.label === 'this host' ? 'on this host' : `on ${host.label}`;
  if (name.trim() === '') return { ok: false, reason: `an empty process name matches no process ${on}` };
  const discovery = await discoverGoProcesses(host);
  const found = discovery.processes.filter((process) => goesBy(process, name));
  const listed = (processes: GoProcess[]) => processes.map((p) => `${p.pid} ${p.name}`).join(', ');
  if (found.length === 1) return { ok: true, process: found[0]! };
  const failures = discovery.failures.length > 0 ? ` (some reads failed: ${discovery.failures.join('; ')})` : '';
  if (found.length === 0) {
    const others = discovery.processes.length > 0 ? `; the Go processes there are ${listed(discovery.processes)}` : '; no Go process runs there';
    return { ok: false, reason: `no Go process named '${name}' ${on}${others}${failures}` };
  }
  return { ok: false, reason: `${found.length} Go processes are named '${name}' ${on} (${listed(found)}): give the pid of the one to examine` };
}
