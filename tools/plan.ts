/**
 * `npm run plan [-- <stack>...] [--offline | --online] [--from <settings file | git ref>]`: the
 * one plan command (`npm run diff` is an alias, `npm run ops -- <stack> plan` runs it too). It
 * synthesizes and runs a real `terraform plan` with the real provider for each stack (all of them,
 * side by side, when none is named).
 *
 * - With AWS credentials (environment, profile, SSO, ...): the stack's own backend (local state or
 *   S3) and a real refresh, from `cdktf.out/stacks/<stack>`; the plan is saved there as `tfplan`
 *   (`npm run ops -- <stack> apply` applies it).
 * - Without (or with `--offline`): an OFFLINE PREVIEW. Plan-time look-ups are pinned (zones, AMIs,
 *   the account id 123456789012), the backend is a throw-away local state, credentials are fake and
 *   the provider never calls AWS. Required sensitive variables get placeholder values. It shows
 *   what a first apply would create, not what your account holds.
 * - `--from <settings file | git ref>` (offline): a CHANGE. The stack is planned with the current
 *   settings against the state that applying the `--from` settings leaves (seeded from their plan,
 *   as the journey tests do), so Terraform shows what it would update, replace or destroy on a
 *   deployed stack (`from.ts` reads the `--from` settings).
 *
 * Each stack's plan is printed as Terraform prints it, then a summary per stack, read from the
 * saved plan as JSON (`terraform show -json`, see `terraform/plan.ts`): the counts, the image tags
 * it deploys, and every stateful resource it replaces or destroys and every serving one it destroys
 * or replaces destroy-first.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

import { createApp, synthesize } from './synth';
import { UserError, runOrExit } from '../src/core/errors';
import { OverrideSources, SETTINGS_CONTEXT_KEY, SETTINGS_FILE_ENV } from '../stacks/settings';
import { STACK_NAMES, buildApp } from '../stacks';
import { CLI_DIR, ROOT, TerraformUnavailable, hasAwsCredentials, runTerraform, terraformEnv } from './terraform/cli';
import { FROM_USAGE, FromSettings, readFromSettings } from './terraform/from';
import { PlanRun, planAndShow, summarizePlan } from './terraform/plan';
import { preparePreview, previewChange, previewSummary } from './terraform/preview';

interface Options {
  readonly stacks: string[];
  readonly mode: 'auto' | 'offline' | 'online';
  /** `--from`: a settings file or a git ref. */
  readonly from?: string;
}

/** The usage of `npm run plan`. */
export const PLAN_USAGE = [
  'usage: npm run plan -- [stack...] [--offline|--online] [--from <settings file | git ref>]',
  `stacks: ${STACK_NAMES.join(', ')}`,
  '  --online    the real plan against your account (the default with AWS credentials), saved for npm run ops -- <stack> apply',
  '  --offline   an offline preview of a first apply (the default without credentials)',
  `  --from X    an offline preview of the change from the settings X to the current ones; ${FROM_USAGE}`,
].join('\n');

function parseArgs(argv: readonly string[]): Options | undefined {
  const stacks: string[] = [];
  let mode: Options['mode'] = 'auto';
  let from: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--offline') mode = 'offline';
    else if (a === '--online') mode = 'online';
    else if (a === '--from') from = argv[++i];
    else if (a === '-h' || a === '--help') return undefined;
    else if (a.startsWith('-')) throw new TerraformUnavailable(`unknown option ${a}\n${PLAN_USAGE}`);
    else stacks.push(a);
  }
  const unknown = stacks.filter((s) => !STACK_NAMES.includes(s));
  if (unknown.length > 0) throw new TerraformUnavailable(`unknown stack ${JSON.stringify(unknown[0])}\n${PLAN_USAGE}`);
  if (argv.includes('--from') && !from) throw new TerraformUnavailable(`--from needs a settings file or a git ref\n${PLAN_USAGE}`);
  if (from && mode === 'online') throw new TerraformUnavailable('--from previews a change offline (a seeded state, no credentials); it does not go with --online');
  return { stacks: stacks.length > 0 ? stacks : [...STACK_NAMES], mode, from };
}

function readContext(): unknown {
  try {
    return JSON.parse(fs.readFileSync(path.join(ROOT, 'cdktf.json'), 'utf8')).context?.[SETTINGS_CONTEXT_KEY];
  } catch {
    return undefined;
  }
}

/** The settings the app reads now: cdktf.json's context, then `STACK_SETTINGS_FILE`. */
function currentSources(): OverrideSources {
  return { context: readContext(), file: process.env[SETTINGS_FILE_ENV] };
}

/** Synthesizes the app from `sources` (preview pins applied when `preview`) into `outdir`. */
function synthApp(outdir: string, sources: OverrideSources, preview: boolean, only: readonly string[]): void {
  const app = createApp({ outdir });
  buildApp(app, sources, { preview, only });
  synthesize(app);
}

/** What one stack's plan gave. */
interface StackPlan {
  readonly stack: string;
  readonly run: PlanRun;
}

/** A real plan of one stack in `cdktf.out/stacks/<stack>`, saved there as `tfplan`. */
async function planOnline(dir: string): Promise<PlanRun> {
  const env = terraformEnv();
  const init = await runTerraform(dir, ['init', '-input=false', '-no-color'], env);
  if (init.code !== 0) return init;
  return planAndShow(dir, ['-input=false', '-no-color'], env, path.join(dir, 'tfplan'));
}

/** Plans `stacks` one per core, printing each plan as it comes. */
async function planAll(stacks: readonly string[], heading: (stack: string) => string, plan: (stack: string) => Promise<PlanRun>): Promise<StackPlan[]> {
  const limit = Math.max(1, os.availableParallelism?.() ?? os.cpus().length);
  const results: StackPlan[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, stacks.length) }, async () => {
      while (next < stacks.length) {
        const stack = stacks[next++];
        const run = await plan(stack);
        process.stdout.write(`\n===== ${heading(stack)} =====\n${run.stdout}${run.plan ? '' : `\n${run.stderr}`}`);
        results.push({ stack, run });
      }
    }),
  );
  return stacks.map((s) => results.find((r) => r.stack === s)!);
}

/** The summary block: one line of counts per stack, then its image tags and breaches. */
function printSummary(results: readonly StackPlan[], note: string): void {
  process.stdout.write('\nSummary:\n');
  for (const { stack, run } of results) {
    if (!run.plan) {
      process.stdout.write(`  ${stack.padEnd(28)} FAILED (see above)\n`);
      continue;
    }
    const s = summarizePlan(run.plan);
    process.stdout.write(`  ${stack.padEnd(28)} ${s.create} to add, ${s.update} to change, ${s.replace} to replace, ${s.destroy} to destroy${note}\n`);
    for (const line of previewSummary(run.plan, s)) process.stdout.write(`  ${''.padEnd(28)}   ${line}\n`);
  }
}

/** The change preview: each stack planned with the current settings against the state the `--from` settings leave. */
async function planChanges(stacks: readonly string[], from: FromSettings): Promise<StackPlan[]> {
  const beforeOut = path.join(CLI_DIR, 'preview-from');
  const afterOut = path.join(CLI_DIR, 'preview');
  for (const dir of [beforeOut, afterOut]) fs.rmSync(dir, { recursive: true, force: true });
  runOrExit(() => synthApp(beforeOut, from.sources, true, stacks));
  runOrExit(() => synthApp(afterOut, currentSources(), true, stacks));
  process.stdout.write(`OFFLINE PREVIEW OF A CHANGE (no AWS credentials used): the current settings planned against the state that ${from.description} leave.\n`);
  return planAll(stacks, (s) => `${s} (change from ${from.label})`, (s) => previewChange(path.join(beforeOut, 'stacks', s), path.join(afterOut, 'stacks', s)));
}

/** `npm run plan` with `argv`; returns the exit status. */
export async function planCommand(argv: readonly string[]): Promise<number> {
  const options = parseArgs(argv);
  if (!options) {
    process.stdout.write(`${PLAN_USAGE}\n`);
    return 0;
  }
  if (options.from) {
    const from = readFromSettings(options.from, currentSources());
    try {
      const results = await planChanges(options.stacks, from);
      printSummary(results, ` (change from ${from.label})`);
      return results.every((r) => r.run.plan) ? 0 : 1;
    } finally {
      from.cleanup();
    }
  }
  const online = options.mode === 'online' || (options.mode === 'auto' && hasAwsCredentials());
  const outdir = online ? path.join(ROOT, 'cdktf.out') : path.join(CLI_DIR, 'preview');
  if (!online) fs.rmSync(outdir, { recursive: true, force: true });
  runOrExit(() => synthApp(outdir, currentSources(), !online, options.stacks));
  process.stdout.write(online ? `Planning ${options.stacks.join(', ')} against AWS (credentials found).\n` : `OFFLINE PREVIEW (no AWS credentials used): look-ups pinned, fake credentials, throw-away state. It shows what a first apply would create.\n`);
  const results = await planAll(
    options.stacks,
    (s) => `${s}${online ? '' : ' (offline preview)'}`,
    async (s) => {
      const dir = path.join(outdir, 'stacks', s);
      if (online) return planOnline(dir);
      const { env, args } = await preparePreview(dir);
      return planAndShow(dir, args, env);
    },
  );
  printSummary(results, online ? '' : ' (preview)');
  return results.every((r) => r.run.plan) ? 0 : 1;
}

if (require.main === module) {
  // exitCode, not exit(): a plan is megabytes of output and a pipe must get all of it.
  planCommand(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e) => {
      if (e instanceof TerraformUnavailable || e instanceof UserError) {
        process.stderr.write(`${(e as Error).message}\n`);
        process.exitCode = 1;
        return;
      }
      throw e;
    },
  );
}
