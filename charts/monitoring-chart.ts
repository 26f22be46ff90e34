import { Construct } from 'constructs';
import type { EnvironmentConfig } from '../config';
import { NAMESPACES } from '../config/namespaces';
import { redisDashboard } from '../constructs/monitoring/dashboards/redis';
import { serviceOverviewDashboard } from '../constructs/monitoring/dashboards/service-overview';
import { GrafanaDashboard } from '../constructs/monitoring/grafana-dashboard';
import { PlatformAlerts } from '../constructs/monitoring/platform-alerts';
import { PlatformChart } from './platform-chart';

/**
 * The platform's own alert rules and Grafana dashboards, in the `monitoring` namespace. Components' own rules and
 * ServiceMonitors live in their charts; Prometheus selects them all by `PROMETHEUS_SELECTOR_LABELS`.
 */
export class MonitoringChart extends PlatformChart {
  public readonly alerts: PlatformAlerts;
  public readonly dashboards: GrafanaDashboard[];

  constructor(scope: Construct, id: string, env: EnvironmentConfig) {
    super(scope, id, env);
    const namespace = NAMESPACES.monitoring.name;
    this.alerts = new PlatformAlerts(this, 'platform-alerts', {
      namespace,
      appNamespaces: [NAMESPACES.apps.name],
      runbookBaseUrl: env.monitoring.runbookBaseUrl,
    });
    this.dashboards = [
      new GrafanaDashboard(this, 'service-overview', { namespace, dashboard: serviceOverviewDashboard() }),
      new GrafanaDashboard(this, 'redis', { namespace, dashboard: redisDashboard() }),
    ];
  }
}
