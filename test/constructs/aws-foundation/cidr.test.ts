import { cidrPrefix, cidrSubnet } from '../../../constructs/aws-foundation/cidr';

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
});
