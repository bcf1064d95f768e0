// Parses runbook YAML defensively: a runbook is data from a file someone handed us, so
// hostile input is refused before the YAML library can be made to obey it.
// - size: files over MAX_RUNBOOK_BYTES are not read into the parser at all, and parsing
//   stops after MAX_YAML_TOKENS lexical tokens;
// - depth: bounded while parsing, before composing, because the composer recurses:
//   `- - - … x` 10,000 deep aborted Node with "RegExpCompiler Allocation failed -
//   process out of memory" (yaml 2.9.1, Node 20.20);
// - aliases: refused outright (runbooks never need them), so an alias bomb expands nothing;
// - duplicate keys, more than one document, tags: errors, not last-one-wins. Duplicates
//   are found here with a Set per mapping: yaml's own `uniqueKeys` check is quadratic
//   (10,000 keys took 9 s to compose, 80,000 about 10 minutes).
import { Composer, Lexer, LineCounter, Parser, isAlias, isMap, isNode, isScalar, visit, type CST, type Document } from 'yaml';
import type { Problem } from './problem.js';

export const MAX_RUNBOOK_BYTES = 1024 * 1024;
/** The design example (7 steps, 38 lines) is 438 lexical tokens, so this allows ~800
 *  steps. Without it a 1 MiB file of 200,000 list items took 26 s to parse, and a
 *  16,000-step file 9 s (yaml's parser is superlinear on long collections). */
export const MAX_YAML_TOKENS = 50_000;
/** Runbooks nest about 6 levels (steps → step → run → env → value); 64 is generous. */
export const MAX_NESTING_DEPTH = 64;

export interface SafeYaml {
  document?: Document.Parsed;
  problems: Problem[];
  /** 1-based line and column of a source offset. */
  position: (offset: number) => { line: number; col: number };
}

type Token = CST.Token;

export function parseSafeYaml(text: string, file: string): SafeYaml {
  const lines = new LineCounter();
  const position = (offset: number) => lines.linePos(offset);
  const problem = (offset: number, message: string): Problem => ({ file, ...position(offset), message });

  const parsed = parseBounded(text, lines);
  if ('refused' in parsed) return { position, problems: [problem(parsed.offset, parsed.refused)] };

  const documents = [...new Composer({ uniqueKeys: false, prettyErrors: false, strict: true }).compose(parsed.tokens)];
  const problems: Problem[] = [];
  const document = documents[0];
  if (document === undefined) return { position, problems: [problem(0, 'the file is empty; a runbook needs id, title, summary and steps')] };
  for (const extra of documents.slice(1)) {
    problems.push(problem(extra.range[0], 'more than one YAML document (---); put one runbook in each file'));
  }
  // After the first syntax error the rest usually echo it (one unclosed bracket gave
  // two), so only the first is reported.
  const [firstError] = [...document.errors, ...document.warnings];
  if (firstError !== undefined) {
    problems.push(problem(firstError.pos[0], `YAML ${firstError.name === 'YAMLWarning' ? 'warning' : 'syntax error'}: ${firstError.message}`));
  }
  visit(document, (_key, node) => {
    if (isMap(node)) {
      const seen = new Set<unknown>();
      for (const pair of node.items) {
        const key = isScalar(pair.key) ? pair.key.value : pair.key;
        if (seen.has(key)) {
          problems.push(problem(isNode(pair.key) ? (pair.key.range?.[0] ?? 0) : 0, `duplicate key '${String(key)}'; YAML would silently keep only one of them`));
        }
        seen.add(key);
      }
    }
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

/** The CST tokens, or the offset where nesting first exceeds MAX_NESTING_DEPTH. The
 *  parser is fed one lexeme at a time so a hostile file is stopped early: a 1 MiB file
 *  of '[' took 22 s to parse whole (yaml 2.9.1, Node 20.20). */
function parseBounded(text: string, lines: LineCounter): { tokens: Token[] } | { refused: string; offset: number } {
  const parser = new Parser(lines.addNewLine);
  lines.addNewLine(0);
  const tokens: Token[] = [];
  let count = 0;
  let offset = 0;
  for (const lexeme of new Lexer().lex(text)) {
    if (++count > MAX_YAML_TOKENS) {
      return { refused: `more than ${MAX_YAML_TOKENS} YAML tokens; a runbook is far smaller (a 7-step one is about 450), so the file is refused`, offset };
    }
    offset += lexeme.length;
    for (const token of parser.next(lexeme)) tokens.push(token);
    // The stack holds the document, then one entry per open collection (and the scalar
    // being read): deeper than the cap plus those two is too deep.
    if (parser.stack.length > MAX_NESTING_DEPTH + 2) {
      return { refused: `nesting deeper than ${MAX_NESTING_DEPTH} levels; a runbook never needs this, so the file is refused`, offset: firstOffsetPastCap(parser.stack) };
    }
  }
  for (const token of parser.end()) tokens.push(token);
  return { tokens };
}

function firstOffsetPastCap(stack: readonly Token[]): number {
  const token = stack[MAX_NESTING_DEPTH + 1] ?? stack[stack.length - 1];
  return token !== undefined && 'offset' in token ? token.offset : 0;
}
