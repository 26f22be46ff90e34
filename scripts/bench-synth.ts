/**
 * `npm run bench [-- --runs N] [-- --env dev,prod] [-- --check]`: how long a full synth takes, as users pay it (a fresh
 * process each time: module loading included), against the floor of a bare cdktf + cdk8s app.
 *
 * Every target runs in a new process through tsx, into a new temporary project folder: the floor
 * (`scripts/bench-floor.ts`), each environment alone and all environments together (`scripts/bench-synth-run.ts`,
 * which calls `synthesizeAll` as main.ts does). Runs are interleaved round-robin so that load from other processes
 * spreads over every target alike; one untimed warm-up run per target fills the disk cache. Prints the median, min
 * and max per target and the ratio all/floor against the target (within 3x). `--check` exits 1 above the target.
 * Also times loading the whole kubernetes provider (what cdktf-cdk8s does) against the one resource the project's
 * bridge loads.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const REPO = path.resolve(__dirname, '..');
const TSX = path.join(REPO, 'node_modules', '.bin', 'tsx');
const TARGET_RATIO = 3;
const KNOWN_ENVS = ['dev', 'staging', 'prod'];

interface Options {
  runs: number;
  envs: string[];
  check: boolean;
}

function usage(problem: string): never {
  console.error(`${problem}\nusage: npm run bench -- [--runs N] [--env dev,staging,prod] [--check]`);
  process.exit(2);
}

function parseArgs(argv: readonly string[]): Options {
  const options: Options = { runs: 5, envs: KNOWN_ENVS, check: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--runs') {
      const n = Number(argv[++i]);
      if (!Number.isInteger(n) || n < 1) usage(`--runs (${argv[i]}) must be a whole number >= 1`);
      options.runs = n;
    } else if (arg === '--env') {
      const envs = (argv[++i] ?? '').split(',').filter((e) => e !== '');
      const unknown = envs.filter((e) => !KNOWN_ENVS.includes(e));
      if (envs.length === 0 || unknown.length > 0) usage(`--env (${argv[i]}) must list environments of: ${KNOWN_ENVS.join(', ')}`);
      options.envs = envs;
    } else if (arg === '--check') {
      options.check = true;
    } else {
      usage(`unknown argument '${arg}'`);
    }
  }
  return options;
}

interface Target {
  readonly label: string;
  readonly script: string;
  readonly args: readonly string[];
  readonly times: number[];
}

/** Runs one target once in a fresh process and temp folder; returns wall-clock milliseconds. */
function runOnce(target: Target): number {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-synth-'));
  try {
    const start = process.hrtime.bigint();
    const result = spawnSync(TSX, [target.script, dir, ...target.args], { cwd: REPO, encoding: 'utf8' });
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    if (result.status !== 0) {
      console.error(`${target.label}: exit ${result.status ?? result.signal}\n${result.stderr}`);
      process.exit(1);
    }
    return ms;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

function main(): void {
  const options = parseArgs(process.argv.slice(2));
  const synthRun = path.join('scripts', 'bench-synth-run.ts');
  const targets: Target[] = [
    { label: 'floor (bare cdktf + cdk8s)', script: path.join('scripts', 'bench-floor.ts'), args: [], times: [] },
    ...options.envs.map((env) => ({ label: `env ${env}`, script: synthRun, args: [env], times: [] })),
    { label: `all envs (${KNOWN_ENVS.join(', ')})`, script: synthRun, args: [], times: [] },
  ];

  console.log(`node ${process.version}, ${os.cpus().length} CPUs, load ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}; ${options.runs} runs per target after 1 warm-up`);
  for (const t of targets) runOnce(t);
  for (let r = 0; r < options.runs; r++) for (const t of targets) t.times.push(runOnce(t));

  const width = Math.max(...targets.map((t) => t.label.length));
  console.log(`\n${'target'.padEnd(width)}  ${'median'.padStart(8)}  ${'min'.padStart(8)}  ${'max'.padStart(8)}`);
  for (const t of targets) {
    console.log(`${t.label.padEnd(width)}  ${seconds(median(t.times)).padStart(8)}  ${seconds(Math.min(...t.times)).padStart(8)}  ${seconds(Math.max(...t.times)).padStart(8)}`);
  }
  // Why constructs/k8s-bridge exists instead of cdktf-cdk8s: cdktf-cdk8s loads the whole kubernetes provider, the
  // bridge one resource. Same fresh-process timing, of the require alone.
  const loads = [
    { label: 'require @cdktf/provider-kubernetes (cdktf-cdk8s)', module: '@cdktf/provider-kubernetes', times: [] as number[] },
    { label: 'require .../lib/manifest (constructs/k8s-bridge)', module: '@cdktf/provider-kubernetes/lib/manifest', times: [] as number[] },
  ];
  for (let r = 0; r < options.runs; r++) {
    for (const l of loads) {
      const start = process.hrtime.bigint();
      const result = spawnSync(process.execPath, ['-e', `require(${JSON.stringify(l.module)})`], { cwd: REPO });
      if (result.status !== 0) usage(`could not load ${l.module}: ${result.stderr}`);
      l.times.push(Number(process.hrtime.bigint() - start) / 1e6);
    }
  }
  const loadWidth = Math.max(...loads.map((l) => l.label.length));
  console.log('');
  for (const l of loads) console.log(`${l.label.padEnd(loadWidth)}  ${seconds(median(l.times)).padStart(8)}`);

  const floor = median(targets[0].times);
  const all = median(targets[targets.length - 1].times);
  const ratio = all / floor;
  const verdict = ratio <= TARGET_RATIO ? 'within target' : 'ABOVE TARGET';
  console.log(`\nall / floor = ${ratio.toFixed(2)}x (target: within ${TARGET_RATIO}x): ${verdict}`);
  if (options.check && ratio > TARGET_RATIO) process.exit(1);
}

main();
