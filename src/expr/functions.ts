// The functions an expression may call. `has` and `coalesce` look at whether their
// arguments exist and `if` evaluates only the branch taken, so the evaluator handles them
// itself; the rest take plain values.

import { parseProseNumber, proseNumber, signedNumber } from '../util/prose-number.js';
import { describeValue } from './values.js';

type FunctionResult = { ok: true; value: unknown } | { ok: false; error: string };
type Implementation = (args: unknown[]) => FunctionResult;

/** Evaluated by the evaluator because a missing argument is not an error for them. */
const SPECIAL_FORMS = ['has', 'coalesce', 'if'] as const;

const FUNCTIONS: Record<string, Implementation> = {
  max: (args) => numbersOf('max', args, { spread: true, nonEmpty: true }, (ns) => Math.max(...ns)),
  min: (args) => numbersOf('min', args, { spread: true, nonEmpty: true }, (ns) => Math.min(...ns)),
  sum: (args) => numbersOf('sum', args, { spread: true, nonEmpty: false }, (ns) => ns.reduce((a, b) => a + b, 0)),
  avg: (args) => numbersOf('avg', args, { spread: true, nonEmpty: true }, (ns) => ns.reduce((a, b) => a + b, 0) / ns.length),
  abs: (args) => numbersOf('abs', args, { exactly: 1 }, ([n]) => Math.abs(n as number)),
  floor: (args) => numbersOf('floor', args, { exactly: 1 }, ([n]) => Math.floor(n as number)),
  ceil: (args) => numbersOf('ceil', args, { exactly: 1 }, ([n]) => Math.ceil(n as number)),
  round,
  len,
  num,
  text,
  signed,
};

export const FUNCTION_NAMES: readonly string[] = [...Object.keys(FUNCTIONS), ...SPECIAL_FORMS].sort();

export function callFunction(name: string, args: unknown[]): FunctionResult {
  const implementation = Object.prototype.hasOwnProperty.call(FUNCTIONS, name) ? FUNCTIONS[name] : undefined;
  if (implementation === undefined) return { ok: false, error: `unknown function '${name}'` };
  const result = implementation(args);
  if (result.ok && typeof result.value === 'number' && !Number.isFinite(result.value)) {
    return { ok: false, error: `${name}() result is out of range` };
  }
  return result;
}

type Arity = { exactly: number } | { spread: true; nonEmpty: boolean };

/** Checks that the arguments are numbers; `spread` functions also take one array of numbers. */
function numbersOf(name: string, args: unknown[], arity: Arity, compute: (numbers: number[]) => number): FunctionResult {
  let numbers = args;
  if ('exactly' in arity) {
    if (args.length !== arity.exactly) return { ok: false, error: `${name}() takes ${arity.exactly} argument, got ${args.length}` };
  } else {
    if (args.length === 1 && Array.isArray(args[0])) numbers = args[0];
    if (arity.nonEmpty && numbers.length === 0) return { ok: false, error: `${name}() of no numbers` };
  }
  const bad = numbers.find((value) => typeof value !== 'number');
  if (bad !== undefined) return { ok: false, error: `${name}() needs numbers, got ${describeValue(bad)}` };
  return { ok: true, value: compute(numbers as number[]) };
}

function round(args: unknown[]): FunctionResult {
  const [value, digits = 0] = args;
  if (args.length < 1 || args.length > 2) return { ok: false, error: `round() takes 1 or 2 arguments, got ${args.length}` };
  if (typeof value !== 'number') return { ok: false, error: `round() needs a number, got ${describeValue(value)}` };
  if (typeof digits !== 'number' || !Number.isInteger(digits) || digits < 0 || digits > 15) {
    return { ok: false, error: `round() digits must be a whole number from 0 to 15, got ${describeValue(digits)}` };
  }
  const scale = 10 ** digits;
  // Round half away from zero, as people do by hand (Math.round(-2.5) would give -2).
  return { ok: true, value: (Math.sign(value) * Math.round(Math.abs(value) * scale)) / scale };
}

function len(args: unknown[]): FunctionResult {
  if (args.length !== 1) return { ok: false, error: `len() takes 1 argument, got ${args.length}` };
  const [value] = args;
  if (typeof value === 'string' || Array.isArray(value)) return { ok: true, value: value.length };
  if (value !== null && typeof value === 'object') return { ok: true, value: Object.keys(value).length };
  return { ok: false, error: `len() needs a string, array or object, got ${describeValue(value)}` };
}

/** Text of a number or string, as a conclusion prints it: builds a sentence from facts
 *  (`'RSS ' + text(mb) + ' MiB'`; a negative number with a minus sign, −0.1). Booleans and
 *  null are refused: a conclusion should say what they mean, not print true or null. */
function text(args: unknown[]): FunctionResult {
  if (args.length !== 1) return { ok: false, error: `text() takes 1 argument, got ${args.length}` };
  const [value] = args;
  if (typeof value === 'number') return { ok: true, value: proseNumber(value) };
  if (typeof value === 'string') return { ok: true, value };
  return { ok: false, error: `text() needs a number or text, got ${describeValue(value)}` };
}

/** A change as a sentence shows it: `signed(1.2)` is '+1.2', `signed(-0.1)` '−0.1', `signed(0)` '0'. */
function signed(args: unknown[]): FunctionResult {
  if (args.length !== 1) return { ok: false, error: `signed() takes 1 argument, got ${args.length}` };
  const [value] = args;
  if (typeof value === 'number') return { ok: true, value: signedNumber(value) };
  return { ok: false, error: `signed() needs a number, got ${describeValue(value)}` };
}

function num(args: unknown[]): FunctionResult {
  if (args.length !== 1) return { ok: false, error: `num() takes 1 argument, got ${args.length}` };
  const [value] = args;
  if (typeof value === 'number') return { ok: true, value };
  // text() writes a negative number with a minus sign: num() reads it back.
  const parsed = typeof value === 'string' ? parseProseNumber(value) : Number.NaN;
  if (!Number.isNaN(parsed)) return { ok: true, value: parsed };
  return { ok: false, error: `cannot convert ${describeValue(value)} to a number` };
}
