import { EksCluster as AwsEksCluster } from '@cdktf/provider-aws/lib/eks-cluster';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { Fn } from 'cdktf';
import { Construct } from 'constructs';
import { fail } from '../core/errors';

/** Properties of `EksCluster`. */
export interface EksClusterProps {
  /** Cluster name. */
  readonly name: string;
  /** Kubernetes minor version, such as `1.33`. */
  readonly version: string;
  /** Subnets of the control plane's network interfaces (the private ones). */
  readonly subnetIds: string[];
}

/** An EKS control plane. */
export class EksCluster extends Construct {
  public readonly cluster: AwsEksCluster;
  public readonly name: string;
  /** API server URL (a Terraform reference). */
  public readonly endpoint: string;
  /** Cluster CA certificate, PEM (a Terraform reference). */
  public readonly caCertificatePem: string;

  constructor(scope: Construct, id: string, props: EksClusterProps) {
    super(scope, id);
    if (!/^1\.\d{2}$/.test(props.version)) fail(this, 'version', props.version, "must be a Kubernetes minor version such as '1.33'");
    this.name = props.name;

    const role = new IamRole(this, 'ClusterRole', {
      name: `${props.name}-cluster`,
      assumeRolePolicy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { Service: 'eks.amazonaws.com' }, Action: ['sts:AssumeRole', 'sts:TagSession'] }],
      }),
    });
    const policy = new IamRolePolicyAttachment(this, 'ClusterPolicy', {
      role: role.name,
      policyArn: 'arn:aws:iam::aws:policy/AmazonEKSClusterPolicy',
    });

    this.cluster = new AwsEksCluster(this, 'Cluster', {
      name: props.name,
      version: props.version,
      roleArn: role.arn,
      vpcConfig: { subnetIds: props.subnetIds },
      dependsOn: [policy],
    });
    this.endpoint = this.cluster.endpoint;
    this.caCertificatePem = Fn.base64decode(this.cluster.certificateAuthority.get(0).data);
  }
}
