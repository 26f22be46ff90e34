import { spawnSync } from 'child_process';

/** True when `command` is on PATH. */
export function hasTool(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

/**
 * `describe` for tests that need external tools (promtool, redis-server, terraform). When one is missing the
 * block is skipped with a loud warning; under CI=true a missing tool is a failure, since CI must install it.
 */
export function describeWithTools(tools: readonly string[], name: string, body: () => void): void {
  const missing = tools.filter((t) => !hasTool(t));
  if (missing.length === 0) {
    describe(name, body);
    return;
  }
  const why = `missing tool(s): ${missing.join(', ')} (see docs/checks.md; .ci/run installs them)`;
  if (process.env.CI === 'true') {
    describe(name, () => {
      test(`needs ${missing.join(', ')}`, () => {
        throw new Error(`CI=true and ${why}: an output check cannot be skipped in CI`);
      });
    });
    return;
  }
  console.warn(`\n*** SKIPPED "${name}": ${why} ***\n`);
  describe.skip(name, body);
}
