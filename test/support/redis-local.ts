import { ChildProcess, execFileSync, spawn } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';

/**
 * Local Redis processes for the real-Redis tests: free ports on 127.0.0.1, servers started from a config text,
 * bounded waits, and a cleanup that kills every process and removes every temp dir.
 */

/** A port the OS reports free on 127.0.0.1 (closed again before use; a clash is possible but unlikely). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export async function freePorts(n: number): Promise<number[]> {
  const ports = new Set<number>();
  while (ports.size < n) ports.add(await freePort());
  return [...ports];
}

/**
 * A free port on 127.0.0.1 usable by a Redis Cluster node: at most 55535 (Redis refuses a cluster port whose bus
 * port, port + 10000, would exceed 65535), and its bus port free too.
 */
export async function freeClusterPort(): Promise<number> {
  for (let i = 0; i < 200; i++) {
    const port = await freePort();
    if (port > 55535) continue;
    const busFree = await new Promise<boolean>((resolve) => {
      const server = net.createServer();
      server.once('error', () => resolve(false));
      server.listen(port + 10000, '127.0.0.1', () => server.close(() => resolve(true)));
    });
    if (busFree) return port;
  }
  throw new Error('no free port <= 55535 with a free bus port found in 200 tries');
}

/** `n` distinct ports from `freeClusterPort()`. */
export async function freeClusterPorts(n: number): Promise<number[]> {
  const ports = new Set<number>();
  while (ports.size < n) ports.add(await freeClusterPort());
  return [...ports];
}

/** Polls `check` every `intervalMs` until it returns a value other than undefined, or throws after `timeoutMs`. */
export async function waitFor<T>(what: string, timeoutMs: number, check: () => T | undefined, intervalMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = check();
      if (value !== undefined) return value;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** `INFO` output as a map (`role` -> `master`). */
export function parseInfo(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    const i = line.indexOf(':');
    if (i > 0 && !line.startsWith('#')) out[line.slice(0, i)] = line.slice(i + 1).trim();
  }
  return out;
}

/** Processes and temp dirs of one test file; `stop()` in afterAll. */
export class LocalRedis {
  public readonly dir: string;
  private readonly procs: ChildProcess[] = [];

  constructor(
    prefix: string,
    /** The password every server requires: made by the test, never read from config. */
    public readonly password: string,
  ) {
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  }

  /** Writes `conf` to `<dir>/<name>/<file>` and starts `binary` on it; output goes to `<dir>/<name>/log`. */
  start(binary: 'redis-server' | 'redis-sentinel', name: string, file: string, conf: string): ChildProcess {
    const dir = path.join(this.dir, name);
    fs.mkdirSync(dir, { recursive: true });
    const confPath = path.join(dir, file);
    fs.writeFileSync(confPath, conf, { mode: 0o600 });
    const log = fs.openSync(path.join(dir, 'log'), 'a');
    const proc = spawn(binary, [confPath], { cwd: dir, stdio: ['ignore', log, log] });
    fs.closeSync(log);
    this.procs.push(proc);
    return proc;
  }

  /** The log of one process, for failure messages. */
  log(name: string): string {
    const file = path.join(this.dir, name, 'log');
    return fs.existsSync(file) ? fs.readFileSync(file, 'utf8').split('\n').slice(-30).join('\n') : '(no log)';
  }

  /** Runs redis-cli against 127.0.0.1:port, authenticated; stdin `input` runs several commands on one connection. */
  cli(port: number, args: readonly string[], input?: string, extra: readonly string[] = []): string {
    return execFileSync('redis-cli', ['-h', '127.0.0.1', '-p', String(port), ...extra, ...args], {
      env: { ...process.env, REDISCLI_AUTH: this.password },
      input,
      timeout: 10000,
      encoding: 'utf8',
      stdio: ['pipe', 'pipe', 'pipe'],
      maxBuffer: 16 * 1024 * 1024,
    });
  }

  info(port: number, section = 'replication'): Record<string, string> {
    return parseInfo(this.cli(port, ['INFO', section]));
  }

  /** Kills every process started here and removes the temp dir. */
  async stop(): Promise<void> {
    await killAll(this.procs);
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

/** SIGKILLs every process that is still running and waits (at most 2 s each) until it has exited. */
export async function killAll(procs: readonly ChildProcess[]): Promise<void> {
  await Promise.all(
    procs.map(
      (p) =>
        new Promise<void>((resolve) => {
          if (p.exitCode !== null || p.signalCode !== null) return resolve();
          const timer = setTimeout(resolve, 2000);
          p.once('exit', () => {
            clearTimeout(timer);
            resolve();
          });
          p.kill('SIGKILL');
        }),
    ),
  );
}

/** Escapes a value the way start-redis.sh does for a double-quoted redis.conf string. */
export function confString(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}
