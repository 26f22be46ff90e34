import { parse } from 'yaml';
import type { ReleaseInStack } from './helm-values';
import type { K8sObject } from './synth';

/**
 * Cross-object checks of the tracing component over one environment's whole output: every endpoint a workload
 * sends spans to, or fetches sampling strategies from, resolves to a Service and port that exist in the same
 * environment. Services come from the cdk8s manifests and from the Helm releases whose Service the project
 * names (the opentelemetry-collector chart: `fullnameOverride`, its enabled `ports`, and `extraManifests`).
 */

/** A Service as the cluster will have it: name, namespace, port numbers. */
export interface ServiceFacts {
  readonly name: string;
  readonly namespace: string;
  readonly ports: readonly number[];
  readonly from: string;
}

export function servicesOf(objects: readonly K8sObject[], releases: readonly ReleaseInStack[], releaseNamespaces: Record<string, string>): ServiceFacts[] {
  const services: ServiceFacts[] = objects
    .filter((o) => o.kind === 'Service')
    .map((o) => ({ name: o.metadata.name, namespace: o.metadata.namespace ?? 'default', ports: ((o as any).spec.ports ?? []).map((p: any) => p.port), from: 'manifests' }));
  for (const r of releases.filter((x) => x.chart === 'opentelemetry-collector')) {
    const v = r.values as any;
    const namespace = releaseNamespaces[r.name];
    services.push({
      name: v.fullnameOverride,
      namespace,
      ports: Object.values<any>(v.ports ?? {}).filter((p) => p.enabled).map((p) => p.servicePort),
      from: `${r.stack} helm_release ${r.name}`,
    });
    for (const m of v.extraManifests ?? []) {
      if (m.kind === 'Service') services.push({ name: m.metadata.name, namespace: m.metadata.namespace ?? namespace, ports: m.spec.ports.map((p: any) => p.port), from: `${r.stack} helm_release ${r.name} extraManifests` });
    }
  }
  return services;
}

/** `http://svc.ns.svc.cluster.local:4317`, `svc.ns.svc:4317` -> service, namespace, port. */
export function parseEndpoint(endpoint: string): { service: string; namespace: string; port: number } | undefined {
  const m = /^(?:[a-z]+:\/\/)?([a-z0-9-]+)\.([a-z0-9-]+)\.svc(?:\.cluster\.local)?:(\d+)(?:\/.*)?$/.exec(endpoint);
  return m ? { service: m[1], namespace: m[2], port: Number(m[3]) } : undefined;
}

/** Every span/sampling endpoint a workload in `objects` is configured with, and where. */
export function tracingEndpoints(objects: readonly K8sObject[], releases: readonly ReleaseInStack[]): { endpoint: string; at: string }[] {
  const out: { endpoint: string; at: string }[] = [];
  for (const o of objects) {
    const spec = (o as any).spec;
    const pod = spec?.template?.spec ?? spec?.jobTemplate?.spec?.template?.spec;
    for (const c of pod?.containers ?? []) {
      for (const e of c.env ?? []) {
        const at = `${o.kind} ${o.metadata.namespace}/${o.metadata.name} ${c.name} ${e.name}`;
        if (['OTEL_EXPORTER_OTLP_ENDPOINT', 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT'].includes(e.name) && e.value) out.push({ endpoint: e.value, at });
        if (e.name === 'OTEL_TRACES_SAMPLER_ARG' && /endpoint=/.test(e.value ?? '')) out.push({ endpoint: /endpoint=([^,]+)/.exec(e.value)![1], at });
      }
    }
    // The gateway's OpenTelemetry plugin (Kong), once it lands.
    if ((o.kind === 'KongPlugin' || o.kind === 'KongClusterPlugin') && (o as any).plugin === 'opentelemetry') {
      const cfg = (o as any).config ?? {};
      for (const key of ['traces_endpoint', 'endpoint']) if (cfg[key]) out.push({ endpoint: cfg[key], at: `${o.kind} ${o.metadata.namespace}/${o.metadata.name} config.${key}` });
    }
    // Grafana data sources provisioned by ConfigMap.
    if (o.kind === 'ConfigMap' && o.metadata.labels?.grafana_datasource) {
      for (const doc of Object.values<string>((o as any).data ?? {})) {
        for (const ds of (parse(doc) as any)?.datasources ?? []) if (ds.type === 'jaeger') out.push({ endpoint: ds.url, at: `ConfigMap ${o.metadata.namespace}/${o.metadata.name} datasource ${ds.name}` });
      }
    }
  }
  for (const r of releases.filter((x) => x.chart === 'opentelemetry-collector')) {
    const cfg = (r.values as any).alternateConfig ?? {};
    for (const [name, exp] of Object.entries<any>(cfg.exporters ?? {})) if (exp?.endpoint) out.push({ endpoint: exp.endpoint, at: `${r.stack} helm_release ${r.name} exporters.${name}` });
  }
  return out;
}

/** One line per endpoint that resolves to no Service port of the environment. */
export function unresolvedEndpoints(endpoints: readonly { endpoint: string; at: string }[], services: readonly ServiceFacts[]): string[] {
  return endpoints.flatMap(({ endpoint, at }) => {
    const target = parseEndpoint(endpoint);
    if (!target) return [`${at}: '${endpoint}' is not a cluster Service address`];
    const svc = services.find((s) => s.name === target.service && s.namespace === target.namespace);
    if (!svc) return [`${at}: '${endpoint}': no Service ${target.namespace}/${target.service} in this environment`];
    if (!svc.ports.includes(target.port)) return [`${at}: '${endpoint}': Service ${target.namespace}/${target.service} (${svc.from}) has no port ${target.port} (ports ${svc.ports.join(', ')})`];
    return [];
  });
}

/**
 * Jaeger's Elasticsearch wiring against the logging component's objects of the same environment: the URL names an
 * ECK Elasticsearch's HTTP Service. (The CA and credentials Secrets are made by the operator and the logging
 * component at deploy time; their names come from the same reference.)
 */
export function elasticsearchWiringProblems(objects: readonly K8sObject[]): string[] {
  const problems: string[] = [];
  for (const cm of objects.filter((o) => o.kind === 'ConfigMap' && o.metadata.name === 'jaeger-config')) {
    const config = parse((cm as any).data['config.yaml']);
    for (const [name, backend] of Object.entries<any>(config.extensions?.jaeger_storage?.backends ?? {})) {
      for (const url of backend.elasticsearch?.server_urls ?? []) {
        const target = parseEndpoint(url);
        const es = objects.find((o) => o.kind === 'Elasticsearch' && target && `${o.metadata.name}-es-http` === target.service && o.metadata.namespace === target.namespace);
        if (!es) problems.push(`jaeger backend ${name}: '${url}' is no Elasticsearch of this environment`);
      }
    }
  }
  return problems;
}
