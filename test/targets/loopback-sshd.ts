// A real OpenSSH server on 127.0.0.1 for the ssh transport tests: its own host key, its own
// config, a client key in its own authorized_keys, on a free port. Started as the user
// running the tests (root in CI; sshd needs root to switch users and for /run/sshd).
// It FAILS loudly when sshd cannot start: a transport test that skips proves nothing.
//
// Its sessions run none of this machine's shell start-up files (each is covered by
// /dev/null in a mount namespace of sshd's): sshd runs every command through the login
// shell, and Debian's bash sources ~/.bashrc for it. This machine's /root/.bashrc runs
// `pyenv init`, whose rehash takes a lock file in ~/.pyenv; a session killed inside it (a
// sandbox stopped with SIGKILL) left the lock behind, every later session waited 60 s for
// it, and every ssh test of a CI run failed. A test host's shell start-up is not this
// machine's; and the home itself stays (the checkout may be in it). Where this user may not
// mount (not root, or a container without the right), sshd runs as it is.
import { execa, type ResultPromise } from 'execa';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { freePort } from '../helpers/free-port.js';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { SSH_CONFIG_ENV } from '../../src/targets/transport.js';
import { toolDirs, type ToolDirs } from '../runner/tool.js';

export const SSHD = '/usr/sbin/sshd';

export interface LoopbackSshd {
  /** ssh://user@127.0.0.1:PORT */
  url: string;
  port: number;
  /** The client ssh_config to pass as RUNBOOK_SSH_CONFIG. */
  sshConfig: string;
  dir: string;
  stop(): Promise<void>;
}

/** What an sshd and its clients need, written to `dir`: host and client keys, the client's
 *  key authorized, an sshd_config and the client ssh_config (RUNBOOK_SSH_CONFIG). */
export interface SshdFiles {
  /** The sshd_config. */
  config: string;
  sshConfig: string;
}

export async function writeSshdFiles(dir: string, listen: { address: string; port: number }): Promise<SshdFiles> {
  const hostKey = join(dir, 'host_ed25519');
  const clientKey = join(dir, 'client_ed25519');
  await execa('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', hostKey]);
  await execa('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', clientKey]);
  const authorizedKeys = join(dir, 'authorized_keys');
  writeFileSync(authorizedKeys, readFileSync(`${clientKey}.pub`), { mode: 0o600 });
  // sshd refuses to start without its privilege separation directory.
  mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
  const config = join(dir, 'sshd_config');
  writeFileSync(
    config,
    [
      `Port ${listen.port}`,
      `ListenAddress ${listen.address}`,
      `HostKey ${hostKey}`,
      `PidFile ${join(dir, 'sshd.pid')}`,
      `AuthorizedKeysFile ${authorizedKeys}`,
      'PubkeyAuthentication yes',
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'PermitRootLogin prohibit-password',
      'StrictModes no',
      'UsePAM no',
      'LogLevel ERROR',
      '',
    ].join('\n'),
  );
  const sshConfig = join(dir, 'ssh_config');
  writeFileSync(
    sshConfig,
    [
      'Host *',
      `  IdentityFile ${clientKey}`,
      '  IdentitiesOnly yes',
      '  StrictHostKeyChecking no',
      '  UserKnownHostsFile /dev/null',
      '  LogLevel ERROR',
      '',
    ].join('\n'),
  );
  return { config, sshConfig };
}

/** argv run in a mount namespace of its own without the machine's shell start-up files,
 *  where this user may make one (root with the right to mount: not in every container);
 *  elsewhere argv as it is. unshare and sh exec argv: the pid is argv's own. A bind that
 *  fails stops sshd from starting (set -e): the tests must not quietly depend on them. */
function withoutStartupFiles(argv: string[]): [string, string[]] {
  if (!canHideStartupFiles) return [argv[0]!, argv.slice(1)];
  return ['unshare', ['--mount', '--propagation', 'private', '--', 'sh', '-c', `set -e\n${HIDE_STARTUP_FILES}\nexec "$@"`, 'sh', ...argv]];
}

const canHideStartupFiles = spawnSync('unshare', ['--mount', '--propagation', 'private', '--', 'mount', '--bind', '/dev/null', '/dev/null'], { stdio: 'ignore' }).status === 0;

/** Shell lines covering each start-up file a shell run by sshd reads with /dev/null, in the
 *  current mount namespace: bash's ~/.bashrc and /etc/bash.bashrc (Debian's bash sources both
 *  for an ssh command), a login shell's profiles, zsh's ~/.zshenv and /etc/zsh/zshenv, and
 *  sshd's own ~/.ssh/rc or else /etc/ssh/sshrc. */
export const HIDE_STARTUP_FILES = [
  ...['.bashrc', '.bash_profile', '.bash_login', '.profile', '.zshenv', '.ssh/rc'].map((name) => join(userInfo().homedir, name)),
  '/etc/bash.bashrc',
  '/etc/zsh/zshenv',
  '/etc/ssh/sshrc',
]
  .map((file) => `'${file.replace(/'/g, `'\\''`)}'`)
  .map((file) => `if [ -f ${file} ]; then mount --bind /dev/null ${file}; fi`)
  .join('\n');

/** `ssh … true` to host:port with `sshConfig`: exit code 0 when a real login works. */
export async function sshLogin(sshConfig: string, host: string, port: number): Promise<{ exitCode: number; stderr: string }> {
  const probe = await execa('ssh', ['-F', sshConfig, '-o', 'BatchMode=yes', '-o', 'ConnectTimeout=5', '-p', String(port), '-l', userInfo().username, '--', host, 'true'], { reject: false, stdin: 'ignore' });
  return { exitCode: probe.exitCode ?? -1, stderr: String(probe.stderr) };
}

export async function startLoopbackSshd(): Promise<LoopbackSshd> {
  const dir = mkdtempSync(join(tmpdir(), 'runbook-sshd-'));
  const port = await freePort();
  const { config, sshConfig } = await writeSshdFiles(dir, { address: '127.0.0.1', port });
  // -D: stay in the foreground (we own its lifetime); -e: log to stderr.
  const sshd: ResultPromise = execa(...withoutStartupFiles([SSHD, '-D', '-e', '-f', config]), { reject: false, stdin: 'ignore', stdout: 'ignore', buffer: true });
  const exited = new Promise<void>((resolve) => sshd.once('exit', () => resolve()));
  const user = userInfo().username;
  const url = `ssh://${user}@127.0.0.1:${port}`;
  const stop = async (): Promise<void> => {
    // Wait for the listener to exit, not for its stderr to close: per-connection sshd
    // children inherit it and may outlive the listener by a moment.
    sshd.kill('SIGTERM');
    await exited;
    sshd.stderr?.destroy();
    rmSync(dir, { recursive: true, force: true });
  };
  // Ready when a real login works (polling a condition, not sleeping a guess).
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (sshd.exitCode !== null) {
      const result = await sshd;
      // Not a skip: a machine without a working sshd must fail these tests (CI installs openssh-server).
      rmSync(dir, { recursive: true, force: true });
      throw new Error(`sshd did not start (exit ${String(result.exitCode)}): ${String(result.stderr)}`);
    }
    const probe = await sshLogin(sshConfig, '127.0.0.1', port);
    if (probe.exitCode === 0) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`cannot log in to the loopback sshd on port ${port}: ${String(probe.stderr)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { url, port, sshConfig, dir, stop };
}

/** For each test of the file: fresh state and config dirs (test/runner/tool.ts) whose
 *  environment points ssh at `sshConfig()` (RUNBOOK_SSH_CONFIG), removed after it. */
export function toolDirsEachTest(sshConfig: () => string): { readonly dirs: ToolDirs } {
  const current = {} as { dirs: ToolDirs };
  beforeEach(() => {
    current.dirs = toolDirs();
    current.dirs.env[SSH_CONFIG_ENV] = sshConfig();
  });
  afterEach(() => current.dirs.remove());
  return current;
}

/** One loopback sshd for the whole file, and toolDirsEachTest pointed at it. */
export function loopbackSshdEachFile(): { readonly sshd: LoopbackSshd; readonly dirs: ToolDirs } {
  let sshd: LoopbackSshd | undefined;
  beforeAll(async () => {
    sshd = await startLoopbackSshd();
  }, 30_000);
  afterAll(async () => sshd?.stop());
  const each = toolDirsEachTest(() => sshd!.sshConfig);
  return {
    get sshd() {
      if (sshd === undefined) throw new Error('the loopback sshd is not started yet: use it inside a test or hook');
      return sshd;
    },
    get dirs() {
      return each.dirs;
    },
  };
}
