import { ApiObject, Duration, JsonPatch } from 'cdk8s';
import { ConfigMap } from 'cdk8s-plus-27/lib/config-map';
import { EnvValue, Env, ImagePullPolicy } from 'cdk8s-plus-27/lib/container';
import { Deployment, DeploymentStrategy, PercentOrAbsolute } from 'cdk8s-plus-27/lib/deployment';
import { HorizontalPodAutoscaler, Metric, MetricTarget, Replicas, ScalingRules, ScalingStrategy } from 'cdk8s-plus-27/lib/horizontal-pod-autoscaler';
import { IntOrString, KubeNetworkPolicy, KubePodDisruptionBudget, NetworkPolicyIngressRule } from 'cdk8s-plus-27/lib/imports/k8s';
import { LabelSelector } from 'cdk8s-plus-27/lib/pod';
import { Probe } from 'cdk8s-plus-27/lib/probe';
import { Secret } from 'cdk8s-plus-27/lib/secret';
import { Service } from 'cdk8s-plus-27/lib/service';
import { ServiceAccount } from 'cdk8s-plus-27/lib/service-account';
import { Volume } from 'cdk8s-plus-27/lib/volume';
import { Construct } from 'constructs';
import { ServiceMonitor } from '../../imports/monitoring-servicemonitors-monitoring.coreos.com';
import { fail } from '../core/errors';
import { componentLabels, PROMETHEUS_SELECTOR_LABELS, selectorLabels } from '../core/labels';
import { assertResources } from '../core/quantity';
import { assertDnsLabel, assertDnsLabel1035, assertInt, assertPinnedImage, assertPort, assertSecretKey, imageVersion } from '../core/validate';
import {
  APP_DEFAULTS,
  APP_RULES,
  AppResources,
  atLeastRule,
  effectiveResources,
  effectiveScaleOn,
  ENV_NAME,
  gracePeriodRule,
  HTTP_PATH,
  METRIC_NAME,
  OBJECT_NAME,
  OTLP_ENDPOINT,
  ScaleOn,
  ScalingBehavior,
} from './defaults';

export type { AppResources, PodsMetric, ResourceQuantities, ScaleOn, ScalingBehavior } from './defaults';

/** Health endpoints (HTTP GET on the app port); a 2xx or 3xx answer is healthy. */
export interface HealthEndpoints {
  /**
   * Restart the container when this fails 3 times in a row (10 s apart).
   * @default '/livez'
   */
  readonly liveness?: string;
  /**
   * Take the pod out of the Service while this fails (checked every 5 s).
   * @default '/readyz'
   */
  readonly readiness?: string;
  /**
   * Liveness and readiness wait until this succeeds once, for at most `startupTimeoutSeconds`.
   * @default the liveness path
   */
  readonly startup?: string;
}

/** An environment variable read from a key of an existing Secret (the value never appears in config or output). */
export interface SecretEnvVar {
  /** Environment variable name (`DATABASE_PASSWORD`). */
  readonly name: string;
  /** Name of the Secret in the app's namespace. */
  readonly secretName: string;
  /** Key inside the Secret. */
  readonly key: string;
}

/** Who may open connections to the app's pods; monitoring always reaches the metrics port, nothing else. */
export interface AllowFrom {
  /**
   * The API gateway's namespace may reach the app port.
   * @default false
   */
  readonly gateway?: boolean;
  /**
   * Apps in the same namespace (by `app.kubernetes.io/name`) that may reach the app port.
   * @default none
   */
  readonly apps?: readonly string[];
}

/** OpenTelemetry SDK settings, passed as the standard `OTEL_*` environment variables. */
export interface AppTelemetry {
  /** OTLP endpoint of the trace collector (`http://jaeger-collector.tracing.svc.cluster.local:4317`). */
  readonly otlpEndpoint: string;
  /**
   * OTLP transport; `grpc` goes with port 4317, `http/protobuf` with 4318.
   * @default 'grpc'
   */
  readonly protocol?: 'grpc' | 'http/protobuf';
  /**
   * Value of the `deployment.environment.name` resource attribute (`prod`).
   * @default attribute not set
   */
  readonly deploymentEnvironment?: string;
  /**
   * Fraction of new traces sampled (0-1), parent-based: a sampled caller's trace is always continued. With
   * `remoteSampler`, the ratio used until the SDK's first fetch of its strategy succeeds.
   * @default 1
   */
  readonly samplingRatio?: number;
  /**
   * Jaeger's remote sampler (`parentbased_jaeger_remote`): the SDK polls its strategy (per service and operation,
   * probabilistic or rate-limited) from this gRPC endpoint (`http://jaeger-collector.tracing.svc.cluster.local:5779`).
   * @default no remote sampler: `samplingRatio`, parent-based
   */
  readonly remoteSampler?: { readonly endpoint: string; readonly pollingIntervalSeconds?: number };
}

/** Properties of `AppService`. */
export interface AppServiceProps {
  /** The app's name (a DNS label): names every object and is its `app.kubernetes.io/name`. */
  readonly name: string;
  /** Namespace of every object. */
  readonly namespace: string;
  /** Container image, pinned to a tag or digest; the tag becomes `app.kubernetes.io/version`. */
  readonly image: string;
  /**
   * Container port of the app's HTTP traffic and health endpoints.
   * @default 8080
   */
  readonly port?: number;
  /**
   * Port of the ClusterIP Service, forwarded to `port`.
   * @default 80
   */
  readonly servicePort?: number;
  /**
   * Container port serving Prometheus metrics; may equal `port`.
   * @default 9090
   */
  readonly metricsPort?: number;
  /**
   * HTTP path of the metrics endpoint.
   * @default '/metrics'
   */
  readonly metricsPath?: string;
  /**
   * Fewest pods the autoscaler keeps (the Deployment has no fixed replica count: the HPA owns it).
   * @default 2
   */
  readonly minReplicas?: number;
  /**
   * Most pods the autoscaler may run.
   * @default 3 times minReplicas
   */
  readonly maxReplicas?: number;
  /**
   * Metrics the autoscaler follows; when given, only the metrics it names are used.
   * @default CPU at 70 % and memory at 80 % of the requests
   */
  readonly scaleOn?: ScaleOn;
  /**
   * How fast the autoscaler may add pods; unset fields keep their defaults.
   * @default no stabilisation window, up to 4 pods or 100 % (whichever is more) per 15 s
   */
  readonly scaleUp?: ScalingBehavior;
  /**
   * How fast the autoscaler may remove pods; unset fields keep their defaults.
   * @default 300 s stabilisation window, down by 1 pod or 10 % (whichever is more) per 60 s
   */
  readonly scaleDown?: ScalingBehavior;
  /**
   * Requests and limits of the app container. When given, only the requests it states are set.
   * @default requests of 100m CPU and 128Mi memory, memory limit equal to the memory request, no CPU limit
   */
  readonly resources?: AppResources;
  /**
   * Health endpoints for the liveness, readiness and startup probes.
   * @default liveness '/livez', readiness '/readyz', startup as liveness
   */
  readonly health?: HealthEndpoints;
  /**
   * How long a new container may take to start before it is restarted, in seconds (a multiple of 5).
   * @default 60
   */
  readonly startupTimeoutSeconds?: number;
  /**
   * Pods of the app a voluntary disruption (node drain) may take down at once (PodDisruptionBudget).
   * @default 1
   */
  readonly maxUnavailable?: number;
  /**
   * `required`: never schedule a pod that would put two more pods in one zone than another (DoNotSchedule);
   * `preferred`: spread if possible (ScheduleAnyway). Nodes are always spread on a `preferred` basis.
   * @default 'preferred'
   */
  readonly zoneSpread?: 'required' | 'preferred';
  /**
   * Seconds the container sleeps in its preStop hook (a `sleep` action, no shell needed; Kubernetes >= 1.30),
   * so that endpoints and load balancers stop sending traffic before SIGTERM arrives.
   * @default 5
   */
  readonly preStopSleepSeconds?: number;
  /**
   * Seconds between the start of shutdown (preStop) and SIGKILL; must exceed `preStopSleepSeconds`.
   * @default 30
   */
  readonly terminationGracePeriodSeconds?: number;
  /**
   * Numeric user (and group, and fsGroup) the container runs as; never 0.
   * @default 10001
   */
  readonly runAsUser?: number;
  /**
   * Mount the service-account token into the pods (only for apps that call the Kubernetes API or Vault).
   * @default false
   */
  readonly serviceAccountToken?: boolean;
  /**
   * Extra labels on the pods, such as the environment, so that `kubectl get pods -l` finds them. Never part of a
   * selector; the component labels win over a key of the same name.
   * @default none
   */
  readonly podLabels?: Record<string, string>;
  /**
   * Writable emptyDir mounts (the root file system is read-only).
   * @default ['/tmp']
   */
  readonly writablePaths?: readonly string[];
  /**
   * Who may connect to the app port.
   * @default nobody but monitoring (on the metrics port)
   */
  readonly allowFrom?: AllowFrom;
  /**
   * Namespace of the API gateway, admitted when `allowFrom.gateway` is true.
   * @default 'kong'
   */
  readonly gatewayNamespace?: string;
  /**
   * Namespace of Prometheus, admitted to the metrics port only.
   * @default 'monitoring'
   */
  readonly monitoringNamespace?: string;
  /**
   * OpenTelemetry export settings.
   * @default `OTEL_SERVICE_NAME` and resource attributes only, with `OTEL_SDK_DISABLED=true` (nothing exported)
   */
  readonly telemetry?: AppTelemetry;
  /**
   * ConfigMaps (in the app's namespace) whose every key becomes an environment variable (`envFrom`).
   * @default none
   */
  readonly configMaps?: readonly string[];
  /**
   * Environment variables read from keys of existing Secrets (`secretKeyRef`).
   * @default none
   */
  readonly secretEnv?: readonly SecretEnvVar[];
}

const CONTAINER = 'app';
const POD_SPEC = '/spec/template/spec';
const MAIN_CONTAINER = `${POD_SPEC}/containers/0`;

/**
 * One application, production-grade by default: a Deployment whose replica count an autoscaling/v2 HPA owns, a
 * Service, a PodDisruptionBudget, probes, requests, a restricted security context, spread over zones and nodes,
 * graceful shutdown, a ServiceMonitor, a NetworkPolicy admitting only what `allowFrom` names, OpenTelemetry
 * variables, and configuration from ConfigMaps and Secrets by reference only.
 */
export class AppService extends Construct {
  public readonly deployment: Deployment;
  public readonly service: Service;
  public readonly serviceAccount: ServiceAccount;
  public readonly autoscaler: HorizontalPodAutoscaler;
  public readonly disruptionBudget: KubePodDisruptionBudget;
  public readonly serviceMonitor: ServiceMonitor;
  public readonly networkPolicy: KubeNetworkPolicy;
  /** In-cluster DNS name of the Service. */
  public readonly host: string;
  /** Port of the Service. */
  public readonly port: number;
  public readonly minReplicas: number;
  public readonly maxReplicas: number;

  constructor(scope: Construct, id: string, props: AppServiceProps) {
    super(scope, id);

    // Defaults.
    const name = props.name;
    const namespace = props.namespace;
    const appPort = props.port ?? APP_DEFAULTS.port;
    const servicePort = props.servicePort ?? APP_DEFAULTS.servicePort;
    const metricsPort = props.metricsPort ?? APP_DEFAULTS.metricsPort;
    const metricsPath = props.metricsPath ?? APP_DEFAULTS.metricsPath;
    const minReplicas = props.minReplicas ?? APP_DEFAULTS.minReplicas;
    const maxReplicas = props.maxReplicas ?? minReplicas * APP_DEFAULTS.maxReplicasFactor;
    const scaleOn = effectiveScaleOn(props.scaleOn);
    const scaleUp = { ...APP_DEFAULTS.scaleUp, ...props.scaleUp };
    const scaleDown = { ...APP_DEFAULTS.scaleDown, ...props.scaleDown };
    const resources = effectiveResources(props.resources);
    const liveness = props.health?.liveness ?? APP_DEFAULTS.livenessPath;
    const readiness = props.health?.readiness ?? APP_DEFAULTS.readinessPath;
    const startup = props.health?.startup ?? liveness;
    const startupTimeoutSeconds = props.startupTimeoutSeconds ?? APP_DEFAULTS.startupTimeoutSeconds;
    const maxUnavailable = props.maxUnavailable ?? APP_DEFAULTS.pdbMaxUnavailable;
    const zoneSpread = props.zoneSpread ?? APP_DEFAULTS.zoneSpread;
    const preStopSleepSeconds = props.preStopSleepSeconds ?? APP_DEFAULTS.preStopSleepSeconds;
    const terminationGracePeriodSeconds = props.terminationGracePeriodSeconds ?? APP_DEFAULTS.terminationGracePeriodSeconds;
    const runAsUser = props.runAsUser ?? APP_DEFAULTS.runAsUser;
    const writablePaths = props.writablePaths ?? APP_DEFAULTS.writablePaths;
    const allowGateway = props.allowFrom?.gateway ?? false;
    const peers = props.allowFrom?.apps ?? [];
    const gatewayNamespace = props.gatewayNamespace ?? APP_DEFAULTS.gatewayNamespace;
    const monitoringNamespace = props.monitoringNamespace ?? APP_DEFAULTS.monitoringNamespace;
    const configMaps = props.configMaps ?? [];
    const secretEnv = props.secretEnv ?? [];
    const version = imageVersion(props.image);

    // Validation, in the user's terms.
    assertDnsLabel1035(this, 'name', name);
    assertDnsLabel(this, 'namespace', namespace);
    assertPinnedImage(this, 'image', props.image);
    assertPort(this, 'port', appPort);
    assertPort(this, 'servicePort', servicePort);
    assertPort(this, 'metricsPort', metricsPort);
    for (const [field, path] of [['metricsPath', metricsPath], ['health.liveness', liveness], ['health.readiness', readiness], ['health.startup', startup]]) {
      if (!HTTP_PATH.test(path)) fail(this, field, path, APP_RULES.httpPath);
    }
    assertInt(this, 'minReplicas', minReplicas, 1);
    assertInt(this, 'maxReplicas', maxReplicas, 1);
    if (maxReplicas < minReplicas) fail(this, 'maxReplicas', maxReplicas, atLeastRule('minReplicas', minReplicas));
    this.validateScaleOn(scaleOn, resources);
    this.validateBehavior('scaleUp', scaleUp);
    this.validateBehavior('scaleDown', scaleDown);
    assertResources(this, 'resources', resources);
    assertInt(this, 'startupTimeoutSeconds', startupTimeoutSeconds, 5, 3600);
    if (startupTimeoutSeconds % 5 !== 0) fail(this, 'startupTimeoutSeconds', startupTimeoutSeconds, APP_RULES.startupStep);
    assertInt(this, 'maxUnavailable', maxUnavailable, 1);
    if (zoneSpread !== 'required' && zoneSpread !== 'preferred') fail(this, 'zoneSpread', zoneSpread, "must be 'required' or 'preferred'");
    assertInt(this, 'preStopSleepSeconds', preStopSleepSeconds, 1);
    assertInt(this, 'terminationGracePeriodSeconds', terminationGracePeriodSeconds, 1);
    if (terminationGracePeriodSeconds <= preStopSleepSeconds) {
      fail(this, 'terminationGracePeriodSeconds', terminationGracePeriodSeconds, gracePeriodRule(preStopSleepSeconds));
    }
    assertInt(this, 'runAsUser', runAsUser, 1, 2147483647);
    const seenPaths = new Set<string>();
    writablePaths.forEach((p, i) => {
      if (!/^\/[^\s]+$/.test(p) || p === '/') fail(this, `writablePaths[${i}]`, p, "must be an absolute path below '/'");
      if (seenPaths.has(p)) fail(this, `writablePaths[${i}]`, p, 'is listed twice');
      seenPaths.add(p);
    });
    assertDnsLabel(this, 'gatewayNamespace', gatewayNamespace);
    assertDnsLabel(this, 'monitoringNamespace', monitoringNamespace);
    peers.forEach((peer, i) => {
      assertDnsLabel(this, `allowFrom.apps[${i}]`, peer);
      if (peer === name) fail(this, `allowFrom.apps[${i}]`, peer, APP_RULES.selfPeer);
    });
    configMaps.forEach((cm, i) => {
      if (!OBJECT_NAME.test(cm)) fail(this, `configMaps[${i}]`, cm, APP_RULES.objectName);
    });
    const envNames = new Set<string>(['OTEL_SERVICE_NAME', 'OTEL_RESOURCE_ATTRIBUTES', 'OTEL_EXPORTER_OTLP_ENDPOINT', 'OTEL_EXPORTER_OTLP_PROTOCOL', 'OTEL_TRACES_SAMPLER', 'OTEL_TRACES_SAMPLER_ARG', 'OTEL_SDK_DISABLED']);
    secretEnv.forEach((v, i) => {
      if (!ENV_NAME.test(v.name)) fail(this, `secretEnv[${i}].name`, v.name, APP_RULES.envName);
      if (envNames.has(v.name)) fail(this, `secretEnv[${i}].name`, v.name, 'is already set (by another secretEnv entry or the OpenTelemetry variables)');
      envNames.add(v.name);
      if (!OBJECT_NAME.test(v.secretName)) fail(this, `secretEnv[${i}].secretName`, v.secretName, APP_RULES.objectName);
      assertSecretKey(this, `secretEnv[${i}].key`, v.key);
    });
    const telemetry = props.telemetry;
    if (telemetry) {
      if (!OTLP_ENDPOINT.test(telemetry.otlpEndpoint)) fail(this, 'telemetry.otlpEndpoint', telemetry.otlpEndpoint, APP_RULES.otlpEndpoint);
      const ratio = telemetry.samplingRatio ?? APP_DEFAULTS.samplingRatio;
      if (!(typeof ratio === 'number' && ratio >= 0 && ratio <= 1)) fail(this, 'telemetry.samplingRatio', ratio, 'must be a number from 0 to 1');
      if (telemetry.remoteSampler) {
        const { endpoint, pollingIntervalSeconds } = telemetry.remoteSampler;
        if (!OTLP_ENDPOINT.test(endpoint)) fail(this, 'telemetry.remoteSampler.endpoint', endpoint, APP_RULES.otlpEndpoint);
        if (pollingIntervalSeconds !== undefined) assertInt(this, 'telemetry.remoteSampler.pollingIntervalSeconds', pollingIntervalSeconds, 1, 3600);
      }
    }

    // Children.
    const labels = componentLabels(name, 'app', version);
    const selector = selectorLabels(name);
    const metadata = (objectName: string) => ({ name: objectName, namespace, labels });
    const sharesPort = metricsPort === appPort;

    this.serviceAccount = new ServiceAccount(this, 'ServiceAccount', { metadata: metadata(name), automountToken: false });

    this.deployment = new Deployment(this, 'Deployment', {
      metadata: metadata(name),
      podMetadata: { labels: { ...props.podLabels, ...labels } },
      select: false,
      serviceAccount: this.serviceAccount,
      automountServiceAccountToken: props.serviceAccountToken ?? false,
      securityContext: { ensureNonRoot: true, user: runAsUser, group: runAsUser, fsGroup: runAsUser },
      terminationGracePeriod: Duration.seconds(terminationGracePeriodSeconds),
      strategy: DeploymentStrategy.rollingUpdate({ maxSurge: PercentOrAbsolute.percent(25), maxUnavailable: PercentOrAbsolute.absolute(0) }),
    });
    this.deployment.select(LabelSelector.of({ labels: selector }));
    const container = this.deployment.addContainer({
      name: CONTAINER,
      image: props.image,
      imagePullPolicy: ImagePullPolicy.IF_NOT_PRESENT,
      ports: sharesPort ? [{ number: appPort, name: 'http' }] : [{ number: appPort, name: 'http' }, { number: metricsPort, name: 'metrics' }],
      // Rendered exactly as given by the patch below; an empty object keeps cdk8s-plus from adding its own defaults.
      resources: {},
      securityContext: { ensureNonRoot: true, user: runAsUser, group: runAsUser, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, privileged: false },
      startup: Probe.fromHttpGet(startup, { port: appPort, periodSeconds: Duration.seconds(5), failureThreshold: startupTimeoutSeconds / 5, timeoutSeconds: Duration.seconds(2) }),
      liveness: Probe.fromHttpGet(liveness, { port: appPort, periodSeconds: Duration.seconds(10), failureThreshold: 3, timeoutSeconds: Duration.seconds(2) }),
      readiness: Probe.fromHttpGet(readiness, { port: appPort, periodSeconds: Duration.seconds(5), failureThreshold: 3, timeoutSeconds: Duration.seconds(2) }),
      envVariables: this.telemetryEnv(name, namespace, version, telemetry),
    });
    for (const cm of configMaps) container.env.copyFrom(Env.fromConfigMap(ConfigMap.fromConfigMapName(this, `ConfigMap-${cm}`, cm)));
    for (const v of secretEnv) {
      const secret = Secret.fromSecretName(this, `Secret-${v.name}`, v.secretName);
      container.env.addVariable(v.name, EnvValue.fromSecretValue({ secret, key: v.key }, { optional: false }));
    }
    writablePaths.forEach((p, i) => {
      container.mount(p, Volume.fromEmptyDir(this, `Writable${i}`, `writable-${i}`));
    });

    // What cdk8s-plus 27 cannot express, patched onto the rendered Deployment (see `addPostRenderPatch`).
    const sortedSelector = Object.fromEntries(Object.entries(selector).sort(([a], [b]) => a.localeCompare(b)));
    addPostRenderPatch(
      ApiObject.of(this.deployment),
      // The construct-path label cdk8s-plus puts on pods changes with the construct tree; the selector does not use it.
      JsonPatch.remove('/spec/template/metadata/labels/cdk8s.io~1metadata.addr'),
      JsonPatch.add(`${MAIN_CONTAINER}/resources`, renderResources(resources)),
      JsonPatch.add(`${MAIN_CONTAINER}/securityContext/capabilities`, { drop: ['ALL'] }),
      JsonPatch.add(`${MAIN_CONTAINER}/securityContext/seccompProfile`, { type: 'RuntimeDefault' }),
      JsonPatch.add(`${POD_SPEC}/securityContext/seccompProfile`, { type: 'RuntimeDefault' }),
      JsonPatch.add(`${MAIN_CONTAINER}/lifecycle`, { preStop: { sleep: { seconds: preStopSleepSeconds } } }),
      JsonPatch.add(`${POD_SPEC}/topologySpreadConstraints`, [
        {
          labelSelector: { matchLabels: sortedSelector },
          maxSkew: 1,
          topologyKey: 'topology.kubernetes.io/zone',
          whenUnsatisfiable: zoneSpread === 'required' ? 'DoNotSchedule' : 'ScheduleAnyway',
        },
        { labelSelector: { matchLabels: sortedSelector }, maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'ScheduleAnyway' },
      ]),
    );

    const servicePorts = [{ name: 'http', port: servicePort, targetPort: appPort }];
    if (!sharesPort) servicePorts.push({ name: 'metrics', port: metricsPort, targetPort: metricsPort });
    this.service = new Service(this, 'Service', { metadata: metadata(name), ports: servicePorts });
    // By the stable labels, not by `selector: deployment` (which would select cdk8s-plus's construct-path label).
    for (const [key, value] of Object.entries(selector)) this.service.selectLabel(key, value);

    this.autoscaler = new HorizontalPodAutoscaler(this, 'Autoscaler', {
      metadata: metadata(name),
      target: this.deployment,
      minReplicas,
      maxReplicas,
      metrics: this.metrics(scaleOn),
      scaleUp: toScalingRules(scaleUp),
      scaleDown: toScalingRules(scaleDown),
    });

    this.disruptionBudget = new KubePodDisruptionBudget(this, 'DisruptionBudget', {
      metadata: metadata(name),
      spec: {
        maxUnavailable: IntOrString.fromNumber(maxUnavailable),
        selector: { matchLabels: selector },
        // A crash-looping pod must not block node drains.
        unhealthyPodEvictionPolicy: 'AlwaysAllow',
      },
    });

    this.serviceMonitor = new ServiceMonitor(this, 'ServiceMonitor', {
      metadata: { name, namespace, labels: { ...labels, ...PROMETHEUS_SELECTOR_LABELS } },
      spec: {
        selector: { matchLabels: selector },
        namespaceSelector: { matchNames: [namespace] },
        endpoints: [{ port: sharesPort ? 'http' : 'metrics', path: metricsPath, interval: APP_DEFAULTS.metricsInterval }],
      },
    });

    const tcp = (port: number) => ({ protocol: 'TCP', port: IntOrString.fromNumber(port) });
    const ingress: NetworkPolicyIngressRule[] = [
      { from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': monitoringNamespace } } }], ports: [tcp(metricsPort)] },
    ];
    if (allowGateway) {
      ingress.push({ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': gatewayNamespace } } }], ports: [tcp(appPort)] });
    }
    if (peers.length > 0) {
      ingress.push({
        from: [...peers].sort().map((peer) => ({ podSelector: { matchLabels: { 'app.kubernetes.io/name': peer } } })),
        ports: [tcp(appPort)],
      });
    }
    this.networkPolicy = new KubeNetworkPolicy(this, 'NetworkPolicy', {
      metadata: metadata(name),
      spec: { podSelector: { matchLabels: selector }, policyTypes: ['Ingress'], ingress },
    });

    this.host = `${name}.${namespace}.svc.cluster.local`;
    this.port = servicePort;
    this.minReplicas = minReplicas;
    this.maxReplicas = maxReplicas;
  }

  private validateScaleOn(scaleOn: ScaleOn, resources: AppResources): void {
    const { cpuUtilizationPercent: cpu, memoryUtilizationPercent: memory, podsMetric } = scaleOn;
    if (cpu === undefined && memory === undefined && podsMetric === undefined) {
      fail(this, 'scaleOn', scaleOn, APP_RULES.noMetric);
    }
    if (cpu !== undefined) {
      assertInt(this, 'scaleOn.cpuUtilizationPercent', cpu, 1, 100);
      if (resources.requests.cpu === undefined) {
        fail(this, 'resources.requests.cpu', undefined, APP_RULES.cpuRequestForUtilization);
      }
    }
    if (memory !== undefined) {
      assertInt(this, 'scaleOn.memoryUtilizationPercent', memory, 1, 100);
      if (resources.requests.memory === undefined) {
        fail(this, 'resources.requests.memory', undefined, APP_RULES.memoryRequestForUtilization);
      }
    }
    if (podsMetric !== undefined) {
      if (!METRIC_NAME.test(podsMetric.name)) fail(this, 'scaleOn.podsMetric.name', podsMetric.name, APP_RULES.metricName);
      if (!(typeof podsMetric.averageValue === 'number' && podsMetric.averageValue > 0 && Number.isFinite(podsMetric.averageValue))) {
        fail(this, 'scaleOn.podsMetric.averageValue', podsMetric.averageValue, 'must be a number greater than 0');
      }
    }
  }

  private validateBehavior(field: string, b: Required<ScalingBehavior>): void {
    assertInt(this, `${field}.stabilizationWindowSeconds`, b.stabilizationWindowSeconds, 0, 3600);
    assertInt(this, `${field}.maxPodsPerPeriod`, b.maxPodsPerPeriod, 1);
    assertInt(this, `${field}.maxPercentPerPeriod`, b.maxPercentPerPeriod, 1);
    assertInt(this, `${field}.periodSeconds`, b.periodSeconds, 1, 1800);
  }

  private metrics(scaleOn: ScaleOn): Metric[] {
    const metrics: Metric[] = [];
    if (scaleOn.cpuUtilizationPercent !== undefined) metrics.push(Metric.resourceCpu(MetricTarget.averageUtilization(scaleOn.cpuUtilizationPercent)));
    if (scaleOn.memoryUtilizationPercent !== undefined) metrics.push(Metric.resourceMemory(MetricTarget.averageUtilization(scaleOn.memoryUtilizationPercent)));
    if (scaleOn.podsMetric !== undefined) {
      metrics.push(Metric.pods({ name: scaleOn.podsMetric.name, target: MetricTarget.averageValue(scaleOn.podsMetric.averageValue) }));
    }
    return metrics;
  }

  private telemetryEnv(name: string, namespace: string, version: string, telemetry: AppTelemetry | undefined): Record<string, EnvValue> {
    const attributes = [
      `service.namespace=${namespace}`,
      `service.version=${version}`,
      ...(telemetry?.deploymentEnvironment !== undefined ? [`deployment.environment.name=${telemetry.deploymentEnvironment}`] : []),
    ];
    const env: Record<string, EnvValue> = {
      OTEL_SERVICE_NAME: EnvValue.fromValue(name),
      OTEL_RESOURCE_ATTRIBUTES: EnvValue.fromValue(attributes.join(',')),
    };
    if (!telemetry) {
      env.OTEL_SDK_DISABLED = EnvValue.fromValue('true');
      return env;
    }
    env.OTEL_EXPORTER_OTLP_ENDPOINT = EnvValue.fromValue(telemetry.otlpEndpoint);
    env.OTEL_EXPORTER_OTLP_PROTOCOL = EnvValue.fromValue(telemetry.protocol ?? APP_DEFAULTS.otlpProtocol);
    const ratio = String(telemetry.samplingRatio ?? APP_DEFAULTS.samplingRatio);
    if (telemetry.remoteSampler) {
      const pollingMs = (telemetry.remoteSampler.pollingIntervalSeconds ?? 60) * 1000;
      env.OTEL_TRACES_SAMPLER = EnvValue.fromValue('parentbased_jaeger_remote');
      env.OTEL_TRACES_SAMPLER_ARG = EnvValue.fromValue(`endpoint=${telemetry.remoteSampler.endpoint},pollingIntervalMs=${pollingMs},initialSamplingRate=${ratio}`);
      return env;
    }
    env.OTEL_TRACES_SAMPLER = EnvValue.fromValue('parentbased_traceidratio');
    env.OTEL_TRACES_SAMPLER_ARG = EnvValue.fromValue(ratio);
    return env;
  }
}

/**
 * Adds JSON patches applied after the object's typed serialisation. `ApiObject.addJsonPatch` is not enough here:
 * the `Kube*` classes of cdk8s-plus-27 serialise through the Kubernetes 1.27 schema after the patches, which drops
 * newer fields (`lifecycle.preStop.sleep`, 1.30) and quantities written as plain strings.
 */
function addPostRenderPatch(apiObject: ApiObject, ...patches: JsonPatch[]): void {
  const render = apiObject.toJson.bind(apiObject);
  apiObject.toJson = () => JsonPatch.apply(render(), ...patches);
}

/** Requests and limits exactly as given (cdk8s-plus would rewrite memory in Mi); empty parts left out. */
function renderResources(resources: AppResources): Record<string, Record<string, string>> {
  const out: Record<string, Record<string, string>> = {};
  for (const kind of ['requests', 'limits'] as const) {
    const q = resources[kind] ?? {};
    const rendered = { ...(q.cpu !== undefined ? { cpu: q.cpu } : {}), ...(q.memory !== undefined ? { memory: q.memory } : {}) };
    if (Object.keys(rendered).length > 0) out[kind] = rendered;
  }
  return out;
}

function toScalingRules(b: Required<ScalingBehavior>): ScalingRules {
  const period = Duration.seconds(b.periodSeconds);
  return {
    stabilizationWindow: Duration.seconds(b.stabilizationWindowSeconds),
    strategy: ScalingStrategy.MAX_CHANGE,
    policies: [
      { replicas: Replicas.absolute(b.maxPodsPerPeriod), duration: period },
      { replicas: Replicas.percent(b.maxPercentPerPeriod), duration: period },
    ],
  };
}
