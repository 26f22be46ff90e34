import type { EnvironmentConfig } from '../config';
import { NAMESPACES } from '../config/namespaces';
import { LABEL_ENVIRONMENT } from '../constructs/core/labels';
import { jaegerServiceNames, tailSamplerNames, TRACING_NAMES } from '../constructs/tracing/names';
import type { TailSamplerProps } from '../constructs/tracing/tail-sampler';

/**
 * The tail-sampling tier's props from an environment's config (platform-<env>); the tracing chart (workloads-<env>)
 * derives the same names with the same functions, so the release, its NetworkPolicy and the apps' endpoint agree.
 */
export function tailSamplerProps(env: EnvironmentConfig): Omit<TailSamplerProps, 'dependsOn'> {
  const t = env.tracing.tailSampling;
  return {
    names: tailSamplerNames(TRACING_NAMES.tailSampler, NAMESPACES.tracing.name),
    jaegerEndpoint: jaegerServiceNames(TRACING_NAMES.jaeger, NAMESPACES.tracing.name).otlpGrpcHostPort,
    minReplicas: t.minReplicas,
    maxReplicas: t.maxReplicas,
    resources: t.resources,
    latencyThresholdMs: t.latencyThresholdMs,
    keepPercent: t.keepPercent,
    decisionWaitSeconds: t.decisionWaitSeconds,
    podLabels: { [LABEL_ENVIRONMENT]: env.name },
  };
}
