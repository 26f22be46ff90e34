import { LABEL_ENVIRONMENT, LABEL_PART_OF, LABEL_PLATFORM_COMPONENT, LABEL_PLATFORM_VERSION } from '../constructs/core/labels';
import { version as PROJECT_VERSION } from '../package.json';
import type { EnvironmentConfig } from './schema';

/**
 * The labels saying which environment, component and version of this project made a Kubernetes object, whoever
 * makes it: `PlatformChart` puts them on every chart object (the component is the chart id, also the manifest's file
 * name), the stacks on every `kubernetes_*` resource (the component is the concern that owns it: `redis`,
 * `monitoring`; `namespaces` and `storage` for cluster-wide objects no chart owns). `app.kubernetes.io/managed-by`
 * is added by each side (`cdk8s`, `terraform`). The version is package.json's, not a commit hash, so that output
 * changes only when content does.
 */
export function platformLabels(env: EnvironmentConfig, component: string): Record<string, string> {
  return {
    [LABEL_ENVIRONMENT]: env.name,
    [LABEL_PLATFORM_COMPONENT]: component,
    [LABEL_PLATFORM_VERSION]: PROJECT_VERSION,
    [LABEL_PART_OF]: 'platform',
  };
}
