export * from './cluster-autoscaler';
export * from './cluster-autoscaler-role';
