import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { TerraformOutput, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import type { AwsConfig, EnvironmentConfig } from '../config';
import { BackupBucket } from '../constructs/aws-foundation/backup-bucket';
import { EksCluster } from '../constructs/aws-foundation/eks-cluster';
import { IrsaRole } from '../constructs/aws-foundation/irsa-role';
import { KmsKey } from '../constructs/aws-foundation/kms-key';
import { Network } from '../constructs/aws-foundation/network';
import { ElastiCacheRedis } from '../constructs/redis/elasticache-redis';
import { configureBackend } from './backend';
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
  /** IRSA role of the backup/snapshot writer's service account: that bucket and the data key only. */
  public readonly backupWriterRole: IrsaRole;
  /** How the platform and workloads stacks reach the cluster (cross-stack references). */
  public readonly clusterAccess: ClusterAccess;

  constructor(scope: Construct, id: string, env: EnvironmentConfig & { aws: AwsConfig }) {
    super(scope, id);
    configureBackend(this, env, id);
    const aws = env.aws;
    new AwsProvider(this, 'aws', {
      region: aws.region,
      defaultTags: [{ tags: { environment: env.name, 'managed-by': 'cdktf', stack: id } }],
    });

    const clusterName = `platform-${env.name}`;
    this.dataKey = new KmsKey(this, 'data-key', {
      alias: `${clusterName}/data`,
      description: `${clusterName}: data at rest (EKS secrets, backups, ElastiCache)`,
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
      nodeGroups: aws.eks.nodeGroups,
    });

    this.vaultUnsealKey = new KmsKey(this, 'vault-unseal-key', {
      alias: `${clusterName}/vault-unseal`,
      description: `${clusterName}: Vault auto-unseal`,
    });
    const vaultSa = aws.serviceAccounts.vault;
    this.vaultUnsealRole = new IrsaRole(this, 'vault-unseal-role', {
      roleName: `${clusterName}-vault-unseal`,
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
      roleName: `${clusterName}-backup-writer`,
      oidcProviderArn: this.eks.oidcProviderArn,
      oidcIssuer: this.eks.oidcIssuer,
      namespace: backupSa.namespace,
      serviceAccount: backupSa.name,
      statements: [
        { actions: ['s3:ListBucket', 's3:GetBucketLocation', 's3:ListBucketMultipartUploads', 's3:ListBucketVersions'], resources: [this.backups.arn] },
        {
          actions: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'],
          resources: [`${this.backups.arn}/*`],
        },
        { actions: ['kms:GenerateDataKey', 'kms:Decrypt', 'kms:DescribeKey'], resources: [this.dataKey.arn] },
      ],
    });

    this.clusterAccess = {
      kind: 'eks',
      clusterName,
      region: aws.region,
      endpoint: this.eks.endpoint,
      caCertificatePem: this.eks.caCertificatePem,
    };
    new TerraformOutput(this, 'cluster_name', { value: clusterName });
    new TerraformOutput(this, 'vpc_id', { value: this.network.vpc.id });
    new TerraformOutput(this, 'oidc_provider_arn', { value: this.eks.oidcProviderArn });
    new TerraformOutput(this, 'vault_unseal_key_id', { value: this.vaultUnsealKey.keyId });
    new TerraformOutput(this, 'vault_unseal_role_arn', { value: this.vaultUnsealRole.arn });
    new TerraformOutput(this, 'backup_bucket', { value: this.backups.bucketName });
    new TerraformOutput(this, 'backup_writer_role_arn', { value: this.backupWriterRole.arn });

    // managed Redis (constructs/redis): ElastiCache when the environment's Redis is `managed`, reachable from the
    // EKS nodes only, encrypted with the data key. The AUTH token comes from TF_VAR_redis_auth_token at deploy time.
    if (env.redis.mode === 'managed') {
      const redis = new ElastiCacheRedis(this, 'redis', {
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
        authTokenVariableName: 'redis_auth_token',
      });
      new TerraformOutput(this, 'redis_primary_endpoint', { value: redis.primaryEndpoint });
      new TerraformOutput(this, 'redis_reader_endpoint', { value: redis.readerEndpoint });
      new TerraformOutput(this, 'redis_port', { value: redis.port });
    }
  }
}
