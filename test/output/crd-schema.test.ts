import { SchemaVerdict, validateK8sObjects, verdictLines } from '../support/k8s-schema';
import { ENVIRONMENTS, K8sObject, synthAll } from '../support/synth';

/**
 * Every custom resource in `dist/k8s/<env>/` (ServiceMonitor, PodMonitor, PrometheusRule, Kong, ECK, ...) is checked
 * against the vendored CRD's openAPIV3Schema for its version, made structural-strict (unknown fields fail, as the API
 * server prunes or rejects them), and its metadata against ObjectMeta. The validator's own tests are in
 * validators.test.ts.
 */
let verdicts: Map<string, { file: string; verdict: SchemaVerdict }[]>;

beforeAll(() => {
  const out = synthAll();
  const all: { env: string; file: string; obj: K8sObject }[] = [];
  for (const env of ENVIRONMENTS) {
    for (const [file, objects] of out.manifests(env)) all.push(...objects.map((obj) => ({ env, file, obj })));
  }
  const results = validateK8sObjects(all.map((a) => a.obj));
  verdicts = new Map(ENVIRONMENTS.map((env) => [env, []]));
  all.forEach((a, i) => verdicts.get(a.env)!.push({ file: a.file, verdict: results[i] }));
});

describe.each(ENVIRONMENTS)('custom resources of %s', (env) => {
  test('every custom resource matches its CRD schema strictly', () => {
    const crs = verdicts.get(env)!.filter((c) => c.verdict.route === 'crd');
    const failures = crs.flatMap((c) => verdictLines(`dist/k8s/${env}/${c.file}`, [c.verdict]));
    expect(failures).toEqual([]);
  });
});
