/**
 * nutrition-video-analysis against the real Terraform CLI: its look-ups (zones, account) with
 * nothing pinned, checked by `terraform test` with a mock AWS provider, and its one required
 * sensitive input, the Gemini API key.
 */
import * as fs from 'fs';
import * as path from 'path';
import { buildStack, resourcesOf, synth } from '../helpers/synth';
import { describeWithTerraform, planOffline, terraformTest, writeStack } from '../helpers/terraform';

describeWithTerraform('nutrition-video-analysis look-ups and required inputs', () => {
  const stack = buildStack('nutrition-video-analysis');
  const { json } = synth(stack);
  const { dir } = writeStack(stack, 'json');

  it('names the buckets after the account and spreads subnets over the zones it looks up, and refuses an empty Gemini key', async () => {
    expect(Object.keys(json.data ?? {}).sort()).toEqual(['aws_availability_zones', 'aws_caller_identity']);
    const subnet = resourcesOf(json, 'aws_subnet').find(([, r]) => r.tags.Name === 'nutrition-video-analysis-dev-private-2')![0];
    const videos = resourcesOf(json, 'aws_s3_bucket').find(([id]) => id.startsWith('videos_'))![0];
    const [version] = resourcesOf(json, 'aws_secretsmanager_secret_version')[0];
    const output = await terraformTest(
      dir,
      'nutrition',
      `
mock_provider "aws" {
  mock_data "aws_availability_zones" {
    defaults = { names = ["us-east-1c", "us-east-1d", "us-east-1f"] }
  }
  mock_data "aws_caller_identity" {
    defaults = { account_id = "210987654321" }
  }
}

variables {
  gemini_api_key = "AIza-test-key"
}

run "lookups" {
  command = plan

  assert {
    condition     = aws_subnet.${subnet}.availability_zone == "us-east-1d"
    error_message = "private subnet 2 is not in the second looked-up zone"
  }
  assert {
    condition     = aws_s3_bucket.${videos}.bucket == "nutrition-video-analysis-dev-videos-210987654321-us-east-1"
    error_message = "the videos bucket is not named after the looked-up account"
  }
  assert {
    condition     = nonsensitive(aws_secretsmanager_secret_version.${version}.secret_string == "AIza-test-key")
    error_message = "the secret does not hold the variable's value"
  }
}

run "empty_gemini_key" {
  command = plan
  variables {
    gemini_api_key = ""
  }
  expect_failures = [var.gemini_api_key]
}
`,
    );
    expect(output).toMatch(/2 passed, 0 failed/);
  });

  it('stops a plan without the Gemini key with Terraform\'s own error', async () => {
    fs.rmSync(path.join(dir, 'preview.auto.tfvars.json'), { force: true });
    const r = await planOffline(dir).then(
      () => undefined,
      (e: Error) => e.message,
    );
    expect(r).toMatch(/No value for required variable/);
    expect(r).toMatch(/variable "gemini_api_key"/);
  });
});
