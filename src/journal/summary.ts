// One line per session for `runbook sessions` and the TUI home screen, folded from the
// journal records.
import type { JournalRecord, SessionConcludedRecord, SessionStatus } from './records.js';

export interface SessionSummary {
  id: string;
  dir: string;
  runbook: string;
  title: string;
  target: string;
  status: SessionStatus;
  started: string;
  updated: string;
  conclusion?: Pick<SessionConcludedRecord, 'finding' | 'severity' | 'text'>;
  bundle?: string;
  /** Journal lines set aside on read (torn tail after a crash). */
  setAside: number;
}

/** `ownerAlive`: whether a live process holds the session's lock (running vs interrupted). */
export function summarizeSession(
  dir: string,
  records: JournalRecord[],
  setAside: number,
  ownerAlive: boolean,
): SessionSummary | null {
  const started = records.find((r) => r.type === 'session.started');
  if (!started || started.type !== 'session.started') return null;
  let status: SessionStatus = 'running';
  let conclusion: SessionSummary['conclusion'];
  for (const record of records) {
    if (record.type === 'session.resumed') status = 'running';
    if (record.type === 'session.ended') status = record.status;
    if (record.type === 'session.concluded') {
      conclusion = { finding: record.finding, severity: record.severity, text: record.text };
    }
  }
  if (status === 'running' && !ownerAlive) status = 'interrupted';
  const last = records[records.length - 1] ?? started;
  return {
    id: started.session_id,
    dir,
    runbook: started.runbook.id,
    title: started.runbook.title,
    target: started.target,
    status,
    started: started.t,
    updated: last.t,
    ...(conclusion ? { conclusion } : {}),
    ...(started.bundle ? { bundle: started.bundle } : {}),
    setAside,
  };
}
