// State whose latest value key handlers can read at once. Keys can arrive faster than
// React re-renders (a paste, a test typing "heap " then "flat"); a handler reading the
// rendered value would act on a stale one, so updates go through the ref first.
import { useRef, useState } from 'react';

export function useStateRef<T>(initial: T | (() => T)): [T, (next: T | ((previous: T) => T)) => T, { readonly current: T }] {
  const [value, setValue] = useState(initial);
  const ref = useRef(value);
  const set = (next: T | ((previous: T) => T)): T => {
    ref.current = typeof next === 'function' ? (next as (previous: T) => T)(ref.current) : next;
    setValue(ref.current);
    return ref.current;
  };
  return [value, set, ref];
}
