import { Testing } from 'cdktf';
import { EksCluster, EksClusterProps } from '../../../constructs/aws-foundation/eks-cluster';

const base: EksClusterProps = {
  name: 'platform-test',
  version: '1.33',
  subnetIds: ['subnet-a', 'subnet-b'],
  secretsKmsKeyArn: 'arn:aws:kms:eu-west-1:111122223333:key/secrets',
  nodeGroups: [{ name: 'general', instanceTypes: ['m6i.large'], minSize: 2, maxSize: 4, desiredSize: 2 }],
  nodeSubnets: [{ zone: 'eu-west-1a', subnetId: 'subnet-a' }],
};
const synth = (props: Partial<EksClusterProps> = {}): any => JSON.parse(Testing.synthScope((s) => new EksCluster(s, 'eks', { ...base, ...props })));
const resources = (json: any, type: string): [string, any][] => Object.entries(json.resource?.[type] ?? {});
const addons = (json: any) => Object.fromEntries(resources(json, 'aws_eks_addon').map(([key, a]) => [a.addon_name, { key, ...a }]));

describe('EksAddons (through EksCluster)', () => {
  test('defaults: vpc-cni with network policy, kube-proxy, coredns, EBS CSI; EKS picks versions; OVERWRITE on create and update', () => {
    const a = addons(synth());
    expect(Object.keys(a).sort()).toEqual(['aws-ebs-csi-driver', 'coredns', 'kube-proxy', 'vpc-cni']);
    for (const addon of Object.values(a) as any[]) {
      expect(addon).toMatchObject({ resolve_conflicts_on_create: 'OVERWRITE', resolve_conflicts_on_update: 'OVERWRITE' });
      expect(addon).not.toHaveProperty('addon_version');
      expect(addon.cluster_name).toMatch(/^\$\{aws_eks_cluster\.[^.]+\.name\}$/);
    }
    expect(JSON.parse(a['vpc-cni'].configuration_values)).toEqual({ enableNetworkPolicy: 'true' });
    expect(a['aws-ebs-csi-driver'].service_account_role_arn).toMatch(/^\$\{aws_iam_role\.eks_Addons_EbsCsiRole_[^.]+\.arn\}$/);
    expect(a['eks-pod-identity-agent']).toBeUndefined();
  });

  test('networking add-ons come before the nodes, coredns and the EBS CSI controller after them', () => {
    const json = synth();
    const a = addons(json);
    const [[groupKey, group]] = resources(json, 'aws_eks_node_group');
    expect(group.depends_on).toEqual(expect.arrayContaining([`aws_eks_addon.${a['vpc-cni'].key}`, `aws_eks_addon.${a['kube-proxy'].key}`]));
    for (const name of ['coredns', 'aws-ebs-csi-driver']) expect(a[name].depends_on).toEqual([`aws_eks_node_group.${groupKey}`]);
    for (const name of ['vpc-cni', 'kube-proxy']) expect(a[name].depends_on).toBeUndefined();
  });

  test('addonVersions pins the listed add-ons only', () => {
    const a = addons(synth({ addonVersions: { coredns: 'v1.11.4-eksbuild.14' } }));
    expect(a.coredns.addon_version).toBe('v1.11.4-eksbuild.14');
    expect(a['vpc-cni']).not.toHaveProperty('addon_version');
  });

  test('networkPolicy false leaves the VPC CNI unconfigured', () => {
    expect(addons(synth({ networkPolicy: false }))['vpc-cni']).not.toHaveProperty('configuration_values');
  });

  test('the EBS CSI role: AmazonEBSCSIDriverPolicy, grants for AWS resources and data-key use on the volume key only, trusted by ebs-csi-controller-sa', () => {
    const json = synth({ volumeKmsKeyArn: 'arn:aws:kms:eu-west-1:111122223333:key/volumes' });
    const attachments = resources(json, 'aws_iam_role_policy_attachment').map(([, r]) => r).filter((r) => r.role.includes('EbsCsiRole'));
    expect(attachments.map((r) => r.policy_arn)).toEqual(['arn:aws:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy']);
    const [, inline] = resources(json, 'aws_iam_role_policy').find(([k]) => k.includes('EbsCsiRole'))!;
    expect(JSON.parse(inline.policy).Statement).toEqual([
      {
        Effect: 'Allow',
        Action: ['kms:CreateGrant', 'kms:ListGrants', 'kms:RevokeGrant'],
        Resource: 'arn:aws:kms:eu-west-1:111122223333:key/volumes',
        Condition: { Bool: { 'kms:GrantIsForAWSResource': 'true' } },
      },
      {
        Effect: 'Allow',
        Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey'],
        Resource: 'arn:aws:kms:eu-west-1:111122223333:key/volumes',
      },
    ]);
    const trust: any = Object.entries(json.data.aws_iam_policy_document).find(([k]) => k.includes('EbsCsiRole'))![1];
    expect(trust.statement[0].condition[0].values).toEqual(['system:serviceaccount:kube-system:ebs-csi-controller-sa']);
  });

  test('the EBS CSI role uses the secrets key when no volume key is given', () => {
    const [, inline] = resources(synth(), 'aws_iam_role_policy').find(([k]) => k.includes('EbsCsiRole'))!;
    expect(JSON.parse(inline.policy).Statement[1].Resource).toBe(base.secretsKmsKeyArn);
  });

  test('fails on a version EKS would not recognise', () => {
    expect(() => synth({ addonVersions: { 'vpc-cni': '1.19.5' } })).toThrow(
      "[stack/eks/Addons] 'versions.vpc-cni' ('1.19.5') must be an EKS add-on version such as 'v1.19.5-eksbuild.1' (see `aws eks describe-addon-versions`)",
    );
  });

  test('fails on an add-on the project does not install', () => {
    expect(() => synth({ addonVersions: { 'eks-pod-identity-agent': 'v1.3.4-eksbuild.1' } as never })).toThrow(
      "[stack/eks/Addons] 'versions' ('eks-pod-identity-agent') must name an add-on this project installs: vpc-cni, kube-proxy, coredns, aws-ebs-csi-driver",
    );
  });
});
