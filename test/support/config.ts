/**
 * Edits of the committed environment registry for config tests: each returns a deep copy (the committed objects are
 * never touched), and `problemsOf` returns the lines a `ConfigError` would print.
 */
import { ConfigError, environments, loadEnvironments } from '../../config';

export type EnvName = keyof typeof environments;

/** Environment data as a test edits it: loosely typed, so that a test can break it in any way. */
export type Editable = Record<string, any>;

/** A deep copy of the committed registry, changed by `edit`. */
export function editedRegistry(edit: (registry: Record<EnvName, Editable>) => void): Record<string, unknown> {
  const copy = JSON.parse(JSON.stringify(environments));
  edit(copy);
  return copy;
}

/** A deep copy of the committed registry with environment `env` changed by `edit` (`({ aws }) => ...` for one section). */
export function registryWith(env: EnvName, edit: (e: Editable) => void): Record<string, unknown> {
  return editedRegistry((r) => edit(r[env]));
}

/** A deep copy of the committed registry with the app `name` of environment `env` changed by `edit`. */
export function registryWithApp(env: EnvName, name: string, edit: (app: Editable) => void): Record<string, unknown> {
  return registryWith(env, (e) => {
    const app = e.apps.find((a: { name: string }) => a.name === name);
    if (!app) throw new Error(`no app ${name} in ${env}`);
    edit(app);
  });
}

/** The problems `loadEnvironments(registry, names)` reports; fails the test when it reports none. */
export function problemsOf(registry: Readonly<Record<string, unknown>>, names?: readonly string[]): string[] {
  try {
    loadEnvironments(registry, names);
  } catch (e) {
    if (e instanceof ConfigError) return [...e.problems];
    throw e;
  }
  throw new Error('expected a ConfigError');
}
