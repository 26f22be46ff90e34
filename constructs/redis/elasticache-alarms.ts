import { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { Construct } from 'constructs';
import { ELASTICACHE_DEFAULTS } from './defaults';
import { fail } from '../core/errors';
import { assertInt } from '../core/validate';
import { isMemoryPolicy, maxmemoryIsFault, MEMORY_POLICY_RULE, MemoryPolicy } from './redis-config';
import { isReplicationGroupId, REPLICATION_GROUP_ID_RULE } from './rules';

/** ElastiCache for Redis's fixed `maxclients` (not a parameter one can change). */
export const ELASTICACHE_MAX_CLIENTS = 65000;

/** Properties of `ElastiCacheAlarms`. */
export interface ElastiCacheAlarmsProps {
  /**
   * The replication group's id, a plain string (not a Terraform reference): its member clusters are
   * `<id>-001`, `<id>-002`, ... (how ElastiCache names the nodes of a group without cluster mode).
   */
  readonly replicationGroupId: string;
  /** Nodes of the group (primary + replicas): one alarm of each kind per node. */
  readonly nodes: number;
  /**
   * KMS key (ARN) encrypting the alarm topic. Its key policy must let `cloudwatch.amazonaws.com` (and
   * `elasticache.amazonaws.com`, for the group's events) use it (`kms:GenerateDataKey*`, `kms:Decrypt`), or the
   * notifications are dropped.
   */
  readonly kmsKeyArn: string;
  /**
   * The group's maxmemory-policy (`ElastiCacheRedisProps.maxmemoryPolicy`): it decides which alarms mean a fault.
   * The memory alarm exists for `noeviction` and `volatile-*` (at maxmemory, writes fail), the evictions alarm for
   * `volatile-*` only (keys with a TTL are dropped before it; `noeviction` never evicts). Under `allkeys-*` a warm
   * cache sits at maxmemory and evicts by design, so neither exists: both would be in alarm in the steady state.
   * @default 'allkeys-lru', as `ElastiCacheRedis`: no memory and no evictions alarm
   */
  readonly maxmemoryPolicy?: MemoryPolicy;
  /**
   * `DatabaseMemoryUsagePercentage` (used memory / maxmemory) above which a node alarms, for 5 minutes; only
   * under a policy where maxmemory is a fault (see `maxmemoryPolicy`).
   * @default 90
   */
  readonly memoryUsagePercent?: number;
  /**
   * `EngineCPUUtilization` (the Redis thread's CPU) above which a node alarms, averaged over 5 minutes.
   * @default 90
   */
  readonly engineCpuPercent?: number;
  /**
   * Keys evicted per minute above which a node alarms, 5 minutes in a row; only under a `volatile-*` policy, where
   * a steady stream means keys are dropped before their TTL and the keys without one are close to filling memory.
   * @default 100
   */
  readonly evictionsPerMinute?: number;
  /**
   * `ReplicationLag` (seconds a replica is behind) above which a replica alarms, 3 minutes in a row. The primary
   * publishes no lag: its missing data counts as fine.
   * @default 10
   */
  readonly replicationLagSeconds?: number;
  /**
   * `CurrConnections` above which a node alarms, 5 minutes in a row.
   * @default 80% of ElastiCache's fixed maxclients (65000): 52000
   */
  readonly maxConnections?: number;
}

/** One alarm kind: metric, statistic, comparison and window. */
interface AlarmKind {
  readonly id: string;
  readonly metric: string;
  readonly statistic: 'Maximum' | 'Average' | 'Sum';
  readonly threshold: number;
  readonly minutes: number;
  readonly missing: 'missing' | 'notBreaching';
  readonly what: string;
}

/**
 * CloudWatch alarms on an ElastiCache replication group, one per node and kind (engine CPU, replication lag,
 * connections, and memory and evictions where the memory policy makes them faults: see `maxmemoryPolicy`), with
 * alarm and OK notifications to one SNS topic encrypted with the given key.
 * The topic is the hand-off to people: subscribe the on-call tool to it outside this project (an email, a PagerDuty
 * or Opsgenie HTTPS endpoint, AWS Chatbot); nothing here subscribes. The replication group can send its own events
 * (failover, node replacement) to the same topic (`topic.arn` as `ElastiCacheRedisProps.notificationTopicArn`).
 */
export class ElastiCacheAlarms extends Construct {
  public readonly topic: SnsTopic;
  /** Alarms by `<kind>-<member cluster id>` (`memory-platform-prod-001`). */
  public readonly alarms: Record<string, CloudwatchMetricAlarm> = {};

  constructor(scope: Construct, id: string, props: ElastiCacheAlarmsProps) {
    super(scope, id);
    const memory = props.memoryUsagePercent ?? 90;
    const cpu = props.engineCpuPercent ?? 90;
    const evictions = props.evictionsPerMinute ?? 100;
    const lag = props.replicationLagSeconds ?? 10;
    const connections = props.maxConnections ?? Math.round(ELASTICACHE_MAX_CLIENTS * 0.8);
    const policy: string = props.maxmemoryPolicy ?? ELASTICACHE_DEFAULTS.maxmemoryPolicy;

    if (!isReplicationGroupId(props.replicationGroupId)) {
      fail(this, 'replicationGroupId', props.replicationGroupId, `${REPLICATION_GROUP_ID_RULE} (the plain id, not a Terraform reference)`);
    }
    assertInt(this, 'nodes', props.nodes, 1, 6);
    if (!isMemoryPolicy(policy)) fail(this, 'maxmemoryPolicy', policy, MEMORY_POLICY_RULE);
    assertInt(this, 'memoryUsagePercent', memory, 1, 100);
    assertInt(this, 'engineCpuPercent', cpu, 1, 100);
    assertInt(this, 'evictionsPerMinute', evictions, 1);
    assertInt(this, 'replicationLagSeconds', lag, 1);
    assertInt(this, 'maxConnections', connections, 1, ELASTICACHE_MAX_CLIENTS);

    this.topic = new SnsTopic(this, 'Topic', {
      name: `${props.replicationGroupId}-redis-alarms`,
      displayName: `Redis ${props.replicationGroupId} alarms`,
      kmsMasterKeyId: props.kmsKeyArn,
    });
    const memoryAlarm = maxmemoryIsFault(policy);
    const evictionsAlarm = policy.startsWith('volatile-');
    const allKinds: AlarmKind[] = [
      { id: 'memory', metric: 'DatabaseMemoryUsagePercentage', statistic: 'Maximum', threshold: memory, minutes: 5, missing: 'missing', what: `memory above ${memory}% of maxmemory` },
      { id: 'engine-cpu', metric: 'EngineCPUUtilization', statistic: 'Average', threshold: cpu, minutes: 5, missing: 'missing', what: `the Redis thread above ${cpu}% CPU` },
      { id: 'evictions', metric: 'Evictions', statistic: 'Sum', threshold: evictions, minutes: 5, missing: 'notBreaching', what: `more than ${evictions} keys evicted a minute` },
      { id: 'replication-lag', metric: 'ReplicationLag', statistic: 'Maximum', threshold: lag, minutes: 3, missing: 'notBreaching', what: `a replica more than ${lag} s behind` },
      { id: 'connections', metric: 'CurrConnections', statistic: 'Maximum', threshold: connections, minutes: 5, missing: 'missing', what: `more than ${connections} client connections (maxclients ${ELASTICACHE_MAX_CLIENTS})` },
    ];
    const kinds = allKinds.filter((k) => (k.id !== 'memory' || memoryAlarm) && (k.id !== 'evictions' || evictionsAlarm));
    for (let n = 1; n <= props.nodes; n++) {
      const member = `${props.replicationGroupId}-${String(n).padStart(3, '0')}`;
      for (const k of kinds) {
        this.alarms[`${k.id}-${member}`] = new CloudwatchMetricAlarm(this, `${k.id}-${n}`, {
          alarmName: `${member}-redis-${k.id}`,
          alarmDescription: `ElastiCache ${member}: ${k.what} for ${k.minutes} minutes (${k.metric}).`,
          namespace: 'AWS/ElastiCache',
          metricName: k.metric,
          dimensions: { CacheClusterId: member },
          statistic: k.statistic,
          period: 60,
          evaluationPeriods: k.minutes,
          datapointsToAlarm: k.minutes,
          comparisonOperator: 'GreaterThanThreshold',
          threshold: k.threshold,
          treatMissingData: k.missing,
          alarmActions: [this.topic.arn],
          okActions: [this.topic.arn],
        });
      }
    }
  }
}
