import { Construct } from 'constructs';
import type { EnvironmentConfig, RedisConfig } from '../config';
import { NAMESPACES } from '../config/namespaces';
import { LABEL_ENVIRONMENT } from '../constructs/core/labels';
import { Redis } from '../constructs/redis/redis';
import { RedisConnectionConfigMap } from '../constructs/redis/redis-connection';
import { PlatformChart } from './platform-chart';

/** The in-cluster modes: what this chart builds. `managed` Redis is ElastiCache, in `foundation-<env>`. */
export type InClusterRedisConfig = Exclude<RedisConfig, { mode: 'managed' }>;

/**
 * Redis in the `data` namespace (standalone, sentinel or cluster), reachable from `apps` and scraped from
 * `monitoring`, and the `redis-connection` ConfigMap in `apps` telling apps where it is. Only built when the
 * environment's Redis runs in the cluster (managed Redis's ConfigMap is made by `workloads-<env>`).
 */
export class RedisChart extends PlatformChart {
  public readonly redis: Redis;
  public readonly connection: RedisConnectionConfigMap;

  constructor(scope: Construct, id: string, env: EnvironmentConfig & { redis: InClusterRedisConfig }) {
    super(scope, id, env);
    const r = env.redis;
    this.redis = new Redis(this, 'redis', {
      mode: r.mode,
      namespace: NAMESPACES.data.name,
      image: r.image,
      exporterImage: r.exporterImage,
      memoryLimit: r.memory,
      cpuRequest: r.cpu,
      maxmemoryPolicy: r.maxmemoryPolicy,
      persistence: r.persistence,
      storageGiB: r.storageGiB,
      storageClassName: r.storageClassName,
      passwordSecret: r.passwordSecret,
      tlsSecretName: r.tlsSecretName,
      antiAffinity: r.antiAffinity,
      downAfterMilliseconds: r.downAfterMilliseconds,
      minReplicasToWrite: r.minReplicasToWrite,
      ...(r.mode === 'sentinel'
        ? {
            replicas: r.replicas,
            sentinels: r.sentinels,
            quorum: r.quorum,
            failoverTimeoutMilliseconds: r.failoverTimeoutMilliseconds,
            sentinelStorageGiB: r.sentinelStorageGiB,
          }
        : {}),
      ...(r.mode === 'cluster' ? { shards: r.shards, replicasPerShard: r.replicasPerShard } : {}),
      clientNamespaces: [NAMESPACES.apps.name],
      metricsNamespaces: [NAMESPACES.monitoring.name],
      // One page for every Redis alert, one section each (docs/runbooks/redis.md).
      runbookBaseUrl: `${env.monitoring.runbookBaseUrl.replace(/\/+$/, '')}/redis.md`,
      podLabels: { [LABEL_ENVIRONMENT]: env.name },
    });
    this.connection = new RedisConnectionConfigMap(this, 'connection', { namespace: NAMESPACES.apps.name, connection: this.redis.connection });
  }
}

/** The Redis chart when the environment runs Redis in the cluster; none for `managed`. */
export function redisCharts(scope: Construct, env: EnvironmentConfig): RedisChart[] {
  const redis = env.redis;
  if (redis.mode === 'managed') return [];
  return [new RedisChart(scope, 'redis', { ...env, redis })];
}
