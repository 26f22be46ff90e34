/** Label keys every generated object carries, so that `kubectl get -l` and reviewers can tell who made what. */
export const LABEL_ENVIRONMENT = 'platform.example.com/environment';
export const LABEL_NAME = 'app.kubernetes.io/name';
export const LABEL_INSTANCE = 'app.kubernetes.io/instance';
export const LABEL_COMPONENT = 'app.kubernetes.io/component';
export const LABEL_VERSION = 'app.kubernetes.io/version';
export const LABEL_PART_OF = 'app.kubernetes.io/part-of';
export const LABEL_MANAGED_BY = 'app.kubernetes.io/managed-by';

/** Labels naming one component instance; selectors use only `name` and `instance`, which never change. */
export function componentLabels(name: string, component: string, version: string): Record<string, string> {
  return {
    [LABEL_NAME]: name,
    [LABEL_INSTANCE]: name,
    [LABEL_COMPONENT]: component,
    [LABEL_VERSION]: version,
  };
}

/** The stable subset of `componentLabels` fit for a selector. */
export function selectorLabels(name: string): Record<string, string> {
  return { [LABEL_NAME]: name, [LABEL_INSTANCE]: name };
}

/**
 * The label Prometheus selects ServiceMonitors, PodMonitors and PrometheusRules by: the monitoring stack's
 * selectors match it, and every component that wants scraping or alerting puts it on those objects.
 */
export const PROMETHEUS_SELECTOR_LABELS: Readonly<Record<string, string>> = { 'platform.example.com/prometheus': 'platform' };

/** The chart (concern) that made an object: `apps`, `redis`, `monitoring`, ... — also its manifest file's name. */
export const LABEL_PLATFORM_COMPONENT = 'platform.example.com/component';
/** The version of this project (package.json) that made an object. */
export const LABEL_PLATFORM_VERSION = 'platform.example.com/version';

/** `app.kubernetes.io/managed-by` of the Kubernetes objects Terraform applies itself (`kubernetes_*` resources). */
export const MANAGED_BY_TERRAFORM = 'terraform';

/**
 * The labels of a Kubernetes object a cdktf construct creates through a `kubernetes_*` resource: the caller's (the
 * environment's, its component's), then `app.kubernetes.io/managed-by: terraform`, which the construct knows and
 * the caller cannot override.
 */
export function terraformObjectLabels(labels: Readonly<Record<string, string>> | undefined): Record<string, string> {
  return { ...labels, [LABEL_MANAGED_BY]: MANAGED_BY_TERRAFORM };
}
