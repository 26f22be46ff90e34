import { PORTS } from './defaults';

/**
 * Jaeger v2's configuration (an OpenTelemetry Collector configuration with Jaeger's extensions), built from typed
 * settings. Component and key names are those of the pinned Jaeger (2.19.0): the upstream example configurations
 * (`configs/jaeger/*.yaml` in the vendor cache) are the reference, and test/constructs/tracing/jaeger-config.test.ts
 * checks every key path against them.
 */

/** Traces kept in the pod's memory: lost on restart, one replica only (each pod would hold a different part). */
export interface MemoryStorage {
  readonly kind: 'memory';
  /** Most traces held; the oldest are evicted. */
  readonly maxTraces: number;
}

/** Traces in Elasticsearch: daily indices, read back `retentionDays` at most. */
export interface ElasticsearchStorage {
  readonly kind: 'elasticsearch';
  /** `https://<name>-es-http.<namespace>.svc:9200`. */
  readonly url: string;
  /** Path of the CA certificate file in the Jaeger container. */
  readonly caFile: string;
  /** Path of the password file in the Jaeger container (Jaeger watches it, so a rotated password is picked up). */
  readonly passwordFile: string;
  /** Environment variable holding the username. */
  readonly usernameEnv: string;
  /** Prefix of Jaeger's indices: `<prefix>-jaeger-span-<date>`. */
  readonly indexPrefix: string;
  /** Primary shards and replicas of each daily index. */
  readonly shards: number;
  readonly replicas: number;
  /** Days of traces kept (the index cleaner deletes older indices; reads look back this far). */
  readonly retentionDays: number;
}

export type JaegerStorage = MemoryStorage | ElasticsearchStorage;

/** Settings of `jaegerConfig`. */
export interface JaegerConfigSettings {
  readonly storage: JaegerStorage;
  /** Path of the sampling strategies file served by `remote_sampling`. */
  readonly strategiesFile: string;
  /** Seconds between re-reads of the strategies file. */
  readonly strategiesReloadSeconds: number;
  /** memory_limiter: share of the container's memory limit (percent) above which spans are refused. */
  readonly memoryLimitPercent: number;
  readonly memorySpikePercent: number;
}

/** The name of the one storage backend. */
export const STORAGE_NAME = 'primary';

const listen = (port: number) => `0.0.0.0:${port}`;

function backend(storage: JaegerStorage): Record<string, unknown> {
  if (storage.kind === 'memory') return { memory: { max_traces: storage.maxTraces } };
  const index = { date_layout: '2006-01-02', rollover_frequency: 'day', shards: storage.shards, replicas: storage.replicas };
  return {
    elasticsearch: {
      server_urls: [storage.url],
      auth: { basic: { username: `\${env:${storage.usernameEnv}}`, password_file: storage.passwordFile } },
      tls: { ca_file: storage.caFile },
      indices: { index_prefix: storage.indexPrefix, spans: index, services: index, dependencies: index, sampling: index },
      max_span_age: `${storage.retentionDays * 24}h`,
    },
  };
}

/** Jaeger's whole configuration, as the YAML document it reads (`--config`). */
export function jaegerConfig(s: JaegerConfigSettings): Record<string, unknown> {
  return {
    service: {
      extensions: ['jaeger_storage', 'jaeger_query', 'remote_sampling', 'healthcheckv2'],
      pipelines: {
        traces: { receivers: ['otlp'], processors: ['memory_limiter', 'batch'], exporters: ['jaeger_storage_exporter'] },
      },
      telemetry: {
        resource: { 'service.name': 'jaeger' },
        metrics: { level: 'detailed', readers: [{ pull: { exporter: { prometheus: { host: '0.0.0.0', port: PORTS.metrics } } } }] },
        logs: { level: 'info' },
      },
    },
    extensions: {
      healthcheckv2: { use_v2: true, http: { endpoint: listen(PORTS.health) } },
      jaeger_query: {
        storage: { traces: STORAGE_NAME },
        http: { endpoint: listen(PORTS.queryHttp) },
        grpc: { endpoint: listen(PORTS.queryGrpc) },
      },
      jaeger_storage: { backends: { [STORAGE_NAME]: backend(s.storage) } },
      remote_sampling: {
        file: { path: s.strategiesFile, reload_interval: `${s.strategiesReloadSeconds}s` },
        http: { endpoint: listen(PORTS.samplingHttp) },
        grpc: { endpoint: listen(PORTS.samplingGrpc) },
      },
    },
    receivers: {
      otlp: { protocols: { grpc: { endpoint: listen(PORTS.otlpGrpc) }, http: { endpoint: listen(PORTS.otlpHttp) } } },
    },
    processors: {
      memory_limiter: { check_interval: '1s', limit_percentage: s.memoryLimitPercent, spike_limit_percentage: s.memorySpikePercent },
      batch: {},
    },
    exporters: { jaeger_storage_exporter: { trace_storage: STORAGE_NAME } },
  };
}
