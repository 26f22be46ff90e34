/**
 * `npm run vendor [-- --if-stale] [-- --pins FILE] [-- --cache DIR]`: fills `.vendor-cache/` (git-ignored) with the
 * upstream files pinned in `upstream/pins.json` (CRDs, Helm chart defaults, plugin schemas, example configurations)
 * and checks every sha256.
 *
 * - With `PLATFORM_VENDOR_MIRROR=<dir>` it copies `<dir>/<path>` for each pinned path (a mirror laid out like the
 *   cache); without it, it downloads each file's pinned URL (a file, or a release archive plus the `member` inside it).
 * - The cache is built in a temporary folder beside it and swapped in only when every file is there and verified, with a
 *   stamp (`.pins-sha256`: the sha256 of the pin file). `--if-stale` does nothing when the stamp matches.
 * - Any failure (unreachable URL, missing mirror file, wrong checksum, missing archive member) stops the run at once
 *   with ONE line naming the file and the reason, and exit code 1; the previous cache stays as it was.
 *
 * Tests reach the cache through test/support/vendor.ts; test/global-setup.ts calls `ensureVendored` too.
 */
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { gunzipSync } from 'zlib';

const REPO = path.resolve(__dirname, '..');
export const DEFAULT_PINS = path.join(REPO, 'upstream', 'pins.json');
export const DEFAULT_CACHE = path.join(REPO, '.vendor-cache');
export const MIRROR_ENV = 'PLATFORM_VENDOR_MIRROR';
/** File in the cache holding the sha256 of the pin file it was built from. */
export const STAMP = '.pins-sha256';
/** Per download; a missing network fails at once (DNS), a silent one within this. */
const FETCH_TIMEOUT_MS = 20_000;

/** One pinned upstream file. */
export interface PinnedFile {
  /** Path in the cache (and in a mirror): `crds/eck/all-crds.yaml`. */
  readonly path: string;
  /** Upstream URL at a release tag or commit: the file itself, or the release archive (.tgz) holding `member`. */
  readonly url: string;
  /** Path inside the archive at `url`; absent when `url` is the file. */
  readonly member?: string;
  /** sha256 of the file's bytes (hex). */
  readonly sha256: string;
}

/** One pinned Helm chart (its folder under `charts/`). */
export interface PinnedChart {
  readonly chart: string;
  readonly version: string;
  /** The chart's release archive, where its values.yaml / values.schema.json come from. */
  readonly archive: string;
  /** True when the upstream Chart.yaml is a template whose version the release tool sets (cert-manager). */
  readonly chartYamlIsTemplate?: boolean;
}

export interface Pins {
  readonly charts: Record<string, PinnedChart>;
  readonly files: readonly PinnedFile[];
}

/** A failure the user can act on: one line, no stack trace. */
export class VendorError extends Error {}

export function sha256(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Reads and checks the pin file's shape. */
export function loadPins(file: string = DEFAULT_PINS): Pins {
  let json: { charts?: Record<string, PinnedChart>; files?: unknown };
  try {
    json = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new VendorError(`cannot read the pin file ${file}: ${(e as Error).message}`);
  }
  const files = json?.files;
  if (!Array.isArray(files)) throw new VendorError(`${file}: 'files' must be a list`);
  const seen = new Set<string>();
  for (const [i, f] of (files as Partial<PinnedFile>[]).entries()) {
    const where = `${file}: files[${i}]`;
    if (typeof f?.path !== 'string' || f.path.startsWith('/') || f.path.split('/').includes('..')) throw new VendorError(`${where}.path must be a relative path inside the cache`);
    if (typeof f.url !== 'string' || !/^https?:\/\//.test(f.url)) throw new VendorError(`${where} (${f.path}): url must be an http(s) URL`);
    if (typeof f.sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(f.sha256)) throw new VendorError(`${where} (${f.path}): sha256 must be 64 hex digits`);
    if (seen.has(f.path)) throw new VendorError(`${where}: ${f.path} is pinned twice`);
    seen.add(f.path);
  }
  return { charts: json.charts ?? {}, files };
}

/** True when `cache` holds what `pinsFile` pins (by the stamp). */
export function isFresh(pinsFile: string = DEFAULT_PINS, cache: string = DEFAULT_CACHE): boolean {
  const stamp = path.join(cache, STAMP);
  return fs.existsSync(stamp) && fs.readFileSync(stamp, 'utf8').trim() === sha256(fs.readFileSync(pinsFile));
}

/** The bytes of `member` in a gzipped tar archive, or undefined. Reads ustar, GNU long names and pax `path`. */
export function tarMember(tgz: Buffer, member: string): Buffer | undefined {
  const tar = gunzipSync(tgz);
  let offset = 0;
  let longName: string | undefined;
  while (offset + 512 <= tar.length) {
    const header = tar.subarray(offset, offset + 512);
    if (header.every((b) => b === 0)) break;
    const text = (from: number, len: number) => header.subarray(from, from + len).toString('utf8').replace(/\0.*$/s, '');
    const size = parseInt(text(124, 12).trim() || '0', 8);
    const type = text(156, 1);
    const prefix = text(345, 155);
    const name = longName ?? (prefix ? `${prefix}/${text(0, 100)}` : text(0, 100));
    const body = tar.subarray(offset + 512, offset + 512 + size);
    longName = undefined;
    if (type === 'L') longName = body.toString('utf8').replace(/\0.*$/s, '');
    else if (type === 'x') longName = /(?:^|\n)\d+ path=([^\n]*)\n/.exec(body.toString('utf8'))?.[1];
    else if ((type === '0' || type === '' ) && name.replace(/^\.\//, '') === member) return Buffer.from(body);
    offset += 512 + Math.ceil(size / 512) * 512;
  }
  return undefined;
}

async function download(url: string): Promise<Buffer> {
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS), redirect: 'follow' });
  } catch (e) {
    const err = e as Error & { cause?: { code?: string; message?: string } };
    const why = err.name === 'TimeoutError' ? `no answer within ${FETCH_TIMEOUT_MS / 1000} s` : (err.cause?.code ?? err.cause?.message ?? err.message);
    throw new Error(`${why} (no network? set ${MIRROR_ENV} to a local mirror)`, { cause: e });
  }
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  return Buffer.from(await response.arrayBuffer());
}

export interface VendorOptions {
  readonly pinsFile?: string;
  readonly cache?: string;
  /** Local mirror to copy from instead of the network. @default process.env.PLATFORM_VENDOR_MIRROR */
  readonly mirror?: string;
}

/** Fetches (or copies) every pinned file, checks each checksum, and swaps the verified result in as the cache. */
export async function vendor(options: VendorOptions = {}): Promise<{ files: number; source: string }> {
  const pinsFile = options.pinsFile ?? DEFAULT_PINS;
  const cache = options.cache ?? DEFAULT_CACHE;
  const mirror = options.mirror ?? process.env[MIRROR_ENV] ?? undefined;
  const pins = loadPins(pinsFile);
  if (mirror && !fs.existsSync(mirror)) throw new VendorError(`${MIRROR_ENV}=${mirror} does not exist`);

  const archives = new Map<string, Promise<Buffer>>();
  const fetchOnce = (url: string) => {
    if (!archives.has(url)) archives.set(url, download(url));
    return archives.get(url)!;
  };
  const bytesOf = async (f: PinnedFile): Promise<Buffer> => {
    if (mirror) {
      const from = path.join(mirror, f.path);
      if (!fs.existsSync(from)) throw new VendorError(`cannot copy ${f.path}: ${from} does not exist (${MIRROR_ENV}=${mirror})`);
      return fs.readFileSync(from);
    }
    let data: Buffer;
    try {
      data = await fetchOnce(f.url);
    } catch (e) {
      throw new VendorError(`cannot fetch ${f.path} from ${f.url}: ${(e as Error).message}`);
    }
    if (!f.member) return data;
    let member: Buffer | undefined;
    try {
      member = tarMember(data, f.member);
    } catch (e) {
      throw new VendorError(`cannot read ${f.url} as a .tgz archive (for ${f.path}): ${(e as Error).message}`);
    }
    if (!member) throw new VendorError(`cannot fetch ${f.path}: ${f.url} has no member ${f.member}`);
    return member;
  };

  fs.mkdirSync(path.dirname(cache), { recursive: true });
  const staging = fs.mkdtempSync(`${cache}.partial-`);
  let failed = false;
  try {
    // Every file at once (the network is the bottleneck); the first failure rejects, with its own one-line reason.
    await Promise.all(
      pins.files.map(async (f) => {
        const data = await bytesOf(f).catch((e: unknown) => {
          failed = true;
          throw e;
        });
        if (failed) return;
        const got = sha256(data);
        if (got !== f.sha256) {
          failed = true;
          throw new VendorError(`checksum mismatch for ${f.path} from ${mirror ? path.join(mirror, f.path) : f.url}${f.member ? ` (${f.member})` : ''}: expected sha256 ${f.sha256}, got ${got}`);
        }
        const to = path.join(staging, f.path);
        fs.mkdirSync(path.dirname(to), { recursive: true });
        fs.writeFileSync(to, data);
      }),
    );
    fs.writeFileSync(path.join(staging, STAMP), `${sha256(fs.readFileSync(pinsFile))}\n`);
    // A symlink (to a shared mirror, say) is replaced by the link itself being removed: never write through it.
    if (fs.lstatSync(cache, { throwIfNoEntry: false })?.isSymbolicLink()) fs.unlinkSync(cache);
    fs.rmSync(cache, { recursive: true, force: true });
    fs.chmodSync(staging, 0o755);
    fs.renameSync(staging, cache);
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
  return { files: pins.files.length, source: mirror ? `mirror ${mirror}` : 'the pinned URLs' };
}

/** Vendors when the cache is missing or built from another pin file; returns whether it did. */
export async function ensureVendored(options: VendorOptions = {}): Promise<boolean> {
  if (isFresh(options.pinsFile, options.cache)) return false;
  await vendor(options);
  return true;
}

async function main(argv: string[]): Promise<void> {
  const arg = (name: string) => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const known = new Set(['--if-stale', '--pins', '--cache']);
  const unknown = argv.filter((a, i) => a.startsWith('--') && !known.has(a) && !['--pins', '--cache'].includes(argv[i - 1]));
  if (unknown.length > 0) throw new VendorError(`unknown option ${unknown[0]}; usage: npm run vendor -- [--if-stale] [--pins FILE] [--cache DIR]`);
  const options: VendorOptions = { pinsFile: arg('--pins') ? path.resolve(arg('--pins')!) : undefined, cache: arg('--cache') ? path.resolve(arg('--cache')!) : undefined };
  if (argv.includes('--if-stale') && isFresh(options.pinsFile, options.cache)) return;
  const started = Date.now();
  const { files, source } = await vendor(options);
  console.log(`vendor: ${files} pinned files from ${source}, every sha256 verified, in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((e: unknown) => {
    console.error(`vendor: ${e instanceof VendorError ? e.message : (e as Error).stack}`);
    process.exit(1);
  });
}
