// The home screen (`runbook`, `npm start`): firing alerts (with an Alertmanager configured), Go
// processes on this host (or `--target`'s), example incident bundles, runbooks and sessions to
// resume, in one list. Enter on an alert starts the runbook that answers it, inputs filled. Choosing a process or a bundle
// asks for a runbook next, then its inputs; the session screen takes over from there.
// With no Go process running the example bundles come first, the first one preselected,
// so Enter, Enter… walks an example incident (issue 6, "Done when").
import { Box, Text } from 'ink';
import { useState } from 'react';
import type { ListedAlert } from '../alerts/alert-listing.js';
import { shownAlertmanager } from '../alerts/alertmanager.js';
import { alertName, firingFor, keyLabels } from '../alerts/describe-alert.js';
import type { GoProcess } from '../collectors/discover.js';
import type { SessionSummary } from '../journal/summary.js';
import type { Runbook } from '../runbook/types.js';
import type { ExampleBundle, HomeSources } from './home-sources.js';
import { useSource } from './use-source.js';
import { Priority } from './input-router.js';
import { DiscoveryNotes } from './DiscoveryNotes.js';
import { inputFields, submittedVars } from './input-fields.js';
import { InputsForm, type InputField } from './InputsForm.js';
import { processLabel } from './process-label.js';
import { moveCursor } from './select-state.js';
import type { SessionRequest } from './session-opener.js';
import { color } from './theme.js';
import { useKeyLayer } from './use-key-layer.js';
import { useTerminalSize } from './use-terminal-size.js';

/** How often the process list (RSS, new and gone processes) is read again. */
const PROCESS_REFRESH_MS = 5000;
/** How often the firing alerts are asked again. */
const ALERT_REFRESH_MS = 15_000;
const noAlerts = async (): Promise<ListedAlert[]> => [];

/** The home screen's keys, for `?`. */
const HOME_KEYS: ReadonlyArray<[string, string]> = [
  ['↑ / ↓', 'choose a firing alert, a process, an example incident, a runbook or a session'],
  ['Enter', 'open it: an alert starts the runbook that answers it; a process or an example asks which runbook, then its inputs'],
  ['Esc', 'back (from the runbook list or the inputs form)'],
  ['q', 'quit'],
  ['?', 'show this list'],
];

export const HOME_TITLE = 'runbook · guided diagnosis of Go memory and GC incidents';

type Origin = { kind: 'process'; process: GoProcess } | { kind: 'example'; bundle: ExampleBundle } | { kind: 'host' };

type HomeItem =
  | { kind: 'alert'; listed: ListedAlert }
  | { kind: 'process'; process: GoProcess }
  | { kind: 'example'; bundle: ExampleBundle }
  | { kind: 'runbook'; runbook: Runbook }
  | { kind: 'session'; session: SessionSummary };

type Phase = { kind: 'pick' } | { kind: 'runbook'; origin: Origin } | { kind: 'inputs'; origin: Origin; runbook: Runbook };

function sectionTitle(kind: HomeItem['kind'], where: string, alertmanager = ''): string {
  switch (kind) {
    case 'alert':
      return `Firing alerts at ${alertmanager} (Enter runs the runbook that answers one)`;
    case 'process':
      return `Go processes on ${where}`;
    case 'example':
      return 'Example incidents (replay a captured bundle)';
    case 'runbook':
      return `Runbooks (run against ${where})`;
    case 'session':
      return 'Sessions to resume';
  }
}

export interface HomeScreenProps {
  sources: HomeSources;
  onStart: (request: SessionRequest) => void;
  onQuit: () => void;
}

/** The inputs to ask for, prefilled: a picked process's pid and pprof address, else defaults. */
function fieldsFor(runbook: Runbook, origin: Origin): InputField[] {
  return inputFields(runbook, {
    replay: origin.kind === 'example',
    ...(origin.kind === 'process' ? { pid: origin.process.pid, pprof: origin.process.pprof } : {}),
    ...(origin.kind === 'example' ? { pid: origin.bundle.pid } : {}),
  });
}

/** What an item is, whatever its row. */
function itemKey(item: HomeItem): string {
  switch (item.kind) {
    case 'alert':
      return `alert ${item.listed.handle}`;
    case 'process':
      return `process ${item.process.pid}`;
    case 'example':
      return `example ${item.bundle.dir}`;
    case 'runbook':
      return `runbook ${item.runbook.id}`;
    case 'session':
      return `session ${item.session.id}`;
  }
}

/** The row of the selected item, or of the row it was on when that item is gone. */
function selectedIndex(selection: { key: string | null; index: number }, items: HomeItem[]): number {
  const found = selection.key === null ? -1 : items.findIndex((item) => itemKey(item) === selection.key);
  return found >= 0 ? found : Math.max(0, Math.min(selection.index, items.length - 1));
}

function itemLabel(item: HomeItem, now: number): [string, string] {
  switch (item.kind) {
    case 'alert': {
      const { alert, runbook, problem } = item.listed;
      // Short: the row is cut at the terminal's width; Enter on it says the whole reason.
      const answer = runbook !== undefined && problem === undefined ? `→ ${runbook.id}` : '(no runbook)';
      return [alertName(alert), `${answer} · ${keyLabels(alert)} · firing for ${firingFor(alert, now)}`];
    }
    case 'process':
      return processLabel(item.process);
    case 'example':
      return [item.bundle.name, item.bundle.title];
    case 'runbook':
      return [item.runbook.id, item.runbook.title];
    case 'session':
      return [item.session.id, `${item.session.title} · ${item.session.status}${item.session.bundle ? ' · bundle' : ''}`];
  }
}

export function HomeScreen({ sources, onStart, onQuit }: HomeScreenProps) {
  const discovery = useSource(sources.processes, PROCESS_REFRESH_MS);
  const processes = discovery.value?.processes ?? null;
  const examples = useSource(sources.examples).value;
  const runbooks = useSource(sources.runbooks).value;
  const sessions = useSource(sources.sessions).value;
  const firing = useSource(sources.alerts?.list ?? noAlerts, sources.alerts !== undefined ? ALERT_REFRESH_MS : undefined);
  const { rows, columns } = useTerminalSize();
  const [phase, setPhase] = useState<Phase>({ kind: 'pick' });
  // The selection is an item, not a row: the process list is read again every few seconds,
  // and a process that exits must not move the cursor onto another item under Enter.
  const [selection, setSelection] = useState<{ key: string | null; index: number }>({ key: null, index: 0 });
  const [runbookCursor, setRunbookCursor] = useState(0);
  const [help, setHelp] = useState(false);
  const [hint, setHint] = useState<string | null>(null);

  const items: HomeItem[] = [
    ...(firing.value ?? []).map((listed) => ({ kind: 'alert' as const, listed })),
    ...(processes ?? []).map((process) => ({ kind: 'process' as const, process })),
    ...(examples ?? []).map((bundle) => ({ kind: 'example' as const, bundle })),
    ...(runbooks ?? []).map((runbook) => ({ kind: 'runbook' as const, runbook })),
    ...(sessions ?? []).map((session) => ({ kind: 'session' as const, session })),
  ];
  const runbookList = runbooks ?? [];
  const cursor = selectedIndex(selection, items);

  const chooseRunbook = (runbook: Runbook, origin: Origin): void => {
    const fields = fieldsFor(runbook, origin);
    if (fields.length === 0) start(runbook, origin, {});
    else setPhase({ kind: 'inputs', origin, runbook });
  };
  const start = (runbook: Runbook, origin: Origin, vars: Record<string, string>): void => {
    onStart({ kind: 'new', runbook, vars, ...(origin.kind === 'example' ? { bundle: origin.bundle.dir } : {}) });
  };

  useKeyLayer(
    Priority.screen,
    (input, key) => {
      setHint(null);
      if (help) {
        setHelp(false); // any key closes the list
        return true;
      }
      if (input === '?') {
        setHelp(true);
        return true;
      }
      if (phase.kind === 'pick') {
        if (key.upArrow || key.downArrow) {
          // From the latest selection: two arrows typed ahead in one read both move it.
          setSelection((current) => {
            const index = moveCursor(selectedIndex(current, items), items.length, key);
            return { key: items[index] ? itemKey(items[index]) : null, index };
          });
        }
        else if (input === 'q') onQuit();
        else if (key.escape) setHint('Esc goes back; this is the first screen (q quits)');
        else if (key.return) {
          const item = items[cursor];
          if (!item) return true;
          if (item.kind === 'alert') {
            const { runbook, vars, alert, problem } = item.listed;
            if (runbook !== undefined && vars !== undefined) onStart({ kind: 'new', runbook, vars, alert });
            else setHint(`${alertName(alert)}: no runbook to run: ${problem ?? 'none answers it'}`);
          } else if (item.kind === 'session') onStart({ kind: 'resume', id: item.session.id });
          else if (item.kind === 'runbook') chooseRunbook(item.runbook, { kind: 'host' });
          else {
            const origin: Origin = item.kind === 'process' ? { kind: 'process', process: item.process } : { kind: 'example', bundle: item.bundle };
            const hint = item.kind === 'example' ? item.bundle.runbookHint : undefined;
            // A hint naming a runbook not installed here falls back like no hint.
            const hinted = runbookList.findIndex((r) => r.id === hint);
            setRunbookCursor(Math.max(0, hinted >= 0 ? hinted : runbookList.findIndex((r) => r.id === 'go-memory')));
            setPhase({ kind: 'runbook', origin });
          }
        } else return false;
        return true;
      }
      if (phase.kind === 'runbook') {
        if (key.upArrow || key.downArrow) setRunbookCursor((c) => moveCursor(c, runbookList.length, key));
        else if (key.escape) setPhase({ kind: 'pick' });
        else if (input === 'q') onQuit();
        else if (key.return) {
          const runbook = runbookList[runbookCursor];
          if (runbook) chooseRunbook(runbook, phase.origin);
        } else return false;
        return true;
      }
      return false;
    },
    phase.kind !== 'inputs',
  );

  if (help) {
    return (
      <Box flexDirection="column" borderStyle="round" paddingX={1}>
        <Text bold>Keys</Text>
        {HOME_KEYS.map(([keys, what]) => (
          <Text key={keys}>
            <Text color={color('key')}>{keys.padEnd(8)}</Text> {what}
          </Text>
        ))}
        <Text dimColor>any key closes this list</Text>
      </Box>
    );
  }

  if (phase.kind === 'inputs') {
    return (
      <Box flexDirection="column">
        <Text bold color={color('accent')}>
          {phase.runbook.title}
        </Text>
        <InputsForm
          title="Inputs (Enter keeps the value shown)"
          fields={fieldsFor(phase.runbook, phase.origin)}
          onSubmit={(vars) => start(phase.runbook, phase.origin, submittedVars(fieldsFor(phase.runbook, phase.origin), vars))}
          onCancel={() => setPhase({ kind: 'pick' })}
        />
      </Box>
    );
  }

  if (phase.kind === 'runbook') {
    const what = phase.origin.kind === 'example' ? `bundle ${phase.origin.bundle.name}` : phase.origin.kind === 'process' ? `process ${phase.origin.process.pid}` : sources.where;
    return (
      <Box flexDirection="column">
        <Text bold>Which runbook for {what}?</Text>
        {runbookList.length === 0 ? <Text color={color('warn')}>No runbooks found (RUNBOOK_PATH and the shipped runbooks/ directory are searched).</Text> : null}
        {runbookList.map((runbook, i) => (
          <Text key={runbook.id} color={i === runbookCursor ? color('key') : undefined} wrap="truncate-end">
            {i === runbookCursor ? '❯' : ' '} {runbook.id.padEnd(16)} <Text dimColor>{runbook.title} — {runbook.summary}</Text>
          </Text>
        ))}
        <Text dimColor>↑/↓ choose · Enter start · Esc back · ? keys · q quit</Text>
      </Box>
    );
  }

  // One row per section title and item; a window around the cursor keeps it under the height.
  const now = Date.now();
  // Its user:password@ masked: the screen may be shared or recorded.
  const alertmanager = sources.alerts !== undefined ? shownAlertmanager(sources.alerts.alertmanager) : '';
  const lines: Array<{ key: string; node: React.ReactNode }> = [];
  let cursorLine = 0;
  let section: HomeItem['kind'] | null = null;
  items.forEach((item, i) => {
    if (item.kind !== section) {
      section = item.kind;
      lines.push({ key: `h-${section}`, node: <Text bold>{sectionTitle(section, sources.where, alertmanager)}</Text> });
    }
    const selected = i === cursor;
    if (selected) cursorLine = lines.length;
    const [name, detail] = itemLabel(item, now);
    lines.push({
      // Two alerts of one name are two rows; a payload may even repeat a fingerprint.
      key: `${itemKey(item)}#${i}`,
      node: (
        <Text color={selected ? color('key') : undefined} wrap="truncate-end">
          {selected ? '❯' : ' '} {name.padEnd(22)} <Text dimColor>{detail}</Text>
        </Text>
      ),
    });
  });
  const room = Math.max(4, rows - 6);
  const first = Math.max(0, Math.min(cursorLine - Math.floor(room / 2), lines.length - room));
  const loading = [sources.alerts !== undefined && firing.value === null && firing.error === undefined ? 'firing alerts' : null, processes === null && discovery.error === undefined ? 'Go processes' : null, examples === null ? 'examples' : null, runbooks === null ? 'runbooks' : null].filter(Boolean);
  return (
    <Box flexDirection="column" width={Math.max(40, columns - 1)}>
      <Text bold color={color('accent')}>
        {HOME_TITLE}
      </Text>
      {loading.length > 0 ? <Text dimColor>looking for {loading.join(', ')}…</Text> : null}
      {firing.error !== undefined ? <Text color={color('warn')}>No alerts from {alertmanager}: {firing.error}</Text> : null}
      <DiscoveryNotes discovery={discovery} where={sources.where} whenEmpty=": try an example incident." />
      {lines.slice(first, first + room).map((line) => (
        <Box key={line.key}>{line.node}</Box>
      ))}
      {hint !== null ? <Text color={color('warn')}>{hint}</Text> : null}
      <Text dimColor>↑/↓ choose · Enter open · ? keys · q quit</Text>
    </Box>
  );
}
