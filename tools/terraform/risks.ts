/**
 * What a plan must never do to a deployed stack, as lists of resource types: the journey test
 * (`__tests__/terraform/journeys.test.ts`) holds every step to them, and `npm run plan -- <stack>
 * --from ...` names each breach in its summary.
 */
import type { PlanSummary } from './plan';

/** Types whose replacement or destruction loses data. */
export const STATEFUL_TYPES: readonly string[] = [
  'aws_s3_bucket',
  'aws_dynamodb_table',
  'aws_efs_file_system',
  'aws_ecr_repository',
  'aws_kms_key',
  'aws_secretsmanager_secret',
  'aws_sqs_queue',
  'aws_cloudwatch_log_group',
  'aws_backup_vault',
  'aws_elasticache_replication_group',
];

/** Types that serve traffic: they must never be gone, not even for the time a replacement takes. */
export const SERVING_TYPES: readonly string[] = [
  'aws_lb',
  'aws_lb_listener',
  'aws_lb_listener_rule',
  'aws_ecs_service',
  'aws_apigatewayv2_api',
  'aws_apigatewayv2_stage',
  'aws_apigatewayv2_vpc_link',
  'aws_api_gateway_rest_api',
  'aws_api_gateway_stage',
  'aws_subnet',
  'aws_nat_gateway',
  'aws_instance',
  'aws_vpc_endpoint',
];

/**
 * Addresses of `types` the plan destroys or replaces (only destroy-first replacements when
 * `destroyFirstOnly`), each with how: `aws_s3_bucket.data (replace destroy-first)`.
 */
export function harmed(plan: Pick<PlanSummary, 'actions' | 'replaceOrder'>, types: readonly string[], destroyFirstOnly: boolean): string[] {
  return Object.entries(plan.actions)
    .filter(([address, kind]) => types.includes(address.split('.')[0]) && (kind === 'destroy' || (kind === 'replace' && (!destroyFirstOnly || plan.replaceOrder[address] === 'destroy-first'))))
    .map(([address, kind]) => `${address} (${kind}${kind === 'replace' ? ` ${plan.replaceOrder[address]}` : ''})`);
}

/** What a plan does that the rules above forbid: stateful resources replaced or destroyed, serving ones gone. */
export interface PlanRisks {
  /** Stateful resources the plan replaces (either order) or destroys: their data is lost. */
  readonly stateful: readonly string[];
  /** Serving resources the plan destroys, or replaces destroy-first: traffic fails meanwhile. */
  readonly serving: readonly string[];
}

/** The breaches of a plan (the journey test's rules). */
export function planRisks(plan: Pick<PlanSummary, 'actions' | 'replaceOrder'>): PlanRisks {
  return { stateful: harmed(plan, STATEFUL_TYPES, false), serving: harmed(plan, SERVING_TYPES, true) };
}
