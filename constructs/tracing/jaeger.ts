import {
  Container,
  EnvVar,
  IntOrString,
  KubeConfigMap,
  KubeCronJob,
  KubeDeployment,
  KubeHorizontalPodAutoscalerV2,
  KubeNetworkPolicy,
  KubePodDisruptionBudget,
  KubeService,
  NetworkPolicyIngressRule,
  NetworkPolicyPeer,
  Quantity,
  Volume,
  VolumeMount,
} from 'cdk8s-plus-27/lib/imports/k8s';
import { Construct } from 'constructs';
import { createHash } from 'crypto';
import { stringify } from 'yaml';
import { ServiceMonitor } from '../../imports/monitoring-servicemonitors-monitoring.coreos.com';
import { fail } from '../core/errors';
import { componentLabels, LABEL_COMPONENT, PROMETHEUS_SELECTOR_LABELS, selectorLabels } from '../core/labels';
import { assertResources, RequestsAndLimits } from '../core/quantity';
import type { ElasticsearchClientRequest, ElasticsearchReference, PodPeer } from '../core/references';
import { assertDnsLabel, assertDnsLabel1035, assertInt, assertPinnedImage, imageVersion } from '../core/validate';
import { PORTS, TRACING_DEFAULTS } from './defaults';
import { ElasticsearchStorage, jaegerConfig, JaegerStorage } from './jaeger-config';
import { jaegerServiceNames, JaegerServiceNames, TRACING_NAMES } from './names';
import { renderStrategies, samplingProblems, SamplingPolicy } from './sampling';

/** Jaeger keeps traces in its own memory (one pod; lost on restart). */
export interface JaegerMemoryStorageProps {
  readonly kind: 'memory';
  /** Most traces held. */
  readonly maxTraces: number;
}

/** Jaeger keeps traces in the logging component's Elasticsearch. */
export interface JaegerElasticsearchStorageProps {
  readonly kind: 'elasticsearch';
  /** The logging component's Elasticsearch. */
  readonly elasticsearch: ElasticsearchReference;
  /** Days of traces kept: older daily indices are deleted by the index cleaner, and reads look back this far. */
  readonly retentionDays: number;
  /**
   * Prefix of Jaeger's indices (`<prefix>-jaeger-span-<date>`).
   * @default 'tracing'
   */
  readonly indexPrefix?: string;
  /**
   * Primary shards per daily index.
   * @default 1
   */
  readonly shards?: number;
  /**
   * Replicas per daily index (0 on a single-node Elasticsearch).
   * @default 1
   */
  readonly replicas?: number;
  /**
   * When the index cleaner runs (cron, UTC).
   * @default '15 0 * * *' (just after midnight, when the previous day's index stops taking writes)
   */
  readonly cleanerSchedule?: string;
  /**
   * Index cleaner image, pinned.
   * @default TRACING_DEFAULTS.indexCleanerImage
   */
  readonly cleanerImage?: string;
}

export type JaegerStorageProps = JaegerMemoryStorageProps | JaegerElasticsearchStorageProps;

/** Properties of `Jaeger`. */
export interface JaegerProps {
  readonly namespace: string;
  /**
   * Name of the Deployment; Services are `<name>-collector` and `<name>-query`.
   * @default 'jaeger'
   */
  readonly name?: string;
  /**
   * Image, pinned.
   * @default TRACING_DEFAULTS.jaegerImage
   */
  readonly image?: string;
  /** Where traces are kept. Memory storage runs exactly one pod. */
  readonly storage: JaegerStorageProps;
  /**
   * Fewest pods (Elasticsearch storage only; memory storage runs one).
   * @default 1
   */
  readonly minReplicas?: number;
  /**
   * Most pods; above `minReplicas` a HorizontalPodAutoscaler scales on CPU (Elasticsearch storage only).
   * @default minReplicas
   */
  readonly maxReplicas?: number;
  /** Requests (CPU and memory) and limits; the memory limit is required (the memory limiter works from it). */
  readonly resources: RequestsAndLimits;
  /** Head sampling served to the SDKs (`remote_sampling`). */
  readonly sampling: SamplingPolicy;
  /**
   * Services the sampling overrides may name (the environment's apps); none means any.
   * @default any service
   */
  readonly knownServices?: readonly string[];
  /**
   * Pods that may send spans to the OTLP intake (the tail-sampling tier).
   * @default none
   */
  readonly intakeFrom?: readonly PodPeer[];
  /**
   * Namespaces whose pods may fetch sampling strategies (apps, the gateway).
   * @default none
   */
  readonly samplingClientNamespaces?: readonly string[];
  /**
   * Pods that may use the query API (Grafana's data source). Port-forwarding needs no rule.
   * @default none
   */
  readonly queryFrom?: readonly PodPeer[];
  /**
   * Namespaces that may scrape metrics (Prometheus).
   * @default none
   */
  readonly metricsNamespaces?: readonly string[];
  /**
   * Labels added to the pods (the environment label).
   * @default none
   */
  readonly podLabels?: Record<string, string>;
}

const CONFIG_DIR = '/etc/jaeger';
const CA_DIR = '/etc/jaeger/es-ca';
const CREDENTIALS_DIR = '/etc/jaeger/es-credentials';
const USERNAME_ENV = 'ES_USERNAME';
/** The Elasticsearch client name this component asks the logging component for. */
export const JAEGER_ES_CLIENT = 'jaeger';

/** Index privileges Jaeger v2 and its index cleaner need on their own indices, and no more. */
export const JAEGER_ES_INDEX_PRIVILEGES = ['create_index', 'create_doc', 'write', 'read', 'view_index_metadata', 'delete_index'] as const;
/** Cluster privileges: `monitor` (version ping, health), `manage_index_templates` (Jaeger creates its mappings). */
export const JAEGER_ES_CLUSTER_PRIVILEGES = ['monitor', 'manage_index_templates'] as const;

/**
 * Jaeger v2 (collector, query and remote sampling in one binary), rendered by cdk8s: Deployment, ConfigMap with its
 * configuration and sampling strategies as readable files, Services, autoscaler and PDB (Elasticsearch storage),
 * NetworkPolicy, ServiceMonitor, and with Elasticsearch the index cleaner CronJob. It lives in the workloads layer
 * because with Elasticsearch it mounts the credentials Secret and CA that the logging component creates there.
 */
export class Jaeger extends Construct {
  public readonly deployment: KubeDeployment;
  public readonly configMap: KubeConfigMap;
  /** The configuration as rendered (`config.yaml`). */
  public readonly config: Record<string, unknown>;
  /** The strategies file as rendered. */
  public readonly strategies: ReturnType<typeof renderStrategies>;
  /** Service of the OTLP intake and sampling endpoints. */
  public readonly collectorServiceName: string;
  public readonly queryServiceName: string;
  /** Headless Service over the metrics port: the Prometheus `job` label of Jaeger's metrics. */
  public readonly metricsServiceName: string;
  /** Service names and endpoints (`jaegerServiceNames`). */
  public readonly endpoints: JaegerServiceNames;
  /** Jaeger's pods, as a NetworkPolicy peer. */
  public readonly peer: PodPeer;
  /** What Jaeger needs from the logging component's Elasticsearch (set with Elasticsearch storage). */
  public readonly elasticsearchClient?: ElasticsearchClientRequest;

  constructor(scope: Construct, id: string, props: JaegerProps) {
    super(scope, id);
    const ns = props.namespace;
    const name = props.name ?? TRACING_NAMES.jaeger;
    const image = props.image ?? TRACING_DEFAULTS.jaegerImage;
    const memory = props.storage.kind === 'memory';
    const minReplicas = memory ? 1 : (props.minReplicas ?? 1);
    const maxReplicas = memory ? 1 : (props.maxReplicas ?? minReplicas);

    assertDnsLabel(this, 'namespace', ns);
    assertDnsLabel1035(this, 'name', name);
    assertPinnedImage(this, 'image', image);
    if (memory && ((props.minReplicas ?? 1) !== 1 || (props.maxReplicas ?? 1) !== 1)) {
      fail(this, 'maxReplicas', props.maxReplicas ?? props.minReplicas, 'must be 1 with memory storage: each pod would keep (and show) a different part of the traces');
    }
    assertInt(this, 'minReplicas', minReplicas, 1);
    assertInt(this, 'maxReplicas', maxReplicas, 1);
    if (maxReplicas < minReplicas) fail(this, 'maxReplicas', maxReplicas, `must be >= minReplicas (${minReplicas})`);
    assertResources(this, 'resources', props.resources);
    if (props.resources.requests?.cpu === undefined) fail(this, 'resources.requests.cpu', undefined, 'must be set: the autoscaler and the scheduler work from it');
    if (props.resources.requests?.memory === undefined) fail(this, 'resources.requests.memory', undefined, 'must be set');
    if (props.resources.limits?.memory === undefined) fail(this, 'resources.limits.memory', undefined, 'must be set: the memory limiter works from it');
    const problem = samplingProblems(props.sampling, props.knownServices)[0];
    if (problem) fail(this, `sampling.${problem.field}`, problem.value, problem.rule);

    let storage: JaegerStorage;
    let es: JaegerElasticsearchStorageProps | undefined;
    if (props.storage.kind === 'memory') {
      assertInt(this, 'storage.maxTraces', props.storage.maxTraces, 1000);
      storage = { kind: 'memory', maxTraces: props.storage.maxTraces };
    } else {
      es = props.storage;
      assertInt(this, 'storage.retentionDays', es.retentionDays, 1, 3650);
      const indexPrefix = es.indexPrefix ?? 'tracing';
      assertDnsLabel(this, 'storage.indexPrefix', indexPrefix);
      const esStorage: ElasticsearchStorage = {
        kind: 'elasticsearch',
        url: es.elasticsearch.url,
        caFile: `${CA_DIR}/ca.crt`,
        passwordFile: `${CREDENTIALS_DIR}/password`,
        usernameEnv: USERNAME_ENV,
        indexPrefix,
        shards: es.shards ?? 1,
        replicas: es.replicas ?? 1,
        retentionDays: es.retentionDays,
      };
      assertInt(this, 'storage.shards', esStorage.shards, 1, 64);
      assertInt(this, 'storage.replicas', esStorage.replicas, 0, 8);
      storage = esStorage;
      this.elasticsearchClient = {
        name: JAEGER_ES_CLIENT,
        namespace: ns,
        indexPatterns: [`${indexPrefix}-jaeger-*`],
        indexPrivileges: [...JAEGER_ES_INDEX_PRIVILEGES],
        clusterPrivileges: [...JAEGER_ES_CLUSTER_PRIVILEGES],
      };
    }

    // Configuration.
    this.strategies = renderStrategies(props.sampling);
    this.config = jaegerConfig({
      storage,
      strategiesFile: `${CONFIG_DIR}/sampling-strategies.json`,
      strategiesReloadSeconds: 60,
      memoryLimitPercent: 80,
      memorySpikePercent: 20,
    });
    const data = {
      'config.yaml': stringify(this.config, { sortMapEntries: false, aliasDuplicateObjects: false, lineWidth: 0 }),
      'sampling-strategies.json': `${JSON.stringify(this.strategies, null, 2)}\n`,
    };
    const checksum = createHash('sha256').update(JSON.stringify(data)).digest('hex');
    const version = imageVersion(image);
    const labels = (component: string) => ({ ...componentLabels(name, component, version) });
    const selector = selectorLabels(name);
    this.configMap = new KubeConfigMap(this, 'Config', { metadata: { name: `${name}-config`, namespace: ns, labels: labels('config') }, data });

    // Pod.
    const credentialsSecret = es ? es.elasticsearch.credentialsSecretName(JAEGER_ES_CLIENT) : undefined;
    const volumes: Volume[] = [
      { name: 'config', configMap: { name: `${name}-config` } },
      { name: 'tmp', emptyDir: { sizeLimit: Quantity.fromString('64Mi') } },
      ...(es
        ? [
            { name: 'es-ca', secret: { secretName: es.elasticsearch.caSecretName, items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
            { name: 'es-credentials', secret: { secretName: credentialsSecret!, items: [{ key: 'password', path: 'password' }] } },
          ]
        : []),
    ];
    const mounts: VolumeMount[] = [
      { name: 'config', mountPath: CONFIG_DIR, readOnly: true },
      { name: 'tmp', mountPath: '/tmp' },
      ...(es
        ? [
            { name: 'es-ca', mountPath: CA_DIR, readOnly: true },
            { name: 'es-credentials', mountPath: CREDENTIALS_DIR, readOnly: true },
          ]
        : []),
    ];
    const env: EnvVar[] = es ? [{ name: USERNAME_ENV, valueFrom: { secretKeyRef: { name: credentialsSecret!, key: 'username' } } }] : [];
    const securityContext = {
      runAsNonRoot: true,
      runAsUser: TRACING_DEFAULTS.jaegerUid,
      runAsGroup: TRACING_DEFAULTS.jaegerUid,
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
    };
    const quantities = (q: { cpu?: string; memory?: string } | undefined) => {
      const out: Record<string, Quantity> = {};
      if (q?.cpu !== undefined) out.cpu = Quantity.fromString(q.cpu);
      if (q?.memory !== undefined) out.memory = Quantity.fromString(q.memory);
      return out;
    };
    const health = { httpGet: { path: '/status', port: IntOrString.fromNumber(PORTS.health) } };
    const container: Container = {
      name: 'jaeger',
      image,
      args: ['--config', `${CONFIG_DIR}/config.yaml`],
      ports: [
        { name: 'otlp-grpc', containerPort: PORTS.otlpGrpc },
        { name: 'otlp-http', containerPort: PORTS.otlpHttp },
        { name: 'sampling-http', containerPort: PORTS.samplingHttp },
        { name: 'sampling-grpc', containerPort: PORTS.samplingGrpc },
        { name: 'query-http', containerPort: PORTS.queryHttp },
        { name: 'query-grpc', containerPort: PORTS.queryGrpc },
        { name: 'health', containerPort: PORTS.health },
        { name: 'metrics', containerPort: PORTS.metrics },
      ],
      ...(env.length > 0 ? { env } : {}),
      resources: { requests: quantities(props.resources.requests), limits: quantities(props.resources.limits) },
      securityContext,
      readinessProbe: { ...health, periodSeconds: 10, failureThreshold: 3 },
      livenessProbe: { ...health, periodSeconds: 20, failureThreshold: 6, initialDelaySeconds: 10 },
      volumeMounts: mounts,
    };
    const podLabels = { ...props.podLabels, ...labels('all-in-one') };
    const term = { labelSelector: { matchLabels: selector } };
    this.deployment = new KubeDeployment(this, 'Deployment', {
      metadata: { name, namespace: ns, labels: labels('all-in-one') },
      spec: {
        // Memory storage: one pod, replaced (never two holding different traces). The autoscaler owns the count.
        ...(memory ? { strategy: { type: 'Recreate' } } : {}),
        selector: { matchLabels: selector },
        template: {
          metadata: { labels: podLabels, annotations: { 'checksum/config': checksum } },
          spec: {
            automountServiceAccountToken: false,
            enableServiceLinks: false,
            securityContext: { runAsNonRoot: true, runAsUser: TRACING_DEFAULTS.jaegerUid, runAsGroup: TRACING_DEFAULTS.jaegerUid, fsGroup: TRACING_DEFAULTS.jaegerUid, seccompProfile: { type: 'RuntimeDefault' } },
            ...(memory
              ? {}
              : {
                  topologySpreadConstraints: [
                    { maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'ScheduleAnyway', ...term },
                    { maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'ScheduleAnyway', ...term },
                  ],
                }),
            containers: [container],
            volumes,
          },
        },
      },
    });
    // The autoscaler owns the replica count (min = max = 1 with memory storage, one pod by design).
    new KubeHorizontalPodAutoscalerV2(this, 'Hpa', {
      metadata: { name, namespace: ns, labels: labels('all-in-one') },
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name },
        minReplicas,
        maxReplicas,
        metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } }],
      },
    });
    if (minReplicas > 1) {
      new KubePodDisruptionBudget(this, 'Pdb', {
        metadata: { name, namespace: ns, labels: labels('all-in-one') },
        spec: { maxUnavailable: IntOrString.fromNumber(1), selector: { matchLabels: selector } },
      });
    }

    // Services.
    const tcp = (portName: string, port: number) => ({ name: portName, port, targetPort: IntOrString.fromString(portName), protocol: 'TCP' });
    this.endpoints = jaegerServiceNames(name, ns);
    this.collectorServiceName = this.endpoints.collectorServiceName;
    this.queryServiceName = this.endpoints.queryServiceName;
    new KubeService(this, 'CollectorService', {
      metadata: { name: this.collectorServiceName, namespace: ns, labels: labels('collector') },
      spec: {
        selector,
        ports: [
          { ...tcp('otlp-grpc', PORTS.otlpGrpc), appProtocol: 'grpc' },
          tcp('otlp-http', PORTS.otlpHttp),
          tcp('sampling-http', PORTS.samplingHttp),
          { ...tcp('sampling-grpc', PORTS.samplingGrpc), appProtocol: 'grpc' },
        ],
      },
    });
    new KubeService(this, 'QueryService', {
      metadata: { name: this.queryServiceName, namespace: ns, labels: labels('query') },
      spec: { selector, ports: [tcp('query-http', PORTS.queryHttp), { ...tcp('query-grpc', PORTS.queryGrpc), appProtocol: 'grpc' }] },
    });
    this.metricsServiceName = `${name}-metrics`;
    new KubeService(this, 'MetricsService', {
      metadata: { name: this.metricsServiceName, namespace: ns, labels: labels('metrics') },
      spec: { clusterIp: 'None', selector, ports: [tcp('metrics', PORTS.metrics)] },
    });
    this.peer = { namespace: ns, podLabels: selector };

    // Network: exactly the intended peers, on their ports.
    const podPeer = (p: PodPeer): NetworkPolicyPeer => ({
      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': p.namespace } },
      podSelector: { matchLabels: { ...p.podLabels } },
    });
    const nsPeer = (n: string): NetworkPolicyPeer => ({ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': n } } });
    const ports = (...numbers: number[]) => numbers.map((port) => ({ protocol: 'TCP', port: IntOrString.fromNumber(port) }));
    const ingress: NetworkPolicyIngressRule[] = [];
    if ((props.intakeFrom ?? []).length > 0) ingress.push({ from: props.intakeFrom!.map(podPeer), ports: ports(PORTS.otlpGrpc, PORTS.otlpHttp) });
    if ((props.samplingClientNamespaces ?? []).length > 0) {
      ingress.push({ from: props.samplingClientNamespaces!.map(nsPeer), ports: ports(PORTS.samplingHttp, PORTS.samplingGrpc) });
    }
    if ((props.queryFrom ?? []).length > 0) ingress.push({ from: props.queryFrom!.map(podPeer), ports: ports(PORTS.queryHttp, PORTS.queryGrpc) });
    if ((props.metricsNamespaces ?? []).length > 0) ingress.push({ from: props.metricsNamespaces!.map(nsPeer), ports: ports(PORTS.metrics) });
    new KubeNetworkPolicy(this, 'NetworkPolicy', {
      metadata: { name, namespace: ns, labels: labels('all-in-one') },
      spec: { podSelector: { matchLabels: selector }, policyTypes: ['Ingress'], ...(ingress.length > 0 ? { ingress } : {}) },
    });

    new ServiceMonitor(this, 'ServiceMonitor', {
      metadata: { name, namespace: ns, labels: { ...labels('metrics'), ...PROMETHEUS_SELECTOR_LABELS } },
      spec: {
        selector: { matchLabels: { ...selector, [LABEL_COMPONENT]: 'metrics' } },
        endpoints: [{ port: 'metrics', interval: '30s', scrapeTimeout: '10s' }],
      },
    });

    // Retention: daily indices older than retentionDays are deleted (Jaeger v2 has no built-in expiry).
    if (es) {
      const cleanerImage = es.cleanerImage ?? TRACING_DEFAULTS.indexCleanerImage;
      assertPinnedImage(this, 'storage.cleanerImage', cleanerImage);
      const schedule = es.cleanerSchedule ?? '15 0 * * *';
      // Its own name: Jaeger's Services and Deployment select `name`, and must never pick the cleaner's pods.
      const cleanerName = `${name}-index-cleaner`;
      const cleanerLabels = componentLabels(cleanerName, 'index-cleaner', imageVersion(cleanerImage));
      if (schedule.trim().split(/\s+/).length !== 5) fail(this, 'storage.cleanerSchedule', schedule, 'must be a five-field cron expression');
      new KubeCronJob(this, 'IndexCleaner', {
        metadata: { name: cleanerName, namespace: ns, labels: cleanerLabels },
        spec: {
          schedule,
          timeZone: 'Etc/UTC',
          concurrencyPolicy: 'Forbid',
          successfulJobsHistoryLimit: 1,
          failedJobsHistoryLimit: 3,
          jobTemplate: {
            spec: {
              backoffLimit: 3,
              template: {
                metadata: { labels: { ...props.podLabels, ...cleanerLabels } },
                spec: {
                  restartPolicy: 'OnFailure',
                  automountServiceAccountToken: false,
                  enableServiceLinks: false,
                  securityContext: { runAsNonRoot: true, runAsUser: TRACING_DEFAULTS.jaegerUid, runAsGroup: TRACING_DEFAULTS.jaegerUid, seccompProfile: { type: 'RuntimeDefault' } },
                  containers: [
                    {
                      name: 'index-cleaner',
                      image: cleanerImage,
                      args: [String(es.retentionDays), es.elasticsearch.url],
                      env: [
                        { name: 'INDEX_PREFIX', value: (storage as ElasticsearchStorage).indexPrefix },
                        { name: 'ES_TLS_ENABLED', value: 'true' },
                        { name: 'ES_TLS_CA', value: `${CA_DIR}/ca.crt` },
                        { name: 'ES_USERNAME', valueFrom: { secretKeyRef: { name: credentialsSecret!, key: 'username' } } },
                        { name: 'ES_PASSWORD', valueFrom: { secretKeyRef: { name: credentialsSecret!, key: 'password' } } },
                      ],
                      resources: { requests: { cpu: Quantity.fromString('10m'), memory: Quantity.fromString('32Mi') }, limits: { memory: Quantity.fromString('64Mi') } },
                      securityContext,
                      volumeMounts: [{ name: 'es-ca', mountPath: CA_DIR, readOnly: true }],
                    },
                  ],
                  volumes: [{ name: 'es-ca', secret: { secretName: es.elasticsearch.caSecretName, items: [{ key: 'ca.crt', path: 'ca.crt' }] } }],
                },
              },
            },
          },
        },
      });
    }
  }
}
