import { Chart, Testing } from 'cdk8s';
import * as fs from 'fs';
import { parse } from 'yaml';
import type { ElasticsearchReference } from '../../../constructs/core/references';
import { PORTS, TRACING_DEFAULTS } from '../../../constructs/tracing/defaults';
import { Jaeger, JAEGER_ES_CLIENT, JaegerProps } from '../../../constructs/tracing/jaeger';
import { validateK8sObjects, verdictLines } from '../../support/k8s-schema';
import { vendorFile } from '../../support/vendor';

/** A hand-made reference, as the logging component will build it from its Elasticsearch. */
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

const BASE: JaegerProps = {
  namespace: 'tracing',
  storage: { kind: 'memory', maxTraces: 20000 },
  resources: { requests: { cpu: '50m', memory: '128Mi' }, limits: { memory: '512Mi' } },
  sampling: { defaultRatio: 0.1 },
  intakeFrom: [{ namespace: 'tracing', podLabels: { 'app.kubernetes.io/name': 'otel-tail-sampler', 'app.kubernetes.io/instance': 'otel-tail-sampler' } }],
  samplingClientNamespaces: ['apps', 'kong'],
  queryFrom: [{ namespace: 'monitoring', podLabels: { 'app.kubernetes.io/name': 'grafana' } }],
  metricsNamespaces: ['monitoring'],
};
const ES_PROPS: Partial<JaegerProps> = { storage: { kind: 'elasticsearch', elasticsearch: ES, retentionDays: 14 }, minReplicas: 2, maxReplicas: 4 };

function build(props: Partial<JaegerProps> = {}) {
  const chart = new Chart(Testing.app(), 'test');
  const jaeger = new Jaeger(chart, 'jaeger', { ...BASE, ...props });
  const objects: any[] = Testing.synth(chart);
  const of = (kind: string, name?: string) => objects.filter((o) => o.kind === kind && (name === undefined || o.metadata.name === name));
  return { jaeger, objects, of, deployment: of('Deployment')[0], container: of('Deployment')[0].spec.template.spec.containers[0] };
}

describe('Jaeger', () => {
  test('every object passes the strict Kubernetes and CRD schemas (memory and Elasticsearch storage)', () => {
    const objects = [...build().objects, ...build(ES_PROPS).objects];
    expect(verdictLines('jaeger', validateK8sObjects(objects))).toEqual([]);
  });

  test('its image follows the pinned jaeger chart of the catalogue (appVersion)', () => {
    const chart = parse(fs.readFileSync(vendorFile('charts/jaeger/Chart.yaml'), 'utf8'));
    expect(TRACING_DEFAULTS.jaegerImage).toBe(`jaegertracing/jaeger:${chart.appVersion}`);
    expect(build().container.image).toBe(TRACING_DEFAULTS.jaegerImage);
    // The index cleaner is the chart's own (esIndexCleaner.image, tag defaulting to the appVersion).
    const values = parse(fs.readFileSync(vendorFile('charts/jaeger/values.yaml'), 'utf8'));
    expect(values.esIndexCleaner.image.tag).toBe('');
    expect(TRACING_DEFAULTS.indexCleanerImage).toBe(`${values.esIndexCleaner.image.repository}:${chart.appVersion}`);
  });

  test('its configuration and strategies are readable files of a ConfigMap, mounted where --config points', () => {
    const { of, container, jaeger } = build();
    const cm = of('ConfigMap', 'jaeger-config')[0];
    expect(parse(cm.data['config.yaml'])).toEqual(jaeger.config);
    expect(JSON.parse(cm.data['sampling-strategies.json'])).toEqual(jaeger.strategies);
    expect(container.args).toEqual(['--config', '/etc/jaeger/config.yaml']);
    expect(container.volumeMounts).toContainEqual({ name: 'config', mountPath: '/etc/jaeger', readOnly: true });
    expect((jaeger.config as any).extensions.remote_sampling.file.path).toBe('/etc/jaeger/sampling-strategies.json');
  });

  test('a configuration change rolls the pods (checksum annotation)', () => {
    const a = build().deployment.spec.template.metadata.annotations['checksum/config'];
    const b = build({ sampling: { defaultRatio: 0.2 } }).deployment.spec.template.metadata.annotations['checksum/config'];
    expect(a).not.toBe(b);
  });

  test('memory storage: one pod (HPA 1..1, Recreate), no PDB, no Elasticsearch client', () => {
    const { of, deployment, jaeger } = build();
    expect(deployment.spec).not.toHaveProperty('replicas');
    expect(deployment.spec.strategy).toEqual({ type: 'Recreate' });
    expect(of('HorizontalPodAutoscaler')[0].spec).toMatchObject({ minReplicas: 1, maxReplicas: 1 });
    expect(of('PodDisruptionBudget')).toEqual([]);
    expect(jaeger.elasticsearchClient).toBeUndefined();
  });

  test('Elasticsearch storage: autoscaled with a PDB and zone spread; URL, CA and credentials by reference', () => {
    const { of, deployment, container, jaeger } = build(ES_PROPS);
    expect(deployment.spec).not.toHaveProperty('strategy');
    expect(of('HorizontalPodAutoscaler')[0].spec).toMatchObject({ minReplicas: 2, maxReplicas: 4, scaleTargetRef: { kind: 'Deployment', name: 'jaeger' } });
    expect(of('PodDisruptionBudget')[0].spec).toEqual({ maxUnavailable: 1, selector: { matchLabels: deployment.spec.selector.matchLabels } });
    expect(deployment.spec.template.spec.topologySpreadConstraints.map((t: any) => t.topologyKey)).toEqual(['topology.kubernetes.io/zone', 'kubernetes.io/hostname']);
    const volumes = deployment.spec.template.spec.volumes;
    expect(volumes).toContainEqual({ name: 'es-ca', secret: { secretName: ES.caSecretName, items: [{ key: 'ca.crt', path: 'ca.crt' }] } });
    expect(volumes).toContainEqual({ name: 'es-credentials', secret: { secretName: 'logging-es-client-jaeger', items: [{ key: 'password', path: 'password' }] } });
    expect(container.env).toEqual([{ name: 'ES_USERNAME', valueFrom: { secretKeyRef: { name: 'logging-es-client-jaeger', key: 'username' } } }]);
    const backend = (jaeger.config as any).extensions.jaeger_storage.backends.primary.elasticsearch;
    expect(backend.server_urls).toEqual([ES.url]);
    expect(backend.tls.ca_file).toBe('/etc/jaeger/es-ca/ca.crt');
    expect(backend.auth.basic.password_file).toBe('/etc/jaeger/es-credentials/password');
  });

  test('Elasticsearch storage publishes the client request: jaeger, its namespace, its index pattern, least privileges', () => {
    expect(build({ ...ES_PROPS, storage: { kind: 'elasticsearch', elasticsearch: ES, retentionDays: 7, indexPrefix: 'traces' } }).jaeger.elasticsearchClient).toEqual({
      name: JAEGER_ES_CLIENT,
      namespace: 'tracing',
      indexPatterns: ['traces-jaeger-*'],
      indexPrivileges: ['create_index', 'create_doc', 'write', 'read', 'view_index_metadata', 'delete_index'],
      clusterPrivileges: ['monitor', 'manage_index_templates'],
    });
  });

  test('retention: a daily index cleaner deletes indices older than retentionDays, with its own labels', () => {
    const { of, deployment } = build({ ...ES_PROPS, storage: { kind: 'elasticsearch', elasticsearch: ES, retentionDays: 14, indexPrefix: 'traces' } });
    const cron = of('CronJob')[0];
    const c = cron.spec.jobTemplate.spec.template.spec.containers[0];
    expect(c.args).toEqual(['14', ES.url]);
    expect(c.env).toContainEqual({ name: 'INDEX_PREFIX', value: 'traces' });
    expect(c.env).toContainEqual({ name: 'ES_PASSWORD', valueFrom: { secretKeyRef: { name: 'logging-es-client-jaeger', key: 'password' } } });
    const podLabels = cron.spec.jobTemplate.spec.template.metadata.labels;
    const selects = Object.entries(deployment.spec.selector.matchLabels).every(([k, v]) => podLabels[k] === v);
    expect(selects).toBe(false);
  });

  test('Services: OTLP and remote sampling on the collector, UI and API on query, metrics headless', () => {
    const { of, jaeger } = build();
    const ports = (name: string) => of('Service', name)[0].spec.ports.map((p: any) => [p.name, p.port]);
    expect(ports('jaeger-collector')).toEqual([['otlp-grpc', 4317], ['otlp-http', 4318], ['sampling-http', 5778], ['sampling-grpc', 5779]]);
    expect(ports('jaeger-query')).toEqual([['query-http', 16686], ['query-grpc', 16685]]);
    expect(of('Service', 'jaeger-metrics')[0].spec.clusterIP).toBe('None');
    expect(jaeger.endpoints).toMatchObject({
      otlpGrpcHostPort: 'jaeger-collector.tracing.svc.cluster.local:4317',
      samplingGrpcEndpoint: 'http://jaeger-collector.tracing.svc.cluster.local:5779',
      queryUrl: 'http://jaeger-query.tracing.svc.cluster.local:16686',
    });
  });

  test('NetworkPolicy admits exactly: the intake from the tail sampler, sampling from apps and kong, query from Grafana, metrics from monitoring', () => {
    const policy = build().of('NetworkPolicy')[0];
    const rules = policy.spec.ingress.map((r: any) => ({
      from: r.from.map((f: any) => `${f.namespaceSelector.matchLabels['kubernetes.io/metadata.name']}${f.podSelector ? `/${Object.values(f.podSelector.matchLabels).join(',')}` : ''}`),
      ports: r.ports.map((p: any) => p.port),
    }));
    expect(rules).toEqual([
      { from: ['tracing/otel-tail-sampler,otel-tail-sampler'], ports: [PORTS.otlpGrpc, PORTS.otlpHttp] },
      { from: ['apps', 'kong'], ports: [PORTS.samplingHttp, PORTS.samplingGrpc] },
      { from: ['monitoring/grafana'], ports: [PORTS.queryHttp, PORTS.queryGrpc] },
      { from: ['monitoring'], ports: [PORTS.metrics] },
    ]);
  });

  test('with no peers the NetworkPolicy admits nothing (no empty ingress list the API server would drop)', () => {
    const policy = build({ intakeFrom: undefined, samplingClientNamespaces: undefined, queryFrom: undefined, metricsNamespaces: undefined }).of('NetworkPolicy')[0];
    expect(policy.spec).not.toHaveProperty('ingress');
  });

  test('runs restricted: non-root, read-only root, no privilege escalation, capabilities dropped, no API token', () => {
    const { deployment, container } = build();
    expect(deployment.spec.template.spec.automountServiceAccountToken).toBe(false);
    expect(container.securityContext).toMatchObject({ runAsNonRoot: true, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
  });

  test.each([
    ['memory storage with more than one pod', { maxReplicas: 2 }, "'maxReplicas' (2) must be 1 with memory storage: each pod would keep (and show) a different part of the traces"],
    ['no memory limit', { resources: { requests: { cpu: '50m', memory: '128Mi' } } }, "'resources.limits.memory' (undefined) must be set: the memory limiter works from it"],
    ['a sampling ratio above 1', { sampling: { defaultRatio: 1.5 } }, "'sampling.defaultRatio' (1.5) must be a number from 0 to 1"],
    [
      'an override for an unknown service',
      { sampling: { defaultRatio: 0.1, services: [{ service: 'nope', strategy: { kind: 'probabilistic', ratio: 1 } }] }, knownServices: ['api'] },
      "'sampling.services[0].service' ('nope') is not an app of this environment; known apps: api",
    ],
    ['a retention of zero', { ...ES_PROPS, storage: { kind: 'elasticsearch', elasticsearch: ES, retentionDays: 0 } }, "'storage.retentionDays' (0) must be an integer from 1 to 3650"],
    ['an unpinned image', { image: 'jaegertracing/jaeger:latest' }, "'image' ('jaegertracing/jaeger:latest') must be pinned"],
  ])('fails on %s', (_what, props, message) => {
    expect(() => build(props as Partial<JaegerProps>)).toThrow(`[test/jaeger] ${message}`);
  });
});
