import { Release } from '@cdktf/provider-helm/lib/release';
import { ITerraformDependable, TerraformProvider } from 'cdktf';
import { Construct } from 'constructs';
import { stringify } from 'yaml';
import { fail } from '../core/errors';
import { assertDnsLabel } from '../core/validate';
import { ChartRef } from './catalogue';

/** Properties of `PinnedHelmRelease`. */
export interface PinnedHelmReleaseProps {
  /** The chart, from `CHARTS` in the catalogue. */
  readonly chart: ChartRef;
  /** Release name (a DNS label). */
  readonly releaseName: string;
  /** Namespace the release goes into; created elsewhere (the platform stack), never by Helm. */
  readonly namespace: string;
  /** Chart values, typed by the component that owns the release. Rendered as sorted YAML. */
  readonly values: Record<string, unknown>;
  /**
   * Escape hatch: values deep-merged over `values`, last. Prefer a typed prop.
   * @default no extra values
   */
  readonly extraValues?: Record<string, unknown>;
  /**
   * How long Helm waits for the release's resources to become ready.
   * @default 600
   */
  readonly timeoutSeconds?: number;
  /** @default the stack's default helm provider */
  readonly provider?: TerraformProvider;
  /**
   * Resources that must exist first (the namespace, a CRD-installing release).
   * @default none
   */
  readonly dependsOn?: ITerraformDependable[];
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Deep merge where `over` wins; arrays are replaced, not concatenated (as Helm does with `-f`). */
export function deepMerge(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) {
    out[k] = isPlainObject(v) && isPlainObject(out[k]) ? deepMerge(out[k] as Record<string, unknown>, v) : v;
  }
  return out;
}

/**
 * A Helm release of a catalogue chart: exact version, values as one sorted YAML document (readable in a diff),
 * atomic upgrades that roll back on failure, and no namespace creation (namespaces carry Pod Security labels and
 * belong to the platform stack).
 */
export class PinnedHelmRelease extends Construct {
  public readonly release: Release;
  /** The values as rendered, for tests that check keys against the chart's defaults. */
  public readonly renderedValues: Record<string, unknown>;

  constructor(scope: Construct, id: string, props: PinnedHelmReleaseProps) {
    super(scope, id);
    const timeoutSeconds = props.timeoutSeconds ?? 600;
    assertDnsLabel(this, 'releaseName', props.releaseName);
    assertDnsLabel(this, 'namespace', props.namespace);
    if (!/^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/.test(props.chart.version)) {
      fail(this, 'chart.version', props.chart.version, 'must be an exact semantic version (no ranges)');
    }

    this.renderedValues = deepMerge(props.values, props.extraValues ?? {});
    this.release = new Release(this, 'Release', {
      name: props.releaseName,
      namespace: props.namespace,
      repository: props.chart.repository,
      chart: props.chart.chart,
      version: props.chart.version,
      createNamespace: false,
      atomic: true,
      cleanupOnFail: true,
      timeout: timeoutSeconds,
      // No anchors/aliases: Helm reads them, but a reviewer of the diff should see every value where it applies.
      values: [stringify(this.renderedValues, { sortMapEntries: true, aliasDuplicateObjects: false })],
      provider: props.provider,
      dependsOn: props.dependsOn,
    });
  }
}
