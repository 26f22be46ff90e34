import { execFileSync } from 'child_process';
import { randomBytes } from 'crypto';
import * as fs from 'fs';
import { Chart, Testing } from 'cdk8s';
import { Redis } from '../../constructs/redis/redis';
import { freeClusterPorts, freePorts, parseInfo, waitFor } from '../support/redis-local';
import { NetEntry, RedisPods } from '../support/redis-pod-shim';
import { K8sObject, synthAll } from '../support/synth';
import { describeWithTools } from '../support/tools';

/**
 * The Redis pods' start-up scripts, run for real: start-redis.sh and start-sentinel.sh exactly as staging's
 * `redis-config` ConfigMap carries them (synthesised like `npm run synth`; staging runs Sentinel mode), and
 * cluster-bootstrap.sh from the construct's ConfigMap in cluster mode (no environment runs it today). They run under
 * `dash` with only what a pod differs in replaced: environment (pod name, mounts, the password) and a PATH shim for
 * the network (pod DNS names -> 127.0.0.1 and a port per pod); see test/support/redis-pod-shim.ts for exactly what
 * the shim changes and what it cannot prove.
 */

const ENV = 'staging';
/** Characters a password may hold that redis.conf must escape (`"`, `\`) or that a shell might expand. */
const SECRET_PART = randomBytes(9).toString('base64url');
const PASSWORD = `p"w\\d $HOME %s 'q' ${SECRET_PART}`;

type ConfigMap = K8sObject & { data: Record<string, string> };

function stagingConfigMap(): ConfigMap {
  const cm = synthAll()
    .objects(ENV)
    .find((o) => o.kind === 'ConfigMap' && o.metadata.name === 'redis-config');
  if (!cm) throw new Error(`no redis-config ConfigMap in dist/k8s/${ENV}: is ${ENV} in sentinel mode?`);
  return cm as ConfigMap;
}

/** redis-cli against 127.0.0.1:port with no password, or with `auth` (for the refusals). */
function cliAs(port: number, args: string[], auth?: string): string {
  return execFileSync('redis-cli', ['-h', '127.0.0.1', '-p', String(port), ...args], {
    env: { PATH: process.env.PATH, ...(auth === undefined ? {} : { REDISCLI_AUTH: auth }) },
    encoding: 'utf8',
    timeout: 10000,
    stdio: ['ignore', 'pipe', 'pipe'],
  }).trim();
}

/** Whether something accepts connections on 127.0.0.1:port (redis-cli exits 1 when the connection is refused). */
function listening(port: number): boolean {
  try {
    cliAs(port, ['PING']);
    return true;
  } catch {
    return false;
  }
}

/** `SENTINEL MASTER <name>` as a map. */
function sentinelMaster(pods: RedisPods, port: number, masterName: string): Record<string, string> {
  const fields = pods.local.cli(port, ['SENTINEL', 'MASTER', masterName]).trim().split('\n');
  const out: Record<string, string> = {};
  for (let i = 0; i + 1 < fields.length; i += 2) out[fields[i]] = fields[i + 1];
  return out;
}

/** The escaped form start-redis.sh writes into redis.conf. */
const confQuoted = (value: string) => `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

describeWithTools(['redis-server', 'redis-sentinel', 'redis-cli', 'dash'], `Start-up scripts of ${ENV}'s Sentinel-mode pods, run under dash`, () => {
  let pods: RedisPods;
  let masterName: string;
  let podFqdn: (i: number) => string;
  let sentinelService: string;
  let redisPorts: number[];
  let sentinelPorts: number[];
  let dataPods: number;
  let sentinels: number;
  let newPrimary: number;

  const redisPod = (i: number) => `redis-${i}`;
  const sentinelPod = (i: number) => `${sentinelService}-${i}`;
  const startRedis = (i: number) => pods.run('start-redis.sh', redisPod(i), redisPorts[i]);
  const startSentinel = (i: number) => pods.run('start-sentinel.sh', sentinelPod(i), sentinelPorts[i]);
  const dns = (i: number): NetEntry => ({ name: podFqdn(i), clusterPort: 6379, localPort: redisPorts[i] });
  const linkUp = (i: number, primary: number) => {
    const info = pods.local.info(redisPorts[i]);
    return info.role === 'slave' && Number(info.master_port) === redisPorts[primary] && info.master_link_status === 'up' ? true : undefined;
  };

  beforeAll(async () => {
    const cm = stagingConfigMap();
    expect(Object.keys(cm.data).sort()).toEqual(['redis.conf', 'sentinel.conf', 'start-redis.sh', 'start-sentinel.sh']);
    const monitor = /^sentinel monitor (\S+) (\S+) 6379 \d+$/m.exec(cm.data['sentinel.conf']);
    if (!monitor) throw new Error(`sentinel.conf lacks a monitor line:\n${cm.data['sentinel.conf']}`);
    masterName = monitor[1];
    const [pod0, ...domain] = monitor[2].split('.');
    expect(pod0).toBe('redis-0');
    podFqdn = (i) => [redisPod(i), ...domain].join('.');
    const sts = synthAll()
      .objects(ENV)
      .filter((o) => o.kind === 'StatefulSet') as Array<K8sObject & { spec: { replicas: number } }>;
    dataPods = sts.find((s) => s.metadata.name === 'redis')!.spec.replicas;
    const sentinelSet = sts.find((s) => s.metadata.name !== 'redis')!;
    sentinelService = sentinelSet.metadata.name;
    sentinels = sentinelSet.spec.replicas;
    expect([dataPods, sentinels]).toEqual([3, 3]);
    [redisPorts, sentinelPorts] = [await freePorts(dataPods), await freePorts(sentinels)];
    pods = new RedisPods('redis-pods-', PASSWORD, cm.data);
    // The Sentinel Service's endpoints: kube-proxy (here the shim) reaches only those that listen.
    pods.addDns(...sentinelPorts.map((localPort) => ({ name: sentinelService, clusterPort: 26379, localPort })));
  });

  afterAll(async () => {
    await pods?.stop();
  });

  test('Sentinels started before pod 0 exists wait for its DNS name, then monitor it; pod 0 boots as the primary and requires the password', async () => {
    for (let i = 0; i < sentinels; i++) startSentinel(i);
    await waitFor('every Sentinel to log that it waits for pod 0', 10000, () =>
      Array.from({ length: sentinels }, (_, i) => pods.log(sentinelPod(i))).every((l) =>
        l.includes(`start-sentinel: waiting for ${podFqdn(0)} to resolve (its pod may not exist yet), try 1 of 25\n`),
      )
        ? true
        : undefined,
    );
    expect(sentinelPorts.map(listening)).toEqual(sentinelPorts.map(() => false));

    // Pod 0 gets its IP and DNS record, and its container runs start-redis.sh.
    pods.addDns(dns(0));
    startRedis(0);
    await waitFor('pod 0 to answer', 10000, () => (pods.local.cli(redisPorts[0], ['PING']).trim() === 'PONG' ? true : undefined));
    // No Sentinel answers yet and no other data pod exists: the true first boot, the one time pod 0 is elected.
    expect(pods.log(redisPod(0))).toContain(
      `start-redis: no Sentinel answered and no other data pod has data (0 answered): first boot, redis-0 is the primary\nstart-redis: primary is ${podFqdn(0)}\n`,
    );
    expect(pods.local.info(redisPorts[0]).role).toBe('master');
    const conf = pods.runtimeConf(redisPod(0), 'redis.conf');
    expect(conf.startsWith(stagingConfigMap().data['redis.conf'])).toBe(true);
    expect(conf.slice(stagingConfigMap().data['redis.conf'].length)).toBe(
      `requirepass ${confQuoted(PASSWORD)}\nmasterauth ${confQuoted(PASSWORD)}\nreplica-announce-ip ${podFqdn(0)}\n`,
    );

    // The password is required, and only the right one is accepted.
    expect(cliAs(redisPorts[0], ['GET', 'k'])).toBe('NOAUTH Authentication required.');
    expect(cliAs(redisPorts[0], ['AUTH', `${PASSWORD}x`])).toBe('WRONGPASS invalid username-password pair or user is disabled.');
    expect(cliAs(redisPorts[0], ['PING'], PASSWORD)).toBe('PONG');

    await waitFor('every Sentinel to start monitoring pod 0', 10000, () =>
      Array.from({ length: sentinels }, (_, i) => pods.log(sentinelPod(i))).every((l) => l.includes(`start-sentinel: monitoring ${podFqdn(0)}\n`)) ? true : undefined,
    );
  });

  test('pods 1 and 2 ask the Sentinels, boot as replicas of pod 0 and replicate a key', async () => {
    for (let i = 1; i < dataPods; i++) {
      pods.addDns(dns(i));
      startRedis(i);
      await waitFor(`pod ${i} to replicate pod 0`, 15000, () => linkUp(i, 0));
      expect(pods.log(redisPod(i))).toContain(`start-redis: primary is ${podFqdn(0)}\n`);
      expect(pods.runtimeConf(redisPod(i), 'redis.conf')).toMatch(new RegExp(`\nreplica-announce-ip ${podFqdn(i)}\nreplicaof ${podFqdn(0)} 6379\n$`));
    }
    // min-replicas-to-write 1: the write proves a replica counts, WAIT that both got it.
    const out = pods.local.cli(redisPorts[0], [], `SET boot-key v1\nWAIT ${dataPods - 1} 5000\n`).trim().split('\n');
    expect(out).toEqual(['OK', String(dataPods - 1)]);
    for (let i = 1; i < dataPods; i++) expect(pods.local.cli(redisPorts[i], ['GET', 'boot-key']).trim()).toBe('v1');
  });

  test('the Sentinels monitor pod 0 with the password: they require it, and see both replicas and each other', async () => {
    const seen = await waitFor('every Sentinel to see the replicas and the other Sentinels', 20000, () => {
      const all = sentinelPorts.map((p) => sentinelMaster(pods, p, masterName));
      return all.every((m) => Number(m['num-slaves']) === dataPods - 1 && Number(m['num-other-sentinels']) === sentinels - 1) ? all : undefined;
    });
    for (const m of seen) expect([m.ip, Number(m.port), m.flags]).toEqual(['127.0.0.1', redisPorts[0], 'master']);
    expect(cliAs(sentinelPorts[0], ['SENTINEL', 'MASTERS'])).toBe('NOAUTH Authentication required.');
    const conf = pods.runtimeConf(sentinelPod(0), 'sentinel.conf');
    expect(conf).toContain(`\nsentinel monitor ${masterName} ${podFqdn(0)} 6379 2\n`);
    const p = confQuoted(PASSWORD);
    expect(conf).toContain(
      `\nsentinel auth-pass ${masterName} ${p}\nrequirepass ${p}\nsentinel sentinel-pass ${p}\nsentinel announce-ip "${sentinelPod(0)}.${sentinelService}-headless.data.svc.cluster.local"\n`,
    );
  });

  test('start-redis.sh refuses to start on an error answer from the Sentinels (a wrong password) instead of writing it into redis.conf', async () => {
    const result = await pods.runToExit('start-redis.sh', 'redis-9', 0, 15000, { REDISCLI_AUTH: 'not-the-password' });
    expect(result.code).toBe(1);
    expect(result.output).toBe(
      `start-redis: the Sentinels (${sentinelService}:26379) answered 'NOAUTH Authentication required.' when asked for the primary of ${masterName}; not starting on a guess\n`,
    );
  });

  test('after a failover, the former primary restarted by start-redis.sh rejoins as a replica of the new primary that Sentinel reports', async () => {
    const killedAt = Date.now();
    await pods.kill(redisPod(0));
    newPrimary = await waitFor('a Sentinel to report a new primary', 25000, () => {
      const [host, port] = pods.local.cli(sentinelPorts[0], ['SENTINEL', 'GET-MASTER-ADDR-BY-NAME', masterName]).trim().split('\n');
      const i = redisPorts.indexOf(Number(port));
      return host === '127.0.0.1' && i > 0 ? i : undefined;
    }, 200);
    expect(Date.now() - killedAt).toBeGreaterThanOrEqual(5000);
    const written = await waitFor('writes on the new primary', 20000, () => (pods.local.cli(redisPorts[newPrimary], ['SET', 'after-failover', 'v2']).trim() === 'OK' ? true : undefined), 250);
    expect(written).toBe(true);

    // Pod 0's container restarts: same volumes, the script asks the Sentinels again.
    startRedis(0);
    await waitFor('pod 0 to answer again', 10000, () => (pods.local.cli(redisPorts[0], ['PING']).trim() === 'PONG' ? true : undefined));
    expect(pods.log(redisPod(0)).trim().split('\n').filter((l) => l.startsWith('start-redis:')).pop()).toBe(`start-redis: primary is ${podFqdn(newPrimary)}`);
    expect(pods.runtimeConf(redisPod(0), 'redis.conf')).toMatch(new RegExp(`\nreplicaof ${podFqdn(newPrimary)} 6379\n$`));
    // Straight away a replica of the new primary (not a primary that Sentinel would have to demote).
    expect(pods.local.info(redisPorts[0]).role).toBe('slave');
    await waitFor('pod 0 to replicate the new primary', 15000, () => linkUp(0, newPrimary));
    await waitFor('the write made after the failover to reach pod 0', 10000, () => (pods.local.cli(redisPorts[0], ['GET', 'after-failover']).trim() === 'v2' ? true : undefined));
  });

  test('a Sentinel on a new volume (no state of its own) asks the other Sentinels and monitors the new primary, not pod 0', async () => {
    await pods.kill(sentinelPod(2));
    fs.rmSync(pods.persistedConfPath(sentinelPod(2), 'sentinel.conf'));
    const from = pods.log(sentinelPod(2)).length;
    startSentinel(2);
    await waitFor('the restarted Sentinel to answer', 10000, () => (pods.local.cli(sentinelPorts[2], ['PING']).trim() === 'PONG' ? true : undefined));
    expect(pods.runtimeConf(sentinelPod(2), 'sentinel.conf')).toContain(`\nsentinel monitor ${masterName} ${podFqdn(newPrimary)} 6379 2\n`);
    expect(pods.log(sentinelPod(2)).slice(from)).toContain(`start-sentinel: monitoring ${podFqdn(newPrimary)}\n`);
    expect(pods.log(sentinelPod(2)).slice(from)).not.toContain('keeping the state');
    const [host, port] = pods.local.cli(sentinelPorts[2], ['SENTINEL', 'GET-MASTER-ADDR-BY-NAME', masterName]).trim().split('\n');
    expect([host, Number(port)]).toEqual(['127.0.0.1', redisPorts[newPrimary]]);
  });

  test('every Sentinel killed at once and restarted from its persisted config follows the new primary, keeps its identity, and takes the passwords only from the Secret', async () => {
    const all = Array.from({ length: sentinels }, (_, i) => i);
    const persisted = (i: number) => fs.readFileSync(pods.persistedConfPath(sentinelPod(i), 'sentinel.conf'), 'utf8');
    const monitorNew = `\nsentinel monitor ${masterName} 127.0.0.1 ${redisPorts[newPrimary]} 2\n`;
    const count = (text: string, what: string) => (text.match(new RegExp(`^sentinel ${what} ${masterName} `, 'gm')) ?? []).length;
    await waitFor('every Sentinel to have rewritten its config with the new primary (config epoch >= 1), both replicas and the other Sentinels', 20000, () =>
      all.every((i) => {
        const text = persisted(i);
        const epoch = /^sentinel config-epoch \S+ (\d+)$/m.exec(text);
        return text.includes(monitorNew) && Number(epoch?.[1]) >= 1 && count(text, 'known-replica') === dataPods - 1 && count(text, 'known-sentinel') === sentinels - 1;
      })
        ? true
        : undefined,
      250,
    );
    // What Sentinel itself writes there: the password, unquoted and as an ACL hash. None of it may come back.
    expect(persisted(0)).toMatch(/^user default on #[0-9a-f]{64} /m);
    const ids = all.map((i) => pods.local.cli(sentinelPorts[i], ['SENTINEL', 'MYID']).trim());

    await Promise.all(all.map((i) => pods.kill(sentinelPod(i))));
    const from = all.map((i) => pods.log(sentinelPod(i)).length);
    all.forEach(startSentinel);
    await waitFor('every Sentinel to answer again', 15000, () => (all.every((i) => pods.local.cli(sentinelPorts[i], ['PING']).trim() === 'PONG') ? true : undefined));

    const cmConf = stagingConfigMap().data['sentinel.conf'];
    const p = confQuoted(PASSWORD);
    for (const i of all) {
      const log = pods.log(sentinelPod(i)).slice(from[i]);
      expect(log).toContain(
        `start-sentinel: keeping the state persisted in ${pods.persistedConfPath(sentinelPod(i), 'sentinel.conf')} (primary 127.0.0.1 port ${redisPorts[newPrimary]})\n`,
      );
      expect(log).not.toContain(`monitoring ${podFqdn(0)}`);
      const [host, port] = pods.local.cli(sentinelPorts[i], ['SENTINEL', 'GET-MASTER-ADDR-BY-NAME', masterName]).trim().split('\n');
      expect([i, host, Number(port)]).toEqual([i, '127.0.0.1', redisPorts[newPrimary]]);
      expect(pods.local.cli(sentinelPorts[i], ['SENTINEL', 'MYID']).trim()).toBe(ids[i]);

      // The file start-sentinel.sh handed Sentinel: the ConfigMap's settings with the persisted primary, the
      // learned state, then the passwords from the Secret, once each, quoted.
      const written = pods.runtimeConf(sentinelPod(i), 'sentinel.conf');
      const settings = cmConf.replace(/^sentinel monitor (\S+) \S+ 6379 /m, `sentinel monitor $1 127.0.0.1 ${redisPorts[newPrimary]} `);
      expect(written.startsWith(settings)).toBe(true);
      const learned = written.slice(settings.length).split('\n').slice(0, -5);
      expect(learned.length).toBeGreaterThanOrEqual(4 + dataPods - 1 + sentinels - 1);
      for (const line of learned) expect(line).toMatch(new RegExp(`^sentinel (myid|current-epoch|(config-epoch|leader-epoch|known-replica|known-sentinel) ${masterName}) `));
      expect(learned).toContain(`sentinel myid ${ids[i]}`);
      expect(Number(/^sentinel config-epoch \S+ (\d+)$/m.exec(written)![1])).toBeGreaterThanOrEqual(1);
      expect(written.endsWith(`sentinel auth-pass ${masterName} ${p}\nrequirepass ${p}\nsentinel sentinel-pass ${p}\nsentinel announce-ip "${sentinelPod(i)}.${sentinelService}-headless.data.svc.cluster.local"\n`)).toBe(true);
      expect(written.split(SECRET_PART).length - 1).toBe(3);
      expect(written).not.toMatch(/^user /m);
    }
    const seen = await waitFor('the restarted Sentinels to see both replicas and each other again', 20000, () => {
      const m = all.map((i) => sentinelMaster(pods, sentinelPorts[i], masterName));
      return m.every((x) => Number(x['num-slaves']) === dataPods - 1 && Number(x['num-other-sentinels']) === sentinels - 1 && x.flags === 'master') ? m : undefined;
    });
    expect(seen.map((x) => Number(x.port))).toEqual(all.map(() => redisPorts[newPrimary]));
  });

  test('a Sentinel restarted after the Secret changed uses the new password, not the one in its persisted file', async () => {
    const rotated = `rotated-${randomBytes(8).toString('hex')}`;
    await pods.kill(sentinelPod(1));
    pods.run('start-sentinel.sh', sentinelPod(1), sentinelPorts[1], { REDIS_PASSWORD: rotated, REDISCLI_AUTH: rotated });
    await waitFor('the Sentinel to answer with the rotated password', 10000, () => (cliAs(sentinelPorts[1], ['PING'], rotated) === 'PONG' ? true : undefined));
    expect(cliAs(sentinelPorts[1], ['PING'], PASSWORD)).toBe('NOAUTH Authentication required.');
    const written = pods.runtimeConf(sentinelPod(1), 'sentinel.conf');
    expect(written).toContain(`\nrequirepass "${rotated}"\n`);
    expect(written).not.toContain(SECRET_PART);

    // Back to the password the data pods use.
    await pods.kill(sentinelPod(1));
    startSentinel(1);
    await waitFor('the Sentinel to answer with the password again', 10000, () => (cliAs(sentinelPorts[1], ['PING'], PASSWORD) === 'PONG' ? true : undefined));
    expect(pods.runtimeConf(sentinelPod(1), 'sentinel.conf')).not.toContain(rotated);
  });

  test('with every Sentinel down, a restarted pod 0 asks the other data pods and joins the current primary instead of becoming a second one', async () => {
    await Promise.all(Array.from({ length: sentinels }, (_, i) => pods.kill(sentinelPod(i))));
    expect(pods.local.cli(redisPorts[newPrimary], ['SET', 'sentinels-down', 'v3']).trim()).toBe('OK');
    await pods.kill(redisPod(0));
    const from = pods.log(redisPod(0)).length;
    startRedis(0);
    await waitFor('pod 0 to answer again', 15000, () => (pods.local.cli(redisPorts[0], ['PING']).trim() === 'PONG' ? true : undefined));
    const said = pods.log(redisPod(0)).slice(from).split('\n').filter((l) => l.startsWith('start-redis:'));
    expect(said).toEqual([`start-redis: no Sentinel answered; ${podFqdn(newPrimary)} is a primary with replicas connected`, `start-redis: primary is ${podFqdn(newPrimary)}`]);
    expect(pods.local.info(redisPorts[0]).role).toBe('slave');
    await waitFor('pod 0 to replicate the current primary', 15000, () => linkUp(0, newPrimary));
    await waitFor('the write made with the Sentinels down to reach pod 0', 10000, () => (pods.local.cli(redisPorts[0], ['GET', 'sentinels-down']).trim() === 'v3' ? true : undefined));
  });

  test('with every Sentinel down, the primary itself restarted stays the primary: its replicas name it', async () => {
    await pods.kill(redisPod(newPrimary));
    const from = pods.log(redisPod(newPrimary)).length;
    startRedis(newPrimary);
    await waitFor('the primary to answer again', 15000, () => (pods.local.cli(redisPorts[newPrimary], ['PING']).trim() === 'PONG' ? true : undefined));
    const said = pods.log(redisPod(newPrimary)).slice(from).split('\n').filter((l) => l.startsWith('start-redis:'));
    expect(said).toEqual([`start-redis: no Sentinel answered; ${podFqdn(0)} replicates from ${podFqdn(newPrimary)}`, `start-redis: primary is ${podFqdn(newPrimary)}`]);
    expect(pods.runtimeConf(redisPod(newPrimary), 'redis.conf')).not.toContain('\nreplicaof ');
    expect(pods.local.info(redisPorts[newPrimary]).role).toBe('master');
    for (let i = 0; i < dataPods; i++) if (i !== newPrimary) await waitFor(`pod ${i} to replicate the restarted primary`, 20000, () => linkUp(i, newPrimary));
    expect(pods.local.cli(redisPorts[newPrimary], ['GET', 'sentinels-down']).trim()).toBe('v3');
  });

  test('with every Sentinel down, start-redis.sh refuses to guess when a data pod answers with an error (a wrong password)', async () => {
    const result = await pods.runToExit('start-redis.sh', 'redis-9', 0, 20000, { REDISCLI_AUTH: 'not-the-password' });
    expect(result).toEqual({
      code: 1,
      output: `start-redis: no Sentinel answered, and ${podFqdn(0)} answered 'NOAUTH Authentication required.' when asked for its role; not starting on a guess\n`,
    });
  });

  test.each([
    ['empty', '', 'start-redis: REDIS_PASSWORD (the Secret\'s password) is empty: Redis would accept every client without authentication\n'],
    [
      'ending in a newline',
      'secret-from-a-file\n',
      "start-redis: REDIS_PASSWORD (the Secret's password) contains a line break, which redis.conf cannot hold (a Secret made from a file that ends in a newline?): remove it from the Secret\n",
    ],
    [
      'with a line break inside',
      'first\nsecond',
      "start-redis: REDIS_PASSWORD (the Secret's password) contains a line break, which redis.conf cannot hold (a Secret made from a file that ends in a newline?): remove it from the Secret\n",
    ],
  ])('start-redis.sh refuses a password that is %s, before starting Redis', async (_what, password, message) => {
    const pod = `redis-pw-${_what.replace(/\W+/g, '-')}`;
    const result = await pods.runToExit('start-redis.sh', pod, 0, 10000, { REDIS_PASSWORD: password, REDISCLI_AUTH: password });
    expect(result).toEqual({ code: 1, output: message });
  });
});

describeWithTools(['redis-sentinel', 'dash'], 'start-sentinel.sh when pod 0 never gets a DNS name', () => {
  let pods: RedisPods;

  afterAll(async () => {
    await pods?.stop();
  });

  test('waits a bounded number of tries, logging each, then exits 1 without starting Sentinel', async () => {
    pods = new RedisPods('redis-pods-nodns-', PASSWORD, stagingConfigMap().data);
    const host = /^sentinel monitor \S+ (\S+) /m.exec(stagingConfigMap().data['sentinel.conf'])![1];
    // The pod waits 2 s between tries; the shim's sleep makes each wait 10 ms here.
    const result = await pods.runToExit('start-sentinel.sh', 'redis-sentinel-0', 0, 15000, { SHIM_SLEEP_SECONDS: '0.01' });
    const tries = Array.from({ length: 24 }, (_, i) => `start-sentinel: waiting for ${host} to resolve (its pod may not exist yet), try ${i + 1} of 25\n`);
    expect(result).toEqual({
      code: 1,
      output: `${tries.join('')}start-sentinel: ${host} still does not resolve after 25 tries 2 s apart; exiting (the pod restarts and waits again)\n`,
    });
  });
});

describeWithTools(['redis-server', 'redis-cli', 'dash'], 'Start-up scripts of cluster-mode pods, run under dash', () => {
  const chart = new Chart(Testing.app(), 'test');
  const redis = new Redis(chart, 'redis', { mode: 'cluster', namespace: 'data', runbookBaseUrl: 'https://runbooks.example.com/redis.md' });
  const cm = (Testing.synth(chart) as ConfigMap[]).find((o) => o.kind === 'ConfigMap')!;
  const fqdn = (i: number) => `redis-${i}.redis-headless.data.svc.cluster.local`;
  let pods: RedisPods;
  let ports: number[];

  const clusterInfo = (port: number) => parseInfo(pods.local.cli(port, ['CLUSTER', 'INFO']));
  const nodeIds = () => ports.map((p) => pods.local.cli(p, ['CLUSTER', 'MYID']).trim());

  beforeAll(async () => {
    expect(Object.keys(cm.data).sort()).toEqual(['cluster-bootstrap.sh', 'redis.conf', 'start-redis.sh']);
    pods = new RedisPods('redis-pods-cluster-', PASSWORD, cm.data);
    ports = await freeClusterPorts(redis.dataPods);
    expect(new Set(ports).size).toBe(redis.dataPods);
  });

  afterAll(async () => {
    await pods?.stop();
  });

  test('every node boots from start-redis.sh announcing its DNS name; cluster-bootstrap.sh forms the cluster once, and a second run changes nothing', async () => {
    expect(redis.dataPods).toBe(6);
    ports.forEach((port, i) => {
      pods.addDns({ name: fqdn(i), clusterPort: 6379, localPort: port });
      pods.run('start-redis.sh', `redis-${i}`, port);
    });
    await waitFor('every node to answer', 10000, () => (ports.every((p) => pods.local.cli(p, ['PING']).trim() === 'PONG') ? true : undefined));
    ports.forEach((_, i) =>
      expect(pods.runtimeConf(`redis-${i}`, 'redis.conf').slice(redis.redisConf.length)).toBe(
        `requirepass ${confQuoted(PASSWORD)}\nmasterauth ${confQuoted(PASSWORD)}\ncluster-announce-hostname ${fqdn(i)}\n`,
      ),
    );

    const first = await pods.runToExit('cluster-bootstrap.sh', 'bootstrap', 0, 30000);
    expect(first.code).toBe(0);
    expect(first.output).toContain('>>> Performing hash slots allocation on 6 nodes...');
    expect(first.output).toContain('[OK] All 16384 slots covered.');
    await waitFor('every node to report cluster_state:ok', 15000, () => (ports.every((p) => clusterInfo(p).cluster_state === 'ok') ? true : undefined), 250);
    const roles = ports.map((p) => pods.local.info(p).role).sort();
    expect(roles).toEqual(['master', 'master', 'master', 'slave', 'slave', 'slave']);
    const ids = nodeIds();
    const epoch = clusterInfo(ports[0]).cluster_current_epoch;

    const second = await pods.runToExit('cluster-bootstrap.sh', 'bootstrap', 0, 30000);
    expect(second).toEqual({ code: 0, output: 'cluster-bootstrap: cluster already formed\n' });
    expect(nodeIds()).toEqual(ids);
    expect(clusterInfo(ports[0]).cluster_current_epoch).toBe(epoch);
    expect(ports.map((p) => pods.local.info(p).role).sort()).toEqual(roles);
  });
});
