// The TUI's Interactor: the engine awaits a question, the broker holds it as the one open
// prompt, the App draws the matching form, and the form's answer settles the engine's
// promise. Also a tiny external store (subscribe/getSnapshot) for useSyncExternalStore.
import type { InputContext, Interactor } from '../engine/events.js';
import type { CommandRecord } from '../journal/records.js';
import type { AskSpec, ChecklistSpec, InputSpec, NoteSpec, Step } from '../runbook/types.js';

export type Prompt =
  | { kind: 'ask'; step: Step; spec: AskSpec }
  | { kind: 'checklist'; step: Step; spec: ChecklistSpec }
  | { kind: 'note'; step: Step; spec: NoteSpec }
  | { kind: 'confirm'; step: Step; question: string; command?: CommandRecord }
  | { kind: 'input'; name: string; spec: InputSpec; context: InputContext };

type Answer<P extends Prompt> = P extends { kind: 'ask' | 'note' | 'input' } ? string : P extends { kind: 'checklist' } ? boolean[] : boolean;

interface Open {
  prompt: Prompt;
  settle: (value: unknown) => void;
}

export class PromptBroker {
  private open: Open | null = null;
  private readonly listeners = new Set<() => void>();

  readonly subscribe = (onChange: () => void): (() => void) => {
    this.listeners.add(onChange);
    return () => this.listeners.delete(onChange);
  };

  readonly getSnapshot = (): Prompt | null => this.open?.prompt ?? null;

  /** Settles the open prompt with the form's answer. */
  answer<P extends Prompt>(prompt: P, value: Answer<P>): void {
    if (this.open?.prompt !== prompt) return;
    const { settle } = this.open;
    this.open = null;
    this.notify();
    settle(value);
  }

  readonly interactor: Interactor = {
    ask: (step, spec) => this.ask<string>({ kind: 'ask', step, spec }),
    checklist: (step, spec) => this.ask<boolean[]>({ kind: 'checklist', step, spec }),
    note: (step, spec) => this.ask<string>({ kind: 'note', step, spec }),
    confirm: (step, question, command) => this.ask<boolean>({ kind: 'confirm', step, question, ...(command ? { command } : {}) }),
    input: (name, spec, context = {}) => this.ask<string>({ kind: 'input', name, spec, context }),
  };

  private ask<T>(prompt: Prompt): Promise<T> {
    if (this.open !== null) return Promise.reject(new Error(`a ${this.open.prompt.kind} prompt is already open`));
    return new Promise<T>((resolve) => {
      this.open = { prompt, settle: (value) => resolve(value as T) };
      this.notify();
    });
  }

  private notify(): void {
    for (const listener of this.listeners) listener();
  }
}
