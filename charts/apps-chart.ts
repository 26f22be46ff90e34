import { Construct } from 'constructs';
import type { AppConfig, EnvironmentConfig } from '../config';
import { NAMESPACES } from '../config/namespaces';
import { LABEL_ENVIRONMENT } from '../constructs/core/labels';
import { REDIS_CONNECTION_CONFIG_MAP, REDIS_PASSWORD_ENV } from '../constructs/redis/redis-client';
import { AppService, AppServiceProps } from '../constructs/workload/app-service';
import { PlatformChart } from './platform-chart';
import type { AppTracing } from './tracing-chart';

/** Namespace of the API gateway (Kong): apps with `allowFrom.gateway` admit it. */
export const GATEWAY_NAMESPACE = 'kong';

/**
 * Maps one catalogue entry of an environment to `AppService` props: config in, props out, nothing else. An app with
 * `redis: true` gets Redis's whole client contract: `envFrom` the `redis-connection` ConfigMap (where) and
 * `REDIS_PASSWORD` from the environment's client Secret (how to log in, by `secretKeyRef`); other apps get neither.
 */
export function appServiceProps(app: AppConfig, env: EnvironmentConfig, tracing?: AppTracing): AppServiceProps {
  const { redis, ...rest } = app;
  const client = env.redis.clientSecret;
  return {
    ...rest,
    configMaps: redis ? [...(app.configMaps ?? []), REDIS_CONNECTION_CONFIG_MAP] : app.configMaps,
    secretEnv: redis ? [...(app.secretEnv ?? []), { name: REDIS_PASSWORD_ENV, secretName: client.name, key: client.key }] : app.secretEnv,
    namespace: NAMESPACES.apps.name,
    gatewayNamespace: GATEWAY_NAMESPACE,
    monitoringNamespace: NAMESPACES.monitoring.name,
    podLabels: { [LABEL_ENVIRONMENT]: env.name },
    // Traces go to the tracing component's intake (by reference); head sampling comes from Jaeger's remote sampler,
    // configured in one place (tracing.sampling). No tracing component: the SDK is off.
    telemetry: tracing
      ? {
          otlpEndpoint: tracing.otlp.grpcEndpoint,
          protocol: 'grpc',
          samplingRatio: tracing.initialSamplingRatio,
          remoteSampler: { endpoint: tracing.samplingEndpoint },
          deploymentEnvironment: env.name,
        }
      : undefined,
  };
}

/**
 * The environment's app catalogue (`apps` in config): one `AppService` per app, in the `apps` namespace, whose
 * baseline denies all ingress until each app's own NetworkPolicy admits what it declares.
 */
export class AppsChart extends PlatformChart {
  /** The apps, by name. */
  public readonly apps: ReadonlyMap<string, AppService>;

  /** @param tracing what the tracing component gives the apps' SDKs; absent, their SDK is disabled */
  constructor(scope: Construct, id: string, env: EnvironmentConfig, tracing?: AppTracing) {
    super(scope, id, env);
    const apps = new Map<string, AppService>();
    for (const app of env.apps) apps.set(app.name, new AppService(this, app.name, appServiceProps(app, env, tracing)));
    this.apps = apps;
  }
}
