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

/** The process's listening sockets, from /proc (this host). */
export function listeningSockets(pid: number): ListeningSocket[] {
  const tables = (['tcp', 'tcp6'] as const).map((table) => readProcFile(`/proc/${pid}/net/${table}`)).flatMap((read) => (read.ok ? [read.bytes.toString('latin1')] : []));
  return listeningSocketsIn(fdLinks(pid), tables);
}

/** The LISTEN rows of /proc/PID/net/tcp{,6} `tables` whose socket is one of the process's
 *  open files (`links`: the targets of /proc/PID/fd/*, `socket:[INODE]` for sockets). */
export function listeningSocketsIn(links: string[], tables: string[]): ListeningSocket[] {
  const inodes = new Set(links.flatMap((link) => /^socket:\[(\d+)\]$/.exec(link)?.[1] ?? []));
  if (inodes.size === 0) return [];
  const sockets: ListeningSocket[] = [];
  for (const table of tables) {
    for (const line of table.split('\n').slice(1)) {
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

function fdLinks(pid: number): string[] {
  let fds: string[];
  try {
    fds = readdirSync(`/proc/${pid}/fd`);
  } catch {
    return [];
  }
  return fds.flatMap((fd) => {
    try {
      return [readlinkSync(`/proc/${pid}/fd/${fd}`)];
    } catch {
      return []; // The fd closed between readdir and readlink.
    }
  });
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
