import { App as K8sApp } from 'cdk8s';
import { App as TfApp } from 'cdktf';
import { buildCharts } from '../charts';
import type { EnvironmentConfig } from '../config';
import { ClusterAccess } from './cluster-access';
import { FoundationStack } from './foundation-stack';
import { PlatformStack } from './platform-stack';
import { WorkloadsStack } from './workloads-stack';

/** What one environment is made of: its stacks and its charts. */
export interface EnvironmentStacks {
  readonly foundation?: FoundationStack;
  readonly platform: PlatformStack;
  readonly workloads: WorkloadsStack;
  readonly k8sApp: K8sApp;
}

/**
 * Builds every stack and chart of one environment. Construct validation throws here, before anything is written.
 * `k8sOutdir` is where the plain manifests go (`dist/k8s/<env>`).
 */
export function buildEnvironment(tfApp: TfApp, env: EnvironmentConfig, k8sOutdir: string): EnvironmentStacks {
  let foundation: FoundationStack | undefined;
  let access: ClusterAccess;
  if (env.cluster.kind === 'eks') {
    if (!env.aws) throw new Error(`environment ${env.name}: eks cluster without aws settings (config validation should have caught this)`);
    foundation = new FoundationStack(tfApp, `foundation-${env.name}`, { ...env, aws: env.aws });
    access = foundation.clusterAccess;
  } else {
    access = { kind: 'kubeconfig', kubeconfigPath: env.cluster.kubeconfigPath, context: env.cluster.context };
  }

  const platform = new PlatformStack(tfApp, `platform-${env.name}`, env, access);
  if (foundation) platform.addDependency(foundation);

  const k8sApp = new K8sApp({ outdir: k8sOutdir, outputFileExtension: '.k8s.yaml' });
  const charts = buildCharts(k8sApp, env);
  const workloads = new WorkloadsStack(tfApp, `workloads-${env.name}`, env, access, charts, foundation?.redis);
  workloads.addDependency(platform);
  return { foundation, platform, workloads, k8sApp };
}
