// The root of a TUI's keys: the one useInput subscription, routing every key through an
// InputRouter its children register layers with (use-key-layer.ts). The session TUI (App)
// and the fleet TUI (FleetApp) both stand on it.
import { Box, Text, useInput } from 'ink';
import { useEffect, useRef, useState } from 'react';
import { InputRouter } from './input-router.js';
import { color } from './theme.js';
import { InputRouterContext } from './use-key-layer.js';

export interface KeyRootProps {
  children: React.ReactNode;
  onReady?: (() => void) | undefined;
  /** A key handler that throws is shown on a line under the screen, until the next key,
   *  instead of reaching the process's uncaughtException (the fleet view: one target's
   *  failed note must not end the whole fleet). */
  showKeyErrors?: boolean;
}

export function KeyRoot({ children, onReady, showKeyErrors = false }: KeyRootProps) {
  const router = useRef(new InputRouter()).current;
  const [keyError, setKeyError] = useState<string | null>(null);
  useInput((input, key) => {
    if (!showKeyErrors) {
      router.dispatch(input, key);
      return;
    }
    setKeyError(null);
    try {
      router.dispatch(input, key);
    } catch (error) {
      setKeyError(error instanceof Error ? error.message : String(error));
    }
  });
  // Declared after useInput, so this effect runs after Ink has subscribed to stdin.
  useEffect(() => onReady?.(), [onReady]);
  return (
    <InputRouterContext.Provider value={router}>
      {showKeyErrors ? (
        <Box flexDirection="column">
          {children}
          {keyError !== null ? <Text color={color('failed')}>{`error: ${keyError}`}</Text> : null}
        </Box>
      ) : (
        children
      )}
    </InputRouterContext.Provider>
  );
}
