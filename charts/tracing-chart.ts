import { IntOrString, KubeNetworkPolicy } from 'cdk8s-plus-27/lib/imports/k8s';
import { Construct } from 'constructs';
import type { EnvironmentConfig } from '../config';
import { checkTracingStorage } from '../config/schema/tracing';
import { NAMESPACES } from '../config/namespaces';
import { LABEL_ENVIRONMENT, PROMETHEUS_SELECTOR_LABELS } from '../constructs/core/labels';
import type { ElasticsearchClientRequest, ElasticsearchReference, OtlpReference } from '../constructs/core/references';
import { ServiceMonitor } from '../imports/monitoring-servicemonitors-monitoring.coreos.com';
import { PORTS } from '../constructs/tracing/defaults';
import { Jaeger, JaegerStorageProps } from '../constructs/tracing/jaeger';
import { JaegerDatasource } from '../constructs/tracing/jaeger-datasource';
import { tailSamplerNames, TailSamplerNames, TRACING_NAMES } from '../constructs/tracing/names';
import { AlertRules } from '../constructs/monitoring/alert-rules';
import { GrafanaDashboard } from '../constructs/monitoring/grafana-dashboard';
import { tracingAlertGroups } from '../constructs/tracing/tracing-alerts';
import { tracingDashboard } from '../constructs/tracing/tracing-dashboard';
import { GATEWAY_NAMESPACE } from './apps-chart';
import { PlatformChart } from './platform-chart';

/** What the apps' SDKs get from the tracing component: where to send, and where their head sampling comes from. */
export interface AppTracing {
  /** The tail-sampling tier's OTLP intake. */
  readonly otlp: OtlpReference;
  /** Jaeger remote sampler endpoint (gRPC). */
  readonly samplingEndpoint: string;
  /** Ratio used until the first strategy fetch succeeds: the environment's default ratio. */
  readonly initialSamplingRatio: number;
}

/** Inputs the tracing chart takes from other components. */
export interface TracingChartInputs {
  /**
   * The logging component's Elasticsearch; required when `tracing.storage.kind` is `elasticsearch`.
   * @default none: memory storage only
   */
  readonly elasticsearch?: ElasticsearchReference;
}

/** Grafana's pods (kube-prometheus-stack), the Jaeger data source's client. */
const GRAFANA_PEER = { namespace: NAMESPACES.monitoring.name, podLabels: { 'app.kubernetes.io/name': 'grafana' } };

/**
 * The tracing component's Kubernetes side, in the `tracing` namespace: Jaeger v2 (workloads layer: with
 * Elasticsearch it mounts Secrets the logging component creates here), the NetworkPolicy and ServiceMonitor of the
 * tail-sampling tier (a Helm release in platform-<env>), the Grafana data source. Exposes the OTLP reference apps
 * and the gateway send to, and the Elasticsearch client it needs.
 */
export class TracingChart extends PlatformChart {
  public readonly jaeger: Jaeger;
  public readonly alerts: AlertRules;
  public readonly tailSampler: TailSamplerNames;
  /** Where apps and the gateway send spans: the tail-sampling tier. */
  public readonly otlp: OtlpReference;
  /** What the apps' SDKs are configured with. */
  public readonly appTracing: AppTracing;
  /** The Elasticsearch client account Jaeger needs (Elasticsearch storage only): pass it to the logging component. */
  public readonly elasticsearchClient?: ElasticsearchClientRequest;

  constructor(scope: Construct, id: string, env: EnvironmentConfig, inputs: TracingChartInputs = {}) {
    super(scope, id, env);
    const ns = NAMESPACES.tracing.name;
    const t = env.tracing;
    checkTracingStorage(env.name, t, inputs.elasticsearch !== undefined);

    // Ingress is denied to every pod of the namespace unless its own policy admits it.
    new KubeNetworkPolicy(this, 'default-deny-ingress', {
      metadata: { name: 'default-deny-ingress', namespace: ns },
      spec: { podSelector: {}, policyTypes: ['Ingress'] },
    });

    this.tailSampler = tailSamplerNames(TRACING_NAMES.tailSampler, ns);
    const storage: JaegerStorageProps =
      t.storage.kind === 'memory'
        ? { kind: 'memory', maxTraces: t.storage.maxTraces }
        : {
            kind: 'elasticsearch',
            elasticsearch: inputs.elasticsearch!,
            retentionDays: t.storage.retentionDays,
            indexPrefix: t.storage.indexPrefix,
            shards: t.storage.shards,
            replicas: t.storage.replicas,
          };
    this.jaeger = new Jaeger(this, 'jaeger', {
      namespace: ns,
      name: TRACING_NAMES.jaeger,
      storage,
      minReplicas: t.jaeger.minReplicas,
      maxReplicas: t.jaeger.maxReplicas,
      resources: t.jaeger.resources,
      sampling: {
        defaultRatio: t.sampling.defaultRatio,
        defaultOperations: t.sampling.defaultOperations,
        services: (t.sampling.services ?? []).map((s) => ({
          service: s.service,
          strategy: s.tracesPerSecond !== undefined ? { kind: 'rateLimiting', tracesPerSecond: s.tracesPerSecond } : { kind: 'probabilistic', ratio: s.ratio! },
          operations: s.operations,
        })),
      },
      knownServices: env.apps.map((a) => a.name),
      intakeFrom: [{ namespace: ns, podLabels: this.tailSampler.podLabels }],
      // Only the apps' SDKs fetch strategies; Kong's OpenTelemetry plugin samples by its own sampling_rate.
      samplingClientNamespaces: [NAMESPACES.apps.name],
      queryFrom: [GRAFANA_PEER],
      metricsNamespaces: [NAMESPACES.monitoring.name],
      podLabels: { [LABEL_ENVIRONMENT]: env.name },
    });
    this.elasticsearchClient = this.jaeger.elasticsearchClient;

    // The tail-sampling tier: apps and the gateway on OTLP, its own pods on the peers port, Prometheus on metrics.
    const nsPeer = (n: string) => ({ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': n } } });
    const tcp = (...ports: number[]) => ports.map((port) => ({ protocol: 'TCP', port: IntOrString.fromNumber(port) }));
    const ownPods = { podSelector: { matchLabels: { ...this.tailSampler.podLabels } } };
    new KubeNetworkPolicy(this, 'tail-sampler-network-policy', {
      metadata: { name: this.tailSampler.name, namespace: ns },
      spec: {
        podSelector: ownPods.podSelector,
        policyTypes: ['Ingress'],
        ingress: [
          { from: [nsPeer(NAMESPACES.apps.name), nsPeer(GATEWAY_NAMESPACE)], ports: tcp(PORTS.otlpGrpc, PORTS.otlpHttp) },
          ...(t.tailSampling.maxReplicas > 1 ? [{ from: [ownPods], ports: tcp(PORTS.otlpLoadBalanced) }] : []),
          { from: [nsPeer(NAMESPACES.monitoring.name)], ports: tcp(PORTS.metrics) },
        ],
      },
    });
    new ServiceMonitor(this, 'tail-sampler-service-monitor', {
      metadata: { name: this.tailSampler.name, namespace: ns, labels: { ...PROMETHEUS_SELECTOR_LABELS } },
      spec: {
        selector: { matchLabels: { ...this.tailSampler.podLabels } },
        endpoints: [{ port: 'metrics', interval: '30s', scrapeTimeout: '10s' }],
      },
    });

    // Alerts and dashboard on the collectors' own metrics (jobs: the tail tier's Service, Jaeger's metrics Service).
    const jobs = [this.tailSampler.name, this.jaeger.metricsServiceName];
    this.alerts = new AlertRules(this, 'alerts', {
      name: 'tracing',
      namespace: ns,
      groups: tracingAlertGroups({ jobs, runbookUrl: `${env.monitoring.runbookBaseUrl}/tracing.md` }),
    });
    new GrafanaDashboard(this, 'dashboard', { namespace: NAMESPACES.monitoring.name, dashboard: tracingDashboard(jobs) });

    new JaegerDatasource(this, 'jaeger-datasource', { namespace: NAMESPACES.monitoring.name, url: this.jaeger.endpoints.queryUrl });

    this.otlp = this.tailSampler.otlp;
    this.appTracing = { otlp: this.otlp, samplingEndpoint: this.jaeger.endpoints.samplingGrpcEndpoint, initialSamplingRatio: t.sampling.defaultRatio };
  }
}
