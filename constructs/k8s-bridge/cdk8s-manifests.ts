import { Manifest } from '@cdktf/provider-kubernetes/lib/manifest';
import { Chart } from 'cdk8s';
import { ITerraformDependable, TerraformProvider } from 'cdktf';
import { Construct } from 'constructs';

/** Properties of `Cdk8sManifests`. */
export interface Cdk8sManifestsProps {
  /** cdk8s charts whose objects become `kubernetes_manifest` resources. */
  readonly charts: readonly Chart[];
  /** @default the stack's default kubernetes provider */
  readonly provider?: TerraformProvider;
  /**
   * Resources every manifest waits for.
   * @default none
   */
  readonly dependsOn?: ITerraformDependable[];
}

/**
 * Terraform reads `${...}` and `%{...}` in any string as interpolation; a manifest's strings (a shell command, a
 * Prometheus template) must reach the cluster as written, so they are escaped to `$${` and `%%{`.
 */
export function escapeTerraformTemplates(value: unknown): unknown {
  // Replacer functions: in a replacement string, `$$` would mean a single `$`.
  if (typeof value === 'string') return value.replace(/\$\{/g, () => '$${').replace(/%\{/g, () => '%%{');
  if (Array.isArray(value)) return value.map(escapeTerraformTemplates);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, escapeTerraformTemplates(v)]));
  }
  return value;
}

/** `Deployment` `apps`/`api` → `apps-deployment-apps-api`: readable, and stable as long as the object is. */
export function manifestId(chartId: string, obj: { kind?: string; metadata?: { name?: string; namespace?: string } }): string {
  const parts = [chartId, obj.kind ?? 'object', obj.metadata?.namespace ?? 'cluster', obj.metadata?.name ?? 'unnamed'];
  return parts.join('-').toLowerCase().replace(/[^a-z0-9-]/g, '-');
}

/**
 * Turns cdk8s charts into `kubernetes_manifest` resources: the job of `cdktf-cdk8s`, on a deep import of the one
 * resource it needs instead of the whole kubernetes provider (see README, "Why not cdktf-cdk8s").
 */
export class Cdk8sManifests extends Construct {
  public readonly manifests: Manifest[] = [];

  constructor(scope: Construct, id: string, props: Cdk8sManifestsProps) {
    super(scope, id);
    for (const chart of props.charts) {
      for (const obj of chart.toJson()) {
        this.manifests.push(
          new Manifest(this, manifestId(chart.node.id, obj), {
            manifest: escapeTerraformTemplates(obj) as Record<string, unknown>,
            provider: props.provider,
            dependsOn: props.dependsOn,
          }),
        );
      }
    }
  }
}
