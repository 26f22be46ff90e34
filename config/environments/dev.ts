import type { EnvironmentInput } from '../schema';

/** dev: a local cluster (kind, k3d, minikube) reached through a kubeconfig context. No AWS. Small. */
export const dev: EnvironmentInput = {
  name: 'dev',
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
};
