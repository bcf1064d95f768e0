// Secrets reach neither disk nor screen (issue 17, item 1): a secret input goes into a fetch
// URL and headers and a command's argv, a server echoes it back, a file holds it, a command
// prints it raw and base64-encoded. The built CLI runs the runbook plain, with --json, in the
// TUI and through export; no byte it writes or shows may hold the secret in any form.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli } from '../helpers/cli.js';
import { enterUntil, hasTmux, openTerminal, type TerminalRun } from '../e2e/tmux.js';

const SECRET = 'SUPERSECRET123';
/** The base64 chars that encode only the secret's bytes inside `user:SECRET`. */
const BASE64_CORE = Buffer.from(`user:${SECRET}`).toString('base64').slice(7, 24);
const runbook = fileURLToPath(new URL('../fixtures/runbooks-hardening/secret-echo.yaml', import.meta.url));

let dir: string;
let server: Server;
let base: string;
let evidence: string;
const seen: string[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'runbook-secrets-'));
  evidence = join(dir, 'config.env');
  writeFileSync(evidence, `password=${SECRET}\nuser=svc\n`);
  server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://x');
    seen.push(String(request.headers.authorization));
    response.setHeader('content-type', 'text/plain');
    response.end(`query=${url.searchParams.get('token')}\nauth=${request.headers.authorization}\nkey=${request.headers['x-api-key']}\nbasic=${Buffer.from(`user:${SECRET}`).toString('base64')}\n`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

function vars(): string[] {
  return ['--var', `token=${SECRET}`, '--var', `base=${base}`, '--var', `file=${evidence}`];
}

function expectNoSecret(text: string, where: string): void {
  expect(text.includes(SECRET), `${where} holds the secret`).toBe(false);
  expect(text.includes(BASE64_CORE), `${where} holds the secret in base64`).toBe(false);
}

/** Every file under `root`, read as bytes (latin1: any byte sequence compares); returns their names. */
function expectNoSecretOnDisk(root: string): string[] {
  const files: string[] = [];
  const walk = (path: string): void => {
    if (statSync(path).isDirectory()) {
      for (const name of readdirSync(path)) walk(join(path, name));
      return;
    }
    files.push(path.slice(path.lastIndexOf('/') + 1));
    expectNoSecret(readFileSync(path).toString('latin1'), path);
  };
  walk(root);
  return files;
}

describe('a secret input echoed back by every step kind', () => {
  it('plain run: the server got the secret, and no screen line or file under the state dir holds it', async () => {
    const state = join(dir, 'plain');
    const run = await runCli(['run', runbook, ...vars(), '--yes', '--non-interactive'], { env: { RUNBOOK_STATE_DIR: state } });
    expect(run.exitCode, run.stderr).toBe(0);
    // The request carried the real value: redaction is of what is kept and shown, not sent.
    expect(seen).toContain(`Bearer ${SECRET}`);
    expectNoSecret(run.stdout + run.stderr, 'the plain output');
    expect(run.stdout + run.stderr).toContain('the server saw [REDACTED:secret-input]');
    // The artifacts of every step kind were there to be checked.
    expect(expectNoSecretOnDisk(state)).toEqual(
      expect.arrayContaining(['journal.jsonl', 'fetched-1.body', 'config-1.content', 'printed-1.stdout', 'printed-1.stderr', 'fetched-1.facts.json', 'printed-1.facts.json']),
    );

    const [id] = readdirSync(join(state, 'sessions'));
    const exported = await runCli(['export', id!, '--format', 'md'], { env: { RUNBOOK_STATE_DIR: state } });
    expect(exported.exitCode, exported.stderr).toBe(0);
    expectNoSecret(exported.stdout, 'the exported notes');
    expectNoSecretOnDisk(state);
  }, 60_000);

  it('--json events hold no secret', async () => {
    const state = join(dir, 'json');
    const run = await runCli(['run', runbook, ...vars(), '--yes', '--non-interactive', '--json'], { env: { RUNBOOK_STATE_DIR: state } });
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stdout).toContain('"type":"step.finished"');
    expectNoSecret(run.stdout + run.stderr, 'the --json events');
    expectNoSecretOnDisk(state);
  }, 60_000);

  it.skipIf(!hasTmux() && process.env.CI !== 'true')('TUI: no screen shows it (facts, output, the confirm prompt, the conclusion)', async () => {
    let term: TerminalRun | undefined;
    const screens = new Set<string>();
    let watch: NodeJS.Timeout | undefined;
    try {
      const opened = openTerminal(['run', runbook, ...vars()], { RUNBOOK_STATE_DIR: join(dir, 'tui') }, { columns: 160, rows: 50 });
      term = opened;
      // Every frame seen while the steps run, not only the ones the test waits for.
      watch = setInterval(() => screens.add(opened.screen()), 40);
      await term.waitFor('Enter runs this step');
      screens.add(await enterUntil(term, /This step changes things/));
      term.keys('y');
      screens.add(await enterUntil(term, /the server saw/));
      for (const screen of screens) expectNoSecret(screen, `the screen:\n${screen}`);
      expect([...screens].join('\n')).toContain('[REDACTED:secret-input]');
    } finally {
      clearInterval(watch);
      term?.kill();
    }
    expectNoSecretOnDisk(join(dir, 'tui'));
  }, 90_000);
});
