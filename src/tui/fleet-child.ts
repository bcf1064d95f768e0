// Opening one fleet member's session screen: the same SessionStore and SessionController
// the TUI builds for its own session, over the child the fleet runs (or ran). The store
// starts from the child's journal so far; the controller follows the fleet's run, so the
// screen's keys never start a step of their own while it runs.
import type { EngineEvent } from '../engine/events.js';
import type { FleetChild } from '../fleet/run-fleet.js';
import { readJournal } from '../journal/reader.js';
import type { PromptBroker } from './prompt-broker.js';
import { SessionController } from './session-controller.js';
import { SessionStore, type SessionEvents } from './session-store.js';

export async function openFleetChild(child: FleetChild, broker: PromptBroker): Promise<SessionController> {
  const events = new ReplayedEvents(child.session);
  const { records } = await readJournal(child.session.paths.journal);
  const store = new SessionStore(events.after(records.at(-1)?.seq ?? 0), { history: records });
  const controller = new SessionController(child.session, store, () => broker.getSnapshot() !== null);
  controller.follow(child.done);
  return controller;
}

/** Subscribed before the journal is read, so a record the child writes during the read is
 *  buffered, then given to the store unless the read already had it (by seq). */
class ReplayedEvents {
  private buffered: EngineEvent[] = [];
  private listener: ((event: EngineEvent) => void) | null = null;
  private readonly unsubscribe: () => void;

  constructor(private readonly session: SessionEvents) {
    this.unsubscribe = session.subscribe((event) => (this.listener ? this.listener(event) : this.buffered.push(event)));
  }

  /** The events source for a store whose history ends at `lastSeq`. */
  after(lastSeq: number): SessionEvents {
    const { session } = this;
    return {
      get state() {
        return session.state;
      },
      subscribe: (listener) => {
        for (const event of this.buffered) if (event.type !== 'record' || event.record.seq > lastSeq) listener(event);
        this.buffered = [];
        this.listener = listener;
        return this.unsubscribe;
      },
    };
  }
}
