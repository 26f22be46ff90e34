import { App, Testing } from 'cdk8s';
import { AppsChart, appServiceProps, GATEWAY_NAMESPACE } from '../../charts/apps-chart';
import { buildCharts } from '../../charts';
import { TracingChart } from '../../charts/tracing-chart';
import { environments, EnvironmentConfig, loadEnvironments } from '../../config';
import { NAMESPACES } from '../../config/namespaces';
import { PROMETHEUS_SELECTOR_LABELS } from '../../constructs/core/labels';
import { APP_DEFAULTS } from '../../constructs/workload/defaults';
import { objectLabel, validateK8sObjects } from '../support/k8s-schema';

const ENVS = loadEnvironments(environments);
const envNamed = (name: string): EnvironmentConfig => ENVS.find((e) => e.name === name)!;

/** Every object the apps chart of `env` synthesises. */
function synthApps(env: EnvironmentConfig): any[] {
  const app = Testing.app();
  return Testing.synth(new AppsChart(app, 'apps', env, new TracingChart(app, 'tracing', env).appTracing));
}

const ofKind = (objects: any[], kind: string) => objects.filter((o) => o.kind === kind);
const selects = (selector: Record<string, string>, labels: Record<string, string>) => Object.entries(selector).every(([k, v]) => labels[k] === v);

describe('apps chart registration', () => {
  test('buildCharts renders the catalogue as the `apps` manifest (dist/k8s/<env>/apps.k8s.yaml)', () => {
    const charts = buildCharts(new App(), envNamed('dev'));
    expect(charts.filter((c) => c.node.id === 'apps')).toHaveLength(1);
    expect(charts.find((c) => c.node.id === 'apps')).toBeInstanceOf(AppsChart);
  });

  test('maps config to props: apps namespace, gateway and monitoring namespaces, telemetry from the tracing component', () => {
    const prod = envNamed('prod');
    const tracing = new TracingChart(new App(), 'tracing', prod).appTracing;
    const props = appServiceProps(prod.apps[0], prod, tracing);
    expect(props).toMatchObject({
      name: 'api',
      namespace: NAMESPACES.apps.name,
      gatewayNamespace: GATEWAY_NAMESPACE,
      monitoringNamespace: NAMESPACES.monitoring.name,
      telemetry: {
        otlpEndpoint: tracing.otlp.grpcEndpoint,
        samplingRatio: prod.tracing.sampling.defaultRatio,
        remoteSampler: { endpoint: tracing.samplingEndpoint },
        deploymentEnvironment: 'prod',
      },
    });
  });

  test('without a tracing component the apps get no exporter (their SDK is disabled)', () => {
    const prod = envNamed('prod');
    expect(appServiceProps(prod.apps[0], prod).telemetry).toBeUndefined();
  });
});

describe.each(ENVS.map((e) => [e.name, e] as const))('%s apps', (envName, env) => {
  const objects = synthApps(env);
  const deployments = ofKind(objects, 'Deployment');

  test('has one Deployment per catalogue entry, all in the apps namespace, labelled with the environment', () => {
    expect(deployments.map((d) => d.metadata.name)).toEqual(env.apps.map((a) => a.name));
    for (const obj of objects) {
      expect(obj.metadata.namespace).toBe('apps');
      expect(obj.metadata.labels['platform.example.com/environment']).toBe(envName);
    }
  });

  test('every Deployment has exactly one HPA targeting it, and no fixed replica count', () => {
    const hpas = ofKind(objects, 'HorizontalPodAutoscaler');
    for (const d of deployments) {
      expect(d.spec).not.toHaveProperty('replicas');
      const targeting = hpas.filter((h) => h.spec.scaleTargetRef.kind === 'Deployment' && h.spec.scaleTargetRef.name === d.metadata.name);
      expect(targeting).toHaveLength(1);
      const app = env.apps.find((a) => a.name === d.metadata.name)!;
      expect(targeting[0].apiVersion).toBe('autoscaling/v2');
      expect([targeting[0].spec.minReplicas, targeting[0].spec.maxReplicas]).toEqual([app.minReplicas, app.maxReplicas]);
    }
    expect(hpas).toHaveLength(deployments.length);
  });

  test('every workload has a PodDisruptionBudget selecting its pods', () => {
    const pdbs = ofKind(objects, 'PodDisruptionBudget');
    for (const d of deployments) {
      const covering = pdbs.filter((p) => selects(p.spec.selector.matchLabels, d.spec.template.metadata.labels));
      expect(covering).toHaveLength(1);
    }
  });

  test('every container has probes, CPU and memory requests, a memory limit and the restricted security context', () => {
    for (const d of deployments) {
      const pod = d.spec.template.spec;
      expect(pod.automountServiceAccountToken).toBe(false);
      expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
      expect(pod.securityContext.runAsUser).toBeGreaterThan(0);
      expect(pod.topologySpreadConstraints.map((c: any) => c.topologyKey)).toEqual(['topology.kubernetes.io/zone', 'kubernetes.io/hostname']);
      for (const c of pod.containers) {
        expect(c.image).not.toMatch(/:latest$/);
        for (const probe of ['livenessProbe', 'readinessProbe', 'startupProbe']) expect(c[probe]?.httpGet?.path).toMatch(/^\//);
        expect(c.resources.requests).toEqual({ cpu: expect.any(String), memory: expect.any(String) });
        expect(c.resources.limits.memory).toEqual(expect.any(String));
        expect(c.securityContext).toMatchObject({
          runAsNonRoot: true,
          readOnlyRootFilesystem: true,
          allowPrivilegeEscalation: false,
          privileged: false,
          capabilities: { drop: ['ALL'] },
        });
        expect(c.lifecycle.preStop.sleep.seconds).toBeLessThan(pod.terminationGracePeriodSeconds);
      }
    }
  });

  test('every app has a Service, and a ServiceMonitor the monitoring stack selects', () => {
    for (const d of deployments) {
      const name = d.metadata.name;
      const service = ofKind(objects, 'Service').find((s) => s.metadata.name === name);
      expect(selects(service.spec.selector, d.spec.template.metadata.labels)).toBe(true);
      const sm = ofKind(objects, 'ServiceMonitor').find((s) => s.metadata.name === name);
      expect(sm.metadata.labels).toMatchObject(PROMETHEUS_SELECTOR_LABELS);
      expect(selects(sm.spec.selector.matchLabels, service.metadata.labels)).toBe(true);
      expect(service.spec.ports.map((p: any) => p.name)).toContain(sm.spec.endpoints[0].port);
    }
  });

  test('each NetworkPolicy admits exactly what the app declares: monitoring to metrics, the gateway and named peers to the app port', () => {
    for (const app of env.apps) {
      const np = ofKind(objects, 'NetworkPolicy').find((n) => n.metadata.name === app.name);
      const sources = np.spec.ingress.flatMap((rule: any) =>
        rule.from.map((peer: any) => ({
          from: peer.namespaceSelector?.matchLabels['kubernetes.io/metadata.name'] ?? `app:${peer.podSelector.matchLabels['app.kubernetes.io/name']}`,
          ports: rule.ports.map((p: any) => p.port),
        })),
      );
      // The ports the app's config gives, else AppService's defaults: the NetworkPolicy follows the app, not 8080.
      const appPort = app.port ?? APP_DEFAULTS.port;
      const metricsPort = app.metricsPort ?? APP_DEFAULTS.metricsPort;
      const expected = [
        { from: NAMESPACES.monitoring.name, ports: [metricsPort] },
        ...(app.allowFrom?.gateway ? [{ from: GATEWAY_NAMESPACE, ports: [appPort] }] : []),
        ...[...(app.allowFrom?.apps ?? [])].sort().map((peer) => ({ from: `app:${peer}`, ports: [appPort] })),
      ];
      expect(sources).toEqual(expected);
    }
  });

  test("points OpenTelemetry at the tracing component's intake and Jaeger's remote sampler, and names the environment", () => {
    const tracing = new TracingChart(new App(), 'tracing', env).appTracing;
    for (const d of deployments) {
      const env_ = Object.fromEntries(d.spec.template.spec.containers[0].env.filter((e: any) => 'value' in e).map((e: any) => [e.name, e.value]));
      expect(env_.OTEL_EXPORTER_OTLP_ENDPOINT).toBe(tracing.otlp.grpcEndpoint);
      expect(env_.OTEL_TRACES_SAMPLER).toBe('parentbased_jaeger_remote');
      expect(env_.OTEL_TRACES_SAMPLER_ARG).toBe(`endpoint=${tracing.samplingEndpoint},pollingIntervalMs=60000,initialSamplingRate=${env.tracing.sampling.defaultRatio}`);
      expect(env_.OTEL_RESOURCE_ATTRIBUTES).toContain(`deployment.environment.name=${envName}`);
    }
  });

  test('carries Secrets by reference only: no Secret objects, every secret variable a secretKeyRef', () => {
    expect(ofKind(objects, 'Secret')).toEqual([]);
    for (const d of deployments) {
      const app = env.apps.find((a) => a.name === d.metadata.name)!;
      const fromSecrets = d.spec.template.spec.containers[0].env.filter((e: any) => e.valueFrom?.secretKeyRef);
      expect(fromSecrets.map((e: any) => e.name)).toEqual([...(app.secretEnv ?? []).map((v) => v.name), ...(app.redis ? ['REDIS_PASSWORD'] : [])]);
      for (const e of fromSecrets) expect(e).not.toHaveProperty('value');
    }
  });

  test('apps with redis: true get redis-connection (envFrom) and REDIS_PASSWORD from the client Secret; the others neither', () => {
    // Both branches below run: the registry has apps with and without Redis (whatever their names and number).
    const users = env.apps.filter((a) => a.redis).map((a) => a.name);
    expect(users.length).toBeGreaterThan(0);
    expect(users.length).toBeLessThan(env.apps.length);
    for (const d of deployments) {
      const app = env.apps.find((a) => a.name === d.metadata.name)!;
      const c = d.spec.template.spec.containers[0];
      const fromConfigMaps = (c.envFrom ?? []).map((e: any) => e.configMapRef.name);
      const password = c.env.filter((e: any) => e.name === 'REDIS_PASSWORD');
      if (app.redis) {
        expect(fromConfigMaps).toEqual([...(app.configMaps ?? []), 'redis-connection']);
        expect(password).toEqual([{ name: 'REDIS_PASSWORD', valueFrom: { secretKeyRef: { name: 'redis-client', key: 'password', optional: false } } }]);
      } else {
        expect(fromConfigMaps).not.toContain('redis-connection');
        expect(password).toEqual([]);
      }
    }
  });

  test('passes the strict schema harness (kubernetes-models and the vendored ServiceMonitor CRD)', () => {
    const problems = validateK8sObjects(objects).flatMap((v) => [
      ...(v.route === 'none' ? [`${objectLabel(v)}: no schema`] : []),
      ...v.errors.map((e) => `${objectLabel(v)}: ${e}`),
    ]);
    expect(problems).toEqual([]);
  });
});

test('REDIS_PASSWORD follows redis.clientSecret (name and key), in managed and in-cluster modes', () => {
  for (const name of ['dev', 'prod']) {
    const base = envNamed(name);
    const env = { ...base, redis: { ...base.redis, clientSecret: { name: 'cache-auth', key: 'token' } } } as EnvironmentConfig;
    const api = synthApps(env).find((o) => o.kind === 'Deployment' && o.metadata.name === 'api');
    expect(api.spec.template.spec.containers[0].env.find((e: any) => e.name === 'REDIS_PASSWORD')).toEqual({
      name: 'REDIS_PASSWORD',
      valueFrom: { secretKeyRef: { name: 'cache-auth', key: 'token', optional: false } },
    });
  }
});

test('an app without redis keeps its own configMaps and secretEnv untouched (props are not padded)', () => {
  const dev = envNamed('dev');
  const payments = dev.apps.find((a) => a.name === 'payments')!;
  const props = appServiceProps(payments, dev);
  expect(props.configMaps).toEqual(['payments-config']);
  expect(props.secretEnv).toEqual(payments.secretEnv);
  expect(props).not.toHaveProperty('redis');
});

test('prod requires zone spread for the request path and keeps at least 2 pods per app', () => {
  const objects = synthApps(envNamed('prod'));
  const zone = (name: string) =>
    ofKind(objects, 'Deployment').find((d) => d.metadata.name === name).spec.template.spec.topologySpreadConstraints[0].whenUnsatisfiable;
  expect([zone('api'), zone('payments')]).toEqual(['DoNotSchedule', 'DoNotSchedule']);
  for (const hpa of ofKind(objects, 'HorizontalPodAutoscaler')) expect(hpa.spec.minReplicas).toBeGreaterThanOrEqual(2);
});
