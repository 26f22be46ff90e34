import type { AlertRule, AlertRuleGroup } from '../monitoring/alert-rules';
import { maxmemoryIsFault, MemoryPolicy } from './redis-config';

/** Settings of `redisAlertGroups`. */
export interface RedisAlertSettings {
  /** The Prometheus `job` label of the scrape (the metrics Service's name, the ServiceMonitor's default). */
  readonly job: string;
  /**
   * The runbook page (`.../runbooks/redis.md`), with one heading per alert named exactly as the alert (`## RedisDown`);
   * each alert links to `<page>#<alert name in lower case>`, the anchor GitHub generates for that heading.
   */
  readonly runbookBaseUrl: string;
  /** Memory use over maxmemory above which `RedisMemoryNearLimit` fires, from 0 to 1. */
  readonly memoryRatioThreshold: number;
  /**
   * Redis's maxmemory-policy: `RedisMemoryNearLimit` exists only where reaching maxmemory is a fault
   * (`noeviction`, `volatile-*`; see `maxmemoryIsFault`). Under `allkeys-*` a warm cache sits at maxmemory by design.
   */
  readonly maxmemoryPolicy: MemoryPolicy;
}

/**
 * Redis's alert rules, on redis_exporter metrics. The expressions hold no environment-specific numbers (replica
 * counts, sizes), so one promtool unit test file (test/output/promtool/redis.test.yaml) covers every environment;
 * `RedisMemoryNearLimit`, which only policies other than `allkeys-*` get, is tested in test/output/redis-memory-alerts.test.ts.
 */
export function redisAlertGroups(s: RedisAlertSettings): AlertRuleGroup[] {
  const sel = `job="${s.job}"`;
  const memoryNearLimit = maxmemoryIsFault(s.maxmemoryPolicy);
  const runbook = (alert: string) => `${s.runbookBaseUrl}#${alert.toLowerCase()}`;
  return [
    {
      name: 'redis.rules',
      // RedisMemoryNearLimit is dropped under allkeys-* policies (see RedisAlertSettings.maxmemoryPolicy).
      rules: ([
        {
          alert: 'RedisDown',
          // redis_up is 0 when the exporter cannot reach its Redis; up is 0 when Prometheus cannot reach the exporter.
          expr: `redis_up{${sel}} == 0 or up{${sel}} == 0`,
          for: '1m',
          severity: 'critical',
          summary: 'Redis {{ $labels.namespace }}/{{ $labels.pod }} is down',
          description:
            'The Redis (or Sentinel) process in {{ $labels.namespace }}/{{ $labels.pod }} has not answered its exporter, or the exporter has not been scraped, for 1 minute. Clients of this node fail or fail over.',
          runbookUrl: runbook('RedisDown'),
        },
        {
          alert: 'RedisFailoverHappened',
          // A node that is a primary now and was a replica 10 minutes ago was promoted (Sentinel or cluster failover).
          expr: `(redis_instance_info{${sel},role="master"} == 1) and on (namespace, pod) (redis_instance_info{${sel},role="slave"} offset 10m == 1)`,
          for: '0m',
          severity: 'warning',
          summary: 'Redis failover: {{ $labels.namespace }}/{{ $labels.pod }} was promoted to primary',
          description:
            '{{ $labels.namespace }}/{{ $labels.pod }} is a primary and was a replica 10 minutes ago: the previous primary failed or was restarted. Check why, and that it rejoined as a replica.',
          runbookUrl: runbook('RedisFailoverHappened'),
        },
        {
          alert: 'RedisReplicationBroken',
          expr: `redis_master_link_up{${sel}} == 0`,
          for: '2m',
          severity: 'critical',
          summary: 'Redis replica {{ $labels.namespace }}/{{ $labels.pod }} lost its primary',
          description:
            'The replica {{ $labels.namespace }}/{{ $labels.pod }} has had no link to its primary for 2 minutes: it serves stale data, cannot take over in a failover, and writes that need min-replicas-to-write may be refused.',
          runbookUrl: runbook('RedisReplicationBroken'),
        },
        {
          alert: 'RedisMemoryNearLimit',
          expr: `redis_memory_used_bytes{${sel}} / (redis_memory_max_bytes{${sel}} > 0) > ${s.memoryRatioThreshold}`,
          for: '5m',
          severity: 'warning',
          summary: 'Redis {{ $labels.namespace }}/{{ $labels.pod }} memory is near maxmemory',
          description:
            'Redis {{ $labels.namespace }}/{{ $labels.pod }} uses {{ $value | humanizePercentage }} of maxmemory: with noeviction (or, under a volatile-* policy, once no key with a TTL is left to evict) writes that need memory fail with OOM. Raise the memory limit or look for key growth.',
          runbookUrl: runbook('RedisMemoryNearLimit'),
        },
        {
          alert: 'RedisRejectedConnections',
          expr: `increase(redis_rejected_connections_total{${sel}}[5m]) > 0`,
          for: '0m',
          severity: 'warning',
          summary: 'Redis {{ $labels.namespace }}/{{ $labels.pod }} is rejecting connections',
          description:
            'Redis {{ $labels.namespace }}/{{ $labels.pod }} rejected {{ $value }} connections in 5 minutes (maxclients reached): clients get errors. Look for a connection leak or raise maxclients.',
          runbookUrl: runbook('RedisRejectedConnections'),
        },
      ] satisfies AlertRule[]).filter((rule) => rule.alert !== 'RedisMemoryNearLimit' || memoryNearLimit),
    },
  ];
}
