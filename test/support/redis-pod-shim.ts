import { ChildProcess, execFileSync, spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { killAll, LocalRedis, waitFor } from './redis-local';

/**
 * Runs the Redis pods' start-up scripts (start-redis.sh, start-sentinel.sh, cluster-bootstrap.sh) outside a pod, as
 * synthesised, under `dash` (a POSIX sh as strict as the alpine image's busybox sh). Only what a pod differs in is
 * replaced, through the environment and a PATH shim (a `bin` folder put first on PATH); the script text is never
 * touched:
 * - environment: POD_NAME, HOSTNAME, POD_IP (127.0.0.1), REDIS_PASSWORD and REDISCLI_AUTH (the Secret's password,
 *   made by the test), and REDIS_CONFIG_DIR, REDIS_RUN_DIR, REDIS_DATA_DIR for the pod's mounts (the ConfigMap,
 *   the in-memory run volume, the data volume), pointed at temp dirs;
 * - the network, through the shim. In the cluster every pod has its own IP and listens on 6379 (26379 for a
 *   Sentinel); here every pod is 127.0.0.1 on a port of its own. A table (`net`, one `<DNS name> <cluster port>
 *   <local port>` line per pod or Service endpoint) stands in for DNS:
 *   - `redis-server`, `redis-sentinel`: keep the configuration the script wrote as `<conf>.script` (what
 *     `runtimeConf()` reads), then run the real binary on it with `bind`, `port` and `dir` made local, a pod name
 *     in `replicaof` or `sentinel monitor` replaced by 127.0.0.1 and its port, and the announce addresses set to
 *     127.0.0.1: redis-server on a copy (`<conf>.local`); redis-sentinel on the file itself, because Sentinel
 *     rewrites it with what it learns and start-sentinel.sh reads that back at the next start. So here a
 *     Sentinel's persisted state names pods as 127.0.0.1 and a local port where in the cluster it names them by
 *     DNS name; the script treats both alike (an address it keeps);
 *   - `redis-cli`: `-h <name> -p <cluster port>` (and `name:port` arguments of `--cluster create`) become
 *     127.0.0.1 and the local port; a Service with several endpoints is tried endpoint by endpoint, as kube-proxy
 *     sends a connection only to a live one; Sentinel's answer to `get-master-addr-by-name` (127.0.0.1 and a local
 *     port here) is turned back into the pod's DNS name and cluster port, as the cluster's Sentinels answer (they
 *     announce host names), and so is a replica's `master_host`/`master_port` in `INFO` (replicas announce their
 *     DNS names in the cluster). A name missing from the table is passed on unchanged, so it fails to resolve;
 *   - `getent hosts <name>`: 127.0.0.1 for a name in the table (a pod that exists), "not found" otherwise; an IPv4
 *     address goes to the real getent;
 *   - `sleep`: the real one, or SHIM_SLEEP_SECONDS when a test sets it, to run a bounded wait loop in less time.
 * What this cannot prove: that the cluster's Sentinels report host names (announce-hostnames, and the replicas'
 * replica-announce-ip), and anything about DNS or Services beyond name -> address.
 */

/** One line of the table: `name` answers on `clusterPort` in the cluster, on 127.0.0.1:`localPort` here. */
export interface NetEntry {
  readonly name: string;
  readonly clusterPort: number;
  readonly localPort: number;
}

/** How a script run ended. */
export interface ScriptExit {
  readonly code: number | null;
  readonly output: string;
}

function which(command: string): string {
  return execFileSync('sh', ['-c', `command -v ${command}`], { encoding: 'utf8' }).trim();
}

const SERVER_SHIM = (real: string, inPlace: boolean) => `#!/bin/sh
# Test shim (test/support/redis-pod-shim.ts), never part of a pod: runs the real ${path.basename(real)} on the
# configuration with what differs between a pod and this machine made local (see redis-pod-shim.ts).
set -eu
conf=$1
cp "$conf" "$conf.script"
awk -v port="$SHIM_PORT" -v dir="$SHIM_DIR" -v net="$SHIM_NET" '
  BEGIN { while ((getline line < net) > 0) { split(line, f, " "); addr[f[1] ":" f[2]] = f[3] } }
  /^bind / { print "bind 127.0.0.1"; next }
  /^port / { print "port " port; next }
  /^dir / { print "dir " dir; next }
  /^replicaof / && (($2 ":" $3) in addr) { print "replicaof 127.0.0.1 " addr[$2 ":" $3]; next }
  /^replica-announce-ip / { print "replica-announce-ip 127.0.0.1"; next }
  /^sentinel monitor / && (($4 ":" $5) in addr) { print "sentinel monitor " $3 " 127.0.0.1 " addr[$4 ":" $5] " " $6; next }
  /^sentinel announce-ip / { print "sentinel announce-ip 127.0.0.1"; next }
  { print }
' "$conf.script" > "$conf.local"
${inPlace ? `mv "$conf.local" "$conf"\nexec ${real} "$conf"` : `exec ${real} "$conf.local"`}
`;

const CLI_SHIM = (real: string) => `#!/bin/sh
# Test shim (test/support/redis-pod-shim.ts), never part of a pod: redis-cli with pod and Service names mapped to
# 127.0.0.1 and their local ports (see redis-pod-shim.ts).
set -u
lookup() { awk -v n="$1" -v p="$2" '$1 == n && $2 == p { print $3 }' "$SHIM_NET"; }
host=""; port=6379; next=""; sentinel_addr=0; info=0
for a do
  shift
  case "$next" in
    h) host=$a; next=""; continue ;;
    p) port=$a; next=""; continue ;;
  esac
  case "$a" in
    -h) next=h; continue ;;
    -p) next=p; continue ;;
    get-master-addr-by-name | GET-MASTER-ADDR-BY-NAME) sentinel_addr=1 ;;
    info | INFO) info=1 ;;
    *:[0-9]*)
      local_port=$(lookup "\${a%:*}" "\${a##*:}" | head -n 1)
      if [ -n "$local_port" ]; then a="127.0.0.1:$local_port"; fi ;;
  esac
  set -- "$@" "$a"
done
endpoints=""
if [ -n "$host" ]; then endpoints=$(lookup "$host" "$port"); fi
if [ -z "$endpoints" ]; then
  if [ -n "$host" ]; then exec ${real} -h "$host" -p "$port" "$@"; fi
  exec ${real} "$@"
fi
out=$(mktemp); err=$(mktemp)
trap 'rm -f "$out" "$err"' EXIT
for ep in $endpoints; do
  if ${real} -h 127.0.0.1 -p "$ep" "$@" > "$out" 2> "$err"; then
    if [ "$info" = 1 ]; then
      awk -v net="$SHIM_NET" '
        BEGIN { while ((getline line < net) > 0) { split(line, f, " "); if (f[1] ~ /[.]/) { name[f[3]] = f[1]; cport[f[3]] = f[2] } } }
        /^master_host:/ { held = $0; h = $0; sub(/\r$/, "", h); sub(/^master_host:/, "", h); next }
        /^master_port:/ && held != "" {
          p = $0; sub(/\r$/, "", p); sub(/^master_port:/, "", p)
          if (h == "127.0.0.1" && (p in name)) { print "master_host:" name[p] "\r"; print "master_port:" cport[p] "\r" } else { print held; print }
          held = ""; next
        }
        { print }
      ' "$out"
    elif [ "$sentinel_addr" = 1 ]; then
      awk -v net="$SHIM_NET" '
        BEGIN { while ((getline line < net) > 0) { split(line, f, " "); if (f[1] ~ /[.]/) { name[f[3]] = f[1]; cport[f[3]] = f[2] } } }
        NR == 1 { h = $0; next }
        NR == 2 && h == "127.0.0.1" && ($0 in name) { print name[$0]; print cport[$0]; next }
        NR == 2 { print h }
        { print }
        END { if (NR == 1) print h }
      ' "$out"
    else
      cat "$out"
    fi
    cat "$err" >&2
    exit 0
  fi
done
cat "$err" >&2
exit 1
`;

const GETENT_SHIM = (real: string) => `#!/bin/sh
# Test shim (test/support/redis-pod-shim.ts), never part of a pod: a name in the test's table resolves to 127.0.0.1
# (its pod exists), any other name is not found (exit 2, as getent); other databases go to the real getent.
if [ "$#" -eq 2 ] && [ "$1" = hosts ]; then
  case "$2" in *[!0-9.]*) ;; *) exec ${real} "$@" ;; esac
  if awk -v n="$2" '$1 == n { found = 1 } END { exit !found }' "$SHIM_NET"; then echo "127.0.0.1       $2"; exit 0; fi
  exit 2
fi
exec ${real} "$@"
`;

const SLEEP_SHIM = (real: string) => `#!/bin/sh
# Test shim (test/support/redis-pod-shim.ts), never part of a pod: sleeps SHIM_SLEEP_SECONDS instead when set.
exec ${real} "\${SHIM_SLEEP_SECONDS:-$1}"
`;

/** Pods of one test file: a temp root with the ConfigMap, a dir per pod, the shim and the address table. */
export class RedisPods {
  public readonly local: LocalRedis;
  public readonly configDir: string;
  public readonly netFile: string;
  private readonly bin: string;
  private readonly procs: ChildProcess[] = [];
  private readonly byPod = new Map<string, ChildProcess>();

  constructor(prefix: string, public readonly password: string, configMapData: Record<string, string>) {
    this.local = new LocalRedis(prefix, password);
    this.configDir = path.join(this.local.dir, 'configmap');
    fs.mkdirSync(this.configDir);
    for (const [file, text] of Object.entries(configMapData)) fs.writeFileSync(path.join(this.configDir, file), text, { mode: 0o444 });
    this.netFile = path.join(this.local.dir, 'net');
    fs.writeFileSync(this.netFile, '');
    this.bin = path.join(this.local.dir, 'bin');
    fs.mkdirSync(this.bin);
    const shims: Record<string, string> = {
      'redis-server': SERVER_SHIM(which('redis-server'), false),
      'redis-sentinel': SERVER_SHIM(which('redis-sentinel'), true),
      'redis-cli': CLI_SHIM(which('redis-cli')),
      getent: GETENT_SHIM(which('getent')),
      sleep: SLEEP_SHIM(which('sleep')),
    };
    for (const [name, text] of Object.entries(shims)) fs.writeFileSync(path.join(this.bin, name), text, { mode: 0o755 });
  }

  /** Makes `name` resolvable (its pod now exists, or it is one more endpoint of a Service). */
  addDns(...entries: NetEntry[]): void {
    fs.appendFileSync(this.netFile, entries.map((e) => `${e.name} ${e.clusterPort} ${e.localPort}\n`).join(''));
  }

  /** The dirs of one pod: `run` (REDIS_RUN_DIR) and `data` (REDIS_DATA_DIR, also Redis's working dir). */
  podDir(pod: string, sub: 'run' | 'data' | '' = ''): string {
    return path.join(this.local.dir, pod, sub);
  }

  /**
   * Starts `dash <ConfigMap dir>/<script>` as pod `pod` would, listening (once it execs Redis) on 127.0.0.1:`port`.
   * Output goes to `<pod>/log`; the process is killed in `stop()`.
   */
  run(script: string, pod: string, port: number, extraEnv: Record<string, string> = {}): ChildProcess {
    for (const sub of ['run', 'data'] as const) fs.mkdirSync(this.podDir(pod, sub), { recursive: true });
    const log = fs.openSync(path.join(this.podDir(pod), 'log'), 'a');
    const proc = spawn('dash', [path.join(this.configDir, script)], {
      cwd: this.podDir(pod),
      env: {
        PATH: `${this.bin}:${process.env.PATH ?? '/usr/bin:/bin'}`,
        HOSTNAME: pod,
        POD_NAME: pod,
        POD_IP: '127.0.0.1',
        REDIS_PASSWORD: this.password,
        REDISCLI_AUTH: this.password,
        REDIS_CONFIG_DIR: this.configDir,
        REDIS_RUN_DIR: this.podDir(pod, 'run'),
        REDIS_DATA_DIR: this.podDir(pod, 'data'),
        SHIM_NET: this.netFile,
        SHIM_PORT: String(port),
        SHIM_DIR: this.podDir(pod, 'data'),
        ...extraEnv,
      },
      stdio: ['ignore', log, log],
    });
    fs.closeSync(log);
    this.procs.push(proc);
    this.byPod.set(pod, proc);
    return proc;
  }

  /** SIGKILLs what pod `pod` runs (Redis, once the script exec'd it), as a crashed container, and waits for its end. */
  async kill(pod: string): Promise<void> {
    const proc = this.byPod.get(pod);
    if (!proc) throw new Error(`pod ${pod} was never started`);
    if (proc.exitCode !== null || proc.signalCode !== null) throw new Error(`pod ${pod} already exited (${proc.exitCode ?? proc.signalCode}):\n${this.log(pod)}`);
    const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
    proc.kill('SIGKILL');
    await exited;
  }

  /** Runs a script that is expected to end (a Job, or a start-up that must refuse), with a bound. */
  async runToExit(script: string, pod: string, port: number, timeoutMs: number, extraEnv: Record<string, string> = {}): Promise<ScriptExit> {
    const before = this.log(pod).length;
    const proc = this.run(script, pod, port, extraEnv);
    const code = await waitFor(`${script} (${pod}) to exit`, timeoutMs, () => (proc.exitCode !== null || proc.signalCode !== null ? proc.exitCode : undefined), 50);
    return { code, output: this.log(pod).slice(before) };
  }

  /** Everything pod `pod` has printed so far (the scripts' lines and Redis's log). */
  log(pod: string): string {
    const file = path.join(this.podDir(pod), 'log');
    return fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
  }

  /** The configuration the script wrote for Redis (before the shim made it local). */
  runtimeConf(pod: string, file: 'redis.conf' | 'sentinel.conf'): string {
    return fs.readFileSync(`${this.persistedConfPath(pod, file)}.script`, 'utf8');
  }

  /**
   * Where the script writes the configuration: redis.conf in the run volume, sentinel.conf in the Sentinel's own
   * volume (`data`), where Sentinel rewrites it (so, here, with local addresses: see above).
   */
  persistedConfPath(pod: string, file: 'redis.conf' | 'sentinel.conf'): string {
    return path.join(this.podDir(pod, file === 'sentinel.conf' ? 'data' : 'run'), file);
  }

  /** Kills every process started here, then LocalRedis's, and removes the temp dir. */
  async stop(): Promise<void> {
    await killAll(this.procs);
    await this.local.stop();
  }
}
