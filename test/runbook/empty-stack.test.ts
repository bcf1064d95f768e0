// A goroutine stack the profile recorded without frames (pprof keeps such samples) has no
// function to name: the diff says null, and the runbooks' stack and creator facts say so in
// words, never "null" or "started in ." (goroutine-leak `creator`, go-memory `goroutine_stacks`).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { groupGoroutineGrowth } from '../../src/diffs/goroutine-causes.js';
import { evaluate, parseExpression, scopeFrom } from '../../src/expr/index.js';
import type { GoroutineGroup } from '../../src/parsers/goroutines/snapshot.js';
import { repoRoot } from '../helpers/cli.js';

const group = (count: number): GoroutineGroup => ({
  signature: '',
  count,
  frames: [],
  states: {},
  waitMinutesMax: null,
  waitMinutesMin: null,
  createdBy: null,
  createdAt: null,
  ids: [],
});

/** The value of one compute fact of a shipped runbook's step, over `facts`. */
function computed(runbook: string, step: string, fact: string, facts: Record<string, unknown>): unknown {
  const doc = parse(readFileSync(join(repoRoot, 'runbooks', `${runbook}.yaml`), 'utf8')) as { steps: Array<{ id: string; compute?: Record<string, string> }> };
  const source = doc.steps.find((s) => s.id === step)?.compute?.[fact];
  if (source === undefined) throw new Error(`${runbook}: no compute ${step}.${fact}`);
  const ast = parseExpression(source);
  if (!ast.ok) throw new Error(`${runbook} ${step}.${fact}: ${ast.error.message}`);
  const result = evaluate(ast.ast, scopeFrom([facts]));
  if (!result.ok) throw new Error(`${runbook} ${step}.${fact}: ${result.error}`);
  return result.value;
}

describe('a goroutine stack recorded without frames', () => {
  it.each([40, 300])('grows by %i: the diff names no function, the runbooks say why in words', (grown) => {
    const [cause] = groupGoroutineGrowth([{ group: group(grown + 5), before: 5, after: grown + 5 }], undefined);
    expect(cause).toMatchObject({ grown_stack: null, started_in: null, top_function: null, created_by: null, delta: grown });
    const facts = { after: { goroutines_diff: { causes: [cause] } } };
    expect(computed('goroutine-leak', 'creator', 'grown_stack', facts)).toBe('no frame recorded (an empty stack)');
    expect(computed('goroutine-leak', 'creator', 'started_in', facts)).toBe('no recorded function (an empty stack)');
    expect(computed('go-memory', 'goroutine_stacks', 'grown_stack', facts)).toBe('no frame recorded (an empty stack)');
    expect(computed('go-memory', 'goroutine_stacks', 'created_by', facts)).toMatch(/; started in no recorded function \(an empty stack\)$/);
  });
});
