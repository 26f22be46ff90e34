import { ElasticsearchStorage, jaegerConfig, JaegerConfigSettings } from '../../../constructs/tracing/jaeger-config';
import { exampleComponents, exampleKeyPaths, JAEGER_KEYS_FROM_SOURCE, keyPaths, undeclaredComponents, unknownJaegerKeys } from '../../support/jaeger-reference';

const base: JaegerConfigSettings = {
  storage: { kind: 'memory', maxTraces: 20000 },
  strategiesFile: '/etc/jaeger/sampling-strategies.json',
  strategiesReloadSeconds: 60,
  memoryLimitPercent: 80,
  memorySpikePercent: 20,
};
const es: ElasticsearchStorage = {
  kind: 'elasticsearch',
  url: 'https://logging-es-http.logging.svc:9200',
  caFile: '/etc/jaeger/es-ca/ca.crt',
  passwordFile: '/etc/jaeger/es-credentials/password',
  usernameEnv: 'ES_USERNAME',
  indexPrefix: 'tracing',
  shards: 2,
  replicas: 1,
  retentionDays: 14,
};

describe('Jaeger v2 configuration against the pinned upstream examples (2.19.0)', () => {
  const known = exampleKeyPaths();

  test('the examples are there and parse (the reference is not empty)', () => {
    expect(known.has('extensions.jaeger_storage.backends.<backend>.elasticsearch.indices.index_prefix')).toBe(true);
    expect(known.has('extensions.remote_sampling.file.path')).toBe(true);
  });

  test.each([
    ['memory storage', base],
    ['Elasticsearch storage', { ...base, storage: es }],
  ])('with %s every key path exists in an example or in the reviewed list', (_what, settings) => {
    expect(unknownJaegerKeys(jaegerConfig(settings), known)).toEqual([]);
  });

  test('every reviewed key is one the examples really lack (the list shrinks when upstream examples grow)', () => {
    expect(JAEGER_KEYS_FROM_SOURCE.map((k) => k.path).filter((p) => known.has(p))).toEqual([]);
  });

  test('every component it uses is one the examples use (names of this Jaeger version), or the collector core memory_limiter', () => {
    const components = exampleComponents();
    const config = jaegerConfig({ ...base, storage: es }) as Record<string, Record<string, unknown>>;
    const unknown: string[] = [];
    for (const kind of ['receivers', 'processors', 'exporters', 'extensions']) {
      for (const name of Object.keys(config[kind] ?? {})) if (!components[kind].has(name) && name !== 'memory_limiter') unknown.push(`${kind}.${name}`);
    }
    expect(unknown).toEqual([]);
  });

  test('pipelines and service extensions name only declared components', () => {
    expect(undeclaredComponents(jaegerConfig(base))).toEqual([]);
  });

  test.each([
    ['a misspelt exporter key', (c: any) => (c.exporters.jaeger_storage_exporter = { storage: 'primary' }), 'exporters.jaeger_storage_exporter.storage'],
    ['a v1-style storage key', (c: any) => (c.extensions.jaeger_storage.backends.primary.memory.max_trace = 1), 'extensions.jaeger_storage.backends.<backend>.memory.max_trace'],
    ['an extension that does not exist', (c: any) => (c.extensions.jaeger_ui = {}), 'extensions.jaeger_ui'],
  ])('a planted mistake fails the check: %s', (_what, plant, expected) => {
    const config = jaegerConfig(base) as any;
    plant(config);
    expect(unknownJaegerKeys(config, known)).toContain(expected);
  });

  test('a pipeline naming an undeclared processor fails the check', () => {
    const config = jaegerConfig(base) as any;
    config.service.pipelines.traces.processors.push('tail_sampling');
    expect(undeclaredComponents(config)).toEqual(["service.pipelines.traces.processors: 'tail_sampling' is not declared under processors"]);
  });
});

describe('jaegerConfig', () => {
  test('memory storage: OTLP gRPC and HTTP receivers, memory_limiter then batch, one memory backend read and written', () => {
    const c = jaegerConfig(base) as any;
    expect(c.receivers.otlp.protocols).toEqual({ grpc: { endpoint: '0.0.0.0:4317' }, http: { endpoint: '0.0.0.0:4318' } });
    expect(c.service.pipelines.traces).toEqual({ receivers: ['otlp'], processors: ['memory_limiter', 'batch'], exporters: ['jaeger_storage_exporter'] });
    expect(c.processors.memory_limiter).toEqual({ check_interval: '1s', limit_percentage: 80, spike_limit_percentage: 20 });
    expect(c.extensions.jaeger_storage.backends).toEqual({ primary: { memory: { max_traces: 20000 } } });
    expect(c.extensions.jaeger_query.storage).toEqual({ traces: 'primary' });
    expect(c.exporters.jaeger_storage_exporter).toEqual({ trace_storage: 'primary' });
  });

  test('serves the strategies file through remote_sampling (file, never adaptive: exactly one may be set)', () => {
    const rs = (jaegerConfig(base) as any).extensions.remote_sampling;
    expect(rs.file).toEqual({ path: '/etc/jaeger/sampling-strategies.json', reload_interval: '60s' });
    expect(rs).not.toHaveProperty('adaptive');
  });

  test('Elasticsearch storage: URL, CA file, username from the environment, password from a file, daily indices, retention as read lookback', () => {
    const b = (jaegerConfig({ ...base, storage: es }) as any).extensions.jaeger_storage.backends.primary.elasticsearch;
    expect(b.server_urls).toEqual(['https://logging-es-http.logging.svc:9200']);
    expect(b.tls).toEqual({ ca_file: '/etc/jaeger/es-ca/ca.crt' });
    expect(b.auth).toEqual({ basic: { username: '${env:ES_USERNAME}', password_file: '/etc/jaeger/es-credentials/password' } });
    expect(b.indices.index_prefix).toBe('tracing');
    expect(b.indices.spans).toEqual({ date_layout: '2006-01-02', rollover_frequency: 'day', shards: 2, replicas: 1 });
    expect(b.max_span_age).toBe('336h');
  });

  test('keyPaths reduces instance names to component types', () => {
    expect(keyPaths({ receivers: { 'otlp/peers': { protocols: {} } } })).toEqual(['receivers', 'receivers.otlp', 'receivers.otlp.protocols']);
  });
});
