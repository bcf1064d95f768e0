// The form for what the engine is waiting on (the broker's one open prompt): drawn in the
// session screen's step card, and in the fleet view for a question asked once for a fleet.
import { AskForm } from './AskForm.js';
import { ChecklistForm } from './ChecklistForm.js';
import { ConfirmForm } from './ConfirmForm.js';
import { InputsForm } from './InputsForm.js';
import { NoteEditor } from './NoteEditor.js';
import type { Prompt, PromptBroker } from './prompt-broker.js';

/** The form for what the engine is waiting on. */
/** `fleet`: asked once for every target of a fleet, `target` naming them. */
export function PromptForm({ prompt, broker, target, maxRows, fleet = false }: { prompt: Prompt; broker: PromptBroker; target: string; maxRows: number; fleet?: boolean }) {
  switch (prompt.kind) {
    case 'ask':
      return <AskForm spec={prompt.spec} onAnswer={(value) => broker.answer(prompt, value)} />;
    case 'checklist':
      return <ChecklistForm spec={prompt.spec} onAnswer={(ticked) => broker.answer(prompt, ticked)} />;
    case 'note':
      return (
        <NoteEditor
          prompt={prompt.spec.prompt}
          maxRows={maxRows}
          onDone={(text) => broker.answer(prompt, text)}
          {...(prompt.spec.optional === true ? { onCancel: () => broker.answer(prompt, '') } : {})}
        />
      );
    case 'confirm':
      return (
        <ConfirmForm
          question={prompt.question}
          target={target}
          fleet={fleet}
          {...(prompt.command ? { command: prompt.command } : {})}
          {...(prompt.step.kind === 'run' && prompt.step.run.changes !== undefined ? { changes: prompt.step.run.changes } : {})}
          onAnswer={(yes) => broker.answer(prompt, yes)}
        />
      );
    case 'input':
      return (
        <InputsForm
          title={`Input ${prompt.name}`}
          fields={[{ name: prompt.name, spec: prompt.spec, initial: '' }]}
          onSubmit={(values) => broker.answer(prompt, values[prompt.name] ?? '')}
        />
      );
  }
}
