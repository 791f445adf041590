/**
 * Offline Terraform harness for the tests: the real Terraform CLI and the real AWS provider,
 * no AWS account, no network. Built on `tools/terraform/cli.ts` (the same mirror look-up, CLI
 * config and preview override that `npm run plan` uses).
 *
 * - The AWS provider is installed once per run (jest globalSetup) into a shared data directory;
 *   every stack's plan reuses it through `TF_DATA_DIR`, so there is no `terraform init` per stack.
 * - `terraform plan` validates the configuration against the provider schema, so no separate
 *   `terraform validate` runs.
 * - When Terraform or the provider is missing, `terraformStatus()` says so in one line and the
 *   Terraform suites register one failing test with that line instead of hundreds of errors.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { TerraformAsset, TerraformStack } from 'cdktf';
import { invokeAspects } from 'cdktf/lib/synthesize/synthesizer';
import { assertValid, tidyHcl } from '../../tools/synth';
import {
  CLI_DIR,
  TerraformUnavailable,
  awsProviderAliases,
  placeholderVariables,
  previewOverride,
  requireTerraform,
  runTerraform,
  sharedProviderInstall,
  terraformEnv,
} from '../../tools/terraform/cli';
import { PlanSummary, planAndShow, summarizePlan } from '../../tools/terraform/plan';

/**
 * Where the Terraform tests of this run write their configurations and the setup's status: a folder
 * of the run's own (`test-work/<pid of jest>`, named by the global setup and passed to the workers
 * through the environment), so two runs in one checkout (an editor's and a terminal's) never empty
 * each other's folders. Folders of runs whose process is gone are removed at the next start.
 */
const WORK_ROOT = path.join(CLI_DIR, 'test-work');
const RUN_ENV = 'CDKTF_TERRAFORM_TEST_RUN';
const runDir = (): string => path.join(WORK_ROOT, process.env[RUN_ENV] ?? 'unset');
const statusFile = (): string => path.join(runDir(), 'status.json');

/** Whether the process `pid` still runs. */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** jest globalSetup of the terraform project: installs the provider once and records the outcome. */
export async function prepareTerraform(): Promise<void> {
  process.env[RUN_ENV] = String(process.pid);
  fs.mkdirSync(WORK_ROOT, { recursive: true });
  for (const entry of fs.readdirSync(WORK_ROOT)) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid || !alive(pid)) fs.rmSync(path.join(WORK_ROOT, entry), { recursive: true, force: true });
  }
  fs.mkdirSync(runDir(), { recursive: true });
  let status: { ok: boolean; message?: string };
  try {
    requireTerraform();
    await sharedProviderInstall();
    status = { ok: true };
  } catch (e) {
    status = { ok: false, message: (e as Error).message };
  }
  fs.writeFileSync(statusFile(), JSON.stringify(status));
}

/** Whether the Terraform tests can run, as recorded by the global setup. */
export function terraformStatus(): { ok: boolean; message?: string } {
  try {
    return JSON.parse(fs.readFileSync(statusFile(), 'utf8'));
  } catch {
    return { ok: false, message: 'the Terraform tests ran without their global setup (run them through jest with jest.config.js)' };
  }
}

/**
 * Declares the suite when Terraform is usable; otherwise one failing test whose message is the
 * one line that says what to do.
 */
export function describeWithTerraform(name: string, body: () => void): void {
  const status = terraformStatus();
  if (status.ok) {
    describe(name, body);
  } else {
    it(`${name}: needs Terraform and the AWS provider`, () => {
      throw new TerraformUnavailable(status.message ?? 'Terraform is not usable');
    });
  }
}

export type OutputForm = 'json' | 'hcl';

/**
 * Writes `stack` as `cdk.tf.json` or `cdk.tf` into a new directory, as `cdktf synth` (or
 * `cdktf synth --hcl`) would, with the preview override beside it. HCL needs the stack built with
 * `SYNTH_HCL_OUTPUT` unset or set: cdktf renders both from the same construct tree.
 */
export function writeStack(stack: TerraformStack, form: OutputForm, dir = workDir(`${stack.node.id}-${form}`)): { dir: string; json: any } {
  invokeAspects(stack);
  assertValid(stack);
  const json = stack.toTerraform();
  if (form === 'json') fs.writeFileSync(path.join(dir, 'cdk.tf.json'), JSON.stringify(json, null, 2));
  else {
    const { hcl, metadata } = stack.toHclTerraform();
    fs.writeFileSync(path.join(dir, 'cdk.tf'), tidyHcl(hcl, metadata.terraform));
  }
  fs.writeFileSync(path.join(dir, 'preview_override.tf.json'), JSON.stringify(previewOverride(awsProviderAliases(json)), null, 2));
  writeAssets(stack, dir);
  // Required (sensitive) variables get placeholders, as `npm run plan` gives them; `-var` still wins.
  const placeholders = placeholderVariables(json);
  if (Object.keys(placeholders).length > 0) fs.writeFileSync(path.join(dir, 'preview.auto.tfvars.json'), JSON.stringify(placeholders, null, 2));
  return { dir, json };
}

/**
 * Copies the stack's `TerraformAsset`s (Lambda packages, zipped) to `assets/` beside the written
 * configuration, where their `path` points, as `cdktf synth` does: Terraform reads them at plan
 * time (`filebase64sha256`). cdktf's own asset synthesis does the work.
 */
function writeAssets(stack: TerraformStack, dir: string): void {
  const session = { outdir: dir, manifest: { outdir: dir, forStack: () => ({ synthesizedStackPath: 'cdk.tf.json' }) } };
  for (const asset of stack.node.findAll().filter((c): c is TerraformAsset => c instanceof TerraformAsset)) {
    const synthesis = (asset as unknown as Record<symbol, { onSynthesize(session: unknown): void } | undefined>)[Symbol.for('cdktf/customSynthesis')];
    if (!synthesis) throw new Error(`${asset.node.path}: cdktf no longer registers asset synthesis under Symbol.for("cdktf/customSynthesis"); update writeAssets`);
    synthesis.onSynthesize(session);
  }
}

/** A fresh directory for one configuration, under the run's work directory. */
export function workDir(name: string): string {
  fs.mkdirSync(runDir(), { recursive: true });
  return fs.mkdtempSync(path.join(runDir(), `${name}-`));
}

/** Points `dir` at the shared provider install (lock file beside the configuration). */
async function useSharedInstall(dir: string): Promise<NodeJS.ProcessEnv> {
  const { dataDir, lockFile } = await sharedProviderInstall();
  fs.copyFileSync(lockFile, path.join(dir, '.terraform.lock.hcl'));
  return terraformEnv({ preview: true, dataDir });
}

export interface PlanOptions {
  /** Values for Terraform input variables (`-var name=value`). */
  readonly vars?: Record<string, string>;
  /** What the plan's progress line names (`<stack>, JSON`). @default - read from the directory's name */
  readonly label?: string;
}

/**
 * A real `terraform plan` of `dir` with the preview override (fake credentials, no AWS calls), read
 * back from the saved plan as JSON (`terraform show -json`). Throws with Terraform's output when
 * the plan fails.
 */
export async function planOffline(dir: string, options: PlanOptions = {}): Promise<PlanSummary> {
  const env = await useSharedInstall(dir);
  const varArgs = Object.entries(options.vars ?? {}).flatMap(([k, v]) => ['-var', `${k}=${v}`]);
  return savedPlan(dir, ['-refresh=false', '-lock=false', '-input=false', '-no-color', ...varArgs], env, options.label);
}

/** `<stack>, JSON` from the name of a directory `writeStack` made (`<stack>-<form>-XXXXXX`), else the name itself. */
function planLabel(dir: string): string {
  const m = /^(.+)-(json|hcl)-[A-Za-z0-9]{6}$/.exec(path.basename(dir));
  return m ? `${m[1]}, ${m[2].toUpperCase()}` : path.basename(dir);
}

/**
 * `terraform plan <args>` in `dir`, summarized from its JSON plan; throws with Terraform's output
 * when it fails. Prints one progress line to stderr (`plan: <stack>, <form>, <seconds> s`): a long
 * run of plans is never silent.
 */
export async function savedPlan(dir: string, args: readonly string[], env: NodeJS.ProcessEnv, label = planLabel(dir)): Promise<PlanSummary> {
  const started = Date.now();
  const r = await planAndShow(dir, args, env);
  process.stderr.write(`plan: ${label}, ${((Date.now() - started) / 1000).toFixed(1)} s${r.plan ? '' : ' (failed)'}\n`);
  if (!r.plan) throw new Error(`terraform plan ${args.join(' ')} failed in ${dir}:\n${r.stdout}\n${r.stderr}`);
  return summarizePlan(r.plan);
}

/** Writes `tests/<name>.tftest.hcl` into `dir` and runs `terraform test` (mock providers). */
export async function terraformTest(dir: string, name: string, hcl: string): Promise<string> {
  const env = await useSharedInstall(dir);
  fs.mkdirSync(path.join(dir, 'tests'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'tests', `${name}.tftest.hcl`), hcl);
  const r = await runTerraform(dir, ['test', '-no-color'], env);
  if (r.code !== 0) throw new Error(`terraform test failed in ${dir}:\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

/** Runs `fn` over `items` with at most `limit` at a time (Terraform is CPU-bound: one per core). */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** How many Terraform processes run side by side. */
export const TERRAFORM_PARALLELISM = Math.max(1, os.availableParallelism?.() ?? os.cpus().length);
