// The ProcessHost of a session or command: this host, or its remote target.
import { localProcessHost, type ProcessHost } from './process-host.js';
import { RemoteProcessHost } from './remote-process-host.js';
import type { Target } from '../targets/target.js';

/** `signal` stops a remote host's reads and probes (cancel, quit); this host's are quick. */
export function processHostFor(target: Target | undefined, signal?: AbortSignal): ProcessHost {
  return target === undefined || target.kind === 'local' ? localProcessHost : new RemoteProcessHost(target, signal);
}
