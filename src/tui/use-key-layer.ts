// Registers a component's key handler with the app's InputRouter while `active`. The
// handler is read through a ref so a re-render never re-registers it (an inline useInput
// handler would re-subscribe on every render: style.md, "Ink 6.8 facts").
import { createContext, useContext, useEffect, useRef } from 'react';
import { InputRouter, type KeyHandler } from './input-router.js';

export const InputRouterContext = createContext<InputRouter | null>(null);

export function useKeyLayer(priority: number, handler: KeyHandler, active = true): void {
  const router = useContext(InputRouterContext);
  if (router === null) throw new Error('useKeyLayer needs an InputRouterContext provider (App)');
  const ref = useRef(handler);
  ref.current = handler;
  useEffect(() => {
    if (!active) return undefined;
    return router.register(priority, (input, key) => ref.current(input, key));
  }, [router, priority, active]);
}
