import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ensureVendored, VendorError } from '../scripts/vendor';
import { synthesizeAll } from '../stacks/synth';

/**
 * Before any test:
 * - the pinned upstream files in .vendor-cache (fetched or copied when missing or stale, as `npm test` does first);
 * - one temporary folder for the whole run, made the workers' TMPDIR: the `cdk8s.outdir.*` / `cdktf.outdir.*`
 *   folders every `Testing.synth` leaves, the tools' work dirs and the shared synth all go there, and
 *   test/global-teardown.ts removes it in one go;
 * - one synth of every environment, exactly as `npm run synth` does it but into that folder; `synthAll()` in
 *   test/support/synth.ts reads it. Workers inherit the variables set here.
 */
export default async function globalSetup(): Promise<void> {
  try {
    await ensureVendored();
  } catch (e) {
    if (e instanceof VendorError) {
      // One line, no stack: what could not be fetched and why.
      console.error(`\nvendor: ${e.message}`);
      process.exit(1);
    }
    throw e;
  }
  const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'platform-test-'));
  process.env.PLATFORM_TEST_TMPDIR = runDir;
  process.env.TMPDIR = runDir;
  const dir = fs.mkdtempSync(path.join(runDir, 'synth-'));
  const result = synthesizeAll({ projectDir: dir });
  process.env.PLATFORM_TEST_SYNTH = JSON.stringify({ ...result, dir });
}
