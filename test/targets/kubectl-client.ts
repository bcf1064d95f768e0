// The kubectl client on this machine, for the kubectl transport tests. They run only with a
// client that speaks WebSocket exec by default (kubectl >= 1.30, feature gate
// TranslateStreamCloseWebsocketRequests beta); the fake API server speaks nothing else.
// Without one the tests skip WITH the reason in their title: they never pass vacuously.
// Debian's kubernetes-client is 1.20 (SPDY only), so CI does not install it.
import { spawnSync } from 'node:child_process';

/** The oldest client whose `kubectl exec` uses WebSocket (v5.channel.k8s.io) by default. */
const WEBSOCKET_EXEC_MINOR = 30;

export interface KubectlClient {
  major: number;
  minor: number;
  patch: number;
  /** As `kubectl version --client` prints it, e.g. v1.32.4-dispatcher. */
  gitVersion: string;
}

function installedClient(): KubectlClient | string {
  const result = spawnSync('kubectl', ['version', '--client', '-o', 'json'], { encoding: 'utf8' });
  if (result.error !== undefined || result.status !== 0) return '`kubectl` is not installed (a client >= 1.30 is needed)';
  const gitVersion = (JSON.parse(result.stdout) as { clientVersion?: { gitVersion?: string } }).clientVersion?.gitVersion ?? '';
  const match = /^v(\d+)\.(\d+)\.(\d+)/.exec(gitVersion);
  if (!match) return `cannot read the kubectl client version from '${gitVersion}'`;
  const [major, minor, patch] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (major !== 1 || minor < WEBSOCKET_EXEC_MINOR) return `kubectl ${gitVersion} execs over SPDY; the fake API server needs WebSocket exec (>= 1.${WEBSOCKET_EXEC_MINOR})`;
  return { major, minor, patch, gitVersion };
}

const found = installedClient();

/** Why the kubectl transport tests are skipped here, or undefined when they run. */
export const kubectlSkipReason: string | undefined = typeof found === 'string' ? found : undefined;

/** The installed client; throws where kubectlSkipReason is set. */
export function kubectlClient(): KubectlClient {
  if (typeof found === 'string') throw new Error(found);
  return found;
}
