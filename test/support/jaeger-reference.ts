import * as fs from 'fs';
import { parse } from 'yaml';
import { vendorFile } from './vendor';

/**
 * The pinned Jaeger's (2.19.0) upstream example configurations (`configs/jaeger/` in the vendor cache), as the
 * reference for generated Jaeger configuration: every key path we generate must appear in one of them, except the
 * reviewed entries of `JAEGER_KEYS_FROM_SOURCE` (keys the examples leave out, each with the upstream struct that
 * declares it). Array elements count as one level (`server_urls[]`); a component's instance name
 * (`otlp/peers`) is reduced to its type (`otlp`); `jaeger_storage.backends.<name>` to `<backend>`.
 */
export const JAEGER_EXAMPLE_FILES = ['config.yaml', 'config-elasticsearch.yaml', 'config-opensearch.yaml', 'config-spm.yaml', 'internal/all-in-one.yaml'];

/** Keys valid in Jaeger 2.19.0 that no example shows, with where upstream declares them (read, not copied). */
export const JAEGER_KEYS_FROM_SOURCE: readonly { path: string; source: string }[] = [
  { path: 'extensions.jaeger_query.http', source: 'cmd/jaeger/internal/extension/jaegerquery/internal/flags.go QueryOptions.HTTP `mapstructure:"http"`' },
  { path: 'extensions.jaeger_query.http.endpoint', source: 'confighttp.ServerConfig.Endpoint' },
  { path: 'extensions.jaeger_query.grpc', source: 'flags.go QueryOptions.GRPC `mapstructure:"grpc"`' },
  { path: 'extensions.jaeger_query.grpc.endpoint', source: 'configgrpc.ServerConfig NetAddr.Endpoint (squashed)' },
  { path: 'extensions.jaeger_storage.backends.<backend>.elasticsearch.auth', source: 'internal/storage/elasticsearch/config/config.go Configuration.Authentication `mapstructure:"auth"`' },
  { path: 'extensions.jaeger_storage.backends.<backend>.elasticsearch.auth.basic', source: 'config.go Authentication.BasicAuthentication `mapstructure:"basic"`' },
  { path: 'extensions.jaeger_storage.backends.<backend>.elasticsearch.auth.basic.username', source: 'config.go BasicAuthentication.Username' },
  { path: 'extensions.jaeger_storage.backends.<backend>.elasticsearch.auth.basic.password_file', source: 'config.go BasicAuthentication.PasswordFilePath `mapstructure:"password_file"`' },
  { path: 'extensions.jaeger_storage.backends.<backend>.elasticsearch.tls', source: 'config.go Configuration.TLS configtls.ClientConfig `mapstructure:"tls"`' },
  { path: 'extensions.jaeger_storage.backends.<backend>.elasticsearch.tls.ca_file', source: 'configtls.Config.CAFile `mapstructure:"ca_file"`' },
  { path: 'extensions.jaeger_storage.backends.<backend>.elasticsearch.max_span_age', source: 'config.go Configuration.MaxSpanAge `mapstructure:"max_span_age"`' },
  { path: 'processors.memory_limiter', source: 'OpenTelemetry Collector core processor, in Jaeger v2 components (cmd/jaeger/internal/components.go)' },
  { path: 'processors.memory_limiter.check_interval', source: 'memorylimiterprocessor Config.CheckInterval' },
  { path: 'processors.memory_limiter.limit_percentage', source: 'memorylimiterprocessor Config.MemoryLimitPercentage' },
  { path: 'processors.memory_limiter.spike_limit_percentage', source: 'memorylimiterprocessor Config.MemorySpikePercentage' },
];

/** `a.b[].c` paths of every key, with component instance names reduced to their type. */
export function keyPaths(doc: unknown, prefix = ''): string[] {
  if (Array.isArray(doc)) return doc.flatMap((item) => keyPaths(item, `${prefix}[]`));
  if (doc === null || typeof doc !== 'object') return [];
  return Object.entries(doc as Record<string, unknown>).flatMap(([key, value]) => {
    const path = normalise(prefix === '' ? key : `${prefix}.${key}`);
    return [path, ...keyPaths(value, path)];
  });
}

function normalise(path: string): string {
  const parts = path.split('.');
  // receivers.otlp/peers -> receivers.otlp
  if (['receivers', 'processors', 'exporters', 'extensions', 'connectors'].includes(parts[0]) && parts[1]) parts[1] = parts[1].split('/')[0];
  // service.pipelines.traces/sampling -> service.pipelines.traces
  if (parts[0] === 'service' && parts[1] === 'pipelines' && parts[2]) parts[2] = parts[2].split('/')[0];
  // extensions.jaeger_storage.backends.<name> and metric_backends.<name> -> <backend>
  if (parts[0] === 'extensions' && parts[1] === 'jaeger_storage' && (parts[2] === 'backends' || parts[2] === 'metric_backends') && parts[3]) parts[3] = '<backend>';
  return parts.join('.');
}

/** Every key path of the pinned examples. */
export function exampleKeyPaths(): Set<string> {
  const paths = new Set<string>();
  for (const file of JAEGER_EXAMPLE_FILES) for (const p of keyPaths(parse(fs.readFileSync(vendorFile(`configs/jaeger/${file}`), 'utf8')))) paths.add(p);
  return paths;
}

/** Key paths of `config` that neither the examples nor the reviewed list know. */
export function unknownJaegerKeys(config: unknown, known: Set<string> = exampleKeyPaths()): string[] {
  const reviewed = new Set(JAEGER_KEYS_FROM_SOURCE.map((k) => k.path));
  return keyPaths(config).filter((p) => !known.has(p) && !reviewed.has(p));
}

/** Component names the examples declare, by kind (`receivers` -> otlp, jaeger, zipkin). */
export function exampleComponents(): Record<string, Set<string>> {
  const out: Record<string, Set<string>> = { receivers: new Set(), processors: new Set(), exporters: new Set(), extensions: new Set(), connectors: new Set() };
  for (const file of JAEGER_EXAMPLE_FILES) {
    const doc = parse(fs.readFileSync(vendorFile(`configs/jaeger/${file}`), 'utf8')) as Record<string, Record<string, unknown>>;
    for (const kind of Object.keys(out)) for (const name of Object.keys(doc[kind] ?? {})) out[kind].add(name.split('/')[0]);
  }
  return out;
}

/** Pipelines and extensions in `service` that name a component the configuration does not declare. */
export function undeclaredComponents(config: Record<string, any>): string[] {
  const problems: string[] = [];
  for (const ext of config.service?.extensions ?? []) if (!(ext in (config.extensions ?? {}))) problems.push(`service.extensions: '${ext}' is not declared under extensions`);
  for (const [name, pipeline] of Object.entries<Record<string, string[]>>(config.service?.pipelines ?? {})) {
    for (const kind of ['receivers', 'processors', 'exporters']) {
      for (const c of pipeline[kind] ?? []) if (!(c in (config[kind] ?? {}))) problems.push(`service.pipelines.${name}.${kind}: '${c}' is not declared under ${kind}`);
    }
  }
  return problems;
}
