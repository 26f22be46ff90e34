import { Testing } from 'cdktf';
import { KmsKey, KmsKeyProps } from '../../../constructs/aws-foundation/kms-key';

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
});
