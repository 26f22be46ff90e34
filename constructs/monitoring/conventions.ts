/**
 * The metric contract between the project's services and the monitoring stack: alert rules and dashboards read
 * these names, and every HTTP service exports them (for example with a Prometheus client library's standard HTTP
 * middleware).
 */
export const HTTP_METRICS = {
  /** Histogram of request durations in seconds; its `_count` series counts requests. */
  durationHistogram: 'http_request_duration_seconds',
  /** Label of the HTTP status code (`200`, `503`) on that histogram. */
  statusCodeLabel: 'code',
  /** Label naming the service: the scrape job, which a ServiceMonitor sets to the Kubernetes Service name. */
  serviceLabel: 'job',
} as const;

/** Series of the Redis exporter (oliver006/redis_exporter) that rules and dashboards read. */
export const REDIS_METRICS = {
  hits: 'redis_keyspace_hits_total',
  misses: 'redis_keyspace_misses_total',
  memoryUsed: 'redis_memory_used_bytes',
  memoryMax: 'redis_memory_max_bytes',
  connectedClients: 'redis_connected_clients',
  blockedClients: 'redis_blocked_clients',
  rejectedConnections: 'redis_rejected_connections_total',
  evictedKeys: 'redis_evicted_keys_total',
  connectedReplicas: 'redis_connected_slaves',
  masterLinkUp: 'redis_master_link_up',
  replicaLagSeconds: 'redis_connected_slave_lag_seconds',
  instanceInfo: 'redis_instance_info',
  up: 'redis_up',
} as const;
