import type { EnvironmentInput } from '../schema';

/** prod: EKS in eu-west-1 over three zones, HA everywhere. */
export const prod: EnvironmentInput = {
  name: 'prod',
  cluster: { kind: 'eks' },
  aws: {
    region: 'eu-west-1',
    zones: ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'],
    vpcCidr: '10.30.0.0/16',
    // A NAT gateway in every zone: losing a zone cuts no other zone's egress.
    natGateways: 'perZone',
    logRetentionDays: 365,
    eks: {
      version: '1.33',
      // The office and VPN egress range (documentation range as a placeholder); never 0.0.0.0/0.
      publicEndpointCidrs: ['203.0.113.0/24'],
      nodeGroups: [{ name: 'general', instanceTypes: ['m6i.xlarge', 'm6a.xlarge'], minSize: 3, maxSize: 9, desiredSize: 3, diskGiB: 100 }],
    },
    backups: { bucket: 'example-platform-backups-prod', expirationDays: 365, noncurrentVersionExpirationDays: 30 },
    state: { bucket: 'example-platform-tfstate-prod' },
  },
  monitoring: {
    // HA: two Prometheus replicas on separate nodes, a three-member Alertmanager cluster, 30 days of data.
    prometheus: {
      replicas: 2,
      retentionDays: 30,
      storageGiB: 200,
      resources: { requests: { cpu: '1', memory: '8Gi' }, limits: { memory: '12Gi' } },
    },
    alertmanager: {
      replicas: 3,
      resources: { requests: { cpu: '100m', memory: '256Mi' }, limits: { memory: '512Mi' } },
      receivers: [
        { kind: 'pagerduty', name: 'oncall', severities: ['critical'], secretKey: 'pagerduty-routing-key' },
        { kind: 'slack', name: 'team-slack', severities: ['critical', 'warning'], channel: '#platform-alerts', secretKey: 'slack-webhook-url' },
      ],
      credentialsSecretName: 'alertmanager-receivers',
    },
    grafana: {
      adminSecretName: 'grafana-admin',
      resources: { requests: { cpu: '200m', memory: '512Mi' }, limits: { memory: '1Gi' } },
    },
    runbookBaseUrl: 'https://github.com/example/platform-iac/blob/main/docs/runbooks',
  },
};
