// The root: stands on KeyRoot (the single useInput, routing keys through the InputRouter), switches
// between the home screen and a session, and is the one place that calls Ink's exit()
// (after the session is closed, so a running step never outlives the tool).
import { Box, Text, useApp } from 'ink';
import { useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import type { ExitGate } from './exit-gate.js';
import { HomeScreen } from './HomeScreen.js';
import { processSource, type HomeSources } from './home-sources.js';
import { Priority } from './input-router.js';
import { inputFields, submittedVars } from './input-fields.js';
import { InputsForm, type InputField } from './InputsForm.js';
import { ProcessPicker } from './ProcessPicker.js';
import type { PromptBroker } from './prompt-broker.js';
import type { SessionController } from './session-controller.js';
import type { SessionRequest } from './session-opener.js';
import type { SessionScreenProps } from './SessionScreen.js';
import { color } from './theme.js';
import { KeyRoot } from './KeyRoot.js';
import { useKeyLayer } from './use-key-layer.js';

export interface TuiDeps {
  broker: PromptBroker;
  open(request: SessionRequest): Promise<SessionController>;
  home: HomeSources;
  exitGate: ExitGate;
  /** Told when the app is quitting with the session it had open (for the exit code). */
  onExit(controller: SessionController | null, error?: Error): void;
}

export type AppStart = { kind: 'home' } | { kind: 'session'; request: SessionRequest };

type Screen =
  | { kind: 'home' }
  /** `runbook run`: the inputs not given on the command line, before the session opens. */
  | { kind: 'inputs'; request: Extract<SessionRequest, { kind: 'new' }>; fields: InputField[] }
  | { kind: 'opening' }
  | { kind: 'session'; controller: SessionController; SessionScreen: (props: SessionScreenProps) => React.ReactNode }
  | { kind: 'closing'; waiting: boolean }
  | { kind: 'error'; message: string };

export interface AppProps {
  start: AppStart;
  deps: TuiDeps;
  /** Called once the root's key subscription is live (tests wait for it before typing). */
  onReady?: () => void;
}

export function App({ start, deps, onReady }: AppProps) {
  return (
    <KeyRoot onReady={onReady}>
      <Screens start={start} deps={deps} />
    </KeyRoot>
  );
}

function Screens({ start, deps }: { start: AppStart; deps: TuiDeps }) {
  const { exit } = useApp();
  const [screen, setScreen] = useState<Screen>(() => firstScreen(start));
  const controllerRef = useRef<SessionController | null>(null);
  const quitting = useRef(false);
  const prompt = useSyncExternalStore(deps.broker.subscribe, deps.broker.getSnapshot);
  // A pid asked for on a target the runbook names (an input of type target) is listed
  // there, not where the home screen lists; one source per prompt, so it loads once.
  const pickerSources = useMemo(() => {
    const target = prompt?.kind === 'input' ? prompt.context.target : undefined;
    return target !== undefined && target.url !== deps.home.where ? processSource(target) : undefined;
  }, [prompt]);

  const quit = (error?: Error): void => {
    if (quitting.current) return;
    quitting.current = true;
    const controller = controllerRef.current;
    setScreen({ kind: 'closing', waiting: controller?.busy === true });
    void (controller ? controller.close() : Promise.resolve()).finally(() => {
      deps.onExit(controller, error);
      exit(); // the one call to exit(): every way out comes through quit()
    });
  };

  const open = (request: SessionRequest): void => {
    setScreen({ kind: 'opening' });
    // The session screen (and the engine behind it) load on the way, not at start-up.
    Promise.all([deps.open(request), import('./SessionScreen.js')]).then(
      ([controller, { SessionScreen }]) => {
        controllerRef.current = controller;
        controller.onBug = (error) => quit(error);
        setScreen({ kind: 'session', controller, SessionScreen });
      },
      (error: Error) => setScreen({ kind: 'error', message: error.message }),
    );
  };

  useEffect(() => deps.exitGate.attach(() => quit()), []);
  useEffect(() => {
    if (start.kind === 'session' && screen.kind === 'opening') open(start.request);
  }, []);

  // Ctrl+C outside a session quits at once; the session screen handles its own (cancel first).
  useKeyLayer(
    Priority.global,
    (input, key) => {
      if (key.ctrl && input === 'c') {
        quit();
        return true;
      }
      if (screen.kind === 'error' && start.kind === 'home' && (key.return || key.escape)) {
        setScreen({ kind: 'home' }); // back to the lists, to choose again
        return true;
      }
      if (screen.kind === 'error' && (input === 'q' || key.return || key.escape)) {
        quit(new Error(screen.message));
        return true;
      }
      return false;
    },
    screen.kind !== 'session',
  );

  switch (screen.kind) {
    case 'inputs':
      return (
        <Box flexDirection="column">
          <Text bold color={color('accent')}>
            {screen.request.runbook.title}
          </Text>
          <InputsForm
            title="Inputs (Enter keeps the value shown)"
            fields={screen.fields}
            onSubmit={(values) => open({ ...screen.request, vars: { ...screen.request.vars, ...submittedVars(screen.fields, values) } })}
            onCancel={() => quit()}
          />
        </Box>
      );
    case 'home':
      return <HomeScreen sources={deps.home} onStart={open} onQuit={() => quit()} />;
    case 'opening':
      if (prompt?.kind === 'input' && prompt.spec.type === 'pid' && prompt.spec.discover === 'go') {
        return <ProcessPicker name={prompt.name} spec={prompt.spec} sources={pickerSources ?? deps.home} onSubmit={(pid) => deps.broker.answer(prompt, pid)} />;
      }
      return prompt?.kind === 'input' ? (
        <InputsForm
          title={`The runbook needs ${prompt.name}`}
          fields={[{ name: prompt.name, spec: prompt.spec, initial: '' }]}
          onSubmit={(values) => deps.broker.answer(prompt, values[prompt.name] ?? '')}
        />
      ) : (
        <Text dimColor>starting the session…</Text>
      );
    case 'session':
      return <screen.SessionScreen controller={screen.controller} broker={deps.broker} onQuit={() => quit()} />;
    case 'closing':
      // Empty unless a step is being stopped, so the last frame left on screen is clean.
      return screen.waiting ? <Text dimColor>stopping the running step…</Text> : null;
    case 'error':
      return (
        <Box flexDirection="column">
          <Text color={color('failed')}>{screen.message}</Text>
          <Text dimColor>{start.kind === 'home' ? 'Enter or Esc goes back · q quits' : 'q quits'}</Text>
        </Box>
      );
  }
}

/** The screen `runbook` or `runbook run` opens on: the inputs form when there is anything to ask. */
function firstScreen(start: AppStart): Screen {
  if (start.kind === 'home') return { kind: 'home' };
  const request = start.request;
  if (request.kind !== 'new') return { kind: 'opening' };
  const fields = inputFields(request.runbook, { replay: request.bundle !== undefined, given: request.vars });
  return fields.length > 0 ? { kind: 'inputs', request, fields } : { kind: 'opening' };
}
