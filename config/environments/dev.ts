import type { EnvironmentInput } from '../schema';

/** dev: a local cluster (kind, k3d, minikube) reached through a kubeconfig context. No AWS. Small. */
export const dev: EnvironmentInput = {
  name: 'dev',
  cluster: { kind: 'kubeconfig', kubeconfigPath: '~/.kube/config', context: 'kind-platform-dev' },
};
