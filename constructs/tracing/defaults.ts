/**
 * Tracing defaults in one place: images, ports and the names other components reach. The Jaeger image follows the
 * catalogue's jaeger chart (4.11.1, appVersion 2.19.0): the chart is pinned there as the version reference, and
 * test/constructs/tracing/jaeger.test.ts fails when this tag and the vendored chart's appVersion part.
 */
export const TRACING_DEFAULTS = {
  jaegerImage: 'jaegertracing/jaeger:2.19.0',
  /** Jaeger's index cleaner (Elasticsearch storage): deletes daily indices older than the retention. */
  indexCleanerImage: 'jaegertracing/jaeger-es-index-cleaner:2.19.0',
  /** The tail-sampling tier's image: the contrib distribution (tail_sampling, loadbalancing), the chart's appVersion. */
  collectorImageRepository: 'otel/opentelemetry-collector-contrib',
  collectorImageTag: '0.158.0',
  /** Jaeger's user in its image. */
  jaegerUid: 10001,
  /** The contrib collector's user in its image. */
  collectorUid: 10001,
} as const;

export const PORTS = {
  otlpGrpc: 4317,
  otlpHttp: 4318,
  /** The tail-sampling tier's second OTLP receiver: spans routed by trace ID between its own pods. */
  otlpLoadBalanced: 4319,
  samplingHttp: 5778,
  samplingGrpc: 5779,
  queryHttp: 16686,
  queryGrpc: 16685,
  health: 13133,
  metrics: 8888,
} as const;
