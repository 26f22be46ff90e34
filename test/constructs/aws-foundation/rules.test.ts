import { isBucketName, isInstanceType } from '../../../constructs/aws-foundation/rules';

describe('isBucketName', () => {
  test.each(['abc', 'platform-backups-prod', 'backups.example.com', 'a'.repeat(63)])('accepts %s', (b) => expect(isBucketName(b)).toBe(true));
  test.each(['ab', 'a'.repeat(64), 'My_Bucket', '-backups', 'backups-', 'backups..prod', 'backups.'])('rejects %s', (b) =>
    expect(isBucketName(b)).toBe(false),
  );
});

describe('isInstanceType', () => {
  test.each(['m6i.large', 't4g.micro', 'c7gn.16xlarge', 'u-6tb1.metal', 'm5d.24xlarge'])('accepts %s', (t) => expect(isInstanceType(t)).toBe(true));
  test.each(['m6i-large', 'large', 'M6i.large', 'm6i.', '.large', 'm6i.large.x', '6i.large'])('rejects %s', (t) => expect(isInstanceType(t)).toBe(false));
});
