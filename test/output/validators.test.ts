import { Size, Testing } from 'cdk8s';
import { ConfigMap } from 'cdk8s-plus-27/lib/config-map';
import { Cpu } from 'cdk8s-plus-27/lib/container';
import { Deployment } from 'cdk8s-plus-27/lib/deployment';
import { HorizontalPodAutoscaler, Metric, MetricTarget } from 'cdk8s-plus-27/lib/horizontal-pod-autoscaler';
import { KubeNetworkPolicy, KubePodDisruptionBudget, IntOrString } from 'cdk8s-plus-27/lib/imports/k8s';
import { Probe } from 'cdk8s-plus-27/lib/probe';
import { ServiceAccount } from 'cdk8s-plus-27/lib/service-account';
import { StatefulSet } from 'cdk8s-plus-27/lib/stateful-set';
import { Service } from 'cdk8s-plus-27/lib/service';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { stringify } from 'yaml';
import { appearsAsComment, findUnknownKeys, helmReleases, keyPath, loadChartDefaults, splitSetName } from '../support/helm-values';
import { SchemaVerdict, VENDORED_CRDS, validateK8sObjects } from '../support/k8s-schema';

/**
 * Unit tests of the output checkers themselves (k8s-validate.mjs through k8s-schema.ts, and helm-values.ts): each
 * must reject what the API server or Helm would reject or ignore, with a clear message, and accept valid input.
 * All Kubernetes cases go through one validator process (it is spawned once, in beforeAll).
 */
function deployment(patch: (d: any) => void = () => undefined): any {
  const d: any = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'apps', labels: { 'app.kubernetes.io/name': 'web', anything: 'goes' } },
    spec: {
      selector: { matchLabels: { 'app.kubernetes.io/name': 'web' } },
      template: {
        metadata: { labels: { 'app.kubernetes.io/name': 'web' } },
        spec: {
          containers: [
            {
              name: 'web',
              image: 'nginx:1.27.3',
              ports: [{ containerPort: 8080, name: 'http' }],
              resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '256Mi' } },
            },
          ],
        },
      },
    },
  };
  patch(d);
  return d;
}

/** Real objects written by cdk8s-plus-27, the library the charts use. */
function cdk8sPlusObjects(): any[] {
  const chart = Testing.chart();
  const resources = { cpu: { request: Cpu.millis(100) }, memory: { request: Size.mebibytes(128), limit: Size.mebibytes(256) } };
  const web = new Deployment(chart, 'web', {
    containers: [
      {
        image: 'nginx:1.27.3',
        portNumber: 8080,
        resources,
        liveness: Probe.fromHttpGet('/healthz'),
        readiness: Probe.fromTcpSocket(),
        envVariables: {},
      },
    ],
  });
  web.exposeViaService({ name: 'web' });
  new HorizontalPodAutoscaler(chart, 'hpa', {
    target: web,
    maxReplicas: 5,
    metrics: [Metric.resourceCpu(MetricTarget.averageUtilization(70))],
  });
  new KubePodDisruptionBudget(chart, 'pdb', {
    spec: { minAvailable: IntOrString.fromNumber(1), selector: { matchLabels: { app: 'web' } } },
  });
  new KubeNetworkPolicy(chart, 'np', {
    spec: { podSelector: {}, policyTypes: ['Ingress'], ingress: [{ ports: [{ port: IntOrString.fromString('http') }] }] },
  });
  new ConfigMap(chart, 'cm', { data: { 'redis.conf': 'maxmemory 100mb\n' } });
  const sa = new ServiceAccount(chart, 'sa', { automountToken: false });
  const headless = new Service(chart, 'redis-headless', { clusterIP: 'None', ports: [{ port: 6379 }] });
  new StatefulSet(chart, 'redis', {
    service: headless,
    serviceAccount: sa,
    containers: [{ image: 'redis:7.4.2', portNumber: 6379, resources }],
  });
  return chart.toJson();
}

function serviceMonitor(patch: (o: any) => void = () => undefined): any {
  const o: any = {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'ServiceMonitor',
    metadata: { name: 'web', namespace: 'apps', labels: { release: 'kube-prometheus-stack' } },
    spec: { selector: { matchLabels: { app: 'web' } }, endpoints: [{ port: 'http', interval: '30s', path: '/metrics' }] },
  };
  patch(o);
  return o;
}

/** A CRD exercising the structural rules: preserve-unknown-fields, free-form maps, allOf branches, cluster scope. */
const WIDGET_CRD = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'widgets.test.example.com' },
  spec: {
    group: 'test.example.com',
    names: { kind: 'Widget', plural: 'widgets' },
    scope: 'Cluster',
    versions: [
      { name: 'v1alpha1', served: false, storage: false, schema: { openAPIV3Schema: { type: 'object' } } },
      {
        name: 'v1',
        served: true,
        storage: true,
        schema: {
          openAPIV3Schema: {
            type: 'object',
            properties: {
              apiVersion: { type: 'string' },
              kind: { type: 'string' },
              metadata: { type: 'object' },
              spec: {
                type: 'object',
                required: ['size'],
                properties: {
                  size: { type: 'integer', minimum: 1 },
                  every: { type: 'string', format: 'duration' },
                  template: {
                    type: 'object',
                    'x-kubernetes-embedded-resource': true,
                    properties: { spec: { type: 'object', properties: { replicas: { type: 'integer' } } } },
                  },
                  config: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
                  tags: { type: 'object', additionalProperties: { type: 'string' } },
                  target: {
                    type: 'object',
                    properties: { name: { type: 'string' }, port: { type: 'integer' } },
                    allOf: [{ properties: { name: { minLength: 1 } } }],
                  },
                },
              },
            },
          },
        },
      },
    ],
  },
};

function widget(spec: any, metadata: any = { name: 'w' }): any {
  return { apiVersion: 'test.example.com/v1', kind: 'Widget', metadata, spec };
}

const CASES: Record<string, any> = {
  validDeployment: deployment(),
  topLevelUnknown: deployment((d) => (d.spek = {})),
  deepUnknown: deployment((d) => (d.spec.template.spec.containers[0].imagePullPolicyy = 'Always')),
  unknownInMetadata: deployment((d) => (d.spec.template.metadata.labelz = { a: 'b' })),
  wrongType: deployment((d) => (d.spec.replicas = '3')),
  wrongTypeInMap: deployment((d) => (d.metadata.labels.tier = 3)),
  badEnum: deployment((d) => (d.spec.template.spec.containers[0].imagePullPolicy = 'Sometimes')),
  badQuantity: deployment((d) => (d.spec.template.spec.containers[0].resources.limits.memory = 'lots')),
  missingSelector: deployment((d) => delete d.spec.selector),
  missingContainerName: deployment((d) => delete d.spec.template.spec.containers[0].name),
  hpaV1FieldInV2: {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: 'web' },
    spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, maxReplicas: 3, targetCPUUtilizationPercentage: 70 },
  },
  betaPdb: {
    apiVersion: 'policy/v1beta1',
    kind: 'PodDisruptionBudget',
    metadata: { name: 'web' },
    spec: { minAvailable: 1, selector: { matchLabels: { app: 'web' } } },
  },
  unknownKind: { apiVersion: 'apps/v1', kind: 'Deploymnt', metadata: { name: 'x' } },
  unknownGroup: { apiVersion: 'example.com/v1', kind: 'Gadget', metadata: { name: 'x' } },
  validServiceMonitor: serviceMonitor(),
  crUnknownField: serviceMonitor((o) => (o.spec.endpoints[0].scrapeIntervall = '10s')),
  crWrongType: serviceMonitor((o) => (o.spec.endpoints[0].interval = 30)),
  crBadMetadata: serviceMonitor((o) => {
    o.metadata.labelz = {};
    o.metadata.labels.team = 7;
  }),
  crUnservedVersion: serviceMonitor((o) => (o.apiVersion = 'monitoring.coreos.com/v2')),
  validPrometheusRule: {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'PrometheusRule',
    metadata: { name: 'rules', namespace: 'monitoring' },
    spec: { groups: [{ name: 'g', rules: [{ alert: 'Down', expr: 'up == 0', for: '5m', labels: { severity: 'page' } }] }] },
  },
  widgetValid: widget({
    size: 2,
    every: '1h30m',
    template: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { replicas: 1 } },
    config: { any: { nested: ['thing'] } },
    tags: { a: 'b' },
    target: { name: 'a', port: 80 },
  }),
  widgetIsoDuration: widget({ size: 1, every: 'PT30S' }),
  widgetUnknownInTarget: widget({ size: 2, target: { port: 80, host: 'x' } }),
  widgetMissingSize: widget({}),
  widgetNamespaced: widget({ size: 1 }, { name: 'w', namespace: 'apps' }),
  widgetUnserved: { ...widget({ size: 1 }), apiVersion: 'test.example.com/v1alpha1' },
};

const CDK8S_PLUS = cdk8sPlusObjects();
let verdicts: Record<string, SchemaVerdict>;
let plusVerdicts: SchemaVerdict[];
let crdDir: string;

beforeAll(() => {
  crdDir = fs.mkdtempSync(path.join(os.tmpdir(), 'crd-test-'));
  fs.writeFileSync(path.join(crdDir, 'widgets.yaml'), stringify(WIDGET_CRD));
  const names = Object.keys(CASES);
  const all = validateK8sObjects([...names.map((n) => CASES[n]), ...CDK8S_PLUS], { crdDirs: [VENDORED_CRDS, crdDir] });
  verdicts = Object.fromEntries(names.map((n, i) => [n, all[i]]));
  plusVerdicts = all.slice(names.length);
});

afterAll(() => fs.rmSync(crdDir, { recursive: true, force: true }));

describe('built-in kinds (kubernetes-models + unknown-field detection)', () => {
  test('accepts a valid Deployment, including free-form label maps', () => {
    expect(verdicts.validDeployment).toMatchObject({ route: 'builtin', source: 'kubernetes-models/apps/v1/Deployment', errors: [] });
  });

  test('accepts every kind of object cdk8s-plus writes (Deployment, Service, HPA v2, PDB, NetworkPolicy, ...)', () => {
    expect(plusVerdicts.map((v) => v.kind).sort()).toEqual([
      'ConfigMap', 'Deployment', 'HorizontalPodAutoscaler', 'NetworkPolicy', 'PodDisruptionBudget', 'Service', 'Service',
      'ServiceAccount', 'StatefulSet',
    ]);
    expect(plusVerdicts.filter((v) => v.route !== 'builtin' || v.errors.length > 0)).toEqual([]);
  });

  test('rejects an unknown field at the top level', () => {
    expect(verdicts.topLevelUnknown.errors).toEqual(['unknown field "spek"']);
  });

  test('rejects an unknown field deep inside the pod template', () => {
    expect(verdicts.deepUnknown.errors).toEqual(['unknown field "spec.template.spec.containers[0].imagePullPolicyy"']);
  });

  test('rejects an unknown field inside nested ObjectMeta', () => {
    expect(verdicts.unknownInMetadata.errors).toEqual(['unknown field "spec.template.metadata.labelz"']);
  });

  test('rejects a wrong type', () => {
    expect(verdicts.wrongType.errors).toEqual(['spec.replicas: must be integer']);
  });

  test('rejects a wrong type inside a free-form map', () => {
    expect(verdicts.wrongTypeInMap.errors).toEqual(['metadata.labels.tier: must be string']);
  });

  test('rejects a value outside an enum', () => {
    expect(verdicts.badEnum.errors).toEqual([
      'spec.template.spec.containers[0].imagePullPolicy: must be one of "Always", "IfNotPresent", "Never"',
    ]);
  });

  test('rejects a malformed quantity', () => {
    expect(verdicts.badQuantity.errors).toEqual([
      'spec.template.spec.containers[0].resources.limits.memory: must be number or must match format "quantity"',
    ]);
  });

  test('rejects a missing required field', () => {
    expect(verdicts.missingSelector.errors).toEqual(['missing required field "spec.selector"']);
    expect(verdicts.missingContainerName.errors).toEqual(['missing required field "spec.template.spec.containers[0].name"']);
  });

  test('checks HPA against autoscaling/v2 (a v1-only field is unknown)', () => {
    expect(verdicts.hpaV1FieldInV2.errors).toEqual(['unknown field "spec.targetCPUUtilizationPercentage"']);
  });

  test('fails a built-in alpha/beta API version that clusters no longer serve, naming the GA version', () => {
    expect(verdicts.betaPdb.errors).toEqual([
      'apiVersion "policy/v1beta1": built-in alpha/beta API versions are removed or disabled by default in current Kubernetes; use policy/v1',
    ]);
  });

  test.each(['unknownKind', 'unknownGroup'])('fails an object with no schema (%s) and says how to add one', (name) => {
    const v = verdicts[name];
    expect(v.route).toBe('none');
    expect(v.errors).toHaveLength(1);
    expect(v.errors[0]).toMatch(
      new RegExp(`^no schema for apiVersion "${v.apiVersion}" kind "${v.kind}": it is neither a built-in kind of kubernetes-models nor defined by a CRD in `),
    );
    expect(v.errors[0]).toContain("vendor the CRD's YAML");
  });
});

describe('custom resources (CRD openAPIV3Schema, structural-strict)', () => {
  test('accepts valid custom resources', () => {
    expect(verdicts.validServiceMonitor).toMatchObject({
      route: 'crd',
      source: 'CRD servicemonitors.monitoring.coreos.com (crd-servicemonitors.yaml) v1',
      errors: [],
    });
    expect(verdicts.validPrometheusRule).toMatchObject({ route: 'crd', errors: [] });
    expect(verdicts.widgetValid).toMatchObject({ route: 'crd', errors: [] });
  });

  test('rejects an unknown field', () => {
    expect(verdicts.crUnknownField.errors).toEqual(['unknown field "spec.endpoints[0].scrapeIntervall"']);
  });

  test('rejects a wrong type', () => {
    expect(verdicts.crWrongType.errors).toEqual(['spec.endpoints[0].interval: must be string']);
  });

  test('checks metadata against ObjectMeta', () => {
    expect(verdicts.crBadMetadata.errors).toEqual(['metadata.labels.team: must be string', 'unknown field "metadata.labelz"']);
  });

  test('rejects a version the CRD does not serve', () => {
    expect(verdicts.crUnservedVersion.errors).toEqual([
      'version v2 is not served by CRD servicemonitors.monitoring.coreos.com (crd-servicemonitors.yaml); served: v1',
    ]);
    expect(verdicts.widgetUnserved.errors).toEqual(['version v1alpha1 is not served by CRD widgets.test.example.com (widgets.yaml); served: v1']);
  });

  test('an allOf branch does not make its parent stricter, while the parent itself is strict', () => {
    expect(verdicts.widgetUnknownInTarget.errors).toEqual(['unknown field "spec.target.host"']);
  });

  test('reads format duration as a Go duration, as the API server does', () => {
    expect(verdicts.widgetIsoDuration.errors).toEqual(['spec.every: must match format "duration"']);
  });

  test('rejects a missing required field and a namespace on a cluster-scoped resource', () => {
    expect(verdicts.widgetMissingSize.errors).toEqual(['missing required field "spec.size"']);
    expect(verdicts.widgetNamespaced.errors).toEqual(['metadata.namespace: must be absent, Widget is cluster-scoped']);
  });
});

describe('Helm values key walker', () => {
  const defaults = {
    image: { repository: 'x', tag: '' },
    podAnnotations: {},
    affinity: null,
    extraArgs: [],
    replicas: 1,
    server: { config: { retention: '10d' } },
  };

  test('accepts keys that exist, anything under {} or null, and does not descend into lists', () => {
    const values = {
      image: { tag: '1.0' },
      podAnnotations: { 'prometheus.io/scrape': 'true', deep: { any: 1 } },
      affinity: { podAntiAffinity: {} },
      extraArgs: [{ notChecked: true }],
      server: { config: { retention: '30d' } },
    };
    expect(findUnknownKeys(values, defaults)).toEqual([]);
  });

  test('rejects an unknown key, at any depth, with its path', () => {
    const values = { imagee: {}, image: { tagg: '1.0' }, server: { config: { retentionn: '1d' } } };
    expect(findUnknownKeys(values, defaults, { defaultsName: 'demo values.yaml' }).map((p) => p.problem)).toEqual([
      'unknown key "image.tagg": not in demo values.yaml',
      'unknown key "imagee": not in demo values.yaml',
      'unknown key "server.config.retentionn": not in demo values.yaml',
    ]);
  });

  test('rejects a map set where the default is a scalar or a list', () => {
    expect(findUnknownKeys({ replicas: { min: 1 }, extraArgs: { a: 1 } }, defaults).map((p) => p.problem)).toEqual([
      '"extraArgs" is set to a map, but in the chart defaults it is a list',
      '"replicas" is set to a map, but in the chart defaults it is a number (1)',
    ]);
  });

  test('skips allow-listed paths and everything under them', () => {
    const values = { image: { digest: { sha: 'x' } } };
    expect(findUnknownKeys(values, defaults, { allowed: (p) => p === 'image.digest' })).toEqual([]);
  });

  test('writes key paths readably and splits helm set names', () => {
    expect(keyPath(['podAnnotations', 'prometheus.io/scrape'])).toBe('podAnnotations["prometheus.io/scrape"]');
    expect(splitSetName('controller.podAnnotations.prometheus\\.io/scrape')).toEqual(['controller', 'podAnnotations', 'prometheus.io/scrape']);
    expect(splitSetName('args[0]')).toEqual(['args']);
  });

  test('reads values documents and set entries of helm_release resources', () => {
    const tf = {
      resource: {
        helm_release: {
          r: { name: 'r', chart: 'c', version: '1.0.0', values: ['a:\n  b: 1\n', 'a:\n  c: 2\n'], set: [{ name: 'd.e', value: 'x' }] },
        },
      },
    };
    expect(helmReleases('s', tf)[0].values).toEqual({ a: { b: 1, c: 2 }, d: { e: '(set)' } });
  });

  test('checks sub-chart keys against the vendored sub-chart defaults (kube-prometheus-stack grafana.*)', () => {
    const kps = loadChartDefaults('kube-prometheus-stack');
    expect(kps.subcharts.map((s) => [s.key, s.values !== undefined])).toEqual([
      ['crds', false],
      ['kube-state-metrics', true],
      ['prometheus-node-exporter', true],
      ['grafana', true],
      ['prometheus-windows-exporter', false],
    ]);
    const values = { grafana: { enabled: true, persistence: { enabled: true }, persistance: {} } };
    expect(findUnknownKeys(values, kps.effective).map((p) => p.path)).toEqual(['grafana.persistance']);
  });

  test('checks aliased sub-charts (ingress controller.* and gateway.* are kong 3.2.0)', () => {
    const ingress = loadChartDefaults('ingress');
    const values = { controller: { ingressController: { enabled: true } }, gateway: { proxy: { type: 'LoadBalancer' }, proxyy: {} } };
    expect(findUnknownKeys(values, ingress.effective).map((p) => p.path)).toEqual(['gateway.proxyy']);
  });

  test('finds keys that appear only as comments', () => {
    expect(appearsAsComment(['a: 1\n  # someKey: true\n'], 'someKey')).toBe(true);
    expect(appearsAsComment(['a: 1\n  someKey: true\n# other text someKey\n'], 'someKey')).toBe(false);
  });
});
