import { EnvironmentConfig, environments, loadEnvironments } from '../../config';
import { zonalSizes } from '../../constructs/aws-foundation/capacity';
import { KEY_ADMIN_ACTIONS } from '../../constructs/aws-foundation/kms-key';
import { describeWithTools } from '../support/tools';
import { Plan, ResourceChange, TerraformWorkdir, ProviderSource, providerSource } from '../support/terraform';
import { synthFoundationStacks } from '../support/terraform-synth';

/**
 * The foundation stacks against the real AWS provider (5.100.0, from the machine's filesystem mirror), offline:
 * `terraform init -backend=false` + `terraform validate` on the stack exactly as synthesised, then an offline
 * `terraform plan` of a copy (fake keys, skip_* flags, local state: test-only, see test/support/terraform.ts) whose
 * `terraform show -json` is where the security properties are asserted. One init per stack, reused.
 *
 * platform-<env> and workloads-<env> are not checked here: the kubernetes and helm providers are not mirrored, so
 * Terraform cannot validate them offline.
 */

const configs = new Map(loadEnvironments(environments).map((e) => [e.name, e]));
/** Every environment of the registry with AWS settings (an EKS cluster): each has a foundation stack. */
const AWS_ENVS = [...configs.values()].filter((e) => e.aws !== undefined).map((e) => e.name);
/**
 * Hard expectations per tier, independent of config: a config change that breaks them must fail here, and a new AWS
 * environment is held to its tier's.
 */
const EXPECTED_BY_TIER: Partial<Record<EnvironmentConfig['tier'], { natGateways: number; zones: number; managedRedis: boolean }>> = {
  staging: { natGateways: 1, zones: 2, managedRedis: false },
  production: { natGateways: 3, zones: 3, managedRedis: true },
};
const EXPECTED = Object.fromEntries(
  AWS_ENVS.map((e) => {
    const tier = configs.get(e)!.tier;
    const expected = EXPECTED_BY_TIER[tier];
    if (!expected) throw new Error(`${e}: no expectations for an AWS environment of tier '${tier}'; add them to EXPECTED_BY_TIER`);
    return [e, expected];
  }),
);

describeWithTools(['terraform'], 'foundation stacks against the real AWS provider (offline)', () => {
  let stacks: Map<string, Record<string, any>>;
  let source: ProviderSource;

  beforeAll(() => {
    // A local provider mirror when one is configured, else terraform init downloads the provider (docs/checks.md).
    source = providerSource();
    stacks = synthFoundationStacks();
  });

  test('every AWS environment has a foundation stack', () => {
    expect([...stacks.keys()].sort()).toEqual(AWS_ENVS.map((e) => `foundation-${e}`).sort());
  });

  describe.each(AWS_ENVS)('foundation-%s', (envName) => {
    const config = configs.get(envName) as EnvironmentConfig & { aws: NonNullable<EnvironmentConfig['aws']> };
    const aws = config.aws;
    let work: TerraformWorkdir;
    let validation: ReturnType<TerraformWorkdir['validate']>;
    let plan: Plan;

    beforeAll(() => {
      work = new TerraformWorkdir(`foundation-${envName}`, stacks.get(`foundation-${envName}`)!, source);
      work.init();
      validation = work.validate();
      work.makeOffline();
      plan = new Plan(work.planJson());
    }, 150_000);

    afterAll(() => work?.cleanup());

    const only = (type: string): ResourceChange => {
      const found = plan.created(type);
      expect(found).toHaveLength(1);
      return found[0];
    };
    const byAddress = (address: string) => plan.json.resource_changes.find((r) => r.address === address);

    test('the synthesised stack is valid for hashicorp/aws 5.100.0', () => {
      expect(validation.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      expect(validation.valid).toBe(true);
    });

    test('the synthesised stack keeps remote state in S3 with locking and carries no credentials', () => {
      const json = stacks.get(`foundation-${envName}`)!;
      expect(json.terraform.backend).toEqual({
        s3: { bucket: aws.state.bucket, key: `foundation-${envName}/terraform.tfstate`, region: aws.region, encrypt: true, use_lockfile: true },
      });
      const provider = json.provider.aws[0];
      for (const key of ['access_key', 'secret_key', 'token', 'skip_credentials_validation', 'skip_requesting_account_id', 'skip_metadata_api_check', 'skip_region_validation']) {
        expect(provider).not.toHaveProperty(key);
      }
    });

    test('the plan succeeds, creates the foundation, and reads no data source that calls AWS', () => {
      expect(plan.json.errored).toBe(false);
      for (const type of ['aws_vpc', 'aws_eks_cluster', 'aws_iam_openid_connect_provider', 'aws_s3_bucket', 'aws_flow_log']) {
        expect(plan.created(type)).toHaveLength(1);
      }
      // aws_iam_policy_document is computed by the provider itself; anything else (availability zones, caller
      // identity) would need AWS and hang offline.
      const dataTypes = new Set(plan.json.resource_changes.filter((r) => r.mode === 'data').map((r) => r.type));
      expect([...dataTypes]).toEqual(['aws_iam_policy_document']);
    });

    test('subnets span exactly the configured zones, public and private, tagged for load balancers', () => {
      const subnets = plan.created('aws_subnet').map((s) => s.change.after);
      expect(aws.zones).toHaveLength(EXPECTED[envName].zones);
      const privateSubnets = subnets.filter((s) => s.tags['kubernetes.io/role/internal-elb'] === '1');
      const publicSubnets = subnets.filter((s) => s.tags['kubernetes.io/role/elb'] === '1');
      expect(privateSubnets.map((s) => s.availability_zone).sort()).toEqual([...aws.zones].sort());
      expect(publicSubnets.map((s) => s.availability_zone).sort()).toEqual([...aws.zones].sort());
      expect(subnets).toHaveLength(2 * aws.zones.length);
      for (const s of publicSubnets) expect(s.map_public_ip_on_launch).toBe(false);
    });

    test(`NAT: ${EXPECTED[envName].natGateways} gateway(s), in public subnets, and every private subnet routes through one`, () => {
      const nats = plan.created('aws_nat_gateway');
      expect(nats).toHaveLength(EXPECTED[envName].natGateways);
      const publicSubnetAddresses = new Set(
        plan.created('aws_subnet').filter((s) => s.change.after.tags['kubernetes.io/role/elb'] === '1').map((s) => s.address),
      );
      for (const nat of nats) {
        const [subnet] = Plan.refs(plan.config(nat.address).expressions.subnet_id);
        expect(publicSubnetAddresses.has(subnet)).toBe(true);
      }
      const natAddresses = new Set(nats.map((n) => n.address));
      const privateTables = plan.created('aws_route_table').filter((t) => t.change.after.tags.Name.includes('-private-'));
      expect(privateTables).toHaveLength(aws.zones.length);
      const targets = privateTables.map((t) => Plan.refs(plan.config(t.address).expressions.route).filter((r) => natAddresses.has(r)));
      for (const t of targets) expect(t).toHaveLength(1);
      // perZone: each zone has its own gateway; single: all share one.
      expect(new Set(targets.flat()).size).toBe(EXPECTED[envName].natGateways);
    });

    test('VPC flow logs record all traffic of the VPC into a log group with the configured retention', () => {
      const flow = only('aws_flow_log');
      expect(flow.change.after).toMatchObject({ traffic_type: 'ALL', log_destination_type: 'cloud-watch-logs', max_aggregation_interval: 60 });
      const expr = plan.config(flow.address).expressions;
      expect(Plan.refs(expr.vpc_id)).toEqual([only('aws_vpc').address]);
      const [group] = Plan.refs(expr.log_destination);
      expect(byAddress(group)?.change.after.retention_in_days).toBe(aws.logRetentionDays);
    });

    test('the default security group of the VPC has no rules', () => {
      expect(only('aws_default_security_group').change.after).toMatchObject({ ingress: [], egress: [] });
    });

    test('node launch templates require IMDSv2 and keep IMDS on the node (hop limit 1); every node group uses one', () => {
      const templates = plan.created('aws_launch_template');
      const groups = plan.created('aws_eks_node_group');
      expect(groups).toHaveLength(aws.eks.nodeGroups.length * aws.zones.length);
      expect(templates).toHaveLength(groups.length);
      for (const t of templates) {
        expect(t.change.after.metadata_options).toEqual([
          expect.objectContaining({ http_endpoint: 'enabled', http_tokens: 'required', http_put_response_hop_limit: 1 }),
        ]);
        expect(t.change.after.block_device_mappings[0].ebs[0]).toMatchObject({ encrypted: 'true', volume_type: 'gp3' });
      }
      const templateAddresses = templates.map((t) => t.address).sort();
      const used = groups.map((g) => Plan.refs(plan.config(g.address).expressions.launch_template[0].id)[0]).sort();
      expect(used).toEqual(templateAddresses);
    });

    test('node launch templates attach no security groups of their own, so EKS puts the cluster security group on the nodes', () => {
      for (const t of plan.created('aws_launch_template')) {
        expect(t.change.after.vpc_security_group_ids ?? []).toEqual([]);
        expect(t.change.after.security_group_names ?? []).toEqual([]);
        expect(t.change.after.network_interfaces ?? []).toEqual([]);
        const expr = plan.config(t.address).expressions;
        for (const key of ['vpc_security_group_ids', 'security_group_names', 'network_interfaces']) expect(expr).not.toHaveProperty(key);
      }
      // No SSH access block either: with remote_access, EKS would create and attach a security group of its own.
      for (const g of plan.created('aws_eks_node_group')) expect(g.change.after.remote_access ?? []).toEqual([]);
    });

    test('one node group per configured group and zone, named <group>-<zone>, each in the one private subnet of its zone', () => {
      const groups = plan.created('aws_eks_node_group');
      const subnets = new Map(plan.created('aws_subnet').map((s) => [s.address, s.change.after]));
      const placed = groups.map((g) => {
        const refs = Plan.refs(plan.config(g.address).expressions.subnet_ids);
        expect(refs).toHaveLength(1);
        const subnet = subnets.get(refs[0])!;
        expect(subnet.tags['kubernetes.io/role/internal-elb']).toBe('1');
        return `${g.change.after.node_group_name} in ${subnet.availability_zone}`;
      });
      const expected = aws.eks.nodeGroups.flatMap((spec) => aws.zones.map((zone) => `${spec.name}-${zone} in ${zone}`));
      expect(placed.sort()).toEqual(expected.sort());
      expect(new Set(aws.zones).size).toBe(EXPECTED[envName].zones);
    });

    test('node groups are sized from config: ceil(size / zones) per zone, so the zones together hold at least what config asks', () => {
      const groups = plan.created('aws_eks_node_group').map((g) => g.change.after);
      for (const spec of aws.eks.nodeGroups) {
        const perZone = zonalSizes(spec, aws.zones.length);
        const mine = groups.filter((x) => aws.zones.some((zone) => x.node_group_name === `${spec.name}-${zone}`));
        expect(mine).toHaveLength(aws.zones.length);
        for (const g of mine) {
          expect(g).toMatchObject({
            instance_types: spec.instanceTypes,
            capacity_type: spec.capacityType,
            scaling_config: [{ min_size: perZone.minSize, max_size: perZone.maxSize, desired_size: perZone.desiredSize }],
          });
        }
        const total = (field: 'min_size' | 'max_size') => mine.reduce((n, g) => n + g.scaling_config[0][field], 0);
        expect(total('min_size')).toBeGreaterThanOrEqual(spec.minSize);
        expect(total('max_size')).toBeGreaterThanOrEqual(spec.maxSize);
      }
      const disks = plan.created('aws_launch_template').map((t) => t.change.after.block_device_mappings[0].ebs[0].volume_size).sort();
      expect(disks).toEqual(aws.eks.nodeGroups.flatMap((g) => aws.zones.map(() => g.diskGiB)).sort());
    });

    test(`ElastiCache (${EXPECTED[envName].managedRedis ? 'managed Redis' : 'none: Redis runs in the cluster'}): port 6379 open only to the EKS cluster security group, no CIDR`, () => {
      const groups = plan.created('aws_elasticache_replication_group');
      expect(groups).toHaveLength(EXPECTED[envName].managedRedis ? 1 : 0);
      expect(config.redis.mode === 'managed').toBe(EXPECTED[envName].managedRedis);
      if (!EXPECTED[envName].managedRedis) return;
      const [redisSg] = Plan.refs(plan.config(groups[0].address).expressions.security_group_ids);
      expect(byAddress(redisSg)?.type).toBe('aws_security_group');
      expect(Plan.refs(plan.config(groups[0].address).expressions.security_group_ids)).toEqual([redisSg]);
      // No inline rules on the group, no legacy rule resources: every ingress is one of the rules below.
      expect(plan.config(redisSg).expressions).not.toHaveProperty('ingress');
      expect(plan.created('aws_security_group_rule')).toEqual([]);
      const ingress = plan.created('aws_vpc_security_group_ingress_rule').filter((r) => Plan.refs(plan.config(r.address).expressions.security_group_id).includes(redisSg));
      expect(ingress).toHaveLength(1);
      const [rule] = ingress;
      expect(rule.change.after).toMatchObject({ ip_protocol: 'tcp', from_port: 6379, to_port: 6379, cidr_ipv4: null, cidr_ipv6: null, prefix_list_id: null });
      const cluster = only('aws_eks_cluster');
      expect(plan.config(rule.address).expressions.referenced_security_group_id.references).toContain(`${cluster.address}.vpc_config[0].cluster_security_group_id`);
      expect(Plan.refs(plan.config(rule.address).expressions.referenced_security_group_id)).toEqual([cluster.address]);
    });

    test('EKS: configured version, all control-plane logs, secrets encrypted with the rotating data key', () => {
      const cluster = only('aws_eks_cluster');
      expect(cluster.change.after.version).toBe(aws.eks.version);
      expect([...cluster.change.after.enabled_cluster_log_types].sort()).toEqual(['api', 'audit', 'authenticator', 'controllerManager', 'scheduler']);
      expect(cluster.change.after.encryption_config[0].resources).toEqual(['secrets']);
      const [key] = Plan.refs(plan.config(cluster.address).expressions.encryption_config[0].provider[0].key_arn);
      expect(key).toMatch(/^aws_kms_key\.data-key_/);
      expect(byAddress(key)?.change.after.enable_key_rotation).toBe(true);
      const logGroup = plan.created('aws_cloudwatch_log_group').find((g) => g.change.after.name === `/aws/eks/platform-${envName}/cluster`);
      expect(logGroup?.change.after.retention_in_days).toBe(aws.logRetentionDays);
    });

    test('EKS: private endpoint on, public endpoint limited to the configured ranges, never 0.0.0.0/0', () => {
      const vpc = only('aws_eks_cluster').change.after.vpc_config[0];
      expect(vpc.endpoint_private_access).toBe(true);
      expect(vpc.endpoint_public_access).toBe(aws.eks.publicEndpointCidrs.length > 0);
      if (vpc.endpoint_public_access) expect(vpc.public_access_cidrs).toEqual(aws.eks.publicEndpointCidrs);
      expect(vpc.public_access_cidrs ?? []).not.toContain('0.0.0.0/0');
      for (const c of vpc.public_access_cidrs ?? []) expect(Number(c.split('/')[1])).toBeGreaterThanOrEqual(16);
    });

    test('every KMS key is customer-managed with rotation on', () => {
      const keys = plan.created('aws_kms_key');
      expect(keys.length).toBeGreaterThanOrEqual(2); // data key + Vault unseal key
      for (const k of keys) expect(k.change.after).toMatchObject({ enable_key_rotation: true, rotation_period_in_days: 365, deletion_window_in_days: 30 });
    });

    test('backup bucket: versioned, KMS-encrypted with the data key, public access blocked, lifecycle from config', () => {
      const bucket = only('aws_s3_bucket');
      expect(bucket.change.after.bucket).toBe(aws.backups.bucket);
      const onBucket = (type: string) => {
        const r = only(type);
        expect(Plan.refs(plan.config(r.address).expressions.bucket)).toEqual([bucket.address]);
        return r;
      };
      expect(onBucket('aws_s3_bucket_versioning').change.after.versioning_configuration).toEqual([expect.objectContaining({ status: 'Enabled' })]);
      const sse = onBucket('aws_s3_bucket_server_side_encryption_configuration');
      expect(sse.change.after.rule[0].apply_server_side_encryption_by_default[0].sse_algorithm).toBe('aws:kms');
      const [key] = Plan.refs(plan.config(sse.address).expressions.rule[0].apply_server_side_encryption_by_default[0].kms_master_key_id);
      expect(key).toMatch(/^aws_kms_key\.data-key_/);
      expect(onBucket('aws_s3_bucket_public_access_block').change.after).toMatchObject({
        block_public_acls: true,
        block_public_policy: true,
        ignore_public_acls: true,
        restrict_public_buckets: true,
      });
      const rules: any[] = onBucket('aws_s3_bucket_lifecycle_configuration').change.after.rule;
      const byPrefix = (prefix: string) => rules.filter((r) => r.filter.some((f: any) => f.prefix === prefix));
      expect(byPrefix('backups/')).toEqual([
        expect.objectContaining({
          status: 'Enabled',
          transition: [expect.objectContaining({ days: aws.backups.transitionToInfrequentAccessDays, storage_class: 'STANDARD_IA' })],
          expiration: [expect.objectContaining({ days: aws.backups.expirationDays })],
          noncurrent_version_expiration: [expect.objectContaining({ noncurrent_days: aws.backups.noncurrentVersionExpirationDays })],
          abort_incomplete_multipart_upload: [{ days_after_initiation: 7 }],
        }),
      ]);
      expect(byPrefix('es-snapshots/')).toEqual([
        expect.objectContaining({
          status: 'Enabled',
          noncurrent_version_expiration: [expect.objectContaining({ noncurrent_days: aws.backups.noncurrentVersionExpirationDays })],
          abort_incomplete_multipart_upload: [{ days_after_initiation: 7 }],
        }),
      ]);
      // Elasticsearch snapshots are incremental: no rule that reaches es-snapshots/ (its own, a shorter prefix, or
      // the whole bucket) may expire or transition current objects; only SLM deletes them.
      const reachesSnapshots = rules.filter((r) => r.filter.some((f: any) => 'es-snapshots/'.startsWith(f.prefix ?? '') || (f.prefix ?? '').startsWith('es-snapshots/')));
      expect(reachesSnapshots).toHaveLength(1);
      for (const r of reachesSnapshots) {
        expect(r.expiration ?? []).toEqual([]);
        expect(r.transition ?? []).toEqual([]);
      }
      const policy = plan.config(onBucket('aws_s3_bucket_policy').address).expressions.policy.constant_value;
      expect(JSON.parse(policy).Statement).toEqual([expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]);
    });

    test('IRSA trust policies admit exactly one service account each, through the cluster OIDC provider', () => {
      const oidc = only('aws_iam_openid_connect_provider');
      expect(oidc.change.after.client_id_list).toEqual(['sts.amazonaws.com']);
      const docs = plan.reads('aws_iam_policy_document');
      const expected = [
        aws.serviceAccounts.vault,
        aws.serviceAccounts.backups,
        { namespace: 'kube-system', name: 'ebs-csi-controller-sa' },
        { namespace: 'kube-system', name: 'cluster-autoscaler' },
      ]
        .map((sa) => `system:serviceaccount:${sa.namespace}:${sa.name}`)
        .sort();
      const subjects: string[] = [];
      for (const doc of docs) {
        const [statement, ...more] = doc.change.after.statement;
        expect(more).toEqual([]);
        expect(statement).toMatchObject({ effect: 'Allow', actions: ['sts:AssumeRoleWithWebIdentity'], principals: [expect.objectContaining({ type: 'Federated' })] });
        const expr = plan.config(doc.address).expressions.statement[0];
        expect(Plan.refs(expr.principals[0].identifiers)).toContain(oidc.address);
        const conditions = expr.condition.map((c: any) => ({ test: c.test.constant_value, variable: c.variable.constant_value, values: c.values.constant_value }));
        const sub = conditions.filter((c: any) => c.variable.endsWith(':sub'));
        expect(sub).toHaveLength(1);
        expect(sub[0].test).toBe('StringEquals');
        expect(sub[0].values).toHaveLength(1);
        expect(sub[0].values[0]).not.toContain('*');
        expect(sub[0].variable).toMatch(/^\$\{replace\(aws_eks_cluster\.[^.]+\.identity\[0\]\.oidc\[0\]\.issuer, "https:\/\/", ""\)\}:sub$/);
        expect(conditions.find((c: any) => c.variable.endsWith(':aud'))).toMatchObject({ test: 'StringEquals', values: ['sts.amazonaws.com'] });
        // The same values as the plan will send (the plan knows them; only the issuer is unknown until apply).
        expect(statement.condition.map((c: any) => c.values[0]).sort()).toEqual([sub[0].values[0], 'sts.amazonaws.com'].sort());
        subjects.push(sub[0].values[0]);
        const role = plan.created('aws_iam_role').find((r) => Plan.refs(plan.config(r.address).expressions.assume_role_policy).includes(doc.address));
        expect(role).toBeDefined();
      }
      expect(subjects.sort()).toEqual(expected);
    });

    const roleNamed = (name: string) => plan.created('aws_iam_role').find((r) => r.change.after.name === name);
    const inlinePolicyOf = (roleAddress: string) => {
      const p = plan.created('aws_iam_role_policy').find((x) => Plan.refs(plan.config(x.address).expressions.role).includes(roleAddress));
      return p ? JSON.parse(p.change.after.policy) : undefined;
    };

    test('EKS add-ons: vpc-cni enforcing NetworkPolicies, kube-proxy, coredns, the EBS CSI driver on its IRSA role; OVERWRITE', () => {
      const addons: Record<string, ResourceChange> = Object.fromEntries(plan.created('aws_eks_addon').map((a) => [a.change.after.addon_name, a]));
      expect(Object.keys(addons).sort()).toEqual(['aws-ebs-csi-driver', 'coredns', 'kube-proxy', 'vpc-cni']);
      for (const a of Object.values(addons)) {
        expect(a.change.after).toMatchObject({ cluster_name: `platform-${envName}`, resolve_conflicts_on_create: 'OVERWRITE', resolve_conflicts_on_update: 'OVERWRITE' });
        // No version in config: EKS installs its default for the cluster version (known only after apply).
        expect(a.change.after_unknown.addon_version).toBe(true);
      }
      expect(JSON.parse(addons['vpc-cni'].change.after.configuration_values)).toEqual({ enableNetworkPolicy: 'true' });
      const [ebsRole] = Plan.refs(plan.config(addons['aws-ebs-csi-driver'].address).expressions.service_account_role_arn);
      expect(byAddress(ebsRole)?.change.after.name).toBe(`platform-${envName}-ebs-csi`);
      const managed = plan.created('aws_iam_role_policy_attachment').filter((x) => Plan.refs(plan.config(x.address).expressions.role).includes(ebsRole));
      expect(managed.map((m) => m.change.after.policy_arn)).toEqual(['arn:aws:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy']);
      // Its KMS permissions name the data key (a reference, resolved at apply).
      const ebsPolicy = plan.created('aws_iam_role_policy').find((x) => Plan.refs(plan.config(x.address).expressions.role).includes(ebsRole))!;
      expect(Plan.refs(plan.config(ebsPolicy.address).expressions.policy).some((r) => r.startsWith('aws_kms_key.data-key_'))).toBe(true);
    });

    test('one access entry with cluster-scoped AmazonEKSClusterAdminPolicy per configured admin role', () => {
      const entries = plan.created('aws_eks_access_entry').map((e) => e.change.after);
      expect(entries.map((e) => e.principal_arn).sort()).toEqual([...aws.eks.adminPrincipalArns].sort());
      for (const e of entries) expect(e).toMatchObject({ cluster_name: `platform-${envName}`, type: 'STANDARD' });
      const associations = plan.created('aws_eks_access_policy_association').map((a) => a.change.after);
      expect(associations.map((a) => a.principal_arn).sort()).toEqual([...aws.eks.adminPrincipalArns].sort());
      for (const a of associations) {
        expect(a).toMatchObject({ policy_arn: 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy', access_scope: [{ type: 'cluster', namespaces: null }] });
      }
    });

    test('the Vault unseal key policy: account root administers only; only the vault-unseal role (by ARN) uses it', () => {
      const key = plan.created('aws_kms_key').find((k) => k.change.after.description.endsWith('Vault auto-unseal'))!;
      const doc = JSON.parse(key.change.after.policy);
      const root = `arn:aws:iam::${aws.accountId}:root`;
      const users = doc.Statement.filter((st: any) => [st.Action].flat().some((a: string) => /^kms:(Encrypt|Decrypt|GenerateDataKey|ReEncrypt)/.test(a)));
      expect(users).toHaveLength(1);
      expect(users[0].Condition).toEqual({ ArnEquals: { 'aws:PrincipalArn': `arn:aws:iam::${aws.accountId}:role/${roleNamed(`platform-${envName}-vault-unseal`)!.change.after.name}` } });
      for (const st of doc.Statement) expect(st.Principal).toEqual({ AWS: root });
    });

    test('both keys: the account root administers by named actions only, never kms:CreateGrant or a use', () => {
      const keys = plan.created('aws_kms_key');
      expect(keys).toHaveLength(2);
      for (const key of keys) {
        const doc = JSON.parse(key.change.after.policy);
        const admin = doc.Statement.find((st: any) => st.Sid === 'KeyAdministration');
        expect(admin).toEqual({ Sid: 'KeyAdministration', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${aws.accountId}:root` }, Action: [...KEY_ADMIN_ACTIONS], Resource: '*' });
        for (const action of admin.Action as string[]) {
          expect(action).not.toContain('*');
          expect(action).not.toMatch(/^kms:(CreateGrant|Encrypt|Decrypt|ReEncrypt|GenerateDataKey|GenerateMac|VerifyMac|Sign|Verify|DeriveSharedSecret)/);
        }
      }
    });

    test('the data key policy names the EKS cluster role and the backup writer that the plan creates, and services by region', () => {
      const key = plan.created('aws_kms_key').find((k) => k.address.startsWith('aws_kms_key.data-key_'))!;
      const doc = JSON.parse(key.change.after.policy);
      const arns = doc.Statement.flatMap((st: any) => (st.Condition?.ArnEquals ? [st.Condition.ArnEquals['aws:PrincipalArn']] : []));
      expect(arns.sort()).toEqual(
        [`platform-${envName}-cluster`, `platform-${envName}-backup-writer`].map((n) => `arn:aws:iam::${aws.accountId}:role/${roleNamed(n)!.change.after.name}`).sort(),
      );
      const services = doc.Statement.flatMap((st: any) => st.Condition?.StringEquals?.['kms:ViaService'] ?? []);
      expect(new Set(services)).toEqual(new Set(['eks', 'ec2', 'elasticache'].map((s) => `${s}.${aws.region}.amazonaws.com`)));
      // Every statement limited by StringEquals is limited to this account: as caller (via a service) or as source
      // (a service principal publishing to an encrypted topic).
      for (const st of doc.Statement.filter((x: any) => x.Condition?.StringEquals)) {
        const eq = st.Condition.StringEquals;
        expect(st.Principal.Service ? eq['aws:SourceAccount'] : eq['kms:CallerAccount']).toBe(aws.accountId);
      }
    });

    test('the cluster autoscaler role scales only ASGs tagged owned by this cluster, for kube-system:cluster-autoscaler', () => {
      const role = roleNamed(`platform-${envName}-cluster-autoscaler`)!;
      const policy = inlinePolicyOf(role.address)!;
      const writes = policy.Statement.filter((st: any) => [st.Action].flat().some((a: string) => a === 'autoscaling:SetDesiredCapacity' || a === 'autoscaling:TerminateInstanceInAutoScalingGroup'));
      expect(writes).toHaveLength(1);
      expect(writes[0].Condition).toEqual({ StringEquals: { [`autoscaling:ResourceTag/k8s.io/cluster-autoscaler/platform-${envName}`]: 'owned' } });
    });
  });
});
