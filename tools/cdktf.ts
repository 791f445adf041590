/**
 * `npm run synth|deploy -- [args]`: the cdktf CLI with the project's Terraform CLI config (plugin
 * cache, provider mirror when one is found) and no checkpoint calls, so an offline machine shows
 * no `[ERROR]` lines when nothing is wrong. (`npm run diff` is `npm run plan`, the one plan
 * command; `npm run destroy -- <stack>` is `npm run ops -- <stack> destroy`, the destroy that
 * empties what blocks it.) The same in a shell:
 *   export CHECKPOINT_DISABLE=1 TF_CLI_CONFIG_FILE="$PWD/.terraform-cli/terraformrc"
 * (the file exists after any `npm run` of these commands).
 *
 * `deploy` passes the production gate first (`npm run synth -- <stacks> --gate`): a production
 * stack with an open gate finding (a certificate or an alarm recipient only the user can give) is
 * not applied until the setting is given or the finding accepted with a written reason.
 */
import { spawnSync } from 'child_process';
import * as path from 'path';
import { ROOT, writeCliConfig } from './terraform/cli';
import { STACK_NAMES } from '../stacks';
import { globMatches } from './glob';

const TERRAFORM_COMMANDS = new Set(['diff', 'plan', 'deploy', 'apply', 'destroy', 'output', 'outputs']);

function main(): number {
  const args = process.argv.slice(2);
  const { file, mirror } = writeCliConfig();
  // With a filesystem mirror (an offline machine), `terraform providers lock` for other platforms
  // cannot reach the registry; the lock file then holds this platform's checksums only.
  if (mirror && TERRAFORM_COMMANDS.has(args[0]) && !args.includes('--skip-provider-lock')) args.push('--skip-provider-lock');
  if (args[0] === 'deploy') {
    // The stacks cdktf will deploy: its positional arguments are names or glob patterns
    // (`'*-staging'`); none: every stack. Patterns that match no stack: cdktf refuses them itself.
    const patterns = args.slice(1).filter((a) => !a.startsWith('-'));
    const stacks = STACK_NAMES.filter((n) => patterns.some((p) => globMatches(p, n)));
    if (patterns.length > 0 && stacks.length === 0) return runCdktf(args, file);
    const gate = spawnSync(process.execPath, ['-r', path.join(ROOT, 'scripts', 'register.js'), path.join(ROOT, 'main.ts'), ...stacks, '--gate'], { cwd: ROOT, stdio: 'inherit' });
    if (gate.status !== 0) return gate.status ?? 1;
  }
  return runCdktf(args, file);
}

/** Runs the cdktf CLI with `args` and the CLI config `file`; its exit status. */
function runCdktf(args: readonly string[], file: string): number {
  const cli = path.join(ROOT, 'node_modules', '.bin', process.platform === 'win32' ? 'cdktf.cmd' : 'cdktf');
  const r = spawnSync(cli, [...args], { cwd: ROOT, stdio: 'inherit', env: { ...process.env, CHECKPOINT_DISABLE: '1', TF_CLI_CONFIG_FILE: file } });
  if (r.error) {
    process.stderr.write(`cannot run ${cli}: ${r.error.message} (run npm ci first)\n`);
    return 1;
  }
  return r.status ?? 1;
}

process.exit(main());
