// The real binary's fleet view in a real terminal (tmux, 80×24) over two ssh:// URLs of
// the loopback sshd: the runbook's question is asked once on screen for both targets, both
// conclude, Enter opens a target's own session screen (its answer there), Esc comes back to
// the rows, q closes the view with the fleet's answer printed and exit 0.
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SSH_CONFIG_ENV } from '../../src/targets/transport.js';
import { startLoopbackSshd, type LoopbackSshd } from '../targets/loopback-sshd.js';
import { hasTmux, openTerminal, type TerminalRun } from './tmux.js';

const runbook = fileURLToPath(new URL('../fixtures/fleet/fleet-tui-e2e.yaml', import.meta.url));

describe.skipIf(!hasTmux())('the fleet view in a real terminal', () => {
  let sshd: LoopbackSshd;
  let term: TerminalRun | undefined;
  beforeAll(async () => {
    sshd = await startLoopbackSshd();
  }, 30_000);
  afterAll(async () => sshd?.stop());
  afterEach(() => term?.kill());

  it('asks once for two ssh targets, opens one target\'s screen with Enter, Esc back, q closes with the answer', async () => {
    const user = sshd.url.slice('ssh://'.length, sshd.url.indexOf('@'));
    const numeric = `ssh://${user}@127.0.0.1:${sshd.port}`;
    const named = `ssh://${user}@localhost:${sshd.port}`;
    term = openTerminal(['run', runbook, '--target', numeric, '--target', named], { [SSH_CONFIG_ENV]: sshd.sshConfig }, { columns: 80, rows: 24 });
    const asked = await term.waitFor('Was there a deploy today?', 60_000);
    expect(asked.split('Was there a deploy today?')).toHaveLength(2); // once, for both
    expect(asked).toContain('one answer for all 2 targets');
    term.keys('2');
    const done = await term.waitFor('2 × host-checked', 60_000);
    expect(done).toMatch(/127\.0\.0\.1.*\[info\] host-checked/);
    expect(done).toMatch(/localhost.*\[info\] host-checked/);
    term.keys('Enter');
    const child = await term.waitFor('Concluded: host-checked');
    expect(child).toContain('answer: no');
    expect(child).toContain('127.0.0.1');
    term.keys('Escape');
    await term.waitFor((screen) => screen.trimEnd().endsWith('Enter open · q close'));
    term.keys('q');
    const closed = await term.waitFor(/EXIT:\d+/);
    expect(term.exitCode()).toBe(0);
    expect(closed).toMatch(/fleet journal: /);
    expect(term.sttyRestored()).toBe(true);
  }, 180_000);
});
