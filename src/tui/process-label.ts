// How a Go process is shown in a list (home screen, process picker): name and details.
import type { GoProcess } from '../collectors/discover.js';
import { formatBytes } from '../facts/format-human.js';

export function processLabel(p: GoProcess): [string, string] {
  const rss = p.rss_kb !== null ? ` · RSS ${formatBytes(p.rss_kb * 1024)}` : '';
  return [`${p.pid} ${p.name}`, `${p.go_version}${rss}${p.pprof ? ` · pprof ${p.pprof}` : ' · no pprof'}`];
}
