import { Construct } from 'constructs';
import { IrsaRole } from '../aws-foundation/irsa-role';
import { ACCOUNT_ID_RULE, isAccountId } from '../aws-foundation/rules';
import { fail } from '../core/errors';

/** The service account the cluster-autoscaler release runs as (the role trusts exactly this one). */
export const CLUSTER_AUTOSCALER_SERVICE_ACCOUNT = { namespace: 'kube-system', name: 'cluster-autoscaler' } as const;

/** The ASG tag EKS managed node groups carry (`owned`) and the autoscaler's auto-discovery matches. */
export function clusterAutoscalerOwnedTag(clusterName: string): string {
  return `k8s.io/cluster-autoscaler/${clusterName}`;
}

/** Properties of `ClusterAutoscalerRole`. */
export interface ClusterAutoscalerRoleProps {
  /** The cluster's name (plain string): the tag the role's writes are limited to. */
  readonly clusterName: string;
  /** Region of the cluster. */
  readonly region: string;
  /** The account of the cluster (12 digits). */
  readonly accountId: string;
  /** ARN of the cluster's IAM OIDC provider. */
  readonly oidcProviderArn: string;
  /** The cluster's OIDC issuer without `https://`. */
  readonly oidcIssuer: string;
}

/**
 * The IRSA role of the cluster autoscaler (`kube-system:cluster-autoscaler`): read-only discovery of Auto Scaling
 * groups, instance types and launch templates; `eks:DescribeNodegroup` on this cluster's node groups; and the two
 * writes, SetDesiredCapacity and TerminateInstanceInAutoScalingGroup, only on Auto Scaling groups tagged
 * `k8s.io/cluster-autoscaler/<cluster>: owned`, which EKS puts on the groups of this cluster's managed node groups.
 */
export class ClusterAutoscalerRole extends Construct {
  public readonly irsa: IrsaRole;
  /** Role ARN (a Terraform reference). */
  public readonly arn: string;

  constructor(scope: Construct, id: string, props: ClusterAutoscalerRoleProps) {
    super(scope, id);
    if (!isAccountId(props.accountId)) fail(this, 'accountId', props.accountId, ACCOUNT_ID_RULE);
    const { region, accountId, clusterName } = props;
    this.irsa = new IrsaRole(this, 'Role', {
      roleName: `${clusterName}-cluster-autoscaler`,
      oidcProviderArn: props.oidcProviderArn,
      oidcIssuer: props.oidcIssuer,
      namespace: CLUSTER_AUTOSCALER_SERVICE_ACCOUNT.namespace,
      serviceAccount: CLUSTER_AUTOSCALER_SERVICE_ACCOUNT.name,
      statements: [
        {
          sid: 'Discover',
          actions: [
            'autoscaling:DescribeAutoScalingGroups',
            'autoscaling:DescribeAutoScalingInstances',
            'autoscaling:DescribeLaunchConfigurations',
            'autoscaling:DescribeScalingActivities',
            'autoscaling:DescribeTags',
            'ec2:DescribeImages',
            'ec2:DescribeInstanceTypes',
            'ec2:DescribeLaunchTemplateVersions',
            'ec2:GetInstanceTypesFromInstanceRequirements',
          ],
          // Describe calls support no resource scoping.
          resources: ['*'],
        },
        { sid: 'DescribeOwnNodegroups', actions: ['eks:DescribeNodegroup'], resources: [`arn:aws:eks:${region}:${accountId}:nodegroup/${clusterName}/*`] },
        {
          sid: 'ScaleOwnedGroupsOnly',
          actions: ['autoscaling:SetDesiredCapacity', 'autoscaling:TerminateInstanceInAutoScalingGroup'],
          resources: [`arn:aws:autoscaling:${region}:${accountId}:autoScalingGroup:*:autoScalingGroupName/*`],
          condition: { StringEquals: { [`autoscaling:ResourceTag/${clusterAutoscalerOwnedTag(clusterName)}`]: 'owned' } },
        },
      ],
    });
    this.arn = this.irsa.arn;
  }
}
