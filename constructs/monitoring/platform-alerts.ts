import { Construct } from 'constructs';
import { fail } from '../core/errors';
import { assertDnsLabel } from '../core/validate';
import { AlertRule, AlertRules } from './alert-rules';
import { HTTP_METRICS, REDIS_METRICS } from './conventions';

/** Properties of `PlatformAlerts`. */
export interface PlatformAlertsProps {
  /** Namespace of the PrometheusRule (Prometheus selects rules in every namespace). */
  readonly namespace: string;
  /** Namespaces whose HTTP services the service alerts (latency, errors, down) watch. */
  readonly appNamespaces: readonly string[];
  /** Base of the runbook links; each alert links to `<base>/<alert-name-in-kebab-case><runbookFileExtension>`. An https URL. */
  readonly runbookBaseUrl: string;
  /**
   * Appended to each runbook link: runbooks are Markdown files in a Git repository, whose web view (a GitHub `blob`
   * URL) needs the file name with its extension.
   * @default '.md'; '' for a wiki whose pages have no extension
   */
  readonly runbookFileExtension?: string;
  /**
   * Name of the PrometheusRule.
   * @default 'platform-alerts'
   */
  readonly name?: string;
}

/** Thresholds of the platform alerts; fixed, so that the promtool unit tests prove the exact boundaries. */
export const PLATFORM_ALERT_THRESHOLDS = {
  /** p95 request duration above which a service is slow. */
  latencyP95Seconds: 0.5,
  /** Share of 5xx responses above which a service is failing. */
  errorRatio: 0.05,
  /** Redis keyspace hit ratio below which the cache is not doing its job. */
  cacheHitRatio: 0.8,
} as const;

/** `HighErrorRate` gives `high-error-rate`. */
export function kebab(alert: string): string {
  return alert.replace(/([a-z0-9])([A-Z])/g, '$1-$2').replace(/([A-Z])([A-Z][a-z])/g, '$1-$2').toLowerCase();
}

/**
 * The platform's own alerts, as a PrometheusRule through `AlertRules`: slow, failing and down HTTP services (down
 * also when no pod is available or no target is scraped at all), crash looping pods, autoscalers pinned at their
 * maximum, and a cold Redis cache. Components bring their own rules
 * (Redis: down, failover, replication, memory) through `AlertRules` as well.
 *
 * `PodCrashLooping` and `HpaAtMaxReplicas` watch every namespace and replace the chart's `KubePodCrashLooping` and
 * `KubeHpaMaxedOut` (which `KubePrometheusStack` disables), so that each problem pages once.
 */
export class PlatformAlerts extends Construct {
  public readonly rules: AlertRules;

  constructor(scope: Construct, id: string, props: PlatformAlertsProps) {
    super(scope, id);
    const name = props.name ?? 'platform-alerts';
    const extension = props.runbookFileExtension ?? '.md';
    if (props.appNamespaces.length === 0) fail(this, 'appNamespaces', [], 'must name at least one namespace');
    props.appNamespaces.forEach((ns, i) => assertDnsLabel(this, `appNamespaces[${i}]`, ns));
    if (!/^(\.[A-Za-z0-9]+)?$/.test(extension)) fail(this, 'runbookFileExtension', extension, "must be empty or a dot followed by letters or digits, such as '.md'");
    const base = props.runbookBaseUrl.replace(/\/+$/, '');

    const { durationHistogram: H, statusCodeLabel: CODE, serviceLabel: APP } = HTTP_METRICS;
    const { latencyP95Seconds, errorRatio, cacheHitRatio } = PLATFORM_ALERT_THRESHOLDS;
    const apps = `namespace=~"${props.appNamespaces.join('|')}"`;
    const by = `namespace, ${APP}`;
    const rule = (r: Omit<AlertRule, 'runbookUrl'>): AlertRule => ({ ...r, runbookUrl: `${base}/${kebab(r.alert)}${extension}` });
    const hpa = 'namespace, horizontalpodautoscaler';
    const deploy = 'namespace, deployment';
    const lookups = (range: string) => `sum by (namespace, service) (rate(${REDIS_METRICS.hits}[${range}]) + rate(${REDIS_METRICS.misses}[${range}]))`;

    this.rules = new AlertRules(this, 'Rules', {
      name,
      namespace: props.namespace,
      groups: [
        {
          name: 'platform.services',
          rules: [
            rule({
              alert: 'HighResponseTime',
              expr: `histogram_quantile(0.95, sum by (${by}, le) (rate(${H}_bucket{${apps}}[5m]))) > ${latencyP95Seconds}`,
              for: '5m',
              severity: 'warning',
              summary: `{{ $labels.${APP} }} in {{ $labels.namespace }} answers slowly`,
              description: `The 95th percentile of request duration of {{ $labels.${APP} }} is {{ $value | humanizeDuration }}, above ${latencyP95Seconds * 1000} ms for 5 minutes.`,
            }),
            rule({
              alert: 'HighErrorRate',
              expr: `sum by (${by}) (rate(${H}_count{${apps}, ${CODE}=~"5.."}[5m])) / sum by (${by}) (rate(${H}_count{${apps}}[5m])) > ${errorRatio}`,
              for: '5m',
              severity: 'critical',
              summary: `{{ $labels.${APP} }} in {{ $labels.namespace }} fails requests`,
              description: `{{ $value | humanizePercentage }} of the requests to {{ $labels.${APP} }} end in a 5xx status (threshold ${errorRatio * 100}%).`,
            }),
            rule({
              alert: 'ServiceDown',
              expr: `sum by (${by}) (up{${apps}}) == 0`,
              for: '2m',
              severity: 'critical',
              summary: `{{ $labels.${APP} }} in {{ $labels.namespace }} is down`,
              description: `Prometheus has reached none of the targets of {{ $labels.${APP} }} for 2 minutes.`,
            }),
            // ServiceDown needs targets that answer 0: with every pod Pending or crashing there are no targets and
            // no `up` series at all. kube-state-metrics still sees the Deployment.
            rule({
              alert: 'DeploymentUnavailable',
              expr:
                `max by (${deploy}) (kube_deployment_spec_replicas{${apps}}) > 0` +
                ` and on (${deploy}) max by (${deploy}) (kube_deployment_status_replicas_available{${apps}}) == 0`,
              for: '5m',
              severity: 'critical',
              summary: '{{ $labels.deployment }} in {{ $labels.namespace }} has no available pod',
              description:
                'Deployment {{ $labels.namespace }}/{{ $labels.deployment }} wants {{ $value }} replicas and has had none available for 5 minutes ' +
                '(pods Pending, crash looping or failing readiness): nothing serves it.',
            }),
            // Pods are up but Prometheus has no target for them (a Service or ServiceMonitor selector that matches
            // nothing): the service alerts above are blind. Apps name their Deployment, Service and scrape job alike.
            rule({
              alert: 'ServiceNotScraped',
              expr:
                `max by (${deploy}) (kube_deployment_status_replicas_available{${apps}}) > 0` +
                ` unless on (${deploy}) label_replace(max by (namespace, ${APP}) (up{${apps}}), "deployment", "$1", "${APP}", "(.+)")`,
              for: '15m',
              severity: 'warning',
              summary: '{{ $labels.deployment }} in {{ $labels.namespace }} is not scraped',
              description:
                'Deployment {{ $labels.namespace }}/{{ $labels.deployment }} has {{ $value }} available pods, but Prometheus has had no target of job ' +
                '{{ $labels.deployment }} for 15 minutes: check the selectors of its Service and ServiceMonitor. Its latency, error and down alerts cannot fire.',
            }),
          ],
        },
        {
          name: 'platform.kubernetes',
          rules: [
            rule({
              alert: 'PodCrashLooping',
              expr: 'max_over_time(kube_pod_container_status_waiting_reason{reason="CrashLoopBackOff"}[5m]) >= 1',
              for: '10m',
              severity: 'warning',
              summary: 'Container {{ $labels.container }} of {{ $labels.namespace }}/{{ $labels.pod }} is crash looping',
              description: 'Container {{ $labels.container }} of pod {{ $labels.namespace }}/{{ $labels.pod }} has been waiting in CrashLoopBackOff for 10 minutes.',
            }),
            rule({
              alert: 'HpaAtMaxReplicas',
              // An autoscaler whose minimum equals its maximum is always "at the maximum": not an alert.
              expr:
                `max by (${hpa}) (kube_horizontalpodautoscaler_status_current_replicas)` +
                ` >= max by (${hpa}) (kube_horizontalpodautoscaler_spec_max_replicas)` +
                ` and on (${hpa}) (max by (${hpa}) (kube_horizontalpodautoscaler_spec_max_replicas)` +
                ` > max by (${hpa}) (kube_horizontalpodautoscaler_spec_min_replicas))`,
              for: '15m',
              severity: 'warning',
              summary: 'HPA {{ $labels.namespace }}/{{ $labels.horizontalpodautoscaler }} is pinned at its maximum',
              description: 'HPA {{ $labels.namespace }}/{{ $labels.horizontalpodautoscaler }} has run at its maximum of {{ $value }} replicas for 15 minutes: it cannot absorb more load.',
            }),
          ],
        },
        {
          name: 'platform.cache',
          rules: [
            rule({
              alert: 'CacheHitRatioLow',
              expr:
                `sum by (namespace, service) (rate(${REDIS_METRICS.hits}[10m])) / ${lookups('10m')} < ${cacheHitRatio}` +
                // Fewer than one lookup a second says little about the cache.
                ` and ${lookups('10m')} >= 1`,
              for: '15m',
              severity: 'warning',
              summary: 'Redis {{ $labels.namespace }}/{{ $labels.service }} hit ratio is low',
              description: `Only {{ $value | humanizePercentage }} of the lookups in Redis {{ $labels.service }} hit a key (threshold ${cacheHitRatio * 100}%) for 15 minutes.`,
            }),
          ],
        },
      ],
    });
  }
}
