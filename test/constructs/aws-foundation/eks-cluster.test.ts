import { Testing } from 'cdktf';
import { EksCluster, EksClusterProps } from '../../../constructs/aws-foundation/eks-cluster';

const base: EksClusterProps = {
  name: 'platform-test',
  version: '1.33',
  subnetIds: ['subnet-a', 'subnet-b'],
  secretsKmsKeyArn: 'arn:aws:kms:eu-west-1:111122223333:key/test',
  nodeGroups: [{ name: 'general', instanceTypes: ['m6i.large'], minSize: 2, maxSize: 4, desiredSize: 2 }],
  nodeSubnets: [
    { zone: 'eu-west-1a', subnetId: 'subnet-a' },
    { zone: 'eu-west-1b', subnetId: 'subnet-b' },
  ],
};
function synth(props: Partial<EksClusterProps> = {}): any {
  return JSON.parse(Testing.synthScope((scope) => new EksCluster(scope, 'eks', { ...base, ...props })));
}
const resources = (json: any, type: string): any[] => Object.values(json.resource?.[type] ?? {});
const cluster = (json: any) => resources(json, 'aws_eks_cluster')[0];

describe('EksCluster', () => {
  test('defaults: private endpoint only, all control-plane logs, secrets encrypted with the key, API access entries', () => {
    const c = cluster(synth());
    expect(c.vpc_config).toEqual({ subnet_ids: ['subnet-a', 'subnet-b'], endpoint_private_access: true, endpoint_public_access: false });
    expect(c.enabled_cluster_log_types).toEqual(['api', 'audit', 'authenticator', 'controllerManager', 'scheduler']);
    expect(c.encryption_config).toEqual({ resources: ['secrets'], provider: { key_arn: base.secretsKmsKeyArn } });
    expect(c.access_config).toEqual({ authentication_mode: 'API', bootstrap_cluster_creator_admin_permissions: true });
  });

  test('the cluster role may use the secrets key, and nothing else of KMS', () => {
    const policies = resources(synth(), 'aws_iam_role_policy').map((p) => JSON.parse(p.policy));
    expect(policies).toContainEqual({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:ListGrants', 'kms:DescribeKey'], Resource: base.secretsKmsKeyArn }],
    });
  });

  test('publicAccessCidrs turns the public endpoint on for those ranges only', () => {
    const c = cluster(synth({ publicAccessCidrs: ['203.0.113.0/24'] }));
    expect(c.vpc_config).toMatchObject({ endpoint_private_access: true, endpoint_public_access: true, public_access_cidrs: ['203.0.113.0/24'] });
  });

  test('logs go to a log group created first, with logRetentionDays (365 by default)', () => {
    const json = synth({ logRetentionDays: 90 });
    expect(resources(json, 'aws_cloudwatch_log_group')).toEqual([{ name: '/aws/eks/platform-test/cluster', retention_in_days: 90 }]);
    expect(cluster(json).depends_on.some((d: string) => d.startsWith('aws_cloudwatch_log_group.'))).toBe(true);
    expect(resources(synth(), 'aws_cloudwatch_log_group')[0].retention_in_days).toBe(365);
  });

  test('logTypes narrows the control-plane logs', () => {
    expect(cluster(synth({ logTypes: ['audit'] })).enabled_cluster_log_types).toEqual(['audit']);
  });

  test('an OIDC provider for IRSA trusts the cluster issuer for STS', () => {
    const [oidc] = resources(synth(), 'aws_iam_openid_connect_provider');
    expect(oidc).toEqual({ url: expect.stringMatching(/^\$\{aws_eks_cluster\.[^.]+\.identity\[0\]\.oidc\[0\]\.issuer\}$/), client_id_list: ['sts.amazonaws.com'] });
  });

  test('one managed node group per spec and zone, named <group>-<zone>, after the node role policies and the networking add-ons', () => {
    const json = synth({ nodeGroups: [...base.nodeGroups!, { name: 'spot', instanceTypes: ['m6i.large', 'm5.large'], minSize: 0, maxSize: 5, desiredSize: 0, capacityType: 'SPOT' }] });
    const groups = resources(json, 'aws_eks_node_group');
    expect(groups.map((g) => [g.node_group_name, g.capacity_type, g.subnet_ids])).toEqual([
      ['general-eu-west-1a', 'ON_DEMAND', ['subnet-a']],
      ['general-eu-west-1b', 'ON_DEMAND', ['subnet-b']],
      ['spot-eu-west-1a', 'SPOT', ['subnet-a']],
      ['spot-eu-west-1b', 'SPOT', ['subnet-b']],
    ]);
    // Each zone's group has its own launch template (IMDSv2, encrypted root volume), named after it.
    const templates = resources(json, 'aws_launch_template').map((t) => t.name);
    expect(templates).toEqual(['general-eu-west-1a', 'general-eu-west-1b', 'spot-eu-west-1a', 'spot-eu-west-1b'].map((n) => `platform-test-${n}`));
    for (const g of groups) {
      expect(g.depends_on.filter((d: string) => d.startsWith('aws_iam_role_policy_attachment.'))).toHaveLength(3);
      expect(g.depends_on.filter((d: string) => d.startsWith('aws_eks_addon.'))).toHaveLength(2);
    }
  });

  test('sizes split over the zones as ceil(size / zones): min 2, max 5, desired 3 over 2 zones is 1, 3, 2 per zone', () => {
    const groups = resources(synth({ nodeGroups: [{ name: 'general', instanceTypes: ['m6i.large'], minSize: 2, maxSize: 5, desiredSize: 3 }] }), 'aws_eks_node_group');
    expect(groups.map((g) => g.scaling_config)).toEqual([
      { min_size: 1, max_size: 3, desired_size: 2 },
      { min_size: 1, max_size: 3, desired_size: 2 },
    ]);
  });

  test('the per-zone groups are alike but for name, subnet and launch template (what balance-similar-node-groups needs)', () => {
    const groups = resources(synth({ nodeGroups: [{ ...base.nodeGroups![0], labels: { workload: 'general' } }] }), 'aws_eks_node_group');
    const strip = (g: any) => Object.fromEntries(Object.entries(g).filter(([k]) => !['node_group_name', 'subnet_ids', 'launch_template'].includes(k)));
    expect(strip(groups[0])).toEqual(strip(groups[1]));
    expect(groups[0].labels).toEqual({ workload: 'general' });
  });

  test('desired size stays ignored by Terraform: the cluster autoscaler owns it', () => {
    for (const g of resources(synth(), 'aws_eks_node_group')) expect(g.lifecycle).toEqual({ ignore_changes: ['scaling_config[0].desired_size'] });
  });

  test('defaults: no access entries (only the creator, made admin by EKS, reaches the API)', () => {
    const json = synth();
    expect(resources(json, 'aws_eks_access_entry')).toEqual([]);
    expect(resources(json, 'aws_eks_access_policy_association')).toEqual([]);
  });

  test('adminPrincipalArns: one access entry and one cluster-scoped AmazonEKSClusterAdminPolicy association per role', () => {
    const admins = ['arn:aws:iam::111122223333:role/platform-admins', 'arn:aws:iam::111122223333:role/ci/platform-deploy'];
    const json = synth({ adminPrincipalArns: admins });
    const entries = Object.entries(json.resource.aws_eks_access_entry) as [string, any][];
    expect(entries.map(([, e]) => e.principal_arn)).toEqual(admins);
    for (const [, e] of entries) expect(e).toMatchObject({ type: 'STANDARD', cluster_name: expect.stringMatching(/^\$\{aws_eks_cluster\./) });
    const associations = resources(json, 'aws_eks_access_policy_association');
    expect(associations.map((a) => a.principal_arn)).toEqual(admins);
    associations.forEach((a, i) => {
      expect(a).toMatchObject({ policy_arn: 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy', access_scope: { type: 'cluster' } });
      expect(a.depends_on).toEqual([`aws_eks_access_entry.${entries[i][0]}`]);
    });
    // Ids come from account and role name, so reordering the list replaces nothing.
    expect(entries[0][0]).toMatch(/^eks_AdminAccess-111122223333-platform-admins_/);
  });

  test('fails on an admin principal that is not a role ARN, and on one listed twice', () => {
    expect(() => synth({ adminPrincipalArns: ['arn:aws:iam::111122223333:user/alice'] })).toThrow(
      "[stack/eks] 'adminPrincipalArns' ('arn:aws:iam::111122223333:user/alice') must be an IAM role ARN such as 'arn:aws:iam::111122223333:role/platform-admins' (no wildcards, no users)",
    );
    const twice = 'arn:aws:iam::111122223333:role/platform-admins';
    expect(() => synth({ adminPrincipalArns: [twice, twice] })).toThrow(`[stack/eks] 'adminPrincipalArns' ('${twice}') is listed twice`);
  });

  test('fails on a version EKS does not run', () => {
    expect(() => synth({ version: '1.29' })).toThrow("[stack/eks] 'version' ('1.29') must be a Kubernetes minor version EKS supports: 1.30, 1.31, 1.32, 1.33, 1.34");
  });

  test('fails on a public range that is the internet', () => {
    expect(() => synth({ publicAccessCidrs: ['0.0.0.0/0'] })).toThrow(
      "[stack/eks] 'publicAccessCidrs' ('0.0.0.0/0') must be a /16 or narrower IPv4 block (office, VPN or CI egress ranges): the public API endpoint is never open to the internet; list no range to keep the endpoint private only",
    );
  });

  test('fails on one subnet', () => {
    expect(() => synth({ subnetIds: ['subnet-a'] })).toThrow(`[stack/eks] 'subnetIds' (["subnet-a"]) must list subnets in at least 2 zones`);
  });

  test('fails on node groups without node subnets, and on a zone listed twice or malformed', () => {
    expect(() => synth({ nodeSubnets: [] })).toThrow("[stack/eks] 'nodeSubnets' ([]) must list the zones nodes run in, each with its subnet, when nodeGroups lists any");
    expect(() => synth({ nodeSubnets: [{ zone: 'eu-west-1a', subnetId: 'subnet-a' }, { zone: 'eu-west-1a', subnetId: 'subnet-b' }] })).toThrow(
      "[stack/eks] 'nodeSubnets.zone' ('eu-west-1a') is listed twice: one subnet per zone",
    );
    expect(() => synth({ nodeSubnets: [{ zone: 'eu-west-1', subnetId: 'subnet-a' }] })).toThrow(
      "[stack/eks] 'nodeSubnets.zone' ('eu-west-1') must be an availability zone such as 'eu-west-1a'",
    );
    // Without node groups, no node subnets are needed.
    expect(() => synth({ nodeGroups: [], nodeSubnets: [] })).not.toThrow();
  });

  test('fails on two node groups with one name', () => {
    expect(() => synth({ nodeGroups: [base.nodeGroups![0], base.nodeGroups![0]] })).toThrow(
      "[stack/eks] 'nodeGroups' ('general') is a duplicate node group name: each node group needs its own",
    );
  });
});
