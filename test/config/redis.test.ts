import { ConfigError, environments, loadEnvironments } from '../../config';

function registryWith(env: keyof typeof environments, redis: Record<string, unknown>): Record<string, unknown> {
  const copy = JSON.parse(JSON.stringify(environments));
  copy[env].redis = redis;
  return copy;
}

function problemsOf(registry: Record<string, unknown>): string[] {
  try {
    loadEnvironments(registry);
  } catch (e) {
    if (e instanceof ConfigError) return [...e.problems];
    throw e;
  }
  throw new Error('expected a ConfigError');
}

describe('redis config', () => {
  test('committed environments: dev standalone, staging sentinel, prod managed, with defaults applied', () => {
    const [dev, staging, prod] = loadEnvironments(environments);
    expect(dev.redis).toMatchObject({ mode: 'standalone', persistence: true, maxmemoryPolicy: 'allkeys-lru' });
    expect(staging.redis).toMatchObject({ mode: 'sentinel', replicas: 2, sentinels: 3, persistence: true });
    expect(prod.redis).toMatchObject({ mode: 'managed', replicas: 2, snapshotRetentionDays: 14 });
  });

  test.each([
    ['staging', { mode: 'sentinel', sentinels: 4 }, "environments.staging.redis.sentinels (4) must be odd and at least 3: an even count tolerates no more failures than one fewer, and fewer than 3 cannot outvote a lost one"],
    ['staging', { mode: 'sentinel', quorum: 1 }, 'environments.staging.redis.quorum (1) must be a majority of the 3 Sentinels, from 2 to 3'],
    ['staging', { mode: 'sentinel', maxmemoryPolicy: 'lru' }, "environments.staging.redis.maxmemoryPolicy ('lru') must be a maxmemory-policy Redis knows: noeviction, allkeys-lru, allkeys-lfu, allkeys-random, volatile-lru, volatile-lfu, volatile-random, volatile-ttl"],
    ['staging', { mode: 'cluster', shards: 2 }, 'environments.staging.redis.shards (2) must be at least 3: Redis Cluster needs a majority of primaries to agree on a failover'],
    ['dev', { mode: 'managed' }, "environments.dev.redis.mode ('managed') needs an AWS environment (ElastiCache lives in the foundation stack); use standalone, sentinel or cluster here"],
    ['dev', { mode: 'replicated' }, "environments.dev.redis.mode ('replicated') must have a 'mode' of 'standalone', 'sentinel', 'cluster' or 'managed'"],
    ['prod', { mode: 'sentinel', replicas: 1 }, 'environments.prod.redis.replicas (1) must be at least 2 in the production tier: after losing one node a primary and a replica must remain'],
    ['prod', { mode: 'sentinel', persistence: false }, 'environments.prod.redis.persistence (false) must be true in the production tier: a restarted node would come back empty'],
    ['prod', { mode: 'cluster', replicasPerShard: 0 }, 'environments.prod.redis.replicasPerShard (0) must be at least 1 in the production tier: a shard without a replica is lost with its node'],
    ['prod', { mode: 'standalone' }, "environments.prod.redis.mode ('standalone') must be sentinel, cluster or managed in the production tier: a single node cannot survive its loss"],
    ['prod', { mode: 'managed', snapshotRetentionDays: 0 }, 'environments.prod.redis.snapshotRetentionDays (0) must be at least 1 in the production tier: snapshots are the backup'],
  ] as const)('%s %j fails', (env, redis, message) => {
    expect(problemsOf(registryWith(env, redis))).toEqual([message]);
  });

  test('a misspelt field is named', () => {
    expect(problemsOf(registryWith('dev', { mode: 'standalone', memroy: '1Gi' }))).toEqual([
      "environments.dev.redis: unknown field(s) 'memroy'; check the spelling against config/schema/",
    ]);
  });
});
