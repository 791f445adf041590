/**
 * A deployment journey, planned offline: the steps a user takes with one stack (first apply, images
 * pushed, a scaling change, a new member, a zone added, HTTPS on, a re-synth, and last the
 * destroy), each step planned by the real Terraform and provider against the state the step before
 * leaves. That state is seeded from the previous step's JSON plan and settled
 * (`tools/terraform/seed.ts`, shared with `npm run plan -- <stack> --from ...`), so a step sees
 * exactly the changes its settings make.
 *
 * Every settings step is held to what must never happen on a real account, whatever the step
 * (the lists of `tools/terraform/risks.ts`, which the preview's summary names too):
 * - nothing stateful (bucket, table, file system, repository, key, secret, queue, log group, vault,
 *   cache) is replaced or destroyed;
 * - nothing serving traffic (load balancer, listener, listener rule, service, API, stage, VPC link,
 *   subnet, NAT, endpoint) is destroyed, or replaced destroy-first;
 * - what the configuration says reaches AWS: every scaling target ends with the configured bounds
 *   (a bound Terraform ignores must still arrive, by a re-registration).
 *
 * A destroy step plans `terraform plan -destroy` against the last state and reads what would stop
 * the destroy from that state (`tools/terraform/destroy.ts`, what `npm run ops -- <stack> destroy`
 * clears first).
 */
import * as fs from 'fs';
import * as path from 'path';
import { TerraformStack } from 'cdktf';
import { deepMerge } from '../../stacks/settings';
import { awsProviderAliases, previewOverride, sharedProviderInstall, terraformEnv } from '../../tools/terraform/cli';
import { DestroyBlocker, destroyBlockers } from '../../tools/terraform/destroy';
import { PlanSummary, planAndShow, summarizePlan } from '../../tools/terraform/plan';
import { SERVING_TYPES, STATEFUL_TYPES, harmed } from '../../tools/terraform/risks';
import { SeededState, planAndSettle, writeState } from '../../tools/terraform/seed';
import { buildStack } from './synth';
import { workDir, writeStack } from './terraform';

/** A settings step: the settings added to the steps before it, and what the step must do. */
export interface ApplyStep {
  readonly kind?: 'apply';
  readonly label: string;
  /** Settings this step adds (merged onto the settings of the steps before it). */
  readonly settings: Record<string, unknown>;
  /**
   * The configuration to plan instead of the current code's: the files a past release wrote
   * (`cdk.tf.json`, its assets and placeholder variables; helpers/release.ts). Its settings still
   * count for the steps after it.
   */
  readonly release?: Readonly<Record<string, Buffer>>;
  /**
   * Serving resource types the step removes on purpose (a NAT gateway or interface endpoints a
   * cheaper path replaces): their plain destroy is no breach (a destroy-first replacement still
   * is, and stateful types never are).
   */
  readonly retires?: readonly string[];
  /** What this step must do besides the rules every step keeps. */
  readonly expect?: (plan: PlanSummary, step: StepResult) => void;
}

/** The destroy of everything the steps before left: `terraform plan -destroy` against their state. */
export interface DestroyStep {
  readonly kind: 'destroy';
  readonly label: string;
  /** What the destroy removes, and what blocks it. */
  readonly expect: (result: DestroyResult) => void;
}

/** One step of a journey. */
export type JourneyStep = ApplyStep | DestroyStep;

/** A settings step as planned. */
export interface StepResult {
  readonly kind: 'apply';
  readonly label: string;
  readonly plan: PlanSummary;
  /** The synthesized configuration of the step. */
  readonly json: Record<string, any>;
  /** Resource address -> attributes after the step is applied (from the plan). */
  readonly after: ReadonlyMap<string, Record<string, any>>;
  /** The serving types the step retires on purpose (`ApplyStep.retires`). */
  readonly retires?: readonly string[];
}

/** A destroy step as planned. */
export interface DestroyResult {
  readonly kind: 'destroy';
  readonly label: string;
  /** The destroy plan, when Terraform plans one. */
  readonly plan?: PlanSummary;
  /** Terraform's error when it refuses to plan the destroy (`prevent_destroy`). */
  readonly refused?: string;
  /** What stops the destroy partway (or before it starts), read from the state. */
  readonly blockers: readonly DestroyBlocker[];
  /** The addresses of every resource in the state: what a destroy must remove. */
  readonly inState: readonly string[];
}

/** The offline plan arguments of every step. */
const PLAN_ARGS = ['-refresh=false', '-lock=false', '-input=false', '-no-color'];

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

/** Resource address -> attributes of a state. */
function attributesOf(state: SeededState): Map<string, Record<string, any>> {
  return new Map(state.resources.map((r) => [`${r.type}.${r.name}`, r.instances[0].attributes]));
}

/** Plans the destroy of what `state` holds, with the configuration of `last` (its `prevent_destroy`). */
async function planDestroy(step: DestroyStep, last: StepResult & { dir: string }, state: SeededState, env: NodeJS.ProcessEnv): Promise<DestroyResult> {
  writeState(last.dir, state);
  const run = await planAndShow(last.dir, [...PLAN_ARGS, '-destroy'], env);
  const resources = state.resources.map((r) => ({ address: `${r.type}.${r.name}`, type: r.type, values: r.instances[0].attributes, preventDestroy: last.json.resource?.[r.type]?.[r.name]?.lifecycle?.prevent_destroy === true }));
  return { kind: 'destroy', label: step.label, plan: run.plan ? summarizePlan(run.plan) : undefined, refused: run.plan ? undefined : run.stderr, blockers: destroyBlockers(resources), inState: resources.map((r) => r.address) };
}

/** A past release's files of one stack, written as `writeStack` writes the current code's (with today's preview override). */
function writeRelease(stackName: string, files: Readonly<Record<string, Buffer>>): { dir: string; json: any } {
  const dir = workDir(`${stackName}-release`);
  for (const [file, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), content);
  }
  const json = JSON.parse(files['cdk.tf.json'].toString('utf8'));
  fs.writeFileSync(path.join(dir, 'preview_override.tf.json'), JSON.stringify(previewOverride(awsProviderAliases(json)), null, 2));
  return { dir, json };
}

/** Plans the steps of one stack in order, each against the state the one before leaves. */
export async function runJourney(stackName: string, steps: readonly JourneyStep[]): Promise<(StepResult | DestroyResult)[]> {
  const { dataDir, lockFile } = await sharedProviderInstall();
  const env = terraformEnv({ preview: true, dataDir });
  let settings: Record<string, unknown> = {};
  let state: SeededState | undefined;
  let last: (StepResult & { dir: string }) | undefined;
  const results: (StepResult | DestroyResult)[] = [];
  for (const step of steps) {
    if (step.kind === 'destroy') {
      if (!last || !state) throw new Error(`${stackName}, step "${step.label}": a destroy needs a step before it`);
      results.push(await planDestroy(step, last, state, env));
      continue;
    }
    settings = deepMerge(settings, step.settings);
    const written = step.release ? writeRelease(stackName, step.release) : writeStack(buildStack<TerraformStack>(stackName, { stacks: { [stackName]: settings } }, undefined, true), 'json');
    fs.copyFileSync(lockFile, path.join(written.dir, '.terraform.lock.hcl'));
    if (state) writeState(written.dir, state);
    const settled = await planAndSettle(written.dir, PLAN_ARGS, env).catch((e: Error) => {
      throw new Error(`${stackName}, step "${step.label}": ${e.message}`);
    });
    state = settled.state;
    last = { kind: 'apply', label: step.label, plan: summarizePlan(settled.plan), json: written.json, after: attributesOf(state), dir: written.dir, retires: step.retires };
    results.push(last);
  }
  return results;
}

/** The rules every settings step keeps; returns every breach, each naming the step. */
export function breaches(results: readonly (StepResult | DestroyResult)[]): string[] {
  return results.flatMap((r) =>
    r.kind === 'destroy'
      ? []
      : [
          ...harmed(r.plan, STATEFUL_TYPES, false).map((h) => `${r.label}: stateful ${h}`),
          ...harmed(r.plan, SERVING_TYPES, true)
            .filter((h) => !(r.retires ?? []).some((type) => h.startsWith(`${type}.`) && h.endsWith('(destroy)')))
            .map((h) => `${r.label}: serving ${h}`),
          ...boundsNotArrived(r).map((b) => `${r.label}: ${b}`),
        ],
  );
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
