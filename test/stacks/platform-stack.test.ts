/**
 * `platform-<env>` wiring: what must exist before what, per environment.
 */
import { synthAll } from '../support/synth';

function releases(env: string): Record<string, any> {
  const stack = synthAll().stack(`platform-${env}`);
  return Object.fromEntries(Object.values(stack.resource.helm_release as Record<string, any>).map((r) => [r.name, r]));
}

function addressesOf(env: string, type: string): string[] {
  const stack = synthAll().stack(`platform-${env}`);
  return Object.keys(stack.resource[type] ?? {}).map((name) => `${type}.${name}`);
}

describe.each(['dev', 'staging', 'prod'])('platform-%s', (env) => {
  test('kube-prometheus-stack waits for metrics-server and for its namespace', () => {
    const deps: string[] = releases(env)['kube-prometheus-stack'].depends_on;
    expect(deps.some((d) => d.startsWith('helm_release.') && d.includes('metrics-server'))).toBe(true);
    expect(deps.some((d) => d.startsWith('kubernetes_namespace_v1.') && d.includes('monitoring'))).toBe(true);
  });

  test('every namespace carries Pod Security labels', () => {
    const stack = synthAll().stack(`platform-${env}`);
    for (const ns of Object.values(stack.resource.kubernetes_namespace_v1 as Record<string, any>)) {
      expect(ns.metadata.labels['pod-security.kubernetes.io/enforce']).toMatch(/^(restricted|baseline|privileged)$/);
      expect(ns.metadata.labels['pod-security.kubernetes.io/warn']).toBe('restricted');
    }
  });
});

describe.each(['staging', 'prod'])('platform-%s on EKS', (env) => {
  test('kube-prometheus-stack waits for the default StorageClass its volume claims need', () => {
    const storageClasses = addressesOf(env, 'kubernetes_storage_class_v1');
    expect(storageClasses).toHaveLength(1);
    expect(releases(env)['kube-prometheus-stack'].depends_on).toContain(storageClasses[0]);
  });
});

test('dev (a local cluster with its own storage) gets no StorageClass and no cluster autoscaler', () => {
  expect(addressesOf('dev', 'kubernetes_storage_class_v1')).toEqual([]);
  expect(releases('dev')['cluster-autoscaler']).toBeUndefined();
});
