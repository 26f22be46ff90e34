import { CONTROL_PLANE_SCRAPE_JOBS } from '../../constructs/monitoring/kube-prometheus-stack';
import { deepMerge } from '../../constructs/helm/pinned-release';
import { rulesOfDisabledJobs, scrapeJobEnabled, scrapeJobRuleGroups } from '../support/prom-chart-defaults';
import { helmReleases, loadChartDefaults } from '../support/helm-values';
import { ENVIRONMENTS, synthAll } from '../support/synth';

/**
 * kube-prometheus-stack's default rules against its scrape jobs, in every environment: no rule group about a job
 * (`KubeControllerManagerDown`, `KubeSchedulerDown`, `KubeProxyDown`, the etcd alerts ...) is on while that job is
 * off, or it would page forever. The job ↔ rule-group pairs come from the vendored chart values
 * (`scrapeJobRuleGroups`), and each environment's release values are merged over the chart defaults, as Helm does.
 */
const chart = loadChartDefaults('kube-prometheus-stack');
const pairs = scrapeJobRuleGroups(chart.effective);

describe('scrape job ↔ rule group pairs (read from the chart values)', () => {
  test('pair the control-plane jobs with exactly the groups the construct switches with them', () => {
    expect(Object.fromEntries(Object.keys(CONTROL_PLANE_SCRAPE_JOBS).map((job) => [job, pairs.get(job)]))).toEqual(CONTROL_PLANE_SCRAPE_JOBS);
  });

  test('pair the other jobs by name, the longest prefix winning', () => {
    expect(pairs.get('kubeApiServer')).toEqual(['kubeApiserverAvailability', 'kubeApiserverBurnrate', 'kubeApiserverHistogram', 'kubeApiserverSlos']);
    expect(pairs.get('prometheus')).toEqual(['prometheus']);
    expect(pairs.get('prometheusOperator')).toEqual(['prometheusOperator']);
  });

  test('report a group left on while its job is off (and only then)', () => {
    const values = deepMerge(chart.effective, { kubeProxy: { enabled: false }, kubeEtcd: { serviceMonitor: { enabled: false } }, defaultRules: { rules: { etcd: false } } });
    expect(rulesOfDisabledJobs(values, pairs)).toEqual(['defaultRules.rules.kubeProxy is on while scrape job kubeProxy is off']);
    expect(rulesOfDisabledJobs(chart.effective, pairs)).toEqual([]);
  });
});

describe.each(ENVIRONMENTS)('%s: kube-prometheus-stack default rules', (env) => {
  let values: Record<string, unknown>;

  beforeAll(() => {
    const release = helmReleases(`platform-${env}`, synthAll().stack(`platform-${env}`)).find((r) => r.chart === 'kube-prometheus-stack');
    if (!release) throw new Error(`platform-${env} has no kube-prometheus-stack release`);
    values = deepMerge(chart.effective, release.values);
  });

  test('no rule group about a scrape job is on while the job is off', () => {
    expect(rulesOfDisabledJobs(values, pairs)).toEqual([]);
  });

  test('the control plane is not scraped (managed or 127.0.0.1-bound in every environment)', () => {
    expect(Object.keys(CONTROL_PLANE_SCRAPE_JOBS).filter((job) => scrapeJobEnabled(values, job))).toEqual([]);
  });
});
