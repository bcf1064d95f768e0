// Redaction throughput on plain log text. Target ≥ 100 MB/s: 1 GB outputs stream through it.
// Streams 64 MiB of Go service log, gctrace and goroutine lines in 64 KiB chunks (the size
// the process runner reads) with 0, 1 and 3 secrets registered, and the same lines coloured.
// Reports wall-clock and CPU-time throughput: on a shared machine compare the CPU figure.
import { createRedactor } from '../dist/redact/create-redactor.js';

const LINES = [
  'gc 1423 @3621.114s 2%: 0.045+12+0.098 ms clock, 0.36+1.2/23/48+0.78 ms cpu, 412->418->207 MB, 424 MB goal, 0 MB stacks, 0 MB globals, 8 P',
  '2026-11-21T23:41:07.123Z INFO http: request served method=GET path=/api/v1/orders/8812 status=200 duration=12.4ms bytes=4211 user_agent="Go-http-client/1.1"',
  '2026-11-21T23:41:07.125Z WARN cache: eviction storm shard=17 evicted=1200 remaining=88213 heap_alloc=431829504 next_gc=469762048',
  'goroutine 8812 [select, 12 minutes]: main.(*Worker).loop(0xc000a12000) /src/worker.go:88 +0x1a5 created by main.startWorkers in goroutine 1',
  '{"level":"info","ts":1732232467.125,"caller":"server/handler.go:211","msg":"processed batch","batch":91823,"items":512,"took_ms":41.2}',
];
const SECRETS = ['hunter2-s3cret!', 'tok_5f2a9c1e7b', 'Tr0ub4dor&3 "x"/y+z'];
const CHUNK = 64 * 1024;
const TOTAL = 64 * 1024 * 1024;

/** The same lines as a colouring logger writes them (an SGR sequence around the level). */
const COLOURED = LINES.map((line) => `\x1b[36m${line.slice(0, 24)}\x1b[0m \x1b[1;33m${line.slice(24)}\x1b[0m`);

function chunksOf(lines) {
  let text = '';
  for (let i = 0; text.length < CHUNK * 16; i++) text += lines[i % lines.length] + '\n';
  const chunks = [];
  for (let at = 0; at + CHUNK <= text.length; at += CHUNK) chunks.push(text.slice(at, at + CHUNK));
  return chunks;
}

export default async function run() {
  for (const [label, lines, secretCount] of [
    ['plain log', LINES, 0],
    ['plain log', LINES, 1],
    ['plain log', LINES, 3],
    ['coloured log', COLOURED, 1],
  ]) {
    const chunks = chunksOf(lines);
    const redactor = createRedactor({ secrets: SECRETS.slice(0, secretCount) });
    let bytes = 0;
    const wallStart = process.hrtime.bigint();
    const cpuStart = process.cpuUsage();
    while (bytes < TOTAL) {
      const stream = redactor.stream();
      for (const chunk of chunks) {
        stream.push(chunk);
        bytes += chunk.length;
      }
      stream.end();
    }
    const wall = Number(process.hrtime.bigint() - wallStart) / 1e9;
    const cpuUsed = process.cpuUsage(cpuStart);
    const cpu = (cpuUsed.user + cpuUsed.system) / 1e6;
    const mb = bytes / 1e6;
    process.stdout.write(
      `redact stream, ${label}, ${secretCount} secret(s): ${mb.toFixed(0)} MB, ${(mb / wall).toFixed(0)} MB/s wall, ${(mb / cpu).toFixed(0)} MB/s CPU\n`,
    );
  }
}
