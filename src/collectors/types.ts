// Contract of snapshot collection (collectors/snapshot.ts), used by the engine's
// `snapshot` step and by `runbook capture`. Live or from a bundle, the facts are the same.
import type { Facts } from '../parsers/types.js';
import type { Collector } from '../runbook/types.js';
import type { RemoteTarget } from '../targets/target.js';

export interface SnapshotRequest {
  collect: Collector[];
  /** Live target. */
  pid?: number;
  /** The live process is on this remote host or pod (src/targets): /proc files, pprof URLs
   *  and the gctrace log are read there, through the transport. Absent: this host. */
  target?: RemoteTarget;
  /** Base URL of net/http/pprof, e.g. http://127.0.0.1:6060 (live only). */
  pprof?: string;
  /** Live: path of the log the process writes with GODEBUG=gctrace=1 (for the `gctrace` collector). */
  gctrace?: string;
  /** Replay: read snapshot `index` of this bundle instead of the live process. */
  bundle?: { dir: string; index: number };
  /** Where raw evidence files are written (bundle layout: status, maps, heap.pb.gz, …). */
  outDir: string;
  /** The same collectors from an earlier snapshot: facts then carry `<collector>_diff`. */
  compareTo?: { dir: string };
  signal?: AbortSignal;
  /** Applied to every text evidence file before it is written or parsed (the session's
   *  redactor); compressed profiles are kept as they are. */
  redact?: (bytes: Buffer) => Buffer;
}

export interface SnapshotResult {
  /** Per collector: `{ status: {vm_rss_kb…}, heap: {…}, maps_diff: {…}, missing: { heap: "no pprof endpoint: …" } }`.
   *  Every requested collector appears either under its name or under `missing` with a reason. */
  facts: Facts;
  /** Collector name → file path of the raw evidence. */
  artifacts: Record<string, string>;
  warnings: string[];
  /** Evidence file → milliseconds its read took (live: the request; a debug=2 dump's is an
   *  upper bound of the stop-the-world pause it caused). */
  durationsMs: Record<string, number>;
}
