import { Testing } from 'cdktf';
import { parse } from 'yaml';
import { PROMETHEUS_SELECTOR_LABELS } from '../../../constructs/core/labels';
import { GRAFANA_DASHBOARD_LABEL, PROMETHEUS_DATASOURCE_UID } from '../../../constructs/monitoring/grafana-dashboard';
import { KubePrometheusStack, KubePrometheusStackProps } from '../../../constructs/monitoring/kube-prometheus-stack';

const BASE: KubePrometheusStackProps = { namespace: 'monitoring', grafana: { adminSecretName: 'grafana-admin' } };

function synth(props: Partial<KubePrometheusStackProps> = {}) {
  const json = JSON.parse(Testing.synthScope((s) => void new KubePrometheusStack(s, 'kps', { ...BASE, ...props })));
  const release = Object.values(json.resource.helm_release)[0] as any;
  return { release, values: parse(release.values[0]) };
}

const SELECTOR = { matchLabels: { ...PROMETHEUS_SELECTOR_LABELS } };

describe('KubePrometheusStack', () => {
  test('installs the pinned chart into the given namespace, atomically, without creating the namespace', () => {
    const { release } = synth();
    expect(release).toMatchObject({
      name: 'kube-prometheus-stack',
      namespace: 'monitoring',
      chart: 'kube-prometheus-stack',
      version: '88.5.3',
      repository: 'https://prometheus-community.github.io/helm-charts',
      create_namespace: false,
      atomic: true,
    });
  });

  test("selects the project's monitors and rules by the selector label, in every namespace", () => {
    const spec = synth().values.prometheus.prometheusSpec;
    for (const kind of ['serviceMonitor', 'podMonitor', 'probe', 'rule']) {
      expect({ kind, nil: spec[`${kind}SelectorNilUsesHelmValues`], selector: spec[`${kind}Selector`], ns: spec[`${kind}NamespaceSelector`] }).toEqual({
        kind,
        nil: false,
        selector: SELECTOR,
        ns: {},
      });
    }
  });

  test("puts the selector label on the chart's own monitors and rules, so narrowing the selector keeps them", () => {
    const v = synth().values;
    expect(v.commonLabels).toEqual(PROMETHEUS_SELECTOR_LABELS);
    expect(v.grafana.serviceMonitor.labels).toEqual(PROMETHEUS_SELECTOR_LABELS);
    expect(v['kube-state-metrics'].prometheus.monitor.additionalLabels).toEqual(PROMETHEUS_SELECTOR_LABELS);
    expect(v['prometheus-node-exporter'].prometheus.monitor.additionalLabels).toEqual(PROMETHEUS_SELECTOR_LABELS);
  });

  test('renders values without YAML anchors or aliases (shared objects are copied)', () => {
    expect(synth().release.values[0]).not.toMatch(/[&*]a\d+/);
  });

  test('defaults: one Prometheus with 10 days on a 50 GiB volume (capped at 85%), one Alertmanager with no receivers', () => {
    const v = synth().values;
    expect(v.prometheus.prometheusSpec).toMatchObject({
      replicas: 1,
      retention: '10d',
      retentionSize: '42GiB',
      podAntiAffinity: 'soft',
      resources: { requests: { cpu: '500m', memory: '2Gi' }, limits: { memory: '4Gi' } },
      storageSpec: { volumeClaimTemplate: { spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '50Gi' } } } } },
    });
    expect(v.prometheus.prometheusSpec.storageSpec.volumeClaimTemplate.spec.storageClassName).toBeUndefined();
    expect(v.prometheus.podDisruptionBudget.enabled).toBe(false);
    expect(v.alertmanager.alertmanagerSpec).toMatchObject({ replicas: 1, secrets: [] });
    expect(v.alertmanager.config.receivers).toEqual([{ name: 'null' }]);
    expect(v.alertmanager.config.route.receiver).toBe('null');
  });

  test('HA: two Prometheus replicas get hard anti-affinity and a disruption budget; so does a clustered Alertmanager', () => {
    const v = synth({ prometheus: { replicas: 2, retentionDays: 30, storageGiB: 200, storageClassName: 'gp3' }, alertmanager: { replicas: 3 } }).values;
    expect(v.prometheus.prometheusSpec).toMatchObject({ replicas: 2, retention: '30d', retentionSize: '170GiB', podAntiAffinity: 'hard' });
    expect(v.prometheus.prometheusSpec.storageSpec.volumeClaimTemplate.spec.storageClassName).toBe('gp3');
    expect(v.prometheus.podDisruptionBudget).toEqual({ enabled: true, minAvailable: 1 });
    expect(v.alertmanager.alertmanagerSpec).toMatchObject({ replicas: 3, podAntiAffinity: 'hard' });
    expect(v.alertmanager.podDisruptionBudget).toEqual({ enabled: true, minAvailable: 1 });
  });

  test('receivers read their credentials from files of the mounted Secret, routed by severity', () => {
    const { values: v, release } = synth({
      alertmanager: {
        credentialsSecretName: 'alertmanager-receivers',
        receivers: [
          { kind: 'pagerduty', name: 'oncall', severities: ['critical'], secretKey: 'pagerduty-routing-key' },
          { kind: 'slack', name: 'team', severities: ['critical', 'warning'], channel: '#alerts', secretKey: 'slack-url' },
          { kind: 'webhook', name: 'hook', severities: ['info'], secretKey: 'hook-url' },
        ],
      },
    });
    expect(v.alertmanager.alertmanagerSpec.secrets).toEqual(['alertmanager-receivers']);
    const dir = '/etc/alertmanager/secrets/alertmanager-receivers';
    expect(v.alertmanager.config.receivers).toEqual([
      { name: 'null' },
      { name: 'oncall', pagerduty_configs: [{ routing_key_file: `${dir}/pagerduty-routing-key`, send_resolved: true }] },
      { name: 'team', slack_configs: [expect.objectContaining({ api_url_file: `${dir}/slack-url`, channel: '#alerts', send_resolved: true })] },
      { name: 'hook', webhook_configs: [{ url_file: `${dir}/hook-url`, send_resolved: true }] },
    ]);
    expect(v.alertmanager.config.route.routes).toEqual([
      { receiver: 'null', matchers: ['alertname = "Watchdog"'] },
      { receiver: 'oncall', matchers: ['severity =~ "critical"'], continue: true },
      { receiver: 'team', matchers: ['severity =~ "critical|warning"'], continue: true },
      { receiver: 'hook', matchers: ['severity =~ "info"'], continue: true },
    ]);
    // Nothing that looks like a credential: only file paths.
    expect(release.values[0]).not.toMatch(/\bapi_url:|\brouting_key:|\bservice_key:|\burl:|adminPassword:/);
  });

  test('Grafana: admin from the existing Secret, no password anywhere; sidecar label and datasource uid the dashboards use', () => {
    const { values: v, release } = synth({ grafana: { adminSecretName: 'grafana-admin', adminPasswordKey: 'password' } });
    expect(v.grafana.admin).toEqual({ existingSecret: 'grafana-admin', userKey: 'admin-user', passwordKey: 'password' });
    expect(v.grafana.adminPassword).toBeUndefined();
    expect(release.values[0]).not.toMatch(/adminPassword/);
    expect(v.grafana.sidecar.dashboards).toMatchObject({
      enabled: true,
      label: Object.keys(GRAFANA_DASHBOARD_LABEL)[0],
      labelValue: Object.values(GRAFANA_DASHBOARD_LABEL)[0],
      searchNamespace: 'ALL',
    });
    expect(v.grafana.sidecar.datasources.uid).toBe(PROMETHEUS_DATASOURCE_UID);
  });

  test("disables the chart's crash-loop and HPA alerts, which the platform alerts replace", () => {
    expect(synth().values.defaultRules.disabled).toEqual({ KubePodCrashLooping: true, KubeHpaMaxedOut: true });
  });

  test('every component gets resource requests', () => {
    const v = synth().values;
    for (const r of [v.prometheus.prometheusSpec.resources, v.alertmanager.alertmanagerSpec.resources, v.grafana.resources, v.prometheusOperator.resources, v['kube-state-metrics'].resources, v['prometheus-node-exporter'].resources]) {
      expect(r.requests).toEqual({ cpu: expect.any(String), memory: expect.any(String) });
    }
  });

  test('extraValues merge last', () => {
    expect(synth({ extraValues: { grafana: { defaultDashboardsEnabled: false } } }).values.grafana).toMatchObject({
      defaultDashboardsEnabled: false,
      admin: { existingSecret: 'grafana-admin' },
    });
  });

  test('exposes in-cluster URLs', () => {
    Testing.synthScope((s) => {
      const k = new KubePrometheusStack(s, 'kps', BASE);
      expect(k.prometheusUrl).toBe('http://kube-prometheus-stack-prometheus.monitoring.svc:9090');
      expect(k.alertmanagerUrl).toBe('http://kube-prometheus-stack-alertmanager.monitoring.svc:9093');
      expect(k.grafanaServiceName).toBe('kube-prometheus-stack-grafana');
    });
  });

  describe('validation', () => {
    test.each<[string, Partial<KubePrometheusStackProps>, string]>([
      ['a Prometheus replica count out of range', { prometheus: { replicas: 0 } }, "[stack/kps] 'prometheus.replicas' (0) must be an integer from 1 to 5"],
      ['a retention of 0 days', { prometheus: { retentionDays: 0 } }, "[stack/kps] 'prometheus.retentionDays' (0) must be an integer from 1 to 365"],
      ['a bad memory request', { prometheus: { resources: { requests: { cpu: '1', memory: '2GB' } } } }, "[stack/kps] 'prometheus.resources.requests.memory' ('2GB') must be a memory quantity"],
      [
        'a memory limit below the request',
        { grafana: { adminSecretName: 'g', resources: { requests: { cpu: '100m', memory: '1Gi' }, limits: { memory: '512Mi' } } } },
        "[stack/kps] 'grafana.resources.limits.memory' ('512Mi') must be >= requests.memory ('1Gi')",
      ],
      [
        'receivers without a credentials Secret',
        { alertmanager: { receivers: [{ kind: 'pagerduty', name: 'oncall', severities: ['critical'], secretKey: 'k' }] } },
        "[stack/kps] 'alertmanager.credentialsSecretName' (undefined) is required when there are receivers (their credentials live in it)",
      ],
      [
        'a receiver named null',
        { alertmanager: { credentialsSecretName: 's', receivers: [{ kind: 'webhook', name: 'null', severities: ['info'], secretKey: 'k' }] } },
        "[stack/kps] 'alertmanager.receivers.null.name' ('null') is reserved for the receiver that drops alerts",
      ],
      [
        'two receivers with one name',
        {
          alertmanager: {
            credentialsSecretName: 's',
            receivers: [
              { kind: 'webhook', name: 'a', severities: ['info'], secretKey: 'k' },
              { kind: 'webhook', name: 'a', severities: ['warning'], secretKey: 'k' },
            ],
          },
        },
        "[stack/kps] 'alertmanager.receivers.a.name' ('a') must be unique among receivers",
      ],
      [
        'an unknown severity',
        { alertmanager: { credentialsSecretName: 's', receivers: [{ kind: 'webhook', name: 'a', severities: ['page'], secretKey: 'k' }] } },
        `[stack/kps] 'alertmanager.receivers.a.severities' (["page"]) must list one or more of critical, warning, info`,
      ],
      [
        'a Slack channel without #',
        { alertmanager: { credentialsSecretName: 's', receivers: [{ kind: 'slack', name: 'a', severities: ['warning'], channel: 'alerts', secretKey: 'k' }] } },
        "[stack/kps] 'alertmanager.receivers.a.channel' ('alerts') must be a Slack channel such as '#platform-alerts'",
      ],
      ['a Grafana admin Secret that is not a DNS label', { grafana: { adminSecretName: 'Grafana_Admin' } }, "[stack/kps] 'grafana.adminSecretName' ('Grafana_Admin') must be a DNS label"],
      ['a release name over 26 characters', { releaseName: 'kube-prometheus-stack-platform' }, "[stack/kps] 'releaseName' ('kube-prometheus-stack-platform') must be at most 26 characters"],
    ])('fails on %s', (_, props, message) => {
      expect(() => synth(props)).toThrow(message);
    });
  });
});
