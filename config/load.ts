import { z } from 'zod';
import { PlatformError, show } from '../constructs/core/errors';
import { ENVIRONMENT_NAMES, EnvironmentConfig, EnvironmentName, environmentSchema } from './schema';

/** Raised for config that cannot be synthesised; lists every problem, not only the first. */
export class ConfigError extends PlatformError {
  constructor(public readonly problems: readonly string[]) {
    super(problems.map((p) => `config error: ${p}`).join('\n'));
    this.name = 'ConfigError';
  }
}

/**
 * `apps[1].maxReplicas` reads better as `apps.payments.maxReplicas`: an array element with a `name` is shown by
 * its name.
 */
function renderPath(root: unknown, path: readonly PropertyKey[]): { text: string; value: unknown; found: boolean } {
  let node: unknown = root;
  let found = true;
  let text = '';
  for (const key of path) {
    if (typeof key === 'number' && Array.isArray(node)) {
      const element: unknown = node[key];
      const name = element && typeof element === 'object' ? (element as { name?: unknown }).name : undefined;
      text += typeof name === 'string' && name !== '' ? `.${name}` : `[${key}]`;
      node = element;
    } else {
      text += `.${String(key)}`;
      if (node && typeof node === 'object' && key in (node as object)) node = (node as Record<PropertyKey, unknown>)[key];
      else {
        found = false;
        node = undefined;
      }
    }
  }
  return { text, value: node, found };
}

/** Turns zod issues into `environments.<env>.<path> (<value>) <what is allowed>` lines. */
export function formatIssues(envKey: string, input: unknown, issues: readonly z.core.$ZodIssue[]): string[] {
  return issues.map((issue) => {
    const { text, value, found } = renderPath(input, issue.path);
    const where = `environments.${envKey}${text}`;
    if (issue.code === 'unrecognized_keys') {
      return `${where}: unknown field(s) ${issue.keys.map((k) => `'${k}'`).join(', ')}; check the spelling against config/schema/`;
    }
    if (!found && issue.code === 'invalid_type') return `${where} is required: ${issue.message}`;
    return `${where} (${show(value)}) ${issue.message}`;
  });
}

/** Validates one environment's raw data; throws a ConfigError naming every problem. */
export function parseEnvironment(envKey: string, input: unknown): EnvironmentConfig {
  const result = environmentSchema.safeParse(input);
  if (!result.success) throw new ConfigError(formatIssues(envKey, input, result.error.issues));
  if (result.data.name !== envKey) {
    throw new ConfigError([`environments.${envKey}.name (${show(result.data.name)}) must equal its registry key '${envKey}'`]);
  }
  return result.data;
}

/**
 * Picks environments by name (all when `selection` is empty) and validates each one before anything is built,
 * so that bad config fails the synth before it writes a byte.
 */
export function loadEnvironments(
  registry: Readonly<Record<string, unknown>>,
  selection: readonly string[] = [],
): EnvironmentConfig[] {
  const known = Object.keys(registry);
  const unknown = selection.filter((s) => !known.includes(s));
  if (unknown.length > 0) {
    throw new ConfigError(unknown.map((s) => `unknown environment ${show(s)}; known environments: ${known.join(', ')}`));
  }
  const notAllowed = known.filter((k) => !(ENVIRONMENT_NAMES as readonly string[]).includes(k));
  if (notAllowed.length > 0) {
    throw new ConfigError(notAllowed.map((k) => `unknown environment ${show(k)} in config/environments; allowed: ${ENVIRONMENT_NAMES.join(', ')} (add a name to ENVIRONMENT_NAMES first)`));
  }
  const names = selection.length > 0 ? known.filter((k) => selection.includes(k)) : known;
  const problems: string[] = [];
  const configs: EnvironmentConfig[] = [];
  for (const name of names) {
    try {
      configs.push(parseEnvironment(name, registry[name]));
    } catch (e) {
      if (e instanceof ConfigError) problems.push(...e.problems);
      else throw e;
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return configs;
}

export type { EnvironmentConfig, EnvironmentName };
