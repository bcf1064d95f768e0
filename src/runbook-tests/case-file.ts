// A runbook test case (runbooks/tests/*.yaml): a runbook, a bundle to replay it against,
// optional inputs and answers, and the conclusion and path the run must reach. Parsed with
// the runbook loader's safe YAML and checked against the runbook itself, so a typo in a
// step id is a FILE:LINE:COL problem, not a puzzling failed case.
import { existsSync, statSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { isMap, isNode, isScalar, isSeq, type Node, type Pair } from 'yaml';
import { UserError } from '../errors.js';
import { didYouMean } from '../runbook/did-you-mean.js';
import { isRunbookFileName, resolveRunbook } from '../runbook/discover.js';
import { loadRunbookFile } from '../runbook/load.js';
import { formatProblem, type Problem } from '../runbook/problem.js';
import { MAX_RUNBOOK_BYTES, parseSafeYaml } from '../runbook/safe-yaml.js';
import type { Runbook } from '../runbook/types.js';

export interface RunbookCase {
  /** The case file as given (for messages). */
  file: string;
  runbook: Runbook;
  /** Absolute directory of the bundle to replay. */
  bundle: string;
  vars: Record<string, string>;
  answers: Record<string, string>;
  /** Expected finding id. */
  conclusion: string;
  /** Expected step ids, in the order they run (skipped steps included). */
  path: string[];
}

export interface CaseLoad {
  testCase?: RunbookCase;
  problems: Problem[];
}

const KEYS = ['runbook', 'bundle', 'vars', 'answers', 'conclusion', 'path', 'description'] as const;
const REQUIRED = ['runbook', 'bundle', 'conclusion', 'path'] as const;
/** Steps whose answer comes from --answer (docs/engine.md). */
const ANSWERED_KINDS = new Set(['ask', 'checklist', 'note']);

export async function loadCaseFile(file: string): Promise<CaseLoad> {
  const text = await readBounded(file);
  if (typeof text !== 'string') return { problems: [{ file, line: 1, col: 1, message: text.problem }] };
  const yaml = parseSafeYaml(text, file);
  if (yaml.problems.length > 0 || yaml.document === undefined) return { problems: yaml.problems };
  const problems: Problem[] = [];
  const at = (node: unknown, message: string, suggestion?: string): void => {
    const offset = isNode(node) ? (node.range?.[0] ?? 0) : 0;
    problems.push({ file, ...yaml.position(offset), message, ...(suggestion !== undefined ? { suggestion } : {}) });
  };
  const root = yaml.document.contents;
  if (!isMap(root)) {
    at(root, `a test case is a mapping with ${REQUIRED.join(', ')} (see docs/runbooks.md)`);
    return { problems };
  }

  const fields = new Map<string, Pair>();
  for (const pair of root.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : '';
    if ((KEYS as readonly string[]).includes(key)) fields.set(key, pair);
    else at(pair.key, `unknown key '${key}' in a test case (keys: ${KEYS.join(', ')})`, didYouMean(key, KEYS));
  }
  for (const key of REQUIRED) if (!fields.has(key)) at(root, `missing '${key}'`);
  const value = (key: string): Node | undefined => {
    const node = fields.get(key)?.value;
    return isNode(node) ? node : undefined;
  };
  const stringField = (key: string): string | undefined => {
    const node = value(key);
    if (node === undefined) return undefined;
    if (isScalar(node) && typeof node.value === 'string' && node.value !== '') return node.value;
    at(node, `'${key}' must be a non-empty string`);
    return undefined;
  };
  const caseDir = dirname(resolve(file));

  let runbook: Runbook | undefined;
  const runbookName = stringField('runbook');
  if (runbookName !== undefined) {
    const found = await findRunbook(runbookName, caseDir);
    if ('problem' in found) at(value('runbook'), found.problem);
    else runbook = found.runbook;
  }

  let bundle: string | undefined;
  const bundleName = stringField('bundle');
  if (bundleName !== undefined) {
    bundle = [resolve(caseDir, bundleName), resolve(bundleName)].find((dir) => existsSync(dir) && statSync(dir).isDirectory());
    if (bundle === undefined) at(value('bundle'), `no bundle directory '${bundleName}' (looked relative to the case file and to the current directory)`);
  }

  const inputNames = runbook ? Object.keys(runbook.inputs) : [];
  const answerable = runbook ? runbook.steps.filter((s) => ANSWERED_KINDS.has(s.kind)).map((s) => s.id) : [];
  const stepIds = runbook ? runbook.steps.map((s) => s.id) : [];
  const vars = pairsOf(value('vars'), 'vars', at, runbook ? { names: inputNames, what: `an input of ${runbook.id}` } : undefined);
  const answers = pairsOf(value('answers'), 'answers', at, runbook ? { names: answerable, what: `an ask, checklist or note step of ${runbook.id}` } : undefined);

  const conclusion = stringField('conclusion');
  if (conclusion !== undefined && runbook) {
    const findings = [...new Set(runbook.steps.flatMap((s) => (s.kind === 'conclude' ? [s.conclude.finding] : [])))];
    if (!findings.includes(conclusion)) {
      at(value('conclusion'), `'${conclusion}' is not a finding of ${runbook.id} (findings: ${findings.join(', ')})`, didYouMean(conclusion, findings));
    }
  }

  const path: string[] = [];
  const pathNode = value('path');
  if (pathNode !== undefined) {
    if (!isSeq(pathNode) || pathNode.items.length === 0) at(pathNode, `'path' must be a non-empty list of step ids, e.g. [before, wait, after]`);
    else {
      for (const item of pathNode.items) {
        if (!isScalar(item) || typeof item.value !== 'string') {
          at(item, `a path entry must be a step id`);
          continue;
        }
        if (runbook && !stepIds.includes(item.value)) {
          at(item, `'${item.value}' is not a step of ${runbook.id}`, didYouMean(item.value, stepIds));
        }
        path.push(item.value);
      }
    }
  }

  if (problems.length > 0 || !runbook || !bundle || conclusion === undefined) return { problems };
  return { testCase: { file, runbook, bundle, vars, answers, conclusion, path }, problems };
}

async function readBounded(file: string): Promise<string | { problem: string }> {
  try {
    const handle = await open(file, 'r');
    try {
      const stats = await handle.stat();
      if (!stats.isFile()) return { problem: 'not a regular file' };
      if (stats.size > MAX_RUNBOOK_BYTES) return { problem: `file is ${stats.size} bytes; test cases are limited to ${MAX_RUNBOOK_BYTES} bytes` };
      const buffer = Buffer.alloc(stats.size);
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
      return buffer.subarray(0, bytesRead).toString('utf8');
    } finally {
      await handle.close();
    }
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return { problem: `cannot read test case: ${code === 'ENOENT' ? 'no such file' : (error as Error).message}` };
  }
}

/** A runbook id, or a file path relative to the case file or the current directory. */
async function findRunbook(name: string, caseDir: string): Promise<{ runbook: Runbook } | { problem: string }> {
  let file: string;
  if (name.includes('/') || isRunbookFileName(name)) {
    const found = [resolve(caseDir, name), resolve(name)].find((candidate) => existsSync(candidate));
    if (found === undefined) return { problem: `no runbook file '${name}' (looked relative to the case file and to the current directory)` };
    file = found;
  } else {
    try {
      file = await resolveRunbook(name);
    } catch (error) {
      if (error instanceof UserError) return { problem: error.message };
      throw error;
    }
  }
  const loaded = await loadRunbookFile(file);
  if (loaded.runbook === undefined) {
    return { problem: `runbook ${name} is not valid: ${loaded.problems.slice(0, 3).map(formatProblem).join('; ')}` };
  }
  return { runbook: loaded.runbook };
}

type At = (node: unknown, message: string, suggestion?: string) => void;

/** `vars:` / `answers:`: a mapping of names to scalar values (kept as the text --var/--answer would pass). */
function pairsOf(node: Node | undefined, key: string, at: At, allowed?: { names: string[]; what: string }): Record<string, string> {
  const pairs: Record<string, string> = {};
  if (node === undefined) return pairs;
  if (!isMap(node)) {
    at(node, `'${key}' must be a mapping of names to values`);
    return pairs;
  }
  for (const pair of node.items) {
    const name = isScalar(pair.key) ? String(pair.key.value) : '';
    if (allowed && !allowed.names.includes(name)) {
      at(pair.key, `'${name}' is not ${allowed.what}`, didYouMean(name, allowed.names));
      continue;
    }
    if (!isScalar(pair.value) || pair.value.value === null || typeof pair.value.value === 'object') {
      at(pair.value ?? pair.key, `${key}.${name} must be a single value`);
      continue;
    }
    pairs[name] = String(pair.value.value);
  }
  return pairs;
}
