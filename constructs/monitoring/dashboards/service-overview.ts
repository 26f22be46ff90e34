import { HTTP_METRICS } from '../conventions';
import { DashboardSpec, Panel } from '../grafana-dashboard';

const { durationHistogram: H, statusCodeLabel: CODE, serviceLabel: APP } = HTTP_METRICS;
const SEL = `namespace=~"$namespace", ${APP}=~"$app"`;
const HPA_SEL = 'namespace=~"$namespace"';

function latency(quantile: number): string {
  return `histogram_quantile(${quantile}, sum by (${APP}, le) (rate(${H}_bucket{${SEL}}[$__rate_interval])))`;
}

const panels: Panel[] = [
  {
    id: 1,
    title: 'Requests per second',
    description: 'All requests served, over the selected apps.',
    type: 'stat',
    unit: 'reqps',
    width: 6,
    height: 4,
    queries: [{ expr: `sum(rate(${H}_count{${SEL}}[$__rate_interval]))` }],
  },
  {
    id: 2,
    title: 'Error ratio (5xx)',
    description: 'Share of requests answered with a 5xx status, over the selected apps. The alert fires above 5%.',
    type: 'stat',
    unit: 'percentunit',
    width: 6,
    height: 4,
    thresholds: [
      { value: 0.01, color: 'yellow' },
      { value: 0.05, color: 'red' },
    ],
    queries: [{ expr: `sum(rate(${H}_count{${SEL}, ${CODE}=~"5.."}[$__rate_interval])) / sum(rate(${H}_count{${SEL}}[$__rate_interval]))` }],
  },
  {
    id: 3,
    title: 'p95 latency (worst app)',
    description: 'The highest 95th-percentile latency among the selected apps. The alert fires above 500 ms for 5 minutes.',
    type: 'stat',
    unit: 's',
    width: 6,
    height: 4,
    thresholds: [
      { value: 0.3, color: 'yellow' },
      { value: 0.5, color: 'red' },
    ],
    queries: [{ expr: `max(${latency(0.95)})` }],
  },
  {
    id: 4,
    title: 'HPAs at their maximum',
    description: 'Autoscalers whose current replicas reached their maximum: they cannot absorb more load.',
    type: 'stat',
    unit: 'short',
    width: 6,
    height: 4,
    thresholds: [{ value: 1, color: 'orange' }],
    queries: [
      {
        expr: `count(kube_horizontalpodautoscaler_status_current_replicas{${HPA_SEL}} >= on (namespace, horizontalpodautoscaler) kube_horizontalpodautoscaler_spec_max_replicas{${HPA_SEL}}) or vector(0)`,
      },
    ],
  },
  {
    id: 5,
    title: 'Request rate per app',
    description: 'Requests per second, per app.',
    type: 'timeseries',
    unit: 'reqps',
    queries: [{ expr: `sum by (${APP}) (rate(${H}_count{${SEL}}[$__rate_interval]))`, legend: `{{${APP}}}` }],
  },
  {
    id: 6,
    title: 'Error ratio per app (5xx)',
    description: 'Share of requests answered with a 5xx status, per app.',
    type: 'timeseries',
    unit: 'percentunit',
    min: 0,
    thresholds: [{ value: 0.05, color: 'red' }],
    queries: [
      {
        expr: `sum by (${APP}) (rate(${H}_count{${SEL}, ${CODE}=~"5.."}[$__rate_interval])) / sum by (${APP}) (rate(${H}_count{${SEL}}[$__rate_interval]))`,
        legend: `{{${APP}}}`,
      },
    ],
  },
  {
    id: 7,
    title: 'Latency p50 / p95 / p99 per app',
    description: 'Request duration quantiles from the histogram, per app. The dashed line of the alert is p95 = 500 ms.',
    type: 'timeseries',
    unit: 's',
    width: 24,
    height: 10,
    min: 0,
    thresholds: [{ value: 0.5, color: 'red' }],
    queries: [
      { expr: latency(0.5), legend: `{{${APP}}} p50` },
      { expr: latency(0.95), legend: `{{${APP}}} p95` },
      { expr: latency(0.99), legend: `{{${APP}}} p99` },
    ],
  },
  {
    id: 8,
    title: 'HPA replicas against bounds',
    description: 'Current and desired replicas of each autoscaler, with its minimum and maximum.',
    type: 'timeseries',
    unit: 'short',
    width: 24,
    height: 10,
    min: 0,
    queries: [
      { expr: `kube_horizontalpodautoscaler_status_current_replicas{${HPA_SEL}}`, legend: '{{horizontalpodautoscaler}} current' },
      { expr: `kube_horizontalpodautoscaler_status_desired_replicas{${HPA_SEL}}`, legend: '{{horizontalpodautoscaler}} desired' },
      { expr: `kube_horizontalpodautoscaler_spec_min_replicas{${HPA_SEL}}`, legend: '{{horizontalpodautoscaler}} min' },
      { expr: `kube_horizontalpodautoscaler_spec_max_replicas{${HPA_SEL}}`, legend: '{{horizontalpodautoscaler}} max' },
    ],
  },
];

/**
 * Service overview: request rate, p50/p95/p99 latency and 5xx ratio per app (from `HTTP_METRICS`), and each
 * HorizontalPodAutoscaler's replicas against its bounds (kube-state-metrics).
 */
export function serviceOverviewDashboard(): DashboardSpec {
  return {
    uid: 'platform-service-overview',
    title: 'Platform / Service overview',
    tags: ['platform', 'services'],
    variables: [
      { name: 'namespace', label: 'Namespace', selector: `${H}_count`, labelName: 'namespace' },
      { name: 'app', label: 'App', selector: `${H}_count{namespace=~"$namespace"}`, labelName: APP },
    ],
    panels,
  };
}
