// Addresses of a live process's executable → function and file:line, through binutils
// addr2line on /proc/PID/exe (Go binaries with cgo carry DWARF unless built with
// -ldflags=-w or stripped). Return addresses are looked up one byte back, at the call.
import { readFileSync, readlinkSync } from 'node:fs';
import { LOCAL_TARGET } from '../targets/target.js';
import { captureOnTarget } from '../targets/run-on-target.js';

export interface CodeLocation {
  function: string;
  /** `path:line`, or undefined when the binary has no line table for it. */
  file_line?: string;
  /** The functions this call was inlined into, innermost first (C helpers in a cgo preamble). */
  inlined_in?: string[];
}

export interface Symbolised {
  /** Hex address (as traced) → its location; absent when outside the executable. */
  locations: Map<string, CodeLocation>;
  /** `dwarf` (function and file:line), `symbols-only` (function names, no lines), `stripped`. */
  symbols: 'dwarf' | 'symbols-only' | 'stripped';
  warnings: string[];
}

interface ExecutableRange {
  start: bigint;
  end: bigint;
  /** Subtracted before the lookup: the load base of a PIE, 0 for a fixed-address binary. */
  bias: bigint;
}

/** The executable's mappings in /proc/PID/maps, with the PIE load bias. */
export function executableRanges(mapsText: string, exePath: string, pie: boolean): ExecutableRange[] {
  const rows = mapsText
    .split('\n')
    .map((line) => /^([0-9a-f]+)-([0-9a-f]+) \S+ ([0-9a-f]+) \S+ \d+\s+(.*)$/.exec(line))
    .filter((m): m is RegExpExecArray => m !== null && m[4] === exePath);
  if (rows.length === 0) return [];
  const base = BigInt(`0x${rows[0]![1]}`) - BigInt(`0x${rows[0]![3]}`);
  return rows.map((m) => ({ start: BigInt(`0x${m[1]}`), end: BigInt(`0x${m[2]}`), bias: pie ? base : 0n }));
}

/** ELF e_type 3 (ET_DYN): a position-independent executable, loaded at a random base. */
export function isPositionIndependent(exeHeader: Buffer): boolean {
  return exeHeader.length >= 18 && exeHeader.readUInt16LE(16) === 3;
}

const addr2lineTimeoutMs = 60_000;

/** Resolves return addresses (hex) of process `pid` inside its executable. */
export async function symbolise(pid: number, addresses: string[], signal?: AbortSignal): Promise<Symbolised> {
  const warnings: string[] = [];
  const exe = `/proc/${pid}/exe`;
  let mapsText = '';
  let pie = false;
  let exePath = '';
  try {
    mapsText = readFileSync(`/proc/${pid}/maps`, 'utf8');
    pie = isPositionIndependent(readFileSync(exe).subarray(0, 18));
    exePath = readlinkSync(exe);
  } catch (error) {
    warnings.push(`cannot read ${exe} or its maps: ${(error as Error).message}`);
  }
  const ranges = executableRanges(mapsText, exePath, pie);
  const lookups: Array<{ address: string; at: bigint }> = [];
  for (const address of new Set(addresses)) {
    const value = BigInt(address);
    const range = ranges.find((r) => value >= r.start && value < r.end);
    if (range) lookups.push({ address, at: value - range.bias - 1n });
  }
  const locations = new Map<string, CodeLocation>();
  if (lookups.length === 0) return { locations, symbols: 'stripped', warnings };
  const argv = ['addr2line', '-a', '-f', '-i', '-C', '-e', exe, ...lookups.map((l) => `0x${l.at.toString(16)}`)];
  const answer = await captureOnTarget(LOCAL_TARGET, argv, { timeoutMs: addr2lineTimeoutMs, maxBytes: 16 << 20, what: 'addr2line', ...(signal ? { signal } : {}) });
  if (!answer.ok) {
    warnings.push(`${answer.reason} (binutils addr2line resolves addresses to function and file:line)`);
    return { locations, symbols: 'stripped', warnings };
  }
  const byLookup = parseAddr2line(answer.bytes.toString('utf8'));
  for (const lookup of lookups) {
    const frames = byLookup.get(lookup.at);
    if (frames) locations.set(lookup.address, frames);
  }
  const all = [...locations.values()];
  const named = all.filter((l) => l.function !== '??');
  const symbols = named.length === 0 ? 'stripped' : named.some((l) => l.file_line !== undefined) ? 'dwarf' : 'symbols-only';
  return { locations, symbols, warnings };
}

/** `addr2line -a -f -i` output: an address line, then function / file:line pairs, innermost first. */
export function parseAddr2line(text: string): Map<bigint, CodeLocation> {
  const out = new Map<bigint, CodeLocation>();
  const lines = text.split('\n');
  let i = 0;
  while (i < lines.length) {
    const head = /^0x([0-9a-f]+)$/.exec(lines[i]!.trim());
    i++;
    if (!head) continue;
    const pairs: Array<{ fn: string; fileLine?: string }> = [];
    while (i + 1 < lines.length && !/^0x[0-9a-f]+$/.test(lines[i]!.trim())) {
      const fn = lines[i]!.trim();
      const where = lines[i + 1]!.trim().replace(/ \(discriminator \d+\)$/, '');
      pairs.push(/^\?\?:|:0$|^\?\?$/.test(where) ? { fn } : { fn, fileLine: where });
      i += 2;
    }
    const [inner, ...outer] = pairs;
    if (!inner) continue;
    out.set(BigInt(`0x${head[1]}`), {
      function: inner.fn,
      ...(inner.fileLine !== undefined ? { file_line: inner.fileLine } : {}),
      ...(outer.length > 0 ? { inlined_in: outer.map((p) => p.fn) } : {}),
    });
  }
  return out;
}
