import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { environments } from '../../config';
import { SynthResult, synthesizeAll } from '../../stacks/synth';

/** A Kubernetes object as synthesised. */
export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [key: string]: unknown;
}

export interface SynthOutput extends SynthResult {
  readonly dir: string;
  /** Parsed Terraform JSON of one stack. */
  stack(name: string): TerraformJson;
  /** Every Kubernetes object of one environment, by manifest file. */
  manifests(env: string): Map<string, K8sObject[]>;
  /** Every Kubernetes object of one environment. */
  objects(env: string): K8sObject[];
}

export type TerraformJson = Record<string, any>;

let cached: SynthOutput | undefined;

/** The shared synth of test/global-setup.ts, or (when a file runs outside jest's global setup) a fresh one. */
function synthOnce(): SynthResult & { dir: string } {
  const shared = process.env.PLATFORM_TEST_SYNTH;
  if (shared) return JSON.parse(shared);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'platform-synth-'));
  process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  return { ...synthesizeAll({ projectDir: dir }), dir };
}

/**
 * Every environment synthesised exactly as `npm run synth` does it, into a temporary project folder, once per
 * test run; gives access to the output. Treat it as read-only: other test files read the same folder.
 */
export function synthAll(): SynthOutput {
  if (cached) return cached;
  const result = synthOnce();
  const dir = result.dir;
  const manifests = (env: string) => {
    const out = new Map<string, K8sObject[]>();
    const envDir = path.join(dir, 'dist', 'k8s', env);
    for (const file of fs.readdirSync(envDir).sort()) {
      const docs = parseAllDocuments(fs.readFileSync(path.join(envDir, file), 'utf8'));
      out.set(file, docs.map((d) => d.toJS() as K8sObject).filter((o) => o !== null));
    }
    return out;
  };
  cached = {
    ...result,
    stack: (name) => JSON.parse(fs.readFileSync(path.join(result.cdktfOutdir, 'stacks', name, 'cdk.tf.json'), 'utf8')),
    manifests,
    objects: (env) => [...manifests(env).values()].flat(),
  };
  return cached;
}

/**
 * Every environment of the registry (config/environments), in its order: suites iterate these, never a copied list,
 * so an environment added there gets every invariant, schema and snapshot check (test/environments/registry.test.ts).
 */
export const ENVIRONMENTS: readonly string[] = Object.keys(environments);
