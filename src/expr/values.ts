// The values expressions work on (numbers, strings, booleans, null, arrays and plain
// objects, as parsers produce them) and the few safe ways to look inside them.

/** Names that reach JavaScript's prototype machinery: never readable from a runbook. */
export const REFUSED_FIELD_NAMES: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** A field of a plain object or an element of an array: own properties only. */
export function ownField(container: unknown, name: string): { found: true; value: unknown } | { found: false } {
  if (REFUSED_FIELD_NAMES.has(name)) return { found: false };
  if (Array.isArray(container)) {
    if (!/^(0|[1-9]\d*)$/.test(name)) return { found: false };
    const index = Number(name);
    return index < container.length ? { found: true, value: container[index] } : { found: false };
  }
  if (isPlainObject(container) && Object.prototype.hasOwnProperty.call(container, name)) {
    const value = container[name];
    return value === undefined ? { found: false } : { found: true, value };
  }
  return { found: false };
}

/** The names one can read below a value, for "has: …" in error messages. */
export function fieldNames(container: unknown): string[] {
  if (isPlainObject(container)) return Object.keys(container).filter((key) => !REFUSED_FIELD_NAMES.has(key));
  if (Array.isArray(container)) return container.length === 0 ? [] : [`[0]…[${container.length - 1}]`];
  return [];
}

export function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (isPlainObject(value)) return 'object';
  return typeof value;
}

const MAX_SHOWN = 40;

/** A value for people: `'abc'`, `27.1`, `[3 items]`, `{status, maps}`. */
export function showValue(value: unknown): string {
  if (typeof value === 'string') {
    const shown = value.length > MAX_SHOWN ? `${value.slice(0, MAX_SHOWN)}…` : value;
    return `'${shown.replace(/[\\']/g, (c) => `\\${c}`).replace(/\n/g, '\\n')}'`;
  }
  if (Array.isArray(value)) {
    if (value.length <= 5 && value.every((item) => item === null || typeof item !== 'object')) {
      return `[${value.map(showValue).join(', ')}]`;
    }
    return `[${value.length} item${value.length === 1 ? '' : 's'}]`;
  }
  if (isPlainObject(value)) {
    const names = Object.keys(value);
    return `{${names.slice(0, 5).join(', ')}${names.length > 5 ? ', …' : ''}}`;
  }
  return String(value);
}

/** `string 'abc'`, `number 3`, `null`: the type and the value, for type errors. */
export function describeValue(value: unknown): string {
  return value === null ? 'null' : `${typeName(value)} ${showValue(value)}`;
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((item, i) => deepEqual(item, b[i]));
  }
  if (isPlainObject(a) && isPlainObject(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((key) => Object.prototype.hasOwnProperty.call(b, key) && deepEqual(a[key], b[key]));
  }
  return false;
}
