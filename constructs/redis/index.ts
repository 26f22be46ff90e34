export * from './elasticache-alarms';
export * from './elasticache-redis';
export * from './elasticache-redis-connection';
export * from './redis';
export * from './redis-alerts';
export * from './redis-config';
export * from './redis-connection';
export * from './redis-scripts';
