// What ending a step costs: terminateStep's /proc scan for the step's processes (the group,
// every process carrying its RUNBOOK_STEP_COOKIE, their descendants), run at every step end.
// Target ≤ 50 ms per step end on an idle machine. Measured with the machine's processes as
// they are, then with 200 more (older than the step: read for their start time only), and
// with 20 of the step's own left behind (their environ read too, then ended).
import { spawn, spawnSync } from 'node:child_process';
import { readProcStat } from '../dist/util/proc-stat.js';
import { newCookie, COOKIE_VAR } from '../dist/exec/step-processes.js';
import { terminateStep } from '../dist/exec/process-group.js';
import { loadLine, median } from './measure.js';

const ROUNDS = 15;

function procCount() {
  return spawnSync('sh', ['-c', 'ls /proc | grep -c "^[0-9]"'], { encoding: 'utf8' }).stdout.trim();
}

/** A step that ran `script` in its own group with a cookie; resolves once its leader exited. */
async function finishedStep(script) {
  const cookie = newCookie();
  const child = spawn('sh', ['-c', script], { detached: true, stdio: 'ignore', env: { ...process.env, [COOKIE_VAR]: cookie } });
  const startTime = readProcStat(child.pid)?.startTime ?? '';
  await new Promise((resolve) => child.on('exit', resolve));
  return { pgid: child.pid, cookie, startTime };
}

async function stepEnds(label, script) {
  const wall = [];
  const cpu = [];
  for (let i = 0; i < ROUNDS; i++) {
    const step = await finishedStep(script);
    const cpuStart = process.cpuUsage();
    const start = process.hrtime.bigint();
    await terminateStep(step);
    wall.push(Number(process.hrtime.bigint() - start) / 1e6);
    const used = process.cpuUsage(cpuStart);
    cpu.push((used.user + used.system) / 1000);
  }
  process.stdout.write(`${label}: ${procCount()} processes; median ${median(wall).toFixed(1)} ms wall, ${median(cpu).toFixed(1)} ms CPU per step end (max ${Math.max(...wall).toFixed(1)} ms)\n`);
}

export default async function run() {
  process.stdout.write(`${loadLine()}\n`);
  await stepEnds('a step that left nothing', 'exit 0');
  const others = Array.from({ length: 200 }, () => spawn('sleep', ['600'], { stdio: 'ignore' }));
  try {
    await new Promise((resolve) => setTimeout(resolve, 200));
    await stepEnds('a step that left nothing, 200 other processes', 'exit 0');
    await stepEnds('a step that left 20 detached sleeps (found, TERM, gone), 200 other processes', 'for i in $(seq 20); do setsid sleep 600 & done; exit 0');
  } finally {
    for (const other of others) other.kill('SIGKILL');
  }
}
