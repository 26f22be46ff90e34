import { escapeTerraformTemplates } from '../../constructs/k8s-bridge/cdk8s-manifests';
import { SchemaVerdict, validateK8sObjects, verdictLines } from '../support/k8s-schema';
import { ENVIRONMENTS, K8sObject, synthAll } from '../support/synth';

/**
 * Every object in `dist/k8s/<env>/*.k8s.yaml` is checked against the official Kubernetes schema (kubernetes-models),
 * strictly: unknown fields fail as with the API server's strict field validation or `kubeconform -strict`. Objects
 * of a kind with no schema fail too. Custom resources are covered by crd-schema.test.ts with the same validator.
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

  test('workloads stack applies exactly the objects of dist/k8s (so both outputs are covered by this check)', () => {
    const out = synthAll();
    const fromDist = byIdentity(out.objects(env).map((o) => escapeTerraformTemplates(o)));
    const manifests = out.stack(`workloads-${env}`).resource?.kubernetes_manifest ?? {};
    const fromStack = byIdentity(Object.values(manifests).map((r: any) => r.manifest));
    const differences: string[] = [];
    for (const [id, json] of fromDist) {
      if (!fromStack.has(id)) differences.push(`${id}: in dist/k8s/${env} but not in workloads-${env}`);
      else if (fromStack.get(id) !== json) differences.push(`${id}: differs between dist/k8s/${env} and workloads-${env}`);
    }
    for (const id of fromStack.keys()) {
      if (!fromDist.has(id)) differences.push(`${id}: in workloads-${env} but not in dist/k8s/${env}`);
    }
    expect(differences).toEqual([]);
  });
});

/** Objects by `apiVersion kind namespace/name`, as JSON with sorted keys (key order is not content). */
function byIdentity(objects: unknown[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const o of objects as K8sObject[]) {
    const id = `${o.apiVersion} ${o.kind} ${o.metadata?.namespace ?? '(cluster)'}/${o.metadata?.name}`;
    out.set(out.has(id) ? `${id} (duplicate ${out.size})` : id, canonicalJson(o));
  }
  return out;
}

function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v,
  );
}
