import type { EnvironmentConfig } from '../config';
import { LABEL_ENVIRONMENT, LABEL_PART_OF, LABEL_PLATFORM_COMPONENT, LABEL_PLATFORM_VERSION } from '../constructs/core/labels';
import { version as PROJECT_VERSION } from '../package.json';

/**
 * Labels of a Kubernetes object that a stack creates through Terraform (`kubernetes_*` resources, not the cdk8s
 * charts): the same environment, component, version and part-of labels `PlatformChart` gives chart objects, so
 * that `kubectl get -l platform.example.com/environment=prod` finds both; the constructs add
 * `app.kubernetes.io/managed-by: terraform` themselves. `component` is the concern that owns the object (`redis`,
 * `monitoring`, as the charts name theirs; `namespaces` and `storage` for the cluster-wide objects no chart owns).
 */
export function terraformLabels(env: EnvironmentConfig, component: string): Record<string, string> {
  return {
    [LABEL_ENVIRONMENT]: env.name,
    [LABEL_PLATFORM_COMPONENT]: component,
    [LABEL_PLATFORM_VERSION]: PROJECT_VERSION,
    [LABEL_PART_OF]: 'platform',
  };
}
