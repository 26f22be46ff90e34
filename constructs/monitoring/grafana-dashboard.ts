import { KubeConfigMap } from 'cdk8s-plus-27/lib/imports/k8s';
import { Construct } from 'constructs';
import { fail } from '../core/errors';
import { assertDnsLabel } from '../core/validate';

/**
 * The label Grafana's dashboard sidecar watches: ConfigMaps carrying it, in any namespace, become dashboards.
 * `KubePrometheusStack` configures the sidecar with this same label.
 */
export const GRAFANA_DASHBOARD_LABEL: Readonly<Record<string, string>> = { grafana_dashboard: '1' };

/**
 * uid of the Prometheus datasource that kube-prometheus-stack provisions (`grafana.sidecar.datasources.uid`);
 * `KubePrometheusStack` sets it explicitly so that dashboards can rely on it.
 */
export const PROMETHEUS_DATASOURCE_UID = 'prometheus';

/** Grafana's built-in variables, usable in any query. */
export const GRAFANA_BUILTIN_VARIABLES = ['__rate_interval', '__interval', '__range', '__range_s', '__interval_ms'] as const;

/** Display unit of a panel (Grafana unit ids). */
export type PanelUnit = 's' | 'reqps' | 'ops' | 'percentunit' | 'bytes' | 'short' | 'none';

/** One PromQL query of a panel. */
export interface PanelQuery {
  /** PromQL; may use the dashboard's variables (`$app`) and Grafana's built-ins (`$__rate_interval`). */
  readonly expr: string;
  /**
   * Series name in the legend (`{{job}} p95`).
   * @default Grafana's default (the series' labels)
   */
  readonly legend?: string;
}

/** A threshold step: at and above `value` the panel shows `color`. */
export interface PanelThreshold {
  readonly value: number;
  readonly color: 'green' | 'yellow' | 'orange' | 'red';
}

/** One panel. Panels are laid out left to right in the order given, wrapping at 24 columns. */
export interface Panel {
  /** Stable id, unique in the dashboard: links and annotations refer to panels by it. Never renumber. */
  readonly id: number;
  readonly title: string;
  /** What the panel shows and how to read it. */
  readonly description: string;
  /** `timeseries` for trends, `stat` for one current number per series. */
  readonly type: 'timeseries' | 'stat';
  readonly unit: PanelUnit;
  readonly queries: readonly PanelQuery[];
  /**
   * Columns taken, out of 24.
   * @default 12
   */
  readonly width?: number;
  /**
   * Height in grid units (about 30 px each).
   * @default 8
   */
  readonly height?: number;
  /**
   * Colour steps above green (the base), ascending.
   * @default none: the panel stays green
   */
  readonly thresholds?: readonly PanelThreshold[];
  /**
   * Colour below the first threshold; `red` for panels where low is bad (hit ratios).
   * @default 'green'
   */
  readonly baseColor?: PanelThreshold['color'];
  /**
   * Lowest value on the axis.
   * @default Grafana's automatic minimum
   */
  readonly min?: number;
  /**
   * Highest value on the axis.
   * @default Grafana's automatic maximum
   */
  readonly max?: number;
}

/** A dashboard variable filled from a label's values (`label_values(metric, label)`). */
export interface DashboardVariable {
  /** Name used in queries as `$name`. */
  readonly name: string;
  /** Shown in the variable picker. */
  readonly label: string;
  /** Series selector whose label values are offered (`up{namespace=~"$namespace"}`). */
  readonly selector: string;
  /** The label whose values are offered. */
  readonly labelName: string;
}

/** A dashboard as typed data; `dashboardJson` renders Grafana's JSON model. */
export interface DashboardSpec {
  /** Stable uid (the dashboard's URL): 1-40 letters, digits, - or _. */
  readonly uid: string;
  readonly title: string;
  readonly tags: readonly string[];
  /**
   * Variables, each offering every value (multi-select, "All" by default).
   * @default none
   */
  readonly variables?: readonly DashboardVariable[];
  readonly panels: readonly Panel[];
}

const UID = /^[A-Za-z0-9_-]{1,40}$/;
const VARIABLE_NAME = /^[a-z][a-z0-9_]*$/;
/** `$name`, `${name}`, `${name:format}` and `[[name]]`. */
const VARIABLE_REF = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::[^}]*)?\}|\$([A-Za-z_][A-Za-z0-9_]*)|\[\[([A-Za-z_][A-Za-z0-9_]*)\]\]/g;

/** Every variable a query refers to, by name. */
export function variableReferences(expr: string): string[] {
  return [...expr.matchAll(VARIABLE_REF)].map((m) => m[1] ?? m[2] ?? m[3]);
}

/** Problems of a dashboard spec, as `[field, value, rule]`; empty when it is valid. */
export function dashboardProblems(spec: DashboardSpec): [string, unknown, string][] {
  const problems: [string, unknown, string][] = [];
  if (!UID.test(spec.uid)) problems.push(['uid', spec.uid, 'must be 1-40 letters, digits, - or _']);
  if (spec.title.trim() === '') problems.push(['title', spec.title, 'must not be empty']);
  const variables = spec.variables ?? [];
  const known = new Set<string>(GRAFANA_BUILTIN_VARIABLES);
  for (const v of variables) {
    if (!VARIABLE_NAME.test(v.name)) problems.push([`variables.${v.name}.name`, v.name, 'must be lower-case letters, digits or _, starting with a letter']);
    else if (known.has(v.name)) problems.push([`variables.${v.name}.name`, v.name, 'must be unique and not a Grafana built-in']);
    // A variable's selector may use the variables defined before it (chained pickers).
    for (const ref of variableReferences(v.selector)) {
      if (!known.has(ref)) problems.push([`variables.${v.name}.selector`, v.selector, `refers to '$${ref}', which is not defined before it`]);
    }
    known.add(v.name);
  }
  if (spec.panels.length === 0) problems.push(['panels', [], 'must hold at least one panel']);
  const ids = new Set<number>();
  for (const p of spec.panels) {
    const where = `panels.${p.id}`;
    if (!Number.isInteger(p.id) || p.id < 1) problems.push([`${where}.id`, p.id, 'must be an integer >= 1']);
    else if (ids.has(p.id)) problems.push([`${where}.id`, p.id, `must be unique in the dashboard (also used by another panel than '${p.title}')`]);
    ids.add(p.id);
    const width = p.width ?? 12;
    if (!Number.isInteger(width) || width < 1 || width > 24) problems.push([`${where}.width`, width, 'must be an integer from 1 to 24']);
    const height = p.height ?? 8;
    if (!Number.isInteger(height) || height < 2 || height > 40) problems.push([`${where}.height`, height, 'must be an integer from 2 to 40']);
    if (p.queries.length === 0) problems.push([`${where}.queries`, [], 'must hold at least one query']);
    if (p.queries.length > 26) problems.push([`${where}.queries`, p.queries.length, 'must hold at most 26 queries (refIds A-Z)']);
    p.queries.forEach((q, i) => {
      if (q.expr.trim() === '') problems.push([`${where}.queries[${i}].expr`, q.expr, 'must be a PromQL expression']);
      for (const ref of variableReferences(q.expr)) {
        if (!known.has(ref)) problems.push([`${where}.queries[${i}].expr`, q.expr, `refers to '$${ref}', which is neither a dashboard variable nor a Grafana built-in`]);
      }
    });
    const steps = p.thresholds ?? [];
    for (let i = 1; i < steps.length; i++) {
      if (steps[i].value <= steps[i - 1].value) problems.push([`${where}.thresholds`, steps.map((s) => s.value), 'must ascend']);
    }
  }
  return problems;
}

const DATASOURCE = { type: 'prometheus', uid: PROMETHEUS_DATASOURCE_UID } as const;

/** Lays panels out left to right, wrapping at 24 columns; a row is as tall as its tallest panel. */
function layout(panels: readonly Panel[]): { x: number; y: number; w: number; h: number }[] {
  let x = 0;
  let y = 0;
  let rowHeight = 0;
  return panels.map((p) => {
    const w = p.width ?? 12;
    const h = p.height ?? 8;
    if (x + w > 24) {
      x = 0;
      y += rowHeight;
      rowHeight = 0;
    }
    const pos = { x, y, w, h };
    x += w;
    rowHeight = Math.max(rowHeight, h);
    return pos;
  });
}

/** Grafana's JSON model of a dashboard (schema version 39), deterministic for a given spec. */
export function dashboardJson(spec: DashboardSpec): Record<string, unknown> {
  const positions = layout(spec.panels);
  return {
    uid: spec.uid,
    title: spec.title,
    tags: [...spec.tags],
    schemaVersion: 39,
    version: 1,
    editable: false,
    graphTooltip: 1,
    timezone: 'utc',
    refresh: '30s',
    time: { from: 'now-6h', to: 'now' },
    annotations: { list: [] },
    links: [],
    templating: {
      list: (spec.variables ?? []).map((v) => {
        const query = `label_values(${v.selector}, ${v.labelName})`;
        return {
          type: 'query',
          name: v.name,
          label: v.label,
          datasource: DATASOURCE,
          definition: query,
          query: { query, refId: 'PrometheusVariableQueryEditor-VariableQuery' },
          refresh: 2,
          sort: 1,
          multi: true,
          includeAll: true,
          allValue: '.+',
          current: { selected: true, text: ['All'], value: ['$__all'] },
          options: [],
          hide: 0,
        };
      }),
    },
    panels: spec.panels.map((p, i) => ({
      id: p.id,
      type: p.type,
      title: p.title,
      description: p.description,
      datasource: DATASOURCE,
      gridPos: positions[i],
      fieldConfig: {
        defaults: {
          unit: p.unit,
          ...(p.min !== undefined ? { min: p.min } : {}),
          ...(p.max !== undefined ? { max: p.max } : {}),
          thresholds: {
            mode: 'absolute',
            steps: [{ color: p.baseColor ?? 'green', value: null }, ...(p.thresholds ?? []).map((t) => ({ color: t.color, value: t.value }))],
          },
        },
        overrides: [],
      },
      options:
        p.type === 'stat'
          ? { reduceOptions: { calcs: ['lastNotNull'], fields: '', values: false }, colorMode: 'value', graphMode: 'area', textMode: 'auto' }
          : { legend: { displayMode: 'table', placement: 'bottom', showLegend: true, calcs: ['mean', 'max'] }, tooltip: { mode: 'multi', sort: 'desc' } },
      targets: p.queries.map((q, j) => ({
        refId: String.fromCharCode(65 + j),
        datasource: DATASOURCE,
        expr: q.expr,
        ...(q.legend !== undefined ? { legendFormat: q.legend } : {}),
        range: true,
      })),
    })),
  };
}

/** Properties of `GrafanaDashboard`. */
export interface GrafanaDashboardProps {
  /** Namespace of the ConfigMap (the sidecar searches every namespace). */
  readonly namespace: string;
  readonly dashboard: DashboardSpec;
  /**
   * ConfigMap name.
   * @default 'dashboard-<uid>' (lower-cased)
   */
  readonly name?: string;
}

/**
 * A dashboard as a ConfigMap for Grafana's sidecar: validated spec (stable unique panel ids, known variables),
 * rendered JSON under `<uid>.json`, and the label the sidecar watches.
 */
export class GrafanaDashboard extends Construct {
  public readonly configMap: KubeConfigMap;
  /** The rendered dashboard JSON. */
  public readonly json: string;
  public readonly uid: string;

  constructor(scope: Construct, id: string, props: GrafanaDashboardProps) {
    super(scope, id);
    const name = props.name ?? `dashboard-${props.dashboard.uid.toLowerCase().replace(/_/g, '-')}`;
    assertDnsLabel(this, 'namespace', props.namespace);
    const problems = dashboardProblems(props.dashboard);
    if (problems.length > 0) {
      const [field, value, rule] = problems[0];
      fail(this, `dashboard.${field}`, value, rule);
    }
    assertDnsLabel(this, 'name', name);

    this.uid = props.dashboard.uid;
    this.json = `${JSON.stringify(dashboardJson(props.dashboard), null, 2)}\n`;
    this.configMap = new KubeConfigMap(this, 'Resource', {
      metadata: { name, namespace: props.namespace, labels: { ...GRAFANA_DASHBOARD_LABEL } },
      data: { [`${props.dashboard.uid}.json`]: this.json },
    });
  }
}
