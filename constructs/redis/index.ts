export * from './elasticache-redis';
export * from './redis';
export * from './redis-alerts';
export * from './redis-config';
export * from './redis-scripts';
