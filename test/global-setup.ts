import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ensureVendored, VendorError } from '../scripts/vendor';
import { synthesizeAll } from '../stacks/synth';

/**
 * Before any test: the pinned upstream files in .vendor-cache (fetched or copied when missing or stale, as
 * `npm test` does first), then one synth of every environment for the whole run, exactly as `npm run synth` does it
 * but into a temporary project folder; `synthAll()` in test/support/synth.ts reads it. Workers inherit the variable
 * set here.
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
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'platform-synth-'));
  const result = synthesizeAll({ projectDir: dir });
  process.env.PLATFORM_TEST_SYNTH = JSON.stringify({ ...result, dir });
}
