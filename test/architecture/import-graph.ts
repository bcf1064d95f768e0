// The real import graph of src/, read with TypeScript's own pre-processor and module
// resolver (the same NodeNext rules tsc compiles with), and the checks the layering rule
// of docs/architecture.md makes of it: no cycle, no edge pointing up a layer.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import ts from 'typescript';

/** file (relative to the source root, '/'-separated) → the source files it imports. */
export type ImportGraph = Map<string, string[]>;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(name) && !name.endsWith('.d.ts') ? [path] : [];
  });
}

function posix(path: string): string {
  return path.split(sep).join('/');
}

/** Every import, export-from and literal import() of every file under `root`, resolved. */
export function readImportGraph(root: string, tsconfigPath: string): ImportGraph {
  const config = ts.readConfigFile(tsconfigPath, (path) => ts.sys.readFile(path));
  const options = ts.parseJsonConfigFileContent(config.config, ts.sys, dirname(tsconfigPath)).options;
  const host = ts.createCompilerHost(options);
  const graph: ImportGraph = new Map();
  for (const file of sourceFiles(root)) {
    // Type-only imports count: a type from a higher layer ties the lower one to it as much
    // as a value does.
    const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
    const targets = new Set<string>();
    for (const { fileName } of importedFiles) {
      const resolved = ts.resolveModuleName(fileName, file, options, host).resolvedModule;
      if (!resolved || resolved.isExternalLibraryImport) continue;
      const target = relative(root, resolved.resolvedFileName);
      if (target.startsWith('..')) continue;
      targets.add(posix(target));
    }
    graph.set(posix(relative(root, file)), [...targets].sort());
  }
  return graph;
}

/** Every cycle, one per strongly connected component, as a closed path of files. */
export function findCycles(graph: ImportGraph): string[][] {
  // Tarjan's algorithm, iterative so a deep graph cannot overflow the stack.
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const components: string[][] = [];
  let counter = 0;
  for (const start of graph.keys()) {
    if (index.has(start)) continue;
    const work: Array<{ node: string; next: number }> = [{ node: start, next: 0 }];
    index.set(start, counter);
    low.set(start, counter++);
    stack.push(start);
    onStack.add(start);
    while (work.length > 0) {
      const frame = work[work.length - 1]!;
      const edges = graph.get(frame.node) ?? [];
      if (frame.next < edges.length) {
        const to = edges[frame.next++]!;
        if (!index.has(to)) {
          index.set(to, counter);
          low.set(to, counter++);
          stack.push(to);
          onStack.add(to);
          work.push({ node: to, next: 0 });
        } else if (onStack.has(to)) {
          low.set(frame.node, Math.min(low.get(frame.node)!, index.get(to)!));
        }
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low.set(parent.node, Math.min(low.get(parent.node)!, low.get(frame.node)!));
      if (low.get(frame.node) !== index.get(frame.node)) continue;
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== frame.node);
      const selfLoop = (graph.get(frame.node) ?? []).includes(frame.node);
      if (component.length > 1 || selfLoop) components.push(component);
    }
  }
  return components.map((component) => cyclePath(graph, new Set(component)));
}

/** One closed path through a strongly connected component: a → b → … → a. */
function cyclePath(graph: ImportGraph, members: Set<string>): string[] {
  const start = [...members].sort()[0]!;
  // Breadth-first from start's successors back to start, inside the component.
  const previous = new Map<string, string>();
  const queue = [start];
  while (queue.length > 0) {
    const node = queue.shift()!;
    for (const to of graph.get(node) ?? []) {
      if (!members.has(to) || previous.has(to)) continue;
      previous.set(to, node);
      if (to === start) {
        const between: string[] = [];
        for (let at = node; at !== start; at = previous.get(at)!) between.unshift(at);
        return [start, ...between, start];
      }
      queue.push(to);
    }
  }
  return [start, start];
}

/** A layer: a name and the top-level folders (or root files) of src/ it holds. */
export interface Layer {
  name: string;
  folders: string[];
}

/** The layer index of a file: its top-level folder (or the file itself at the root). */
export function layerOf(layers: readonly Layer[], file: string): number {
  const top = file.split('/')[0]!;
  return layers.findIndex((layer) => layer.folders.includes(top));
}

/**
 * Every edge that points up, or sideways between two folders of the same layer (layers
 * run from the top, index 0, down; a file may import its own folder and any layer below).
 * A file whose folder no layer names is reported too, so a new folder gets placed.
 */
export function layerViolations(graph: ImportGraph, layers: readonly Layer[]): string[] {
  const problems: string[] = [];
  for (const [from, targets] of graph) {
    const fromLayer = layerOf(layers, from);
    if (fromLayer < 0) {
      problems.push(`${from}: its folder is in no layer (add it to the layer list)`);
      continue;
    }
    for (const to of targets) {
      const toLayer = layerOf(layers, to);
      if (toLayer < 0) continue; // reported as its own file
      const fromFolder = from.split('/')[0];
      const toFolder = to.split('/')[0];
      if (fromFolder === toFolder) continue;
      if (toLayer < fromLayer) {
        problems.push(`${from} → ${to}: ${layers[fromLayer]!.name} imports up into ${layers[toLayer]!.name}`);
      } else if (toLayer === fromLayer) {
        problems.push(`${from} → ${to}: sideways within ${layers[fromLayer]!.name} (${fromFolder}/ and ${toFolder}/)`);
      }
    }
  }
  return problems;
}
