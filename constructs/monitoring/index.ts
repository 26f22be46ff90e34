export * from './alert-rules';
export * from './conventions';
export * from './dashboards/redis';
export * from './dashboards/service-overview';
export * from './grafana-dashboard';
export * from './kube-prometheus-stack';
export * from './platform-alerts';
