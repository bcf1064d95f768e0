// The root of a TUI's keys: the one useInput subscription, routing every key through an
// InputRouter its children register layers with (use-key-layer.ts). The session TUI (App)
// and the fleet TUI (FleetApp) both stand on it.
import { useInput } from 'ink';
import { useEffect, useRef } from 'react';
import { InputRouter } from './input-router.js';
import { InputRouterContext } from './use-key-layer.js';

export function KeyRoot({ children, onReady }: { children: React.ReactNode; onReady?: (() => void) | undefined }) {
  const router = useRef(new InputRouter()).current;
  useInput((input, key) => {
    router.dispatch(input, key);
  });
  // Declared after useInput, so this effect runs after Ink has subscribed to stdin.
  useEffect(() => onReady?.(), [onReady]);
  return <InputRouterContext.Provider value={router}>{children}</InputRouterContext.Provider>;
}
