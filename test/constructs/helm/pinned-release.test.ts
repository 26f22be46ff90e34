import { Testing } from 'cdktf';
import { parse } from 'yaml';
import { CHARTS } from '../../../constructs/helm/catalogue';
import { deepMerge, PinnedHelmRelease } from '../../../constructs/helm/pinned-release';

function synthRelease(props: Partial<ConstructorParameters<typeof PinnedHelmRelease>[2]> = {}) {
  const json = Testing.synthScope((scope) => {
    new PinnedHelmRelease(scope, 'test', {
      chart: CHARTS.vault,
      releaseName: 'vault',
      namespace: 'vault',
      values: { server: { ha: { enabled: true, replicas: 3 } }, injector: { enabled: false } },
      ...props,
    });
  });
  return Object.values(JSON.parse(json).resource.helm_release)[0] as Record<string, any>;
}

describe('PinnedHelmRelease', () => {
  test('pins the catalogue chart and version, never creates the namespace, rolls back failed upgrades', () => {
    const release = synthRelease();
    expect(release).toMatchObject({
      name: 'vault',
      namespace: 'vault',
      repository: 'https://helm.releases.hashicorp.com',
      chart: 'vault',
      version: CHARTS.vault.version,
      create_namespace: false,
      atomic: true,
      cleanup_on_fail: true,
      timeout: 600,
    });
  });

  test('renders values as one YAML document with sorted keys', () => {
    const release = synthRelease();
    expect(release.values).toHaveLength(1);
    expect(release.values[0]).toBe('injector:\n  enabled: false\nserver:\n  ha:\n    enabled: true\n    replicas: 3\n');
  });

  test('merges extraValues last', () => {
    const release = synthRelease({ extraValues: { server: { ha: { replicas: 5 } } } });
    expect(parse(release.values[0])).toEqual({ injector: { enabled: false }, server: { ha: { enabled: true, replicas: 5 } } });
  });

  test('sets the timeout', () => {
    expect(synthRelease({ timeoutSeconds: 900 }).timeout).toBe(900);
  });

  test('fails on a version range', () => {
    expect(() => synthRelease({ chart: { ...CHARTS.vault, version: '^0.34.0' } })).toThrow(
      "[stack/test] 'chart.version' ('^0.34.0') must be an exact semantic version (no ranges)",
    );
  });

  test('fails on a release name that is not a DNS label', () => {
    expect(() => synthRelease({ releaseName: 'Vault' })).toThrow("[stack/test] 'releaseName' ('Vault') must be a DNS label");
  });
});

describe('deepMerge', () => {
  test('merges maps and replaces lists, as Helm does with several values files', () => {
    expect(deepMerge({ a: { b: 1, c: [1, 2] }, d: 1 }, { a: { c: [3] }, e: 2 })).toEqual({ a: { b: 1, c: [3] }, d: 1, e: 2 });
  });
});

describe('PinnedHelmRelease values rendering', () => {
  test('writes a value used twice in full, never as a YAML alias', () => {
    const shared = { requests: { cpu: '100m' } };
    const json = Testing.synthScope((scope) => {
      new PinnedHelmRelease(scope, 'test', { chart: CHARTS.vault, releaseName: 'vault', namespace: 'vault', values: { a: shared, b: shared } });
    });
    const values = (Object.values(JSON.parse(json).resource.helm_release)[0] as any).values[0] as string;
    expect(values).not.toMatch(/[&*]a\d/);
    expect(parse(values)).toEqual({ a: shared, b: shared });
  });
});
