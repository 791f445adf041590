/**
 * The HCL exit is valid Terraform: the terraform block's own attributes (`required_version`), which
 * cdktf 0.21 renders by index with their value lost, are written with their values.
 */
import { Testing } from 'cdktf';
import { AwsStack, TERRAFORM_VERSION } from '../../../src/core/aws-stack';
import { restoreTerraformAttributes, tidyHcl } from '../../../tools/synth';

describe('the terraform block of the HCL output', () => {
  it('states the Terraform versions the stacks need, with its value (cdktf alone writes `0 = "required_version"`)', () => {
    const stack = new AwsStack(Testing.app(), 'demo', { region: 'eu-west-1', project: 'p', environment: 'test' });
    const { hcl, metadata } = stack.toHclTerraform();
    expect(hcl).toMatch(/^\s*0 = "required_version"$/m); // what cdktf 0.21 renders, fixed below
    const tidy = tidyHcl(hcl, metadata.terraform);
    expect(tidy).toMatch(/^\s*required_version = ">= 1\.10"$/m);
    expect(tidy).not.toMatch(/^\s*\d+ = "/m);
    expect(TERRAFORM_VERSION).toBe('>= 1.10');
  });

  it('keeps a stack\'s own constraint', () => {
    const stack = new AwsStack(Testing.app(), 'demo', { region: 'eu-west-1', project: 'p', environment: 'test', terraformVersion: '>= 1.11, < 2.0' });
    expect(JSON.parse(Testing.synth(stack)).terraform.required_version).toBe('>= 1.11, < 2.0');
    const { hcl, metadata } = stack.toHclTerraform();
    expect(tidyHcl(hcl, metadata.terraform)).toMatch(/^\s*required_version = ">= 1\.11, < 2\.0"$/m);
  });

  it('refuses an attribute it cannot write, and leaves index lines of keys the block lacks alone', () => {
    expect(() => restoreTerraformAttributes('terraform {\n  0 = "experiments"\n}\n', { experiments: ['x'] })).toThrow('the terraform block\'s experiments is ["x"]: only a string, number or boolean can be written as HCL here');
    expect(restoreTerraformAttributes('  0 = "other"\n', { required_version: '>= 1' })).toBe('  0 = "other"\n');
  });
});
