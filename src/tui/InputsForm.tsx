// A runbook's inputs as a form: one field at a time, prefilled with the default (Enter
// keeps it), checked with the engine's own conversion (convertInput) before moving on,
// secrets shown as dots. Serves the home screen and the engine's `input` questions.
import { Box, Text, type Key } from 'ink';
import { useState } from 'react';
import { useStateRef } from './use-state-ref.js';
import type { InputSpec } from '../runbook/types.js';
import { fieldProblem } from './field-problem.js';
import { Priority } from './input-router.js';
import { editText } from './text-edit.js';
import { withEnterTypedAhead } from './line-keys.js';
import { color } from './theme.js';
import { useKeyLayer } from './use-key-layer.js';
import { useTerminalSize } from './use-terminal-size.js';

export interface InputField {
  name: string;
  spec: InputSpec;
  /** The default, or a value chosen on the home screen (the pid of a picked process). */
  initial: string;
}

export interface InputsFormProps {
  title: string;
  fields: InputField[];
  onSubmit: (values: Record<string, string>) => void;
  onCancel?: () => void;
}

export function InputsForm({ title, fields, onSubmit, onCancel }: InputsFormProps) {
  const [values, setValues, valuesRef] = useStateRef(() => fields.map((f) => f.initial));
  const { columns } = useTerminalSize();
  const [index, setIndex, indexRef] = useStateRef(0);
  const [problem, setProblem] = useState<string | null>(null);
  const handle = (input: string, key: Key): boolean => {
    const index = indexRef.current;
    const values = valuesRef.current;
    const field = fields[index];
    if (!field) return false;
    if (key.escape && onCancel) {
      onCancel();
      return true;
    }
    if (key.return || key.tab || key.downArrow) {
      const issue = fieldProblem(field, values[index] ?? '');
      if (issue !== null) {
        setProblem(issue);
        return true;
      }
      setProblem(null);
      if (index + 1 < fields.length) setIndex(index + 1);
      else if (key.return) onSubmit(Object.fromEntries(fields.map((f, i) => [f.name, values[i] ?? ''])));
      return true;
    }
    if (key.upArrow) {
      setIndex(Math.max(0, index - 1));
      return true;
    }
    const edit = editText(values[index] ?? '', input, key, false);
    if (edit.handled) {
      setValues((v) => v.map((old, i) => (i === index ? edit.value : old)));
      setProblem(null);
    }
    return !key.ctrl;
  };
  useKeyLayer(Priority.modal, withEnterTypedAhead(handle));
  return (
    <Box flexDirection="column">
      <Text bold>{title}</Text>
      {fields.map((field, i) => {
        const value = values[i] ?? '';
        const shown = field.spec.type === 'secret' ? '•'.repeat([...value].length) : value;
        const active = i === index;
        const prompt = (field.spec.prompt ?? field.name).padEnd(20);
        const hint = ` (${field.spec.type}${field.spec.optional ? ', optional' : ''})`;
        const valueText = (
          <>
            {shown}
            {active ? '▏' : ''}
            <Text dimColor>{hint}</Text>
          </>
        );
        // A long prompt gets a line of its own, so the value is never wrapped into it.
        const oneLine = 2 + prompt.length + 1 + Math.max(shown.length + 1, 12) + hint.length <= columns;
        return (
          <Box key={field.name} flexDirection="column">
            <Text color={active ? color('key') : undefined}>
              {active ? '❯' : ' '} {prompt}
              {oneLine ? ' ' : ''}
              {oneLine ? valueText : null}
            </Text>
            {oneLine ? null : <Text color={active ? color('key') : undefined}>    {valueText}</Text>}
            {active && field.spec.description ? <Text dimColor>    {field.spec.description}</Text> : null}
          </Box>
        );
      })}
      {problem !== null ? <Text color={color('failed')}>{problem}</Text> : null}
      <Text dimColor>Enter accept{fields.length > 1 ? ' and next' : ''} · ↑ back{onCancel ? ' · Esc cancel' : ''}</Text>
    </Box>
  );
}
