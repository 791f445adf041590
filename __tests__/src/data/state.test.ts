import { TerraformStack, Testing } from 'cdktf';
import { DynamodbTable } from '@cdktf/provider-aws/lib/dynamodb-table';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { StateStore } from '../../../src/data/state';
import { s3Backend, stateKey } from '../../../src/core/backend';
import { countOf, errorOf, onlyOf, synth, synthConstructs } from '../../helpers/synth';

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

  it('adopts a bucket and table made by hand with import blocks, and hardens them in place', () => {
    const { json } = synthConstructs((stack) => new StateStore(stack, 'state', { bucketName: 'predictor-model-terraform-state', lockTableName: 'predictor-model-terraform-locks', adoptExisting: true }));
    const imports = (json.import as { to: string; id: string }[]) ?? [];
    expect(imports.map((i) => [i.to.split('.')[0], i.id]).sort()).toEqual([
      ['aws_dynamodb_table', 'predictor-model-terraform-locks'],
      ['aws_s3_bucket', 'predictor-model-terraform-state'],
    ]);
    // The hardening resources are created against the adopted bucket as usual.
    expect(countOf(json, 'aws_s3_bucket_public_access_block')).toBe(1);
    expect(countOf(json, 'aws_s3_bucket_versioning')).toBe(1);
    const fresh = synthConstructs((stack) => new StateStore(stack, 'state', { bucketName: 'tf-state', lockTableName: 'locks' })).json;
    expect(fresh.import).toBeUndefined();
  });

  it('rejects a bad table name', () => {
    expect(errorOf(() => synthConstructs((stack) => new StateStore(stack, 'state', { bucketName: 'tf-state', lockTableName: 'a b' })))).toBe(
      'test/state: lockTableName: "a b" is not a DynamoDB table name; allowed: 3-255 of A-Z a-z 0-9 _ . -',
    );
  });
});

describe('s3Backend', () => {
  function backendOf(settings: Parameters<typeof s3Backend>[1], key: string) {
    const stack = new TerraformStack(Testing.app(), 'plain');
    new AwsProvider(stack, 'aws', { region: 'eu-west-1' });
    s3Backend(stack, settings, key);
    return synth(stack).json.terraform?.backend?.s3;
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
