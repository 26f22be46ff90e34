import { SchemaVerdict, validateK8sObjects, verdictLines } from '../support/k8s-schema';
import { ENVIRONMENTS, K8sObject, synthAll } from '../support/synth';

/**
 * Every object in `dist/k8s/<env>/*.k8s.yaml` is checked against the official Kubernetes schema (kubernetes-models),
 * strictly: unknown fields fail as with the API server's strict field validation or `kubeconform -strict`. Objects
 * of a kind with no schema fail too. Custom resources are covered by crd-schema.test.ts with the same validator.
 * The workloads stacks apply exactly these objects (environments/invariants.test.ts proves it), so they are covered too.
 */
interface Checked {
  readonly file: string;
  readonly verdict: SchemaVerdict;
}

let checked: Map<string, Checked[]>;

beforeAll(() => {
  const out = synthAll();
  const all: { env: string; file: string; obj: K8sObject }[] = [];
  for (const env of ENVIRONMENTS) {
    for (const [file, objects] of out.manifests(env)) all.push(...objects.map((obj) => ({ env, file, obj })));
  }
  const verdicts = validateK8sObjects(all.map((a) => a.obj));
  checked = new Map(ENVIRONMENTS.map((env) => [env, []]));
  all.forEach((a, i) => checked.get(a.env)!.push({ file: a.file, verdict: verdicts[i] }));
});

describe.each(ENVIRONMENTS)('Kubernetes objects of %s', (env) => {
  test('there are objects to check', () => {
    expect(checked.get(env)!.length).toBeGreaterThan(0);
  });

  test('every built-in object passes strict schema validation (no unknown fields, types, required fields)', () => {
    const failures = checked
      .get(env)!
      .filter((c) => c.verdict.route === 'builtin')
      .flatMap((c) => verdictLines(`dist/k8s/${env}/${c.file}`, [c.verdict]));
    expect(failures).toEqual([]);
  });

  test('no object is left without a schema (built-in kind or vendored CRD)', () => {
    const failures = checked
      .get(env)!
      .filter((c) => c.verdict.route === 'none')
      .flatMap((c) => verdictLines(`dist/k8s/${env}/${c.file}`, [c.verdict]));
    expect(failures).toEqual([]);
  });
});
