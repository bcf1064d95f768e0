// Many small reads on a remote target in few round trips. Process discovery reads a
// handful of ranges of every executable and a few /proc files of every Go process; one
// ssh connection each would take minutes (0.7–1.3 s per `ssh … true` on loopback,
// docs/remote.md). Reads asked for in the same turn of the event loop go out together as
// the arguments of one fixed script (values only ever reach it as "$@"), and each result
// comes back hex-encoded by `od`, so any bytes survive and results cannot run together.
import { UserError } from '../errors.js';
import type { ByteRanges } from '../collectors/go-buildinfo.js';
import { captureOnTarget, type Captured } from './run-on-target.js';
import type { RemoteTarget } from './target.js';

/**
 * `sh -c READS runbook-reads OP ARGS… OP ARGS…`: for each operation a line `@`, then its
 * output as `od` hex (POSIX `od`, `dd`; `readlink` and `stat -c` as in coreutils and
 * busybox). An unreadable file gives no bytes.
 * - `file PATH`: the file, up to 16 MiB, in reads of 1 MiB (a /proc/sys file refuses a
 *   single read of 4 MiB or more: ENOMEM, KMALLOC_MAX_SIZE);
 * - `blocks PATH SKIP COUNT`: COUNT 512-byte blocks from block SKIP (POSIX dd has no byte
 *   offsets; the caller trims);
 * - `links DIR`: the target of each entry of DIR, one per line (/proc/PID/fd);
 * - `executables`: `PID DEVICE:INODE` of each process whose executable can be read.
 */
const REMOTE_READS = [
  'while [ "$#" -gt 0 ]; do',
  '  echo @',
  '  case $1 in',
  '    file) dd if="$2" bs=1048576 count=16 2>/dev/null | od -An -v -tx1; shift 2 ;;',
  '    blocks) dd if="$2" bs=512 skip="$3" count="$4" 2>/dev/null | od -An -v -tx1; shift 4 ;;',
  '    links) for f in "$2"/*; do readlink "$f"; done 2>/dev/null | od -An -v -tx1; shift 2 ;;',
  '    executables) for d in /proc/[0-9]*; do k=$(stat -L -c %d:%i "$d/exe" 2>/dev/null) && echo "${d#/proc/} $k"; done | od -An -v -tx1; shift ;;',
  '    *) echo "runbook-reads: unknown operation $1" >&2; exit 2 ;;',
  '  esac',
  'done',
].join('\n');

const BLOCK = 512;
const MIB = 1 << 20;
/** Most a `file` read brings back (the script's `count=16` blocks of 1 MiB). */
const FILE_MAX_BYTES = 16 * MIB;
/** Listings (fd links, executables) have no dd to bound them; a host's are well under this. */
const LISTING_MAX_BYTES = 8 * MIB;
/** `od -An -v -tx1`: " xx" per byte and a newline per 16. */
const HEX_CHARS_PER_BYTE = 3.1;
/** What one batch's answer may hold: under V8's longest string (~512 MiB), since it is decoded as one. */
const BATCH_MAX_ANSWER = 256 * MIB;
/** Operations per remote command. ssh hands the remote shell ONE string, and Linux caps a
 *  single argument at 128 KiB (MAX_ARG_STRLEN); the arguments stay well below. */
const MAX_ARGUMENT_CHARS = 48 << 10;
const BATCH_TIMEOUT_MS = 60_000;

interface Pending {
  args: string[];
  /** The most bytes this read can bring back. */
  maxBytes: number;
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

  file(path: string): Promise<Buffer> {
    return this.enqueue(['file', path], FILE_MAX_BYTES);
  }

  async links(dir: string): Promise<string[]> {
    return (await this.enqueue(['links', dir], LISTING_MAX_BYTES)).toString('utf8').split('\n').filter((line) => line !== '');
  }

  async executables(): Promise<{ pid: number; file: string }[]> {
    const listing = (await this.enqueue(['executables'], LISTING_MAX_BYTES)).toString('latin1');
    return listing.split('\n').flatMap((line) => {
      const match = /^(\d+) (\d+:\d+)$/.exec(line);
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
      const bytes = await this.enqueue(['blocks', path, String(first), String(count)], count * BLOCK);
      return bytes.subarray(Math.min(skipped, bytes.length), skipped + length);
    };
  }

  private enqueue(args: string[], maxBytes: number): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      this.queue.push({ args, maxBytes, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        // After every read the current results set off: their callers' next reads join this batch.
        setImmediate(() => void this.flush());
      }
    });
  }

  private async flush(): Promise<void> {
    this.scheduled = false;
    const pending = this.queue;
    this.queue = [];
    for (const batch of splitBatches(pending)) await this.send(batch);
  }

  private async send(batch: Pending[]): Promise<void> {
    const argv = ['sh', '-c', REMOTE_READS, 'runbook-reads', ...batch.flatMap((read) => read.args)];
    const answer = batch.reduce((sum, read) => sum + Math.ceil(read.maxBytes * HEX_CHARS_PER_BYTE) + 2, 0);
    const attempt = (): Promise<Captured> =>
      captureOnTarget(this.target, argv, { timeoutMs: BATCH_TIMEOUT_MS, maxBytes: answer, what: 'reading files', ...(this.signal ? { signal: this.signal } : {}) });
    let captured = await attempt();
    // Reads change nothing, so a connection dropped mid-discovery (seen once in a full test
    // run on the loaded 2-CPU machine) is worth one more try before processes go missing.
    if (!captured.ok && this.signal?.aborted !== true) captured = await attempt();
    if (!captured.ok) {
      this.failures.push(captured.reason);
      const error = new UserError(captured.reason, { hint: 'check that `ssh`/`kubectl exec` reaches the target, and that it has sh, dd, od, readlink and stat (docs/remote.md)' });
      for (const read of batch) read.reject(error);
      return;
    }
    const results = decodeReads(captured.bytes.toString('latin1'));
    batch.forEach((read, index) => {
      const bytes = results[index];
      if (bytes !== undefined) read.resolve(bytes);
      else read.reject(new UserError(`reads from ${this.target.url} came back cut short (${results.length} of ${batch.length} results)`));
    });
  }
}

/** Consecutive batches whose arguments fit one remote command and whose answers fit one string. */
function splitBatches(pending: Pending[]): Pending[][] {
  const batches: Pending[][] = [];
  let current: Pending[] = [];
  let chars = 0;
  let answer = 0;
  for (const read of pending) {
    const size = read.args.reduce((sum, arg) => sum + arg.length + 3, 0);
    const hex = read.maxBytes * HEX_CHARS_PER_BYTE;
    if (current.length > 0 && (chars + size > MAX_ARGUMENT_CHARS || answer + hex > BATCH_MAX_ANSWER)) {
      batches.push(current);
      current = [];
      chars = 0;
      answer = 0;
    }
    current.push(read);
    chars += size;
    answer += hex;
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
