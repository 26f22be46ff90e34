import { TerraformVariable } from 'cdktf';
import { Construct } from 'constructs';
import { fail } from '../core/errors';

/** What ElastiCache accepts as an AUTH token, as Terraform's validation message says it. */
export const AUTH_TOKEN_RULE = 'The ElastiCache AUTH token must be 16-128 printable characters without @, ", / or spaces.';

/**
 * The sensitive Terraform variable carrying an ElastiCache AUTH token (`TF_VAR_<variableName>` at deploy time),
 * with its logical id set to `variableName` and the token's rules checked by Terraform before any change. Used by
 * every stack that needs the token (the one creating the group, the one giving it to apps), so that one
 * `TF_VAR_<variableName>` serves them all and the value never reaches synthesised output.
 *
 * @param what who the token is for, for the description (`ElastiCache 'platform-prod'`)
 */
export function elastiCacheAuthTokenVariable(scope: Construct, id: string, variableName: string, what: string): TerraformVariable {
  if (!/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(variableName)) fail(scope, 'authTokenVariableName', variableName, 'must be a Terraform variable name (letters, digits, _)');
  const variable = new TerraformVariable(scope, id, {
    type: 'string',
    sensitive: true,
    nullable: false,
    description: `AUTH token of ${what}: 16-128 printable characters without @, ", / or spaces. Give it as TF_VAR_${variableName}.`,
    validation: [
      {
        // A Terraform expression: JSON configuration needs the `${...}` wrapper.
        condition: `\${length(var.${variableName}) >= 16 && length(var.${variableName}) <= 128 && !can(regex("[@\\"/ ]", var.${variableName}))}`,
        errorMessage: AUTH_TOKEN_RULE,
      },
    ],
  });
  variable.overrideLogicalId(variableName);
  return variable;
}
