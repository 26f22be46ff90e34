import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketLifecycleConfiguration } from '@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration';
import { S3BucketOwnershipControls } from '@cdktf/provider-aws/lib/s3-bucket-ownership-controls';
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
import { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
import { S3BucketVersioningA } from '@cdktf/provider-aws/lib/s3-bucket-versioning';
import { Construct } from 'constructs';
import { fail } from '../core/errors';
import { assertInt } from '../core/validate';
import { policyJson } from './iam';
import { BUCKET_NAME_RULE, isBucketName } from './rules';

/** Properties of `BackupBucket`. */
export interface BackupBucketProps {
  /** Globally unique S3 bucket name. */
  readonly bucketName: string;
  /** KMS key that encrypts every object (SSE-KMS with an S3 bucket key). */
  readonly kmsKeyArn: string;
  /**
   * Days after which current objects under `backups/` move to STANDARD_IA (S3 needs at least 30).
   * @default 30
   */
  readonly transitionToInfrequentAccessDays?: number;
  /**
   * Days after which current objects under `backups/` expire (become noncurrent versions). Never applied to
   * `es-snapshots/`.
   * @default 365
   */
  readonly expirationDays?: number;
  /**
   * Days a replaced or deleted version is kept before it is removed for good, under both prefixes.
   * @default 30
   */
  readonly noncurrentVersionExpirationDays?: number;
  /**
   * Days after which unfinished multipart uploads (a snapshot cut short) are aborted.
   * @default 7
   */
  readonly abortIncompleteUploadDays?: number;
}

/** Prefix of ordinary backups: aged out by the lifecycle. */
export const BACKUPS_PREFIX = 'backups/';
/**
 * Prefix of the Elasticsearch snapshot repository (its `base_path` is `es-snapshots`). Never expired by lifecycle:
 * snapshots are incremental, so a blob written for the first snapshot stays referenced by every later one, whatever
 * its age; only Elasticsearch (snapshot lifecycle management) knows which blobs it may delete.
 */
export const SNAPSHOTS_PREFIX = 'es-snapshots/';

/**
 * An S3 bucket for backups and Elasticsearch snapshots: versioned, SSE-KMS with the given key, every kind of public
 * access blocked, owner-enforced object ownership (no ACLs), TLS-only access. Lifecycle by prefix: `backups/` moves
 * to infrequent access and expires; `es-snapshots/` keeps every current object (Elasticsearch deletes what it no
 * longer references) and only drops the old versions those deletions leave; both abort stale multipart uploads.
 * Writers should be limited to the two prefixes (the foundation's backup writer role is).
 */
export class BackupBucket extends Construct {
  public readonly bucket: S3Bucket;
  /** Bucket name (plain string). */
  public readonly bucketName: string;
  /** Bucket ARN (a Terraform reference). */
  public readonly arn: string;

  constructor(scope: Construct, id: string, props: BackupBucketProps) {
    super(scope, id);
    const transitionDays = props.transitionToInfrequentAccessDays ?? 30;
    const expirationDays = props.expirationDays ?? 365;
    const noncurrentDays = props.noncurrentVersionExpirationDays ?? 30;
    const abortDays = props.abortIncompleteUploadDays ?? 7;

    if (!isBucketName(props.bucketName)) fail(this, 'bucketName', props.bucketName, BUCKET_NAME_RULE);
    assertInt(this, 'transitionToInfrequentAccessDays', transitionDays, 30);
    assertInt(this, 'expirationDays', expirationDays, 1);
    if (expirationDays <= transitionDays) {
      fail(this, 'expirationDays', expirationDays, `must be > transitionToInfrequentAccessDays (${transitionDays})`);
    }
    assertInt(this, 'noncurrentVersionExpirationDays', noncurrentDays, 1);
    assertInt(this, 'abortIncompleteUploadDays', abortDays, 1);

    this.bucketName = props.bucketName;
    this.bucket = new S3Bucket(this, 'Bucket', { bucket: props.bucketName, forceDestroy: false });
    this.arn = this.bucket.arn;

    new S3BucketVersioningA(this, 'Versioning', {
      bucket: this.bucket.id,
      versioningConfiguration: { status: 'Enabled' },
    });
    new S3BucketServerSideEncryptionConfigurationA(this, 'Encryption', {
      bucket: this.bucket.id,
      rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'aws:kms', kmsMasterKeyId: props.kmsKeyArn }, bucketKeyEnabled: true }],
    });
    const publicAccess = new S3BucketPublicAccessBlock(this, 'PublicAccessBlock', {
      bucket: this.bucket.id,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    new S3BucketOwnershipControls(this, 'Ownership', {
      bucket: this.bucket.id,
      rule: { objectOwnership: 'BucketOwnerEnforced' },
    });
    new S3BucketPolicy(this, 'Policy', {
      bucket: this.bucket.id,
      policy: policyJson([
        {
          sid: 'DenyInsecureTransport',
          effect: 'Deny',
          principal: '*',
          actions: ['s3:*'],
          resources: [this.bucket.arn, `${this.bucket.arn}/*`],
          condition: { Bool: { 'aws:SecureTransport': 'false' } },
        },
      ]),
      // A bucket policy written before the public access block would count as "public" until the block exists.
      dependsOn: [publicAccess],
    });
    new S3BucketLifecycleConfiguration(this, 'Lifecycle', {
      bucket: this.bucket.id,
      rule: [
        {
          id: 'backups-age-out',
          status: 'Enabled',
          filter: [{ prefix: BACKUPS_PREFIX }],
          transition: [{ days: transitionDays, storageClass: 'STANDARD_IA' }],
          expiration: [{ days: expirationDays }],
          noncurrentVersionExpiration: [{ noncurrentDays }],
          abortIncompleteMultipartUpload: [{ daysAfterInitiation: abortDays }],
        },
        {
          // No expiration and no transition: current snapshot blobs stay until Elasticsearch deletes them (a deleted
          // blob becomes a noncurrent version, removed after noncurrentDays).
          id: 'es-snapshots-old-versions',
          status: 'Enabled',
          filter: [{ prefix: SNAPSHOTS_PREFIX }],
          noncurrentVersionExpiration: [{ noncurrentDays }],
          abortIncompleteMultipartUpload: [{ daysAfterInitiation: abortDays }],
        },
      ],
    });
  }
}
