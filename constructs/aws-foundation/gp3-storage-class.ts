import { StorageClassV1 } from '@cdktf/provider-kubernetes/lib/storage-class-v1';
import { ITerraformDependable, TerraformProvider } from 'cdktf';
import { Construct } from 'constructs';
import { fail } from '../core/errors';
import { terraformObjectLabels } from '../core/labels';
import { assertDnsLabel } from '../core/validate';

/** The EBS CSI driver's provisioner name. */
export const EBS_CSI_PROVISIONER = 'ebs.csi.aws.com';
/** The annotation that makes a StorageClass the one claims without `storageClassName` get. */
export const DEFAULT_CLASS_ANNOTATION = 'storageclass.kubernetes.io/is-default-class';

/** What happens to a volume when its claim is deleted. */
export type VolumeReclaimPolicy = 'Retain' | 'Delete';

/** Properties of `Gp3StorageClass`. */
export interface Gp3StorageClassProps {
  /** ARN of the customer-managed KMS key every volume is encrypted with (a cross-stack reference is fine). */
  readonly kmsKeyArn: string;
  /**
   * StorageClass name.
   * @default 'gp3'
   */
  readonly name?: string;
  /**
   * `Retain` keeps a volume when its claim is deleted (no data lost to a deleted namespace; the volume is removed by
   * hand, and costs until then); `Delete` removes it with the claim.
   * @default 'Retain'
   */
  readonly reclaimPolicy?: VolumeReclaimPolicy;
  /**
   * Make it the cluster's default class (claims without `storageClassName` use it).
   * @default true
   */
  readonly isDefault?: boolean;
  /**
   * Labels of the StorageClass, such as the environment's (`app.kubernetes.io/managed-by: terraform` is always set).
   * @default only `app.kubernetes.io/managed-by: terraform`
   */
  readonly labels?: Readonly<Record<string, string>>;
  /** @default the stack's default kubernetes provider */
  readonly provider?: TerraformProvider;
  /** @default none */
  readonly dependsOn?: ITerraformDependable[];
}

/**
 * An EBS gp3 StorageClass of the EBS CSI driver: every volume encrypted with the given customer-managed key,
 * provisioned only when a pod is scheduled (`WaitForFirstConsumer`, so the volume is created in that pod's zone: EBS
 * volumes are zonal), expandable in place, and by default the cluster's default class.
 */
export class Gp3StorageClass extends Construct {
  public readonly storageClass: StorageClassV1;
  /** StorageClass name (plain string). */
  public readonly name: string;

  constructor(scope: Construct, id: string, props: Gp3StorageClassProps) {
    super(scope, id);
    const name = props.name ?? 'gp3';
    const reclaimPolicy = props.reclaimPolicy ?? 'Retain';
    const isDefault = props.isDefault ?? true;
    assertDnsLabel(this, 'name', name);
    if (reclaimPolicy !== 'Retain' && reclaimPolicy !== 'Delete') fail(this, 'reclaimPolicy', reclaimPolicy, "must be 'Retain' or 'Delete'");

    this.name = name;
    this.storageClass = new StorageClassV1(this, 'StorageClass', {
      metadata: {
        name,
        labels: terraformObjectLabels(props.labels),
        annotations: { [DEFAULT_CLASS_ANNOTATION]: isDefault ? 'true' : 'false' },
      },
      storageProvisioner: EBS_CSI_PROVISIONER,
      parameters: { type: 'gp3', encrypted: 'true', kmsKeyId: props.kmsKeyArn, 'csi.storage.k8s.io/fstype': 'ext4' },
      reclaimPolicy,
      volumeBindingMode: 'WaitForFirstConsumer',
      allowVolumeExpansion: true,
      provider: props.provider,
      dependsOn: props.dependsOn,
    });
  }
}
