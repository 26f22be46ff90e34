import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ConfigError, environments, loadEnvironments } from '../../config';
import { KNOWN_INSTANCE_TYPES_RULE } from '../../constructs/aws-foundation/capacity';
import { ACCOUNT_ID_RULE, ADDON_VERSION_RULE, EKS_VERSIONS, LOG_RETENTION_DAYS, ROLE_ARN_RULE } from '../../constructs/aws-foundation/rules';
import { clusterRequests, nodeCapacityProblems } from '../../config/schema/aws';
import { synthesizeAll } from '../../stacks/synth';
import { problemsOf, registryWith } from '../support/config';

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
      const r = registryWith('prod', ({ aws }) => Object.assign(aws.eks.nodeGroups[0], { minSize: 3, maxSize: 2, desiredSize: 3 }));
      expect(problemsOf(r)).toEqual(['environments.prod.aws.eks.nodeGroups.general.maxSize (2) must be >= minSize (3)']);
    });

    test('fails when desiredSize is above maxSize', () => {
      const r = registryWith('staging', ({ aws }) => (aws.eks.nodeGroups[0].desiredSize = 7));
      expect(problemsOf(r)).toEqual(['environments.staging.aws.eks.nodeGroups.general.desiredSize (7) must be from minSize (4) to maxSize (6)']);
    });

    test('fails when desiredSize is below minSize', () => {
      const r = registryWith('staging', ({ aws }) => (aws.eks.nodeGroups[0].desiredSize = 1));
      expect(problemsOf(r)).toEqual(['environments.staging.aws.eks.nodeGroups.general.desiredSize (1) must be from minSize (4) to maxSize (6)']);
    });

    test('fails on a node group name too long to carry a zone suffix (<name>-<zone>, at most 63 characters)', () => {
      const name = 'a'.repeat(53);
      const r = registryWith('prod', ({ aws }) => (aws.eks.nodeGroups[0].name = name));
      expect(problemsOf(r)).toEqual([
        `environments.prod.aws.eks.nodeGroups.${name}.name ('${name}') must be at most 52 characters: each zone gets its own node group named '<name>-<zone>' (at most 63)`,
      ]);
      expect(loadEnvironments(registryWith('prod', ({ aws }) => (aws.eks.nodeGroups[0].name = 'a'.repeat(52))), ['prod'])[0].aws?.eks.nodeGroups[0].name).toHaveLength(52);
    });

    test('fails on a fractional or negative size', () => {
      const r = registryWith('staging', ({ aws }) => Object.assign(aws.eks.nodeGroups[0], { minSize: -1, maxSize: 2.5 }));
      expect(problemsOf(r)).toEqual([
        'environments.staging.aws.eks.nodeGroups.general.minSize (-1) must be an integer from 0 to 1000',
        'environments.staging.aws.eks.nodeGroups.general.maxSize (2.5) must be an integer from 1 to 1000',
      ]);
    });

    test('fails on a root disk too small for the node image', () => {
      const r = registryWith('prod', ({ aws }) => (aws.eks.nodeGroups[0].diskGiB = 8));
      expect(problemsOf(r)).toEqual(['environments.prod.aws.eks.nodeGroups.general.diskGiB (8) must be an integer from 20 to 16384']);
    });

    test('fails on a malformed instance type and on none at all', () => {
      const r = registryWith('prod', ({ aws }) => {
        aws.eks.nodeGroups[0].instanceTypes = ['m6i-large'];
        aws.eks.nodeGroups.push({ name: 'spot', instanceTypes: [], minSize: 0, maxSize: 3, desiredSize: 0 });
      });
      expect(problemsOf(r)).toEqual([
        "environments.prod.aws.eks.nodeGroups.general.instanceTypes[0] ('m6i-large') must be an EC2 instance type such as 'm6i.large'",
        'environments.prod.aws.eks.nodeGroups.spot.instanceTypes ([]) must list at least one EC2 instance type',
      ]);
    });

    test('fails on two node groups with one name', () => {
      const r = registryWith('prod', ({ aws }) => aws.eks.nodeGroups.push({ ...aws.eks.nodeGroups[0] }));
      expect(problemsOf(r)).toEqual([
        "environments.prod.aws.eks.nodeGroups.general.name ('general') is a duplicate node group name: each node group needs its own",
      ]);
    });

    test('fails without any node group', () => {
      const r = registryWith('prod', ({ aws }) => (aws.eks.nodeGroups = []));
      expect(problemsOf(r)).toEqual([
        'environments.prod.aws.eks.nodeGroups ([]) must list at least one node group (a cluster without nodes runs no pods)',
      ]);
    });
  });

  describe('zones', () => {
    test('fails with one zone', () => {
      const r = registryWith('staging', ({ aws }) => (aws.zones = ['eu-west-1a']));
      expect(problemsOf(r)).toEqual([`environments.staging.aws.zones (["eu-west-1a"]) ${ZONES_RULE}`]);
    });

    test('fails with four zones', () => {
      const r = registryWith('prod', ({ aws }) => aws.zones.push('eu-west-1d'));
      expect(problemsOf(r)).toEqual([`environments.prod.aws.zones (["eu-west-1a","eu-west-1b","eu-west-1c","eu-west-1d"]) ${ZONES_RULE}`]);
    });

    test('fails on a zone of another region', () => {
      const r = registryWith('prod', ({ aws }) => (aws.zones = ['eu-west-1a', 'eu-central-1b']));
      expect(problemsOf(r)).toEqual(["environments.prod.aws.zones[1] ('eu-central-1b') must be a zone of region 'eu-west-1', such as 'eu-west-1a'"]);
    });
  });

  describe('CIDRs', () => {
    test('fails on a VPC too small for four /22 quarters', () => {
      const r = registryWith('staging', ({ aws }) => (aws.vpcCidr = '10.20.0.0/24'));
      expect(problemsOf(r)).toEqual([`environments.staging.aws.vpcCidr ('10.20.0.0/24') ${VPC_RULE}`]);
    });

    test('fails on a VPC wider than AWS allows', () => {
      const r = registryWith('staging', ({ aws }) => (aws.vpcCidr = '10.0.0.0/8'));
      expect(problemsOf(r)).toEqual([`environments.staging.aws.vpcCidr ('10.0.0.0/8') ${VPC_RULE}`]);
    });

    test('reports a malformed VPC CIDR once, as malformed', () => {
      const r = registryWith('staging', ({ aws }) => (aws.vpcCidr = '10.20.0.1/16'));
      expect(problemsOf(r)).toEqual([
        "environments.staging.aws.vpcCidr ('10.20.0.1/16') must be an IPv4 CIDR block with its host bits zero, such as '10.20.0.0/16'",
      ]);
    });

    test('fails when prod opens the public API endpoint to the internet', () => {
      const r = registryWith('prod', ({ aws }) => (aws.eks.publicEndpointCidrs = ['0.0.0.0/0']));
      expect(problemsOf(r)).toEqual([`environments.prod.aws.eks.publicEndpointCidrs[0] ('0.0.0.0/0') ${ENDPOINT_RULE}`]);
    });

    test('fails on a public endpoint range wider than /16, in staging too', () => {
      const r = registryWith('staging', ({ aws }) => (aws.eks.publicEndpointCidrs = ['203.0.113.0/24', '10.0.0.0/8']));
      expect(problemsOf(r)).toEqual([`environments.staging.aws.eks.publicEndpointCidrs[1] ('10.0.0.0/8') ${ENDPOINT_RULE}`]);
    });

    test('accepts no public endpoint range at all (private endpoint only)', () => {
      const r = registryWith('prod', ({ aws }) => (aws.eks.publicEndpointCidrs = []));
      expect(() => loadEnvironments(r)).not.toThrow();
    });
  });

  test('fails on an EKS version EKS does not run', () => {
    const r = registryWith('prod', ({ aws }) => (aws.eks.version = '1.29'));
    expect(problemsOf(r)).toEqual([`environments.prod.aws.eks.version ('1.29') must be a Kubernetes minor version EKS supports: ${EKS_VERSIONS.join(', ')}`]);
  });

  test('fails on a NAT mode that does not exist', () => {
    const r = registryWith('prod', ({ aws }) => (aws.natGateways = 'two'));
    expect(problemsOf(r)).toEqual(["environments.prod.aws.natGateways ('two') must be 'single' or 'perZone'"]);
  });

  test('fails on a log retention CloudWatch does not offer', () => {
    const r = registryWith('prod', ({ aws }) => (aws.logRetentionDays = 42));
    expect(problemsOf(r)).toEqual([`environments.prod.aws.logRetentionDays (42) must be a CloudWatch Logs retention: one of ${LOG_RETENTION_DAYS.join(', ')}`]);
  });

  describe('backups', () => {
    test('fails when objects would expire before they move to infrequent access', () => {
      const r = registryWith('prod', ({ aws }) => Object.assign(aws.backups, { transitionToInfrequentAccessDays: 60, expirationDays: 60 }));
      expect(problemsOf(r)).toEqual(['environments.prod.aws.backups.expirationDays (60) must be > transitionToInfrequentAccessDays (60)']);
    });

    test('fails on a transition S3 refuses (under 30 days)', () => {
      const r = registryWith('prod', ({ aws }) => (aws.backups.transitionToInfrequentAccessDays = 7));
      expect(problemsOf(r)).toEqual(['environments.prod.aws.backups.transitionToInfrequentAccessDays (7) must be an integer >= 30']);
    });

    test('fails when the backup bucket is the state bucket', () => {
      const r = registryWith('staging', ({ aws }) => (aws.backups.bucket = aws.state.bucket));
      expect(problemsOf(r)).toEqual([
        "environments.staging.aws.backups.bucket ('example-platform-tfstate-staging') must differ from state.bucket (state and backups have different lifecycles)",
      ]);
    });

    test('fails on a bucket name S3 refuses', () => {
      const r = registryWith('staging', ({ aws }) => (aws.backups.bucket = 'Backups_Staging'));
      expect(problemsOf(r)).toEqual([
        "environments.staging.aws.backups.bucket ('Backups_Staging') must be an S3 bucket name: 3-63 lower-case letters, digits, dots or hyphens",
      ]);
    });
  });

  test('fails on an IRSA service account that is not a DNS label', () => {
    const r = registryWith('prod', ({ aws }) => (aws.serviceAccounts = { vault: { namespace: 'vault', name: 'vault*' } }));
    expect(problemsOf(r)).toEqual([
      "environments.prod.aws.serviceAccounts.vault.name ('vault*') must be a DNS label: 1-63 lower-case letters, digits or -, starting and ending alphanumeric",
    ]);
  });

  test('a bad size stops the synth before it writes anything', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aws-config-'));
    try {
      const r = registryWith('prod', ({ aws }) => (aws.eks.nodeGroups[0].maxSize = 1));
      expect(() => synthesizeAll({ projectDir: dir, registry: r })).toThrow(ConfigError);
      expect(fs.readdirSync(dir)).toEqual([]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('aws config: account, cluster access, add-ons, storage, autoscaler', () => {
  test('the committed settings: account ids, one admin role each, reclaim Retain in prod and Delete in staging', () => {
    const [staging, prod] = loadEnvironments(environments, ['staging', 'prod']);
    expect(prod.aws).toMatchObject({ accountId: '444455556666' });
    expect(prod.aws?.eks).toMatchObject({
      adminPrincipalArns: ['arn:aws:iam::444455556666:role/platform-admins'],
      addonVersions: {},
      volumeReclaimPolicy: 'Retain',
      clusterAutoscaler: { replicas: 2 },
    });
    expect(staging.aws?.eks).toMatchObject({ volumeReclaimPolicy: 'Delete', clusterAutoscaler: { replicas: 1 } });
  });

  test('fails without an account id and on one that is not 12 digits', () => {
    expect(problemsOf(registryWith('prod', ({ aws }) => delete aws.accountId))).toEqual([`environments.prod.aws.accountId is required: ${ACCOUNT_ID_RULE}`]);
    expect(problemsOf(registryWith('prod', ({ aws }) => (aws.accountId = '12345')))).toEqual([`environments.prod.aws.accountId ('12345') ${ACCOUNT_ID_RULE}`]);
  });

  test('fails on an admin principal that is a user, a wildcard or listed twice', () => {
    const r = registryWith('prod', ({ aws }) => {
      aws.eks.adminPrincipalArns = [
        'arn:aws:iam::444455556666:user/alice',
        'arn:aws:iam::444455556666:role/*',
        'arn:aws:iam::444455556666:role/platform-admins',
        'arn:aws:iam::444455556666:role/platform-admins',
      ];
    });
    expect(problemsOf(r)).toEqual([
      `environments.prod.aws.eks.adminPrincipalArns[0] ('arn:aws:iam::444455556666:user/alice') ${ROLE_ARN_RULE}`,
      `environments.prod.aws.eks.adminPrincipalArns[1] ('arn:aws:iam::444455556666:role/*') ${ROLE_ARN_RULE}`,
      "environments.prod.aws.eks.adminPrincipalArns[3] ('arn:aws:iam::444455556666:role/platform-admins') is listed twice",
    ]);
  });

  test('accepts a role with a path as an admin principal', () => {
    const r = registryWith('prod', ({ aws }) => (aws.eks.adminPrincipalArns = ['arn:aws:iam::444455556666:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_Admin_0123']));
    expect(() => loadEnvironments(r)).not.toThrow();
  });

  test('pins an add-on version, and fails on a malformed one or an add-on the project does not install', () => {
    const ok = registryWith('prod', ({ aws }) => (aws.eks.addonVersions = { 'vpc-cni': 'v1.19.5-eksbuild.1' }));
    expect(loadEnvironments(ok, ['prod'])[0].aws?.eks.addonVersions).toEqual({ 'vpc-cni': 'v1.19.5-eksbuild.1' });
    expect(problemsOf(registryWith('prod', ({ aws }) => (aws.eks.addonVersions = { coredns: '1.11.4' })))).toEqual([
      `environments.prod.aws.eks.addonVersions.coredns ('1.11.4') ${ADDON_VERSION_RULE}`,
    ]);
    expect(problemsOf(registryWith('prod', ({ aws }) => (aws.eks.addonVersions = { 'eks-pod-identity-agent': 'v1.3.4-eksbuild.1' })))).toEqual([
      "environments.prod.aws.eks.addonVersions: unknown field(s) 'eks-pod-identity-agent'; check the spelling against config/schema/",
    ]);
  });

  test('fails on a reclaim policy Kubernetes does not have and on autoscaler replicas out of range', () => {
    const r = registryWith('prod', ({ aws }) => {
      aws.eks.volumeReclaimPolicy = 'Recycle';
      aws.eks.clusterAutoscaler = { replicas: 0 };
    });
    expect(problemsOf(r)).toEqual([
      "environments.prod.aws.eks.volumeReclaimPolicy ('Recycle') must be 'Retain' or 'Delete'",
      'environments.prod.aws.eks.clusterAutoscaler.replicas (0) must be an integer from 1 to 3',
    ]);
  });
});

describe('node-group sizing check', () => {
  const loadOne = (r: Record<string, unknown>, env: 'staging' | 'prod') => loadEnvironments(r, [env])[0];

  test('the committed staging and prod node groups pass', () => {
    for (const env of loadEnvironments(environments, ['staging', 'prod'])) expect(nodeCapacityProblems(env)).toEqual([]);
  });

  test('counts apps at their maximum: prod needs 24.4 vCPU at HPA max (21 of them the apps), 8.9 at minimum', () => {
    const prod = loadOne(environments, 'prod');
    const max = clusterRequests(prod, 'max');
    const min = clusterRequests(prod, 'min');
    // apps 21000m + Prometheus 2000m + Alertmanager 300m + Grafana 200m + system 720m + 2 autoscaler pods 200m.
    expect(max.cpuMillis).toBe(21000 + 2000 + 300 + 200 + 720 + 200);
    // apps 5500m at minReplicas, the rest unchanged.
    expect(min.cpuMillis).toBe(5500 + 2000 + 300 + 200 + 720 + 200);
  });

  test('fails when every app at maxReplicas does not fit at maxSize (prod on 6 nodes would leave pods Pending)', () => {
    const r = registryWith('prod', ({ aws }) => (aws.eks.nodeGroups[0].maxSize = 6));
    expect(nodeCapacityProblems(loadOne(r, 'prod'))).toEqual([
      "environments.prod.aws.eks.nodeGroups (maxSize general: 6, 3 zones x 2 = 6 nodes) must hold every app at maxReplicas plus the platform: requests 24.4 vCPU / 48.1 GiB, usable at maxSize 19.8 vCPU / 75.0 GiB; raise maxSize or lower the apps' maxReplicas or requests",
    ]);
  });

  test('fails when every app at minReplicas does not fit at minSize (staging on 2 nodes)', () => {
    const r = registryWith('staging', ({ aws }) => Object.assign(aws.eks.nodeGroups[0], { minSize: 2, desiredSize: 2 }));
    expect(nodeCapacityProblems(loadOne(r, 'staging'))).toEqual([
      "environments.staging.aws.eks.nodeGroups (minSize general: 2, 2 zones x 1 = 2 nodes) must hold every app at minReplicas plus the platform: requests 3.3 vCPU / 7.8 GiB, usable at minSize 3.0 vCPU / 11.9 GiB; raise minSize or lower the apps' minReplicas or requests",
    ]);
  });

  test('counts the nodes really created: per zone ceil(size / zones), so prod maxSize 7 is 3 zones x 3 = 9 nodes and fits', () => {
    // 7 nodes (23.1 vCPU usable) would not hold the 24.4 vCPU at maxReplicas; 9 do.
    expect(nodeCapacityProblems(loadOne(registryWith('prod', ({ aws }) => (aws.eks.nodeGroups[0].maxSize = 7)), 'prod'))).toEqual([]);
    expect(nodeCapacityProblems(loadOne(registryWith('prod', ({ aws }) => (aws.eks.nodeGroups[0].maxSize = 6)), 'prod'))).toHaveLength(1);
  });

  test('fails on an instance type it cannot size, rather than passing it unchecked', () => {
    const r = registryWith('prod', ({ aws }) => (aws.eks.nodeGroups[0].instanceTypes = ['t3.medium', 'm6i.xlarge']));
    expect(nodeCapacityProblems(loadOne(r, 'prod'))).toEqual([
      `environments.prod.aws.eks.nodeGroups.general.instanceTypes (["t3.medium","m6i.xlarge"]) must be instance types the sizing check knows: ${KNOWN_INSTANCE_TYPES_RULE} (add others to constructs/aws-foundation/capacity.ts)`,
    ]);
  });

  test('an undersized node group stops the synth before it writes anything', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aws-capacity-'));
    try {
      const r = registryWith('prod', ({ aws }) => (aws.eks.nodeGroups[0].maxSize = 6));
      expect(() => synthesizeAll({ projectDir: dir, registry: r })).toThrow(
        /^config error: environments\.prod\.aws\.eks\.nodeGroups \(maxSize general: 6, 3 zones x 2 = 6 nodes\) must hold every app at maxReplicas/,
      );
      expect(fs.readdirSync(dir)).toEqual([]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
