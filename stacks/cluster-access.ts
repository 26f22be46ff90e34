import { HelmProvider } from '@cdktf/provider-helm/lib/provider';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import { Construct } from 'constructs';

/**
 * How Terraform reaches an environment's cluster: a kubeconfig context (dev), or an EKS endpoint with a token from
 * `aws eks get-token` (AWS environments; the values are the foundation stack's outputs). For EKS it also carries the
 * few foundation facts the platform stack installs against (cross-stack references).
 *
 * Where `aws eks get-token` runs matters: the API's public endpoint admits only `aws.eks.publicEndpointCidrs`, and
 * the caller's IAM role must be the cluster's creator or listed in `aws.eks.adminPrincipalArns`.
 */
export type ClusterAccess =
  | { readonly kind: 'kubeconfig'; readonly kubeconfigPath: string; readonly context: string }
  | {
      readonly kind: 'eks';
      readonly clusterName: string;
      readonly region: string;
      readonly endpoint: string;
      /** Base64-decoded cluster CA certificate (PEM). */
      readonly caCertificatePem: string;
      /** ARN of the customer-managed data key: the default StorageClass encrypts EBS volumes with it. */
      readonly dataKeyArn: string;
      /** ARN of the cluster autoscaler's IRSA role. */
      readonly clusterAutoscalerRoleArn: string;
    };

function eksExec(access: Extract<ClusterAccess, { kind: 'eks' }>) {
  return {
    apiVersion: 'client.authentication.k8s.io/v1beta1',
    command: 'aws',
    args: ['eks', 'get-token', '--cluster-name', access.clusterName, '--region', access.region],
  };
}

export function kubernetesProvider(scope: Construct, access: ClusterAccess): KubernetesProvider {
  if (access.kind === 'kubeconfig') {
    return new KubernetesProvider(scope, 'kubernetes', { configPath: access.kubeconfigPath, configContext: access.context });
  }
  return new KubernetesProvider(scope, 'kubernetes', {
    host: access.endpoint,
    clusterCaCertificate: access.caCertificatePem,
    exec: [eksExec(access)],
  });
}

export function helmProvider(scope: Construct, access: ClusterAccess): HelmProvider {
  if (access.kind === 'kubeconfig') {
    return new HelmProvider(scope, 'helm', {
      kubernetes: { configPath: access.kubeconfigPath, configContext: access.context },
    });
  }
  return new HelmProvider(scope, 'helm', {
    kubernetes: { host: access.endpoint, clusterCaCertificate: access.caCertificatePem, exec: eksExec(access) },
  });
}
