import { z } from 'zod';
import {
  APP_DEFAULTS,
  APP_RULES,
  atLeastRule,
  effectiveResources,
  effectiveScaleOn,
  ENV_NAME,
  gracePeriodRule,
  HTTP_PATH,
  METRIC_NAME,
  OBJECT_NAME,
} from '../../constructs/workload/defaults';
import { REDIS_CONNECTION_CONFIG_MAP, REDIS_PASSWORD_ENV } from '../../constructs/redis/redis-client';
import { count, cpuQuantity, dnsLabel, limitsAtLeastRequests, memoryQuantity, pinnedImage, port, secretKey, serviceName, uniqueNames } from './primitives';

/**
 * The app catalogue of one environment: each entry becomes an `AppService` (Deployment + HPA + Service + PDB +
 * ServiceMonitor + NetworkPolicy) in the `apps` namespace. Fields left out take the construct's defaults, which are
 * documented on `AppServiceProps` (constructs/workload/app-service.ts).
 */

const httpPath = z.string({ error: APP_RULES.httpPath }).regex(HTTP_PATH, { error: APP_RULES.httpPath });
const objectName = z.string({ error: APP_RULES.objectName }).regex(OBJECT_NAME, { error: APP_RULES.objectName });
const seconds = (min: number, max?: number) => count(min, max).optional();

const quantitiesSchema = z.strictObject({
  cpu: cpuQuantity.optional(),
  memory: memoryQuantity.optional(),
});

const scalingBehaviorSchema = z.strictObject({
  stabilizationWindowSeconds: seconds(0, 3600),
  maxPodsPerPeriod: count(1).optional(),
  maxPercentPerPeriod: count(1).optional(),
  periodSeconds: seconds(1, 1800),
});

const POSITIVE_RULE = 'must be a number greater than 0';

/** Why an app may not wire Redis by hand. */
export const REDIS_BY_FLAG_RULE = `is set by 'redis: true' (envFrom ${REDIS_CONNECTION_CONFIG_MAP} and ${REDIS_PASSWORD_ENV} from the client Secret, together): use that instead`;

export const appSchema = z
  .strictObject({
    /** DNS label; names every object of the app. */
    name: serviceName,
    /** Pinned image (`ghcr.io/example/payments-api:1.4.2`). */
    image: pinnedImage,
    port: port.optional(),
    servicePort: port.optional(),
    metricsPort: port.optional(),
    metricsPath: httpPath.optional(),
    /** Fewest pods; at least 2 in the production tier. */
    minReplicas: count(1),
    maxReplicas: count(1),
    /** Metrics the HPA follows; when given, only those it names (default: CPU 70 %, memory 80 %). */
    scaleOn: z
      .strictObject({
        cpuUtilizationPercent: count(1, 100).optional(),
        memoryUtilizationPercent: count(1, 100).optional(),
        podsMetric: z
          .strictObject({
            name: z.string({ error: APP_RULES.metricName }).regex(METRIC_NAME, { error: APP_RULES.metricName }),
            averageValue: z.number({ error: POSITIVE_RULE }).positive({ error: POSITIVE_RULE }),
          })
          .optional(),
      })
      .optional(),
    scaleUp: scalingBehaviorSchema.optional(),
    scaleDown: scalingBehaviorSchema.optional(),
    /** Requests (needed for every utilisation metric) and limits, in the Kubernetes shape. */
    resources: z.strictObject({ requests: quantitiesSchema, limits: quantitiesSchema.optional() }),
    health: z.strictObject({ liveness: httpPath.optional(), readiness: httpPath.optional(), startup: httpPath.optional() }).optional(),
    startupTimeoutSeconds: seconds(5, 3600),
    maxUnavailable: count(1).optional(),
    zoneSpread: z.enum(['required', 'preferred'], { error: "must be 'required' or 'preferred'" }).optional(),
    preStopSleepSeconds: seconds(1),
    terminationGracePeriodSeconds: seconds(1),
    serviceAccountToken: z.boolean().optional(),
    /** Who may connect: the gateway, and other apps of this catalogue by name. Monitoring always may (metrics only). */
    allowFrom: z.strictObject({ gateway: z.boolean().optional(), apps: z.array(dnsLabel).optional() }).optional(),
    /**
     * Uses the environment's Redis: the app gets `envFrom` the `redis-connection` ConfigMap (where Redis is) and
     * `REDIS_PASSWORD` from the client Secret (`redis.clientSecret`, by `secretKeyRef`). Do not list either by hand.
     */
    redis: z.boolean().optional(),
    /** ConfigMaps whose keys become environment variables. */
    configMaps: z.array(objectName).optional(),
    /** Environment variables from existing Secret keys: names only, never values. */
    secretEnv: z
      .array(
        z.strictObject({
          name: z.string({ error: APP_RULES.envName }).regex(ENV_NAME, { error: APP_RULES.envName }),
          secretName: objectName,
          key: secretKey,
        }),
      )
      .optional(),
  })
  .superRefine((app, ctx) => {
    if (app.maxReplicas < app.minReplicas) {
      ctx.addIssue({ code: 'custom', path: ['maxReplicas'], message: atLeastRule('minReplicas', app.minReplicas) });
    }
    const scaleOn = effectiveScaleOn(app.scaleOn);
    if (scaleOn.cpuUtilizationPercent === undefined && scaleOn.memoryUtilizationPercent === undefined && scaleOn.podsMetric === undefined) {
      ctx.addIssue({ code: 'custom', path: ['scaleOn'], message: APP_RULES.noMetric });
    }
    const resources = effectiveResources(app.resources);
    const { requests } = resources;
    if (scaleOn.cpuUtilizationPercent !== undefined && requests.cpu === undefined) {
      ctx.addIssue({ code: 'custom', path: ['resources', 'requests', 'cpu'], message: APP_RULES.cpuRequestForUtilization });
    }
    if (scaleOn.memoryUtilizationPercent !== undefined && requests.memory === undefined) {
      ctx.addIssue({ code: 'custom', path: ['resources', 'requests', 'memory'], message: APP_RULES.memoryRequestForUtilization });
    }
    limitsAtLeastRequests(resources, ctx, ['resources']);
    const preStop = app.preStopSleepSeconds ?? APP_DEFAULTS.preStopSleepSeconds;
    const grace = app.terminationGracePeriodSeconds ?? APP_DEFAULTS.terminationGracePeriodSeconds;
    if (grace <= preStop) {
      ctx.addIssue({ code: 'custom', path: ['terminationGracePeriodSeconds'], message: gracePeriodRule(preStop) });
    }
    if (app.startupTimeoutSeconds !== undefined && app.startupTimeoutSeconds % 5 !== 0) {
      ctx.addIssue({ code: 'custom', path: ['startupTimeoutSeconds'], message: APP_RULES.startupStep });
    }
    (app.allowFrom?.apps ?? []).forEach((peer, i) => {
      if (peer === app.name) ctx.addIssue({ code: 'custom', path: ['allowFrom', 'apps', i], message: APP_RULES.selfPeer });
    });
    // Redis's contract is all or nothing: the ConfigMap without the password cannot log in.
    (app.configMaps ?? []).forEach((cm, i) => {
      if (cm === REDIS_CONNECTION_CONFIG_MAP) ctx.addIssue({ code: 'custom', path: ['configMaps', i], message: REDIS_BY_FLAG_RULE });
    });
    (app.secretEnv ?? []).forEach((v, i) => {
      if (v.name === REDIS_PASSWORD_ENV) ctx.addIssue({ code: 'custom', path: ['secretEnv', i, 'name'], message: REDIS_BY_FLAG_RULE });
    });
  });

/** The catalogue: unique names, and every peer named in `allowFrom.apps` is an app of the same catalogue. */
export const appsSchema = z.array(appSchema).superRefine((apps, ctx) => {
  uniqueNames(apps, ctx, 'app');
  const names = new Set(apps.map((a) => a.name));
  apps.forEach((app, i) => {
    (app.allowFrom?.apps ?? []).forEach((peer, j) => {
      if (!names.has(peer)) {
        ctx.addIssue({ code: 'custom', path: [i, 'allowFrom', 'apps', j], message: `is not an app of this environment; known apps: ${[...names].join(', ')}` });
      }
    });
  });
});

/** Tiers where every app needs at least this many pods (so that a node drain never takes its last pod). */
export const MIN_REPLICAS_BY_TIER: Readonly<Record<string, number>> = { production: 2 };

/**
 * Rules that depend on the environment, not on the app alone; called from the environment schema. Constructs
 * never learn the environment's name: they get `minReplicas`.
 */
export function refineAppsForEnvironment(env: { tier: string; apps: readonly AppConfig[] }, ctx: z.RefinementCtx): void {
  const floor = MIN_REPLICAS_BY_TIER[env.tier];
  if (floor === undefined) return;
  env.apps.forEach((app, i) => {
    if (app.minReplicas < floor) {
      ctx.addIssue({
        code: 'custom',
        path: ['apps', i, 'minReplicas'],
        message: `must be >= ${floor} in the ${env.tier} tier: with one pod, every node drain takes the app down (and a minAvailable PodDisruptionBudget would block the drain instead)`,
      });
    }
  });
}

export type AppConfig = z.output<typeof appSchema>;
