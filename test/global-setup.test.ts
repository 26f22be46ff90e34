/**
 * test/global-setup.ts as the workers see it: one temporary folder per run (removed by the teardown), which is every
 * worker's TMPDIR, so the `cdk8s.outdir.*` / `cdktf.outdir.*` folders of each synth land in it.
 */
import { Testing } from 'cdk8s';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { isFresh } from '../scripts/vendor';

test("the worker's temporary folder is the run's own folder", () => {
  const runDir = process.env.PLATFORM_TEST_TMPDIR;
  expect(runDir).toMatch(/platform-test-/);
  expect(os.tmpdir()).toBe(runDir);
});

test('a cdk8s Testing app writes its outdir inside the run folder', () => {
  const app = Testing.app();
  expect(path.dirname(app.outdir)).toBe(process.env.PLATFORM_TEST_TMPDIR);
  expect(fs.existsSync(app.outdir)).toBe(true);
});

test('the shared synth lives in the run folder and the vendor cache is fresh', () => {
  const shared = JSON.parse(process.env.PLATFORM_TEST_SYNTH!);
  expect(path.dirname(shared.dir)).toBe(process.env.PLATFORM_TEST_TMPDIR);
  expect(isFresh()).toBe(true);
});
