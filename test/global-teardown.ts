import * as fs from 'fs';

/** Removes the run's temporary folder (test/global-setup.ts): the shared synth and every test's temp output. */
export default function globalTeardown(): void {
  const runDir = process.env.PLATFORM_TEST_TMPDIR;
  if (runDir) fs.rmSync(runDir, { recursive: true, force: true });
}
