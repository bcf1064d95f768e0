// The local argv that runs a step's argv on a target. Values are never joined into shell
// text unquoted: ssh re-joins its arguments into ONE string the remote login shell parses
// again, so every element is quoted once more for that shell (quoteForShell), and kubectl
// exec passes argv without a shell. docs/remote.md, "How a remote command runs".
import { quoteForShell } from '../exec/shell-quote.js';
import type { RemoteTarget, Target } from './target.js';

/** `RUNBOOK_SSH_CONFIG=FILE`: an ssh_config(5) file given to every ssh as `-F FILE`
 *  (identity, known hosts, jump hosts: everything the URL deliberately cannot say). */
export const SSH_CONFIG_ENV = 'RUNBOOK_SSH_CONFIG';

/** Seconds ssh may take to connect before the step fails (not counted in the step's bound). */
const SSH_CONNECT_TIMEOUT_S = 10;

/** argv[0] of the remote watcher shell, as `ps` shows it on the far side. */
const REMOTE_WATCHER_NAME = 'runbook-remote';

/**
 * Runs on the far side as `sh -c WATCHER runbook-remote timeout … -- argv…`. Fixed text:
 * values reach it only as "$@". Killing the local ssh/kubectl does not stop a remote
 * command (reliability.md), so the command is bounded twice:
 * - `timeout -k GRACE TIMEOUT` ends it (and its process group) by itself;
 * - on cancel, the local ssh/kubectl dies, the remote stdin reaches EOF, and the watcher
 *   sends TERM to `timeout`'s process group; timeout passes it on and KILLs after the
 *   grace. The command itself reads /dev/null, never the channel.
 * When the command ends first, the watcher subshell is killed; its `cat` leaves when the
 * channel closes (its output goes to /dev/null, so sshd does not wait for it).
 */
export const REMOTE_WATCHER = [
  // A background list's stdin is /dev/null when job control is off (POSIX), so the
  // channel's stdin is kept on fd 3 for the watcher.
  'exec 3<&0',
  '"$@" </dev/null 3<&- &',
  'cmd=$!',
  // TERM to timeout's process group (timeout makes its own: pgid = its pid), so the command
  // gets it even when timeout is caught between fork and exec of the command, where it
  // exits without passing signals on; before timeout has its group, TERM to the pid.
  '{ cat <&3 >/dev/null; kill -s TERM -- "-$cmd" || kill -s TERM "$cmd"; } >/dev/null 2>&1 &',
  'watcher=$!',
  'exec 3<&-',
  'wait "$cmd"',
  'status=$?',
  'kill "$watcher" 2>/dev/null',
  'exit "$status"',
].join('\n');

export interface TargetCommand {
  /** The step's argv, as it would run on the target itself. */
  argv: string[];
  /** Variables the step sets; on a remote target they go through `env NAME=VALUE`. */
  env?: Record<string, string>;
  timeoutMs: number;
  /** Between TERM and KILL on the far side. */
  graceMs: number;
}

export interface LocalInvocation {
  /** What runs locally: the argv itself, or ssh/kubectl carrying it. */
  argv: string[];
  /** Environment for the local process (merged over minimalEnv). */
  env: Record<string, string>;
  /** Remote commands need an open stdin: its EOF is how the far side learns of a cancel. */
  stdin: 'ignore' | 'pipe';
}

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** The argv that runs on the far side: watcher, then `timeout`, then the command. */
export function boundedRemoteArgv(command: TargetCommand): string[] {
  const seconds = (ms: number): string => `${Math.max(1, Math.ceil(ms / 1000))}s`;
  const envPairs = Object.entries(command.env ?? {}).map(([name, value]) => {
    // A name with `=` or a leading `-` would change what `env` does with the pair.
    if (!ENV_NAME.test(name)) throw new Error(`environment variable name '${name}' is not [A-Za-z_][A-Za-z0-9_]*`);
    return `${name}=${value}`;
  });
  return [
    'sh',
    '-c',
    REMOTE_WATCHER,
    REMOTE_WATCHER_NAME,
    'timeout',
    '-k',
    seconds(command.graceMs),
    // timeout stops reading options at the duration; `--` before it, so nothing after it
    // (the command) can be read as one.
    '--',
    seconds(command.timeoutMs),
    ...(envPairs.length > 0 ? ['env', ...envPairs] : []),
    ...command.argv,
  ];
}

/** ssh options every remote step uses; `-T`: no tty, so nothing depends on SIGHUP. */
export function sshArgv(target: Extract<Target, { kind: 'ssh' }>, remoteArgv: string[], configFile?: string): string[] {
  return [
    'ssh',
    '-T',
    '-o',
    'BatchMode=yes',
    '-o',
    `ConnectTimeout=${SSH_CONNECT_TIMEOUT_S}`,
    ...(configFile !== undefined && configFile !== '' ? ['-F', configFile] : []),
    ...(target.port !== undefined ? ['-p', String(target.port)] : []),
    ...(target.user !== undefined ? ['-l', target.user] : []),
    '--',
    target.host,
    // ONE string: ssh would join several with spaces and the remote shell would re-split them.
    quoteForShell(remoteArgv),
  ];
}

/** `-i` keeps stdin open to the container: its EOF is the watcher's cancel signal. */
export function kubectlArgv(target: Extract<Target, { kind: 'kubectl' }>, remoteArgv: string[]): string[] {
  return [
    'kubectl',
    ...(target.context !== undefined ? ['--context', target.context] : []),
    'exec',
    '-i',
    '-n',
    target.namespace,
    target.pod,
    ...(target.container !== undefined ? ['-c', target.container] : []),
    '--',
    ...remoteArgv,
  ];
}

/** The local process that runs `command` on `target`. */
export function invocationFor(target: Target, command: TargetCommand, environment: NodeJS.ProcessEnv = process.env): LocalInvocation {
  if (target.kind === 'local') return { argv: command.argv, env: command.env ?? {}, stdin: 'ignore' };
  return { argv: remoteArgvFor(target, boundedRemoteArgv(command), environment), env: transportEnv(target, environment), stdin: 'pipe' };
}

function remoteArgvFor(target: RemoteTarget, remoteArgv: string[], environment: NodeJS.ProcessEnv): string[] {
  return target.kind === 'ssh' ? sshArgv(target, remoteArgv, environment[SSH_CONFIG_ENV]) : kubectlArgv(target, remoteArgv);
}

/** What ssh and kubectl need from the engineer's environment, which steps otherwise do not
 *  inherit (exec/minimal-env.ts): the agent socket and the kubeconfig. */
function transportEnv(target: RemoteTarget, environment: NodeJS.ProcessEnv): Record<string, string> {
  const names = target.kind === 'ssh' ? ['SSH_AUTH_SOCK'] : ['KUBECONFIG'];
  const env: Record<string, string> = {};
  for (const name of names) {
    const value = environment[name];
    if (value !== undefined) env[name] = value;
  }
  return env;
}

/** Reads a remote file to EOF or maxBytes + 1 bytes (one more tells a longer file from an
 *  exact fit), sequentially from the file position as the local reader does
 *  (collectors/proc-file.ts): one read() of a /proc seq_file returns about one page
 *  whatever the buffer (4,039 of a 4,564-byte maps and 3,967 of a 49,885-byte smaps on
 *  Linux 6.18), so `dd count=1` alone cut smaps and every remote go-memory read no growth;
 *  `iflag=fullblock` makes dd read on until its one block is full or the file ends. */
export function readFileArgv(path: string, maxBytes: number): string[] {
  return ['dd', `if=${path}`, `bs=${maxBytes + 1}`, 'count=1', 'iflag=fullblock', 'status=none'];
}
