// `runbook show`: a runbook as readable text (inputs, steps, kinds, branches).
// Pure: returns the text; the command prints it.
import type { InputSpec, MatchSpec, Runbook, Step } from './types.js';

export function describeRunbook(runbook: Runbook): string {
  const lines = [`${runbook.id} — ${runbook.title}`, runbook.summary, `file: ${runbook.file}`, ''];
  const inputs = Object.entries(runbook.inputs);
  lines.push(inputs.length === 0 ? 'Inputs: none' : 'Inputs');
  const nameWidth = Math.max(0, ...inputs.map(([name]) => name.length));
  for (const [name, input] of inputs) {
    lines.push(`  ${name.padEnd(nameWidth)}  ${input.type.padEnd(8)}  ${describeInput(input)}`.trimEnd());
  }
  if (runbook.match !== undefined) lines.push('', ...describeMatch(runbook.match));
  lines.push('', 'Steps');
  const idWidth = Math.max(...runbook.steps.map((step) => step.id.length));
  runbook.steps.forEach((step, index) => {
    const number = `${index + 1}.`.padStart(String(runbook.steps.length).length + 1);
    lines.push(`  ${number} ${step.id.padEnd(idWidth)}  ${step.kind.padEnd(9)}  ${step.title ?? stepDetail(step)}`.trimEnd());
    const branches = describeBranches(runbook.steps, index);
    if (branches !== undefined) lines.push(`       ${branches}`);
  });
  return `${lines.join('\n')}\n`;
}

/** `Answers alerts GoMemoryHigh | GoMemoryGrowth where severity="page"`, then the inputs labels fill. */
function describeMatch(match: MatchSpec): string[] {
  const names = match.alertname === undefined ? 'any alert' : `alerts ${[match.alertname].flat().join(' | ')}`;
  const where = match.matchers === undefined ? '' : ` where ${match.matchers.join(', ')}`;
  return [`Answers ${names}${where}`, ...Object.entries(match.inputs ?? {}).map(([name, template]) => `  ${name} = ${template}`)];
}

function describeInput(input: InputSpec): string {
  const parts: string[] = [];
  if (input.prompt !== undefined) parts.push(input.prompt);
  if (input.default !== undefined) parts.push(`default ${String(input.default)}`);
  if (input.choices !== undefined) parts.push(`choices ${input.choices.join(' | ')}`);
  if (input.discover !== undefined) parts.push(`discover: ${input.discover}`);
  if (input.optional === true) parts.push('optional');
  if (input.live_only === true) parts.push('live only');
  return parts.join('; ');
}

/** What a step does, for steps without a title. */
function stepDetail(step: Step): string {
  switch (step.kind) {
    case 'run':
      return step.run.argv !== undefined ? step.run.argv.join(' ') : `sh -c ${JSON.stringify(step.run.shell)}`;
    case 'read':
      return step.read.path;
    case 'fetch':
      return step.fetch.url;
    case 'query':
      return `${step.query.range !== undefined ? `over ${step.query.range}: ` : ''}${step.query.promql}`;
    case 'wait':
      return step.wait;
    case 'compute':
      return Object.keys(step.compute).join(', ');
    case 'ask':
      return step.ask.question;
    case 'checklist':
      return `${step.checklist.items.length} items`;
    case 'note':
      return step.note.prompt;
    case 'snapshot':
      return step.snapshot.collect.join(', ');
    case 'conclude':
      return step.conclude.text.length > 60 ? `${step.conclude.text.slice(0, 59)}…` : step.conclude.text;
  }
}

/** `compare → go-heap when rss_growth_mb > 20; otherwise → c-heap`, or undefined for
 *  a step that simply falls through to the next one. */
function describeBranches(steps: readonly Step[], index: number): string | undefined {
  const step = steps[index]!;
  if (step.kind === 'conclude') return `${step.id} ends the runbook: ${step.conclude.finding} (${step.conclude.severity})`;
  const routes: string[] = [];
  if (step.kind === 'ask') {
    for (const choice of step.ask.choices) if (choice.goto !== undefined) routes.push(`→ ${choice.goto} if answered ${choice.value}`);
  }
  for (const rule of step.next ?? []) if (rule.when !== undefined) routes.push(`→ ${rule.goto} when ${rule.when}`);
  if (routes.length === 0 && step.next === undefined) return undefined;
  const fallback = step.next?.find((rule) => rule.when === undefined);
  const following = steps[index + 1];
  const otherwise = fallback !== undefined ? fallback.goto : following !== undefined ? `${following.id} (next step)` : 'end';
  return `${step.id} ${routes.join('; ')}; otherwise → ${otherwise}`;
}
