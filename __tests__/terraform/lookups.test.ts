/**
 * The plan-time look-up path (availability zones, the account, the ECS GPU AMI from SSM) with
 * nothing pinned, checked by `terraform test` against a mock AWS provider: the synthesized
 * configuration must place subnet i in zone i of the looked-up list, name the data bucket after
 * the looked-up account and launch GPU instances from the looked-up AMI. And the required
 * sensitive inputs: a plan without one stops with Terraform's own error, an empty one fails its
 * validation.
 */
import * as fs from 'fs';
import * as path from 'path';
import { buildStack, resourcesOf, synth } from '../helpers/synth';
import { describeWithTerraform, planOffline, terraformTest, writeStack } from '../helpers/terraform';

describeWithTerraform('look-ups', () => {
  it('artwork-matcher-production uses the zones, account and AMI it looks up', async () => {
    const stack = buildStack('artwork-matcher-production');
    const { json } = synth(stack);
    expect(Object.keys(json.data ?? {}).sort()).toEqual(['aws_availability_zones', 'aws_caller_identity', 'aws_ssm_parameter']);
    const subnet = (nameTag: string) => resourcesOf(json, 'aws_subnet').find(([, r]) => r.tags.Name === nameTag)![0];
    const [template] = resourcesOf(json, 'aws_launch_template')[0];
    const [bucket] = resourcesOf(json, 'aws_s3_bucket').find(([, b]) => String(b.bucket).includes('-data-'))!;
    const { dir } = writeStack(stack, 'json');

    const output = await terraformTest(
      dir,
      'lookups',
      `
mock_provider "aws" {
  mock_data "aws_availability_zones" {
    defaults = { names = ["eu-west-1c", "eu-west-1a", "eu-west-1b"] }
  }
  mock_data "aws_caller_identity" {
    defaults = { account_id = "210987654321" }
  }
  mock_data "aws_ssm_parameter" {
    defaults = { insecure_value = "ami-0fedcba9876543210", value = "ami-0fedcba9876543210" }
  }
}

run "lookups" {
  command = plan

  assert {
    condition     = aws_subnet.${subnet('artwork-matcher-production-private-1')}.availability_zone == "eu-west-1c"
    error_message = "private subnet 1 is not in the first looked-up zone"
  }
  assert {
    condition     = aws_subnet.${subnet('artwork-matcher-production-public-2')}.availability_zone == "eu-west-1a"
    error_message = "public subnet 2 is not in the second looked-up zone"
  }
  assert {
    condition     = aws_launch_template.${template}.image_id == "ami-0fedcba9876543210"
    error_message = "the GPU launch template does not use the AMI from SSM"
  }
  assert {
    condition     = aws_s3_bucket.${bucket}.bucket == "artwork-matcher-production-data-210987654321-eu-west-1"
    error_message = "the data bucket is not named after the looked-up account"
  }
}
`,
    );
    expect(output).toMatch(/1 passed, 0 failed/);
  });
});

describeWithTerraform('vision-validator look-ups and required inputs', () => {
  const stack = buildStack('vision-validator');
  const { json } = synth(stack);
  const { dir } = writeStack(stack, 'json');

  it('launches the GPU instances from the AMI it reads from SSM, in the zones it looks up, and refuses an empty API key', async () => {
    expect(Object.keys(json.data ?? {}).sort()).toEqual(['aws_availability_zones', 'aws_caller_identity', 'aws_ssm_parameter']);
    const [template] = resourcesOf(json, 'aws_launch_template')[0];
    const subnet = resourcesOf(json, 'aws_subnet').find(([, r]) => r.tags.Name === 'vision-validator-production-private-2')![0];
    const [apiSecret] = resourcesOf(json, 'aws_secretsmanager_secret').find(([, r]) => r.name === 'vision-validator-production/api-key')!;
    const output = await terraformTest(
      dir,
      'lookups',
      `
mock_provider "aws" {
  mock_data "aws_availability_zones" {
    defaults = { names = ["us-east-1d", "us-east-1f"] }
  }
  mock_data "aws_caller_identity" {
    defaults = { account_id = "210987654321" }
  }
  mock_data "aws_ssm_parameter" {
    defaults = { insecure_value = "ami-0123456789abcdef0", value = "ami-0123456789abcdef0" }
  }
}

variables {
  api_key        = "a-real-key"
  openai_api_key = "sk-test"
}

run "lookups" {
  command = plan

  assert {
    condition     = aws_launch_template.${template}.image_id == "ami-0123456789abcdef0"
    error_message = "the GPU launch template does not use the ECS GPU AMI from SSM"
  }
  assert {
    condition     = aws_subnet.${subnet}.availability_zone == "us-east-1f"
    error_message = "private subnet 2 is not in the second looked-up zone"
  }
  assert {
    condition     = aws_secretsmanager_secret.${apiSecret}.name == "vision-validator-production/api-key"
    error_message = "the API key secret is misnamed"
  }
}

run "empty_api_key" {
  command = plan
  variables {
    api_key = ""
  }
  expect_failures = [var.api_key]
}
`,
    );
    expect(output).toMatch(/2 passed, 0 failed/);
  });

  it('stops a plan without the API key with Terraform\'s own error, before creating anything', async () => {
    fs.rmSync(path.join(dir, 'preview.auto.tfvars.json'), { force: true });
    const r = await planOffline(dir, { vars: { openai_api_key: 'sk-test' } }).then(
      () => undefined,
      (e: Error) => e.message,
    );
    expect(r).toMatch(/No value for required variable/);
    expect(r).toMatch(/variable "api_key"/);
  });
});
