// `runbook run RUNBOOK`: start a session and drive it to its end.
import { readBundle } from '../collectors/bundle.js';
import { resolve } from 'node:path';
import { wantsInteractive } from './interactive.js';
import { createSession } from '../engine/open-session.js';
import { UserError } from '../errors.js';
import { resolveRunbook } from '../runbook/discover.js';
import { loadRunbook } from '../runbook/load.js';
import type { Runbook } from '../runbook/types.js';
import { readPastedOutputs } from './pasted-files.js';
import { alertRun, type AlertSource } from './alert-runbook.js';
import { alertName, keyLabels } from '../alerts/describe-alert.js';
import { parseTarget } from '../targets/target.js';
import { fleetCommand, namesFleet } from './fleet-command.js';
import { checkFleetBeforeFanOut } from './fleet-preflight.js';
import { engineSetup, type CommonFlags } from './engine-setup.js';
import { reportFailure } from './report-failure.js';
import { flagInteractor } from '../engine/flag-interactor.js';
import { parsePairs } from '../runner/flag-pairs.js';
import { plainListener, runPlain } from '../runner/run-plain.js';

export interface RunFlags extends CommonFlags {
  /** An id or a file; absent with `alert`: the runbook whose match: answers it. */
  runbook?: string;
  /** `--alert FILE|-|URL` (docs/alerts.md): the alert the session answers. */
  alert?: AlertSource;
  /** `--alert-index`: which of several firing alerts (fingerprint, or place from 1). */
  alertIndex?: string;
  var?: string[];
  answer?: string[];
  bundle?: string;
  /** `--target URL` (docs/remote.md); given twice or more, a fleet. */
  target?: string[];
  /** `--fleet kubectl://…` (docs/remote.md "Fleets"). */
  fleet?: string[];
  /** `--targets FILE`: one target URL per line, a fleet. */
  targets?: string;
  concurrency?: string;
  targetTimeout?: string;
  /** `--output STEPID=FILE`: paste-back (docs/remote.md). */
  output?: string[];
}

export async function runCommand(flags: RunFlags): Promise<number> {
  const given = parsePairs(flags.var, 'var');
  const answers = parsePairs(flags.answer, 'answer');
  let bundle: string | undefined;
  if (flags.bundle !== undefined) {
    bundle = resolve(flags.bundle);
    readBundle(bundle); // a UserError naming what is missing (meta.json, snapshots/)
  }
  if (flags.alertIndex !== undefined && flags.alert === undefined) {
    throw new UserError(`--alert-index ${flags.alertIndex} chooses one of the alerts --alert reads, and there is no --alert`, { hint: 'add --alert FILE|-|URL, or drop --alert-index' });
  }
  const setup = engineSetup(flags, bundle);
  const named = flags.runbook === undefined ? undefined : await loadRunbook(await resolveRunbook(flags.runbook));
  const fromAlert = flags.alert === undefined ? undefined : await alertRun(flags.alert, { vars: given, ...(named !== undefined ? { runbook: named } : {}), ...(flags.alertIndex !== undefined ? { pick: flags.alertIndex } : {}) });
  const runbook = fromAlert?.runbook ?? named;
  if (runbook === undefined) throw new UserError('name a runbook to run, or give --alert FILE|-|URL to run the one that answers an alert', { hint: 'runbook list shows the runbooks' });
  const vars = fromAlert?.vars ?? given;
  const alert = fromAlert !== undefined ? { alert: fromAlert.alert } : {};
  if (fromAlert !== undefined) process.stderr.write(`alert ${alertName(fromAlert.alert)} ${keyLabels(fromAlert.alert)} → runbook ${runbook.id}\n`);
  // Remote targets and paste-back (src/targets, docs/remote.md).
  const fleet = namesFleet(flags);
  if ((flags.target?.length ?? 0) > 0 || fleet) {
    if (bundle !== undefined) throw new UserError('--target and --bundle do not go together: a bundle replays captured evidence, a target runs commands', { hint: 'drop one of them' });
  }
  checkAnswersNameSteps(answers, runbook);
  const interactive = wantsInteractive({ nonInteractive: flags.nonInteractive === true, json: flags.json === true, interactive: flags.interactive === true });
  if (interactive && Object.keys(answers).length > 0) {
    throw new UserError('--answer answers questions in a non-interactive run; in the TUI you answer them on screen', { hint: 'add --non-interactive, or drop --answer' });
  }
  if (fleet) {
    await checkFleetBeforeFanOut(runbook, vars, answers, interactive ? undefined : { interactor: flagInteractor(answers) });
    if (flags.output !== undefined && flags.output.length > 0) throw new UserError('--output pastes one step\'s output for one target; a fleet runs every step on every target', { hint: 'drop --output' });
    if (flags.alert !== undefined) process.stderr.write('note: the alert chose the runbook; every target runs it\n');
    return fleetCommand(
      {
        ...(flags.fleet !== undefined ? { fleet: flags.fleet } : {}),
        ...(flags.targets !== undefined ? { targets: flags.targets } : {}),
        ...(flags.target !== undefined ? { target: flags.target } : {}),
        ...(flags.concurrency !== undefined ? { concurrency: flags.concurrency } : {}),
        ...(flags.targetTimeout !== undefined ? { targetTimeout: flags.targetTimeout } : {}),
        json: flags.json === true,
        ...(flags.notes !== undefined ? { notes: flags.notes } : {}),
        interactive,
      },
      { runbook, stateDir: setup.stateDir, settings: setup.settings, options: setup.options, vars, person: flagInteractor(answers) },
    );
  }
  if (flags.concurrency !== undefined || flags.targetTimeout !== undefined) {
    throw new UserError('--concurrency and --target-timeout bound a fleet run, and this run has one target', { hint: 'add --fleet URL, --targets FILE or --target twice, or drop them' });
  }
  const single = flags.target?.[0];
  if (single !== undefined) setup.options.target = parseTarget(single);
  const outputs = readPastedOutputs(parsePairs(flags.output, 'output'), runbook);
  if (Object.keys(outputs).length > 0) setup.options.pastedOutputs = outputs;
  // THE FRONT-END DECISION (interactive.ts): a terminal gets the Ink TUI.
  if (interactive) {
    const { runTui } = await import('../tui/run-tui.js');
    return runTui({ start: { kind: 'session', request: { kind: 'new', runbook, vars, ...alert, ...(bundle !== undefined ? { bundle } : {}) } }, setup, reportFailure });
  }
  const session = await createSession({
    runbook,
    stateDir: setup.stateDir,
    interactor: flagInteractor(answers),
    options: setup.options,
    vars,
    ...alert,
    listener: plainListener({ json: flags.json === true }),
  });
  return runPlain(session, flags.notes);
}

/** `--answer STEP=…` for a step the runbook does not have is a typo that would otherwise
 *  pass silently (and leave the real question unanswered). */
function checkAnswersNameSteps(answers: Record<string, string>, runbook: Runbook): void {
  const ids = runbook.steps.map((step) => step.id);
  for (const step of Object.keys(answers)) {
    if (!ids.includes(step)) {
      const asking = runbook.steps.filter((s) => s.kind === 'ask' || s.kind === 'checklist' || s.kind === 'note').map((s) => s.id);
      throw new UserError(`--answer ${step}=…: runbook ${runbook.id} has no step '${step}'`, {
        hint: asking.length > 0 ? `its questions are ${asking.join(', ')}` : 'it asks no questions',
      });
    }
  }
}
