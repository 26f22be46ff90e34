import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { Testing } from 'cdktf';
import { ElastiCacheAlarms, ElastiCacheAlarmsProps } from '../../../constructs/redis/elasticache-alarms';
import { MEMORY_POLICY_RULE } from '../../../constructs/redis/redis-config';

const KEY = 'arn:aws:kms:eu-west-1:111122223333:key/test';

function synth(props: Partial<ElastiCacheAlarmsProps> = {}): any {
  const out = Testing.synthScope((scope) => {
    new AwsProvider(scope, 'aws', { region: 'eu-west-1' });
    new ElastiCacheAlarms(scope, 'alarms', { replicationGroupId: 'platform-test', nodes: 2, kmsKeyArn: KEY, ...props });
  });
  return JSON.parse(out);
}

function errorOf(props: Partial<ElastiCacheAlarmsProps>): string {
  try {
    synth(props);
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected an error');
}

const alarms = (json: any) => Object.values(json.resource.aws_cloudwatch_metric_alarm) as any[];
const byName = (json: any) => Object.fromEntries(alarms(json).map((a) => [a.alarm_name, a]));

describe('ElastiCacheAlarms', () => {
  test('defaults (allkeys-lru): three alarms per node on its member cluster, to and from one SNS topic encrypted with the key', () => {
    const json = synth();
    const [topic] = Object.values(json.resource.aws_sns_topic) as any[];
    expect(topic).toMatchObject({ name: 'platform-test-redis-alarms', kms_master_key_id: KEY });
    const all = byName(json);
    // No memory and no evictions alarm: a warm allkeys-lru cache sits at maxmemory and evicts by design.
    expect(Object.keys(all).sort()).toEqual(
      ['001', '002'].flatMap((n) => ['connections', 'engine-cpu', 'replication-lag'].map((k) => `platform-test-${n}-redis-${k}`)).sort(),
    );
    const pick = (a: any) => [a.metric_name, a.statistic, a.threshold, a.evaluation_periods, a.datapoints_to_alarm, a.treat_missing_data];
    expect(pick(all['platform-test-001-redis-engine-cpu'])).toEqual(['EngineCPUUtilization', 'Average', 90, 5, 5, 'missing']);
    expect(pick(all['platform-test-001-redis-replication-lag'])).toEqual(['ReplicationLag', 'Maximum', 10, 3, 3, 'notBreaching']);
    expect(pick(all['platform-test-001-redis-connections'])).toEqual(['CurrConnections', 'Maximum', 52000, 5, 5, 'missing']);
    for (const a of alarms(json)) {
      expect(a).toMatchObject({ namespace: 'AWS/ElastiCache', period: 60, comparison_operator: 'GreaterThanThreshold' });
      expect(a.dimensions).toEqual({ CacheClusterId: a.alarm_name.replace(/-redis-.*$/, '') });
      expect(a.alarm_actions).toEqual([`\${aws_sns_topic.${Object.keys(json.resource.aws_sns_topic)[0]}.arn}`]);
      expect(a.ok_actions).toEqual(a.alarm_actions);
    }
  });

  test.each([
    ['noeviction', ['connections', 'engine-cpu', 'memory', 'replication-lag']],
    ['volatile-lru', ['connections', 'engine-cpu', 'evictions', 'memory', 'replication-lag']],
    ['volatile-ttl', ['connections', 'engine-cpu', 'evictions', 'memory', 'replication-lag']],
    ['allkeys-lfu', ['connections', 'engine-cpu', 'replication-lag']],
    ['allkeys-random', ['connections', 'engine-cpu', 'replication-lag']],
  ] as const)('maxmemoryPolicy %s: alarms %j', (maxmemoryPolicy, kinds: readonly string[]) => {
    const all = byName(synth({ nodes: 1, maxmemoryPolicy }));
    expect(Object.keys(all).sort()).toEqual(kinds.map((k) => `platform-test-001-redis-${k}`));
    const pick = (a: any) => [a.metric_name, a.statistic, a.threshold, a.evaluation_periods, a.datapoints_to_alarm, a.treat_missing_data];
    if (kinds.includes('memory')) expect(pick(all['platform-test-001-redis-memory'])).toEqual(['DatabaseMemoryUsagePercentage', 'Maximum', 90, 5, 5, 'missing']);
    if (kinds.includes('evictions')) expect(pick(all['platform-test-001-redis-evictions'])).toEqual(['Evictions', 'Sum', 100, 5, 5, 'notBreaching']);
  });

  test('thresholds are props', () => {
    const all = byName(synth({ nodes: 1, maxmemoryPolicy: 'volatile-lru', memoryUsagePercent: 80, engineCpuPercent: 70, evictionsPerMinute: 5, replicationLagSeconds: 30, maxConnections: 1000 }));
    expect(Object.fromEntries(Object.values(all).map((a: any) => [a.metric_name, a.threshold]))).toEqual({
      DatabaseMemoryUsagePercentage: 80,
      EngineCPUUtilization: 70,
      Evictions: 5,
      ReplicationLag: 30,
      CurrConnections: 1000,
    });
  });

  test.each([
    [{ replicationGroupId: '${aws_elasticache_replication_group.x.id}' }, "'replicationGroupId' ('${aws_elasticache_replication_group.x.id}') must be an ElastiCache replication group id: 1-40 lower-case letters, digits or hyphens, starting with a letter, not ending with a hyphen, and no two hyphens in a row (the plain id, not a Terraform reference)"],
    [{ replicationGroupId: 'platform-prod-' }, "'replicationGroupId' ('platform-prod-') must be an ElastiCache replication group id: 1-40 lower-case letters, digits or hyphens, starting with a letter, not ending with a hyphen, and no two hyphens in a row (the plain id, not a Terraform reference)"],
    [{ replicationGroupId: 'platform--prod' }, "'replicationGroupId' ('platform--prod') must be an ElastiCache replication group id: 1-40 lower-case letters, digits or hyphens, starting with a letter, not ending with a hyphen, and no two hyphens in a row (the plain id, not a Terraform reference)"],
    [{ nodes: 0 }, "'nodes' (0) must be an integer from 1 to 6"],
    [{ memoryUsagePercent: 101 }, "'memoryUsagePercent' (101) must be an integer from 1 to 100"],
    [{ maxConnections: 70000 }, "'maxConnections' (70000) must be an integer from 1 to 65000"],
    [{ replicationLagSeconds: 0 }, "'replicationLagSeconds' (0) must be an integer >= 1"],
    [{ maxmemoryPolicy: 'lru' as any }, `'maxmemoryPolicy' ('lru') ${MEMORY_POLICY_RULE}`],
  ])('fails on %j', (props, message) => {
    expect(errorOf(props)).toBe(`[stack/alarms] ${message}`);
  });
});
