/**
 * The HCL exit passes `terraform fmt -check`: `npm run synth -- --hcl` (the real command, every
 * stack) writes `cdk.tf` files Terraform's formatter leaves as they are. Without Terraform on PATH
 * the files stay as cdktf wrote them and synth says so in one line. (In the terraform project: it
 * runs the Terraform CLI.)
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { STACK_NAMES } from '../../../stacks';
import { formatHclFiles } from '../../../tools/synth';
import { terraformEnv } from '../../../tools/terraform/cli';
import { describeWithTerraform } from '../../helpers/terraform';
import { useTempDirs } from '../../helpers/temp';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const tempDir = useTempDirs();

describeWithTerraform('the HCL output', () => {
  it('passes terraform fmt -check for every stack', () => {
    const out = tempDir('synth-hcl-');
    const r = spawnSync(process.execPath, ['-r', './scripts/register.js', 'main.ts', '--hcl'], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, CDKTF_OUTDIR: out } });
    expect({ code: r.status, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
    const files = STACK_NAMES.map((s) => path.join(out, 'stacks', s, 'cdk.tf'));
    expect(files.filter((f) => !fs.existsSync(f))).toEqual([]);
    expect(STACK_NAMES.filter((s) => fs.existsSync(path.join(out, 'stacks', s, 'cdk.tf.json')))).toEqual([]);
    const check = spawnSync('terraform', ['fmt', '-check', '-recursive', '-no-color', out], { encoding: 'utf8', env: terraformEnv() });
    // -check lists every file it would change.
    expect({ code: check.status, unformatted: check.stdout.trim() }).toEqual({ code: 0, unformatted: '' });
    expect(fs.readFileSync(files[0], 'utf8')).toMatch(/\n$/);
  });

  it('is left as cdktf wrote it, with one warning line, when Terraform is not on PATH', () => {
    const file = path.join(tempDir('hcl-format-'), 'cdk.tf');
    fs.writeFileSync(file, 'resource "aws_sqs_queue" "q" {\nname = "${var.name}"\n}');
    const warning = formatHclFiles([file], { ...process.env, PATH: tempDir('no-terraform-') });
    expect(warning).toBe('warning: terraform is not on PATH, so cdk.tf is written unformatted (terraform fmt -check fails on it): install Terraform >= 1.10 and synthesize again, or run terraform fmt -recursive on the output directory');
    expect(fs.readFileSync(file, 'utf8')).toBe('resource "aws_sqs_queue" "q" {\nname = "${var.name}"\n}\n');
    expect(formatHclFiles([file])).toBeUndefined();
    expect(fs.readFileSync(file, 'utf8')).toBe('resource "aws_sqs_queue" "q" {\n  name = var.name\n}\n');
  });
});
