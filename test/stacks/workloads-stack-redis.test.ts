import { synthAll } from '../support/synth';

/** How apps learn where Redis is: the same `redis-connection` ConfigMap in `apps`, whichever mode runs it. */
describe('redis-connection ConfigMap per environment', () => {
  test('prod (managed): workloads-prod makes it with Terraform, the host read from foundation-prod ElastiCache by cross-stack reference', () => {
    const json = synthAll().stack('workloads-prod');
    const maps = Object.values(json.resource.kubernetes_config_map_v1 ?? {}) as any[];
    expect(maps).toHaveLength(1);
    const [cm] = maps;
    expect(cm.metadata).toMatchObject({ name: 'redis-connection', namespace: 'apps' });
    expect(cm.data).toEqual({
      REDIS_MODE: 'managed',
      REDIS_HOST: expect.stringMatching(
        /^\$\{data\.terraform_remote_state\.cross-stack-reference-input-foundation-prod\.outputs\.cross-stack-output-aws_elasticache_replication_group\S+primary_endpoint_address\}$/,
      ),
      REDIS_PORT: '6379',
      REDIS_TLS: 'true',
    });
    const output = /outputs\.(\S+)\}$/.exec(cm.data.REDIS_HOST)![1];
    expect(synthAll().stack('foundation-prod').output[output].value).toMatch(/^\$\{aws_elasticache_replication_group\.redis_ReplicationGroup_[0-9A-F]+\.primary_endpoint_address\}$/);
    // Not also a plain manifest: no in-cluster Redis chart in prod, and no Terraform token in any manifest.
    expect(synthAll().objects('prod').filter((o) => o.metadata.name === 'redis-connection')).toEqual([]);
  });

  test.each([
    ['dev', 'standalone', 'redis.data.svc.cluster.local', '6379'],
    ['staging', 'sentinel', 'redis-sentinel.data.svc.cluster.local', '26379'],
  ])('%s (%s): the redis chart makes it as a plain manifest; no Terraform one', (env, mode, host, port) => {
    const [cm] = synthAll()
      .objects(env)
      .filter((o) => o.kind === 'ConfigMap' && o.metadata.name === 'redis-connection') as any[];
    expect(cm.metadata.namespace).toBe('apps');
    expect(cm.data).toMatchObject({ REDIS_MODE: mode, REDIS_HOST: host, REDIS_PORT: port, REDIS_TLS: 'false' });
    expect(synthAll().stack(`workloads-${env}`).resource.kubernetes_config_map_v1).toBeUndefined();
  });
});
