// The committed JSON Schema is exactly what `runbook schema` generates, and it agrees
// with the validator: every valid fixture passes it, every structurally broken one fails.
import { readFileSync, readdirSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { runbookJsonSchema } from '../../src/runbook/json-schema.js';

const schemaFile = 'schema/runbook.schema.json';
const fixtures = 'test/fixtures/runbooks';
const validate = new Ajv2020({ strict: true, allowUnionTypes: true, strictRequired: false, allErrors: true }).compile(runbookJsonSchema());

/** Mistakes of shape (not of meaning), which a JSON Schema can see too. */
const structural = [
  'unknown-key',
  'unknown-step-kind',
  'wrong-type',
  'missing-required',
  'no-step-kind',
  'two-step-kinds',
  'run-form',
  'bad-enum',
  'bad-input-type',
  'bad-names',
  'empty-list',
];

describe('runbook JSON Schema', () => {
  it('is committed as generated (regenerate: node bin/runbook.js schema > schema/runbook.schema.json)', () => {
    expect(JSON.parse(readFileSync(schemaFile, 'utf8'))).toEqual(runbookJsonSchema());
  });

  it('accepts every valid fixture', () => {
    for (const name of readdirSync(`${fixtures}/valid`)) {
      const ok = validate(parse(readFileSync(`${fixtures}/valid/${name}`, 'utf8')));
      expect({ name, errors: ok ? null : validate.errors }).toEqual({ name, errors: null });
    }
  });

  it.each(structural)('rejects broken/%s.yaml like the validator does', (rule) => {
    expect(validate(parse(readFileSync(`${fixtures}/broken/${rule}.yaml`, 'utf8')))).toBe(false);
  });
});
