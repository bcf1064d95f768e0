// Flat/cum per function, the way `go tool pprof -top` (granularity=functions) computes it.
// Mirrors google/pprof internal/graph newGraph + report.newTrimmedGraph as vendored in go1.19.8:
// - every Line of a Location is a frame, leaf (Line[0]) first;
// - cum counts a function once per sample even when it recurses (the `seen` set);
// - flat goes to the leaf frame; when that node was trimmed, the flat is lost (pprof's "residual");
// - nodes whose |cum| < |sum of flat| × node_fraction are dropped (default 0.005), and the
//   graph is rebuilt without them;
// - nodes whose flat and cum both net to zero (a diff of equal stacks) are not in the graph;
// - an edge caller→callee is inline when, in every sample, the callee is not the last Line of
//   its Location; edges with |weight| < |sum of flat| × 0.001 are trimmed (TrimLowFrequencyEdges);
//   a node is "(inline)" when all its remaining incoming edges are inline, "(partial-inline)"
//   when only some are.
// A diff is the same computation over several profiles with a sign each (A × −1, B × +1).
import type { DecodedProfile } from './decode.js';

export interface WeightedProfile {
  profile: DecodedProfile;
  sampleIndex: number;
  sign: 1 | -1;
}

export interface FunctionRow {
  name: string;
  flat: number;
  cum: number;
  inline: '' | 'inline' | 'partial-inline';
}

export interface Attribution {
  rows: FunctionRow[];
  /** Nodes removed by the node_fraction cut. */
  droppedNodes: number;
  /** Sum of flat over the rows kept ("Showing nodes accounting for …"). */
  shownTotal: number;
}

const EDGE_FRACTION = 0.001;

interface Edge {
  callee: number;
  weight: number;
  inline: boolean;
  /** Last sample that added weight: an edge counts once per sample. */
  stamp: number;
}

interface Pass {
  flat: Float64Array;
  cum: Float64Array;
  present: Uint8Array;
  edges: Map<number, Edge>;
}

/** Global function ids across the profiles: one table per profile mapping local → global. */
function unifyNames(inputs: WeightedProfile[]): { names: string[]; maps: Int32Array[] } {
  const names: string[] = [];
  const index = new Map<string, number>();
  const maps = inputs.map(({ profile }) => {
    const map = new Int32Array(profile.functionNames.length);
    profile.functionNames.forEach((name, local) => {
      let id = index.get(name);
      if (id === undefined) {
        id = names.length;
        names.push(name);
        index.set(name, id);
      }
      map[local] = id;
    });
    return map;
  });
  return { names, maps };
}

function accumulate(inputs: WeightedProfile[], maps: Int32Array[], size: number, kept: Uint8Array | null): Pass {
  const pass: Pass = {
    flat: new Float64Array(size),
    cum: new Float64Array(size),
    present: new Uint8Array(size),
    edges: new Map(),
  };
  const seenStamp = new Int32Array(size).fill(-1);
  let stamp = 0;
  inputs.forEach(({ profile, sampleIndex, sign }, p) => {
    const map = maps[p]!;
    const locations = profile.locations;
    for (const sample of profile.samples) {
      const raw = sample.values[sampleIndex] ?? 0;
      if (raw === 0) continue;
      const v = raw * sign;
      stamp++;
      let parent = -1;
      let residual = false;
      // Root to leaf, like pprof, so `parent` is the caller and the last node is the leaf.
      for (let i = sample.stack.length - 1; i >= 0; i--) {
        const fns = locations[sample.stack[i]!]!.functions;
        for (let ni = fns.length - 1; ni >= 0; ni--) {
          const n = map[fns[ni]!]!;
          if (kept && kept[n] === 0) {
            residual = true;
            continue;
          }
          if (seenStamp[n] !== stamp) {
            seenStamp[n] = stamp;
            pass.cum[n]! += v;
            pass.present[n] = 1;
          }
          if (parent >= 0 && n !== parent) {
            const key = parent * size + n;
            const inline = ni !== fns.length - 1;
            const edge = pass.edges.get(key);
            if (!edge) pass.edges.set(key, { callee: n, weight: v, inline, stamp });
            else {
              if (edge.stamp !== stamp) edge.weight += v;
              edge.stamp = stamp;
              edge.inline &&= inline;
            }
          }
          parent = n;
          residual = false;
        }
      }
      if (parent >= 0 && !residual) pass.flat[parent]! += v;
    }
  });
  return pass;
}

/** pprof's selectNodesForGraph leaves out nodes whose flat and cum both net to zero. */
function inGraph(pass: Pass, n: number): boolean {
  return pass.present[n] === 1 && (pass.cum[n] !== 0 || pass.flat[n] !== 0);
}

export function attribute(inputs: WeightedProfile[], nodeFraction = 0.005): Attribution {
  const { names, maps } = unifyNames(inputs);
  let pass = accumulate(inputs, maps, names.length, null);
  let flatSum = 0;
  for (let n = 0; n < names.length; n++) {
    flatSum += pass.flat[n]!;
  }
  const cutoff = Math.abs(Math.trunc(flatSum * nodeFraction));
  let droppedNodes = 0;
  if (cutoff > 0) {
    const kept = new Uint8Array(names.length);
    for (let n = 0; n < names.length; n++) {
      if (!inGraph(pass, n)) continue;
      if (Math.abs(pass.cum[n]!) >= cutoff) kept[n] = 1;
      else droppedNodes++;
    }
    if (droppedNodes > 0) pass = accumulate(inputs, maps, names.length, kept);
  }
  const edgeCutoff = Math.abs(Math.trunc(flatSum * EDGE_FRACTION));
  const INLINE_IN = 1;
  const CALL_IN = 2;
  const inEdgeKinds = new Uint8Array(names.length);
  for (const edge of pass.edges.values()) {
    if (Math.abs(edge.weight) >= edgeCutoff) inEdgeKinds[edge.callee]! |= edge.inline ? INLINE_IN : CALL_IN;
  }
  const rows: FunctionRow[] = [];
  let shownTotal = 0;
  for (let n = 0; n < names.length; n++) {
    if (!inGraph(pass, n)) continue;
    const kinds = inEdgeKinds[n]!;
    const inline = kinds === INLINE_IN ? 'inline' : kinds === (INLINE_IN | CALL_IN) ? 'partial-inline' : '';
    rows.push({ name: names[n]!, flat: pass.flat[n]!, cum: pass.cum[n]!, inline });
    shownTotal += pass.flat[n]!;
  }
  return { rows, droppedNodes, shownTotal };
}

/** pprof's -top order (FlatNameOrder): |flat| desc, then name, then |cum| desc. */
export function byFlat(a: FunctionRow, b: FunctionRow): number {
  return Math.abs(b.flat) - Math.abs(a.flat) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0) || Math.abs(b.cum) - Math.abs(a.cum);
}

/** pprof's -cum order (CumNameOrder): |cum| desc, then name, then |flat| desc. */
export function byCum(a: FunctionRow, b: FunctionRow): number {
  return Math.abs(b.cum) - Math.abs(a.cum) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0) || Math.abs(b.flat) - Math.abs(a.flat);
}

/**
 * pprof's total for percentages (report.computeTotal): the sum of |value| over all samples,
 * or over the diff-base samples only when there are any — so a diff's percentages are
 * relative to the base profile.
 */
export function percentTotal(inputs: WeightedProfile[]): number {
  let total = 0;
  let baseTotal = 0;
  for (const { profile, sampleIndex, sign } of inputs) {
    for (const s of profile.samples) {
      const v = Math.abs(s.values[sampleIndex] ?? 0);
      total += v;
      if (s.diffBase || sign < 0) baseTotal += v;
    }
  }
  return baseTotal > 0 ? baseTotal : total;
}
