import { App } from 'cdk8s';
import { redisCharts } from '../../charts/redis-chart';
import { environments, loadEnvironments } from '../../config';

const byName = Object.fromEntries(loadEnvironments(environments).map((e) => [e.name, e]));

describe('redisCharts', () => {
  test('staging: Sentinel mode in namespace data, reachable from apps, scraped from monitoring', () => {
    const [chart] = redisCharts(new App(), byName.staging);
    const objects = chart.toJson();
    expect(new Set(objects.map((o) => o.metadata.namespace))).toEqual(new Set(['data']));
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

  test('dev: one standalone node', () => {
    const [chart] = redisCharts(new App(), byName.dev);
    expect(chart.redis.connection.mode).toBe('standalone');
    expect(chart.redis.dataPods).toBe(1);
  });

  test('prod: managed, so no in-cluster chart (ElastiCache is in foundation-prod)', () => {
    expect(redisCharts(new App(), byName.prod)).toEqual([]);
  });
});
