import { App, TerraformStack, Testing } from 'cdktf';
import { environments, loadEnvironments } from '../../config';
import { KmsKey } from '../../constructs/aws-foundation/kms-key';
import { configureBackend } from '../../stacks/backend';
import { helmProvider, kubernetesProvider } from '../../stacks/cluster-access';
import { FoundationStack } from '../../stacks/foundation-stack';
import { PlatformStack } from '../../stacks/platform-stack';
import { parse } from 'yaml';

const [dev, staging, prod] = loadEnvironments(environments, ['dev', 'staging', 'prod']);

/** Foundation plus a stack that reaches the cluster the way platform/workloads do, synthesised together. */
function build(env = prod) {
  const app = Testing.app({ stackTraces: false });
  const foundation = new FoundationStack(app, `foundation-${env.name}`, { ...env, aws: env.aws! });
  const consumer = new TerraformStack(app, `platform-${env.name}`);
  configureBackend(consumer, env, `platform-${env.name}`);
  kubernetesProvider(consumer, foundation.clusterAccess);
  helmProvider(consumer, foundation.clusterAccess);
  consumer.addDependency(foundation);
  app.synth();
  const json = (stack: TerraformStack) => JSON.parse(Testing.synth(stack));
  return { app, foundation, consumer, foundationJson: json(foundation), consumerJson: json(consumer) };
}

describe('FoundationStack', () => {
  const built = build();

  test('with managed Redis, CloudWatch and ElastiCache may use the data key for this account only (alarm topic)', () => {
    const policyOf = (env: typeof prod) => JSON.parse(build(env).foundation.dataKey.policyDocument!);
    const statement = policyOf(prod).Statement.find((st: any) => st.Sid === 'AlarmNotifications');
    expect(statement).toEqual({
      Sid: 'AlarmNotifications',
      Effect: 'Allow',
      Principal: { Service: ['cloudwatch.amazonaws.com', 'elasticache.amazonaws.com'] },
      Action: ['kms:GenerateDataKey*', 'kms:Decrypt'],
      Resource: '*',
      Condition: { StringEquals: { 'aws:SourceAccount': prod.aws!.accountId } },
    });
    // staging runs Redis in the cluster: no topic, no such statement.
    expect(policyOf(staging).Statement.map((st: any) => st.Sid)).not.toContain('AlarmNotifications');
  });

  test('exposes the contract the Redis construct builds on: network, eks security group, data key', () => {
    const { foundation } = built;
    expect(foundation.network.vpc).toBeDefined();
    expect(foundation.network.privateSubnets).toHaveLength(prod.aws!.zones.length);
    expect(typeof foundation.eks.clusterSecurityGroupId).toBe('string');
    expect(foundation.eks.clusterSecurityGroupId).toContain('${TfToken[');
    expect(foundation.dataKey).toBeInstanceOf(KmsKey);
    expect(foundation.dataKey.key.enableKeyRotationInput).toBe(true);
  });

  test('the data key encrypts EKS secrets and the backup bucket; the Vault key is separate', () => {
    const { foundationJson } = built;
    const keyRef = (name: string) => Object.keys(foundationJson.resource.aws_kms_key).find((k) => k.startsWith(name))!;
    const dataKey = `\${aws_kms_key.${keyRef('data-key')}.arn}`;
    const cluster: any = Object.values(foundationJson.resource.aws_eks_cluster)[0];
    expect(cluster.encryption_config.provider.key_arn).toBe(dataKey);
    const sse: any = Object.values(foundationJson.resource.aws_s3_bucket_server_side_encryption_configuration)[0];
    expect(sse.rule[0].apply_server_side_encryption_by_default.kms_master_key_id).toBe(dataKey);
    expect(keyRef('vault-unseal-key')).toBeDefined();
    expect(keyRef('vault-unseal-key')).not.toBe(keyRef('data-key'));
  });

  test('state lives in S3 per stack with S3-native locking, encrypted', () => {
    expect(built.foundationJson.terraform.backend).toEqual({
      s3: { bucket: 'example-platform-tfstate-prod', key: 'foundation-prod/terraform.tfstate', region: 'eu-west-1', encrypt: true, use_lockfile: true },
    });
    expect(built.consumerJson.terraform.backend.s3.key).toBe('platform-prod/terraform.tfstate');
  });

  test('dev keeps local state in the project (no AWS there)', () => {
    const app = new App({ stackTraces: false });
    const stack = new TerraformStack(app, 'platform-dev');
    configureBackend(stack, dev, 'platform-dev');
    expect(JSON.parse(Testing.synth(stack)).terraform.backend).toEqual({ local: { path: '../../../terraform-state/platform-dev.tfstate' } });
  });

  test('platform reaches the cluster through the foundation outputs (cross-stack references)', () => {
    const { foundationJson, consumerJson } = built;
    const remote = consumerJson.data.terraform_remote_state['cross-stack-reference-input-foundation-prod'];
    expect(remote).toMatchObject({ backend: 's3', config: { bucket: 'example-platform-tfstate-prod', key: 'foundation-prod/terraform.tfstate', region: 'eu-west-1' } });
    const k8s = consumerJson.provider.kubernetes[0];
    expect(k8s.host).toMatch(/^\$\{data\.terraform_remote_state\.cross-stack-reference-input-foundation-prod\.outputs\.cross-stack-output-aws_eks_cluster[^}]*endpoint\}$/);
    expect(k8s.cluster_ca_certificate).toMatch(/^\$\{base64decode\(data\.terraform_remote_state\.cross-stack-reference-input-foundation-prod\.outputs\./);
    expect(k8s.exec[0]).toEqual({ api_version: 'client.authentication.k8s.io/v1beta1', command: 'aws', args: ['eks', 'get-token', '--cluster-name', 'platform-prod', '--region', 'eu-west-1'] });
    expect(consumerJson.provider.helm[0].kubernetes.host).toBe(k8s.host);
    const outputs = Object.keys(foundationJson.output);
    expect(outputs.filter((o) => o.startsWith('cross-stack-output-')).sort()).toHaveLength(2);
  });

  test('outputs name what operators and the other stacks need', () => {
    // Other components (managed Redis) add their own outputs; these are the foundation's.
    expect(Object.keys(built.foundationJson.output)).toEqual(
      expect.arrayContaining(['backup_bucket', 'backup_writer_role_arn', 'cluster_name', 'oidc_provider_arn', 'vault_unseal_key_id', 'vault_unseal_role_arn', 'vpc_id']),
    );
  });

  test('the IRSA roles trust the configured service accounts', () => {
    expect(built.foundation.vaultUnsealRole.subject).toBe('system:serviceaccount:vault:vault');
    expect(built.foundation.backupWriterRole.subject).toBe('system:serviceaccount:logging:elasticsearch-snapshots');
  });

  test('staging: one NAT gateway; prod: one per zone (from config)', () => {
    expect(build(staging).foundation.network.natGateways).toHaveLength(1);
    expect(built.foundation.network.natGateways).toHaveLength(3);
  });

  describe('key policies', () => {
    const keyPolicy = (name: string) => {
      const [, key] = Object.entries(built.foundationJson.resource.aws_kms_key).find(([k]) => k.startsWith(name))! as [string, any];
      return JSON.parse(key.policy);
    };
    const roleName = (prefix: string) => (Object.entries(built.foundationJson.resource.aws_iam_role).find(([k]) => k.startsWith(prefix))![1] as any).name;
    const root = 'arn:aws:iam::444455556666:root';

    test('the Vault unseal key: the root administers, only the vault-unseal role encrypts and decrypts', () => {
      const doc = keyPolicy('vault-unseal-key');
      expect(doc.Statement.map((st: any) => st.Sid)).toEqual(['KeyAdministration', 'VaultUnseal']);
      expect(doc.Statement[1]).toEqual({
        Sid: 'VaultUnseal',
        Effect: 'Allow',
        Principal: { AWS: root },
        Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:DescribeKey'],
        Resource: '*',
        Condition: { ArnEquals: { 'aws:PrincipalArn': `arn:aws:iam::444455556666:role/${roleName('vault-unseal-role')}` } },
      });
      expect(doc.Statement[0].Action).not.toContain('kms:Decrypt');
    });

    test('the data key: EKS cluster role, EBS and ElastiCache through their services, the backup writer; nobody else', () => {
      const doc = keyPolicy('data-key');
      const bySid = Object.fromEntries(doc.Statement.map((st: any) => [st.Sid, st]));
      // prod runs managed Redis: CloudWatch and ElastiCache publish to its encrypted alarm topic (tested above).
      expect(Object.keys(bySid)).toEqual(['KeyAdministration', 'EksClusterSecrets', 'EbsAndElastiCache', 'GrantsForAwsResources', 'BackupWriter', 'AlarmNotifications']);
      for (const st of doc.Statement.filter((x: any) => x.Sid !== 'AlarmNotifications')) expect(st.Principal).toEqual({ AWS: root });
      expect(bySid.EksClusterSecrets.Condition).toEqual({ ArnEquals: { 'aws:PrincipalArn': `arn:aws:iam::444455556666:role/${roleName('eks_ClusterRole')}` } });
      expect(bySid.BackupWriter.Condition).toEqual({ ArnEquals: { 'aws:PrincipalArn': `arn:aws:iam::444455556666:role/${roleName('backup-writer-role')}` } });
      expect(bySid.EbsAndElastiCache.Condition).toEqual({
        StringEquals: { 'kms:ViaService': ['ec2.eu-west-1.amazonaws.com', 'elasticache.eu-west-1.amazonaws.com'], 'kms:CallerAccount': '444455556666' },
      });
      expect(bySid.GrantsForAwsResources.Condition).toMatchObject({ Bool: { 'kms:GrantIsForAWSResource': 'true' } });
      // Every statement but administration is conditioned on a role or a service.
      for (const st of doc.Statement.slice(1)) expect(Object.keys(st.Condition).some((c) => c === 'ArnEquals' || c === 'StringEquals')).toBe(true);
    });
  });

  test('the backup writer reads and writes objects under backups/ and es-snapshots/ only', () => {
    const [, policy] = Object.entries(built.foundationJson.resource.aws_iam_role_policy).find(([k]) => k.startsWith('backup-writer-role'))! as [string, any];
    const objects = JSON.parse(policy.policy).Statement.find((st: any) => [st.Action].flat().includes('s3:PutObject'));
    expect(objects.Resource).toEqual([expect.stringMatching(/\.arn\}\/backups\/\*$/), expect.stringMatching(/\.arn\}\/es-snapshots\/\*$/)]);
    expect(built.foundationJson.output.es_snapshot_base_path.value).toBe('es-snapshots');
  });

  test('EKS: add-ons, an access entry per configured admin, and the cluster autoscaler role', () => {
    const { foundationJson } = built;
    const addonNames = Object.values(foundationJson.resource.aws_eks_addon).map((a: any) => a.addon_name).sort();
    expect(addonNames).toEqual(['aws-ebs-csi-driver', 'coredns', 'kube-proxy', 'vpc-cni']);
    expect(Object.values(foundationJson.resource.aws_eks_access_entry).map((e: any) => e.principal_arn)).toEqual(prod.aws!.eks.adminPrincipalArns);
    expect(built.foundation.clusterAutoscalerRole.irsa.subject).toBe('system:serviceaccount:kube-system:cluster-autoscaler');
    expect(Object.keys(foundationJson.output)).toContain('cluster_autoscaler_role_arn');
  });

  describe('platform stack on EKS', () => {
    function buildPlatform(env = prod) {
      const app = Testing.app({ stackTraces: false });
      const foundation = new FoundationStack(app, `foundation-${env.name}`, { ...env, aws: env.aws! });
      const platform = new PlatformStack(app, `platform-${env.name}`, env, foundation.clusterAccess);
      platform.addDependency(foundation);
      app.synth();
      return JSON.parse(Testing.synth(platform));
    }
    const remote = (env: string) => new RegExp(`^\\$\\{data\\.terraform_remote_state\\.cross-stack-reference-input-foundation-${env}\\.outputs\\.cross-stack-output-`);

    test('the default StorageClass is encrypted gp3 with the foundation data key (cross-stack), reclaim policy from config', () => {
      for (const env of [staging, prod]) {
        const sc: any = Object.values(buildPlatform(env).resource.kubernetes_storage_class_v1);
        expect(sc).toHaveLength(1);
        expect(sc[0].metadata.annotations).toEqual({ 'storageclass.kubernetes.io/is-default-class': 'true' });
        expect(sc[0].parameters.kmsKeyId).toMatch(remote(env.name));
        expect(sc[0].parameters.kmsKeyId).toMatch(/aws_kms_keydata-key/);
        expect(sc[0].reclaim_policy).toBe(env.aws!.eks.volumeReclaimPolicy);
      }
    });

    test('the cluster autoscaler release runs as the foundation role (cross-stack), replicas from config', () => {
      const json = buildPlatform();
      const [release]: any[] = Object.values(json.resource.helm_release).filter((r: any) => r.chart === 'cluster-autoscaler');
      expect(release).toBeDefined();
      const values = parse(release.values[0]);
      expect(values.rbac.serviceAccount.annotations['eks.amazonaws.com/role-arn']).toMatch(remote('prod'));
      expect(values).toMatchObject({ autoDiscovery: { clusterName: 'platform-prod' }, awsRegion: 'eu-west-1', replicaCount: 2 });
    });
  });

  test('dev (kubeconfig) gets neither the StorageClass nor the cluster autoscaler', () => {
    const app = Testing.app({ stackTraces: false });
    const platform = new PlatformStack(app, 'platform-dev', dev, { kind: 'kubeconfig', kubeconfigPath: '~/.kube/config', context: 'kind' });
    const json = JSON.parse(Testing.synth(platform));
    expect(json.resource.kubernetes_storage_class_v1).toBeUndefined();
    expect(Object.values(json.resource.helm_release).map((r: any) => r.chart)).not.toContain('cluster-autoscaler');
    expect(platform.storageClass).toBeUndefined();
    expect(platform.clusterAutoscaler).toBeUndefined();
  });
});
