import { isBucketName } from '../../../constructs/aws-foundation/rules';

describe('isBucketName', () => {
  test.each(['abc', 'platform-backups-prod', 'backups.example.com', 'a'.repeat(63)])('accepts %s', (b) => expect(isBucketName(b)).toBe(true));
  test.each(['ab', 'a'.repeat(64), 'My_Bucket', '-backups', 'backups-', 'backups..prod', 'backups.'])('rejects %s', (b) =>
    expect(isBucketName(b)).toBe(false),
  );
});
