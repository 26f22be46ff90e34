import { FileVerdict, routeFailures, validateManifests } from '../support/k8s-schema';
import { ENVIRONMENTS, synthAll } from '../support/synth';

/**
 * Every object in `dist/k8s/<env>/*.k8s.yaml` is checked against the official Kubernetes schema (kubernetes-models),
 * strictly: unknown fields fail as with the API server's strict field validation or `kubeconform -strict`. Objects
 * of a kind with no schema fail too. Custom resources are covered by crd-schema.test.ts with the same validator.
 * The workloads stacks apply exactly these objects (environments/invariants.test.ts proves it), so they are covered too.
 */
let checked: Map<string, FileVerdict[]>;

beforeAll(() => {
  checked = validateManifests(synthAll(), ENVIRONMENTS);
});

describe.each(ENVIRONMENTS)('Kubernetes objects of %s', (env) => {
  test('there are objects to check', () => {
    expect(checked.get(env)!.length).toBeGreaterThan(0);
  });

  test('every built-in object passes strict schema validation (no unknown fields, types, required fields)', () => {
    expect(routeFailures(env, checked.get(env)!, 'builtin')).toEqual([]);
  });

  test('no object is left without a schema (built-in kind or vendored CRD)', () => {
    expect(routeFailures(env, checked.get(env)!, 'none')).toEqual([]);
  });
});
