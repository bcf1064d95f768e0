// Many small reads on a remote target in few round trips. Process discovery reads a
// handful of ranges of every executable and a few /proc files of every Go process; one
// ssh connection each would take minutes (0.7–1.3 s per `ssh … true` on loopback,
// docs/remote.md). Reads asked for in the same turn of the event loop go out together as
// the arguments of one fixed script (values only ever reach it as "$@"), and each result
// comes back hex-encoded by `od`, so any bytes survive and results cannot run together.
import { UserError } from '../errors.js';
import type { ByteRanges } from './go-buildinfo.js';
import { captureOnTarget, type Captured } from '../targets/run-on-target.js';
import type { RemoteTarget } from '../targets/target.js';

/**
 * `sh -c READS runbook-reads OP ARGS… OP ARGS…`: for each operation a line `@`, then its
 * output as `od` hex. Tools: POSIX `dd`, `od`, `ls`, `xargs`, `grep`; `stat -c` as in
 * coreutils and busybox (checked first: a missing one is an error, not an empty listing). An unreadable file
 * gives no bytes. One process per operation, not per file or fd: a busy host has tens of
 * thousands of processes and a busy service as many fds.
 * - `file PATH COUNT`: up to COUNT blocks of 64 KiB (one read() for the small /proc files;
 *   a /proc/sys file refuses a single read of 4 MiB or more: ENOMEM, KMALLOC_MAX_SIZE);
 * - `blocks PATH SKIP COUNT`: COUNT 512-byte blocks from block SKIP (POSIX dd has no byte
 *   offsets; the caller trims);
 * - `links DIR`: `ls -ln DIR`, whose lines end `NAME -> TARGET` (/proc/PID/fd), names
 *   unquoted (QUOTING_STYLE in the remote environment would quote GNU's);
 * - `listening PATH`: the header and LISTEN rows (state ` 0A `) of a /proc/PID/net/tcp table:
 *   a node's table can hold 100,000 connections, and a seq_file gives a page per read, so
 *   a dd cap would cut it silently; grep reads it all and sends back only what is used;
 * - `executables`: `/proc/PID/exe DEVICE:INODE` of each process whose executable can be
 *   read, through xargs (one `stat` of 80,000 paths would fail E2BIG, silently).
 */
const REMOTE_READS = [
  'for tool in dd od ls stat xargs grep; do',
  '  command -v "$tool" >/dev/null 2>&1 || { echo "runbook-reads: $tool is not installed on the target" >&2; exit 127; }',
  'done',
  'while [ "$#" -gt 0 ]; do',
  '  echo @',
  '  case $1 in',
  '    file) dd if="$2" bs=65536 count="$3" 2>/dev/null | od -An -v -tx1; shift 3 ;;',
  '    blocks) dd if="$2" bs=512 skip="$3" count="$4" 2>/dev/null | od -An -v -tx1; shift 4 ;;',
  '    links) QUOTING_STYLE=literal ls -ln -- "$2" 2>/dev/null | od -An -v -tx1; shift 2 ;;',
  '    listening) grep -e local_address -e " 0A " -- "$2" 2>/dev/null | od -An -v -tx1; shift 2 ;;',
  '    executables) printf "%s\\n" /proc/[0-9]*/exe | xargs stat -L -c "%n %d:%i" 2>/dev/null | od -An -v -tx1; shift ;;',
  '    *) echo "runbook-reads: unknown operation $1" >&2; exit 2 ;;',
  '  esac',
  'done',
].join('\n');

const BLOCK = 512;
const FILE_BLOCK = 64 << 10;
/** Most a batch may answer: its hex is decoded as one string, and V8's longest is ~512 MiB.
 *  Honest answers are far smaller (each read is bounded by its dd); past this the target is
 *  broken or hostile, and the batch fails. */
const BATCH_MAX_ANSWER = 256 << 20;
/** Operations per remote command. ssh hands the remote shell ONE string, and Linux caps a
 *  single argument at 128 KiB (MAX_ARG_STRLEN); the arguments stay well below. */
const MAX_ARGUMENT_CHARS = 48 << 10;
const BATCH_TIMEOUT_MS = 60_000;

interface Pending {
  args: string[];
  resolve: (bytes: Buffer) => void;
  reject: (error: Error) => void;
}

export class RemoteReads {
  private queue: Pending[] = [];
  private scheduled = false;
  private failures: string[] = [];

  constructor(
    private readonly target: RemoteTarget,
    private readonly signal?: AbortSignal,
  ) {}

  /** Why batches failed (the connection dropped, the target lacks a tool). */
  get failed(): readonly string[] {
    return this.failures;
  }

  /** A file of up to `maxBytes` (rounded up to 64 KiB). */
  file(path: string, maxBytes: number): Promise<Buffer> {
    return this.enqueue(['file', path, String(Math.max(1, Math.ceil(maxBytes / FILE_BLOCK)))]);
  }

  /** The symbolic links in `dir`: each one's name and target. */
  async links(dir: string): Promise<{ name: string; target: string }[]> {
    const listing = (await this.enqueue(['links', dir])).toString('utf8');
    return listing.split('\n').flatMap((line) => {
      // The first arrow: names here are numbers or namespace names, a target may hold an arrow.
      const arrow = line.indexOf(' -> ');
      if (arrow < 0) return [];
      return [{ name: line.slice(line.lastIndexOf(' ', arrow - 1) + 1, arrow), target: line.slice(arrow + 4) }];
    });
  }

  /** The header and LISTEN rows of a /proc/PID/net/tcp{,6} table. */
  async listening(path: string): Promise<string> {
    return (await this.enqueue(['listening', path])).toString('latin1');
  }

  async executables(): Promise<{ pid: number; file: string }[]> {
    const listing = (await this.enqueue(['executables'])).toString('latin1');
    return listing.split('\n').flatMap((line) => {
      const match = /^\/proc\/(\d+)\/exe (\d+:\d+)$/.exec(line);
      return match ? [{ pid: Number(match[1]), file: match[2]! }] : [];
    });
  }

  /** Byte ranges of a file on the target, read in whole 512-byte blocks. */
  ranges(path: string): ByteRanges {
    return async (offset, length) => {
      if (length <= 0 || offset < 0n) return Buffer.alloc(0);
      const first = offset / BigInt(BLOCK);
      const skipped = Number(offset - first * BigInt(BLOCK));
      const count = Math.ceil((skipped + length) / BLOCK);
      const bytes = await this.enqueue(['blocks', path, String(first), String(count)]);
      return bytes.subarray(Math.min(skipped, bytes.length), skipped + length);
    };
  }

  private enqueue(args: string[]): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      this.queue.push({ args, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        // After every read the current results set off: their callers' next reads join this batch.
        setImmediate(() => void this.flush());
      }
    });
  }

  private async flush(): Promise<void> {
    this.scheduled = false;
    const batches = splitBatches(this.queue);
    this.queue = [];
    for (const [index, batch] of batches.entries()) {
      try {
        await this.send(batch);
      } catch (error) {
        // A failure on this side (no temp dir, no memory): every read still waiting hears of it, none hangs.
        const reason = `reading files on ${this.target.url}: ${error instanceof Error ? error.message : String(error)}`;
        this.failures.push(reason);
        for (const read of batches.slice(index).flat()) read.reject(new UserError(reason));
        return;
      }
    }
  }

  private async send(batch: Pending[]): Promise<void> {
    const argv = ['sh', '-c', REMOTE_READS, 'runbook-reads', ...batch.flatMap((read) => read.args)];
    const attempt = (): Promise<Captured> =>
      captureOnTarget(this.target, argv, { timeoutMs: BATCH_TIMEOUT_MS, maxBytes: BATCH_MAX_ANSWER, what: 'reading files', ...(this.signal ? { signal: this.signal } : {}) });
    let captured = await attempt();
    // Reads change nothing, so a connection dropped mid-discovery (seen once in a full test
    // run on the loaded 2-CPU machine) is worth one more try before processes go missing.
    if (!captured.ok && captured.retry === true && this.signal?.aborted !== true) captured = await attempt();
    if (!captured.ok) {
      this.failures.push(captured.reason);
      const error = new UserError(captured.reason, { hint: 'check that `ssh`/`kubectl exec` reaches the target, and that it has sh, timeout, dd, od, ls, grep, xargs and stat (docs/remote.md)' });
      for (const read of batch) read.reject(error);
      return;
    }
    const results = decodeReads(captured.bytes.toString('latin1'));
    if (results.length < batch.length) this.failures.push(`reading files on ${this.target.url}: the answer was cut short (${results.length} of ${batch.length} results)`);
    batch.forEach((read, index) => {
      const bytes = results[index];
      if (bytes !== undefined) read.resolve(bytes);
      else read.reject(new UserError(this.failures.at(-1)!));
    });
  }
}

/** Consecutive batches whose arguments fit one remote command. */
function splitBatches(pending: Pending[]): Pending[][] {
  const batches: Pending[][] = [];
  let current: Pending[] = [];
  let chars = 0;
  for (const read of pending) {
    const size = read.args.reduce((sum, arg) => sum + arg.length + 3, 0);
    if (current.length > 0 && chars + size > MAX_ARGUMENT_CHARS) {
      batches.push(current);
      current = [];
      chars = 0;
    }
    current.push(read);
    chars += size;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}

/** The script's output: per operation a line `@`, then hex pairs (`od -An -v -tx1`). */
function decodeReads(output: string): Buffer[] {
  const results: Buffer[] = [];
  let hex: string[] | undefined;
  const finish = (): void => {
    if (hex !== undefined) results.push(Buffer.from(hex.join(''), 'hex'));
  };
  for (const line of output.split('\n')) {
    if (line === '@') {
      finish();
      hex = [];
    } else if (hex !== undefined) {
      hex.push(line.replace(/\s+/g, ''));
    }
  }
  finish();
  return results;
}
