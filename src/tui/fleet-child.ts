// Opening one fleet member's session screen: the same SessionStore and SessionController
// the TUI builds for its own session, over the child the fleet runs (or ran). The store
// starts from the child's journal so far; the controller follows the fleet's run, so the
// screen's keys never start a step of their own while it runs.
import type { FleetChild } from '../fleet/run-fleet.js';
import { readJournal } from '../journal/reader.js';
import type { PromptBroker } from './prompt-broker.js';
import { SessionController } from './session-controller.js';
import { SessionStore } from './session-store.js';

export async function openFleetChild(child: FleetChild, broker: PromptBroker): Promise<SessionController> {
  const { records } = await readJournal(child.session.paths.journal);
  const store = new SessionStore(child.session, { history: records });
  const controller = new SessionController(child.session, store, () => broker.getSnapshot() !== null);
  controller.follow(child.done);
  return controller;
}
