import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import {
  RuleGroup,
  UnitTestFile,
  alertNames,
  materialise,
  missingCoverage,
  prometheusRules,
  promtool,
  readUnitTestFile,
  writeRuleFiles,
} from '../support/prom-rules';
import { ENVIRONMENTS, synthAll } from '../support/synth';
import { describeWithTools } from '../support/tools';

/**
 * Every PrometheusRule of every environment, checked by the real promtool:
 * - its groups pass `promtool check rules`;
 * - every unit test file in test/output/promtool/ passes `promtool test rules` against the synthesised rules
 *   (`rule_files` entries name PrometheusRules as `<namespace>/<name>`; see test/support/prom-rules.ts);
 * - every alert has a unit test where it fires and one where it stays silent.
 */
const UNIT_TEST_DIR = path.join(__dirname, 'promtool');
const unitTestPaths = fs
  .readdirSync(UNIT_TEST_DIR)
  .filter((f) => f.endsWith('.test.yaml'))
  .sort()
  .map((f) => path.join(UNIT_TEST_DIR, f));

describe('unit test coverage check (harness logic, no promtool needed)', () => {
  const groups: RuleGroup[] = [{ name: 'g', rules: [{ alert: 'A', expr: 'up == 0' }, { alert: 'B', expr: 'up == 0' }, { record: 'r', expr: 'up' }] }];
  const rules = new Map([['monitoring/x', groups]]);
  const test_ = (fires: string[], silent: string[], ruleRefs = ['monitoring/x']): UnitTestFile => ({
    file: 't.test.yaml',
    ruleRefs,
    fires: new Set(fires),
    silent: new Set(silent),
    doc: {},
  });

  test('lists alerts (not recording rules) of a PrometheusRule', () => {
    expect(alertNames(groups)).toEqual(['A', 'B']);
  });

  test('names every alert lacking a firing or a silent case', () => {
    expect(missingCoverage(rules, [test_(['A'], ['A', 'B'])])).toEqual([
      'monitoring/x alert B: no promtool unit test where it fires (non-empty exp_alerts)',
    ]);
  });

  test('counts only test files that load the PrometheusRule', () => {
    expect(missingCoverage(rules, [test_(['A', 'B'], ['A', 'B'], ['data/other'])])).toHaveLength(4);
  });

  test('reads firing and silent cases from a unit test file, and rejects rule_files that are not <namespace>/<name>', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'promtool-harness-'));
    const good = path.join(dir, 'good.test.yaml');
    fs.writeFileSync(
      good,
      [
        'rule_files: [monitoring/x]',
        'tests:',
        '  - input_series: []',
        '    alert_rule_test:',
        '      - { eval_time: 1m, alertname: A, exp_alerts: [{ exp_labels: { severity: critical } }] }',
        '      - { eval_time: 1m, alertname: B }',
      ].join('\n'),
    );
    const parsed = readUnitTestFile(good);
    expect([...parsed.fires]).toEqual(['A']);
    expect([...parsed.silent]).toEqual(['B']);
    const bad = path.join(dir, 'bad.test.yaml');
    fs.writeFileSync(bad, 'rule_files: [platform.rules.yaml]\ntests: []\n');
    expect(() => readUnitTestFile(bad)).toThrow(
      `bad.test.yaml: rule_files entry "platform.rules.yaml" must name a PrometheusRule as <namespace>/<name>, such as 'data/redis'`,
    );
  });
});

describeWithTools(['promtool'], 'PrometheusRules (promtool)', () => {
  const unitTests = unitTestPaths.map(readUnitTestFile);
  const rulesByEnv = new Map<string, Map<string, RuleGroup[]>>();
  const pathsByEnv = new Map<string, Map<string, string>>();
  let workDir: string;

  beforeAll(() => {
    const out = synthAll();
    workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'promtool-'));
    for (const env of ENVIRONMENTS) {
      const rules = prometheusRules(out.objects(env));
      rulesByEnv.set(env, rules);
      pathsByEnv.set(env, writeRuleFiles(path.join(workDir, env), rules));
    }
  });

  test('there are unit test files', () => {
    expect(unitTests.map((t) => path.basename(t.file))).toContain('platform-alerts.test.yaml');
  });

  test('every unit test file names PrometheusRules that some environment synthesises', () => {
    const stale = unitTests.flatMap((t) =>
      t.ruleRefs
        .filter((ref) => !ENVIRONMENTS.some((env) => rulesByEnv.get(env)!.has(ref)))
        .map((ref) => `${path.basename(t.file)}: rule_files names ${ref}, which no environment synthesises`),
    );
    expect(stale).toEqual([]);
  });

  describe.each(ENVIRONMENTS)('%s', (env) => {
    test('synthesises the platform alerts', () => {
      expect(alertNames(rulesByEnv.get(env)!.get('monitoring/platform-alerts') ?? [])).toEqual([
        'HighResponseTime',
        'HighErrorRate',
        'ServiceDown',
        'DeploymentUnavailable',
        'ServiceNotScraped',
        'PodCrashLooping',
        'HpaAtMaxReplicas',
        'CacheHitRatioLow',
      ]);
    });

    test('every rule group passes promtool check rules', () => {
      const files = [...pathsByEnv.get(env)!.values()];
      const run = promtool(['check', 'rules', ...files]);
      expect({ status: run.status, output: run.output }).toEqual({ status: 0, output: expect.stringContaining('SUCCESS') });
    });

    test.each(unitTestPaths.map((p) => path.basename(p)))('%s passes promtool test rules', (name) => {
      const unit = unitTests.find((t) => path.basename(t.file) === name)!;
      const paths = pathsByEnv.get(env)!;
      const absent = unit.ruleRefs.filter((r) => !paths.has(r));
      if (absent.length > 0) {
        // Not synthesised in this environment (checked above to exist somewhere): nothing to test here.
        console.info(`${env}: ${name} skipped, no ${absent.join(', ')} in this environment`);
        return;
      }
      const file = materialise(unit, paths, path.join(workDir, env));
      const run = promtool(['test', 'rules', file]);
      expect({ status: run.status, output: run.output }).toEqual({ status: 0, output: expect.stringContaining('SUCCESS') });
    });

    test('every alert has a unit test where it fires and one where it stays silent', () => {
      const rules = rulesByEnv.get(env)!;
      const applicable = unitTests.filter((t) => t.ruleRefs.every((r) => rules.has(r)));
      expect(missingCoverage(rules, applicable)).toEqual([]);
    });
  });
});
