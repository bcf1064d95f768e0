// Debian's /usr/bin/prometheus (and /usr/bin/prometheus-alertmanager) on loopback for the
// end-to-end tests of the `query` step and of alerts: a temp config (scrape and evaluate every
// second) and storage dir, each in its own process group killed on stop and at exit.
// Readiness and data are waited for through their HTTP APIs, never with a fixed sleep.
import { spawn, spawnSync } from 'node:child_process';
import { killGroup, runningGroups } from './child-groups.js';
import type { GoService } from './go-service.js';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { freePort } from './free-port.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Why Prometheus tests are skipped here, or undefined when they run (CI installs it: .ci/run). */
export const prometheusSkipReason: string | undefined =
  spawnSync('prometheus', ['--version'], { stdio: 'ignore' }).status !== 0 && !process.env['CI'] ? '`prometheus` is not installed (apt-get install -y prometheus)' : undefined;

export interface ScrapeJob {
  job: string;
  /** host:port of a /metrics endpoint. */
  target: string;
}

export interface Prometheus {
  url: string;
  /** GET /api/v1/query; the parsed JSON answer. */
  query(promql: string): Promise<{ status: string; data?: { result?: Array<{ metric: Record<string, string>; value: [number, string] }> } }>;
  /** Resolves once `check` holds for the answer to `promql`, polled every 250 ms. The default
   *  90 s allows 25 one-second scrapes (~26 s idle) on a loaded host that misses some. */
  waitFor(promql: string, check: (values: Record<string, number>) => boolean, what: string, timeoutMs?: number): Promise<Record<string, number>>;
  stop(): Promise<void>;
}

export interface PrometheusOptions {
  /** Alerting rules file text (Prometheus rule format), evaluated every second. */
  rules?: string;
  /** Base URL of an Alertmanager the rules' alerts are sent to. */
  alertmanager?: string;
}

export async function startPrometheus(jobs: readonly ScrapeJob[], options: PrometheusOptions = {}): Promise<Prometheus> {
  const dir = mkdtempSync(join(tmpdir(), 'runbook-prometheus-'));
  const config = join(dir, 'prometheus.yml');
  if (options.rules !== undefined) writeFileSync(join(dir, 'rules.yml'), options.rules);
  writeFileSync(
    config,
    [
      'global:',
      '  scrape_interval: 1s',
      '  scrape_timeout: 1s',
      '  evaluation_interval: 1s',
      ...(options.rules !== undefined ? ['rule_files:', `  - ${JSON.stringify(join(dir, 'rules.yml'))}`] : []),
      ...(options.alertmanager !== undefined ? ['alerting:', '  alertmanagers:', '    - static_configs:', `        - targets: [${JSON.stringify(new URL(options.alertmanager).host)}]`] : []),
      'scrape_configs:',
      ...jobs.flatMap(({ job, target }) => [`  - job_name: ${JSON.stringify(job)}`, '    static_configs:', `      - targets: [${JSON.stringify(target)}]`]),
      '',
    ].join('\n'),
  );
  const daemon = await startDaemon('prometheus', dir, (port) => [`--config.file=${config}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`, '--log.level=warn', '--storage.tsdb.retention.time=1h']);
  const { url } = daemon;
  const query: Prometheus['query'] = async (promql) => (await fetch(`${url}/api/v1/query?${new URLSearchParams({ query: promql })}`)).json() as never;
  return {
    url,
    query,
    async waitFor(promql, check, what, timeoutMs = 90_000) {
      const deadline = Date.now() + timeoutMs;
      let last: Record<string, number> = {};
      for (;;) {
        const answer = await query(promql);
        last = Object.fromEntries((answer.data?.result ?? []).map((series) => [series.metric['job'] ?? '', Number(series.value[1])]));
        if (check(last)) return last;
        if (Date.now() > deadline) throw new Error(`waited ${timeoutMs} ms for ${what}; last answer to ${promql}: ${JSON.stringify(last)}`);
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    },
    stop: daemon.stop,
  };
}

/** Why Alertmanager tests are skipped here, or undefined when they run (CI installs it: .ci/run). */
export const alertmanagerSkipReason: string | undefined =
  spawnSync('prometheus-alertmanager', ['--version'], { stdio: 'ignore' }).status !== 0 && !process.env['CI'] ? '`prometheus-alertmanager` is not installed (apt-get install -y prometheus-alertmanager)' : undefined;

export interface Alertmanager {
  url: string;
  stop(): Promise<void>;
}

/** Debian's Alertmanager on loopback: one webhook receiver nobody listens on (the alerts are
 *  read back through its API), grouping waits of a second, no cluster port. */
export async function startAlertmanager(): Promise<Alertmanager> {
  const dir = mkdtempSync(join(tmpdir(), 'runbook-alertmanager-'));
  const config = join(dir, 'alertmanager.yml');
  writeFileSync(
    config,
    [
      'route:',
      '  receiver: nowhere',
      '  group_wait: 1s',
      '  group_interval: 1s',
      '  repeat_interval: 1h',
      'receivers:',
      '  - name: nowhere',
      '',
    ].join('\n'),
  );
  const daemon = await startDaemon('prometheus-alertmanager', dir, (port) => [`--config.file=${config}`, `--storage.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`, '--cluster.listen-address=', '--log.level=warn']);
  return daemon;
}

/** Starts `command` on a free loopback port in its own process group, ready once /-/ready
 *  answers. The port is free when picked and taken a moment later: another process may take
 *  it in between, so a bind failure picks another port (a race, not a timing guess). */
async function startDaemon(command: string, dir: string, args: (port: number) => string[]): Promise<{ url: string; stop(): Promise<void> }> {
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const child = spawn(command, args(port), { detached: true, stdio: ['ignore', 'ignore', 'pipe'] });
    runningGroups.add(child);
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => {
      if (stderr.length < 64 * 1024) stderr += chunk.toString();
    });
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    const stop = async (): Promise<void> => {
      killGroup(child, 'SIGTERM');
      const killer = setTimeout(() => killGroup(child, 'SIGKILL'), 5000);
      await exited;
      clearTimeout(killer);
      runningGroups.delete(child);
    };
    let gone = false;
    void exited.then(() => (gone = true));
    const ready = await untilReady(url, () => gone);
    if (!ready) {
      await stop();
      if (attempt < 3 && stderr.includes('address already in use')) continue;
      rmSync(dir, { recursive: true, force: true });
      throw new Error(`${command} did not start:\n${stderr}`);
    }
    return {
      url,
      async stop() {
        await stop();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
}

/** True once /-/ready answers; false when the process exited first (or 60 s passed). */
async function untilReady(url: string, gone: () => boolean): Promise<boolean> {
  const deadline = Date.now() + 60_000;
  while (!gone() && Date.now() < deadline) {
    try {
      if ((await fetch(`${url}/-/ready`)).ok) return true;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return false;
}

/** Go test services, each scraped as the job named by its key, and the Prometheus that scrapes them. */
export interface ScrapedServices {
  services: Record<string, GoService>;
  prometheus: Prometheus;
  /** Stops Prometheus, then every service. */
  stop(): Promise<void>;
}

export async function startScrapedServices(starts: Record<string, Promise<GoService>>): Promise<ScrapedServices> {
  const jobs = Object.keys(starts);
  const started = await Promise.all(Object.values(starts));
  const services = Object.fromEntries(jobs.map((job, i) => [job, started[i]!]));
  const prometheus = await startPrometheus(jobs.map((job) => ({ job, target: new URL(services[job]!.url).host })));
  return {
    services,
    prometheus,
    async stop() {
      await prometheus.stop();
      await Promise.all(started.map((service) => service.stop()));
    },
  };
}

/** A waitFor check: every one of `jobs` has a value of at least `least` (a count of samples). */
export function everyJobAtLeast(jobs: readonly string[], least: number): (values: Record<string, number>) => boolean {
  return (values) => jobs.every((job) => (values[job] ?? 0) >= least);
}
