import { DataAwsIamPolicyDocument } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { Construct } from 'constructs';
import { fail } from '../core/errors';
import { assertDnsLabel } from '../core/validate';
import { PolicyStatement, policyJson } from './iam';

/** Properties of `IrsaRole`. */
export interface IrsaRoleProps {
  /** IAM role name. */
  readonly roleName: string;
  /** ARN of the cluster's IAM OIDC provider. */
  readonly oidcProviderArn: string;
  /** The cluster's OIDC issuer without `https://` (`oidc.eks.<region>.amazonaws.com/id/<id>`). */
  readonly oidcIssuer: string;
  /** Namespace of the one service account allowed to assume the role. */
  readonly namespace: string;
  /** Name of the one service account allowed to assume the role. */
  readonly serviceAccount: string;
  /** What the role may do (an inline policy); with `managedPolicyArns`, what it may do beyond them. */
  readonly statements: readonly PolicyStatement[];
  /**
   * AWS managed policies attached to the role (`arn:aws:iam::aws:policy/...`), for the controllers AWS documents one
   * for (the EBS CSI driver).
   * @default none
   */
  readonly managedPolicyArns?: readonly string[];
}

/**
 * An IAM role for one Kubernetes service account (IRSA). The trust policy accepts web identities from the cluster's
 * OIDC provider only when the token's `sub` is exactly `system:serviceaccount:<namespace>:<serviceAccount>` and its
 * `aud` is STS: no wildcard, no other service account. The trust policy is built by the provider's
 * `aws_iam_policy_document` (computed locally, no AWS call), so a plan shows its conditions.
 */
export class IrsaRole extends Construct {
  public readonly role: IamRole;
  public readonly trustPolicy: DataAwsIamPolicyDocument;
  /**
   * Role ARN (a Terraform reference): annotate the service account with `eks.amazonaws.com/role-arn` in a
   * Terraform stack (a cross-stack reference), never by passing it into a cdk8s chart, where it would be a token.
   */
  public readonly arn: string;
  /** `system:serviceaccount:<namespace>:<name>`. */
  public readonly subject: string;

  constructor(scope: Construct, id: string, props: IrsaRoleProps) {
    super(scope, id);
    assertDnsLabel(this, 'namespace', props.namespace);
    if (!/^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/.test(props.serviceAccount)) {
      fail(this, 'serviceAccount', props.serviceAccount, 'must be one service account name (a DNS subdomain), no wildcards');
    }
    const managedPolicyArns = props.managedPolicyArns ?? [];
    if (props.statements.length === 0 && managedPolicyArns.length === 0) fail(this, 'statements', props.statements, 'must grant at least one permission');
    for (const arn of managedPolicyArns) {
      if (!/^arn:aws:iam::aws:policy\/[\w+=,.@/-]+$/.test(arn)) fail(this, 'managedPolicyArns', arn, "must be an AWS managed policy ARN such as 'arn:aws:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy'");
    }
    for (const s of props.statements) {
      if (s.actions.some((a) => a === '*' || a.endsWith(':*'))) fail(this, 'statements', s.actions, 'must name actions, not wildcards');
    }

    this.subject = `system:serviceaccount:${props.namespace}:${props.serviceAccount}`;
    this.trustPolicy = new DataAwsIamPolicyDocument(this, 'Trust', {
      statement: [
        {
          effect: 'Allow',
          actions: ['sts:AssumeRoleWithWebIdentity'],
          principals: [{ type: 'Federated', identifiers: [props.oidcProviderArn] }],
          condition: [
            { test: 'StringEquals', variable: `${props.oidcIssuer}:sub`, values: [this.subject] },
            { test: 'StringEquals', variable: `${props.oidcIssuer}:aud`, values: ['sts.amazonaws.com'] },
          ],
        },
      ],
    });
    this.role = new IamRole(this, 'Role', {
      name: props.roleName,
      description: `IRSA: ${this.subject}`,
      assumeRolePolicy: this.trustPolicy.json,
      maxSessionDuration: 3600,
    });
    if (props.statements.length > 0) {
      new IamRolePolicy(this, 'Policy', { role: this.role.id, name: 'permissions', policy: policyJson(props.statements) });
    }
    for (const arn of managedPolicyArns) {
      new IamRolePolicyAttachment(this, `Managed-${arn.split('/').pop()}`, { role: this.role.name, policyArn: arn });
    }
    this.arn = this.role.arn;
  }
}
