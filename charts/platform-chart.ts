import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import type { EnvironmentConfig } from '../config';
import { platformLabels } from '../config/platform-labels';
import { LABEL_MANAGED_BY } from '../constructs/core/labels';

/**
 * Base of every chart: readable object names (no cdk8s hash suffix, so a diff shows `api`, not `api-c8828781`) and
 * the platform labels (environment, component = the chart id, also the manifest's file name, project version).
 */
export class PlatformChart extends Chart {
  constructor(scope: Construct, id: string, env: EnvironmentConfig) {
    super(scope, id, {
      disableResourceNameHashes: true,
      labels: { ...platformLabels(env, id), [LABEL_MANAGED_BY]: 'cdk8s' },
    });
  }
}
