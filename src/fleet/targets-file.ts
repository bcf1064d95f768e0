// `--targets FILE`: one target URL per line (ssh://, or a kubectl:// pod URL as --target
// takes it), blank lines and `#` comments skipped. Streamed, with a bound on lines and
// targets (a line is refused at its limit, before it is all read); a bad line is a
// UserError `FILE:LINE: …` with the fix.
import { createReadStream } from 'node:fs';
import { UserError } from '../errors.js';
import { parseTarget, type RemoteTarget } from '../targets/target.js';

/** More hosts than this is a fleet to split (docs/remote.md "What limits a fleet"). */
export const MAX_FLEET_TARGETS = 10_000;
/** No target URL is longer; a longer line is a binary or a wrong file. */
const MAX_LINE_CHARS = 2048;

export async function readTargetsFile(file: string): Promise<RemoteTarget[]> {
  const targets: RemoteTarget[] = [];
  const seen = new Set<string>();
  let lineNo = 0;
  const input = createReadStream(file, { encoding: 'utf8', highWaterMark: 64 * 1024 });
  const opened = new Promise<void>((resolve, reject) => {
    input.once('open', () => resolve());
    input.once('error', reject);
  });
  try {
    await opened;
  } catch (error) {
    throw new UserError(`--targets ${file}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`, {
      hint: 'give a file with one ssh:// or kubectl:// target URL per line',
    });
  }
  const take = (raw: string): void => {
    lineNo += 1;
    const where = `${file}:${lineNo}`;
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    let target;
    try {
      target = parseTarget(line);
    } catch (error) {
      if (error instanceof UserError) throw new UserError(`${where}: ${error.message}`, error.hint !== undefined ? { hint: error.hint } : {});
      throw error;
    }
    if (target.kind === 'local') throw new UserError(`${where}: 'local' is this host, not a fleet member`, { hint: 'list ssh:// or kubectl:// URLs' });
    if (seen.has(target.url)) throw new UserError(`${where}: ${target.url} is listed twice`, { hint: 'remove the second line (each target gets one session)' });
    if (targets.length >= MAX_FLEET_TARGETS) throw new UserError(`${where}: more than ${MAX_FLEET_TARGETS} targets`, { hint: 'split the fleet into several runs' });
    seen.add(target.url);
    targets.push(target);
  };
  // Split by hand, not readline: readline buffers a whole line before we see its length,
  // so a file with no newline (or /dev/zero) would fill memory before the limit is checked.
  let pending = '';
  try {
    for await (const chunk of input as AsyncIterable<string>) {
      const parts = (pending + chunk).split('\n');
      pending = parts.pop() ?? '';
      for (const raw of parts) take(checkLength(raw, file, lineNo + 1));
      checkLength(pending, file, lineNo + 1);
    }
    if (pending !== '') take(pending);
  } catch (error) {
    if (error instanceof UserError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new UserError(`--targets ${file}: ${code === 'EISDIR' ? 'is a directory' : (error as Error).message}`, { hint: 'give a file with one ssh:// or kubectl:// target URL per line' });
  } finally {
    input.destroy();
  }
  if (targets.length === 0) throw new UserError(`--targets ${file}: no target in it`, { hint: 'one ssh:// or kubectl:// target URL per line; # starts a comment' });
  return targets;
}

function checkLength(raw: string, file: string, lineNo: number): string {
  if (raw.length > MAX_LINE_CHARS) throw new UserError(`${file}:${lineNo}: a line of more than ${MAX_LINE_CHARS} characters is no target URL`, { hint: 'one target URL per line' });
  return raw;
}
