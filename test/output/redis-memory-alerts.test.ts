import { Chart, Testing } from 'cdk8s';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Redis } from '../../constructs/redis/redis';
import { MemoryPolicy } from '../../constructs/redis/redis-config';
import { K8sObject } from '../support/synth';
import { alertNames, materialise, missingCoverage, prometheusRules, promtool, readUnitTestFile, UnitTestFile, writeRuleFiles } from '../support/prom-rules';
import { describeWithTools } from '../support/tools';

/**
 * `RedisMemoryNearLimit` exists only where reaching maxmemory is a fault (`noeviction`, `volatile-*`). No environment
 * runs such a policy today (dev and staging: allkeys-lru), so test/output/promtool.test.ts never sees the alert; this
 * file synthesises the Redis construct under `noeviction` and `volatile-lru` and proves with the real promtool that
 * the alert fires and stays silent where it should, and that test/output/promtool/redis.test.yaml plus the cases
 * below cover every alert of those rule sets. Under `allkeys-lru` the same input fires nothing: the alert is absent.
 */

const RUNBOOK = 'https://github.com/example/platform-iac/blob/main/docs/runbooks/redis.md';
const UNIT_TESTS = path.join(__dirname, 'promtool', 'redis.test.yaml');

function rulesFor(maxmemoryPolicy: MemoryPolicy) {
  const chart = new Chart(Testing.app(), 'test');
  new Redis(chart, 'redis', { mode: 'standalone', namespace: 'data', maxmemoryPolicy, runbookBaseUrl: RUNBOOK });
  return prometheusRules(Testing.synth(chart) as K8sObject[]);
}

const series = (pod: string, ip: string, used: string, max: string) => [
  { series: `redis_memory_used_bytes{job="redis-metrics", namespace="data", pod="${pod}", instance="${ip}:9121"}`, values: used },
  { series: `redis_memory_max_bytes{job="redis-metrics", namespace="data", pod="${pod}", instance="${ip}:9121"}`, values: max },
];

/** Used / maxmemory above 90 % for 5 minutes fires; 80 %, and a node without maxmemory (a Sentinel's exporter), do not. */
const memoryCase = (fires: boolean) => ({
  name: '95% of maxmemory for 5 minutes fires; 80%, and a node without maxmemory, do not',
  interval: '1m',
  input_series: [
    ...series('redis-0', '10.0.0.10', '950x10', '1000x10'),
    ...series('redis-1', '10.0.0.11', '800x10', '1000x10'),
    ...series('redis-sentinel-0', '10.0.0.30', '950x10', '0x10'),
  ],
  alert_rule_test: [
    { eval_time: '4m', alertname: 'RedisMemoryNearLimit', exp_alerts: [] },
    {
      eval_time: '6m',
      alertname: 'RedisMemoryNearLimit',
      exp_alerts: fires
        ? [
            {
              exp_labels: { severity: 'warning', job: 'redis-metrics', namespace: 'data', pod: 'redis-0', instance: '10.0.0.10:9121' },
              exp_annotations: {
                summary: 'Redis data/redis-0 memory is near maxmemory',
                description:
                  'Redis data/redis-0 uses 95% of maxmemory: with noeviction (or, under a volatile-* policy, once no key with a TTL is left to evict) writes that need memory fail with OOM. Raise the memory limit or look for key growth.',
                runbook_url: `${RUNBOOK}#redismemorynearlimit`,
              },
            },
          ]
        : [],
    },
  ],
});

function memoryUnitTests(fires: boolean): UnitTestFile {
  return {
    file: 'redis-memory.test.yaml',
    ruleRefs: ['data/redis'],
    fires: new Set(fires ? ['RedisMemoryNearLimit'] : []),
    silent: new Set(['RedisMemoryNearLimit']),
    doc: { rule_files: ['data/redis'], evaluation_interval: '1m', tests: [memoryCase(fires)] },
  };
}

describe('RedisMemoryNearLimit follows maxmemoryPolicy (no promtool needed)', () => {
  test.each(['noeviction', 'volatile-lru', 'volatile-ttl'] as const)('%s: the alert exists', (policy) => {
    expect(alertNames(rulesFor(policy).get('data/redis')!)).toContain('RedisMemoryNearLimit');
  });
  test.each(['allkeys-lru', 'allkeys-lfu', 'allkeys-random'] as const)('%s: no such alert', (policy) => {
    expect(alertNames(rulesFor(policy).get('data/redis')!)).not.toContain('RedisMemoryNearLimit');
  });
});

describeWithTools(['promtool'], 'RedisMemoryNearLimit (promtool)', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'redis-memory-alerts-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  const run = (policy: MemoryPolicy, unit: UnitTestFile) => {
    const work = path.join(dir, policy);
    const paths = writeRuleFiles(work, rulesFor(policy));
    const r = promtool(['test', 'rules', materialise(unit, paths, work)]);
    return { status: r.status, output: r.output };
  };

  test.each(['noeviction', 'volatile-lru'] as const)('%s: fires at 95%% for 5 minutes, silent at 80%%, before 5 minutes and without maxmemory', (policy) => {
    expect(run(policy, memoryUnitTests(true))).toEqual({ status: 0, output: expect.stringContaining('SUCCESS') });
  });

  test('noeviction: redis.test.yaml passes too, and with the memory cases every alert fires and stays silent somewhere', () => {
    const shared = readUnitTestFile(UNIT_TESTS);
    expect(run('noeviction', shared)).toEqual({ status: 0, output: expect.stringContaining('SUCCESS') });
    expect(missingCoverage(rulesFor('noeviction'), [shared, memoryUnitTests(true)])).toEqual([]);
    // Without the memory cases, the harness would name the uncovered alert: the check can fail.
    expect(missingCoverage(rulesFor('noeviction'), [shared])).toEqual([
      'data/redis alert RedisMemoryNearLimit: no promtool unit test where it fires (non-empty exp_alerts)',
      'data/redis alert RedisMemoryNearLimit: no promtool unit test where it stays silent (empty exp_alerts)',
    ]);
  });

  test('allkeys-lru: the same 95% input fires nothing', () => {
    expect(run('allkeys-lru', memoryUnitTests(false))).toEqual({ status: 0, output: expect.stringContaining('SUCCESS') });
    // And expecting it to fire fails: promtool really evaluated the rules.
    expect(run('allkeys-lru', memoryUnitTests(true)).status).not.toBe(0);
  });
});
