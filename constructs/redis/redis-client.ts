/**
 * What an app needs to use Redis, the same in every mode, and the names that carry it into the app's namespace:
 * - where: the ConfigMap `redis-connection` (`REDIS_MODE`, `REDIS_HOST`, `REDIS_PORT`, `REDIS_TLS`, and in sentinel
 *   mode `REDIS_SENTINEL_HOSTS`, `REDIS_SENTINEL_MASTER`; see redis-connection.ts), for `envFrom`;
 * - how to authenticate: `REDIS_PASSWORD`, from a `secretKeyRef` to the client Secret (default `redis-client`, key
 *   `password`), never a value.
 *
 * No imports on purpose: the config schema reads these names.
 */

/** Name of the ConfigMap apps read the connection facts from. */
export const REDIS_CONNECTION_CONFIG_MAP = 'redis-connection';

/** Environment variable apps read the Redis password from (a `secretKeyRef` to the client Secret). */
export const REDIS_PASSWORD_ENV = 'REDIS_PASSWORD';

/**
 * Default client Secret in the apps' namespace; its key holds the password Redis requires (in-cluster modes: the
 * same value as the server's Secret in `data`; managed: the ElastiCache AUTH token).
 */
export const REDIS_CLIENT_SECRET: Readonly<{ name: string; key: string }> = { name: 'redis-client', key: 'password' };
