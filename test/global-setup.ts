import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { synthesizeAll } from '../stacks/synth';

/**
 * One synth of every environment for the whole test run, exactly as `npm run synth` does it but into a temporary
 * project folder; `synthAll()` in test/support/synth.ts reads it. Workers inherit the variable set here.
 */
export default function globalSetup(): void {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'platform-synth-'));
  const result = synthesizeAll({ projectDir: dir });
  process.env.PLATFORM_TEST_SYNTH = JSON.stringify({ ...result, dir });
}
