// The fleet TUI's root: the fleet view, or the session screen of the target opened from it
// (the same SessionScreen a single run shows, over the child the fleet runs). Esc or q on
// that screen comes back to the fleet view; the fleet runs on meanwhile.
import { useRef, useState } from 'react';
import type { FleetProgress, MemberRow } from '../fleet/fleet-progress.js';
import { FleetView } from './FleetView.js';
import { Priority } from './input-router.js';
import { KeyRoot } from './KeyRoot.js';
import type { PromptBroker } from './prompt-broker.js';
import type { SessionController } from './session-controller.js';
import type { SessionScreenProps } from './SessionScreen.js';
import { useKeyLayer } from './use-key-layer.js';

export interface FleetAppProps {
  progress: FleetProgress;
  title: string;
  broker: PromptBroker;
  /** q or Ctrl+C in the fleet view: cancel the fleet, or close it once concluded. */
  onQuit: () => void;
  /** The session of a row's target, or why it has none (not started, unreachable). */
  openChild: (row: MemberRow) => Promise<SessionController | string>;
  /** Called once the root's key subscription is live (tests wait for it before typing). */
  onReady?: () => void;
}

interface OpenChild {
  controller: SessionController;
  SessionScreen: (props: SessionScreenProps) => React.ReactNode;
}

export function FleetApp({ onReady, ...props }: FleetAppProps) {
  return (
    <KeyRoot onReady={onReady} showKeyErrors>
      <FleetScreens {...props} />
    </KeyRoot>
  );
}

function FleetScreens({ progress, title, broker, onQuit, openChild }: Omit<FleetAppProps, 'onReady'>) {
  const [child, setChild] = useState<OpenChild | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  /** A screen is loading: a second Enter meanwhile would build a second store, never disposed. */
  const opening = useRef(false);
  const open = (row: MemberRow): void => {
    if (opening.current) return;
    opening.current = true;
    setMessage(null);
    // The session screen loads with the first child opened, not before the fleet's first frame.
    Promise.all([openChild(row), import('./SessionScreen.js')])
      .then(
        ([opened, { SessionScreen }]) => (typeof opened === 'string' ? setMessage(opened) : setChild({ controller: opened, SessionScreen })),
        (error: Error) => setMessage(`${row.target}: ${error.message}`),
      )
      .finally(() => (opening.current = false));
  };
  const back = (): void => {
    child?.controller.store.dispose(); // the session stays the fleet's: only the view goes
    setChild(null);
  };
  useKeyLayer(
    Priority.screen,
    (_input, key) => {
      if (!key.escape) return false;
      back();
      return true;
    },
    child !== null,
  );
  if (child !== null) return <child.SessionScreen controller={child.controller} broker={broker} onQuit={back} fleetAsks />;
  return <FleetView progress={progress} title={title} broker={broker} onQuit={onQuit} onOpen={open} message={message} />;
}
