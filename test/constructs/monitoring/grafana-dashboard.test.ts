import { Chart, Testing } from 'cdk8s';
import { redisDashboard } from '../../../constructs/monitoring/dashboards/redis';
import { serviceOverviewDashboard } from '../../../constructs/monitoring/dashboards/service-overview';
import {
  DashboardSpec,
  GRAFANA_DASHBOARD_LABEL,
  GrafanaDashboard,
  PROMETHEUS_DATASOURCE_UID,
  dashboardJson,
  variableReferences,
} from '../../../constructs/monitoring/grafana-dashboard';

const SPEC: DashboardSpec = {
  uid: 'test-dash',
  title: 'Test',
  tags: ['t'],
  variables: [{ name: 'app', label: 'App', selector: 'up', labelName: 'job' }],
  panels: [
    { id: 1, title: 'A', description: 'a', type: 'stat', unit: 'short', width: 6, height: 4, queries: [{ expr: 'sum(up{job=~"$app"})' }] },
    { id: 7, title: 'B', description: 'b', type: 'timeseries', unit: 's', width: 24, queries: [{ expr: 'rate(x[$__rate_interval])', legend: '{{job}}' }, { expr: 'y' }] },
  ],
};

function synth(dashboard: DashboardSpec, name?: string) {
  const chart = new Chart(Testing.app(), 'chart');
  new GrafanaDashboard(chart, 'dash', { namespace: 'monitoring', dashboard, name });
  return Testing.synth(chart)[0];
}

describe('GrafanaDashboard', () => {
  test('a ConfigMap with the sidecar label holding <uid>.json', () => {
    const cm = synth(SPEC);
    expect(cm).toMatchObject({ kind: 'ConfigMap', metadata: { name: 'dashboard-test-dash', namespace: 'monitoring', labels: GRAFANA_DASHBOARD_LABEL } });
    expect(Object.keys(cm.data)).toEqual(['test-dash.json']);
    expect(JSON.parse(cm.data['test-dash.json']).uid).toBe('test-dash');
  });

  test('names the ConfigMap as asked', () => {
    expect(synth(SPEC, 'my-dashboard').metadata.name).toBe('my-dashboard');
  });

  test('keeps the given panel ids, lays panels out in rows of 24 columns, points every query at the Prometheus datasource', () => {
    const model: any = dashboardJson(SPEC);
    expect(model.panels.map((p: any) => [p.id, p.gridPos])).toEqual([
      [1, { x: 0, y: 0, w: 6, h: 4 }],
      [7, { x: 0, y: 4, w: 24, h: 8 }],
    ]);
    const ds = { type: 'prometheus', uid: PROMETHEUS_DATASOURCE_UID };
    expect(model.panels[1].targets).toEqual([
      { refId: 'A', datasource: ds, expr: 'rate(x[$__rate_interval])', legendFormat: '{{job}}', range: true },
      { refId: 'B', datasource: ds, expr: 'y', range: true },
    ]);
    expect(model.templating.list[0]).toMatchObject({ name: 'app', datasource: ds, definition: 'label_values(up, job)', multi: true, includeAll: true });
  });

  test('finds variable references in every Grafana syntax', () => {
    expect(variableReferences('a{x=~"$app", y="${env:regex}", z="[[team]]"}[$__rate_interval]')).toEqual(['app', 'env', 'team', '__rate_interval']);
  });

  test('the shipped dashboards are valid, with stable uids', () => {
    expect(synth(serviceOverviewDashboard()).data['platform-service-overview.json']).toBeDefined();
    expect(synth(redisDashboard()).data['platform-redis.json']).toBeDefined();
  });

  test('the service overview shows request rate, p50/p95/p99 latency, error ratio per app and HPA bounds', () => {
    const model: any = dashboardJson(serviceOverviewDashboard());
    const exprs = model.panels.flatMap((p: any) => p.targets.map((t: any) => t.expr)).join('\n');
    for (const q of ['0.5', '0.95', '0.99']) expect(exprs).toContain(`histogram_quantile(${q}, sum by (job, le)`);
    expect(exprs).toContain('code=~"5.."');
    for (const m of ['status_current_replicas', 'spec_min_replicas', 'spec_max_replicas']) expect(exprs).toContain(`kube_horizontalpodautoscaler_${m}`);
  });

  test('the Redis dashboard shows hit ratio, memory, clients and replication', () => {
    const exprs = JSON.stringify(dashboardJson(redisDashboard()));
    for (const m of ['redis_keyspace_hits_total', 'redis_memory_used_bytes', 'redis_connected_clients', 'redis_connected_slaves', 'redis_master_link_up']) {
      expect(exprs).toContain(m);
    }
  });

  describe('validation', () => {
    const panel = SPEC.panels[0];
    test.each<[string, DashboardSpec, string]>([
      ['a duplicate panel id', { ...SPEC, panels: [panel, { ...panel, title: 'again' }] }, "[chart/dash] 'dashboard.panels.1.id' (1) must be unique in the dashboard"],
      ['a panel id of 0', { ...SPEC, panels: [{ ...panel, id: 0 }] }, "[chart/dash] 'dashboard.panels.0.id' (0) must be an integer >= 1"],
      ['a panel wider than the grid', { ...SPEC, panels: [{ ...panel, width: 30 }] }, "[chart/dash] 'dashboard.panels.1.width' (30) must be an integer from 1 to 24"],
      ['a panel without queries', { ...SPEC, panels: [{ ...panel, queries: [] }] }, "[chart/dash] 'dashboard.panels.1.queries' ([]) must hold at least one query"],
      [
        'an undefined variable',
        { ...SPEC, panels: [{ ...panel, queries: [{ expr: 'up{job=~"$service"}' }] }] },
        `[chart/dash] 'dashboard.panels.1.queries[0].expr' ('up{job=~"$service"}') refers to '$service', which is neither a dashboard variable nor a Grafana built-in`,
      ],
      [
        'a variable used before it is defined',
        { ...SPEC, variables: [{ name: 'a', label: 'A', selector: 'up{x=~"$b"}', labelName: 'x' }, { name: 'b', label: 'B', selector: 'up', labelName: 'y' }] },
        `[chart/dash] 'dashboard.variables.a.selector' ('up{x=~"$b"}') refers to '$b', which is not defined before it`,
      ],
      ['a uid with a space', { ...SPEC, uid: 'my dash' }, "[chart/dash] 'dashboard.uid' ('my dash') must be 1-40 letters, digits, - or _"],
      ['no panels', { ...SPEC, panels: [] }, "[chart/dash] 'dashboard.panels' ([]) must hold at least one panel"],
      [
        'thresholds that do not ascend',
        { ...SPEC, panels: [{ ...panel, thresholds: [{ value: 2, color: 'red' }, { value: 1, color: 'yellow' }] }] },
        "[chart/dash] 'dashboard.panels.1.thresholds' ([2,1]) must ascend",
      ],
    ])('fails on %s', (_, spec, message) => {
      expect(() => synth(spec)).toThrow(message);
    });
  });
});
