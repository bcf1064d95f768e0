// Incident bundles (docs/design.md "Incident bundles"): meta.json, snapshots/<n>/ with the
// evidence files, optional gctrace.log. `runbook capture` writes them; `--bundle DIR`
// and the snapshot step's replay read them.
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../errors.js';

export interface BundleMeta {
  pid: number;
  /** argv of the process, from /proc/PID/cmdline. */
  cmdline: string[];
  host: string;
  /** ISO-8601 time the capture started. */
  captured_at: string;
  /** From the Go build info of the executable, e.g. go1.19.8. */
  go_version?: string;
  /** The net/http/pprof base URL the capture used (as seen from `target` when there is one). */
  pprof?: string;
  /** The remote target the process ran on (`runbook capture --target`); absent: `host` itself. */
  target?: string;
  /** One line on what the incident shows (`capture --title`): the TUI's home screen lists it. */
  title?: string;
  /** The runbook the incident is for (`capture --runbook`): preselected when the bundle is opened. */
  runbook?: string;
}

export interface Bundle {
  dir: string;
  meta: BundleMeta;
  /** Snapshots 0 … count-1, in capture order. */
  snapshotCount: number;
  gctracePath?: string;
}

const metaFile = 'meta.json';

export function snapshotDir(bundleDir: string, index: number): string {
  return join(bundleDir, 'snapshots', String(index));
}

export function bundleGctracePath(bundleDir: string): string {
  return join(bundleDir, 'gctrace.log');
}

export function writeBundleMeta(bundleDir: string, meta: BundleMeta): void {
  writeFileSync(join(bundleDir, metaFile), `${JSON.stringify(meta, null, 2)}\n`);
}

const layoutHint = 'a bundle is DIR/meta.json plus DIR/snapshots/0/, 1/, … as written by `runbook capture --out DIR`';

/** Reads and validates a bundle directory; every defect is a UserError naming what is missing. */
export function readBundle(dir: string): Bundle {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new UserError(`bundle ${dir}: no such directory`, { hint: layoutHint });
  }
  const meta = readBundleMeta(dir);

  const snapshotsDir = join(dir, 'snapshots');
  if (!existsSync(snapshotsDir)) throw new UserError(`bundle ${dir}: snapshots/ is missing`, { hint: layoutHint });
  const indexes = readdirSync(snapshotsDir)
    .filter((name) => /^\d+$/.test(name) && statSync(join(snapshotsDir, name)).isDirectory())
    .map(Number)
    .sort((a, b) => a - b);
  if (indexes.length === 0) throw new UserError(`bundle ${dir}: snapshots/ holds no snapshot (expected snapshots/0/)`, { hint: layoutHint });
  const gap = indexes.findIndex((value, position) => value !== position);
  if (gap >= 0) {
    throw new UserError(`bundle ${dir}: snapshots/${gap}/ is missing (snapshots are numbered 0, 1, … without gaps)`, {
      hint: layoutHint,
    });
  }
  const gctracePath = bundleGctracePath(dir);
  return { dir, meta, snapshotCount: indexes.length, ...(existsSync(gctracePath) ? { gctracePath } : {}) };
}

/** A bundle's meta.json, validated; every defect is a UserError naming the file. */
export function readBundleMeta(dir: string): BundleMeta {
  const metaPath = join(dir, metaFile);
  if (!existsSync(metaPath)) throw new UserError(`bundle ${dir}: ${metaFile} is missing`, { hint: layoutHint });
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(metaPath, 'utf8'));
  } catch (error) {
    throw new UserError(`bundle ${metaPath}: not valid JSON (${(error as Error).message})`, { location: metaPath, hint: layoutHint });
  }
  return validateMeta(parsed, metaPath);
}

function validateMeta(value: unknown, metaPath: string): BundleMeta {
  const fail = (what: string): never => {
    throw new UserError(`bundle ${metaPath}: ${what}`, { location: metaPath, hint: layoutHint });
  };
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return fail('expected a JSON object');
  const record = value as Record<string, unknown>;
  if (!Number.isInteger(record['pid'])) fail('"pid" (an integer) is missing');
  if (!Array.isArray(record['cmdline']) || !record['cmdline'].every((a) => typeof a === 'string')) {
    fail('"cmdline" (an array of strings) is missing');
  }
  if (typeof record['host'] !== 'string') fail('"host" (a string) is missing');
  if (typeof record['captured_at'] !== 'string' || Number.isNaN(Date.parse(record['captured_at']))) {
    fail('"captured_at" (an ISO-8601 time) is missing');
  }
  for (const optional of ['go_version', 'pprof', 'target', 'title', 'runbook']) {
    if (record[optional] !== undefined && typeof record[optional] !== 'string') fail(`"${optional}" must be a string`);
  }
  return record as unknown as BundleMeta;
}
