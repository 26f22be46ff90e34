import { App } from 'cdk8s';
import { redisCharts } from '../../charts/redis-chart';
import { environments, loadEnvironments } from '../../config';
import { registryWith } from '../support/config';

const byName = Object.fromEntries(loadEnvironments(environments).map((e) => [e.name, e]));

describe('redisCharts', () => {
  test('staging: Sentinel mode in namespace data, reachable from apps, scraped from monitoring', () => {
    const [chart] = redisCharts(new App(), byName.staging);
    const objects = chart.toJson();
    expect(new Set(objects.filter((o) => o.metadata.name !== 'redis-connection').map((o) => o.metadata.namespace))).toEqual(new Set(['data']));
    expect(objects.filter((o) => o.kind === 'StatefulSet').map((o) => [o.metadata.name, o.spec.replicas])).toEqual([
      ['redis', 3],
      ['redis-sentinel', 3],
    ]);
    const policy = objects.find((o) => o.kind === 'NetworkPolicy');
    expect(policy.spec.ingress.flatMap((r: any) => r.from.map((f: any) => f.namespaceSelector?.matchLabels['kubernetes.io/metadata.name']))).toEqual([
      undefined,
      'apps',
      'monitoring',
    ]);
    expect(chart.redis.redisConf).toContain(`maxmemory ${384 * 2 ** 20}\n`);
  });

  test('staging: apps get a redis-connection ConfigMap in their namespace: Sentinel hosts and master, no secret', () => {
    const [chart] = redisCharts(new App(), byName.staging);
    const cm = chart.toJson().find((o) => o.kind === 'ConfigMap' && o.metadata.name === 'redis-connection');
    expect(cm.metadata.namespace).toBe('apps');
    expect(cm.data).toEqual({
      REDIS_MODE: 'sentinel',
      REDIS_HOST: 'redis-sentinel.data.svc.cluster.local',
      REDIS_PORT: '26379',
      REDIS_TLS: 'false',
      REDIS_SENTINEL_HOSTS: [0, 1, 2].map((i) => `redis-sentinel-${i}.redis-sentinel-headless.data.svc.cluster.local:26379`).join(','),
      REDIS_SENTINEL_MASTER: 'redis',
    });
  });

  test.each(['dev', 'staging'])('%s: the pod templates carry the environment label; selectors do not', (env) => {
    const [chart] = redisCharts(new App(), byName[env]);
    const sets = chart.toJson().filter((o) => o.kind === 'StatefulSet');
    expect(sets.length).toBeGreaterThan(0);
    for (const sts of sets) {
      expect(sts.spec.template.metadata.labels['platform.example.com/environment']).toBe(env);
      expect(sts.spec.selector.matchLabels['platform.example.com/environment']).toBeUndefined();
    }
  });

  test.each([
    ['allkeys-lru', false],
    ['noeviction', true],
    ['volatile-ttl', true],
  ] as const)('staging with maxmemoryPolicy %s: RedisMemoryNearLimit synthesised: %s', (policy, present) => {
    const [env] = loadEnvironments(registryWith('staging', (e) => (e.redis.maxmemoryPolicy = policy)), ['staging']);
    const [chart] = redisCharts(new App(), env);
    const rule = chart.toJson().find((o) => o.kind === 'PrometheusRule');
    const alerts = rule.spec.groups.flatMap((g: any) => g.rules).map((r: any) => r.alert);
    expect(alerts.includes('RedisMemoryNearLimit')).toBe(present);
  });

  test('staging: each Redis alert links to its section of redis.md under the configured runbook base', () => {
    const [env] = loadEnvironments(registryWith('staging', ({ monitoring }) => (monitoring.runbookBaseUrl = 'https://wiki.example.com/runbooks/')), ['staging']);
    const [chart] = redisCharts(new App(), env);
    const rule = chart.toJson().find((o) => o.kind === 'PrometheusRule');
    expect(rule.spec.groups.flatMap((g: any) => g.rules).map((r: any) => r.annotations.runbook_url)).toEqual([
      'https://wiki.example.com/runbooks/redis.md#redisdown',
      'https://wiki.example.com/runbooks/redis.md#redisfailoverhappened',
      'https://wiki.example.com/runbooks/redis.md#redisreplicationbroken',
      'https://wiki.example.com/runbooks/redis.md#redisrejectedconnections',
    ]);
  });

  test('staging: the Sentinels\' volume size comes from config (1 GiB by default)', () => {
    const size = (env: any) =>
      redisCharts(new App(), env)[0]
        .toJson()
        .find((o: any) => o.kind === 'StatefulSet' && o.metadata.name === 'redis-sentinel')
        .spec.volumeClaimTemplates[0].spec.resources.requests.storage;
    expect(size(byName.staging)).toBe('1Gi');
    const bigger = loadEnvironments(registryWith('staging', (e: any) => (e.redis.sentinelStorageGiB = 2)), ['staging'])[0];
    expect(size(bigger)).toBe('2Gi');
  });

  test('dev: one standalone node', () => {
    const [chart] = redisCharts(new App(), byName.dev);
    expect(chart.redis.connection.mode).toBe('standalone');
    expect(chart.redis.dataPods).toBe(1);
    expect(chart.connection.data).toEqual({ REDIS_MODE: 'standalone', REDIS_HOST: 'redis.data.svc.cluster.local', REDIS_PORT: '6379', REDIS_TLS: 'false' });
  });

  test('prod: managed, so no in-cluster chart (ElastiCache is in foundation-prod)', () => {
    expect(redisCharts(new App(), byName.prod)).toEqual([]);
  });
});
