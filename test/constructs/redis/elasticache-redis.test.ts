import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { Vpc } from '@cdktf/provider-aws/lib/vpc';
import { Testing } from 'cdktf';
import { ElastiCacheRedis, ElastiCacheRedisProps } from '../../../constructs/redis/elasticache-redis';

function synth(props: Partial<ElastiCacheRedisProps> = {}): any {
  const out = Testing.synthScope((scope) => {
    new AwsProvider(scope, 'aws', { region: 'eu-west-1' });
    const vpc = new Vpc(scope, 'vpc', { cidrBlock: '10.0.0.0/16' });
    new ElastiCacheRedis(scope, 'redis', {
      name: 'platform-test',
      vpcId: vpc.id,
      subnetIds: ['subnet-a', 'subnet-b'],
      clientSecurityGroupIds: ['sg-nodes'],
      kmsKeyArn: 'arn:aws:kms:eu-west-1:111122223333:key/test',
      ...props,
    });
  });
  return JSON.parse(out);
}

function errorOf(props: Partial<ElastiCacheRedisProps>): string {
  try {
    synth(props);
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected an error');
}

const one = (json: any, type: string) => Object.values(json.resource[type]) as any[];

describe('ElastiCacheRedis', () => {
  test('defaults: Multi-AZ with a replica, automatic failover, encrypted at rest with the key and in transit, 7 days of snapshots', () => {
    const [group] = one(synth(), 'aws_elasticache_replication_group');
    expect(group).toMatchObject({
      replication_group_id: 'platform-test',
      engine: 'redis',
      engine_version: '7.1',
      node_type: 'cache.t4g.small',
      num_cache_clusters: 2,
      multi_az_enabled: true,
      automatic_failover_enabled: true,
      at_rest_encryption_enabled: 'true',
      kms_key_id: 'arn:aws:kms:eu-west-1:111122223333:key/test',
      transit_encryption_enabled: true,
      snapshot_retention_limit: 7,
      auth_token: '${var.platform_test_auth_token}',
    });
  });

  test('the auth token is a sensitive variable with no default: no value in the output', () => {
    const json = synth();
    expect(json.variable.platform_test_auth_token).toMatchObject({ type: 'string', sensitive: true, nullable: false });
    expect(json.variable.platform_test_auth_token.default).toBeUndefined();
  });

  test('the parameter group carries the memory policy, in the family of the engine version', () => {
    const [pg] = one(synth({ maxmemoryPolicy: 'volatile-lfu' }), 'aws_elasticache_parameter_group');
    expect(pg.family).toBe('redis7');
    expect(pg.parameter).toEqual([{ name: 'maxmemory-policy', value: 'volatile-lfu' }]);
  });

  test('a 6.x engine gets the family AWS names redis6.x', () => {
    const [pg] = one(synth({ engineVersion: '6.2' }), 'aws_elasticache_parameter_group');
    expect(pg.family).toBe('redis6.x');
  });

  test('the security group admits the Redis port from the client groups only, and has no other rule', () => {
    const json = synth({ clientSecurityGroupIds: ['sg-a', 'sg-b'] });
    const rules = one(json, 'aws_vpc_security_group_ingress_rule');
    expect(rules.map((r) => [r.referenced_security_group_id, r.from_port, r.to_port, r.ip_protocol])).toEqual([
      ['sg-a', 6379, 6379, 'tcp'],
      ['sg-b', 6379, 6379, 'tcp'],
    ]);
    expect(json.resource.aws_vpc_security_group_egress_rule).toBeUndefined();
    expect(one(json, 'aws_security_group')[0].ingress).toBeUndefined();
  });

  test('replicas and retention change the group', () => {
    const [group] = one(synth({ replicas: 2, snapshotRetentionDays: 14 }), 'aws_elasticache_replication_group');
    expect(group.num_cache_clusters).toBe(3);
    expect(group.snapshot_retention_limit).toBe(14);
  });

  test.each([
    [{ replicas: 0 }, "'replicas' (0) must be an integer from 1 to 5"],
    [{ snapshotRetentionDays: 40 }, "'snapshotRetentionDays' (40) must be an integer from 0 to 35"],
    [{ engineVersion: '5.0' }, "'engineVersion' ('5.0') must be a Redis version 'major.minor', 6.2 or later, such as '7.1'"],
    [{ maxmemoryPolicy: 'allkeys' as any }, "'maxmemoryPolicy' ('allkeys') must be a maxmemory-policy Redis knows"],
    [{ subnetIds: ['subnet-a'] }, "'subnetIds' ([\"subnet-a\"]) must list at least 2 subnets (zones) for Multi-AZ"],
    [{ engineVersion: '6.0' }, "'engineVersion' ('6.0') must be a Redis version 'major.minor', 6.2 or later, such as '7.1'"],
    [{ nodeType: 't4g.small' }, "'nodeType' ('t4g.small') must be an ElastiCache node type such as 'cache.t4g.small'"],
    [{ name: 'Platform_Test' }, "'name' ('Platform_Test') must be an ElastiCache replication group id: 1-40 lower-case letters, digits or hyphens, starting with a letter, not ending with a hyphen, and no two hyphens in a row"],
    [{ name: 'platform-test-' }, "'name' ('platform-test-') must be an ElastiCache replication group id: 1-40 lower-case letters, digits or hyphens, starting with a letter, not ending with a hyphen, and no two hyphens in a row"],
  ])('fails on %j', (props, message) => {
    expect(errorOf(props)).toContain(`[stack/redis] ${message}`);
  });
});
