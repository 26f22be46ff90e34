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
    ['staging', { mode: 'sentinel', sentinels: 3.5 }, 'environments.staging.redis.sentinels (3.5) must be odd and at least 3: an even count tolerates no more failures than one fewer, and fewer than 3 cannot outvote a lost one'],
    ['staging', { mode: 'sentinel', passwordSecret: { name: 'redis-auth', key: 'pass/word' } }, "environments.staging.redis.passwordSecret.key ('pass/word') must be a Secret key: 1-253 letters, digits, -, _ or ."],
    ['staging', { mode: 'sentinel', passwordSecret: { name: 'redis-auth', key: '' } }, "environments.staging.redis.passwordSecret.key ('') must be a Secret key: 1-253 letters, digits, -, _ or ."],
    ['staging', { mode: 'sentinel', storageClassName: 'GP3_encrypted' }, "environments.staging.redis.storageClassName ('GP3_encrypted') must be a DNS subdomain, as Kubernetes object names are: at most 253 characters, dot-separated labels of lower-case letters, digits or -, each starting and ending alphanumeric"],
    ['prod', { mode: 'managed', nodeType: 't4g.small' }, "environments.prod.redis.nodeType ('t4g.small') must be an ElastiCache node type such as 'cache.t4g.small'"],
    ['prod', { mode: 'managed', engineVersion: '7' }, "environments.prod.redis.engineVersion ('7') must be a Redis version 'major.minor', 6.2 or later, such as '7.1'"],
    ['prod', { mode: 'managed', engineVersion: '6.0' }, "environments.prod.redis.engineVersion ('6.0') must be a Redis version 'major.minor', 6.2 or later, such as '7.1'"],
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

  test('clientSecret (apps\' REDIS_PASSWORD) defaults to redis-client/password in every mode, and takes another name and key', () => {
    for (const env of loadEnvironments(environments)) expect(env.redis.clientSecret).toEqual({ name: 'redis-client', key: 'password' });
    const [, , prod] = loadEnvironments(registryWith('prod', { mode: 'managed', clientSecret: { name: 'cache-auth', key: 'token' } }));
    expect(prod.redis.clientSecret).toEqual({ name: 'cache-auth', key: 'token' });
  });

  test.each([
    ['dev', { mode: 'standalone', clientSecret: { name: 'Redis_Client', key: 'password' } }, "environments.dev.redis.clientSecret.name ('Redis_Client')"],
    ['prod', { mode: 'managed', clientSecret: { name: 'redis-client', key: 'pass/word' } }, "environments.prod.redis.clientSecret.key ('pass/word') must be a Secret key: 1-253 letters, digits, -, _ or ."],
  ] as const)('%s clientSecret %j fails', (env, redis, message) => {
    const problems = problemsOf(registryWith(env, redis));
    expect(problems).toHaveLength(1);
    expect(problems[0].startsWith(message)).toBe(true);
  });

  test('takes a storage class with dots (a DNS subdomain, as StorageClass names are)', () => {
    const [, staging] = loadEnvironments(registryWith('staging', { mode: 'sentinel', storageClassName: 'gp3.encrypted' }));
    expect(staging.redis).toMatchObject({ mode: 'sentinel', storageClassName: 'gp3.encrypted' });
  });

  test('a misspelt field is named', () => {
    expect(problemsOf(registryWith('dev', { mode: 'standalone', memroy: '1Gi' }))).toEqual([
      "environments.dev.redis: unknown field(s) 'memroy'; check the spelling against config/schema/",
    ]);
  });
});
