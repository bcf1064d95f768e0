// Quit requests from outside React (SIGTERM, SIGHUP, SIGINT sent by `kill`) reach the
// App's one quit path, so every way out closes the session and restores the terminal.
export class ExitGate {
  private handler: (() => void) | null = null;
  private pending = false;

  /** The App registers its quit function; a request made earlier is delivered now. */
  attach(handler: () => void): () => void {
    this.handler = handler;
    if (this.pending) handler();
    return () => {
      if (this.handler === handler) this.handler = null;
    };
  }

  request(): void {
    if (this.handler) this.handler();
    else this.pending = true;
  }
}
