/**
 * Head sampling as code: typed strategies rendered to the strategies file Jaeger's `remote_sampling` extension serves
 * (`file.path`). The file's layout is Jaeger's (`internal/sampling/samplingstrategy/file/strategy.go`):
 * `default_strategy` and `service_strategies`, each strategy `{type, param}` with optional `operation_strategies`.
 */

/** Sample a fixed fraction of new traces. */
export interface ProbabilisticStrategy {
  readonly kind: 'probabilistic';
  /** Fraction of new traces sampled, from 0 to 1. */
  readonly ratio: number;
}

/** Sample at most this many new traces per second per SDK instance (for noisy services). */
export interface RateLimitingStrategy {
  readonly kind: 'rateLimiting';
  /** Traces per second, at least 1 (Jaeger reads the `param` of a `ratelimiting` strategy as an integer). */
  readonly tracesPerSecond: number;
}

export type SamplingStrategy = ProbabilisticStrategy | RateLimitingStrategy;

/** One operation's own ratio (Jaeger serves operation strategies as probabilistic only). */
export interface OperationSampling {
  /** Operation (span) name, as the SDK reports it (`GET /health`). */
  readonly operation: string;
  /** Fraction of new traces of this operation sampled, from 0 to 1. */
  readonly ratio: number;
}

/** A service's strategy, replacing the default for it. */
export interface ServiceSampling {
  /** `service.name` of the SDK (an app's name). */
  readonly service: string;
  readonly strategy: SamplingStrategy;
  /**
   * Per-operation ratios within this service (only with a probabilistic strategy, as Jaeger has it).
   * @default none: every operation follows the service's strategy
   */
  readonly operations?: readonly OperationSampling[];
}

/** The whole head-sampling policy of an environment. */
export interface SamplingPolicy {
  /** Ratio for every service without an override. The platform's standard is 0.1. */
  readonly defaultRatio: number;
  /**
   * Per-operation ratios applied to every service without an override (`/health` at 0).
   * @default none
   */
  readonly defaultOperations?: readonly OperationSampling[];
  /**
   * Services with their own strategy.
   * @default none: every service samples `defaultRatio`
   */
  readonly services?: readonly ServiceSampling[];
}

/** The platform's standard head-sampling ratio. */
export const DEFAULT_SAMPLING_RATIO = 0.1;

/** A problem in a policy: field path within the policy, value, rule. */
export interface SamplingProblem {
  readonly field: string;
  readonly value: unknown;
  readonly rule: string;
}

export const RATIO_RULE = 'must be a number from 0 to 1';
export const TRACES_PER_SECOND_RULE = 'must be an integer from 1 to 10000';

function isRatio(v: unknown): boolean {
  return typeof v === 'number' && Number.isFinite(v) && v >= 0 && v <= 1;
}

/** Every problem of a policy (empty when it is valid); `knownServices` limits which services an override may name. */
export function samplingProblems(policy: SamplingPolicy, knownServices?: readonly string[]): SamplingProblem[] {
  const problems: SamplingProblem[] = [];
  if (!isRatio(policy.defaultRatio)) problems.push({ field: 'defaultRatio', value: policy.defaultRatio, rule: RATIO_RULE });
  const operations = (ops: readonly OperationSampling[] | undefined, at: string) => {
    const seen = new Set<string>();
    (ops ?? []).forEach((op, i) => {
      if (op.operation.trim() === '') problems.push({ field: `${at}[${i}].operation`, value: op.operation, rule: 'must name an operation' });
      if (seen.has(op.operation)) problems.push({ field: `${at}[${i}].operation`, value: op.operation, rule: 'is listed twice' });
      seen.add(op.operation);
      if (!isRatio(op.ratio)) problems.push({ field: `${at}[${i}].ratio`, value: op.ratio, rule: RATIO_RULE });
    });
  };
  operations(policy.defaultOperations, 'defaultOperations');
  const seen = new Set<string>();
  (policy.services ?? []).forEach((s, i) => {
    const at = `services[${i}]`;
    if (seen.has(s.service)) problems.push({ field: `${at}.service`, value: s.service, rule: 'has two overrides: keep one' });
    seen.add(s.service);
    if (knownServices && !knownServices.includes(s.service)) {
      problems.push({ field: `${at}.service`, value: s.service, rule: `is not an app of this environment; known apps: ${knownServices.join(', ')}` });
    }
    if (s.strategy.kind === 'probabilistic' && !isRatio(s.strategy.ratio)) {
      problems.push({ field: `${at}.strategy.ratio`, value: s.strategy.ratio, rule: RATIO_RULE });
    }
    if (s.strategy.kind === 'rateLimiting') {
      const tps = s.strategy.tracesPerSecond;
      if (!Number.isInteger(tps) || tps < 1 || tps > 10000) problems.push({ field: `${at}.strategy.tracesPerSecond`, value: tps, rule: TRACES_PER_SECOND_RULE });
      if ((s.operations ?? []).length > 0) {
        problems.push({ field: `${at}.operations`, value: s.operations!.map((o) => o.operation), rule: 'need a probabilistic strategy: Jaeger ignores operation strategies under a rate limit' });
      }
    }
    operations(s.operations, `${at}.operations`);
  });
  return problems;
}

/** Jaeger's strategy object. */
export interface JaegerStrategy {
  readonly type: 'probabilistic' | 'ratelimiting';
  readonly param: number;
  readonly operation_strategies?: readonly { operation: string; type: 'probabilistic'; param: number }[];
}

/** Jaeger's strategies file. */
export interface JaegerStrategiesFile {
  readonly default_strategy: JaegerStrategy;
  readonly service_strategies: readonly (JaegerStrategy & { service: string })[];
}

function operationStrategies(ops: readonly OperationSampling[] | undefined) {
  const list = (ops ?? []).map((o) => ({ operation: o.operation, type: 'probabilistic' as const, param: o.ratio }));
  return list.length > 0 ? { operation_strategies: list } : {};
}

/** Renders a (valid) policy to Jaeger's strategies file; services sorted by name so the output is stable. */
export function renderStrategies(policy: SamplingPolicy): JaegerStrategiesFile {
  const services = [...(policy.services ?? [])].sort((a, b) => a.service.localeCompare(b.service));
  return {
    default_strategy: { type: 'probabilistic', param: policy.defaultRatio, ...operationStrategies(policy.defaultOperations) },
    service_strategies: services.map((s) => ({
      service: s.service,
      ...(s.strategy.kind === 'probabilistic'
        ? { type: 'probabilistic' as const, param: s.strategy.ratio }
        : { type: 'ratelimiting' as const, param: s.strategy.tracesPerSecond }),
      ...operationStrategies(s.operations),
    })),
  };
}
