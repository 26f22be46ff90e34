export * from './metrics-server';
export * from './pod-security-namespace';
