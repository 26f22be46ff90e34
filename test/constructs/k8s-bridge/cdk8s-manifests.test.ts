import { ApiObject, App, Chart } from 'cdk8s';
import { Testing } from 'cdktf';
import { Cdk8sManifests, escapeTerraformTemplates, manifestId } from '../../../constructs/k8s-bridge/cdk8s-manifests';

function chartWithConfigMap(): Chart {
  const chart = new Chart(new App(), 'demo', { disableResourceNameHashes: true });
  new ApiObject(chart, 'cm', {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'scripts', namespace: 'apps' },
    data: { 'run.sh': 'echo ${HOME} %{x}', alert: '{{ $labels.pod }}' },
  });
  new ApiObject(chart, 'ns', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'extra' } });
  return chart;
}

describe('Cdk8sManifests', () => {
  const json = JSON.parse(
    Testing.synthScope((scope) => {
      new Cdk8sManifests(scope, 'manifests', { charts: [chartWithConfigMap()] });
    }),
  );
  const manifests = json.resource.kubernetes_manifest as Record<string, { manifest: any }>;

  test('makes one kubernetes_manifest per object, named after chart, kind, namespace and name', () => {
    expect(Object.keys(manifests).map((k) => k.replace(/_[0-9A-F]{8}$/, ''))).toEqual([
      'manifests_demo-configmap-apps-scripts',
      'manifests_demo-namespace-cluster-extra',
    ]);
  });

  test('escapes Terraform template sequences so strings reach the cluster as written', () => {
    const cm = Object.values(manifests)[0].manifest;
    expect(cm.data['run.sh']).toBe('echo $${HOME} %%{x}');
    expect(cm.data.alert).toBe('{{ $labels.pod }}');
  });
});

describe('escapeTerraformTemplates', () => {
  test('walks lists and maps and leaves other values alone', () => {
    expect(escapeTerraformTemplates({ a: ['${x}', 1, true, null], b: { c: '%{y}' } })).toEqual({ a: ['$${x}', 1, true, null], b: { c: '%%{y}' } });
  });
});

describe('manifestId', () => {
  test('is lower-case and keeps only letters, digits and dashes', () => {
    expect(manifestId('apps', { kind: 'Deployment', metadata: { name: 'api.v2', namespace: 'apps' } })).toBe('apps-deployment-apps-api-v2');
  });
});
