export * from './cdk8s-manifests';
