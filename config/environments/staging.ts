import type { EnvironmentInput } from '../schema';

/** staging: EKS in eu-west-1 over two zones, medium sizes; a rehearsal of prod. */
export const staging: EnvironmentInput = {
  name: 'staging',
  cluster: { kind: 'eks' },
  aws: {
    region: 'eu-west-1',
    zones: ['eu-west-1a', 'eu-west-1b'],
    vpcCidr: '10.20.0.0/16',
    eks: { version: '1.33' },
    state: { bucket: 'example-platform-tfstate-staging' },
  },
};
