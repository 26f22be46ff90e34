import { KubeConfigMap } from 'cdk8s-plus-27/lib/imports/k8s';
import { Construct } from 'constructs';
import { stringify } from 'yaml';
import { fail } from '../core/errors';
import { assertDnsLabel } from '../core/validate';

/**
 * The label Grafana's datasource sidecar watches. kube-prometheus-stack's chart sets `grafana.sidecar.datasources`
 * to label `grafana_datasource`, value `"1"`, searching only Grafana's own namespace (`searchNamespace` unset), so
 * the ConfigMap must live in the monitoring namespace.
 */
export const GRAFANA_DATASOURCE_LABEL: Readonly<Record<string, string>> = { grafana_datasource: '1' };

/** uid of the Jaeger data source: dashboards and exemplar links refer to it. */
export const JAEGER_DATASOURCE_UID = 'jaeger';

/** Properties of `JaegerDatasource`. */
export interface JaegerDatasourceProps {
  /** Grafana's namespace. */
  readonly namespace: string;
  /** Jaeger's query URL (`http://jaeger-query.tracing.svc.cluster.local:16686`). */
  readonly url: string;
  /**
   * ConfigMap name.
   * @default 'jaeger-datasource'
   */
  readonly name?: string;
}

/** A Grafana data source for Jaeger, provisioned by the datasource sidecar: Explore and trace links open traces. */
export class JaegerDatasource extends Construct {
  public readonly configMap: KubeConfigMap;
  /** The provisioning document, as rendered. */
  public readonly provisioning: Record<string, unknown>;

  constructor(scope: Construct, id: string, props: JaegerDatasourceProps) {
    super(scope, id);
    const name = props.name ?? 'jaeger-datasource';
    assertDnsLabel(this, 'name', name);
    if (!/^https?:\/\/[^\s/]+(:\d+)?$/.test(props.url)) fail(this, 'url', props.url, 'must be an http(s) URL of host and port');
    this.provisioning = {
      apiVersion: 1,
      datasources: [{ name: 'Jaeger', uid: JAEGER_DATASOURCE_UID, type: 'jaeger', access: 'proxy', url: props.url, editable: false }],
    };
    this.configMap = new KubeConfigMap(this, 'Resource', {
      metadata: { name, namespace: props.namespace, labels: { ...GRAFANA_DATASOURCE_LABEL } },
      data: { 'jaeger-datasource.yaml': stringify(this.provisioning) },
    });
  }
}
