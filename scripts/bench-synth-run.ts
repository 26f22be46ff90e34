/**
 * One synth for `bench-synth.ts`, in a process of its own: `tsx scripts/bench-synth-run.ts <projectDir> [env,...]`.
 * Same code path and process settings as `npm run synth` (synthesizeAll), but into a throwaway project folder, since main.ts always
 * writes next to itself.
 */
import '../stacks/process-options';
import { synthesizeAll } from '../stacks/synth';

const [projectDir, envs] = process.argv.slice(2);
if (!projectDir) {
  console.error('usage: tsx scripts/bench-synth-run.ts <projectDir> [env,...]');
  process.exit(2);
}
synthesizeAll({ projectDir, selection: envs ? envs.split(',') : [] });
