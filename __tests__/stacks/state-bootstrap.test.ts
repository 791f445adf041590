import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { StateBootstrapStack } from '../../stacks/state-bootstrap';
import { Testing } from 'cdktf';
import { allOf, buildStack, countOf, errorOf, onlyOf, synth, totalResources } from '../helpers/synth';

describe('state-bootstrap stack', () => {
  it('creates a bucket named after the account and region, and the lock table, on local state', () => {
    const { text, json } = synth(buildStack<StateBootstrapStack>('state-bootstrap', { stacks: { 'state-bootstrap': { accountId: '123456789012' } } }));
    expect(text).toHaveProviderWithProperties(AwsProvider, {
      region: 'eu-west-1',
      default_tags: [{ tags: { Project: 'terraform-state', Environment: 'shared', ManagedBy: 'terraform', Stack: 'state-bootstrap' } }],
    });
    // Bucket names are global: the account and region make the default free in every account.
    expect(text).toHaveResourceWithProperties(S3Bucket, { bucket: 'terraform-state-123456789012-eu-west-1' });
    expect(onlyOf(json, 'aws_dynamodb_table').name).toBe('terraform-state-lock');
    // It creates the remote state, so it cannot live there.
    expect(Object.keys(json.terraform?.backend ?? {})).toEqual(['local']);
    expect(totalResources(json)).toBe(8);
    expect(Object.keys(json.output ?? {}).sort()).toEqual(['lock_table_name', 'remote_state_settings', 'state_bucket_arn', 'state_bucket_name']);
  });

  it('stays on local state even when remote state is configured for the other stacks, kept in the project root without a machine path', () => {
    const { json } = synth(buildStack<StateBootstrapStack>('state-bootstrap', { remoteState: { bucket: 'tf-state', region: 'eu-west-1' } }, Testing.app({ outdir: 'cdktf.out' })));
    expect(json.terraform?.backend).toEqual({ local: { path: '../../../terraform.state-bootstrap.tfstate' } });
  });

  it('looks the account up when it is not pinned', () => {
    const { json } = synth(buildStack<StateBootstrapStack>('state-bootstrap'));
    expect(Object.keys(json.data?.aws_caller_identity ?? {})).toHaveLength(1);
    expect(onlyOf(json, 'aws_s3_bucket').bucket).toMatch(/^terraform-state-\$\{data\.aws_caller_identity\.current\.account_id\}-eu-west-1$/);
  });

  it('adopts the bucket and table a document made by hand, under their names', () => {
    const { json } = synth(
      buildStack<StateBootstrapStack>('state-bootstrap', { stacks: { 'state-bootstrap': { bucketName: 'predictor-model-terraform-state', lockTableName: 'predictor-model-terraform-locks', adoptExisting: true } } }),
    );
    expect((json.import as { id: string }[]).map((i) => i.id).sort()).toEqual(['predictor-model-terraform-locks', 'predictor-model-terraform-state']);
    expect(errorOf(() => buildStack('state-bootstrap', { stacks: { 'state-bootstrap': { adoptExisting: true } } }))).toBe(
      'invalid settings for stack "state-bootstrap":\n  adoptExisting: true needs bucketName: the name of the bucket to adopt',
    );
  });

  it('moves its own state into the bucket when asked', () => {
    const remoteState = { bucket: 'tf-state', region: 'eu-west-1', dynamodbTable: 'terraform-state-lock' };
    const { json } = synth(buildStack<StateBootstrapStack>('state-bootstrap', { remoteState, stacks: { 'state-bootstrap': { storeOwnState: true } } }));
    expect(json.terraform?.backend?.s3).toEqual({
      bucket: 'tf-state',
      region: 'eu-west-1',
      dynamodb_table: 'terraform-state-lock',
      key: 'state-bootstrap/terraform.tfstate',
      encrypt: true,
    });
    expect(errorOf(() => buildStack('state-bootstrap', { stacks: { 'state-bootstrap': { storeOwnState: true } } }))).toBe(
      'invalid settings for stack "state-bootstrap":\n  storeOwnState: true needs "remoteState" (bucket and region) in the settings',
    );
  });

  it('follows its settings', () => {
    const { json } = synth(
      buildStack<StateBootstrapStack>('state-bootstrap', {
        stacks: { 'state-bootstrap': { region: 'us-east-1', bucketName: 'acme-tf-state', createLockTable: false, encryption: 'AES256', tags: { CostCenter: 'platform' } } },
      }),
    );
    expect(countOf(json, 'aws_dynamodb_table')).toBe(0);
    expect(json.output?.lock_table_name).toBeUndefined();
    expect(onlyOf(json, 'aws_s3_bucket').bucket).toBe('acme-tf-state');
    expect(json.provider?.aws[0].default_tags[0].tags).toEqual({ CostCenter: 'platform', Project: 'terraform-state', Environment: 'shared', ManagedBy: 'terraform', Stack: 'state-bootstrap' });
    expect(onlyOf(json, 'aws_s3_bucket_server_side_encryption_configuration').rule[0].apply_server_side_encryption_by_default).toEqual({ sse_algorithm: 'AES256' });
  });

  it('sets up what the stacks assume of the account, only what is asked: service-linked roles (created or adopted), the API Gateway logging role, cost allocation tags', () => {
    const none = synth(buildStack<StateBootstrapStack>('state-bootstrap', { stacks: { 'state-bootstrap': { accountId: '123456789012' } } })).json;
    for (const type of ['aws_iam_service_linked_role', 'aws_api_gateway_account', 'aws_ce_cost_allocation_tag']) expect(countOf(none, type)).toBe(0);

    const account = { serviceLinkedRoles: { ecs: 'create', spot: 'adopt' }, apiGatewayCloudWatchRole: true, costAllocationTags: ['Stack'] };
    const { json } = synth(buildStack<StateBootstrapStack>('state-bootstrap', { stacks: { 'state-bootstrap': { accountId: '123456789012', account } } }));
    expect(allOf(json, 'aws_iam_service_linked_role').map((r) => r.aws_service_name).sort()).toEqual(['ecs.amazonaws.com', 'spot.amazonaws.com']);
    // An existing role is taken over with an import block, not created again ("has been taken in this account").
    expect((json.import as { id: string }[]).map((i) => i.id)).toEqual(['arn:aws:iam::123456789012:role/aws-service-role/spot.amazonaws.com/AWSServiceRoleForEC2Spot']);
    const apiAccount = onlyOf(json, 'aws_api_gateway_account');
    expect(apiAccount.cloudwatch_role_arn).toMatch(/^\$\{aws_iam_role\..+\.arn\}$/);
    // Other stacks' APIs keep logging when this stack goes.
    expect(apiAccount.reset_on_delete).toBe(false);
    expect(onlyOf(json, 'aws_ce_cost_allocation_tag')).toMatchObject({ tag_key: 'Stack', status: 'Active' });
    expect(errorOf(() => buildStack('state-bootstrap', { stacks: { 'state-bootstrap': { account: { serviceLinkedRoles: { ecs: 'make' } } } } }))).toBe(
      'invalid settings for stack "state-bootstrap":\n  account.serviceLinkedRoles.ecs: "make" is not what to do with the role; allowed: "create", "adopt"',
    );
  });
});
