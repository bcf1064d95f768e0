// What the home screen lists: Go processes on this host (or the target's), the example incident bundles
// shipped under examples/, the runbooks, and sessions that can be resumed. Each source is
// a function so the screen draws at once and fills in as they answer (process discovery
// probes sockets; the first frame must not wait for it).
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ListedAlert } from '../alerts/alert-listing.js';
import { readBundleMeta, type BundleMeta } from '../collectors/bundle.js';
import type { Discovery } from '../collectors/discover.js';
import type { SessionSummary } from '../journal/summary.js';
import type { Runbook } from '../runbook/types.js';
import type { Target } from '../targets/target.js';

const shippedExamplesDir = fileURLToPath(new URL('../../examples/', import.meta.url));

export interface ExampleBundle {
  dir: string;
  name: string;
  /** meta.json's title, else the directory name. */
  title: string;
  /** meta.json's runbook, to preselect. */
  runbookHint?: string;
  /** The pid the bundle was captured from (meta.json), for `pid` inputs. */
  pid: number;
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

/** Bundles under `dir` whose meta.json reads; a broken one is left out of the list (opening
 *  it would fail with readBundle's error anyway). */
export function listExampleBundles(dir: string): ExampleBundle[] {
  if (!existsSync(dir)) return [];
  const bundles: ExampleBundle[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const bundleDir = join(dir, entry.name);
    let meta: BundleMeta;
    try {
      meta = readBundleMeta(bundleDir);
    } catch {
      continue;
    }
    bundles.push({
      dir: bundleDir,
      name: entry.name,
      title: meta.title ?? entry.name,
      ...(meta.runbook !== undefined ? { runbookHint: meta.runbook } : {}),
      pid: meta.pid,
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
    examples: async () => listExampleBundles(examplesDir),
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
      const [{ firingAlerts, shownAlertmanager }, { listAlerts }] = await Promise.all([import('../alerts/alertmanager.js'), import('../alerts/alert-listing.js')]);
      const got = await firingAlerts(alertmanager, signal);
      if (!got.ok) throw new Error(got.reason);
      return listAlerts(got.payload.firing, await runbooks(), shownAlertmanager(alertmanager));
    },
  };
}
