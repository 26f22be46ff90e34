/**
 * Entry point of `npm run synth` and of `cdktf synth` / `cdktf deploy` (cdktf.json runs this file).
 * Environments: all, or those named by `--env dev,prod` or PLATFORM_ENVIRONMENTS=dev,prod.
 */
// First: turns source maps off before the construct libraries load (see the module).
import './stacks/process-options';
import { PlatformError } from './constructs/core/errors';
import { synthesizeAll } from './stacks/synth';

function selection(argv: readonly string[]): string[] {
  const i = argv.indexOf('--env');
  const raw = i >= 0 ? argv[i + 1] ?? '' : process.env.PLATFORM_ENVIRONMENTS ?? '';
  return raw.split(',').map((s) => s.trim()).filter((s) => s !== '');
}

try {
  const result = synthesizeAll({ projectDir: __dirname, selection: selection(process.argv), cdktfOutdir: process.env.CDKTF_OUTDIR });
  console.log(`synthesised ${result.environments.join(', ')}: stacks ${result.stacks.join(', ')}; manifests in dist/k8s/`);
} catch (e) {
  if (e instanceof PlatformError) {
    console.error(e.message);
    console.error('synth failed: nothing was written; the previous output is unchanged.');
    process.exit(1);
  }
  if (process.env.PLATFORM_DEBUG !== '1') console.error('unexpected error (a bug): rerun with PLATFORM_DEBUG=1 for TypeScript line numbers');
  throw e;
}
