import { Construct } from 'constructs';
import type { AppConfig, EnvironmentConfig } from '../config';
import { NAMESPACES } from '../config/namespaces';
import { LABEL_ENVIRONMENT } from '../constructs/core/labels';
import { AppService, AppServiceProps } from '../constructs/workload/app-service';
import { PlatformChart } from './platform-chart';

/** Namespace of the API gateway (Kong): apps with `allowFrom.gateway` admit it. */
export const GATEWAY_NAMESPACE = 'kong';

/** Maps one catalogue entry of an environment to `AppService` props: config in, props out, nothing else. */
export function appServiceProps(app: AppConfig, env: EnvironmentConfig): AppServiceProps {
  return {
    ...app,
    namespace: NAMESPACES.apps.name,
    gatewayNamespace: GATEWAY_NAMESPACE,
    monitoringNamespace: NAMESPACES.monitoring.name,
    podLabels: { [LABEL_ENVIRONMENT]: env.name },
    telemetry: {
      otlpEndpoint: env.appTelemetry.otlpEndpoint,
      samplingRatio: env.appTelemetry.samplingRatio,
      deploymentEnvironment: env.name,
    },
  };
}

/**
 * The environment's app catalogue (`apps` in config): one `AppService` per app, in the `apps` namespace, whose
 * baseline denies all ingress until each app's own NetworkPolicy admits what it declares.
 */
export class AppsChart extends PlatformChart {
  /** The apps, by name. */
  public readonly apps: ReadonlyMap<string, AppService>;

  constructor(scope: Construct, id: string, env: EnvironmentConfig) {
    super(scope, id, env);
    const apps = new Map<string, AppService>();
    for (const app of env.apps) apps.set(app.name, new AppService(this, app.name, appServiceProps(app, env)));
    this.apps = apps;
  }
}
