import { TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import type { EnvironmentConfig } from '../config';
import { NAMESPACES } from '../config/namespaces';
import { Gp3StorageClass } from '../constructs/aws-foundation/gp3-storage-class';
import { ClusterAutoscaler } from '../constructs/cluster-autoscaler/cluster-autoscaler';
import { KubePrometheusStack } from '../constructs/monitoring/kube-prometheus-stack';
import { MetricsServer } from '../constructs/platform/metrics-server';
import { PodSecurityNamespace } from '../constructs/platform/pod-security-namespace';
import { configureBackend } from './backend';
import { ClusterAccess, helmProvider, kubernetesProvider } from './cluster-access';
import { platformLabels } from '../config/platform-labels';
import { tailSamplerProps } from './tracing';
import { TailSampler } from '../constructs/tracing/tail-sampler';

/**
 * `platform-<env>`: what the environment's workloads stand on. Namespaces with Pod Security labels, and the
 * third-party charts (their operators install the CRDs that `workloads-<env>` then uses).
 */
export class PlatformStack extends TerraformStack {
  public readonly namespaces: Record<keyof typeof NAMESPACES, PodSecurityNamespace>;
  public readonly metricsServer: MetricsServer;
  /** EKS only: the default StorageClass, encrypted gp3 with the foundation's data key. */
  public readonly storageClass?: Gp3StorageClass;
  /** EKS only: the cluster autoscaler, owner of the node groups' desired size. */
  public readonly clusterAutoscaler?: ClusterAutoscaler;
  public readonly monitoring: KubePrometheusStack;
  /** The tail-sampling tier in front of Jaeger (Jaeger itself is a cdk8s workload: charts/tracing-chart.ts). */
  public readonly tailSampler: TailSampler;

  constructor(scope: Construct, id: string, env: EnvironmentConfig, access: ClusterAccess) {
    super(scope, id);
    configureBackend(this, env, id);
    kubernetesProvider(this, access);
    helmProvider(this, access);

    const labels = platformLabels(env, 'namespaces');
    this.namespaces = {
      apps: new PodSecurityNamespace(this, 'ns-apps', { ...NAMESPACES.apps, labels }),
      data: new PodSecurityNamespace(this, 'ns-data', { ...NAMESPACES.data, labels }),
      monitoring: new PodSecurityNamespace(this, 'ns-monitoring', { ...NAMESPACES.monitoring, labels }),
      tracing: new PodSecurityNamespace(this, 'ns-tracing', { ...NAMESPACES.tracing, labels }),
    };

    // Every HorizontalPodAutoscaler reads the metrics API it serves; kube-prometheus-stack waits for it.
    this.metricsServer = new MetricsServer(this, 'metrics-server', {
      replicas: env.cluster.kind === 'kubeconfig' ? 1 : 2,
      kubeletInsecureTls: env.cluster.kind === 'kubeconfig',
    });

    // EKS only (a local cluster brings its own storage and has no node groups): claims without a class get encrypted
    // gp3 volumes, and Pending pods get nodes (up to each node group's maxSize).
    if (access.kind === 'eks' && env.aws) {
      this.storageClass = new Gp3StorageClass(this, 'storage-class-gp3', {
        kmsKeyArn: access.dataKeyArn,
        reclaimPolicy: env.aws.eks.volumeReclaimPolicy,
        labels: platformLabels(env, 'storage'),
      });
      this.clusterAutoscaler = new ClusterAutoscaler(this, 'cluster-autoscaler', {
        clusterName: access.clusterName,
        region: access.region,
        kubernetesVersion: env.aws.eks.version,
        roleArn: access.clusterAutoscalerRoleArn,
        replicas: env.aws.eks.clusterAutoscaler.replicas,
      });
    }

    // Prometheus, Alertmanager, Grafana; installs the prometheus-operator CRDs that workloads-<env> uses.
    const mon = env.monitoring;
    this.monitoring = new KubePrometheusStack(this, 'kube-prometheus-stack', {
      namespace: this.namespaces.monitoring.name,
      prometheus: mon.prometheus,
      alertmanager: mon.alertmanager,
      grafana: { adminSecretName: mon.grafana.adminSecretName, resources: mon.grafana.resources },
      scrapeControlPlane: mon.scrapeControlPlane,
      labels: platformLabels(env, 'monitoring'),
      // Prometheus and Alertmanager claim volumes without a class: on EKS the default class must exist first, or
      // the claims stay Pending and the atomic release rolls back.
      dependsOn: [
        this.namespaces.monitoring.namespace,
        this.metricsServer.helm.release,
        ...(this.storageClass ? [this.storageClass.storageClass] : []),
      ],
    });

    // The tail-sampling tier (OpenTelemetry Collector chart): needs nothing from workloads-<env>, so it is a release here.
    this.tailSampler = new TailSampler(this, 'otel-tail-sampler', {
      ...tailSamplerProps(env),
      dependsOn: [this.namespaces.tracing.namespace],
    });
  }
}
