import { EksNodeGroup } from '@cdktf/provider-aws/lib/eks-node-group';
import { LaunchTemplate } from '@cdktf/provider-aws/lib/launch-template';
import { ITerraformDependable, Token } from 'cdktf';
import { Construct } from 'constructs';
import { fail } from '../core/errors';
import { assertDnsLabel, assertInt } from '../core/validate';
import { INSTANCE_TYPE_RULE, isInstanceType } from './rules';

/** Spot or on-demand capacity. */
export type CapacityType = 'ON_DEMAND' | 'SPOT';

/** The sizing of one managed node group: what config sets. */
export interface NodeGroupSpec {
  /** Node group name, a DNS label; unique within the cluster. */
  readonly name: string;
  /** EC2 instance types, such as `m6i.large`; several spread spot capacity over pools. */
  readonly instanceTypes: readonly string[];
  /** Fewest nodes the autoscaler keeps. */
  readonly minSize: number;
  /** Most nodes the autoscaler may start. */
  readonly maxSize: number;
  /**
   * Nodes at creation; afterwards the cluster autoscaler owns it and Terraform ignores changes to it (raise minSize
   * to force more nodes).
   */
  readonly desiredSize: number;
  /**
   * Root volume size (gp3, encrypted).
   * @default 50
   */
  readonly diskGiB?: number;
  /**
   * On-demand or spot instances.
   * @default 'ON_DEMAND'
   */
  readonly capacityType?: CapacityType;
  /**
   * EKS AMI type; must match the instance types' architecture.
   * @default 'AL2023_x86_64_STANDARD'
   */
  readonly amiType?: string;
  /**
   * Kubernetes labels on every node of the group.
   * @default no extra labels
   */
  readonly labels?: Readonly<Record<string, string>>;
}

/** Properties of `ManagedNodeGroup`. */
export interface ManagedNodeGroupProps extends NodeGroupSpec {
  /** The cluster's name (a Terraform reference, so that the group waits for the cluster). */
  readonly clusterName: string;
  /** Name prefix of the launch template (plain string). */
  readonly namePrefix: string;
  /** IAM role of the nodes. */
  readonly nodeRoleArn: string;
  /** Subnets the nodes run in (the private ones). */
  readonly subnetIds: string[];
  /**
   * IMDS hops allowed. 1 keeps pods (one hop further than the node) away from the node's instance credentials,
   * which IRSA makes unnecessary; raise it only for an agent that truly needs IMDS.
   * @default 1
   */
  readonly metadataHopLimit?: number;
  /**
   * Resources the node group must wait for (the node role's policy attachments).
   * @default none
   */
  readonly dependsOn?: ITerraformDependable[];
}

/**
 * An EKS managed node group on a launch template that requires IMDSv2 (session tokens) and limits IMDS to the node
 * itself, with an encrypted gp3 root volume.
 */
export class ManagedNodeGroup extends Construct {
  public readonly launchTemplate: LaunchTemplate;
  public readonly nodeGroup: EksNodeGroup;

  constructor(scope: Construct, id: string, props: ManagedNodeGroupProps) {
    super(scope, id);
    const diskGiB = props.diskGiB ?? 50;
    const capacityType = props.capacityType ?? 'ON_DEMAND';
    const amiType = props.amiType ?? 'AL2023_x86_64_STANDARD';
    const metadataHopLimit = props.metadataHopLimit ?? 1;

    assertDnsLabel(this, 'name', props.name);
    if (props.instanceTypes.length === 0) fail(this, 'instanceTypes', props.instanceTypes, 'must list at least one EC2 instance type');
    for (const t of props.instanceTypes) {
      if (!isInstanceType(t)) fail(this, 'instanceTypes', t, INSTANCE_TYPE_RULE);
    }
    assertInt(this, 'minSize', props.minSize, 0, 1000);
    assertInt(this, 'maxSize', props.maxSize, 1, 1000);
    assertInt(this, 'desiredSize', props.desiredSize, 0, 1000);
    if (props.maxSize < props.minSize) fail(this, 'maxSize', props.maxSize, `must be >= minSize (${props.minSize})`);
    if (props.desiredSize < props.minSize || props.desiredSize > props.maxSize) {
      fail(this, 'desiredSize', props.desiredSize, `must be from minSize (${props.minSize}) to maxSize (${props.maxSize})`);
    }
    assertInt(this, 'diskGiB', diskGiB, 20, 16384);
    assertInt(this, 'metadataHopLimit', metadataHopLimit, 1, 2);

    this.launchTemplate = new LaunchTemplate(this, 'LaunchTemplate', {
      name: `${props.namePrefix}-${props.name}`,
      description: `EKS managed node group ${props.name}: IMDSv2 only, encrypted root volume`,
      updateDefaultVersion: true,
      metadataOptions: {
        httpEndpoint: 'enabled',
        httpTokens: 'required',
        httpPutResponseHopLimit: metadataHopLimit,
        instanceMetadataTags: 'disabled',
      },
      blockDeviceMappings: [
        {
          deviceName: '/dev/xvda',
          ebs: { volumeSize: diskGiB, volumeType: 'gp3', encrypted: 'true', deleteOnTermination: 'true' },
        },
      ],
      tagSpecifications: [{ resourceType: 'instance', tags: { Name: `${props.namePrefix}-${props.name}` } }],
    });

    this.nodeGroup = new EksNodeGroup(this, 'NodeGroup', {
      clusterName: props.clusterName,
      nodeGroupName: props.name,
      nodeRoleArn: props.nodeRoleArn,
      subnetIds: props.subnetIds,
      instanceTypes: [...props.instanceTypes],
      capacityType,
      amiType,
      scalingConfig: { minSize: props.minSize, maxSize: props.maxSize, desiredSize: props.desiredSize },
      updateConfig: { maxUnavailable: 1 },
      launchTemplate: { id: this.launchTemplate.id, version: Token.asString(this.launchTemplate.latestVersion) },
      labels: { ...(props.labels ?? {}) },
      // The cluster autoscaler (constructs/cluster-autoscaler, installed by platform-<env> on EKS) moves desired_size
      // between min and max; Terraform must not reset it on every apply. min_size and max_size stay Terraform's.
      lifecycle: { ignoreChanges: ['scaling_config[0].desired_size'] },
      dependsOn: props.dependsOn,
    });
  }
}
