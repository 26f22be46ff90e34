import {
  Affinity,
  Container,
  EnvVar,
  IntOrString,
  KubeConfigMap,
  KubeJob,
  KubeNetworkPolicy,
  KubePodDisruptionBudget,
  KubeService,
  KubeStatefulSet,
  KubePersistentVolumeClaimProps,
  PodSpec,
  Probe,
  Quantity,
  Volume,
} from 'cdk8s-plus-27/lib/imports/k8s';
import { Construct } from 'constructs';
import { createHash } from 'crypto';
import { ServiceMonitor } from '../../imports/monitoring-servicemonitors-monitoring.coreos.com';
import { fail } from '../core/errors';
import { LABEL_COMPONENT, LABEL_INSTANCE, LABEL_NAME, LABEL_VERSION, PROMETHEUS_SELECTOR_LABELS } from '../core/labels';
import { MEMORY_QUANTITY_RULE, parseMemoryBytes } from '../core/quantity';
import { assertDnsLabel, assertDnsLabel1035, assertDnsSubdomain, assertInt, assertPinnedImage, assertSecretKey, imageVersion } from '../core/validate';
import { AlertRules } from '../monitoring/alert-rules';
import { REDIS_DEFAULTS } from './defaults';
import { redisAlertGroups } from './redis-alerts';
import {
  CLUSTER_BUS_PORT,
  isMemoryPolicy,
  MEMORY_POLICY_RULE,
  MemoryPolicy,
  maxmemoryBytes,
  REDIS_PORT,
  renderRedisConf,
  renderSentinelConf,
  SENTINEL_PORT,
  TLS_MOUNT_PATH,
} from './redis-config';
import { DATA_MOUNT_PATH, renderClusterBootstrap, renderStartRedis, renderStartSentinel, ScriptSettings } from './redis-scripts';
import { isSentinelCount, SENTINELS_RULE } from './rules';

/** How Redis runs in the cluster. */
export type RedisMode = 'standalone' | 'sentinel' | 'cluster';

/** The default Redis image: the official image, pinned. */
export const DEFAULT_REDIS_IMAGE = 'redis:8.2.2-alpine';
/** The default exporter image, pinned. */
export const DEFAULT_EXPORTER_IMAGE = 'oliver006/redis_exporter:v1.80.0';
export const EXPORTER_PORT = 9121;

/** A key of a Secret. */
export interface SecretKeyRef {
  readonly name: string;
  readonly key: string;
}

/** Properties of `Redis`. */
export interface RedisProps {
  /** `standalone` (one node), `sentinel` (a primary, replicas and Sentinels) or `cluster` (sharded Redis Cluster). */
  readonly mode: RedisMode;
  /** Namespace of every object. */
  readonly namespace: string;
  /**
   * Name of the StatefulSet and prefix of every other object; it names Services, so it must be an RFC 1035 label
   * (start with a letter).
   * @default 'redis'
   */
  readonly name?: string;
  /**
   * Redis image, pinned (the official `redis` or `valkey` image; never Bitnami).
   * @default DEFAULT_REDIS_IMAGE, `redis:8.2.2-alpine`
   */
  readonly image?: string;
  /**
   * redis_exporter image, pinned.
   * @default DEFAULT_EXPORTER_IMAGE, `oliver006/redis_exporter:v1.80.0`
   */
  readonly exporterImage?: string;
  /**
   * Memory limit (and request) of each Redis container; `maxmemory` is derived from it.
   * @default '256Mi'
   */
  readonly memoryLimit?: string;
  /**
   * CPU request of each Redis container (no CPU limit: throttling a single-threaded server only adds latency).
   * @default '100m'
   */
  readonly cpuRequest?: string;
  /**
   * `maxmemory` as a percentage of the memory limit; the rest is headroom for the persistence fork's
   * copy-on-write pages and replication and client buffers.
   * @default 75
   */
  readonly maxmemoryPercentOfLimit?: number;
  /**
   * What Redis evicts when `maxmemory` is reached.
   * @default 'allkeys-lru'
   */
  readonly maxmemoryPolicy?: MemoryPolicy;
  /**
   * RDB snapshots plus an append-only file (`appendfsync everysec`) on a persistent volume.
   * @default true
   */
  readonly persistence?: boolean;
  /**
   * Size of each data node's persistent volume (also used with persistence off in cluster mode, for nodes.conf).
   * @default 8
   * @remarks A StatefulSet's `volumeClaimTemplates` are immutable: changing this after the first deploy makes the
   * apply fail (`spec: Forbidden: updates to statefulset spec for fields other than ...`). To grow the volumes,
   * with a StorageClass that has `allowVolumeExpansion: true`: patch each PVC (`kubectl -n <ns> patch pvc
   * data-<name>-<i> -p '{"spec":{"resources":{"requests":{"storage":"<new>Gi"}}}}'`), wait until
   * `kubectl get pvc` shows the new capacity, then delete the StatefulSet object alone (`kubectl -n <ns> delete
   * statefulset <name> --cascade=orphan`; the pods keep running) and deploy the new size, which recreates it over
   * the same pods and volumes. Shrinking is not possible in place: it needs new volumes (see `storageClassName`).
   */
  readonly storageGiB?: number;
  /**
   * StorageClass of the volumes (data nodes and Sentinels).
   * @default the cluster's default StorageClass
   * @remarks Immutable once deployed, like `storageGiB`: a PVC never changes class. Moving to another class means
   * new volumes: orphan-delete the StatefulSet (`--cascade=orphan`), deploy the new class, then replace one pod
   * at a time, replicas first (delete its PVC and pod; it comes back empty and resyncs from the primary), and the
   * primary last after a Sentinel failover (`SENTINEL FAILOVER <name>`) or, in cluster mode, a `CLUSTER FAILOVER`
   * on its replica. A standalone node loses its data this way: restore it from a snapshot.
   */
  readonly storageClassName?: string;
  /**
   * Sentinel mode: size of each Sentinel's volume, which holds its rewritten `sentinel.conf` (the current primary,
   * epochs, known peers) so that Sentinels restarted together still know the topology.
   * @default 1
   * @remarks Immutable once deployed, like `storageGiB` (same procedure).
   */
  readonly sentinelStorageGiB?: number;
  /**
   * Extra labels on every pod template (data nodes, Sentinels, the bootstrap Job), such as the environment's;
   * never on selectors, so changing them only rolls the pods.
   * @default none
   */
  readonly podLabels?: Readonly<Record<string, string>>;
  /**
   * Sentinel mode: replicas of the primary (data pods are replicas + 1).
   * @default 2
   */
  readonly replicas?: number;
  /**
   * Sentinel mode: number of Sentinels, odd and at least 3.
   * @default 3
   */
  readonly sentinels?: number;
  /**
   * Sentinel mode: Sentinels that must agree the primary is down before a failover; a majority of `sentinels`.
   * @default a bare majority, floor(sentinels / 2) + 1
   */
  readonly quorum?: number;
  /**
   * How long a node may not answer before it counts as down: Sentinel's `down-after-milliseconds`, or the
   * cluster's `cluster-node-timeout`.
   * @default 5000
   */
  readonly downAfterMilliseconds?: number;
  /**
   * Sentinel mode: `failover-timeout`, also the wait before the same primary is failed over again.
   * @default 60000
   */
  readonly failoverTimeoutMilliseconds?: number;
  /**
   * A primary refuses writes unless this many replicas are connected and at most `minReplicasMaxLagSeconds` behind.
   * At most replicas per primary - 1, so that losing one replica does not stop writes.
   * @default 1 when each primary has 2 or more replicas, otherwise 0
   */
  readonly minReplicasToWrite?: number;
  /**
   * Lag, in seconds, a replica may have and still count for `minReplicasToWrite`.
   * @default 10
   */
  readonly minReplicasMaxLagSeconds?: number;
  /**
   * Cluster mode: number of primaries (shards), at least 3.
   * @default 3
   */
  readonly shards?: number;
  /**
   * Cluster mode: replicas of each primary.
   * @default 1
   */
  readonly replicasPerShard?: number;
  /**
   * Secret key holding the password (`requirepass`, `masterauth`, Sentinel's auth); created outside this construct
   * (Vault, External Secrets, kubectl), never synthesised.
   * @default { name: '<name>-auth', key: 'password' }
   */
  readonly passwordSecret?: SecretKeyRef;
  /**
   * Secret with `tls.crt`, `tls.key` and `ca.crt` (the cert-manager layout); turns TLS on for clients,
   * replication, Sentinel and the cluster bus, on the same ports.
   * @default TLS off
   */
  readonly tlsSecretName?: string;
  /**
   * Whether two pods of the same role may share a node: `required` refuses to schedule them together,
   * `preferred` only avoids it.
   * @default 'preferred'
   */
  readonly antiAffinity?: 'required' | 'preferred';
  /**
   * Namespaces whose pods may connect to Redis and Sentinel.
   * @default none besides Redis's own pods
   */
  readonly clientNamespaces?: readonly string[];
  /**
   * Namespaces whose pods may scrape the exporters (Prometheus).
   * @default none
   */
  readonly metricsNamespaces?: readonly string[];
  /**
   * URL of the Redis runbook page (`.../docs/runbooks/redis.md`); each alert links to
   * `<page>#<alert name in lower case>`, the anchor GitHub gives a `## <AlertName>` heading. No default: an alert
   * must never link to an invented address.
   */
  readonly runbookBaseUrl: string;
  /**
   * The cluster's DNS domain, for pod names.
   * @default 'cluster.local'
   */
  readonly clusterDomain?: string;
}

/** What a client needs to connect. */
export interface RedisConnection {
  readonly mode: RedisMode;
  /**
   * DNS name clients connect to: the Redis Service (standalone; in cluster mode a seed, clients then follow the
   * cluster's redirects), or the Sentinel Service (sentinel mode: ask it for `sentinelMasterName`).
   */
  readonly host: string;
  readonly port: number;
  /** Sentinel mode: the name to ask Sentinel for (`SENTINEL get-master-addr-by-name`). */
  readonly sentinelMasterName?: string;
  /** Sentinel mode: every Sentinel pod as `host:port`, for clients that take a list of Sentinels. */
  readonly sentinelHosts?: readonly string[];
  readonly passwordSecret: SecretKeyRef;
  readonly tls: boolean;
}

const REDIS_UID = 999;
/** On the pods that run an exporter (not on the bootstrap Job's), so the metrics Service selects only those. */
const EXPORTER_LABEL = 'platform.example.com/redis-exporter';
const EXPORTER_UID = 59000;
const LABEL_KEY = /^([a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const LABEL_VALUE = /^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$/;

/**
 * Redis in the cluster, in one of three modes, from typed props: StatefulSets on the official image with a
 * generated `redis.conf` (and `sentinel.conf`), persistent volumes, anti-affinity, PodDisruptionBudgets, a
 * NetworkPolicy, a redis_exporter sidecar on every pod, a ServiceMonitor and alert rules. Cluster mode adds a Job
 * that forms the cluster once.
 */
export class Redis extends Construct {
  /** `redis.conf` exactly as the pods get it (before the start-up script appends run-time lines). */
  public readonly redisConf: string;
  /** `sentinel.conf` (sentinel mode only). */
  public readonly sentinelConf?: string;
  public readonly maxmemoryBytes: number;
  public readonly connection: RedisConnection;
  public readonly configMap: KubeConfigMap;
  public readonly statefulSet: KubeStatefulSet;
  public readonly sentinelStatefulSet?: KubeStatefulSet;
  public readonly bootstrapJob?: KubeJob;
  public readonly serviceMonitor: ServiceMonitor;
  public readonly alerts: AlertRules;
  /** Data pods: replicas + 1 (sentinel), shards * (replicasPerShard + 1) (cluster), 1 (standalone). */
  public readonly dataPods: number;

  constructor(scope: Construct, id: string, props: RedisProps) {
    super(scope, id);
    const mode = props.mode;
    const name = props.name ?? 'redis';
    const ns = props.namespace;
    const image = props.image ?? DEFAULT_REDIS_IMAGE;
    const exporterImage = props.exporterImage ?? DEFAULT_EXPORTER_IMAGE;
    const memoryLimit = props.memoryLimit ?? REDIS_DEFAULTS.memoryLimit;
    const cpuRequest = props.cpuRequest ?? REDIS_DEFAULTS.cpuRequest;
    const percent = props.maxmemoryPercentOfLimit ?? 75;
    const policy: string = props.maxmemoryPolicy ?? REDIS_DEFAULTS.maxmemoryPolicy;
    const persistence = props.persistence ?? REDIS_DEFAULTS.persistence;
    const storageGiB = props.storageGiB ?? REDIS_DEFAULTS.storageGiB;
    const sentinelStorageGiB = props.sentinelStorageGiB ?? REDIS_DEFAULTS.sentinelStorageGiB;
    const podLabels = props.podLabels ?? {};
    const replicas = props.replicas ?? REDIS_DEFAULTS.replicas;
    const sentinels = props.sentinels ?? REDIS_DEFAULTS.sentinels;
    const quorum = props.quorum ?? Math.floor(sentinels / 2) + 1;
    const downAfter = props.downAfterMilliseconds ?? REDIS_DEFAULTS.downAfterMilliseconds;
    const failoverTimeout = props.failoverTimeoutMilliseconds ?? REDIS_DEFAULTS.failoverTimeoutMilliseconds;
    const shards = props.shards ?? REDIS_DEFAULTS.shards;
    const replicasPerShard = props.replicasPerShard ?? REDIS_DEFAULTS.replicasPerShard;
    const replicasPerPrimary = mode === 'sentinel' ? replicas : mode === 'cluster' ? replicasPerShard : 0;
    const minReplicasToWrite = props.minReplicasToWrite ?? (replicasPerPrimary >= 2 ? 1 : 0);
    const maxLag = props.minReplicasMaxLagSeconds ?? 10;
    const passwordSecret = props.passwordSecret ?? { name: `${name}-auth`, key: REDIS_DEFAULTS.passwordSecretKey };
    const tls = props.tlsSecretName !== undefined;
    const antiAffinity = props.antiAffinity ?? REDIS_DEFAULTS.antiAffinity;
    const clusterDomain = props.clusterDomain ?? 'cluster.local';
    const runbookBaseUrl = props.runbookBaseUrl;

    // Validate.
    assertDnsLabel1035(this, 'name', name);
    assertDnsLabel(this, 'namespace', ns);
    assertPinnedImage(this, 'image', image);
    assertPinnedImage(this, 'exporterImage', exporterImage);
    if (/(^|\/)bitnami(legacy)?\//.test(image)) fail(this, 'image', image, 'must be the official redis or valkey image: Bitnami images are no longer maintained');
    const limitBytes = parseMemoryBytes(memoryLimit);
    if (limitBytes === undefined) fail(this, 'memoryLimit', memoryLimit, MEMORY_QUANTITY_RULE);
    assertInt(this, 'maxmemoryPercentOfLimit', percent, 10, 90);
    if (!isMemoryPolicy(policy)) fail(this, 'maxmemoryPolicy', policy, MEMORY_POLICY_RULE);
    assertInt(this, 'storageGiB', storageGiB, 1);
    assertInt(this, 'sentinelStorageGiB', sentinelStorageGiB, 1);
    for (const [key, value] of Object.entries(podLabels)) {
      if ([LABEL_NAME, LABEL_INSTANCE, LABEL_COMPONENT, LABEL_VERSION, EXPORTER_LABEL].includes(key)) {
        fail(this, `podLabels.${key}`, value, 'must not be set: this label is the construct\'s own (selectors use it)');
      }
      if (!LABEL_KEY.test(key)) fail(this, 'podLabels', key, 'must have label keys: an optional DNS prefix and /, then 1-63 letters, digits, -, _ or ., starting and ending alphanumeric');
      if (!LABEL_VALUE.test(value)) fail(this, `podLabels.${key}`, value, 'must be a label value: at most 63 letters, digits, -, _ or ., starting and ending alphanumeric');
    }
    assertInt(this, 'downAfterMilliseconds', downAfter, 1000);
    assertInt(this, 'minReplicasMaxLagSeconds', maxLag, 1);
    if (mode === 'sentinel') {
      if (!Number.isInteger(replicas) || replicas < 1) {
        fail(this, 'replicas', replicas, 'must be an integer >= 1 in sentinel mode: a failover needs a replica to promote');
      }
      if (!isSentinelCount(sentinels)) fail(this, 'sentinels', sentinels, SENTINELS_RULE);
      const majority = Math.floor(sentinels / 2) + 1;
      if (!Number.isInteger(quorum) || quorum < majority || quorum > sentinels) {
        fail(this, 'quorum', quorum, `must be a majority of the ${sentinels} Sentinels, from ${majority} to ${sentinels}`);
      }
      assertInt(this, 'failoverTimeoutMilliseconds', failoverTimeout, downAfter);
    }
    if (mode === 'cluster') {
      if (!Number.isInteger(shards) || shards < 3) {
        fail(this, 'shards', shards, 'must be an integer >= 3: Redis Cluster needs a majority of primaries to agree on a failover');
      }
      assertInt(this, 'replicasPerShard', replicasPerShard, 0, 5);
    }
    const maxMinReplicas = Math.max(0, replicasPerPrimary - 1);
    if (!Number.isInteger(minReplicasToWrite) || minReplicasToWrite < 0 || minReplicasToWrite > maxMinReplicas) {
      fail(
        this,
        'minReplicasToWrite',
        minReplicasToWrite,
        `must be an integer from 0 to ${maxMinReplicas} (replicas per primary - 1) in ${mode} mode: otherwise losing one replica stops every write`,
      );
    }
    for (const n of props.clientNamespaces ?? []) assertDnsLabel(this, 'clientNamespaces[]', n);
    for (const n of props.metricsNamespaces ?? []) assertDnsLabel(this, 'metricsNamespaces[]', n);
    if (props.tlsSecretName !== undefined) assertDnsLabel(this, 'tlsSecretName', props.tlsSecretName);
    assertDnsLabel(this, 'passwordSecret.name', passwordSecret.name);
    assertSecretKey(this, 'passwordSecret.key', passwordSecret.key);
    if (props.storageClassName !== undefined) assertDnsSubdomain(this, 'storageClassName', props.storageClassName);

    // Configuration.
    this.dataPods = mode === 'sentinel' ? replicas + 1 : mode === 'cluster' ? shards * (replicasPerShard + 1) : 1;
    this.maxmemoryBytes = maxmemoryBytes(limitBytes, percent);
    this.redisConf = renderRedisConf({
      maxmemoryBytes: this.maxmemoryBytes,
      maxmemoryPolicy: policy,
      persistence,
      minReplicasToWrite,
      minReplicasMaxLagSeconds: maxLag,
      cluster: mode === 'cluster',
      nodeTimeoutMilliseconds: downAfter,
      tls,
    });
    const headless = `${name}-headless`;
    const sentinelName = `${name}-sentinel`;
    const scripts: ScriptSettings = {
      mode,
      headlessService: headless,
      namespace: ns,
      clusterDomain,
      statefulSet: name,
      sentinelService: sentinelName,
      sentinelHeadlessService: `${sentinelName}-headless`,
      masterName: name,
      nodes: this.dataPods,
      replicasPerShard,
      tls,
    };
    const data: Record<string, string> = { 'redis.conf': this.redisConf, 'start-redis.sh': renderStartRedis(scripts) };
    if (mode === 'sentinel') {
      this.sentinelConf = renderSentinelConf({
        masterName: name,
        initialPrimaryHost: `${name}-0.${headless}.${ns}.svc.${clusterDomain}`,
        quorum,
        downAfterMilliseconds: downAfter,
        failoverTimeoutMilliseconds: failoverTimeout,
        parallelSyncs: 1,
        tls,
      });
      data['sentinel.conf'] = this.sentinelConf;
      data['start-sentinel.sh'] = renderStartSentinel(scripts);
    }
    if (mode === 'cluster') data['cluster-bootstrap.sh'] = renderClusterBootstrap(scripts);
    const checksum = createHash('sha256').update(JSON.stringify(data)).digest('hex');

    const version = imageVersion(image);
    const labels = (component: string) => ({
      [LABEL_NAME]: name,
      [LABEL_INSTANCE]: name,
      [LABEL_COMPONENT]: component,
      [LABEL_VERSION]: version,
    });
    const selector = (component: string) => ({ [LABEL_NAME]: name, [LABEL_INSTANCE]: name, [LABEL_COMPONENT]: component });

    // Children.
    this.configMap = new KubeConfigMap(this, 'Config', { metadata: { name: `${name}-config`, namespace: ns, labels: labels('server') }, data });

    const secretEnv = (envName: string): EnvVar => ({
      name: envName,
      valueFrom: { secretKeyRef: { name: passwordSecret.name, key: passwordSecret.key } },
    });
    const cliFlags = tls ? ` --tls --cacert ${TLS_MOUNT_PATH}/ca.crt` : '';
    const pingProbe = (port: number, accept: string, failureThreshold: number): Probe => ({
      exec: { command: ['sh', '-c', `redis-cli${cliFlags} -p ${port} PING | grep -Eq '${accept}'`] },
      periodSeconds: 10,
      timeoutSeconds: 5,
      failureThreshold,
    });
    const containerSecurity = (uid: number) => ({
      runAsNonRoot: true,
      runAsUser: uid,
      runAsGroup: uid,
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
    });
    const tlsVolumes: Volume[] = tls ? [{ name: 'tls', secret: { secretName: props.tlsSecretName!, defaultMode: 0o440 } }] : [];
    const tlsMounts = tls ? [{ name: 'tls', mountPath: TLS_MOUNT_PATH, readOnly: true }] : [];
    const exporter = (redisPort: number): Container => ({
      name: 'exporter',
      image: exporterImage,
      ports: [{ name: 'metrics', containerPort: EXPORTER_PORT }],
      env: [
        { name: 'REDIS_ADDR', value: `${tls ? 'rediss' : 'redis'}://localhost:${redisPort}` },
        secretEnv('REDIS_PASSWORD'),
        ...(tls
          ? [
              { name: 'REDIS_EXPORTER_TLS_CA_CERT_FILE', value: `${TLS_MOUNT_PATH}/ca.crt` },
              // The certificate names the Services, not localhost.
              { name: 'REDIS_EXPORTER_SKIP_TLS_VERIFICATION', value: 'true' },
            ]
          : []),
      ],
      resources: { requests: { cpu: Quantity.fromString('10m'), memory: Quantity.fromString('32Mi') }, limits: { memory: Quantity.fromString('64Mi') } },
      securityContext: containerSecurity(EXPORTER_UID),
      readinessProbe: { httpGet: { path: '/health', port: IntOrString.fromNumber(EXPORTER_PORT) }, periodSeconds: 10 },
      volumeMounts: tlsMounts,
    });
    const affinity = (component: string): Affinity => {
      const term = { labelSelector: { matchLabels: selector(component) }, topologyKey: 'kubernetes.io/hostname' };
      return {
        podAntiAffinity:
          antiAffinity === 'required'
            ? { requiredDuringSchedulingIgnoredDuringExecution: [term] }
            : { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, podAffinityTerm: term }] },
      };
    };
    const podSpec = (component: string, containers: Container[], volumes: Volume[]): PodSpec => ({
      automountServiceAccountToken: false,
      enableServiceLinks: false,
      terminationGracePeriodSeconds: 30,
      securityContext: {
        runAsNonRoot: true,
        runAsUser: REDIS_UID,
        runAsGroup: REDIS_UID,
        fsGroup: REDIS_UID,
        seccompProfile: { type: 'RuntimeDefault' },
      },
      affinity: affinity(component),
      containers,
      volumes: [
        { name: 'config', configMap: { name: `${name}-config` } },
        { name: 'run', emptyDir: { medium: 'Memory', sizeLimit: Quantity.fromString('1Mi') } },
        { name: 'tmp', emptyDir: { sizeLimit: Quantity.fromString('64Mi') } },
        ...tlsVolumes,
        ...volumes,
      ],
    });
    const baseMounts = [
      { name: 'config', mountPath: '/etc/redis', readOnly: true },
      { name: 'run', mountPath: '/run/redis' },
      { name: 'tmp', mountPath: '/tmp' },
      ...tlsMounts,
    ];
    const podEnv: EnvVar[] = [
      { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
      { name: 'POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
      secretEnv('REDIS_PASSWORD'),
      secretEnv('REDISCLI_AUTH'),
    ];

    // Data nodes.
    const usePvc = persistence || mode === 'cluster';
    const claimOf = (component: string, gib: number): KubePersistentVolumeClaimProps => ({
      metadata: { name: 'data', labels: selector(component) },
      spec: {
        accessModes: ['ReadWriteOnce'],
        storageClassName: props.storageClassName,
        resources: { requests: { storage: Quantity.fromString(`${gib}Gi`) } },
      },
    });
    const claim = claimOf('server', storageGiB);
    const redisPorts = [{ name: 'redis', containerPort: REDIS_PORT }, ...(mode === 'cluster' ? [{ name: 'cluster-bus', containerPort: CLUSTER_BUS_PORT }] : [])];
    const redisContainer: Container = {
      name: 'redis',
      image,
      command: ['sh', '/etc/redis/start-redis.sh'],
      ports: redisPorts,
      env: podEnv,
      resources: {
        requests: { cpu: Quantity.fromString(cpuRequest), memory: Quantity.fromString(memoryLimit) },
        limits: { memory: Quantity.fromString(memoryLimit) },
      },
      securityContext: containerSecurity(REDIS_UID),
      readinessProbe: pingProbe(REDIS_PORT, 'PONG', 3),
      // LOADING is alive: a large AOF takes a while to load after a restart.
      livenessProbe: { ...pingProbe(REDIS_PORT, 'PONG|LOADING', 6), initialDelaySeconds: 15 },
      volumeMounts: [...baseMounts, { name: 'data', mountPath: '/data' }],
    };
    new KubeService(this, 'Headless', {
      metadata: { name: headless, namespace: ns, labels: labels('server') },
      spec: {
        clusterIp: 'None',
        // Replicas and Sentinels must resolve a pod before it is ready (a replica syncing, a node joining).
        publishNotReadyAddresses: true,
        selector: selector('server'),
        ports: redisPorts.map((p) => ({ name: p.name, port: p.containerPort, targetPort: IntOrString.fromNumber(p.containerPort) })),
      },
    });
    if (mode !== 'sentinel') {
      // Sentinel mode has no plain Service: a client behind one would write to replicas half of the time.
      new KubeService(this, 'Service', {
        metadata: { name, namespace: ns, labels: labels('server') },
        spec: { selector: selector('server'), ports: [{ name: 'redis', port: REDIS_PORT, targetPort: IntOrString.fromNumber(REDIS_PORT) }] },
      });
    }
    this.statefulSet = new KubeStatefulSet(this, 'StatefulSet', {
      metadata: { name, namespace: ns, labels: labels('server') },
      spec: {
        serviceName: headless,
        replicas: this.dataPods,
        // Cluster nodes start together (the bootstrap Job waits for all); a Sentinel set starts pod 0, the first primary, first.
        podManagementPolicy: mode === 'cluster' ? 'Parallel' : 'OrderedReady',
        selector: { matchLabels: selector('server') },
        template: {
          metadata: { labels: { ...podLabels, ...labels('server'), [EXPORTER_LABEL]: 'true' }, annotations: { 'checksum/config': checksum } },
          spec: podSpec('server', [redisContainer, exporter(REDIS_PORT)], usePvc ? [] : [{ name: 'data', emptyDir: {} }]),
        },
        volumeClaimTemplates: usePvc ? [claim] : undefined,
      },
    });
    new KubePodDisruptionBudget(this, 'Pdb', {
      metadata: { name, namespace: ns, labels: labels('server') },
      spec: { maxUnavailable: IntOrString.fromNumber(1), selector: { matchLabels: selector('server') } },
    });

    // Sentinels.
    if (mode === 'sentinel') {
      const sentinelContainer: Container = {
        name: 'sentinel',
        image,
        command: ['sh', '/etc/redis/start-sentinel.sh'],
        ports: [{ name: 'sentinel', containerPort: SENTINEL_PORT }],
        env: podEnv,
        resources: { requests: { cpu: Quantity.fromString('50m'), memory: Quantity.fromString('64Mi') }, limits: { memory: Quantity.fromString('64Mi') } },
        securityContext: containerSecurity(REDIS_UID),
        readinessProbe: pingProbe(SENTINEL_PORT, 'PONG', 3),
        livenessProbe: { ...pingProbe(SENTINEL_PORT, 'PONG', 6), initialDelaySeconds: 15 },
        // Its own volume: the rewritten sentinel.conf (what this Sentinel learned) outlives the container and the pod.
        volumeMounts: [...baseMounts, { name: 'data', mountPath: DATA_MOUNT_PATH }],
      };
      const sentinelPorts = [{ name: 'sentinel', port: SENTINEL_PORT, targetPort: IntOrString.fromNumber(SENTINEL_PORT) }];
      new KubeService(this, 'SentinelHeadless', {
        metadata: { name: `${sentinelName}-headless`, namespace: ns, labels: labels('sentinel') },
        spec: { clusterIp: 'None', publishNotReadyAddresses: true, selector: selector('sentinel'), ports: sentinelPorts },
      });
      new KubeService(this, 'SentinelService', {
        metadata: { name: sentinelName, namespace: ns, labels: labels('sentinel') },
        spec: { selector: selector('sentinel'), ports: sentinelPorts },
      });
      this.sentinelStatefulSet = new KubeStatefulSet(this, 'SentinelStatefulSet', {
        metadata: { name: sentinelName, namespace: ns, labels: labels('sentinel') },
        spec: {
          serviceName: `${sentinelName}-headless`,
          replicas: sentinels,
          podManagementPolicy: 'Parallel',
          selector: { matchLabels: selector('sentinel') },
          template: {
            metadata: { labels: { ...podLabels, ...labels('sentinel'), [EXPORTER_LABEL]: 'true' }, annotations: { 'checksum/config': checksum } },
            spec: podSpec('sentinel', [sentinelContainer, exporter(SENTINEL_PORT)], []),
          },
          volumeClaimTemplates: [claimOf('sentinel', sentinelStorageGiB)],
        },
      });
      new KubePodDisruptionBudget(this, 'SentinelPdb', {
        metadata: { name: sentinelName, namespace: ns, labels: labels('sentinel') },
        spec: { maxUnavailable: IntOrString.fromNumber(1), selector: { matchLabels: selector('sentinel') } },
      });
    }

    // Cluster bootstrap.
    if (mode === 'cluster') {
      this.bootstrapJob = new KubeJob(this, 'Bootstrap', {
        metadata: { name: `${name}-cluster-bootstrap`, namespace: ns, labels: labels('bootstrap') },
        spec: {
          backoffLimit: 10,
          template: {
            metadata: { labels: { ...podLabels, ...labels('bootstrap') } },
            spec: {
              ...podSpec('bootstrap', [
                {
                  name: 'bootstrap',
                  image,
                  command: ['sh', '/etc/redis/cluster-bootstrap.sh'],
                  env: [secretEnv('REDISCLI_AUTH')],
                  resources: { requests: { cpu: Quantity.fromString('10m'), memory: Quantity.fromString('32Mi') }, limits: { memory: Quantity.fromString('64Mi') } },
                  securityContext: containerSecurity(REDIS_UID),
                  volumeMounts: baseMounts,
                },
              ], []),
              affinity: undefined,
              restartPolicy: 'OnFailure',
            },
          },
        },
      });
    }

    // Network: Redis's own pods talk to each other; clients and Prometheus only on their ports.
    const ownPods = { podSelector: { matchLabels: { [LABEL_NAME]: name, [LABEL_INSTANCE]: name } } };
    const fromNamespaces = (names: readonly string[]) => names.map((n) => ({ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': n } } }));
    const tcp = (port: number) => ({ protocol: 'TCP', port: IntOrString.fromNumber(port) });
    const clientPorts = mode === 'sentinel' ? [tcp(REDIS_PORT), tcp(SENTINEL_PORT)] : [tcp(REDIS_PORT)];
    const ingress = [
      { from: [ownPods], ports: [tcp(REDIS_PORT), tcp(SENTINEL_PORT), tcp(CLUSTER_BUS_PORT)] },
      ...((props.clientNamespaces ?? []).length > 0 ? [{ from: fromNamespaces(props.clientNamespaces ?? []), ports: clientPorts }] : []),
      ...((props.metricsNamespaces ?? []).length > 0 ? [{ from: fromNamespaces(props.metricsNamespaces ?? []), ports: [tcp(EXPORTER_PORT)] }] : []),
    ];
    new KubeNetworkPolicy(this, 'NetworkPolicy', {
      metadata: { name, namespace: ns, labels: labels('server') },
      spec: { podSelector: ownPods.podSelector, policyTypes: ['Ingress'], ingress },
    });

    // Monitoring: one Service over every exporter, a ServiceMonitor, the alert rules.
    const metricsName = `${name}-metrics`;
    new KubeService(this, 'MetricsService', {
      metadata: { name: metricsName, namespace: ns, labels: labels('metrics') },
      spec: {
        clusterIp: 'None',
        selector: { [LABEL_NAME]: name, [LABEL_INSTANCE]: name, [EXPORTER_LABEL]: 'true' },
        ports: [{ name: 'metrics', port: EXPORTER_PORT, targetPort: IntOrString.fromNumber(EXPORTER_PORT) }],
      },
    });
    this.serviceMonitor = new ServiceMonitor(this, 'ServiceMonitor', {
      metadata: { name, namespace: ns, labels: { ...labels('metrics'), ...PROMETHEUS_SELECTOR_LABELS } },
      spec: {
        selector: { matchLabels: selector('metrics') },
        endpoints: [{ port: 'metrics', interval: '30s', scrapeTimeout: '10s' }],
      },
    });
    this.alerts = new AlertRules(this, 'Alerts', {
      name,
      namespace: ns,
      labels: labels('metrics'),
      groups: redisAlertGroups({ job: metricsName, runbookBaseUrl, memoryRatioThreshold: 0.9, maxmemoryPolicy: policy }),
    });

    this.connection = {
      mode,
      host: `${mode === 'sentinel' ? sentinelName : name}.${ns}.svc.${clusterDomain}`,
      port: mode === 'sentinel' ? SENTINEL_PORT : REDIS_PORT,
      sentinelMasterName: mode === 'sentinel' ? name : undefined,
      sentinelHosts:
        mode === 'sentinel'
          ? Array.from({ length: sentinels }, (_, i) => `${sentinelName}-${i}.${sentinelName}-headless.${ns}.svc.${clusterDomain}:${SENTINEL_PORT}`)
          : undefined,
      passwordSecret,
      tls,
    };
  }
}
