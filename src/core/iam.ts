/**
 * Typed IAM policy documents. Policies are rendered with `JSON.stringify`, so the synthesized
 * Terraform shows the whole document (cdktf resolves the tokens inside the string).
 */

/** One IAM policy statement. */
export interface PolicyStatement {
  readonly Sid?: string;
  readonly Effect: 'Allow' | 'Deny';
  readonly Action: string | readonly string[];
  readonly Resource?: string | readonly string[];
  readonly Principal?: '*' | Readonly<Record<string, string | readonly string[]>>;
  readonly Condition?: Readonly<Record<string, Readonly<Record<string, string | boolean | readonly string[]>>>>;
}

/** A policy document string made from statements. */
export function policyDocument(statements: readonly PolicyStatement[]): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: statements });
}

/** The trust policy that lets an AWS service assume a role. */
export function assumeRolePolicy(service: string | readonly string[]): string {
  return policyDocument([{ Effect: 'Allow', Principal: { Service: service }, Action: 'sts:AssumeRole' }]);
}

/** Something that can be granted permissions: it collects statements into its own policy. */
export interface IGrantable {
  /** Adds a statement to the grantee's policy. */
  addToPolicy(statement: PolicyStatement): void;
}
