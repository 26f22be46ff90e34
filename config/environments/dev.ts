import type { EnvironmentInput } from '../schema';

/** dev: a local cluster (kind, k3d, minikube) reached through a kubeconfig context. No AWS. Small. */
export const dev: EnvironmentInput = {
  name: 'dev',
  tier: 'development',
  cluster: { kind: 'kubeconfig', kubeconfigPath: '~/.kube/config', context: 'kind-platform-dev' },
  monitoring: {
    // Small and disposable: one of each, little storage, alerts only in the Alertmanager UI.
    prometheus: {
      replicas: 1,
      retentionDays: 3,
      storageGiB: 10,
      resources: { requests: { cpu: '200m', memory: '512Mi' }, limits: { memory: '1Gi' } },
    },
    alertmanager: {
      replicas: 1,
      resources: { requests: { cpu: '20m', memory: '64Mi' }, limits: { memory: '128Mi' } },
      receivers: [],
    },
    grafana: {
      adminSecretName: 'grafana-admin',
      resources: { requests: { cpu: '50m', memory: '128Mi' }, limits: { memory: '256Mi' } },
    },
    runbookBaseUrl: 'https://github.com/example/platform-iac/blob/main/docs/runbooks',
  },
  // Traces go to the tracing namespace's collector (OTLP gRPC); everything is sampled in dev.
  appTelemetry: { otlpEndpoint: 'http://jaeger-collector.tracing.svc.cluster.local:4317', samplingRatio: 1 },
  // Small: 1 to 2 pods per app, little CPU and memory.
  apps: [
    {
      name: 'api',
      image: 'ghcr.io/example/platform-api:2.3.1',
      minReplicas: 1,
      maxReplicas: 2,
      resources: { requests: { cpu: '50m', memory: '128Mi' }, limits: { memory: '256Mi' } },
      allowFrom: { gateway: true },
      configMaps: ['api-config'],
    },
    {
      name: 'payments',
      image: 'ghcr.io/example/payments-api:1.4.2',
      minReplicas: 1,
      maxReplicas: 2,
      resources: { requests: { cpu: '50m', memory: '128Mi' }, limits: { memory: '256Mi' } },
      allowFrom: { apps: ['api'] },
      configMaps: ['payments-config'],
      secretEnv: [
        { name: 'DATABASE_PASSWORD', secretName: 'payments-db', key: 'password' },
        { name: 'PSP_API_KEY', secretName: 'payments-psp', key: 'api-key' },
      ],
    },
    {
      name: 'analytics',
      image: 'ghcr.io/example/business-analytics:0.9.0',
      minReplicas: 1,
      maxReplicas: 2,
      resources: { requests: { cpu: '50m', memory: '256Mi' }, limits: { memory: '512Mi' } },
      allowFrom: { apps: ['api'] },
      secretEnv: [{ name: 'WAREHOUSE_PASSWORD', secretName: 'analytics-warehouse', key: 'password' }],
    },
    {
      name: 'notifications',
      image: 'ghcr.io/example/notifications:3.1.0',
      minReplicas: 1,
      maxReplicas: 2,
      resources: { requests: { cpu: '50m', memory: '64Mi' }, limits: { memory: '128Mi' } },
      allowFrom: { apps: ['api', 'payments'] },
      secretEnv: [{ name: 'SMTP_PASSWORD', secretName: 'notifications-smtp', key: 'password' }],
    },
  ],
  // Redis: one node, small; enough to develop against (sessions, cache, rate limits).
  redis: { mode: 'standalone', memory: '128Mi', storageGiB: 1 },
};
