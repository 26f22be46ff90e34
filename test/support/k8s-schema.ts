import { spawnSync } from 'child_process';
import * as path from 'path';
import type { K8sObject } from './synth';
import { vendorFile } from './vendor';

/** Repository root (this file is `test/support/k8s-schema.ts`). */
export const REPO_ROOT = path.resolve(__dirname, '..', '..');

/** Pinned upstream CRDs, in the vendor cache. */
export const VENDORED_CRDS = vendorFile('crds');

const SCRIPT = path.join(__dirname, 'k8s-validate.mjs');

/** The verdict on one object (see `k8s-validate.mjs` for how each route checks). */
export interface SchemaVerdict {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name?: string;
  readonly namespace?: string;
  /** `builtin`: a kubernetes-models schema; `crd`: a vendored CRD's openAPIV3Schema; `none`: no schema (an error). */
  readonly route: 'builtin' | 'crd' | 'none';
  /** Which schema checked the object, e.g. `kubernetes-models/apps/v1/Deployment`. */
  readonly source: string | null;
  /** `unknown field "spec.x"`, `missing required field "spec.selector"`, `spec.replicas: must be integer`, ... */
  readonly errors: string[];
}

/** Options of `validateK8sObjects`. */
export interface ValidateOptions {
  /**
   * Folders searched (recursively) for CustomResourceDefinition YAML.
   * @default [VENDORED_CRDS]
   */
  readonly crdDirs?: readonly string[];
}

/**
 * Strictly validates Kubernetes objects in one Node ES module process (kubernetes-models is ESM only) and returns
 * one verdict per object, in order. Throws when the validator itself crashes.
 */
export function validateK8sObjects(objects: readonly unknown[], options: ValidateOptions = {}): SchemaVerdict[] {
  const crdDirs = options.crdDirs ?? [VENDORED_CRDS];
  const run = spawnSync(process.execPath, [SCRIPT], {
    cwd: REPO_ROOT,
    input: JSON.stringify({ objects, crdDirs }),
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  if (run.error) throw run.error;
  if (run.status !== 0) {
    throw new Error(`${path.relative(REPO_ROOT, SCRIPT)} exited ${run.status}:\n${run.stderr}`);
  }
  const verdicts = JSON.parse(run.stdout) as SchemaVerdict[];
  if (verdicts.length !== objects.length) {
    throw new Error(`validator returned ${verdicts.length} verdicts for ${objects.length} objects`);
  }
  return verdicts;
}

/** `Deployment apps/web` (namespaced) or `ClusterRole reader`. */
export function objectLabel(v: Pick<SchemaVerdict, 'kind' | 'name' | 'namespace'>): string {
  return `${v.kind} ${v.namespace ? `${v.namespace}/` : ''}${v.name ?? '(unnamed)'}`;
}

/** One line per error: `dev/apps.k8s.yaml Deployment apps/web (apps/v1): unknown field "spec.foo"`. */
export function verdictLines(where: string, verdicts: readonly SchemaVerdict[]): string[] {
  return verdicts.flatMap((v) => v.errors.map((e) => `${where} ${objectLabel(v)} (${v.apiVersion}): ${e}`));
}

/** A verdict and the manifest file its object came from. */
export interface FileVerdict {
  readonly file: string;
  readonly verdict: SchemaVerdict;
}

/**
 * Validates every object of `dist/k8s/<env>/` for each of `envs` in one validator run (one process for the whole
 * output) and returns the verdicts by environment, in manifest order.
 */
export function validateManifests(
  out: { manifests(env: string): Map<string, K8sObject[]> },
  envs: readonly string[],
): Map<string, FileVerdict[]> {
  const all: { env: string; file: string; obj: K8sObject }[] = [];
  for (const env of envs) {
    for (const [file, objects] of out.manifests(env)) all.push(...objects.map((obj) => ({ env, file, obj })));
  }
  const verdicts = validateK8sObjects(all.map((a) => a.obj));
  const byEnv = new Map<string, FileVerdict[]>(envs.map((env) => [env, []]));
  all.forEach((a, i) => byEnv.get(a.env)!.push({ file: a.file, verdict: verdicts[i] }));
  return byEnv;
}

/** The error lines of the verdicts that took `route` (`dist/k8s/<env>/<file> Deployment apps/web (apps/v1): ...`). */
export function routeFailures(env: string, checked: readonly FileVerdict[], route: SchemaVerdict['route']): string[] {
  return checked.filter((c) => c.verdict.route === route).flatMap((c) => verdictLines(`dist/k8s/${env}/${c.file}`, [c.verdict]));
}
