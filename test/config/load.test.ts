import { environments, loadEnvironments } from '../../config';
import { editedRegistry, problemsOf, registryWith } from '../support/config';

describe('loadEnvironments', () => {
  test('accepts every committed environment', () => {
    expect(loadEnvironments(environments).map((e) => e.name)).toEqual(['dev', 'staging', 'prod']);
  });

  test('selects environments by name', () => {
    expect(loadEnvironments(environments, ['prod']).map((e) => e.name)).toEqual(['prod']);
  });

  test('fails on an unknown environment, listing the known ones', () => {
    expect(problemsOf(environments, ['qa'])).toEqual([
      "unknown environment 'qa'; known environments: dev, staging, prod",
    ]);
  });

  test('fails on a bad VPC CIDR', () => {
    const registry = registryWith('staging', (e) => (e.aws.vpcCidr = '10.20.0.1/16'));
    expect(problemsOf(registry)).toEqual([
      "environments.staging.aws.vpcCidr ('10.20.0.1/16') must be an IPv4 CIDR block with its host bits zero, such as '10.20.0.0/16'",
    ]);
  });

  test('fails on a zone outside the region', () => {
    const registry = registryWith('prod', (e) => (e.aws.zones = ['eu-west-1a', 'us-east-1b']));
    expect(problemsOf(registry)).toEqual([
      "environments.prod.aws.zones[1] ('us-east-1b') must be a zone of region 'eu-west-1', such as 'eu-west-1a'",
    ]);
  });

  test('fails on a zone listed twice', () => {
    const registry = registryWith('prod', (e) => (e.aws.zones = ['eu-west-1a', 'eu-west-1a']));
    expect(problemsOf(registry)).toEqual(["environments.prod.aws.zones[1] ('eu-west-1a') is listed twice"]);
  });

  test('fails on a misspelt field', () => {
    const registry = registryWith('dev', (e) => (e.clustr = {}));
    expect(problemsOf(registry)).toEqual([
      "environments.dev: unknown field(s) 'clustr'; check the spelling against config/schema/",
    ]);
  });

  test('fails when an EKS environment has no aws settings', () => {
    const registry = registryWith('staging', (e) => delete e.aws);
    expect(problemsOf(registry)).toEqual([
      "environments.staging.aws (undefined) is required when cluster.kind is 'eks'",
    ]);
  });

  test('fails when an environment name differs from its key', () => {
    const registry = registryWith('staging', (e) => (e.name = 'prod'));
    expect(problemsOf(registry)).toEqual([
      "environments.staging.name ('prod') must equal its registry key 'staging'",
    ]);
  });

  test('reports the problems of every environment at once', () => {
    const registry = editedRegistry((r) => {
      r.staging.aws.vpcCidr = 'nope';
      r.prod.aws.region = 'Europe';
    });
    const problems = problemsOf(registry);
    expect(problems.some((p) => p.startsWith('environments.staging.aws.vpcCidr'))).toBe(true);
    expect(problems.some((p) => p.startsWith("environments.prod.aws.region ('Europe') must be an AWS region"))).toBe(true);
  });
});

describe('tier', () => {
  test('production rules follow the tier, not the name', () => {
    const registry = registryWith('staging', (e) => {
      e.tier = 'production';
      e.apps[0].minReplicas = 1;
    });
    expect(problemsOf(registry, ['staging'])[0]).toMatch(
      /^environments\.staging\.apps\.\w+\.minReplicas \(1\) must be >= 2 in the production tier/,
    );
  });

  test('must be one of the known tiers', () => {
    const registry = registryWith('dev', (e) => (e.tier = 'prod'));
    expect(problemsOf(registry, ['dev'])).toEqual([
      "environments.dev.tier ('prod') must be one of 'development', 'staging', 'production'",
    ]);
  });
});
