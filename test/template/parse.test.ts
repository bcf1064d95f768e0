import { describe, expect, it } from 'vitest';
import { BUILTIN_PATHS, parseTemplate, templatePaths } from '../../src/template/index.js';

describe('parseTemplate', () => {
  it('splits text into literals and dotted paths, with or without spaces inside the braces', () => {
    expect(parseTemplate('/proc/{{ pid }}/maps')).toEqual({ ok: true, parts: [{ literal: '/proc/' }, { path: 'pid' }, { literal: '/maps' }] });
    expect(parseTemplate('{{before.heap.path}}{{session.dir}}')).toEqual({
      ok: true,
      parts: [{ path: 'before.heap.path' }, { path: 'session.dir' }],
    });
    expect(parseTemplate('{{  go-heap.artifact\t}}')).toEqual({ ok: true, parts: [{ path: 'go-heap.artifact' }] });
    expect(parseTemplate('no templates } here }}')).toEqual({ ok: true, parts: [{ literal: 'no templates } here }}' }] });
    expect(parseTemplate('')).toEqual({ ok: true, parts: [] });
  });

  it('reads \\{{ as a literal {{, so Go templates can reach a tool', () => {
    expect(parseTemplate('-f=\\{{.Dir}} {{ pid }}')).toEqual({ ok: true, parts: [{ literal: '-f={{.Dir}} ' }, { path: 'pid' }] });
    expect(parseTemplate('\\{{\\{{ .State.Pid }}')).toEqual({ ok: true, parts: [{ literal: '{{{{ .State.Pid }}' }] });
  });

  it.each([
    ['kill {{ pid', "unclosed '{{'", 5],
    ['a {{ }} b', "empty '{{ }}'", 2],
    ['{{ pid + 1 }}', "'pid + 1' is not a name", 3],
    ['{{ a..b }}', "'a..b' is not a name", 5],
    ['x{{ a.$(id) }}', "'a.$(id)' is not a name", 6],
    ['{{ {{ pid }} }}', "'{{ pid' is not a name", 3],
    ['{{ 1pid }}', "'1pid' is not a name", 3],
  ])('%j is an error', (text, message, offset) => {
    const parsed = parseTemplate(text);
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.error.message).toContain(message);
    expect(parsed.error.offset).toBe(offset);
  });
});

describe('templatePaths', () => {
  it('lists each path once in order, and nothing for a broken template', () => {
    expect(templatePaths('{{ a }} {{ b.c }} {{ a }}')).toEqual(['a', 'b.c']);
    expect(templatePaths('{{ a }} {{')).toEqual([]);
  });
});

describe('BUILTIN_PATHS', () => {
  it('are the names the engine provides', () => {
    expect(BUILTIN_PATHS).toEqual(['session.id', 'session.dir', 'session.host', 'runbook.id', 'target']);
  });
});
