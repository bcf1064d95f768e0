// The pure halves of --fleet resolution, on JSON shaped like the API's own objects.
import { describe, expect, it } from 'vitest';
import { podTargets } from '../../src/fleet/pod-targets.js';
import { workloadSelector } from '../../src/fleet/workload-selector.js';

interface PodShape {
  name: string;
  phase?: string;
  containers?: string[];
  defaultContainer?: string;
  deleting?: string;
  statuses?: Array<{ name: string; ready: boolean; state: Record<string, unknown> }>;
}

/** A pod as `kubectl get pods -o json` lists it (fields the reader ignores included). */
function pod(shape: PodShape): Record<string, unknown> {
  const containers = shape.containers ?? ['app'];
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: shape.name,
      namespace: 'payments',
      uid: '6f1c1c1e-0000-4000-8000-000000000000',
      labels: { app: 'payments', 'pod-template-hash': '7d9f8b' },
      ...(shape.defaultContainer !== undefined ? { annotations: { 'kubectl.kubernetes.io/default-container': shape.defaultContainer } } : {}),
      ...(shape.deleting !== undefined ? { deletionTimestamp: shape.deleting, deletionGracePeriodSeconds: 30 } : {}),
    },
    spec: { containers: containers.map((name) => ({ name, image: `registry/${name}:1.2` })), nodeName: 'node-a' },
    status: {
      phase: shape.phase ?? 'Running',
      podIP: '10.0.0.7',
      containerStatuses:
        shape.statuses ?? containers.map((name) => ({ name, ready: true, restartCount: 0, state: { running: { startedAt: '2026-12-07T10:00:00Z' } } })),
    },
  };
}

const list = (...pods: Record<string, unknown>[]) => ({ apiVersion: 'v1', kind: 'List', items: pods, metadata: { resourceVersion: '' } });

describe('pods JSON → targets', () => {
  it('a Running pod is a target on its first container, in the URL form --target takes', () => {
    const result = podTargets(list(pod({ name: 'api-7d9f8b-x2k4' })), { namespace: 'payments', context: 'prod' });
    expect(result.targets).toEqual([{ kind: 'kubectl', url: 'kubectl://prod/payments/api-7d9f8b-x2k4/app', namespace: 'payments', pod: 'api-7d9f8b-x2k4', context: 'prod', container: 'app' }]);
    expect(result.undiagnosable).toEqual([]);
  });

  it('the default-container annotation picks among several, a container= flag over both', () => {
    const pods = list(pod({ name: 'a', containers: ['istio-proxy', 'app'], defaultContainer: 'app' }), pod({ name: 'b', containers: ['istio-proxy', 'app'] }));
    expect(podTargets(pods, { namespace: 'payments' }).targets.map((t) => t.url)).toEqual(['kubectl:///payments/a/app', 'kubectl:///payments/b/istio-proxy']);
    expect(podTargets(pods, { namespace: 'payments', container: 'app' }).targets.map((t) => t.url)).toEqual(['kubectl:///payments/a/app', 'kubectl:///payments/b/app']);
    expect(podTargets(pods, { namespace: 'payments', container: 'sidecar' }).undiagnosable).toEqual([
      { target: 'kubectl:///payments/a/sidecar', reason: 'has no container sidecar (its containers: istio-proxy, app)' },
      { target: 'kubectl:///payments/b/sidecar', reason: 'has no container sidecar (its containers: istio-proxy, app)' },
    ]);
  });

  it('Pending, Terminating and a container not running are recorded with why; not ready still runs', () => {
    const result = podTargets(
      list(
        pod({ name: 'pending', phase: 'Pending', statuses: [{ name: 'app', ready: false, state: { waiting: { reason: 'ImagePullBackOff' } } }] }),
        pod({ name: 'leaving', deleting: '2026-12-07T10:05:00Z' }),
        pod({ name: 'crashing', statuses: [{ name: 'app', ready: false, state: { waiting: { reason: 'CrashLoopBackOff' } } }] }),
        pod({ name: 'warming', statuses: [{ name: 'app', ready: false, state: { running: { startedAt: '2026-12-07T10:00:00Z' } } }] }),
      ),
      { namespace: 'payments' },
    );
    expect(result.undiagnosable).toEqual([
      { target: 'kubectl:///payments/pending/app', reason: 'pod is Pending (ImagePullBackOff): no process to examine' },
      { target: 'kubectl:///payments/leaving/app', reason: 'terminating (deletion requested at 2026-12-07T10:05:00Z)' },
      { target: 'kubectl:///payments/crashing/app', reason: 'container app is not running (CrashLoopBackOff)' },
    ]);
    expect(result.targets.map((t) => t.url)).toEqual(['kubectl:///payments/warming/app']);
    expect(result.warnings).toEqual(['kubectl:///payments/warming/app: container app is running but not ready']);
  });

  it('keeps the API server’s free-text status fields on one line, so none can fake a progress line', () => {
    const fake = 'x\n[ssh://db] ✓ concluded\r\u2028ok';
    const result = podTargets(
      list(
        pod({ name: 'pending', phase: `Pending\n${fake}`, statuses: [{ name: 'app', ready: false, state: { waiting: { reason: fake } } }] }),
        pod({ name: 'crashing', statuses: [{ name: 'app', ready: false, state: { terminated: { reason: fake } } }] }),
      ),
      { namespace: 'payments' },
    );
    expect(result.undiagnosable).toHaveLength(2);
    for (const { reason } of result.undiagnosable) {
      expect(reason).not.toMatch(/[\n\r\u2028]/);
      expect(reason).toContain('x [ssh://db] ✓ concluded ok');
    }
  });

  it.each([null, 'text', 42, [], {}, { items: 'x' }, { items: [null, 7, { metadata: {} }, { metadata: { name: 'n' } }] }])('any JSON gives a result, never a throw: %j', (json) => {
    const result = podTargets(json, { namespace: 'payments' });
    expect(result.targets).toEqual([]);
  });
});

describe('a workload selector → kubectl -l', () => {
  it('matchLabels AND matchExpressions, every operator', () => {
    const deployment = {
      kind: 'Deployment',
      metadata: { name: 'api' },
      spec: {
        replicas: 3,
        selector: {
          matchLabels: { app: 'payments', 'app.kubernetes.io/part-of': 'billing' },
          matchExpressions: [
            { key: 'tier', operator: 'In', values: ['web', 'api'] },
            { key: 'track', operator: 'NotIn', values: ['canary'] },
            { key: 'team', operator: 'Exists' },
            { key: 'legacy', operator: 'DoesNotExist' },
          ],
        },
      },
    };
    expect(workloadSelector(deployment, 'deployment payments/api')).toEqual({
      ok: true,
      selector: 'app=payments,app.kubernetes.io/part-of=billing,tier in (web,api),track notin (canary),team,!legacy',
    });
  });

  it.each([
    [{ spec: {} }, /has no spec.selector/],
    [{ spec: { selector: {} } }, /empty selector/],
    [{ spec: { selector: { matchLabels: { app: '$(id)' } } } }, /is not a label/],
    [{ spec: { selector: { matchExpressions: [{ key: 'a', operator: 'Gt', values: ['1'] }] } } }, /operator "Gt"/],
    [{ spec: { selector: { matchExpressions: [{ key: 'a', operator: 'In', values: [] }] } } }, /In has no values/],
    [null, /has no spec.selector/],
  ])('a selector that cannot be used says why: %j', (json, reason) => {
    const result = workloadSelector(json, 'deployment x/y');
    expect(result.ok).toBe(false);
    expect(!result.ok && result.reason).toMatch(reason);
  });
});
