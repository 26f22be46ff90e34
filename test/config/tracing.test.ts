import { environments, loadEnvironments } from '../../config';
import { checkTracingStorage } from '../../config/schema/tracing';
import { problemsOf, registryWith } from '../support/config';

describe('tracing config', () => {
  test('every environment has tracing; the platform standard 0.1 at the head outside dev, everything in dev', () => {
    const [dev, staging, prod] = loadEnvironments(environments);
    expect(dev.tracing.sampling.defaultRatio).toBe(1);
    expect(staging.tracing.sampling.defaultRatio).toBe(0.1);
    expect(prod.tracing.sampling.defaultRatio).toBe(0.1);
  });

  test('the default ratio, when left out, is the platform standard 0.1', () => {
    const registry = registryWith('dev', (e) => delete e.tracing.sampling);
    expect(loadEnvironments(registry, ['dev'])[0].tracing.sampling.defaultRatio).toBe(0.1);
  });

  test('staging and prod autoscale the tail-sampling tier from 2 pods (load-balanced, with a PDB)', () => {
    const [, staging, prod] = loadEnvironments(environments);
    for (const env of [staging, prod]) expect(env.tracing.tailSampling.minReplicas).toBeGreaterThanOrEqual(2);
  });

  const cases: [string, Record<string, unknown>, string[]][] = [
    ['a sampling ratio above 1', registryWith('prod', (e) => (e.tracing.sampling.defaultRatio = 1.5)), ['environments.prod.tracing.sampling.defaultRatio (1.5) must be a number from 0 to 1']],
    [
      'a negative per-service ratio',
      registryWith('staging', (e) => (e.tracing.sampling.services[0].ratio = -0.5)),
      ['environments.staging.tracing.sampling.services[0].ratio (-0.5) must be a number from 0 to 1'],
    ],
    [
      'an override naming a service that is no app of the environment',
      registryWith('prod', (e) => (e.tracing.sampling.services[0].service = 'paymnets')),
      ["environments.prod.tracing.sampling.services[0].service ('paymnets') is not an app of this environment; known apps: api, payments, analytics, notifications"],
    ],
    [
      'an override with both a ratio and a rate limit',
      registryWith('prod', (e) => (e.tracing.sampling.services[1].ratio = 0.5)),
      ["environments.prod.tracing.sampling.services[1] ({\"service\":\"analytics\",\"tracesPerSecond\":2,\"ratio\":0.5}) must set exactly one of 'ratio' (probabilistic) or 'tracesPerSecond' (rate-limited)"],
    ],
    [
      'a retention of zero',
      registryWith('staging', (e) => (e.tracing.storage = { kind: 'elasticsearch', retentionDays: 0 })),
      ['environments.staging.tracing.storage.retentionDays (0) must be an integer from 1 to 3650'],
    ],
    [
      'more than one Jaeger pod with memory storage',
      registryWith('dev', (e) => (e.tracing.jaeger.maxReplicas = 2)),
      ['environments.dev.tracing.jaeger.maxReplicas (2) must be 1 with memory storage: each pod would keep (and show) a different part of the traces'],
    ],
    [
      'a tail tier keeping more than 100 %',
      registryWith('dev', (e) => (e.tracing.tailSampling.keepPercent = 120)),
      ['environments.dev.tracing.tailSampling.keepPercent (120) must be a number from 0 to 100'],
    ],
    [
      'no memory limit for the tail tier',
      registryWith('dev', (e) => delete e.tracing.tailSampling.resources.limits),
      ['environments.dev.tracing.tailSampling.resources.limits.memory (undefined) must be set: the memory limiter works from it'],
    ],
  ];

  test.each(cases)('fails on %s', (_what, registry, expected) => {
    expect(problemsOf(registry)).toEqual(expected);
  });

  test('Elasticsearch storage where the environment has no Elasticsearch is a config error naming environment and field', () => {
    const staging = loadEnvironments(registryWith('staging', (e) => (e.tracing.storage = { kind: 'elasticsearch', retentionDays: 7 })), ['staging'])[0];
    expect(() => checkTracingStorage('staging', staging.tracing, false)).toThrow(
      "config error: environments.staging.tracing.storage.kind ('elasticsearch') needs the logging component's Elasticsearch, and this environment has none: enable logging in this environment or use { kind: 'memory' }",
    );
    expect(() => checkTracingStorage('staging', staging.tracing, true)).not.toThrow();
  });

  test('memory storage needs no Elasticsearch', () => {
    const dev = loadEnvironments(environments, ['dev'])[0];
    expect(() => checkTracingStorage('dev', dev.tracing, false)).not.toThrow();
  });
});
