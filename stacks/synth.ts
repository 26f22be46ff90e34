import { App as TfApp } from 'cdktf';
import * as fs from 'fs';
import * as path from 'path';
import stableStringify from 'json-stable-stringify';
import { environments, loadEnvironments } from '../config';
import { buildEnvironment } from './environment';

/** Options of `synthesizeAll`. */
export interface SynthOptions {
  /** Project root; outputs go below it. */
  readonly projectDir: string;
  /** Environments to synthesise; all when empty. */
  readonly selection?: readonly string[];
  /**
   * Where the cdktf CLI wants the Terraform JSON (it passes CDKTF_OUTDIR); only the synthesised stacks are replaced
   * there.
   * @default '<projectDir>/cdktf.out', replaced whole
   */
  readonly cdktfOutdir?: string;
  /** Environment registry. @default the one in config/environments */
  readonly registry?: Readonly<Record<string, unknown>>;
}

/** What a synth wrote. */
export interface SynthResult {
  readonly environments: string[];
  readonly stacks: string[];
  readonly cdktfOutdir: string;
  readonly manifestDirs: string[];
}

function replaceDir(from: string, to: string): void {
  fs.rmSync(to, { recursive: true, force: true });
  fs.mkdirSync(path.dirname(to), { recursive: true });
  fs.renameSync(from, to);
}

/** Moves every stack folder of `fromOut` into `toOut`, replacing a folder of the same name. */
function moveStacks(fromOut: string, toOut: string): void {
  fs.mkdirSync(path.join(toOut, 'stacks'), { recursive: true });
  for (const stack of fs.readdirSync(path.join(fromOut, 'stacks'))) {
    replaceDir(path.join(fromOut, 'stacks', stack), path.join(toOut, 'stacks', stack));
  }
}

type CdktfManifest = { stacks: Record<string, unknown> } & Record<string, unknown>;

/**
 * Moves freshly synthesised stacks into an existing cdktf output folder: each new stack folder replaces its old one;
 * old stacks of the `replacedEnvironments` (named `<layer>-<env>`) that were not synthesised again are removed; the
 * manifest lists the union, sorted as cdktf sorts it.
 */
function mergeStacks(fromOut: string, toOut: string, replacedEnvironments: readonly string[]): void {
  const fresh = JSON.parse(fs.readFileSync(path.join(fromOut, 'manifest.json'), 'utf8')) as CdktfManifest;
  const oldPath = path.join(toOut, 'manifest.json');
  const old = fs.existsSync(oldPath) ? (JSON.parse(fs.readFileSync(oldPath, 'utf8')) as CdktfManifest) : { stacks: {} };
  const stacks: Record<string, unknown> = {};
  for (const [name, entry] of Object.entries(old.stacks)) {
    if (replacedEnvironments.some((env) => name.endsWith(`-${env}`)) && !(name in fresh.stacks)) {
      fs.rmSync(path.join(toOut, 'stacks', name), { recursive: true, force: true });
    } else {
      stacks[name] = entry;
    }
  }
  moveStacks(fromOut, toOut);
  Object.assign(stacks, fresh.stacks);
  // Written the way cdktf writes it (sorted keys, its spacing), so the file does not depend on how it was made.
  fs.writeFileSync(oldPath, stableStringify({ ...fresh, stacks }, { space: 2 }) ?? '');
}

/**
 * Validates the config of every selected environment, builds every stack and chart, synthesises them into a
 * staging folder, and only then moves the result into `cdktf.out/` and `dist/k8s/<env>/`. Any error (bad config,
 * a construct's validation, a synth failure) throws before the previous output is touched.
 */
export function synthesizeAll(options: SynthOptions): SynthResult {
  const envs = loadEnvironments(options.registry ?? environments, options.selection ?? []);
  const finalTfOut = options.cdktfOutdir ?? path.join(options.projectDir, 'cdktf.out');
  const staging = path.join(options.projectDir, '.synth-staging', String(process.pid));
  fs.rmSync(staging, { recursive: true, force: true });
  fs.mkdirSync(staging, { recursive: true });
  try {
    const tfOut = path.join(staging, 'cdktf.out');
    // stackTraces off: they hold absolute paths, and two synths on two machines must be byte-identical.
    const tfApp = new TfApp({ outdir: tfOut, stackTraces: false, hclOutput: false });
    const built = envs.map((env) => ({ env, stacks: buildEnvironment(tfApp, env, path.join(staging, 'dist', 'k8s', env.name)) }));
    tfApp.synth();
    for (const { stacks } of built) stacks.k8sApp.synth();

    if (options.cdktfOutdir) {
      // Under the cdktf CLI: it owns its output folder and prunes the stacks that left the manifest itself (it fails
      // if they are already gone), so only the stacks synthesised here and the manifest are replaced.
      moveStacks(tfOut, finalTfOut);
      fs.copyFileSync(path.join(tfOut, 'manifest.json'), path.join(finalTfOut, 'manifest.json'));
    } else if (options.selection && options.selection.length > 0) {
      // A subset (`--env dev`): that environment's stacks are replaced, the others' stay as they were.
      mergeStacks(tfOut, finalTfOut, envs.map((e) => e.name));
    } else {
      replaceDir(tfOut, finalTfOut);
    }
    const manifestDirs: string[] = [];
    for (const { env } of built) {
      const dir = path.join(options.projectDir, 'dist', 'k8s', env.name);
      replaceDir(path.join(staging, 'dist', 'k8s', env.name), dir);
      manifestDirs.push(dir);
    }
    const stacks = built.flatMap(({ stacks }) => [stacks.foundation, stacks.platform, stacks.workloads].filter((s) => s !== undefined).map((s) => s.node.id));
    return { environments: envs.map((e) => e.name), stacks, cdktfOutdir: finalTfOut, manifestDirs };
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
    const parent = path.dirname(staging);
    if (fs.existsSync(parent) && fs.readdirSync(parent).length === 0) fs.rmdirSync(parent);
  }
}
