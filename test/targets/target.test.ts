// Target URLs: every accepted form, and every shape that could become an option or shell
// syntax refused with a UserError that says how to write it.
import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import { parseTarget } from '../../src/targets/target.js';

describe('parseTarget', () => {
  it.each([
    ['local', { kind: 'local', url: 'local' }],
    ['', { kind: 'local', url: 'local' }],
    ['ssh://app-1.internal', { kind: 'ssh', url: 'ssh://app-1.internal', host: 'app-1.internal' }],
    ['ssh://deploy@10.0.0.7:2222', { kind: 'ssh', url: 'ssh://deploy@10.0.0.7:2222', host: '10.0.0.7', user: 'deploy', port: 2222 }],
    ['ssh://root@[::1]:22', { kind: 'ssh', url: 'ssh://root@[::1]:22', host: '::1', user: 'root', port: 22 }],
    ['ssh://[fe80::1]', { kind: 'ssh', url: 'ssh://[fe80::1]', host: 'fe80::1' }],
    ['ssh://host_1/', { kind: 'ssh', url: 'ssh://host_1/', host: 'host_1' }],
    ['ssh://h:65535', { kind: 'ssh', url: 'ssh://h:65535', host: 'h', port: 65535 }],
    ['kubectl://payments/api-7d9f', { kind: 'kubectl', url: 'kubectl://payments/api-7d9f', namespace: 'payments', pod: 'api-7d9f' }],
    ['kubectl://prod/payments/api-7d9f', { kind: 'kubectl', url: 'kubectl://prod/payments/api-7d9f', context: 'prod', namespace: 'payments', pod: 'api-7d9f' }],
    [
      'kubectl://prod/payments/api-7d9f/app',
      { kind: 'kubectl', url: 'kubectl://prod/payments/api-7d9f/app', context: 'prod', namespace: 'payments', pod: 'api-7d9f', container: 'app' },
    ],
    ['kubectl:///payments/api-7d9f/app', { kind: 'kubectl', url: 'kubectl:///payments/api-7d9f/app', namespace: 'payments', pod: 'api-7d9f', container: 'app' }],
    [
      'kubectl://arn:aws:eks:eu-west-1:123456789012:cluster%2Fprod/default/web-0',
      {
        kind: 'kubectl',
        url: 'kubectl://arn:aws:eks:eu-west-1:123456789012:cluster%2Fprod/default/web-0',
        context: 'arn:aws:eks:eu-west-1:123456789012:cluster/prod',
        namespace: 'default',
        pod: 'web-0',
      },
    ],
    ['kubectl://admin@kind-kind/kube-system/etcd-0', { kind: 'kubectl', url: 'kubectl://admin@kind-kind/kube-system/etcd-0', context: 'admin@kind-kind', namespace: 'kube-system', pod: 'etcd-0' }],
  ])('accepts %j', (url, expected) => {
    expect(parseTarget(url)).toEqual(expected);
  });

  it.each([
    ['ssh://-oProxyCommand=touch /tmp/x', /whitespace/],
    ['ssh://-oProxyCommand=touch%20x', /not a host name/],
    ['ssh://-p22', /not a host name/],
    ['ssh://-lroot@host', /not a user name/],
    ['ssh://host;rm', /not a host name/],
    ['ssh://ho$(id)st', /not a host name/],
    ['ssh://ho`id`st', /not a host name/],
    ["ssh://ho'st", /not a host name/],
    ['ssh://ho"st', /not a host name/],
    ['ssh://ho st', /whitespace/],
    ['ssh://host\n', /whitespace/],
    ['ssh://ho\u001bst', /control/],
    ['ssh://user name@host', /whitespace/],
    ['ssh://us;er@host', /not a user name/],
    ['ssh://host/path', /not a host name/],
    ['ssh://', /no host/],
    ['ssh://@host', /not a user name/],
    ['ssh://host:0', /not a port/],
    ['ssh://host:65536', /not a port/],
    ['ssh://host:22x', /not a port/],
    ['ssh://host:-1', /not a port/],
    ['ssh://host:', /not a port/],
    ['ssh://[::1', /IPv6/],
    ['ssh://[::1;id]', /IPv6/],
    ['ssh://[::1]x', /unexpected/],
    ['kubectl://ns', /2 to 4 parts/],
    ['kubectl://a/b/c/d/e', /2 to 4 parts/],
    ['kubectl://ns//pod', /2 to 4 parts/],
    ['kubectl://-n/pod', /namespace/],
    ['kubectl://ns/-it', /pod/],
    ['kubectl://ns/Pod', /pod/],
    ['kubectl://ns/pod;id', /pod/],
    ['kubectl://ns/pod$(id)', /pod/],
    ['kubectl://ctx/ns/pod/-c', /container/],
    ['kubectl://--kubeconfig=x/ns/pod', /context/],
    ['kubectl://ctx%2F--x/ns/pod', /context/],
    ['kubectl://ctx%zz/ns/pod', /%-escape/],
    ['kubectl://c;tx/ns/pod', /context/],
    ['http://host', /unknown kind/],
    ['ssh:/host', /unknown kind/],
    ['host', /unknown kind/],
  ])('refuses %j', (url, message) => {
    let error: unknown;
    try {
      parseTarget(url);
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).message).toMatch(message);
    expect((error as UserError).hint).toMatch(/write it as|e\.g\./);
  });

  it('shows control characters escaped in the message', () => {
    expect(() => parseTarget('ssh://a\u001b[2Jb')).toThrow(/\\u001b\[2Jb/);
  });
});
