// Append-only journal writer. One write() per record on an O_APPEND fd, so a crash can
// tear at most the last line; fsync at step boundaries (step.finished and session.*; in a
// fleet journal, every child.finished/child.failed and fleet.* record),
// which reliability.md measured as losing 0 acknowledged records over 200 SIGKILLs.
import { closeSync, constants, fstatSync, fsyncSync, openSync, readSync, writeSync } from 'node:fs';
import { JOURNAL_VERSION, type JournalRecord, type NewRecord } from './records.js';
import { FILE_MODE } from './session-dir.js';


/** Records after which the journal is flushed to disk before the engine moves on. */
export function isBoundary(record: { type: string }): boolean {
  return record.type === 'step.finished' || record.type.startsWith('session.') || record.type.startsWith('fleet.') || record.type === 'child.finished' || record.type === 'child.failed';
}

/** Also writes the fleet journal (src/fleet): the same stamping, appending and fsync. */
export class JournalWriter<New extends { type: string } = NewRecord, Stamped = JournalRecord> {
  private fd: number | null;
  private seq: number;
  private readonly firstSeq: number;

  private constructor(
    readonly path: string,
    fd: number,
    lastSeq: number,
  ) {
    this.fd = fd;
    this.seq = lastSeq;
    this.firstSeq = lastSeq;
  }

  /** A new journal; fails if the file exists (a session id is never reused). */
  static create<N extends { type: string } = NewRecord, S = JournalRecord>(path: string): JournalWriter<N, S> {
    const fd = openSync(path, constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | constants.O_EXCL, FILE_MODE);
    return new JournalWriter<N, S>(path, fd, 0);
  }

  /** Reopen for resume; `lastSeq` comes from the reader. A torn last line gets its newline
   *  so the next record starts on a line of its own (the torn text stays, set aside on read). */
  static reopen(path: string, lastSeq: number): JournalWriter {
    const fd = openSync(path, constants.O_RDWR | constants.O_APPEND);
    const size = fstatSync(fd).size;
    if (size > 0) {
      const last = Buffer.alloc(1);
      readSync(fd, last, 0, 1, size - 1);
      if (last[0] !== 0x0a) writeAll(fd, Buffer.from('\n'));
    }
    return new JournalWriter(path, fd, lastSeq);
  }

  /** Records this writer has written (0: the file holds nothing of this run). */
  get records(): number {
    return this.seq - this.firstSeq;
  }

  /** Stamps v, seq and t, writes the record as one line, fsyncs at step boundaries. */
  append(record: New): Stamped {
    if (this.fd === null) throw new Error(`journal ${this.path} is closed`);
    const stamped = { v: JOURNAL_VERSION, seq: this.seq + 1, t: new Date().toISOString(), ...record } as Stamped;
    writeAll(this.fd, Buffer.from(`${JSON.stringify(stamped)}\n`, 'utf8'));
    this.seq += 1;
    if (isBoundary(record)) fsyncSync(this.fd);
    return stamped;
  }

  close(): void {
    if (this.fd === null) return;
    fsyncSync(this.fd);
    closeSync(this.fd);
    this.fd = null;
  }
}

/** One write() in practice; loops only if the kernel accepts part of the buffer. */
function writeAll(fd: number, buffer: Buffer): void {
  let offset = 0;
  while (offset < buffer.length) offset += writeSync(fd, buffer, offset, buffer.length - offset);
}
