import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readProcFile } from '../../src/collectors/proc-file.js';
import { readLogTail } from '../../src/collectors/log-tail.js';

describe('readProcFile', () => {
  it('reads a file larger than its first buffer whole, by growing the buffer', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'runbook-proc-')), 'big');
    const content = Buffer.alloc((1 << 20) + 3, 'x');
    content.write('end', content.length - 3);
    writeFileSync(path, content);
    const read = readProcFile(path);
    expect(read.ok && read.bytes.equals(content)).toBe(true);
  });

  it('reads /proc/self/status (size 0 for stat)', () => {
    const read = readProcFile('/proc/self/status');
    expect(read.ok).toBe(true);
    if (read.ok) expect(read.bytes.toString()).toContain(`Pid:\t${process.pid}\n`);
  });

  it('reads a seq_file to its end: one read() of /proc/self/maps returns about one page', () => {
    const read = readProcFile('/proc/self/maps');
    expect(read.ok).toBe(true);
    if (!read.ok) return;
    const text = read.bytes.toString();
    // Node maps far more than one page of lines; [stack] and [vdso] come near the end.
    expect(read.bytes.length).toBeGreaterThan(8192);
    expect(text).toMatch(/\[stack\]\n/);
    expect(text).toMatch(/\[vdso\]\n/);
    expect(text.endsWith('\n')).toBe(true);
  });

  it('reads /proc/self/smaps whole, every entry with its Rss line', () => {
    const read = readProcFile('/proc/self/smaps', { initialBytes: 4096, maxBytes: 64 << 20 });
    expect(read.ok).toBe(true);
    if (!read.ok) return;
    const text = read.bytes.toString();
    const headers = text.split('\n').filter((line) => /^[0-9a-f]+-[0-9a-f]+ /.test(line)).length;
    expect(headers).toBeGreaterThan(50);
    expect(text.split('\n').filter((line) => line.startsWith('Rss:')).length).toBe(headers);
  });

  it('refuses a file larger than its bound instead of cutting it', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'runbook-proc-')), 'big');
    writeFileSync(path, Buffer.alloc(3 << 20, 'x'));
    expect(readProcFile(path, { initialBytes: 4096, maxBytes: 2 << 20 })).toEqual({ ok: false, reason: `${path} is larger than 2 MiB` });
    const fits = readProcFile(path, { initialBytes: 4096, maxBytes: 3 << 20 });
    expect(fits.ok && fits.bytes.length).toBe(3 << 20);
  });

  it('turns a pid that cannot exist into "no such process"', () => {
    // pid_max is at most 2^22, so this pid never exists.
    const read = readProcFile(`/proc/${(1 << 22) + 1}/status`);
    expect(read).toEqual({ ok: false, reason: expect.stringMatching(/^no such process: \/proc\/4194305\/status does not exist/) });
  });
});

describe('readLogTail', () => {
  it('keeps the recent end of a long log, starting at a whole line', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'runbook-log-')), 'gctrace.log');
    const lines = Array.from({ length: 1000 }, (_, i) => `gc ${i + 1} @1.0s 0%: line`);
    writeFileSync(path, `${lines.join('\n')}\n`);
    const read = readLogTail(path, 1000);
    expect(read.ok).toBe(true);
    if (!read.ok) return;
    const text = read.bytes.toString();
    expect(text.length).toBeLessThanOrEqual(1000);
    expect(text.startsWith('gc ')).toBe(true);
    expect(text.endsWith('gc 1000 @1.0s 0%: line\n')).toBe(true);
  });
});
