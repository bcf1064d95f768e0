// A sandbox like a pod's (or a small host's): its own pid namespace with its own /proc, its
// own mount and network namespaces (loopback up, nothing else unless a test adds a link),
// with Go test services (test/go/leaky) and any other long-running commands (sshd) started
// inside. Commands enter it with `nsenter -t PID -p -m -n`, so `ps`, /proc and 127.0.0.1
// there are the sandbox's own: a process in one sandbox cannot see or reach another's.
// Needs root and util-linux unshare/nsenter, iproute2 ip (netnsSkipReason in go-service.ts).
// An ssh session inside runs none of this machine's shell start-up files (loopback-sshd.ts
// says why that matters).
//
// Teardown: SIGKILL to the namespace's init ends every process in it (the kernel kills a pid
// namespace with its init), which also frees its network namespace and the links in it.
// A test process that dies without stopping it (a vitest worker ended, SIGKILL) takes the
// sandbox with it: `setpriv --pdeathsig KILL` kills the unshare when its parent dies and
// `unshare --kill-child` then kills the init (an exit handler alone is not enough: a worker
// that was killed runs none; 4 sandboxes outlived a crashed test that way).
import { spawn } from 'node:child_process';
import { execa } from 'execa';
import { existsSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { killGroup, runningGroups } from '../helpers/child-groups.js';
import { buildLeaky, waitUntil, type LeakyMode } from '../helpers/go-service.js';
import type { ExecSandbox } from './fake-kube-objects.js';
import { HIDE_STARTUP_FILES } from './loopback-sshd.js';

export interface SandboxService {
  mode: LeakyMode;
  /** leaky -rate (1 = the mode's default). */
  rate?: number;
  args?: string[];
}

export interface SandboxedService extends SandboxService {
  /** Its pid INSIDE the sandbox (what `ps` there shows). */
  pid: number;
  /** Its listening address inside the sandbox, e.g. 127.0.0.1:40123. */
  address: string;
}

export interface Sandbox extends ExecSandbox {
  /** The namespace's init as this machine sees it (nsenter -t, `ip link set … netns`). */
  initPid: number;
  services: SandboxedService[];
  /** Runs argv inside (no shell). */
  run(argv: string[]): Promise<{ exitCode: number; stdout: string; stderr: string }>;
  /** Ends every process inside; resolves when the namespace is gone. */
  stop(): Promise<void>;
}

/** One shell word: the init script quotes only values this file and its callers chose. */
function shellWord(word: string): string {
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

function initScript(dir: string, leaky: string, services: SandboxService[], commands: string[][]): string {
  const started = services.map((service, i) => {
    const argv = [leaky, '-mode', service.mode, ...(service.rate !== undefined ? ['-rate', String(service.rate)] : []), ...(service.args ?? [])];
    return `${argv.map(shellWord).join(' ')} >${shellWord(join(dir, `service-${i}.out`))} 2>${shellWord(join(dir, `service-${i}.err`))} &\necho $! >${shellWord(join(dir, `service-${i}.pid`))}`;
  });
  const others = commands.map((argv) => `${argv.map(shellWord).join(' ')} &`);
  // As a pid namespace's init, the shell must reap what is reparented to it (an exec'd
  // command whose nsenter went first): dash's `wait` waits on any child.
  return ['set -e', 'ip link set lo up', HIDE_STARTUP_FILES, ...started, ...others, `: >${shellWord(join(dir, 'ready'))}`, 'set +e', 'while :; do wait; sleep 1; done', ''].join('\n');
}

/** Pids (as this machine sees them) of the processes inside `sandbox` whose command line
 *  contains `marker`: what is left on that target, whatever else runs here. */
export function sandboxProcessesMatching(sandbox: Pick<Sandbox, 'initPid'>, marker: string): number[] {
  const namespace = pidNamespace(sandbox.initPid);
  if (namespace === undefined) return [];
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .map(Number)
    .filter((pid) => pidNamespace(pid) === namespace && readOr(`/proc/${pid}/cmdline`).includes(marker));
}

function readOr(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

function pidNamespace(pid: number): string | undefined {
  try {
    return readlinkSync(`/proc/${pid}/ns/pid`);
  } catch {
    return undefined;
  }
}

function childPids(pid: number): number[] {
  return readOr(`/proc/${pid}/task/${pid}/children`).trim().split(/\s+/).filter(Boolean).map(Number);
}

/** Starts a sandbox with `services` and `commands` (argv, e.g. an sshd) running in it, and
 *  resolves once every service listens. */
export async function startSandbox(options: { services: SandboxService[]; commands?: string[][]; label?: string }): Promise<Sandbox> {
  const label = options.label ?? 'sandbox';
  const leaky = buildLeaky();
  const dir = mkdtempSync(join(tmpdir(), 'runbook-sandbox-'));
  const script = join(dir, 'init.sh');
  writeFileSync(script, initScript(dir, leaky, options.services, options.commands ?? []));
  // setpriv execs unshare: the pid spawned is unshare's, whose child is the namespace's init.
  const unshare = spawn('setpriv', ['--pdeathsig', 'KILL', '--', 'unshare', '--pid', '--fork', '--mount-proc', '--net', '--kill-child', 'sh', script], {
    detached: true,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  runningGroups.add(unshare);
  let stderr = '';
  unshare.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((resolve) => unshare.once('exit', () => resolve()));
  const gone = (): boolean => unshare.exitCode !== null || unshare.signalCode !== null;
  let initPid = 0;
  const stop = async (): Promise<void> => {
    if (initPid > 0) {
      try {
        process.kill(initPid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
    killGroup(unshare, 'SIGKILL');
    await exited;
    runningGroups.delete(unshare);
    // The init's /proc entry goes only when every process of its namespace has exited.
    if (initPid > 0) await waitUntil(`${label}: its namespace to empty`, () => !existsSync(`/proc/${initPid}`), 10_000);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitUntil(`${label}: its init to start`, () => {
      if (gone()) throw new Error(`${label}: unshare exited ${String(unshare.exitCode ?? unshare.signalCode)}: ${stderr}`);
      return existsSync(join(dir, 'ready'));
    }, 20_000);
    initPid = childPids(unshare.pid!)[0] ?? 0;
    if (initPid === 0) throw new Error(`${label}: no init process under unshare ${unshare.pid}`);
    const services = await Promise.all(
      options.services.map(async (service, i) => {
        const out = join(dir, `service-${i}.out`);
        let address = '';
        await waitUntil(`${label}: leaky -mode ${service.mode} to listen`, () => {
          if (gone()) throw new Error(`${label}: exited: ${stderr}`);
          address = /^listening on (\S+)$/m.exec(existsSync(out) ? readFileSync(out, 'utf8') : '')?.[1] ?? '';
          return address !== '';
        }, 20_000).catch((error: Error) => {
          const err = join(dir, `service-${i}.err`);
          throw new Error(`${error.message}; its stderr: ${existsSync(err) ? readFileSync(err, 'utf8').slice(0, 2000) : '(none)'}`);
        });
        return { ...service, pid: Number(readFileSync(join(dir, `service-${i}.pid`), 'utf8')), address };
      }),
    );
    const enter = ['nsenter', '-t', String(initPid), '-p', '-m', '-n', '--'];
    const run = async (argv: string[]) => {
      const result = await execa(enter[0]!, [...enter.slice(1), ...argv], { reject: false, stdin: 'ignore' });
      return { exitCode: result.exitCode ?? -1, stdout: String(result.stdout), stderr: String(result.stderr) };
    };
    return { initPid, services, enter, run, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
