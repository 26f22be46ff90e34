import type { DashboardSpec, Panel } from '../monitoring/grafana-dashboard';

/** Grafana dashboard of the tracing pipeline (tail-sampling tier and Jaeger), on the collectors' own metrics. */
export function tracingDashboard(jobs: readonly string[]): DashboardSpec {
  const sel = `job=~"$job"`;
  const rate = (metric: string, by: string) => `sum by (${by}) (rate(${metric}{${sel}}[$__rate_interval]))`;
  const panels: Panel[] = [
    {
      id: 1,
      title: 'Spans accepted',
      description: 'Spans received per second, by job and receiver (OTLP from apps and the gateway; peers; Jaeger intake).',
      type: 'timeseries',
      unit: 'ops',
      queries: [{ expr: rate('otelcol_receiver_accepted_spans_total', 'job, receiver'), legend: '{{job}} {{receiver}}' }],
    },
    {
      id: 2,
      title: 'Spans refused',
      description: 'Spans refused by receivers (memory limiter or bad requests). The alert fires when above 0 for 5 minutes.',
      type: 'timeseries',
      unit: 'ops',
      thresholds: [{ value: 0.001, color: 'red' }],
      queries: [{ expr: rate('otelcol_receiver_refused_spans_total', 'job, receiver'), legend: '{{job}} {{receiver}}' }],
    },
    {
      id: 3,
      title: 'Spans sent and failed',
      description: 'Spans sent per second by each exporter, and those that failed after retries.',
      type: 'timeseries',
      unit: 'ops',
      queries: [
        { expr: rate('otelcol_exporter_sent_spans_total', 'job, exporter'), legend: 'sent {{job}} {{exporter}}' },
        { expr: rate('otelcol_exporter_send_failed_spans_total', 'job, exporter'), legend: 'failed {{job}} {{exporter}}' },
      ],
    },
    {
      id: 4,
      title: 'Sending queue use',
      description: 'Queue size over capacity per exporter. The alert fires above 80% for 5 minutes; at 100% spans are dropped.',
      type: 'timeseries',
      unit: 'percentunit',
      min: 0,
      max: 1,
      thresholds: [
        { value: 0.6, color: 'yellow' },
        { value: 0.8, color: 'red' },
      ],
      queries: [{ expr: `max by (job, exporter) (otelcol_exporter_queue_size{${sel}} / otelcol_exporter_queue_capacity{${sel}})`, legend: '{{job}} {{exporter}}' }],
    },
    {
      id: 5,
      title: 'Spans dropped (queue full)',
      description: 'Spans an exporter could not queue: lost.',
      type: 'timeseries',
      unit: 'ops',
      queries: [{ expr: rate('otelcol_exporter_enqueue_failed_spans_total', 'job, exporter'), legend: '{{job}} {{exporter}}' }],
    },
    {
      id: 6,
      title: 'Memory in use',
      description: 'Heap in use per pod: the memory limiter refuses spans near 80% of the container limit.',
      type: 'timeseries',
      unit: 'bytes',
      queries: [{ expr: `sum by (job, pod) (otelcol_process_runtime_heap_alloc_bytes{${sel}})`, legend: '{{job}} {{pod}}' }],
    },
  ];
  return {
    uid: 'tracing-pipeline',
    title: 'Tracing pipeline',
    tags: ['tracing', 'jaeger', 'opentelemetry'],
    variables: [{ name: 'job', label: 'Job', selector: `otelcol_process_uptime_seconds_total{job=~"${jobs.join('|')}"}`, labelName: 'job' }],
    panels,
  };
}
