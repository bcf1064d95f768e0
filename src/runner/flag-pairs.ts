// `--var k=v` / `--answer step=choice` lists into a record. The value is everything after
// the first '=' and is kept byte for byte (it may hold '=', spaces, newlines, `$(…)`).
import { UserError } from '../errors.js';

export function parsePairs(values: readonly string[] | undefined, flag: string): Record<string, string> {
  const pairs: Record<string, string> = {};
  for (const item of values ?? []) {
    const at = item.indexOf('=');
    if (at <= 0) throw new UserError(`--${flag} ${item}: expected NAME=VALUE`, { hint: `e.g. --${flag} ${flag === 'var' ? 'pid=1234' : 'confirm=yes'}` });
    pairs[item.slice(0, at)] = item.slice(at + 1);
  }
  return pairs;
}
