// A list that loads after the first frame (process discovery, runbooks, sessions): null
// while loading, then the value, or the reason it could not be had (shown, never an
// endless "looking for…"). Leaving the screen aborts the load: a remote listing must not
// keep ssh connections going after the engineer has moved on or quit.
import { useEffect, useState } from 'react';

export interface Loaded<T> {
  /** null while loading, and after a failure. */
  value: T | null;
  error?: string;
}

export function useSource<T>(load: (signal: AbortSignal) => Promise<T>): Loaded<T> {
  const [loaded, setLoaded] = useState<Loaded<T>>({ value: null });
  useEffect(() => {
    let live = true;
    const controller = new AbortController();
    load(controller.signal).then(
      (value) => live && setLoaded({ value }),
      (error: unknown) => live && setLoaded({ value: null, error: error instanceof Error ? error.message : String(error) }),
    );
    return () => {
      live = false;
      controller.abort();
    };
  }, [load]);
  return loaded;
}
