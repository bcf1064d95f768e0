// A problem found in a runbook file, positioned so an editor (or a tired engineer) can
// jump to it: `FILE:LINE:COL: message — did you mean 'x'?`.

export interface Problem {
  file: string;
  /** 1-based. */
  line: number;
  /** 1-based. */
  col: number;
  message: string;
  /** The name the author probably meant, when one is close enough. */
  suggestion?: string;
}

export function formatProblem(problem: Problem): string {
  const hint = problem.suggestion === undefined ? '' : ` — did you mean '${problem.suggestion}'?`;
  return `${problem.file}:${problem.line}:${problem.col}: ${problem.message}${hint}`;
}
