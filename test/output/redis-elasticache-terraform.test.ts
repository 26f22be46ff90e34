import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { Subnet } from '@cdktf/provider-aws/lib/subnet';
import { Vpc } from '@cdktf/provider-aws/lib/vpc';
import { App, TerraformStack } from 'cdktf';
import { randomBytes } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ElastiCacheAlarms } from '../../constructs/redis/elasticache-alarms';
import { ElastiCacheRedis } from '../../constructs/redis/elasticache-redis';
import { synthAll } from '../support/synth';
import { providerSource, TerraformWorkdir } from '../support/terraform';
import { describeWithTools } from '../support/tools';

/** A small stack holding only the ElastiCache construct and what it needs, planned offline. */
function elastiCacheStack(): Record<string, unknown> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'redis-ec-synth-'));
  try {
    const app = new App({ outdir: dir, stackTraces: false, hclOutput: false });
    const stack = new TerraformStack(app, 'ec');
    new AwsProvider(stack, 'aws', { region: 'eu-west-1' });
    const vpc = new Vpc(stack, 'vpc', { cidrBlock: '10.0.0.0/16' });
    const subnets = ['a', 'b'].map((z, i) => new Subnet(stack, `s${z}`, { vpcId: vpc.id, cidrBlock: `10.0.${i}.0/24`, availabilityZone: `eu-west-1${z}` }));
    const nodes = new SecurityGroup(stack, 'nodes', { vpcId: vpc.id, name: 'nodes' });
    const key = new KmsKey(stack, 'key', { enableKeyRotation: true });
    // volatile-lru: the one policy family with every alarm kind (memory and evictions too), so the provider plans all five.
    const alarms = new ElastiCacheAlarms(stack, 'alarms', { replicationGroupId: 'test-cache', nodes: 2, kmsKeyArn: key.arn, replicationLagSeconds: 20, maxmemoryPolicy: 'volatile-lru' });
    new ElastiCacheRedis(stack, 'redis', {
      notificationTopicArn: alarms.topic.arn,
      name: 'test-cache',
      vpcId: vpc.id,
      subnetIds: subnets.map((s) => s.id),
      clientSecurityGroupIds: [nodes.id],
      kmsKeyArn: key.arn,
      snapshotRetentionDays: 5,
      authTokenVariableName: 'redis_auth_token',
    });
    app.synth();
    return JSON.parse(fs.readFileSync(path.join(dir, 'stacks', 'ec', 'cdk.tf.json'), 'utf8'));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describeWithTools(['terraform'], 'ElastiCache under the real AWS provider (offline)', () => {
  const source = providerSource();
  const workdirs: TerraformWorkdir[] = [];
  const saved = process.env.TF_VAR_redis_auth_token;

  afterAll(() => {
    workdirs.forEach((w) => w.cleanup());
    if (saved === undefined) delete process.env.TF_VAR_redis_auth_token;
    else process.env.TF_VAR_redis_auth_token = saved;
  });

  test('foundation-prod, which holds the ElastiCache group, passes terraform validate', () => {
    const json = synthAll().stack('foundation-prod');
    expect(Object.keys(json.resource.aws_elasticache_replication_group ?? {})).toHaveLength(1);
    const w = new TerraformWorkdir('foundation-prod', json, source);
    workdirs.push(w);
    w.init();
    const result = w.validate();
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(result.valid).toBe(true);
  });

  test('plans a Multi-AZ, encrypted group whose token is a sensitive deploy-time variable, and rejects a short token', () => {
    const json = elastiCacheStack();
    const w = new TerraformWorkdir('ec', json, source);
    workdirs.push(w);
    w.init();
    w.makeOffline();

    const rejected = w.run(['plan', '-input=false', '-lock=false', '-refresh=false', '-var', 'redis_auth_token=short']);
    expect(rejected.status).not.toBe(0);
    expect(rejected.stderr).toContain('The ElastiCache AUTH token must be 16-128 printable characters');

    const token = randomBytes(24).toString('hex');
    process.env.TF_VAR_redis_auth_token = token;
    // Given as at deploy time (TF_VAR_...; a work dir reads the environment when it is made). The shared
    // planJson() may pass its own fake value with -var instead, which wins; either way a value comes from outside.
    const w2 = new TerraformWorkdir('ec2', json, source);
    workdirs.push(w2);
    w2.init();
    w2.makeOffline();
    const plan = w2.planJson() as unknown as { resource_changes: Array<{ type: string; change: { after: Record<string, any>; after_sensitive: Record<string, any> } }>; configuration: any };
    const group = plan.resource_changes.find((r) => r.type === 'aws_elasticache_replication_group')!;
    expect(group.change.after).toMatchObject({
      multi_az_enabled: true,
      automatic_failover_enabled: true,
      at_rest_encryption_enabled: 'true',
      transit_encryption_enabled: true,
      num_cache_clusters: 2,
      snapshot_retention_limit: 5,
      engine: 'redis',
      engine_version: '7.1',
    });
    expect(group.change.after_sensitive.auth_token).toBe(true);
    const params = plan.resource_changes.find((r) => r.type === 'aws_elasticache_parameter_group')!;
    expect(params.change.after.parameter).toEqual([{ name: 'maxmemory-policy', value: 'allkeys-lru' }]);
    const rules = plan.resource_changes.filter((r) => r.type === 'aws_vpc_security_group_ingress_rule');
    expect(rules.map((r) => [r.change.after.from_port, r.change.after.to_port, r.change.after.cidr_ipv4 ?? null])).toEqual([[6379, 6379, null]]);
    expect(plan.resource_changes.filter((r) => r.type === 'aws_vpc_security_group_egress_rule')).toEqual([]);
    // The synthesised JSON holds only a reference to the variable, never a value.
    const synthesised = Object.values((json as any).resource.aws_elasticache_replication_group)[0] as Record<string, unknown>;
    expect(synthesised.auth_token).toBe('${var.redis_auth_token}');
    expect((json as any).variable.redis_auth_token).toMatchObject({ sensitive: true, nullable: false });
    expect((json as any).variable.redis_auth_token.default).toBeUndefined();
    expect(JSON.stringify(json)).not.toContain(token);

    // Monitoring: per node, five CloudWatch alarms on its member cluster, notifying an SNS topic encrypted with the key;
    // the group's own events go to the same topic.
    type Ref = { references?: string[] };
    const resources = plan.configuration.root_module.resources as Array<{ address: string; type: string; expressions: Record<string, Ref & { constant_value?: unknown }> }>;
    const topic = resources.find((r) => r.type === 'aws_sns_topic')!;
    expect(topic.expressions.kms_master_key_id.references).toContain('aws_kms_key.key.arn');
    expect(plan.resource_changes.find((r) => r.type === 'aws_sns_topic')!.change.after).toMatchObject({ name: 'test-cache-redis-alarms' });
    const groupConfig = resources.find((r) => r.type === 'aws_elasticache_replication_group')!;
    expect(groupConfig.expressions.notification_topic_arn.references).toContain(`${topic.address}.arn`);
    const alarmChanges = plan.resource_changes.filter((r) => r.type === 'aws_cloudwatch_metric_alarm').map((r) => r.change.after);
    expect(
      alarmChanges
        .map((a) => [a.alarm_name, a.namespace, a.metric_name, a.dimensions, a.statistic, a.threshold, a.period, a.evaluation_periods, a.comparison_operator, a.treat_missing_data])
        .sort((x, y) => String(x[0]).localeCompare(String(y[0]))),
    ).toEqual(
      ['001', '002']
        .flatMap((n) => {
          const member = `test-cache-${n}`;
          const row = (kind: string, metric: string, statistic: string, threshold: number, minutes: number, missing: string) =>
            [`${member}-redis-${kind}`, 'AWS/ElastiCache', metric, { CacheClusterId: member }, statistic, threshold, 60, minutes, 'GreaterThanThreshold', missing];
          return [
            row('connections', 'CurrConnections', 'Maximum', 52000, 5, 'missing'),
            row('engine-cpu', 'EngineCPUUtilization', 'Average', 90, 5, 'missing'),
            row('evictions', 'Evictions', 'Sum', 100, 5, 'notBreaching'),
            row('memory', 'DatabaseMemoryUsagePercentage', 'Maximum', 90, 5, 'missing'),
            row('replication-lag', 'ReplicationLag', 'Maximum', 20, 3, 'notBreaching'),
          ];
        })
        .sort((x, y) => String(x[0]).localeCompare(String(y[0]))),
    );
    for (const alarm of resources.filter((r) => r.type === 'aws_cloudwatch_metric_alarm')) {
      expect([alarm.address, alarm.expressions.alarm_actions.references, alarm.expressions.ok_actions.references]).toEqual([
        alarm.address,
        [`${topic.address}.arn`, topic.address],
        [`${topic.address}.arn`, topic.address],
      ]);
    }
  });

  // That CloudWatch and ElastiCache may use the data key to publish to the encrypted topic: test/stacks/foundation-stack.test.ts.

  test('foundation-prod alarms on every node of its ElastiCache group, to a topic encrypted with the data key', () => {
    const json = synthAll().stack('foundation-prod') as any;
    const [topicId, topic] = Object.entries(json.resource.aws_sns_topic).find(([, t]: [string, any]) => t.name === 'platform-prod-redis-alarms') as [string, any];
    expect(topic.kms_master_key_id).toMatch(/^\$\{aws_kms_key\.data-key_Key_[0-9A-F]+\.arn\}$/);
    const alarms = Object.values(json.resource.aws_cloudwatch_metric_alarm as Record<string, any>).filter((a) => a.namespace === 'AWS/ElastiCache');
    // prod: a primary and 2 replicas, three alarms each (connections, engine CPU, replication lag): its policy is
    // allkeys-lru, where a warm cache sits at maxmemory and evicts by design, so no memory and no evictions alarm.
    expect(alarms).toHaveLength(15 - 6);
    expect(new Set(alarms.map((a) => a.metric_name))).toEqual(new Set(['CurrConnections', 'EngineCPUUtilization', 'ReplicationLag']));
    expect(new Set(alarms.map((a) => a.dimensions.CacheClusterId))).toEqual(new Set(['platform-prod-001', 'platform-prod-002', 'platform-prod-003']));
    for (const a of alarms) expect(a.alarm_actions).toEqual([`\${aws_sns_topic.${topicId}.arn}`]);
    const [group] = Object.values(json.resource.aws_elasticache_replication_group) as any[];
    expect(group.notification_topic_arn).toBe(`\${aws_sns_topic.${topicId}.arn}`);
  });
});
