import { App as TfApp } from 'cdktf';
import fs from 'fs';
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

/**
 * Puts new output in place as one step: whatever a move replaces is first renamed aside, and deleted only when every
 * move succeeded; if any move fails, everything moved so far is put back as it was.
 */
class OutputSwap {
  private readonly done: { target: string; aside?: string; placed: boolean }[] = [];

  constructor(private readonly tag: string) {}

  /** Moves `from` (file or folder) to `to`, replacing what is there; with `from` undefined, only removes `to`. */
  put(from: string | undefined, to: string): void {
    let aside: string | undefined;
    if (fs.existsSync(to)) {
      aside = `${to}.previous-${this.tag}`;
      fs.rmSync(aside, { recursive: true, force: true });
      fs.renameSync(to, aside);
    }
    const entry = { target: to, aside, placed: false };
    this.done.push(entry);
    if (from !== undefined) {
      fs.mkdirSync(path.dirname(to), { recursive: true });
      fs.renameSync(from, to);
      entry.placed = true;
    }
  }

  commit(): void {
    for (const { aside } of this.done) if (aside) fs.rmSync(aside, { recursive: true, force: true });
  }

  rollback(): void {
    for (const { target, aside, placed } of [...this.done].reverse()) {
      if (placed) fs.rmSync(target, { recursive: true, force: true });
      if (aside) fs.renameSync(aside, target);
    }
  }
}

/** Moves every stack folder of `fromOut` into `toOut`, replacing a folder of the same name. */
function moveStacks(swap: OutputSwap, fromOut: string, toOut: string): void {
  for (const stack of fs.readdirSync(path.join(fromOut, 'stacks'))) {
    swap.put(path.join(fromOut, 'stacks', stack), path.join(toOut, 'stacks', stack));
  }
}

type CdktfManifest = { stacks: Record<string, unknown> } & Record<string, unknown>;

/**
 * Moves freshly synthesised stacks into an existing cdktf output folder: each new stack folder replaces its old one;
 * old stacks of the `replacedEnvironments` (named `<layer>-<env>`) that were not synthesised again are removed; the
 * manifest lists the union, sorted as cdktf sorts it.
 */
function mergeStacks(swap: OutputSwap, fromOut: string, toOut: string, replacedEnvironments: readonly string[]): void {
  const fresh = JSON.parse(fs.readFileSync(path.join(fromOut, 'manifest.json'), 'utf8')) as CdktfManifest;
  const oldPath = path.join(toOut, 'manifest.json');
  const old = fs.existsSync(oldPath) ? (JSON.parse(fs.readFileSync(oldPath, 'utf8')) as CdktfManifest) : { stacks: {} };
  const stacks: Record<string, unknown> = {};
  for (const [name, entry] of Object.entries(old.stacks)) {
    if (replacedEnvironments.some((env) => name.endsWith(`-${env}`)) && !(name in fresh.stacks)) {
      swap.put(undefined, path.join(toOut, 'stacks', name));
    } else {
      stacks[name] = entry;
    }
  }
  moveStacks(swap, fromOut, toOut);
  Object.assign(stacks, fresh.stacks);
  // Written the way cdktf writes it (sorted keys, its spacing), so the file does not depend on how it was made.
  const merged = path.join(fromOut, 'manifest.merged.json');
  fs.writeFileSync(merged, stableStringify({ ...fresh, stacks }, { space: 2 }) ?? '');
  swap.put(merged, oldPath);
}

/**
 * Validates the config of every selected environment, builds every stack and chart, synthesises them into a
 * staging folder, and only then moves the result into `cdktf.out/` and `dist/k8s/<env>/`. Any error (bad config,
 * a construct's validation, a synth failure) throws before the previous output is touched; a failure while moving
 * puts back what was already moved.
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

    const swap = new OutputSwap(String(process.pid));
    const manifestDirs: string[] = [];
    try {
      if (options.cdktfOutdir) {
        // Under the cdktf CLI: it owns its output folder and prunes the stacks that left the manifest itself (it
        // fails if they are already gone), so only the stacks synthesised here and the manifest are replaced.
        moveStacks(swap, tfOut, finalTfOut);
        swap.put(path.join(tfOut, 'manifest.json'), path.join(finalTfOut, 'manifest.json'));
      } else if (options.selection && options.selection.length > 0) {
        // A subset (`--env dev`): that environment's stacks are replaced, the others' stay as they were.
        mergeStacks(swap, tfOut, finalTfOut, envs.map((e) => e.name));
      } else {
        swap.put(tfOut, finalTfOut);
      }
      const k8sOut = path.join(options.projectDir, 'dist', 'k8s');
      for (const { env } of built) {
        const dir = path.join(k8sOut, env.name);
        swap.put(path.join(staging, 'dist', 'k8s', env.name), dir);
        manifestDirs.push(dir);
      }
      // A full synth: manifests of an environment no longer configured go too, or GitOps would keep applying them.
      if (!options.selection || options.selection.length === 0) {
        const current = new Set<string>(envs.map((e) => e.name));
        for (const entry of fs.existsSync(k8sOut) ? fs.readdirSync(k8sOut) : []) {
          if (!current.has(entry) && !entry.includes('.previous-')) swap.put(undefined, path.join(k8sOut, entry));
        }
      }
    } catch (e) {
      swap.rollback();
      throw e;
    }
    swap.commit();
    const stacks = built.flatMap(({ stacks }) => [stacks.foundation, stacks.platform, stacks.workloads].filter((s) => s !== undefined).map((s) => s.node.id));
    return { environments: envs.map((e) => e.name), stacks, cdktfOutdir: finalTfOut, manifestDirs };
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
    const parent = path.dirname(staging);
    if (fs.existsSync(parent) && fs.readdirSync(parent).length === 0) fs.rmdirSync(parent);
  }
}
