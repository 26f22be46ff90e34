/**
 * `main.ts` as users run it: `npm run synth` (tsx main.ts) and the cdktf CLI (cdktf.json runs `npx tsx main.ts`
 * with CDKTF_OUTDIR set). Tests never import main.ts; they spawn it.
 */
import { spawnSync, SpawnSyncReturns } from 'child_process';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { environments } from '../config';
import { synthAll } from './support/synth';

/** Every environment of the registry, in its order; the stacks come from the run's shared synth. */
const ENV_NAMES = Object.keys(environments);
const CLI_TIMEOUT_MS = 180_000;
const REPO = path.resolve(__dirname, '..');
const BIN = path.join(REPO, 'node_modules', '.bin');

/** sha256 of every file under `dir`, by relative path; `{}` when `dir` does not exist. */
function tree(dir: string): Record<string, string> {
  if (!fs.existsSync(dir)) return {};
  const out: Record<string, string> = {};
  for (const rel of fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }).sort()) {
    const abs = path.join(dir, rel);
    if (fs.statSync(abs).isFile()) out[rel] = createHash('sha256').update(fs.readFileSync(abs)).digest('hex');
  }
  return out;
}

function run(command: string, args: string[], cwd: string, env: Record<string, string> = {}): SpawnSyncReturns<string> {
  // CHECKPOINT_DISABLE: the cdktf CLI otherwise phones home for version checks (and logs an error offline).
  // A CLI run takes 6-30 s depending on the machine's load; the bound only stops a hung run (SIGTERM, which the cdktf
  // CLI answers with exit 1: the error below names the timeout).
  return spawnSync(command, args, { cwd, encoding: 'utf8', env: { ...process.env, CHECKPOINT_DISABLE: '1', ...env }, timeout: CLI_TIMEOUT_MS });
}

/** Fails with the command's output when it did not exit 0, so a failing CLI run explains itself. */
function expectSuccess(result: SpawnSyncReturns<string>): void {
  if (result.status !== 0) throw new Error(`exit ${result.status ?? result.signal}${result.error ? ` (${result.error.message})` : ''}\nstdout:\n${result.stdout}\nstderr:\n${result.stderr}`);
}

describe('main.ts', () => {
  test('an unknown environment exits 1 with a one-line reason, no stack trace, and writes nothing', () => {
    // Other processes may synthesise into the repo meanwhile; the window is the 1-2 s of this spawn.
    const before = { cdktf: tree(path.join(REPO, 'cdktf.out')), dist: tree(path.join(REPO, 'dist')) };
    const result = run(path.join(BIN, 'tsx'), ['main.ts', '--env', 'no-such-env'], REPO);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`unknown environment 'no-such-env'; known environments: ${ENV_NAMES.join(', ')}`);
    expect(result.stderr).toContain('synth failed: nothing was written; the previous output is unchanged.');
    expect(result.stderr).not.toContain('    at ');
    expect(result.stdout).toBe('');
    expect({ cdktf: tree(path.join(REPO, 'cdktf.out')), dist: tree(path.join(REPO, 'dist')) }).toEqual(before);
    expect(fs.existsSync(path.join(REPO, '.synth-staging', String(result.pid)))).toBe(false);
  });
});

/**
 * The cdktf CLI against a copy of the working tree (so the repo's own output is not touched): node_modules is
 * linked, the sources copied; nothing outside the repository is needed (synth reads no upstream file). Each CLI run
 * takes about 6 s (it runs the synth itself), so the tests share three runs: full synth, one environment, list.
 */
describe('cdktf CLI', () => {
  let project: string;
  const cdktf = (args: string[], env: Record<string, string> = {}) => run(path.join(BIN, 'cdktf'), args, project, env);
  const ALL_STACKS = [...synthAll().stacks].sort();
  const first = ENV_NAMES[0];

  beforeAll(() => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'cdktf-cli-'));
    project = path.join(root, 'main');
    const skip = new Set(['node_modules', '.git', 'cdktf.out', 'dist', '.synth-staging', 'coverage', '.tmp', '.terraform', '.vendor-cache']);
    fs.cpSync(REPO, project, {
      recursive: true,
      filter: (src) => src === REPO || !(skip.has(path.relative(REPO, src).split(path.sep)[0]) || path.basename(src).startsWith('.vendor-cache')),
    });
    fs.symlinkSync(path.join(REPO, 'node_modules'), path.join(project, 'node_modules'));
  });

  afterAll(() => {
    fs.rmSync(path.dirname(project), { recursive: true, force: true });
  });

  test('cdktf synth writes every stack to cdktf.out and the manifests to dist/k8s', () => {
    const result = cdktf(['synth']);
    expectSuccess(result);
    expect(result.stdout).toContain('Generated Terraform code for the stacks');
    const manifest = JSON.parse(fs.readFileSync(path.join(project, 'cdktf.out', 'manifest.json'), 'utf8'));
    expect(Object.keys(manifest.stacks).sort()).toEqual(ALL_STACKS);
    expect(fs.readdirSync(path.join(project, 'dist', 'k8s')).sort()).toEqual([...ENV_NAMES].sort());
    expect(fs.existsSync(path.join(project, '.synth-staging'))).toBe(false);
  }, CLI_TIMEOUT_MS + 10_000);

  test('PLATFORM_ENVIRONMENTS=<one environment> cdktf synth after a full synth keeps the CLI in charge of its folder', () => {
    // The CLI prunes the stacks that left the manifest itself; synth must not have removed them first (ENOENT).
    const result = cdktf(['synth'], { PLATFORM_ENVIRONMENTS: first });
    expectSuccess(result);
    const own = ALL_STACKS.filter((s) => s.endsWith(`-${first}`));
    expect(own.length).toBeGreaterThan(0);
    const manifest = JSON.parse(fs.readFileSync(path.join(project, 'cdktf.out', 'manifest.json'), 'utf8'));
    expect(Object.keys(manifest.stacks).sort()).toEqual(own);
    expect(fs.readdirSync(path.join(project, 'cdktf.out', 'stacks')).sort()).toEqual(own);
  }, CLI_TIMEOUT_MS + 10_000);

  test('cdktf list names every stack (after a one-environment synth: it synthesises them all again)', () => {
    const result = cdktf(['list']);
    expectSuccess(result);
    const listed = result.stdout.split('\n').map((l) => l.trim().split(/\s+/)[0]).filter((s) => ALL_STACKS.includes(s));
    expect(listed.sort()).toEqual(ALL_STACKS);
  }, CLI_TIMEOUT_MS + 10_000);
});
