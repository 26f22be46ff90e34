import { PORTS } from './defaults';

/**
 * The tail-sampling tier's collector configuration (OpenTelemetry Collector contrib), built from typed settings.
 *
 * One replica: OTLP in -> memory_limiter -> tail_sampling -> batch -> OTLP to Jaeger.
 * More than one: a trace's spans arrive at any pod, but a sampling decision needs the whole trace in one place. So
 * each pod runs two pipelines: `traces` (OTLP from apps and the gateway -> loadbalancing exporter, routed by trace
 * ID over the pods behind a headless Service) and `traces/sampling` (OTLP from its peers on a second port ->
 * tail_sampling -> Jaeger). Every span of a trace lands on the same pod while the set of pods is stable.
 */

/** Settings of `tailSamplerConfig`. */
export interface TailSamplerConfigSettings {
  /** Most replicas the tier can have: above 1, the load-balancing pipeline is on. */
  readonly maxReplicas: number;
  /** `host` of the headless Service over the tier's pods (the loadbalancing exporter's DNS resolver). */
  readonly peersHost: string;
  /** `host:port` of Jaeger's OTLP gRPC intake. */
  readonly jaegerEndpoint: string;
  /** Keep every trace whose root or any span took at least this long. */
  readonly latencyThresholdMs: number;
  /** Share of the remaining traces (no error, fast) kept, in percent. */
  readonly keepPercent: number;
  /** Seconds a trace is held after its first span before the decision. */
  readonly decisionWaitSeconds: number;
  /** Traces held in memory at once per pod. */
  readonly maxTracesInMemory: number;
  /** memory_limiter percentages of the container's memory limit. */
  readonly memoryLimitPercent: number;
  readonly memorySpikePercent: number;
}

/** The names of the three tail-sampling policies; any one of them keeps a trace. */
export const TAIL_POLICIES = { errors: 'keep-errors', slow: 'keep-slow', rest: 'sample-rest' } as const;

const podListen = (port: number) => `\${env:MY_POD_IP}:${port}`;

/** The tier's whole configuration (the chart's `alternateConfig`: nothing is merged from the chart's defaults). */
export function tailSamplerConfig(s: TailSamplerConfigSettings): Record<string, unknown> {
  const balanced = s.maxReplicas > 1;
  const tailSampling = {
    decision_wait: `${s.decisionWaitSeconds}s`,
    num_traces: s.maxTracesInMemory,
    policies: [
      { name: TAIL_POLICIES.errors, type: 'status_code', status_code: { status_codes: ['ERROR'] } },
      { name: TAIL_POLICIES.slow, type: 'latency', latency: { threshold_ms: s.latencyThresholdMs } },
      { name: TAIL_POLICIES.rest, type: 'probabilistic', probabilistic: { sampling_percentage: s.keepPercent } },
    ],
  };
  const otlpReceiver = (grpcPort: number, httpPort?: number) => ({
    protocols: { grpc: { endpoint: podListen(grpcPort) }, ...(httpPort !== undefined ? { http: { endpoint: podListen(httpPort) } } : {}) },
  });
  const toJaeger = { endpoint: s.jaegerEndpoint, tls: { insecure: true }, sending_queue: { enabled: true }, retry_on_failure: { enabled: true } };
  return {
    extensions: { health_check: { endpoint: podListen(PORTS.health) } },
    receivers: {
      otlp: otlpReceiver(PORTS.otlpGrpc, PORTS.otlpHttp),
      ...(balanced ? { 'otlp/peers': otlpReceiver(PORTS.otlpLoadBalanced) } : {}),
    },
    processors: {
      memory_limiter: { check_interval: '1s', limit_percentage: s.memoryLimitPercent, spike_limit_percentage: s.memorySpikePercent },
      tail_sampling: tailSampling,
      batch: {},
    },
    exporters: {
      'otlp/jaeger': toJaeger,
      ...(balanced
        ? {
            loadbalancing: {
              routing_key: 'traceID',
              protocol: { otlp: { tls: { insecure: true } } },
              resolver: { dns: { hostname: s.peersHost, port: String(PORTS.otlpLoadBalanced) } },
            },
          }
        : {}),
    },
    service: {
      extensions: ['health_check'],
      telemetry: {
        metrics: { level: 'detailed', readers: [{ pull: { exporter: { prometheus: { host: '${env:MY_POD_IP}', port: PORTS.metrics } } } }] },
      },
      pipelines: balanced
        ? {
            traces: { receivers: ['otlp'], processors: ['memory_limiter'], exporters: ['loadbalancing'] },
            'traces/sampling': { receivers: ['otlp/peers'], processors: ['memory_limiter', 'tail_sampling', 'batch'], exporters: ['otlp/jaeger'] },
          }
        : { traces: { receivers: ['otlp'], processors: ['memory_limiter', 'tail_sampling', 'batch'], exporters: ['otlp/jaeger'] } },
    },
  };
}
