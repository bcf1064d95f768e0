// Where expressions and templates find facts. The engine builds one Scope per decision
// from layers (the current step's own facts, inputs, step facts by step id, built-ins).

import { fieldNames, ownField, isPlainObject } from './values.js';

export type LookupResult =
  | { found: true; value: unknown }
  /** `available`: the names that do exist where the path stopped; `at`: the longest prefix that exists. */
  | { found: false; available?: string[]; at?: string };

export interface Scope {
  lookup(path: string[]): LookupResult;
}

/** A Scope that resolves a path in the first layer holding its root name. */
export function scopeFrom(layers: Array<Record<string, unknown>>): Scope {
  return {
    lookup(path: string[]): LookupResult {
      const [root, ...rest] = path;
      if (root === undefined) return { found: false };
      const layer = layers.find((candidate) => isPlainObject(candidate) && ownField(candidate, root).found);
      if (layer === undefined) {
        return { found: false, available: [...new Set(layers.flatMap(fieldNames))].sort() };
      }
      let value = (ownField(layer, root) as { value: unknown }).value;
      for (let i = 0; i < rest.length; i++) {
        const field = ownField(value, rest[i] as string);
        if (!field.found) return { found: false, available: fieldNames(value), at: path.slice(0, i + 1).join('.') };
        value = field.value;
      }
      return { found: true, value };
    },
  };
}

const MAX_LISTED = 15;

/** "unknown fact 'after.memstats.heap_sys' ('after' has: status, maps)". */
export function missingFactMessage(path: string, lookup: { available?: string[]; at?: string }): string {
  const names = lookup.available ?? [];
  const listed = names.length > MAX_LISTED ? `${names.slice(0, MAX_LISTED).join(', ')}, … (${names.length} in all)` : names.join(', ');
  if (lookup.at !== undefined) {
    return names.length === 0
      ? `unknown fact '${path}' ('${lookup.at}' has no fields)`
      : `unknown fact '${path}' ('${lookup.at}' has: ${listed})`;
  }
  return names.length === 0 ? `unknown fact '${path}'` : `unknown fact '${path}' (known: ${listed})`;
}

/** A lookup that never throws, whatever the Scope implementation does. */
export function safeLookup(scope: Scope, path: string[]): LookupResult | { found: false; failure: string } {
  try {
    return scope.lookup(path);
  } catch (error) {
    return { found: false, failure: `looking up '${path.join('.')}' failed: ${error instanceof Error ? error.message : String(error)}` };
  }
}
