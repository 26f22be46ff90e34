import { Chart } from 'cdk8s';
import { TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import type { EnvironmentConfig } from '../config';
import { Cdk8sManifests } from '../constructs/k8s-bridge/cdk8s-manifests';
import { configureBackend } from './backend';
import { ClusterAccess, kubernetesProvider } from './cluster-access';

/**
 * `workloads-<env>`: the environment's cdk8s charts as `kubernetes_manifest` resources. Deployed after
 * `platform-<env>`, whose operators install the CRDs these objects need at plan time.
 */
export class WorkloadsStack extends TerraformStack {
  public readonly manifests: Cdk8sManifests;

  constructor(scope: Construct, id: string, env: EnvironmentConfig, access: ClusterAccess, charts: readonly Chart[]) {
    super(scope, id);
    configureBackend(this, env, id);
    kubernetesProvider(this, access);
    this.manifests = new Cdk8sManifests(this, 'manifests', { charts });
  }
}
