import { Testing } from 'cdktf';
import { BackupBucket, BackupBucketProps, SNAPSHOTS_PREFIX } from '../../../constructs/aws-foundation/backup-bucket';

const resources = (json: any, type: string): any[] => Object.values(json.resource?.[type] ?? {});

describe('BackupBucket', () => {
  const base: BackupBucketProps = { bucketName: 'example-backups-test', kmsKeyArn: 'arn:aws:kms:eu-west-1:111122223333:key/k' };
  const synth = (p: Partial<BackupBucketProps> = {}): any => JSON.parse(Testing.synthScope((s) => new BackupBucket(s, 'backups', { ...base, ...p })));

  test('defaults: versioned, SSE-KMS with a bucket key, public access blocked, no ACLs, TLS only', () => {
    const json = synth();
    expect(resources(json, 'aws_s3_bucket')).toEqual([{ bucket: 'example-backups-test', force_destroy: false }]);
    expect(resources(json, 'aws_s3_bucket_versioning')[0].versioning_configuration).toEqual({ status: 'Enabled' });
    expect(resources(json, 'aws_s3_bucket_server_side_encryption_configuration')[0].rule).toEqual([
      { apply_server_side_encryption_by_default: { sse_algorithm: 'aws:kms', kms_master_key_id: base.kmsKeyArn }, bucket_key_enabled: true },
    ]);
    expect(resources(json, 'aws_s3_bucket_public_access_block')[0]).toMatchObject({ block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: true });
    expect(resources(json, 'aws_s3_bucket_ownership_controls')[0].rule).toEqual({ object_ownership: 'BucketOwnerEnforced' });
    const policy = JSON.parse(resources(json, 'aws_s3_bucket_policy')[0].policy);
    expect(policy.Statement[0]).toMatchObject({ Effect: 'Deny', Principal: '*', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } });
  });

  test('defaults: backups/ 30 days to IA and expiry at 365; es-snapshots/ never expires; old versions kept 30 days; stale uploads aborted at 7', () => {
    expect(resources(synth(), 'aws_s3_bucket_lifecycle_configuration')[0].rule).toEqual([
      {
        id: 'backups-age-out',
        status: 'Enabled',
        filter: [{ prefix: 'backups/' }],
        transition: [{ days: 30, storage_class: 'STANDARD_IA' }],
        expiration: [{ days: 365 }],
        noncurrent_version_expiration: [{ noncurrent_days: 30 }],
        abort_incomplete_multipart_upload: [{ days_after_initiation: 7 }],
      },
      {
        id: 'es-snapshots-old-versions',
        status: 'Enabled',
        filter: [{ prefix: 'es-snapshots/' }],
        noncurrent_version_expiration: [{ noncurrent_days: 30 }],
        abort_incomplete_multipart_upload: [{ days_after_initiation: 7 }],
      },
    ]);
  });

  test('no rule that expires or transitions current objects covers the snapshot prefix (Elasticsearch snapshots are incremental)', () => {
    const rules: any[] = resources(synth({ expirationDays: 40, transitionToInfrequentAccessDays: 30 }), 'aws_s3_bucket_lifecycle_configuration')[0].rule;
    // A rule reaches snapshot objects when its prefix is a prefix of theirs ('' included) or lies inside theirs.
    const overlaps = (p: string) => SNAPSHOTS_PREFIX.startsWith(p) || p.startsWith(SNAPSHOTS_PREFIX);
    const onSnapshots = rules.filter((r) => r.filter.some((f: any) => overlaps(f.prefix ?? '')));
    expect(onSnapshots.map((r) => r.id)).toEqual(['es-snapshots-old-versions']);
    for (const r of onSnapshots) {
      expect(r).not.toHaveProperty('expiration');
      expect(r).not.toHaveProperty('transition');
    }
    // No rule applies to the whole bucket.
    expect(rules.filter((r) => r.filter.some((f: any) => (f.prefix ?? '') === ''))).toEqual([]);
  });

  test('fails when objects expire before they reach infrequent access', () => {
    expect(() => synth({ expirationDays: 30 })).toThrow("[stack/backups] 'expirationDays' (30) must be > transitionToInfrequentAccessDays (30)");
  });

  test('fails on a transition S3 refuses', () => {
    expect(() => synth({ transitionToInfrequentAccessDays: 10 })).toThrow("[stack/backups] 'transitionToInfrequentAccessDays' (10) must be an integer >= 30");
  });

  test('fails on an invalid bucket name', () => {
    expect(() => synth({ bucketName: 'My_Bucket' })).toThrow("[stack/backups] 'bucketName' ('My_Bucket') must be an S3 bucket name: 3-63 lower-case letters, digits, dots or hyphens");
  });
});
