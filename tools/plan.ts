/**
 * `npm run plan [-- <stack>...] [--offline | --online]`: synthesizes and runs a real
 * `terraform plan` with the real provider for each stack (all of them, side by side, when none is
 * named).
 *
 * - With AWS credentials (environment, profile, SSO, ...): the stack's own backend (local state or
 *   S3) and a real refresh, from `cdktf.out/stacks/<stack>`.
 * - Without (or with `--offline`): an OFFLINE PREVIEW. Plan-time look-ups are pinned (zones, AMIs,
 *   the account id 123456789012), the backend is a throw-away local state, credentials are fake and
 *   the provider never calls AWS. Required sensitive variables get placeholder values. It shows
 *   what a first apply would create, not what your account holds.
 *
 * Each stack's plan is printed as Terraform prints it, then one summary line per stack, counted from
 * the saved plan read back as JSON (`terraform show -json`, see `terraform/plan.ts`).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

import { createApp, synthesize } from './synth';
import { runOrExit } from '../src/core/errors';
import { SETTINGS_CONTEXT_KEY, SETTINGS_FILE_ENV } from '../stacks/settings';
import { STACK_NAMES, buildApp } from '../stacks';
import { CLI_DIR, ROOT, TerraformUnavailable, awsProviderAliases, hasAwsCredentials, placeholderVariables, previewOverride, runTerraform, sharedProviderInstall, terraformEnv } from './terraform/cli';
import { PlanSummary, planAndShow, summarizePlan } from './terraform/plan';

interface Options {
  readonly stacks: string[];
  readonly mode: 'auto' | 'offline' | 'online';
}

function parseArgs(argv: readonly string[]): Options {
  const stacks: string[] = [];
  let mode: Options['mode'] = 'auto';
  for (const a of argv) {
    if (a === '--offline') mode = 'offline';
    else if (a === '--online') mode = 'online';
    else if (a === '-h' || a === '--help') {
      process.stdout.write(`usage: npm run plan -- [stack...] [--offline|--online]\nstacks: ${STACK_NAMES.join(', ')}\n`);
      process.exit(0);
    } else if (a.startsWith('-')) throw new TerraformUnavailable(`unknown option ${a}; allowed: --offline, --online, --help`);
    else stacks.push(a);
  }
  const unknown = stacks.filter((s) => !STACK_NAMES.includes(s));
  if (unknown.length > 0) throw new TerraformUnavailable(`unknown stack ${JSON.stringify(unknown[0])}; stacks: ${STACK_NAMES.join(', ')}`);
  return { stacks: stacks.length > 0 ? stacks : [...STACK_NAMES], mode };
}

function readContext(): unknown {
  try {
    return JSON.parse(fs.readFileSync(path.join(ROOT, 'cdktf.json'), 'utf8')).context?.[SETTINGS_CONTEXT_KEY];
  } catch {
    return undefined;
  }
}

/** Synthesizes the app (preview pins applied when `preview`) into `outdir`. */
function synthApp(outdir: string, preview: boolean, only: readonly string[]): void {
  const app = createApp({ outdir });
  buildApp(app, { context: readContext(), file: process.env[SETTINGS_FILE_ENV] }, { preview, only });
  synthesize(app);
}


async function planStack(stack: string, outdir: string, preview: boolean): Promise<{ stack: string; output: string; summary?: PlanSummary; error?: string }> {
  const dir = path.join(outdir, 'stacks', stack);
  const doc = JSON.parse(fs.readFileSync(path.join(dir, 'cdk.tf.json'), 'utf8'));
  let env: NodeJS.ProcessEnv;
  if (preview) {
    const { dataDir, lockFile } = await sharedProviderInstall();
    fs.copyFileSync(lockFile, path.join(dir, '.terraform.lock.hcl'));
    fs.writeFileSync(path.join(dir, 'preview_override.tf.json'), JSON.stringify(previewOverride(awsProviderAliases(doc)), null, 2));
    env = terraformEnv({ preview: true, dataDir });
  } else {
    env = terraformEnv();
    const init = await runTerraform(dir, ['init', '-input=false', '-no-color'], env);
    if (init.code !== 0) return { stack, output: init.stdout, error: init.stderr };
  }
  const args = ['-input=false', '-no-color', ...(preview ? ['-refresh=false', '-lock=false', ...Object.entries(placeholderVariables(doc)).flatMap(([k, v]) => ['-var', `${k}=${v}`])] : [])];
  // People read the plan Terraform prints; the summary reads the saved plan as JSON.
  const r = await planAndShow(dir, args, env);
  if (!r.plan) return { stack, output: r.stdout, error: r.stderr };
  return { stack, output: r.stdout, summary: summarizePlan(r.plan) };
}

async function main(): Promise<number> {
  const options = parseArgs(process.argv.slice(2));
  const online = options.mode === 'online' || (options.mode === 'auto' && hasAwsCredentials());
  const outdir = online ? path.join(ROOT, 'cdktf.out') : path.join(CLI_DIR, 'preview');
  if (!online) fs.rmSync(outdir, { recursive: true, force: true });
  runOrExit(() => synthApp(outdir, !online, options.stacks));
  process.stdout.write(online ? `Planning ${options.stacks.join(', ')} against AWS (credentials found).\n` : `OFFLINE PREVIEW (no AWS credentials used): look-ups pinned, fake credentials, throw-away state. It shows what a first apply would create.\n`);
  const limit = Math.max(1, os.availableParallelism?.() ?? os.cpus().length);
  const results: Awaited<ReturnType<typeof planStack>>[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, options.stacks.length) }, async () => {
      while (next < options.stacks.length) {
        const stack = options.stacks[next++];
        const result = await planStack(stack, outdir, !online);
        process.stdout.write(`\n===== ${stack}${online ? '' : ' (offline preview)'} =====\n${result.output}${result.error ? `\n${result.error}` : ''}`);
        results.push(result);
      }
    }),
  );
  process.stdout.write('\nSummary:\n');
  for (const stack of options.stacks) {
    const r = results.find((x) => x.stack === stack)!;
    const s = r.summary;
    process.stdout.write(s ? `  ${stack.padEnd(28)} ${s.create} to add, ${s.update} to change, ${s.replace} to replace, ${s.destroy} to destroy${online ? '' : ' (preview)'}\n` : `  ${stack.padEnd(28)} FAILED (see above)\n`);
  }
  return results.every((r) => r.summary) ? 0 : 1;
}

// exitCode, not exit(): a plan is megabytes of output and a pipe must get all of it.
main().then(
  (code) => {
    process.exitCode = code;
  },
  (e) => {
    if (e instanceof TerraformUnavailable) {
      process.stderr.write(`${e.message}\n`);
      process.exitCode = 1;
      return;
    }
    throw e;
  },
);
