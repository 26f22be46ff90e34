import { Testing } from 'cdktf';
import { parse } from 'yaml';
import { PROMETHEUS_SELECTOR_LABELS } from '../../../constructs/core/labels';
import { GRAFANA_DASHBOARD_LABEL, PROMETHEUS_DATASOURCE_UID } from '../../../constructs/monitoring/grafana-dashboard';
import { deepMerge } from '../../../constructs/helm/pinned-release';
import {
  CONTROL_PLANE_SCRAPE_JOBS,
  KubePrometheusStack,
  KubePrometheusStackProps,
} from '../../../constructs/monitoring/kube-prometheus-stack';
import { loadChartDefaults } from '../../support/helm-values';
import { imageBlocks, valueAt } from '../../support/prom-chart-defaults';

const BASE: KubePrometheusStackProps = { namespace: 'monitoring' };

function synth(props: Partial<KubePrometheusStackProps> = {}) {
  const json = JSON.parse(Testing.synthScope((s) => void new KubePrometheusStack(s, 'kps', { ...BASE, ...props })));
  const release = Object.values(json.resource.helm_release)[0] as any;
  return { json, release, values: parse(release.values[0]) };
}

const RECEIVERS: KubePrometheusStackProps['alertmanager'] = {
  credentialsSecretName: 'alertmanager-receivers',
  receivers: [{ kind: 'pagerduty', name: 'oncall', severities: ['critical'], secretKey: 'pagerduty-routing-key' }],
};

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

  test('Grafana by default: no admin Secret to create first; the chart generates the password into <release>-grafana', () => {
    const { values: v, release } = synth();
    expect(v.grafana.admin).toBeUndefined();
    expect(release.values[0]).not.toMatch(/adminPassword/);
    Testing.synthScope((s) => {
      expect(new KubePrometheusStack(s, 'kps', BASE).grafanaAdminSecretName).toBe('kube-prometheus-stack-grafana');
      // The Grafana chart names its objects after the release alone when the release name contains "grafana".
      expect(new KubePrometheusStack(s, 'kps2', { ...BASE, releaseName: 'grafana-stack' }).grafanaAdminSecretName).toBe('grafana-stack');
    });
  });

  test("the vendored chart defaults set no Grafana admin password, so the chart generates one (a chart bump that adds 'prom-operator' fails here)", () => {
    const chart = loadChartDefaults('kube-prometheus-stack');
    const grafana = chart.subcharts.find((c) => c.key === 'grafana')!;
    expect({ parent: valueAt(chart.values, 'grafana.adminPassword'), subchart: grafana.values?.adminPassword }).toEqual({ parent: undefined, subchart: undefined });
    // Neither sets the environment variables that make the chart skip its generated Secret.
    expect(valueAt(chart.effective, 'grafana.env')).toEqual({});
    expect(valueAt(chart.effective, 'grafana.admin.existingSecret')).toBe('');
  });

  test('Grafana with an existing admin Secret (Vault-managed): read from it, no password anywhere', () => {
    const { values: v, release } = synth({ grafana: { adminSecretName: 'grafana-admin', adminPasswordKey: 'password' } });
    expect(v.grafana.admin).toEqual({ existingSecret: 'grafana-admin', userKey: 'admin-user', passwordKey: 'password' });
    expect(release.values[0]).not.toMatch(/adminPassword/);
    Testing.synthScope((s) => {
      expect(new KubePrometheusStack(s, 'kps', { ...BASE, grafana: { adminSecretName: 'grafana-admin' } }).grafanaAdminSecretName).toBe('grafana-admin');
    });
  });

  test('Grafana: sidecar label and datasource uid the dashboards use', () => {
    const v = synth().values;
    expect(v.grafana.sidecar.dashboards).toMatchObject({
      enabled: true,
      label: Object.keys(GRAFANA_DASHBOARD_LABEL)[0],
      labelValue: Object.values(GRAFANA_DASHBOARD_LABEL)[0],
      searchNamespace: 'ALL',
    });
    expect(v.grafana.sidecar.datasources.uid).toBe(PROMETHEUS_DATASOURCE_UID);
  });

  test('receivers: creates their credentials Secret empty (Terraform ignores its data) and installs the release after it', () => {
    const { json, values: v, release } = synth({ alertmanager: RECEIVERS });
    const secrets = json.resource.kubernetes_secret_v1;
    expect(Object.keys(secrets)).toHaveLength(1);
    const [id, secret] = Object.entries(secrets)[0] as [string, any];
    expect(secret).toEqual({
      metadata: { name: 'alertmanager-receivers', namespace: 'monitoring', labels: { 'app.kubernetes.io/managed-by': 'terraform' } },
      type: 'Opaque',
      lifecycle: { ignore_changes: ['data'] },
    });
    expect(release.depends_on).toEqual([`kubernetes_secret_v1.${id}`]);
    expect(v.alertmanager.alertmanagerSpec.secrets).toEqual(['alertmanager-receivers']);
  });

  test('labels go on the receivers Secret; managed-by stays terraform', () => {
    const { json } = synth({ alertmanager: RECEIVERS, labels: { 'platform.example.com/environment': 'prod', 'app.kubernetes.io/managed-by': 'helm' } });
    const [secret] = Object.values(json.resource.kubernetes_secret_v1) as any[];
    expect(secret.metadata.labels).toEqual({ 'platform.example.com/environment': 'prod', 'app.kubernetes.io/managed-by': 'terraform' });
  });

  test('receivers: no Secret is created when something else manages it, but it is still mounted', () => {
    const { json, values: v, release } = synth({ alertmanager: { ...RECEIVERS, createCredentialsSecret: false } });
    expect(json.resource.kubernetes_secret_v1).toBeUndefined();
    expect(release.depends_on).toBeUndefined();
    expect(v.alertmanager.alertmanagerSpec.secrets).toEqual(['alertmanager-receivers']);
  });

  test('no receivers: no credentials Secret created or mounted, even when one is named', () => {
    const { json, values: v } = synth({ alertmanager: { credentialsSecretName: 'alertmanager-receivers' } });
    expect(json.resource.kubernetes_secret_v1).toBeUndefined();
    expect(v.alertmanager.alertmanagerSpec.secrets).toEqual([]);
  });

  test('control plane not scraped by default: its jobs and their rule groups are off (EKS hides them, kind binds 127.0.0.1)', () => {
    const v = synth().values;
    for (const [job, groups] of Object.entries(CONTROL_PLANE_SCRAPE_JOBS)) {
      expect({ job, enabled: v[job].enabled }).toEqual({ job, enabled: false });
      for (const g of groups) expect({ g, on: v.defaultRules.rules[g] }).toEqual({ g, on: false });
    }
    // Nothing else of defaultRules.rules is touched.
    expect(Object.keys(v.defaultRules.rules).sort()).toEqual(Object.values(CONTROL_PLANE_SCRAPE_JOBS).flat().sort());
  });

  test('scrapeControlPlane turns the four jobs and their rule groups on', () => {
    const v = synth({ scrapeControlPlane: true }).values;
    expect(Object.keys(CONTROL_PLANE_SCRAPE_JOBS).map((job) => v[job].enabled)).toEqual([true, true, true, true]);
    expect(Object.values(v.defaultRules.rules)).toEqual(Object.values(CONTROL_PLANE_SCRAPE_JOBS).flat().map(() => true));
  });

  test("disables the chart's crash-loop and HPA alerts, which the platform alerts replace", () => {
    expect(synth().values.defaultRules.disabled).toEqual({ KubePodCrashLooping: true, KubeHpaMaxedOut: true });
  });

  describe('resource requests of every container the release renders', () => {
    // Every image block in the chart's values (sub-charts' too) renders a container, unless it is switched off.
    // Rendered: where its resources are set. Off: the condition that keeps it off, checked on the merged values.
    const RENDERED: Record<string, string> = {
      'alertmanager.alertmanagerSpec.image': 'alertmanager.alertmanagerSpec.resources',
      'prometheus.prometheusSpec.image': 'prometheus.prometheusSpec.resources',
      'prometheusOperator.image': 'prometheusOperator.resources',
      // config-reloader and init-config-reloader in every Prometheus and Alertmanager pod.
      'prometheusOperator.prometheusConfigReloader.image': 'prometheusOperator.prometheusConfigReloader.resources',
      // The admission webhook's certificate Jobs (Helm hooks, run on install and upgrade).
      'prometheusOperator.admissionWebhooks.patch.image': 'prometheusOperator.admissionWebhooks.patch.resources',
      'grafana.image': 'grafana.resources',
      // Dashboard and datasource sidecars share one setting.
      'grafana.sidecar.image': 'grafana.sidecar.resources',
      // The `helm test` pod.
      'grafana.testFramework.image': 'grafana.testFramework.resources',
      'kube-state-metrics.image': 'kube-state-metrics.resources',
      'prometheus-node-exporter.image': 'prometheus-node-exporter.resources',
    };
    const OFF: Record<string, [string, unknown][]> = {
      'crds.upgradeJob.image': [['crds.upgradeJob.enabled', false]],
      'prometheusOperator.admissionWebhooks.deployment.image': [['prometheusOperator.admissionWebhooks.deployment.enabled', false]],
      // The Thanos sidecar comes only with prometheusSpec.thanos.
      'prometheusOperator.thanosImage': [['prometheus.prometheusSpec.thanos', {}]],
      'thanosRuler.thanosRulerSpec.image': [['thanosRuler.enabled', false]],
      // Downloads only dashboards listed in values; ours come through the sidecar.
      'grafana.downloadDashboardsImage': [['grafana.dashboards', {}]],
      // Runs only with persistence.
      'grafana.initChownData.image': [['grafana.persistence.enabled', false]],
      'grafana.imageRenderer.image': [['grafana.imageRenderer.enabled', false]],
      'kube-state-metrics.kubeRBACProxy.image': [['kube-state-metrics.kubeRBACProxy.enabled', false]],
      'prometheus-node-exporter.kubeRBACProxy.image': [['prometheus-node-exporter.kubeRBACProxy.enabled', false]],
      // Runs only when a fix or an extra command is asked for.
      'prometheus-node-exporter.permissionInitContainer.image': [
        ['prometheus-node-exporter.permissionInitContainer.fixes', { rapl: false, slabinfo: false }],
        ['prometheus-node-exporter.permissionInitContainer.extraCommands', []],
      ],
      // A sub-chart that is not vendored, so its image blocks are not listed: it must stay off.
      'prometheus-windows-exporter': [['windowsMonitoring.enabled', false]],
    };
    const chart = loadChartDefaults('kube-prometheus-stack');
    const merged = deepMerge(chart.effective, synth().values);

    test('every image block of the chart is classified as rendered or off', () => {
      expect(imageBlocks(chart.effective).filter((b) => !(b in RENDERED) && !(b in OFF))).toEqual([]);
      expect(chart.subcharts.filter((c) => c.values === undefined).map((c) => c.key)).toEqual(['crds', 'prometheus-windows-exporter']);
    });

    test.each(Object.entries(RENDERED))('%s gets CPU and memory requests (%s)', (_, resources) => {
      expect((valueAt(merged, resources) as any)?.requests).toEqual({ cpu: expect.any(String), memory: expect.any(String) });
    });

    test.each(Object.entries(OFF))('%s stays off', (_, conditions) => {
      expect(conditions.map(([where]) => [where, valueAt(merged, where)])).toEqual(conditions);
    });
  });

  test('extraValues merge last', () => {
    expect(synth({ extraValues: { grafana: { defaultDashboardsEnabled: false } } }).values.grafana).toMatchObject({
      defaultDashboardsEnabled: false,
      sidecar: { dashboards: { enabled: true } },
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
      [
        'a storage class that is no Kubernetes object name',
        { prometheus: { storageClassName: 'GP3_encrypted' } },
        "[stack/kps] 'prometheus.storageClassName' ('GP3_encrypted') must be a DNS subdomain, as Kubernetes object names are: at most 253 characters, dot-separated labels of lower-case letters, digits or -, each starting and ending alphanumeric",
      ],
      ['a bad memory request', { prometheus: { resources: { requests: { cpu: '1', memory: '2GB' } } } }, "[stack/kps] 'prometheus.resources.requests.memory' ('2GB') must be a memory quantity"],
      [
        'a memory limit below the request',
        { grafana: { adminSecretName: 'g', resources: { requests: { cpu: '100m', memory: '1Gi' }, limits: { memory: '512Mi' } } } },
        "[stack/kps] 'grafana.resources.limits.memory' ('512Mi') must be >= resources.requests.memory ('1Gi')",
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
      [
        'a Slack channel with capitals',
        { alertmanager: { credentialsSecretName: 's', receivers: [{ kind: 'slack', name: 'a', severities: ['warning'], channel: '#Alerts', secretKey: 'k' }] } },
        "[stack/kps] 'alertmanager.receivers.a.channel' ('#Alerts') must be a Slack channel such as '#platform-alerts'",
      ],
      ['a Grafana admin Secret that is not a DNS label', { grafana: { adminSecretName: 'Grafana_Admin' } }, "[stack/kps] 'grafana.adminSecretName' ('Grafana_Admin') must be a DNS label"],
      [
        'a Grafana admin Secret key without the Secret',
        { grafana: { adminPasswordKey: 'password' } },
        "[stack/kps] 'grafana.adminPasswordKey' ('password') applies only with grafana.adminSecretName (the generated Secret has fixed keys)",
      ],
      ['a release name over 26 characters', { releaseName: 'kube-prometheus-stack-platform' }, "[stack/kps] 'releaseName' ('kube-prometheus-stack-platform') must be at most 26 characters"],
    ])('fails on %s', (_, props, message) => {
      expect(() => synth(props)).toThrow(message);
    });
  });
});
