import { randomBytes } from 'crypto';
import { confString, freePorts, LocalRedis, waitFor } from '../support/redis-local';
import { K8sObject, synthAll } from '../support/synth';
import { describeWithTools } from '../support/tools';

/**
 * Proof that the Sentinel configuration staging ships fails over for real. The redis.conf and sentinel.conf are
 * taken byte for byte from the `redis-config` ConfigMap in dist/k8s/staging (synthesised like `npm run synth`).
 * What a local run must change is appended, as the pods' start-up scripts append their run-time lines (later
 * directives win in Redis config files):
 * - addresses: `bind 127.0.0.1`, a free `port`, and `replicaof 127.0.0.1 <port>` for the replicas (in the cluster
 *   the start-up script writes `replicaof <pod 0's DNS name>`); Sentinel's `sentinel monitor` line gets the
 *   primary's local address instead of pod 0's DNS name (the script rewrites the same line the same way);
 * - dirs: the `dir` line is replaced by a temp dir (Redis changes into `dir` while it parses the file, so the
 *   pods' /data cannot stay even for a moment);
 * - the password: made here, appended as `requirepass`/`masterauth` and Sentinel's `auth-pass`/`requirepass`/
 *   `sentinel-pass`, exactly the lines start-redis.sh and start-sentinel.sh append from the Secret.
 * Nothing else is changed.
 */

const ENV = 'staging';

function redisConfigMap(): K8sObject & { data: Record<string, string> } {
  const cm = synthAll()
    .objects(ENV)
    .find((o) => o.kind === 'ConfigMap' && o.metadata.name === 'redis-config');
  if (!cm) throw new Error(`no redis-config ConfigMap in dist/k8s/${ENV}: is ${ENV} in sentinel mode?`);
  return cm as K8sObject & { data: Record<string, string> };
}

describeWithTools(['redis-server', 'redis-sentinel', 'redis-cli'], `Sentinel failover with ${ENV}'s synthesised configuration`, () => {
  const password = randomBytes(18).toString('base64url');
  const local = new LocalRedis('redis-sentinel-', password);
  let redisConf: string;
  let sentinelConf: string;
  let masterName: string;
  let downAfterMs: number;
  let replicas: number;
  let sentinels: number;
  let redisPorts: number[];
  let sentinelPorts: number[];
  const KEYS = 400;

  beforeAll(async () => {
    const cm = redisConfigMap();
    redisConf = cm.data['redis.conf'];
    sentinelConf = cm.data['sentinel.conf'];
    const monitor = /^sentinel monitor (\S+) \S+ \d+ (\d+)$/m.exec(sentinelConf);
    const downAfter = /^sentinel down-after-milliseconds \S+ (\d+)$/m.exec(sentinelConf);
    if (!monitor || !downAfter) throw new Error(`sentinel.conf lacks a monitor or down-after line:\n${sentinelConf}`);
    masterName = monitor[1];
    downAfterMs = Number(downAfter[1]);
    const sts = synthAll()
      .objects(ENV)
      .filter((o) => o.kind === 'StatefulSet') as Array<K8sObject & { spec: { replicas: number } }>;
    replicas = sts.find((s) => s.metadata.name === 'redis')!.spec.replicas - 1;
    sentinels = sts.find((s) => s.metadata.name === 'redis-sentinel')!.spec.replicas;
    [redisPorts, sentinelPorts] = [await freePorts(replicas + 1), await freePorts(sentinels)];
  });

  afterAll(async () => {
    await local.stop();
  });

  test('boots a primary, its replicas and the Sentinels, fails over when the primary is killed, and loses no acknowledged write', async () => {
    expect(replicas).toBeGreaterThanOrEqual(2);
    expect(sentinels).toBeGreaterThanOrEqual(3);
    const auth = `requirepass ${confString(password)}\nmasterauth ${confString(password)}\n`;
    const local127 = (port: number) => `bind 127.0.0.1\nport ${port}\n`;
    const localDir = (conf: string, name: string) => conf.replace(/^dir .*$/m, `dir ${local.dir}/${name}`);

    // Data nodes: node 0 starts as the primary, the others replicate it (what start-redis.sh does on first boot).
    redisPorts.forEach((port, i) => {
      const replicaOf = i === 0 ? '' : `replicaof 127.0.0.1 ${redisPorts[0]}\n`;
      local.start('redis-server', `redis-${i}`, 'redis.conf', `${localDir(redisConf, `redis-${i}`)}${local127(port)}${auth}${replicaOf}`);
    });
    await waitFor('replicas in sync with the primary', 20000, () =>
      Number(local.info(redisPorts[0]).connected_slaves) === replicas &&
      redisPorts.slice(1).every((p) => local.info(p).master_link_status === 'up')
        ? true
        : undefined,
    );

    // Sentinels: the generated file with the monitor line pointed at the local primary.
    const monitorLine = new RegExp(`^sentinel monitor ${masterName} \\S+ \\d+ `, 'm');
    expect(sentinelConf).toMatch(monitorLine);
    sentinelPorts.forEach((port, i) => {
      const conf =
        localDir(sentinelConf, `sentinel-${i}`).replace(monitorLine, `sentinel monitor ${masterName} 127.0.0.1 ${redisPorts[0]} `) +
        local127(port) +
        `sentinel auth-pass ${masterName} ${confString(password)}\nrequirepass ${confString(password)}\nsentinel sentinel-pass ${confString(password)}\n`;
      local.start('redis-sentinel', `sentinel-${i}`, 'sentinel.conf', conf);
    });
    await waitFor('every Sentinel to see the replicas and the other Sentinels', 30000, () =>
      sentinelPorts.every((p) => {
        const fields = local.cli(p, ['SENTINEL', 'MASTER', masterName]).trim().split('\n');
        const get = (k: string) => fields[fields.indexOf(k) + 1];
        return Number(get('num-slaves')) === replicas && Number(get('num-other-sentinels')) === sentinels - 1;
      })
        ? true
        : undefined,
    );

    // Writes acknowledged by every replica (WAIT), on one connection.
    const writes = Array.from({ length: KEYS }, (_, i) => `SET ack:${i} v${i}`).join('\n');
    const out = local.cli(redisPorts[0], [], `${writes}\nWAIT ${replicas} 5000\n`).trim().split('\n');
    expect(out.slice(0, KEYS).every((l) => l === 'OK')).toBe(true);
    expect(Number(out[KEYS])).toBe(replicas);

    // Kill the primary by its pid, the way a crashed node goes.
    const pid = Number(local.info(redisPorts[0], 'server').process_id);
    const killedAt = Date.now();
    process.kill(pid, 'SIGKILL');

    // A replica is promoted within down-after-milliseconds plus one Sentinel election round (10 s, Sentinel's
    // fixed election timeout) and the promotion itself.
    const bound = downAfterMs + 10000 + 5000;
    const newPort = await waitFor(`a Sentinel to report a new primary within ${bound} ms`, bound, () => {
      const [host, port] = local.cli(sentinelPorts[0], ['SENTINEL', 'GET-MASTER-ADDR-BY-NAME', masterName]).trim().split('\n');
      return host === '127.0.0.1' && Number(port) !== redisPorts[0] ? Number(port) : undefined;
    });
    const failoverMs = Date.now() - killedAt;
    expect(failoverMs).toBeGreaterThanOrEqual(downAfterMs);
    expect(failoverMs).toBeLessThanOrEqual(bound);
    await waitFor('the promoted replica to answer as primary', 10000, () => (local.info(newPort).role === 'master' ? true : undefined));

    // Writes resume (min-replicas-to-write needs the other replica to follow the new primary first).
    const resumed = await waitFor('writes to resume on the new primary', 20000, () => {
      const reply = local.cli(newPort, ['SET', 'after-failover', 'yes']).trim();
      return reply === 'OK' ? reply : undefined;
    }, 250);
    expect(resumed).toBe('OK');
    expect(Number(local.cli(newPort, [], 'SET after-failover-2 yes\nWAIT 1 5000\n').trim().split('\n')[1])).toBeGreaterThanOrEqual(1);

    // No acknowledged key is lost: every key, with its value, on the new primary.
    const gets = Array.from({ length: KEYS }, (_, i) => `GET ack:${i}`).join('\n');
    const values = local.cli(newPort, [], `${gets}\n`).trim().split('\n');
    const lost = values.map((v, i) => (v === `v${i}` ? undefined : `ack:${i}=${v}`)).filter((v) => v !== undefined);
    expect(lost).toEqual([]);
    expect(values).toHaveLength(KEYS);
  }, 90000);
});
