import { z } from 'zod';
import { cidrPrefix } from '../../constructs/aws-foundation/cidr';
import {
  EKS_VERSIONS,
  EKS_VERSION_RULE,
  LOG_RETENTION_RULE,
  PUBLIC_ENDPOINT_PREFIX_MIN,
  PUBLIC_ENDPOINT_RULE,
  VPC_PREFIX_MAX,
  VPC_PREFIX_MIN,
  VPC_PREFIX_RULE,
  isLogRetentionDays,
} from '../../constructs/aws-foundation/rules';
import { cidr, count, dnsLabel, uniqueNames } from './primitives';

const REGION = /^[a-z]{2}(-gov)?-[a-z]+-\d$/;
export const REGION_RULE = "must be an AWS region such as 'eu-west-1'";
export const ZONES_RULE = 'must list 2 or 3 availability zones (EKS needs two; the VPC has room for three)';
export const INSTANCE_TYPE_RULE = "must be an EC2 instance type such as 'm6i.large'";
export const BUCKET_RULE = 'must be an S3 bucket name: 3-63 lower-case letters, digits, dots or hyphens';

const bucketName = z
  .string({ error: BUCKET_RULE })
  .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, { error: BUCKET_RULE })
  .refine((b) => !b.includes('..'), { error: BUCKET_RULE });

const logRetentionDays = z.number({ error: LOG_RETENTION_RULE }).refine(isLogRetentionDays, { error: LOG_RETENTION_RULE });

/** One managed node group of the EKS cluster. */
const nodeGroupSchema = z
  .strictObject({
    /** Node group name, a DNS label. */
    name: dnsLabel,
    /** EC2 instance types; several spread spot capacity over pools. */
    instanceTypes: z
      .array(z.string({ error: INSTANCE_TYPE_RULE }).regex(/^[a-z][a-z0-9-]*\.[a-z0-9]+$/, { error: INSTANCE_TYPE_RULE }))
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

/** The one Kubernetes service account an IRSA role trusts. */
const serviceAccountSchema = z.strictObject({
  namespace: dnsLabel,
  name: dnsLabel,
});

/** AWS settings of an environment that runs on EKS. Zone names come from here, never from a data source. */
export const awsSchema = z
  .strictObject({
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
    }),
    /** The bucket for backups and Elasticsearch snapshots, and its lifecycle. */
    backups: z.strictObject({
      /** Globally unique bucket name. */
      bucket: bucketName,
      /** Days before objects move to STANDARD_IA (S3 needs 30 at least). */
      transitionToInfrequentAccessDays: count(30).default(30),
      /** Days before current objects expire. */
      expirationDays: count(1).default(365),
      /** Days a replaced or deleted version is kept. */
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
