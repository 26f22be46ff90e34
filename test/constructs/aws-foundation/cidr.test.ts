import { cidrPrefix, cidrSubnet, isCidr } from '../../../constructs/aws-foundation/cidr';

describe('cidr helpers', () => {
  test('cidrSubnet matches Terraform cidrsubnet', () => {
    expect(cidrSubnet('10.20.0.0/16', 2, 3)).toBe('10.20.192.0/18');
    expect(cidrSubnet('10.20.192.0/18', 2, 1)).toBe('10.20.208.0/20');
    expect(() => cidrSubnet('10.20.0.0/16', 2, 4)).toThrow('cidrSubnet(10.20.0.0/16, 2, 4): no such subnet');
  });

  test('cidrPrefix reads a prefix and rejects host bits and garbage', () => {
    expect(cidrPrefix('0.0.0.0/0')).toBe(0);
    expect(cidrPrefix('203.0.113.0/24')).toBe(24);
    expect(cidrPrefix('10.20.0.1/16')).toBeUndefined();
    expect(cidrPrefix('10.300.0.0/16')).toBeUndefined();
    expect(cidrPrefix('nope')).toBeUndefined();
  });

  test('isCidr is exactly what cidrPrefix can read', () => {
    expect(['0.0.0.0/0', '10.20.0.0/16', '203.0.113.7/32'].map(isCidr)).toEqual([true, true, true]);
    expect(['10.20.0.1/16', '10.20.0.0/33', '10.300.0.0/16', '10.20.0.0', ' 10.20.0.0/16'].map(isCidr)).toEqual([false, false, false, false, false]);
  });
});
