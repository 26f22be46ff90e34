import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parse } from 'yaml';
import { CHARTS } from '../../constructs/helm/catalogue';
import { VENDORED_CHARTS } from '../support/helm-values';
import { checkExpressions, substituteGrafanaVariables } from '../support/prom-rules';
import { ENVIRONMENTS, K8sObject, synthAll } from '../support/synth';
import { describeWithTools } from '../support/tools';

/**
 * The Grafana dashboards of every environment, as Grafana's sidecar would load them: ConfigMaps carrying the label
 * the release configures the sidecar with, valid JSON, unique panel ids, datasource references to the uid the chart
 * provisions, and every PromQL query accepted by promtool.
 */
const VENDORED = path.join(VENDORED_CHARTS, CHARTS.kubePrometheusStack.vendoredAs);
const chartDefaults = parse(fs.readFileSync(path.join(VENDORED, 'values.yaml'), 'utf8'));

interface Dashboard {
  configMap: string;
  key: string;
  text: string;
}

/** Values of the kube-prometheus-stack release in `platform-<env>`. */
function releaseValues(env: string): any {
  const releases = Object.values(synthAll().stack(`platform-${env}`).resource?.helm_release ?? {}) as any[];
  const kps = releases.filter((r) => r.chart === CHARTS.kubePrometheusStack.chart);
  expect(kps).toHaveLength(1);
  return parse(kps[0].values[0]);
}

/** What the sidecar and the datasource provisioning use: the release's values over the chart's defaults. */
function effectiveGrafana(env: string) {
  const v = releaseValues(env).grafana?.sidecar ?? {};
  const d = chartDefaults.grafana.sidecar;
  return {
    label: v.dashboards?.label ?? d.dashboards.label,
    labelValue: String(v.dashboards?.labelValue ?? d.dashboards.labelValue),
    searchNamespace: v.dashboards?.searchNamespace ?? d.dashboards.searchNamespace,
    datasourceUid: v.datasources?.uid ?? d.datasources.uid,
  };
}

function dashboardsOf(objects: readonly K8sObject[], label: string, value: string): Dashboard[] {
  return objects
    .filter((o) => o.kind === 'ConfigMap' && o.metadata.labels?.[label] === value)
    .flatMap((o) => Object.entries((o.data ?? {}) as Record<string, string>).map(([key, text]) => ({ configMap: `${o.metadata.namespace}/${o.metadata.name}`, key, text })));
}

/** Every panel, rows' nested panels included. */
function allPanels(model: any): any[] {
  return (model.panels ?? []).flatMap((p: any) => [p, ...(p.panels ?? [])]);
}

/** `label_values(<selector>, <label>)` gives the selector; other variable queries are returned whole. */
function variableExpr(query: unknown): string {
  const text = typeof query === 'string' ? query : (query as { query: string }).query;
  const m = /^label_values\((.*),\s*[A-Za-z_][A-Za-z0-9_]*\)$/s.exec(text.trim());
  return m ? m[1] : text;
}

describe.each(ENVIRONMENTS)('dashboards of %s', (env) => {
  let grafana: ReturnType<typeof effectiveGrafana>;
  let dashboards: Dashboard[];

  beforeAll(() => {
    grafana = effectiveGrafana(env);
    dashboards = dashboardsOf(synthAll().objects(env), grafana.label, grafana.labelValue);
  });

  test("the sidecar searches every namespace and the datasource uid is the chart's Prometheus datasource", () => {
    expect(grafana.searchNamespace).toBe('ALL');
    expect(grafana.datasourceUid).toBe(chartDefaults.grafana.sidecar.datasources.uid);
  });

  test('the service overview, Redis and tracing pipeline dashboards are there, as ConfigMaps the sidecar loads', () => {
    expect(dashboards.map((d) => d.key).sort()).toEqual(['platform-redis.json', 'platform-service-overview.json', 'tracing-pipeline.json']);
  });

  test('every ConfigMap the sidecar loads holds valid JSON named after the dashboard uid', () => {
    for (const d of dashboards) {
      let model: any;
      expect(() => (model = JSON.parse(d.text))).not.toThrow();
      expect({ where: `${d.configMap} ${d.key}`, uid: `${model.uid}.json` }).toEqual({ where: `${d.configMap} ${d.key}`, uid: d.key });
    }
  });

  test('panel ids are positive integers, unique within each dashboard', () => {
    for (const d of dashboards) {
      const ids = allPanels(JSON.parse(d.text)).map((p) => p.id);
      const duplicates = ids.filter((id, i) => ids.indexOf(id) !== i);
      expect({ dashboard: d.key, duplicates, bad: ids.filter((id) => !Number.isInteger(id) || id < 1) }).toEqual({ dashboard: d.key, duplicates: [], bad: [] });
    }
  });

  test('every datasource reference names the provisioned Prometheus datasource', () => {
    const wrong: string[] = [];
    for (const d of dashboards) {
      const model = JSON.parse(d.text);
      const refs: [string, any][] = [
        ...allPanels(model).flatMap((p) => [[`panel ${p.id}`, p.datasource], ...(p.targets ?? []).map((t: any) => [`panel ${p.id} target ${t.refId}`, t.datasource])] as [string, any][]),
        ...(model.templating?.list ?? []).map((v: any) => [`variable ${v.name}`, v.datasource] as [string, any]),
      ];
      for (const [where, ds] of refs) {
        if (ds?.type !== 'prometheus' || ds?.uid !== grafana.datasourceUid) wrong.push(`${d.key} ${where}: ${JSON.stringify(ds)}`);
      }
    }
    expect(wrong).toEqual([]);
  });
});

describeWithTools(['promtool'], 'dashboard queries (promtool)', () => {
  test('promtool rejects a broken query (the check can fail)', () => {
    const run = checkExpressions(fs.mkdtempSync(path.join(os.tmpdir(), 'dash-')), [{ name: 'broken', expr: 'sum(rate(x[5m])' }]);
    expect(run.status).not.toBe(0);
  });

  test.each(ENVIRONMENTS)('every query of every dashboard of %s parses, with Grafana variables substituted', (env) => {
    const grafana = effectiveGrafana(env);
    const exprs: { name: string; expr: string }[] = [];
    for (const d of dashboardsOf(synthAll().objects(env), grafana.label, grafana.labelValue)) {
      const model = JSON.parse(d.text);
      for (const p of allPanels(model)) {
        for (const t of p.targets ?? []) exprs.push({ name: `${d.key} panel ${p.id} ${t.refId}`, expr: substituteGrafanaVariables(t.expr) });
      }
      for (const v of model.templating?.list ?? []) {
        if (v.type === 'query') exprs.push({ name: `${d.key} variable ${v.name}`, expr: substituteGrafanaVariables(variableExpr(v.query)) });
      }
    }
    expect(exprs.length).toBeGreaterThan(20);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `dash-${env}-`));
    const run = checkExpressions(dir, exprs);
    if (run.status !== 0) {
      // promtool names a bad rule by its index only: check each query alone to name the broken ones.
      const broken = exprs.filter((e) => checkExpressions(dir, [e]).status !== 0).map((e) => `${e.name}: ${e.expr}`);
      expect({ broken, output: run.output }).toEqual({ broken: [], output: '' });
    }
    expect(run.output).toContain('SUCCESS');
  });
});
