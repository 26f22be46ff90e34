import { Chart, Testing } from 'cdk8s';
import { randomBytes } from 'crypto';
import { Redis } from '../../constructs/redis/redis';
import { confString, freeClusterPorts, LocalRedis, parseInfo, waitFor } from '../support/redis-local';
import { describeWithTools } from '../support/tools';

/**
 * Proof that the generated Redis Cluster configuration forms a cluster and survives the loss of a primary. No
 * environment runs cluster mode today, so the configuration is the construct's public `redisConf` for the
 * default cluster shape (3 primaries, 1 replica each), the same text its ConfigMap carries. What a local run must
 * change is appended (later directives win) or, for `dir`, replaced:
 * - addresses: `bind 127.0.0.1`, a free `port` (the bus port follows: port + 10000), and
 *   `cluster-announce-hostname localhost` (in the cluster start-redis.sh appends the pod's DNS name);
 * - dirs: the `dir` line points at a temp dir (Redis changes into it while parsing, so /data cannot stay);
 * - the password: made here and appended as `requirepass`/`masterauth`, as start-redis.sh does from the Secret.
 * The cluster is formed with the same `redis-cli --cluster create ... --cluster-replicas N` the bootstrap Job runs.
 */

/** redis-cli -c prints a line per redirect it follows; the replies are the other lines. */
function replies(out: string): string[] {
  return out.trim().split('\n').filter((l) => !l.startsWith('-> Redirected'));
}

function clusterNodes(local: LocalRedis, port: number): Array<{ port: number; role: 'master' | 'slave'; masterId: string; id: string; failed: boolean }> {
  return local
    .cli(port, ['CLUSTER', 'NODES'])
    .trim()
    .split('\n')
    .map((line) => {
      const [id, addr, flags, masterId] = line.split(' ');
      return {
        id,
        port: Number(addr.split('@')[0].split(':')[1]),
        role: flags.includes('master') ? 'master' : 'slave',
        masterId,
        failed: flags.includes('fail'),
      };
    });
}

describeWithTools(['redis-server', 'redis-cli'], 'Redis Cluster from the generated configuration', () => {
  const password = randomBytes(18).toString('base64url');
  const local = new LocalRedis('redis-cluster-', password);
  const chart = new Chart(Testing.app(), 'test');
  const redis = new Redis(chart, 'redis', { mode: 'cluster', namespace: 'data', runbookBaseUrl: 'https://runbooks.example.com/redis.md' });
  const KEYS = 300;

  afterAll(async () => {
    await local.stop();
  });

  test('creates a cluster covering every slot, and keeps serving every key after losing a primary', async () => {
    expect(redis.dataPods).toBe(6);
    const nodeTimeout = Number(/^cluster-node-timeout (\d+)$/m.exec(redis.redisConf)![1]);
    // A cluster node's bus port is port + 10000: a plain free port above 55535 would be refused.
    const ports = await freeClusterPorts(redis.dataPods);
    ports.forEach((port, i) => {
      const conf =
        redis.redisConf.replace(/^dir .*$/m, `dir ${local.dir}/node-${i}`) +
        `bind 127.0.0.1\nport ${port}\ncluster-announce-hostname localhost\n` +
        `requirepass ${confString(password)}\nmasterauth ${confString(password)}\n`;
      local.start('redis-server', `node-${i}`, 'redis.conf', conf);
    });
    await waitFor('every node to answer', 10000, () => (ports.every((p) => local.cli(p, ['PING']).trim() === 'PONG') ? true : undefined));

    local.cli(ports[0], ['--cluster', 'create', ...ports.map((p) => `127.0.0.1:${p}`), '--cluster-replicas', '1', '--cluster-yes']);
    const ok = (p: number) => {
      const info = parseInfo(local.cli(p, ['CLUSTER', 'INFO']));
      return info.cluster_state === 'ok' && info.cluster_slots_ok === '16384' && info.cluster_slots_assigned === '16384';
    };
    await waitFor('every node to report cluster_state:ok with 16384 slots', 20000, () => (ports.every(ok) ? true : undefined), 250);
    const nodes = await waitFor('node 0 to see 3 primaries with 1 replica each', 20000, () => {
      const seen = clusterNodes(local, ports[0]);
      return seen.filter((n) => n.role === 'slave').length === 3 ? seen : undefined;
    }, 250);
    expect(nodes.filter((n) => n.role === 'master')).toHaveLength(3);
    expect(nodes.filter((n) => n.role === 'slave')).toHaveLength(3);

    // Write keys across every shard, then wait until each replica has everything its primary has.
    const sets = Array.from({ length: KEYS }, (_, i) => `SET key:${i} v${i}`).join('\n');
    const setReplies = replies(local.cli(ports[0], [], `${sets}\n`, ['-c']));
    expect(setReplies).toEqual(Array(KEYS).fill('OK'));
    await waitFor('replicas to catch up with their primaries', 10000, () =>
      ports.every((p) => {
        const info = local.info(p);
        if (info.role !== 'slave') return true;
        const primary = nodes.find((n) => n.port === Number(info.master_port))!;
        return Number(info.slave_repl_offset) >= Number(local.info(primary.port).master_repl_offset);
      })
        ? true
        : undefined,
    );

    // Kill one primary by its pid.
    const victim = nodes.find((n) => n.role === 'master')!;
    const victimReplica = nodes.find((n) => n.masterId === victim.id)!;
    const pid = Number(local.info(victim.port, 'server').process_id);
    const killedAt = Date.now();
    process.kill(pid, 'SIGKILL');

    // The replica takes over after the node timeout, the failure report and its election: allow twice the
    // timeout plus 5 s.
    const bound = 2 * nodeTimeout + 5000;
    const survivors = ports.filter((p) => p !== victim.port);
    await waitFor(`the replica of the lost primary to be promoted and every slot served within ${bound} ms`, bound, () =>
      local.info(victimReplica.port).role === 'master' && survivors.every(ok) ? true : undefined,
    250);
    expect(Date.now() - killedAt).toBeLessThanOrEqual(bound);

    // Every key still readable, and writes to every shard accepted.
    const gets = Array.from({ length: KEYS }, (_, i) => `GET key:${i}`).join('\n');
    const values = replies(local.cli(survivors[0], [], `${gets}\n`, ['-c']));
    expect(values).toHaveLength(KEYS);
    expect(values.map((v, i) => (v === `v${i}` ? undefined : `key:${i}=${v}`)).filter((v) => v !== undefined)).toEqual([]);
    const after = Array.from({ length: 50 }, (_, i) => `SET after:${i} x`).join('\n');
    expect(replies(local.cli(survivors[0], [], `${after}\n`, ['-c']))).toEqual(Array(50).fill('OK'));
  }, 90000);
});
