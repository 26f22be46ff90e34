import * as fs from 'fs';
import { renderStrategies, SamplingPolicy, samplingProblems } from '../../../constructs/tracing/sampling';
import { vendorFile } from '../../support/vendor';

/**
 * The strategies file's format, from Jaeger's Go structs (internal/sampling/samplingstrategy/file/strategy.go, read
 * upstream, facts in configs/jaeger/SOURCE.md): the shape every generated file and both upstream examples must have.
 */
function formatProblems(file: any): string[] {
  const problems: string[] = [];
  const strategy = (s: any, at: string, extra: string[]) => {
    for (const k of Object.keys(s)) if (!['type', 'param', 'operation_strategies', ...extra].includes(k)) problems.push(`${at}: unknown key '${k}'`);
    if (!['probabilistic', 'ratelimiting'].includes(s.type)) problems.push(`${at}.type: '${s.type}' is not probabilistic or ratelimiting`);
    if (typeof s.param !== 'number') problems.push(`${at}.param: not a number`);
    if (s.type === 'probabilistic' && !(s.param >= 0 && s.param <= 1)) problems.push(`${at}.param: ${s.param} is not a probability`);
    (s.operation_strategies ?? []).forEach((o: any, i: number) => {
      const where = `${at}.operation_strategies[${i}]`;
      for (const k of Object.keys(o)) if (!['operation', 'type', 'param'].includes(k)) problems.push(`${where}: unknown key '${k}'`);
      if (typeof o.operation !== 'string') problems.push(`${where}.operation: not a string`);
      if (o.type !== 'probabilistic') problems.push(`${where}.type: operation strategies are probabilistic`);
      if (!(o.param >= 0 && o.param <= 1)) problems.push(`${where}.param: ${o.param} is not a probability`);
    });
  };
  for (const k of Object.keys(file)) if (!['default_strategy', 'service_strategies'].includes(k)) problems.push(`unknown top-level key '${k}'`);
  if (file.default_strategy) strategy(file.default_strategy, 'default_strategy', []);
  (file.service_strategies ?? []).forEach((s: any, i: number) => {
    if (typeof s.service !== 'string') problems.push(`service_strategies[${i}].service: not a string`);
    strategy(s, `service_strategies[${i}]`, ['service']);
  });
  return problems;
}

const policy: SamplingPolicy = {
  defaultRatio: 0.1,
  defaultOperations: [{ operation: 'GET /healthz', ratio: 0 }],
  services: [
    { service: 'payments', strategy: { kind: 'probabilistic', ratio: 1 }, operations: [{ operation: 'POST /refunds', ratio: 0.5 }] },
    { service: 'analytics', strategy: { kind: 'rateLimiting', tracesPerSecond: 2 } },
  ],
};

describe('the strategies file format', () => {
  test.each(['sampling-strategies.json', 'sampling_strategies_example.json'])('upstream example %s passes the format check', (file) => {
    expect(formatProblems(JSON.parse(fs.readFileSync(vendorFile(`configs/jaeger/${file}`), 'utf8')))).toEqual([]);
  });

  test('the rendered file passes the same check', () => {
    expect(formatProblems(renderStrategies(policy))).toEqual([]);
  });

  test.each([
    ['a misspelt strategy type', (f: any) => (f.service_strategies[0].type = 'probablistic'), "service_strategies[0].type: 'probablistic' is not probabilistic or ratelimiting"],
    ['a v1 operation key', (f: any) => (f.default_strategy.operation_strategies[0].operationName = 'x'), "default_strategy.operation_strategies[0]: unknown key 'operationName'"],
    ['a probability above 1', (f: any) => (f.default_strategy.param = 10), 'default_strategy.param: 10 is not a probability'],
  ])('a planted mistake fails the format check: %s', (_what, plant, expected) => {
    const file = JSON.parse(JSON.stringify(renderStrategies(policy)));
    plant(file);
    expect(formatProblems(file)).toContain(expected);
  });
});

describe('renderStrategies', () => {
  test('default probabilistic with its operation overrides; services sorted; rate-limited param is traces per second', () => {
    expect(renderStrategies(policy)).toEqual({
      default_strategy: { type: 'probabilistic', param: 0.1, operation_strategies: [{ operation: 'GET /healthz', type: 'probabilistic', param: 0 }] },
      service_strategies: [
        { service: 'analytics', type: 'ratelimiting', param: 2 },
        { service: 'payments', type: 'probabilistic', param: 1, operation_strategies: [{ operation: 'POST /refunds', type: 'probabilistic', param: 0.5 }] },
      ],
    });
  });

  test('no overrides: an empty service list and no empty operation list', () => {
    expect(renderStrategies({ defaultRatio: 0.1 })).toEqual({ default_strategy: { type: 'probabilistic', param: 0.1 }, service_strategies: [] });
  });
});

describe('samplingProblems', () => {
  test('a valid policy has none', () => {
    expect(samplingProblems(policy, ['payments', 'analytics'])).toEqual([]);
  });

  test.each([
    ['a default ratio above 1', { defaultRatio: 1.5 }, undefined, [{ field: 'defaultRatio', value: 1.5, rule: 'must be a number from 0 to 1' }]],
    ['a negative operation ratio', { defaultRatio: 0.1, defaultOperations: [{ operation: 'x', ratio: -0.1 }] }, undefined, [{ field: 'defaultOperations[0].ratio', value: -0.1, rule: 'must be a number from 0 to 1' }]],
    [
      'an override for an unknown service',
      { defaultRatio: 0.1, services: [{ service: 'paymnets', strategy: { kind: 'probabilistic', ratio: 1 } }] },
      ['payments'],
      [{ field: 'services[0].service', value: 'paymnets', rule: 'is not an app of this environment; known apps: payments' }],
    ],
    [
      'operations under a rate limit',
      { defaultRatio: 0.1, services: [{ service: 'a', strategy: { kind: 'rateLimiting', tracesPerSecond: 2 }, operations: [{ operation: 'x', ratio: 1 }] }] },
      undefined,
      [{ field: 'services[0].operations', value: ['x'], rule: 'need a probabilistic strategy: Jaeger ignores operation strategies under a rate limit' }],
    ],
    [
      'a fractional rate limit',
      { defaultRatio: 0.1, services: [{ service: 'a', strategy: { kind: 'rateLimiting', tracesPerSecond: 0.5 } }] },
      undefined,
      [{ field: 'services[0].strategy.tracesPerSecond', value: 0.5, rule: 'must be an integer from 1 to 10000' }],
    ],
  ] as const)('reports %s', (_what, p, known, expected) => {
    expect(samplingProblems(p as SamplingPolicy, known as readonly string[] | undefined)).toEqual(expected);
  });
});
