import { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias';
import { KmsKey as AwsKmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { Construct } from 'constructs';
import { assertInt } from '../core/validate';
import { fail } from '../core/errors';

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
}

/**
 * A customer-managed symmetric KMS key with automatic rotation always on, and an alias. Its key policy is AWS's
 * default (the account's IAM policies decide who uses it), so that no account id is needed at synth time.
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

  constructor(scope: Construct, id: string, props: KmsKeyProps) {
    super(scope, id);
    const rotationPeriodDays = props.rotationPeriodDays ?? 365;
    const deletionWindowDays = props.deletionWindowDays ?? 30;
    assertInt(this, 'rotationPeriodDays', rotationPeriodDays, 90, 2560);
    assertInt(this, 'deletionWindowDays', deletionWindowDays, 7, 30);
    if (!/^[a-zA-Z0-9/_-]{1,250}$/.test(props.alias) || props.alias.startsWith('aws/')) {
      fail(this, 'alias', props.alias, "must be 1-250 letters, digits, '/', '_' or '-', without 'alias/' and not under 'aws/'");
    }

    this.key = new AwsKmsKey(this, 'Key', {
      description: props.description,
      enableKeyRotation: true,
      rotationPeriodInDays: rotationPeriodDays,
      deletionWindowInDays: deletionWindowDays,
      keyUsage: 'ENCRYPT_DECRYPT',
      customerMasterKeySpec: 'SYMMETRIC_DEFAULT',
    });
    this.aliasName = `alias/${props.alias}`;
    this.alias = new KmsAlias(this, 'Alias', { name: this.aliasName, targetKeyId: this.key.keyId });
    this.arn = this.key.arn;
    this.keyId = this.key.keyId;
  }
}
