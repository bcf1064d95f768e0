// `runbook schema`: the JSON Schema of the runbook format (or, with --signatures, of the
// goroutine signature catalogue) on stdout.
import { signatureCatalogueJsonSchema } from '../runbook/goroutine-signatures.js';
import { runbookJsonSchema } from '../runbook/json-schema.js';

export function printSchema(signatures = false): void {
  process.stdout.write(`${JSON.stringify(signatures ? signatureCatalogueJsonSchema() : runbookJsonSchema(), null, 2)}\n`);
}
