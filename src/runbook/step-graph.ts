// Where each step can lead, and which steps a run can reach from the first one.
// Edges: every `next` goto; every ask-choice goto; falling through to the following step
// unless a default `next` rule (no `when`) or gotos on every choice make that impossible.
// A `conclude` step ends the path.
import type { Step } from './types.js';

function successors(steps: readonly Step[], index: number): string[] {
  const step = steps[index];
  if (step === undefined || step.kind === 'conclude') return [];
  const targets = (step.next ?? []).map((rule) => rule.goto);
  let fallsThrough = !(step.next ?? []).some((rule) => rule.when === undefined);
  if (step.kind === 'ask') {
    const choices = step.ask.choices;
    for (const choice of choices) if (choice.goto !== undefined) targets.push(choice.goto);
    if (choices.every((choice) => choice.goto !== undefined)) fallsThrough = false;
  }
  const following = steps[index + 1];
  if (fallsThrough && following !== undefined) targets.push(following.id);
  return targets;
}

/** Indexes of the steps no path from the first step reaches. */
export function unreachableSteps(steps: readonly Step[]): number[] {
  const indexById = new Map<string, number>();
  steps.forEach((step, index) => {
    if (!indexById.has(step.id)) indexById.set(step.id, index);
  });
  const reached = new Set<number>();
  const pending = steps.length > 0 ? [0] : [];
  while (pending.length > 0) {
    const index = pending.pop()!;
    if (reached.has(index)) continue;
    reached.add(index);
    for (const target of successors(steps, index)) {
      const next = indexById.get(target);
      if (next !== undefined) pending.push(next);
    }
  }
  return steps.map((_, index) => index).filter((index) => !reached.has(index));
}
