// Facts are journaled as JSON: no NaN, Infinity, undefined or bigint may hide in them.
import { expect } from 'vitest';
import type { Facts } from '../../src/parsers/types.js';

export function expectJsonFacts(facts: Facts): void {
  expect(JSON.parse(JSON.stringify(facts))).toStrictEqual(facts);
}
