import { z } from 'zod';
import { cidr } from './primitives';

const REGION = /^[a-z]{2}(-gov)?-[a-z]+-\d$/;
export const REGION_RULE = "must be an AWS region such as 'eu-west-1'";

/** AWS settings of an environment that runs on EKS. Zone names come from here, never from a data source. */
export const awsSchema = z
  .strictObject({
    /** The region every resource of the environment lives in. */
    region: z.string({ error: REGION_RULE }).regex(REGION, { error: REGION_RULE }),
    /** Availability zones, full names (`eu-west-1a`); at least two for EKS. */
    zones: z.array(z.string()).min(2, { error: 'must list at least 2 availability zones (EKS needs two)' }),
    /** The VPC's address range; split into one public and one private subnet per zone. */
    vpcCidr: cidr,
    /** The EKS cluster. */
    eks: z.strictObject({
      /** Kubernetes minor version of the control plane. */
      version: z.string().regex(/^1\.\d{2}$/, { error: "must be a Kubernetes minor version such as '1.33'" }),
    }),
    /** Remote state: an S3 bucket made beforehand (bootstrap), one key per stack, S3-native locking. */
    state: z.strictObject({
      bucket: z
        .string()
        .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, { error: 'must be an S3 bucket name: 3-63 lower-case letters, digits, dots or hyphens' }),
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
  });

export type AwsConfig = z.infer<typeof awsSchema>;
