// Builds and runs the Go test service (test/go/leaky) for tests that need a live Go
// process. Without `go` the tests skip with a reason; under CI (.ci/run installs Go) a
// missing `go` fails them instead, so a broken CI image cannot pass silently.
import { spawn, spawnSync } from 'node:child_process';
import { killGroup, runningGroups } from './child-groups.js';
import { afterEach, beforeAll } from 'vitest';
import { createHash } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, renameSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

/** A mode registered in test/go/leaky (registerMode); `leaky -help` lists them. */
export type LeakyMode = string;

const sourceDir = fileURLToPath(new URL('../go/leaky/', import.meta.url));
const binDir = fileURLToPath(new URL('../go/bin/', import.meta.url));

function goVersionOutput(): string | undefined {
  const result = spawnSync('go', ['version'], { encoding: 'utf8' });
  return result.status === 0 ? result.stdout.trim() : undefined;
}

const goVersionLine = goVersionOutput();

/** Why live-service tests are skipped here, or undefined when they run. */
export const goServiceSkipReason: string | undefined =
  goVersionLine === undefined && !process.env['CI'] ? '`go` is not installed (apt-get install -y golang-go)' : undefined;

/** `go1.19.8` from `go version go1.19.8 linux/amd64`. */
export function installedGoVersion(): string {
  const version = goVersionLine?.split(' ')[2];
  if (!version) throw new Error('`go` is not installed: the Go test service cannot be built');
  return version;
}

const builtBinaries = new Map<string, string>();

/** Builds test/go/leaky once per source hash (and build tags, e.g. `noescape`); concurrent
 *  workers build to temp names and rename. */
export function buildLeaky(tags: string[] = []): string {
  const tagList = [...tags].sort().join(',');
  const built = builtBinaries.get(tagList);
  if (built) return built;
  installedGoVersion();
  const hash = createHash('sha256');
  for (const name of readdirSync(sourceDir).sort()) hash.update(name).update(readFileSync(join(sourceDir, name)));
  const binary = join(binDir, `leaky-${hash.digest('hex').slice(0, 16)}${tagList ? `-${tagList.replace(/,/g, '-')}` : ''}`);
  if (!existsSync(binary)) {
    mkdirSync(binDir, { recursive: true });
    const temp = `${binary}.tmp-${process.pid}`;
    const result = spawnSync('go', ['build', '-trimpath', ...(tagList ? ['-tags', tagList] : []), '-o', temp, '.'], {
      cwd: sourceDir,
      encoding: 'utf8',
      env: { ...process.env, CGO_ENABLED: '1', GOPROXY: 'off' },
    });
    if (result.status !== 0) throw new Error(`go build of test/go/leaky failed:\n${result.stderr}`);
    renameSync(temp, binary);
  }
  builtBinaries.set(tagList, binary);
  return binary;
}

export interface GoService {
  pid: number;
  /** Base URL, e.g. http://127.0.0.1:40123 (pprof under /debug/pprof/, unless noPprof). */
  url: string;
  /** The service's stderr: gctrace lines (GODEBUG=gctrace=1 is on by default). */
  stderrPath: string;
  setMode(mode: LeakyMode, rate?: number): Promise<void>;
  stop(): Promise<void>;
}

export interface StartOptions {
  noPprof?: boolean;
  /** In a network namespace of its own (like a container's), its loopback up: needs root
   *  and util-linux `unshare`, iproute2 `ip` (see netnsSkipReason). */
  ownNetwork?: boolean;
  gctrace?: boolean;
  env?: Record<string, string>;
  /** Scales the mode's leak or load rate (leaky -rate; 1 = the mode's default). */
  rate?: number;
  /** More leaky flags, e.g. a mode's own options. */
  args?: string[];
  /** Go build tags of the binary (`noescape`: mode alloc-escape without its escapes). */
  tags?: string[];
}

/** Why a service cannot get a network namespace of its own here, or undefined when it can. */
export const netnsSkipReason: string | undefined = (() => {
  const probe = spawnSync('unshare', ['-n', 'sh', '-c', 'ip link set lo up'], { stdio: 'ignore' });
  return probe.status === 0 ? undefined : 'cannot create a network namespace (needs root, unshare and ip)';
})();

/** Starts the service in `mode` and resolves once it printed `listening on ADDR`. */
export async function startGoService(mode: LeakyMode, options: StartOptions = {}): Promise<GoService> {
  const binary = buildLeaky(options.tags);
  const args = ['-mode', mode];
  if (options.noPprof) args.push('-no-pprof');
  if (options.gctrace === false) args.push('-gctrace=false');
  if (options.rate !== undefined) args.push('-rate', String(options.rate));
  if (options.args) args.push(...options.args);
  // `exec`: the pid spawned becomes the service's own, as the tests expect.
  const [command, argv] = options.ownNetwork ? ['unshare', ['-n', 'sh', '-c', 'ip link set lo up && exec "$0" "$@"', binary, ...args]] : [binary, args];
  return startGoProcess(command, argv, { label: `leaky -mode ${mode}`, env: options.env });
}

/** Starts any Go program that prints `listening on ADDR` on stdout (leaky, or a service a
 *  test built itself), in its own process group, killed with the test process. */
export async function startGoProcess(command: string, argv: string[], options: { label: string; env?: Record<string, string>; cwd?: string }): Promise<GoService> {
  const label = options.label;
  const stderrPath = join(mkdtempSync(join(tmpdir(), 'runbook-leaky-')), 'stderr.log');
  const stderrFd = openSync(stderrPath, 'a');
  const child = spawn(command, argv, {
    detached: true,
    stdio: ['ignore', 'pipe', stderrFd],
    env: { ...process.env, ...options.env },
    ...(options.cwd !== undefined ? { cwd: options.cwd } : {}),
  });
  closeSync(stderrFd);
  runningGroups.add(child);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const address = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${label}: no "listening on" within 20 s`)), 20_000);
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      const match = /^listening on (\S+)$/.exec(line);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`${label} exited before listening:\n${readFileSync(stderrPath, 'utf8')}`));
    });
  });
  const url = `http://${address}`;
  return {
    pid: child.pid!,
    url,
    stderrPath,
    async setMode(next, rate) {
      const query = `m=${encodeURIComponent(next)}${rate === undefined ? '' : `&rate=${rate}`}`;
      const response = await fetch(`${url}/mode?${query}`, { method: 'POST' });
      if (!response.ok) throw new Error(`POST /mode?${query}: ${response.status} ${await response.text()}`);
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        killGroup(child, 'SIGTERM');
        const grace = setTimeout(() => killGroup(child, 'SIGKILL'), 2_000);
        await exited;
        clearTimeout(grace);
      }
      runningGroups.delete(child);
    },
  };
}

/** Polls `condition` every 100 ms until it holds; fails with `what` after `timeoutMs`. */
export async function waitUntil(what: string, condition: () => boolean | Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** A counter the service publishes in /debug/vars (leaked_go_bytes, leaked_c_bytes, leaked_goroutines, stw_spins). */
export async function serviceCounter(service: GoService, name: string): Promise<number> {
  const response = await fetch(`${service.url}/debug/vars`);
  const vars = (await response.json()) as Record<string, unknown>;
  return Number(vars[name]);
}

/** Number of `gc N @` lines (only the `(forced)` ones with `forced`) the service has written to its stderr so far. */
export function gcLineCount(service: GoService, which: 'all' | 'forced' = 'all'): number {
  const pattern = which === 'forced' ? /^gc \d+ @.*\(forced\)$/gm : /^gc \d+ @/gm;
  return (readFileSync(service.stderrPath, 'utf8').match(pattern) ?? []).length;
}

/** In a describe block: leaky is built once, and the service a test starts (`held.service`) is stopped after it. */
export function servicePerTest(): { service: GoService | undefined } {
  const held: { service: GoService | undefined } = { service: undefined };
  beforeAll(() => {
    buildLeaky();
  }, 300_000);
  afterEach(async () => {
    await held.service?.stop();
    held.service = undefined;
  });
  return held;
}
