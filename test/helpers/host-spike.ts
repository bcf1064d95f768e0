// A long pause the host caused: go-gc-pauses' spike-host conclusion quotes the host's figures
// at the time, and a test on a shared machine may accept it for a service that causes no long
// pause itself, only when those figures meet the runbook's rule for a host short of CPU, or
// when one pause alone passed the threshold while the typical stayed short (stretched while
// the host, sampled later at the snapshot, looked quiet: honestly spike-unexplained).

/** Whether spike-host's quoted figures show a host short of CPU (steal > 5 %, throttled in
 *  > 10 % of periods, or > 1 runnable thread per CPU with the CPUs > 90 % busy). */
export function hostShortOfCpu(text: string): boolean {
  const quoted = /CPU steal ([\d.]+) %, the cgroup throttled in ([\d.]+) % of its CFS periods \([\d.]+ ms\),\s+([\d.]+) runnable threads per CPU with the CPUs ([\d.]+) % busy/.exec(text);
  if (!quoted) return false;
  const [steal, throttled, runnable, busy] = quoted.slice(1).map(Number) as [number, number, number, number];
  return steal > 5 || throttled > 10 || (runnable > 1 && busy > 90);
}

/** Whether a spike-unexplained conclusion quotes one pause alone past the threshold, the next
 *  longest within it and a typical (p50) pause under 1 ms: one pause stretched on a shared
 *  host, never a service whose stop-the-world pauses are long. */
export function loneStretchedPause(text: string): boolean {
  const quoted = /the next longest ([\d.]+) ms, p50 ([\d.]+) ms over \d+ cycles\), above ([\d.]+) ms/.exec(text);
  if (!quoted) return false;
  const [nextLongest, typical, threshold] = quoted.slice(1).map(Number) as [number, number, number];
  return nextLongest <= threshold && typical < 1;
}
