import { z } from 'zod';
import {
  KNOWN_INSTANCE_TYPES_RULE,
  Resources,
  addResources,
  scaleResources,
  showResources,
  smallestAllocatable,
  zonalSizes,
} from '../../constructs/aws-foundation/capacity';
import { cidrPrefix } from '../../constructs/aws-foundation/cidr';
import { show } from '../../constructs/core/errors';
import { parseCpuMillis, parseMemoryBytes } from '../../constructs/core/quantity';
import { effectiveResources } from '../../constructs/workload/defaults';
import type { EnvironmentConfig } from './index';
import {
  ACCOUNT_ID_RULE,
  ADDON_VERSION_RULE,
  BUCKET_NAME_RULE,
  EKS_VERSIONS,
  EKS_VERSION_RULE,
  INSTANCE_TYPE_RULE,
  LOG_RETENTION_RULE,
  ROLE_ARN_RULE,
  PUBLIC_ENDPOINT_PREFIX_MIN,
  PUBLIC_ENDPOINT_RULE,
  VPC_PREFIX_MAX,
  VPC_PREFIX_MIN,
  VPC_PREFIX_RULE,
  isAccountId,
  isAddonVersion,
  isBucketName,
  isInstanceType,
  isLogRetentionDays,
  isRoleArn,
} from '../../constructs/aws-foundation/rules';
import { cidr, count, dnsLabel, uniqueNames } from './primitives';

const REGION = /^[a-z]{2}(-gov)?-[a-z]+-\d$/;
export const REGION_RULE = "must be an AWS region such as 'eu-west-1'";
export const ZONES_RULE = 'must list 2 or 3 availability zones (EKS needs two; the VPC has room for three)';

const bucketName = z.string({ error: BUCKET_NAME_RULE }).refine(isBucketName, { error: BUCKET_NAME_RULE });

const logRetentionDays = z.number({ error: LOG_RETENTION_RULE }).refine(isLogRetentionDays, { error: LOG_RETENTION_RULE });

/** One managed node group of the EKS cluster. */
const nodeGroupSchema = z
  .strictObject({
    /** Node group name, a DNS label. */
    name: dnsLabel,
    /** EC2 instance types; several spread spot capacity over pools. */
    instanceTypes: z
      .array(z.string({ error: INSTANCE_TYPE_RULE }).refine(isInstanceType, { error: INSTANCE_TYPE_RULE }))
      .min(1, { error: 'must list at least one EC2 instance type' }),
    /** Fewest nodes. */
    minSize: count(0, 1000),
    /** Most nodes. */
    maxSize: count(1, 1000),
    /** Nodes at creation; the cluster autoscaler owns it afterwards. */
    desiredSize: count(0, 1000),
    /** Root volume, GiB (gp3, encrypted). */
    diskGiB: count(20, 16384).default(50),
    /** On-demand or spot. */
    capacityType: z.enum(['ON_DEMAND', 'SPOT'], { error: "must be 'ON_DEMAND' or 'SPOT'" }).default('ON_DEMAND'),
  })
  .superRefine((g, ctx) => {
    if (g.maxSize < g.minSize) {
      ctx.addIssue({ code: 'custom', path: ['maxSize'], message: `must be >= minSize (${g.minSize})` });
    } else if (g.desiredSize < g.minSize || g.desiredSize > g.maxSize) {
      ctx.addIssue({ code: 'custom', path: ['desiredSize'], message: `must be from minSize (${g.minSize}) to maxSize (${g.maxSize})` });
    }
  });

const addonVersion = z.string({ error: ADDON_VERSION_RULE }).refine(isAddonVersion, { error: ADDON_VERSION_RULE });

/**
 * Add-on versions to pin. An add-on left out gets the version EKS marks as the default for the cluster's Kubernetes
 * version when it is created; Terraform then keeps whatever is installed (no drift, no silent upgrade). Pin one here
 * to upgrade it (after `aws eks describe-addon-versions --kubernetes-version <v> --addon-name <name>`), always
 * when the cluster's Kubernetes version moves.
 */
const addonVersionsSchema = z
  .strictObject({
    'vpc-cni': addonVersion.optional(),
    'kube-proxy': addonVersion.optional(),
    coredns: addonVersion.optional(),
    'aws-ebs-csi-driver': addonVersion.optional(),
  })
  .default({});

/** The one Kubernetes service account an IRSA role trusts. */
const serviceAccountSchema = z.strictObject({
  namespace: dnsLabel,
  name: dnsLabel,
});

/** AWS settings of an environment that runs on EKS. Zone names come from here, never from a data source. */
export const awsSchema = z
  .strictObject({
    /**
     * The AWS account the environment lives in. Key policies and role ARNs are written from it at synth time (no
     * data source may call AWS), so it must be the account the stacks are deployed with.
     */
    accountId: z.string({ error: ACCOUNT_ID_RULE }).refine(isAccountId, { error: ACCOUNT_ID_RULE }),
    /** The region every resource of the environment lives in. */
    region: z.string({ error: REGION_RULE }).regex(REGION, { error: REGION_RULE }),
    /** Availability zones, full names (`eu-west-1a`): 2 or 3. */
    zones: z.array(z.string()).min(2, { error: ZONES_RULE }).max(3, { error: ZONES_RULE }),
    /** The VPC's address range, /16 to /20; cut into one public and one private subnet per zone. */
    vpcCidr: cidr.refine((c) => {
      const p = cidrPrefix(c);
      return p === undefined || (p >= VPC_PREFIX_MIN && p <= VPC_PREFIX_MAX);
    }, { error: VPC_PREFIX_RULE }),
    /** `perZone` (a zone outage cuts no other zone off) or `single` (cheaper, one point of failure). */
    natGateways: z.enum(['single', 'perZone'], { error: "must be 'single' or 'perZone'" }).default('perZone'),
    /** Days VPC flow logs and EKS control-plane logs are kept in CloudWatch Logs. */
    logRetentionDays: logRetentionDays.default(365),
    /** The EKS cluster. */
    eks: z.strictObject({
      /** Kubernetes minor version of the control plane. */
      version: z.enum(EKS_VERSIONS, { error: EKS_VERSION_RULE }),
      /**
       * Ranges allowed to reach the public API endpoint (office, VPN, CI egress); the private endpoint is always
       * on. Empty: the public endpoint is off.
       */
      publicEndpointCidrs: z
        .array(cidr.refine((c) => (cidrPrefix(c) ?? 32) >= PUBLIC_ENDPOINT_PREFIX_MIN, { error: PUBLIC_ENDPOINT_RULE }))
        .default([]),
      /** Managed node groups; at least one. */
      nodeGroups: z
        .array(nodeGroupSchema)
        .min(1, { error: 'must list at least one node group (a cluster without nodes runs no pods)' })
        .superRefine((groups, ctx) => uniqueNames(groups, ctx, 'node group')),
      /**
       * IAM roles that get cluster-admin on the Kubernetes API (an EKS access entry with AmazonEKSClusterAdminPolicy
       * each), besides the principal that created the cluster (which EKS makes admin itself: do not list it here).
       * Operators' SSO roles and the CI role that deploys platform-<env> and workloads-<env>.
       */
      adminPrincipalArns: z
        .array(z.string({ error: ROLE_ARN_RULE }).refine(isRoleArn, { error: ROLE_ARN_RULE }))
        .default([])
        .superRefine((arns, ctx) => {
          arns.forEach((arn, i) => {
            if (arns.indexOf(arn) !== i) ctx.addIssue({ code: 'custom', path: [i], message: 'is listed twice' });
          });
        }),
      /** EKS add-on versions to pin; the rest get EKS's default for the cluster version at creation. */
      addonVersions: addonVersionsSchema,
      /**
       * What happens to an EBS volume of the default `gp3` StorageClass when its claim is deleted: `Retain` keeps it
       * (a deleted namespace loses no data; volumes are cleaned up by hand), `Delete` removes it with the claim.
       */
      volumeReclaimPolicy: z.enum(['Retain', 'Delete'], { error: "must be 'Retain' or 'Delete'" }).default('Retain'),
      /** The cluster autoscaler (kube-system); it owns the node groups' desired size. */
      clusterAutoscaler: z
        .strictObject({
          /** Pods; 2 is a hot standby (leader election) with a PodDisruptionBudget keeping one up. */
          replicas: count(1, 3).default(2),
        })
        .default({ replicas: 2 }),
    }),
    /**
     * The bucket for backups (`backups/`, aged out by these days) and Elasticsearch snapshots (`es-snapshots/`,
     * never expired by lifecycle: snapshots are incremental and only Elasticsearch's SLM may delete them).
     */
    backups: z.strictObject({
      /** Globally unique bucket name. */
      bucket: bucketName,
      /** Days before objects under `backups/` move to STANDARD_IA (S3 needs 30 at least). */
      transitionToInfrequentAccessDays: count(30).default(30),
      /** Days before current objects under `backups/` expire (never under `es-snapshots/`). */
      expirationDays: count(1).default(365),
      /** Days a replaced or deleted version is kept, under both prefixes. */
      noncurrentVersionExpirationDays: count(1).default(30),
    }),
    /** Service accounts bound to IAM roles (IRSA), each role trusting exactly one. */
    serviceAccounts: z
      .strictObject({
        /** Vault server: KMS auto-unseal. */
        vault: serviceAccountSchema.default({ namespace: 'vault', name: 'vault' }),
        /** Writer of backups and Elasticsearch snapshots. */
        backups: serviceAccountSchema.default({ namespace: 'logging', name: 'elasticsearch-snapshots' }),
      })
      .default({ vault: { namespace: 'vault', name: 'vault' }, backups: { namespace: 'logging', name: 'elasticsearch-snapshots' } }),
    /** Remote state: an S3 bucket made beforehand (bootstrap), one key per stack, S3-native locking. */
    state: z.strictObject({
      bucket: bucketName,
    }),
  })
  .superRefine((aws, ctx) => {
    const seen = new Set<string>();
    aws.zones.forEach((zone, i) => {
      if (!new RegExp(`^${aws.region}[a-z]$`).test(zone)) {
        ctx.addIssue({ code: 'custom', path: ['zones', i], message: `must be a zone of region '${aws.region}', such as '${aws.region}a'` });
      } else if (seen.has(zone)) {
        ctx.addIssue({ code: 'custom', path: ['zones', i], message: 'is listed twice' });
      }
      seen.add(zone);
    });
    // Node groups are created per zone as `<name>-<zone>`, which EKS limits to 63 characters.
    const longestZone = Math.max(0, ...aws.zones.map((z) => z.length));
    aws.eks.nodeGroups.forEach((g, i) => {
      if (g.name.length + 1 + longestZone > 63) {
        ctx.addIssue({
          code: 'custom',
          path: ['eks', 'nodeGroups', i, 'name'],
          message: `must be at most ${62 - longestZone} characters: each zone gets its own node group named '<name>-<zone>' (at most 63)`,
        });
      }
    });
    const b = aws.backups;
    if (b.expirationDays <= b.transitionToInfrequentAccessDays) {
      ctx.addIssue({
        code: 'custom',
        path: ['backups', 'expirationDays'],
        message: `must be > transitionToInfrequentAccessDays (${b.transitionToInfrequentAccessDays})`,
      });
    }
    if (b.bucket === aws.state.bucket) {
      ctx.addIssue({ code: 'custom', path: ['backups', 'bucket'], message: 'must differ from state.bucket (state and backups have different lifecycles)' });
    }
  });

export type AwsConfig = z.infer<typeof awsSchema>;

/**
 * Pods the node-group sizing check counts besides what config declares (apps, Prometheus, Alertmanager, Grafana,
 * in-cluster Redis): estimates of the system pods' requests, so that the check errs towards more nodes.
 * Per node: the DaemonSets aws-node (VPC CNI and its network policy agent), kube-proxy, ebs-csi-node and
 * node-exporter. Per cluster: coredns (2), ebs-csi-controller (2), metrics-server (2), prometheus-operator and
 * kube-state-metrics; the cluster autoscaler is counted from its replicas.
 */
export const SYSTEM_PODS = {
  perNode: { cpuMillis: 250, memoryBytes: 350 * 2 ** 20 },
  perCluster: { cpuMillis: 2 * 100 + 2 * 60 + 2 * 100 + 200, memoryBytes: (2 * 70 + 2 * 240 + 2 * 200 + 300) * 2 ** 20 },
  clusterAutoscalerPod: { cpuMillis: 100, memoryBytes: 300 * 2 ** 20 },
} as const;

/** Share of the nodes' allocatable that requests may fill: pods never pack perfectly into nodes. */
export const PACKING_EFFICIENCY = 0.9;

/** Requests of a container's `{ cpu, memory }` quantities (absent ones count 0). */
function requestsOf(requests: { cpu?: string; memory?: string } | undefined, pods: number): Resources {
  return {
    cpuMillis: (requests?.cpu ? (parseCpuMillis(requests.cpu) ?? 0) : 0) * pods,
    memoryBytes: (requests?.memory ? (parseMemoryBytes(requests.memory) ?? 0) : 0) * pods,
  };
}

/** Requests of everything the check counts, with every app at `minReplicas` or at `maxReplicas`. */
export function clusterRequests(env: EnvironmentConfig, apps: 'min' | 'max'): Resources {
  let total: Resources = SYSTEM_PODS.perCluster;
  if (env.aws) total = addResources(total, scaleResources(SYSTEM_PODS.clusterAutoscalerPod, env.aws.eks.clusterAutoscaler.replicas));
  for (const app of env.apps) {
    const replicas = apps === 'min' ? app.minReplicas : app.maxReplicas;
    total = addResources(total, requestsOf(effectiveResources(app.resources).requests, replicas ?? 1));
  }
  const mon = env.monitoring;
  total = addResources(total, requestsOf(mon.prometheus.resources.requests, mon.prometheus.replicas));
  total = addResources(total, requestsOf(mon.alertmanager.resources.requests, mon.alertmanager.replicas));
  total = addResources(total, requestsOf(mon.grafana.resources.requests, 1));
  const redis = env.redis;
  const redisPods = redis.mode === 'standalone' ? 1 : redis.mode === 'sentinel' ? redis.replicas + 1 : redis.mode === 'cluster' ? redis.shards * (1 + redis.replicasPerShard) : 0;
  if (redis.mode !== 'managed') total = addResources(total, requestsOf({ cpu: redis.cpu, memory: redis.memory }, redisPods));
  return total;
}

/**
 * The node-group sizing check, in config terms: with every app at its HPA maximum, requests must fit in the node
 * groups at `maxSize` (otherwise the HPA scales into Pending pods the cluster autoscaler cannot place), and with every
 * app at its minimum they must fit at `minSize` (otherwise the cluster never rests at its minimum). Allocatable per
 * node is the smallest of the group's instance types, less the DaemonSets, times PACKING_EFFICIENCY. Node counts are
 * what the cluster really gets: each configured group is one managed node group per zone, each sized
 * `zonalSizes` (ceil of size / zones), so zones x that. A necessary condition, not a sufficient one: charts whose
 * pods config does not declare are only in SYSTEM_PODS.
 */
export function nodeCapacityProblems(env: EnvironmentConfig): string[] {
  if (!env.aws) return [];
  const where = `environments.${env.name}.aws.eks.nodeGroups`;
  const problems: string[] = [];
  let atMin: Resources = { cpuMillis: 0, memoryBytes: 0 };
  let atMax: Resources = { cpuMillis: 0, memoryBytes: 0 };
  const zones = env.aws.zones.length;
  /** Nodes the cluster really gets for one group's size: one node group per zone, each with ceil(size / zones). */
  const created = (g: (typeof env.aws.eks.nodeGroups)[number], field: 'minSize' | 'maxSize') => zonalSizes(g, zones)[field] * zones;
  for (const g of env.aws.eks.nodeGroups) {
    const node = smallestAllocatable(g.instanceTypes);
    if (!node) {
      problems.push(`${where}.${g.name}.instanceTypes (${show(g.instanceTypes)}) must be instance types the sizing check knows: ${KNOWN_INSTANCE_TYPES_RULE} (add others to constructs/aws-foundation/capacity.ts)`);
      continue;
    }
    const usable = scaleResources(
      { cpuMillis: node.cpuMillis - SYSTEM_PODS.perNode.cpuMillis, memoryBytes: node.memoryBytes - SYSTEM_PODS.perNode.memoryBytes },
      PACKING_EFFICIENCY,
    );
    atMin = addResources(atMin, scaleResources(usable, created(g, 'minSize')));
    atMax = addResources(atMax, scaleResources(usable, created(g, 'maxSize')));
  }
  if (problems.length > 0) return problems;
  const fits = (need: Resources, have: Resources) => need.cpuMillis <= have.cpuMillis && need.memoryBytes <= have.memoryBytes;
  const sizes = (field: 'minSize' | 'maxSize') =>
    env.aws!.eks.nodeGroups.map((g) => `${g.name}: ${g[field]}, ${zones} zones x ${zonalSizes(g, zones)[field]} = ${created(g, field)} nodes`).join('; ');
  const needMax = clusterRequests(env, 'max');
  if (!fits(needMax, atMax)) {
    problems.push(
      `${where} (maxSize ${sizes('maxSize')}) must hold every app at maxReplicas plus the platform: requests ${showResources(needMax)}, ` +
        `usable at maxSize ${showResources(atMax)}; raise maxSize or lower the apps' maxReplicas or requests`,
    );
  }
  const needMin = clusterRequests(env, 'min');
  if (!fits(needMin, atMin)) {
    problems.push(
      `${where} (minSize ${sizes('minSize')}) must hold every app at minReplicas plus the platform: requests ${showResources(needMin)}, ` +
        `usable at minSize ${showResources(atMin)}; raise minSize or lower the apps' minReplicas or requests`,
    );
  }
  return problems;
}
