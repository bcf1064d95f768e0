// What the c_allocs uprobe trace (cgo-leak's `probe` step) costs the process it attaches to.
// Every malloc, calloc and free of the process traps into the kernel and runs a BPF program
// (malloc's also walks the Go stack) for as long as the probes are attached, not only inside
// the counted window. Measured on the Go test service, per second: its CPU time (from
// /proc/PID/stat) and, for glibc-frag, its work done (frag_bursts: 8192 mallocs + 8191 frees
// each), before, during and after one 10 s trace. Needs root, bpftrace and Go; says why not
// otherwise. Reports; never fails the build.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { traceCAllocations } from '../dist/collectors/c-alloc-trace.js';
import { loadLine, median } from './measure.js';

const TRACE_SECONDS = 10;
const WORKLOADS = [
  { mode: 'cstring-leak', rate: 1, what: 'a C.CString leak, ~330 mallocs/s' },
  { mode: 'glibc-frag', rate: 0.25, what: 'malloc-heavy threads, ~150,000 mallocs/s unprobed' },
];

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function unavailable() {
  if (process.getuid?.() !== 0) return 'not root (uprobes need CAP_BPF and CAP_PERFMON)';
  if (spawnSync('bpftrace', ['--version']).status !== 0) return 'bpftrace is not installed';
  if (spawnSync('go', ['version']).status !== 0) return 'go is not installed (the test service is built from test/go/leaky)';
  return undefined;
}

function buildLeaky() {
  const binary = join(mkdtempSync(join(tmpdir(), 'runbook-bench-leaky-')), 'leaky');
  const built = spawnSync('go', ['build', '-trimpath', '-o', binary, '.'], { cwd: fileURLToPath(new URL('../test/go/leaky', import.meta.url)), env: { ...process.env, CGO_ENABLED: '1', GOPROXY: 'off' }, encoding: 'utf8' });
  if (built.status !== 0) throw new Error(`go build of test/go/leaky failed:\n${built.stderr}`);
  return binary;
}

/** utime + stime of the process, in clock ticks (100 a second). */
function cpuTicks(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

async function measure(binary, { mode, rate, what }) {
  const child = spawn(binary, ['-mode', mode, '-rate', String(rate), '-gctrace=false'], { stdio: ['ignore', 'pipe', 'ignore'] });
  let sampler;
  try {
    const address = await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`leaky -mode ${mode}: no "listening on" within 20 s`)), 20_000);
      createInterface({ input: child.stdout }).on('line', (l) => {
        const m = /^listening on (\S+)$/.exec(l);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]);
        }
      });
    });
    const bursts = async () => (await (await fetch(`http://${address}/debug/vars`)).json()).frag_bursts ?? 0;
    const samples = [];
    let phase = 'warm-up';
    let lastBursts = await bursts();
    let lastCpu = cpuTicks(child.pid);
    sampler = setInterval(async () => {
      try {
        const [b, c] = [await bursts(), cpuTicks(child.pid)];
        samples.push({ phase, bursts: b - lastBursts, cpu: c - lastCpu });
        [lastBursts, lastCpu] = [b, c];
      } catch {
        // The service ended (or did not answer this second): no sample.
      }
    }, 1000);
    await sleep(5000);
    phase = 'before';
    await sleep(15000);
    phase = 'tracing';
    const started = Date.now();
    const outcome = await traceCAllocations(child.pid, { seconds: TRACE_SECONDS });
    const traceWallS = (Date.now() - started) / 1000;
    phase = 'after';
    await sleep(10000);
    const of = (p, key) => samples.filter((s) => s.phase === p).map((s) => s[key]);
    const trace = outcome.ok ? JSON.parse(outcome.bytes.toString()) : undefined;
    const mallocsPerS = trace ? trace.mallocs / TRACE_SECONDS : Number.NaN;
    const cpuAdded = median(of('tracing', 'cpu')) - median(of('before', 'cpu'));
    process.stdout.write(
      `${mode} × ${rate} (${what}): ${outcome.ok ? `trace took ${traceWallS.toFixed(1)} s wall for its ${TRACE_SECONDS} s window, counted ${Math.round(mallocsPerS)} mallocs/s` : outcome.reason}\n` +
        `  CPU of the process, % of a core (median of 1 s samples): before ${median(of('before', 'cpu'))}, while probed ${median(of('tracing', 'cpu'))}, after ${median(of('after', 'cpu'))}` +
        (mallocsPerS > 0 && cpuAdded > 0 ? `; ≈ ${((cpuAdded / 100 / mallocsPerS) * 1e6).toFixed(0)} µs of CPU added per traced malloc (and its free)` : '') +
        '\n' +
        (mode === 'glibc-frag' ? `  work done, frag_bursts/s (median): before ${median(of('before', 'bursts'))}, while probed ${median(of('tracing', 'bursts'))}, after ${median(of('after', 'bursts'))}\n` : ''),
    );
  } finally {
    clearInterval(sampler);
    child.kill();
  }
}

export default async function run() {
  const why = unavailable();
  if (why) {
    process.stdout.write(`skipped: ${why}\n`);
    return;
  }
  process.stdout.write(`${loadLine()}\n`);
  const binary = buildLeaky();
  try {
    for (const workload of WORKLOADS) await measure(binary, workload);
  } finally {
    rmSync(dirname(binary), { recursive: true, force: true });
  }
}
