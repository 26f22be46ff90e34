import type { AlertRule, AlertRuleGroup } from '../monitoring/alert-rules';

/** Settings of `tracingAlertGroups`. */
export interface TracingAlertSettings {
  /** Prometheus `job` labels of the tracing pipeline's scrapes: the tail-sampling tier's Service and Jaeger's metrics Service. */
  readonly jobs: readonly string[];
  /** The runbook page (`.../runbooks/tracing.md`); each alert links to `<page>#<alert name in lower case>`. */
  readonly runbookUrl: string;
}

/** Name of Jaeger's storage exporter: its send failures are failed writes to the trace store. */
export const STORAGE_EXPORTER = 'jaeger_storage_exporter';

/**
 * Alerts on the OpenTelemetry Collector's own metrics (`otelcol_*`), which both the tail-sampling tier and Jaeger v2
 * (a collector distribution) expose at `level: detailed`. The expressions carry no per-environment numbers, so one
 * promtool unit test file (test/output/promtool/tracing.test.yaml) covers every environment.
 */
export function tracingAlertGroups(s: TracingAlertSettings): AlertRuleGroup[] {
  const jobs = `job=~"${s.jobs.join('|')}"`;
  const runbook = (alert: string) => `${s.runbookUrl}#${alert.toLowerCase()}`;
  const rules: AlertRule[] = [
    {
      alert: 'TracingSpansRefused',
      // The memory limiter makes receivers refuse spans when a pod runs out of memory headroom.
      expr: `sum by (namespace, job, receiver) (rate(otelcol_receiver_refused_spans_total{${jobs}}[5m])) > 0`,
      for: '5m',
      severity: 'warning',
      summary: 'Tracing {{ $labels.job }} refuses spans on {{ $labels.receiver }}',
      description:
        '{{ $labels.namespace }}/{{ $labels.job }} has refused {{ $value | humanize }} spans/s on receiver {{ $labels.receiver }} for 5 minutes (memory limiter, or bad requests): senders retry or drop them, and traces have holes.',
      runbookUrl: runbook('TracingSpansRefused'),
    },
    {
      alert: 'TracingSpansDropped',
      // A full sending queue: the exporter cannot even queue the spans, they are lost.
      expr: `sum by (namespace, job, exporter) (rate(otelcol_exporter_enqueue_failed_spans_total{${jobs}}[5m])) > 0`,
      for: '5m',
      severity: 'warning',
      summary: 'Tracing {{ $labels.job }} drops spans: {{ $labels.exporter }} queue full',
      description:
        '{{ $labels.namespace }}/{{ $labels.job }} could not queue {{ $value | humanize }} spans/s on exporter {{ $labels.exporter }} for 5 minutes: they are lost. The next hop is slow or down, or the tier needs more pods.',
      runbookUrl: runbook('TracingSpansDropped'),
    },
    {
      alert: 'TracingExporterSendFailures',
      expr: `sum by (namespace, job, exporter) (rate(otelcol_exporter_send_failed_spans_total{${jobs}, exporter!="${STORAGE_EXPORTER}"}[5m])) > 0`,
      for: '10m',
      severity: 'warning',
      summary: 'Tracing {{ $labels.job }} fails to send spans with {{ $labels.exporter }}',
      description:
        '{{ $labels.namespace }}/{{ $labels.job }} failed to send {{ $value | humanize }} spans/s with exporter {{ $labels.exporter }} for 10 minutes, after retries: Jaeger (or a peer of the tail tier) is unreachable or refusing.',
      runbookUrl: runbook('TracingExporterSendFailures'),
    },
    {
      alert: 'TracingExporterQueueNearlyFull',
      expr: `max by (namespace, job, exporter) (otelcol_exporter_queue_size{${jobs}} / otelcol_exporter_queue_capacity{${jobs}}) > 0.8`,
      for: '5m',
      severity: 'warning',
      summary: 'Tracing {{ $labels.job }}: {{ $labels.exporter }} sending queue above 80%',
      description:
        'The sending queue of exporter {{ $labels.exporter }} in {{ $labels.namespace }}/{{ $labels.job }} has been {{ $value | humanizePercentage }} full for 5 minutes: once full, spans are dropped.',
      runbookUrl: runbook('TracingExporterQueueNearlyFull'),
    },
    {
      alert: 'TracingStorageErrors',
      expr: `sum by (namespace, job) (rate(otelcol_exporter_send_failed_spans_total{${jobs}, exporter="${STORAGE_EXPORTER}"}[5m])) > 0`,
      for: '5m',
      severity: 'critical',
      summary: 'Jaeger cannot write traces to its storage',
      description:
        'Jaeger ({{ $labels.namespace }}/{{ $labels.job }}) has failed to write {{ $value | humanize }} spans/s to its trace storage for 5 minutes: those traces are lost. Check Elasticsearch health, the jaeger user and its index privileges.',
      runbookUrl: runbook('TracingStorageErrors'),
    },
  ];
  return [{ name: 'tracing.rules', rules }];
}
