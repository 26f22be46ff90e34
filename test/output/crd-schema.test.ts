import { FileVerdict, routeFailures, validateManifests } from '../support/k8s-schema';
import { ENVIRONMENTS, synthAll } from '../support/synth';

/**
 * Every custom resource in `dist/k8s/<env>/` (ServiceMonitor, PodMonitor, PrometheusRule, Kong, ECK, ...) is checked
 * against the vendored CRD's openAPIV3Schema for its version, made structural-strict (unknown fields fail, as the API
 * server prunes or rejects them), and its metadata against ObjectMeta. The validator's own tests are in
 * validators.test.ts.
 */
let verdicts: Map<string, FileVerdict[]>;

beforeAll(() => {
  verdicts = validateManifests(synthAll(), ENVIRONMENTS);
});

describe.each(ENVIRONMENTS)('custom resources of %s', (env) => {
  test('every custom resource matches its CRD schema strictly', () => {
    expect(routeFailures(env, verdicts.get(env)!, 'crd')).toEqual([]);
  });
});
