import { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { fail } from '../core/errors';
import { LABEL_COMPONENT } from '../core/labels';
import { assertResources, RequestsAndLimits } from '../core/quantity';
import { assertDnsLabel, assertInt } from '../core/validate';
import { CHARTS } from '../helm/catalogue';
import { PinnedHelmRelease } from '../helm/pinned-release';
import { PORTS, TRACING_DEFAULTS } from './defaults';
import { tailSamplerConfig } from './tail-sampler-config';
import { TailSamplerNames } from './names';

/** Properties of `TailSampler`. */
export interface TailSamplerProps {
  /** Names shared with the workloads layer (`tailSamplerNames`). */
  readonly names: TailSamplerNames;
  /** `host:port` of Jaeger's OTLP gRPC intake (`jaeger-collector.tracing.svc.cluster.local:4317`). */
  readonly jaegerEndpoint: string;
  /** Fewest pods. */
  readonly minReplicas: number;
  /** Most pods; above `minReplicas` a HorizontalPodAutoscaler scales on CPU and memory. */
  readonly maxReplicas: number;
  /** Requests (CPU and memory) and the memory limit the memory limiter works from. */
  readonly resources: RequestsAndLimits;
  /** Keep every trace with a span at least this slow. */
  readonly latencyThresholdMs: number;
  /** Share of the other traces kept, in percent. */
  readonly keepPercent: number;
  /**
   * Seconds a trace is held before the decision: longer than the slowest request you want whole.
   * @default 10
   */
  readonly decisionWaitSeconds?: number;
  /**
   * Traces held in memory per pod while they wait.
   * @default 50000
   */
  readonly maxTracesInMemory?: number;
  /**
   * Pod labels added to the chart's (the environment label, for NetworkPolicy peers and queries).
   * @default none
   */
  readonly podLabels?: Record<string, string>;
  /**
   * Resources created first (the namespace).
   * @default none
   */
  readonly dependsOn?: ITerraformDependable[];
}

/**
 * The tail-sampling tier: the OpenTelemetry Collector chart (contrib image) as a Deployment that keeps every trace
 * with an error or slower than a threshold and samples the rest, in front of Jaeger. It depends on nothing of the
 * workloads layer (it only sends to Jaeger, retrying until Jaeger answers), so the atomic release cannot time out
 * waiting for it. Its NetworkPolicy and ServiceMonitor are cdk8s objects in the tracing chart.
 */
export class TailSampler extends Construct {
  public readonly helm: PinnedHelmRelease;
  /** The collector configuration as rendered (`alternateConfig`), for checks. */
  public readonly config: Record<string, unknown>;

  constructor(scope: Construct, id: string, props: TailSamplerProps) {
    super(scope, id);
    const { names } = props;
    const decisionWaitSeconds = props.decisionWaitSeconds ?? 10;
    const maxTracesInMemory = props.maxTracesInMemory ?? 50000;

    assertDnsLabel(this, 'names.name', names.name);
    assertInt(this, 'minReplicas', props.minReplicas, 1);
    assertInt(this, 'maxReplicas', props.maxReplicas, 1);
    if (props.maxReplicas < props.minReplicas) fail(this, 'maxReplicas', props.maxReplicas, `must be >= minReplicas (${props.minReplicas})`);
    assertResources(this, 'resources', props.resources);
    if (props.resources.limits?.memory === undefined) {
      fail(this, 'resources.limits.memory', undefined, 'must be set: the memory limiter and GOMEMLIMIT work from it');
    }
    if (props.resources.requests?.cpu === undefined) fail(this, 'resources.requests.cpu', undefined, 'must be set: the autoscaler scales on CPU utilisation of the request');
    if (props.resources.requests?.memory === undefined) fail(this, 'resources.requests.memory', undefined, 'must be set');
    assertInt(this, 'latencyThresholdMs', props.latencyThresholdMs, 1);
    if (!(props.keepPercent >= 0 && props.keepPercent <= 100)) fail(this, 'keepPercent', props.keepPercent, 'must be a number from 0 to 100');
    assertInt(this, 'decisionWaitSeconds', decisionWaitSeconds, 1, 300);
    assertInt(this, 'maxTracesInMemory', maxTracesInMemory, 100);

    const balanced = props.maxReplicas > 1;
    this.config = tailSamplerConfig({
      maxReplicas: props.maxReplicas,
      peersHost: `${names.peersServiceName}.${names.namespace}.svc.cluster.local`,
      jaegerEndpoint: props.jaegerEndpoint,
      latencyThresholdMs: props.latencyThresholdMs,
      keepPercent: props.keepPercent,
      decisionWaitSeconds,
      maxTracesInMemory,
      memoryLimitPercent: 80,
      memorySpikePercent: 20,
    });

    const port = (containerPort: number, extra: Record<string, unknown> = {}) => ({ enabled: true, containerPort, servicePort: containerPort, protocol: 'TCP', ...extra });
    const off = { enabled: false };
    const autoscaled = props.maxReplicas > props.minReplicas;
    const uid = TRACING_DEFAULTS.collectorUid;
    const values: Record<string, unknown> = {
      mode: 'deployment',
      nameOverride: names.name,
      fullnameOverride: names.name,
      image: { repository: TRACING_DEFAULTS.collectorImageRepository, tag: TRACING_DEFAULTS.collectorImageTag },
      command: { name: 'otelcol-contrib' },
      // The whole configuration, nothing merged from the chart's defaults (jaeger/zipkin/prometheus receivers, debug).
      alternateConfig: this.config,
      ports: {
        otlp: port(PORTS.otlpGrpc, { appProtocol: 'grpc' }),
        'otlp-http': port(PORTS.otlpHttp),
        metrics: port(PORTS.metrics),
        'jaeger-compact': off,
        'jaeger-thrift': off,
        'jaeger-grpc': off,
        zipkin: off,
      },
      replicaCount: props.minReplicas,
      ...(autoscaled
        ? {
            autoscaling: {
              enabled: true,
              minReplicas: props.minReplicas,
              maxReplicas: props.maxReplicas,
              targetCPUUtilizationPercentage: 70,
            },
          }
        : {}),
      ...(props.minReplicas > 1 ? { podDisruptionBudget: { enabled: true, maxUnavailable: 1 } } : {}),
      resources: props.resources,
      serviceAccount: { create: true, automountServiceAccountToken: false },
      podSecurityContext: { runAsNonRoot: true, runAsUser: uid, runAsGroup: uid, fsGroup: uid, seccompProfile: { type: 'RuntimeDefault' } },
      securityContext: { runAsNonRoot: true, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
      topologySpreadConstraints: [
        { maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: { ...names.podLabels } } },
        { maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: { ...names.podLabels } } },
      ],
      ...(props.podLabels && Object.keys(props.podLabels).length > 0 ? { podLabels: props.podLabels } : {}),
      // The peers' port (4319) is not a chart `ports` entry (that would put it on the client-facing Service too): the
    // headless Service targets it by number, as the NetworkPolicy admits it.
    // The peers' headless Service, with the release (platform layer): the loadbalancing exporter resolves it.
      ...(balanced
        ? {
            extraManifests: [
              {
                apiVersion: 'v1',
                kind: 'Service',
                metadata: { name: names.peersServiceName, namespace: names.namespace, labels: { ...names.podLabels, [LABEL_COMPONENT]: 'peers' } },
                spec: {
                  // Ready pods only (publishNotReadyAddresses left at false): a new pod takes its share once ready.
                  clusterIP: 'None',
                  selector: { ...names.podLabels },
                  ports: [{ name: 'otlp-peers', port: PORTS.otlpLoadBalanced, targetPort: PORTS.otlpLoadBalanced, protocol: 'TCP' }],
                },
              },
            ],
          }
        : {}),
    };

    this.helm = new PinnedHelmRelease(this, 'Release', {
      chart: CHARTS.openTelemetryCollector,
      releaseName: names.name,
      namespace: names.namespace,
      values,
      dependsOn: props.dependsOn,
    });
  }
}
