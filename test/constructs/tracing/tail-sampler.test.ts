import Ajv from 'ajv';
import * as fs from 'fs';
import { Testing } from 'cdktf';
import { parse } from 'yaml';
import { deepMerge } from '../../../constructs/helm/pinned-release';
import { PORTS, TRACING_DEFAULTS } from '../../../constructs/tracing/defaults';
import { tailSamplerNames } from '../../../constructs/tracing/names';
import { TailSampler, TailSamplerProps } from '../../../constructs/tracing/tail-sampler';
import { TAIL_POLICIES } from '../../../constructs/tracing/tail-sampler-config';
import { keyPaths, undeclaredComponents } from '../../support/jaeger-reference';
import { vendorFile } from '../../support/vendor';

const BASE: TailSamplerProps = {
  names: tailSamplerNames('otel-tail-sampler', 'tracing'),
  jaegerEndpoint: 'jaeger-collector.tracing.svc.cluster.local:4317',
  minReplicas: 1,
  maxReplicas: 1,
  resources: { requests: { cpu: '50m', memory: '128Mi' }, limits: { memory: '256Mi' } },
  latencyThresholdMs: 500,
  keepPercent: 25,
};

function synth(props: Partial<TailSamplerProps> = {}) {
  const json = JSON.parse(Testing.synthScope((s) => void new TailSampler(s, 'tail', { ...BASE, ...props })));
  const release = Object.values(json.resource.helm_release)[0] as any;
  return { release, values: parse(release.values[0]) };
}

/**
 * The chart's own values.schema.json (opentelemetry-collector 0.170.0), as Helm applies it on install: to the
 * chart's defaults with the release's values merged over them.
 */
function schemaErrors(values: Record<string, unknown>): string[] {
  const schema = JSON.parse(fs.readFileSync(vendorFile('charts/opentelemetry-collector/values.schema.json'), 'utf8'));
  const defaults = parse(fs.readFileSync(vendorFile('charts/opentelemetry-collector/values.yaml'), 'utf8'));
  const ajv = new Ajv({ strict: false, allErrors: true });
  const validate = ajv.compile(schema);
  return validate(deepMerge(defaults, values)) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
}

describe('TailSampler', () => {
  test('installs the pinned opentelemetry-collector chart atomically in the tracing namespace', () => {
    expect(synth().release).toMatchObject({
      name: 'otel-tail-sampler',
      namespace: 'tracing',
      chart: 'opentelemetry-collector',
      version: '0.170.0',
      repository: 'https://open-telemetry.github.io/opentelemetry-helm-charts',
      atomic: true,
      create_namespace: false,
    });
  });

  test.each([
    ['one replica', {}],
    ['autoscaled replicas', { minReplicas: 2, maxReplicas: 6 }],
  ])("values with %s validate against the chart's values.schema.json", (_what, props) => {
    expect(schemaErrors(synth(props).values)).toEqual([]);
  });

  test('a planted mistake fails the schema check', () => {
    const { values } = synth();
    expect(schemaErrors({ ...values, image: { ...values.image, repo: 'x' } })).toContain('/image must NOT have additional properties');
    expect(schemaErrors({ ...values, ports: { ...values.ports, otlp: { ...values.ports.otlp, port: 1 } } })).toContain('/ports/otlp must NOT have additional properties');
  });

  test('sets what the chart leaves empty: image repository (contrib, the chart appVersion), mode, command', () => {
    const { values } = synth();
    const chart = parse(fs.readFileSync(vendorFile('charts/opentelemetry-collector/Chart.yaml'), 'utf8'));
    expect(values.mode).toBe('deployment');
    expect(values.image).toEqual({ repository: 'otel/opentelemetry-collector-contrib', tag: chart.appVersion });
    expect(TRACING_DEFAULTS.collectorImageTag).toBe(chart.appVersion);
    expect(values.command).toEqual({ name: 'otelcol-contrib' });
  });

  test('runs restricted: non-root, no privilege escalation, read-only root, all capabilities dropped, no API token', () => {
    const { values } = synth();
    expect(values.podSecurityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
    expect(values.securityContext).toEqual({ runAsNonRoot: true, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
    expect(values.serviceAccount).toEqual({ create: true, automountServiceAccountToken: false });
  });

  test('exposes OTLP gRPC and HTTP and metrics only (the chart default Jaeger and Zipkin ports are off)', () => {
    const enabled = Object.entries(synth().values.ports as Record<string, any>).filter(([, p]) => p.enabled).map(([n, p]) => [n, p.servicePort]);
    expect(enabled).toEqual([['metrics', PORTS.metrics], ['otlp', PORTS.otlpGrpc], ['otlp-http', PORTS.otlpHttp]]);
  });

  test('one replica: no autoscaler, no PDB, no load-balancing tier; OTLP -> memory_limiter -> tail_sampling -> batch -> Jaeger', () => {
    const { values } = synth();
    expect(values).not.toHaveProperty('autoscaling');
    expect(values).not.toHaveProperty('podDisruptionBudget');
    expect(values).not.toHaveProperty('extraManifests');
    const c = values.alternateConfig;
    expect(c.service.pipelines).toEqual({ traces: { receivers: ['otlp'], processors: ['memory_limiter', 'tail_sampling', 'batch'], exporters: ['otlp/jaeger'] } });
    expect(c.exporters['otlp/jaeger'].endpoint).toBe(BASE.jaegerEndpoint);
    expect(undeclaredComponents(c)).toEqual([]);
  });

  test('keeps every error, every trace slower than the threshold, and the given share of the rest', () => {
    const policies = synth({ latencyThresholdMs: 750, keepPercent: 10 }).values.alternateConfig.processors.tail_sampling.policies;
    expect(policies).toEqual([
      { name: TAIL_POLICIES.errors, type: 'status_code', status_code: { status_codes: ['ERROR'] } },
      { name: TAIL_POLICIES.slow, type: 'latency', latency: { threshold_ms: 750 } },
      { name: TAIL_POLICIES.rest, type: 'probabilistic', probabilistic: { sampling_percentage: 10 } },
    ]);
  });

  test('more than one replica: trace-ID load balancing over a headless Service of its own pods, sampling on the second pipeline', () => {
    const { values } = synth({ minReplicas: 2, maxReplicas: 6 });
    const c = values.alternateConfig;
    expect(c.exporters.loadbalancing).toEqual({
      routing_key: 'traceID',
      protocol: { otlp: { tls: { insecure: true } } },
      resolver: { dns: { hostname: 'otel-tail-sampler-peers.tracing.svc.cluster.local', port: String(PORTS.otlpLoadBalanced) } },
    });
    expect(c.service.pipelines.traces).toEqual({ receivers: ['otlp'], processors: ['memory_limiter'], exporters: ['loadbalancing'] });
    expect(c.service.pipelines['traces/sampling'].processors).toContain('tail_sampling');
    expect(c.receivers['otlp/peers'].protocols.grpc.endpoint).toBe(`\${env:MY_POD_IP}:${PORTS.otlpLoadBalanced}`);
    expect(undeclaredComponents(c)).toEqual([]);
    const [svc] = values.extraManifests;
    expect(svc).toMatchObject({ kind: 'Service', metadata: { name: 'otel-tail-sampler-peers', namespace: 'tracing' }, spec: { clusterIP: 'None', selector: BASE.names.podLabels } });
    expect(svc.spec.ports).toEqual([{ name: 'otlp-peers', port: PORTS.otlpLoadBalanced, targetPort: PORTS.otlpLoadBalanced, protocol: 'TCP' }]);
  });

  test('autoscales between min and max on CPU, with a PDB when it has two pods or more', () => {
    const { values } = synth({ minReplicas: 2, maxReplicas: 6 });
    expect(values.autoscaling).toEqual({ enabled: true, minReplicas: 2, maxReplicas: 6, targetCPUUtilizationPercentage: 70 });
    expect(values.podDisruptionBudget).toEqual({ enabled: true, maxUnavailable: 1 });
  });

  test.each([
    ['maxReplicas below minReplicas', { minReplicas: 3, maxReplicas: 2 }, "[stack/tail] 'maxReplicas' (2) must be >= minReplicas (3)"],
    ['no memory limit', { resources: { requests: { cpu: '50m', memory: '128Mi' } } }, "[stack/tail] 'resources.limits.memory' (undefined) must be set: the memory limiter and GOMEMLIMIT work from it"],
    ['no CPU request', { resources: { requests: { memory: '128Mi' }, limits: { memory: '256Mi' } } }, "[stack/tail] 'resources.requests.cpu' (undefined) must be set: the autoscaler scales on CPU utilisation of the request"],
    ['a share above 100 %', { keepPercent: 150 }, "[stack/tail] 'keepPercent' (150) must be a number from 0 to 100"],
    ['a zero latency threshold', { latencyThresholdMs: 0 }, "[stack/tail] 'latencyThresholdMs' (0) must be an integer >= 1"],
  ])('fails on %s', (_what, props, message) => {
    expect(() => synth(props as Partial<TailSamplerProps>)).toThrow(message);
  });
});

/**
 * The tier's configuration against a pinned reference: key paths of the components the chart's own default
 * `config` uses (otlp receiver, memory_limiter, batch, health_check, service telemetry) must exist there; the
 * components it does not show are a reviewed list naming the upstream Go struct (read, not copied).
 */
const COLLECTOR_KEYS_FROM_SOURCE: readonly { path: string; source: string }[] = [
  { path: 'service.telemetry.metrics.level', source: 'core service/telemetry MetricsConfig.Level (Jaeger 2.19.0 config.yaml sets it too)' },
  { path: 'processors.tail_sampling', source: 'contrib processor/tailsamplingprocessor/config.go Config' },
  { path: 'processors.tail_sampling.decision_wait', source: 'Config.DecisionWait `mapstructure:"decision_wait"`' },
  { path: 'processors.tail_sampling.num_traces', source: 'Config.NumTraces `mapstructure:"num_traces"`' },
  { path: 'processors.tail_sampling.policies', source: 'Config.PolicyCfgs `mapstructure:"policies"`' },
  { path: 'processors.tail_sampling.policies[].name', source: 'sharedPolicyCfg.Name' },
  { path: 'processors.tail_sampling.policies[].type', source: 'sharedPolicyCfg.Type (status_code, latency, probabilistic)' },
  { path: 'processors.tail_sampling.policies[].status_code', source: 'sharedPolicyCfg.StatusCodeCfg' },
  { path: 'processors.tail_sampling.policies[].status_code.status_codes', source: 'StatusCodeCfg.StatusCodes' },
  { path: 'processors.tail_sampling.policies[].latency', source: 'sharedPolicyCfg.LatencyCfg' },
  { path: 'processors.tail_sampling.policies[].latency.threshold_ms', source: 'LatencyCfg.ThresholdMs' },
  { path: 'processors.tail_sampling.policies[].probabilistic', source: 'sharedPolicyCfg.ProbabilisticCfg' },
  { path: 'processors.tail_sampling.policies[].probabilistic.sampling_percentage', source: 'ProbabilisticCfg.SamplingPercentage' },
  { path: 'exporters.loadbalancing', source: 'contrib exporter/loadbalancingexporter/config.go Config' },
  { path: 'exporters.loadbalancing.routing_key', source: 'Config.RoutingKey (traceID default)' },
  { path: 'exporters.loadbalancing.protocol', source: 'Config.Protocol' },
  { path: 'exporters.loadbalancing.protocol.otlp', source: 'Protocol.OTLP otlpexporter.Config' },
  { path: 'exporters.loadbalancing.protocol.otlp.tls', source: 'configgrpc.ClientConfig.TLS' },
  { path: 'exporters.loadbalancing.protocol.otlp.tls.insecure', source: 'configtls.ClientConfig.Insecure' },
  { path: 'exporters.loadbalancing.resolver', source: 'Config.Resolver' },
  { path: 'exporters.loadbalancing.resolver.dns', source: 'ResolverSettings.DNS' },
  { path: 'exporters.loadbalancing.resolver.dns.hostname', source: 'DNSResolver.Hostname' },
  { path: 'exporters.loadbalancing.resolver.dns.port', source: 'DNSResolver.Port (a string)' },
  { path: 'exporters.otlp', source: 'core exporter/otlpexporter Config' },
  { path: 'exporters.otlp.endpoint', source: 'configgrpc.ClientConfig.Endpoint' },
  { path: 'exporters.otlp.tls', source: 'configgrpc.ClientConfig.TLS' },
  { path: 'exporters.otlp.tls.insecure', source: 'configtls.ClientConfig.Insecure' },
  { path: 'exporters.otlp.sending_queue', source: 'exporterhelper QueueBatchConfig `mapstructure:"sending_queue"`' },
  { path: 'exporters.otlp.sending_queue.enabled', source: 'QueueBatchConfig.Enabled' },
  { path: 'exporters.otlp.retry_on_failure', source: 'configretry.BackOffConfig `mapstructure:"retry_on_failure"`' },
  { path: 'exporters.otlp.retry_on_failure.enabled', source: 'BackOffConfig.Enabled' },
];

describe("the tier's configuration against the chart's default collector configuration", () => {
  const chartConfig = parse(fs.readFileSync(vendorFile('charts/opentelemetry-collector/values.yaml'), 'utf8')).config;
  const known = new Set(keyPaths(chartConfig));
  const reviewed = new Set(COLLECTOR_KEYS_FROM_SOURCE.map((k) => k.path));
  const unknown = (config: unknown) => keyPaths(config).filter((p) => !known.has(p) && !reviewed.has(p));

  test.each([
    ['one replica', {}],
    ['load-balanced replicas', { minReplicas: 2, maxReplicas: 4 }],
  ])('with %s every key path is in the chart defaults or the reviewed list', (_what, props) => {
    expect(unknown(synth(props).values.alternateConfig)).toEqual([]);
  });

  test('every reviewed key is one the chart defaults lack', () => {
    expect([...reviewed].filter((p) => known.has(p))).toEqual([]);
  });

  test('a planted mistake fails: a misspelt memory_limiter key, a v1-style tail policy key', () => {
    const config = JSON.parse(JSON.stringify(synth().values.alternateConfig));
    config.processors.memory_limiter.limit_mib_percentage = 80;
    config.processors.tail_sampling.policies[1].latency.threshold = 500;
    expect(unknown(config)).toEqual(['processors.memory_limiter.limit_mib_percentage', 'processors.tail_sampling.policies[].latency.threshold']);
  });
});
