import type { EnvironmentInput } from '../schema';

/** prod: EKS in eu-west-1 over three zones, HA everywhere. */
export const prod: EnvironmentInput = {
  name: 'prod',
  cluster: { kind: 'eks' },
  aws: {
    region: 'eu-west-1',
    zones: ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'],
    vpcCidr: '10.30.0.0/16',
    eks: { version: '1.33' },
    state: { bucket: 'example-platform-tfstate-prod' },
  },
};
