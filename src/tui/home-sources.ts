// What the home screen lists: Go processes on this host (or the target's), the example incident bundles
// shipped under examples/, the runbooks, and sessions that can be resumed. Each source is
// a function so the screen draws at once and fills in as they answer (process discovery
// probes sockets; the first frame must not wait for it).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ListedAlert } from '../alerts/alert-listing.js';
import type { Discovery } from '../collectors/discover.js';
import type { SessionSummary } from '../journal/summary.js';
import type { Runbook } from '../runbook/types.js';
import type { Target } from '../targets/target.js';

const shippedExamplesDir = fileURLToPath(new URL('../../examples/', import.meta.url));

export interface ExampleBundle {
  dir: string;
  name: string;
  /** From the bundle's README (its first heading), or examples/README.md's table row. */
  title: string;
  /** A runbook the README names, to preselect. */
  runbookHint?: string;
  /** The pid the bundle was captured from (meta.json), for `pid` inputs. */
  pid?: number;
}

export interface HomeSources {
  /** Where the processes and new sessions are: `this host`, or a target URL (`runbook --target`). */
  where: string;
  /** Aborting `signal` stops the listing (its remote reads and probes). */
  processes: (signal?: AbortSignal) => Promise<Discovery>;
  examples: () => Promise<ExampleBundle[]>;
  runbooks: () => Promise<Runbook[]>;
  /** Sessions that did not conclude, newest first. */
  sessions: () => Promise<SessionSummary[]>;
  /** With an Alertmanager configured (the `alertmanager` setting): its firing alerts, each
   *  with the runbook that answers it; shown first. */
  alerts?: { alertmanager: string; list: (signal?: AbortSignal) => Promise<ListedAlert[]> };
}

function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

function firstHeading(markdown: string): string | undefined {
  return /^#\s+(.+)$/m.exec(markdown)?.[1]?.trim();
}

/** examples/README.md describes bundles in a table: | `name/` | mode | what it shows |. */
function tableTitle(indexReadme: string, name: string): string | undefined {
  for (const line of indexReadme.split('\n')) {
    const cells = line.split('|').map((c) => c.trim());
    if (cells[1] === `\`${name}/\`` || cells[1] === `\`${name}\``) {
      const last = cells[cells.length - 2];
      if (last) return last.replace(/`/g, '');
    }
  }
  return undefined;
}

export function listExampleBundles(dir: string, runbookIds: readonly string[] = []): ExampleBundle[] {
  if (!existsSync(dir)) return [];
  const index = readText(join(dir, 'README.md'));
  const bundles: ExampleBundle[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (!entry.isDirectory() || !existsSync(join(dir, entry.name, 'meta.json'))) continue;
    const bundleDir = join(dir, entry.name);
    const readme = readText(join(bundleDir, 'README.md'));
    let pid: number | undefined;
    try {
      const meta = JSON.parse(readText(join(bundleDir, 'meta.json'))) as { pid?: unknown };
      if (typeof meta.pid === 'number') pid = meta.pid;
    } catch {
      pid = undefined;
    }
    const hint = runbookIds.find((id) => new RegExp(`\\b${id}\\b`).test(readme));
    bundles.push({
      dir: bundleDir,
      name: entry.name,
      title: firstHeading(readme) ?? tableTitle(index, entry.name) ?? entry.name,
      ...(hint !== undefined ? { runbookHint: hint } : {}),
      ...(pid !== undefined ? { pid } : {}),
    });
  }
  return bundles.sort((a, b) => a.name.localeCompare(b.name));
}

/** The Go processes of this host or a target, as the home screen and the process picker list them. */
export function processSource(target: Target | undefined): Pick<HomeSources, 'where' | 'processes'> {
  return {
    where: target?.url ?? 'this host',
    processes: async (signal) => {
      const [{ discoverGoProcesses }, { processHostFor }] = await Promise.all([import('../collectors/discover.js'), import('../collectors/process-host-for.js')]);
      return discoverGoProcesses(processHostFor(target, signal));
    },
  };
}

// The sources load their modules (the validator, the parsers, /proc readers) on first
// use, after the first frame is drawn: the home screen's start-up is in bench/tui.bench.js.
export function defaultHomeSources(stateDir: string, target?: Target, alertmanager = '', examplesDir: string = shippedExamplesDir): HomeSources {
  let found: Promise<Runbook[]> | undefined;
  const runbooks = (): Promise<Runbook[]> =>
    (found ??= import('../runbook/discover.js')
      .then(({ discoverRunbooks }) => discoverRunbooks())
      .then((all) => all.flatMap((one) => (one.runbook !== undefined ? [one.runbook] : []))));
  return {
    ...processSource(target),
    runbooks,
    examples: async () => listExampleBundles(examplesDir, (await runbooks()).map((r) => r.id)),
    sessions: async () => {
      const { listSessions } = await import('../journal/sessions.js');
      return (await listSessions(stateDir)).filter((s) => s.status !== 'concluded').slice(0, 5);
    },
    ...(alertmanager !== '' ? { alerts: alertSource(alertmanager, runbooks) } : {}),
  };
}

/** The firing alerts of `alertmanager` with their runbooks; a failure to read them is the error shown. */
function alertSource(alertmanager: string, runbooks: () => Promise<Runbook[]>): NonNullable<HomeSources['alerts']> {
  return {
    alertmanager,
    list: async (signal) => {
      const [{ firingAlerts }, { listAlerts }] = await Promise.all([import('../alerts/alertmanager.js'), import('../alerts/alert-listing.js')]);
      const got = await firingAlerts(alertmanager, signal);
      if (!got.ok) throw new Error(got.reason);
      return listAlerts(got.payload.firing, await runbooks(), alertmanager);
    },
  };
}
