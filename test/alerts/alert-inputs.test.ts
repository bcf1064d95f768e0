// An alert's labels fill a runbook's inputs as text: hostile label values become exactly the
// input's value (no second expansion of {{ }}), reach a command as one whole argv element and
// PromQL only as one escaped string literal; a missing label names those there are.
import { describe, expect, it } from 'vitest';
import { alertInputs } from '../../src/alerts/alert-inputs.js';
import { convertInput } from '../../src/engine/inputs.js';
import type { Alert } from '../../src/alerts/payload.js';
import { scopeFrom } from '../../src/expr/scope.js';
import { renderArgv, renderPromql } from '../../src/template/index.js';

const HOSTILE = ['$(touch /tmp/pwned)', '; rm -rf ~', '`id`', '"}or vector(1) or up{x="', 'a\\"b\\', 'line\nbreak', '{{ labels.other }}', "' OR 1=1 --", 'ünïcødé 🙂', 'tab\there'];

const runbook = { id: 'r', match: { alertname: 'A', inputs: { job: '{{ labels.job }}', pid: 'name:{{ labels.job }}', pprof: 'http://{{ labels.instance }}/x', note: '{{ annotations.summary }} ({{ labels.job }})' } } };
const alert = (job: string): Alert => ({ name: 'A', labels: { alertname: 'A', job, instance: '10.0.0.1:8080', other: 'EXPANDED' }, annotations: { summary: 'grows' }, starts_at: '2026-12-07T14:00:00.000Z' });

describe('alertInputs', () => {
  it('fills each input from its template', () => {
    expect(alertInputs(runbook, alert('payments-api'))).toEqual({
      ok: true,
      vars: { job: 'payments-api', pid: 'name:payments-api', pprof: 'http://10.0.0.1:8080/x', note: 'grows (payments-api)' },
    });
  });

  it.each(HOSTILE)('a hostile job label %j stays the exact text: one argv element, one PromQL string literal', (value) => {
    const filled = alertInputs(runbook, alert(value));
    expect(filled.ok).toBe(true);
    if (!filled.ok) return;
    expect(filled.vars['job']).toBe(value);
    expect(filled.vars['pid']).toBe(`name:${value}`);
    const scope = scopeFrom([filled.vars]);
    const argv = renderArgv(['grep', '-F', '--', '{{ job }}', '/var/log/app.log'], scope);
    expect(argv).toEqual({ ok: true, argv: ['grep', '-F', '--', value, '/var/log/app.log'], reads: { job: value } });
    const promql = renderPromql('process_resident_memory_bytes{job="{{ job }}"}', scope);
    expect(promql.ok).toBe(true);
    // The value sits between the one pair of quotes, every quote and backslash in it escaped.
    const literal = promql.ok ? /^process_resident_memory_bytes\{job="((?:[^"\\]|\\.)*)"\}$/.exec(promql.text)?.[1] : undefined;
    expect(literal, promql.ok ? promql.text : '').toBeDefined();
    expect(JSON.parse(`"${literal!.replace(/\\x([0-9a-f]{2})/gi, '\\u00$1')}"`)).toBe(value);
  });

  it('names the labels the alert has when a template needs one it lacks', () => {
    const filled = alertInputs({ id: 'r', match: { inputs: { target: 'kubectl://{{ labels.namespace }}/{{ labels.pod }}' } } }, alert('api'));
    expect(filled).toEqual({ ok: false, error: expect.stringContaining("runbook r fills input target from alert A with \"kubectl://{{ labels.namespace }}/{{ labels.pod }}\":") });
    expect(!filled.ok && filled.error).toContain("the alert's labels are alertname, job, instance, other");
  });

  it('leaves an optional input unset when the alert lacks its label, and fills it when it has one', () => {
    const historyRunbook = {
      id: 'r',
      match: { inputs: { pid: 'name:{{ labels.job }}', instance: '{{ labels.instance }}' } },
      inputs: { pid: { type: 'pid' as const }, instance: { type: 'string' as const, optional: true } },
    };
    const aggregated: Alert = { ...alert('api'), labels: { alertname: 'A', job: 'api' } };
    expect(alertInputs(historyRunbook, aggregated)).toEqual({ ok: true, vars: { pid: 'name:api' } });
    expect(alertInputs(historyRunbook, alert('api'))).toEqual({ ok: true, vars: { pid: 'name:api', instance: '10.0.0.1:8080' } });
  });

  it('lets a label choose a host:port in a url or target input, never a path, a context or credentials', () => {
    const urlRunbook = {
      id: 'r',
      match: { inputs: { pprof: 'http://{{ labels.instance }}', target: 'kubectl://{{ labels.namespace }}/{{ labels.pod }}', job: '{{ labels.job }}' } },
      inputs: { pprof: { type: 'url' as const }, target: { type: 'target' as const }, job: { type: 'string' as const } },
    };
    const labelled = (labels: Record<string, string>): Alert => ({ ...alert('api'), labels: { alertname: 'A', job: 'a/b c', ...labels } });
    const fine = alertInputs(urlRunbook, labelled({ instance: '10.0.0.7:6060', namespace: 'payments', pod: 'api-7d9f-x2k4' }));
    expect(fine).toEqual({ ok: true, vars: { pprof: 'http://10.0.0.7:6060', target: 'kubectl://payments/api-7d9f-x2k4', job: 'a/b c' } });
    expect(new URL(fine.ok ? fine.vars['pprof']! : '').host).toBe('10.0.0.7:6060');
    for (const [instance, namespace] of [
      ['169.254.169.254/latest/meta-data#', 'prod-admin/kube-system'],
      ['evil@10.0.0.7:6060', 'ns?x'],
      ['10.0.0.7:6060\\@evil', 'ns#frag'],
      ['host name', 'ns%2Fother'],
    ]) {
      const filled = alertInputs(urlRunbook, labelled({ instance: instance!, namespace: namespace!, pod: 'api' }));
      expect(filled.ok).toBe(true);
      if (!filled.ok) continue;
      // The one place structure may come from is the template; the value is refused.
      expect(() => convertInput('pprof', { type: 'url' }, filled.vars['pprof']!), filled.vars['pprof']).toThrow(/is not a URL/);
      expect(() => convertInput('target', { type: 'target' }, filled.vars['target']!), filled.vars['target']).toThrow(/not a Kubernetes namespace name|expected 2 to 4 parts/);
    }
  });
});
