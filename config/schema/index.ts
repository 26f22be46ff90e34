import { z } from 'zod';
import { appsSchema, refineAppsForEnvironment } from './apps';
import { awsSchema } from './aws';
import { clusterSchema } from './cluster';
import { monitoringSchema } from './monitoring';
import { checkRedisForEnvironment, redisSchema } from './redis';
import { checkTracingForEnvironment, tracingSchema } from './tracing';

export const ENVIRONMENT_NAMES = ['dev', 'staging', 'prod'] as const;
export type EnvironmentName = (typeof ENVIRONMENT_NAMES)[number];
export const TIERS = ['development', 'staging', 'production'] as const;
export type Tier = (typeof TIERS)[number];

/**
 * One environment: everything that differs between dev, staging and prod is a field here. Stacks and charts read
 * it; constructs never do (they get explicit props).
 */
export const environmentSchema = z
  .strictObject({
    /** Must equal the environment's key in the registry. */
    name: z.enum(ENVIRONMENT_NAMES),
    /**
     * What the environment is for. The rules that keep production safe (at least 2 pods per app, Redis that
     * survives a node's loss and keeps its data) apply where the tier is `production`, whatever the name.
     */
    tier: z.enum(TIERS, { error: `must be one of ${TIERS.map((t) => `'${t}'`).join(', ')}` }),
    /** Where the environment's Kubernetes objects go. */
    cluster: clusterSchema,
    /** AWS settings; required when the cluster is EKS, forbidden otherwise. */
    aws: awsSchema.optional(),
    /** The app catalogue: one `AppService` per entry, in the `apps` namespace. */
    apps: appsSchema.default([]),
    /** Prometheus, Alertmanager and Grafana (kube-prometheus-stack), and where alerts go. */
    monitoring: monitoringSchema,
    /** Redis: standalone, sentinel or cluster in the cluster, or managed (ElastiCache, AWS only). */
    redis: redisSchema,
    /** Jaeger v2, head sampling served to the apps, the tail-sampling tier; apps' OTLP endpoint comes from it. */
    tracing: tracingSchema,
  })
  .superRefine((env, ctx) => {
    refineAppsForEnvironment(env, ctx);
    checkRedisForEnvironment(env, ctx);
    checkTracingForEnvironment(env, ctx);
    if (env.cluster.kind === 'eks' && !env.aws) {
      ctx.addIssue({ code: 'custom', path: ['aws'], message: "is required when cluster.kind is 'eks'" });
    }
    if (env.cluster.kind === 'kubeconfig' && env.aws) {
      ctx.addIssue({ code: 'custom', path: ['aws'], message: "must be absent when cluster.kind is 'kubeconfig' (no AWS there)" });
    }
  });

/** What an environment file writes (defaults not yet applied). */
export type EnvironmentInput = z.input<typeof environmentSchema>;
/** What stacks and charts read (validated, defaults applied). */
export type EnvironmentConfig = z.output<typeof environmentSchema>;
export type { AppConfig } from './apps';
export type { AwsConfig } from './aws';
export type { ClusterConfig } from './cluster';
export type { MonitoringConfig } from './monitoring';
export type { RedisConfig } from './redis';
export type { TracingConfig } from './tracing';
