import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import { Testing } from 'cdktf';
import { ElastiCacheRedisClientSecret, ElastiCacheRedisClientSecretProps } from '../../../constructs/redis/elasticache-redis-client-secret';

function synth(props: Partial<ElastiCacheRedisClientSecretProps> = {}): any {
  const out = Testing.synthScope((scope) => {
    new KubernetesProvider(scope, 'kubernetes', {});
    new ElastiCacheRedisClientSecret(scope, 'client', { namespace: 'apps', authTokenVariableName: 'redis_auth_token', ...props });
  });
  return JSON.parse(out);
}

function errorOf(props: Partial<ElastiCacheRedisClientSecretProps>): string {
  try {
    synth(props);
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected an error');
}

const secrets = (json: any) => Object.values(json.resource.kubernetes_secret_v1) as any[];

describe('ElastiCacheRedisClientSecret', () => {
  test('defaults: Secret apps/redis-client, key password = the sensitive variable, nothing else', () => {
    const json = synth();
    expect(secrets(json)).toHaveLength(1);
    const [secret] = secrets(json);
    expect(secret.metadata).toEqual({ name: 'redis-client', namespace: 'apps', labels: { 'app.kubernetes.io/managed-by': 'terraform' } });
    expect(secret.type).toBe('Opaque');
    // Only a reference: the token itself is given at deploy time (TF_VAR_redis_auth_token).
    expect(secret.data).toEqual({ password: '${var.redis_auth_token}' });
    expect(json.variable.redis_auth_token).toMatchObject({ type: 'string', sensitive: true, nullable: false });
    expect(json.variable.redis_auth_token.default).toBeUndefined();
    expect(json.variable.redis_auth_token.description).toContain('TF_VAR_redis_auth_token');
  });

  test('checks the token as the ElastiCache group does (same Terraform validation)', () => {
    const [rule] = synth().variable.redis_auth_token.validation;
    expect(rule).toEqual({
      condition: '${length(var.redis_auth_token) >= 16 && length(var.redis_auth_token) <= 128 && !can(regex("[@\\"/ ]", var.redis_auth_token))}',
      error_message: 'The ElastiCache AUTH token must be 16-128 printable characters without @, ", / or spaces.',
    });
  });

  test('secret name and key, variable name and labels are props', () => {
    const json = synth({ secret: { name: 'cache-auth', key: 'token' }, authTokenVariableName: 'cache_token', labels: { team: 'platform' } });
    const [secret] = secrets(json);
    expect(secret.metadata).toEqual({ name: 'cache-auth', namespace: 'apps', labels: { team: 'platform', 'app.kubernetes.io/managed-by': 'terraform' } });
    expect(secret.data).toEqual({ token: '${var.cache_token}' });
    expect(Object.keys(json.variable)).toEqual(['cache_token']);
  });

  test.each([
    [{ namespace: 'Apps' }, "[stack/client] 'namespace' ('Apps')"],
    [{ secret: { name: 'redis_client', key: 'password' } }, "[stack/client] 'secret.name' ('redis_client')"],
    [{ secret: { name: 'redis-client', key: 'a/b' } }, "[stack/client] 'secret.key' ('a/b')"],
    [{ authTokenVariableName: 'redis-auth-token' }, "[stack/client] 'authTokenVariableName' ('redis-auth-token') must be a Terraform variable name (letters, digits, _)"],
  ])('fails on %j', (props, start) => {
    expect(errorOf(props)).toMatch(new RegExp(`^${start.replace(/[[\]().*+?/\\]/g, '\\$&')}`));
  });
});
