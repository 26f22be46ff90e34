import { Testing } from 'cdktf';
import { Gp3StorageClass, Gp3StorageClassProps } from '../../../constructs/aws-foundation/gp3-storage-class';

const key = 'arn:aws:kms:eu-west-1:111122223333:key/data';
const synth = (p: Partial<Gp3StorageClassProps> = {}): any => {
  const json = JSON.parse(Testing.synthScope((s) => new Gp3StorageClass(s, 'sc', { kmsKeyArn: key, ...p })));
  return Object.values(json.resource.kubernetes_storage_class_v1)[0];
};

describe('Gp3StorageClass', () => {
  test('defaults: the default class, EBS CSI gp3 encrypted with the given key, bound where the pod lands, expandable, Retain', () => {
    expect(synth()).toEqual({
      metadata: { name: 'gp3', labels: { 'app.kubernetes.io/managed-by': 'terraform' }, annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } },
      storage_provisioner: 'ebs.csi.aws.com',
      parameters: { type: 'gp3', encrypted: 'true', kmsKeyId: key, 'csi.storage.k8s.io/fstype': 'ext4' },
      reclaim_policy: 'Retain',
      volume_binding_mode: 'WaitForFirstConsumer',
      allow_volume_expansion: true,
    });
  });

  test('reclaimPolicy, name and isDefault are set from props', () => {
    expect(synth({ reclaimPolicy: 'Delete', name: 'gp3-scratch', isDefault: false })).toMatchObject({
      metadata: { name: 'gp3-scratch', annotations: { 'storageclass.kubernetes.io/is-default-class': 'false' } },
      reclaim_policy: 'Delete',
    });
  });

  test('labels are set from props; managed-by stays terraform', () => {
    expect(synth({ labels: { 'platform.example.com/environment': 'prod', 'app.kubernetes.io/managed-by': 'kubectl' } }).metadata.labels).toEqual({
      'platform.example.com/environment': 'prod',
      'app.kubernetes.io/managed-by': 'terraform',
    });
  });

  test('fails on a reclaim policy Kubernetes does not have and on a bad name', () => {
    expect(() => synth({ reclaimPolicy: 'Recycle' as never })).toThrow("[stack/sc] 'reclaimPolicy' ('Recycle') must be 'Retain' or 'Delete'");
    expect(() => synth({ name: 'GP3' })).toThrow("[stack/sc] 'name' ('GP3') must be a DNS label");
  });
});
