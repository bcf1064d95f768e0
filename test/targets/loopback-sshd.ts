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
