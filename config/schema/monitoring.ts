import { z } from 'zod';
import { SLACK_CHANNEL_RULE, isSlackChannel } from '../../constructs/monitoring/rules';
import { count, cpuQuantity, dnsLabel, dnsSubdomain, limitsAtLeastRequests, memoryQuantity, secretKey, uniqueNames } from './primitives';

/** Requests (required) and limits (optional) of one container; limits must not be below requests. */
export const containerResourcesSchema = z
  .strictObject({
    requests: z.strictObject({ cpu: cpuQuantity, memory: memoryQuantity }),
    limits: z.strictObject({ cpu: cpuQuantity.optional(), memory: memoryQuantity.optional() }).optional(),
  })
  .superRefine((r, ctx) => limitsAtLeastRequests(r, ctx));

const SEVERITY_RULE = "must list one or more of 'critical', 'warning', 'info'";
const severities = z.array(z.enum(['critical', 'warning', 'info'], { error: SEVERITY_RULE })).min(1, { error: SEVERITY_RULE });
const receiverName = dnsLabel.refine((n) => n !== 'null', { error: "is reserved for the receiver that drops alerts" });

/** One Alertmanager receiver; its credential is a key of `alertmanager.credentialsSecretName`. */
export const alertmanagerReceiverSchema = z.discriminatedUnion(
  'kind',
  [
    z.strictObject({
      kind: z.literal('slack'),
      name: receiverName,
      severities,
      /** `#channel`. */
      channel: z.string({ error: SLACK_CHANNEL_RULE }).refine(isSlackChannel, { error: SLACK_CHANNEL_RULE }),
      /** Key holding the incoming-webhook URL. */
      secretKey,
    }),
    z.strictObject({ kind: z.literal('pagerduty'), name: receiverName, severities, /** Key holding the routing key. */ secretKey }),
    z.strictObject({ kind: z.literal('webhook'), name: receiverName, severities, /** Key holding the URL. */ secretKey }),
  ],
  { error: "must be a receiver of kind 'slack', 'pagerduty' or 'webhook'" },
);

/**
 * Monitoring of an environment: kube-prometheus-stack sizes, where alerts go, and the names of the Secrets holding
 * credentials (never their contents).
 */
export const monitoringSchema = z.strictObject({
  prometheus: z.strictObject({
    /** Prometheus pods (each scrapes everything); 2 in prod. */
    replicas: count(1, 5),
    /** Days of samples kept. */
    retentionDays: count(1, 365),
    /** Persistent volume per pod, GiB; Prometheus keeps its data below 85% of it. */
    storageGiB: count(2, 16384),
    /** Storage class (a Kubernetes object name); the cluster default when absent. */
    storageClassName: dnsSubdomain.optional(),
    resources: containerResourcesSchema,
  }),
  alertmanager: z
    .strictObject({
      /** Alertmanager pods (clustered). */
      replicas: count(1, 5),
      resources: containerResourcesSchema,
      /** Where alerts go, by severity; none means the Alertmanager UI only. */
      receivers: z.array(alertmanagerReceiverSchema).superRefine((rs, ctx) => uniqueNames(rs, ctx, 'receiver')),
      /**
       * Secret in the `monitoring` namespace with every receiver's `secretKey`. `platform-<env>` creates it empty
       * (Terraform ignores its data); operators or Vault fill the keys after the first deploy.
       */
      credentialsSecretName: dnsLabel.optional(),
    })
    .superRefine((am, ctx) => {
      if (am.receivers.length > 0 && am.credentialsSecretName === undefined) {
        ctx.addIssue({ code: 'custom', path: ['credentialsSecretName'], message: 'is required when there are receivers (their credentials live in it)' });
      }
    }),
  grafana: z.strictObject({
    /**
     * Existing Secret in the `monitoring` namespace with keys `admin-user` and `admin-password` (Vault or External
     * Secrets managed; it must exist before the deploy). Absent: the chart generates a random password into
     * `kube-prometheus-stack-grafana`.
     */
    adminSecretName: dnsLabel.optional(),
    resources: containerResourcesSchema,
  }),
  /**
   * Scrape kube-controller-manager, kube-scheduler, etcd and kube-proxy, with the chart's alerts about them. Off
   * where Prometheus cannot reach them (EKS and other managed control planes; kind binds them to 127.0.0.1), or
   * their "down" alerts fire forever.
   */
  scrapeControlPlane: z.boolean({ error: 'must be true or false' }),
  /**
   * Where this repository's `docs/runbooks/` is browsable: platform alerts link to `<base>/<alert-name>.md`, Redis
   * alerts to `<base>/redis.md#<alertname>` (test/output/runbooks.test.ts checks every link resolves).
   */
  runbookBaseUrl: z.string().regex(/^https:\/\/\S+$/, { error: 'must be an https URL' }),
});

export type MonitoringConfig = z.output<typeof monitoringSchema>;
