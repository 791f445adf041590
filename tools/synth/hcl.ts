/**
 * The HCL exit (`cdktf synth --hcl`, `npm run synth -- --hcl`) written the way Terraform's own
 * style writes it, so `terraform fmt -check` passes on `cdk.tf`:
 * - `unquoteReferences`: references bare where cdktf quotes them;
 * - `restoreTerraformAttributes`: the terraform block's own attributes (`required_version`), which
 *   cdktf 0.21 writes as `0 = "required_version"` (an invalid block), with their values;
 * - `formatHclFiles`: `terraform fmt` over the written files (indentation, aligned `=`, `"${x}"`
 *   written as `x`), in the project's Terraform CLI environment (`tools/terraform/cli.ts`).
 * Both change the text only: the plan of the HCL stays the plan of the JSON (the offline plan
 * tests compare them).
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import { TerraformUnavailable, terraformEnv } from '../terraform/cli';

/**
 * cdktf 0.21 writes references in `depends_on`, `ignore_changes` and `replace_triggered_by` of its HCL output in quotes,
 * and the `provider` of a resource using an aliased provider (`provider = "aws.us_east_1"`), which
 * Terraform deprecates ("Quoted references are deprecated") and will stop accepting; this writes
 * them bare, as Terraform's own style does.
 */
export function unquoteReferences(hcl: string): string {
  return hcl
    .replace(/^(\s*(?:depends_on|ignore_changes|replace_triggered_by) = \[\n)((?:\s*"[^"\n]+",\n)*)(\s*\])/gm, (_m, head: string, items: string, close: string) => head + items.replace(/"([^"\n]+)",$/gm, '$1,') + close)
    .replace(/^(\s*provider = )"([A-Za-z][A-Za-z0-9_-]*\.[A-Za-z][A-Za-z0-9_-]*)"$/gm, '$1$2');
}

/**
 * cdktf 0.21 renders the scalar attributes of the terraform block by index, their value lost
 * (`0 = "required_version"`); this writes each as `required_version = ">= 1.10"`, the value taken
 * from the block cdktf records in the HCL output's metadata (`toHclTerraform().metadata.terraform`).
 * Throws on an attribute whose value is not a plain string, number or boolean.
 */
export function restoreTerraformAttributes(hcl: string, terraformBlock: Readonly<Record<string, unknown>>): string {
  return hcl.replace(/^(\s*)\d+ = "([A-Za-z_][A-Za-z0-9_]*)"$/gm, (line, indent: string, key: string) => {
    if (!(key in terraformBlock)) return line;
    const value = terraformBlock[key];
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
      throw new Error(`the terraform block's ${key} is ${JSON.stringify(value)}: only a string, number or boolean can be written as HCL here`);
    }
    return `${indent}${key} = ${JSON.stringify(value)}`;
  });
}

/** cdktf's HCL of a stack made valid Terraform style: references unquoted, the terraform block's attributes restored. */
export function tidyHcl(hcl: string, terraformBlock: Readonly<Record<string, unknown>> = {}): string {
  return restoreTerraformAttributes(unquoteReferences(hcl), terraformBlock);
}

/** The environment `terraform fmt` runs in: the project's (CLI config, no checkpoint), or the plain one when that cannot be made. */
function fmtEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  try {
    return terraformEnv({}, env);
  } catch (e) {
    // A bad provider mirror setting matters to plans, not to formatting.
    if (e instanceof TerraformUnavailable) return { ...env, CHECKPOINT_DISABLE: '1' };
    throw e;
  }
}

/**
 * Formats HCL files in place with `terraform fmt` (one process for all of them), each ending with
 * a newline as cdktf's own formatter leaves it. Returns a one-line warning when Terraform is not on
 * the `PATH` of `env` (the files are then left as cdktf wrote them), else undefined; throws when
 * Terraform refuses a file (a bug in the HCL rendering, not a user error).
 */
export function formatHclFiles(files: readonly string[], env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (files.length === 0) return undefined;
  for (const file of files) {
    const text = fs.readFileSync(file, 'utf8');
    if (!text.endsWith('\n')) fs.writeFileSync(file, `${text}\n`);
  }
  const r = spawnSync('terraform', ['fmt', '-list=false', '-no-color', ...files], { env: fmtEnv(env), encoding: 'utf8' });
  if ((r.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT') {
    return 'warning: terraform is not on PATH, so cdk.tf is written unformatted (terraform fmt -check fails on it): install Terraform >= 1.10 and synthesize again, or run terraform fmt -recursive on the output directory';
  }
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`terraform fmt refused the synthesized HCL:\n${r.stderr}`);
  return undefined;
}
