import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseFleetUrl } from '../../src/fleet/fleet-url.js';
import { readTargetsFile } from '../../src/fleet/targets-file.js';
import { UserError } from '../../src/errors.js';

describe('--fleet URLs', () => {
  it('name a workload, with or without a context and a container', () => {
    expect(parseFleetUrl('kubectl://payments/deployment/api')).toEqual({ kind: 'workload', url: 'kubectl://payments/deployment/api', namespace: 'payments', workload: 'deployment', name: 'api' });
    expect(parseFleetUrl('kubectl://prod-eu/payments/statefulset/db-0x?container=app')).toMatchObject({ context: 'prod-eu', namespace: 'payments', workload: 'statefulset', name: 'db-0x', container: 'app' });
    expect(parseFleetUrl('kubectl://arn:aws:eks:eu-west-1:1234:cluster%2Fprod/kube-system/daemonset/node-agent')).toMatchObject({ context: 'arn:aws:eks:eu-west-1:1234:cluster/prod', workload: 'daemonset' });
  });

  it('name pods by a label selector, whose own = , ! stay whole', () => {
    expect(parseFleetUrl('kubectl://payments?selector=app=payments,tier!=canary&container=app')).toEqual({
      kind: 'selector',
      url: 'kubectl://payments?selector=app=payments,tier!=canary&container=app',
      namespace: 'payments',
      selector: 'app=payments,tier!=canary',
      container: 'app',
    });
    expect(parseFleetUrl('kubectl://staging/payments?selector=env%20in%20(a,b)')).toMatchObject({ context: 'staging', namespace: 'payments', selector: 'env in (a,b)' });
  });

  it.each([
    ['ssh://host', /a fleet is a kubectl:\/\/ URL/],
    ['kubectl://payments/pod/api', /'pod' is not a workload kind/],
    ['kubectl://payments/deployment', /expected \[context\/\]namespace\/KIND\/NAME/],
    ['kubectl://Payments/deployment/api', /'Payments' is not a Kubernetes namespace name/],
    ['kubectl://payments/deployment/-oops', /'-oops' is not a Kubernetes deployment name/],
    ['kubectl://-ctx/payments/deployment/api', /not a context name/],
    ['kubectl://payments?selector=-l', /not a label selector/],
    ['kubectl://payments?selector=app=$(id)', /not a label selector/],
    ['kubectl://payments?selector=a=b&selector=c=d', /selector= is given twice/],
    ['kubectl://payments?selector=a=b&ns=x', /unknown parameter 'ns'/],
    ['kubectl://payments?container=app', /expected \[context\/\]namespace\/KIND\/NAME or a \?selector=/],
    ['kubectl://a/b/payments?selector=x', /names \[context\/\]namespace and nothing more/],
  ])('%s is refused with the fix', (url, problem) => {
    let error: unknown;
    try {
      parseFleetUrl(url);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).message).toMatch(problem);
    expect((error as UserError).hint).toMatch(/kubectl:\/\/\[context\/\]namespace/);
  });
});

describe('--targets FILE', () => {
  const file = (text: string): string => {
    const path = join(mkdtempSync(join(tmpdir(), 'runbook-targets-')), 'hosts');
    writeFileSync(path, text);
    return path;
  };

  it('reads one URL a line, skipping blanks and comments', async () => {
    const targets = await readTargetsFile(file('# payments hosts\nssh://deploy@app-1:2222\n\n  ssh://app-2  \r\nkubectl://prod/payments/api-1/app\n'));
    expect(targets.map((t) => t.url)).toEqual(['ssh://deploy@app-1:2222', 'ssh://app-2', 'kubectl://prod/payments/api-1/app']);
  });

  it.each([
    ['ssh://app-1\nssh://-oProxyCommand=x\n', /hosts:2: target 'ssh:\/\/-oProxyCommand=x': .*not a host name/],
    ['ssh://app-1\n\nftp://app-2\n', /hosts:3: .*unknown kind of target/],
    ['ssh://app-1\nssh://app-1\n', /hosts:2: ssh:\/\/app-1 is listed twice/],
    ['local\n', /hosts:1: 'local' is this host/],
    ['# nothing\n\n', /no target in it/],
  ])('a bad line is FILE:LINE with the fix', async (text, problem) => {
    await expect(readTargetsFile(file(text))).rejects.toThrow(problem);
  });

  it('a directory is a UserError naming it, not an internal error', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'runbook-targets-'));
    await expect(readTargetsFile(dir)).rejects.toThrow(new RegExp(`--targets ${dir}: is a directory`));
  });

  it('a line past the limit is refused at the limit, before the rest of it is read', async () => {
    await expect(readTargetsFile(file(`ssh://app-1\n${'x'.repeat(3_000_000)}`))).rejects.toThrow(/hosts:2: a line of more than 2048 characters is no target URL/);
    // An endless line: readline would buffer it until memory ran out.
    await expect(readTargetsFile('/dev/zero')).rejects.toThrow(/\/dev\/zero:1: a line of more than 2048 characters/);
  });

  it('a missing file is a UserError, not a stack trace', async () => {
    await expect(readTargetsFile('/nonexistent/hosts')).rejects.toThrow(/--targets \/nonexistent\/hosts: no such file/);
  });
});
