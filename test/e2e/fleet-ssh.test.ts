// `runbook run go-memory --targets FILE` over ssh end to end (issue 20): the built CLI, real
// ssh, three hosts that are network and pid namespaces of their own, each with a real sshd
// and a Go test service (test/targets/netns-ssh-hosts.ts). One host drops off the network
// in the middle of its own diagnosis (after its first snapshot, all three running at once):
// the fleet concludes for the other two, one of which leaks, records the lost host as not
// diagnosed with its reason (not the conclusion its runbook drew from half the evidence)
// and exits 1. A host unreachable before its turn is test/fleet/ssh-fleet.test.ts's closed
// port. SIGINT mid-run exits 130 and leaves nothing carrying the run's marker on any host,
// nor here.
import { writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fleetConcluded, sleepRunbook } from '../helpers/fleet-run.js';
import { buildLeaky, goServiceSkipReason, netnsSkipReason } from '../helpers/go-service.js';
import { processesMatching, startTool, uniqueSleep, waitFor } from '../runner/tool.js';
import { toolDirsEachTest } from '../targets/loopback-sshd.js';
import { startSshHosts, type SshHosts } from '../targets/netns-ssh-hosts.js';
import { sandboxProcessesMatching, type SandboxService } from '../targets/pod-sandbox.js';

const skip = goServiceSkipReason ?? netnsSkipReason;
const HOSTS = 3;

describe.skipIf(skip !== undefined)(`runbook run --targets FILE over ssh (netns hosts)${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let set: SshHosts;
  // Varied between runs: which host is cut, which of the others leaks, and how.
  const cut = Math.floor(Math.random() * HOSTS);
  const leaking = (cut + 1 + Math.floor(Math.random() * (HOSTS - 1))) % HOSTS;
  const leak: SandboxService = Math.random() < 0.5 ? { mode: 'go-heap', rate: 0.6 + Math.round(Math.random() * 100) / 100 } : { mode: 'c-heap', rate: 0.5 + Math.round(Math.random() * 70) / 100 };

  beforeAll(async () => {
    console.log(`[fleet-ssh] host ${cut} is cut; host ${leaking} runs ${leak.mode} at rate ${leak.rate}`);
    set = await startSshHosts(HOSTS, (i) => [i === leaking ? leak : { mode: 'healthy' }]);
  }, 180_000);
  afterAll(async () => set?.stop());
  const each = toolDirsEachTest(() => set.sshConfig);

  /** The hosts, one URL a line, `last` (when given) at the end. */
  const targetsFile = (last?: number): string => {
    const file = join(each.dirs.state, '..', 'hosts.txt');
    const order = [...set.hosts.keys()].filter((i) => i !== last).concat(last === undefined ? [] : [last]);
    writeFileSync(file, ['# the payments hosts', '', ...order.map((i) => set.hosts[i]!.url), ''].join('\n'));
    return file;
  };

  it('a host lost mid-diagnosis is recorded with its reason; the others conclude; exit 1', async () => {
    const lost = set.hosts[cut]!;
    const tool = startTool(
      ['run', 'go-memory', '--targets', targetsFile(), '--concurrency', String(HOSTS), '--var', `pid=name:${basename(buildLeaky())}`, '--var', 'interval=8s', '--answer', 'force_gc=yes', '--non-interactive', '--json'],
      each.dirs.env,
    );
    try {
      // Mid-diagnosis: the lost host's own first snapshot is taken; its second comes after
      // the 8 s interval at least.
      const lines = () => tool.stdout().split('\n');
      const ofLost = (line: string) => line.includes(`"target":"${lost.url}"`);
      await waitFor(() => lines().some((line) => ofLost(line) && line.includes('"type":"step.finished"') && line.includes('"step":"before"')), 300_000, 'the lost host\'s first snapshot');
      expect(lines().filter((line) => ofLost(line) && line.includes('"type":"session.concluded"'))).toEqual([]);
      await lost.cut();
      const exit = await tool.exit;
      const answer = fleetConcluded(tool.stdout());
      console.log(`[fleet-ssh] exit ${exit.code}: ${JSON.stringify(answer)}`);
      expect(exit.code, tool.stderr().slice(-3000)).toBe(1);
      expect(answer.failed).toEqual([{ target: lost.url, reason: expect.stringMatching(/No route to host|exit 255/) }]);
      const concluded = answer.groups.flatMap((g) => g.targets).sort();
      expect(concluded).toEqual(set.hosts.filter((h) => h !== lost).map((h) => h.url).sort());
      const findingOf = (url: string) => answer.groups.find((g) => g.targets.includes(url))?.finding;
      for (const [i, host] of set.hosts.entries()) {
        if (i === cut) continue;
        expect(findingOf(host.url), `host ${i}`).toBe(i === leaking ? (leak.mode === 'c-heap' ? 'c-heap-growth' : 'go-heap-growth') : 'no-growth');
      }
      expect(tool.stderr()).toContain(`[${lost.url}] ✘ could not be diagnosed: `);
    } finally {
      tool.child.kill('SIGKILL');
      await lost.restore();
    }
  }, 600_000);

  it('SIGINT mid-run exits 130 and leaves no process of the run on any host', async () => {
    const marker = uniqueSleep();
    const tool = startTool(['run', sleepRunbook, '--targets', targetsFile(), '--var', `seconds=${marker}`, '--non-interactive'], each.dirs.env);
    await waitFor(() => set.hosts.every((h) => sandboxProcessesMatching(h.sandbox, marker).length > 0), 60_000, 'the sleep to run on every host');
    tool.child.kill('SIGINT');
    const exit = await tool.exit;
    expect(exit.code, tool.stderr()).toBe(130);
    await waitFor(() => set.hosts.every((h) => sandboxProcessesMatching(h.sandbox, marker).length === 0), 20_000, 'no process of the run left on any host');
    // Nor here: the ssh clients went with the run.
    expect(processesMatching(marker)).toEqual([]);
  }, 120_000);
});
