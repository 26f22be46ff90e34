import { IConstruct } from 'constructs';

/**
 * An error in the user's terms: where (construct path or config path), which field, which value, what is allowed.
 * `main.ts` prints only `message` for these and exits non-zero; anything else is a bug and keeps its stack trace.
 */
export class PlatformError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PlatformError';
  }
}

/** Renders a value the way messages show it: strings quoted, everything else as JSON. */
export function show(value: unknown): string {
  if (typeof value === 'string') return `'${value}'`;
  if (value === undefined) return 'undefined';
  return JSON.stringify(value);
}

/**
 * Throws `[<construct path>] '<field>' (<value>) <rule>`, for example
 * `[platform-prod/redis] 'replicas' (2) must be odd and at least 3 in sentinel mode`.
 */
export function fail(scope: IConstruct, field: string, value: unknown, rule: string): never {
  throw new PlatformError(`[${scope.node.path}] '${field}' (${show(value)}) ${rule}`);
}
