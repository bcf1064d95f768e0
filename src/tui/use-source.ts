// A list that loads after the first frame (process discovery, runbooks, sessions): null
// while loading, then the value, or the reason it could not be had (shown, never an
// endless "looking for…"). Leaving the screen aborts the load: a remote listing must not
// keep ssh connections going after the engineer has moved on or quit. With `refreshMs`
// it loads again that long after each answer, a failure too (an Alertmanager down for a
// minute comes back on screen by itself), keeping the last value or error on screen meanwhile.
import { useEffect, useState } from 'react';

export interface Loaded<T> {
  /** null while loading, and after a failure. */
  value: T | null;
  error?: string;
}

export function useSource<T>(load: (signal: AbortSignal) => Promise<T>, refreshMs?: number): Loaded<T> {
  const [loaded, setLoaded] = useState<Loaded<T>>({ value: null });
  useEffect(() => {
    let live = true;
    let timer: NodeJS.Timeout | undefined;
    const controller = new AbortController();
    const again = (): void => {
      if (live && refreshMs !== undefined) timer = setTimeout(fetchOnce, refreshMs);
    };
    const fetchOnce = (): void => {
      load(controller.signal).then(
        (value) => {
          if (live) setLoaded({ value });
          again();
        },
        (error: unknown) => {
          if (live) setLoaded({ value: null, error: error instanceof Error ? error.message : String(error) });
          again();
        },
      );
    };
    fetchOnce();
    return () => {
      live = false;
      clearTimeout(timer);
      controller.abort();
    };
  }, [load, refreshMs]);
  return loaded;
}
