/**
 * `npm run ops -- <stack> <command> [service...] [options]`: the day-to-day operations of a stack
 * (document 003's Makefile and more): init, plan, apply, push-images, redeploy, status, logs,
 * exec, rollback, destroy. `npm run ops` alone lists them (`ops/args.ts`).
 *
 * It synthesizes the stack into `cdktf.out/stacks/<stack>` and reads names, never typed by hand,
 * from what every ECS stack outputs (`EcsPlatform.addOperationsOutputs`: `ecs_cluster_name`,
 * `ecs_services`, `ecr_images`, `endpoint_url`): from the state once one exists, before that from
 * the synthesized configuration (`ops/stack.ts`), so `--dry-run` works before the first apply.
 * `--dry-run` prints the exact commands (AWS CLI, docker, Terraform) and runs none.
 *
 * - init, apply: Terraform in the stack's directory (apply applies the plan `plan` saved).
 * - plan: `npm run plan -- <stack>`, the one plan command (the real plan with credentials, saved
 *   for apply; else the offline preview).
 * - push-images, redeploy, status, logs, exec, rollback: `ops/steps.ts`.
 * - destroy: empties what blocks it and turns deletion protection off after a confirmation, then
 *   `terraform destroy` (`ops/destroy.ts`, docs/operations.md).
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

import { createApp, synthesize } from './synth';
import { UserError } from '../src/core/errors';
import { SETTINGS_CONTEXT_KEY, SETTINGS_FILE_ENV, readOverrides } from '../stacks/settings';
import { buildApp, resolveAppSettings } from '../stacks';
import { ROOT, terraformEnv } from './terraform/cli';
import { OpsOptions, SERVICE_COMMANDS, parseOpsArgs, usage } from './ops/args';
import { confirmation, planDestroy } from './ops/destroy';
import { OpsDocument, StackView, isUnknown, readState, stackOutputs, stackResources } from './ops/stack';
import { Step, readContract, serviceSteps, show } from './ops/steps';
import { planCommand } from './plan';
import { OPERATIONS_OUTPUTS } from '../src/patterns';

/** The Terraform steps of init, apply and destroy in the stack's directory (`init` first when it has not run). */
export function terraformSteps(command: 'init' | 'apply' | 'destroy', dir: string, status: { readonly initialized: boolean; readonly planSaved: boolean }): Step[] {
  const cwd = path.relative(ROOT, dir) || '.';
  const init: Step = { argv: ['terraform', 'init'], cwd };
  if (command === 'init') return [init];
  const first = status.initialized ? [] : [init];
  if (command === 'apply') return [...first, { argv: status.planSaved ? ['terraform', 'apply', 'tfplan'] : ['terraform', 'apply'], cwd }];
  return [...first, { argv: ['terraform', 'destroy', '-auto-approve'], cwd }];
}

function readContext(): unknown {
  try {
    return JSON.parse(fs.readFileSync(path.join(ROOT, 'cdktf.json'), 'utf8')).context?.[SETTINGS_CONTEXT_KEY];
  } catch {
    return undefined;
  }
}

/** Synthesizes one stack into cdktf.out and reads it: its configuration, settings and state. */
function synthStack(stack: string, env: NodeJS.ProcessEnv): StackView {
  const sources = { context: readContext(), file: process.env[SETTINGS_FILE_ENV] };
  const settings = resolveAppSettings(readOverrides(sources)).stacks.get(stack) as { readonly region: string; readonly accountId?: string; readonly imageTag?: string };
  const app = createApp({ outdir: path.join(ROOT, 'cdktf.out') });
  buildApp(app, sources, { only: [stack] });
  // The guardrails report goes to stderr: stdout is the commands.
  synthesize(app, (line) => process.stderr.write(`${line}\n`));
  const dir = path.join(ROOT, 'cdktf.out', 'stacks', stack);
  const doc = JSON.parse(fs.readFileSync(path.join(dir, 'cdk.tf.json'), 'utf8')) as OpsDocument;
  return { stack, dir, region: settings.region, accountId: settings.accountId, imageTag: settings.imageTag, doc, state: readState(dir, doc, env) };
}

/** Runs one step; its exit status. */
function run(step: Step, env: NodeJS.ProcessEnv): number {
  const cwd = step.cwd ? path.resolve(ROOT, step.cwd) : ROOT;
  const r = 'shell' in step ? spawnSync('/bin/sh', ['-c', step.shell], { cwd, env, stdio: 'inherit' }) : spawnSync(step.argv[0], step.argv.slice(1), { cwd, env, stdio: 'inherit' });
  if (r.error) throw new UserError(`cannot run ${'shell' in step ? 'sh' : step.argv[0]}: ${r.error.message}`);
  return r.status ?? 1;
}

/** Prints each step and, unless `dryRun`, runs it; stops at the first that fails. */
function runSteps(steps: readonly Step[], dryRun: boolean, env: NodeJS.ProcessEnv): number {
  const unknown = steps.map(show).find(isUnknown);
  if (unknown && !dryRun) throw new UserError(`a name is known only after apply (no state yet), so this cannot run:\n  ${unknown}`);
  for (const step of steps) {
    process.stdout.write(`$ ${show(step).replace(/\n/g, '\n  ')}\n`);
    if (!dryRun && run(step, env) !== 0) return 1;
  }
  return 0;
}

/** Reads one line from the terminal. */
function readLine(): string {
  const buffer = Buffer.alloc(1);
  let line = '';
  while (fs.readSync(0, buffer, 0, 1, null) === 1 && buffer[0] !== 10) line += buffer.toString('utf8');
  return line.trim();
}

/** The destroy: what is lost, a confirmation (unless `--yes` or `--dry-run`), then the steps. */
function destroy(o: OpsOptions, view: StackView, env: NodeJS.ProcessEnv): number {
  const plan = planDestroy(o.stack, view.region, stackResources(view));
  const steps = [...plan.steps, ...terraformSteps('destroy', view.dir, { initialized: fs.existsSync(path.join(view.dir, '.terraform')), planSaved: false })];
  process.stdout.write(`${confirmation(o.stack, view.region, plan)}\n`);
  if (!o.dryRun) {
    if (!view.state) throw new UserError(`${o.stack} has no state (never applied, or not initialized: npm run ops -- ${o.stack} init): nothing to destroy`);
    if (!o.yes) {
      if (!process.stdin.isTTY) throw new UserError('destroy asks for the stack name: run it in a terminal, or pass --yes');
      process.stdout.write(`Type the stack name (${o.stack}) to destroy it: `);
      if (readLine() !== o.stack) throw new UserError('not confirmed: nothing was changed');
    }
  }
  return runSteps(steps, o.dryRun, env);
}

/** `npm run ops` with `argv`; returns the exit status. */
async function main(argv: readonly string[]): Promise<number> {
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h') {
    process.stdout.write(`${usage()}\n`);
    return 0;
  }
  const o = parseOpsArgs(argv);
  if (o.command === 'plan') {
    process.stdout.write(`$ npm run plan -- ${o.stack}\n`);
    return o.dryRun ? 0 : planCommand([o.stack]);
  }
  const env = { ...terraformEnv(), TF_IN_AUTOMATION: '', TF_INPUT: '1' };
  const view = synthStack(o.stack, env);
  process.stdout.write(`# ${o.stack}: names from ${view.state ? 'its state' : 'its synthesized configuration (no state yet)'}\n`);
  if (o.command === 'destroy') return destroy(o, view, env);
  if (!SERVICE_COMMANDS.includes(o.command)) {
    const planSaved = fs.existsSync(path.join(view.dir, 'tfplan'));
    const code = runSteps(terraformSteps(o.command as 'init' | 'apply', view.dir, { initialized: fs.existsSync(path.join(view.dir, '.terraform')), planSaved }), o.dryRun, env);
    if (o.command === 'apply' && planSaved && !o.dryRun && code === 0) fs.rmSync(path.join(view.dir, 'tfplan'), { force: true });
    return code;
  }
  const contract = readContract(o.stack, stackOutputs(view, OPERATIONS_OUTPUTS));
  return runSteps(serviceSteps(o, { region: view.region, imageTag: view.imageTag, contract }), o.dryRun, env);
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e) => {
      if (!(e instanceof UserError)) throw e;
      process.stderr.write(`${e.message}\n`);
      process.exitCode = 1;
    },
  );
}
