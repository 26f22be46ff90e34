export * from './cidr';
export * from './eks-cluster';
export * from './network';
