/**
 * Defaults of `Redis` and `ElastiCacheRedis`, in a module with no construct import, so that the config schema
 * (`config/schema/redis.ts`) applies the very values the constructs would: one place for each default. The
 * constructs document each one on its prop.
 */
export const REDIS_DEFAULTS = {
  memoryLimit: '256Mi',
  cpuRequest: '100m',
  maxmemoryPolicy: 'allkeys-lru',
  persistence: true,
  storageGiB: 8,
  sentinelStorageGiB: 1,
  replicas: 2,
  sentinels: 3,
  downAfterMilliseconds: 5000,
  failoverTimeoutMilliseconds: 60000,
  shards: 3,
  replicasPerShard: 1,
  antiAffinity: 'preferred',
  passwordSecretKey: 'password',
} as const;

export const ELASTICACHE_DEFAULTS = {
  nodeType: 'cache.t4g.small',
  engineVersion: '7.1',
  replicas: 1,
  snapshotRetentionDays: 7,
  maxmemoryPolicy: 'allkeys-lru',
} as const;
