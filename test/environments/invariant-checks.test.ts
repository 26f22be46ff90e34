/**
 * The invariants must be able to fail: each check is shown a small object that breaks its rule, with the exact
 * message it gives, and an object that keeps it.
 */
import type { ChartRef } from '../../constructs/helm/catalogue';
import { VENDORED_CRDS } from '../support/k8s-schema';
import type { K8sObject } from '../support/synth';
import {
  checkAutoscaling,
  checkConfigMapRefs,
  checkHelmReleases,
  checkHelmValueImages,
  checkImages,
  checkLabel,
  checkNamespaces,
  checkNoSecretValues,
  checkPodLabel,
  checkRedisClientCredential,
  checkResourceRequests,
  checkSecurityContext,
  checkStackOrder,
  checkTerraformObjectLabels,
  clusterScopedCustomKinds,
  findTokenLeaks,
  Located,
  terraformConfigMaps,
  terraformKubernetesObjects,
  unpinnedReason,
} from './invariant-checks';

const at = (obj: Partial<K8sObject> & { kind: string; metadata: K8sObject['metadata'] }): Located => ({
  file: 'apps.k8s.yaml',
  obj: { apiVersion: 'v1', ...obj } as K8sObject,
});

const goodContainer = {
  name: 'api',
  image: 'ghcr.io/example/api:1.4.2',
  resources: { requests: { cpu: '100m', memory: '128Mi' } },
  securityContext: { allowPrivilegeEscalation: false },
};

function deployment(name: string, podSpec: Record<string, unknown> = {}, spec: Record<string, unknown> = {}): Located {
  return at({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'apps' },
    spec: { ...spec, template: { spec: { securityContext: { runAsNonRoot: true }, containers: [goodContainer], ...podSpec } } },
  });
}

function hpa(name: string, target: string, extra: Record<string, unknown> = {}, apiVersion = 'autoscaling/v2'): Located {
  return at({
    apiVersion,
    kind: 'HorizontalPodAutoscaler',
    metadata: { name, namespace: 'apps' },
    spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: target }, minReplicas: 2, maxReplicas: 4, ...extra },
  });
}

describe('checkAutoscaling', () => {
  test('accepts a Deployment with one HPA and no replicas', () => {
    expect(checkAutoscaling([deployment('api'), hpa('api', 'api')])).toEqual([]);
  });

  test('fails on a Deployment without an HPA', () => {
    expect(checkAutoscaling([deployment('api')])).toEqual(['apps.k8s.yaml: Deployment apps/api: has 0 HorizontalPodAutoscalers, needs exactly 1']);
  });

  test('fails on a Deployment with two HPAs', () => {
    expect(checkAutoscaling([deployment('api'), hpa('a', 'api'), hpa('b', 'api')])).toEqual([
      'apps.k8s.yaml: Deployment apps/api: has 2 HorizontalPodAutoscalers, needs exactly 1',
    ]);
  });

  test('fails on spec.replicas next to an HPA', () => {
    expect(checkAutoscaling([deployment('api', {}, { replicas: 3 }), hpa('api', 'api')])).toEqual([
      'apps.k8s.yaml: Deployment apps/api: spec.replicas (3) must be absent: the HPA sets the count',
    ]);
  });

  test('fails on an HPA of an older API, on one naming nothing, and on min > max', () => {
    expect(checkAutoscaling([hpa('old', 'ghost', { minReplicas: 5, maxReplicas: 2 }, 'autoscaling/v1')])).toEqual([
      "apps.k8s.yaml: HorizontalPodAutoscaler apps/old: apiVersion 'autoscaling/v1' must be 'autoscaling/v2'",
      "apps.k8s.yaml: HorizontalPodAutoscaler apps/old: scaleTargetRef apps/v1/Deployment 'ghost' names no object in namespace 'apps'",
      'apps.k8s.yaml: HorizontalPodAutoscaler apps/old: minReplicas (5) must be <= maxReplicas (2)',
    ]);
  });
});

describe('checkImages', () => {
  test.each([
    ['redis', "image 'redis' has no tag"],
    ['redis:latest', "image 'redis:latest' uses ':latest'"],
    ['registry.local:5000/team/redis', "image 'registry.local:5000/team/redis' has no tag"],
  ])('fails on %s', (image, reason) => {
    expect(unpinnedReason(image)).toBe(reason);
  });

  test.each(['redis:8.2.1', 'registry.local:5000/team/redis:8.2.1', `redis@sha256:${'a'.repeat(64)}`])('accepts %s', (image) => {
    expect(unpinnedReason(image)).toBeUndefined();
  });

  test('names the object and the container, init containers included', () => {
    expect(checkImages([deployment('api', { initContainers: [{ ...goodContainer, name: 'migrate', image: 'flyway' }] })])).toEqual([
      "apps.k8s.yaml: Deployment apps/api: init container 'migrate' image 'flyway' has no tag",
    ]);
  });

  test('looks into CronJob pod templates', () => {
    const cron = at({
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: { name: 'backup', namespace: 'data' },
      spec: { jobTemplate: { spec: { template: { spec: { containers: [{ ...goodContainer, name: 'dump', image: 'redis:latest' }] } } } } },
    });
    expect(checkImages([cron])).toEqual(["apps.k8s.yaml: CronJob data/backup: container 'dump' image 'redis:latest' uses ':latest'"]);
  });
});

describe('checkResourceRequests', () => {
  test('fails on a container without a memory request', () => {
    const pod = { containers: [{ ...goodContainer, resources: { requests: { cpu: '100m' } } }] };
    expect(checkResourceRequests([deployment('api', pod)])).toEqual([
      "apps.k8s.yaml: Deployment apps/api: container 'api' has no resources.requests.memory",
    ]);
  });
});

describe('checkSecurityContext', () => {
  test('accepts runAsNonRoot from the pod and allowPrivilegeEscalation false on the container', () => {
    expect(checkSecurityContext([deployment('api')])).toEqual([]);
  });

  test('a container-level runAsNonRoot false overrides the pod', () => {
    const pod = { containers: [{ ...goodContainer, securityContext: { allowPrivilegeEscalation: false, runAsNonRoot: false } }] };
    expect(checkSecurityContext([deployment('api', pod)])).toEqual([
      "apps.k8s.yaml: Deployment apps/api: container 'api': runAsNonRoot resolves to false (container, then pod), must be true",
    ]);
  });

  test('a container-level runAsNonRoot true is enough without a pod context', () => {
    const pod = { securityContext: undefined, containers: [{ ...goodContainer, securityContext: { allowPrivilegeEscalation: false, runAsNonRoot: true } }] };
    expect(checkSecurityContext([deployment('api', pod)])).toEqual([]);
  });

  test('fails on a missing allowPrivilegeEscalation, on root and on privileged', () => {
    const pod = { securityContext: { runAsNonRoot: true, runAsUser: 0 }, containers: [{ ...goodContainer, securityContext: { privileged: true } }] };
    expect(checkSecurityContext([deployment('api', pod)])).toEqual([
      "apps.k8s.yaml: Deployment apps/api: container 'api': runAsUser resolves to 0 (root)",
      "apps.k8s.yaml: Deployment apps/api: container 'api': securityContext.allowPrivilegeEscalation is undefined, must be false",
      "apps.k8s.yaml: Deployment apps/api: container 'api': securityContext.privileged must not be true",
    ]);
  });
});

describe('checkLabel', () => {
  test('fails on a missing and on a wrong environment label', () => {
    const objs = [
      at({ kind: 'ConfigMap', metadata: { name: 'a', namespace: 'apps' } }),
      at({ kind: 'ConfigMap', metadata: { name: 'b', namespace: 'apps', labels: { env: 'prod' } } }),
      at({ kind: 'ConfigMap', metadata: { name: 'c', namespace: 'apps', labels: { env: 'dev' } } }),
    ];
    expect(checkLabel(objs, 'env', 'dev')).toEqual([
      "apps.k8s.yaml: ConfigMap apps/a: label 'env' is missing, must be 'dev'",
      "apps.k8s.yaml: ConfigMap apps/b: label 'env' is 'prod', must be 'dev'",
    ]);
  });
});

describe('terraformKubernetesObjects and checkTerraformObjectLabels', () => {
  const good = { env: 'dev', 'app.kubernetes.io/managed-by': 'terraform', component: 'redis' };
  const stack = {
    resource: {
      kubernetes_namespace_v1: { ns: { metadata: { name: 'apps', labels: good } } },
      kubernetes_config_map_v1: { cm: { metadata: [{ name: 'redis-connection', namespace: 'apps', labels: { env: 'dev' } }] } },
      kubernetes_storage_class_v1: { sc: { metadata: { name: 'gp3', labels: { ...good, env: 'prod', component: '' } } } },
      kubernetes_manifest: { m: { manifest: { kind: 'ConfigMap', metadata: { name: 'x' } } } },
      kubernetes_labels: { l: { metadata: { name: 'kube-system' }, labels: {} } },
      aws_s3_bucket: { b: { bucket: 'x' } },
    },
  };
  const objects = terraformKubernetesObjects('platform-dev', stack);

  test('finds the objects of kubernetes_* resources, not manifests (dist/k8s objects), patches or other providers', () => {
    expect(objects.map((o) => o.at)).toEqual([
      'platform-dev: kubernetes_namespace_v1.ns (apps)',
      'platform-dev: kubernetes_config_map_v1.cm (apps/redis-connection)',
      'platform-dev: kubernetes_storage_class_v1.sc (gp3)',
    ]);
  });

  test('fails on a missing label, a wrong value and an empty required label; accepts a fully labelled object', () => {
    expect(checkTerraformObjectLabels(objects, { env: 'dev', 'app.kubernetes.io/managed-by': 'terraform' }, ['component'])).toEqual([
      "platform-dev: kubernetes_config_map_v1.cm (apps/redis-connection): label 'app.kubernetes.io/managed-by' is missing, must be 'terraform'",
      "platform-dev: kubernetes_config_map_v1.cm (apps/redis-connection): label 'component' is missing",
      "platform-dev: kubernetes_storage_class_v1.sc (gp3): label 'env' is 'prod', must be 'dev'",
      "platform-dev: kubernetes_storage_class_v1.sc (gp3): label 'component' is missing",
    ]);
  });
});

describe('checkNamespaces', () => {
  const crds = clusterScopedCustomKinds(VENDORED_CRDS);

  test('reads cluster-scoped custom kinds from the vendored CRDs', () => {
    expect(crds.has('gateway.networking.k8s.io/GatewayClass')).toBe(true);
    expect(crds.has('monitoring.coreos.com/ServiceMonitor')).toBe(false);
  });

  test('fails on a namespaced object without a namespace and a cluster-scoped one with a namespace', () => {
    const objs = [
      at({ kind: 'ConfigMap', metadata: { name: 'a' } }),
      at({ apiVersion: 'monitoring.coreos.com/v1', kind: 'ServiceMonitor', metadata: { name: 'b' } }),
      at({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'c', namespace: 'apps' } }),
      at({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'ok' } }),
      at({ apiVersion: 'gateway.networking.k8s.io/v1', kind: 'GatewayClass', metadata: { name: 'ok' } }),
    ];
    expect(checkNamespaces(objs, crds)).toEqual([
      'apps.k8s.yaml: ConfigMap a: is namespaced but has no metadata.namespace',
      'apps.k8s.yaml: ServiceMonitor b: is namespaced but has no metadata.namespace',
      "apps.k8s.yaml: ClusterRole apps/c: is cluster-scoped but has metadata.namespace 'apps'",
    ]);
  });
});

describe('checkNoSecretValues', () => {
  test('fails on data and on stringData, accepts a Secret-free output', () => {
    const objs = [
      at({ kind: 'Secret', metadata: { name: 'a', namespace: 'apps' }, data: { k: 'dg==' } }),
      at({ kind: 'Secret', metadata: { name: 'b', namespace: 'apps' }, stringData: { k: 'v' } }),
      at({ kind: 'ConfigMap', metadata: { name: 'c', namespace: 'apps' }, data: { k: 'v' } }),
    ];
    const rule = 'a Secret with data/stringData puts secret values into the output; reference an existing secret instead';
    expect(checkNoSecretValues(objs)).toEqual([`apps.k8s.yaml: Secret apps/a: ${rule}`, `apps.k8s.yaml: Secret apps/b: ${rule}`]);
  });
});

describe('checkHelmReleases', () => {
  const catalogue: Record<string, ChartRef> = { vault: { repository: 'https://helm.example', chart: 'vault', version: '0.34.1' } };
  const stack = (release: Record<string, unknown>) => ({ resource: { helm_release: { v: { chart: 'vault', repository: 'https://helm.example', ...release } } } });

  test('accepts the catalogue version', () => {
    expect(checkHelmReleases('platform-dev', stack({ version: '0.34.1' }), catalogue)).toEqual([]);
  });

  test.each([
    [{}, "platform-dev: helm_release.v (chart 'vault'): has no version; must be '0.34.1' (CHARTS.vault)"],
    [{ version: '~0.34.0' }, "platform-dev: helm_release.v (chart 'vault'): version '~0.34.0' is not an exact version"],
    [{ version: '0.34.0' }, "platform-dev: helm_release.v (chart 'vault'): version '0.34.0' differs from CHARTS.vault.version '0.34.1'"],
    [{ chart: 'consul', version: '1.0.0' }, "platform-dev: helm_release.v (chart 'consul'): chart 'consul' from 'https://helm.example' is not in constructs/helm/catalogue.ts"],
  ])('fails on %j', (release, message) => {
    expect(checkHelmReleases('platform-dev', stack(release), catalogue)).toEqual([message]);
  });
});

describe('checkHelmValueImages', () => {
  test('fails on an image tag latest and an image string ending in :latest, accepts pinned ones', () => {
    const values = 'grafana:\n  image:\n    tag: latest\nsidecar:\n  image: kiwigrid/k8s-sidecar:latest\nexporter:\n  image:\n    tag: v1.80.0\n';
    expect(checkHelmValueImages('platform-dev', { resource: { helm_release: { kps: { values: [values] } } } })).toEqual([
      "platform-dev: helm_release.kps values grafana.image.tag is 'latest'",
      "platform-dev: helm_release.kps values sidecar.image 'kiwigrid/k8s-sidecar:latest' uses ':latest'",
    ]);
  });
});

describe('checkStackOrder', () => {
  const good = {
    stacks: {
      'foundation-prod': { dependencies: [] },
      'platform-prod': { dependencies: ['foundation-prod'] },
      'workloads-prod': { dependencies: ['platform-prod', 'foundation-prod'] },
    },
  };

  test('accepts foundation <- platform <- workloads', () => {
    expect(checkStackOrder(good, 'prod', true)).toEqual([]);
  });

  test('fails when workloads does not wait for platform and platform not for foundation', () => {
    const bad = { stacks: { ...good.stacks, 'platform-prod': { dependencies: [] }, 'workloads-prod': { dependencies: ['foundation-prod'] } } };
    expect(checkStackOrder(bad, 'prod', true)).toEqual(['platform-prod: must depend on foundation-prod', 'workloads-prod: must depend on platform-prod']);
  });

  test('fails on a foundation stack outside AWS, a missing one on AWS, and a cross-environment edge', () => {
    expect(checkStackOrder(good, 'prod', false)).toEqual(["foundation-prod: present, but 'prod' is not an AWS environment"]);
    const noFoundation = { stacks: { 'platform-prod': { dependencies: ['platform-staging'] }, 'workloads-prod': { dependencies: ['platform-prod'] } } };
    expect(checkStackOrder(noFoundation, 'prod', true)).toEqual([
      'foundation-prod: missing; every AWS environment has one',
      'platform-prod: must depend on foundation-prod',
      'platform-prod: depends on platform-staging, a stack of another environment',
    ]);
  });
});

describe('findTokenLeaks', () => {
  test('reports the file and line of a leaked token', () => {
    expect(findTokenLeaks('apps.k8s.yaml', 'a: 1\nhost: ${TfToken[TOKEN.12]}\n')).toEqual(['apps.k8s.yaml:2: host: ${TfToken[TOKEN.12]}']);
  });
});

describe('checkPodLabel', () => {
  const deployment = (labels: Record<string, string>) =>
    ({ file: 'apps.k8s.yaml', obj: { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'api', namespace: 'apps', labels: { env: 'prod' } }, spec: { template: { metadata: { labels } } } } }) as any;

  test('fails on a pod template without the label even when the object has it', () => {
    expect(checkPodLabel([deployment({})], 'env', 'prod')).toEqual(["apps.k8s.yaml: Deployment apps/api: pod template label 'env' is missing, must be 'prod'"]);
    expect(checkPodLabel([deployment({ env: 'dev' })], 'env', 'prod')).toEqual(["apps.k8s.yaml: Deployment apps/api: pod template label 'env' is 'dev', must be 'prod'"]);
  });

  test('passes on a labelled pod template and ignores kinds without pods', () => {
    const service = { file: 'apps.k8s.yaml', obj: { apiVersion: 'v1', kind: 'Service', metadata: { name: 'api', namespace: 'apps' } } } as any;
    expect(checkPodLabel([deployment({ env: 'prod' }), service], 'env', 'prod')).toEqual([]);
  });
});

describe('checkConfigMapRefs and terraformConfigMaps', () => {
  const reader = (envFrom: string[], keyRef?: string) =>
    deployment('api', {
      containers: [
        {
          ...goodContainer,
          envFrom: envFrom.map((name) => ({ configMapRef: { name } })),
          ...(keyRef ? { env: [{ name: 'LEVEL', valueFrom: { configMapKeyRef: { name: keyRef, key: 'level' } } }] } : {}),
        },
      ],
    });
  const configMap = (name: string, namespace = 'apps') => at({ kind: 'ConfigMap', metadata: { name, namespace } });

  test('accepts ConfigMaps from dist, from Terraform and from the external list', () => {
    const objects = [reader(['in-dist', 'from-terraform', 'team-config']), configMap('in-dist')];
    expect(checkConfigMapRefs(objects, ['apps/from-terraform'], new Set(['apps/team-config']))).toEqual([]);
  });

  test('fails on a ConfigMap nobody makes, one in another namespace, and a configMapKeyRef to nothing', () => {
    const objects = [reader(['missing', 'elsewhere'], 'levels'), configMap('elsewhere', 'data')];
    const why = "which neither dist/k8s, nor a Terraform kubernetes_config_map_v1, nor the list of external ConfigMaps has";
    expect(checkConfigMapRefs(objects, ['data/elsewhere'], new Set(['default/missing']))).toEqual([
      `apps.k8s.yaml: Deployment apps/api: container 'api' reads ConfigMap 'missing', ${why}`,
      `apps.k8s.yaml: Deployment apps/api: container 'api' reads ConfigMap 'elsewhere', ${why}`,
      `apps.k8s.yaml: Deployment apps/api: container 'api' reads ConfigMap 'levels', ${why}`,
    ]);
  });

  test('terraformConfigMaps lists kubernetes_config_map_v1 resources as namespace/name (object or one-element block)', () => {
    const stack = {
      resource: {
        kubernetes_config_map_v1: { a: { metadata: { name: 'redis-connection', namespace: 'apps' } }, b: { metadata: [{ name: 'x', namespace: 'data' }] } },
        kubernetes_manifest: { m: { manifest: { kind: 'ConfigMap', metadata: { name: 'in-dist', namespace: 'apps' } } } },
      },
    };
    expect(terraformConfigMaps(stack as any)).toEqual(['apps/redis-connection', 'data/x']);
  });
});

describe('checkRedisClientCredential', () => {
  const app = (envFrom: string[], env: Record<string, unknown>[]) =>
    deployment('api', { containers: [{ ...goodContainer, envFrom: envFrom.map((name) => ({ configMapRef: { name } })), env }] });
  const fromSecret = { name: 'REDIS_PASSWORD', valueFrom: { secretKeyRef: { name: 'redis-client', key: 'password' } } };

  test('accepts the connection with a secretKeyRef password, and an app that uses neither', () => {
    expect(checkRedisClientCredential([app(['api-config', 'redis-connection'], [fromSecret]), app(['api-config'], [])], 'redis-connection', 'REDIS_PASSWORD')).toEqual([]);
  });

  test('fails on the connection without a password, with a password value, and on a password value anywhere', () => {
    const objects = [
      app(['redis-connection'], []),
      app(['redis-connection'], [{ name: 'REDIS_PASSWORD', value: 'hunter2hunter2hunter2' }]),
      app([], [{ name: 'REDIS_PASSWORD', value: 'x' }]),
      app(['redis-connection'], [{ name: 'REDIS_PASSWORD', valueFrom: { secretKeyRef: { name: 'redis-client' } } }]),
    ];
    const none = "apps.k8s.yaml: Deployment apps/api: container 'api' reads ConfigMap 'redis-connection' but gets no REDIS_PASSWORD from a secretKeyRef (Secret name and key)";
    const value = "apps.k8s.yaml: Deployment apps/api: container 'api' sets REDIS_PASSWORD as a value: it must come from a secretKeyRef";
    expect(checkRedisClientCredential(objects, 'redis-connection', 'REDIS_PASSWORD')).toEqual([none, value, none, value, none]);
  });
});
