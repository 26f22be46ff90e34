import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { EksAccessEntry } from '@cdktf/provider-aws/lib/eks-access-entry';
import { EksAccessPolicyAssociation } from '@cdktf/provider-aws/lib/eks-access-policy-association';
import { EksCluster as AwsEksCluster } from '@cdktf/provider-aws/lib/eks-cluster';
import { IamOpenidConnectProvider } from '@cdktf/provider-aws/lib/iam-openid-connect-provider';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { Fn } from 'cdktf';
import { Construct } from 'constructs';
import { fail } from '../core/errors';
import { zonalSizes } from './capacity';
import { cidrPrefix } from './cidr';
import { EksAddons } from './eks-addons';
import { policyJson, serviceTrustJson } from './iam';
import { ManagedNodeGroup, NodeGroupSpec } from './node-group';
import {
  EKS_LOG_TYPES,
  EKS_VERSIONS,
  EKS_VERSION_RULE,
  EksAddonName,
  EksLogType,
  LOG_RETENTION_RULE,
  PUBLIC_ENDPOINT_PREFIX_MIN,
  PUBLIC_ENDPOINT_RULE,
  ROLE_ARN_RULE,
  isLogRetentionDays,
  isRoleArn,
} from './rules';

/** The EKS access policy that makes a principal cluster-admin. */
export const CLUSTER_ADMIN_POLICY_ARN = 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy';

/** A zone and the one subnet of it that nodes run in. */
export interface ZoneSubnet {
  /** Availability zone, full name (`eu-west-1a`), a plain string: it becomes part of node group names. */
  readonly zone: string;
  /** Subnet id in that zone (a Terraform reference is fine). */
  readonly subnetId: string;
}

/** Properties of `EksCluster`. */
export interface EksClusterProps {
  /** Cluster name. */
  readonly name: string;
  /** Kubernetes minor version, such as `1.33`. */
  readonly version: string;
  /** Subnets of the control plane's network interfaces and of the nodes (the private ones). */
  readonly subnetIds: string[];
  /** ARN of the KMS key that envelope-encrypts Kubernetes Secrets in etcd (always on). */
  readonly secretsKmsKeyArn: string;
  /**
   * Source ranges allowed to reach the public API endpoint. The private endpoint is always on, so nodes and
   * anything inside the VPC use it; an empty list turns the public endpoint off.
   * @default [] (private endpoint only)
   */
  readonly publicAccessCidrs?: readonly string[];
  /**
   * Control-plane log types sent to CloudWatch Logs.
   * @default all five: api, audit, authenticator, controllerManager, scheduler
   */
  readonly logTypes?: readonly EksLogType[];
  /**
   * Days the control-plane logs are kept.
   * @default 365
   */
  readonly logRetentionDays?: number;
  /**
   * Node groups. Each becomes one managed node group per entry of `nodeSubnets`, named `<name>-<zone>`, in that
   * zone's subnet only, with `zonalSizes` of its sizes (ceil of size / zones): the cluster autoscaler can then start a
   * node in the zone a Pending pod needs (zone spread, a zonal EBS volume), which a multi-zone group cannot promise.
   * @default none (a cluster without nodes runs no pods)
   */
  readonly nodeGroups?: readonly NodeGroupSpec[];
  /**
   * The zones nodes run in, each with its one (private) subnet; required when `nodeGroups` lists any.
   * @default none
   */
  readonly nodeSubnets?: readonly ZoneSubnet[];
  /**
   * IAM roles made cluster-admin through EKS access entries (AmazonEKSClusterAdminPolicy, cluster scope), besides
   * the cluster's creator, whom EKS makes admin itself (listing the creator too fails: its entry already exists).
   * @default none: only the creator reaches the API
   */
  readonly adminPrincipalArns?: readonly string[];
  /**
   * Managed add-on versions to pin.
   * @default EKS's default version of each add-on for the cluster's Kubernetes version, at creation
   */
  readonly addonVersions?: Readonly<Partial<Record<EksAddonName, string>>>;
  /**
   * Key the EBS CSI driver encrypts volumes with (its role gets the grants and data-key use for it).
   * @default secretsKmsKeyArn
   */
  readonly volumeKmsKeyArn?: string;
  /**
   * Let the VPC CNI enforce NetworkPolicies.
   * @default true
   */
  readonly networkPolicy?: boolean;
}

/**
 * An EKS control plane with secrets encryption, control-plane logs, a private endpoint (the public one limited to
 * listed ranges), the IAM OIDC provider for IAM roles for service accounts, and managed node groups.
 * Access is managed with EKS access entries (`API` mode); whoever creates the cluster is its first admin.
 */
export class EksCluster extends Construct {
  public readonly cluster: AwsEksCluster;
  public readonly name: string;
  /** API server URL (a Terraform reference). */
  public readonly endpoint: string;
  /** Cluster CA certificate, PEM (a Terraform reference). */
  public readonly caCertificatePem: string;
  /** The security group EKS creates and puts on the control plane and on managed nodes (a Terraform reference). */
  public readonly clusterSecurityGroupId: string;
  /** IAM OIDC provider of the cluster, trusted by IRSA roles. */
  public readonly oidcProvider: IamOpenidConnectProvider;
  /** ARN of the OIDC provider (a Terraform reference). */
  public readonly oidcProviderArn: string;
  /** The OIDC issuer without `https://`, the prefix of IRSA condition keys (a Terraform reference). */
  public readonly oidcIssuer: string;
  /** The nodes' IAM role, shared by every node group. */
  public readonly nodeRole: IamRole;
  /** Every managed node group: one per configured group and zone, in config order, zones in `nodeSubnets` order. */
  public readonly nodeGroups: ManagedNodeGroup[] = [];
  public readonly controlPlaneLogGroup: CloudwatchLogGroup;
  /** Managed add-ons (vpc-cni, kube-proxy, coredns, aws-ebs-csi-driver) and the EBS CSI driver's role. */
  public readonly addons: EksAddons;
  /** One access entry per admin principal, with its cluster-admin policy association. */
  public readonly adminAccess: { entry: EksAccessEntry; policy: EksAccessPolicyAssociation }[] = [];
  /** ARN of the cluster's IAM role (a Terraform reference). */
  public readonly clusterRoleArn: string;

  constructor(scope: Construct, id: string, props: EksClusterProps) {
    super(scope, id);
    const publicAccessCidrs = [...(props.publicAccessCidrs ?? [])];
    const logTypes = [...(props.logTypes ?? EKS_LOG_TYPES)];
    const logRetentionDays = props.logRetentionDays ?? 365;
    const nodeGroups = props.nodeGroups ?? [];
    const adminPrincipalArns = props.adminPrincipalArns ?? [];
    const nodeSubnets = props.nodeSubnets ?? [];

    if (!(EKS_VERSIONS as readonly string[]).includes(props.version)) fail(this, 'version', props.version, EKS_VERSION_RULE);
    if (props.subnetIds.length < 2) fail(this, 'subnetIds', props.subnetIds, 'must list subnets in at least 2 zones');
    for (const c of publicAccessCidrs) {
      const prefix = cidrPrefix(c);
      if (prefix === undefined || prefix < PUBLIC_ENDPOINT_PREFIX_MIN) fail(this, 'publicAccessCidrs', c, PUBLIC_ENDPOINT_RULE);
    }
    for (const t of logTypes) {
      if (!(EKS_LOG_TYPES as readonly string[]).includes(t)) fail(this, 'logTypes', t, `must be one of ${EKS_LOG_TYPES.join(', ')}`);
    }
    if (!isLogRetentionDays(logRetentionDays)) fail(this, 'logRetentionDays', logRetentionDays, LOG_RETENTION_RULE);
    const seen = new Set<string>();
    for (const g of nodeGroups) {
      if (seen.has(g.name)) fail(this, 'nodeGroups', g.name, 'is a duplicate node group name: each node group needs its own');
      seen.add(g.name);
    }
    if (nodeGroups.length > 0 && nodeSubnets.length === 0) {
      fail(this, 'nodeSubnets', nodeSubnets, 'must list the zones nodes run in, each with its subnet, when nodeGroups lists any');
    }
    nodeSubnets.forEach(({ zone }, i) => {
      if (!/^[a-z]{2}(-gov)?-[a-z]+-\d[a-z]$/.test(zone)) fail(this, 'nodeSubnets.zone', zone, "must be an availability zone such as 'eu-west-1a'");
      if (nodeSubnets.findIndex((s) => s.zone === zone) !== i) fail(this, 'nodeSubnets.zone', zone, 'is listed twice: one subnet per zone');
    });
    adminPrincipalArns.forEach((arn, i) => {
      if (!isRoleArn(arn)) fail(this, 'adminPrincipalArns', arn, ROLE_ARN_RULE);
      if (adminPrincipalArns.indexOf(arn) !== i) fail(this, 'adminPrincipalArns', arn, 'is listed twice');
    });
    this.name = props.name;

    const role = new IamRole(this, 'ClusterRole', {
      name: `${props.name}-cluster`,
      assumeRolePolicy: serviceTrustJson('eks.amazonaws.com', ['sts:AssumeRole', 'sts:TagSession']),
    });
    const policy = new IamRolePolicyAttachment(this, 'ClusterPolicy', {
      role: role.name,
      policyArn: 'arn:aws:iam::aws:policy/AmazonEKSClusterPolicy',
    });
    this.clusterRoleArn = role.arn;
    // The control plane encrypts Secrets with the key through grants; this is what it needs on that key alone.
    const kmsPolicy = new IamRolePolicy(this, 'ClusterEncryptionPolicy', {
      role: role.id,
      name: 'secrets-encryption',
      policy: policyJson([{ actions: ['kms:Encrypt', 'kms:Decrypt', 'kms:ListGrants', 'kms:DescribeKey'], resources: [props.secretsKmsKeyArn] }]),
    });
    // Created before the cluster so that EKS writes into a group with a retention, not one it makes without.
    this.controlPlaneLogGroup = new CloudwatchLogGroup(this, 'ControlPlaneLogs', {
      name: `/aws/eks/${props.name}/cluster`,
      retentionInDays: logRetentionDays,
    });

    this.cluster = new AwsEksCluster(this, 'Cluster', {
      name: props.name,
      version: props.version,
      roleArn: role.arn,
      vpcConfig: {
        subnetIds: props.subnetIds,
        endpointPrivateAccess: true,
        endpointPublicAccess: publicAccessCidrs.length > 0,
        ...(publicAccessCidrs.length > 0 ? { publicAccessCidrs } : {}),
      },
      encryptionConfig: { resources: ['secrets'], provider: { keyArn: props.secretsKmsKeyArn } },
      enabledClusterLogTypes: logTypes,
      accessConfig: { authenticationMode: 'API', bootstrapClusterCreatorAdminPermissions: true },
      dependsOn: [policy, kmsPolicy, this.controlPlaneLogGroup],
    });
    this.endpoint = this.cluster.endpoint;
    this.caCertificatePem = Fn.base64decode(this.cluster.certificateAuthority.get(0).data);
    this.clusterSecurityGroupId = this.cluster.vpcConfig.clusterSecurityGroupId;

    const issuerUrl = this.cluster.identity.get(0).oidc.get(0).issuer;
    this.oidcProvider = new IamOpenidConnectProvider(this, 'OidcProvider', {
      url: issuerUrl,
      clientIdList: ['sts.amazonaws.com'],
    });
    this.oidcProviderArn = this.oidcProvider.arn;
    this.oidcIssuer = Fn.replace(issuerUrl, 'https://', '');

    this.nodeRole = new IamRole(this, 'NodeRole', {
      name: `${props.name}-node`,
      assumeRolePolicy: serviceTrustJson('ec2.amazonaws.com'),
    });
    // The VPC CNI runs on the node role here (simplest to bootstrap); move it to IRSA when the cluster grows.
    const nodePolicies = ['AmazonEKSWorkerNodePolicy', 'AmazonEKS_CNI_Policy', 'AmazonEC2ContainerRegistryReadOnly'].map(
      (name) => new IamRolePolicyAttachment(this, `NodePolicy-${name}`, { role: this.nodeRole.name, policyArn: `arn:aws:iam::aws:policy/${name}` }),
    );
    this.addons = new EksAddons(this, 'Addons', {
      clusterName: this.cluster.name,
      namePrefix: props.name,
      oidcProviderArn: this.oidcProviderArn,
      oidcIssuer: this.oidcIssuer,
      volumeKmsKeyArn: props.volumeKmsKeyArn ?? props.secretsKmsKeyArn,
      versions: props.addonVersions,
      networkPolicy: props.networkPolicy,
    });
    for (const spec of nodeGroups) {
      // One group per zone, all alike but for name, subnet and sizes, so that the autoscaler's
      // balance-similar-node-groups treats them as one set and keeps the zones level.
      const sizes = zonalSizes(spec, nodeSubnets.length);
      for (const { zone, subnetId } of nodeSubnets) {
        const group = new ManagedNodeGroup(this, `NodeGroup-${spec.name}-${zone}`, {
          ...spec,
          ...sizes,
          name: `${spec.name}-${zone}`,
          clusterName: this.cluster.name,
          namePrefix: props.name,
          nodeRoleArn: this.nodeRole.arn,
          subnetIds: [subnetId],
          // Nodes start with the configured CNI (network policy agent on) and the managed kube-proxy.
          dependsOn: [...nodePolicies, ...this.addons.beforeNodes],
        });
        this.nodeGroups.push(group);
      }
    }
    this.addons.addAfterNodes(this.nodeGroups.map((g) => g.nodeGroup));

    for (const principalArn of adminPrincipalArns) {
      // Id from account and role name (unique per account, whatever the path): reordering the list replaces nothing.
      const id = `AdminAccess-${principalArn.split(':')[4]}-${principalArn.split('/').pop()}`;
      const entry = new EksAccessEntry(this, id, { clusterName: this.cluster.name, principalArn, type: 'STANDARD' });
      const policy = new EksAccessPolicyAssociation(this, `${id}-Policy`, {
        clusterName: this.cluster.name,
        principalArn,
        policyArn: CLUSTER_ADMIN_POLICY_ARN,
        accessScope: { type: 'cluster' },
        dependsOn: [entry],
      });
      this.adminAccess.push({ entry, policy });
    }
  }
}
