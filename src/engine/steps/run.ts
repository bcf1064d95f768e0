// `run`: a command as an argv array (variables fill whole elements) or a fixed `shell:`
// script (variables reach it only through env). Output streams to artifacts; the parse
// reads the stdout artifact.
import { statSync } from 'node:fs';
import { shellArgv } from '../../exec/shell-form.js';
import { quoteForShell } from '../../exec/shell-quote.js';
import type { CommandRecord } from '../../journal/records.js';
import type { ExecResult } from '../../exec/types.js';
import type { Scope } from '../../expr/index.js';
import type { RunSpec, Step } from '../../runbook/types.js';
import { pastedOutcome } from './by-hand.js';
import { runOnTarget } from '../../targets/run-on-target.js';
import { LOCAL_TARGET, type Target } from '../../targets/target.js';
import { renderArgv, renderText } from '../../template/index.js';
import { parseDuration } from '../../util/duration.js';
import type { EngineOptions } from '../options.js';
import { parseEvidence } from './parse-output.js';
import { failed, skippedOnReplay, type StepContext, type StepOutcome } from './types.js';

const PROGRESS_EVERY_MS = 1000;

interface RenderedCommand {
  ok: true;
  argv: string[];
  env: Record<string, string>;
  cwd?: string;
  timeoutMs: number;
  command: CommandRecord;
}
type Rendered = RenderedCommand | { ok: false; error: string };

/** The command a run step will run, filled in (also the TUI's preview before it runs). */
export function renderRunCommand(spec: RunSpec, scope: Scope, options: EngineOptions): Rendered {
  const env: Record<string, string> = {};
  for (const [name, template] of Object.entries(spec.env ?? {})) {
    const value = renderText(template, scope);
    if (!value.ok) return { ok: false, error: `env ${name}: ${value.error}` };
    env[name] = value.text;
  }
  let argv: string[];
  if (spec.shell !== undefined) {
    argv = shellArgv(spec.shell);
  } else {
    const rendered = renderArgv(spec.argv ?? [], scope);
    if (!rendered.ok) return { ok: false, error: rendered.error };
    argv = rendered.argv;
  }
  let cwd: string | undefined;
  if (spec.cwd !== undefined) {
    const rendered = renderText(spec.cwd, scope);
    if (!rendered.ok) return { ok: false, error: `cwd: ${rendered.error}` };
    cwd = rendered.text;
  }
  let timeoutMs = options.defaultTimeoutMs;
  if (spec.timeout !== undefined) {
    const parsed = parseDuration(spec.timeout);
    if (!parsed.ok) return { ok: false, error: `timeout: ${parsed.error}` };
    timeoutMs = parsed.ms;
  }
  // The session redacts every record before it is written, this one included.
  const command: CommandRecord = {
    argv,
    display: spec.shell ?? quoteForShell(argv),
    ...(Object.keys(env).length > 0 ? { env } : {}),
    ...(cwd !== undefined ? { cwd } : {}),
    target: targetOf(options, spec).url,
  };
  return { ok: true, argv, env, ...(cwd !== undefined ? { cwd } : {}), timeoutMs, command };
}

/** Where the command runs: the session's target, unless the step is `local: true` (it
 *  reads the engineer's source tree or uses a tool only their machine has). */
function targetOf(options: EngineOptions, spec: RunSpec): Target {
  return spec.local === true ? LOCAL_TARGET : (options.target ?? LOCAL_TARGET);
}

export async function runStep(ctx: StepContext): Promise<StepOutcome> {
  const step = ctx.step as Extract<Step, { kind: 'run' }>;
  const spec = step.run;
  const skipped = skippedOnReplay(ctx, spec, 'needs a live process');
  if (skipped) return skipped;
  const rendered = renderRunCommand(spec, ctx.scope, ctx.options);
  if (!rendered.ok) {
    ctx.started();
    return failed(rendered.error);
  }
  ctx.started(rendered.command);
  // Paste-back (by-hand.ts): the engineer ran it by hand; nothing runs here.
  if (ctx.pastedOutput !== undefined) {
    return pastedOutcome(ctx, ctx.pastedOutput, { artifact: 'stdout', parse: spec.parse, parseOptions: spec.parse_options, meta: { exit_code: 0 } });
  }
  // Remote targets run the argv through ssh/kubectl (src/targets/transport.ts); a remote
  // working directory would need shell text, which values never become.
  const target = targetOf(ctx.options, spec);
  if (target.kind !== 'local' && rendered.cwd !== undefined) return failed(`cwd is not supported on the remote target ${target.url}; use an absolute path in the command`);
  const mustConfirm = spec.mutates === true || ctx.options.confirm === 'every-command';
  if (mustConfirm && !ctx.options.yes) {
    const what = spec.mutates === true ? `This step changes things${spec.changes ? `: ${spec.changes}` : ''}. Run it?` : 'Run this command?';
    const confirmed = await ctx.interactor.confirm(step, what, rendered.command);
    if (!confirmed) return { status: 'cancelled', reason: 'the engineer declined to run it' };
  }

  const stdoutPath = ctx.artifact('stdout');
  const stderrPath = ctx.artifact('stderr');
  const startedAt = Date.now();
  const progress = setInterval(() => {
    const elapsed = Date.now() - startedAt;
    ctx.emit({ type: 'step.progress', step: step.id, elapsed_ms: elapsed, remaining_ms: Math.max(0, rendered.timeoutMs - elapsed), bytes: sizeOf(stdoutPath) });
  }, PROGRESS_EVERY_MS);
  let result;
  try {
    result = await runOnTarget(target, {
      argv: rendered.argv,
      env: rendered.env,
      ...(rendered.cwd !== undefined ? { cwd: rendered.cwd } : {}),
      timeoutMs: rendered.timeoutMs,
      ...(ctx.options.graceMs !== undefined ? { graceMs: ctx.options.graceMs } : {}),
      stdoutPath,
      stderrPath,
      signal: ctx.signal,
      transform: () => ctx.redactor.stream(),
      onOutput: (stream, text) => ctx.emit({ type: 'step.output', step: step.id, stream, text }),
    });
  } finally {
    clearInterval(progress);
  }

  const artifacts = { stdout: stdoutPath, stderr: stderrPath };
  const warnings = result.survivors ? [survivorsWarning(result.survivors)] : [];
  const common = {
    artifacts,
    warnings,
    output: result.stdout,
    exit_code: result.exitCode,
    signal: result.signal,
    meta: {
      exit_code: result.exitCode,
      signal: result.signal,
      stdout_bytes: result.stdout.total_bytes,
      stdout_lines: result.stdout.total_lines,
      stderr_bytes: result.stderr.total_bytes,
    },
  };
  if (result.spawnError) return failed(result.spawnError, common);
  if (result.cancelled) return { status: 'cancelled', reason: 'cancelled by the engineer', ...common };
  if (result.timedOut) return { status: 'timeout', reason: `timed out after ${rendered.timeoutMs} ms`, ...common };
  // Output that could not be kept (a full disk) would be parsed as if it were all there.
  if (result.artifactError !== undefined) return failed(`the output could not be kept in ${ctx.paths.artifacts}: ${result.artifactError}; free space there, then run the step again`, common);
  const okExits = spec.ok_exit ?? [];
  if (result.exitCode !== 0 && !(result.exitCode !== null && okExits.includes(result.exitCode))) {
    const how = result.exitCode === null ? `killed by ${result.signal ?? 'a signal'}` : `exit code ${result.exitCode}`;
    const lastErr = lastLine(result.stderr.tail || result.stderr.head);
    return failed(lastErr ? `${how}: ${lastErr}` : how, common);
  }
  if (spec.parse === undefined) return { status: 'passed', ...common };
  const parsed = parseEvidence(stdoutPath, spec.parse, spec.parse_options, ctx.scope);
  const outcome = { ...common, facts: parsed.facts, warnings: [...warnings, ...parsed.warnings] };
  return parsed.error ? failed(parsed.error, outcome) : { status: 'passed', ...outcome };
}

/** Said, not hidden: a process the step started outlived TERM, the grace and KILL. */
function survivorsWarning(survivors: NonNullable<ExecResult['survivors']>): string {
  const listed = survivors.map((p) => `pid ${p.pid} (${p.command}, state ${p.state})`).join(', ');
  return `${survivors.length} process${survivors.length === 1 ? '' : 'es'} this step started still running after SIGKILL: ${listed}; stop ${survivors.length === 1 ? 'it' : 'them'} by hand`;
}

function sizeOf(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

function lastLine(text: string): string {
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  return (lines[lines.length - 1] ?? '').slice(0, 300);
}
