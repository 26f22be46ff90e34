import { LocalBackend, S3Backend, TerraformStack } from 'cdktf';
import type { EnvironmentConfig } from '../config';

/**
 * Terraform variable carrying managed Redis's AUTH token, in `foundation-<env>` (the ElastiCache group) and
 * `workloads-<env>` (apps' client Secret): one `TF_VAR_redis_auth_token` serves both deploys. Like the backend,
 * deploy-time input shared by the stacks of an environment.
 */
export const REDIS_AUTH_TOKEN_VARIABLE = 'redis_auth_token';

/**
 * State per stack. AWS environments keep it in S3 with S3-native locking (`use_lockfile`, Terraform >= 1.10),
 * encrypted; never local. dev keeps it in `terraform-state/` at the project root: a relative path, so the
 * synthesised JSON is the same on every machine (cdktf's default is an absolute path).
 */
export function configureBackend(stack: TerraformStack, env: EnvironmentConfig, stackName: string): void {
  if (env.aws) {
    const backend = new S3Backend(stack, {
      bucket: env.aws.state.bucket,
      key: `${stackName}/terraform.tfstate`,
      region: env.aws.region,
      encrypt: true,
    });
    backend.addOverride('use_lockfile', true);
    return;
  }
  // Terraform runs in cdktf.out/stacks/<stack>/: three levels up is the project root.
  new LocalBackend(stack, { path: `../../../terraform-state/${stackName}.tfstate` });
}
