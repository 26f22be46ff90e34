import { Testing } from 'cdktf';
import { IrsaRole, IrsaRoleProps } from '../../../constructs/aws-foundation/irsa-role';

const resources = (json: any, type: string): any[] => Object.values(json.resource?.[type] ?? {});

describe('IrsaRole', () => {
  const base: IrsaRoleProps = {
    roleName: 'platform-test-vault',
    oidcProviderArn: 'arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABC',
    oidcIssuer: 'oidc.eks.eu-west-1.amazonaws.com/id/ABC',
    namespace: 'vault',
    serviceAccount: 'vault',
    statements: [{ actions: ['kms:Decrypt'], resources: ['arn:aws:kms:eu-west-1:111122223333:key/k'] }],
  };
  const synth = (p: Partial<IrsaRoleProps> = {}): any => JSON.parse(Testing.synthScope((s) => new IrsaRole(s, 'irsa', { ...base, ...p })));

  test('the trust policy admits exactly one service account, with the STS audience, through the OIDC provider', () => {
    const doc = Object.values(synth().data.aws_iam_policy_document)[0] as any;
    expect(doc.statement).toEqual([
      {
        effect: 'Allow',
        actions: ['sts:AssumeRoleWithWebIdentity'],
        principals: [{ type: 'Federated', identifiers: [base.oidcProviderArn] }],
        condition: [
          { test: 'StringEquals', variable: 'oidc.eks.eu-west-1.amazonaws.com/id/ABC:sub', values: ['system:serviceaccount:vault:vault'] },
          { test: 'StringEquals', variable: 'oidc.eks.eu-west-1.amazonaws.com/id/ABC:aud', values: ['sts.amazonaws.com'] },
        ],
      },
    ]);
  });

  test('the role uses that trust policy and gets exactly the statements given', () => {
    const json = synth();
    expect(resources(json, 'aws_iam_role')[0].assume_role_policy).toMatch(/^\$\{data\.aws_iam_policy_document\.[^.]+\.json\}$/);
    expect(JSON.parse(resources(json, 'aws_iam_role_policy')[0].policy)).toEqual({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: 'kms:Decrypt', Resource: 'arn:aws:kms:eu-west-1:111122223333:key/k' }],
    });
  });

  test('fails on a wildcard service account', () => {
    expect(() => synth({ serviceAccount: '*' })).toThrow("[stack/irsa] 'serviceAccount' ('*') must be one service account name (a DNS subdomain), no wildcards");
  });

  test('fails on wildcard actions', () => {
    expect(() => synth({ statements: [{ actions: ['s3:*'], resources: ['*'] }] })).toThrow(`[stack/irsa] 'statements' (["s3:*"]) must name actions, not wildcards`);
  });

  test('managedPolicyArns attaches AWS managed policies, with or without inline statements', () => {
    const arn = 'arn:aws:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy';
    const json = synth({ statements: [], managedPolicyArns: [arn] });
    expect(resources(json, 'aws_iam_role_policy_attachment').map((a) => a.policy_arn)).toEqual([arn]);
    expect(resources(json, 'aws_iam_role_policy')).toEqual([]);
  });

  test('fails with neither statements nor managed policies, and on a managed policy that is not AWS managed', () => {
    expect(() => synth({ statements: [] })).toThrow("[stack/irsa] 'statements' ([]) must grant at least one permission");
    expect(() => synth({ managedPolicyArns: ['arn:aws:iam::111122223333:policy/mine'] })).toThrow(
      "[stack/irsa] 'managedPolicyArns' ('arn:aws:iam::111122223333:policy/mine') must be an AWS managed policy ARN such as 'arn:aws:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy'",
    );
  });
});
