// The session screen: finished steps in the one <Static> log above; below it a live
// region kept shorter than the terminal: the header line, the step strip, the current
// step (or a finished one when looking back with ↑/↓), a form when the engine waits for a
// person, a message line and the footer.
import { readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { Box, Static, Text, useStdout } from 'ink';
import type { Facts } from '../parsers/types.js';
import { useState, useSyncExternalStore } from 'react';
import type { CommandRecord, StepFinishedRecord } from '../journal/records.js';
import { commandLine, copyText, type CommandLine } from './command-preview.js';
import { factLines, type FactLine } from '../facts/fact-lines.js';
import { FactsView } from './FactsView.js';
import { FinishedStep } from './FinishedStep.js';
import { Footer } from './Footer.js';
import { HelpList } from './HelpList.js';
import { Priority } from './input-router.js';
import { commandFor, type FooterMode } from './keymap.js';
import { LogEntryView } from './LogEntryView.js';
import { NoteEditor } from './NoteEditor.js';
import { osc52 } from './osc52.js';
import { displayPath } from '../util/display-path.js';
import type { Prompt, PromptBroker } from './prompt-broker.js';
import { PromptForm } from './PromptForm.js';
import type { SessionController } from './session-controller.js';
import type { LogEntry } from './session-store.js';
import { StatusLine, targetLabel } from './StatusLine.js';
import { StepCard } from './StepCard.js';
import { StepStrip } from './StepStrip.js';
import { color } from './theme.js';
import { useKeyLayer } from './use-key-layer.js';
import { useStateRef } from './use-state-ref.js';
import { useNow } from './use-now.js';
import { useTerminalSize } from './use-terminal-size.js';

export interface SessionScreenProps {
  controller: SessionController;
  broker: PromptBroker;
  onQuit: () => void;
  /** A fleet's target: the open prompt is the fleet's question, answered in the fleet view
   *  (once for every target), so this screen only says it waits there. */
  fleetAsks?: boolean;
}

/** Rows of the live region that are not output tail (header, strip, card chrome, footer). */
const CHROME_ROWS = 13;

export function SessionScreen({ controller, broker, onQuit, fleetAsks = false }: SessionScreenProps) {
  const { store } = controller;
  const view = useSyncExternalStore(store.subscribe, store.getSnapshot);
  const prompt = useSyncExternalStore(broker.subscribe, broker.getSnapshot);
  const { columns, rows } = useTerminalSize();
  const { stdout } = useStdout();
  const [lookBack, setLookBack, lookBackRef] = useStateRef<number | null>(null);
  const [help, setHelp] = useState(false);
  const [noteOpen, setNoteOpen] = useState(false);
  const [pasteOpen, setPasteOpen] = useState(false);
  /** The facts view of a finished step, while open. */
  const [factsOf, setFactsOf] = useState<{ title: string; lines: FactLine[] } | null>(null);
  const [, setQuitArmed, quitArmedRef] = useStateRef(false);
  const [message, setMessage] = useState<string | null>(null);
  const now = useNow(view.live ? 100 : 1000, view.state.status === 'running');
  const { state } = view;
  const width = Math.max(40, columns - 2);
  const finishedEntries = view.log.flatMap((entry) => (entry.kind === 'finished' ? [entry] : []));
  const finished = finishedEntries.map((entry) => entry.record);
  const selected: StepFinishedRecord | undefined = lookBack !== null ? finished[lookBack] : undefined;
  const current = state.runbook.steps.find((s) => s.id === state.currentStep);
  /** The command line of a step: what the attempt ran, else what it will run, filled in. */
  const lineOf = (stepId: string, ran: CommandRecord | undefined): CommandLine | null => {
    const step = state.runbook.steps.find((s) => s.id === stepId);
    return step ? commandLine(step, ran, () => controller.session.commandPreview(stepId)) : null;
  };
  const currentLine = current ? lineOf(current.id, view.live?.step === current.id ? view.started[current.id]?.command : undefined) : null;

  useKeyLayer(Priority.global, (input, key) => {
    if (!(key.ctrl && input === 'c')) {
      if (quitArmedRef.current) setQuitArmed(false);
      return false;
    }
    if (quitArmedRef.current) {
      onQuit();
    } else if (controller.busy && !prompt) {
      controller.cancel();
      setQuitArmed(true);
      setMessage('cancelling the running step… press Ctrl+C again to quit');
    } else {
      setQuitArmed(true);
      setMessage('press Ctrl+C again to quit (the session stays resumable)');
    }
    return true;
  });

  useKeyLayer(
    Priority.overlay,
    () => {
      setHelp(false);
      return true;
    },
    help,
  );

  useKeyLayer(Priority.screen, (input, key) => {
    const command = commandFor(input, key);
    if (command === undefined) return false;
    setMessage(null);
    switch (command) {
      case 'run':
        if (lookBackRef.current !== null) setLookBack(null);
        else if (controller.busy) setMessage('a step is running; Ctrl+C cancels it');
        else if (controller.over) setMessage('the session is over: x exports the notes, q quits');
        else controller.runCurrent();
        return true;
      case 'skip':
        if (controller.busy) setMessage('a step is running; Ctrl+C cancels it first');
        else controller.skip();
        return true;
      case 'rerun': {
        const target = (lookBackRef.current !== null ? finished[lookBackRef.current] : undefined) ?? finished[finished.length - 1];
        if (target === undefined) setMessage('no finished step to re-run yet');
        else if (controller.busy) setMessage('a step is running; Ctrl+C cancels it first');
        else if (controller.session.state.status !== 'running') setMessage('the session is over; start a new run to re-run steps');
        else {
          setLookBack(null);
          controller.rerun(target.step);
        }
        return true;
      }
      case 'note':
        setNoteOpen(true);
        return true;
      case 'paste':
        if (current === undefined || (current.kind !== 'run' && current.kind !== 'read')) setMessage('only a run or read step takes pasted output');
        else if (controller.busy) setMessage('a step is running; Ctrl+C cancels it first');
        else setPasteOpen(true);
        return true;
      case 'copy': {
        const entry = lookBackRef.current !== null ? finishedEntries[lookBackRef.current] : undefined;
        const line = entry ? lineOf(entry.record.step, entry.command) : currentLine;
        const copy = copyText(line);
        if ('reason' in copy) {
          setMessage(copy.reason);
        } else {
          stdout.write(osc52(copy.text));
          const where = state.bundle !== undefined ? 'the host the bundle was captured on' : state.target === 'local' ? 'this host' : state.target;
          store.addMessage(`copied — paste it into a shell on ${where}:\n${copy.text}`);
        }
        return true;
      }
      case 'facts': {
        const index = lookBackRef.current ?? finished.length - 1;
        if (index < 0) setMessage('no finished step yet: its facts show here once it ran');
        else setFactsOf(factsViewOf(finished[index]!));
        return true;
      }
      case 'export':
        setMessage('exporting notes…');
        controller.exportNotes().then(
          (path) => {
            setMessage(null);
            store.addMessage(`notes written to\n  ${displayPath(path)}`);
          },
          (error: unknown) => setMessage(`export failed: ${(error as Error).message}`),
        );
        return true;
      case 'back':
        if (finished.length > 0) setLookBack((i) => Math.max(0, (i ?? finished.length) - 1));
        return true;
      case 'forward':
        setLookBack((i) => (i === null || i + 1 >= finished.length ? null : i + 1));
        return true;
      case 'quit':
        onQuit();
        return true;
      case 'help':
        setHelp(true);
        return true;
      case 'cancel':
        return false;
    }
  });

  /** The journal keeps compacted facts; the full ones are in the attempt's facts file. */
  const factsViewOf = (record: StepFinishedRecord): { title: string; lines: FactLine[] } => {
    const step = state.runbook.steps.find((s) => s.id === record.step);
    const facts = readFullFacts(controller.session.paths.dir, record) ?? record.facts ?? {};
    return { title: `Facts of ${step?.title ?? record.step}${record.attempt > 1 ? ` (attempt ${record.attempt})` : ''}`, lines: step ? factLines(step, facts) : [] };
  };
  const running = state.status === 'running';
  const footerMode: FooterMode = selected ? (running ? 'look-back' : 'over') : view.live ? 'running' : running && current ? 'step' : 'over';
  const tailRows = Math.max(2, Math.min(15, rows - CHROME_ROWS - (message ? 1 : 0)));
  return (
    <Box flexDirection="column">
      <Static items={view.log as LogEntry[]}>
        {(entry, i) => (
          <Box key={i} flexDirection="column">
            <LogEntryView entry={entry} state={state} width={width} />
          </Box>
        )}
      </Static>
      <StatusLine state={state} now={now} />
      <StepStrip state={state} />
      {help ? (
        <HelpList />
      ) : factsOf !== null ? (
        <FactsView
          title={factsOf.title}
          lines={factsOf.lines}
          rows={Math.max(3, rows - CHROME_ROWS - 1)}
          width={width - 4}
          onClose={() => setFactsOf(null)}
        />
      ) : noteOpen ? (
        <NoteEditor
          prompt="Note for the incident notes"
          maxRows={Math.max(2, rows - CHROME_ROWS)}
          onDone={(text) => {
            setNoteOpen(false);
            if (text === '') return;
            try {
              controller.addNote(text);
            } catch (error) {
              setMessage(`note not saved: ${(error as Error).message}`);
            }
          }}
          onCancel={() => setNoteOpen(false)}
        />
      ) : pasteOpen && current ? (
        <NoteEditor
          prompt={`Output of step ${current.id}, run by hand elsewhere: paste it here`}
          maxRows={Math.max(2, rows - CHROME_ROWS)}
          onDone={(text) => {
            setPasteOpen(false);
            controller.paste(text);
          }}
          onCancel={() => setPasteOpen(false)}
        />
      ) : selected ? (
        <Box flexDirection="column" borderStyle="round" paddingX={1}>
          <Text dimColor>
            looking back ({(lookBack ?? 0) + 1}/{finished.length}) · ↑/↓ earlier/later · Enter back{running ? ' · r re-run it' : ''} · c copy its command · f all its facts
          </Text>
          <FinishedStep
            step={state.runbook.steps.find((s) => s.id === selected.step)}
            record={selected}
            facts={state.facts[selected.step]}
            command={finishedEntries[lookBack ?? 0]?.command}
            width={width - 4}
            maxPictures={rows >= 40 ? 3 : 1}
          />
        </Box>
      ) : current ? (
        <StepCard
          step={current}
          state={state.steps.find((s) => s.id === current.id)}
          command={currentLine}
          live={view.live}
          now={now}
          width={width}
          tailRows={tailRows}
        >
          {prompt === null ? undefined : fleetAsks ? (
            <Text color={color('accent')}>{`The fleet asks at step ${promptStep(prompt)}, once for every target: Esc goes back to the fleet view to answer it`}</Text>
          ) : (
            <PromptForm prompt={prompt} broker={broker} target={targetLabel(state)} maxRows={tailRows} />
          )}
        </StepCard>
      ) : (
        <Text color={color(state.status === 'concluded' ? 'passed' : 'warn')}>
          {state.conclusion ? `Concluded: ${state.conclusion.finding} (${state.conclusion.severity}).` : `Session ${state.status}.`} x exports the notes · q quits
        </Text>
      )}
      {message !== null ? <Text color={color('warn')}>{message}</Text> : null}
      <Footer mode={footerMode} />
    </Box>
  );
}

function promptStep(prompt: Prompt): string {
  return prompt.kind === 'input' ? `input ${prompt.name}` : `${prompt.step.id} (${prompt.step.title ?? prompt.step.id})`;
}

function readFullFacts(dir: string, record: StepFinishedRecord): Facts | undefined {
  const file = record.artifacts?.['facts'];
  if (file === undefined) return undefined;
  try {
    return JSON.parse(readFileSync(isAbsolute(file) ? file : join(dir, file), 'utf8')) as Facts;
  } catch {
    return undefined;
  }
}
