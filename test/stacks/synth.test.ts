/**
 * `synthesizeAll`: output is a pure function of the commit (byte-identical across runs, folders and processes),
 * and a failing synth, whether the config or a construct rejects it, leaves the previous output exactly as it was.
 */
import { spawnSync } from 'child_process';
import { createHash } from 'crypto';
import * as fs from 'fs';
import realFs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ConfigError } from '../../config';
import { PlatformError } from '../../constructs/core/errors';
import { synthesizeAll } from '../../stacks/synth';
import { Editable, editedRegistry, EnvName } from '../support/config';
import { synthAll } from '../support/synth';

const REPO = path.resolve(__dirname, '..', '..');

/**
 * A construct-level validation error on demand: while `mockRejectIn` names an environment, its charts get a
 * construct that rejects its props with `fail()`, as any component's validation does, and every other
 * environment gets one extra ConfigMap, so that its output differs from the previous synth: a synth that wrote
 * environment by environment before reaching the failing one would show up as a changed tree. Config-independent
 * on purpose: the components' own rules (and which of them the config schema mirrors) keep changing.
 */
let mockRejectIn: string | undefined;
jest.mock('../../charts', () => {
  const actual = jest.requireActual('../../charts');
  const { Construct } = jest.requireActual('constructs');
  const { ApiObject } = jest.requireActual('cdk8s');
  const { fail } = jest.requireActual('../../constructs/core/errors');
  class Rejecting extends Construct {
    constructor(scope: any, id: string) {
      super(scope, id);
      fail(this, 'replicas', 2, 'must be odd and at least 3 in sentinel mode');
    }
  }
  return {
    ...actual,
    buildCharts: (scope: any, env: { name: string }) => {
      const charts = actual.buildCharts(scope, env);
      if (mockRejectIn !== undefined && env.name !== mockRejectIn) {
        new ApiObject(charts[0], 'synth-test-marker', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'synth-test-marker', namespace: 'apps' } });
      }
      if (env.name === mockRejectIn) new Rejecting(charts[0], 'rejecting');
      return charts;
    },
  };
});
const temps: string[] = [];

function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'synth-test-'));
  temps.push(dir);
  return dir;
}

/**
 * A project folder holding a good synth of every environment: a copy of the run's shared synth
 * (test/global-setup.ts), byte-identical to a fresh one (the determinism test below proves it), without paying for
 * another synth.
 */
function goodOutput(): string {
  const dir = tempDir();
  fs.cpSync(synthAll().dir, dir, { recursive: true });
  return dir;
}

afterAll(() => {
  for (const dir of temps) fs.rmSync(dir, { recursive: true, force: true });
});

/** Every file under `dir` (relative path -> sha256), symlinks and empty folders included, so nothing hides. */
function tree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (rel: string): void => {
    const abs = path.join(dir, rel);
    const entries = fs.readdirSync(abs, { withFileTypes: true });
    if (entries.length === 0 && rel !== '') out[`${rel}/`] = 'empty dir';
    for (const e of entries) {
      const r = rel === '' ? e.name : `${rel}/${e.name}`;
      if (e.isDirectory()) walk(r);
      else if (e.isSymbolicLink()) out[r] = `symlink -> ${fs.readlinkSync(path.join(dir, r))}`;
      else out[r] = createHash('sha256').update(fs.readFileSync(path.join(dir, r))).digest('hex');
    }
  };
  walk('');
  return out;
}

/**
 * A deep copy of the committed registry with one environment broken by `edit`. dev, which comes first and is
 * valid, gets another kubeconfig context, so its output would differ from the previous one: a synth that wrote
 * environment by environment before failing on a later one would show up as a changed tree.
 */
function registryWith(env: EnvName, edit: (e: Editable) => void): Record<string, unknown> {
  return editedRegistry((r) => {
    r.dev.cluster.context = 'kind-changed-by-test';
    edit(r[env]);
  });
}

function errorOf(fn: () => unknown): Error {
  try {
    fn();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected the synth to throw');
}

describe('synthesizeAll determinism', () => {
  test('two synths of the same commit into two folders are byte-identical, in one process and across processes', () => {
    const a = tempDir();
    const b = tempDir();
    const c = tempDir();
    synthesizeAll({ projectDir: a });
    // The second synth in the same process catches state that leaks between apps (token counters, caches).
    synthesizeAll({ projectDir: b });
    // A fresh process from another working directory catches absolute paths, pids, timestamps and ordering.
    const script = `require(${JSON.stringify(path.join(REPO, 'stacks', 'synth.ts'))}).synthesizeAll({ projectDir: ${JSON.stringify(c)} })`;
    const run = spawnSync(path.join(REPO, 'node_modules', '.bin', 'tsx'), ['-e', script], { cwd: os.tmpdir(), encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);

    const first = tree(a);
    // And the run's shared synth, made in jest's global setup, which other tests copy as a good output.
    expect(tree(synthAll().dir)).toEqual(first);
    expect(Object.keys(first)).toEqual(expect.arrayContaining(['cdktf.out/manifest.json', 'dist/k8s/dev/baseline.k8s.yaml']));
    expect(tree(b)).toEqual(first);
    expect(tree(c)).toEqual(first);
    // No absolute path of the project folder leaks into any output.
    const leaks = Object.keys(first).filter((f) => !f.endsWith('/') && fs.readFileSync(path.join(a, f), 'utf8').includes(a));
    expect(leaks).toEqual([]);
  });

  test('a successful synth replaces the previous output, leaving no stale file behind', () => {
    const dir = goodOutput();
    const clean = tree(dir);
    fs.writeFileSync(path.join(dir, 'dist', 'k8s', 'dev', 'removed-chart.k8s.yaml'), 'kind: ConfigMap\n');
    fs.mkdirSync(path.join(dir, 'cdktf.out', 'stacks', 'removed-stack'));
    fs.writeFileSync(path.join(dir, 'cdktf.out', 'stacks', 'removed-stack', 'cdk.tf.json'), '{}');
    synthesizeAll({ projectDir: dir });
    expect(tree(dir)).toEqual(clean);
  });
});

describe('synthesizeAll on failure', () => {
  /** A project folder holding a good synth, and its tree. */
  function previousOutput(): { dir: string; before: Record<string, string> } {
    const dir = goodOutput();
    return { dir, before: tree(dir) };
  }

  test('a config error names env, field, value and rule, and leaves the previous output untouched', () => {
    const { dir, before } = previousOutput();
    const registry = registryWith('staging', (e) => (e.aws.vpcCidr = '10.20.0.1/16'));
    const error = errorOf(() => synthesizeAll({ projectDir: dir, registry }));
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toBe(
      "config error: environments.staging.aws.vpcCidr ('10.20.0.1/16') must be an IPv4 CIDR block with its host bits zero, such as '10.20.0.0/16'",
    );
    expect(tree(dir)).toEqual(before);
    expect(fs.existsSync(path.join(dir, '.synth-staging'))).toBe(false);
  });

  test('a construct validation error after earlier environments were built leaves the previous output untouched', () => {
    const { dir, before } = previousOutput();
    // The config passes the schema; a construct in prod's charts rejects its props while dev and staging are built.
    mockRejectIn = 'prod';
    try {
      const error = errorOf(() => synthesizeAll({ projectDir: dir, registry: registryWith('prod', () => undefined) }));
      expect(error).toBeInstanceOf(PlatformError);
      expect(error).not.toBeInstanceOf(ConfigError);
      expect(error.message).toBe("[baseline/rejecting] 'replicas' (2) must be odd and at least 3 in sentinel mode");
    } finally {
      mockRejectIn = undefined;
    }
    expect(tree(dir)).toEqual(before);
    expect(fs.existsSync(path.join(dir, '.synth-staging'))).toBe(false);
  });

  test('a failure while moving the output into place puts back everything already moved', () => {
    const { dir, before } = previousOutput();
    // Every environment gets a marker ConfigMap (no environment is named like this), so the new output differs.
    mockRejectIn = 'no-such-environment';
    // The module object itself (a namespace import is a copy under SWC's interop, which a spy would not reach).
    const realRename = realFs.renameSync;
    let failed = false;
    const rename = jest.spyOn(realFs, 'renameSync').mockImplementation((from, to) => {
      // cdktf.out and dist/k8s/dev and staging are already in place when prod's manifests fail to move (once).
      if (!failed && String(to) === path.join(dir, 'dist', 'k8s', 'prod')) {
        failed = true;
        throw new Error('ENOSPC: no space left on device');
      }
      return realRename(from, to);
    });
    try {
      expect(() => synthesizeAll({ projectDir: dir })).toThrow('ENOSPC');
    } finally {
      rename.mockRestore();
      mockRejectIn = undefined;
    }
    expect(tree(dir)).toEqual(before);
    expect(fs.existsSync(path.join(dir, '.synth-staging'))).toBe(false);
  });

  test('a failing synth of a selection touches no other output either', () => {
    const { dir, before } = previousOutput();
    mockRejectIn = 'prod';
    try {
      expect(() => synthesizeAll({ projectDir: dir, selection: ['prod'] })).toThrow(PlatformError);
    } finally {
      mockRejectIn = undefined;
    }
    expect(tree(dir)).toEqual(before);
    expect(fs.existsSync(path.join(dir, '.synth-staging'))).toBe(false);
  });
});

describe('synthesizeAll of every environment', () => {
  test('removes the manifests of an environment that is no longer configured', () => {
    const dir = tempDir();
    fs.mkdirSync(path.join(dir, 'dist', 'k8s', 'qa'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'dist', 'k8s', 'qa', 'apps.k8s.yaml'), 'kind: ConfigMap\n');
    synthesizeAll({ projectDir: dir });
    expect(fs.readdirSync(path.join(dir, 'dist', 'k8s')).sort()).toEqual(['dev', 'prod', 'staging']);
  });

  test('a synth of a selection leaves other folders under dist/k8s alone', () => {
    const dir = tempDir();
    fs.mkdirSync(path.join(dir, 'dist', 'k8s', 'qa'), { recursive: true });
    synthesizeAll({ projectDir: dir, selection: ['dev'] });
    expect(fs.readdirSync(path.join(dir, 'dist', 'k8s')).sort()).toEqual(['dev', 'qa']);
  });
});

describe('synthesizeAll of a selection', () => {
  test('replaces only the selected environments: a full synth then subset synths give the full synth, byte for byte', () => {
    const full = synthAll().dir;
    const mixed = goodOutput();
    synthesizeAll({ projectDir: mixed, selection: ['dev'] });
    synthesizeAll({ projectDir: mixed, selection: ['prod', 'staging'] });
    expect(tree(mixed)).toEqual(tree(full));
  });

  test('into an empty folder writes only the selected environment, with a manifest that lists only its stacks', () => {
    const dir = tempDir();
    synthesizeAll({ projectDir: dir, selection: ['dev'] });
    const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'cdktf.out', 'manifest.json'), 'utf8'));
    expect(Object.keys(manifest.stacks)).toEqual(['platform-dev', 'workloads-dev']);
    expect(fs.readdirSync(path.join(dir, 'cdktf.out', 'stacks')).sort()).toEqual(['platform-dev', 'workloads-dev']);
    expect(fs.readdirSync(path.join(dir, 'dist', 'k8s'))).toEqual(['dev']);
  });
});
