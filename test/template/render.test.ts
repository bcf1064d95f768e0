import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { scopeFrom } from '../../src/expr/index.js';
import { renderArgv, renderOptions, renderProse, renderText } from '../../src/template/index.js';
import { PLACEHOLDER } from '../helpers/placeholders.js';

const PAYLOADS = ['$(touch /tmp/x)', '; rm -rf /', '`id`', 'a\nb\r\nc', "it's \"quoted\" $HOME *", '  spaced  ', 'ünïcødé ✓', ''];

const scope = scopeFrom([
  { pid: 4242, ratio: 0.5, big: 1e21, live: true, neg: -3, opt: '-rf', empty: '', nul: 'a\0b', list: [1], obj: { a: 1 }, nothing: null },
  { before: { heap: { path: '/s/before.pb.gz' } } },
  { session: { dir: '/state/s1', id: 's1' } },
]);

describe('renderArgv', () => {
  const dir = mkdtempSync(join(tmpdir(), 'runbook-template-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('fills whole elements and parts of elements, printing numbers and booleans plainly', () => {
    expect(renderArgv(['go', 'tool', 'pprof', '-top', '{{ before.heap.path }}', '/proc/{{pid}}/maps', '{{ ratio }}', '{{ live }}', '{{big}}'], scope)).toEqual({
      ok: true,
      argv: ['go', 'tool', 'pprof', '-top', '/s/before.pb.gz', '/proc/4242/maps', '0.5', 'true', '1e+21'],
      reads: { 'before.heap.path': '/s/before.pb.gz', pid: 4242, ratio: 0.5, live: true, big: 1e21 },
    });
  });

  it.each(PAYLOADS)('passes %j through byte for byte as one element', (payload) => {
    const result = renderArgv(['printf', '%s', '{{ payload }}', 'x{{ payload }}y'], scopeFrom([{ payload }]));
    expect(result).toEqual({ ok: true, argv: ['printf', '%s', payload, `x${payload}y`], reads: { payload } });
  });

  it('delivers payloads to a real process unchanged and unexecuted', () => {
    const marker = join(dir, 'pwned');
    for (const payload of [`$(touch ${marker})`, `; touch ${marker}`, `\`touch ${marker}\``, `x\ntouch ${marker}`]) {
      const result = renderArgv(['printf', '%s', '{{ payload }}'], scopeFrom([{ payload }]));
      if (!result.ok) throw new Error(result.error);
      const [program, ...args] = result.argv as [string, ...string[]];
      expect(execFileSync(program, args, { encoding: 'utf8' })).toBe(payload);
    }
    expect(existsSync(marker)).toBe(false);
  });

  it('refuses a value that would start an element with -', () => {
    expect(renderArgv(['rm', '{{ opt }}'], scope)).toEqual({
      ok: false,
      error: "value of 'opt' starts with '-': refused as a positional argument (put '--' before it if the program takes it)",
    });
    expect(renderArgv(['kill', '{{ neg }}'], scope).ok).toBe(false);
    expect(renderArgv(['ls', '{{ empty }}{{ opt }}'], scope).ok).toBe(false);
  });

  it('allows such a value after a literal --, or when a literal starts the element', () => {
    expect(renderArgv(['rm', '--', '{{ opt }}'], scope)).toMatchObject({ ok: true, argv: ['rm', '--', '-rf'] });
    expect(renderArgv(['grep', '-e{{ opt }}', './{{ opt }}'], scope)).toMatchObject({ ok: true, argv: ['grep', '-e-rf', './-rf'] });
    expect(renderArgv(['x', '{{ empty }}'], scope)).toMatchObject({ ok: true, argv: ['x', ''] });
  });

  it.each([
    [['{{ list }}'], "value of 'list' is an array: an argv element takes text, a number or true/false"],
    [['{{ obj }}'], "value of 'obj' is an object: an argv element takes text, a number or true/false"],
    [['{{ nothing }}'], "value of 'nothing' is null: an argv element takes text, a number or true/false"],
    [['cat', '{{ nul }}'], "value of 'nul' contains a NUL byte: refused"],
    [['cat', '{{ before.heap.size }}'], "unknown fact 'before.heap.size' ('before.heap' has: path)"],
    [['cat', '{{ pid'], "argv[1]: unclosed '{{': add '}}' after the name (at character 1)"],
  ])('refuses %j', (argv, message) => {
    expect(renderArgv(argv, scope)).toEqual({ ok: false, error: message });
  });
});

describe('renderText', () => {
  it('renders values as text and arrays or objects as JSON', () => {
    expect(renderText('PID {{ pid }} in {{session.dir}}: {{ list }} {{ obj }} {{ nothing }} {{ opt }}', scope)).toEqual({
      ok: true,
      text: 'PID 4242 in /state/s1: [1] {"a":1} null -rf',
    });
  });

  it('makes a missing value an error that names it, never "undefined"', () => {
    expect(renderText('heap at {{ before.heap.pathh }}', scope)).toEqual({
      ok: false,
      error: "unknown fact 'before.heap.pathh' ('before.heap' has: path)",
    });
  });
});

describe('renderProse (conclusion and remediation text)', () => {
  it('writes a negative number with a minus sign, never a hyphen a reader takes for a placeholder', () => {
    const deltas = scopeFrom([{ fell: -1, small: -0.1, zero: -0, rose: 2.5, text: '-1 from a parser', ids: [-1] }]);
    expect(renderProse('RSS {{ fell }} MiB, heap {{ small }} MiB, {{ zero }}, +{{ rose }}; {{ text }} {{ ids }}', deltas)).toEqual({
      ok: true,
      text: 'RSS \u22121 MiB, heap \u22120.1 MiB, 0, +2.5; -1 from a parser \u22121',
    });
    // Text that is parsed back (argv, key numbers, URLs) keeps ASCII.
    expect(renderText('{{ fell }}', deltas)).toEqual({ ok: true, text: '-1' });
  });

  it('reads true/false as yes/no, a fact nothing was read for as "not read" and a list as its items, never a placeholder', () => {
    const facts = scopeFrom([{ grew: true, flat: false, pid: null, sites: ['main.leak', 'cgo.alloc'], deltas: [3, -2], none: [], raw: { a: 1 } }]);
    expect(renderProse('grew: {{ grew }}, flat: {{ flat }}, pid {{ pid }}; at {{ sites }}; by {{ deltas }}; {{ none }}; {{ raw }}', facts)).toEqual({
      ok: true,
      text: 'grew: yes, flat: no, pid not read; at main.leak, cgo.alloc; by 3, \u22122; none; {"a":1}',
    });
    // Text read back by a program keeps the values as written.
    expect(renderText('{{ grew }} {{ pid }} {{ sites }}', facts)).toEqual({ ok: true, text: 'true null ["main.leak","cgo.alloc"]' });
    // The runbook tests' placeholder check still catches a null where a number belongs.
    const typical = renderProse('p50 {{ pid }} ms over {{ pid }} cycles', facts);
    expect(typical.ok && typical.text).toMatch(PLACEHOLDER);
    expect('the pause history was not read (timeout); heap were not read').not.toMatch(PLACEHOLDER);
  });

  it('reports a missing value as renderText does', () => {
    expect(renderProse('{{ nope }}', scope)).toMatchObject({ ok: false, error: expect.stringContaining("unknown fact 'nope'") });
  });
});

describe('renderOptions (parse_options)', () => {
  it('a value that is one whole template is the fact itself; in other text it renders as text; the rest as written', () => {
    expect(renderOptions({ sites: '{{ list }}', one: '{{ obj }}', n: '{{ pid }}', label: 'pid {{ pid }} of {{ list }}', top: 5, pattern: 'a{2}', nested: { x: '{{ pid }}' } }, scope)).toEqual({
      ok: true,
      options: { sites: [1], one: { a: 1 }, n: 4242, label: 'pid 4242 of [1]', top: 5, pattern: 'a{2}', nested: { x: '{{ pid }}' } },
    });
  });

  it('names the option and the missing fact', () => {
    const result = renderOptions({ sites: '{{ after.heap_diff.alloc_sites }}' }, scope);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toMatch(/^parse_options\.sites: unknown fact 'after/);
  });
});
