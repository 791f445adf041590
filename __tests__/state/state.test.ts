import { TerraformStack } from 'cdktf';
import { DynamodbTable } from '@cdktf/provider-aws/lib/dynamodb-table';
import { StateStore, configureRemoteState, stateKey } from '../../src/state';
import { countOf, errorOf, onlyOf, synthConstructs } from '../helpers/synth';

describe('StateStore', () => {
  it('creates a protected bucket and lock table', () => {
    const { text, json } = synthConstructs((stack) => new StateStore(stack, 'state', { bucketName: 'tf-state', lockTableName: 'locks' }));
    expect(text).toHaveResourceWithProperties(DynamodbTable, {
      name: 'locks',
      billing_mode: 'PAY_PER_REQUEST',
      hash_key: 'LockID',
      attribute: [{ name: 'LockID', type: 'S' }],
      point_in_time_recovery: { enabled: true },
      server_side_encryption: { enabled: true },
      deletion_protection_enabled: true,
      lifecycle: { prevent_destroy: true },
    });
    expect(onlyOf(json, 'aws_s3_bucket').lifecycle).toEqual({ prevent_destroy: true });
    expect(onlyOf(json, 'aws_s3_bucket_lifecycle_configuration').rule[1].noncurrent_version_expiration).toEqual([{ noncurrent_days: 90 }]);
  });

  it('skips the table for S3-native locking and can drop protection', () => {
    const { json } = synthConstructs((stack) => new StateStore(stack, 'state', { bucketName: 'tf-state', protect: false }));
    expect(countOf(json, 'aws_dynamodb_table')).toBe(0);
    expect(onlyOf(json, 'aws_s3_bucket').lifecycle).toBeUndefined();
  });

  it('rejects a bad table name', () => {
    expect(errorOf(() => synthConstructs((stack) => new StateStore(stack, 'state', { bucketName: 'tf-state', lockTableName: 'a b' })))).toBe(
      'test/state: lockTableName: "a b" is not a DynamoDB table name; allowed: 3-255 of A-Z a-z 0-9 _ . -',
    );
  });
});

describe('configureRemoteState', () => {
  function backendOf(settings: Parameters<typeof configureRemoteState>[1], key: string) {
    const { json } = synthConstructs((stack: TerraformStack) => void configureRemoteState(stack, settings, key));
    return json.terraform?.backend?.s3;
  }

  it('uses S3-native locking when no table is named', () => {
    expect(backendOf({ bucket: 'tf-state', region: 'eu-west-1', keyPrefix: 'org' }, 'ai-predictor/terraform.tfstate')).toEqual({
      bucket: 'tf-state',
      region: 'eu-west-1',
      key: 'org/ai-predictor/terraform.tfstate',
      encrypt: true,
      use_lockfile: true,
    });
  });

  it('uses the DynamoDB table when named, and both when asked', () => {
    expect(backendOf({ bucket: 'tf-state', region: 'eu-west-1', dynamodbTable: 'terraform-state-lock' }, 'x/terraform.tfstate')).toEqual({
      bucket: 'tf-state',
      region: 'eu-west-1',
      key: 'x/terraform.tfstate',
      encrypt: true,
      dynamodb_table: 'terraform-state-lock',
    });
    expect(backendOf({ bucket: 'tf-state', region: 'eu-west-1', dynamodbTable: 't', useLockfile: true }, 'k')).toMatchObject({ dynamodb_table: 't', use_lockfile: true });
  });

  it('builds keys with and without a prefix', () => {
    expect(stateKey({}, 'a/terraform.tfstate')).toBe('a/terraform.tfstate');
    expect(stateKey({ keyPrefix: 'p/q' }, 'a/terraform.tfstate')).toBe('p/q/a/terraform.tfstate');
  });
});
