/**
 * Rules shared by the monitoring constructs (which enforce them on props) and config/schema/monitoring.ts (which
 * reports them in config terms before anything is built), so that both say the same thing.
 */

/** A Slack channel as Alertmanager's `channel` takes it: `#`, then 1-80 lower-case letters, digits, `-` or `_`. */
export const SLACK_CHANNEL_RULE = "must be a Slack channel such as '#platform-alerts'";
export function isSlackChannel(value: string): boolean {
  return /^#[a-z0-9][a-z0-9_-]{0,79}$/.test(value);
}
