/**
 * Every third-party Helm chart the platform installs, pinned exactly, in one place. Bumping a chart is a one-line
 * change here plus, where the chart's defaults are pinned, the same bump of `charts/<vendoredAs>` in upstream/pins.json
 * (test/scripts/pins.test.ts fails until both agree), so that the values key check (test/output/helm-values.test.ts)
 * runs against the new defaults.
 */
export interface ChartRef {
  /** Helm repository URL. */
  readonly repository: string;
  /** Chart name in that repository. */
  readonly chart: string;
  /** Exact chart version; never a range. */
  readonly version: string;
  /**
   * Folder under `charts/` of the pinned upstream files (upstream/pins.json, `.vendor-cache/charts/`) holding this
   * version's `values.yaml`, for the key check; absent when the chart's defaults are not pinned (the check then lists the release as unchecked, by name).
   */
  readonly vendoredAs?: string;
}

export const CHARTS = {
  metricsServer: {
    repository: 'https://kubernetes-sigs.github.io/metrics-server/',
    chart: 'metrics-server',
    version: '3.13.0',
  },
  kubePrometheusStack: {
    repository: 'https://prometheus-community.github.io/helm-charts',
    chart: 'kube-prometheus-stack',
    version: '88.5.3',
    vendoredAs: 'kube-prometheus-stack',
  },
  eckOperator: {
    repository: 'https://helm.elastic.co',
    chart: 'eck-operator',
    version: '3.5.0',
    vendoredAs: 'eck-operator',
  },
  // Not installed as a release: Jaeger v2 is rendered by cdk8s in workloads-<env> (its Elasticsearch CA and
  // credentials are workloads-layer objects; see docs/components/tracing.md). The entry pins the version Jaeger's
  // image follows (appVersion 2.19.0, constructs/tracing/defaults.ts).
  jaeger: {
    repository: 'https://jaegertracing.github.io/helm-charts',
    chart: 'jaeger',
    version: '4.11.1',
    vendoredAs: 'jaeger',
  },
  // The tail-sampling tier (constructs/tracing/tail-sampler.ts); values checked against its values.schema.json too.
  openTelemetryCollector: {
    repository: 'https://open-telemetry.github.io/opentelemetry-helm-charts',
    chart: 'opentelemetry-collector',
    version: '0.170.0',
    vendoredAs: 'opentelemetry-collector',
  },
  vault: {
    repository: 'https://helm.releases.hashicorp.com',
    chart: 'vault',
    version: '0.34.1',
    vendoredAs: 'vault',
  },
  // 9.50.1 ships cluster-autoscaler 1.33 (9.47.0-9.51.0 do; 9.46.x is 1.32, 9.52.0+ is 1.34): the autoscaler's minor
  // must equal the cluster's (EKS 1.33). Defaults pinned but not key-checked yet: the values key check lists it as unchecked.
  clusterAutoscaler: {
    repository: 'https://kubernetes.github.io/autoscaler',
    chart: 'cluster-autoscaler',
    version: '9.50.1',
  },
  kongIngress: {
    repository: 'https://charts.konghq.com',
    chart: 'ingress',
    version: '0.24.0',
    vendoredAs: 'ingress',
  },
} as const satisfies Record<string, ChartRef>;
