// `Key:<tab or spaces>value[ kB]` files (/proc/PID/status, /proc/PID/smaps_rollup) → facts
// named in snake_case, sizes suffixed `_kb`. Shared by the status and smaps_rollup parsers.
import type { FactValue, ParseWarning } from './types.js';

export interface ProcFields {
  fields: Record<string, FactValue>;
  /** Keys as printed, in order (for `every field present`). */
  keys: string[];
  warnings: ParseWarning[];
  /** Lines that were neither blank nor `Key: value`. */
  otherLines: number;
}

const fieldLine = /^([A-Za-z_][A-Za-z0-9_()]*):[ \t]*(.*?)[ \t\r]*$/;
const sizeValue = /^(\d+) kB$/;
// No leading zeros: "0022" (Umask, octal) and "0000000000001000" (SigIgn, hex) are not decimals.
const integerValue = /^-?(?:0|[1-9]\d*)$/;
// Masks printed in hex or octal even when they happen to look decimal ("Cpus_allowed:\t3").
const textKeys = new Set(['Umask', 'SigPnd', 'ShdPnd', 'SigBlk', 'SigIgn', 'SigCgt', 'CapInh', 'CapPrm', 'CapEff', 'CapBnd', 'CapAmb', 'Cpus_allowed', 'Cpus_allowed_list', 'Mems_allowed', 'Mems_allowed_list', 'untag_mask']);
const MAX_WARNINGS = 50;

// Names the generic camelCase split would mangle (THPeligible → th_peligible).
const specialNames: Record<string, string> = {
  THPeligible: 'thp_eligible',
  PPid: 'ppid',
  NStgid: 'ns_tgid',
  NSpid: 'ns_pid',
  NSpgid: 'ns_pgid',
  NSsid: 'ns_sid',
};

/** VmRSS → vm_rss, RssAnon → rss_anon, Shared_Clean → shared_clean, Cpus_allowed_list → cpus_allowed_list. */
export function snakeCase(key: string): string {
  const special = specialNames[key];
  if (special !== undefined) return special;
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .replace(/[()]/g, '')
    .toLowerCase()
    .replace(/_+/g, '_');
}

export function parseProcFields(text: string, skipLine?: (line: string, lineNo: number) => boolean): ProcFields {
  const fields: Record<string, FactValue> = {};
  const keys: string[] = [];
  const warnings: ParseWarning[] = [];
  const warn = (w: ParseWarning): void => {
    if (warnings.length < MAX_WARNINGS) warnings.push(w);
  };
  let otherLines = 0;
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const lineNo = i + 1;
    if (line.trim() === '' || skipLine?.(line, lineNo)) continue;
    const m = fieldLine.exec(line);
    if (m === null) {
      otherLines++;
      warn({ line: lineNo, message: `not a "Key: value" line: ${JSON.stringify(line.slice(0, 80))}` });
      continue;
    }
    const key = m[1]!;
    const raw = m[2]!;
    const size = sizeValue.exec(raw);
    const name = size === null ? snakeCase(key) : `${snakeCase(key)}_kb`;
    if (name in fields) warn({ line: lineNo, message: `${key} appears again; the later value is kept` });
    else keys.push(key);
    fields[name] = size !== null ? scalar(size[1]!) : textKeys.has(key) ? raw : scalar(raw);
  }
  return { fields, keys, warnings, otherLines };
}

/** Integers stay numbers while exact; larger ones (and everything else) stay strings. */
function scalar(raw: string): FactValue {
  if (!integerValue.test(raw)) return raw;
  const n = Number(raw);
  return Number.isSafeInteger(n) ? n : raw;
}
