import { EksAddon } from '@cdktf/provider-aws/lib/eks-addon';
import { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { fail } from '../core/errors';
import { IrsaRole } from './irsa-role';
import { ADDON_VERSION_RULE, EKS_ADDONS, EksAddonName, isAddonVersion } from './rules';

/** The AWS managed policy of the EBS CSI driver's controller. */
export const EBS_CSI_DRIVER_POLICY_ARN = 'arn:aws:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy';
/** The service account of the EBS CSI controller, which the add-on creates. */
export const EBS_CSI_SERVICE_ACCOUNT = { namespace: 'kube-system', name: 'ebs-csi-controller-sa' } as const;

/** Properties of `EksAddons`. */
export interface EksAddonsProps {
  /** The cluster's name (a Terraform reference, so that the add-ons wait for the cluster). */
  readonly clusterName: string;
  /** Name prefix of the IAM role of the EBS CSI driver (plain string). */
  readonly namePrefix: string;
  /** ARN of the cluster's IAM OIDC provider, trusted by the EBS CSI driver's role. */
  readonly oidcProviderArn: string;
  /** The cluster's OIDC issuer without `https://`. */
  readonly oidcIssuer: string;
  /** The customer-managed key EBS volumes are encrypted with (the default StorageClass's `kmsKeyId`). */
  readonly volumeKmsKeyArn: string;
  /**
   * Add-on versions to pin, by EKS add-on name.
   * @default none pinned: EKS installs its default version for the cluster's Kubernetes version at creation, and
   * Terraform keeps what is installed afterwards
   */
  readonly versions?: Readonly<Partial<Record<EksAddonName, string>>>;
  /**
   * Let the VPC CNI enforce Kubernetes NetworkPolicies (its network policy agent). Without it, NetworkPolicy objects
   * are accepted and ignored.
   * @default true
   */
  readonly networkPolicy?: boolean;
}

/**
 * The EKS managed add-ons the cluster needs: `vpc-cni` (pod networking, and NetworkPolicy enforcement),
 * `kube-proxy`, `coredns`, and `aws-ebs-csi-driver` (volumes for PersistentVolumeClaims) with its own IRSA role
 * (AmazonEBSCSIDriverPolicy, plus the grants and data-key use that encrypted volumes need).
 *
 * Conflicts: `OVERWRITE` on create (a new cluster runs self-managed vpc-cni, kube-proxy and coredns, which the add-ons
 * adopt) and on update (the configuration lives here, in `configuration_values`: a hand edit of a field the add-on
 * manages is drift, reverted on the next apply; `PRESERVE` would keep it silently and make the code lie). Fields
 * the add-on does not manage are left alone either way.
 *
 * `eks-pod-identity-agent` is not installed: every AWS permission here goes through IRSA.
 */
export class EksAddons extends Construct {
  /** The add-ons, by EKS name (coredns and aws-ebs-csi-driver once `addAfterNodes` ran). */
  public readonly addons: Partial<Record<EksAddonName, EksAddon>> = {};
  /** IRSA role of the EBS CSI controller. */
  public readonly ebsCsiRole: IrsaRole;
  /** The add-ons nodes should wait for (networking), so that the first pods start with the configured CNI. */
  public readonly beforeNodes: ITerraformDependable[];

  private readonly props: EksAddonsProps;
  private readonly versions: Readonly<Partial<Record<EksAddonName, string>>>;

  constructor(scope: Construct, id: string, props: EksAddonsProps) {
    super(scope, id);
    this.props = props;
    const versions = props.versions ?? {};
    const networkPolicy = props.networkPolicy ?? true;
    for (const [name, version] of Object.entries(versions)) {
      if (!(EKS_ADDONS as readonly string[]).includes(name)) fail(this, 'versions', name, `must name an add-on this project installs: ${EKS_ADDONS.join(', ')}`);
      if (version !== undefined && !isAddonVersion(version)) fail(this, `versions.${name}`, version, ADDON_VERSION_RULE);
    }

    this.ebsCsiRole = new IrsaRole(this, 'EbsCsiRole', {
      roleName: `${props.namePrefix}-ebs-csi`,
      oidcProviderArn: props.oidcProviderArn,
      oidcIssuer: props.oidcIssuer,
      namespace: EBS_CSI_SERVICE_ACCOUNT.namespace,
      serviceAccount: EBS_CSI_SERVICE_ACCOUNT.name,
      managedPolicyArns: [EBS_CSI_DRIVER_POLICY_ARN],
      // What the managed policy lacks for a customer-managed key: grants for the volumes' attachments, and the data
      // key operations EC2 performs on the driver's behalf.
      statements: [
        {
          actions: ['kms:CreateGrant', 'kms:ListGrants', 'kms:RevokeGrant'],
          resources: [props.volumeKmsKeyArn],
          condition: { Bool: { 'kms:GrantIsForAWSResource': 'true' } },
        },
        { actions: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey'], resources: [props.volumeKmsKeyArn] },
      ],
    });

    this.versions = versions;
    this.beforeNodes = [
      this.addon('vpc-cni', networkPolicy ? { configurationValues: JSON.stringify({ enableNetworkPolicy: 'true' }) } : {}),
      this.addon('kube-proxy'),
    ];
  }

  /**
   * Adds the add-ons that run as Deployments, coredns and aws-ebs-csi-driver, after `nodes`: created before any
   * node exists, they would stay DEGRADED until Terraform times out.
   */
  public addAfterNodes(nodes: ITerraformDependable[]): void {
    if (this.addons.coredns) throw new Error(`${this.node.path}: addAfterNodes was already called`);
    this.addon('coredns', { dependsOn: nodes });
    this.addon('aws-ebs-csi-driver', { serviceAccountRoleArn: this.ebsCsiRole.arn, dependsOn: nodes });
  }

  private addon(name: EksAddonName, extra: { configurationValues?: string; serviceAccountRoleArn?: string; dependsOn?: ITerraformDependable[] } = {}): EksAddon {
    const version = this.versions[name];
    const resource = new EksAddon(this, name, {
      clusterName: this.props.clusterName,
      addonName: name,
      ...(version ? { addonVersion: version } : {}),
      resolveConflictsOnCreate: 'OVERWRITE',
      resolveConflictsOnUpdate: 'OVERWRITE',
      ...extra,
    });
    this.addons[name] = resource;
    return resource;
  }
}
