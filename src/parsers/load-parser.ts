// The one list of parsers (runbook steps' `parse: NAME`, `runbook parse NAME`, the
// validator), each loaded on demand: `runbook parse gctrace` loads the gctrace parser alone,
// not every parser and the pprof decoder (issue 19: measured against awk, start-up counts).
// registry.ts loads them all for code that looks parsers up synchronously.
import type { Parser } from './types.js';

const loaders: Record<string, () => Promise<Parser>> = {
  lines: async () => (await import('./lines.js')).linesParser,
  regex: async () => (await import('./regex.js')).regexParser,
  json: async () => (await import('./json.js')).jsonParser,
  'key-value': async () => (await import('./key-value.js')).keyValueParser,
  gctrace: async () => (await import('./gctrace.js')).gctraceParser,
  'proc-maps': async () => (await import('./proc-maps.js')).procMapsParser,
  'proc-status': async () => (await import('./proc-status.js')).procStatusParser,
  'smaps-rollup': async () => (await import('./smaps-rollup.js')).smapsRollupParser,
  memstats: async () => (await import('./memstats.js')).memstatsParser,
  goroutines: async () => (await import('./goroutines.js')).goroutinesParser,
  pprof: async () => (await import('./pprof.js')).pprofParser,
  'pprof-top': async () => (await import('./pprof-top.js')).pprofTopParser,
  escape: async () => (await import('./escape.js')).escapeParser,
  'malloc-info': async () => (await import('./malloc-info.js')).mallocInfoParser,
  'c-allocs': async () => (await import('./c-allocs.js')).cAllocsParser,
  'cgo-audit': async () => (await import('./cgo-audit.js')).cgoAuditParser,
  'http-body-audit': async () => (await import('./http-body-audit.js')).httpBodyAuditParser,
  'context-cancel-audit': async () => (await import('./context-cancel-audit.js')).contextCancelAuditParser,
  lsan: async () => (await import('./lsan.js')).lsanParser,
  'proc-smaps': async () => (await import('./proc-smaps.js')).procSmapsParser,
  'proc-environ': async () => (await import('./proc-environ.js')).procEnvironParser,
  'host-cpu': async () => (await import('./host-cpu.js')).hostCpuParser,
  'pprof-hotspots': async () => (await import('./pprof-hotspots.js')).pprofHotspotsParser,
  'go-trace-events': async () => (await import('./go-trace-events.js')).goTraceEventsParser,
  prometheus: async () => (await import('./prometheus.js')).prometheusParser,
};

export function parserNames(): string[] {
  return Object.keys(loaders);
}

export async function loadParser(name: string): Promise<Parser | undefined> {
  return Object.hasOwn(loaders, name) ? loaders[name]!() : undefined;
}
