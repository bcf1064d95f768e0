// A real OpenSSH server on 127.0.0.1 for the ssh transport tests: its own host key, its own
// config, a client key in its own authorized_keys, on a free port. Started as the user
// running the tests (root in CI; sshd needs root to switch users and for /run/sshd).
// It FAILS loudly when sshd cannot start: a transport test that skips proves nothing.
import { execa, type ResultPromise } from 'execa';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { freePort } from '../helpers/free-port.js';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';

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

export async function startLoopbackSshd(): Promise<LoopbackSshd> {
  const dir = mkdtempSync(join(tmpdir(), 'runbook-sshd-'));
  const hostKey = join(dir, 'host_ed25519');
  const clientKey = join(dir, 'client_ed25519');
  await execa('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', hostKey]);
  await execa('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', clientKey]);
  const authorizedKeys = join(dir, 'authorized_keys');
  writeFileSync(authorizedKeys, readFileSync(`${clientKey}.pub`), { mode: 0o600 });
  // sshd refuses to start without its privilege separation directory.
  mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
  const port = await freePort();
  const config = join(dir, 'sshd_config');
  writeFileSync(
    config,
    [
      `Port ${port}`,
      'ListenAddress 127.0.0.1',
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
  // -D: stay in the foreground (we own its lifetime); -e: log to stderr.
  const sshd: ResultPromise = execa(SSHD, ['-D', '-e', '-f', config], { reject: false, stdin: 'ignore', stdout: 'ignore', buffer: true });
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
    const probe = await execa('ssh', ['-F', sshConfig, '-o', 'BatchMode=yes', '-p', String(port), '-l', user, '--', '127.0.0.1', 'true'], { reject: false, stdin: 'ignore' });
    if (probe.exitCode === 0) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`cannot log in to the loopback sshd on port ${port}: ${String(probe.stderr)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { url, port, sshConfig, dir, stop };
}
