/**
 * Defaults of `AppService`, in a module with no cdk8s import, so that config validation (which must know what the
 * construct will do with an omitted field) can read them cheaply. `AppService` documents each one on its prop.
 */

/** Which metrics the autoscaler follows. */
export interface ScaleOn {
  /**
   * Target average CPU use, as a percentage of the CPU request (1-100).
   * @default no CPU metric
   */
  readonly cpuUtilizationPercent?: number;
  /**
   * Target average memory use, as a percentage of the memory request (1-100).
   * @default no memory metric
   */
  readonly memoryUtilizationPercent?: number;
  /**
   * A per-pod custom metric (an HPA `Pods` metric served by a custom metrics adapter), such as requests per second.
   * @default no custom metric
   */
  readonly podsMetric?: PodsMetric;
}

/** A per-pod metric the autoscaler averages over the pods and keeps near `averageValue`. */
export interface PodsMetric {
  /** Metric name as the custom metrics API serves it (`http_requests_per_second`). */
  readonly name: string;
  /** Target value per pod (for requests per second: how many one pod should serve). */
  readonly averageValue: number;
}

/** How fast the autoscaler may change the replica count in one direction. */
export interface ScalingBehavior {
  /**
   * Seconds of past recommendations considered before acting; damps flapping.
   * @default 0 for scale-up, 300 for scale-down
   */
  readonly stabilizationWindowSeconds?: number;
  /**
   * At most this many pods may be added or removed per period...
   * @default scale-up: 4 pods per 15 s; scale-down: 1 pod per 60 s
   */
  readonly maxPodsPerPeriod?: number;
  /**
   * ...or at most this percentage of the current pods per period; the larger of the two limits applies.
   * @default scale-up: 100 % per 15 s; scale-down: 10 % per 60 s
   */
  readonly maxPercentPerPeriod?: number;
  /**
   * Length of the period both limits count over, in seconds (1-1800).
   * @default 15 for scale-up, 60 for scale-down
   */
  readonly periodSeconds?: number;
}

/** Resource quantities of one kind (requests or limits). */
export interface ResourceQuantities {
  /** A CPU quantity (`250m`, `1`). */
  readonly cpu?: string;
  /** A memory quantity (`256Mi`, `1Gi`). */
  readonly memory?: string;
}

/** Requests and limits of the app container, in the Kubernetes shape. */
export interface AppResources {
  /** What the scheduler reserves, and what utilisation is measured against: needed for each utilisation metric. */
  readonly requests: ResourceQuantities;
  /**
   * Hard caps. The memory limit defaults to the memory request (no OOM kill for memory that was never reserved);
   * there is no CPU limit unless given (CPU is compressible, and CFS throttling hurts latency).
   * @default memory limit equal to the memory request, no CPU limit
   */
  readonly limits?: ResourceQuantities;
}

export const APP_DEFAULTS = {
  port: 8080,
  servicePort: 80,
  metricsPort: 9090,
  metricsPath: '/metrics',
  metricsInterval: '30s',
  minReplicas: 2,
  /** maxReplicas is this many times minReplicas when not given. */
  maxReplicasFactor: 3,
  scaleOn: { cpuUtilizationPercent: 70, memoryUtilizationPercent: 80 } satisfies ScaleOn,
  scaleUp: { stabilizationWindowSeconds: 0, maxPodsPerPeriod: 4, maxPercentPerPeriod: 100, periodSeconds: 15 },
  scaleDown: { stabilizationWindowSeconds: 300, maxPodsPerPeriod: 1, maxPercentPerPeriod: 10, periodSeconds: 60 },
  resources: { requests: { cpu: '100m', memory: '128Mi' } } satisfies AppResources,
  livenessPath: '/livez',
  readinessPath: '/readyz',
  startupTimeoutSeconds: 60,
  pdbMaxUnavailable: 1,
  zoneSpread: 'preferred',
  preStopSleepSeconds: 5,
  terminationGracePeriodSeconds: 30,
  runAsUser: 10001,
  writablePaths: ['/tmp'],
  gatewayNamespace: 'kong',
  monitoringNamespace: 'monitoring',
  otlpProtocol: 'grpc',
  samplingRatio: 1,
} as const;

/** The metrics the autoscaler will follow for a given `scaleOn` prop. */
export function effectiveScaleOn(scaleOn: ScaleOn | undefined): ScaleOn {
  return scaleOn ?? APP_DEFAULTS.scaleOn;
}

/** The resources the container will get for a given `resources` prop. */
export function effectiveResources(resources: AppResources | undefined): AppResources {
  const r: AppResources = resources ?? APP_DEFAULTS.resources;
  const memoryLimit = r.limits?.memory ?? r.requests.memory;
  return {
    requests: { ...r.requests },
    limits: { ...(r.limits?.cpu !== undefined ? { cpu: r.limits.cpu } : {}), ...(memoryLimit !== undefined ? { memory: memoryLimit } : {}) },
  };
}

/** Rules shared by the construct's `fail()` and the config schema, so both say the same thing. */
export const APP_RULES = {
  cpuRequestForUtilization: 'must be set when the autoscaler scales on CPU utilisation (scaleOn.cpuUtilizationPercent): utilisation is a percentage of the request',
  memoryRequestForUtilization: 'must be set when the autoscaler scales on memory utilisation (scaleOn.memoryUtilizationPercent): utilisation is a percentage of the request',
  noMetric: 'must name at least one metric (cpuUtilizationPercent, memoryUtilizationPercent or podsMetric)',
  httpPath: "must be an HTTP path starting with '/'",
  metricName: 'must be a metric name: letters, digits, _ or :, not starting with a digit',
  envName: 'must be an environment variable name: letters, digits and _, not starting with a digit',
  objectName: 'must be an object name: lower-case letters, digits, - or ., starting and ending alphanumeric',
  otlpEndpoint: "must be an http(s) URL of host and port, such as 'http://jaeger-collector.tracing.svc.cluster.local:4317'",
  selfPeer: 'names the app itself: list the other apps that call it',
  startupStep: 'must be a multiple of 5 (the startup probe runs every 5 s)',
} as const;

/** The rule for a grace period that leaves no time after the preStop sleep. */
export function gracePeriodRule(preStopSleepSeconds: number): string {
  return `must be greater than preStopSleepSeconds (${preStopSleepSeconds}), or the app gets no time to shut down after the hook`;
}

export const HTTP_PATH = /^\/\S*$/;
export const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
export const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
export const OBJECT_NAME = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/;
export const OTLP_ENDPOINT = /^https?:\/\/[^\s/:]+(:\d{1,5})?\/?$/;

/** The rule for a value that must not be below another field's. */
export function atLeastRule(field: string, value: string | number): string {
  return `must be >= ${field} (${typeof value === 'string' ? `'${value}'` : value})`;
}
