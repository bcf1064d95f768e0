// The session lock: atomic takeover of a stale lock, pid reuse recognised by the process
// start time, and a failed createSession releasing what it took (issue 17, item 3).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UserError } from '../../src/errors.js';
import { createSessionDir, lockOwner, lockSession } from '../../src/journal/session-dir.js';
import { newSessionId } from '../../src/journal/session-id.js';
import { processStartTime } from '../../src/util/process-identity.js';
import { fixture } from '../engine/helpers.js';

const sessionDirModule = fileURLToPath(new URL('../../dist/journal/session-dir.js', import.meta.url));

let stateDir: string;
beforeEach(() => {
  stateDir = mkdtempSync(join(tmpdir(), 'runbook-lock-'));
});
afterEach(() => rmSync(stateDir, { recursive: true, force: true }));

/** A pid that no process has now: one that just exited. */
function deadPid(): number {
  const child = spawn('true');
  const pid = child.pid!;
  execFileSync('sh', ['-c', `while kill -0 ${pid} 2>/dev/null && [ "$(cut -d' ' -f3 /proc/${pid}/stat 2>/dev/null)" != Z ]; do sleep 0.01; done`]);
  return pid;
}

// Each contender says it is ready, waits for the go file (polled every ms, so all start
// within about a ms without spinning 6 cores' worth on 2), tries the lock and says how it
// went; a winner holds the lock until the done file exists (after every contender spoke),
// so no late starter can find it stale again.
const contender = `
const { lockSession } = await import(process.argv[1]);
const [, , lockDir, go, done] = process.argv;
const { existsSync, writeFileSync } = await import('node:fs');
writeFileSync(lockDir + '/ready-' + process.pid, '');
const tick = new Int32Array(new SharedArrayBuffer(4));
while (!existsSync(go)) Atomics.wait(tick, 0, 0, 1);
try {
  lockSession({ dir: lockDir, lock: lockDir + '/session.lock' }, 's');
  process.stdout.write('won');
  while (!existsSync(done)) await new Promise((r) => setTimeout(r, 10));
} catch (error) {
  process.stdout.write(error.name === 'UserError' ? 'lost' : 'error ' + error.message);
}`;

interface Contender {
  said(): string;
  exited: Promise<void>;
}

function runContender(lockDir: string, go: string, done: string): Contender {
  const child = spawn(process.execPath, ['--input-type=module', '-e', contender, sessionDirModule, lockDir, go, done], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  return { said: () => out, exited: new Promise((resolve) => child.on('exit', () => resolve())) };
}

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((r) => setTimeout(r, 10));
}

describe('session lock', () => {
  it('lets exactly one of several processes that all see a stale lock take it (3 rounds of 6)', async () => {
    for (let round = 0; round < 3; round++) {
      const paths = createSessionDir(stateDir, newSessionId('race'));
      writeFileSync(paths.lock, `${deadPid()} 1\n`);
      const go = join(paths.dir, 'go');
      const done = join(paths.dir, 'done');
      const contenders = Array.from({ length: 6 }, () => runContender(paths.dir, go, done));
      await until(() => readdirSync(paths.dir).filter((f) => f.startsWith('ready-')).length === 6);
      writeFileSync(go, '');
      await until(() => contenders.every((c) => c.said() !== ''));
      writeFileSync(done, '');
      await Promise.all(contenders.map((c) => c.exited));
      expect(contenders.map((c) => c.said()).sort(), `round ${round}`).toEqual(['lost', 'lost', 'lost', 'lost', 'lost', 'won']);
      // No per-owner or breaker file is left behind: only the (now stale) winner's lock.
      expect(readdirSync(paths.dir).filter((f) => f.startsWith('session.lock'))).toEqual(['session.lock']);
    }
  }, 120_000);

  it('takes over a lock whose pid now belongs to an unrelated process (start time differs)', () => {
    const paths = createSessionDir(stateDir, newSessionId('reuse'));
    const unrelated = spawn('sleep', ['30']);
    try {
      const start = processStartTime(unrelated.pid!);
      expect(start).not.toBeNull();
      writeFileSync(paths.lock, `${unrelated.pid} ${Number(start) - 1000}\n`);
      expect(lockOwner(paths)).toBeNull();
      const release = lockSession(paths, 's');
      expect(readFileSync(paths.lock, 'utf8')).toBe(`${process.pid} ${processStartTime(process.pid)}\n`);
      release();
      expect(existsSync(paths.lock)).toBe(false);

      // The same pid with its real start time is a live holder: refused, naming it.
      writeFileSync(paths.lock, `${unrelated.pid} ${start}\n`);
      expect(lockOwner(paths)).toBe(unrelated.pid);
      expect(() => lockSession(paths, 's')).toThrow(new RegExp(`in use by process ${unrelated.pid}`));
    } finally {
      unrelated.kill('SIGKILL');
    }
  });

  it('never removes a lock that another process took after this one released it', () => {
    const paths = createSessionDir(stateDir, newSessionId('release'));
    const release = lockSession(paths, 's');
    rmSync(paths.lock);
    writeFileSync(paths.lock, `${process.ppid} ${processStartTime(process.ppid)}\n`);
    release();
    expect(existsSync(paths.lock)).toBe(true);
  });

  it('releases the lock and the journal, when createSession fails after taking them', async () => {
    const journalFds = (): string[] =>
      readdirSync('/proc/self/fd').flatMap((fd) => {
        try {
          const target = readlinkSync(`/proc/self/fd/${fd}`);
          return target.startsWith(stateDir) ? [target] : [];
        } catch {
          return [];
        }
      });
    const { createSession } = await import('../../src/engine/open-session.js');
    const { loadRunbook } = await import('../../src/runbook/load.js');
    const { flagInteractor } = await import('../../src/engine/flag-interactor.js');
    const { plainOptions } = await import('../engine/helpers.js');
    await expect(
      createSession({
        runbook: await loadRunbook(fixture('branching.yaml')),
        stateDir,
        interactor: flagInteractor({}),
        options: plainOptions,
        vars: { p99: '1' },
        listener: () => {
          throw new UserError('listener failed');
        },
      }),
    ).rejects.toThrow('listener failed');
    // session.started was written before the listener threw: the session stays, unlocked
    // and with its journal closed, so it can be resumed.
    const [id] = readdirSync(join(stateDir, 'sessions'));
    const dir = join(stateDir, 'sessions', id!);
    expect(readdirSync(dir).sort()).toEqual(['artifacts', 'journal.jsonl']);
    expect(journalFds()).toEqual([]);
  });
});
