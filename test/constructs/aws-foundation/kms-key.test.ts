import { Testing } from 'cdktf';
import { KEY_ADMIN_ACTIONS, KEY_USE_ACTIONS, KmsKey, KmsKeyProps } from '../../../constructs/aws-foundation/kms-key';

const resources = (json: any, type: string): any[] => Object.values(json.resource?.[type] ?? {});

describe('KmsKey', () => {
  const base: KmsKeyProps = { alias: 'platform-test/data', description: 'test data' };
  const synth = (p: Partial<KmsKeyProps> = {}): any => JSON.parse(Testing.synthScope((s) => new KmsKey(s, 'key', { ...base, ...p })));

  test('defaults: symmetric, rotation every 365 days, 30-day deletion window, an alias', () => {
    const json = synth();
    expect(resources(json, 'aws_kms_key')).toEqual([
      expect.objectContaining({ enable_key_rotation: true, rotation_period_in_days: 365, deletion_window_in_days: 30, key_usage: 'ENCRYPT_DECRYPT', customer_master_key_spec: 'SYMMETRIC_DEFAULT' }),
    ]);
    expect(resources(json, 'aws_kms_alias')[0].name).toBe('alias/platform-test/data');
  });

  test('rotationPeriodDays and deletionWindowDays are set from props', () => {
    expect(resources(synth({ rotationPeriodDays: 90, deletionWindowDays: 7 }), 'aws_kms_key')[0]).toMatchObject({ rotation_period_in_days: 90, deletion_window_in_days: 7 });
  });

  test('fails on a deletion window AWS refuses', () => {
    expect(() => synth({ deletionWindowDays: 3 })).toThrow("[stack/key] 'deletionWindowDays' (3) must be an integer from 7 to 30");
  });

  test('fails on an alias in the AWS namespace', () => {
    expect(() => synth({ alias: 'aws/ebs' })).toThrow(
      "[stack/key] 'alias' ('aws/ebs') must be 1-250 letters, digits, '/', '_' or '-', without 'alias/' and not under 'aws/'",
    );
  });

  describe('policy', () => {
    const vault = 'arn:aws:iam::111122223333:role/platform-test-vault-unseal';
    const withPolicy = (policy: KmsKeyProps['policy']) => synth({ policy });
    const policyOf = (json: any) => JSON.parse(resources(json, 'aws_kms_key')[0].policy);

    test('default: no policy attribute, so AWS applies its default key policy', () => {
      expect(resources(synth(), 'aws_kms_key')[0]).not.toHaveProperty('policy');
    });

    test('the root administers the key but may not use it; only the listed role may, matched by aws:PrincipalArn', () => {
      const doc = policyOf(withPolicy({ accountId: '111122223333', uses: [{ sid: 'VaultUnseal', roleArn: vault, actions: ['kms:Encrypt', 'kms:Decrypt', 'kms:DescribeKey'] }] }));
      expect(doc.Statement).toEqual([
        {
          Sid: 'KeyAdministration',
          Effect: 'Allow',
          Principal: { AWS: 'arn:aws:iam::111122223333:root' },
          Action: [...KEY_ADMIN_ACTIONS],
          Resource: '*',
        },
        {
          Sid: 'VaultUnseal',
          Effect: 'Allow',
          Principal: { AWS: 'arn:aws:iam::111122223333:root' },
          Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:DescribeKey'],
          Resource: '*',
          Condition: { ArnEquals: { 'aws:PrincipalArn': vault } },
        },
      ]);
      const admin = doc.Statement[0].Action as string[];
      for (const use of ['kms:Encrypt', 'kms:Decrypt', 'kms:GenerateDataKey', 'kms:ReEncryptFrom']) {
        expect(admin.some((a) => new RegExp(`^${a.replace('*', '.*')}$`).test(use))).toBe(false);
      }
    });

    test('the administration statement names its actions exactly: no wildcard, no use, no CreateGrant', () => {
      const doc = policyOf(withPolicy({ accountId: '111122223333', uses: [{ sid: 'VaultUnseal', roleArn: vault, actions: ['kms:Decrypt'] }] }));
      const admin = doc.Statement.find((st: any) => st.Sid === 'KeyAdministration');
      expect(admin.Action).toEqual([
        'kms:CreateAlias',
        'kms:UpdateAlias',
        'kms:DeleteAlias',
        'kms:DescribeKey',
        'kms:GetKeyPolicy',
        'kms:PutKeyPolicy',
        'kms:ListKeyPolicies',
        'kms:GetKeyRotationStatus',
        'kms:ListKeyRotations',
        'kms:EnableKeyRotation',
        'kms:DisableKeyRotation',
        'kms:RotateKeyOnDemand',
        'kms:EnableKey',
        'kms:DisableKey',
        'kms:UpdateKeyDescription',
        'kms:ListGrants',
        'kms:RevokeGrant',
        'kms:ListResourceTags',
        'kms:TagResource',
        'kms:UntagResource',
        'kms:ScheduleKeyDeletion',
        'kms:CancelKeyDeletion',
      ]);
      expect(admin.Action.filter((a: string) => a.includes('*'))).toEqual([]);
      expect(admin.Action.filter((a: string) => (KEY_USE_ACTIONS as readonly string[]).includes(a))).toEqual([]);
      expect(admin.Action).not.toContain('kms:CreateGrant');
      expect(admin).not.toHaveProperty('Condition');
    });

    test('a use through services is limited by kms:ViaService and kms:CallerAccount, grants by kms:GrantIsForAWSResource', () => {
      const doc = policyOf(
        withPolicy({
          accountId: '111122223333',
          uses: [{ sid: 'Grants', viaServices: ['ec2.eu-west-1.amazonaws.com'], actions: ['kms:CreateGrant'], grantsForAwsResourcesOnly: true }],
        }),
      );
      expect(doc.Statement[1].Condition).toEqual({
        StringEquals: { 'kms:ViaService': ['ec2.eu-west-1.amazonaws.com'], 'kms:CallerAccount': '111122223333' },
        Bool: { 'kms:GrantIsForAWSResource': 'true' },
      });
    });

    test('a use by AWS services has them as principals, only for this account (aws:SourceAccount)', () => {
      const doc = policyOf(
        withPolicy({ accountId: '111122223333', uses: [{ sid: 'Alarms', servicePrincipals: ['cloudwatch.amazonaws.com'], actions: ['kms:Decrypt'] }] }),
      );
      expect(doc.Statement[1]).toMatchObject({
        Principal: { Service: ['cloudwatch.amazonaws.com'] },
        Condition: { StringEquals: { 'aws:SourceAccount': '111122223333' } },
      });
    });

    test('fails on a service principal that is not one, and on a service principal combined with a role', () => {
      expect(() => withPolicy({ accountId: '111122223333', uses: [{ sid: 'S', servicePrincipals: ['cloudwatch'], actions: ['kms:Decrypt'] }] })).toThrow(
        "[stack/key] 'policy.uses.S.servicePrincipals' ('cloudwatch') must be an AWS service principal such as 'cloudwatch.amazonaws.com'",
      );
      expect(() =>
        withPolicy({ accountId: '111122223333', uses: [{ sid: 'S', roleArn: vault, servicePrincipals: ['cloudwatch.amazonaws.com'], actions: ['kms:Decrypt'] }] }),
      ).toThrow("[stack/key] 'policy.uses.S.servicePrincipals' ([\"cloudwatch.amazonaws.com\"]) cannot be combined with roleArn: a statement has one kind of principal");
    });

    test('fails on an account id that is not 12 digits', () => {
      expect(() => withPolicy({ accountId: '1111', uses: [{ sid: 'A', roleArn: vault, actions: ['kms:Decrypt'] }] })).toThrow(
        "[stack/key] 'policy.accountId' ('1111') must be a 12-digit AWS account id such as '111122223333'",
      );
    });

    test('fails on a use open to the whole account (no role, no service)', () => {
      expect(() => withPolicy({ accountId: '111122223333', uses: [{ sid: 'Anyone', actions: ['kms:Decrypt'] }] })).toThrow(
        "[stack/key] 'policy.uses.Anyone' ([\"kms:Decrypt\"]) must name a roleArn, viaServices or servicePrincipals: otherwise every principal of the account may use the key",
      );
    });

    test('fails on kms:* and on a role ARN that is not one', () => {
      expect(() => withPolicy({ accountId: '111122223333', uses: [{ sid: 'All', roleArn: vault, actions: ['kms:*'] }] })).toThrow(
        "[stack/key] 'policy.uses.All.actions' ('kms:*') must be a named KMS action such as 'kms:Decrypt' (no 'kms:*')",
      );
      expect(() => withPolicy({ accountId: '111122223333', uses: [{ sid: 'User', roleArn: 'arn:aws:iam::111122223333:user/bob', actions: ['kms:Decrypt'] }] })).toThrow(
        "[stack/key] 'policy.uses.User.roleArn' ('arn:aws:iam::111122223333:user/bob') must be an IAM role ARN",
      );
    });

    test('fails on a policy nobody may use, and on a duplicate statement id', () => {
      expect(() => withPolicy({ accountId: '111122223333', uses: [] })).toThrow("[stack/key] 'policy.uses' ([]) must allow at least one use: a key nobody may use protects nothing");
      expect(() =>
        withPolicy({ accountId: '111122223333', uses: [{ sid: 'KeyAdministration', roleArn: vault, actions: ['kms:Decrypt'] }] }),
      ).toThrow("[stack/key] 'policy.uses.sid' ('KeyAdministration') must be letters and digits, unique in the policy");
    });
  });
});
