import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ConfigError, environments, loadEnvironments } from '../../config';
import { EKS_VERSIONS, LOG_RETENTION_DAYS } from '../../constructs/aws-foundation/rules';
import { synthesizeAll } from '../../stacks/synth';

/** A deep copy of the real registry with one environment's `aws` section changed by `edit`. */
function registryWith(env: 'staging' | 'prod', edit: (aws: Record<string, any>) => void): Record<string, unknown> {
  const copy = JSON.parse(JSON.stringify(environments));
  edit(copy[env].aws);
  return copy;
}

function problemsOf(registry: Record<string, unknown>): string[] {
  try {
    loadEnvironments(registry);
  } catch (e) {
    if (e instanceof ConfigError) return [...e.problems];
    throw e;
  }
  throw new Error('expected a ConfigError');
}

const VPC_RULE =
  "must be a /16 to /20 block: AWS allows /16 at most, and each zone's private subnet (a quarter of the VPC) needs room for pod addresses";
const ENDPOINT_RULE =
  'must be a /16 or narrower IPv4 block (office, VPN or CI egress ranges): the public API endpoint is never open to the internet; list no range to keep the endpoint private only';
const ZONES_RULE = 'must list 2 or 3 availability zones (EKS needs two; the VPC has room for three)';

describe('aws config', () => {
  test('the committed staging and prod settings are valid, with defaults applied', () => {
    const [staging, prod] = loadEnvironments(environments, ['staging', 'prod']);
    expect(staging.aws).toMatchObject({ natGateways: 'single', logRetentionDays: 30 });
    expect(prod.aws).toMatchObject({ natGateways: 'perZone', logRetentionDays: 365 });
    expect(prod.aws?.eks.nodeGroups[0]).toMatchObject({ capacityType: 'ON_DEMAND', diskGiB: 100 });
    expect(prod.aws?.serviceAccounts).toEqual({
      vault: { namespace: 'vault', name: 'vault' },
      backups: { namespace: 'logging', name: 'elasticsearch-snapshots' },
    });
    expect(prod.aws?.backups.transitionToInfrequentAccessDays).toBe(30);
  });

  test('prod keeps the public API endpoint to known ranges and a NAT gateway per zone', () => {
    const [prod] = loadEnvironments(environments, ['prod']);
    expect(prod.aws?.eks.publicEndpointCidrs).not.toContain('0.0.0.0/0');
    expect(prod.aws?.natGateways).toBe('perZone');
  });

  describe('node group sizes', () => {
    test('fails when maxSize < minSize', () => {
      const r = registryWith('prod', (aws) => Object.assign(aws.eks.nodeGroups[0], { minSize: 3, maxSize: 2, desiredSize: 3 }));
      expect(problemsOf(r)).toEqual(['environments.prod.aws.eks.nodeGroups.general.maxSize (2) must be >= minSize (3)']);
    });

    test('fails when desiredSize is above maxSize', () => {
      const r = registryWith('staging', (aws) => (aws.eks.nodeGroups[0].desiredSize = 5));
      expect(problemsOf(r)).toEqual(['environments.staging.aws.eks.nodeGroups.general.desiredSize (5) must be from minSize (2) to maxSize (4)']);
    });

    test('fails when desiredSize is below minSize', () => {
      const r = registryWith('staging', (aws) => (aws.eks.nodeGroups[0].desiredSize = 1));
      expect(problemsOf(r)).toEqual(['environments.staging.aws.eks.nodeGroups.general.desiredSize (1) must be from minSize (2) to maxSize (4)']);
    });

    test('fails on a fractional or negative size', () => {
      const r = registryWith('staging', (aws) => Object.assign(aws.eks.nodeGroups[0], { minSize: -1, maxSize: 2.5 }));
      expect(problemsOf(r)).toEqual([
        'environments.staging.aws.eks.nodeGroups.general.minSize (-1) must be an integer from 0 to 1000',
        'environments.staging.aws.eks.nodeGroups.general.maxSize (2.5) must be an integer from 1 to 1000',
      ]);
    });

    test('fails on a root disk too small for the node image', () => {
      const r = registryWith('prod', (aws) => (aws.eks.nodeGroups[0].diskGiB = 8));
      expect(problemsOf(r)).toEqual(['environments.prod.aws.eks.nodeGroups.general.diskGiB (8) must be an integer from 20 to 16384']);
    });

    test('fails on a malformed instance type and on none at all', () => {
      const r = registryWith('prod', (aws) => {
        aws.eks.nodeGroups[0].instanceTypes = ['m6i-large'];
        aws.eks.nodeGroups.push({ name: 'spot', instanceTypes: [], minSize: 0, maxSize: 3, desiredSize: 0 });
      });
      expect(problemsOf(r)).toEqual([
        "environments.prod.aws.eks.nodeGroups.general.instanceTypes[0] ('m6i-large') must be an EC2 instance type such as 'm6i.large'",
        'environments.prod.aws.eks.nodeGroups.spot.instanceTypes ([]) must list at least one EC2 instance type',
      ]);
    });

    test('fails on two node groups with one name', () => {
      const r = registryWith('prod', (aws) => aws.eks.nodeGroups.push({ ...aws.eks.nodeGroups[0] }));
      expect(problemsOf(r)).toEqual([
        "environments.prod.aws.eks.nodeGroups.general.name ('general') is a duplicate node group name: each node group needs its own",
      ]);
    });

    test('fails without any node group', () => {
      const r = registryWith('prod', (aws) => (aws.eks.nodeGroups = []));
      expect(problemsOf(r)).toEqual([
        'environments.prod.aws.eks.nodeGroups ([]) must list at least one node group (a cluster without nodes runs no pods)',
      ]);
    });
  });

  describe('zones', () => {
    test('fails with one zone', () => {
      const r = registryWith('staging', (aws) => (aws.zones = ['eu-west-1a']));
      expect(problemsOf(r)).toEqual([`environments.staging.aws.zones (["eu-west-1a"]) ${ZONES_RULE}`]);
    });

    test('fails with four zones', () => {
      const r = registryWith('prod', (aws) => aws.zones.push('eu-west-1d'));
      expect(problemsOf(r)).toEqual([`environments.prod.aws.zones (["eu-west-1a","eu-west-1b","eu-west-1c","eu-west-1d"]) ${ZONES_RULE}`]);
    });

    test('fails on a zone of another region', () => {
      const r = registryWith('prod', (aws) => (aws.zones = ['eu-west-1a', 'eu-central-1b']));
      expect(problemsOf(r)).toEqual(["environments.prod.aws.zones[1] ('eu-central-1b') must be a zone of region 'eu-west-1', such as 'eu-west-1a'"]);
    });
  });

  describe('CIDRs', () => {
    test('fails on a VPC too small for four /22 quarters', () => {
      const r = registryWith('staging', (aws) => (aws.vpcCidr = '10.20.0.0/24'));
      expect(problemsOf(r)).toEqual([`environments.staging.aws.vpcCidr ('10.20.0.0/24') ${VPC_RULE}`]);
    });

    test('fails on a VPC wider than AWS allows', () => {
      const r = registryWith('staging', (aws) => (aws.vpcCidr = '10.0.0.0/8'));
      expect(problemsOf(r)).toEqual([`environments.staging.aws.vpcCidr ('10.0.0.0/8') ${VPC_RULE}`]);
    });

    test('reports a malformed VPC CIDR once, as malformed', () => {
      const r = registryWith('staging', (aws) => (aws.vpcCidr = '10.20.0.1/16'));
      expect(problemsOf(r)).toEqual([
        "environments.staging.aws.vpcCidr ('10.20.0.1/16') must be an IPv4 CIDR block with its host bits zero, such as '10.20.0.0/16'",
      ]);
    });

    test('fails when prod opens the public API endpoint to the internet', () => {
      const r = registryWith('prod', (aws) => (aws.eks.publicEndpointCidrs = ['0.0.0.0/0']));
      expect(problemsOf(r)).toEqual([`environments.prod.aws.eks.publicEndpointCidrs[0] ('0.0.0.0/0') ${ENDPOINT_RULE}`]);
    });

    test('fails on a public endpoint range wider than /16, in staging too', () => {
      const r = registryWith('staging', (aws) => (aws.eks.publicEndpointCidrs = ['203.0.113.0/24', '10.0.0.0/8']));
      expect(problemsOf(r)).toEqual([`environments.staging.aws.eks.publicEndpointCidrs[1] ('10.0.0.0/8') ${ENDPOINT_RULE}`]);
    });

    test('accepts no public endpoint range at all (private endpoint only)', () => {
      const r = registryWith('prod', (aws) => (aws.eks.publicEndpointCidrs = []));
      expect(() => loadEnvironments(r)).not.toThrow();
    });
  });

  test('fails on an EKS version EKS does not run', () => {
    const r = registryWith('prod', (aws) => (aws.eks.version = '1.29'));
    expect(problemsOf(r)).toEqual([`environments.prod.aws.eks.version ('1.29') must be a Kubernetes minor version EKS supports: ${EKS_VERSIONS.join(', ')}`]);
  });

  test('fails on a NAT mode that does not exist', () => {
    const r = registryWith('prod', (aws) => (aws.natGateways = 'two'));
    expect(problemsOf(r)).toEqual(["environments.prod.aws.natGateways ('two') must be 'single' or 'perZone'"]);
  });

  test('fails on a log retention CloudWatch does not offer', () => {
    const r = registryWith('prod', (aws) => (aws.logRetentionDays = 42));
    expect(problemsOf(r)).toEqual([`environments.prod.aws.logRetentionDays (42) must be a CloudWatch Logs retention: one of ${LOG_RETENTION_DAYS.join(', ')}`]);
  });

  describe('backups', () => {
    test('fails when objects would expire before they move to infrequent access', () => {
      const r = registryWith('prod', (aws) => Object.assign(aws.backups, { transitionToInfrequentAccessDays: 60, expirationDays: 60 }));
      expect(problemsOf(r)).toEqual(['environments.prod.aws.backups.expirationDays (60) must be > transitionToInfrequentAccessDays (60)']);
    });

    test('fails on a transition S3 refuses (under 30 days)', () => {
      const r = registryWith('prod', (aws) => (aws.backups.transitionToInfrequentAccessDays = 7));
      expect(problemsOf(r)).toEqual(['environments.prod.aws.backups.transitionToInfrequentAccessDays (7) must be an integer >= 30']);
    });

    test('fails when the backup bucket is the state bucket', () => {
      const r = registryWith('staging', (aws) => (aws.backups.bucket = aws.state.bucket));
      expect(problemsOf(r)).toEqual([
        "environments.staging.aws.backups.bucket ('example-platform-tfstate-staging') must differ from state.bucket (state and backups have different lifecycles)",
      ]);
    });

    test('fails on a bucket name S3 refuses', () => {
      const r = registryWith('staging', (aws) => (aws.backups.bucket = 'Backups_Staging'));
      expect(problemsOf(r)).toEqual([
        "environments.staging.aws.backups.bucket ('Backups_Staging') must be an S3 bucket name: 3-63 lower-case letters, digits, dots or hyphens",
      ]);
    });
  });

  test('fails on an IRSA service account that is not a DNS label', () => {
    const r = registryWith('prod', (aws) => (aws.serviceAccounts = { vault: { namespace: 'vault', name: 'vault*' } }));
    expect(problemsOf(r)).toEqual([
      "environments.prod.aws.serviceAccounts.vault.name ('vault*') must be a DNS label: 1-63 lower-case letters, digits or -, starting and ending alphanumeric",
    ]);
  });

  test('a bad size stops the synth before it writes anything', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aws-config-'));
    try {
      const r = registryWith('prod', (aws) => (aws.eks.nodeGroups[0].maxSize = 1));
      expect(() => synthesizeAll({ projectDir: dir, registry: r })).toThrow(ConfigError);
      expect(fs.readdirSync(dir)).toEqual([]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
