import { describe, expect, it } from 'vitest';
import type { Interactor } from '../../src/engine/events.js';
import { abortableInteractor } from '../../src/fleet/abortable-interactor.js';
import { fleetInteractor } from '../../src/fleet/fleet-interactor.js';
import type { Step } from '../../src/runbook/types.js';

function recordingPerson(): { person: Interactor; asked: string[] } {
  const asked: string[] = [];
  const person: Interactor = {
    ask: async (step, spec) => (asked.push(`ask ${step.id}: ${spec.question}`), spec.choices[0]!.value),
    checklist: async (step, spec) => (asked.push(`checklist ${step.id}`), spec.items.map(() => true)),
    note: async (step) => (asked.push(`note ${step.id}`), 'seen'),
    confirm: async (step, question) => (asked.push(`confirm ${step.id}: ${question}`), true),
    input: async (name) => (asked.push(`input ${name}`), '1'),
  };
  return { person, asked };
}

const ask: Step = { id: 'cause', kind: 'ask', ask: { question: 'Deployed today?', choices: [{ value: 'yes', label: 'Yes' }, { value: 'no', label: 'No' }] } } as Step;
const restart: Step = { id: 'restart', kind: 'run', run: { argv: ['systemctl', 'restart', 'x'], mutates: true } } as unknown as Step;

describe('manual steps answered once for the fleet', () => {
  it('asks once per step however many children ask, at once or later, and gives each the same answer', async () => {
    const { person, asked } = recordingPerson();
    const fleet = fleetInteractor(person, 5);
    const answers = await Promise.all(Array.from({ length: 5 }, () => fleet.ask(ask, (ask as Extract<Step, { kind: 'ask' }>).ask)));
    expect(answers).toEqual(['yes', 'yes', 'yes', 'yes', 'yes']);
    await fleet.ask(ask, (ask as Extract<Step, { kind: 'ask' }>).ask);
    await Promise.all([fleet.note(ask, { prompt: 'p' }), fleet.note(ask, { prompt: 'p' })]);
    expect(asked).toEqual(['ask cause: Deployed today? (answered once for all 5 targets)', 'note cause']);
  });

  it('a mutating step is confirmed once, the question naming how many targets it touches', async () => {
    const { person, asked } = recordingPerson();
    const fleet = fleetInteractor(person, 3);
    expect(await Promise.all([1, 2, 3].map(() => fleet.confirm(restart, 'Run systemctl restart x?')))).toEqual([true, true, true]);
    expect(asked).toEqual(['confirm restart: Run systemctl restart x? It runs on 3 targets of this fleet.']);
  });

  it('a refusal (headless, no --answer) reaches every child, asked once', async () => {
    let calls = 0;
    const person = { ...recordingPerson().person, ask: async () => (calls++, Promise.reject(new Error('pass --answer cause=<yes|no>'))) };
    const fleet = fleetInteractor(person, 2);
    const spec = (ask as Extract<Step, { kind: 'ask' }>).ask;
    const results = await Promise.allSettled([fleet.ask(ask, spec), fleet.ask(ask, spec)]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(calls).toBe(1);
  });

  it('two different steps asked at once reach the person one after the other (one open form at a time)', async () => {
    let open = 0;
    let most = 0;
    const order: string[] = [];
    const slow = async <T,>(what: string, value: T): Promise<T> => {
      most = Math.max(most, ++open);
      await new Promise((resolve) => setTimeout(resolve, 5));
      order.push(what);
      open--;
      return value;
    };
    const person: Interactor = { ...recordingPerson().person, ask: (step) => slow(`ask ${step.id}`, 'yes'), confirm: (step) => slow(`confirm ${step.id}`, true) };
    const fleet = fleetInteractor(person, 2);
    const spec = (ask as Extract<Step, { kind: 'ask' }>).ask;
    expect(await Promise.all([fleet.ask(ask, spec), fleet.confirm(restart, 'Restart?'), fleet.ask(ask, spec)])).toEqual(['yes', true, 'yes']);
    expect(most).toBe(1);
    expect(order).toEqual(['ask cause', 'confirm restart']);
  });
});

describe('a child stopped while it waits on a fleet question', () => {
  /** A person who answers only when told to. */
  function slowPerson(): { person: Interactor; asked: string[]; answer: () => void } {
    const asked: string[] = [];
    const waiting: Array<() => void> = [];
    const later = <T>(value: T): Promise<T> => new Promise((resolve) => waiting.push(() => resolve(value)));
    const person: Interactor = {
      ask: (step, spec) => (asked.push(`ask ${step.id}`), later(spec.choices[0]!.value)),
      checklist: (step, spec) => (asked.push(`checklist ${step.id}`), later(spec.items.map(() => true))),
      note: (step) => (asked.push(`note ${step.id}`), later('seen')),
      confirm: (step) => (asked.push(`confirm ${step.id}`), later(true)),
      input: (name) => (asked.push(`input ${name}`), later('1')),
    };
    return { person, asked, answer: () => waiting.shift()?.() };
  }

  it('stops waiting at once with the reason (its timeout, or Ctrl+C), while the others still get the answer', async () => {
    const { person, answer } = slowPerson();
    const fleet = fleetInteractor(person, 2);
    const stop = new AbortController();
    const stopped = abortableInteractor(fleet, stop.signal, () => 'no conclusion within 3s (--target-timeout): cancelled');
    const other = abortableInteractor(fleet, new AbortController().signal, () => 'never');
    const spec = (ask as Extract<Step, { kind: 'ask' }>).ask;
    const waiting = stopped.ask(ask, spec);
    const waitingToo = other.ask(ask, spec);
    stop.abort();
    await expect(waiting).rejects.toThrow('no conclusion within 3s (--target-timeout): cancelled');
    answer();
    expect(await waitingToo).toBe('yes');
    // Already stopped: not even asked.
    await expect(stopped.note(ask, { prompt: 'p' })).rejects.toThrow('--target-timeout');
  });

  it('a question still queued when the fleet is cancelled is never put to the person', async () => {
    const { person, asked, answer } = slowPerson();
    const cancelled = new AbortController();
    const fleet = fleetInteractor(person, 2, cancelled.signal);
    const first = fleet.ask(ask, (ask as Extract<Step, { kind: 'ask' }>).ask);
    const queued = fleet.confirm(restart, 'Run systemctl restart x?');
    await Promise.resolve();
    expect(asked).toEqual(['ask cause']);
    cancelled.abort();
    answer();
    expect(await first).toBe('yes');
    await expect(queued).rejects.toThrow('not asked: the fleet run was cancelled');
    expect(asked).toEqual(['ask cause']);
  });
});
