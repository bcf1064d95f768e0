// Small /proc/PID files as the process lists show them, read here or on a target.
import { getParser } from '../parsers/registry.js';
import { readProcFile } from './proc-file.js';

/** /proc/PID/cmdline: NUL-terminated arguments. */
export function splitCmdline(bytes: Buffer): string[] {
  return bytes.toString('utf8').split('\0').filter((arg) => arg !== '');
}

/** VmRSS of a /proc/PID/status text, in kB; null when absent (kernel threads, zombies). */
export function vmRssKb(status: string): number | null {
  const value = getParser('proc-status')?.parse(status).facts['vm_rss_kb'];
  return typeof value === 'number' ? value : null;
}

/** A /proc file of this host as text; '' when it cannot be read. */
export function readProcText(path: string): string {
  const read = readProcFile(path);
  return read.ok ? read.bytes.toString('utf8') : '';
}
