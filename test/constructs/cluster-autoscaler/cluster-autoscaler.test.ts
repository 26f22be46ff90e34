import { Testing } from 'cdktf';
import { parse } from 'yaml';
import { CHARTS } from '../../../constructs/helm/catalogue';
import { BALANCING_IGNORED_LABELS, CLUSTER_AUTOSCALER_IMAGE_TAG, ClusterAutoscaler, ClusterAutoscalerProps } from '../../../constructs/cluster-autoscaler/cluster-autoscaler';

const base: ClusterAutoscalerProps = {
  clusterName: 'platform-test',
  region: 'eu-west-1',
  kubernetesVersion: '1.33',
  roleArn: 'arn:aws:iam::111122223333:role/platform-test-cluster-autoscaler',
};
const release = (p: Partial<ClusterAutoscalerProps> = {}): any => {
  const json = JSON.parse(Testing.synthScope((s) => new ClusterAutoscaler(s, 'ca', { ...base, ...p })));
  return Object.values(json.resource.helm_release)[0];
};
const values = (p: Partial<ClusterAutoscalerProps> = {}) => parse(release(p).values[0]);

describe('ClusterAutoscaler', () => {
  test('the pinned catalogue chart from the autoscaler repository, into kube-system', () => {
    expect(release()).toMatchObject({
      name: 'cluster-autoscaler',
      namespace: 'kube-system',
      repository: 'https://kubernetes.github.io/autoscaler',
      chart: 'cluster-autoscaler',
      version: CHARTS.clusterAutoscaler.version,
    });
    expect(CHARTS.clusterAutoscaler.version).toBe('9.50.1');
  });

  test('defaults: auto-discovery of this cluster on AWS, the IRSA service account, 2 replicas with a PDB, system-cluster-critical', () => {
    expect(values()).toMatchObject({
      cloudProvider: 'aws',
      awsRegion: 'eu-west-1',
      autoDiscovery: { clusterName: 'platform-test' },
      image: { tag: CLUSTER_AUTOSCALER_IMAGE_TAG },
      rbac: { serviceAccount: { create: true, name: 'cluster-autoscaler', annotations: { 'eks.amazonaws.com/role-arn': base.roleArn } } },
      replicaCount: 2,
      podDisruptionBudget: { maxUnavailable: 1 },
      priorityClassName: 'system-cluster-critical',
    });
    // No autoDiscovery.tags: the chart's default tags are the ones EKS puts on managed node groups' ASGs.
    expect(values().autoDiscovery).toEqual({ clusterName: 'platform-test' });
  });

  test('non-root, read-only, no privilege escalation, with requests and a memory limit', () => {
    const v = values();
    expect(v.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 65534, seccompProfile: { type: 'RuntimeDefault' } });
    expect(v.containerSecurityContext).toEqual({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
    expect(v.resources).toEqual({ requests: { cpu: '100m', memory: '300Mi' }, limits: { memory: '600Mi' } });
  });

  test('extraArgs: balances the per-zone node groups, ignoring the labels EKS sets per group, and scales down nodes with emptyDir', () => {
    expect(values().extraArgs).toEqual({
      'balance-similar-node-groups': true,
      'skip-nodes-with-local-storage': false,
      'balancing-ignore-label_1': 'eks.amazonaws.com/nodegroup',
      'balancing-ignore-label_2': 'eks.amazonaws.com/nodegroup-image',
      'balancing-ignore-label_3': 'eks.amazonaws.com/sourceLaunchTemplateId',
      'balancing-ignore-label_4': 'eks.amazonaws.com/sourceLaunchTemplateVersion',
      'balancing-ignore-label_5': 'topology.ebs.csi.aws.com/zone',
      'balancing-ignore-label_6': 'topology.k8s.aws/zone-id',
    });
    expect(BALANCING_IGNORED_LABELS).toHaveLength(6);
  });

  test('replicas is set from props', () => {
    expect(values({ replicas: 1 }).replicaCount).toBe(1);
  });

  test('fails when the image minor does not match the cluster (the autoscaler simulates that scheduler)', () => {
    expect(() => release({ kubernetesVersion: '1.34' })).toThrow(
      `[stack/ca] 'kubernetesVersion' ('1.34') must equal the cluster autoscaler's minor version (${CLUSTER_AUTOSCALER_IMAGE_TAG}): bump CHARTS.clusterAutoscaler and the image tag with the cluster`,
    );
  });

  test('fails on a tag that is not a release and on replicas out of range', () => {
    expect(() => release({ imageTag: 'latest' })).toThrow("[stack/ca] 'imageTag' ('latest') must be a release tag such as 'v1.33.3'");
    expect(() => release({ replicas: 0 })).toThrow("[stack/ca] 'replicas' (0) must be an integer from 1 to 3");
  });
});
