// Session ids sort by start time and stay short enough to type:
// `20261122-031245-go-memory-a1b2` (UTC date, time, runbook id, 4 random hex digits).
import { randomBytes } from 'node:crypto';

const MAX_RUNBOOK_PART = 24;

export function newSessionId(runbookId: string, now: Date = new Date()): string {
  const iso = now.toISOString(); // 2026-11-22T03:12:45.123Z
  const date = iso.slice(0, 10).replaceAll('-', '');
  const time = iso.slice(11, 19).replaceAll(':', '');
  const slug =
    runbookId
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, MAX_RUNBOOK_PART) || 'runbook';
  return `${date}-${time}-${slug}-${randomBytes(2).toString('hex')}`;
}

/** Ids are also directory names: refuse anything that could escape the sessions dir. */
export function isSafeSessionId(id: string): boolean {
  return /^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(id) && !id.includes('..');
}
