// Shared by the benches: wall time and this process's CPU time of one call. On a loaded
// machine (the 2-core dev machines often run at load 10+) CPU time is the fairer measure
// of the code itself; both are reported.
export function time(fn) {
  const cpu = process.cpuUsage();
  const start = process.hrtime.bigint();
  const value = fn();
  const used = process.cpuUsage(cpu);
  return { value, ms: Number(process.hrtime.bigint() - start) / 1e6, cpuMs: (used.user + used.system) / 1000 };
}
