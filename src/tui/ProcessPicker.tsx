// A `pid` input with `discover: go` (runbook-format.md): the Go processes on the session's
// host or target to pick from, or a pid typed in. Shown when `runbook run RUNBOOK` opens the
// TUI without the pid; the home screen's own list serves sessions started from there.
import { Box, Text } from 'ink';
import { useState } from 'react';
import type { InputSpec } from '../runbook/types.js';
import { DiscoveryNotes } from './DiscoveryNotes.js';
import { fieldProblem } from './field-problem.js';
import type { HomeSources } from './home-sources.js';
import { Priority } from './input-router.js';
import { processLabel } from './process-label.js';
import { moveCursor } from './select-state.js';
import { editText } from './text-edit.js';
import { withEnterTypedAhead } from './line-keys.js';
import { color } from './theme.js';
import { useKeyLayer } from './use-key-layer.js';
import { useStateRef } from './use-state-ref.js';
import { useSource } from './use-source.js';

export interface ProcessPickerProps {
  name: string;
  spec: InputSpec;
  sources: Pick<HomeSources, 'processes' | 'where'>;
  onSubmit: (pid: string) => void;
}

/** Rows of processes shown at once, around the cursor. */
const VISIBLE_ROWS = 12;

export function ProcessPicker({ name, spec, sources, onSubmit }: ProcessPickerProps) {
  const discovery = useSource(sources.processes);
  const processes = discovery.value?.processes ?? [];
  const [cursor, setCursor, cursorRef] = useStateRef(0);
  const [typed, setTyped, typedRef] = useStateRef('');
  const [problem, setProblem] = useState<string | null>(null);
  useKeyLayer(
    Priority.modal,
    withEnterTypedAhead((input, key) => {
      const cursor = cursorRef.current;
      const typed = typedRef.current;
      if (key.upArrow || key.downArrow) {
        setCursor(moveCursor(cursor, processes.length, key));
        return true;
      }
      if (key.return) {
        const chosen = typed !== '' ? typed : processes[cursor] !== undefined ? String(processes[cursor].pid) : '';
        const issue = chosen === '' ? `type a pid${processes.length === 0 ? '' : ', or pick a process with ↑/↓'}` : fieldProblem({ name, spec }, chosen);
        if (issue !== null) setProblem(issue);
        else onSubmit(chosen);
        return true;
      }
      const edit = editText(typed, input, key, false);
      if (edit.handled) {
        setTyped(edit.value);
        setProblem(null);
      }
      return !key.ctrl;
    }),
  );

  const first = Math.max(0, Math.min(cursor - Math.floor(VISIBLE_ROWS / 2), processes.length - VISIBLE_ROWS));
  return (
    <Box flexDirection="column">
      <Text bold>
        The runbook needs {spec.prompt ?? name}: a Go process on {sources.where}
      </Text>
      {discovery.value === null && discovery.error === undefined ? <Text dimColor>looking for Go processes on {sources.where}…</Text> : null}
      <DiscoveryNotes discovery={discovery} where={sources.where} whenEmpty="." />
      {processes.slice(first, first + VISIBLE_ROWS).map((p, i) => {
        const selected = typed === '' && first + i === cursor;
        const [label, detail] = processLabel(p);
        return (
          <Text key={p.pid} color={selected ? color('key') : undefined} wrap="truncate-end">
            {selected ? '❯' : ' '} {label.padEnd(22)} <Text dimColor>{detail}</Text>
          </Text>
        );
      })}
      <Text>
        {'  '}or type a pid: {typed}▏
      </Text>
      {problem !== null ? <Text color={color('failed')}>{problem}</Text> : null}
      <Text dimColor>↑/↓ choose · Enter pick · type digits for another pid</Text>
    </Box>
  );
}
