/**
 * scripts/vendor.ts against hand-made pin files, mirrors and a local HTTP server: copies, downloads, archive
 * members, checksums, the stamp, and the one-line failures (this machine has no network: an unreachable URL stands
 * in for it).
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as http from 'http';
import { AddressInfo } from 'net';
import * as os from 'os';
import * as path from 'path';
import { isFresh, loadPins, sha256, STAMP, vendor, VendorError } from '../../scripts/vendor';

const REPO = path.resolve(__dirname, '..', '..');

let tmp: string;
let server: http.Server;
let base: string;
/** A URL on a port that nothing listens on (a freed one): connection refused, as with no network. */
let UNREACHABLE: string;

beforeAll(async () => {
  const closed = http.createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  UNREACHABLE = `http://127.0.0.1:${(closed.address() as AddressInfo).port}/crds/x.yaml`;
  await new Promise((resolve) => closed.close(resolve));
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'vendor-test-'));
  // A release archive as Helm publishes one: <chart>/values.yaml inside a .tgz.
  fs.mkdirSync(path.join(tmp, 'pkg', 'demo'), { recursive: true });
  fs.writeFileSync(path.join(tmp, 'pkg', 'demo', 'values.yaml'), 'replicaCount: 1\n');
  expect(spawnSync('tar', ['-czf', path.join(tmp, 'demo-1.0.0.tgz'), '-C', path.join(tmp, 'pkg'), 'demo']).status).toBe(0);
  server = http.createServer((req, res) => {
    const file = path.join(tmp, path.basename(req.url ?? ''));
    if (!fs.existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200).end(fs.readFileSync(file));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  fs.rmSync(tmp, { recursive: true, force: true });
});

/** A fresh folder with a pin file of `files`, a mirror holding `mirrorFiles` and no cache yet. */
function workspace(files: object[], mirrorFiles: Record<string, string> = {}) {
  const dir = fs.mkdtempSync(path.join(tmp, 'ws-'));
  const pinsFile = path.join(dir, 'pins.json');
  fs.writeFileSync(pinsFile, JSON.stringify({ charts: {}, files }, null, 2));
  const mirror = path.join(dir, 'mirror');
  for (const [p, text] of Object.entries(mirrorFiles)) {
    fs.mkdirSync(path.dirname(path.join(mirror, p)), { recursive: true });
    fs.writeFileSync(path.join(mirror, p), text);
  }
  fs.mkdirSync(mirror, { recursive: true });
  return { dir, pinsFile, mirror, cache: path.join(dir, '.vendor-cache') };
}

const CRD = 'kind: CustomResourceDefinition\n';
const pin = (p: string, text: string, url = `https://example.invalid/${p}`) => ({ path: p, url, sha256: sha256(text) });

async function failure(run: Promise<unknown>): Promise<string> {
  const e = await run.then(
    () => undefined,
    (err: unknown) => err,
  );
  if (!(e instanceof VendorError)) throw new Error(`expected a VendorError, got ${String(e)}`);
  return e.message;
}

describe('from a mirror (PLATFORM_VENDOR_MIRROR)', () => {
  test('copies every pinned file, verifies it, and stamps the cache with the pin file hash', async () => {
    const ws = workspace([pin('crds/x/crd.yaml', CRD), pin('charts/demo/values.yaml', 'a: 1\n')], { 'crds/x/crd.yaml': CRD, 'charts/demo/values.yaml': 'a: 1\n', 'charts/demo/SOURCE.md': 'notes' });
    expect(isFresh(ws.pinsFile, ws.cache)).toBe(false);
    await vendor({ pinsFile: ws.pinsFile, cache: ws.cache, mirror: ws.mirror });
    expect(fs.readFileSync(path.join(ws.cache, 'crds/x/crd.yaml'), 'utf8')).toBe(CRD);
    expect(fs.existsSync(path.join(ws.cache, 'charts/demo/SOURCE.md'))).toBe(false);
    expect(fs.readFileSync(path.join(ws.cache, STAMP), 'utf8').trim()).toBe(sha256(fs.readFileSync(ws.pinsFile)));
    expect(isFresh(ws.pinsFile, ws.cache)).toBe(true);
    expect(fs.readdirSync(ws.dir).filter((f) => f.includes('.partial-'))).toEqual([]);
  });

  test('a changed pin file makes the cache stale', async () => {
    const ws = workspace([pin('crds/x/crd.yaml', CRD)], { 'crds/x/crd.yaml': CRD });
    await vendor({ pinsFile: ws.pinsFile, cache: ws.cache, mirror: ws.mirror });
    fs.writeFileSync(ws.pinsFile, JSON.stringify({ charts: {}, files: [pin('crds/x/crd.yaml', CRD, 'https://example.invalid/v2/crd.yaml')] }));
    expect(isFresh(ws.pinsFile, ws.cache)).toBe(false);
  });

  test('a wrong checksum fails with one line naming the file and both sums, and keeps the previous cache', async () => {
    const ws = workspace([pin('crds/x/crd.yaml', CRD)], { 'crds/x/crd.yaml': CRD });
    await vendor({ pinsFile: ws.pinsFile, cache: ws.cache, mirror: ws.mirror });
    fs.writeFileSync(path.join(ws.mirror, 'crds/x/crd.yaml'), `${CRD}# changed upstream\n`);
    fs.writeFileSync(ws.pinsFile, JSON.stringify({ charts: {}, files: [pin('crds/x/crd.yaml', CRD, 'https://example.invalid/v2/crd.yaml')] }));
    const message = await failure(vendor({ pinsFile: ws.pinsFile, cache: ws.cache, mirror: ws.mirror }));
    expect(message).toBe(
      `checksum mismatch for crds/x/crd.yaml from ${path.join(ws.mirror, 'crds/x/crd.yaml')}: expected sha256 ${sha256(CRD)}, got ${sha256(`${CRD}# changed upstream\n`)}`,
    );
    expect(message).not.toContain('\n');
    expect(fs.readFileSync(path.join(ws.cache, 'crds/x/crd.yaml'), 'utf8')).toBe(CRD);
    expect(fs.readdirSync(ws.dir).filter((f) => f.includes('.partial-'))).toEqual([]);
  });

  test('a file missing from the mirror is named', async () => {
    const ws = workspace([pin('crds/x/crd.yaml', CRD)]);
    expect(await failure(vendor({ pinsFile: ws.pinsFile, cache: ws.cache, mirror: ws.mirror }))).toBe(
      `cannot copy crds/x/crd.yaml: ${path.join(ws.mirror, 'crds/x/crd.yaml')} does not exist (PLATFORM_VENDOR_MIRROR=${ws.mirror})`,
    );
  });

  test('a symlinked cache (an old setup pointing at a shared mirror) is replaced, never written through', async () => {
    const ws = workspace([pin('crds/x/crd.yaml', CRD)], { 'crds/x/crd.yaml': CRD });
    const other = path.join(ws.dir, 'elsewhere');
    fs.mkdirSync(other);
    fs.symlinkSync(other, ws.cache);
    await vendor({ pinsFile: ws.pinsFile, cache: ws.cache, mirror: ws.mirror });
    expect(fs.lstatSync(ws.cache).isSymbolicLink()).toBe(false);
    expect(fs.readdirSync(other)).toEqual([]);
  });
});

describe('from the network', () => {
  test('downloads a file and a member of a release archive, each verified', async () => {
    const values = 'replicaCount: 1\n';
    const crd = fs.readFileSync(path.join(tmp, 'pkg', 'demo', 'values.yaml'));
    fs.writeFileSync(path.join(tmp, 'crd.yaml'), CRD);
    const ws = workspace([
      { path: 'charts/demo/values.yaml', url: `${base}/demo-1.0.0.tgz`, member: 'demo/values.yaml', sha256: sha256(values) },
      pin('crds/x/crd.yaml', CRD, `${base}/crd.yaml`),
    ]);
    await vendor({ pinsFile: ws.pinsFile, cache: ws.cache, mirror: '' });
    expect(fs.readFileSync(path.join(ws.cache, 'charts/demo/values.yaml'))).toEqual(crd);
    expect(fs.readFileSync(path.join(ws.cache, 'crds/x/crd.yaml'), 'utf8')).toBe(CRD);
  });

  test('an archive without the pinned member is named', async () => {
    const ws = workspace([{ path: 'charts/demo/values.schema.json', url: `${base}/demo-1.0.0.tgz`, member: 'demo/values.schema.json', sha256: sha256('{}') }]);
    expect(await failure(vendor({ pinsFile: ws.pinsFile, cache: ws.cache, mirror: '' }))).toBe(
      `cannot fetch charts/demo/values.schema.json: ${base}/demo-1.0.0.tgz has no member demo/values.schema.json`,
    );
  });

  test('an HTTP error is named with its status', async () => {
    const ws = workspace([pin('crds/x/gone.yaml', CRD, `${base}/gone.yaml`)]);
    expect(await failure(vendor({ pinsFile: ws.pinsFile, cache: ws.cache, mirror: '' }))).toBe(`cannot fetch crds/x/gone.yaml from ${base}/gone.yaml: HTTP 404`);
  });

  test('an unreachable URL fails at once with the URL and a hint', async () => {
    const ws = workspace([pin('crds/x/crd.yaml', CRD, UNREACHABLE)]);
    const started = Date.now();
    expect(await failure(vendor({ pinsFile: ws.pinsFile, cache: ws.cache, mirror: '' }))).toBe(
      `cannot fetch crds/x/crd.yaml from ${UNREACHABLE}: ECONNREFUSED (no network? set PLATFORM_VENDOR_MIRROR to a local mirror)`,
    );
    expect(Date.now() - started).toBeLessThan(5000);
    expect(fs.existsSync(ws.cache)).toBe(false);
  });

  test('`npm run vendor` without a mirror and without network: exit 1 and exactly one line on stderr', () => {
    const ws = workspace([pin('crds/x/crd.yaml', CRD, UNREACHABLE)]);
    const env = { ...process.env };
    delete env.PLATFORM_VENDOR_MIRROR;
    const r = spawnSync(path.join(REPO, 'node_modules', '.bin', 'tsx'), ['scripts/vendor.ts', '--pins', ws.pinsFile, '--cache', ws.cache], { cwd: REPO, env, encoding: 'utf8', timeout: 30_000 });
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`vendor: cannot fetch crds/x/crd.yaml from ${UNREACHABLE}: ECONNREFUSED (no network? set PLATFORM_VENDOR_MIRROR to a local mirror)\n`);
  });
});

describe('the pin file', () => {
  test.each([
    [{ path: '../x', url: 'https://e/x', sha256: 'a'.repeat(64) }, 'files[0].path must be a relative path inside the cache'],
    [{ path: 'crds/x.yaml', url: 'file:///etc/passwd', sha256: 'a'.repeat(64) }, 'files[0] (crds/x.yaml): url must be an http(s) URL'],
    [{ path: 'crds/x.yaml', url: 'https://e/x', sha256: 'abc' }, 'files[0] (crds/x.yaml): sha256 must be 64 hex digits'],
  ])('rejects %j', (file, message) => {
    const ws = workspace([file]);
    expect(() => loadPins(ws.pinsFile)).toThrow(`${ws.pinsFile}: ${message}`);
  });

  test('rejects a path pinned twice', () => {
    const ws = workspace([pin('crds/x.yaml', CRD), pin('crds/x.yaml', CRD)]);
    expect(() => loadPins(ws.pinsFile)).toThrow(`${ws.pinsFile}: files[1]: crds/x.yaml is pinned twice`);
  });
});
