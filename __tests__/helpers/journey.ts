/**
 * A deployment journey, planned offline: the steps a user takes with one stack (first apply, images
 * pushed, a scaling change, a new member, a zone added, HTTPS on, a re-synth), each step planned by
 * the real Terraform and provider against the state the step before leaves. That state is made from
 * the previous step's JSON plan: what it creates, updates or keeps, with computed attributes filled
 * by well-formed fakes (see `stateFromPlan`), so a step sees exactly the changes its settings make.
 *
 * Every step is held to what must never happen on a real account, whatever the step:
 * - nothing stateful (bucket, table, file system, repository, key, secret, queue, log group, vault,
 *   cache) is replaced or destroyed;
 * - nothing serving traffic (load balancer, listener, listener rule, service, API, stage, VPC link,
 *   subnet, NAT, endpoint) is destroyed, or replaced destroy-first;
 * - what the configuration says reaches AWS: every scaling target ends with the configured bounds
 *   (a bound Terraform ignores must still arrive, by a re-registration).
 */
import * as fs from 'fs';
import * as path from 'path';
import { TerraformStack } from 'cdktf';
import { deepMerge } from '../../stacks/settings';
import { PREVIEW_STATE, sharedProviderInstall, terraformEnv } from '../../tools/terraform/cli';
import { PlanJson, PlanSummary, planAndShow, summarizePlan } from '../../tools/terraform/plan';
import { providerSchemas, stateFromPlan } from './changes';
import { buildStack } from './synth';
import { writeStack } from './terraform';

/** Types whose replacement or destruction loses data. */
export const STATEFUL_TYPES = [
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
export const SERVING_TYPES = [
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

/** One step: the settings added to the steps before it, and what the step must do. */
export interface JourneyStep {
  readonly label: string;
  /** Settings this step adds (merged onto the settings of the steps before it). */
  readonly settings: Record<string, unknown>;
  /** What this step must do besides the rules every step keeps. */
  readonly expect?: (plan: PlanSummary, step: StepResult) => void;
}

/** A step as planned. */
export interface StepResult {
  readonly label: string;
  readonly plan: PlanSummary;
  /** The synthesized configuration of the step. */
  readonly json: Record<string, any>;
  /** Resource address -> attributes after the step is applied (from the plan). */
  readonly after: ReadonlyMap<string, Record<string, any>>;
}

/** Addresses of `types` the plan replaces or destroys, with how. */
export function harmed(plan: PlanSummary, types: readonly string[], destroyFirstOnly: boolean): string[] {
  return Object.entries(plan.actions)
    .filter(([address, kind]) => types.includes(address.split('.')[0]) && (kind === 'destroy' || (kind === 'replace' && (!destroyFirstOnly || plan.replaceOrder[address] === 'destroy-first'))))
    .map(([address, kind]) => `${address} (${kind}${kind === 'replace' ? ` ${plan.replaceOrder[address]}` : ''})`);
}

/** Scaling targets whose bounds after the step are not the configured ones. */
function boundsNotArrived(step: StepResult): string[] {
  const configured = step.json.resource?.aws_appautoscaling_target ?? {};
  return Object.entries(configured as Record<string, { min_capacity: number; max_capacity: number }>).flatMap(([name, target]) => {
    const after = step.after.get(`aws_appautoscaling_target.${name}`);
    return after && (after.min_capacity !== target.min_capacity || after.max_capacity !== target.max_capacity)
      ? [`aws_appautoscaling_target.${name}: ${after.min_capacity}..${after.max_capacity} after the step, configured ${target.min_capacity}..${target.max_capacity}`]
      : [];
  });
}

/** Plans the steps of one stack in order, each against the state the one before leaves. */
export async function runJourney(stackName: string, steps: readonly JourneyStep[]): Promise<StepResult[]> {
  const { dataDir, lockFile } = await sharedProviderInstall();
  const env = terraformEnv({ preview: true, dataDir });
  let settings: Record<string, unknown> = {};
  let state: unknown;
  const results: StepResult[] = [];
  for (const step of steps) {
    settings = deepMerge(settings, step.settings);
    const stack = buildStack<TerraformStack>(stackName, { stacks: { [stackName]: settings } }, undefined, true);
    const written = writeStack(stack, 'json');
    fs.copyFileSync(lockFile, path.join(written.dir, '.terraform.lock.hcl'));
    if (state) fs.writeFileSync(path.join(written.dir, PREVIEW_STATE), JSON.stringify(state));
    const plan = async (): Promise<PlanJson> => {
      const run = await planAndShow(written.dir, ['-refresh=false', '-lock=false', '-input=false', '-no-color'], env);
      if (!run.plan) throw new Error(`${stackName}, step "${step.label}": terraform plan failed:\n${run.stdout}\n${run.stderr}`);
      return run.plan;
    };
    const shown = await plan();
    const schemas = await providerSchemas(written.dir, env);
    state = stateFromPlan(shown, schemas);
    // What the step applies, settled: an attribute known only once the resources it reads exist (a
    // task definition reading a new repository's URL) gets its value from a plan of the same step
    // against the state the step leaves.
    for (let round = 0; round < 2; round += 1) {
      fs.writeFileSync(path.join(written.dir, PREVIEW_STATE), JSON.stringify(state));
      const settle = await plan();
      if (Object.keys(summarizePlan(settle).actions).length === 0) break;
      state = stateFromPlan(settle, schemas);
    }
    const after = new Map<string, Record<string, any>>(
      (state as { resources: { type: string; name: string; instances: { attributes: Record<string, any> }[] }[] }).resources.map((r) => [`${r.type}.${r.name}`, r.instances[0].attributes]),
    );
    results.push({ label: step.label, plan: summarizePlan(shown), json: written.json, after });
  }
  return results;
}

/** The rules every step keeps; returns every breach, each naming the step. */
export function breaches(results: readonly StepResult[]): string[] {
  return results.flatMap((r) => [
    ...harmed(r.plan, STATEFUL_TYPES, false).map((h) => `${r.label}: stateful ${h}`),
    ...harmed(r.plan, SERVING_TYPES, true).map((h) => `${r.label}: serving ${h}`),
    ...boundsNotArrived(r).map((b) => `${r.label}: ${b}`),
  ]);
}

/** Each change of a plan with the attributes it changes (and, for a replacement, those that force it). */
export function describeChanges(plan: PlanSummary): string[] {
  return plan.changes.flatMap((c) => {
    const kind = plan.actions[c.address];
    if (!kind || kind === 'read') return [];
    const before = (c.change.before ?? {}) as Record<string, unknown>;
    const after = (c.change.after ?? {}) as Record<string, unknown>;
    const unknown = (c.change.after_unknown ?? {}) as Record<string, unknown>;
    const changed = [...new Set([...Object.keys(before), ...Object.keys(after)])].filter((k) => unknown[k] === true || JSON.stringify(before[k]) !== JSON.stringify(after[k]));
    const forcing = ((c as { replace_paths?: unknown[][] }).replace_paths ?? []).map((p) => p.join('.'));
    return [`${c.address} ${kind}${kind === 'replace' ? ` ${plan.replaceOrder[c.address]}` : ''}: ${kind === 'update' || kind === 'replace' ? changed.join(', ') : ''}${forcing.length ? ` (forced by ${forcing.join(', ')})` : ''}`];
  });
}
