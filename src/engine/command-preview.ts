// What a step will run, filled in, before it runs (the TUI's step card and its `c` copy):
// text a person can paste into a shell on the target. Run and read steps render exactly as
// their executors do; a snapshot becomes the cat/curl commands that gather the same files;
// a wait shows its rendered duration. A template that cannot be filled yet says why.
import { collectorSpecs } from '../collectors/evidence.js';
import type { Scope } from '../expr/index.js';
import { quoteForShell } from '../exec/shell-quote.js';
import type { CommandRecord } from '../journal/records.js';
import type { QuerySpec, Step } from '../runbook/types.js';
import { readFileArgv } from '../targets/transport.js';
import { renderPromql, renderText } from '../template/index.js';
import { parseDuration } from '../util/duration.js';
import { defaultStepSeconds } from './steps/query.js';
import { renderRunCommand } from './steps/run.js';
import type { EngineOptions } from './options.js';

export type CommandPreview =
  /** `text`: one command a line, pasteable; `target`: where it would run. */
  | { ok: true; text: string; target: string }
  /** The command cannot be filled in (yet): why, in words. */
  | { ok: false; reason: string };

/** The pasteable form of a recorded command: environment, working directory and argv. */
export function pasteableCommand(command: Pick<CommandRecord, 'argv' | 'display' | 'env' | 'cwd'>): string {
  const env = Object.entries(command.env ?? {}).map(([name, value]) => `${name}=${value}`);
  // A `shell:` step's display is its script, which reads its variables from the environment.
  const line = env.length > 0 ? quoteForShell(['env', ...env, ...command.argv]) : command.display;
  return command.cwd !== undefined ? `cd ${quoteForShell([command.cwd])} && ${line}` : line;
}

/** Live inputs the snapshot collectors read (docs/engine.md: `pid`, `pprof`, `gctrace`). */
export interface LiveInputs {
  pid?: unknown;
  pprof?: unknown;
  gctrace?: unknown;
  /** Where query steps ask (docs/runbook-format.md "Prometheus queries"). */
  prometheus?: unknown;
}

/** null: the step kind runs nothing (ask, checklist, note, conclude, compute). */
export function previewCommand(step: Step, scope: Scope, live: LiveInputs, options: EngineOptions): CommandPreview | null {
  const target = options.target?.url ?? 'local';
  switch (step.kind) {
    case 'run': {
      const rendered = renderRunCommand(step.run, scope, options);
      return rendered.ok ? { ok: true, text: pasteableCommand(rendered.command), target: rendered.command.target } : { ok: false, reason: rendered.error };
    }
    case 'read': {
      const path = renderText(step.read.path, scope);
      return path.ok ? { ok: true, text: quoteForShell(readFileArgv(path.text, step.read.max_bytes ?? 16 * 1024 * 1024)), target } : { ok: false, reason: `path: ${path.error}` };
    }
    case 'fetch': {
      const url = renderText(step.fetch.url, scope);
      return url.ok ? { ok: true, text: quoteForShell(['curl', '-sS', url.text]), target: 'local' } : { ok: false, reason: `url: ${url.error}` };
    }
    case 'query':
      return queryCommand(step.query, scope, live, options);
    case 'wait': {
      const text = renderText(step.wait, scope);
      return text.ok ? { ok: true, text: `wait ${text.text}`, target } : { ok: false, reason: text.error };
    }
    case 'snapshot':
      return snapshotCommands(step.snapshot.collect, live, target);
    default:
      return null;
  }
}

/** The curl that asks the same query (range: the window ending when it is pasted). */
function queryCommand(spec: QuerySpec, scope: Scope, live: LiveInputs, options: EngineOptions): CommandPreview {
  const promql = renderPromql(spec.promql, scope);
  if (!promql.ok) return { ok: false, reason: `promql: ${promql.error}` };
  const given = spec.prometheus !== undefined ? renderText(spec.prometheus, scope) : undefined;
  if (given !== undefined && !given.ok) return { ok: false, reason: `prometheus: ${given.error}` };
  const base = [given?.text, live.prometheus, options.prometheus].find((url): url is string => typeof url === 'string' && url.trim() !== '');
  if (base === undefined) return { ok: false, reason: 'no Prometheus URL (input prometheus or the prometheus setting): the step will be skipped' };
  const endpoint = `${base.trim().replace(/\/+$/, '')}/api/v1/${spec.range === undefined ? 'query' : 'query_range'}`;
  const argv = ['curl', '-sS', '-G', endpoint, '--data-urlencode', `query=${promql.text}`];
  if (spec.range === undefined) return { ok: true, text: quoteForShell(argv), target: 'local' };
  const range = renderText(spec.range, scope);
  const seconds = range.ok ? parseDuration(range.text) : undefined;
  if (seconds === undefined || !seconds.ok) return { ok: false, reason: `range: ${range.ok ? (seconds as { error: string }).error : range.error}` };
  const step = spec.step !== undefined ? renderText(spec.step, scope) : { ok: true as const, text: `${defaultStepSeconds(seconds.ms / 1000)}s` };
  if (!step.ok) return { ok: false, reason: `step: ${step.error}` };
  const window = `--data-urlencode "start=$(( $(date +%s) - ${Math.round(seconds.ms / 1000)} ))" --data-urlencode "end=$(date +%s)"`;
  return { ok: true, text: `${quoteForShell([...argv, '--data-urlencode', `step=${step.text}`])} ${window}`, target: 'local' };
}

/** The commands that gather what a snapshot's collectors read, each into its bundle file name. */
function snapshotCommands(collect: readonly string[], live: LiveInputs, target: string): CommandPreview {
  const pid = typeof live.pid === 'number' || (typeof live.pid === 'string' && live.pid !== '') ? String(live.pid) : undefined;
  const pprof = typeof live.pprof === 'string' && live.pprof !== '' ? live.pprof.replace(/\/+$/, '') : undefined;
  const gctrace = typeof live.gctrace === 'string' && live.gctrace !== '' ? live.gctrace : undefined;
  const lines: string[] = [];
  const lacking = new Set<string>();
  const seen = new Set<string>();
  for (const name of collect) {
    const spec = collectorSpecs[name as keyof typeof collectorSpecs];
    if (spec === undefined) continue;
    for (const evidence of [...spec.primary, ...spec.extra]) {
      if (seen.has(evidence.file)) continue;
      seen.add(evidence.file);
      const source = evidence.source;
      if ('proc' in source) {
        if (pid === undefined) lacking.add('a pid');
        else lines.push(`${quoteForShell(['cat', `/proc/${pid}/${source.proc}`])} > ${evidence.file}`);
      } else if ('http' in source) {
        if (pprof === undefined) lacking.add('a pprof URL');
        else lines.push(`${quoteForShell(['curl', '-sS', `${pprof}${source.http}`])} > ${evidence.file}`);
      } else if (gctrace === undefined) {
        lacking.add('a gctrace log');
      } else {
        lines.push(`${quoteForShell(['cat', gctrace])} > ${evidence.file}`);
      }
    }
  }
  if (lines.length === 0) return { ok: false, reason: `no command gathers this snapshot without ${[...lacking].join(' and ')}` };
  return { ok: true, text: lines.join('\n'), target };
}
