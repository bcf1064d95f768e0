// Redaction throughput on plain log text (target ≥ 100 MB/s: 1 GB outputs stream through it).
// Streams ~64 MiB of realistic Go service log and gctrace lines in 64 KiB chunks, the size
// the process runner reads, with two secrets registered.
import { createRedactor } from '../dist/redact/create-redactor.js';

const LINES = [
  'gc 1423 @3621.114s 2%: 0.045+12+0.098 ms clock, 0.36+1.2/23/48+0.78 ms cpu, 412->418->207 MB, 424 MB goal, 0 MB stacks, 0 MB globals, 8 P',
  '2026-11-21T23:41:07.123Z INFO http: request served method=GET path=/api/v1/orders/8812 status=200 duration=12.4ms bytes=4211 user_agent="Go-http-client/1.1"',
  '2026-11-21T23:41:07.125Z WARN cache: eviction storm shard=17 evicted=1200 remaining=88213 heap_alloc=431829504 next_gc=469762048',
  'goroutine 8812 [select, 12 minutes]: main.(*Worker).loop(0xc000a12000) /src/worker.go:88 +0x1a5 created by main.startWorkers in goroutine 1',
  '{"level":"info","ts":1732232467.125,"caller":"server/handler.go:211","msg":"processed batch","batch":91823,"items":512,"took_ms":41.2}',
];

export default async function run() {
  const chunkSize = 64 * 1024;
  let text = '';
  for (let i = 0; text.length < chunkSize * 16; i++) text += LINES[i % LINES.length] + '\n';
  const chunks = [];
  for (let at = 0; at + chunkSize <= text.length; at += chunkSize) chunks.push(text.slice(at, at + chunkSize));
  const redactor = createRedactor({ secrets: ['hunter2-s3cret!', 'tok_5f2a9c1e7b'] });
  const rounds = 64;
  let bytes = 0;
  let out = 0;
  const started = process.hrtime.bigint();
  for (let r = 0; r < rounds / 16 * 16; r++) {
    const stream = redactor.stream();
    for (const chunk of chunks) {
      out += stream.push(chunk).length;
      bytes += chunk.length;
    }
    out += stream.end().length;
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const mb = bytes / 1e6;
  process.stdout.write(`redact stream: ${mb.toFixed(0)} MB in ${seconds.toFixed(2)} s = ${(mb / seconds).toFixed(0)} MB/s (out ${out} chars)\n`);
}
