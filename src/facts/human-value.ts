// A fact's value as a person reads it, from the unit its name carries (the naming rule of
// docs/parsers.md: `_kb`, `_mb`, `_ms`, `_us`, `_ns`, `_s`, `_bytes`, `_percent`):
// `vm_rss_kb 263100` → `256.9 MiB`, `stw_p99_ms 27.14` → `27.1 ms`, a count → `4,616`,
// a delta with its sign (`+1.2 MiB`, `−0.1 MiB`). MemStats and pprof byte fields, whose
// names carry no unit, are known by name. The TUI's tables, the notes and the plain runner
// share it; the raw value is always in the facts file and `--json`.
import type { FactValue } from '../parsers/types.js';
import { formatBytes, formatDuration } from './format-human.js';
import { formatNumber } from './format-number.js';
import { MINUS_SIGN } from '../util/prose-number.js';

/** runtime.MemStats fields counted in bytes (snake_case, as the memstats parser names them). */
const MEMSTATS_BYTES = new Set([
  'alloc', 'total_alloc', 'sys', 'heap_alloc', 'heap_sys', 'heap_idle', 'heap_inuse', 'heap_released', 'stack_inuse', 'stack_sys',
  'mspan_inuse', 'mspan_sys', 'mcache_inuse', 'mcache_sys', 'buck_hash_sys', 'gc_sys', 'other_sys', 'next_gc',
]);

/** pprof values counted in the profile's unit (bytes for heap profiles). */
const PPROF_VALUES = /^(flat|cum|total|shown_total|total_before|total_after|total_delta|inuse_space|alloc_space|delta|before|after)$/;

export interface HumanContext {
  /** The group the fact is in (`memstats`, `heap`, `status_diff`…), for names without a unit. */
  group?: string;
  /** A pprof group's `unit` fact (`bytes`, `count`, `nanoseconds`). */
  unit?: string;
}

const MAX_CHARS = 60;

/** Text for a scalar fact; undefined for null (nothing was read) and for objects and lists. */
export function humanValue(name: string, value: FactValue | undefined, context: HumanContext = {}): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (typeof value === 'string') return value.length > MAX_CHARS ? `${value.slice(0, MAX_CHARS - 1)}…` : value;
  if (typeof value === 'number') return humanNumber(name, value, context);
  if (Array.isArray(value) && value.length === 0) return 'none';
  if (Array.isArray(value) && value.every((item) => item === null || typeof item !== 'object')) {
    const text = value.map((item) => humanValue(name, item, context) ?? '—').join(', ');
    return text.length > MAX_CHARS ? `${text.slice(0, MAX_CHARS - 1)}…` : text;
  }
  return undefined;
}

/** A signed quantity: deltas and growth say which way they went. */
function isChange(name: string): boolean {
  return /(^|_)(delta|growth|grown|slope)(_|$)/.test(name);
}

export function humanNumber(name: string, value: number, context: HumanContext = {}): string {
  const base = name.split('.').pop() ?? name;
  // Identifiers are not quantities: pid 48213, port 6060, exit code 3, as written.
  if (/(^|_)(pid|ppid|port|id|uid|gid|fd|code|signal|line|year)$/.test(base)) return String(value);
  // A rate or a slope: the quantity, then what it is per (`gc_per_s` → `3.2/s`).
  const per = /^(.*)_per_([a-z]+)$/.exec(base);
  if (per !== null) return `${per[1] === 'gc' || per[1] === '' ? grouped(value) : humanNumber(per[1] ?? '', value, context)}/${per[2]}`;
  // A profile diff's rows are changes too (`growing_flat[0].flat` is what the function grew by).
  const signed = isChange(base) || (context.group?.endsWith('_diff') === true && /^(flat|cum)$/.test(base));
  const bytes = bytesOf(base, value, context);
  if (bytes !== undefined) return withSign(formatBytes(Math.abs(bytes)), bytes, signed);
  if (/(^|_)mi?b($|_)/.test(base)) return withSign(`${formatNumber(Math.abs(value))} MiB`, value, signed);
  if (/(^|_)ms($|_)/.test(base)) return withSign(`${formatNumber(Math.abs(value))} ms`, value, signed);
  if (/(^|_)us($|_)/.test(base)) return withSign(`${formatNumber(Math.abs(value) / 1000)} ms`, value, signed);
  if (/(^|_)ns$/.test(base)) return withSign(formatDuration(Math.abs(value) / 1e6), value, signed);
  if (/(^|_)s$/.test(base) || /_seconds$/.test(base)) return withSign(formatDuration(Math.abs(value) * 1000), value, signed);
  if (/(^|_)minutes$/.test(base)) return withSign(`${formatNumber(Math.abs(value))} min`, value, signed);
  if (/(^|_)(percent|pct)($|_)/.test(base)) return withSign(`${formatNumber(Math.abs(value))} %`, value, signed);
  if (/fraction$/.test(base)) return `${formatNumber(value * 100)} %`;
  return withSign(grouped(Math.abs(value)), value, signed);
}

function bytesOf(name: string, value: number, context: HumanContext): number | undefined {
  if (/(^|_)kb($|_)/.test(name)) return value * 1024;
  if (/(^|_)(bytes|space)($|_)/.test(name)) return value;
  if (context.group === 'memstats' || context.group === 'memstats_diff') {
    const field = name.replace(/_(delta|before|after)$/, '');
    if (MEMSTATS_BYTES.has(field)) return value;
  }
  if (context.unit === 'bytes' && PPROF_VALUES.test(name)) return value;
  return undefined;
}

/** 4616 → "4,616"; fractions keep ≤3 significant decimals. */
function grouped(value: number): string {
  if (!Number.isInteger(value)) return formatNumber(value);
  return String(value).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

function withSign(text: string, value: number, signed: boolean): string {
  if (value < 0) return `${MINUS_SIGN}${text}`;
  return signed && value > 0 ? `+${text}` : text;
}
