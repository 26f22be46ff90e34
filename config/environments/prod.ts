import type { EnvironmentInput } from '../schema';

/** prod: EKS in eu-west-1 over three zones, HA everywhere. */
export const prod: EnvironmentInput = {
  name: 'prod',
  tier: 'production',
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
  // One trace in ten, parent-based: a sampled request stays sampled across every app it touches.
  appTelemetry: { otlpEndpoint: 'http://jaeger-collector.tracing.svc.cluster.local:4317', samplingRatio: 0.1 },
  // At least 2 pods per app (3 for the request path, one per zone, spread required), room to scale about 4x.
  apps: [
    {
      name: 'api',
      image: 'ghcr.io/example/platform-api:2.3.1',
      minReplicas: 3,
      maxReplicas: 12,
      resources: { requests: { cpu: '500m', memory: '512Mi' }, limits: { cpu: '2', memory: '1Gi' } },
      zoneSpread: 'required',
      allowFrom: { gateway: true },
      configMaps: ['api-config'],
      // Scale up fast on a traffic spike; the defaults already scale down slowly.
      scaleUp: { maxPodsPerPeriod: 6 },
    },
    {
      name: 'payments',
      image: 'ghcr.io/example/payments-api:1.4.2',
      minReplicas: 3,
      maxReplicas: 10,
      resources: { requests: { cpu: '500m', memory: '512Mi' }, limits: { cpu: '2', memory: '1Gi' } },
      zoneSpread: 'required',
      allowFrom: { apps: ['api'] },
      configMaps: ['payments-config'],
      secretEnv: [
        { name: 'DATABASE_PASSWORD', secretName: 'payments-db', key: 'password' },
        { name: 'PSP_API_KEY', secretName: 'payments-psp', key: 'api-key' },
      ],
      // In-flight payments must finish: a longer drain than the default 30 s.
      terminationGracePeriodSeconds: 60,
    },
    {
      name: 'analytics',
      image: 'ghcr.io/example/business-analytics:0.9.0',
      minReplicas: 2,
      maxReplicas: 8,
      resources: { requests: { cpu: '1', memory: '2Gi' }, limits: { memory: '4Gi' } },
      scaleOn: { cpuUtilizationPercent: 75 },
      allowFrom: { apps: ['api'] },
      secretEnv: [{ name: 'WAREHOUSE_PASSWORD', secretName: 'analytics-warehouse', key: 'password' }],
    },
    {
      name: 'notifications',
      image: 'ghcr.io/example/notifications:3.1.0',
      minReplicas: 2,
      maxReplicas: 8,
      resources: { requests: { cpu: '250m', memory: '256Mi' }, limits: { memory: '512Mi' } },
      allowFrom: { apps: ['api', 'payments'] },
      secretEnv: [{ name: 'SMTP_PASSWORD', secretName: 'notifications-smtp', key: 'password' }],
    },
  ],
  // Redis: ElastiCache (Multi-AZ over the 3 zones, a primary and 2 replicas, AWS runs the failover); staging runs
  // Sentinel in the cluster, so both paths are synthesised and checked.
  redis: { mode: 'managed', nodeType: 'cache.r7g.large', engineVersion: '7.1', replicas: 2, snapshotRetentionDays: 14 },
};
