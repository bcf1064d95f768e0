// Checking an input's text the way the engine will (convertInput) before it is submitted.
import { convertInput } from '../engine/inputs.js';
import type { InputSpec } from '../runbook/types.js';

/** The problem with a field's text, or null when the engine will accept it. */
export function fieldProblem(field: { name: string; spec: InputSpec }, text: string): string | null {
  if (text === '') return field.spec.optional === true ? null : 'a value is needed';
  try {
    convertInput(field.name, field.spec, text);
    return null;
  } catch (error) {
    return (error as Error).message;
  }
}
