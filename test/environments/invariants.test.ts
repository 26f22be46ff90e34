/**
 * Rules every environment's output obeys, whatever components it has. They run over the output of one real synth
 * (`synthAll()`), so a component added tomorrow is checked without a line changed here. Each rule reports every
 * violation by file, kind, namespace and name; `invariant-checks.test.ts` proves each rule fails on bad input.
 */
import * as fs from 'fs';
import * as path from 'path';
import { EnvironmentConfig, environments, loadEnvironments } from '../../config';
import { NAMESPACES } from '../../config/namespaces';
import {
  LABEL_ENVIRONMENT,
  LABEL_MANAGED_BY,
  LABEL_PART_OF,
  LABEL_PLATFORM_COMPONENT,
  LABEL_PLATFORM_VERSION,
  MANAGED_BY_TERRAFORM,
} from '../../constructs/core/labels';
import { version as PROJECT_VERSION } from '../../package.json';
import { CHARTS } from '../../constructs/helm/catalogue';
import { escapeTerraformTemplates } from '../../constructs/k8s-bridge/cdk8s-manifests';
import { VENDORED_CRDS } from '../support/k8s-schema';
import { ENVIRONMENTS, synthAll } from '../support/synth';
import {
  CdktfManifest,
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
  containersOf,
  findTokenLeaks,
  locate,
  podLabelsOf,
  terraformConfigMaps,
  terraformKubernetesObjects,
} from './invariant-checks';
import { REDIS_CONNECTION_CONFIG_MAP, REDIS_PASSWORD_ENV } from '../../constructs/redis/redis-client';
import { REDIS_AUTH_TOKEN_VARIABLE } from '../../stacks/backend';

/**
 * ConfigMaps apps read that this project does not make: the app teams' own settings, which each app declares in the
 * registry (`configMaps` of its config entry) and which their own pipelines apply with their releases. Every other
 * ConfigMap an app reads must be in dist/k8s/<env> or made by workloads-<env> (Terraform).
 */
function externalConfigMaps(config: EnvironmentConfig): ReadonlySet<string> {
  return new Set(config.apps.flatMap((a) => (a.configMaps ?? []).map((name) => `${NAMESPACES.apps.name}/${name}`)));
}

let clusterScoped: Set<string> | undefined;
/** Cluster-scoped custom kinds from the vendored CRDs, read once per file (parsing them takes about half a second). */
const clusterScopedCustom = () => (clusterScoped ??= clusterScopedCustomKinds(VENDORED_CRDS));

/** JSON with sorted keys, so that two equal objects print equal whatever their key order. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v,
  );
}

describe.each(ENVIRONMENTS)('environment %s', (env) => {
  const out = synthAll();
  const objects = locate(out.manifests(env));
  const manifest = JSON.parse(fs.readFileSync(path.join(out.cdktfOutdir, 'manifest.json'), 'utf8')) as CdktfManifest;
  const stackNames = Object.keys(manifest.stacks).filter((s) => s.endsWith(`-${env}`));
  const config = loadEnvironments(environments, [env])[0];

  test('is not empty: it has the baseline default-deny NetworkPolicies', () => {
    const policies = objects.filter((o) => o.obj.kind === 'NetworkPolicy' && o.obj.metadata.name === 'default-deny-ingress');
    expect(policies.map((o) => o.obj.metadata.namespace).sort()).toEqual(expect.arrayContaining([NAMESPACES.apps.name, NAMESPACES.data.name]));
  });

  test('every Deployment has exactly one autoscaling/v2 HPA naming it, and no spec.replicas', () => {
    const deployments = objects.filter((o) => o.obj.kind === 'Deployment').length;
    const hpas = objects.filter((o) => o.obj.kind === 'HorizontalPodAutoscaler').length;
    expect(checkAutoscaling(objects)).toEqual([]);
    // Not vacuous once Deployments exist: there are at least as many HPAs as Deployments.
    expect(hpas).toBeGreaterThanOrEqual(deployments);
  });

  test('every container image is pinned (a tag other than latest, or a digest)', () => {
    expect(checkImages(objects)).toEqual([]);
  });

  test('every container requests cpu and memory', () => {
    expect(checkResourceRequests(objects)).toEqual([]);
  });

  test('every container runs as non-root without privilege escalation (container over pod context)', () => {
    expect(checkSecurityContext(objects)).toEqual([]);
    // Each workload object with a pod template contributes its containers: none is lost by the walk.
    const workloads = objects.filter((o) => ['Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob'].includes(o.obj.kind));
    expect(new Set(containersOf(objects).map((c) => c.at)).size).toBe(workloads.length);
  });

  test(`every object carries ${LABEL_ENVIRONMENT}=${env}`, () => {
    expect(checkLabel(objects, LABEL_ENVIRONMENT, env)).toEqual([]);
  });

  test(`every pod carries ${LABEL_ENVIRONMENT}=${env} (pod templates, not only object metadata)`, () => {
    expect(checkPodLabel(objects, LABEL_ENVIRONMENT, env)).toEqual([]);
    expect(objects.some((o) => podLabelsOf(o.obj) !== undefined)).toBe(true);
  });

  test('every object names the component (its manifest file) and the project version that made it', () => {
    for (const file of new Set(objects.map((o) => o.file))) {
      const inFile = objects.filter((o) => o.file === file);
      expect(checkLabel(inFile, LABEL_PLATFORM_COMPONENT, file.replace(/\.k8s\.yaml$/, ''))).toEqual([]);
    }
    expect(checkLabel(objects, LABEL_PLATFORM_VERSION, PROJECT_VERSION)).toEqual([]);
  });

  test('every Kubernetes object Terraform creates (kubernetes_* resources) carries environment, part-of, managed-by, version and a component', () => {
    const made = stackNames.flatMap((s) => terraformKubernetesObjects(s, out.stack(s)));
    const expected = { [LABEL_ENVIRONMENT]: env, [LABEL_PART_OF]: 'platform', [LABEL_MANAGED_BY]: MANAGED_BY_TERRAFORM, [LABEL_PLATFORM_VERSION]: PROJECT_VERSION };
    expect(checkTerraformObjectLabels(made, expected, [LABEL_PLATFORM_COMPONENT])).toEqual([]);
    // Not vacuous: platform-<env> makes every namespace of config/namespaces.ts.
    expect(made.filter((o) => o.at.startsWith(`platform-${env}: kubernetes_namespace_v1.`)).length).toBe(Object.keys(NAMESPACES).length);
  });

  test('namespaced kinds have a namespace, cluster-scoped kinds none', () => {
    expect(checkNamespaces(objects, clusterScopedCustom())).toEqual([]);
  });

  test('no Secret carries data or stringData', () => {
    expect(checkNoSecretValues(objects)).toEqual([]);
  });

  test('no TfToken[ in dist/ or in any stack of the environment', () => {
    const distDir = path.join(out.dir, 'dist', 'k8s', env);
    const leaks = [
      ...fs.readdirSync(distDir).map((f) => findTokenLeaks(`dist/k8s/${env}/${f}`, fs.readFileSync(path.join(distDir, f), 'utf8'))),
      ...stackNames.map((s) => findTokenLeaks(`${s}/cdk.tf.json`, fs.readFileSync(path.join(out.cdktfOutdir, 'stacks', s, 'cdk.tf.json'), 'utf8'))),
    ].flat();
    expect(leaks).toEqual([]);
  });

  test('every helm_release is pinned to its catalogue version', () => {
    expect(stackNames.flatMap((s) => checkHelmReleases(s, out.stack(s), CHARTS))).toEqual([]);
    // metrics-server is the first release of every environment: the check has something to look at.
    expect(Object.keys(out.stack(`platform-${env}`).resource?.helm_release ?? {}).length).toBeGreaterThan(0);
  });

  test('no helm_release sets an image to latest', () => {
    expect(stackNames.flatMap((s) => checkHelmValueImages(s, out.stack(s)))).toEqual([]);
  });

  test('the workloads stack applies exactly the objects of dist/k8s', () => {
    const fromStack = Object.values((out.stack(`workloads-${env}`).resource?.kubernetes_manifest ?? {}) as Record<string, { manifest: unknown }>)
      .map((r) => canonical(r.manifest))
      .sort();
    const fromDist = objects.map((o) => canonical(escapeTerraformTemplates(o.obj))).sort();
    expect(fromStack).toEqual(fromDist);
  });

  test('every ConfigMap an app reads is in dist/k8s, made by workloads-<env> (Terraform) or on the external list', () => {
    const fromTerraform = terraformConfigMaps(out.stack(`workloads-${env}`));
    expect(checkConfigMapRefs(objects, fromTerraform, externalConfigMaps(config))).toEqual([]);
    // The GitOps gap, named: what `kubectl apply -f dist/k8s/<env>` alone leaves out (managed Redis's connection
    // facts exist only in Terraform, because ElastiCache's endpoint does).
    const read = new Set(
      containersOf(objects).flatMap(({ at, container }) =>
        ((container as { envFrom?: { configMapRef?: { name: string } }[] }).envFrom ?? []).flatMap((e) => (e.configMapRef ? [`${at.obj.metadata.namespace}/${e.configMapRef.name}`] : [])),
      ),
    );
    const inDist = new Set(objects.filter((o) => o.obj.kind === 'ConfigMap').map((o) => `${o.obj.metadata.namespace}/${o.obj.metadata.name}`));
    expect(fromTerraform.filter((cm) => read.has(cm) && !inDist.has(cm))).toEqual(config.redis.mode === 'managed' ? ['apps/redis-connection'] : []);
  });

  test('every app that reads redis-connection gets REDIS_PASSWORD from the client Secret by secretKeyRef, never a value', () => {
    expect(checkRedisClientCredential(objects, REDIS_CONNECTION_CONFIG_MAP, REDIS_PASSWORD_ENV)).toEqual([]);
    // Not vacuous: each app with `redis: true` reads the connection and the configured client Secret.
    const users = config.apps.filter((a) => a.redis);
    expect(users.length).toBeGreaterThan(0);
    for (const app of users) {
      const dep = objects.find((o) => o.obj.kind === 'Deployment' && o.obj.metadata.name === app.name)!;
      const c = (dep.obj.spec as any).template.spec.containers[0];
      expect(c.envFrom).toContainEqual({ configMapRef: { name: REDIS_CONNECTION_CONFIG_MAP } });
      expect(c.env.find((e: { name: string }) => e.name === REDIS_PASSWORD_ENV).valueFrom.secretKeyRef).toMatchObject(config.redis.clientSecret);
    }
  });

  test('the client Secret: managed Redis has workloads-<env> make it from the sensitive redis_auth_token (as foundation-<env>); in-cluster modes leave it to Vault/ESO', () => {
    const secrets = Object.values((out.stack(`workloads-${env}`).resource?.kubernetes_secret_v1 ?? {}) as Record<string, { metadata: { name: string; namespace: string }; data: Record<string, string> }>);
    const { name, key } = config.redis.clientSecret;
    if (config.redis.mode === 'managed') {
      expect(secrets.map((s) => [s.metadata.namespace, s.metadata.name, s.data])).toEqual([[NAMESPACES.apps.name, name, { [key]: `\${var.${REDIS_AUTH_TOKEN_VARIABLE}}` }]]);
      // One TF_VAR_redis_auth_token serves both deploys: the same variable, sensitive, without a default, in both stacks.
      for (const stack of [`workloads-${env}`, `foundation-${env}`]) {
        const variable = (out.stack(stack) as any).variable?.[REDIS_AUTH_TOKEN_VARIABLE];
        expect({ stack, sensitive: variable?.sensitive, default: variable?.default }).toEqual({ stack, sensitive: true, default: undefined });
      }
    } else {
      expect(secrets).toEqual([]);
      expect(objects.filter((o) => o.obj.kind === 'Secret')).toEqual([]);
    }
  });

  test('stacks: foundation only on AWS; workloads after platform after foundation; no cross-environment edge', () => {
    const onAws = config.cluster.kind === 'eks';
    expect({ env, onAws }).toEqual({ env, onAws: env !== 'dev' });
    expect(checkStackOrder(manifest, env, onAws)).toEqual([]);
  });
});
