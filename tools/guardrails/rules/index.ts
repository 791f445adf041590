/** The rule pack: every rule, in the order the report and docs/guardrails.md list them. */
import type { Rule } from '../engine';
import { COMPUTE_RULES } from './compute';
import { IDENTITY_RULES } from './identity';
import { NETWORK_RULES } from './network';
import { SERVERLESS_RULES } from './serverless';
import { STORAGE_RULES } from './storage';

const ORDER = ['S3', 'EFS', 'DDB', 'VPC', 'SG', 'ALB', 'ECS', 'EC2', 'BATCH', 'ECR', 'IAM', 'KMS', 'SM', 'TF', 'SQS', 'SNS', 'LMB', 'API', 'LOG', 'CW'];

function service(id: string): string {
  return id.split('-')[1];
}

/** Every rule of the pack, grouped by service (the order of `ORDER`), then by id. */
export const RULES: readonly Rule[] = [...STORAGE_RULES, ...NETWORK_RULES, ...COMPUTE_RULES, ...IDENTITY_RULES, ...SERVERLESS_RULES].sort(
  (a, b) => ORDER.indexOf(service(a.id)) - ORDER.indexOf(service(b.id)) || a.id.localeCompare(b.id),
);

/** The rule with `id`. */
export const RULES_BY_ID: ReadonlyMap<string, Rule> = new Map(RULES.map((r) => [r.id, r]));
