import { App as TfApp } from 'cdktf';
import * as fs from 'fs';
import * as path from 'path';
import { environments, loadEnvironments } from '../config';
import { buildEnvironment } from './environment';

/** Options of `synthesizeAll`. */
export interface SynthOptions {
  /** Project root; outputs go below it. */
  readonly projectDir: string;
  /** Environments to synthesise; all when empty. */
  readonly selection?: readonly string[];
  /** Where the Terraform JSON goes; `cdktf synth` passes its own through CDKTF_OUTDIR. @default '<projectDir>/cdktf.out' */
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

    replaceDir(tfOut, finalTfOut);
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
