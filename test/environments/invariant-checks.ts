/**
 * The environment invariants as plain functions over synthesised output. Each returns a list of violations in
 * reviewers' terms (`<file>: <Kind> <namespace>/<name>: <what is wrong>`); an empty list means the invariant holds.
 * `invariants.test.ts` runs them over every environment; `invariant-checks.test.ts` proves each one can fail.
 */
import * as fs from 'fs';
import * as path from 'path';
import { parse, parseAllDocuments } from 'yaml';
import type { ChartRef } from '../../constructs/helm/catalogue';
import type { K8sObject, TerraformJson } from '../support/synth';

/** One Kubernetes object and the manifest file it came from. */
export interface Located {
  readonly file: string;
  readonly obj: K8sObject;
}

/** `apps.k8s.yaml: Deployment apps/api` */
export function where({ file, obj }: Located): string {
  const ns = obj.metadata?.namespace;
  return `${file}: ${obj.kind} ${ns ? `${ns}/` : ''}${obj.metadata?.name}`;
}

/** Flattens `manifests(env)` into located objects, in file order. */
export function locate(manifests: Map<string, K8sObject[]>): Located[] {
  return [...manifests.entries()].flatMap(([file, objs]) => objs.map((obj) => ({ file, obj })));
}

// ---------------------------------------------------------------------------------------------------------------
// Pods: where the pod specs of the workload kinds are.

interface PodSpecLike {
  securityContext?: { runAsNonRoot?: boolean; runAsUser?: number };
  containers?: ContainerLike[];
  initContainers?: ContainerLike[];
}

interface ContainerLike {
  name: string;
  image?: string;
  resources?: { requests?: Record<string, unknown> };
  securityContext?: { runAsNonRoot?: boolean; runAsUser?: number; allowPrivilegeEscalation?: boolean; privileged?: boolean };
}

/** The pod spec of a core workload object (Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob). */
export function podSpecOf(obj: K8sObject): PodSpecLike | undefined {
  const spec = obj.spec as Record<string, any> | undefined;
  if (!spec) return undefined;
  switch (obj.kind) {
    case 'Pod':
      return spec as PodSpecLike;
    case 'Deployment':
    case 'StatefulSet':
    case 'DaemonSet':
    case 'ReplicaSet':
    case 'Job':
      return spec.template?.spec;
    case 'CronJob':
      return spec.jobTemplate?.spec?.template?.spec;
    default:
      return undefined;
  }
}

/** The pod template's labels of a workload object (its metadata for a bare Pod); undefined for other kinds. */
export function podLabelsOf(obj: K8sObject): Record<string, string> | undefined {
  const spec = obj.spec as Record<string, any> | undefined;
  switch (obj.kind) {
    case 'Pod':
      return obj.metadata.labels ?? {};
    case 'Deployment':
    case 'StatefulSet':
    case 'DaemonSet':
    case 'ReplicaSet':
    case 'Job':
      return spec?.template?.metadata?.labels ?? {};
    case 'CronJob':
      return spec?.jobTemplate?.spec?.template?.metadata?.labels ?? {};
    default:
      return undefined;
  }
}

/** Pods that would not carry `label` = `value`, so that `kubectl get pods -l` would miss them. */
export function checkPodLabel(objects: readonly Located[], label: string, value: string): string[] {
  return objects.flatMap((o) => {
    const labels = podLabelsOf(o.obj);
    if (labels === undefined || labels[label] === value) return [];
    return [`${where(o)}: pod template label '${label}' is ${labels[label] === undefined ? 'missing' : `'${labels[label]}'`}, must be '${value}'`];
  });
}

/** Every container (init containers included) with the pod spec it runs in. */
export function containersOf(objects: readonly Located[]): { at: Located; pod: PodSpecLike; container: ContainerLike; label: string }[] {
  return objects.flatMap((at) => {
    const pod = podSpecOf(at.obj);
    if (!pod) return [];
    return [
      ...(pod.initContainers ?? []).map((container) => ({ at, pod, container, label: `init container '${container.name}'` })),
      ...(pod.containers ?? []).map((container) => ({ at, pod, container, label: `container '${container.name}'` })),
    ];
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Autoscaling.

/**
 * Every Deployment has exactly one HorizontalPodAutoscaler (autoscaling/v2, same namespace) whose scaleTargetRef
 * names it, and no `spec.replicas` (the HPA owns the count); every HPA targets an object that exists and has
 * `minReplicas <= maxReplicas`.
 */
export function checkAutoscaling(objects: readonly Located[]): string[] {
  const problems: string[] = [];
  const hpas = objects.filter((o) => o.obj.kind === 'HorizontalPodAutoscaler');
  for (const hpa of hpas) {
    if (hpa.obj.apiVersion !== 'autoscaling/v2') problems.push(`${where(hpa)}: apiVersion '${hpa.obj.apiVersion}' must be 'autoscaling/v2'`);
    const spec = (hpa.obj.spec ?? {}) as { scaleTargetRef?: { apiVersion?: string; kind?: string; name?: string }; minReplicas?: number; maxReplicas?: number };
    const ref = spec.scaleTargetRef ?? {};
    const target = objects.find(
      (o) => o.obj.kind === ref.kind && o.obj.apiVersion === ref.apiVersion && o.obj.metadata.name === ref.name && o.obj.metadata.namespace === hpa.obj.metadata.namespace,
    );
    if (!target) problems.push(`${where(hpa)}: scaleTargetRef ${ref.apiVersion}/${ref.kind} '${ref.name}' names no object in namespace '${hpa.obj.metadata.namespace}'`);
    if ((spec.minReplicas ?? 1) > (spec.maxReplicas ?? 0)) {
      problems.push(`${where(hpa)}: minReplicas (${spec.minReplicas ?? 1}) must be <= maxReplicas (${spec.maxReplicas})`);
    }
  }
  for (const dep of objects.filter((o) => o.obj.kind === 'Deployment')) {
    const mine = hpas.filter((h) => {
      const ref = (h.obj.spec as { scaleTargetRef?: { kind?: string; name?: string } } | undefined)?.scaleTargetRef;
      return h.obj.metadata.namespace === dep.obj.metadata.namespace && ref?.kind === 'Deployment' && ref.name === dep.obj.metadata.name;
    });
    if (mine.length !== 1) problems.push(`${where(dep)}: has ${mine.length} HorizontalPodAutoscalers, needs exactly 1`);
    const replicas = (dep.obj.spec as { replicas?: unknown } | undefined)?.replicas;
    if (replicas !== undefined) problems.push(`${where(dep)}: spec.replicas (${JSON.stringify(replicas)}) must be absent: the HPA sets the count`);
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------------------------
// Images, resources, security context.

/** Why an image reference is not pinned, or undefined when it is (a tag other than `latest`, or a digest). */
export function unpinnedReason(image: string | undefined): string | undefined {
  if (!image) return 'has no image';
  if (/@sha256:[0-9a-f]{64}$/.test(image)) return undefined;
  const lastSegment = image.slice(image.lastIndexOf('/') + 1);
  const colon = lastSegment.indexOf(':');
  if (colon < 0) return `image '${image}' has no tag`;
  const tag = lastSegment.slice(colon + 1);
  if (tag === '') return `image '${image}' has an empty tag`;
  if (tag === 'latest') return `image '${image}' uses ':latest'`;
  return undefined;
}

/** No container image is `:latest` or untagged. */
export function checkImages(objects: readonly Located[]): string[] {
  return containersOf(objects).flatMap(({ at, container, label }) => {
    const reason = unpinnedReason(container.image);
    return reason ? [`${where(at)}: ${label} ${reason}`] : [];
  });
}

/** Every container requests cpu and memory. */
export function checkResourceRequests(objects: readonly Located[]): string[] {
  return containersOf(objects).flatMap(({ at, container, label }) =>
    ['cpu', 'memory']
      .filter((r) => container.resources?.requests?.[r] === undefined)
      .map((r) => `${where(at)}: ${label} has no resources.requests.${r}`),
  );
}

/**
 * Every container runs as non-root without privilege escalation, as Kubernetes resolves it: a container's
 * `securityContext.runAsNonRoot`/`runAsUser` override the pod's; `allowPrivilegeEscalation` exists only on the
 * container. `runAsUser: 0` together with `runAsNonRoot: true` is refused by the kubelet, so it counts too.
 */
export function checkSecurityContext(objects: readonly Located[]): string[] {
  return containersOf(objects).flatMap(({ at, pod, container, label }) => {
    const problems: string[] = [];
    const nonRoot = container.securityContext?.runAsNonRoot ?? pod.securityContext?.runAsNonRoot;
    const user = container.securityContext?.runAsUser ?? pod.securityContext?.runAsUser;
    if (nonRoot !== true) problems.push(`${label}: runAsNonRoot resolves to ${JSON.stringify(nonRoot)} (container, then pod), must be true`);
    if (user === 0) problems.push(`${label}: runAsUser resolves to 0 (root)`);
    if (container.securityContext?.allowPrivilegeEscalation !== false) {
      problems.push(`${label}: securityContext.allowPrivilegeEscalation is ${JSON.stringify(container.securityContext?.allowPrivilegeEscalation)}, must be false`);
    }
    if (container.securityContext?.privileged === true) problems.push(`${label}: securityContext.privileged must not be true`);
    return problems.map((p) => `${where(at)}: ${p}`);
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Metadata.

/** Every object carries `label: value`. */
export function checkLabel(objects: readonly Located[], label: string, value: string): string[] {
  return objects.flatMap((o) => {
    const actual = o.obj.metadata?.labels?.[label];
    return actual === value ? [] : [`${where(o)}: label '${label}' is ${actual === undefined ? 'missing' : `'${actual}'`}, must be '${value}'`];
  });
}

/** Core kinds that live outside namespaces. Custom resources are looked up in their CRDs. */
export const CLUSTER_SCOPED_CORE_KINDS: ReadonlySet<string> = new Set([
  'Namespace', 'Node', 'PersistentVolume', 'StorageClass', 'CSIDriver', 'CSINode', 'VolumeAttachment', 'ClusterRole',
  'ClusterRoleBinding', 'CustomResourceDefinition', 'PriorityClass', 'RuntimeClass', 'IngressClass', 'APIService',
  'ValidatingWebhookConfiguration', 'MutatingWebhookConfiguration', 'ValidatingAdmissionPolicy',
  'ValidatingAdmissionPolicyBinding', 'FlowSchema', 'PriorityLevelConfiguration', 'CertificateSigningRequest',
]);

/** `group/Kind` of every cluster-scoped custom resource among the CRD files under `crdDir` (recursively). */
export function clusterScopedCustomKinds(crdDir: string): Set<string> {
  const out = new Set<string>();
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(p);
      else if (/\.ya?ml$/.test(entry.name)) {
        for (const doc of parseAllDocuments(fs.readFileSync(p, 'utf8'))) {
          const crd = doc.toJS() as { kind?: string; spec?: { group?: string; scope?: string; names?: { kind?: string } } } | null;
          if (crd?.kind === 'CustomResourceDefinition' && crd.spec?.scope === 'Cluster') out.add(`${crd.spec.group}/${crd.spec.names?.kind}`);
        }
      }
    }
  };
  walk(crdDir);
  return out;
}

/** Namespaced kinds have `metadata.namespace`; cluster-scoped kinds have none. */
export function checkNamespaces(objects: readonly Located[], clusterScopedCustom: ReadonlySet<string>): string[] {
  return objects.flatMap((o) => {
    const group = o.obj.apiVersion.includes('/') ? o.obj.apiVersion.split('/')[0] : '';
    const clusterScoped = (group === '' || group.endsWith('.k8s.io') || !group.includes('.')) && CLUSTER_SCOPED_CORE_KINDS.has(o.obj.kind)
      ? true
      : clusterScopedCustom.has(`${group}/${o.obj.kind}`);
    const ns = o.obj.metadata?.namespace;
    if (clusterScoped && ns) return [`${where(o)}: is cluster-scoped but has metadata.namespace '${ns}'`];
    if (!clusterScoped && !ns) return [`${where(o)}: is namespaced but has no metadata.namespace`];
    return [];
  });
}

/** Secrets are referenced (Vault, pre-created), never synthesised with their values. */
export function checkNoSecretValues(objects: readonly Located[]): string[] {
  return objects
    .filter((o) => o.obj.kind === 'Secret' && (o.obj.data !== undefined || o.obj.stringData !== undefined))
    .map((o) => `${where(o)}: a Secret with data/stringData puts secret values into the output; reference an existing secret instead`);
}

// ---------------------------------------------------------------------------------------------------------------
// Terraform.

/** Every `helm_release` has an exact version equal to its chart's entry in the catalogue. */
export function checkHelmReleases(stackName: string, stack: TerraformJson, catalogue: Readonly<Record<string, ChartRef>>): string[] {
  const releases = Object.entries((stack.resource?.helm_release ?? {}) as Record<string, { chart?: string; repository?: string; version?: string }>);
  return releases.flatMap(([id, r]) => {
    const at = `${stackName}: helm_release.${id} (chart '${r.chart}')`;
    const entry = Object.entries(catalogue).find(([, c]) => c.chart === r.chart && c.repository === r.repository);
    if (!entry) return [`${at}: chart '${r.chart}' from '${r.repository}' is not in constructs/helm/catalogue.ts`];
    if (r.version === undefined) return [`${at}: has no version; must be '${entry[1].version}' (CHARTS.${entry[0]})`];
    if (!/^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/.test(r.version)) return [`${at}: version '${r.version}' is not an exact version`];
    if (r.version !== entry[1].version) return [`${at}: version '${r.version}' differs from CHARTS.${entry[0]}.version '${entry[1].version}'`];
    return [];
  });
}

/**
 * No Helm release sets an image to `latest`: neither an `image: repo:latest` string nor an `image.tag: latest`
 * (the charts' own defaults are pinned by the chart version).
 */
export function checkHelmValueImages(stackName: string, stack: TerraformJson): string[] {
  const releases = Object.entries((stack.resource?.helm_release ?? {}) as Record<string, { values?: string[] }>);
  return releases.flatMap(([id, r]) => {
    const problems: string[] = [];
    const walk = (node: unknown, at: string): void => {
      if (Array.isArray(node)) node.forEach((v, i) => walk(v, `${at}[${i}]`));
      else if (node && typeof node === 'object') {
        for (const [k, v] of Object.entries(node)) {
          const here = at === '' ? k : `${at}.${k}`;
          if (k === 'tag' && v === 'latest') problems.push(`${stackName}: helm_release.${id} values ${here} is 'latest'`);
          if (k === 'image' && typeof v === 'string' && /:latest$/.test(v)) {
            problems.push(`${stackName}: helm_release.${id} values ${here} '${v}' uses ':latest'`);
          }
          walk(v, here);
        }
      }
    };
    (r.values ?? []).forEach((doc) => walk(parse(doc), ''));
    return problems;
  });
}

/**
 * `kubernetes_*` resource types that are not objects of their own: `kubernetes_manifest` holds the cdk8s objects
 * (checked as `dist/k8s` objects, which the workloads stack equals), the others patch objects made elsewhere.
 */
export const NOT_OWN_KUBERNETES_OBJECTS: ReadonlySet<string> = new Set([
  'kubernetes_manifest', 'kubernetes_labels', 'kubernetes_annotations', 'kubernetes_env', 'kubernetes_config_map_v1_data',
  'kubernetes_node_taint',
]);

/** A Kubernetes object Terraform creates itself: `<stack>: <type>.<id> (<namespace>/<name>)` and its labels. */
export interface TerraformKubernetesObject {
  readonly at: string;
  readonly labels: Readonly<Record<string, unknown>>;
}

/** Every Kubernetes object a stack creates through a `kubernetes_*` resource (namespaces, StorageClasses, Secrets, ...). */
export function terraformKubernetesObjects(stackName: string, stack: TerraformJson): TerraformKubernetesObject[] {
  return Object.entries((stack.resource ?? {}) as Record<string, Record<string, { metadata?: unknown }>>)
    .filter(([type]) => type.startsWith('kubernetes_') && !NOT_OWN_KUBERNETES_OBJECTS.has(type))
    .flatMap(([type, resources]) =>
      Object.entries(resources).map(([id, r]) => {
        // A single nested block: cdktf writes an object; an array of one in older output.
        const meta = ((Array.isArray(r.metadata) ? r.metadata[0] : r.metadata) ?? {}) as { name?: string; namespace?: string; labels?: Record<string, unknown> };
        return { at: `${stackName}: ${type}.${id} (${meta.namespace ? `${meta.namespace}/` : ''}${meta.name})`, labels: meta.labels ?? {} };
      }),
    );
}

/** Every object carries each label of `expected` with its value, and each label of `present` with any value. */
export function checkTerraformObjectLabels(
  objects: readonly TerraformKubernetesObject[],
  expected: Readonly<Record<string, string>>,
  present: readonly string[] = [],
): string[] {
  return objects.flatMap((o) => [
    ...Object.entries(expected).flatMap(([label, value]) => {
      const actual = o.labels[label];
      return actual === value ? [] : [`${o.at}: label '${label}' is ${actual === undefined ? 'missing' : `'${String(actual)}'`}, must be '${value}'`];
    }),
    ...present.flatMap((label) => (typeof o.labels[label] === 'string' && o.labels[label] !== '' ? [] : [`${o.at}: label '${label}' is missing`])),
  ]);
}

/** The shape of `cdktf.out/manifest.json` this project reads. */
export interface CdktfManifest {
  readonly stacks: Record<string, { readonly dependencies: readonly string[] }>;
}

/**
 * One environment's stacks and their order: `foundation-<env>` exactly when the environment is on AWS,
 * `platform-<env>` depends on it, `workloads-<env>` depends on `platform-<env>`, and no stack depends on a stack of
 * another environment.
 */
export function checkStackOrder(manifest: CdktfManifest, env: string, onAws: boolean): string[] {
  const problems: string[] = [];
  const [foundation, platform, workloads] = ['foundation', 'platform', 'workloads'].map((layer) => `${layer}-${env}`);
  const has = (s: string) => manifest.stacks[s] !== undefined;
  const deps = (s: string) => manifest.stacks[s]?.dependencies ?? [];
  if (onAws && !has(foundation)) problems.push(`${foundation}: missing; every AWS environment has one`);
  if (!onAws && has(foundation)) problems.push(`${foundation}: present, but '${env}' is not an AWS environment`);
  for (const s of [platform, workloads]) if (!has(s)) problems.push(`${s}: missing`);
  if (onAws && has(platform) && !deps(platform).includes(foundation)) problems.push(`${platform}: must depend on ${foundation}`);
  if (has(workloads) && !deps(workloads).includes(platform)) problems.push(`${workloads}: must depend on ${platform}`);
  if (has(foundation) && deps(foundation).length > 0) problems.push(`${foundation}: must depend on nothing, depends on ${deps(foundation).join(', ')}`);
  for (const [name, s] of Object.entries(manifest.stacks)) {
    if (!name.endsWith(`-${env}`)) continue;
    for (const d of s.dependencies) if (!d.endsWith(`-${env}`)) problems.push(`${name}: depends on ${d}, a stack of another environment`);
  }
  return problems;
}

/** Every literal `TfToken[` in `text` (a cdktf token that leaked into output as a string), with its line. */
export function findTokenLeaks(file: string, text: string): string[] {
  return text.split('\n').flatMap((line, i) => (line.includes('TfToken[') ? [`${file}:${i + 1}: ${line.trim().slice(0, 160)}`] : []));
}

// ---------------------------------------------------------------------------------------------------------------
// What apps reference: ConfigMaps that exist somewhere this project (or an owner named in a list) makes them, and
// Redis's client contract whole.

interface EnvContainerLike {
  name: string;
  envFrom?: { configMapRef?: { name?: string }; secretRef?: { name?: string } }[];
  env?: { name: string; value?: unknown; valueFrom?: { secretKeyRef?: { name?: string; key?: string }; configMapKeyRef?: { name?: string } } }[];
}

/** `namespace/name` of every ConfigMap a Terraform stack makes as a `kubernetes_config_map_v1`. */
export function terraformConfigMaps(stack: TerraformJson): string[] {
  const maps = (stack.resource?.kubernetes_config_map_v1 ?? {}) as Record<string, { metadata?: unknown }>;
  return Object.values(maps).map((r) => {
    const meta = ((Array.isArray(r.metadata) ? r.metadata[0] : r.metadata) ?? {}) as { name?: string; namespace?: string };
    return `${meta.namespace ?? 'default'}/${meta.name}`;
  });
}

/**
 * Every ConfigMap a pod reads (`envFrom.configMapRef`, `env.valueFrom.configMapKeyRef`) exists: as a ConfigMap among
 * `objects` (dist/k8s/<env>) in the pod's namespace, in `terraformMade` (`namespace/name`, such as managed Redis's
 * `apps/redis-connection` from workloads-<env>), or in `external` (`namespace/name`, provided outside this project).
 * A reference to none of them leaves the pod in CreateContainerConfigError.
 */
export function checkConfigMapRefs(objects: readonly Located[], terraformMade: readonly string[], external: ReadonlySet<string>): string[] {
  const inDist = new Set(objects.filter((o) => o.obj.kind === 'ConfigMap').map((o) => `${o.obj.metadata.namespace ?? 'default'}/${o.obj.metadata.name}`));
  const fromTerraform = new Set(terraformMade);
  return containersOf(objects).flatMap(({ at, container, label }) => {
    const c = container as ContainerLike & EnvContainerLike;
    const refs = [
      ...(c.envFrom ?? []).flatMap((e) => (e.configMapRef ? [e.configMapRef.name] : [])),
      ...(c.env ?? []).flatMap((e) => (e.valueFrom?.configMapKeyRef ? [e.valueFrom.configMapKeyRef.name] : [])),
    ];
    const ns = at.obj.metadata.namespace ?? 'default';
    return [...new Set(refs)]
      .filter((name) => ![inDist, fromTerraform, external].some((s) => s.has(`${ns}/${name}`)))
      .map((name) => `${where(at)}: ${label} reads ConfigMap '${name}', which neither dist/k8s, nor a Terraform kubernetes_config_map_v1, nor the list of external ConfigMaps has`);
  });
}

/**
 * Redis's client contract is whole: every container that reads the `connection` ConfigMap (`envFrom`) also gets
 * `passwordEnv` from a `secretKeyRef` (naming a Secret and a key), and no container anywhere sets `passwordEnv` as a
 * value. Where without how cannot log in: every Redis mode requires a password.
 */
export function checkRedisClientCredential(objects: readonly Located[], connection: string, passwordEnv: string): string[] {
  return containersOf(objects).flatMap(({ at, container, label }) => {
    const c = container as ContainerLike & EnvContainerLike;
    const problems: string[] = [];
    const password = (c.env ?? []).filter((e) => e.name === passwordEnv);
    for (const e of password) {
      if (e.value !== undefined) problems.push(`${label} sets ${passwordEnv} as a value: it must come from a secretKeyRef`);
    }
    if ((c.envFrom ?? []).some((e) => e.configMapRef?.name === connection)) {
      const ref = password.find((e) => e.value === undefined)?.valueFrom?.secretKeyRef;
      if (!ref?.name || !ref.key) problems.push(`${label} reads ConfigMap '${connection}' but gets no ${passwordEnv} from a secretKeyRef (Secret name and key)`);
    }
    return problems.map((p) => `${where(at)}: ${p}`);
  });
}
