import { ConfigMapV1 } from '@cdktf/provider-kubernetes/lib/config-map-v1';
import { Construct } from 'constructs';
import { terraformObjectLabels } from '../core/labels';
import { assertDnsLabel } from '../core/validate';
import { REDIS_CONNECTION_CONFIG_MAP, redisConnectionData } from './redis-connection';

/** Properties of `ElastiCacheRedisConnection`. */
export interface ElastiCacheRedisConnectionProps {
  /** Namespace of the apps that read it. */
  readonly namespace: string;
  /** ElastiCache's primary endpoint: a Terraform reference (across stacks, cdktf turns it into an output and a remote-state read). */
  readonly primaryEndpoint: string;
  /** The port ElastiCache listens on. */
  readonly port: number;
  /**
   * Name of the ConfigMap.
   * @default REDIS_CONNECTION_CONFIG_MAP, 'redis-connection'
   */
  readonly name?: string;
  /**
   * Labels of the ConfigMap, such as the environment's (`app.kubernetes.io/managed-by: terraform` is always set).
   * @default only `app.kubernetes.io/managed-by: terraform`
   */
  readonly labels?: Readonly<Record<string, string>>;
}

/**
 * The `redis-connection` ConfigMap for managed Redis (ElastiCache), as a Terraform `kubernetes_config_map_v1`: the
 * endpoint is only known to Terraform, so this is the cdktf twin of `RedisConnectionConfigMap`, with the same keys
 * (`REDIS_MODE=managed`, `REDIS_TLS=true`: ElastiCache here always encrypts in transit). Never hand its values to a
 * cdk8s chart: they are Terraform tokens.
 */
export class ElastiCacheRedisConnection extends Construct {
  public readonly configMap: ConfigMapV1;
  public readonly data: Record<string, string>;

  constructor(scope: Construct, id: string, props: ElastiCacheRedisConnectionProps) {
    super(scope, id);
    const name = props.name ?? REDIS_CONNECTION_CONFIG_MAP;
    assertDnsLabel(this, 'name', name);
    assertDnsLabel(this, 'namespace', props.namespace);
    this.data = redisConnectionData(this, { mode: 'managed', host: props.primaryEndpoint, port: props.port, tls: true });
    this.configMap = new ConfigMapV1(this, 'ConfigMap', {
      metadata: { name, namespace: props.namespace, labels: terraformObjectLabels(props.labels) },
      data: this.data,
    });
  }
}
