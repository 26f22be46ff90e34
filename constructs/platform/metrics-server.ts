import { ITerraformDependable, TerraformProvider } from 'cdktf';
import { Construct } from 'constructs';
import { assertInt } from '../core/validate';
import { CHARTS } from '../helm/catalogue';
import { PinnedHelmRelease } from '../helm/pinned-release';

/** Properties of `MetricsServer`. */
export interface MetricsServerProps {
  /**
   * Pods serving the metrics API; 2 or more also gets a PodDisruptionBudget, so a drain never leaves every HPA
   * blind.
   * @default 2
   */
  readonly replicas?: number;
  /**
   * Skip verifying kubelet serving certificates. Only for local clusters (kind, minikube) whose kubelets use
   * self-signed certificates.
   * @default false
   */
  readonly kubeletInsecureTls?: boolean;
  /**
   * Namespace of the release.
   * @default 'kube-system'
   */
  readonly namespace?: string;
  /** @default the stack's default helm provider */
  readonly provider?: TerraformProvider;
  /** @default none */
  readonly dependsOn?: ITerraformDependable[];
}

/** metrics-server: the resource metrics API that every HorizontalPodAutoscaler on CPU or memory reads. */
export class MetricsServer extends Construct {
  public readonly helm: PinnedHelmRelease;

  constructor(scope: Construct, id: string, props: MetricsServerProps = {}) {
    super(scope, id);
    const replicas = props.replicas ?? 2;
    const kubeletInsecureTls = props.kubeletInsecureTls ?? false;
    const namespace = props.namespace ?? 'kube-system';
    assertInt(this, 'replicas', replicas, 1, 5);

    this.helm = new PinnedHelmRelease(this, 'Helm', {
      chart: CHARTS.metricsServer,
      releaseName: 'metrics-server',
      namespace,
      provider: props.provider,
      dependsOn: props.dependsOn,
      values: {
        replicas,
        args: kubeletInsecureTls ? ['--kubelet-insecure-tls'] : [],
        resources: { requests: { cpu: '100m', memory: '200Mi' }, limits: { memory: '400Mi' } },
        podDisruptionBudget: { enabled: replicas > 1, minAvailable: 1 },
        // Spread replicas over nodes so one node's loss keeps the metrics API up.
        affinity:
          replicas > 1
            ? {
                podAntiAffinity: {
                  requiredDuringSchedulingIgnoredDuringExecution: [
                    {
                      topologyKey: 'kubernetes.io/hostname',
                      labelSelector: { matchLabels: { 'app.kubernetes.io/name': 'metrics-server' } },
                    },
                  ],
                },
              }
            : {},
      },
    });
  }
}
