// Artifact files of a session: created 0600, named by step and attempt so re-runs never
// overwrite the evidence of an earlier attempt.
import { writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { FILE_MODE, type SessionPaths } from './session-dir.js';

/** `artifacts/<step>-<attempt>.<suffix>` as an absolute path. */
export function artifactPath(paths: SessionPaths, step: string, attempt: number, suffix: string): string {
  return join(paths.artifacts, `${step}-${attempt}.${suffix}`);
}

/** Writes a whole artifact (0600, never replacing an existing file). */
export function writeArtifact(path: string, data: string | Uint8Array): void {
  writeFileSync(path, data, { flag: 'wx', mode: FILE_MODE });
}

/** The path recorded in the journal: relative to the session dir, so a moved dir still works. */
export function relativeToSession(paths: SessionPaths, path: string): string {
  return relative(paths.dir, path);
}
