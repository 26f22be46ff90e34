/**
 * The tracing component's Terraform side: config -> TailSampler props (stacks/tracing.ts), and what platform-<env>
 * holds (the `tracing` namespace, restricted; the tail-sampling release after it).
 */
import { parse } from 'yaml';
import { environments, loadEnvironments } from '../../config';
import { tailSamplerProps } from '../../stacks/tracing';
import { synthAll } from '../support/synth';

const ENVS = loadEnvironments(environments);

describe.each(ENVS.map((e) => [e.name, e] as const))('platform-%s tracing', (envName, env) => {
  const stack = synthAll().stack(`platform-${envName}`);
  const release = Object.values<any>(stack.resource.helm_release).find((r) => r.name === 'otel-tail-sampler');
  const namespace = Object.entries<any>(stack.resource.kubernetes_namespace_v1).find(([, ns]) => ns.metadata.name === 'tracing');

  test('has the tracing namespace, enforcing the restricted Pod Security level', () => {
    expect(namespace).toBeDefined();
    expect(namespace![1].metadata.labels['pod-security.kubernetes.io/enforce']).toBe('restricted');
  });

  test('installs the tail-sampling tier into it, after the namespace exists', () => {
    expect(release).toMatchObject({ namespace: 'tracing', chart: 'opentelemetry-collector' });
    expect(release.depends_on).toContain(`kubernetes_namespace_v1.${namespace![0]}`);
  });

  test("maps the environment's tailSampling config to the release", () => {
    const t = env.tracing.tailSampling;
    const values = parse(release.values[0]);
    const policies = values.alternateConfig.processors.tail_sampling.policies;
    expect(policies.find((p: any) => p.type === 'latency').latency.threshold_ms).toBe(t.latencyThresholdMs);
    expect(policies.find((p: any) => p.type === 'probabilistic').probabilistic.sampling_percentage).toBe(t.keepPercent);
    expect(values.alternateConfig.processors.tail_sampling.decision_wait).toBe(`${t.decisionWaitSeconds}s`);
    expect(values.replicaCount).toBe(t.minReplicas);
    expect(values.resources).toEqual(t.resources);
    expect(values.podLabels).toEqual({ 'platform.example.com/environment': envName });
    expect(tailSamplerProps(env).jaegerEndpoint).toBe('jaeger-collector.tracing.svc.cluster.local:4317');
  });
});
