// `runbook schema`: the JSON Schema of the runbook format on stdout.
import { runbookJsonSchema } from '../runbook/json-schema.js';

export function printSchema(): void {
  process.stdout.write(`${JSON.stringify(runbookJsonSchema(), null, 2)}\n`);
}
