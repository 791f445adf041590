/**
 * ai-predictor's plan-time look-ups (availability zones, the account) with nothing pinned, checked
 * by `terraform test` against a mock AWS provider: private subnet i sits in zone i of the
 * looked-up list, the interface endpoints in the first one, and the buckets (and the backend's
 * environment output) carry the looked-up account.
 */
import { buildStack, resourcesOf, synth } from '../helpers/synth';
import { describeWithTerraform, terraformTest, writeStack } from '../helpers/terraform';

describeWithTerraform('ai-predictor look-ups', () => {
  it('places subnets and endpoints in the zones it looks up and names the buckets after the account', async () => {
    const stack = buildStack('ai-predictor');
    const { json } = synth(stack);
    expect(Object.keys(json.data ?? {}).sort()).toEqual(['aws_availability_zones', 'aws_caller_identity']);
    const subnet = (n: number) => resourcesOf(json, 'aws_subnet').find(([, r]) => r.tags.Name === `predictor-model-dev-private-${n}`)![0];
    const endpoint = resourcesOf(json, 'aws_vpc_endpoint').find(([, r]) => r.service_name.endsWith('.ecr.dkr'))![0];
    const files = resourcesOf(json, 'aws_s3_bucket').find(([, r]) => String(r.bucket).startsWith('predictor-model-dev-files-'))![0];
    const { dir } = writeStack(stack, 'json');

    const output = await terraformTest(
      dir,
      'lookups',
      `
mock_provider "aws" {
  mock_data "aws_availability_zones" {
    defaults = { names = ["us-east-1d", "us-east-1f", "us-east-1a"] }
  }
  mock_data "aws_caller_identity" {
    defaults = { account_id = "210987654321" }
  }
}

run "lookups" {
  command = plan

  assert {
    condition     = aws_subnet.${subnet(1)}.availability_zone == "us-east-1d" && aws_subnet.${subnet(2)}.availability_zone == "us-east-1f"
    error_message = "the private subnets are not in the looked-up zones, in order"
  }
  assert {
    condition     = length(aws_vpc_endpoint.${endpoint}.subnet_ids) == 1
    error_message = "the ECR endpoint is not in exactly one zone"
  }
  assert {
    condition     = aws_s3_bucket.${files}.bucket == "predictor-model-dev-files-210987654321-us-east-1"
    error_message = "the files bucket is not named after the looked-up account"
  }
  assert {
    condition     = output.backend_environment_variables["S3_FILES_BUCKET"] == "predictor-model-dev-files-210987654321-us-east-1"
    error_message = "the backend environment output does not carry the files bucket"
  }
}
`,
    );
    expect(output).toMatch(/1 passed, 0 failed/);
  });
});
