// The home screen over the shipped example bundles: with no Go process and no session
// the examples come first and preselected, so Enter, Enter, Enter starts a replay.
import './no-ci.js';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { GoProcess } from '../../src/collectors/discover.js';
import { listExampleBundles, type HomeSources } from '../../src/tui/home-sources.js';
import { examplesDir, fixtureRunbook, KEYS, startApp, type Harness } from './harness.js';
import { loadRunbookSource } from './runbook-source.js';
import { listAlerts } from '../../src/alerts/alert-listing.js';
import { parseAlertPayload } from '../../src/alerts/payload.js';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadRunbook } from '../../src/runbook/load.js';

let app: Harness | undefined;
afterEach(async () => {
  await app?.dispose();
  app = undefined;
});

async function sources(processes: GoProcess[] | Error = [], where = 'this host', warnings: string[] = [], failures: string[] = []): Promise<HomeSources> {
  const runbook = await fixtureRunbook('go-memory');
  return {
    where,
    processes: async () => {
      if (processes instanceof Error) throw processes;
      return { processes, failures, warnings };
    },
    examples: async () => listExampleBundles(examplesDir),
    runbooks: async () => [runbook],
    sessions: async () => [],
  };
}

/** The example preselected on a home screen with no process and no session: the first by name. */
const first = listExampleBundles(examplesDir)[0]!;
const escaped = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('home screen', () => {
  it('lists the example bundles with their meta.json titles first and starts a replay with Enter alone', async () => {
    app = await startApp({ kind: 'home' }, await sources());
    const home = await app.waitForFrame('Runbooks (run against this host)');
    expect(home).toContain('No Go processes found on this host');
    expect(home).toMatch(new RegExp(`Example incidents[^\\n]*\\n❯ ${escaped(first.name)} +${escaped(first.title.slice(0, 16))}`));
    expect(home).toContain('gc-stw-pauses');
    app.press(KEYS.enter);
    await app.waitForFrame(`Which runbook for bundle ${first.name}?`);
    app.press(KEYS.enter);
    // Nothing to ask: the pid is live-only, and the interval only feeds a wait, which a replay skips.
    const started = await app.waitForFrame('Enter runs this step');
    expect(started).not.toContain('Inputs (Enter keeps the value shown)');
    expect(started).toContain(`bundle ${first.name}`);
  });

  it('preselects the runbook a bundle names in its meta.json', async () => {
    const shipped = await Promise.all(['go-memory', 'go-gc-pauses'].map((id) => loadRunbook(fileURLToPath(new URL(`../../runbooks/${id}.yaml`, import.meta.url)))));
    const bundles = listExampleBundles(examplesDir);
    const stw = bundles.findIndex((bundle) => bundle.name === 'gc-stw-pauses');
    expect(bundles[stw]?.runbookHint).toBe('go-gc-pauses');
    app = await startApp({ kind: 'home' }, { ...(await sources()), runbooks: async () => shipped });
    await app.waitForFrame(`❯ ${first.name} `);
    app.press(...Array<string>(stw).fill(KEYS.down));
    await app.waitForFrame('❯ gc-stw-pauses ');
    app.press(KEYS.enter);
    await app.waitForFrame('Which runbook for bundle gc-stw-pauses?');
    expect(await app.waitForFrame(/❯ go-gc-pauses /)).not.toMatch(/❯ go-memory /);
  });

  it('validates inputs before starting: a bad duration is refused with the reason', async () => {
    const leaky: GoProcess = { pid: 4242, name: 'leaky', cmdline: ['leaky'], go_version: 'go1.19.8', rss_kb: 20480, pprof: null };
    app = await startApp({ kind: 'home' }, await sources([leaky]));
    await app.waitForFrame('❯ 4242 leaky');
    app.press(KEYS.enter);
    await app.waitForFrame('Which runbook');
    app.press(KEYS.enter);
    await app.waitForFrame('4242▏');
    app.press(KEYS.enter);
    await app.waitForFrame('1s▏');
    app.press('\u007f', '\u007f', 'soon');
    await app.waitForFrame('soon▏');
    app.press(KEYS.enter);
    await app.waitForFrame("input interval: 'soon' is not a duration");
    app.press('\u007f', '\u007f', '\u007f', '\u007f', '2s');
    await app.waitForFrame('2s▏');
    app.press(KEYS.up);
    await app.waitForFrame(/❯ Which process\? +4242▏/);
  });

  it('puts Go processes first and fills the pid input from the chosen one', async () => {
    const leaky: GoProcess = { pid: 4242, name: 'leaky', cmdline: ['leaky'], go_version: 'go1.19.8', rss_kb: 20480, pprof: 'http://127.0.0.1:6060' };
    app = await startApp({ kind: 'home' }, await sources([leaky]));
    const home = await app.waitForFrame('Go processes on this host');
    expect(home).toMatch(/❯ 4242 leaky +go1\.19\.8 · RSS 20\.0 MiB · pprof http:\/\/127\.0\.0\.1:6060/);
    app.press(KEYS.enter);
    await app.waitForFrame('Which runbook for process 4242?');
    app.press(KEYS.enter);
    const form = await app.waitForFrame('Inputs (Enter keeps the value shown)');
    expect(form).toMatch(/❯ Which process\? +4242▏/);
  });

  it('names the target it lists and runs against (runbook --target)', async () => {
    const leaky: GoProcess = { pid: 77, name: 'api', cmdline: ['api'], go_version: 'go1.22.1', rss_kb: null, pprof: null };
    app = await startApp({ kind: 'home' }, await sources([leaky], 'ssh://deploy@app-1', ['ssh://deploy@app-1 has no curl: pprof endpoints cannot be found or read there']));
    const home = await app.waitForFrame('Go processes on ssh://deploy@app-1');
    expect(home).toContain('Runbooks (run against ssh://deploy@app-1)');
    expect(home).toContain('warning: ssh://deploy@app-1 has no curl');
    expect(home).toMatch(/❯ 77 api +go1\.22\.1 · no pprof/);
  });

  it('says why the processes could not be listed, and the rest of the screen still works', async () => {
    const failure = new Error('reading files on ssh://app-1: exit 255: ssh: connect to host app-1 port 22: Connection refused');
    app = await startApp({ kind: 'home' }, await sources(failure, 'ssh://app-1'));
    const home = await app.waitForFrame('Cannot list Go processes on ssh://app-1');
    expect(home).toContain('Connection refused');
    expect(home).not.toContain('looking for Go processes');
    expect(home).toContain(`❯ ${first.name}`);
    app.press(KEYS.enter);
    await app.waitForFrame(`Which runbook for bundle ${first.name}?`);
  });

  it('keeps the cursor on the process it is on when the list is read again without the one above it', async () => {
    const process = (pid: number, name: string): GoProcess => ({ pid, name, cmdline: [name], go_version: 'go1.19.8', rss_kb: 10240, pprof: null });
    let reads = 0;
    const base = await sources();
    const home: HomeSources = {
      ...base,
      // The first read lists two processes; every later one, after the first process exited, only the second.
      processes: async () => ({ processes: reads++ === 0 ? [process(101, 'batch'), process(202, 'api')] : [process(202, 'api')], failures: [], warnings: [] }),
    };
    app = await startApp({ kind: 'home' }, home);
    await app.waitForFrame('❯ 101 batch');
    app.press(KEYS.down);
    await app.waitForFrame('❯ 202 api');
    // Read again (every few seconds): 101 is gone, and the cursor is still on 202.
    const after = await app.waitForFrame(/^(?![\s\S]*101 batch)/, 20_000);
    expect(after).toMatch(/❯ 202 api/);
    app.press(KEYS.enter);
    await app.waitForFrame('Which runbook for process 202?');
  }, 30_000);

  it('says when the list may be incomplete (reads failed on the target)', async () => {
    const leaky: GoProcess = { pid: 77, name: 'api', cmdline: ['api'], go_version: 'go1.22.1', rss_kb: null, pprof: null };
    app = await startApp({ kind: 'home' }, await sources([leaky], 'ssh://app-1', [], ['reading files on ssh://app-1: exit 255: Connection reset by peer']));
    const home = await app.waitForFrame('❯ 77 api');
    expect(home).toContain('the list may be incomplete: reading files on ssh://app-1: exit 255: Connection reset by peer');
  });

  it('lists its keys with ?, treats Esc as back (not quit), and reads the processes again (RSS refreshes)', async () => {
    let reads = 0;
    const base = await sources();
    const home: HomeSources = {
      ...base,
      processes: async () => {
        reads += 1;
        return { processes: [{ pid: 4242, name: 'leaky', cmdline: ['leaky'], go_version: 'go1.19.8', rss_kb: 10240 * reads, pprof: null }], failures: [], warnings: [] };
      },
    };
    app = await startApp({ kind: 'home' }, home);
    await app.waitForFrame('RSS 10.0 MiB');
    app.press('?');
    await app.waitForFrame('any key closes this list');
    app.press('x');
    await app.waitForFrame('Go processes on this host');
    app.press(KEYS.escape);
    await app.waitForFrame('Esc goes back; this is the first screen (q quits)');
    await app.waitForFrame(/RSS [2-9]0\.0 MiB/, 20_000); // read again while the screen is open
    let quit = false;
    void app.exited.then(() => (quit = true));
    expect(quit).toBe(false);
    app.press('q');
    await app.exited;
  }, 30_000);

  it('shows firing alerts first with the runbook that answers each; Enter starts it with the inputs the labels fill', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'runbook-home-alerts-'));
    try {
      const runbook = await loadRunbookSource(dir, [
        'id: memory-alert',
        'title: Memory alert',
        'summary: What the alert says',
        'match:',
        '  alertname: GoMemoryGrowth',
        '  matchers: [\'job="payments-api"\']',
        '  inputs: { service: "{{ labels.job }}", where: "{{ labels.instance }}" }',
        'inputs:',
        '  service: { type: string }',
        '  where: { type: string }',
        'steps:',
        '  - id: look',
        '    note: { prompt: "What do you see?" }',
        '',
      ].join('\n'));
      // The webhook payload Alertmanager 0.25 sent: ledger and payments-api firing (test/fixtures/alerts).
      const payload = parseAlertPayload(readFileSync('test/fixtures/alerts/webhook.json', 'utf8'));
      if (!payload.ok) throw new Error(payload.error);
      const alertmanager = 'http://alertmanager.test:9093';
      const home = { ...(await sources()), runbooks: async () => [runbook], alerts: { alertmanager, list: async () => listAlerts(payload.payload.firing, [runbook], alertmanager) } };
      // Two firing GoMemoryGrowth alerts are two rows: React must see two keys.
      const consoleError = vi.spyOn(console, 'error');
      app = await startApp({ kind: 'home' }, home);
      const frame = await app.waitForFrame(`Firing alerts at ${alertmanager}`);
      expect(consoleError.mock.calls.flat().join(' ')).not.toMatch(/same key/);
      consoleError.mockRestore();
      // Alerts come before everything else; the one no runbook answers says so.
      expect(frame.indexOf('Firing alerts')).toBeLessThan(frame.indexOf('Example incidents'));
      expect(frame).toMatch(/❯ GoMemoryGrowth +\(no runbook\) · job="ledger" instance="127\.0\.0\.1:41236"/);
      expect(frame).toMatch(/ GoMemoryGrowth +→ memory-alert · job="payments-api" instance="127\.0\.0\.1:41235"/);
      app.press(KEYS.enter);
      await app.waitForFrame("GoMemoryGrowth: no runbook to run: no runbook's match: answers alert GoMemoryGrowth");
      app.press(KEYS.down);
      await app.waitForFrame(/❯ GoMemoryGrowth +→ memory-alert/);
      app.press(KEYS.enter);
      await app.waitForFrame('Memory alert (memory-alert)');
      await app.waitForFrame('Enter runs this step');
      const journal = readFileSync(app.controller()!.session.paths.journal, 'utf8');
      const started = JSON.parse(journal.split('\n')[0]!) as { inputs: Record<string, string>; alert: { name: string; labels: Record<string, string>; fingerprint: string } };
      expect(started.inputs).toEqual({ service: 'payments-api', where: '127.0.0.1:41235' });
      expect(started.alert).toMatchObject({ name: 'GoMemoryGrowth', labels: { job: 'payments-api' }, fingerprint: '6ae61de6cc3d2e7a' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('says why the alerts could not be read, and lists the rest', async () => {
    app = await startApp({ kind: 'home' }, { ...(await sources()), alerts: { alertmanager: 'http://127.0.0.1:9', list: async () => Promise.reject(new Error('GET http://127.0.0.1:9/api/v2/alerts: ECONNREFUSED')) } });
    const frame = await app.waitForFrame('No alerts from http://127.0.0.1:9: GET http://127.0.0.1:9/api/v2/alerts: ECONNREFUSED');
    expect(frame).toContain('Example incidents');
  });

  it('masks a password in the Alertmanager URL, in the section title and in the error', async () => {
    const alertmanager = 'http://oncall:hunter2-secret@am.test:9093';
    const payload = parseAlertPayload(readFileSync('test/fixtures/alerts/webhook.json', 'utf8'));
    if (!payload.ok) throw new Error(payload.error);
    app = await startApp({ kind: 'home' }, { ...(await sources()), alerts: { alertmanager, list: async () => listAlerts(payload.payload.firing, [], alertmanager) } });
    const firing = await app.waitForFrame('Firing alerts at http://oncall:');
    expect(firing).not.toContain('hunter2-secret');
    await app.dispose();
    app = await startApp({ kind: 'home' }, { ...(await sources()), alerts: { alertmanager, list: async () => Promise.reject(new Error('ECONNREFUSED')) } });
    const failed = await app.waitForFrame('No alerts from http://oncall:');
    expect(failed).not.toContain('hunter2-secret');
  });
});
