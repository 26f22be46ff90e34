/**
 * `platform-<env>` wiring: what must exist before what, per environment.
 */
import { environments, loadEnvironments } from '../../config';
import { ENVIRONMENTS, synthAll } from '../support/synth';

/** From the registry: environments on EKS, and those on a cluster reached by kubeconfig (kind, k3d, ...). */
const configs = loadEnvironments(environments);
const EKS = configs.filter((c) => c.cluster.kind === 'eks').map((c) => c.name);
const LOCAL = configs.filter((c) => c.cluster.kind === 'kubeconfig').map((c) => c.name);

function releases(env: string): Record<string, any> {
  const stack = synthAll().stack(`platform-${env}`);
  return Object.fromEntries(Object.values(stack.resource.helm_release as Record<string, any>).map((r) => [r.name, r]));
}

function addressesOf(env: string, type: string): string[] {
  const stack = synthAll().stack(`platform-${env}`);
  return Object.keys(stack.resource[type] ?? {}).map((name) => `${type}.${name}`);
}

describe.each(ENVIRONMENTS)('platform-%s', (env) => {
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

describe.each(EKS)('platform-%s on EKS', (env) => {
  test('kube-prometheus-stack waits for the default StorageClass its volume claims need', () => {
    const storageClasses = addressesOf(env, 'kubernetes_storage_class_v1');
    expect(storageClasses).toHaveLength(1);
    expect(releases(env)['kube-prometheus-stack'].depends_on).toContain(storageClasses[0]);
  });
});

test('the registry has environments of both kinds, so neither block above is empty', () => {
  expect(EKS.length).toBeGreaterThan(0);
  expect(LOCAL.length).toBeGreaterThan(0);
});

describe.each(LOCAL)('platform-%s on a kubeconfig cluster', (env) => {
  test('a local cluster with its own storage gets no StorageClass and no cluster autoscaler', () => {
    expect(addressesOf(env, 'kubernetes_storage_class_v1')).toEqual([]);
    expect(releases(env)['cluster-autoscaler']).toBeUndefined();
  });
});
