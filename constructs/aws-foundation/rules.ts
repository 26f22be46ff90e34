/**
 * Limits shared by the constructs (which enforce them on props) and config/schema/aws.ts (which reports them in
 * config terms before anything is built), so that both say the same thing.
 */

/** The widest VPC AWS accepts is a /16; `Network` cuts the VPC in quarters and needs a /20 at least. */
export const VPC_PREFIX_MIN = 16;
export const VPC_PREFIX_MAX = 20;
export const VPC_PREFIX_RULE = `must be a /${VPC_PREFIX_MIN} to /${VPC_PREFIX_MAX} block: AWS allows /${VPC_PREFIX_MIN} at most, and each zone's private subnet (a quarter of the VPC) needs room for pod addresses`;

/** The narrowest public-endpoint range accepted as "known": wider ones are the internet, not an office or VPN. */
export const PUBLIC_ENDPOINT_PREFIX_MIN = 16;
export const PUBLIC_ENDPOINT_RULE = `must be a /${PUBLIC_ENDPOINT_PREFIX_MIN} or narrower IPv4 block (office, VPN or CI egress ranges): the public API endpoint is never open to the internet; list no range to keep the endpoint private only`;

/** Values CloudWatch Logs accepts for a log group's retention. */
export const LOG_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653] as const;
export const LOG_RETENTION_RULE = `must be a CloudWatch Logs retention: one of ${LOG_RETENTION_DAYS.join(', ')}`;
export function isLogRetentionDays(days: number): boolean {
  return (LOG_RETENTION_DAYS as readonly number[]).includes(days);
}

/** Kubernetes minor versions EKS runs (standard or extended support) that this project has been checked against. */
export const EKS_VERSIONS = ['1.30', '1.31', '1.32', '1.33', '1.34'] as const;
export const EKS_VERSION_RULE = `must be a Kubernetes minor version EKS supports: ${EKS_VERSIONS.join(', ')}`;

/** Control-plane log types; all of them by default (the audit log is what an incident review reads). */
export const EKS_LOG_TYPES = ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'] as const;
export type EksLogType = (typeof EKS_LOG_TYPES)[number];

/** An S3 bucket name (the general-purpose bucket rules: 3-63 characters, no `..`). */
export const BUCKET_NAME_RULE = 'must be an S3 bucket name: 3-63 lower-case letters, digits, dots or hyphens';
export function isBucketName(value: string): boolean {
  return /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(value) && !value.includes('..');
}

/** A 12-digit AWS account id. */
export const ACCOUNT_ID_RULE = "must be a 12-digit AWS account id such as '111122223333'";
export function isAccountId(value: string): boolean {
  return /^\d{12}$/.test(value);
}

/** An IAM role ARN (the only principal kind the project grants cluster access to). */
export const ROLE_ARN_RULE = "must be an IAM role ARN such as 'arn:aws:iam::111122223333:role/platform-admins' (no wildcards, no users)";
export function isRoleArn(value: string): boolean {
  return /^arn:aws:iam::\d{12}:role\/(?:[\w+=,.@-]+\/)*[\w+=,.@-]{1,64}$/.test(value);
}

/** EKS add-ons this project installs, by their EKS name. */
export const EKS_ADDONS = ['vpc-cni', 'kube-proxy', 'coredns', 'aws-ebs-csi-driver'] as const;
export type EksAddonName = (typeof EKS_ADDONS)[number];

/** The version string EKS gives an add-on build, such as `v1.19.5-eksbuild.1`. */
export const ADDON_VERSION_RULE = "must be an EKS add-on version such as 'v1.19.5-eksbuild.1' (see `aws eks describe-addon-versions`)";
export function isAddonVersion(value: string): boolean {
  return /^v\d+\.\d+\.\d+-eksbuild\.\d+$/.test(value);
}

/** An EC2 instance type: family (with generation and attributes), a dot, then size (`m6i.large`, `u-6tb1.metal`). */
export const INSTANCE_TYPE_RULE = "must be an EC2 instance type such as 'm6i.large'";
export function isInstanceType(value: string): boolean {
  return /^[a-z][a-z0-9-]*\.[a-z0-9]+$/.test(value);
}
