// The validator's structural pass: walks the YAML nodes (which keep their source
// positions) against the format definition and reports unknown keys with a
// did-you-mean, wrong types, missing keys and kind-key mistakes. It also collects every
// string whose role needs a semantic check (templates, expressions, step references…).
import { isMap, isScalar, isSeq, type Node, type Pair, type Scalar } from 'yaml';
import { didYouMean } from './did-you-mean.js';
import type { Problem } from './problem.js';
import type { NamePattern, ObjectShape, Shape, StringRole } from './shape.js';

export type NodePath = Array<string | number>;

export interface RoleString {
  role: StringRole;
  value: string;
  path: NodePath;
  node: Scalar;
}

export interface ShapeCheck {
  problems: Problem[];
  strings: RoleString[];
}

type Place = (node: unknown) => { line: number; col: number };

export function checkShape(root: unknown, definition: ObjectShape, file: string, place: Place, rootLabel = 'the runbook'): ShapeCheck {
  const result: ShapeCheck = { problems: [], strings: [] };
  const report = (node: unknown, message: string, suggestion?: string) => {
    const problem: Problem = { file, ...place(node), message };
    if (suggestion !== undefined) problem.suggestion = suggestion;
    result.problems.push(problem);
  };

  function check(value: unknown, shape: Shape, label: string, path: NodePath, anchor?: unknown): void {
    // An empty value (`run:`) has no node of its own: point at its key instead.
    const node = value ?? null;
    const at = (isScalar(node) && node.value === null) || node === null ? (anchor ?? node) : node;
    switch (shape.kind) {
      case 'string': {
        if (!isScalar(node) || typeof node.value !== 'string') return mismatch(node, at, label, shape);
        if (shape.pattern && !new RegExp(shape.pattern.regex).test(node.value)) {
          return report(node, `${label} '${node.value}' must be ${shape.pattern.explain}`);
        }
        result.strings.push({ role: shape.role, value: node.value, path, node });
        return;
      }
      case 'integer':
      case 'number': {
        if (shape.template && isScalar(node) && typeof node.value === 'string' && node.value.includes('{{')) {
          result.strings.push({ role: 'template', value: node.value, path, node });
          return;
        }
        if (!isScalar(node) || typeof node.value !== 'number') return mismatch(node, at, label, shape);
        if (shape.kind === 'integer' && !Number.isInteger(node.value)) return mismatch(node, at, label, shape);
        if (shape.kind === 'integer' && shape.minimum !== undefined && node.value < shape.minimum) {
          return report(node, `${label} must be at least ${shape.minimum}, got ${node.value}`);
        }
        if (shape.kind === 'integer' && shape.maximum !== undefined && node.value > shape.maximum) {
          return report(node, `${label} must be at most ${shape.maximum}, got ${node.value}`);
        }
        return;
      }
      case 'boolean':
        if (!isScalar(node) || typeof node.value !== 'boolean') return mismatch(node, at, label, shape);
        return;
      case 'scalar':
        if (!isScalar(node) || !['string', 'number', 'boolean'].includes(typeof node.value)) return mismatch(node, at, label, shape);
        return;
      case 'enum': {
        if (!isScalar(node) || typeof node.value !== 'string') return mismatch(node, at, label, shape);
        if (!shape.values.includes(node.value)) {
          return report(node, `${label} must be one of ${shape.values.join(', ')}; got '${node.value}'`, didYouMean(node.value, shape.values));
        }
        return;
      }
      case 'array': {
        if (!isSeq(node)) return mismatch(node, at, label, shape);
        if (shape.minItems !== undefined && node.items.length < shape.minItems) {
          return report(node, `${label} needs at least ${shape.minItems} item${shape.minItems === 1 ? '' : 's'}`);
        }
        node.items.forEach((item, index) => check(item, shape.items, `${label}[${index}]`, [...path, index]));
        return;
      }
      case 'oneOrMany':
        if (isSeq(node)) return check(node, { kind: 'array', items: shape.items, minItems: 1 }, label, path, anchor);
        return check(node, shape.items, label, path, anchor);
      case 'options':
        if (!isMap(node)) return mismatch(node, at, label, shape);
        // A top-level string value may be a template (renderOptions): checked like one.
        for (const pair of node.items) {
          const key = keyName(pair, label);
          if (key !== undefined && isScalar(pair.value) && typeof pair.value.value === 'string' && pair.value.value.includes('{{')) {
            result.strings.push({ role: 'template', value: pair.value.value, path: [...path, key], node: pair.value });
          }
        }
        return;
      case 'map': {
        if (!isMap(node)) return mismatch(node, at, label, shape);
        if (shape.minEntries !== undefined && node.items.length < shape.minEntries) {
          return report(node, `${label} needs at least ${shape.minEntries} entr${shape.minEntries === 1 ? 'y' : 'ies'}`);
        }
        for (const pair of node.items) {
          const key = keyName(pair, label);
          if (key === undefined) continue;
          if (!matches(key, shape.keys)) report(pair.key, `name '${key}' in ${label} must be ${shape.keys.explain}`);
          else check(pair.value, shape.values, `'${key}'`, [...path, key], pair.key);
        }
        return;
      }
      case 'object':
        return checkObject(node, at, shape, label, path);
    }
  }

  function checkObject(node: unknown, at: unknown, shape: ObjectShape, label: string, path: NodePath): void {
    if (!isMap(node)) return mismatch(node, at, label, shape);
    const idNode = node.get('id', true);
    const name = isScalar(idNode) && typeof idNode.value === 'string' ? `${shape.noun} '${idNode.value}'` : shape.noun;
    const present = new Set<string>();
    const kindKeys = shape.exactlyOne?.keys ?? [];
    const presentKinds: Array<{ key: string; node: unknown }> = [];
    let unknownKindReported = false;
    // A misspelled required key is one mistake: report the typo, not also the absence.
    const misspelled = new Set<string>();
    for (const pair of node.items) {
      const key = keyName(pair, label);
      if (key === undefined) continue;
      present.add(key);
      const fieldShape = shape.properties[key];
      if (fieldShape === undefined) {
        const guess = didYouMean(key, Object.keys(shape.properties));
        if (guess !== undefined) misspelled.add(guess);
        const looksLikeKind = kindKeys.length > 0 && (guess === undefined ? !kindKeys.some((k) => node.has(k)) : kindKeys.includes(guess));
        if (looksLikeKind && shape.exactlyOne) {
          unknownKindReported = true;
          report(pair.key, `unknown ${shape.exactlyOne.noun} '${key}'`, guess);
        } else {
          report(pair.key, `unknown key '${key}' in ${name}`, guess);
        }
        continue;
      }
      if (kindKeys.includes(key)) presentKinds.push({ key, node: pair.key });
      check(pair.value, fieldShape.shape, `'${key}'`, [...path, key], pair.key);
    }
    for (const [key, fieldShape] of Object.entries(shape.properties)) {
      if (fieldShape.required && !present.has(key) && !misspelled.has(key)) report(node, `${name} is missing '${key}' (${fieldShape.description})`);
    }
    if (shape.exactlyOne) {
      const { keys, noun, whenSeveral } = shape.exactlyOne;
      if (presentKinds.length === 0 && !unknownKindReported) {
        report(node, `${name} needs exactly one ${noun}: ${keys.join(', ')}`);
      }
      const [first, second] = presentKinds;
      if (first !== undefined && second !== undefined) {
        report(second.node, `${name} has more than one ${noun} ('${first.key}' and '${second.key}'); ${whenSeveral}`);
      }
    }
  }

  function keyName(pair: Pair, label: string): string | undefined {
    if (isScalar(pair.key) && typeof pair.key.value === 'string') return pair.key.value;
    report(pair.key ?? pair.value, `keys in ${label} must be plain names`);
    return undefined;
  }

  function mismatch(node: unknown, at: unknown, label: string, shape: Shape): void {
    report(at, `${label} must be ${describeShape(shape)}, got ${describeNode(node)}`);
  }

  check(root, definition, rootLabel, []);
  return result;
}

function matches(name: string, pattern: NamePattern): boolean {
  return new RegExp(pattern.regex).test(name);
}

function describeShape(shape: Shape): string {
  switch (shape.kind) {
    case 'string':
      return shape.role === 'duration' ? 'a duration like 30s' : 'a string';
    case 'integer':
      return `a whole number${shape.template ? ' (or a {{ template }} giving one)' : ''}`;
    case 'number':
      return `a number${shape.template ? ' (or a {{ template }} giving one)' : ''}`;
    case 'boolean':
      return 'true or false';
    case 'scalar':
      return 'a string, number or true/false';
    case 'enum':
      return `one of ${shape.values.join(', ')}`;
    case 'array':
      return shape.items.kind === 'string' ? 'a list of strings' : shape.items.kind === 'integer' ? 'a list of whole numbers' : 'a list';
    case 'oneOrMany':
      return `${describeShape(shape.items)} or a list of them`;
    case 'map':
    case 'options':
    case 'object':
      return 'a mapping (key: value)';
  }
}

function describeNode(node: unknown): string {
  if (node === null || node === undefined) return 'nothing';
  if (isMap(node)) return 'a mapping';
  if (isSeq(node)) return 'a list';
  if (isScalar(node)) {
    const value = node.value;
    if (value === null) return 'nothing';
    if (typeof value === 'string') return `a string ('${value.length > 40 ? `${value.slice(0, 40)}…` : value}')`;
    if (typeof value === 'number') return `a number (${value})`;
    if (typeof value === 'boolean') return `${value}`;
  }
  return `a ${(node as Node).constructor?.name ?? 'value'}`;
}
