import { ITerraformDependable, TerraformProvider } from 'cdktf';
import { Construct } from 'constructs';
import { fail } from '../core/errors';
import { assertInt } from '../core/validate';
import { CHARTS } from '../helm/catalogue';
import { PinnedHelmRelease } from '../helm/pinned-release';
import { CLUSTER_AUTOSCALER_SERVICE_ACCOUNT } from './cluster-autoscaler-role';

/**
 * The autoscaler image: its minor version must equal the cluster's (the autoscaler simulates that version's
 * scheduler). v1.33.3 is the newest 1.33 patch promoted to registry.k8s.io (kubernetes/k8s.io#8815); the chart
 * (9.50.1) defaults to v1.33.0.
 */
export const CLUSTER_AUTOSCALER_IMAGE_TAG = 'v1.33.3';

/**
 * Node labels that differ between the per-zone node groups of one configured group (EKS sets them per managed node
 * group, per launch template, per AMI, per zone) and that `balance-similar-node-groups` must therefore ignore when it
 * decides which groups are alike. The autoscaler's AWS comparator ignores some of them itself in some versions;
 * listing them again is harmless. Zone and hostname labels are ignored by the autoscaler in every version.
 */
export const BALANCING_IGNORED_LABELS = [
  'eks.amazonaws.com/nodegroup',
  'eks.amazonaws.com/nodegroup-image',
  'eks.amazonaws.com/sourceLaunchTemplateId',
  'eks.amazonaws.com/sourceLaunchTemplateVersion',
  'topology.ebs.csi.aws.com/zone',
  'topology.k8s.aws/zone-id',
] as const;

/** Properties of `ClusterAutoscaler`. */
export interface ClusterAutoscalerProps {
  /** The EKS cluster's name (plain string): auto-discovery matches the node groups' ASG tags by it. */
  readonly clusterName: string;
  /** Region of the cluster. */
  readonly region: string;
  /** Kubernetes minor version of the cluster (`1.33`); must match the image's. */
  readonly kubernetesVersion: string;
  /** ARN of the autoscaler's IRSA role (`ClusterAutoscalerRole`), a cross-stack reference is fine. */
  readonly roleArn: string;
  /**
   * Pods. One leads (leader election), the others wait; 2 or more keeps one through a node drain (the chart's
   * PodDisruptionBudget allows one pod down at a time).
   * @default 2
   */
  readonly replicas?: number;
  /**
   * Image tag, `v<major>.<minor>.<patch>`, whose minor equals `kubernetesVersion`.
   * @default CLUSTER_AUTOSCALER_IMAGE_TAG
   */
  readonly imageTag?: string;
  /** @default the stack's default helm provider */
  readonly provider?: TerraformProvider;
  /** @default none */
  readonly dependsOn?: ITerraformDependable[];
}

/**
 * The Kubernetes cluster autoscaler for EKS managed node groups: it finds the node groups' Auto Scaling groups by the
 * tags EKS puts on them (`k8s.io/cluster-autoscaler/enabled`, `k8s.io/cluster-autoscaler/<cluster>`), adds nodes
 * when pods are Pending for lack of room (up to each group's maxSize) and removes idle ones (down to minSize). It owns
 * the node groups' desired size, which Terraform therefore ignores after creation. The node groups are one per zone
 * (`EksCluster`): with `balance-similar-node-groups` the autoscaler spreads scale-ups of alike groups over the zones,
 * and a pod that needs one zone (zone spread, a zonal EBS volume) scales that zone's group, which a single multi-zone
 * group could not promise (its Auto Scaling group, not the autoscaler, picks the zone).
 *
 * Runs in kube-system as `system-cluster-critical`, non-root with a read-only root filesystem, with requests, as the
 * service account its IRSA role trusts. The chart's defaults are not vendored: values are kept to keys the chart has
 * had for many versions (see the README's Helm values section).
 */
export class ClusterAutoscaler extends Construct {
  public readonly helm: PinnedHelmRelease;

  constructor(scope: Construct, id: string, props: ClusterAutoscalerProps) {
    super(scope, id);
    const replicas = props.replicas ?? 2;
    const imageTag = props.imageTag ?? CLUSTER_AUTOSCALER_IMAGE_TAG;

    assertInt(this, 'replicas', replicas, 1, 3);
    const tag = /^v(\d+)\.(\d+)\.(\d+)$/.exec(imageTag);
    if (!tag) fail(this, 'imageTag', imageTag, "must be a release tag such as 'v1.33.3'");
    if (`${tag[1]}.${tag[2]}` !== props.kubernetesVersion) {
      fail(this, 'kubernetesVersion', props.kubernetesVersion, `must equal the cluster autoscaler's minor version (${imageTag}): bump CHARTS.clusterAutoscaler and the image tag with the cluster`);
    }

    this.helm = new PinnedHelmRelease(this, 'Helm', {
      chart: CHARTS.clusterAutoscaler,
      releaseName: 'cluster-autoscaler',
      namespace: CLUSTER_AUTOSCALER_SERVICE_ACCOUNT.namespace,
      provider: props.provider,
      dependsOn: props.dependsOn,
      values: {
        fullnameOverride: 'cluster-autoscaler',
        cloudProvider: 'aws',
        awsRegion: props.region,
        autoDiscovery: { clusterName: props.clusterName },
        image: { tag: imageTag },
        rbac: {
          serviceAccount: {
            create: true,
            name: CLUSTER_AUTOSCALER_SERVICE_ACCOUNT.name,
            annotations: { 'eks.amazonaws.com/role-arn': props.roleArn },
          },
        },
        replicaCount: replicas,
        podDisruptionBudget: { maxUnavailable: 1 },
        priorityClassName: 'system-cluster-critical',
        resources: { requests: { cpu: '100m', memory: '300Mi' }, limits: { memory: '600Mi' } },
        securityContext: { runAsNonRoot: true, runAsUser: 65534, runAsGroup: 65534, fsGroup: 65534, seccompProfile: { type: 'RuntimeDefault' } },
        containerSecurityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
        // Chart key `extraArgs` (a map in the chart's values.yaml, rendered as `--<key>=<value>`; a `_<n>` suffix repeats
        // a flag). skip-nodes-with-local-storage: emptyDir here is scratch space (no data lives only there);
        // PodDisruptionBudgets guard what matters. With the default (true), any node running such a pod could never be
        // scaled down. balance-similar-node-groups: keeps the per-zone node groups level.
        extraArgs: {
          'skip-nodes-with-local-storage': false,
          'balance-similar-node-groups': true,
          ...Object.fromEntries(BALANCING_IGNORED_LABELS.map((label, i) => [`balancing-ignore-label_${i + 1}`, label])),
        },
      },
    });
  }
}
