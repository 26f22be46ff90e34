import { KubeNetworkPolicy } from 'cdk8s-plus-27/lib/imports/k8s';
import { Construct } from 'constructs';
import type { EnvironmentConfig } from '../config';
import { NAMESPACES } from '../config/namespaces';
import { PlatformChart } from './platform-chart';

/**
 * Namespace baseline: ingress to every pod is denied unless a NetworkPolicy of its own admits it. Each component
 * then declares exactly who may reach it.
 */
export class BaselineChart extends PlatformChart {
  constructor(scope: Construct, id: string, env: EnvironmentConfig) {
    super(scope, id, env);
    for (const ns of [NAMESPACES.apps, NAMESPACES.data]) {
      new KubeNetworkPolicy(this, `default-deny-ingress-${ns.name}`, {
        metadata: { name: 'default-deny-ingress', namespace: ns.name },
        spec: { podSelector: {}, policyTypes: ['Ingress'] },
      });
    }
  }
}
