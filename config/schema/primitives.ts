import { z } from 'zod';
import { CIDR_RULE, isCidr } from '../../constructs/aws-foundation/cidr';
import {
  CPU_QUANTITY_RULE,
  MEMORY_QUANTITY_RULE,
  RequestsAndLimits,
  limitAtLeastRequestRule,
  limitsBelowRequests,
  parseCpuMillis,
  parseMemoryBytes,
} from '../../constructs/core/quantity';
import {
  DNS_1035_LABEL_RULE,
  DNS_LABEL_RULE,
  DNS_SUBDOMAIN_RULE,
  PINNED_IMAGE_RULE,
  SECRET_KEY_RULE,
  isDnsLabel,
  isDnsLabel1035,
  isDnsSubdomain,
  isPinnedImage,
  isSecretKey,
} from '../../constructs/core/validate';

/**
 * Reusable zod pieces whose messages complete the sentence `<path> (<value>) ...`, which `formatIssues` renders
 * as `config error: environments.prod.apps.api.minReplicas (0) must be an integer >= 1`.
 */

export function count(min: number, max?: number) {
  const rule = max === undefined ? `must be an integer >= ${min}` : `must be an integer from ${min} to ${max}`;
  let schema = z.number({ error: rule }).int({ error: rule }).min(min, { error: rule });
  if (max !== undefined) schema = schema.max(max, { error: rule });
  return schema;
}

export const port = count(1, 65535);

export const cpuQuantity = z
  .string({ error: CPU_QUANTITY_RULE })
  .refine((v) => parseCpuMillis(v) !== undefined, { error: CPU_QUANTITY_RULE });

export const memoryQuantity = z
  .string({ error: MEMORY_QUANTITY_RULE })
  .refine((v) => parseMemoryBytes(v) !== undefined, { error: MEMORY_QUANTITY_RULE });

/**
 * Adds an issue at `<at>.limits.<resource>` for every limit below its request, with the constructs' message
 * (`must be >= resources.requests.cpu ('500m')`); `at` is the path of the resources within the refined value.
 */
export function limitsAtLeastRequests(resources: RequestsAndLimits, ctx: z.RefinementCtx, at: readonly PropertyKey[] = []): void {
  for (const { resource, request } of limitsBelowRequests(resources)) {
    ctx.addIssue({ code: 'custom', path: [...at, 'limits', resource], message: limitAtLeastRequestRule(resource, request) });
  }
}

export const pinnedImage = z.string({ error: PINNED_IMAGE_RULE }).refine(isPinnedImage, { error: PINNED_IMAGE_RULE });

export const dnsLabel = z.string({ error: DNS_LABEL_RULE }).refine(isDnsLabel, { error: DNS_LABEL_RULE });

/** The name of a Kubernetes object that may hold dots, such as a StorageClass. */
export const dnsSubdomain = z.string({ error: DNS_SUBDOMAIN_RULE }).refine(isDnsSubdomain, { error: DNS_SUBDOMAIN_RULE });

/** A name that becomes a Service's name (RFC 1035: starts with a letter). */
export const serviceName = z.string({ error: DNS_1035_LABEL_RULE }).refine(isDnsLabel1035, { error: DNS_1035_LABEL_RULE });

/** A key of a Secret's (or ConfigMap's) data. */
export const secretKey = z.string({ error: SECRET_KEY_RULE }).refine(isSecretKey, { error: SECRET_KEY_RULE });

/** An IPv4 CIDR block with its host bits zero (`10.20.0.0/16`). */
export const cidr = z.string({ error: CIDR_RULE }).refine(isCidr, { error: CIDR_RULE });

/** Adds a `duplicate name` issue for every repeated `name` in a list. */
export function uniqueNames<T extends { name: string }>(items: readonly T[], ctx: z.RefinementCtx, what: string): void {
  const seen = new Set<string>();
  items.forEach((item, i) => {
    if (seen.has(item.name)) {
      ctx.addIssue({ code: 'custom', path: [i, 'name'], message: `is a duplicate ${what} name: each ${what} needs its own` });
    }
    seen.add(item.name);
  });
}
