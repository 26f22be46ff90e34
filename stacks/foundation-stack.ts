import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { TerraformOutput, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { ConfigError } from '../config';
import type { AwsConfig, EnvironmentConfig } from '../config';
import { nodeCapacityProblems } from '../config/schema/aws';
import { BACKUPS_PREFIX, BackupBucket, SNAPSHOTS_PREFIX } from '../constructs/aws-foundation/backup-bucket';
import { EksCluster } from '../constructs/aws-foundation/eks-cluster';
import { IrsaRole } from '../constructs/aws-foundation/irsa-role';
import { KmsKey } from '../constructs/aws-foundation/kms-key';
import { Network } from '../constructs/aws-foundation/network';
import { ClusterAutoscalerRole } from '../constructs/cluster-autoscaler/cluster-autoscaler-role';
import { ElastiCacheAlarms } from '../constructs/redis/elasticache-alarms';
import { ElastiCacheRedis } from '../constructs/redis/elasticache-redis';
import { configureBackend, REDIS_AUTH_TOKEN_VARIABLE } from './backend';
import type { ClusterAccess } from './cluster-access';

/**
 * `foundation-<env>`: the AWS account side of an environment. AWS environments only. Network (VPC over the
 * configured zones, NAT, flow logs), EKS (node groups, OIDC for IRSA, logs, encrypted secrets), the data key, Vault's
 * auto-unseal key and IRSA role, the backup bucket and its writer role. Its outputs are how `platform-<env>` and
 * `workloads-<env>` reach the cluster (cross-stack references), so cdktf deploys it first.
 */
export class FoundationStack extends TerraformStack {
  public readonly network: Network;
  public readonly eks: EksCluster;
  /** Customer-managed key for data at rest: EKS secrets, the backup bucket, ElastiCache. */
  public readonly dataKey: KmsKey;
  /** Key that Vault seals its root key with (auto-unseal); used by Vault only. */
  public readonly vaultUnsealKey: KmsKey;
  /** IRSA role of Vault's service account: encrypt/decrypt with `vaultUnsealKey`, nothing else. */
  public readonly vaultUnsealRole: IrsaRole;
  /** Bucket for backups and Elasticsearch snapshots. */
  public readonly backups: BackupBucket;
  /** IRSA role of the backup/snapshot writer's service account: that bucket's two prefixes and the data key only. */
  public readonly backupWriterRole: IrsaRole;
  /** IRSA role of the cluster autoscaler: scales only Auto Scaling groups tagged as this cluster's. */
  public readonly clusterAutoscalerRole: ClusterAutoscalerRole;
  /** How the platform and workloads stacks reach the cluster (cross-stack references). */
  public readonly clusterAccess: ClusterAccess;
  /** The ElastiCache replication group, when the environment's Redis is `managed`. */
  public readonly redis?: ElastiCacheRedis;

  constructor(scope: Construct, id: string, env: EnvironmentConfig & { aws: AwsConfig }) {
    super(scope, id);
    configureBackend(this, env, id);
    const aws = env.aws;
    // The node-group sizing check needs apps and monitoring as well as aws, so it runs here, before any resource:
    // a failure is a config error and the synth writes nothing.
    const capacityProblems = nodeCapacityProblems(env);
    if (capacityProblems.length > 0) throw new ConfigError(capacityProblems);
    new AwsProvider(this, 'aws', {
      region: aws.region,
      defaultTags: [{ tags: { environment: env.name, 'managed-by': 'cdktf', stack: id } }],
    });

    const clusterName = `platform-${env.name}`;
    // Role ARNs in key policies are written from names, not references: the roles trust the cluster's OIDC
    // provider, the cluster needs the data key, so a reference would be a cycle. The key policies match them with
    // aws:PrincipalArn, which holds for a role created after the key.
    const roleArn = (name: string) => `arn:aws:iam::${aws.accountId}:role/${name}`;
    const names = {
      clusterRole: `${clusterName}-cluster`,
      vaultUnseal: `${clusterName}-vault-unseal`,
      backupWriter: `${clusterName}-backup-writer`,
    };
    const viaService = (service: string) => `${service}.${aws.region}.amazonaws.com`;
    this.dataKey = new KmsKey(this, 'data-key', {
      alias: `${clusterName}/data`,
      description: `${clusterName}: data at rest (EKS secrets, EBS volumes, backups, ElastiCache)`,
      policy: {
        accountId: aws.accountId,
        uses: [
          // The control plane envelope-encrypts Secrets with its role (through the grant EKS creates at cluster creation).
          { sid: 'EksClusterSecrets', roleArn: roleArn(names.clusterRole), actions: ['kms:Encrypt', 'kms:Decrypt', 'kms:ListGrants', 'kms:DescribeKey'] },
          // EBS volumes (the EBS CSI driver through EC2) and ElastiCache, on behalf of this account's principals.
          {
            sid: 'EbsAndElastiCache',
            viaServices: [viaService('ec2'), viaService('elasticache')],
            actions: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey'],
          },
          // Grants for AWS resources only: EKS (the cluster's secrets grant), EC2 (attached volumes), ElastiCache.
          {
            sid: 'GrantsForAwsResources',
            viaServices: [viaService('eks'), viaService('ec2'), viaService('elasticache')],
            actions: ['kms:CreateGrant', 'kms:ListGrants', 'kms:RevokeGrant'],
            grantsForAwsResourcesOnly: true,
          },
          // S3 SSE-KMS of the backup bucket, with the writer's own identity.
          { sid: 'BackupWriter', roleArn: roleArn(names.backupWriter), actions: ['kms:GenerateDataKey', 'kms:Decrypt', 'kms:DescribeKey'] },
          // Managed Redis: CloudWatch alarms and ElastiCache events publish to an SNS topic encrypted with this key.
          ...(env.redis.mode === 'managed'
            ? [{ sid: 'AlarmNotifications', servicePrincipals: ['cloudwatch.amazonaws.com', 'elasticache.amazonaws.com'], actions: ['kms:GenerateDataKey*', 'kms:Decrypt'] }]
            : []),
        ],
      },
    });
    this.network = new Network(this, 'network', {
      name: clusterName,
      vpcCidr: aws.vpcCidr,
      zones: aws.zones,
      clusterName,
      natGateways: aws.natGateways,
      flowLogRetentionDays: aws.logRetentionDays,
    });
    this.eks = new EksCluster(this, 'eks', {
      name: clusterName,
      version: aws.eks.version,
      subnetIds: this.network.privateSubnetIds,
      secretsKmsKeyArn: this.dataKey.arn,
      publicAccessCidrs: aws.eks.publicEndpointCidrs,
      logRetentionDays: aws.logRetentionDays,
      // One managed node group per configured group and zone (general-eu-west-1a, ...), in that zone's private subnet.
      nodeGroups: aws.eks.nodeGroups,
      nodeSubnets: this.network.privateZoneSubnets,
      adminPrincipalArns: aws.eks.adminPrincipalArns,
      addonVersions: aws.eks.addonVersions,
      volumeKmsKeyArn: this.dataKey.arn,
    });

    // Whoever may decrypt with this key can unseal Vault: the root administers it, only Vault's role uses it.
    this.vaultUnsealKey = new KmsKey(this, 'vault-unseal-key', {
      alias: `${clusterName}/vault-unseal`,
      description: `${clusterName}: Vault auto-unseal`,
      policy: {
        accountId: aws.accountId,
        uses: [{ sid: 'VaultUnseal', roleArn: roleArn(names.vaultUnseal), actions: ['kms:Encrypt', 'kms:Decrypt', 'kms:DescribeKey'] }],
      },
    });
    const vaultSa = aws.serviceAccounts.vault;
    this.vaultUnsealRole = new IrsaRole(this, 'vault-unseal-role', {
      roleName: names.vaultUnseal,
      oidcProviderArn: this.eks.oidcProviderArn,
      oidcIssuer: this.eks.oidcIssuer,
      namespace: vaultSa.namespace,
      serviceAccount: vaultSa.name,
      statements: [{ actions: ['kms:Encrypt', 'kms:Decrypt', 'kms:DescribeKey'], resources: [this.vaultUnsealKey.arn] }],
    });

    this.backups = new BackupBucket(this, 'backups', {
      bucketName: aws.backups.bucket,
      kmsKeyArn: this.dataKey.arn,
      transitionToInfrequentAccessDays: aws.backups.transitionToInfrequentAccessDays,
      expirationDays: aws.backups.expirationDays,
      noncurrentVersionExpirationDays: aws.backups.noncurrentVersionExpirationDays,
    });
    const backupSa = aws.serviceAccounts.backups;
    this.backupWriterRole = new IrsaRole(this, 'backup-writer-role', {
      roleName: names.backupWriter,
      oidcProviderArn: this.eks.oidcProviderArn,
      oidcIssuer: this.eks.oidcIssuer,
      namespace: backupSa.namespace,
      serviceAccount: backupSa.name,
      statements: [
        { actions: ['s3:ListBucket', 's3:GetBucketLocation', 's3:ListBucketMultipartUploads', 's3:ListBucketVersions'], resources: [this.backups.arn] },
        {
          // Only the two prefixes the lifecycle knows: nothing lands where no rule (or the wrong one) applies.
          actions: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'],
          resources: [`${this.backups.arn}/${BACKUPS_PREFIX}*`, `${this.backups.arn}/${SNAPSHOTS_PREFIX}*`],
        },
        { actions: ['kms:GenerateDataKey', 'kms:Decrypt', 'kms:DescribeKey'], resources: [this.dataKey.arn] },
      ],
    });

    this.clusterAutoscalerRole = new ClusterAutoscalerRole(this, 'cluster-autoscaler-role', {
      clusterName,
      region: aws.region,
      accountId: aws.accountId,
      oidcProviderArn: this.eks.oidcProviderArn,
      oidcIssuer: this.eks.oidcIssuer,
    });

    this.clusterAccess = {
      kind: 'eks',
      clusterName,
      region: aws.region,
      endpoint: this.eks.endpoint,
      caCertificatePem: this.eks.caCertificatePem,
      dataKeyArn: this.dataKey.arn,
      clusterAutoscalerRoleArn: this.clusterAutoscalerRole.arn,
    };
    new TerraformOutput(this, 'cluster_name', { value: clusterName });
    new TerraformOutput(this, 'vpc_id', { value: this.network.vpc.id });
    new TerraformOutput(this, 'oidc_provider_arn', { value: this.eks.oidcProviderArn });
    new TerraformOutput(this, 'vault_unseal_key_id', { value: this.vaultUnsealKey.keyId });
    new TerraformOutput(this, 'vault_unseal_role_arn', { value: this.vaultUnsealRole.arn });
    new TerraformOutput(this, 'backup_bucket', { value: this.backups.bucketName });
    new TerraformOutput(this, 'backup_writer_role_arn', { value: this.backupWriterRole.arn });
    // The Elasticsearch S3 repository's base_path: the prefix the lifecycle never expires.
    new TerraformOutput(this, 'es_snapshot_base_path', { value: SNAPSHOTS_PREFIX.replace(/\/$/, '') });
    new TerraformOutput(this, 'cluster_autoscaler_role_arn', { value: this.clusterAutoscalerRole.arn });

    // managed Redis (constructs/redis): ElastiCache when the environment's Redis is `managed`, reachable from the
    // EKS nodes only, encrypted with the data key. The AUTH token comes from TF_VAR_redis_auth_token at deploy time.
    // CloudWatch alarms (memory, engine CPU, evictions, replication lag, connections) and the group's events go to
    // an SNS topic encrypted with the data key; people subscribe to it outside this project.
    // workloads-<env> takes the endpoint from `redis` for apps' `redis-connection` ConfigMap.
    if (env.redis.mode === 'managed') {
      const redisAlarms = new ElastiCacheAlarms(this, 'redis-alarms', {
        replicationGroupId: clusterName,
        nodes: env.redis.replicas + 1,
        kmsKeyArn: this.dataKey.arn,
        // Memory and eviction alarms only where reaching maxmemory is a fault (noeviction, volatile-*).
        maxmemoryPolicy: env.redis.maxmemoryPolicy,
      });
      const redis = (this.redis = new ElastiCacheRedis(this, 'redis', {
        notificationTopicArn: redisAlarms.topic.arn,
        name: clusterName,
        vpcId: this.network.vpc.id,
        subnetIds: this.network.privateSubnets.map((s) => s.id),
        clientSecurityGroupIds: [this.eks.clusterSecurityGroupId],
        kmsKeyArn: this.dataKey.arn,
        nodeType: env.redis.nodeType,
        engineVersion: env.redis.engineVersion,
        replicas: env.redis.replicas,
        snapshotRetentionDays: env.redis.snapshotRetentionDays,
        maxmemoryPolicy: env.redis.maxmemoryPolicy,
        authTokenVariableName: REDIS_AUTH_TOKEN_VARIABLE,
      }));
      new TerraformOutput(this, 'redis_primary_endpoint', { value: redis.primaryEndpoint });
      new TerraformOutput(this, 'redis_reader_endpoint', { value: redis.readerEndpoint });
      new TerraformOutput(this, 'redis_port', { value: redis.port });
      new TerraformOutput(this, 'redis_alarm_topic_arn', { value: redisAlarms.topic.arn });
    }
  }
}
