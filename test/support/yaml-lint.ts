import { spawnSync } from 'child_process';
import * as path from 'path';
import { REPO_ROOT } from './k8s-schema';

/** The project's yamllint configuration. */
export const YAMLLINT_CONFIG = path.join(REPO_ROOT, '.yamllint.yaml');

/** Options of `yamllint`. */
export interface YamllintOptions {
  /**
   * YAML text to lint as stdin (reported as `stdin`) instead of files.
   * @default lint the files given
   */
  readonly stdin?: string;
}

/**
 * Runs yamllint with the project config and returns every problem (errors and warnings alike) as
 * `file:line:col: [level] message (rule)`; an empty list means clean. Throws when yamllint itself fails to run.
 */
export function yamllint(files: readonly string[], options: YamllintOptions = {}): string[] {
  const args = ['-c', YAMLLINT_CONFIG, '-f', 'parsable', ...(options.stdin === undefined ? files : ['-'])];
  const run = spawnSync('yamllint', args, { cwd: REPO_ROOT, encoding: 'utf8', input: options.stdin });
  if (run.error) throw run.error;
  // yamllint exits 0 (clean or warnings only) or 1 (errors); anything else is a usage or config error.
  if (run.status !== 0 && run.status !== 1) throw new Error(`yamllint exited ${run.status}: ${run.stderr}${run.stdout}`);
  return run.stdout.split('\n').filter((l) => l.trim() !== '');
}
