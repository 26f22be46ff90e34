import { Testing } from 'cdktf';
import { ClusterAutoscalerRole, ClusterAutoscalerRoleProps } from '../../../constructs/cluster-autoscaler/cluster-autoscaler-role';

const base: ClusterAutoscalerRoleProps = {
  clusterName: 'platform-test',
  region: 'eu-west-1',
  accountId: '111122223333',
  oidcProviderArn: 'arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABC',
  oidcIssuer: 'oidc.eks.eu-west-1.amazonaws.com/id/ABC',
};
const synth = (p: Partial<ClusterAutoscalerRoleProps> = {}): any =>
  JSON.parse(Testing.synthScope((s) => new ClusterAutoscalerRole(s, 'ca-role', { ...base, ...p })));

describe('ClusterAutoscalerRole', () => {
  test('trusts exactly kube-system:cluster-autoscaler', () => {
    const doc: any = Object.values(synth().data.aws_iam_policy_document)[0];
    expect(doc.statement[0].condition[0]).toEqual({
      test: 'StringEquals',
      variable: 'oidc.eks.eu-west-1.amazonaws.com/id/ABC:sub',
      values: ['system:serviceaccount:kube-system:cluster-autoscaler'],
    });
  });

  test('writes only to Auto Scaling groups tagged as owned by this cluster; reads are discovery only', () => {
    const policy = JSON.parse((Object.values(synth().resource.aws_iam_role_policy)[0] as any).policy);
    const bySid = Object.fromEntries(policy.Statement.map((s: any) => [s.Sid, s]));
    expect(bySid.ScaleOwnedGroupsOnly).toEqual({
      Sid: 'ScaleOwnedGroupsOnly',
      Effect: 'Allow',
      Action: ['autoscaling:SetDesiredCapacity', 'autoscaling:TerminateInstanceInAutoScalingGroup'],
      Resource: 'arn:aws:autoscaling:eu-west-1:111122223333:autoScalingGroup:*:autoScalingGroupName/*',
      Condition: { StringEquals: { 'autoscaling:ResourceTag/k8s.io/cluster-autoscaler/platform-test': 'owned' } },
    });
    expect(bySid.DescribeOwnNodegroups.Resource).toBe('arn:aws:eks:eu-west-1:111122223333:nodegroup/platform-test/*');
    // Every action on '*' is a read.
    for (const s of policy.Statement.filter((x: any) => x.Resource === '*')) {
      for (const a of [s.Action].flat()) expect(a).toMatch(/^(autoscaling|ec2):(Describe|Get)/);
    }
  });

  test('fails on an account id that is not one', () => {
    expect(() => synth({ accountId: 'acct' })).toThrow("[stack/ca-role] 'accountId' ('acct') must be a 12-digit AWS account id such as '111122223333'");
  });
});
