import { NamespaceV1 } from '@cdktf/provider-kubernetes/lib/namespace-v1';
import { TerraformProvider } from 'cdktf';
import { Construct } from 'constructs';
import { terraformObjectLabels } from '../core/labels';
import { assertDnsLabel } from '../core/validate';

/** Pod Security Standards level (https://kubernetes.io/docs/concepts/security/pod-security-standards/). */
export type PodSecurityLevel = 'restricted' | 'baseline' | 'privileged';

/** Properties of `PodSecurityNamespace`. */
export interface PodSecurityNamespaceProps {
  /** Namespace name (a DNS label). */
  readonly name: string;
  /**
   * Level enforced by Pod Security Admission. `audit` and `warn` always report against `restricted`, so a
   * namespace that must run privileged pods (node exporters) still shows what breaks the strict level.
   * @default 'restricted'
   */
  readonly enforce?: PodSecurityLevel;
  /**
   * Extra labels, for example the environment (`app.kubernetes.io/managed-by: terraform` is always set).
   * @default only the managed-by and Pod Security labels
   */
  readonly labels?: Record<string, string>;
  /** @default the stack's default kubernetes provider */
  readonly provider?: TerraformProvider;
}

/** A namespace carrying Pod Security Admission labels. */
export class PodSecurityNamespace extends Construct {
  public readonly namespace: NamespaceV1;
  /** The namespace name, for neighbours. */
  public readonly name: string;

  constructor(scope: Construct, id: string, props: PodSecurityNamespaceProps) {
    super(scope, id);
    const enforce = props.enforce ?? 'restricted';
    assertDnsLabel(this, 'name', props.name);
    this.name = props.name;
    this.namespace = new NamespaceV1(this, 'Namespace', {
      metadata: {
        name: props.name,
        labels: {
          ...terraformObjectLabels(props.labels),
          'kubernetes.io/metadata.name': props.name,
          'pod-security.kubernetes.io/enforce': enforce,
          'pod-security.kubernetes.io/enforce-version': 'latest',
          'pod-security.kubernetes.io/audit': 'restricted',
          'pod-security.kubernetes.io/warn': 'restricted',
        },
      },
      provider: props.provider,
    });
  }
}
