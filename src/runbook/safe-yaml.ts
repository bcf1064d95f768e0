// Parses runbook YAML defensively: a runbook is data from a file someone handed us, so
// hostile input is refused before the YAML library can be made to obey it.
// - size: files over MAX_RUNBOOK_BYTES are not read into the parser at all;
// - depth: measured on the CST (an iterative walk) before composing, because the
//   composer recurses: `- - - … x` 10,000 deep aborted Node with "RegExpCompiler
//   Allocation failed - process out of memory" (yaml 2.9.1, Node 20.20);
// - aliases: refused outright (runbooks never need them), so an alias bomb expands nothing;
// - duplicate keys, more than one document, tags: errors, not last-one-wins.
import { Composer, LineCounter, Parser, isAlias, isNode, visit, type Document } from 'yaml';
import type { Problem } from './problem.js';

export const MAX_RUNBOOK_BYTES = 1024 * 1024;
/** Runbooks nest about 6 levels (steps → step → run → env → value); 64 is generous. */
export const MAX_NESTING_DEPTH = 64;

export interface SafeYaml {
  document?: Document.Parsed;
  problems: Problem[];
  /** 1-based line and column of a source offset. */
  position(offset: number): { line: number; col: number };
}

interface CstToken {
  type?: string;
  offset?: number;
  value?: unknown;
  items?: Array<{ key?: unknown; value?: unknown }>;
}

export function parseSafeYaml(text: string, file: string): SafeYaml {
  const lines = new LineCounter();
  const position = (offset: number) => lines.linePos(offset);
  const problem = (offset: number, message: string): Problem => ({ file, ...position(offset), message });

  const tokens = [...new Parser(lines.addNewLine).parse(text)];
  const tooDeep = findExcessiveNesting(tokens);
  if (tooDeep !== undefined) {
    return { position, problems: [problem(tooDeep, `nesting deeper than ${MAX_NESTING_DEPTH} levels; a runbook never needs this, so the file is refused`)] };
  }

  const documents = [...new Composer({ uniqueKeys: true, prettyErrors: false, strict: true }).compose(tokens)];
  const problems: Problem[] = [];
  const document = documents[0];
  if (document === undefined) return { position, problems: [problem(0, 'the file is empty; a runbook needs id, title, summary and steps')] };
  for (const extra of documents.slice(1)) {
    problems.push(problem(extra.range[0], 'more than one YAML document (---); put one runbook in each file'));
  }
  // After the first syntax error the rest usually echo it (one unclosed bracket gave
  // two), so only the first is reported; every duplicate key is its own mistake.
  let syntaxErrorReported = false;
  for (const error of [...document.errors, ...document.warnings]) {
    if (error.code === 'DUPLICATE_KEY') {
      const key = /^("[^"]*"|'[^']*'|[^:\n]*?)\s*:/.exec(text.slice(error.pos[0]))?.[1] ?? '';
      problems.push(problem(error.pos[0], `duplicate key '${key}'; YAML would silently keep only one of them`));
    } else if (!syntaxErrorReported) {
      syntaxErrorReported = true;
      problems.push(problem(error.pos[0], `YAML ${error.name === 'YAMLWarning' ? 'warning' : 'syntax error'}: ${error.message}`));
    }
  }
  visit(document, (_key, node) => {
    if (isAlias(node)) {
      problems.push(problem(node.range?.[0] ?? 0, `YAML alias '*${node.source}' refused: runbooks do not use anchors and aliases (they are how alias bombs work); repeat the value instead`));
    } else if (isNode(node) && node.anchor !== undefined) {
      problems.push(problem(node.range?.[0] ?? 0, `YAML anchor '&${node.anchor}' refused: runbooks do not use anchors and aliases; repeat the value instead`));
    } else if (isNode(node) && node.tag !== undefined && !node.tag.startsWith('tag:yaml.org,2002:')) {
      problems.push(problem(node.range?.[0] ?? 0, `YAML tag '${node.tag}' refused: runbooks use plain values only`));
    }
  });
  return { document, problems, position };
}

/** Offset of the first collection nested deeper than MAX_NESTING_DEPTH, if any. */
function findExcessiveNesting(tokens: readonly unknown[]): number | undefined {
  const pending: Array<{ token: unknown; depth: number }> = tokens.map((token) => ({ token, depth: 0 }));
  while (pending.length > 0) {
    const { token, depth } = pending.pop()!;
    if (typeof token !== 'object' || token === null) continue;
    const cst = token as CstToken;
    if (cst.type === 'document') {
      pending.push({ token: cst.value, depth });
    } else if (cst.items !== undefined) {
      if (depth + 1 > MAX_NESTING_DEPTH) return cst.offset ?? 0;
      for (const item of cst.items) {
        pending.push({ token: item.key, depth: depth + 1 }, { token: item.value, depth: depth + 1 });
      }
    }
  }
  return undefined;
}
