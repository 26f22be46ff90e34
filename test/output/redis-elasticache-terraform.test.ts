import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { Subnet } from '@cdktf/provider-aws/lib/subnet';
import { Vpc } from '@cdktf/provider-aws/lib/vpc';
import { App, TerraformStack } from 'cdktf';
import { randomBytes } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ElastiCacheRedis } from '../../constructs/redis/elasticache-redis';
import { synthAll } from '../support/synth';
import { findProviderMirror, TerraformWorkdir } from '../support/terraform';
import { describeWithTools } from '../support/tools';

/** A small stack holding only the ElastiCache construct and what it needs, planned offline. */
function elastiCacheStack(): Record<string, unknown> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'redis-ec-synth-'));
  try {
    const app = new App({ outdir: dir, stackTraces: false, hclOutput: false });
    const stack = new TerraformStack(app, 'ec');
    new AwsProvider(stack, 'aws', { region: 'eu-west-1' });
    const vpc = new Vpc(stack, 'vpc', { cidrBlock: '10.0.0.0/16' });
    const subnets = ['a', 'b'].map((z, i) => new Subnet(stack, `s${z}`, { vpcId: vpc.id, cidrBlock: `10.0.${i}.0/24`, availabilityZone: `eu-west-1${z}` }));
    const nodes = new SecurityGroup(stack, 'nodes', { vpcId: vpc.id, name: 'nodes' });
    const key = new KmsKey(stack, 'key', { enableKeyRotation: true });
    new ElastiCacheRedis(stack, 'redis', {
      name: 'test-cache',
      vpcId: vpc.id,
      subnetIds: subnets.map((s) => s.id),
      clientSecurityGroupIds: [nodes.id],
      kmsKeyArn: key.arn,
      snapshotRetentionDays: 5,
      authTokenVariableName: 'redis_auth_token',
    });
    app.synth();
    return JSON.parse(fs.readFileSync(path.join(dir, 'stacks', 'ec', 'cdk.tf.json'), 'utf8'));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describeWithTools(['terraform'], 'ElastiCache under the real AWS provider (offline)', () => {
  const mirror = findProviderMirror();
  const workdirs: TerraformWorkdir[] = [];
  const saved = process.env.TF_VAR_redis_auth_token;

  afterAll(() => {
    workdirs.forEach((w) => w.cleanup());
    if (saved === undefined) delete process.env.TF_VAR_redis_auth_token;
    else process.env.TF_VAR_redis_auth_token = saved;
  });

  test('the provider mirror is there', () => {
    expect(mirror).toBeDefined();
  });

  test('foundation-prod, which holds the ElastiCache group, passes terraform validate', () => {
    const json = synthAll().stack('foundation-prod');
    expect(Object.keys(json.resource.aws_elasticache_replication_group ?? {})).toHaveLength(1);
    const w = new TerraformWorkdir('foundation-prod', json, mirror!);
    workdirs.push(w);
    w.init();
    const result = w.validate();
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(result.valid).toBe(true);
  });

  test('plans a Multi-AZ, encrypted group whose token is a sensitive deploy-time variable, and rejects a short token', () => {
    const json = elastiCacheStack();
    const w = new TerraformWorkdir('ec', json, mirror!);
    workdirs.push(w);
    w.init();
    w.makeOffline();

    const rejected = w.run(['plan', '-input=false', '-lock=false', '-refresh=false', '-var', 'redis_auth_token=short']);
    expect(rejected.status).not.toBe(0);
    expect(rejected.stderr).toContain('The ElastiCache AUTH token must be 16-128 printable characters');

    const token = randomBytes(24).toString('hex');
    process.env.TF_VAR_redis_auth_token = token;
    // Given as at deploy time (TF_VAR_...; a work dir reads the environment when it is made). The shared
    // planJson() may pass its own fake value with -var instead, which wins; either way a value comes from outside.
    const w2 = new TerraformWorkdir('ec2', json, mirror!);
    workdirs.push(w2);
    w2.init();
    w2.makeOffline();
    const plan = w2.planJson() as unknown as { resource_changes: Array<{ type: string; change: { after: Record<string, any>; after_sensitive: Record<string, any> } }>; configuration: any };
    const group = plan.resource_changes.find((r) => r.type === 'aws_elasticache_replication_group')!;
    expect(group.change.after).toMatchObject({
      multi_az_enabled: true,
      automatic_failover_enabled: true,
      at_rest_encryption_enabled: 'true',
      transit_encryption_enabled: true,
      num_cache_clusters: 2,
      snapshot_retention_limit: 5,
      engine: 'redis',
      engine_version: '7.1',
    });
    expect(group.change.after_sensitive.auth_token).toBe(true);
    const params = plan.resource_changes.find((r) => r.type === 'aws_elasticache_parameter_group')!;
    expect(params.change.after.parameter).toEqual([{ name: 'maxmemory-policy', value: 'allkeys-lru' }]);
    const rules = plan.resource_changes.filter((r) => r.type === 'aws_vpc_security_group_ingress_rule');
    expect(rules.map((r) => [r.change.after.from_port, r.change.after.to_port, r.change.after.cidr_ipv4 ?? null])).toEqual([[6379, 6379, null]]);
    expect(plan.resource_changes.filter((r) => r.type === 'aws_vpc_security_group_egress_rule')).toEqual([]);
    // The synthesised JSON holds only a reference to the variable, never a value.
    const synthesised = Object.values((json as any).resource.aws_elasticache_replication_group)[0] as Record<string, unknown>;
    expect(synthesised.auth_token).toBe('${var.redis_auth_token}');
    expect((json as any).variable.redis_auth_token).toMatchObject({ sensitive: true, nullable: false });
    expect((json as any).variable.redis_auth_token.default).toBeUndefined();
    expect(JSON.stringify(json)).not.toContain(token);
  });
});
