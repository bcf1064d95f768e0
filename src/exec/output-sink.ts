// One output stream of a step: bytes → streaming UTF-8 decode → optional transform
// (redaction) → artifact file (0600, written as it arrives, backpressure respected) and
// the live listener, while an ExcerptBuilder keeps the bounded head and tail.
// `buffer: false` plus this sink replaces execa's buffering: `lines: true` held a whole
// 300 MB line in memory and failed at 700 MB (reliability.md, "Output size").
import { open } from 'node:fs/promises';
import type { WriteStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { StringDecoder } from 'node:string_decoder';
import { ExcerptBuilder, type OutputExcerpt } from './output-excerpt.js';
import type { TextTransform } from './types.js';

export class OutputSink {
  // StringDecoder, not TextDecoder: same streaming UTF-8 with U+FFFD for bad bytes, and
  // 1 GB went through in 6.9 s instead of 9.1 s (5.7 s without decoding) on this machine.
  private readonly decoder = new StringDecoder('utf8');
  private readonly excerpt = new ExcerptBuilder();
  private bytesWritten = 0;
  private pausedForDisk = false;
  /** The first write failure (disk full, I/O error), in words; output after it is lost. */
  writeError: string | undefined;

  private constructor(
    private readonly file: WriteStream,
    private readonly transform: TextTransform | undefined,
    private readonly onText: ((text: string) => void) | undefined,
  ) {
    file.on('error', (error: Error) => {
      this.writeError ??= error.message;
      // A dead file never drains: keep reading so the step is not blocked on it.
      this.file.emit('drain');
    });
  }

  /** Creates (or truncates) the artifact with mode 0600, also when it already existed. */
  static async open(
    path: string,
    transform: TextTransform | undefined,
    onText: ((text: string) => void) | undefined,
  ): Promise<OutputSink> {
    const handle = await open(path, 'w', 0o600);
    await handle.chmod(0o600);
    return new OutputSink(handle.createWriteStream(), transform, onText);
  }

  /** True while reading is paused until the artifact file drains. */
  get waitingForDisk(): boolean {
    return this.pausedForDisk;
  }

  /** Reads `source` to its end (or its destruction); resolves when it has closed. */
  consume(source: Readable): Promise<void> {
    return new Promise((resolve) => {
      source.on('data', (chunk: Buffer) => {
        const text = this.decoder.write(chunk);
        // Without a transform the artifact keeps the exact bytes (binary output survives).
        const fileOk = this.transform ? this.emitText(this.transform.push(text)) : this.emitRaw(chunk, text);
        if (!fileOk && !this.pausedForDisk) {
          this.pausedForDisk = true;
          source.pause();
          this.file.once('drain', () => {
            this.pausedForDisk = false;
            source.resume();
          });
        }
      });
      // Destroying the pipe (an escapee held it open) is an expected way to end.
      source.on('error', () => {});
      source.once('close', () => resolve());
    });
  }

  /** Flushes the decoder and transform, closes the artifact, returns the excerpt. */
  async close(): Promise<OutputExcerpt> {
    const rest = this.decoder.end();
    if (this.transform) this.emitText(this.transform.push(rest) + this.transform.end());
    else this.emitRaw(undefined, rest);
    this.file.end();
    await finished(this.file).catch(() => {}); // already recorded in writeError
    return this.excerpt.result(this.bytesWritten);
  }

  private emitRaw(bytes: Buffer | undefined, text: string): boolean {
    this.observe(text);
    if (!bytes || this.writeError) return true;
    this.bytesWritten += bytes.length;
    return this.file.write(bytes);
  }

  private emitText(text: string): boolean {
    if (text === '') return true;
    this.observe(text);
    if (this.writeError) return true;
    const bytes = Buffer.from(text, 'utf8');
    this.bytesWritten += bytes.length;
    return this.file.write(bytes);
  }

  private observe(text: string): void {
    if (text === '') return;
    this.excerpt.push(text);
    this.onText?.(text);
  }
}
