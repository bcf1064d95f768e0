// Whether a parsed journal line has the shape its type promises. A record of this version
// with a field missing or of the wrong type (a hand edit, a bug in another tool that
// wrote it, disk corruption that kept the JSON valid) is set aside like a torn line:
// resume, sessions and export read every field these checks name without looking twice.
type Kind = 'string' | 'number' | 'object' | 'array';

/** Required fields; a `?` prefix marks an optional one, checked only when present. */
const SHAPES: Record<string, Record<string, Kind>> = {
  'session.started': {
    session_id: 'string', runbook: 'object', inputs: 'object', secret_inputs: 'array', target: 'string',
    host: 'string', user: 'string', tool_version: 'string', mode: 'string', '?bundle': 'string', '?alert': 'object',
  },
  'session.resumed': { interrupted: 'array' },
  'step.started': { step: 'string', kind: 'string', attempt: 'number', '?title': 'string', '?command': 'object' },
  'step.finished': {
    step: 'string', kind: 'string', attempt: 'number', status: 'string', duration_ms: 'number', '?reason': 'string',
    '?facts': 'object', '?meta': 'object', '?warnings': 'array', '?artifacts': 'object', '?output': 'object',
    '?decision': 'object', '?answer': 'string', '?checklist': 'array', '?note': 'string',
  },
  'note.added': { text: 'string', '?step': 'string' },
  'session.concluded': { step: 'string', finding: 'string', severity: 'string', text: 'string', '?remediation': 'string', '?numbers': 'object' },
  'session.ended': { status: 'string', exit_code: 'number', '?reason': 'string' },
  'session.exported': { format: 'string', path: 'string' },
  redaction: { counts: 'object' },
};
const RUNBOOK_FIELDS = ['id', 'title', 'file', 'sha256'];

function kindOf(value: unknown): Kind | 'other' {
  if (Array.isArray(value)) return 'array';
  if (value === null) return 'other';
  const type = typeof value;
  return type === 'string' || type === 'number' || type === 'object' ? type : 'other';
}

/** Undefined when the record is whole, else what is wrong with it. */
export function shapeProblem(record: Record<string, unknown>): string | undefined {
  const type = String(record.type);
  const shape = SHAPES[type];
  if (shape === undefined) return `unknown record type ${JSON.stringify(record.type)}`;
  if (typeof record.t !== 'string') return `${type} without its time`;
  for (const [key, kind] of Object.entries(shape)) {
    const optional = key.startsWith('?');
    const name = optional ? key.slice(1) : key;
    const value = record[name];
    if (value === undefined && optional) continue;
    if (kindOf(value) !== kind) return `${type} with ${value === undefined ? 'no' : 'a malformed'} ${name}`;
  }
  if (type === 'session.started' && RUNBOOK_FIELDS.some((field) => typeof (record.runbook as Record<string, unknown>)[field] !== 'string')) {
    return 'session.started with a malformed runbook';
  }
  if (type === 'session.started' && record.alert !== undefined && !wholeAlert(record.alert as Record<string, unknown>)) return 'session.started with a malformed alert';
  return undefined;
}

function wholeAlert(alert: Record<string, unknown>): boolean {
  return typeof alert.name === 'string' && typeof alert.starts_at === 'string' && kindOf(alert.labels) === 'object' && kindOf(alert.annotations) === 'object';
}
