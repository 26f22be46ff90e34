import { ElasticacheParameterGroup } from '@cdktf/provider-aws/lib/elasticache-parameter-group';
import { ElasticacheReplicationGroup } from '@cdktf/provider-aws/lib/elasticache-replication-group';
import { ElasticacheSubnetGroup } from '@cdktf/provider-aws/lib/elasticache-subnet-group';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import type { TerraformVariable } from 'cdktf';
import { Construct } from 'constructs';
import { ELASTICACHE_DEFAULTS } from './defaults';
import { fail } from '../core/errors';
import { assertInt } from '../core/validate';
import { elastiCacheAuthTokenVariable } from './elasticache-auth-token';
import { isMemoryPolicy, MEMORY_POLICY_RULE, MemoryPolicy, REDIS_PORT } from './redis-config';
import { ENGINE_VERSION_RULE, isEngineVersion, isNodeType, isReplicationGroupId, NODE_TYPE_RULE, REPLICATION_GROUP_ID_RULE } from './rules';

/** Properties of `ElastiCacheRedis`. */
export interface ElastiCacheRedisProps {
  /** Replication group id, and prefix of the other resources' names: 1-40 lower-case letters, digits, hyphens. */
  readonly name: string;
  readonly vpcId: string;
  /** Subnets of the cache nodes (the private ones, one per zone); at least 2 zones for Multi-AZ. */
  readonly subnetIds: string[];
  /** Security groups allowed to connect (the EKS nodes' group); nothing else is. */
  readonly clientSecurityGroupIds: string[];
  /** KMS key (ARN) encrypting data at rest and snapshots. */
  readonly kmsKeyArn: string;
  /**
   * Node type.
   * @default 'cache.t4g.small'
   */
  readonly nodeType?: string;
  /**
   * Redis engine version (`major.minor`); the parameter group family follows it (`7.1` gives `redis7`, `6.2` gives
   * `redis6.x`, as AWS names them).
   * @default '7.1'
   */
  readonly engineVersion?: string;
  /**
   * Read replicas of the primary, each in another zone where possible; at least 1 (Multi-AZ failover needs one).
   * @default 1
   */
  readonly replicas?: number;
  /**
   * Days automatic snapshots are kept (0 turns snapshots off).
   * @default 7
   */
  readonly snapshotRetentionDays?: number;
  /**
   * What Redis evicts at `maxmemory` (ElastiCache sets maxmemory from the node type).
   * @default 'allkeys-lru'
   */
  readonly maxmemoryPolicy?: MemoryPolicy;
  /**
   * Daily snapshot window, UTC, `hh:mm-hh:mm`.
   * @default '03:00-04:00'
   */
  readonly snapshotWindow?: string;
  /**
   * Weekly maintenance window, UTC, `ddd:hh:mm-ddd:hh:mm`; must not overlap the snapshot window.
   * @default 'sun:05:00-sun:06:00'
   */
  readonly maintenanceWindow?: string;
  /**
   * SNS topic (ARN) that receives the group's events (failover, node replacement, maintenance), such as
   * `ElastiCacheAlarms.topic.arn`.
   * @default no event notifications
   */
  readonly notificationTopicArn?: string;
  /**
   * Name of the Terraform variable carrying the auth token (`TF_VAR_<name>` at deploy time).
   * @default '<name with - as _>_auth_token'
   */
  readonly authTokenVariableName?: string;
}

/**
 * ElastiCache for Redis as a replication group: Multi-AZ with automatic failover, encrypted at rest with the
 * given KMS key and in transit, AUTH token required, daily snapshots kept a configurable number of days, a
 * parameter group carrying the memory policy, its own subnet group, and a security group open on the Redis port
 * to the client groups only.
 *
 * The auth token is a `sensitive` Terraform variable given at deploy time (`TF_VAR_<authTokenVariableName>`):
 * it never appears in synthesised output, and the token is kept where the rest of the secrets are (Vault, the
 * CI secret store) rather than generated into state by a provider this project cannot install offline.
 */
export class ElastiCacheRedis extends Construct {
  public readonly replicationGroup: ElasticacheReplicationGroup;
  public readonly securityGroup: SecurityGroup;
  public readonly subnetGroup: ElasticacheSubnetGroup;
  public readonly parameterGroup: ElasticacheParameterGroup;
  public readonly authToken: TerraformVariable;
  /** Writer endpoint (a Terraform reference). */
  public readonly primaryEndpoint: string;
  /** Reader endpoint (a Terraform reference). */
  public readonly readerEndpoint: string;
  public readonly port = REDIS_PORT;

  constructor(scope: Construct, id: string, props: ElastiCacheRedisProps) {
    super(scope, id);
    const nodeType = props.nodeType ?? ELASTICACHE_DEFAULTS.nodeType;
    const engineVersion = props.engineVersion ?? ELASTICACHE_DEFAULTS.engineVersion;
    const replicas = props.replicas ?? ELASTICACHE_DEFAULTS.replicas;
    const retention = props.snapshotRetentionDays ?? ELASTICACHE_DEFAULTS.snapshotRetentionDays;
    const policy: string = props.maxmemoryPolicy ?? ELASTICACHE_DEFAULTS.maxmemoryPolicy;
    const snapshotWindow = props.snapshotWindow ?? '03:00-04:00';
    const maintenanceWindow = props.maintenanceWindow ?? 'sun:05:00-sun:06:00';
    const variableName = props.authTokenVariableName ?? `${props.name.replace(/-/g, '_')}_auth_token`;

    if (!isReplicationGroupId(props.name)) fail(this, 'name', props.name, REPLICATION_GROUP_ID_RULE);
    if (!isEngineVersion(engineVersion)) fail(this, 'engineVersion', engineVersion, ENGINE_VERSION_RULE);
    const version = /^(\d+)\.(\d+)$/.exec(engineVersion);
    if (!isNodeType(nodeType)) fail(this, 'nodeType', nodeType, NODE_TYPE_RULE);
    assertInt(this, 'replicas', replicas, 1, 5);
    assertInt(this, 'snapshotRetentionDays', retention, 0, 35);
    if (!isMemoryPolicy(policy)) fail(this, 'maxmemoryPolicy', policy, MEMORY_POLICY_RULE);
    if (props.subnetIds.length < 2) fail(this, 'subnetIds', props.subnetIds, 'must list at least 2 subnets (zones) for Multi-AZ');
    if (props.clientSecurityGroupIds.length === 0) fail(this, 'clientSecurityGroupIds', [], 'must list at least one security group: nothing could connect');
    if (!/^\d\d:\d\d-\d\d:\d\d$/.test(snapshotWindow)) fail(this, 'snapshotWindow', snapshotWindow, "must be 'hh:mm-hh:mm' (UTC)");
    if (!/^[a-z]{3}:\d\d:\d\d-[a-z]{3}:\d\d:\d\d$/.test(maintenanceWindow)) {
      fail(this, 'maintenanceWindow', maintenanceWindow, "must be 'ddd:hh:mm-ddd:hh:mm' (UTC)");
    }

    this.authToken = elastiCacheAuthTokenVariable(this, 'AuthToken', variableName, `ElastiCache '${props.name}'`);

    this.securityGroup = new SecurityGroup(this, 'SecurityGroup', {
      name: `${props.name}-redis`,
      description: `ElastiCache ${props.name}: Redis port from the cluster nodes only`,
      vpcId: props.vpcId,
      tags: { Name: `${props.name}-redis` },
    });
    props.clientSecurityGroupIds.forEach((groupId, i) => {
      new VpcSecurityGroupIngressRule(this, `FromClients${i}`, {
        securityGroupId: this.securityGroup.id,
        referencedSecurityGroupId: groupId,
        ipProtocol: 'tcp',
        fromPort: REDIS_PORT,
        toPort: REDIS_PORT,
        description: 'Redis from the cluster nodes',
      });
    });

    this.subnetGroup = new ElasticacheSubnetGroup(this, 'SubnetGroup', {
      name: `${props.name}-redis`,
      description: `ElastiCache ${props.name}: private subnets`,
      subnetIds: props.subnetIds,
    });
    this.parameterGroup = new ElasticacheParameterGroup(this, 'ParameterGroup', {
      name: `${props.name}-redis${version![1]}`,
      description: `ElastiCache ${props.name}: memory policy as in-cluster Redis`,
      // AWS's family names: redis6.x for every 6.x engine, redis7 for 7.x.
      family: Number(version![1]) >= 7 ? `redis${version![1]}` : `redis${version![1]}.x`,
      parameter: [{ name: 'maxmemory-policy', value: policy }],
      lifecycle: { createBeforeDestroy: true },
    });

    this.replicationGroup = new ElasticacheReplicationGroup(this, 'ReplicationGroup', {
      replicationGroupId: props.name,
      description: `Redis for ${props.name}`,
      engine: 'redis',
      engineVersion,
      nodeType,
      port: REDIS_PORT,
      numCacheClusters: replicas + 1,
      automaticFailoverEnabled: true,
      multiAzEnabled: true,
      parameterGroupName: this.parameterGroup.name,
      subnetGroupName: this.subnetGroup.name,
      securityGroupIds: [this.securityGroup.id],
      atRestEncryptionEnabled: 'true',
      kmsKeyId: props.kmsKeyArn,
      transitEncryptionEnabled: true,
      authToken: this.authToken.stringValue,
      authTokenUpdateStrategy: 'ROTATE',
      snapshotRetentionLimit: retention,
      snapshotWindow,
      maintenanceWindow,
      autoMinorVersionUpgrade: 'true',
      applyImmediately: false,
      finalSnapshotIdentifier: retention > 0 ? `${props.name}-final` : undefined,
      notificationTopicArn: props.notificationTopicArn,
    });
    this.primaryEndpoint = this.replicationGroup.primaryEndpointAddress;
    this.readerEndpoint = this.replicationGroup.readerEndpointAddress;
  }
}
