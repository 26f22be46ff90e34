/** One statement of an IAM policy, as the foundation constructs write them. */
export interface PolicyStatement {
  readonly sid?: string;
  readonly effect?: 'Allow' | 'Deny';
  readonly actions: readonly string[];
  readonly resources: readonly string[];
  /** `{ Bool: { 'aws:SecureTransport': 'false' } }` and the like. */
  readonly condition?: Readonly<Record<string, Readonly<Record<string, string | readonly string[]>>>>;
  /** `{ Service: 'eks.amazonaws.com' }`, `'*'`; only for resource policies and trust policies. */
  readonly principal?: string | Readonly<Record<string, string | readonly string[]>>;
}

/**
 * An IAM policy document as a JSON string. Terraform references inside (ARNs) stay tokens and are resolved by
 * cdktf; keys stay in a fixed order so that the synthesised text is stable.
 */
export function policyJson(statements: readonly PolicyStatement[]): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: statements.map((s) => ({
      ...(s.sid ? { Sid: s.sid } : {}),
      Effect: s.effect ?? 'Allow',
      ...(s.principal ? { Principal: s.principal } : {}),
      Action: s.actions.length === 1 ? s.actions[0] : s.actions,
      Resource: s.resources.length === 1 ? s.resources[0] : s.resources,
      ...(s.condition ? { Condition: s.condition } : {}),
    })),
  });
}

/** The trust policy of a role that an AWS service assumes. */
export function serviceTrustJson(service: string, actions: readonly string[] = ['sts:AssumeRole']): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { Service: service }, Action: actions.length === 1 ? actions[0] : actions }],
  });
}
