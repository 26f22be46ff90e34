import { Chart, Testing } from 'cdk8s';
import { Testing as TfTesting } from 'cdktf';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import { ElastiCacheRedisConnection } from '../../../constructs/redis/elasticache-redis-connection';
import { RedisConnectionConfigMap, RedisConnectionFacts } from '../../../constructs/redis/redis-connection';

function build(connection: RedisConnectionFacts): any[] {
  const chart = new Chart(Testing.app(), 'test');
  new RedisConnectionConfigMap(chart, 'connection', { namespace: 'apps', connection });
  return Testing.synth(chart);
}

function errorOf(connection: RedisConnectionFacts): string {
  try {
    build(connection);
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected an error');
}

describe('RedisConnectionConfigMap', () => {
  test('standalone: mode, host, port and TLS as plain strings in ConfigMap redis-connection', () => {
    expect(build({ mode: 'standalone', host: 'redis.data.svc.cluster.local', port: 6379, tls: false })).toEqual([
      {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'redis-connection', namespace: 'apps' },
        data: { REDIS_MODE: 'standalone', REDIS_HOST: 'redis.data.svc.cluster.local', REDIS_PORT: '6379', REDIS_TLS: 'false' },
      },
    ]);
  });

  test('sentinel: adds the Sentinels, comma-separated, and the master name', () => {
    const [cm] = build({ mode: 'sentinel', host: 's.data.svc', port: 26379, tls: true, sentinelHosts: ['s-0:26379', 's-1:26379'], sentinelMasterName: 'redis' });
    expect(cm.data).toEqual({ REDIS_MODE: 'sentinel', REDIS_HOST: 's.data.svc', REDIS_PORT: '26379', REDIS_TLS: 'true', REDIS_SENTINEL_HOSTS: 's-0:26379,s-1:26379', REDIS_SENTINEL_MASTER: 'redis' });
  });

  test.each([
    [{ mode: 'sentinel', host: 'h', port: 26379, tls: false } as const, "[test/connection] 'sentinelHosts' ([]) must list the Sentinels, with sentinelMasterName, in sentinel mode"],
    [{ mode: 'cluster', host: 'h', port: 6379, tls: false, sentinelMasterName: 'redis' } as const, "[test/connection] 'sentinelHosts' ('redis') must be left out in cluster mode: only Sentinel clients use them"],
    [{ mode: 'standalone', host: 'h', port: 0, tls: false } as const, "[test/connection] 'connection.port' (0) must be an integer from 1 to 65535"],
  ])('fails on %j', (facts, message) => {
    expect(errorOf(facts)).toBe(message);
  });
});

describe('ElastiCacheRedisConnection', () => {
  test('a kubernetes_config_map_v1 with the same keys, mode managed, TLS on, the endpoint as given (a Terraform reference)', () => {
    const json = JSON.parse(
      TfTesting.synthScope((scope) => {
        new KubernetesProvider(scope, 'kubernetes', {});
        new ElastiCacheRedisConnection(scope, 'redis-connection', { namespace: 'apps', primaryEndpoint: '${aws_elasticache_replication_group.r.primary_endpoint_address}', port: 6379 });
      }),
    );
    const [cm] = Object.values(json.resource.kubernetes_config_map_v1) as any[];
    expect(cm).toEqual({
      metadata: { name: 'redis-connection', namespace: 'apps', labels: { 'app.kubernetes.io/managed-by': 'terraform' } },
      data: { REDIS_MODE: 'managed', REDIS_HOST: '${aws_elasticache_replication_group.r.primary_endpoint_address}', REDIS_PORT: '6379', REDIS_TLS: 'true' },
    });
  });
});
