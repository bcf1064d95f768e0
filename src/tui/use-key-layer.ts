// Registers a component's key handler with the app's InputRouter while `active`. The
// handler is read through a ref so a re-render never re-registers it (an inline useInput
// handler would re-subscribe on every render: style.md, "Ink 6.8 facts").
import { createContext, useContext, useLayoutEffect, useRef } from 'react';
import { InputRouter, type KeyHandler } from './input-router.js';

export const InputRouterContext = createContext<InputRouter | null>(null);

export function useKeyLayer(priority: number, handler: KeyHandler, active = true): void {
  const router = useContext(InputRouterContext);
  if (router === null) throw new Error('useKeyLayer needs an InputRouterContext provider (App)');
  const ref = useRef(handler);
  ref.current = handler;
  // A layout effect, not useEffect: it runs in the same commit that draws the frame, so a
  // key pressed as soon as a form (or the `?` list) is visible reaches it. With useEffect
  // the frame was on screen before the layer existed (found by test/tui/session-screen).
  useLayoutEffect(() => {
    if (!active) return undefined;
    return router.register(priority, (input, key) => ref.current(input, key));
  }, [router, priority, active]);
}
