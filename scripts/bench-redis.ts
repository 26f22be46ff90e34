/**
 * `npm run bench:redis`: redis-benchmark with 100 concurrent clients against the generated Redis configuration on
 * 127.0.0.1, beside the same run against Redis's defaults; prints p50 and p99 for SET and GET. Not a test: numbers
 * depend on the machine. Target (the seeds'): 100+ concurrent connections, p99 under 10 ms.
 *
 * The generated configuration is the in-cluster environment's `redis.conf` exactly as synthesised (default `dev`,
 * standalone; `--env staging` would need replicas, since its min-replicas-to-write refuses writes on a lone
 * primary). What a local run must change is changed: the `dir` line (a temp dir), and appended `bind 127.0.0.1`,
 * a free `port` and the password (generated here, as start-redis.sh appends it from the Secret). The defaults run
 * gets the same port, dir and password and nothing else.
 */
import { execFileSync, spawn } from 'child_process';
import { randomBytes } from 'crypto';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { App } from 'cdk8s';
import { redisCharts } from '../charts/redis-chart';
import { environments, loadEnvironments } from '../config';

const CLIENTS = 100;
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 100000);

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

async function run(label: string, baseConf: string, password: string): Promise<Record<string, Record<string, string>>> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-redis-'));
  const port = await freePort();
  const conf = `${baseConf.replace(/^dir .*$/m, '')}\ndir ${dir}\nbind 127.0.0.1\nport ${port}\nrequirepass "${password}"\n`;
  fs.writeFileSync(path.join(dir, 'redis.conf'), conf, { mode: 0o600 });
  const server = spawn('redis-server', [path.join(dir, 'redis.conf')], { stdio: 'ignore' });
  const env = { ...process.env, REDISCLI_AUTH: password };
  try {
    const deadline = Date.now() + 10000;
    for (;;) {
      try {
        if (execFileSync('redis-cli', ['-p', String(port), 'PING'], { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim() === 'PONG') break;
      } catch {
        /* not up yet */
      }
      if (Date.now() > deadline) throw new Error(`${label}: redis-server did not start`);
      await new Promise((r) => setTimeout(r, 100));
    }
    const csv = execFileSync(
      'redis-benchmark',
      ['-h', '127.0.0.1', '-p', String(port), '-a', password, '-c', String(CLIENTS), '-n', String(REQUESTS), '-t', 'set,get', '-d', '256', '-r', '100000', '--csv'],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 300000 },
    );
    const [header, ...rows] = csv.trim().split('\n').map((l) => l.split(',').map((c) => c.replace(/"/g, '')));
    return Object.fromEntries(rows.map((r) => [r[0], Object.fromEntries(header.map((h, i) => [h, r[i]]))]));
  } finally {
    server.kill('SIGKILL');
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const i = process.argv.indexOf('--env');
  const envName = i >= 0 ? process.argv[i + 1] : 'dev';
  const [env] = loadEnvironments(environments, [envName]);
  const [chart] = redisCharts(new App(), env);
  if (!chart) throw new Error(`environment ${envName} runs Redis as '${env.redis.mode}': nothing in the cluster to benchmark`);
  const password = randomBytes(16).toString('hex');
  const generated = await run('generated', chart.redis.redisConf, password);
  const defaults = await run('defaults', '', password);
  console.log(`redis-benchmark: ${CLIENTS} clients, ${REQUESTS} requests per test, 256-byte values, 127.0.0.1 (${envName}'s ${env.redis.mode} redis.conf vs Redis defaults)`);
  console.log('test  config     requests/s   p50 ms   p99 ms');
  for (const test of ['SET', 'GET']) {
    for (const [name, r] of [['generated', generated], ['defaults', defaults]] as const) {
      const row = r[test];
      console.log(`${test.padEnd(5)} ${name.padEnd(10)} ${row.rps.padStart(10)}   ${row.p50_latency_ms.padStart(6)}   ${row.p99_latency_ms.padStart(6)}`);
    }
  }
  const worstP99 = Math.max(...['SET', 'GET'].map((t) => Number(generated[t].p99_latency_ms)));
  console.log(worstP99 < 10 ? `target met: p99 ${worstP99} ms < 10 ms with ${CLIENTS} clients` : `TARGET MISSED: p99 ${worstP99} ms >= 10 ms`);
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
