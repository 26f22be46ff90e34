import { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias';
import { KmsKey as AwsKmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { Construct } from 'constructs';
import { assertInt } from '../core/validate';
import { fail } from '../core/errors';
import { PolicyStatement, policyJson } from './iam';
import { ACCOUNT_ID_RULE, ROLE_ARN_RULE, isAccountId, isRoleArn } from './rules';

/**
 * What the account root may do with a key that has an explicit policy: administer it (IAM policies then decide which
 * administrators), never use it. Named actions, no wildcards: `kms:Create*` would include `kms:CreateGrant`, with
 * which an administrator grants itself (or anyone) Decrypt; a wildcard would also take in whatever AWS adds under it.
 * Account-level actions (`kms:CreateKey`, `kms:ListAliases`, ...) have no place in a key policy.
 *
 * `kms:PutKeyPolicy` stays: without it nobody could repair the policy (AWS refuses a policy that would lock the
 * account out). It also means that whoever holds `kms:PutKeyPolicy` on the key through IAM can rewrite the policy and
 * take the key over, use included: restrict that right (and `kms:TagResource` where IAM grants KMS use by tag) in IAM
 * to the break-glass administrators. The key policy cannot take it away from them.
 */
export const KEY_ADMIN_ACTIONS = [
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
] as const;

/**
 * KMS actions that use a key (cryptographic operations) or hand its use to someone (`kms:CreateGrant`): never in the
 * administration statement.
 */
export const KEY_USE_ACTIONS = [
  'kms:Encrypt',
  'kms:Decrypt',
  'kms:ReEncryptFrom',
  'kms:ReEncryptTo',
  'kms:GenerateDataKey',
  'kms:GenerateDataKeyWithoutPlaintext',
  'kms:GenerateDataKeyPair',
  'kms:GenerateDataKeyPairWithoutPlaintext',
  'kms:GenerateMac',
  'kms:VerifyMac',
  'kms:Sign',
  'kms:Verify',
  'kms:DeriveSharedSecret',
  'kms:GetPublicKey',
  'kms:CreateGrant',
] as const;

/** One use of a key that its policy allows, besides administration. */
export interface KeyUse {
  /** Statement id, letters and digits. */
  readonly sid: string;
  /** KMS actions (`kms:Decrypt`), named; no `kms:*`. */
  readonly actions: readonly string[];
  /**
   * The one IAM role allowed, matched by `aws:PrincipalArn` (so the role may be created after the key, and a
   * re-created role keeps working, unlike a role principal that KMS pins to the role's unique id).
   * @default any principal of the account whose IAM policy allows it (then set `viaServices`)
   */
  readonly roleArn?: string;
  /**
   * Only through these AWS services (`kms:ViaService`, such as `ec2.eu-west-1.amazonaws.com`), and only for callers
   * of the key's account (`kms:CallerAccount`).
   * @default directly, through any service
   */
  readonly viaServices?: readonly string[];
  /**
   * AWS service principals allowed to use the key themselves (`cloudwatch.amazonaws.com` publishing an alarm to an
   * encrypted SNS topic), only on behalf of the key's account (`aws:SourceAccount`). Not with `roleArn`.
   * @default no service principal
   */
  readonly servicePrincipals?: readonly string[];
  /**
   * Only grants for AWS resources (`kms:GrantIsForAWSResource`): for `kms:CreateGrant` that services make for their
   * own resources (an EBS volume attached to an instance).
   * @default false
   */
  readonly grantsForAwsResourcesOnly?: boolean;
}

/** An explicit key policy: administration by the account root, use only as listed. */
export interface KmsKeyPolicy {
  /** The key's account (12 digits); its root administers the key. */
  readonly accountId: string;
  /** Who may use the key, and how; each entry is one statement. */
  readonly uses: readonly KeyUse[];
}

/** Properties of `KmsKey`. */
export interface KmsKeyProps {
  /** Alias without the `alias/` prefix, such as `platform-prod/data`. */
  readonly alias: string;
  /** What the key protects; shown in the console and in CloudTrail. */
  readonly description: string;
  /**
   * Days between automatic rotations of the key material.
   * @default 365
   */
  readonly rotationPeriodDays?: number;
  /**
   * Days a deleted key waits before it is gone (and with it every byte it encrypted).
   * @default 30, the longest AWS allows
   */
  readonly deletionWindowDays?: number;
  /**
   * An explicit key policy. Set it for every key that guards something: with AWS's default policy, any principal of
   * the account whose IAM policy allows `kms:Decrypt` on `*` can use the key.
   * @default AWS's default key policy (the account's IAM policies alone decide who uses the key)
   */
  readonly policy?: KmsKeyPolicy;
}

/**
 * A customer-managed symmetric KMS key with automatic rotation always on, and an alias. With `policy`, the key
 * policy lets the account root administer the key but not use it, and lets only the listed roles and services use
 * it; the policy text is complete at synth time (no AWS call), so a plan shows it.
 */
export class KmsKey extends Construct {
  public readonly key: AwsKmsKey;
  public readonly alias: KmsAlias;
  /** Key ARN (a Terraform reference), for encryption settings and IAM policies. */
  public readonly arn: string;
  /** Key id (a Terraform reference). */
  public readonly keyId: string;
  /** `alias/<alias>`, a plain string. */
  public readonly aliasName: string;
  /** The key policy document, when `policy` is set. */
  public readonly policyDocument?: string;

  constructor(scope: Construct, id: string, props: KmsKeyProps) {
    super(scope, id);
    const rotationPeriodDays = props.rotationPeriodDays ?? 365;
    const deletionWindowDays = props.deletionWindowDays ?? 30;
    assertInt(this, 'rotationPeriodDays', rotationPeriodDays, 90, 2560);
    assertInt(this, 'deletionWindowDays', deletionWindowDays, 7, 30);
    if (!/^[a-zA-Z0-9/_-]{1,250}$/.test(props.alias) || props.alias.startsWith('aws/')) {
      fail(this, 'alias', props.alias, "must be 1-250 letters, digits, '/', '_' or '-', without 'alias/' and not under 'aws/'");
    }
    if (props.policy) this.policyDocument = this.keyPolicy(props.policy);

    this.key = new AwsKmsKey(this, 'Key', {
      description: props.description,
      enableKeyRotation: true,
      rotationPeriodInDays: rotationPeriodDays,
      deletionWindowInDays: deletionWindowDays,
      keyUsage: 'ENCRYPT_DECRYPT',
      customerMasterKeySpec: 'SYMMETRIC_DEFAULT',
      ...(this.policyDocument ? { policy: this.policyDocument } : {}),
    });
    this.aliasName = `alias/${props.alias}`;
    this.alias = new KmsAlias(this, 'Alias', { name: this.aliasName, targetKeyId: this.key.keyId });
    this.arn = this.key.arn;
    this.keyId = this.key.keyId;
  }

  private keyPolicy(policy: KmsKeyPolicy): string {
    if (!isAccountId(policy.accountId)) fail(this, 'policy.accountId', policy.accountId, ACCOUNT_ID_RULE);
    if (policy.uses.length === 0) fail(this, 'policy.uses', policy.uses, 'must allow at least one use: a key nobody may use protects nothing');
    const root = `arn:aws:iam::${policy.accountId}:root`;
    const sids = new Set<string>(['KeyAdministration']);
    const statements: PolicyStatement[] = [
      { sid: 'KeyAdministration', principal: { AWS: root }, actions: KEY_ADMIN_ACTIONS, resources: ['*'] },
    ];
    for (const use of policy.uses) {
      if (!/^[A-Za-z0-9]+$/.test(use.sid) || sids.has(use.sid)) fail(this, 'policy.uses.sid', use.sid, 'must be letters and digits, unique in the policy');
      sids.add(use.sid);
      if (use.actions.length === 0) fail(this, `policy.uses.${use.sid}.actions`, use.actions, 'must name at least one KMS action');
      for (const a of use.actions) {
        if (!/^kms:[A-Za-z]+\*?$/.test(a)) fail(this, `policy.uses.${use.sid}.actions`, a, "must be a named KMS action such as 'kms:Decrypt' (no 'kms:*')");
      }
      const services = use.servicePrincipals ?? [];
      if (use.roleArn === undefined && (use.viaServices ?? []).length === 0 && services.length === 0) {
        fail(this, `policy.uses.${use.sid}`, use.actions, 'must name a roleArn, viaServices or servicePrincipals: otherwise every principal of the account may use the key');
      }
      if (services.length > 0 && use.roleArn !== undefined) {
        fail(this, `policy.uses.${use.sid}.servicePrincipals`, services, 'cannot be combined with roleArn: a statement has one kind of principal');
      }
      for (const service of services) {
        if (!/^[a-z0-9-]+\.amazonaws\.com$/.test(service)) fail(this, `policy.uses.${use.sid}.servicePrincipals`, service, "must be an AWS service principal such as 'cloudwatch.amazonaws.com'");
      }
      if (use.roleArn !== undefined && !isRoleArn(use.roleArn)) fail(this, `policy.uses.${use.sid}.roleArn`, use.roleArn, ROLE_ARN_RULE);
      const condition: Record<string, Record<string, string | readonly string[]>> = {};
      if (use.roleArn !== undefined) condition.ArnEquals = { 'aws:PrincipalArn': use.roleArn };
      if (use.viaServices && use.viaServices.length > 0) {
        condition.StringEquals = { 'kms:ViaService': [...use.viaServices], 'kms:CallerAccount': policy.accountId };
      }
      if (use.grantsForAwsResourcesOnly) condition.Bool = { 'kms:GrantIsForAWSResource': 'true' };
      if (services.length > 0) {
        // A confused-deputy guard: the service may use the key only for this account's resources.
        condition.StringEquals = { ...condition.StringEquals, 'aws:SourceAccount': policy.accountId };
      }
      const principal: Readonly<Record<string, string | readonly string[]>> = services.length > 0 ? { Service: [...services] } : { AWS: root };
      statements.push({ sid: use.sid, principal, actions: use.actions, resources: ['*'], condition });
    }
    return policyJson(statements);
  }
}
