import { App, TerraformStack, Testing } from 'cdktf';
import { environments, loadEnvironments } from '../../config';
import { KmsKey } from '../../constructs/aws-foundation/kms-key';
import { configureBackend } from '../../stacks/backend';
import { helmProvider, kubernetesProvider } from '../../stacks/cluster-access';
import { FoundationStack } from '../../stacks/foundation-stack';

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
});
