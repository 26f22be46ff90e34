import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import type { EnvironmentConfig } from '../config';
import { AppsChart } from './apps-chart';
import { BaselineChart } from './baseline-chart';
import { MonitoringChart } from './monitoring-chart';
import { redisCharts } from './redis-chart';

/**
 * Every cdk8s chart of one environment. Each chart becomes `dist/k8s/<env>/<chart id>.k8s.yaml` and, through the
 * bridge, part of `workloads-<env>`.
 */
export function buildCharts(scope: Construct, env: EnvironmentConfig): Chart[] {
  return [new BaselineChart(scope, 'baseline', env), new AppsChart(scope, 'apps', env), new MonitoringChart(scope, 'monitoring', env), ...redisCharts(scope, env)];
}
