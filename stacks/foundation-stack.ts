import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { TerraformOutput, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import type { AwsConfig, EnvironmentConfig } from '../config';
import { EksCluster } from '../constructs/aws-foundation/eks-cluster';
import { Network } from '../constructs/aws-foundation/network';
import { configureBackend } from './backend';
import type { ClusterAccess } from './cluster-access';

/** `foundation-<env>`: the AWS account side of an environment (network, cluster). AWS environments only. */
export class FoundationStack extends TerraformStack {
  public readonly network: Network;
  public readonly eks: EksCluster;
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
    this.network = new Network(this, 'network', { name: clusterName, vpcCidr: aws.vpcCidr, zones: aws.zones, clusterName });
    this.eks = new EksCluster(this, 'eks', {
      name: clusterName,
      version: aws.eks.version,
      subnetIds: this.network.privateSubnets.map((s) => s.id),
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
  }
}
