// A multi-line note (a `note` step, or `n` for an incident note). Enter starts a new line;
// Ctrl+D finishes (as at a shell prompt); Esc cancels when the note may be left out.
import { Box, Text } from 'ink';
import { useState } from 'react';
import { useStateRef } from './use-state-ref.js';
import { Priority } from './input-router.js';
import { editText } from './text-edit.js';
import { useKeyLayer } from './use-key-layer.js';

export interface NoteEditorProps {
  prompt: string;
  onDone: (text: string) => void;
  /** Esc: leave without a note (absent when a note is required). */
  onCancel?: () => void;
  maxRows: number;
}

export function NoteEditor({ prompt, onDone, onCancel, maxRows }: NoteEditorProps) {
  const [text, setText, textRef] = useStateRef('');
  const [problem, setProblem] = useState<string | null>(null);
  useKeyLayer(Priority.modal, (input, key) => {
    if (key.ctrl && input === 'd') {
      if (textRef.current.trim() === '' && !onCancel) {
        setProblem('this step needs a note');
        return true;
      }
      onDone(textRef.current.trimEnd());
      return true;
    }
    if (key.escape && onCancel) {
      onCancel();
      return true;
    }
    const edit = editText(textRef.current, input, key, true);
    if (edit.handled) {
      setText(edit.value);
      setProblem(null);
    }
    return !key.ctrl;
  });
  const lines = text.split('\n');
  const shown = lines.slice(Math.max(0, lines.length - Math.max(1, maxRows)));
  return (
    <Box flexDirection="column">
      <Text bold>{prompt}</Text>
      <Box flexDirection="column" borderStyle="single" paddingX={1}>
        {lines.length > shown.length ? <Text dimColor>… {lines.length - shown.length} earlier lines</Text> : null}
        {shown.map((line, i) => (
          <Text key={i}>
            {line}
            {i === shown.length - 1 ? '▏' : ''}
          </Text>
        ))}
      </Box>
      {problem !== null ? <Text color="red">{problem}</Text> : null}
      <Text dimColor>Enter new line · Ctrl+D finish{onCancel ? ' · Esc cancel' : ''}</Text>
    </Box>
  );
}
