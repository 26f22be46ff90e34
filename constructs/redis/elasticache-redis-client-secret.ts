import { SecretV1 } from '@cdktf/provider-kubernetes/lib/secret-v1';
import { TerraformVariable } from 'cdktf';
import { Construct } from 'constructs';
import { terraformObjectLabels } from '../core/labels';
import { assertDnsLabel, assertSecretKey } from '../core/validate';
import { elastiCacheAuthTokenVariable } from './elasticache-auth-token';
import { REDIS_CLIENT_SECRET } from './redis-client';

/** Properties of `ElastiCacheRedisClientSecret`. */
export interface ElastiCacheRedisClientSecretProps {
  /** Namespace of the apps that read it. */
  readonly namespace: string;
  /**
   * Name of the sensitive Terraform variable carrying the AUTH token: the same name as the stack that creates the
   * group uses (`ElastiCacheRedisProps.authTokenVariableName`), so that one `TF_VAR_<name>` serves both.
   */
  readonly authTokenVariableName: string;
  /**
   * The Secret's name and the key holding the token (apps' `REDIS_PASSWORD` reads it by `secretKeyRef`).
   * @default REDIS_CLIENT_SECRET, `redis-client` / `password`
   */
  readonly secret?: { readonly name: string; readonly key: string };
  /**
   * Labels of the Secret, such as the environment's (`app.kubernetes.io/managed-by: terraform` is always set).
   * @default only `app.kubernetes.io/managed-by: terraform`
   */
  readonly labels?: Readonly<Record<string, string>>;
}

/**
 * The client Secret of managed Redis (ElastiCache), as a Terraform `kubernetes_secret_v1` in the apps' namespace:
 * one key holding the AUTH token, taken from a sensitive Terraform variable at deploy time. The synthesised
 * configuration carries only `${var.<name>}`; the value lives in the stack's state (as the group's own state holds
 * it), so keep that state encrypted and access-controlled. The in-cluster modes' client Secret is made outside this
 * project (Vault, External Secrets), with the same password as the server's.
 */
export class ElastiCacheRedisClientSecret extends Construct {
  public readonly authToken: TerraformVariable;
  public readonly secret: SecretV1;
  /** Name of the Secret (plain string). */
  public readonly secretName: string;
  /** Key of the token in the Secret (plain string). */
  public readonly secretKey: string;

  constructor(scope: Construct, id: string, props: ElastiCacheRedisClientSecretProps) {
    super(scope, id);
    const { name, key } = props.secret ?? REDIS_CLIENT_SECRET;
    assertDnsLabel(this, 'namespace', props.namespace);
    assertDnsLabel(this, 'secret.name', name);
    assertSecretKey(this, 'secret.key', key);

    this.authToken = elastiCacheAuthTokenVariable(this, 'AuthToken', props.authTokenVariableName, `the ElastiCache group apps connect to (Secret ${props.namespace}/${name})`);
    this.secret = new SecretV1(this, 'Secret', {
      metadata: { name, namespace: props.namespace, labels: terraformObjectLabels(props.labels) },
      type: 'Opaque',
      data: { [key]: this.authToken.stringValue },
    });
    this.secretName = name;
    this.secretKey = key;
  }
}
