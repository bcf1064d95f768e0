import { describe, expect, it } from 'vitest';
import { evaluate, scopeFrom, type Expr, type Scope } from '../../src/expr/index.js';
import { error, run, scope, value } from './helpers.js';

describe('operators', () => {
  it.each([
    ['7 + 3', 10],
    ['7 - 10', -3],
    ['6 * 7', 42],
    ['7 / 2', 3.5],
    ['7 % 3', 1],
    ['-stw_p99_ms', -27.1],
    ['2 + 3 * 4 - 6 / 2', 11],
    ["'go' + '-' + 'prod'", 'go-prod'],
    ['1 == 1', true],
    ["'a' != 'b'", true],
    ['tags == tags', true],
    ['after.missing == null', true],
    ['name != null', true],
    ['2 < 3', true],
    ['3 <= 3', true],
    ['4 > 5', false],
    ['5 >= 5', true],
    ["'abc' < 'abd'", true],
    ["'go' in tags", true],
    ["'java' not in tags", true],
    ["'server' in name", true],
    ["'status' in after", true],
    ["'nope' in after", false],
    ['20 in after.maps', true],
    ['true and false', false],
    ['true or false', true],
    ['not flag', false],
    ['!flag || flag && true', true],
  ])('%s → %j', (source, expected) => {
    expect(value(source)).toEqual(expected);
  });

  it('reads dotted fields and indexes, with negative indexes from the end', () => {
    expect(value('after.status.vm_rss_kb / 1024')).toBe(200);
    expect(value('after.maps[0] + after.maps[-1]')).toBe(40);
    expect(value("after['status'].state")).toBe('S');
    expect(value('after.maps[len(after.maps) - 1]')).toBe(30);
  });

  it('records every path read with its value', () => {
    const result = run('after.status.vm_rss_kb - before.status.vm_rss_kb > 50000 and stw_p99_ms > 10');
    expect(result).toEqual({
      ok: true,
      value: true,
      reads: { 'after.status.vm_rss_kb': 204800, 'before.status.vm_rss_kb': 102400, stw_p99_ms: 27.1 },
    });
  });
});

describe('errors are values with words', () => {
  it('names the full missing path and what the step has instead', () => {
    expect(error('after.memstats.heap_sys > 1')).toBe("unknown fact 'after.memstats.heap_sys' ('after' has: status, maps, missing)");
    expect(error('nosuch > 1')).toMatch(/^unknown fact 'nosuch' \(known: after, before, compare, flag, name, stw_p99_ms, tags\)$/);
    expect(error('after.status.vm_rss_kb.x')).toBe("unknown fact 'after.status.vm_rss_kb.x' ('after.status.vm_rss_kb' has no fields)");
    expect(error('after.maps[7]')).toBe('index 7 is outside after.maps (3 items)');
  });

  it.each([
    ["'abc' < 1", "cannot compare string 'abc' with number 1 (use num() to read a number from text)"],
    ["compare.heap_count == 42", "cannot compare string '42' with number 42 (use num() to read a number from text)"],
    ['tags > 1', 'cannot compare array [\'go\', \'prod\'] with number 1'],
    ["1 + 'a'", "cannot add number 1 and string 'a' (use num() to read a number from text)"],
    ['true * 2', 'cannot multiply boolean true and number 2'],
    ['1 / 0', 'division by zero (1 / 0)'],
    ['5 % 0', 'division by zero (5 % 0)'],
    ['1e308 * 10', '1e+308 * 10 is out of range'],
    ["-'a'", "cannot negate string 'a'"],
    ['1 and true', "'and' needs true or false, got number 1"],
    ['not 0', "'not' needs true or false, got number 0"],
    ['1 in 2', "'in' needs an array, string or object on its right, got number 2"],
    ['1 in name', "'in' a string needs a string, got number 1"],
    ['tags[0.5]', 'array index must be a whole number, got number 0.5'],
    ['name[0]', "cannot index string 'api-server' (name)"],
    ["after['__proto__']", "field name '__proto__' is refused"],
    ["after['constructor']", "field name 'constructor' is refused"],
  ])('%s', (source, message) => {
    expect(error(source)).toBe(message);
  });

  it('short-circuits and/or so a guarded missing fact is never read', () => {
    expect(value('has(after.memstats) and after.memstats.heap_sys > 1')).toBe(false);
    expect(value('not has(after.memstats) or after.memstats.heap_sys > 1')).toBe(true);
    expect(error('has(after.status) and after.memstats.heap_sys > 1')).toContain("unknown fact 'after.memstats.heap_sys'");
  });
});

describe('functions', () => {
  it.each([
    ['max(1, 5, 3)', 5],
    ['max(after.maps)', 30],
    ['min(4, 2)', 2],
    ['min(after.maps)', 10],
    ['len(tags)', 2],
    ['len(name)', 10],
    ['len(after)', 3],
    ['abs(-3.5)', 3.5],
    ['round(27.16)', 27],
    ['round(27.15, 1)', 27.2],
    ['round(-2.5)', -3],
    ['floor(2.7)', 2],
    ['ceil(2.1)', 3],
    ['sum(after.maps)', 60],
    ['sum(1, 2)', 3],
    ['avg(after.maps)', 20],
    ['avg(1, 2)', 1.5],
    ['num(compare.heap_count) == 42', true],
    ["num(' 1.5e3 ')", 1500],
    ['num(7)', 7],
    ["'+' + text(round(27.16, 1)) + ' MiB'", '+27.2 MiB'],
    ["text('a') + text(-3)", 'a\u22123'],
    ['text(-0.1)', '\u22120.1'],
    ['signed(1.2)', '+1.2'],
    ['signed(-0.1)', '\u22120.1'],
    ['signed(0)', '0'],
    ['num(text(-2.5))', -2.5],
    ["num(' \u22121e3')", -1000],
    ["if(has(after.memstats.heap_sys), after.memstats.heap_sys, 'no MemStats')", 'no MemStats'],
    ["if(1 < 2, 'yes', after.nothing.at_all)", 'yes'],
    ['has(after.status.vm_rss_kb)', true],
    ['has(after.memstats.heap_sys)', false],
    ['has(after.maps[9])', false],
    ['has(nosuch)', false],
    ['has(after.missing)', true],
    ['coalesce(after.memstats.heap_sys, before.missing.heap, 7)', 7],
    ['coalesce(after.missing, stw_p99_ms)', 27.1],
    ['coalesce(after.nothing)', null],
  ])('%s → %j', (source, expected) => {
    expect(value(source)).toEqual(expected);
  });

  it.each([
    ['max()', 'max() of no numbers'],
    ['avg(tags)', "avg() needs numbers, got string 'go'"],
    ['abs(1, 2)', 'abs() takes 1 argument, got 2'],
    ["num('0x1f')", "cannot convert string '0x1f' to a number"],
    ["num('')", "cannot convert string '' to a number"],
    ['num(null)', 'cannot convert null to a number'],
    ['text(true)', 'text() needs a number or text, got boolean true'],
    ['text(null)', 'text() needs a number or text, got null'],
    ["signed('1')", "signed() needs a number, got string '1'"],
    ["if(1, 'a', 'b')", "'if' needs true or false, got number 1"],
    ["if(true, 'a')", 'if() takes 3 arguments (condition, then, else), got 2'],
    ['round(1, 99)', 'round() digits must be a whole number from 0 to 15, got number 99'],
    ['len(1)', 'len() needs a string, array or object, got number 1'],
    ['coalesce(1 / 0, 2)', 'division by zero (1 / 0)'],
  ])('%s', (source, message) => {
    expect(error(source)).toBe(message);
  });
});

describe('safety', () => {
  it('reads own properties of plain objects only', () => {
    const hostile = scopeFrom([{ date: new Date(0), inherited: Object.create({ secret: 1 }), obj: {} }]);
    expect(error('date.getTime', hostile)).toContain('unknown fact');
    expect(error('inherited.secret', hostile)).toContain('unknown fact');
    expect(error('obj.toString', hostile)).toContain("unknown fact 'obj.toString'");
    expect(error("obj['hasOwnProperty']", hostile)).toContain('unknown fact');
  });

  it('refuses values expressions cannot use instead of calling them', () => {
    const odd = scopeFrom([{ fn: () => 1, fns: [() => 1] }]);
    expect(error('fn', odd)).toBe("fact 'fn' holds a function, which expressions cannot use");
    expect(error('fns[0]', odd)).toBe('fns[0] holds a function, which expressions cannot use');
    expect(error('x', { lookup: () => ({ found: true, value: undefined }) })).toBe("unknown fact 'x'");
  });

  it('reports a Scope that throws as an error instead of throwing', () => {
    const broken: Scope = {
      lookup() {
        throw new Error('disk gone');
      },
    };
    expect(error('x > 1', broken)).toBe("looking up 'x' failed: disk gone");
  });

  it('scopeFrom takes the first layer holding the root name', () => {
    const layered = scopeFrom([{ heap: 1 }, { heap: 2, pid: 42 }, { session: { id: 's1' } }]);
    expect(value('heap + pid', layered)).toBe(43);
    expect(value("session.id == 's1'", layered)).toBe(true);
    expect(layered.lookup(['session', 'dir'])).toEqual({ found: false, available: ['id'], at: 'session' });
  });

  it('evaluates hand-built trees it was not meant to see without throwing', () => {
    let deep: Expr = { kind: 'literal', value: 1, offset: 0 };
    for (let i = 0; i < 200_000; i++) deep = { kind: 'unary', operator: '-', operand: deep, offset: 0 };
    const result = evaluate(deep, scope);
    expect(result.ok).toBe(false);
    expect(result.ok === false && result.error).toMatch(/could not be evaluated/);
  });
});

