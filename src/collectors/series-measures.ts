// The memory a snapshot series follows, per collector (docs/engine.md "Snapshot series"):
// resident private memory, which is what an OOM killer and a cgroup limit count.
import type { FactValue, Facts } from '../parsers/types.js';
import type { Collector } from '../runbook/types.js';

export interface SeriesMeasure {
  /** What is measured, in words for a conclusion. */
  what: string;
  /** KiB from the collector's parsed facts; undefined when the facts lack it. */
  kb(facts: Facts): number | undefined;
}

const number = (value: FactValue | undefined): number | undefined => (typeof value === 'number' && Number.isFinite(value) ? value : undefined);

export const seriesMeasures: Partial<Record<Collector, SeriesMeasure>> = {
  smaps: {
    what: 'resident private memory (smaps Anonymous + Swap)',
    kb: (facts) => {
      const anon = number(facts['anon_kb']);
      return anon === undefined ? undefined : anon + (number(facts['swap_kb']) ?? 0);
    },
  },
  status: { what: 'RssAnon', kb: (facts) => number(facts['rss_anon_kb']) },
};
