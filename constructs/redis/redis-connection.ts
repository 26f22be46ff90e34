import { KubeConfigMap } from 'cdk8s-plus-27/lib/imports/k8s';
import { Construct } from 'constructs';
import { fail } from '../core/errors';
import { assertDnsLabel, assertPort } from '../core/validate';
import { REDIS_CONNECTION_CONFIG_MAP } from './redis-client';

/**
 * What apps are told about Redis, the same keys in every mode: a ConfigMap `redis-connection` in the apps'
 * namespace, meant for `envFrom`. Plain facts only (no password: that stays in its Secret).
 *
 * | key | value |
 * | --- | --- |
 * | `REDIS_MODE` | `standalone`, `sentinel`, `cluster` or `managed` |
 * | `REDIS_HOST`, `REDIS_PORT` | where to connect: the Redis Service (standalone), a seed node (cluster: follow the redirects), the Sentinel Service (sentinel: ask it for `REDIS_SENTINEL_MASTER`), the ElastiCache primary endpoint (managed) |
 * | `REDIS_TLS` | `true` or `false` |
 * | `REDIS_SENTINEL_HOSTS` | sentinel mode only: every Sentinel as `host:port`, comma-separated |
 * | `REDIS_SENTINEL_MASTER` | sentinel mode only: the master name |
 */

// The contract's names live in redis-client.ts (no cdk8s import: the config schema reads them).
export { REDIS_CLIENT_SECRET, REDIS_CONNECTION_CONFIG_MAP, REDIS_PASSWORD_ENV } from './redis-client';

/** Connection facts of one Redis, in any mode. */
export interface RedisConnectionFacts {
  readonly mode: 'standalone' | 'sentinel' | 'cluster' | 'managed';
  readonly host: string;
  readonly port: number;
  readonly tls: boolean;
  /** Sentinel mode: every Sentinel as `host:port`. */
  readonly sentinelHosts?: readonly string[];
  /** Sentinel mode: the master name to ask for. */
  readonly sentinelMasterName?: string;
}

/**
 * The ConfigMap's data. Values may be Terraform references (managed mode, in a cdktf stack), so the host and port
 * are only checked where they are plain.
 */
export function redisConnectionData(scope: Construct, facts: RedisConnectionFacts): Record<string, string> {
  const sentinel = facts.mode === 'sentinel';
  if (sentinel && ((facts.sentinelHosts ?? []).length === 0 || !facts.sentinelMasterName)) {
    fail(scope, 'sentinelHosts', facts.sentinelHosts ?? [], 'must list the Sentinels, with sentinelMasterName, in sentinel mode');
  }
  if (!sentinel && (facts.sentinelHosts !== undefined || facts.sentinelMasterName !== undefined)) {
    fail(scope, 'sentinelHosts', facts.sentinelHosts ?? facts.sentinelMasterName, `must be left out in ${facts.mode} mode: only Sentinel clients use them`);
  }
  return {
    REDIS_MODE: facts.mode,
    REDIS_HOST: facts.host,
    REDIS_PORT: String(facts.port),
    REDIS_TLS: String(facts.tls),
    ...(sentinel ? { REDIS_SENTINEL_HOSTS: facts.sentinelHosts!.join(','), REDIS_SENTINEL_MASTER: facts.sentinelMasterName! } : {}),
  };
}

/** Properties of `RedisConnectionConfigMap`. */
export interface RedisConnectionConfigMapProps {
  /** Namespace of the apps that read it. */
  readonly namespace: string;
  /** The facts, such as `Redis.connection`. */
  readonly connection: RedisConnectionFacts;
  /**
   * Name of the ConfigMap.
   * @default REDIS_CONNECTION_CONFIG_MAP, 'redis-connection'
   */
  readonly name?: string;
  /**
   * Labels of the ConfigMap.
   * @default none besides the chart's
   */
  readonly labels?: Readonly<Record<string, string>>;
}

/** The `redis-connection` ConfigMap of an in-cluster Redis (cdk8s). `ElastiCacheRedisConnection` is the managed twin. */
export class RedisConnectionConfigMap extends Construct {
  public readonly configMap: KubeConfigMap;
  public readonly data: Record<string, string>;

  constructor(scope: Construct, id: string, props: RedisConnectionConfigMapProps) {
    super(scope, id);
    const name = props.name ?? REDIS_CONNECTION_CONFIG_MAP;
    assertDnsLabel(this, 'name', name);
    assertDnsLabel(this, 'namespace', props.namespace);
    assertPort(this, 'connection.port', props.connection.port);
    this.data = redisConnectionData(this, props.connection);
    this.configMap = new KubeConfigMap(this, 'ConfigMap', {
      metadata: { name, namespace: props.namespace, labels: props.labels ? { ...props.labels } : undefined },
      data: this.data,
    });
  }
}
