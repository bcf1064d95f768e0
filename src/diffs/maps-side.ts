// One snapshot of a maps diff as its file is read: rows are scanned, given their area (Go
// arena, glibc arena) and held only until the merge by address (maps.ts) has passed them, so a
// diff holds the rows between the two files' reading positions, not the files (issue 19).
import { AreaScan, areaTotals, type AreaTotals } from '../parsers/proc-maps/memory-areas.js';
import { MapsScan } from '../parsers/proc-maps/maps-scan.js';
import type { WalkSide } from '../parsers/proc-maps/overlap.js';
import type { MapsTable } from '../parsers/proc-maps/table.js';
import type { ParseWarning } from '../parsers/types.js';

/** The fewest rows a drop frees: it moves the rows kept, so it waits until it frees many. */
const MIN_DROP_ROWS = 4096;

export class MapsSide implements WalkSide {
  private readonly scan: MapsScan;
  private readonly areas: AreaScan;
  /** Rows of the table given to `areas` so far. */
  private classified = 0;
  private readWarnings: ParseWarning[] = [];
  private totals: AreaTotals | null = null;
  ready = 0;
  done = false;

  /** `skipBom`: the input is bytes, read after a UTF-8 BOM as a TextDecoder reads it. */
  constructor(skipBom: boolean) {
    this.scan = new MapsScan(skipBom, false);
    this.areas = new AreaScan(this.scan.table);
  }

  get table(): MapsTable {
    return this.scan.table;
  }

  write(chunk: Uint8Array): void {
    this.scan.write(chunk);
    this.classify();
  }

  /** No more input: every row is ready. Once only; later calls do nothing. */
  end(): void {
    if (this.done) return;
    this.readWarnings = this.scan.end().warnings;
    this.classify();
    this.totals = areaTotals(this.areas.result(this.table.count));
    this.ready = this.table.count;
    this.done = true;
  }

  /** Area of row i (memory-areas.ts Area). */
  areaOf(i: number): number {
    return this.areas.areaOf(i);
  }

  /** Drops the rows below `needed` (all ready) when that frees enough of the table; returns how many went. */
  dropBelow(needed: number): number {
    // The last row stays: the next one is compared with it (contiguity, address order).
    const n = Math.min(needed, this.table.count - 1);
    if (n < MIN_DROP_ROWS || 2 * n < this.table.count) return 0;
    this.areas.dropFirst(n, this.table.count);
    this.table.dropFirst(n);
    this.classified -= n;
    this.ready -= n;
    return n;
  }

  /** After end(): lines that are not maps lines, cut paths. */
  warnings(): ParseWarning[] {
    return this.readWarnings;
  }

  /** The first line that starts below the mapping before it, or 0. */
  get unorderedLine(): number {
    return this.scan.unorderedLine;
  }

  /** After end(): Go and glibc arena totals of every row read. */
  areaTotals(): AreaTotals {
    return this.totals!;
  }

  private classify(): void {
    const count = this.table.count;
    this.areas.addRows(this.classified, count);
    this.classified = count;
    this.ready = this.areas.settled(count);
  }
}
