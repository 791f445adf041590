/**
 * Typed IAM policy documents, rendered with `jsonencode` so they stay valid in JSON and HCL output
 * (see ./json.ts); tests read them back with `decodeJsonencode`.
 */
import { jsonencode } from './json';

/** A condition block: operator -> key -> value(s). */
export type PolicyCondition = Readonly<Record<string, Readonly<Record<string, string | boolean | readonly string[]>>>>;

/** One IAM policy statement. */
export interface PolicyStatement {
  readonly Sid?: string;
  readonly Effect: 'Allow' | 'Deny';
  readonly Action: string | readonly string[];
  readonly Resource?: string | readonly string[];
  readonly Principal?: '*' | Readonly<Record<string, string | readonly string[]>>;
  readonly Condition?: PolicyCondition;
}

/** A policy document expression made from statements. */
export function policyDocument(statements: readonly PolicyStatement[]): string {
  return jsonencode({ Version: '2012-10-17', Statement: statements });
}

/** The trust policy that lets AWS services assume a role. */
export function assumeRolePolicy(service: string | readonly string[], condition?: PolicyCondition): string {
  return policyDocument([{ Effect: 'Allow', Principal: { Service: service }, Action: 'sts:AssumeRole', Condition: condition }]);
}

/** Something that can be granted permissions: it collects statements into its own policy. */
export interface IGrantable {
  /** Adds a statement to the grantee's policy. */
  addToPolicy(statement: PolicyStatement): void;
}

/** Something encrypted with a customer managed key that grantees must also be allowed to use. */
export interface IKeyUser {
  /** ARN of the customer managed key, when there is one. */
  readonly kmsKeyArn?: string;
}

/** Adds `kms:Decrypt` (and `kms:GenerateDataKey*` when `write`) on `key` to `grantee`, when the resource has a customer key. */
export function grantKeyUse(grantee: IGrantable, key: IKeyUser | undefined, write: boolean): void {
  if (!key?.kmsKeyArn) return;
  grantee.addToPolicy({ Effect: 'Allow', Action: write ? ['kms:Decrypt', 'kms:GenerateDataKey*'] : ['kms:Decrypt'], Resource: key.kmsKeyArn });
}
