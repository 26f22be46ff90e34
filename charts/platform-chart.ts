import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import type { EnvironmentConfig } from '../config';
import { LABEL_ENVIRONMENT, LABEL_MANAGED_BY, LABEL_PART_OF, LABEL_PLATFORM_COMPONENT, LABEL_PLATFORM_VERSION } from '../constructs/core/labels';
import { version as PROJECT_VERSION } from '../package.json';

/**
 * Base of every chart: readable object names (no cdk8s hash suffix, so a diff shows `api`, not `api-c8828781`) and
 * labels saying which environment, component (the chart id, also the manifest's file name) and version of this
 * project made each object. The version is package.json's, not a commit hash, so that output changes only when
 * content does.
 */
export class PlatformChart extends Chart {
  constructor(scope: Construct, id: string, env: EnvironmentConfig) {
    super(scope, id, {
      disableResourceNameHashes: true,
      labels: {
        [LABEL_ENVIRONMENT]: env.name,
        [LABEL_PLATFORM_COMPONENT]: id,
        [LABEL_PLATFORM_VERSION]: PROJECT_VERSION,
        [LABEL_PART_OF]: 'platform',
        [LABEL_MANAGED_BY]: 'cdk8s',
      },
    });
  }
}
