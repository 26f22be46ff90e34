/**
 * Rules shared by the Redis constructs (which enforce them on props) and config/schema/redis.ts (which reports them
 * in config terms before anything is built), so that both say the same thing.
 */

/** Sentinels: an odd count of at least 3. */
export const SENTINELS_RULE =
  'must be odd and at least 3: an even count tolerates no more failures than one fewer, and fewer than 3 cannot outvote a lost one';
export function isSentinelCount(value: number): boolean {
  return Number.isInteger(value) && value >= 3 && value % 2 === 1;
}

/**
 * An ElastiCache replication group id as AWS accepts it (stored lower-case): 1-40 letters, digits or hyphens,
 * starting with a letter, with no trailing hyphen and no two consecutive hyphens.
 */
export const REPLICATION_GROUP_ID_RULE =
  'must be an ElastiCache replication group id: 1-40 lower-case letters, digits or hyphens, starting with a letter, not ending with a hyphen, and no two hyphens in a row';
export function isReplicationGroupId(value: string): boolean {
  return /^[a-z][a-z0-9-]{0,39}$/.test(value) && !value.endsWith('-') && !value.includes('--');
}

/** An ElastiCache node type: `cache.<family>.<size>`. */
export const NODE_TYPE_RULE = "must be an ElastiCache node type such as 'cache.t4g.small'";
export function isNodeType(value: string): boolean {
  return /^cache\.[a-z0-9]+\.[a-z0-9]+$/.test(value);
}

/** A Redis engine version ElastiCache takes as `major.minor` (6.2 and later; earlier ones want a patch version). */
export const ENGINE_VERSION_RULE = "must be a Redis version 'major.minor', 6.2 or later, such as '7.1'";
export function isEngineVersion(value: string): boolean {
  const m = /^(\d+)\.(\d+)$/.exec(value);
  if (!m) return false;
  const [major, minor] = [Number(m[1]), Number(m[2])];
  return major > 6 || (major === 6 && minor >= 2);
}
