import { Chart, Testing } from 'cdk8s';
import { Redis, RedisProps } from '../../../constructs/redis/redis';

type Obj = { kind: string; metadata: { name: string }; spec?: any; data?: Record<string, string> };

function build(props: Partial<RedisProps> & Pick<RedisProps, 'mode'>): { redis: Redis; objects: Obj[] } {
  const chart = new Chart(Testing.app(), 'test');
  const redis = new Redis(chart, 'redis', { namespace: 'data', runbookBaseUrl: 'https://runbooks.example.com/redis.md', ...props });
  return { redis, objects: Testing.synth(chart) as Obj[] };
}

function errorOf(props: Partial<RedisProps> & Pick<RedisProps, 'mode'>): string {
  try {
    build(props);
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected an error');
}

const find = (objects: Obj[], kind: string, name: string) => objects.find((o) => o.kind === kind && o.metadata.name === name);

describe('Redis defaults', () => {
  test('standalone: one pod, persistence on, maxmemory 75% of 256Mi, allkeys-lru, a client Service, no Sentinel', () => {
    const { redis, objects } = build({ mode: 'standalone' });
    const sts = find(objects, 'StatefulSet', 'redis')!;
    expect(sts.spec.replicas).toBe(1);
    expect(redis.maxmemoryBytes).toBe(192 * 2 ** 20);
    expect(redis.redisConf).toContain(`maxmemory ${192 * 2 ** 20}\n`);
    expect(redis.redisConf).toContain('maxmemory-policy allkeys-lru\n');
    expect(redis.redisConf).toContain('appendonly yes\nappendfilename "appendonly.aof"\nappendfsync everysec\n');
    expect(redis.redisConf).toContain('min-replicas-to-write 0\n');
    expect(redis.redisConf).not.toContain('requirepass');
    expect(sts.spec.volumeClaimTemplates[0].spec.resources.requests.storage).toBe('8Gi');
    expect(find(objects, 'Service', 'redis')).toBeDefined();
    expect(objects.filter((o) => o.metadata.name.includes('sentinel'))).toEqual([]);
    expect(redis.connection).toEqual({
      mode: 'standalone',
      host: 'redis.data.svc.cluster.local',
      port: 6379,
      sentinelMasterName: undefined,
      passwordSecret: { name: 'redis-auth', key: 'password' },
      tls: false,
    });
  });

  test('pods run the pinned official image as non-root with a read-only root, and the password only by Secret reference', () => {
    const { objects } = build({ mode: 'standalone' });
    const pod = find(objects, 'StatefulSet', 'redis')!.spec.template.spec;
    const [redis, exporter] = pod.containers;
    expect(redis.image).toBe('redis:8.2.2-alpine');
    expect(exporter.image).toBe('oliver006/redis_exporter:v1.80.0');
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 999, seccompProfile: { type: 'RuntimeDefault' } });
    for (const c of pod.containers) {
      expect(c.securityContext).toMatchObject({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
      expect(c.resources.requests.cpu).toBeDefined();
      for (const e of c.env) if (/PASSWORD|AUTH/.test(e.name)) expect(e).toEqual({ name: e.name, valueFrom: { secretKeyRef: { name: 'redis-auth', key: 'password' } } });
    }
    expect(redis.resources.limits.memory).toBe('256Mi');
  });

  test('monitoring: a ServiceMonitor with the Prometheus selector label, and four alerts (allkeys-lru: no memory alert)', () => {
    const { redis, objects } = build({ mode: 'standalone' });
    const sm = find(objects, 'ServiceMonitor', 'redis')!;
    expect((sm as any).metadata.labels['platform.example.com/prometheus']).toBe('platform');
    expect(sm.spec.endpoints).toEqual([{ port: 'metrics', interval: '30s', scrapeTimeout: '10s' }]);
    expect(redis.alerts.groups[0].rules.map((r) => r.alert)).toEqual(['RedisDown', 'RedisFailoverHappened', 'RedisReplicationBroken', 'RedisRejectedConnections']);
  });

  // A warm allkeys-* cache sits at maxmemory and evicts by design; under noeviction and volatile-* it is a fault.
  test.each([
    ['noeviction', true],
    ['volatile-lru', true],
    ['volatile-ttl', true],
    ['allkeys-lru', false],
    ['allkeys-lfu', false],
    ['allkeys-random', false],
  ] as const)('maxmemoryPolicy %s: RedisMemoryNearLimit present: %s', (maxmemoryPolicy, present) => {
    const { redis } = build({ mode: 'standalone', maxmemoryPolicy });
    const alerts = redis.alerts.groups[0].rules.map((r) => r.alert);
    expect(alerts.includes('RedisMemoryNearLimit')).toBe(present);
    expect(alerts).toHaveLength(present ? 5 : 4);
  });
});

describe('Redis sentinel mode', () => {
  test('a primary, 2 replicas and 3 Sentinels with a majority quorum; clients are pointed at Sentinel', () => {
    const { redis, objects } = build({ mode: 'sentinel' });
    expect(find(objects, 'StatefulSet', 'redis')!.spec.replicas).toBe(3);
    expect(find(objects, 'StatefulSet', 'redis-sentinel')!.spec.replicas).toBe(3);
    expect(redis.sentinelConf).toContain('sentinel monitor redis redis-0.redis-headless.data.svc.cluster.local 6379 2\n');
    expect(redis.sentinelConf).toContain('sentinel down-after-milliseconds redis 5000\n');
    expect(redis.redisConf).toContain('min-replicas-to-write 1\n');
    expect(find(objects, 'Service', 'redis')).toBeUndefined();
    expect(redis.connection).toMatchObject({ host: 'redis-sentinel.data.svc.cluster.local', port: 26379, sentinelMasterName: 'redis' });
    expect(redis.connection.sentinelHosts).toEqual([0, 1, 2].map((i) => `redis-sentinel-${i}.redis-sentinel-headless.data.svc.cluster.local:26379`));
    expect(find(objects, 'PodDisruptionBudget', 'redis-sentinel')!.spec.maxUnavailable).toBe(1);
  });

  test("each Sentinel keeps its rewritten config on its own 1Gi volume at /data, Sentinel's dir", () => {
    const { redis, objects } = build({ mode: 'sentinel', storageClassName: 'gp3' });
    const sts = find(objects, 'StatefulSet', 'redis-sentinel')!;
    expect(sts.spec.volumeClaimTemplates).toEqual([
      {
        metadata: { name: 'data', labels: { 'app.kubernetes.io/name': 'redis', 'app.kubernetes.io/instance': 'redis', 'app.kubernetes.io/component': 'sentinel' } },
        spec: { accessModes: ['ReadWriteOnce'], storageClassName: 'gp3', resources: { requests: { storage: '1Gi' } } },
      },
    ]);
    expect(sts.spec.template.spec.containers[0].volumeMounts).toContainEqual({ name: 'data', mountPath: '/data' });
    expect(redis.sentinelConf).toContain('\ndir /data\n');
    expect(redis.sentinelConf).not.toContain('/tmp');
  });

  test('sentinelStorageGiB sizes the Sentinels\' volumes', () => {
    const { objects } = build({ mode: 'sentinel', sentinelStorageGiB: 2 });
    expect(find(objects, 'StatefulSet', 'redis-sentinel')!.spec.volumeClaimTemplates[0].spec.resources.requests.storage).toBe('2Gi');
  });

  test('the start-up script asks Sentinel for the primary, then the other data pods, before falling back to pod 0', () => {
    const { objects } = build({ mode: 'sentinel' });
    const script = find(objects, 'ConfigMap', 'redis-config')!.data!['start-redis.sh'];
    const order = ['SENTINEL get-master-addr-by-name redis', 'INFO replication', 'primary="redis-0.redis-headless.data.svc.cluster.local"'].map((t) => script.indexOf(t));
    expect(order.every((at) => at > 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(script).toContain('while [ "$i" -lt 3 ]; do');
    expect(script).toContain('requirepass');
  });

  test.each([
    [{ sentinels: 4 }, "'sentinels' (4) must be odd and at least 3: an even count tolerates no more failures than one fewer, and fewer than 3 cannot outvote a lost one"],
    [{ sentinels: 1 }, "'sentinels' (1) must be odd and at least 3"],
    [{ sentinels: 3.5 }, "'sentinels' (3.5) must be odd and at least 3: an even count tolerates no more failures than one fewer, and fewer than 3 cannot outvote a lost one"],
    [{ quorum: 1 }, "'quorum' (1) must be a majority of the 3 Sentinels, from 2 to 3"],
    [{ replicas: 0 }, "'replicas' (0) must be an integer >= 1 in sentinel mode: a failover needs a replica to promote"],
    [{ minReplicasToWrite: 2 }, "'minReplicasToWrite' (2) must be an integer from 0 to 1 (replicas per primary - 1) in sentinel mode: otherwise losing one replica stops every write"],
    [{ sentinelStorageGiB: 0 }, "'sentinelStorageGiB' (0) must be an integer >= 1"],
  ])('fails on %j', (props, message) => {
    expect(errorOf({ mode: 'sentinel', ...props })).toContain(`[test/redis] ${message}`);
  });
});

describe('Redis cluster mode', () => {
  test('3 primaries with 1 replica each, cluster-enabled, a bootstrap Job, bus port open between Redis pods', () => {
    const { redis, objects } = build({ mode: 'cluster' });
    expect(find(objects, 'StatefulSet', 'redis')!.spec.replicas).toBe(6);
    expect(redis.redisConf).toContain('cluster-enabled yes\n');
    expect(redis.redisConf).toContain('cluster-node-timeout 5000\n');
    expect(redis.redisConf).toContain('min-replicas-to-write 0\n');
    const job = find(objects, 'Job', 'redis-cluster-bootstrap')!;
    expect(job.spec.template.spec.containers[0].command).toEqual(['sh', '/etc/redis/cluster-bootstrap.sh']);
    expect(find(objects, 'ConfigMap', 'redis-config')!.data!['cluster-bootstrap.sh']).toContain('--cluster-replicas 1 --cluster-yes');
    const np = find(objects, 'NetworkPolicy', 'redis')!;
    expect(np.spec.ingress[0].ports.map((p: any) => p.port)).toEqual([6379, 26379, 16379]);
  });

  test('fails with fewer than 3 primaries', () => {
    expect(errorOf({ mode: 'cluster', shards: 2 })).toBe(
      "[test/redis] 'shards' (2) must be an integer >= 3: Redis Cluster needs a majority of primaries to agree on a failover",
    );
  });
});

describe('Redis props', () => {
  test('persistence off: no snapshots, no AOF, no volume claim (standalone)', () => {
    const { redis, objects } = build({ mode: 'standalone', persistence: false });
    expect(redis.redisConf).toContain('save ""\nappendonly no\n');
    expect(find(objects, 'StatefulSet', 'redis')!.spec.volumeClaimTemplates).toBeUndefined();
  });

  test('TLS: the TLS listener takes port 6379, plain TCP is off, the exporter speaks rediss', () => {
    const { redis, objects } = build({ mode: 'sentinel', tlsSecretName: 'redis-tls' });
    expect(redis.redisConf).toContain('port 0\ntls-port 6379\n');
    expect(redis.redisConf).toContain('tls-replication yes\n');
    expect(redis.sentinelConf).toContain('tls-port 26379\n');
    const pod = find(objects, 'StatefulSet', 'redis')!.spec.template.spec;
    expect(pod.volumes).toContainEqual({ name: 'tls', secret: { secretName: 'redis-tls', defaultMode: 0o440 } });
    expect(pod.containers[1].env[0]).toEqual({ name: 'REDIS_ADDR', value: 'rediss://localhost:6379' });
  });

  test('memory limit, percent and policy set maxmemory', () => {
    const { redis } = build({ mode: 'standalone', memoryLimit: '1Gi', maxmemoryPercentOfLimit: 50, maxmemoryPolicy: 'volatile-ttl' });
    expect(redis.redisConf).toContain(`maxmemory ${512 * 2 ** 20}\nmaxmemory-policy volatile-ttl\n`);
  });

  test.each(['standalone', 'sentinel', 'cluster'] as const)('%s: podLabels go on every pod template, never on a selector', (mode) => {
    const { objects } = build({ mode, podLabels: { 'platform.example.com/environment': 'staging' } });
    const templates = objects.filter((o) => ['StatefulSet', 'Job'].includes(o.kind));
    expect(templates.length).toBe({ standalone: 1, sentinel: 2, cluster: 2 }[mode]);
    for (const o of templates) expect([o.metadata.name, o.spec.template.metadata.labels['platform.example.com/environment']]).toEqual([o.metadata.name, 'staging']);
    const selectors = JSON.stringify(objects.map((o) => [o.spec?.selector, o.spec?.podSelector, o.spec?.template?.spec?.affinity, o.spec?.volumeClaimTemplates]));
    expect(selectors).not.toContain('environment');
  });

  test('required anti-affinity', () => {
    const { objects } = build({ mode: 'standalone', antiAffinity: 'required' });
    expect(find(objects, 'StatefulSet', 'redis')!.spec.template.spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution).toHaveLength(1);
  });

  test('client and metrics namespaces are admitted on their ports only', () => {
    const { objects } = build({ mode: 'standalone', clientNamespaces: ['apps'], metricsNamespaces: ['monitoring'] });
    const ingress = find(objects, 'NetworkPolicy', 'redis')!.spec.ingress;
    expect(ingress[1]).toEqual({ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'apps' } } }], ports: [{ protocol: 'TCP', port: 6379 }] });
    expect(ingress[2].ports).toEqual([{ protocol: 'TCP', port: 9121 }]);
  });

  test.each([
    [{ maxmemoryPolicy: 'lru' as any }, "'maxmemoryPolicy' ('lru') must be a maxmemory-policy Redis knows: noeviction, allkeys-lru, allkeys-lfu, allkeys-random, volatile-lru, volatile-lfu, volatile-random, volatile-ttl"],
    [{ image: 'redis:latest' }, "'image' ('redis:latest') must be pinned to a version tag or an @sha256 digest (not :latest, not tagless)"],
    [{ image: 'bitnami/redis:7.2.4' }, "'image' ('bitnami/redis:7.2.4') must be the official redis or valkey image: Bitnami images are no longer maintained"],
    [{ memoryLimit: 'lots' }, "'memoryLimit' ('lots') must be a memory quantity such as '512Mi' or '2Gi' (greater than 0)"],
    [{ maxmemoryPercentOfLimit: 95 }, "'maxmemoryPercentOfLimit' (95) must be an integer from 10 to 90"],
    [{ name: '1redis' }, "'name' ('1redis') must be an RFC 1035 label, as Service names are: 1-63 lower-case letters, digits or -, starting with a letter and ending alphanumeric"],
    [{ podLabels: { 'app.kubernetes.io/component': 'x' } }, "'podLabels.app.kubernetes.io/component' ('x') must not be set: this label is the construct's own (selectors use it)"],
    [{ podLabels: { 'platform.example.com/environment': 'not ok' } }, "'podLabels.platform.example.com/environment' ('not ok') must be a label value: at most 63 letters, digits, -, _ or ., starting and ending alphanumeric"],
    [{ podLabels: { '-bad': 'x' } }, "'podLabels' ('-bad') must have label keys: an optional DNS prefix and /, then 1-63 letters, digits, -, _ or ., starting and ending alphanumeric"],
    [{ passwordSecret: { name: 'redis-auth', key: 'pass/word' } }, "'passwordSecret.key' ('pass/word') must be a Secret key: 1-253 letters, digits, -, _ or ."],
    [{ passwordSecret: { name: 'Redis_Auth', key: 'password' } }, "'passwordSecret.name' ('Redis_Auth') must be a DNS label: 1-63 lower-case letters, digits or -, starting and ending alphanumeric"],
    [{ storageClassName: 'GP3_encrypted' }, "'storageClassName' ('GP3_encrypted') must be a DNS subdomain, as Kubernetes object names are: at most 253 characters, dot-separated labels of lower-case letters, digits or -, each starting and ending alphanumeric"],
  ])('fails on %j', (props, message) => {
    expect(errorOf({ mode: 'standalone', ...props })).toBe(`[test/redis] ${message}`);
  });
});
