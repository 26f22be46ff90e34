import * as fs from 'fs';

export default function globalTeardown(): void {
  const shared = process.env.PLATFORM_TEST_SYNTH;
  if (shared) fs.rmSync(JSON.parse(shared).dir, { recursive: true, force: true });
}
