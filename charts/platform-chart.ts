import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import type { EnvironmentConfig } from '../config';
import { LABEL_ENVIRONMENT, LABEL_MANAGED_BY, LABEL_PART_OF } from '../constructs/core/labels';

/**
 * Base of every chart: readable object names (no cdk8s hash suffix, so a diff shows `api`, not `api-c8828781`) and
 * labels saying which environment and tool made each object. The chart id is the manifest's file name.
 */
export class PlatformChart extends Chart {
  constructor(scope: Construct, id: string, env: EnvironmentConfig) {
    super(scope, id, {
      disableResourceNameHashes: true,
      labels: { [LABEL_ENVIRONMENT]: env.name, [LABEL_PART_OF]: 'platform', [LABEL_MANAGED_BY]: 'cdk8s' },
    });
  }
}
