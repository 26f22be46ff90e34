import type { OtlpReference } from '../core/references';
import { LABEL_INSTANCE, LABEL_NAME } from '../core/labels';
import { PORTS } from './defaults';

/** Default names of the component's two workloads. */
export const TRACING_NAMES = { jaeger: 'jaeger', tailSampler: 'otel-tail-sampler' } as const;

/** Where Jaeger's Services are: one function for the Jaeger construct and for the tail sampler that sends to it. */
export interface JaegerServiceNames {
  /** OTLP intake and remote sampling. */
  readonly collectorServiceName: string;
  /** UI and query APIs. */
  readonly queryServiceName: string;
  /** `<collector>.<ns>.svc.cluster.local:4317`: where the tail-sampling tier sends. */
  readonly otlpGrpcHostPort: string;
  /** `http://<collector>.<ns>.svc.cluster.local:5779`: Jaeger remote sampler, gRPC (what OTEL_TRACES_SAMPLER_ARG's endpoint is). */
  readonly samplingGrpcEndpoint: string;
  /** `http://<collector>.<ns>.svc.cluster.local:5778/sampling`: the same strategies over HTTP. */
  readonly samplingHttpEndpoint: string;
  /** `http://<query>.<ns>.svc.cluster.local:16686`. */
  readonly queryUrl: string;
}

export function jaegerServiceNames(name: string, namespace: string, clusterDomain = 'cluster.local'): JaegerServiceNames {
  const collectorServiceName = `${name}-collector`;
  const queryServiceName = `${name}-query`;
  const host = (svc: string) => `${svc}.${namespace}.svc.${clusterDomain}`;
  return {
    collectorServiceName,
    queryServiceName,
    otlpGrpcHostPort: `${host(collectorServiceName)}:${PORTS.otlpGrpc}`,
    samplingGrpcEndpoint: `http://${host(collectorServiceName)}:${PORTS.samplingGrpc}`,
    samplingHttpEndpoint: `http://${host(collectorServiceName)}:${PORTS.samplingHttp}/sampling`,
    queryUrl: `http://${host(queryServiceName)}:${PORTS.queryHttp}`,
  };
}

/**
 * What the tail-sampling tier is called and where it listens: one function both layers call (the Helm release in
 * `platform-<env>`, the NetworkPolicy, ServiceMonitor and OTLP reference in `workloads-<env>`), so they cannot drift.
 * The chart names its objects after `fullnameOverride` and labels its pods with `nameOverride` and the release name;
 * the release sets all three to `name`.
 */
export interface TailSamplerNames {
  /** Release name = Deployment = Service name. */
  readonly name: string;
  readonly namespace: string;
  /** Headless Service over the pods, for trace-ID routing between them. */
  readonly peersServiceName: string;
  /** Labels on the tier's pods (the chart's selector labels). */
  readonly podLabels: Readonly<Record<string, string>>;
  /** The OTLP intake apps and the gateway send to. */
  readonly otlp: OtlpReference;
}

export function tailSamplerNames(name: string, namespace: string, clusterDomain = 'cluster.local'): TailSamplerNames {
  const podLabels = { [LABEL_NAME]: name, [LABEL_INSTANCE]: name };
  const host = `${name}.${namespace}.svc.${clusterDomain}`;
  return {
    name,
    namespace,
    peersServiceName: `${name}-peers`,
    podLabels,
    otlp: {
      namespace,
      podLabels,
      serviceName: name,
      grpcPort: PORTS.otlpGrpc,
      httpPort: PORTS.otlpHttp,
      grpcEndpoint: `http://${host}:${PORTS.otlpGrpc}`,
      httpEndpoint: `http://${host}:${PORTS.otlpHttp}`,
    },
  };
}
