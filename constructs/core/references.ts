/**
 * How components refer to each other: typed, plain-string facts (never Terraform tokens, never a host name copied
 * into config). The component that owns the thing builds the reference from its own construct; the consumer takes
 * it as a prop. `charts/index.ts` and the stacks pass them along.
 */

/** Labels that select a component's pods, for NetworkPolicy peers and wiring checks. */
export interface PodPeer {
  /** Namespace the pods run in. */
  readonly namespace: string;
  /** Labels that select exactly those pods. */
  readonly podLabels: Readonly<Record<string, string>>;
}

/** A client account the logging component creates in its Elasticsearch for another component. */
export interface ElasticsearchClientRequest {
  /** Client name (DNS label): the Elasticsearch role and user are named after it. */
  readonly name: string;
  /** Namespace where the client's credentials Secret must exist. */
  readonly namespace: string;
  /** Index patterns the client may use (`jaeger-*`). */
  readonly indexPatterns: readonly string[];
  /** Index privileges on those patterns (`create_index`, `write`, `read`, `manage`, ...). */
  readonly indexPrivileges: readonly string[];
  /** Cluster privileges (`monitor`, `manage_index_templates`, `manage_ilm`, ...). */
  readonly clusterPrivileges: readonly string[];
}

/** The logging component's Elasticsearch, as another component reaches it. */
export interface ElasticsearchReference extends PodPeer {
  /** ECK `Elasticsearch` resource name. */
  readonly name: string;
  /** `https://<name>-es-http.<namespace>.svc:9200`. */
  readonly url: string;
  /** Service name (`<name>-es-http`) and port (9200). */
  readonly serviceName: string;
  readonly port: number;
  /** Secret holding the HTTP layer's CA certificate under `ca.crt` (in the Elasticsearch namespace). */
  readonly caSecretName: string;
  /**
   * Secret with `username` and `password` of a client account created for `request.name`, in `request.namespace`.
   * Only valid for a client that was passed to the logging component.
   */
  credentialsSecretName(clientName: string): string;
}

/** The tracing component's OTLP intake, as apps and the gateway reach it. */
export interface OtlpReference extends PodPeer {
  /** `http://<service>.<namespace>.svc.cluster.local:4317` (OTLP gRPC). */
  readonly grpcEndpoint: string;
  /** `http://<service>.<namespace>.svc.cluster.local:4318` (OTLP HTTP; append `/v1/traces`). */
  readonly httpEndpoint: string;
  /** The Service name and its port numbers. */
  readonly serviceName: string;
  readonly grpcPort: number;
  readonly httpPort: number;
}

/** A cert-manager issuer that other components request certificates from. */
export interface CertificateIssuerReference {
  readonly group: 'cert-manager.io';
  readonly kind: 'ClusterIssuer' | 'Issuer';
  readonly name: string;
  /**
   * A ConfigMap or Secret key any namespace can mount to trust certificates of this issuer (trust bundle), when
   * one is published.
   */
  readonly caBundle?: { readonly kind: 'Secret' | 'ConfigMap'; readonly name: string; readonly key: string };
}
