import type { EnvironmentInput } from '../schema';

/** staging: EKS in eu-west-1 over two zones, medium sizes; a rehearsal of prod. */
export const staging: EnvironmentInput = {
  name: 'staging',
  tier: 'staging',
  cluster: { kind: 'eks' },
  aws: {
    region: 'eu-west-1',
    zones: ['eu-west-1a', 'eu-west-1b'],
    vpcCidr: '10.20.0.0/16',
    // One NAT gateway: staging can lose egress with a zone; it saves one gateway and its hourly cost.
    natGateways: 'single',
    logRetentionDays: 30,
    eks: {
      version: '1.33',
      // The office and VPN egress range (documentation range as a placeholder); never 0.0.0.0/0.
      publicEndpointCidrs: ['203.0.113.0/24'],
      nodeGroups: [{ name: 'general', instanceTypes: ['m6i.large', 'm6a.large'], minSize: 2, maxSize: 4, desiredSize: 2, diskGiB: 50 }],
    },
    backups: { bucket: 'example-platform-backups-staging', expirationDays: 90, noncurrentVersionExpirationDays: 7 },
    state: { bucket: 'example-platform-tfstate-staging' },
  },
  monitoring: {
    prometheus: {
      replicas: 1,
      retentionDays: 7,
      storageGiB: 50,
      resources: { requests: { cpu: '500m', memory: '2Gi' }, limits: { memory: '4Gi' } },
    },
    alertmanager: {
      replicas: 2,
      resources: { requests: { cpu: '50m', memory: '128Mi' }, limits: { memory: '256Mi' } },
      // Staging never pages: everything goes to the team channel.
      receivers: [{ kind: 'slack', name: 'team-slack', severities: ['critical', 'warning'], channel: '#platform-staging-alerts', secretKey: 'slack-webhook-url' }],
      credentialsSecretName: 'alertmanager-receivers',
    },
    grafana: {
      adminSecretName: 'grafana-admin',
      resources: { requests: { cpu: '100m', memory: '256Mi' }, limits: { memory: '512Mi' } },
    },
    runbookBaseUrl: 'https://github.com/example/platform-iac/blob/main/docs/runbooks',
  },
  // Half of new traces sampled: enough to rehearse prod's tracing with real load tests.
  appTelemetry: { otlpEndpoint: 'http://jaeger-collector.tracing.svc.cluster.local:4317', samplingRatio: 0.5 },
  // Medium: 2 pods per app, room to double; same images as prod once promoted.
  apps: [
    {
      name: 'api',
      image: 'ghcr.io/example/platform-api:2.3.1',
      minReplicas: 2,
      maxReplicas: 6,
      resources: { requests: { cpu: '200m', memory: '256Mi' }, limits: { cpu: '1', memory: '512Mi' } },
      allowFrom: { gateway: true },
      configMaps: ['api-config'],
    },
    {
      name: 'payments',
      image: 'ghcr.io/example/payments-api:1.4.2',
      minReplicas: 2,
      maxReplicas: 6,
      resources: { requests: { cpu: '200m', memory: '256Mi' }, limits: { cpu: '1', memory: '512Mi' } },
      allowFrom: { apps: ['api'] },
      configMaps: ['payments-config'],
      secretEnv: [
        { name: 'DATABASE_PASSWORD', secretName: 'payments-db', key: 'password' },
        { name: 'PSP_API_KEY', secretName: 'payments-psp', key: 'api-key' },
      ],
    },
    {
      name: 'analytics',
      image: 'ghcr.io/example/business-analytics:0.9.0',
      minReplicas: 2,
      maxReplicas: 4,
      resources: { requests: { cpu: '250m', memory: '512Mi' }, limits: { memory: '1Gi' } },
      // Batch-like load: memory follows the data set, not the traffic, so scale on CPU only.
      scaleOn: { cpuUtilizationPercent: 75 },
      allowFrom: { apps: ['api'] },
      secretEnv: [{ name: 'WAREHOUSE_PASSWORD', secretName: 'analytics-warehouse', key: 'password' }],
    },
    {
      name: 'notifications',
      image: 'ghcr.io/example/notifications:3.1.0',
      minReplicas: 2,
      maxReplicas: 4,
      resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '256Mi' } },
      allowFrom: { apps: ['api', 'payments'] },
      secretEnv: [{ name: 'SMTP_PASSWORD', secretName: 'notifications-smtp', key: 'password' }],
    },
  ],
  // Redis: Sentinel in the cluster (a primary, 2 replicas, 3 Sentinels), so failover is rehearsed in staging.
  // Anti-affinity only preferred: the 2-node group cannot place 3 pods of a role on 3 nodes.
  redis: { mode: 'sentinel', replicas: 2, sentinels: 3, memory: '512Mi', storageGiB: 10, downAfterMilliseconds: 5000 },
};
