// One input router for the whole app (style.md practice 3, after gemini-cli's
// KeypressContext): the root component owns the single useInput subscription, so raw mode
// never drops while forms come and go; components register handlers in layers, and a key
// goes to the highest-priority layer that takes it.
import type { Key } from 'ink';

/** Returns true when it took the key. */
export type KeyHandler = (input: string, key: Key) => boolean;

export const Priority = {
  /** The session's keys (Enter, s, r, …) and the home screen's lists. */
  screen: 10,
  /** The `?` list: any key closes it. */
  overlay: 20,
  /** A form the engine is waiting on (ask, checklist, note, confirm, input). */
  modal: 30,
  /** Ctrl+C: cancel, then quit, whatever is on screen. */
  global: 40,
} as const;

interface Layer {
  priority: number;
  handler: KeyHandler;
  order: number;
}

export class InputRouter {
  private layers: Layer[] = [];
  private counter = 0;

  /** Adds a layer; among equal priorities the one added last goes first. Returns its removal. */
  register(priority: number, handler: KeyHandler): () => void {
    const layer: Layer = { priority, handler, order: this.counter++ };
    this.layers = [...this.layers, layer].sort((a, b) => b.priority - a.priority || b.order - a.order);
    return () => {
      this.layers = this.layers.filter((l) => l !== layer);
    };
  }

  dispatch(input: string, key: Key): boolean {
    for (const layer of this.layers) if (layer.handler(input, key)) return true;
    return false;
  }
}
