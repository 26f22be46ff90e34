import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import type { EnvironmentConfig } from '../config';
import { AppsChart } from './apps-chart';
import { BaselineChart } from './baseline-chart';
import { MonitoringChart } from './monitoring-chart';
import { redisCharts } from './redis-chart';
import { TracingChart } from './tracing-chart';

/**
 * Every cdk8s chart of one environment. Each chart becomes `dist/k8s/<env>/<chart id>.k8s.yaml` and, through the
 * bridge, part of `workloads-<env>`.
 */
export function buildCharts(scope: Construct, env: EnvironmentConfig): Chart[] {
  // wiring: at merge with logging (issue 12), pass { elasticsearch: <logging chart>.elasticsearch } here, and give
  // tracing.elasticsearchClient (when set) to the logging chart's client requests.
  const tracing = new TracingChart(scope, 'tracing', env, {});
  // wiring: the gateway (issue 11) takes tracing.otlp as its optional OTLP reference, and its OpenTelemetry plugin's
  // sampling_rate from tracing.appTracing.initialSamplingRatio (tracing.sampling stays the one place).
  return [
    new BaselineChart(scope, 'baseline', env),
    new AppsChart(scope, 'apps', env, tracing.appTracing),
    new MonitoringChart(scope, 'monitoring', env),
    ...redisCharts(scope, env),
    tracing,
  ];
}
