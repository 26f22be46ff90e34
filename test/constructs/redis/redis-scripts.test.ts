import { spawnSync } from 'child_process';
import { Chart, Testing } from 'cdk8s';
import { Redis, RedisProps } from '../../../constructs/redis/redis';
import { CONFIG_MOUNT_PATH, DATA_MOUNT_PATH, RUN_MOUNT_PATH } from '../../../constructs/redis/redis-scripts';
import { hasTool } from '../../support/tools';

type Obj = { kind: string; metadata: { name: string }; spec?: any; data?: Record<string, string> };

function build(props: Pick<RedisProps, 'mode'> & Partial<RedisProps>): Obj[] {
  const chart = new Chart(Testing.app(), 'test');
  new Redis(chart, 'redis', { namespace: 'data', runbookBaseUrl: 'https://runbooks.example.com/redis.md', ...props });
  return Testing.synth(chart) as Obj[];
}

const scripts = (objects: Obj[]) => Object.entries(objects.find((o) => o.kind === 'ConfigMap')!.data!).filter(([k]) => k.endsWith('.sh'));

/** The behaviour is proven by running the scripts (test/output/redis-startup-scripts.test.ts); these check shape. */
describe('Redis start-up scripts', () => {
  const shell = hasTool('dash') ? 'dash' : 'sh';

  test.each([
    ['standalone', {}],
    ['sentinel', {}],
    ['cluster', {}],
    ['sentinel with TLS', { tlsSecretName: 'redis-tls' }],
    ['cluster with TLS', { tlsSecretName: 'redis-tls' }],
  ] as const)('%s: every script parses as POSIX sh', (mode, extra) => {
    for (const [name, text] of scripts(build({ mode: mode.split(' ')[0] as RedisProps['mode'], ...extra }))) {
      const result = spawnSync(shell, ['-n'], { input: text, encoding: 'utf8' });
      expect([name, result.status, result.stderr]).toEqual([name, 0, '']);
    }
  });

  test("the scripts' default paths are where the pods mount the ConfigMap, the run volume and the data volume", () => {
    const objects = build({ mode: 'sentinel' });
    const mounts = (sts: string) =>
      Object.fromEntries(
        (objects.find((o) => o.kind === 'StatefulSet' && o.metadata.name === sts)!.spec.template.spec.containers[0].volumeMounts as Array<{ name: string; mountPath: string }>).map((m) => [
          m.name,
          m.mountPath,
        ]),
      );
    expect(mounts('redis')).toMatchObject({ config: CONFIG_MOUNT_PATH, run: RUN_MOUNT_PATH, data: DATA_MOUNT_PATH });
    expect(mounts('redis-sentinel')).toMatchObject({ config: CONFIG_MOUNT_PATH, run: RUN_MOUNT_PATH, data: DATA_MOUNT_PATH });
    const [, startSentinel] = scripts(objects).find(([k]) => k === 'start-sentinel.sh')!;
    expect(startSentinel).toContain(`data_dir="\${REDIS_DATA_DIR:-${DATA_MOUNT_PATH}}"\n`);
    expect(startSentinel).toContain('conf="$data_dir/sentinel.conf"\n');
    expect(objects.find((o) => o.kind === 'ConfigMap')!.data!['sentinel.conf']).toContain(`\ndir ${DATA_MOUNT_PATH}\n`);
    const [, startRedis] = scripts(objects).find(([k]) => k === 'start-redis.sh')!;
    expect(startRedis).toContain(`config_dir="\${REDIS_CONFIG_DIR:-${CONFIG_MOUNT_PATH}}"\nrun_dir="\${REDIS_RUN_DIR:-${RUN_MOUNT_PATH}}"\n`);
    expect(startRedis).toContain(`data_dir="\${REDIS_DATA_DIR:-${DATA_MOUNT_PATH}}"\n`);
    expect(objects.find((o) => o.metadata.name === 'redis' && o.kind === 'StatefulSet')!.spec.template.spec.containers[0].command).toEqual([
      'sh',
      `${CONFIG_MOUNT_PATH}/start-redis.sh`,
    ]);
  });

  test("start-sentinel.sh waits for the primary's name at most 25 tries 2 s apart, under the liveness probe's 75 s", () => {
    const objects = build({ mode: 'sentinel' });
    const [, text] = scripts(objects).find(([k]) => k === 'start-sentinel.sh')!;
    expect(text).toContain('if [ "$n" -ge 25 ]; then');
    expect(text).toContain('    sleep 2\n');
    const probe = objects.find((o) => o.kind === 'StatefulSet' && o.metadata.name === 'redis-sentinel')!.spec.template.spec.containers[0].livenessProbe;
    expect(25 * 2).toBeLessThan(probe.initialDelaySeconds + probe.failureThreshold * probe.periodSeconds);
  });
});
