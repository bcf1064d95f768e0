// N ssh "hosts" on this machine for the fleet tests: each a sandbox (pod-sandbox.ts: its
// own pid, mount and network namespaces) running a real sshd on its port 22 and Go test
// services, reached over a veth pair with a /30 of its own (10.A.B.4i+1 here, 10.A.B.4i+2
// there), so `ssh://root@10.A.B.4i+2` logs in to host i and sees only host i's processes.
// `cut()` takes a host's link down and routes its address nowhere (`ip route add
// unreachable`): new connections fail at once with "No route to host" and open ones stall,
// as when a host drops off the network mid-run. The route matters: without it a packet to
// a down link's address leaves by the default route, and a transparent proxy on the way
// (this build machine has one) accepts the connection and then times out the banner.
// Teardown: stopping a sandbox ends its namespace, which deletes its end of the veth pair
// and with it ours; `stop()` deletes our ends and any unreachable route first anyway, also
// at exit of a test process that never reached stop().
import { execa } from 'execa';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { SSHD, sshLogin, writeSshdFiles } from './loopback-sshd.js';
import { startSandbox, type Sandbox, type SandboxService } from './pod-sandbox.js';
import { waitUntil } from '../helpers/go-service.js';

/** /30s per /24: 64 hosts at most per set. */
const MAX_HOSTS = 64;

export interface SshHost {
  /** ssh://USER@10.A.B.C */
  url: string;
  address: string;
  sandbox: Sandbox;
  /** Takes the host off the network (link down, address unreachable) until restore(). */
  cut(): Promise<void>;
  /** Brings it back. */
  restore(): Promise<void>;
}

export interface SshHosts {
  hosts: SshHost[];
  /** The client ssh_config for every host (RUNBOOK_SSH_CONFIG). */
  sshConfig: string;
  stop(): Promise<void>;
}

async function ip(args: string[]): Promise<void> {
  const result = await execa('ip', args, { reject: false, stdin: 'ignore' });
  if (result.exitCode !== 0) throw new Error(`ip ${args.join(' ')}: ${String(result.stderr)}`);
}

/** A 10.A.B.0/24 no address or route of this machine is in (other tests may hold one). */
async function freeSubnet(): Promise<string> {
  const used = String((await execa('ip', ['-4', 'route', 'show', 'table', 'all'], { reject: false })).stdout) + String((await execa('ip', ['-4', 'addr'], { reject: false })).stdout);
  for (;;) {
    const prefix = `10.${200 + Math.floor(Math.random() * 50)}.${Math.floor(Math.random() * 256)}`;
    if (!used.includes(`${prefix}.`)) return prefix;
  }
}

/** Starts `count` hosts; `services(i)` are host i's Go test services. */
export async function startSshHosts(count: number, services: (i: number) => SandboxService[]): Promise<SshHosts> {
  if (count > MAX_HOSTS) throw new Error(`at most ${MAX_HOSTS} ssh hosts per set (one /24 of /30s), not ${count}`);
  const dir = mkdtempSync(join(tmpdir(), 'runbook-ssh-hosts-'));
  const { config, sshConfig } = await writeSshdFiles(dir, { address: '0.0.0.0', port: 22 });
  const prefix = await freeSubnet();
  const tag = randomBytes(3).toString('hex').slice(0, 5);
  const sandboxes: Sandbox[] = [];
  const links: string[] = [];
  const cutRoutes = new Set<string>();
  const undoCuts = () => {
    for (const route of cutRoutes) spawnSync('ip', ['route', 'del', 'unreachable', route]);
    cutRoutes.clear();
  };
  process.once('exit', undoCuts);
  const stop = async (): Promise<void> => {
    undoCuts();
    process.off('exit', undoCuts);
    await Promise.all(links.map((link) => execa('ip', ['link', 'del', link], { reject: false })));
    await Promise.all(sandboxes.map((sandbox) => sandbox.stop()));
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const hosts = await Promise.all(
      Array.from({ length: count }, async (_, i): Promise<SshHost> => {
        const sandbox = await startSandbox({
          label: `ssh host ${i}`,
          services: services(i),
          commands: [[SSHD, '-D', '-e', '-f', config, '-o', `PidFile=${join(dir, `sshd-${i}.pid`)}`]],
        });
        sandboxes.push(sandbox);
        const [outside, inside] = [`rb${tag}h${i}`, `rb${tag}p${i}`];
        const [here, there] = [`${prefix}.${4 * i + 1}`, `${prefix}.${4 * i + 2}`];
        await ip(['link', 'add', outside, 'type', 'veth', 'peer', 'name', inside]);
        links.push(outside);
        await ip(['link', 'set', inside, 'netns', String(sandbox.initPid)]);
        await ip(['addr', 'add', `${here}/30`, 'dev', outside]);
        await ip(['link', 'set', outside, 'up']);
        for (const args of [['ip', 'addr', 'add', `${there}/30`, 'dev', inside], ['ip', 'link', 'set', inside, 'up']]) {
          const result = await sandbox.run(args);
          if (result.exitCode !== 0) throw new Error(`${args.join(' ')} in ssh host ${i}: ${result.stderr}`);
        }
        // Ready when a real login works (sshd may still be starting).
        await waitUntil(`a login to ssh host ${i} (${there})`, async () => (await sshLogin(sshConfig, there, 22)).exitCode === 0, 20_000);
        return {
          url: `ssh://${userInfo().username}@${there}`,
          address: there,
          sandbox,
          async cut() {
            await ip(['route', 'add', 'unreachable', `${there}/32`]);
            cutRoutes.add(`${there}/32`);
            await ip(['link', 'set', outside, 'down']);
          },
          // A no-op for a host never cut (a test's finally after it failed before the cut).
          async restore() {
            if (!cutRoutes.delete(`${there}/32`)) return;
            await ip(['route', 'del', 'unreachable', `${there}/32`]);
            await ip(['link', 'set', outside, 'up']);
          },
        };
      }),
    );
    return { hosts, sshConfig, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
