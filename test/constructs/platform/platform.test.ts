import { Testing } from 'cdktf';
import { parse } from 'yaml';
import { MetricsServer } from '../../../constructs/platform/metrics-server';
import { PodSecurityNamespace } from '../../../constructs/platform/pod-security-namespace';

describe('PodSecurityNamespace', () => {
  function labels(props: Partial<ConstructorParameters<typeof PodSecurityNamespace>[2]>) {
    const json = JSON.parse(Testing.synthScope((s) => void new PodSecurityNamespace(s, 'ns', { name: 'apps', ...props })));
    return (Object.values(json.resource.kubernetes_namespace_v1)[0] as any).metadata.labels;
  }

  test('enforces the restricted level by default, labelled as managed by terraform', () => {
    expect(labels({})).toEqual({
      'kubernetes.io/metadata.name': 'apps',
      'app.kubernetes.io/managed-by': 'terraform',
      'pod-security.kubernetes.io/enforce-version': 'latest',
      'pod-security.kubernetes.io/enforce': 'restricted',
      'pod-security.kubernetes.io/audit': 'restricted',
      'pod-security.kubernetes.io/warn': 'restricted',
    });
  });

  test('enforces a weaker level when asked, still auditing and warning against restricted', () => {
    expect(labels({ enforce: 'privileged', labels: { team: 'sre' } })).toMatchObject({
      'pod-security.kubernetes.io/enforce': 'privileged',
      'pod-security.kubernetes.io/warn': 'restricted',
      team: 'sre',
    });
  });

  test('fails on a name that is not a DNS label', () => {
    expect(() => labels({ name: 'Apps' })).toThrow("[stack/ns] 'name' ('Apps') must be a DNS label");
  });
});

describe('MetricsServer', () => {
  function values(props: ConstructorParameters<typeof MetricsServer>[2] = {}) {
    const json = JSON.parse(Testing.synthScope((s) => void new MetricsServer(s, 'ms', props)));
    const release = Object.values(json.resource.helm_release)[0] as any;
    return { release, values: parse(release.values[0]) };
  }

  test('defaults to two replicas on separate nodes with a disruption budget, verifying kubelet TLS', () => {
    const { release, values: v } = values();
    expect(release.namespace).toBe('kube-system');
    expect(v.replicas).toBe(2);
    expect(v.args).toEqual([]);
    expect(v.podDisruptionBudget).toEqual({ enabled: true, minAvailable: 1 });
    expect(v.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].topologyKey).toBe('kubernetes.io/hostname');
    expect(v.resources.requests).toEqual({ cpu: '100m', memory: '200Mi' });
  });

  test('one replica gets no budget and no anti-affinity; local clusters skip kubelet TLS verification', () => {
    const { values: v } = values({ replicas: 1, kubeletInsecureTls: true });
    expect(v.podDisruptionBudget.enabled).toBe(false);
    expect(v.affinity).toEqual({});
    expect(v.args).toEqual(['--kubelet-insecure-tls']);
  });

  test('fails on a replica count out of range', () => {
    expect(() => values({ replicas: 0 })).toThrow("[stack/ms] 'replicas' (0) must be an integer from 1 to 5");
  });
});
