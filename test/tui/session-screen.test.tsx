// The session screen over a real engine session: Enter walks a bundle replay to its
// conclusion, x exports notes, manual steps take their forms, Ctrl+C cancels a running
// step's whole process group and a second Ctrl+C quits.
import './no-ci.js';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { liveGroupIds } from '../../src/exec/process-registry.js';
import { readJournal } from '../../src/journal/reader.js';
import { examplesDir, fixtureRunbook, fixtureRunbooks, KEYS, startApp, type Harness } from './harness.js';
import { groupMembers } from '../../src/exec/process-group.js';
import { formatDuration } from '../../src/facts/format-human.js';

let app: Harness | undefined;
afterEach(async () => {
  await app?.dispose();
  app = undefined;
});

async function journalOf(h: Harness) {
  const controller = h.controller();
  if (!controller) throw new Error('no session');
  return (await readJournal(controller.session.paths.journal)).records;
}

describe('session screen', () => {
  it('walks a bundle replay to its conclusion with Enter alone, then exports notes with x', async () => {
    const runbook = await fixtureRunbook('go-memory');
    app = await startApp({ kind: 'session', request: { kind: 'new', runbook, vars: { interval: '10ms' }, bundle: join(examplesDir, 'go-heap-leak') } });
    await app.waitForFrame('Enter runs this step');
    for (const next of ['○ pause', '○ after', '○ compare', '○ grew']) {
      app.press(KEYS.enter);
      await app.waitForFrame(new RegExp(`[✔↷] \\S+ → ${next}`)); // a replayed wait is skipped
    }
    app.press(KEYS.enter);
    const frame = await app.waitForFrame('Conclusion: memory-growth');
    expect(frame).toContain('severity high');
    expect(frame).toMatch(/rss_growth_mb = [\d.]+; [\d.]+ > 20 is true → grew/);
    expect(frame).toMatch(/status\.vm_rss_kb +[\d.]+ MiB/);
    expect(frame).not.toMatch(/status\.vm_rss_kb +\d+\s*$/m);
    // Over: the footer offers no run or skip, look-back no re-run, and the clock has stopped.
    const footer = frame.trimEnd().split('\n').pop()!;
    expect(footer).toBe('f facts · x export · ↑ look back · q quit · ? keys');
    const state = app.controller()!.session.state;
    const elapsed = formatDuration(Date.parse(state.conclusion!.t) - Date.parse(state.startedAt));
    expect(frame).toContain(`· ${elapsed} · concluded ·`);
    app.press(KEYS.up);
    const back = await app.waitForFrame('looking back');
    expect(back).not.toContain('re-run');
    app.press(KEYS.enter);
    await app.waitForFrame(/Concluded: memory-growth[^\n]*\n[^\n]*f facts/);
    app.press('x');
    // The path on a line of its own, ~ for the home directory: it does not wrap mid-word.
    const written = await app.waitForFrame(/notes written to\n +[~/]\S*\/notes-/);
    expect(written).not.toMatch(/notes written to \//);
    const { dir, id } = app.controller()!.session.paths.dir ? { dir: app.controller()!.session.paths.dir, id: app.controller()!.session.id } : { dir: '', id: '' };
    expect(readFileSync(join(dir, `notes-${id}.md`), 'utf8')).toContain('memory-growth');
    app.press('q');
    await app.exited;
  });

  it('takes pasted output for a step run by hand (p), branches on it, and journals it as by hand', async () => {
    const runbook = await fixtureRunbook('paste-back');
    app = await startApp({ kind: 'session', request: { kind: 'new', runbook, vars: {} } });
    await app.waitForFrame('Enter runs this step');
    app.press('p');
    await app.waitForFrame('Output of step measure, run by hand elsewhere');
    app.press('latency p99_ms=27.5 over 300 requests');
    await app.waitForFrame('p99_ms=27.5');
    app.press(KEYS.ctrlD);
    await app.waitForFrame(/measure · passed · \d+ ms · run by hand/);
    await app.waitForFrame('num(27.5) > 10 is true → slow');
    app.press(KEYS.enter);
    await app.waitForFrame('Conclusion: slow');
    const records = await journalOf(app);
    const measured = records.find((r) => r.type === 'step.finished' && r.step === 'measure');
    expect(measured).toMatchObject({ status: 'passed', by_hand: true });
    app.press('x');
    await app.waitForFrame('notes written to');
    expect((await journalOf(app)).filter((r) => r.type === 'session.exported')).toHaveLength(1);
    app.press('q');
    await app.exited;
  });

  it('takes ask, checklist and note answers in forms and asks y before a step that changes things', async () => {
    const runbook = await fixtureRunbook('manual');
    app = await startApp({ kind: 'session', request: { kind: 'new', runbook, vars: {} } });
    await app.waitForFrame('Enter runs this step');
    app.press(KEYS.enter);
    await app.waitForFrame('Which symptom?');
    app.press(KEYS.down);
    await app.waitForFrame('❯ 2. Latency spikes');
    app.press(KEYS.up);
    await app.waitForFrame('❯ 1. Memory grows');
    app.press(KEYS.enter);
    await app.waitForFrame('answer: memory');

    app.press(KEYS.enter);
    await app.waitForFrame('[ ] Paged the owner');
    app.press(' ');
    await app.waitForFrame('[x] Paged the owner');
    app.press(KEYS.enter);
    await app.waitForFrame(/Space tick|Observations/);
    await app.waitForFrame('○ Observations');

    app.press(KEYS.enter);
    await app.waitForFrame('What did you notice?');
    app.press('heap ', 'flat');
    await app.waitForFrame('heap flat');
    app.press(KEYS.enter, 'rss up');
    await app.waitForFrame('rss up');
    app.press(KEYS.ctrlD);
    await app.waitForFrame('note: heap flat');

    app.press(KEYS.enter);
    await app.waitForFrame('press y to go ahead');
    expect(app.frame()).toContain('changes: restarts the canary pod');
    expect(app.frame()).toContain("$ sh -c 'echo restarted'");
    app.press(KEYS.enter); // Enter is not a yes
    app.press('y');
    await app.waitForFrame(/✔ Restart the canary/);

    const records = await journalOf(app);
    const finished = records.filter((r) => r.type === 'step.finished');
    expect(finished.map((r) => r.type === 'step.finished' && [r.step, r.status])).toEqual([
      ['symptom', 'passed'],
      ['checks', 'passed'],
      ['observations', 'passed'],
      ['restart', 'passed'],
    ]);
    const checks = finished.find((r) => r.type === 'step.finished' && r.step === 'checks');
    expect(checks?.type === 'step.finished' && checks.checklist).toEqual([
      { item: 'Paged the owner', checked: true },
      { item: 'Opened an incident channel', checked: false },
    ]);
    const note = finished.find((r) => r.type === 'step.finished' && r.step === 'observations');
    expect(note?.type === 'step.finished' && note.note).toBe('heap flat\nrss up');
  });

  it('records s as a skip, adds notes with n, and lists the keys with ?', async () => {
    const runbook = await fixtureRunbook('manual');
    app = await startApp({ kind: 'session', request: { kind: 'new', runbook, vars: {} } });
    await app.waitForFrame('Enter runs this step');
    app.press('?');
    await app.waitForFrame('any key closes this list');
    expect(app.frame()).toContain('copy the command to the clipboard');
    app.press('z');
    await app.waitForFrame('Enter runs this step');
    app.press('n');
    await app.waitForFrame('Note for the incident notes');
    app.press('paged at 03:12');
    await app.waitForFrame('paged at 03:12');
    app.press(KEYS.ctrlD);
    await app.waitForFrame('✎ note: paged at 03:12');
    app.press('s');
    await app.waitForFrame(/↷ What do you see\?/);
    const records = await journalOf(app);
    expect(records.some((r) => r.type === 'step.finished' && r.step === 'symptom' && r.status === 'skipped')).toBe(true);
    expect(records.some((r) => r.type === 'note.added' && r.text === 'paged at 03:12')).toBe(true);
  });

  it('cancels a running pipeline with Ctrl+C (no process of its group left), bounds its output, and quits on the second Ctrl+C', async () => {
    const runbook = await fixtureRunbook('long-running');
    app = await startApp({ kind: 'session', request: { kind: 'new', runbook, vars: {} } });
    await app.waitForFrame('Enter runs this step');
    app.press('c');
    await app.waitForFrame(/copied — paste it into a shell on this host:\s+seq 1 1000; sleep 300 \| cat/);
    const osc52 = `\u001b]52;c;${Buffer.from('seq 1 1000; sleep 300 | cat').toString('base64')}\u0007`;
    expect(app.ink.stdout.frames).toContain(osc52);
    app.press(KEYS.enter);
    const running = await app.waitForFrame(/earlier lines[\s\S]*1000/);
    expect(running).toMatch(/running \d/);
    expect(running).toContain("$ seq 1 1000; sleep 300 | cat");
    expect(running).not.toMatch(/^\s+1\s*$/m);
    expect(liveGroupIds().length).toBe(1);
    const [pgid] = liveGroupIds();
    app.press(KEYS.ctrlC);
    await app.waitForFrame('press Ctrl+C again to quit');
    await app.waitForFrame(/⊘ Stuck pipeline/);
    expect(liveGroupIds()).toEqual([]);
    expect(groupMembers(pgid!).filter((member) => member.state !== 'Z')).toEqual([]); // zombies run nothing
    app.press(KEYS.ctrlC);
    await app.exited;
    const records = await journalOf(app);
    expect(records.some((r) => r.type === 'step.finished' && r.step === 'stuck' && r.status === 'cancelled')).toBe(true);
    expect(records.some((r) => r.type === 'session.ended')).toBe(false); // left resumable
  });

  it('quits at once on Ctrl+C, Ctrl+C while a form is open, leaving the session resumable', async () => {
    const runbook = await fixtureRunbook('manual');
    app = await startApp({ kind: 'session', request: { kind: 'new', runbook, vars: {} } });
    await app.waitForFrame('Enter runs this step');
    app.press(KEYS.enter);
    await app.waitForFrame('Which symptom?');
    const started = Date.now();
    app.press(KEYS.ctrlC);
    await app.waitForFrame('press Ctrl+C again to quit');
    app.press(KEYS.ctrlC);
    await app.exited;
    expect(Date.now() - started).toBeLessThan(3000);
    const records = await journalOf(app);
    expect(records.some((r) => r.type === 'session.ended')).toBe(false);
  });

  it('looks back at finished steps with ↑ and re-runs one with r', async () => {
    const runbook = await fixtureRunbook('go-memory');
    app = await startApp({ kind: 'session', request: { kind: 'new', runbook, vars: { interval: '10ms' }, bundle: join(examplesDir, 'healthy') } });
    await app.waitForFrame('Enter runs this step');
    app.press(KEYS.enter);
    await app.waitForFrame('○ Let it grow');
    app.press(KEYS.up);
    await app.waitForFrame('looking back (1/1)');
    app.press('r');
    await app.waitForFrame('attempt 2');
    await app.waitForFrame('○ Let it grow');
    const records = await journalOf(app);
    expect(records.filter((r) => r.type === 'step.finished' && r.step === 'before').length).toBe(2);
    expect(existsSync(app.controller()!.session.paths.dir)).toBe(true);
  });
});

describe('commands during a bundle replay', () => {
  it('shows and copies filled-in commands (a snapshot as cat/curl, a script with its env), takes pasted output on a live step and re-reads the same snapshot on r', async () => {
    const runbook = await fixtureRunbook('replay-by-hand');
    const bundle = join(examplesDir, 'c-heap-leak'); // meta.json: pid 6279, pprof http://127.0.0.1:46579
    app = await startApp({ kind: 'session', request: { kind: 'new', runbook, vars: {}, bundle } });
    await app.waitForFrame('Enter runs this step');
    // The snapshot's card shows the equivalent commands for the captured process.
    expect(app.frame()).toContain('$ cat /proc/6279/status > status');
    app.press('c');
    await app.waitForFrame('copied — paste it into a shell on the host the bundle was captured on');
    expect(app.frame()).toContain("curl -sS 'http://127.0.0.1:46579/debug/pprof/heap?debug=1' > heap.txt");
    app.press(KEYS.enter);
    await app.waitForFrame('○ pause');
    app.press('r'); // the snapshot again: the same bundle snapshot 0, twice
    await app.waitForFrame('attempt 2');
    await app.waitForFrame(/○ pause/);
    const befores = (await journalOf(app)).filter((r) => r.type === 'step.finished' && r.step === 'before');
    const first = readFileSync(join(bundle, 'snapshots', '0', 'taken_at'), 'utf8').trim();
    expect(befores.map((r) => (r.type === 'step.finished' ? r.facts?.['taken_at'] : undefined))).toEqual([first, first]);
    // The wait shows its rendered duration, not the template.
    expect(app.frame()).toContain('$ wait 30s');
    app.press(KEYS.enter);
    await app.waitForFrame('Outstanding C allocations');
    const card = await app.waitForFrame("$ env PID=6279 /bin/sh -c 'exec memleak");
    expect(card).not.toContain('{{');
    app.press('c');
    await app.waitForFrame("env PID=6279 /bin/sh -c 'exec memleak -p \"$PID\" --top 10 10 3");
    app.press('p');
    await app.waitForFrame('Output of step outstanding, run by hand elsewhere');
    app.press('2048 bytes in 16 allocations from stack');
    await app.waitForFrame('2048 bytes in 16');
    app.press(KEYS.ctrlD);
    await app.waitForFrame(/outstanding · passed · \d+ ms · run by hand/);
    // The finished step shows what was run (by hand), filled in.
    expect(app.frame()).toContain("$ env PID=6279 /bin/sh -c");
    const records = await journalOf(app);
    const outstanding = records.find((r) => r.type === 'step.finished' && r.step === 'outstanding');
    expect(outstanding).toMatchObject({ status: 'passed', by_hand: true, facts: { outstanding_bytes: 2048, allocations: 16 } });
    app.press(KEYS.enter);
    await app.waitForFrame('Conclusion: c-leak');
    app.press('q');
    await app.exited;
  });
});

describe('the inputs form of runbook run', () => {
  it('asks every input not given on the command line, defaults prefilled, then shows the filled-in command', async () => {
    const runbook = await fixtureRunbook('ask-inputs');
    app = await startApp({ kind: 'session', request: { kind: 'new', runbook, vars: { depth: '0' } } });
    const form = await app.waitForFrame(/❯ Which directory\? +\/nonexistent-default▏/);
    expect(form).toContain('How long to wait?');
    expect(form).not.toContain('How deep?'); // given with --var
    app.press('\u007f'.repeat('/nonexistent-default'.length), fixtureRunbooks);
    await app.waitForFrame(`${fixtureRunbooks}▏`);
    app.press(KEYS.enter);
    await app.waitForFrame(/❯ How long to wait\? +30s▏/);
    app.press(KEYS.enter);
    const card = await app.waitForFrame('Enter runs this step');
    expect(card).toContain(`$ du -sk --max-depth=0 ${fixtureRunbooks}`);
    app.press(KEYS.enter);
    await app.waitForFrame(/Size of the directory[^\n]*passed/);
    expect(app.frame()).toContain('$ wait 30s');
    const started = (await journalOf(app)).find((r) => r.type === 'session.started');
    expect(started).toMatchObject({ inputs: { dir: fixtureRunbooks, depth: 0, interval: '30s' } });
  });

  it('takes text and Enter typed ahead in one read as the value then Enter, not a trailing space', async () => {
    const runbook = await fixtureRunbook('ask-inputs');
    app = await startApp({ kind: 'session', request: { kind: 'new', runbook, vars: { depth: '0' } } });
    await app.waitForFrame(/❯ Which directory\? +\/nonexistent-default▏/);
    app.press(`${'\u007f'.repeat('/nonexistent-default'.length)}${fixtureRunbooks}\r\u007f\u007f\u007f45s\r`);
    const card = await app.waitForFrame('Enter runs this step');
    expect(card).toContain(`$ du -sk --max-depth=0 ${fixtureRunbooks}`);
    const started = (await journalOf(app)).find((r) => r.type === 'session.started');
    expect(started).toMatchObject({ inputs: { dir: fixtureRunbooks, depth: 0, interval: '45s' } });
  });

  it('puts a prompt too long for the terminal on a line of its own, the value under it', async () => {
    const runbook = await fixtureRunbook('long-prompt');
    app = await startApp({ kind: 'session', request: { kind: 'new', runbook, vars: {} } });
    const form = await app.waitForFrame('/srv/app▏');
    const lines = form.split('\n');
    const promptLine = lines.findIndex((line) => line.startsWith("❯ The service's Go source tree"));
    const valueLine = lines.findIndex((line) => line.includes('/srv/app'));
    // The prompt (wider than the terminal) wraps on its own lines; the value follows it, whole.
    expect(valueLine).toBeGreaterThan(promptLine);
    expect(lines[valueLine - 1]).toMatch(/skip\)$/);
    expect(lines[valueLine]).toBe('    /srv/app▏ (path, optional)');
  });

  it('asks nothing a bundle replay ignores (live-only inputs, an interval only a wait uses)', async () => {
    const runbook = await fixtureRunbook('replay-by-hand');
    app = await startApp({ kind: 'session', request: { kind: 'new', runbook, vars: {}, bundle: join(examplesDir, 'c-heap-leak') } });
    const frame = await app.waitForFrame('Enter runs this step');
    expect(frame).not.toContain('Inputs (Enter keeps the value shown)');
  });
});

describe('the facts view', () => {
  it('f shows every fact of a finished step in human units, scrolls, filters, and Esc goes back', async () => {
    const runbook = await fixtureRunbook('go-memory');
    app = await startApp({ kind: 'session', request: { kind: 'new', runbook, vars: { interval: '10ms' }, bundle: join(examplesDir, 'go-heap-leak') } });
    await app.waitForFrame('Enter runs this step');
    for (const next of ['○ pause', '○ after', '○ compare']) {
      app.press(KEYS.enter);
      await app.waitForFrame(new RegExp(`[✔↷] \\S+ → ${next}`));
    }
    app.press('f'); // the last finished step: the second snapshot
    const view = await app.waitForFrame(/Facts of Snapshot again · \d+ facts/);
    const total = Number(/· (\d+) facts/.exec(view)![1]);
    expect(total).toBeGreaterThan(60);
    expect(view).toMatch(/status\.vm_rss_kb +[\d.]+ MiB/);
    app.press('memstats_diff heap_inuse\r'); // typed ahead with Enter in one read: Enter is no space
    const filtered = await app.waitForFrame(/filter: memstats_diff heap_inuse/);
    expect(filtered).toContain('filter: memstats_diff heap_inuse▏');
    expect(filtered).toMatch(/memstats_diff\.heap_inuse_delta +\+[\d.]+ MiB/);
    expect(filtered).toMatch(new RegExp(`\\d+ of ${total} facts`));
    app.press('\u007f'.repeat('memstats_diff heap_inuse'.length));
    await app.waitForFrame(new RegExp(`· ${total} facts · 1–`));
    app.press('\u001B[6~'); // PgDn
    await app.waitForFrame(/· \d+ facts · (?!1–)\d+–/);
    app.press(KEYS.escape);
    await app.waitForFrame('Enter runs this step');
    expect(app.frame()).not.toContain('Facts of');
  });
});
