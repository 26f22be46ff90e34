import { Chart, Testing } from 'cdk8s';
import { AppService, AppServiceProps } from '../../../constructs/workload/app-service';

const BASE: AppServiceProps = { name: 'payments', namespace: 'apps', image: 'ghcr.io/example/payments-api:1.4.2' };

/** Synthesises one AppService and returns its objects by kind (each kind appears once). */
function render(extra: Partial<AppServiceProps> = {}): Record<string, any> {
  const chart = new Chart(Testing.app(), 'test', { disableResourceNameHashes: true });
  new AppService(chart, 'app', { ...BASE, ...extra });
  const byKind: Record<string, any> = {};
  for (const obj of Testing.synth(chart)) {
    expect(byKind[obj.kind]).toBeUndefined();
    byKind[obj.kind] = obj;
  }
  return byKind;
}

function container(objects: Record<string, any>): any {
  const containers = objects.Deployment.spec.template.spec.containers;
  expect(containers).toHaveLength(1);
  return containers[0];
}

function envOf(objects: Record<string, any>): Record<string, unknown> {
  return Object.fromEntries(container(objects).env.map((e: any) => [e.name, e.value ?? e.valueFrom]));
}

/** The error message of constructing an AppService with `extra` (fails the test if it does not throw). */
function errorOf(extra: Partial<AppServiceProps> | Record<string, unknown>): string {
  const chart = new Chart(Testing.app(), 'test', { disableResourceNameHashes: true });
  try {
    new AppService(chart, 'app', { ...BASE, ...extra } as AppServiceProps);
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected AppService to throw');
}

describe('AppService defaults', () => {
  const objects = render();

  test('renders exactly one of each object, all named after the app in its namespace', () => {
    expect(Object.keys(objects).sort()).toEqual([
      'Deployment',
      'HorizontalPodAutoscaler',
      'NetworkPolicy',
      'PodDisruptionBudget',
      'Service',
      'ServiceAccount',
      'ServiceMonitor',
    ]);
    for (const obj of Object.values(objects)) {
      expect(obj.metadata.name).toBe('payments');
      expect(obj.metadata.namespace).toBe('apps');
      expect(obj.metadata.labels).toMatchObject({
        'app.kubernetes.io/name': 'payments',
        'app.kubernetes.io/instance': 'payments',
        'app.kubernetes.io/version': '1.4.2',
      });
    }
  });

  test('leaves the replica count to the HPA (autoscaling/v2, 2 to 6 pods, CPU 70 % and memory 80 %)', () => {
    expect(objects.Deployment.spec.replicas).toBeUndefined();
    const hpa = objects.HorizontalPodAutoscaler;
    expect(hpa.apiVersion).toBe('autoscaling/v2');
    expect(hpa.spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'payments' });
    expect(hpa.spec.minReplicas).toBe(2);
    expect(hpa.spec.maxReplicas).toBe(6);
    expect(hpa.spec.metrics).toEqual([
      { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } },
      { type: 'Resource', resource: { name: 'memory', target: { type: 'Utilization', averageUtilization: 80 } } },
    ]);
  });

  test('scales up fast and down slowly', () => {
    expect(objects.HorizontalPodAutoscaler.spec.behavior).toEqual({
      scaleUp: {
        stabilizationWindowSeconds: 0,
        selectPolicy: 'Max',
        policies: [
          { type: 'Pods', value: 4, periodSeconds: 15 },
          { type: 'Percent', value: 100, periodSeconds: 15 },
        ],
      },
      scaleDown: {
        stabilizationWindowSeconds: 300,
        selectPolicy: 'Max',
        policies: [
          { type: 'Pods', value: 1, periodSeconds: 60 },
          { type: 'Percent', value: 10, periodSeconds: 60 },
        ],
      },
    });
  });

  test('selects pods by the stable name labels only, never by construct path', () => {
    const selector = { 'app.kubernetes.io/instance': 'payments', 'app.kubernetes.io/name': 'payments' };
    expect(objects.Deployment.spec.selector).toEqual({ matchLabels: selector });
    expect(objects.Deployment.spec.template.metadata.labels).toEqual({
      ...selector,
      'app.kubernetes.io/component': 'app',
      'app.kubernetes.io/version': '1.4.2',
    });
    expect(objects.Service.spec.selector).toEqual(selector);
    expect(objects.PodDisruptionBudget.spec.selector).toEqual({ matchLabels: selector });
    expect(objects.NetworkPolicy.spec.podSelector).toEqual({ matchLabels: selector });
    expect(JSON.stringify(objects)).not.toContain('cdk8s.io/metadata.addr');
  });

  test('sets requests of 100m CPU and 128Mi memory, a memory limit equal to the request, no CPU limit', () => {
    expect(container(objects).resources).toEqual({ requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '128Mi' } });
  });

  test('probes /livez, /readyz and (startup) /livez on the app port', () => {
    const c = container(objects);
    expect(c.livenessProbe).toEqual({ httpGet: { path: '/livez', port: 8080, scheme: 'HTTP' }, periodSeconds: 10, failureThreshold: 3, timeoutSeconds: 2 });
    expect(c.readinessProbe).toEqual({ httpGet: { path: '/readyz', port: 8080, scheme: 'HTTP' }, periodSeconds: 5, failureThreshold: 3, timeoutSeconds: 2 });
    expect(c.startupProbe).toEqual({ httpGet: { path: '/livez', port: 8080, scheme: 'HTTP' }, periodSeconds: 5, failureThreshold: 12, timeoutSeconds: 2 });
  });

  test('runs restricted: non-root, read-only root, no capabilities, RuntimeDefault seccomp, no token', () => {
    const pod = objects.Deployment.spec.template.spec;
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 10001, runAsGroup: 10001, fsGroup: 10001, seccompProfile: { type: 'RuntimeDefault' } });
    expect(container(objects).securityContext).toEqual({
      allowPrivilegeEscalation: false,
      privileged: false,
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
      runAsUser: 10001,
      runAsGroup: 10001,
      capabilities: { drop: ['ALL'] },
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(pod.serviceAccountName).toBe('payments');
    expect(objects.ServiceAccount.automountServiceAccountToken).toBe(false);
    expect(container(objects).imagePullPolicy).toBe('IfNotPresent');
  });

  test('gives the read-only container a writable /tmp', () => {
    expect(container(objects).volumeMounts).toEqual([{ mountPath: '/tmp', name: 'writable-0' }]);
    expect(objects.Deployment.spec.template.spec.volumes).toEqual([{ name: 'writable-0', emptyDir: {} }]);
  });

  test('spreads pods over zones and nodes, preferred', () => {
    const match = { matchLabels: { 'app.kubernetes.io/instance': 'payments', 'app.kubernetes.io/name': 'payments' } };
    expect(objects.Deployment.spec.template.spec.topologySpreadConstraints).toEqual([
      { topologyKey: 'topology.kubernetes.io/zone', maxSkew: 1, whenUnsatisfiable: 'ScheduleAnyway', labelSelector: match },
      { topologyKey: 'kubernetes.io/hostname', maxSkew: 1, whenUnsatisfiable: 'ScheduleAnyway', labelSelector: match },
    ]);
  });

  test('shuts down gracefully: a 5 s preStop sleep inside a 30 s grace period, rolling with no pod lost', () => {
    expect(container(objects).lifecycle).toEqual({ preStop: { sleep: { seconds: 5 } } });
    expect(objects.Deployment.spec.template.spec.terminationGracePeriodSeconds).toBe(30);
    expect(objects.Deployment.spec.strategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: 0 } });
  });

  test('lets a drain take one pod at a time, and never lets an unhealthy pod block it', () => {
    expect(objects.PodDisruptionBudget.apiVersion).toBe('policy/v1');
    expect(objects.PodDisruptionBudget.spec).toMatchObject({ maxUnavailable: 1, unhealthyPodEvictionPolicy: 'AlwaysAllow' });
  });

  test('exposes the app port as http (80 -> 8080) and the metrics port 9090 on the Service', () => {
    expect(container(objects).ports).toEqual([
      { containerPort: 8080, name: 'http' },
      { containerPort: 9090, name: 'metrics' },
    ]);
    expect(objects.Service.spec.type).toBe('ClusterIP');
    expect(objects.Service.spec.ports).toEqual([
      { name: 'http', port: 80, targetPort: 8080 },
      { name: 'metrics', port: 9090, targetPort: 9090 },
    ]);
  });

  test('has a ServiceMonitor the monitoring stack selects, scraping /metrics on the metrics port', () => {
    const sm = objects.ServiceMonitor;
    expect(sm.apiVersion).toBe('monitoring.coreos.com/v1');
    expect(sm.metadata.labels['platform.example.com/prometheus']).toBe('platform');
    expect(sm.spec).toEqual({
      selector: { matchLabels: { 'app.kubernetes.io/instance': 'payments', 'app.kubernetes.io/name': 'payments' } },
      namespaceSelector: { matchNames: ['apps'] },
      endpoints: [{ port: 'metrics', path: '/metrics', interval: '30s' }],
    });
  });

  test('admits only the monitoring namespace, and only to the metrics port', () => {
    expect(objects.NetworkPolicy.spec.policyTypes).toEqual(['Ingress']);
    expect(objects.NetworkPolicy.spec.ingress).toEqual([
      { from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } }], ports: [{ protocol: 'TCP', port: 9090 }] },
    ]);
  });

  test('names the service for OpenTelemetry and exports nothing without a telemetry endpoint', () => {
    expect(envOf(objects)).toEqual({
      OTEL_SERVICE_NAME: 'payments',
      OTEL_RESOURCE_ATTRIBUTES: 'service.namespace=apps,service.version=1.4.2',
      OTEL_SDK_DISABLED: 'true',
    });
    expect(container(objects).envFrom).toBeUndefined();
  });

  test('exposes connection facts for neighbours', () => {
    const chart = new Chart(Testing.app(), 'test');
    const app = new AppService(chart, 'app', BASE);
    expect([app.host, app.port, app.minReplicas, app.maxReplicas]).toEqual(['payments.apps.svc.cluster.local', 80, 2, 6]);
  });
});

describe('AppService props', () => {
  test('podLabels label the pods only: never the selector, never over the component labels', () => {
    const objects = render({ podLabels: { 'platform.example.com/environment': 'prod', 'app.kubernetes.io/name': 'spoofed' } });
    expect(objects.Deployment.spec.template.metadata.labels).toMatchObject({
      'platform.example.com/environment': 'prod',
      'app.kubernetes.io/name': 'payments',
    });
    expect(objects.Deployment.spec.selector.matchLabels).not.toHaveProperty('platform.example.com/environment');
    expect(objects.PodDisruptionBudget.spec.selector.matchLabels).not.toHaveProperty('platform.example.com/environment');
  });

  test('minReplicas and maxReplicas set the HPA range', () => {
    const hpa = render({ minReplicas: 3, maxReplicas: 12 }).HorizontalPodAutoscaler;
    expect([hpa.spec.minReplicas, hpa.spec.maxReplicas]).toEqual([3, 12]);
  });

  test('maxReplicas defaults to three times minReplicas', () => {
    expect(render({ minReplicas: 1 }).HorizontalPodAutoscaler.spec.maxReplicas).toBe(3);
  });

  test('scaleOn replaces the default metrics, and podsMetric adds a per-pod custom metric', () => {
    const hpa = render({ scaleOn: { cpuUtilizationPercent: 60, podsMetric: { name: 'http_requests_per_second', averageValue: 50 } } }).HorizontalPodAutoscaler;
    expect(hpa.spec.metrics).toEqual([
      { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 60 } } },
      { type: 'Pods', pods: { metric: { name: 'http_requests_per_second' }, target: { type: 'AverageValue', averageValue: 50 } } },
    ]);
  });

  test('scaling on a custom metric alone needs no requests', () => {
    const objects = render({ scaleOn: { podsMetric: { name: 'queue_depth', averageValue: 10 } }, resources: { requests: {} } });
    expect(container(objects).resources).toEqual({});
    expect(objects.HorizontalPodAutoscaler.spec.metrics).toHaveLength(1);
  });

  test('scaleUp and scaleDown override only the fields they set', () => {
    const behavior = render({ scaleUp: { maxPodsPerPeriod: 8 }, scaleDown: { stabilizationWindowSeconds: 600, periodSeconds: 120 } }).HorizontalPodAutoscaler.spec
      .behavior;
    expect(behavior.scaleUp.policies).toEqual([
      { type: 'Pods', value: 8, periodSeconds: 15 },
      { type: 'Percent', value: 100, periodSeconds: 15 },
    ]);
    expect(behavior.scaleDown).toEqual({
      stabilizationWindowSeconds: 600,
      selectPolicy: 'Max',
      policies: [
        { type: 'Pods', value: 1, periodSeconds: 120 },
        { type: 'Percent', value: 10, periodSeconds: 120 },
      ],
    });
  });

  test('resources are rendered exactly as given, the memory limit defaulting to the request', () => {
    const objects = render({ resources: { requests: { cpu: '1.5', memory: '1G' }, limits: { cpu: '2' } } });
    expect(container(objects).resources).toEqual({ requests: { cpu: '1.5', memory: '1G' }, limits: { cpu: '2', memory: '1G' } });
  });

  test('port, servicePort, metricsPort and metricsPath move every reference', () => {
    const objects = render({ port: 3000, servicePort: 8080, metricsPort: 9464, metricsPath: '/prom', allowFrom: { gateway: true } });
    expect(container(objects).ports).toEqual([
      { containerPort: 3000, name: 'http' },
      { containerPort: 9464, name: 'metrics' },
    ]);
    expect(container(objects).readinessProbe.httpGet.port).toBe(3000);
    expect(objects.Service.spec.ports).toEqual([
      { name: 'http', port: 8080, targetPort: 3000 },
      { name: 'metrics', port: 9464, targetPort: 9464 },
    ]);
    expect(objects.ServiceMonitor.spec.endpoints).toEqual([{ port: 'metrics', path: '/prom', interval: '30s' }]);
    expect(objects.NetworkPolicy.spec.ingress.map((r: any) => r.ports[0].port)).toEqual([9464, 3000]);
  });

  test('metrics on the app port: one port, scraped as http', () => {
    const objects = render({ metricsPort: 8080 });
    expect(container(objects).ports).toEqual([{ containerPort: 8080, name: 'http' }]);
    expect(objects.Service.spec.ports).toEqual([{ name: 'http', port: 80, targetPort: 8080 }]);
    expect(objects.ServiceMonitor.spec.endpoints[0].port).toBe('http');
  });

  test('health sets the probe paths, startup following liveness unless given', () => {
    const c = container(render({ health: { liveness: '/health/live', readiness: '/health/ready' } }));
    expect([c.livenessProbe.httpGet.path, c.readinessProbe.httpGet.path, c.startupProbe.httpGet.path]).toEqual(['/health/live', '/health/ready', '/health/live']);
    expect(container(render({ health: { startup: '/started' } })).startupProbe.httpGet.path).toBe('/started');
  });

  test('startupTimeoutSeconds sets how many 5 s startup checks may fail', () => {
    expect(container(render({ startupTimeoutSeconds: 300 })).startupProbe.failureThreshold).toBe(60);
  });

  test('maxUnavailable sets the PodDisruptionBudget', () => {
    expect(render({ maxUnavailable: 2 }).PodDisruptionBudget.spec.maxUnavailable).toBe(2);
  });

  test("zoneSpread 'required' refuses to schedule a pod that would unbalance zones; nodes stay preferred", () => {
    const spread = render({ zoneSpread: 'required' }).Deployment.spec.template.spec.topologySpreadConstraints;
    expect(spread.map((c: any) => [c.topologyKey, c.whenUnsatisfiable])).toEqual([
      ['topology.kubernetes.io/zone', 'DoNotSchedule'],
      ['kubernetes.io/hostname', 'ScheduleAnyway'],
    ]);
  });

  test('preStopSleepSeconds and terminationGracePeriodSeconds set the shutdown timing', () => {
    const objects = render({ preStopSleepSeconds: 15, terminationGracePeriodSeconds: 90 });
    expect(container(objects).lifecycle.preStop.sleep.seconds).toBe(15);
    expect(objects.Deployment.spec.template.spec.terminationGracePeriodSeconds).toBe(90);
  });

  test('runAsUser sets user, group and fsGroup', () => {
    const objects = render({ runAsUser: 65532 });
    expect(objects.Deployment.spec.template.spec.securityContext).toMatchObject({ runAsUser: 65532, runAsGroup: 65532, fsGroup: 65532 });
    expect(container(objects).securityContext).toMatchObject({ runAsUser: 65532, runAsGroup: 65532 });
  });

  test('serviceAccountToken mounts the token only in the app pods', () => {
    const objects = render({ serviceAccountToken: true });
    expect(objects.Deployment.spec.template.spec.automountServiceAccountToken).toBe(true);
    expect(objects.ServiceAccount.automountServiceAccountToken).toBe(false);
  });

  test('writablePaths mounts one emptyDir per path', () => {
    const objects = render({ writablePaths: ['/tmp', '/var/cache/app'] });
    expect(container(objects).volumeMounts).toEqual([
      { mountPath: '/tmp', name: 'writable-0' },
      { mountPath: '/var/cache/app', name: 'writable-1' },
    ]);
  });

  test('allowFrom admits the gateway namespace and named peer apps, to the app port only', () => {
    const np = render({ allowFrom: { gateway: true, apps: ['notifications', 'api'] }, gatewayNamespace: 'edge', monitoringNamespace: 'observability' })
      .NetworkPolicy;
    expect(np.spec.ingress).toEqual([
      { from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'observability' } } }], ports: [{ protocol: 'TCP', port: 9090 }] },
      { from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'edge' } } }], ports: [{ protocol: 'TCP', port: 8080 }] },
      {
        from: [{ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'api' } } }, { podSelector: { matchLabels: { 'app.kubernetes.io/name': 'notifications' } } }],
        ports: [{ protocol: 'TCP', port: 8080 }],
      },
    ]);
  });

  test('telemetry sets the OTLP exporter, protocol, environment attribute and parent-based sampling', () => {
    const env = envOf(
      render({ telemetry: { otlpEndpoint: 'http://jaeger-collector.tracing.svc.cluster.local:4318', protocol: 'http/protobuf', deploymentEnvironment: 'prod', samplingRatio: 0.1 } }),
    );
    expect(env).toEqual({
      OTEL_SERVICE_NAME: 'payments',
      OTEL_RESOURCE_ATTRIBUTES: 'service.namespace=apps,service.version=1.4.2,deployment.environment.name=prod',
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://jaeger-collector.tracing.svc.cluster.local:4318',
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
      OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
      OTEL_TRACES_SAMPLER_ARG: '0.1',
    });
  });

  test("telemetry.remoteSampler makes the SDK fetch its strategy from Jaeger's remote sampler, starting at samplingRatio", () => {
    const env = envOf(
      render({
        telemetry: {
          otlpEndpoint: 'http://otel-tail-sampler.tracing.svc.cluster.local:4317',
          samplingRatio: 0.1,
          remoteSampler: { endpoint: 'http://jaeger-collector.tracing.svc.cluster.local:5779', pollingIntervalSeconds: 30 },
        },
      }),
    );
    expect(env.OTEL_TRACES_SAMPLER).toBe('parentbased_jaeger_remote');
    expect(env.OTEL_TRACES_SAMPLER_ARG).toBe('endpoint=http://jaeger-collector.tracing.svc.cluster.local:5779,pollingIntervalMs=30000,initialSamplingRate=0.1');
  });

  test('configMaps and secretEnv are references only: envFrom and secretKeyRef, no values', () => {
    const objects = render({
      configMaps: ['payments-config'],
      secretEnv: [{ name: 'DATABASE_PASSWORD', secretName: 'payments-db', key: 'password' }],
    });
    expect(container(objects).envFrom).toEqual([{ configMapRef: { name: 'payments-config' } }]);
    expect(envOf(objects).DATABASE_PASSWORD).toEqual({ secretKeyRef: { name: 'payments-db', key: 'password', optional: false } });
    expect(Object.keys(objects)).not.toContain('Secret');
    expect(Object.keys(objects)).not.toContain('ConfigMap');
  });

  test('a digest-pinned image gets a short digest as its version', () => {
    const image = `ghcr.io/example/payments-api@sha256:${'a'.repeat(64)}`;
    const objects = render({ image });
    expect(container(objects).image).toBe(image);
    expect(objects.Deployment.metadata.labels['app.kubernetes.io/version']).toBe('aaaaaaaaaaaa');
  });
});

describe('AppService validation', () => {
  const cases: [string, Record<string, unknown>, string][] = [
    ['a name that is not a DNS label', { name: 'Payments_API' }, "[test/app] 'name' ('Payments_API') must be an RFC 1035 label, as Service names are: 1-63 lower-case letters, digits or -, starting with a letter and ending alphanumeric"],
    ['a name that starts with a digit', { name: '9api' }, "[test/app] 'name' ('9api') must be an RFC 1035 label, as Service names are: 1-63 lower-case letters, digits or -, starting with a letter and ending alphanumeric"],
    ['an unpinned image', { image: 'ghcr.io/example/payments-api' }, "[test/app] 'image' ('ghcr.io/example/payments-api') must be pinned to a version tag or an @sha256 digest (not :latest, not tagless)"],
    ['a :latest image', { image: 'ghcr.io/example/payments-api:latest' }, "[test/app] 'image' ('ghcr.io/example/payments-api:latest') must be pinned to a version tag or an @sha256 digest (not :latest, not tagless)"],
    ['a bad port', { port: 70000 }, "[test/app] 'port' (70000) must be an integer from 1 to 65535"],
    ['a bad servicePort', { servicePort: 0 }, "[test/app] 'servicePort' (0) must be an integer from 1 to 65535"],
    ['a bad metricsPort', { metricsPort: 8080.5 }, "[test/app] 'metricsPort' (8080.5) must be an integer from 1 to 65535"],
    ['a health path without a leading slash', { health: { readiness: 'ready' } }, "[test/app] 'health.readiness' ('ready') must be an HTTP path starting with '/'"],
    ['minReplicas below 1', { minReplicas: 0 }, "[test/app] 'minReplicas' (0) must be an integer >= 1"],
    ['a non-integer maxReplicas', { maxReplicas: 2.5 }, "[test/app] 'maxReplicas' (2.5) must be an integer >= 1"],
    ['maxReplicas < minReplicas', { minReplicas: 4, maxReplicas: 3 }, "[test/app] 'maxReplicas' (3) must be >= minReplicas (4)"],
    ['a utilisation target above 100', { scaleOn: { cpuUtilizationPercent: 120 } }, "[test/app] 'scaleOn.cpuUtilizationPercent' (120) must be an integer from 1 to 100"],
    ['a utilisation target of 0', { scaleOn: { memoryUtilizationPercent: 0 } }, "[test/app] 'scaleOn.memoryUtilizationPercent' (0) must be an integer from 1 to 100"],
    ['no metric at all', { scaleOn: {} }, "[test/app] 'scaleOn' ({}) must name at least one metric (cpuUtilizationPercent, memoryUtilizationPercent or podsMetric)"],
    [
      'CPU utilisation without a CPU request',
      { resources: { requests: { memory: '128Mi' } } },
      "[test/app] 'resources.requests.cpu' (undefined) must be set when the autoscaler scales on CPU utilisation (scaleOn.cpuUtilizationPercent): utilisation is a percentage of the request",
    ],
    [
      'memory utilisation without a memory request',
      { resources: { requests: { cpu: '100m' } } },
      "[test/app] 'resources.requests.memory' (undefined) must be set when the autoscaler scales on memory utilisation (scaleOn.memoryUtilizationPercent): utilisation is a percentage of the request",
    ],
    ['a bad custom metric name', { scaleOn: { podsMetric: { name: 'requests-per-second', averageValue: 1 } } }, "[test/app] 'scaleOn.podsMetric.name' ('requests-per-second') must be a metric name: letters, digits, _ or :, not starting with a digit"],
    ['a custom metric target of 0', { scaleOn: { podsMetric: { name: 'rps', averageValue: 0 } } }, "[test/app] 'scaleOn.podsMetric.averageValue' (0) must be a number greater than 0"],
    ['a scaling period above 30 minutes', { scaleDown: { periodSeconds: 3600 } }, "[test/app] 'scaleDown.periodSeconds' (3600) must be an integer from 1 to 1800"],
    ['a negative stabilisation window', { scaleUp: { stabilizationWindowSeconds: -1 } }, "[test/app] 'scaleUp.stabilizationWindowSeconds' (-1) must be an integer from 0 to 3600"],
    ['a scaling step of 0 pods', { scaleUp: { maxPodsPerPeriod: 0 } }, "[test/app] 'scaleUp.maxPodsPerPeriod' (0) must be an integer >= 1"],
    ['a malformed CPU quantity', { resources: { requests: { cpu: '100 m', memory: '1Gi' } } }, "[test/app] 'resources.requests.cpu' ('100 m') must be a CPU quantity such as '250m' or '1.5' (greater than 0)"],
    ['a malformed memory quantity', { resources: { requests: { cpu: '1', memory: '1GB' } } }, "[test/app] 'resources.requests.memory' ('1GB') must be a memory quantity such as '512Mi' or '2Gi' (greater than 0)"],
    ['a CPU limit below the request', { resources: { requests: { cpu: '500m', memory: '1Gi' }, limits: { cpu: '250m' } } }, "[test/app] 'resources.limits.cpu' ('250m') must be >= resources.requests.cpu ('500m')"],
    ['a memory limit below the request', { resources: { requests: { cpu: '1', memory: '1Gi' }, limits: { memory: '512Mi' } } }, "[test/app] 'resources.limits.memory' ('512Mi') must be >= resources.requests.memory ('1Gi')"],
    ['a startup timeout that is not a multiple of 5', { startupTimeoutSeconds: 42 }, "[test/app] 'startupTimeoutSeconds' (42) must be a multiple of 5 (the startup probe runs every 5 s)"],
    ['maxUnavailable of 0', { maxUnavailable: 0 }, "[test/app] 'maxUnavailable' (0) must be an integer >= 1"],
    ['an unknown zoneSpread', { zoneSpread: 'always' }, "[test/app] 'zoneSpread' ('always') must be 'required' or 'preferred'"],
    [
      'a grace period not longer than the preStop sleep',
      { preStopSleepSeconds: 30, terminationGracePeriodSeconds: 30 },
      "[test/app] 'terminationGracePeriodSeconds' (30) must be greater than preStopSleepSeconds (30), or the app gets no time to shut down after the hook",
    ],
    ['running as root', { runAsUser: 0 }, "[test/app] 'runAsUser' (0) must be an integer from 1 to 2147483647"],
    ['a relative writable path', { writablePaths: ['tmp'] }, "[test/app] 'writablePaths[0]' ('tmp') must be an absolute path below '/'"],
    ['a writable path listed twice', { writablePaths: ['/tmp', '/tmp'] }, "[test/app] 'writablePaths[1]' ('/tmp') is listed twice"],
    ['a peer that is not a DNS label', { allowFrom: { apps: ['API'] } }, "[test/app] 'allowFrom.apps[0]' ('API') must be a DNS label: 1-63 lower-case letters, digits or -, starting and ending alphanumeric"],
    ['the app as its own peer', { allowFrom: { apps: ['payments'] } }, "[test/app] 'allowFrom.apps[0]' ('payments') names the app itself: list the other apps that call it"],
    ['a bad ConfigMap name', { configMaps: ['Payments Config'] }, "[test/app] 'configMaps[0]' ('Payments Config') must be an object name: lower-case letters, digits, - or ., starting and ending alphanumeric"],
    ['a bad env var name', { secretEnv: [{ name: 'db-password', secretName: 'db', key: 'password' }] }, "[test/app] 'secretEnv[0].name' ('db-password') must be an environment variable name: letters, digits and _, not starting with a digit"],
    [
      'an env var that shadows an OpenTelemetry variable',
      { secretEnv: [{ name: 'OTEL_SERVICE_NAME', secretName: 'db', key: 'password' }] },
      "[test/app] 'secretEnv[0].name' ('OTEL_SERVICE_NAME') is already set (by another secretEnv entry or the OpenTelemetry variables)",
    ],
    ['a bad Secret key', { secretEnv: [{ name: 'TOKEN', secretName: 'db', key: 'pass word' }] }, "[test/app] 'secretEnv[0].key' ('pass word') must be a Secret key: 1-253 letters, digits, -, _ or ."],
    [
      'an OTLP endpoint that is not a URL',
      { telemetry: { otlpEndpoint: 'jaeger-collector:4317' } },
      "[test/app] 'telemetry.otlpEndpoint' ('jaeger-collector:4317') must be an http(s) URL of host and port, such as 'http://jaeger-collector.tracing.svc.cluster.local:4317'",
    ],
    ['a sampling ratio above 1', { telemetry: { otlpEndpoint: 'http://otel:4317', samplingRatio: 2 } }, "[test/app] 'telemetry.samplingRatio' (2) must be a number from 0 to 1"],
    [
      'a remote sampler endpoint that is not a URL',
      { telemetry: { otlpEndpoint: 'http://otel:4317', remoteSampler: { endpoint: 'jaeger:5779' } } },
      "[test/app] 'telemetry.remoteSampler.endpoint' ('jaeger:5779') must be an http(s) URL of host and port, such as 'http://jaeger-collector.tracing.svc.cluster.local:4317'",
    ],
  ];

  test.each(cases)('fails on %s', (_what, extra, message) => {
    expect(errorOf(extra)).toBe(message);
  });
});
