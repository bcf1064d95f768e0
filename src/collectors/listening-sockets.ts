// TCP sockets a process listens on: socket inodes from /proc/PID/fd matched against the
// LISTEN rows of /proc/PID/net/tcp{,6} (the process's own network namespace).
import { readdirSync, readlinkSync } from 'node:fs';
import { readProcFile } from './proc-file.js';

export interface ListeningSocket {
  /** Host to connect to: the bound address, or loopback when bound to any address. */
  host: string;
  port: number;
}

const tcpListen = '0A';

export function listeningSockets(pid: number): ListeningSocket[] {
  const inodes = socketInodes(pid);
  if (inodes.size === 0) return [];
  const sockets: ListeningSocket[] = [];
  for (const table of ['tcp', 'tcp6'] as const) {
    const read = readProcFile(`/proc/${pid}/net/${table}`);
    if (!read.ok) continue;
    for (const line of read.bytes.toString('latin1').split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      // sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode
      if (fields.length < 10 || fields[3] !== tcpListen || !inodes.has(fields[9]!)) continue;
      const [hexAddress, hexPort] = fields[1]!.split(':');
      if (!hexAddress || !hexPort) continue;
      sockets.push({ host: connectHost(hexAddress), port: parseInt(hexPort, 16) });
    }
  }
  return sockets;
}

function socketInodes(pid: number): Set<string> {
  const inodes = new Set<string>();
  let fds: string[];
  try {
    fds = readdirSync(`/proc/${pid}/fd`);
  } catch {
    return inodes;
  }
  for (const fd of fds) {
    try {
      const match = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (match) inodes.add(match[1]!);
    } catch {
      // The fd closed between readdir and readlink.
    }
  }
  return inodes;
}

/** The kernel prints addresses as 32-bit words in host byte order (little-endian here). */
function wordToBytes(hex: string): number[] {
  const word = parseInt(hex, 16);
  return [word & 0xff, (word >>> 8) & 0xff, (word >>> 16) & 0xff, word >>> 24];
}

function connectHost(hexAddress: string): string {
  if (hexAddress.length === 8) {
    const ip = wordToBytes(hexAddress).join('.');
    return ip === '0.0.0.0' ? '127.0.0.1' : ip;
  }
  const bytes = [0, 8, 16, 24].flatMap((at) => wordToBytes(hexAddress.slice(at, at + 8)));
  // Any address (Go's default `:port` is a dual-stack tcp6 socket) answers on IPv4 loopback.
  if (bytes.every((b) => b === 0)) return '127.0.0.1';
  const v4Mapped = bytes.slice(0, 10).every((b) => b === 0) && bytes[10] === 0xff && bytes[11] === 0xff;
  if (v4Mapped) return bytes.slice(12).join('.');
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((bytes[i]! << 8) | bytes[i + 1]!).toString(16));
  return `[${groups.join(':')}]`;
}
