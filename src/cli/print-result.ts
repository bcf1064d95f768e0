// Shared ending of `runbook parse` and `runbook diff`: facts to stdout (table or JSON),
// warnings to stderr, and a parse error as exit 2 naming the input and what was expected.
import { ExitCode, UserError } from '../errors.js';
import type { ParseResult } from '../parsers/types.js';
import { setExitCode } from './exit-code.js';
import { renderFactsTable } from './facts-table.js';

export interface PrintOptions {
  json: boolean;
  title: string;
  keyFacts: readonly string[];
  /** Where an error without its own side points: the input's label. */
  errorLocation: string;
  /** Prefix for warning locations, e.g. the file; `before:`/`after:` messages keep theirs. */
  warningLocation: string;
}

export function printResult(result: ParseResult, options: PrintOptions): void {
  for (const w of result.warnings) {
    const where = w.line === undefined ? options.warningLocation : `${options.warningLocation}:${w.line}`;
    process.stderr.write(`runbook: warning: ${where}: ${w.message}\n`);
  }
  if (options.json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  if (result.error) {
    const where = result.error.line === undefined ? options.errorLocation : `${options.errorLocation}:${result.error.line}`;
    const error = new UserError(`${options.title}: ${result.error.message}`, { location: where, exitCode: ExitCode.usage });
    if (!options.json) throw error;
    process.stderr.write(`runbook: ${where}: ${error.message}\n`);
    setExitCode(ExitCode.usage);
    return;
  }
  if (!options.json) {
    const width = Math.max(60, Math.min(160, process.stdout.columns || 120));
    process.stdout.write(renderFactsTable(result.facts, { title: options.title, keyFacts: options.keyFacts, width }));
  }
}
