import { Chart, Testing } from 'cdk8s';
import { PROMETHEUS_SELECTOR_LABELS } from '../../../constructs/core/labels';
import { PlatformAlerts, PlatformAlertsProps, kebab } from '../../../constructs/monitoring/platform-alerts';

const BASE: PlatformAlertsProps = { namespace: 'monitoring', appNamespaces: ['apps'], runbookBaseUrl: 'https://runbooks.example.com/platform/' };

function synth(props: Partial<PlatformAlertsProps> = {}) {
  const chart = new Chart(Testing.app(), 'chart');
  new PlatformAlerts(chart, 'alerts', { ...BASE, ...props });
  const [rule] = Testing.synth(chart);
  const rules = rule.spec.groups.flatMap((g: any) => g.rules);
  return { rule, rules, byName: (alert: string) => rules.find((r: any) => r.alert === alert) };
}

describe('PlatformAlerts', () => {
  test('one PrometheusRule, picked up by Prometheus through the selector label', () => {
    const { rule } = synth();
    expect(rule).toMatchObject({ kind: 'PrometheusRule', metadata: { name: 'platform-alerts', namespace: 'monitoring', labels: PROMETHEUS_SELECTOR_LABELS } });
    expect(rule.spec.groups.map((g: any) => g.name)).toEqual(['platform.services', 'platform.kubernetes', 'platform.cache']);
  });

  test('the seed alerts, each with severity, summary, description and a Markdown runbook under the base URL', () => {
    const { rules } = synth();
    expect(rules.map((r: any) => [r.alert, r.labels.severity, r.for])).toEqual([
      ['HighResponseTime', 'warning', '5m'],
      ['HighErrorRate', 'critical', '5m'],
      ['ServiceDown', 'critical', '2m'],
      ['DeploymentUnavailable', 'critical', '5m'],
      ['ServiceNotScraped', 'warning', '15m'],
      ['PodCrashLooping', 'warning', '10m'],
      ['HpaAtMaxReplicas', 'warning', '15m'],
      ['CacheHitRatioLow', 'warning', '15m'],
    ]);
    for (const r of rules) {
      expect(r.annotations).toEqual({ summary: expect.any(String), description: expect.any(String), runbook_url: `https://runbooks.example.com/platform/${kebab(r.alert)}.md` });
    }
  });

  test('high response time is the p95 of http_request_duration_seconds above 500 ms for 5 minutes', () => {
    const r = synth().byName('HighResponseTime');
    expect(r.expr).toBe('histogram_quantile(0.95, sum by (namespace, job, le) (rate(http_request_duration_seconds_bucket{namespace=~"apps"}[5m]))) > 0.5');
    expect(r.for).toBe('5m');
  });

  test('service alerts watch the given app namespaces only; pod and HPA alerts watch every namespace', () => {
    const { byName } = synth({ appNamespaces: ['apps', 'batch'] });
    for (const a of ['HighResponseTime', 'HighErrorRate', 'ServiceDown', 'DeploymentUnavailable', 'ServiceNotScraped']) {
      expect(byName(a).expr).toContain('namespace=~"apps|batch"');
    }
    for (const a of ['PodCrashLooping', 'HpaAtMaxReplicas', 'CacheHitRatioLow']) expect(byName(a).expr).not.toContain('namespace=~');
  });

  test('an app with no available pod (so no scrape target and no up series) is caught from kube-state-metrics', () => {
    const { byName } = synth();
    expect(byName('DeploymentUnavailable').expr).toBe(
      'max by (namespace, deployment) (kube_deployment_spec_replicas{namespace=~"apps"}) > 0' +
        ' and on (namespace, deployment) max by (namespace, deployment) (kube_deployment_status_replicas_available{namespace=~"apps"}) == 0',
    );
    // Running pods with no target: the scrape job is matched to the Deployment by name.
    expect(byName('ServiceNotScraped').expr).toBe(
      'max by (namespace, deployment) (kube_deployment_status_replicas_available{namespace=~"apps"}) > 0' +
        ' unless on (namespace, deployment) label_replace(max by (namespace, job) (up{namespace=~"apps"}), "deployment", "$1", "job", "(.+)")',
    );
  });

  test('HPA and cache alerts read kube-state-metrics and the Redis exporter', () => {
    const { byName } = synth();
    expect(byName('HpaAtMaxReplicas').expr).toContain('kube_horizontalpodautoscaler_status_current_replicas) >= max by (namespace, horizontalpodautoscaler) (kube_horizontalpodautoscaler_spec_max_replicas)');
    expect(byName('CacheHitRatioLow').expr).toMatch(/redis_keyspace_hits_total.*redis_keyspace_misses_total.*< 0\.8/);
  });

  test('names the PrometheusRule as asked', () => {
    expect(synth({ name: 'platform-slo' }).rule.metadata.name).toBe('platform-slo');
  });

  test('kebab-cases alert names for runbook paths', () => {
    expect([kebab('HighErrorRate'), kebab('HpaAtMaxReplicas'), kebab('HTTPDown')]).toEqual(['high-error-rate', 'hpa-at-max-replicas', 'http-down']);
  });

  test('runbook links take the given file extension, or none', () => {
    expect(synth({ runbookFileExtension: '.html' }).byName('ServiceDown').annotations.runbook_url).toBe('https://runbooks.example.com/platform/service-down.html');
    expect(synth({ runbookFileExtension: '' }).byName('ServiceDown').annotations.runbook_url).toBe('https://runbooks.example.com/platform/service-down');
  });

  test('fails on a runbook file extension without its dot', () => {
    expect(() => synth({ runbookFileExtension: 'md' })).toThrow(
      "[chart/alerts] 'runbookFileExtension' ('md') must be empty or a dot followed by letters or digits, such as '.md'",
    );
  });

  test('fails with no app namespace', () => {
    expect(() => synth({ appNamespaces: [] })).toThrow("[chart/alerts] 'appNamespaces' ([]) must name at least one namespace");
  });

  test('fails on an app namespace that is not a DNS label', () => {
    expect(() => synth({ appNamespaces: ['apps', 'Batch'] })).toThrow("[chart/alerts] 'appNamespaces[1]' ('Batch') must be a DNS label");
  });

  test('fails on a runbook base that is not https (through AlertRules)', () => {
    expect(() => synth({ runbookBaseUrl: 'http://runbooks' })).toThrow(
      "[chart/alerts/Rules] 'groups.platform.services.HighResponseTime.runbookUrl' ('http://runbooks/high-response-time.md') must be an https URL",
    );
  });
});
