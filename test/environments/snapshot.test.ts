/**
 * A reviewers' tripwire, one small snapshot per environment: which stacks exist with which Terraform addresses,
 * and which Kubernetes objects go into which manifest file. Contents are checked by the invariants and the output
 * tests, not here; this only makes an added, removed or renamed resource show up in review.
 *
 * When it fails: if the change is intended (a component added, a construct id renamed; note that a renamed
 * construct id REPLACES the real resource), update it with `npx jest -u test/environments/snapshot.test.ts` and
 * commit the `.snap` file with the change, so the reviewer sees the list move. If it is not intended, fix the code.
 * CI never writes snapshots (jest runs with `--ci` under CI=true), so a missing or stale snapshot fails there.
 */
import { ENVIRONMENTS, synthAll } from '../support/synth';

/** `{ 'platform-dev': ['helm_release.metrics-server_...', ...], ... }` for one environment's stacks. */
function stackAddresses(env: string): Record<string, string[]> {
  const out = synthAll();
  const stacks = out.stacks.filter((s) => s.endsWith(`-${env}`)).sort();
  return Object.fromEntries(
    stacks.map((name) => {
      const tf = out.stack(name);
      const addresses = [
        ...Object.entries((tf.resource ?? {}) as Record<string, object>).flatMap(([type, byName]) => Object.keys(byName).map((n) => `${type}.${n}`)),
        ...Object.entries((tf.data ?? {}) as Record<string, object>).flatMap(([type, byName]) => Object.keys(byName).map((n) => `data.${type}.${n}`)),
      ];
      return [name, addresses.sort()];
    }),
  );
}

/** `baseline.k8s.yaml: NetworkPolicy apps/default-deny-ingress` for every object of one environment. */
function objectList(env: string): string[] {
  return [...synthAll().manifests(env).entries()].flatMap(([file, objs]) =>
    objs.map((o) => `${file}: ${o.kind} ${o.metadata.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata.name}`),
  );
}

describe.each(ENVIRONMENTS)('environment %s', (env) => {
  test('stacks and their resource addresses', () => {
    expect(stackAddresses(env)).toMatchSnapshot();
  });

  test('Kubernetes objects by manifest file', () => {
    expect(objectList(env)).toMatchSnapshot();
  });
});
