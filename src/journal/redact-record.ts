// Redaction of a journal record before it is written. Everything that can carry step
// output or input text is masked; the fields the tool itself writes as identifiers and
// enums are not: a secret that happens to be a substring of one ("pass" in "passed", a
// step id in a goto) would otherwise corrupt the journal that resume and notes read.
import type { Redactor } from '../redact/types.js';

const STRUCTURAL_FIELDS = new Set(['v', 'seq', 't', 'type', 'session_id', 'step', 'kind', 'attempt', 'status', 'duration_ms', 'exit_code', 'signal', 'mode', 'format', 'by_hand', 'secret_inputs', 'runbook', 'interrupted']);
const STRUCTURAL_DECISION_FIELDS = ['rule', 'goto', 'result', 'source'] as const;

export function redactRecord<R extends object>(record: R, redactor: Redactor): R {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(record)) {
    if (STRUCTURAL_FIELDS.has(key)) out[key] = value;
    else if (key === 'decision' && value !== null && typeof value === 'object') {
      const decision = value as Record<string, unknown>;
      const masked = redactor.redactValue(decision);
      for (const field of STRUCTURAL_DECISION_FIELDS) if (field in decision) masked[field] = decision[field];
      out[key] = masked;
    } else out[key] = redactor.redactValue(value);
  }
  return out as R;
}
