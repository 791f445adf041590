/**
 * Offline Terraform harness: runs the real Terraform CLI and the real AWS provider against
 * synthesized stacks with no AWS account and no network.
 *
 * - A Terraform CLI config is generated under `.test-out/` with a `plugin_cache_dir` (so `init`
 *   links the ~700 MB provider instead of copying it per stack) and, when `TF_PROVIDER_MIRROR`
 *   names a filesystem mirror, a `filesystem_mirror` for hashicorp providers. Without the variable
 *   Terraform installs providers from the registry as usual.
 * - `plan` adds a test-only override file: local backend, fake credentials and the provider's
 *   skip flags, so nothing calls AWS.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { TerraformStack, Testing } from 'cdktf';

const ROOT = path.resolve(__dirname, '..', '..');
const OUT = path.join(ROOT, '.test-out');

/** Environment variable naming a Terraform filesystem mirror (unpacked or packed layout). */
export const MIRROR_ENV = 'TF_PROVIDER_MIRROR';

let terraformChecked = false;

/** Fails with one line saying what to install when the Terraform CLI is missing. */
export function requireTerraform(): void {
  if (terraformChecked) return;
  const r = spawnSync('terraform', ['version'], { encoding: 'utf8' });
  if (r.error || r.status !== 0) {
    throw new Error('terraform CLI not found on PATH: install Terraform >= 1.10 (https://developer.hashicorp.com/terraform/install) to run the terraform tests');
  }
  terraformChecked = true;
}

/** Writes the harness's Terraform CLI config and returns the environment to run Terraform with. */
export function terraformEnv(): NodeJS.ProcessEnv {
  requireTerraform();
  const cacheDir = process.env.TF_PLUGIN_CACHE_DIR ?? path.join(OUT, 'plugin-cache');
  fs.mkdirSync(cacheDir, { recursive: true });
  const mirror = process.env[MIRROR_ENV];
  const lines = [`plugin_cache_dir = ${JSON.stringify(cacheDir)}`, 'disable_checkpoint = true'];
  if (mirror) {
    if (!fs.existsSync(mirror)) throw new Error(`${MIRROR_ENV}=${mirror}: no such directory`);
    lines.push(
      'provider_installation {',
      `  filesystem_mirror {\n    path    = ${JSON.stringify(mirror)}\n    include = ["registry.terraform.io/hashicorp/*"]\n  }`,
      '  direct {\n    exclude = ["registry.terraform.io/hashicorp/*"]\n  }',
      '}',
    );
  }
  const config = path.join(OUT, 'terraformrc');
  const tmp = `${config}.${process.pid}`;
  fs.writeFileSync(tmp, `${lines.join('\n')}\n`);
  fs.renameSync(tmp, config); // atomic: parallel workers write the same content
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    TF_CLI_CONFIG_FILE: config,
    TF_IN_AUTOMATION: '1',
    TF_INPUT: '0',
    CHECKPOINT_DISABLE: '1',
    // Fake credentials: the provider's skip flags keep them from ever being sent.
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_EC2_METADATA_DISABLED: 'true',
  };
  // A developer's own AWS profile or session must never leak into the offline runs.
  for (const k of ['AWS_SESSION_TOKEN', 'AWS_PROFILE', 'AWS_DEFAULT_PROFILE', 'AWS_CONFIG_FILE', 'AWS_SHARED_CREDENTIALS_FILE']) delete env[k];
  env.AWS_CONFIG_FILE = path.join(OUT, 'no-aws-config');
  env.AWS_SHARED_CREDENTIALS_FILE = path.join(OUT, 'no-aws-credentials');
  return env;
}

/** Runs terraform in `dir`; on failure throws with Terraform's own output. */
export function terraform(dir: string, args: string[], env = terraformEnv()): string {
  const r = spawnSync('terraform', args, { cwd: dir, env, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (r.status !== 0) {
    const hint = /registry\.terraform\.io|could not connect|no such host|Failed to query available provider packages/.test(r.stderr)
      ? `\n(hint: no network? set ${MIRROR_ENV} to a filesystem mirror holding hashicorp/aws 5.100.0)`
      : '';
    throw new Error(`terraform ${args.join(' ')} failed in ${dir}:\n${r.stdout}\n${r.stderr}${hint}`);
  }
  return r.stdout;
}

/**
 * Fully synthesizes `stack` (as `cdktf synth` would) and points cdktf's own Terraform calls
 * (`toBeValidTerraform`) at the harness's CLI config. Returns the output dir and the stack's dir.
 */
export function fullSynth(stack: TerraformStack): { outDir: string; stackDir: string } {
  const env = terraformEnv();
  // cdktf's matchers spawn terraform with process.env: hand them the same configuration.
  for (const k of ['TF_CLI_CONFIG_FILE', 'TF_IN_AUTOMATION', 'CHECKPOINT_DISABLE', 'AWS_EC2_METADATA_DISABLED']) process.env[k] = env[k];
  const outDir = Testing.fullSynth(stack);
  const manifest = JSON.parse(fs.readFileSync(path.join(outDir, 'manifest.json'), 'utf8'));
  const entry = Object.values(manifest.stacks)[0] as { workingDirectory: string };
  return { outDir, stackDir: path.join(outDir, entry.workingDirectory) };
}

export interface PlanOptions {
  /** Values for Terraform input variables (`-var name=value`). */
  readonly vars?: Record<string, string>;
}

export interface PlanSummary {
  /** Number of resources the plan would create. */
  readonly create: number;
  /** Number of resources it would change, replace or delete (none, for a fresh plan). */
  readonly other: number;
  /** Addresses of the resources to create. */
  readonly addresses: string[];
  /** The full `terraform show -json` document. */
  readonly plan: any;
}

/** Plans `stackDir` with a local backend, fake credentials and no AWS calls. */
export function plan(stackDir: string, options: PlanOptions = {}): PlanSummary {
  const env = terraformEnv();
  fs.writeFileSync(
    path.join(stackDir, 'harness_override.tf.json'),
    JSON.stringify(
      {
        terraform: { backend: { local: { path: 'harness.tfstate' } } },
        provider: {
          aws: {
            skip_credentials_validation: true,
            skip_requesting_account_id: true,
            skip_metadata_api_check: true,
            skip_region_validation: true,
          },
        },
      },
      null,
      2,
    ),
  );
  terraform(stackDir, ['init', '-input=false', '-reconfigure', '-no-color'], env);
  const varArgs = Object.entries(options.vars ?? {}).flatMap(([k, v]) => ['-var', `${k}=${v}`]);
  terraform(stackDir, ['plan', '-input=false', '-lock=false', '-no-color', '-out=harness.tfplan', ...varArgs], env);
  const shown = JSON.parse(terraform(stackDir, ['show', '-json', 'harness.tfplan'], env));
  const changes: any[] = shown.resource_changes ?? [];
  const creates = changes.filter((c) => c.change.actions.length === 1 && c.change.actions[0] === 'create');
  const other = changes.filter((c) => !(c.change.actions.length === 1 && (c.change.actions[0] === 'create' || c.change.actions[0] === 'no-op' || c.change.actions[0] === 'read')));
  return { create: creates.length, other: other.length, addresses: creates.map((c) => c.address), plan: shown };
}

/** Writes `tests/<name>.tftest.hcl` into `stackDir` and runs `terraform test` (mock providers). */
export function terraformTest(stackDir: string, name: string, hcl: string): string {
  const env = terraformEnv();
  const testsDir = path.join(stackDir, 'tests');
  fs.mkdirSync(testsDir, { recursive: true });
  fs.writeFileSync(path.join(testsDir, `${name}.tftest.hcl`), hcl);
  terraform(stackDir, ['init', '-input=false', '-no-color'], env);
  return terraform(stackDir, ['test', '-no-color'], env);
}
