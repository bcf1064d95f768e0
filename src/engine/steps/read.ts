// `read`: a file (e.g. /proc/{{ pid }}/maps) into an artifact, bounded, then parsed.
import { closeSync, openSync, readSync } from 'node:fs';
import { writeArtifact } from '../../journal/artifacts.js';
import type { Step } from '../../runbook/types.js';
import { pastedOutcome } from './by-hand.js';
import { readFileOnTarget } from '../../targets/run-on-target.js';
import { readFileArgv } from '../../targets/transport.js';
import { quoteForShell } from '../../exec/shell-quote.js';
import { renderText } from '../../template/index.js';
import { parseEvidence } from './parse-output.js';
import { failed, skippedOnReplay, type StepContext, type StepOutcome } from './types.js';

const DEFAULT_READ_MAX_BYTES = 16 * 1024 * 1024;
/** /proc files report size 0 and must be read in as few read() calls as possible
 *  (domain.md: maps is only consistent within one read), so read big chunks. */
const CHUNK = 4 * 1024 * 1024;

export async function readStep(ctx: StepContext): Promise<StepOutcome> {
  const step = ctx.step as Extract<Step, { kind: 'read' }>;
  const spec = step.read;
  const skipped = skippedOnReplay(ctx, spec, 'reads a live file');
  if (skipped) return skipped;
  const path = renderText(spec.path, ctx.scope);
  if (!path.ok) {
    ctx.started();
    return failed(`path: ${path.error}`);
  }
  const maxBytes = spec.max_bytes ?? DEFAULT_READ_MAX_BYTES;
  // Remote and paste-back reads (src/targets): the command that reads the file on the
  // target is recorded, so the engineer can also run it by hand.
  const target = ctx.options.target;
  if (target !== undefined || ctx.pastedOutput !== undefined) {
    const argv = readFileArgv(path.text, maxBytes);
    ctx.started({ argv, display: quoteForShell(argv), target: target?.url ?? 'local' });
  } else {
    ctx.started();
  }
  if (ctx.pastedOutput !== undefined) {
    return pastedOutcome(ctx, ctx.pastedOutput, { artifact: 'content', parse: spec.parse, parseOptions: spec.parse_options, meta: { path: path.text, truncated: false } });
  }
  let content: Buffer;
  let truncated = false;
  if (target !== undefined) {
    const read = await readFileOnTarget(target, path.text, { maxBytes, timeoutMs: ctx.options.defaultTimeoutMs, signal: ctx.signal });
    if (ctx.signal.aborted) return { status: 'cancelled', reason: 'cancelled by the engineer' };
    if (!read.ok) return failed(`cannot read ${path.text}: ${read.reason}`);
    ({ bytes: content, truncated } = read);
  } else {
    try {
      ({ content, truncated } = readBounded(path.text, maxBytes));
    } catch (error) {
      // The file system's answer (ENOENT, EACCES, EISDIR) fails the step; anything else is a bug.
      const code = (error as NodeJS.ErrnoException).code;
      if (code === undefined) throw error;
      return failed(`cannot read ${path.text}: ${code}`);
    }
  }
  const artifact = ctx.artifact('content');
  // The parser reads the artifact, so facts come from the redacted bytes too.
  writeArtifact(artifact, ctx.redactor.redactBytes(content));
  const warnings = truncated ? [`${path.text} is longer than max_bytes (${maxBytes}); read the first ${maxBytes} bytes`] : [];
  const common = { artifacts: { content: artifact }, meta: { path: path.text, bytes: content.length, truncated }, warnings };
  if (spec.parse === undefined) return { status: 'passed', ...common };
  const parsed = parseEvidence(artifact, spec.parse, spec.parse_options, ctx.scope);
  const outcome = { ...common, facts: parsed.facts, warnings: [...warnings, ...parsed.warnings] };
  return parsed.error ? failed(parsed.error, outcome) : { status: 'passed', ...outcome };
}

function readBounded(path: string, maxBytes: number): { content: Buffer; truncated: boolean } {
  const fd = openSync(path, 'r');
  try {
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const buffer = Buffer.alloc(Math.min(CHUNK, maxBytes + 1 - total));
      const n = readSync(fd, buffer, 0, buffer.length, null);
      if (n === 0) break;
      chunks.push(buffer.subarray(0, n));
      total += n;
      if (total > maxBytes) break;
    }
    const content = Buffer.concat(chunks);
    return total > maxBytes ? { content: content.subarray(0, maxBytes), truncated: true } : { content, truncated: false };
  } finally {
    closeSync(fd);
  }
}
