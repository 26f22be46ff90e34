import { Chart } from 'cdk8s';
import { TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import type { EnvironmentConfig } from '../config';
import { NAMESPACES } from '../config/namespaces';
import { Cdk8sManifests } from '../constructs/k8s-bridge/cdk8s-manifests';
import { ElastiCacheRedis } from '../constructs/redis/elasticache-redis';
import { ElastiCacheRedisClientSecret } from '../constructs/redis/elasticache-redis-client-secret';
import { ElastiCacheRedisConnection } from '../constructs/redis/elasticache-redis-connection';
import { configureBackend, REDIS_AUTH_TOKEN_VARIABLE } from './backend';
import { ClusterAccess, kubernetesProvider } from './cluster-access';
import { platformLabels } from '../config/platform-labels';


/**
 * `workloads-<env>`: the environment's cdk8s charts as `kubernetes_manifest` resources. Deployed after
 * `platform-<env>`, whose operators install the CRDs these objects need at plan time.
 */
export class WorkloadsStack extends TerraformStack {
  public readonly manifests: Cdk8sManifests;

  /**
   * @param elastiCache the foundation's ElastiCache group, required when the environment's Redis is `managed`
   */
  constructor(scope: Construct, id: string, env: EnvironmentConfig, access: ClusterAccess, charts: readonly Chart[], elastiCache?: ElastiCacheRedis) {
    super(scope, id);
    configureBackend(this, env, id);
    kubernetesProvider(this, access);
    this.manifests = new Cdk8sManifests(this, 'manifests', { charts });

    // managed Redis (constructs/redis): ElastiCache's endpoint is known only to Terraform, so apps' `redis-connection`
    // ConfigMap is made here, from foundation-<env>'s ElastiCache by cross-stack reference; the in-cluster modes'
    // comes from the redis chart. Never pass these values into a cdk8s chart.
    // The client Secret (`redis.clientSecret`, apps' REDIS_PASSWORD) is made here too, from the same sensitive variable
    // foundation-<env> gives ElastiCache: `TF_VAR_redis_auth_token` must be set for `cdktf deploy workloads-<env>` as
    // well. In-cluster modes: that Secret is made outside this project (Vault, External Secrets), same password as
    // `redis.passwordSecret` in `data`.
    if (env.redis.mode === 'managed') {
      if (!elastiCache) throw new Error(`${id}: redis.mode is managed, but no ElastiCache group was given to take the endpoint from`);
      new ElastiCacheRedisConnection(this, 'redis-connection', {
        namespace: NAMESPACES.apps.name,
        primaryEndpoint: elastiCache.primaryEndpoint,
        port: elastiCache.port,
        labels: platformLabels(env, 'redis'),
      });
      new ElastiCacheRedisClientSecret(this, 'redis-client-secret', {
        namespace: NAMESPACES.apps.name,
        authTokenVariableName: REDIS_AUTH_TOKEN_VARIABLE,
        secret: env.redis.clientSecret,
        labels: platformLabels(env, 'redis'),
      });
    }
  }
}
