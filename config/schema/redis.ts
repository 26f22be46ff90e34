import { z } from 'zod';
import { MEMORY_POLICIES, MEMORY_POLICY_RULE } from '../../constructs/redis/redis-config';
import { ELASTICACHE_DEFAULTS, REDIS_DEFAULTS } from '../../constructs/redis/defaults';
import { REDIS_CLIENT_SECRET } from '../../constructs/redis/redis-client';
import {
  ENGINE_VERSION_RULE,
  NODE_TYPE_RULE,
  SENTINELS_RULE,
  isEngineVersion,
  isNodeType,
  isSentinelCount,
} from '../../constructs/redis/rules';
import { count, cpuQuantity, dnsLabel, dnsSubdomain, memoryQuantity, pinnedImage, secretKey } from './primitives';

/**
 * Redis of an environment. `mode` picks the shape: `standalone`, `sentinel` and `cluster` run in the cluster
 * (namespace `data`, chart `redis`); `managed` is ElastiCache in the environment's foundation stack (AWS only).
 * Defaults here are the construct's defaults, restated so that a reader of the config sees them.
 */

const memoryPolicy = z.enum(MEMORY_POLICIES, { error: MEMORY_POLICY_RULE });

/**
 * Secret in namespace `apps` whose key holds the password apps authenticate with (`REDIS_PASSWORD` of every app with
 * `redis: true`). In-cluster modes: made outside this project (Vault, External Secrets) with the same password as
 * `passwordSecret` in `data`; managed: made by `workloads-<env>` from `TF_VAR_redis_auth_token`.
 */
const clientSecret = z.strictObject({ name: dnsLabel, key: secretKey }).default({ ...REDIS_CLIENT_SECRET });

/** Settings every in-cluster mode shares. */
const inCluster = {
  /** Redis image, pinned (official `redis` or `valkey`). */
  image: pinnedImage.optional(),
  /** redis_exporter image, pinned. */
  exporterImage: pinnedImage.optional(),
  /** Memory limit (and request) of each Redis container; maxmemory is 75% of it. */
  memory: memoryQuantity.default(REDIS_DEFAULTS.memoryLimit),
  cpu: cpuQuantity.default(REDIS_DEFAULTS.cpuRequest),
  maxmemoryPolicy: memoryPolicy.default(REDIS_DEFAULTS.maxmemoryPolicy),
  /** RDB + AOF (everysec) on a persistent volume; required in the production tier. */
  persistence: z.boolean().default(REDIS_DEFAULTS.persistence),
  storageGiB: count(1).default(REDIS_DEFAULTS.storageGiB),
  /** StorageClass of the volumes (a Kubernetes object name); the cluster's default when absent. */
  storageClassName: dnsSubdomain.optional(),
  /** Secret (in namespace `data`) holding the password, made outside this project (Vault, External Secrets). */
  passwordSecret: z.strictObject({ name: dnsLabel, key: secretKey }).default({ name: 'redis-auth', key: REDIS_DEFAULTS.passwordSecretKey }),
  clientSecret,
  /** Secret with tls.crt, tls.key, ca.crt: turns TLS on. */
  tlsSecretName: dnsLabel.optional(),
  /** `required` refuses to put two Redis pods on one node (needs as many nodes as pods). */
  antiAffinity: z.enum(['required', 'preferred'], { error: "must be 'required' or 'preferred'" }).default(REDIS_DEFAULTS.antiAffinity),
  /** Sentinel's down-after-milliseconds, or the cluster's node timeout. */
  downAfterMilliseconds: count(1000).default(REDIS_DEFAULTS.downAfterMilliseconds),
  minReplicasToWrite: count(0).optional(),
};

export const redisSchema = z.discriminatedUnion(
  'mode',
  [
    z.strictObject({ mode: z.literal('standalone'), ...inCluster }),
    z
      .strictObject({
        mode: z.literal('sentinel'),
        ...inCluster,
        /** Replicas of the primary. */
        replicas: count(1).default(REDIS_DEFAULTS.replicas),
        sentinels: z.number({ error: SENTINELS_RULE }).int({ error: SENTINELS_RULE }).default(REDIS_DEFAULTS.sentinels),
        /** Sentinels that must agree the primary is down; a majority. */
        quorum: count(1).optional(),
        failoverTimeoutMilliseconds: count(1000).default(REDIS_DEFAULTS.failoverTimeoutMilliseconds),
        /** Each Sentinel's own volume, for the state it learns (immutable once deployed: see the README). */
        sentinelStorageGiB: count(1).default(REDIS_DEFAULTS.sentinelStorageGiB),
      })
      .superRefine((r, ctx) => {
        if (!isSentinelCount(r.sentinels)) ctx.addIssue({ code: 'custom', path: ['sentinels'], message: SENTINELS_RULE });
        const majority = Math.floor(r.sentinels / 2) + 1;
        if (r.quorum !== undefined && (r.quorum < majority || r.quorum > r.sentinels)) {
          ctx.addIssue({ code: 'custom', path: ['quorum'], message: `must be a majority of the ${r.sentinels} Sentinels, from ${majority} to ${r.sentinels}` });
        }
        if (r.minReplicasToWrite !== undefined && r.minReplicasToWrite > r.replicas - 1) {
          ctx.addIssue({
            code: 'custom',
            path: ['minReplicasToWrite'],
            message: `must be at most replicas - 1 (${r.replicas - 1}): otherwise losing one replica stops every write`,
          });
        }
      }),
    z
      .strictObject({
        mode: z.literal('cluster'),
        ...inCluster,
        /** Primaries (shards). */
        shards: z.number().int().default(REDIS_DEFAULTS.shards),
        replicasPerShard: count(0, 5).default(REDIS_DEFAULTS.replicasPerShard),
      })
      .superRefine((r, ctx) => {
        if (r.shards < 3) {
          ctx.addIssue({ code: 'custom', path: ['shards'], message: 'must be at least 3: Redis Cluster needs a majority of primaries to agree on a failover' });
        }
        if (r.minReplicasToWrite !== undefined && r.minReplicasToWrite > Math.max(0, r.replicasPerShard - 1)) {
          ctx.addIssue({
            code: 'custom',
            path: ['minReplicasToWrite'],
            message: `must be at most replicasPerShard - 1 (${Math.max(0, r.replicasPerShard - 1)}): otherwise losing one replica stops a shard's writes`,
          });
        }
      }),
    z.strictObject({
      mode: z.literal('managed'),
      /** ElastiCache node type. */
      nodeType: z.string({ error: NODE_TYPE_RULE }).refine(isNodeType, { error: NODE_TYPE_RULE }).default(ELASTICACHE_DEFAULTS.nodeType),
      /** Redis engine version, `major.minor`. */
      engineVersion: z.string({ error: ENGINE_VERSION_RULE }).refine(isEngineVersion, { error: ENGINE_VERSION_RULE }).default(ELASTICACHE_DEFAULTS.engineVersion),
      /** Read replicas (Multi-AZ needs at least 1). */
      replicas: count(1, 5).default(ELASTICACHE_DEFAULTS.replicas),
      snapshotRetentionDays: count(0, 35).default(ELASTICACHE_DEFAULTS.snapshotRetentionDays),
      maxmemoryPolicy: memoryPolicy.default(ELASTICACHE_DEFAULTS.maxmemoryPolicy),
      clientSecret,
    }),
  ],
  { error: "must have a 'mode' of 'standalone', 'sentinel', 'cluster' or 'managed'" },
);

export type RedisConfig = z.output<typeof redisSchema>;

/**
 * Rules that depend on the environment, run from the environment schema: the production tier must survive the
 * loss of one node and keep its data; `managed` needs AWS.
 */
export function checkRedisForEnvironment(
  env: { tier: string; aws?: unknown; redis?: RedisConfig },
  ctx: z.RefinementCtx,
): void {
  const r = env.redis;
  if (!r) return;
  const issue = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: ['redis', path], message });
  if (r.mode === 'managed' && !env.aws) issue('mode', 'needs an AWS environment (ElastiCache lives in the foundation stack); use standalone, sentinel or cluster here');
  if (env.tier !== 'production') return;
  switch (r.mode) {
    case 'standalone':
      issue('mode', 'must be sentinel, cluster or managed in the production tier: a single node cannot survive its loss');
      break;
    case 'sentinel':
      if (r.replicas < 2) issue('replicas', 'must be at least 2 in the production tier: after losing one node a primary and a replica must remain');
      break;
    case 'cluster':
      if (r.replicasPerShard < 1) issue('replicasPerShard', 'must be at least 1 in the production tier: a shard without a replica is lost with its node');
      break;
    case 'managed':
      if (r.snapshotRetentionDays < 1) issue('snapshotRetentionDays', 'must be at least 1 in the production tier: snapshots are the backup');
      break;
  }
  if (r.mode !== 'managed' && !r.persistence) issue('persistence', 'must be true in the production tier: a restarted node would come back empty');
}
