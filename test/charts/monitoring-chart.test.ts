import { Testing } from 'cdk8s';
import { MonitoringChart } from '../../charts/monitoring-chart';
import { loadEnvironments } from '../../config';
import { LABEL_ENVIRONMENT, PROMETHEUS_SELECTOR_LABELS } from '../../constructs/core/labels';
import { GRAFANA_DASHBOARD_LABEL } from '../../constructs/monitoring/grafana-dashboard';
import { Editable, EnvName, registryWith } from '../support/config';

function synth(envName: EnvName, edit: (m: Editable) => void = () => undefined) {
  const registry = registryWith(envName, ({ monitoring }) => edit(monitoring));
  const [env] = loadEnvironments(registry, [envName]);
  return Testing.synth(new MonitoringChart(Testing.app(), 'monitoring', env));
}

describe('MonitoringChart', () => {
  test('the platform alerts and both dashboards, in the monitoring namespace, labelled with the environment', () => {
    const objects = synth('prod');
    expect(objects.map((o) => `${o.kind} ${o.metadata.namespace}/${o.metadata.name}`)).toEqual([
      'PrometheusRule monitoring/platform-alerts',
      'ConfigMap monitoring/dashboard-platform-service-overview',
      'ConfigMap monitoring/dashboard-platform-redis',
    ]);
    for (const o of objects) expect(o.metadata.labels[LABEL_ENVIRONMENT]).toBe('prod');
    expect(objects[0].metadata.labels).toMatchObject(PROMETHEUS_SELECTOR_LABELS);
    for (const cm of objects.slice(1)) expect(cm.metadata.labels).toMatchObject(GRAFANA_DASHBOARD_LABEL);
  });

  test('alerts watch the apps namespace and link to the configured runbooks', () => {
    const [rule] = synth('dev', (m) => (m.runbookBaseUrl = 'https://wiki.example.com/runbooks'));
    const rules = rule.spec.groups.flatMap((g: any) => g.rules);
    expect(rules.find((r: any) => r.alert === 'ServiceDown').expr).toContain('namespace=~"apps"');
    expect(rules.map((r: any) => r.annotations.runbook_url)).toContain('https://wiki.example.com/runbooks/service-down.md');
  });
});
