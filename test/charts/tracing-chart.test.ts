import { App, Testing } from 'cdk8s';
import * as fs from 'fs';
import { parse } from 'yaml';
import { TracingChart } from '../../charts/tracing-chart';
import { buildCharts } from '../../charts';
import { environments, EnvironmentConfig, loadEnvironments } from '../../config';
import type { ElasticsearchReference } from '../../constructs/core/references';
import { helmReleases } from '../support/helm-values';
import { registryWith } from '../support/config';
import { synthAll, K8sObject } from '../support/synth';
import { vendorFile } from '../support/vendor';
import { elasticsearchWiringProblems, parseEndpoint, servicesOf, tracingEndpoints, unresolvedEndpoints } from '../support/tracing-wiring';

const ENVS = loadEnvironments(environments);
const ES: ElasticsearchReference = {
  name: 'logging',
  namespace: 'logging',
  podLabels: { 'elasticsearch.k8s.elastic.co/cluster-name': 'logging' },
  url: 'https://logging-es-http.logging.svc:9200',
  serviceName: 'logging-es-http',
  port: 9200,
  caSecretName: 'logging-es-http-ca',
  credentialsSecretName: (client) => `logging-es-client-${client}`,
};
const withEs = (name: 'staging' | 'prod'): EnvironmentConfig =>
  loadEnvironments(registryWith(name, (e) => (e.tracing.storage = { kind: 'elasticsearch', retentionDays: 7 })), [name])[0];

describe('tracing chart', () => {
  test('buildCharts renders it as the `tracing` manifest in every environment', () => {
    for (const env of ENVS) expect(buildCharts(new App(), env).filter((c) => c.node.id === 'tracing')).toHaveLength(1);
  });

  test('exposes the OTLP reference of the tail-sampling tier (what apps and the gateway send to)', () => {
    const chart = new TracingChart(Testing.app(), 'tracing', ENVS[0]);
    expect(chart.otlp).toEqual({
      namespace: 'tracing',
      podLabels: { 'app.kubernetes.io/name': 'otel-tail-sampler', 'app.kubernetes.io/instance': 'otel-tail-sampler' },
      serviceName: 'otel-tail-sampler',
      grpcPort: 4317,
      httpPort: 4318,
      grpcEndpoint: 'http://otel-tail-sampler.tracing.svc.cluster.local:4317',
      httpEndpoint: 'http://otel-tail-sampler.tracing.svc.cluster.local:4318',
    });
  });

  test('Elasticsearch storage without an Elasticsearch reference is a config error naming environment and field', () => {
    expect(() => new TracingChart(Testing.app(), 'tracing', withEs('prod'))).toThrow(
      "config error: environments.prod.tracing.storage.kind ('elasticsearch') needs the logging component's Elasticsearch",
    );
  });

  test('Elasticsearch storage with a (hand-made) reference: Jaeger stores there and publishes its client request', () => {
    const chart = new TracingChart(Testing.app(), 'tracing', withEs('staging'), { elasticsearch: ES });
    expect(chart.elasticsearchClient).toMatchObject({ name: 'jaeger', namespace: 'tracing', indexPatterns: ['tracing-jaeger-*'] });
    const objects = Testing.synth(chart) as K8sObject[];
    expect(elasticsearchWiringProblems([...objects, { apiVersion: 'elasticsearch.k8s.elastic.co/v1', kind: 'Elasticsearch', metadata: { name: 'logging', namespace: 'logging' } }])).toEqual([]);
  });

  test("the Elasticsearch wiring check fails when Jaeger's URL names no Elasticsearch of the environment", () => {
    const objects = Testing.synth(new TracingChart(Testing.app(), 'tracing', withEs('staging'), { elasticsearch: ES })) as K8sObject[];
    expect(elasticsearchWiringProblems(objects)).toEqual(["jaeger backend primary: 'https://logging-es-http.logging.svc:9200' is no Elasticsearch of this environment"]);
  });

  test('the tail tier admits OTLP from the apps and gateway namespaces only, its peers on 4319, Prometheus on metrics', () => {
    const objects = Testing.synth(new TracingChart(Testing.app(), 'tracing', ENVS.find((e) => e.name === 'prod')!)) as any[];
    const policy = objects.find((o) => o.kind === 'NetworkPolicy' && o.metadata.name === 'otel-tail-sampler');
    const rules = policy.spec.ingress.map((r: any) => ({
      from: r.from.map((f: any) => f.namespaceSelector?.matchLabels['kubernetes.io/metadata.name'] ?? `pods:${f.podSelector.matchLabels['app.kubernetes.io/name']}`),
      ports: r.ports.map((p: any) => p.port),
    }));
    expect(rules).toEqual([
      { from: ['apps', 'kong'], ports: [4317, 4318] },
      { from: ['pods:otel-tail-sampler'], ports: [4319] },
      { from: ['monitoring'], ports: [8888] },
    ]);
  });
});

describe.each(ENVS.map((e) => e.name))('%s: every tracing endpoint resolves to a Service and port of the same environment', (envName) => {
  const out = synthAll();
  const objects = out.objects(envName);
  const tf = out.stack(`platform-${envName}`);
  const releases = helmReleases(`platform-${envName}`, tf);
  const namespaces = Object.fromEntries(Object.values<any>(tf.resource.helm_release).map((r) => [r.name, r.namespace]));
  const services = servicesOf(objects, releases, namespaces);
  const endpoints = tracingEndpoints(objects, releases);

  test('apps send to the tail tier and fetch strategies from Jaeger; the tail tier sends to Jaeger; Grafana reads Jaeger', () => {
    const at = endpoints.map((e) => e.at);
    expect(at.filter((a) => a.endsWith('OTEL_EXPORTER_OTLP_ENDPOINT')).length).toBe(ENVS.find((e) => e.name === envName)!.apps.length);
    expect(at.some((a) => a.includes('exporters.otlp/jaeger'))).toBe(true);
    expect(at.some((a) => a.includes('datasource Jaeger'))).toBe(true);
    expect(unresolvedEndpoints(endpoints, services)).toEqual([]);
    // ... and every one of them is the tracing component's (namespace tracing), not some other collector.
    expect(endpoints.filter((e) => parseEndpoint(e.endpoint)?.namespace !== 'tracing')).toEqual([]);
  });

  test('a planted wrong port or name fails the check', () => {
    const planted = [{ endpoint: 'http://otel-tail-sampler.tracing.svc.cluster.local:4316', at: 'planted' }, { endpoint: 'http://jaeger.tracing.svc.cluster.local:4317', at: 'planted' }];
    expect(unresolvedEndpoints(planted, services)).toEqual([
      "planted: 'http://otel-tail-sampler.tracing.svc.cluster.local:4316': Service tracing/otel-tail-sampler (platform-" +
        `${envName} helm_release otel-tail-sampler) has no port 4316 (ports 8888, 4317, 4318)`,
      "planted: 'http://jaeger.tracing.svc.cluster.local:4317': no Service tracing/jaeger in this environment",
    ]);
  });

  test("Jaeger's Elasticsearch, where used, is the logging component's of this environment", () => {
    expect(elasticsearchWiringProblems(objects)).toEqual([]);
  });
});

describe('Grafana data source for Jaeger', () => {
  test("is a ConfigMap in Grafana's namespace with the label kube-prometheus-stack's datasource sidecar watches", () => {
    const out = synthAll();
    const kps = Object.values<any>(out.stack('platform-dev').resource.helm_release).find((r) => r.chart === 'kube-prometheus-stack');
    const values = parse(kps.values[0]);
    const defaults = parse(fs.readFileSync(vendorFile('charts/kube-prometheus-stack/values.yaml'), 'utf8'));
    const sidecar = { ...defaults.grafana.sidecar.datasources, ...(values.grafana?.sidecar?.datasources ?? {}) };
    expect(sidecar.searchNamespace ?? null).toBeNull();
    const cm = out.objects('dev').find((o) => o.kind === 'ConfigMap' && o.metadata.name === 'jaeger-datasource')!;
    expect(cm.metadata.namespace).toBe(kps.namespace);
    expect(cm.metadata.labels?.[sidecar.label]).toBe(sidecar.labelValue);
    const ds = parse((cm as any).data['jaeger-datasource.yaml']).datasources[0];
    expect(ds).toMatchObject({ type: 'jaeger', uid: 'jaeger', url: 'http://jaeger-query.tracing.svc.cluster.local:16686' });
  });
});

describe('sampling config to the strategies Jaeger serves', () => {
  test("prod: default 0.1 with /healthz at 0, payments fully, analytics rate-limited", () => {
    const chart = new TracingChart(Testing.app(), 'tracing', ENVS.find((e) => e.name === 'prod')!);
    expect(chart.jaeger.strategies).toEqual({
      default_strategy: { type: 'probabilistic', param: 0.1, operation_strategies: [{ operation: 'GET /healthz', type: 'probabilistic', param: 0 }] },
      service_strategies: [
        { service: 'analytics', type: 'ratelimiting', param: 2 },
        { service: 'payments', type: 'probabilistic', param: 1 },
      ],
    });
    expect(chart.appTracing.initialSamplingRatio).toBe(0.1);
  });
});
