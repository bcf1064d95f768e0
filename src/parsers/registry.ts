// The one list of parsers. Runbook steps (`parse: NAME`), `runbook parse NAME` and the
// validator all resolve names here.
import type { Parser } from './types.js';
import { gctraceParser } from './gctrace.js';
import { jsonParser } from './json.js';
import { keyValueParser } from './key-value.js';
import { linesParser } from './lines.js';
import { regexParser } from './regex.js';
import { procMapsParser } from './proc-maps.js';
import { procStatusParser } from './proc-status.js';
import { smapsRollupParser } from './smaps-rollup.js';
import { procSmapsParser } from './proc-smaps.js';
import { goroutinesParser } from './goroutines.js';
import { memstatsParser } from './memstats.js';
import { pprofTopParser } from './pprof-top.js';
import { pprofParser } from './pprof.js';
import { escapeParser } from './escape.js';
import { mallocInfoParser } from './malloc-info.js';
import { cAllocsParser } from './c-allocs.js';
import { cgoAuditParser } from './cgo-audit.js';
import { httpBodyAuditParser } from './http-body-audit.js';
import { contextCancelAuditParser } from './context-cancel-audit.js';
import { lsanParser } from './lsan.js';
import { procEnvironParser } from './proc-environ.js';
import { hostCpuParser } from './host-cpu.js';
import { pprofHotspotsParser } from './pprof-hotspots.js';
import { goTraceEventsParser } from './go-trace-events.js';
import { prometheusParser } from './prometheus.js';

const parsers: Parser[] = [
  linesParser,
  regexParser,
  jsonParser,
  keyValueParser,
  gctraceParser,
  procMapsParser,
  procStatusParser,
  smapsRollupParser,
  memstatsParser,
  goroutinesParser,
  pprofParser,
  pprofTopParser,
  escapeParser,
  mallocInfoParser,
  cAllocsParser,
  cgoAuditParser,
  httpBodyAuditParser,
  contextCancelAuditParser,
  lsanParser,
  procSmapsParser,
  procEnvironParser,
  hostCpuParser,
  pprofHotspotsParser,
  goTraceEventsParser,
  prometheusParser,
];

export function getParser(name: string): Parser | undefined {
  return parsers.find((p) => p.name === name);
}

export function parserNames(): string[] {
  return parsers.map((p) => p.name);
}
