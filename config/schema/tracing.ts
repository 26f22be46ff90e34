import { z } from 'zod';
import { PlatformError, show } from '../../constructs/core/errors';
import { DEFAULT_SAMPLING_RATIO, RATIO_RULE } from '../../constructs/tracing/sampling';
import { containerResourcesSchema } from './monitoring';
import { count, dnsLabel } from './primitives';

/**
 * Tracing of one environment (constructs/tracing, charts/tracing-chart.ts): Jaeger v2 and where it keeps traces,
 * head sampling served to the apps' SDKs, and the tail-sampling tier in front of Jaeger. The OTLP endpoint apps use
 * is not here: it comes from the tracing component (an `OtlpReference`).
 */

const ratio = z.number({ error: RATIO_RULE }).min(0, { error: RATIO_RULE }).max(1, { error: RATIO_RULE });
const operationSchema = z.strictObject({
  /** Span name as the SDK reports it (`GET /health`). */
  operation: z.string({ error: 'must be an operation name' }).min(1, { error: 'must be an operation name' }),
  ratio,
});

const ONE_STRATEGY_RULE = "must set exactly one of 'ratio' (probabilistic) or 'tracesPerSecond' (rate-limited)";

/** One service's head sampling, replacing the default for it. */
export const serviceSamplingSchema = z
  .strictObject({
    /** An app of this environment (its `OTEL_SERVICE_NAME`). */
    service: z.string({ error: 'must be an app name' }),
    /** Probabilistic: this fraction of new traces. */
    ratio: ratio.optional(),
    /** Rate-limited (noisy services): at most this many new traces per second per pod. */
    tracesPerSecond: count(1, 10000).optional(),
    /** Per-operation ratios (probabilistic services only). */
    operations: z.array(operationSchema).optional(),
  })
  .superRefine((s, ctx) => {
    if ((s.ratio === undefined) === (s.tracesPerSecond === undefined)) ctx.addIssue({ code: 'custom', path: [], message: ONE_STRATEGY_RULE });
    if (s.tracesPerSecond !== undefined && (s.operations ?? []).length > 0) {
      ctx.addIssue({ code: 'custom', path: ['operations'], message: 'need a probabilistic strategy (ratio): Jaeger ignores operation strategies under a rate limit' });
    }
  });

const resourcesWithMemoryLimit = containerResourcesSchema.superRefine((r, ctx) => {
  if (r.limits?.memory === undefined) ctx.addIssue({ code: 'custom', path: ['limits', 'memory'], message: 'must be set: the memory limiter works from it' });
});

export const tracingSchema = z
  .strictObject({
    jaeger: z.strictObject({
      /** Fewest pods (Elasticsearch storage; memory storage runs exactly one). */
      minReplicas: count(1).default(1),
      /** Most pods; above minReplicas the autoscaler scales on CPU. */
      maxReplicas: count(1).default(1),
      resources: resourcesWithMemoryLimit,
    }),
    /** Where traces are kept: `memory` (one pod, lost on restart) or the logging component's Elasticsearch. */
    storage: z.discriminatedUnion(
      'kind',
      [
        z.strictObject({ kind: z.literal('memory'), /** Most traces held. */ maxTraces: count(1000, 10_000_000) }),
        z.strictObject({
          kind: z.literal('elasticsearch'),
          /** Days of traces kept (daily indices; older ones are deleted). */
          retentionDays: count(1, 3650),
          /** Index prefix (`<prefix>-jaeger-span-<date>`). */
          indexPrefix: dnsLabel.default('tracing'),
          shards: count(1, 64).default(1),
          replicas: count(0, 8).default(1),
        }),
      ],
      { error: "must be { kind: 'memory', ... } or { kind: 'elasticsearch', ... }" },
    ),
    /** Head sampling, served by Jaeger's remote sampler to every SDK; the one place the apps' sampling is set. */
    sampling: z
      .strictObject({
        /** Fraction of new traces of a service without an override; the platform standard is 0.1. */
        defaultRatio: ratio.default(DEFAULT_SAMPLING_RATIO),
        /** Per-operation ratios for services without an override (`/health` at 0). */
        defaultOperations: z.array(operationSchema).optional(),
        services: z.array(serviceSamplingSchema).optional(),
      })
      .default({ defaultRatio: DEFAULT_SAMPLING_RATIO }),
    /** The tail-sampling tier in front of Jaeger (apps and the gateway send here). */
    tailSampling: z.strictObject({
      minReplicas: count(1),
      /** Above 1, spans are routed between the tier's pods by trace ID. */
      maxReplicas: count(1, 50),
      resources: resourcesWithMemoryLimit,
      /** Every trace with a span at least this slow is kept. */
      latencyThresholdMs: count(1, 600_000),
      /** Share of the other traces (no error, fast) kept, in percent. */
      keepPercent: z.number({ error: 'must be a number from 0 to 100' }).min(0, { error: 'must be a number from 0 to 100' }).max(100, { error: 'must be a number from 0 to 100' }),
      /** Seconds a trace waits for its last spans before the decision. */
      decisionWaitSeconds: count(1, 300).default(10),
    }),
  })
  .superRefine((t, ctx) => {
    if (t.jaeger.maxReplicas < t.jaeger.minReplicas) ctx.addIssue({ code: 'custom', path: ['jaeger', 'maxReplicas'], message: `must be >= minReplicas (${t.jaeger.minReplicas})` });
    if (t.tailSampling.maxReplicas < t.tailSampling.minReplicas) {
      ctx.addIssue({ code: 'custom', path: ['tailSampling', 'maxReplicas'], message: `must be >= minReplicas (${t.tailSampling.minReplicas})` });
    }
    if (t.storage.kind === 'memory' && t.jaeger.maxReplicas > 1) {
      ctx.addIssue({ code: 'custom', path: ['jaeger', 'maxReplicas'], message: 'must be 1 with memory storage: each pod would keep (and show) a different part of the traces' });
    }
  });

/** Sampling overrides name apps of this environment (a typo would silently sample nothing differently). */
export function checkTracingForEnvironment(env: { apps: readonly { name: string }[]; tracing: TracingConfig }, ctx: z.RefinementCtx): void {
  const known = env.apps.map((a) => a.name);
  const seen = new Set<string>();
  (env.tracing.sampling.services ?? []).forEach((s, i) => {
    const path = ['tracing', 'sampling', 'services', i, 'service'];
    if (!known.includes(s.service)) ctx.addIssue({ code: 'custom', path, message: `is not an app of this environment; known apps: ${known.join(', ')}` });
    if (seen.has(s.service)) ctx.addIssue({ code: 'custom', path, message: 'has two overrides: keep one' });
    seen.add(s.service);
  });
}

/**
 * Elasticsearch storage needs the logging component's Elasticsearch in the same environment. A function of whether
 * an `ElasticsearchReference` is available (charts/index.ts passes it), so it holds whatever logging's config
 * looks like; throws a config error in the loader's form (config/load.ts imports the schema, so not its class).
 */
export function checkTracingStorage(envName: string, tracing: TracingConfig, elasticsearchAvailable: boolean): void {
  if (tracing.storage.kind === 'elasticsearch' && !elasticsearchAvailable) {
    throw new PlatformError(
      `config error: environments.${envName}.tracing.storage.kind (${show(tracing.storage.kind)}) needs the logging component's Elasticsearch, and this environment has none: enable logging in this environment or use { kind: 'memory' }`,
    );
  }
}

export type TracingConfig = z.output<typeof tracingSchema>;
