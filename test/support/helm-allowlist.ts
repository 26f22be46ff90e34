/**
 * Valid Helm values keys that a chart's values.yaml shows only as a comment (so the key check cannot find them).
 * Reviewed list: each entry names the chart (as in the catalogue), the key path (as `keyPath` writes it; the entry
 * also accepts everything under it), and one line saying why the key is valid. helm-values.test.ts fails when an
 * entry is unused or when its last key does not appear commented out in the chart's (or a sub-chart's) values.yaml.
 */
export interface AllowedKey {
  /** Chart name, as in `CHARTS` (`kube-prometheus-stack`, `ingress`, ...). */
  readonly chart: string;
  /** Key path, e.g. `prometheus.prometheusSpec.foo` or `podAnnotations["prometheus.io/scrape"]`. */
  readonly path: string;
  /** Why the key is valid: where the chart documents or reads it. */
  readonly reason: string;
}

export const COMMENTED_VALUES_KEYS: readonly AllowedKey[] = [
  {
    chart: 'opentelemetry-collector',
    path: 'podDisruptionBudget.maxUnavailable',
    reason: 'values.yaml shows `#   maxUnavailable: 1` under podDisruptionBudget; templates/pdb.yaml renders it',
  },
];
