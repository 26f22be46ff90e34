import { SecretV1 } from '@cdktf/provider-kubernetes/lib/secret-v1';
import { ITerraformDependable, TerraformProvider } from 'cdktf';
import { Construct } from 'constructs';
import { fail } from '../core/errors';
import { PROMETHEUS_SELECTOR_LABELS, terraformObjectLabels } from '../core/labels';
import { assertResources } from '../core/quantity';
import { assertDnsLabel, assertDnsSubdomain, assertInt, assertSecretKey } from '../core/validate';
import { CHARTS } from '../helm/catalogue';
import { PinnedHelmRelease } from '../helm/pinned-release';
import { GRAFANA_DASHBOARD_LABEL, PROMETHEUS_DATASOURCE_UID } from './grafana-dashboard';
import { SLACK_CHANNEL_RULE, isSlackChannel } from './rules';

/** Requests (always) and limits (optional) of one container, as Kubernetes quantities. */
export interface ContainerResources {
  readonly requests: { readonly cpu: string; readonly memory: string };
  /**
   * Limits; a memory limit is advised, a CPU limit usually is not (throttling).
   * @default no limits
   */
  readonly limits?: { readonly cpu?: string; readonly memory?: string };
}

/** Where Alertmanager sends alerts of some severities; its credential is a key of the receivers' Secret. */
export type AlertmanagerReceiver =
  | {
      readonly kind: 'slack';
      /** Receiver name (a DNS label, not `null`). */
      readonly name: string;
      /** Severities routed here (`critical`, `warning`, `info`). */
      readonly severities: readonly string[];
      /** Slack channel, `#name`. */
      readonly channel: string;
      /** Key of the credentials Secret holding the incoming-webhook URL. */
      readonly secretKey: string;
    }
  | {
      readonly kind: 'pagerduty';
      readonly name: string;
      readonly severities: readonly string[];
      /** Key of the credentials Secret holding the Events API v2 routing key. */
      readonly secretKey: string;
    }
  | {
      readonly kind: 'webhook';
      readonly name: string;
      readonly severities: readonly string[];
      /** Key of the credentials Secret holding the webhook URL (it may carry a token). */
      readonly secretKey: string;
    };

/** Prometheus settings. */
export interface PrometheusSettings {
  /**
   * Prometheus pods; each scrapes everything (a replicated pair, not shards), so 2 survives the loss of one.
   * @default 1
   */
  readonly replicas?: number;
  /**
   * Days of samples kept.
   * @default 10
   */
  readonly retentionDays?: number;
  /**
   * Size of each pod's persistent volume.
   * @default 50
   */
  readonly storageGiB?: number;
  /**
   * Storage class of the volumes.
   * @default the cluster's default storage class
   */
  readonly storageClassName?: string;
  /**
   * Container resources.
   * @default requests 500m CPU and 2Gi memory, memory limit 4Gi
   */
  readonly resources?: ContainerResources;
}

/** Alertmanager settings. */
export interface AlertmanagerSettings {
  /**
   * Alertmanager pods, clustered (they deduplicate notifications between them).
   * @default 1
   */
  readonly replicas?: number;
  /**
   * Container resources.
   * @default requests 50m CPU and 128Mi memory, memory limit 256Mi
   */
  readonly resources?: ContainerResources;
  /**
   * Where alerts go, by severity. A severity no receiver takes goes nowhere (the `null` receiver).
   * @default no receivers: alerts show in Alertmanager's UI only
   */
  readonly receivers?: readonly AlertmanagerReceiver[];
  /**
   * Secret in the release namespace holding every receiver's `secretKey`. It is mounted into the pods at
   * `/etc/alertmanager/secrets/<name>/` and the configuration names files there, never the credential itself.
   * Alertmanager reads those files when it sends a notification, not at start, so it runs before the keys exist.
   * @default none; required when there are receivers
   */
  readonly credentialsSecretName?: string;
  /**
   * Create that Secret (empty, as a Terraform `kubernetes_secret_v1` whose `data` Terraform then ignores) so that
   * the first deploy needs no manual step; operators or Vault fill the keys later. Turn off when something else
   * (External Secrets, Vault Secrets Operator) creates the whole Secret before the release.
   * @default true (only when there are receivers)
   */
  readonly createCredentialsSecret?: boolean;
}

/** Grafana settings. */
export interface GrafanaSettings {
  /**
   * Existing Secret in the release namespace holding the admin user and password (for example one Vault or External
   * Secrets manages). It must exist before the release is installed.
   * @default the Grafana chart generates a random 40-character password into Secret `<release>-grafana` (keys
   *   `admin-user`, `admin-password`) on first install and keeps it on upgrades; see `grafanaAdminSecretName`
   */
  readonly adminSecretName?: string;
  /**
   * Key of the admin user name in `adminSecretName` (only with it).
   * @default 'admin-user'
   */
  readonly adminUserKey?: string;
  /**
   * Key of the admin password in `adminSecretName` (only with it).
   * @default 'admin-password'
   */
  readonly adminPasswordKey?: string;
  /**
   * Container resources.
   * @default requests 100m CPU and 256Mi memory, memory limit 512Mi
   */
  readonly resources?: ContainerResources;
}

/** Properties of `KubePrometheusStack`. */
export interface KubePrometheusStackProps {
  /** Namespace of the release (created by the platform stack, with `privileged` Pod Security for node-exporter). */
  readonly namespace: string;
  /**
   * Helm release name; object names derive from it (`<release>-prometheus`, `<release>-grafana`).
   * @default 'kube-prometheus-stack'
   */
  readonly releaseName?: string;
  /** @default see `PrometheusSettings` */
  readonly prometheus?: PrometheusSettings;
  /** @default see `AlertmanagerSettings` */
  readonly alertmanager?: AlertmanagerSettings;
  /** @default see `GrafanaSettings` */
  readonly grafana?: GrafanaSettings;
  /**
   * Scrape the control plane (kube-controller-manager, kube-scheduler, etcd) and kube-proxy, and keep the chart's
   * rule groups about them (`KubeControllerManagerDown`, `KubeSchedulerDown`, `KubeProxyDown`, the etcd alerts).
   * Managed control planes (EKS, GKE, AKS) hide these targets, and kind or kubeadm bind them to 127.0.0.1: there
   * the "down" alerts would fire forever. Turn on only where Prometheus can reach all four.
   * @default false
   */
  readonly scrapeControlPlane?: boolean;
  /**
   * Escape hatch: chart values deep-merged over the typed ones, last. Every key must exist in the chart's defaults
   * (the values key check fails otherwise). Prefer adding a typed prop.
   * @default no extra values
   */
  readonly extraValues?: Record<string, unknown>;
  /** @default the stack's default helm provider */
  readonly provider?: TerraformProvider;
  /**
   * Provider of the receivers' credentials Secret.
   * @default the stack's default kubernetes provider
   */
  readonly kubernetesProvider?: TerraformProvider;
  /**
   * Labels of the Kubernetes objects this construct creates itself (the receivers' credentials Secret), such as the
   * environment's; `app.kubernetes.io/managed-by: terraform` is always set. The chart labels its own objects.
   * @default only `app.kubernetes.io/managed-by: terraform`
   */
  readonly labels?: Readonly<Record<string, string>>;
  /**
   * Resources that must exist first (the namespace).
   * @default none
   */
  readonly dependsOn?: ITerraformDependable[];
}

/** Where `alertmanagerSpec.secrets` mounts a Secret inside the Alertmanager pods. */
export const ALERTMANAGER_SECRETS_DIR = '/etc/alertmanager/secrets';

/**
 * Alert rules of the chart's defaults that the project's own rules replace (`PlatformAlerts`), so that one problem
 * pages once, with the project's runbook.
 */
export const REPLACED_DEFAULT_ALERTS = ['KubePodCrashLooping', 'KubeHpaMaxedOut'] as const;

/**
 * The chart's scrape jobs that `scrapeControlPlane` switches, each with the `defaultRules.rules` groups that alert
 * on (or record from) that job (the chart renders those groups only when both are on; both are set, so that either
 * one read alone tells the truth).
 */
export const CONTROL_PLANE_SCRAPE_JOBS = {
  kubeControllerManager: ['kubeControllerManager'],
  kubeScheduler: ['kubeSchedulerAlerting', 'kubeSchedulerRecording'],
  kubeEtcd: ['etcd'],
  kubeProxy: ['kubeProxy'],
} as const;

/**
 * Requests of the chart's small helper containers, which the chart leaves without any: Grafana's dashboard and
 * datasource sidecars, the operator's config-reloader (beside every Prometheus and Alertmanager), the admission
 * webhook's certificate jobs and Grafana's `helm test` pod.
 */
export const HELPER_RESOURCES = {
  grafanaSidecar: { requests: { cpu: '20m', memory: '96Mi' }, limits: { memory: '192Mi' } },
  configReloader: { requests: { cpu: '10m', memory: '50Mi' }, limits: { memory: '100Mi' } },
  admissionWebhookJob: { requests: { cpu: '10m', memory: '32Mi' }, limits: { memory: '64Mi' } },
  grafanaTest: { requests: { cpu: '10m', memory: '32Mi' }, limits: { memory: '64Mi' } },
} as const satisfies Record<string, ContainerResources>;

const SEVERITIES = ['critical', 'warning', 'info'];

/**
 * kube-prometheus-stack: the Prometheus operator, Prometheus, Alertmanager, Grafana, kube-state-metrics and
 * node-exporter. Prometheus selects ServiceMonitors, PodMonitors, Probes and PrometheusRules by
 * `PROMETHEUS_SELECTOR_LABELS` in every namespace, and the chart's own objects carry that label too. Grafana's
 * dashboard sidecar loads ConfigMaps labelled `GRAFANA_DASHBOARD_LABEL` from every namespace.
 */
export class KubePrometheusStack extends Construct {
  public readonly helm: PinnedHelmRelease;
  /** Helm release name. */
  public readonly releaseName: string;
  /** In-cluster URL of Prometheus (its Service). */
  public readonly prometheusUrl: string;
  /** In-cluster URL of Alertmanager. */
  public readonly alertmanagerUrl: string;
  /** Name of Grafana's Service (port 80). */
  public readonly grafanaServiceName: string;
  /**
   * Secret holding Grafana's admin user and password: `grafana.adminSecretName`, else the one the chart generates
   * (`<release>-grafana`, keys `admin-user` and `admin-password`).
   */
  public readonly grafanaAdminSecretName: string;
  /** The receivers' credentials Secret this construct creates (empty; Terraform ignores its data), if any. */
  public readonly credentialsSecret?: SecretV1;

  constructor(scope: Construct, id: string, props: KubePrometheusStackProps) {
    super(scope, id);
    const releaseName = props.releaseName ?? 'kube-prometheus-stack';
    const prom = {
      replicas: props.prometheus?.replicas ?? 1,
      retentionDays: props.prometheus?.retentionDays ?? 10,
      storageGiB: props.prometheus?.storageGiB ?? 50,
      storageClassName: props.prometheus?.storageClassName,
      resources: props.prometheus?.resources ?? { requests: { cpu: '500m', memory: '2Gi' }, limits: { memory: '4Gi' } },
    };
    const am = {
      replicas: props.alertmanager?.replicas ?? 1,
      resources: props.alertmanager?.resources ?? { requests: { cpu: '50m', memory: '128Mi' }, limits: { memory: '256Mi' } },
      receivers: props.alertmanager?.receivers ?? [],
      credentialsSecretName: props.alertmanager?.credentialsSecretName,
      createCredentialsSecret: props.alertmanager?.createCredentialsSecret ?? true,
    };
    const grafana = {
      adminSecretName: props.grafana?.adminSecretName,
      adminUserKey: props.grafana?.adminUserKey,
      adminPasswordKey: props.grafana?.adminPasswordKey,
      resources: props.grafana?.resources ?? { requests: { cpu: '100m', memory: '256Mi' }, limits: { memory: '512Mi' } },
    };
    const scrapeControlPlane = props.scrapeControlPlane ?? false;
    const hasReceivers = am.receivers.length > 0;
    // The Grafana chart's full name: the release name alone when it already contains "grafana".
    const grafanaFullName = releaseName.includes('grafana') ? releaseName : `${releaseName}-grafana`;

    assertDnsLabel(this, 'namespace', props.namespace);
    // The chart truncates its full name to 26 characters; a longer release name would give surprising object names.
    if (releaseName.length > 26) fail(this, 'releaseName', releaseName, 'must be at most 26 characters (the chart truncates longer names)');
    assertInt(this, 'prometheus.replicas', prom.replicas, 1, 5);
    assertInt(this, 'prometheus.retentionDays', prom.retentionDays, 1, 365);
    assertInt(this, 'prometheus.storageGiB', prom.storageGiB, 2, 16384);
    if (prom.storageClassName !== undefined) assertDnsSubdomain(this, 'prometheus.storageClassName', prom.storageClassName);
    assertResources(this, 'prometheus.resources', prom.resources);
    assertInt(this, 'alertmanager.replicas', am.replicas, 1, 5);
    assertResources(this, 'alertmanager.resources', am.resources);
    this.assertReceivers(am.receivers, am.credentialsSecretName);
    if (grafana.adminSecretName !== undefined) assertDnsLabel(this, 'grafana.adminSecretName', grafana.adminSecretName);
    for (const [field, key] of [['grafana.adminUserKey', grafana.adminUserKey], ['grafana.adminPasswordKey', grafana.adminPasswordKey]] as const) {
      if (key === undefined) continue;
      if (grafana.adminSecretName === undefined) fail(this, field, key, 'applies only with grafana.adminSecretName (the generated Secret has fixed keys)');
      assertSecretKey(this, field, key);
    }
    assertResources(this, 'grafana.resources', grafana.resources);

    // A fresh object per use: the YAML renderer would turn a shared object into anchors and aliases.
    const selector = () => ({ matchLabels: { ...PROMETHEUS_SELECTOR_LABELS } });
    // Keep a little headroom on the volume: when the TSDB reaches this size Prometheus drops the oldest blocks,
    // instead of failing on a full disk.
    const retentionSizeGiB = Math.max(1, Math.floor(prom.storageGiB * 0.85));
    const values: Record<string, unknown> = {
      // On every object the chart makes (its ServiceMonitors and default PrometheusRules included), so that the
      // selectors below, which match only this label, still pick up the chart's own monitoring.
      commonLabels: { ...PROMETHEUS_SELECTOR_LABELS },
      defaultRules: {
        create: true,
        rules: Object.fromEntries(Object.values(CONTROL_PLANE_SCRAPE_JOBS).flatMap((groups) => groups.map((g) => [g, scrapeControlPlane]))),
        disabled: Object.fromEntries(REPLACED_DEFAULT_ALERTS.map((a) => [a, true])),
      },
      ...Object.fromEntries(Object.keys(CONTROL_PLANE_SCRAPE_JOBS).map((job) => [job, { enabled: scrapeControlPlane }])),
      prometheus: {
        podDisruptionBudget: { enabled: prom.replicas > 1, minAvailable: 1 },
        prometheusSpec: {
          replicas: prom.replicas,
          retention: `${prom.retentionDays}d`,
          retentionSize: `${retentionSizeGiB}GiB`,
          resources: prom.resources,
          podAntiAffinity: prom.replicas > 1 ? 'hard' : 'soft',
          storageSpec: {
            volumeClaimTemplate: {
              spec: {
                ...(prom.storageClassName !== undefined ? { storageClassName: prom.storageClassName } : {}),
                accessModes: ['ReadWriteOnce'],
                resources: { requests: { storage: `${prom.storageGiB}Gi` } },
              },
            },
          },
          // The project's objects, in any namespace ({} namespace selectors select all namespaces).
          serviceMonitorSelectorNilUsesHelmValues: false,
          serviceMonitorSelector: selector(),
          serviceMonitorNamespaceSelector: {},
          podMonitorSelectorNilUsesHelmValues: false,
          podMonitorSelector: selector(),
          podMonitorNamespaceSelector: {},
          probeSelectorNilUsesHelmValues: false,
          probeSelector: selector(),
          probeNamespaceSelector: {},
          ruleSelectorNilUsesHelmValues: false,
          ruleSelector: selector(),
          ruleNamespaceSelector: {},
        },
      },
      alertmanager: {
        podDisruptionBudget: { enabled: am.replicas > 1, minAvailable: 1 },
        alertmanagerSpec: {
          replicas: am.replicas,
          resources: am.resources,
          podAntiAffinity: am.replicas > 1 ? 'hard' : 'soft',
          // Mounted only when a receiver reads it: a missing Secret would keep the pods from starting.
          secrets: hasReceivers && am.credentialsSecretName !== undefined ? [am.credentialsSecretName] : [],
        },
        config: alertmanagerConfig(am.receivers, am.credentialsSecretName),
      },
      grafana: {
        // No password in values, ever. Without an existing Secret the chart (88.5.3 sets no adminPassword; the test
        // on the vendored defaults keeps it that way) generates a random one into <release>-grafana on first install
        // and reads it back from that Secret on every upgrade.
        ...(grafana.adminSecretName !== undefined
          ? {
              admin: {
                existingSecret: grafana.adminSecretName,
                userKey: grafana.adminUserKey ?? 'admin-user',
                passwordKey: grafana.adminPasswordKey ?? 'admin-password',
              },
            }
          : {}),
        resources: grafana.resources,
        testFramework: { resources: { ...HELPER_RESOURCES.grafanaTest } },
        serviceMonitor: { enabled: true, labels: { ...PROMETHEUS_SELECTOR_LABELS } },
        sidecar: {
          dashboards: {
            enabled: true,
            label: Object.keys(GRAFANA_DASHBOARD_LABEL)[0],
            labelValue: Object.values(GRAFANA_DASHBOARD_LABEL)[0],
            searchNamespace: 'ALL',
          },
          // Dashboards reference the Prometheus datasource by this uid.
          datasources: { uid: PROMETHEUS_DATASOURCE_UID },
          // One setting for every sidecar container (dashboards, datasources).
          resources: { ...HELPER_RESOURCES.grafanaSidecar },
        },
      },
      prometheusOperator: {
        resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '256Mi' } },
        // The operator passes these to every config-reloader and init-config-reloader it adds to Prometheus and
        // Alertmanager pods.
        prometheusConfigReloader: { resources: { ...HELPER_RESOURCES.configReloader } },
        // The pre/post-install Jobs that create and patch the webhook's TLS certificate.
        admissionWebhooks: { patch: { resources: { ...HELPER_RESOURCES.admissionWebhookJob } } },
      },
      'kube-state-metrics': {
        resources: { requests: { cpu: '50m', memory: '128Mi' }, limits: { memory: '256Mi' } },
        prometheus: { monitor: { additionalLabels: { ...PROMETHEUS_SELECTOR_LABELS } } },
      },
      'prometheus-node-exporter': {
        resources: { requests: { cpu: '50m', memory: '64Mi' }, limits: { memory: '128Mi' } },
        prometheus: { monitor: { additionalLabels: { ...PROMETHEUS_SELECTOR_LABELS } } },
      },
    };

    // The receivers' Secret, created empty so the Alertmanager pods can mount it on the first install; its keys are
    // filled later (operators, Vault), and Terraform neither holds nor overwrites them.
    if (hasReceivers && am.createCredentialsSecret) {
      this.credentialsSecret = new SecretV1(this, 'ReceiversSecret', {
        metadata: { name: am.credentialsSecretName!, namespace: props.namespace, labels: terraformObjectLabels(props.labels) },
        type: 'Opaque',
        lifecycle: { ignoreChanges: ['data'] },
        provider: props.kubernetesProvider,
        dependsOn: props.dependsOn,
      });
    }

    this.helm = new PinnedHelmRelease(this, 'Helm', {
      chart: CHARTS.kubePrometheusStack,
      releaseName,
      namespace: props.namespace,
      values,
      extraValues: props.extraValues,
      // First install pulls several images and waits for the CRDs, the operator and Prometheus.
      timeoutSeconds: 900,
      provider: props.provider,
      dependsOn: this.credentialsSecret ? [...(props.dependsOn ?? []), this.credentialsSecret] : props.dependsOn,
    });
    this.releaseName = releaseName;
    this.prometheusUrl = `http://${releaseName}-prometheus.${props.namespace}.svc:9090`;
    this.alertmanagerUrl = `http://${releaseName}-alertmanager.${props.namespace}.svc:9093`;
    this.grafanaServiceName = grafanaFullName;
    this.grafanaAdminSecretName = grafana.adminSecretName ?? grafanaFullName;
  }

  private assertReceivers(receivers: readonly AlertmanagerReceiver[], secretName: string | undefined): void {
    const names = new Set<string>();
    for (const r of receivers) {
      const where = `alertmanager.receivers.${r.name}`;
      assertDnsLabel(this, `${where}.name`, r.name);
      if (r.name === 'null') fail(this, `${where}.name`, r.name, "is reserved for the receiver that drops alerts");
      if (names.has(r.name)) fail(this, `${where}.name`, r.name, 'must be unique among receivers');
      names.add(r.name);
      if (r.severities.length === 0 || r.severities.some((s) => !SEVERITIES.includes(s))) {
        fail(this, `${where}.severities`, r.severities, `must list one or more of ${SEVERITIES.join(', ')}`);
      }
      assertSecretKey(this, `${where}.secretKey`, r.secretKey);
      if (r.kind === 'slack' && !isSlackChannel(r.channel)) fail(this, `${where}.channel`, r.channel, SLACK_CHANNEL_RULE);
    }
    if (receivers.length > 0 && secretName === undefined) {
      fail(this, 'alertmanager.credentialsSecretName', secretName, 'is required when there are receivers (their credentials live in it)');
    }
    if (secretName !== undefined) assertDnsLabel(this, 'alertmanager.credentialsSecretName', secretName);
  }
}

/**
 * Alertmanager's configuration. Credentials are read from files of the mounted Secret (`api_url_file`,
 * `routing_key_file`, `url_file`), so the rendered configuration (which the chart stores in a Secret of its own)
 * holds paths only. Routes match on `severity`; `continue` lets one alert reach every receiver of its severity.
 */
export function alertmanagerConfig(receivers: readonly AlertmanagerReceiver[], secretName: string | undefined): Record<string, unknown> {
  const file = (key: string) => `${ALERTMANAGER_SECRETS_DIR}/${secretName}/${key}`;
  return {
    global: { resolve_timeout: '5m' },
    route: {
      receiver: 'null',
      group_by: ['namespace', 'alertname'],
      group_wait: '30s',
      group_interval: '5m',
      repeat_interval: '12h',
      routes: [
        // The chart's always-firing heartbeat: wire it to a dead man's switch, never to a human.
        { receiver: 'null', matchers: ['alertname = "Watchdog"'] },
        ...receivers.map((r) => ({
          receiver: r.name,
          matchers: [`severity =~ "${[...r.severities].join('|')}"`],
          continue: true,
        })),
      ],
    },
    receivers: [
      { name: 'null' },
      ...receivers.map((r) => {
        switch (r.kind) {
          case 'slack':
            return {
              name: r.name,
              slack_configs: [
                {
                  api_url_file: file(r.secretKey),
                  channel: r.channel,
                  send_resolved: true,
                  title: '[{{ .Status | toUpper }}] {{ .CommonLabels.alertname }}',
                  text: '{{ range .Alerts }}{{ .Annotations.summary }}\n{{ .Annotations.description }}\nRunbook: {{ .Annotations.runbook_url }}\n{{ end }}',
                },
              ],
            };
          case 'pagerduty':
            return { name: r.name, pagerduty_configs: [{ routing_key_file: file(r.secretKey), send_resolved: true }] };
          case 'webhook':
            return { name: r.name, webhook_configs: [{ url_file: file(r.secretKey), send_resolved: true }] };
        }
      }),
    ],
    templates: ['/etc/alertmanager/config/*.tmpl'],
  };
}
