// A list that loads after the first frame (process discovery, runbooks, sessions): null
// while loading, then the value, or the reason it could not be had (shown, never an
// endless "looking for…").
import { useEffect, useState } from 'react';

export interface Loaded<T> {
  /** null while loading, and after a failure. */
  value: T | null;
  error?: string;
}

export function useSource<T>(load: () => Promise<T>): Loaded<T> {
  const [loaded, setLoaded] = useState<Loaded<T>>({ value: null });
  useEffect(() => {
    let live = true;
    load().then(
      (value) => live && setLoaded({ value }),
      (error: unknown) => live && setLoaded({ value: null, error: error instanceof Error ? error.message : String(error) }),
    );
    return () => {
      live = false;
    };
  }, [load]);
  return loaded;
}
