/**
 * The project's Terraform CLI environment, in one place: the provider mirror look-up, the CLI
 * config (one plugin cache, no checkpoint calls), the offline-preview override (fake credentials,
 * local backend) and the runners. The Terraform tests, `npm run plan` and the cdktf wrapper
 * (`npm run synth|deploy`) all use it, so they find the same provider the same way.
 *
 * Mirror look-up order: `TF_PROVIDER_MIRROR`, then Terraform's implied local mirror directories
 * (`terraform.d/plugins` in the project, `~/.terraform.d/plugins`, `$XDG_DATA_HOME/terraform/plugins`,
 * each `$XDG_DATA_DIRS/terraform/plugins`), then `/opt/tf-plugins` (where this project's CI
 * machines keep it). Without a mirror Terraform downloads the provider once into the cache.
 */
import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/** The project root. */
export const ROOT = path.resolve(__dirname, '..', '..');
/** Where the project's CLI config, plugin cache and shared provider install live (git-ignored). */
export const CLI_DIR = path.join(ROOT, '.terraform-cli');
/** Environment variable naming a Terraform filesystem mirror (unpacked or packed layout). */
export const MIRROR_ENV = 'TF_PROVIDER_MIRROR';
/** The one provider every stack uses, pinned like `@cdktf/provider-aws` 20.1.0. */
export const AWS_PROVIDER_VERSION = '5.100.0';
const AWS_PROVIDER_DIR = path.join('registry.terraform.io', 'hashicorp', 'aws');

/** Terraform is missing or cannot get the AWS provider; `message` is one line saying what to do. */
export class TerraformUnavailable extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TerraformUnavailable';
    this.stack = message; // one line, no trace: the message is the instruction
  }
}

/** Directories that may hold a filesystem mirror, in look-up order. */
export function mirrorCandidates(env: NodeJS.ProcessEnv = process.env): string[] {
  const home = os.homedir();
  const dataHome = env.XDG_DATA_HOME || path.join(home, '.local', 'share');
  const dataDirs = (env.XDG_DATA_DIRS || '/usr/local/share:/usr/share').split(':').filter(Boolean);
  return [
    path.join(ROOT, 'terraform.d', 'plugins'),
    path.join(home, '.terraform.d', 'plugins'),
    path.join(dataHome, 'terraform', 'plugins'),
    ...dataDirs.map((d) => path.join(d, 'terraform', 'plugins')),
    '/opt/tf-plugins',
  ];
}

/** Whether `dir` holds hashicorp/aws at the pinned version, unpacked or packed. */
export function holdsAwsProvider(dir: string): boolean {
  const base = path.join(dir, AWS_PROVIDER_DIR);
  if (fs.existsSync(path.join(base, AWS_PROVIDER_VERSION))) return true;
  try {
    return fs.readdirSync(base).some((f) => f.startsWith(`terraform-provider-aws_${AWS_PROVIDER_VERSION}_`));
  } catch {
    return false;
  }
}

export interface Mirror {
  /** The mirror directory. */
  readonly path: string;
  /** How it was found: the variable, or the candidate directory list. */
  readonly source: string;
}

/** The filesystem mirror to use, or undefined to download from the registry. */
export function findProviderMirror(env: NodeJS.ProcessEnv = process.env): Mirror | undefined {
  const explicit = env[MIRROR_ENV];
  if (explicit) {
    if (!holdsAwsProvider(explicit)) {
      throw new TerraformUnavailable(`${MIRROR_ENV}=${explicit} does not hold hashicorp/aws ${AWS_PROVIDER_VERSION} (expected ${path.join(explicit, AWS_PROVIDER_DIR, AWS_PROVIDER_VERSION)}/<os>_<arch>/ or a packed zip)`);
    }
    return { path: explicit, source: MIRROR_ENV };
  }
  const found = mirrorCandidates(env).find(holdsAwsProvider);
  return found ? { path: found, source: 'implied mirror directories' } : undefined;
}

/**
 * Writes the project's Terraform CLI config (`.terraform-cli/terraformrc`): the plugin cache, no
 * checkpoint calls and, when a mirror is found, hashicorp/aws from that mirror only. Returns its path.
 */
export function writeCliConfig(env: NodeJS.ProcessEnv = process.env): { file: string; mirror?: Mirror } {
  const mirror = findProviderMirror(env);
  const cacheDir = env.TF_PLUGIN_CACHE_DIR || path.join(CLI_DIR, 'plugin-cache');
  fs.mkdirSync(cacheDir, { recursive: true });
  const lines = [`plugin_cache_dir = ${JSON.stringify(cacheDir)}`, 'disable_checkpoint = true'];
  if (mirror) {
    lines.push(
      'provider_installation {',
      `  filesystem_mirror {\n    path    = ${JSON.stringify(mirror.path)}\n    include = ["registry.terraform.io/hashicorp/aws"]\n  }`,
      '  direct {\n    exclude = ["registry.terraform.io/hashicorp/aws"]\n  }',
      '}',
    );
  }
  const file = path.join(CLI_DIR, 'terraformrc');
  const text = `${lines.join('\n')}\n`;
  if (!fs.existsSync(file) || fs.readFileSync(file, 'utf8') !== text) {
    const tmp = `${file}.${process.pid}`;
    fs.writeFileSync(tmp, text);
    fs.renameSync(tmp, file); // atomic: parallel callers write the same content
  }
  return { file, mirror };
}

/** Whether the machine has AWS credentials a real plan could use (environment, profile files, SSO, web identity, containers). */
export function hasAwsCredentials(env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY) return true;
  if (env.AWS_WEB_IDENTITY_TOKEN_FILE || env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI || env.AWS_CONTAINER_CREDENTIALS_FULL_URI) return true;
  const home = os.homedir();
  const files = [env.AWS_SHARED_CREDENTIALS_FILE || path.join(home, '.aws', 'credentials'), env.AWS_CONFIG_FILE || path.join(home, '.aws', 'config')];
  return files.some((f) => {
    try {
      return /aws_access_key_id|sso_session|sso_start_url|credential_process|role_arn/.test(fs.readFileSync(f, 'utf8'));
    } catch {
      return false;
    }
  });
}

export interface TerraformEnvOptions {
  /**
   * Offline preview: fake credentials, the user's AWS profile and config hidden, so nothing is
   * ever sent to AWS. @default false
   */
  readonly preview?: boolean;
  /** Data directory shared by every stack (`TF_DATA_DIR`). @default - each stack's own `.terraform` */
  readonly dataDir?: string;
}

/** The environment Terraform runs in for the project's commands. */
export function terraformEnv(options: TerraformEnvOptions = {}, base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const { file } = writeCliConfig(base);
  const env: NodeJS.ProcessEnv = {
    ...base,
    TF_CLI_CONFIG_FILE: file,
    CHECKPOINT_DISABLE: '1',
    TF_IN_AUTOMATION: '1',
    TF_INPUT: '0',
  };
  if (options.dataDir) env.TF_DATA_DIR = options.dataDir;
  if (options.preview) {
    for (const k of ['AWS_SESSION_TOKEN', 'AWS_PROFILE', 'AWS_DEFAULT_PROFILE', 'AWS_WEB_IDENTITY_TOKEN_FILE', 'AWS_ROLE_ARN', 'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI', 'AWS_CONTAINER_CREDENTIALS_FULL_URI']) delete env[k];
    Object.assign(env, {
      AWS_ACCESS_KEY_ID: 'preview-no-credentials',
      AWS_SECRET_ACCESS_KEY: 'preview-no-credentials',
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_CONFIG_FILE: path.join(CLI_DIR, 'no-aws-config'),
      AWS_SHARED_CREDENTIALS_FILE: path.join(CLI_DIR, 'no-aws-credentials'),
    });
  }
  return env;
}

export interface RunResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs terraform in `dir` without blocking the event loop (plans of several stacks run side by side). */
export function runTerraform(dir: string, args: readonly string[], env: NodeJS.ProcessEnv): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('terraform', [...args], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', (e) => reject(e.message.includes('ENOENT') ? new TerraformUnavailable(missingTerraform()) : e));
    child.on('close', (code) => resolve({ code: code ?? 1, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') }));
  });
}

/** Runs terraform and throws with its output when it fails. */
export async function terraform(dir: string, args: readonly string[], env: NodeJS.ProcessEnv): Promise<string> {
  const r = await runTerraform(dir, args, env);
  if (r.code !== 0) throw new Error(`terraform ${args.join(' ')} failed in ${dir}:\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

function missingTerraform(): string {
  return 'terraform CLI not found on PATH: install Terraform >= 1.10 (https://developer.hashicorp.com/terraform/install)';
}

/** Fails with one line when the Terraform CLI is missing. */
export function requireTerraform(): void {
  const r = spawnSync('terraform', ['version'], { encoding: 'utf8', env: { ...process.env, CHECKPOINT_DISABLE: '1', TF_CLI_CONFIG_FILE: writeCliConfig().file } });
  if (r.error || r.status !== 0) throw new TerraformUnavailable(missingTerraform());
}

/** The configuration every shared provider install is made for: the AWS provider and a local backend. */
export const PREVIEW_STATE = 'preview.tfstate';

/**
 * Installs the AWS provider once into a shared data directory (`.terraform-cli/shared/.terraform`)
 * that every stack's plan reuses through `TF_DATA_DIR` (with the lock file copied next to it), so
 * eight stacks in two forms cost one `terraform init`. Throws `TerraformUnavailable` with one line
 * when the provider cannot be had (no mirror and no network).
 */
export async function sharedProviderInstall(): Promise<{ dataDir: string; lockFile: string }> {
  const dir = path.join(CLI_DIR, 'shared');
  const dataDir = path.join(dir, '.terraform');
  const lockFile = path.join(dir, '.terraform.lock.hcl');
  const config = {
    terraform: {
      required_providers: { aws: { source: 'aws', version: AWS_PROVIDER_VERSION } },
      backend: { local: { path: PREVIEW_STATE } },
    },
  };
  const configFile = path.join(dir, 'main.tf.json');
  const text = JSON.stringify(config, null, 2);
  const ready = fs.existsSync(lockFile) && fs.existsSync(path.join(dataDir, 'providers')) && fs.existsSync(configFile) && fs.readFileSync(configFile, 'utf8') === text;
  if (ready) return { dataDir, lockFile };
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(configFile, text);
  const mirror = findProviderMirror();
  const r = await runTerraform(dir, ['init', '-input=false', '-no-color'], terraformEnv({ dataDir }));
  if (r.code !== 0) {
    const offline = /registry\.terraform\.io|could not connect|no such host|Failed to query available provider packages/.test(r.stderr);
    if (offline && !mirror) {
      throw new TerraformUnavailable(
        `terraform cannot get hashicorp/aws ${AWS_PROVIDER_VERSION}: no network to registry.terraform.io and no provider mirror in ${mirrorCandidates().join(', ')}; put one there or set ${MIRROR_ENV}=/path/to/mirror`,
      );
    }
    throw new TerraformUnavailable(`terraform init of the AWS provider failed: ${firstError(r.stderr) || r.stderr.trim().split('\n')[0]}`);
  }
  return { dataDir, lockFile };
}

function firstError(stderr: string): string {
  const m = /Error: ([^\n]+)/.exec(stderr);
  return m ? m[1].trim() : '';
}

/** The value of every required variable in an offline preview. */
export const PREVIEW_PLACEHOLDER = 'preview-placeholder-'.padEnd(64, '0');

/**
 * Placeholder values for the variables of a synthesized stack that have no default (the sensitive
 * inputs such as API keys), so an offline preview plans without them. A real plan asks for them.
 */
export function placeholderVariables(doc: { readonly variable?: Record<string, { readonly default?: unknown }> }): Record<string, string> {
  return Object.fromEntries(
    Object.entries(doc.variable ?? {})
      .filter(([, v]) => v.default === undefined)
      // 64 characters: long enough for every length validation of the stacks' secrets.
      .map(([name]) => [name, PREVIEW_PLACEHOLDER]),
  );
}

/**
 * The override file of an offline preview: a local backend, the provider's skip flags for every
 * AWS provider configuration of the stack (aliases included), so nothing calls AWS. Terraform
 * override files apply to JSON and HCL configurations alike.
 */
export function previewOverride(providerAliases: readonly (string | undefined)[] = [undefined]): Record<string, unknown> {
  const skip = { skip_credentials_validation: true, skip_requesting_account_id: true, skip_metadata_api_check: true, skip_region_validation: true };
  return {
    terraform: { backend: { local: { path: PREVIEW_STATE } } },
    provider: { aws: providerAliases.map((alias) => (alias ? { alias, ...skip } : skip)) },
  };
}

/** The provider aliases of a synthesized JSON stack (undefined for the default configuration). */
export function awsProviderAliases(doc: { provider?: Record<string, Record<string, unknown>[]> }): (string | undefined)[] {
  const list = doc.provider?.aws ?? [{}];
  return list.map((p) => (typeof p.alias === 'string' ? p.alias : undefined));
}
