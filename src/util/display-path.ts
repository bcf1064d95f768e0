// A path as printed for a person: under $HOME it starts with `~` (shorter, so it wraps
// less at 80 columns, and a shell still expands it when pasted).
import { homedir } from 'node:os';

export function displayPath(path: string, home: string = homedir()): string {
  const base = home.replace(/\/+$/, '');
  if (base === '' || base === '/') return path;
  return path === base ? '~' : path.startsWith(`${base}/`) ? `~${path.slice(base.length)}` : path;
}
