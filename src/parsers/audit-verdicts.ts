// What a source audit found, suspects first: each thing it follows (a response, a cancel
// function) was released in the function that got it, handed on for the engineer to follow,
// or neither (the suspect). The audits (http-body-audit, context-cancel-audit) list the first
// few suspects in one sentence for the conclusion.

export type Verdict = 'neither' | 'handed-on' | 'released';

export interface AuditVerdicts<T> {
  /** Every item, neither first, then handed on, then released (stable within each). */
  ranked: T[];
  neither: T[];
  handedOn: T[];
  released: number;
  /** The suspects (neither, then handed on) as one sentence of at most `listed`, and a count of the rest. */
  sentence(describe: (item: T) => string): string;
}

const listed = 10;
const order: Record<Verdict, number> = { neither: 0, 'handed-on': 1, released: 2 };

export function auditVerdicts<T>(items: T[], verdictOf: (item: T) => Verdict): AuditVerdicts<T> {
  const ranked = [...items].sort((a, b) => order[verdictOf(a)] - order[verdictOf(b)]);
  const neither = ranked.filter((item) => verdictOf(item) === 'neither');
  const handedOn = ranked.filter((item) => verdictOf(item) === 'handed-on');
  const suspects = [...neither, ...handedOn];
  return {
    ranked,
    neither,
    handedOn,
    released: items.length - suspects.length,
    sentence: (describe) => suspects.slice(0, listed).map(describe).join('; ') + (suspects.length > listed ? `; and ${suspects.length - listed} more` : ''),
  };
}
