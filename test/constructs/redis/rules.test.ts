import { isEngineVersion, isNodeType, isReplicationGroupId, isSentinelCount } from '../../../constructs/redis/rules';

describe('isReplicationGroupId (AWS: 1-40, letters/digits/hyphens, a letter first, no trailing or double hyphen)', () => {
  test.each(['a', 'platform-prod', 'p1', `a${'b'.repeat(39)}`, 'a-b-c'])('accepts %s', (id) => expect(isReplicationGroupId(id)).toBe(true));
  test.each(['', '1platform', '-platform', 'platform-', 'platform--prod', `a${'b'.repeat(40)}`, 'Platform', 'platform_prod', '${aws_x.y.id}'])(
    'rejects %j',
    (id) => expect(isReplicationGroupId(id)).toBe(false),
  );
});

describe('isSentinelCount', () => {
  test.each([3, 5, 7])('accepts %d', (n) => expect(isSentinelCount(n)).toBe(true));
  test.each([-1, 0, 1, 2, 4, 6, 3.5, Number.NaN])('rejects %d', (n) => expect(isSentinelCount(n)).toBe(false));
});

describe('isNodeType', () => {
  test.each(['cache.t4g.small', 'cache.r7g.xlarge', 'cache.m6g.16xlarge'])('accepts %s', (t) => expect(isNodeType(t)).toBe(true));
  test.each(['t4g.small', 'cache.t4g', 'cache.T4g.small', 'cache.t4g.small.x', 'db.t4g.small'])('rejects %s', (t) => expect(isNodeType(t)).toBe(false));
});

describe('isEngineVersion', () => {
  test.each(['6.2', '7.0', '7.1', '8.0', '10.0'])('accepts %s', (v) => expect(isEngineVersion(v)).toBe(true));
  test.each(['5.0', '6.0', '6.1', '7', '7.1.0', 'v7.1', '6.x'])('rejects %s', (v) => expect(isEngineVersion(v)).toBe(false));
});
