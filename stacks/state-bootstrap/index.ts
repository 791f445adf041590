/**
 * `state-bootstrap`: the S3 bucket and DynamoDB lock table that hold every other stack's remote
 * state. It runs on local state itself (a bucket cannot hold the state that creates it); README
 * explains how to migrate its state into the bucket afterwards.
 *
 * Document fixes: the documents create the bucket and table by hand with the AWS CLI
 * (`aws s3 mb`, `aws dynamodb create-table`), without versioning, encryption, public access block
 * or point-in-time recovery; here they are code, with all of those on.
 */
import { Construct } from 'constructs';
import { TerraformOutput } from 'cdktf';
import { AwsStack } from '../../src/core/aws-stack';
import { PREVIEW_ACCOUNT } from '../settings/preview';
import { StateStore } from '../../src/data/state';
import { SharedSettings, StackDefinition, s } from '../settings';
import type { BucketEncryption } from '../../src/data/bucket';

export const STATE_BOOTSTRAP = 'state-bootstrap';

export interface StateBootstrapSettings {
  /**
   * Region of the state bucket and lock table.
   * @default "eu-west-1" (document 004's backend region)
   */
  readonly region: string;
  /**
   * The AWS account: it qualifies the default bucket name; pin it to plan without credentials.
   * @default - looked up at plan time
   */
  readonly accountId?: string;
  /**
   * Name of the state bucket. Bucket names are global: the default carries the account and
   * region, so it is free; the documents' names (`artwork-matcher-terraform-state`,
   * `predictor-model-terraform-state`) can be given here, with `adoptExisting` when the bucket
   * was already made by hand.
   * @default "terraform-state-<account>-<region>"
   */
  readonly bucketName?: string;
  /**
   * Create the DynamoDB lock table. Turn off when every stack uses S3-native locking.
   * @default true
   */
  readonly createLockTable: boolean;
  /**
   * Name of the DynamoDB lock table.
   * @default "terraform-state-lock" (documents 000 and 004)
   */
  readonly lockTableName: string;
  /**
   * Default encryption of the bucket: SSE-KMS (`aws:kms`) or SSE-S3 (`AES256`).
   * @default "aws:kms"
   */
  readonly encryption: BucketEncryption;
  /**
   * Customer managed KMS key for the bucket and the table.
   * @default - AWS managed keys
   */
  readonly kmsKeyArn?: string;
  /**
   * Days a superseded state version is kept.
   * @default 90
   */
  readonly noncurrentVersionExpirationDays: number;
  /**
   * `prevent_destroy` on bucket and table plus DynamoDB deletion protection.
   * @default true
   */
  readonly protect: boolean;
  /**
   * Adopt an existing bucket and lock table of these names (created by hand, as the documents'
   * setup commands do) with Terraform `import` blocks, and harden them in place, instead of
   * failing with `BucketAlreadyOwnedByYou`. Needs Terraform >= 1.5 and credentials to plan.
   * @default false
   */
  readonly adoptExisting: boolean;
  /**
   * Keep this stack's own state in the bucket it creates (key `state-bootstrap/terraform.tfstate`
   * under `remoteState`). Turn on after the first apply, synth, then run
   * `terraform init -migrate-state` in `cdktf.out/stacks/state-bootstrap`. Needs `remoteState`.
   * @default false
   */
  readonly storeOwnState: boolean;
  /**
   * Extra default tags.
   * @default {}
   */
  readonly tags: Record<string, string>;
}

export const stateBootstrapDefaults: StateBootstrapSettings = {
  region: 'eu-west-1',
  createLockTable: true,
  lockTableName: 'terraform-state-lock',
  encryption: 'aws:kms',
  noncurrentVersionExpirationDays: 90,
  protect: true,
  adoptExisting: false,
  storeOwnState: false,
  tags: {},
};

export const stateBootstrapSchema = s.object<StateBootstrapSettings>(
  {
    region: s.region(),
    accountId: s.optional(s.accountId()),
    bucketName: s.optional(s.bucketName()),
    createLockTable: s.boolean(),
    lockTableName: s.string({ pattern: /^[A-Za-z0-9_.-]{3,255}$/, describe: 'a DynamoDB table name (3-255 of A-Z a-z 0-9 _ . -)' }),
    encryption: s.oneOf<BucketEncryption>(['aws:kms', 'AES256'], 'an S3 encryption'),
    kmsKeyArn: s.optional(s.arn('kms')),
    noncurrentVersionExpirationDays: s.number({ min: 1, max: 36500, unit: 'days' }),
    protect: s.boolean(),
    adoptExisting: s.boolean(),
    storeOwnState: s.boolean(),
    tags: s.tags(),
  },
  (v, issue) => {
    if (v.kmsKeyArn !== undefined && v.encryption !== 'aws:kms') issue('kmsKeyArn', `needs encryption "aws:kms", not ${JSON.stringify(v.encryption)}`);
    if (v.adoptExisting && v.bucketName === undefined) issue('adoptExisting', 'true needs bucketName: the name of the bucket to adopt');
    if (!v.createLockTable && v.lockTableName !== stateBootstrapDefaults.lockTableName) issue('lockTableName', `${JSON.stringify(v.lockTableName)} has no effect with createLockTable false`);
  },
);

export class StateBootstrapStack extends AwsStack {
  public readonly store: StateStore;

  constructor(scope: Construct, name: string, settings: StateBootstrapSettings, shared: SharedSettings = {}) {
    // Local state until the bucket exists; `storeOwnState` moves it into the bucket afterwards.
    super(scope, name, {
      region: settings.region,
      project: 'terraform-state',
      environment: 'shared',
      tags: settings.tags,
      accountId: settings.accountId,
      remoteState: settings.storeOwnState ? shared.remoteState : undefined,
    });
    this.store = new StateStore(this, 'state', {
      bucketName: settings.bucketName ?? this.qualifiedName('terraform-state'),
      adoptExisting: settings.adoptExisting,
      lockTableName: settings.createLockTable ? settings.lockTableName : undefined,
      encryption: settings.encryption,
      kmsKeyArn: settings.kmsKeyArn,
      noncurrentVersionExpirationDays: settings.noncurrentVersionExpirationDays,
      protect: settings.protect,
    });

    new TerraformOutput(this, 'state_bucket_name', { value: this.store.bucket.bucketName, description: 'S3 bucket holding Terraform state' });
    new TerraformOutput(this, 'state_bucket_arn', { value: this.store.bucket.bucketArn, description: 'ARN of the state bucket' });
    if (this.store.lockTable) {
      new TerraformOutput(this, 'lock_table_name', { value: this.store.lockTable.tableName, description: 'DynamoDB table for state locking' });
    }
    new TerraformOutput(this, 'remote_state_settings', {
      description: 'Paste into settings as "remoteState" to move every other stack onto this bucket',
      value: {
        bucket: this.store.bucket.bucketName,
        region: settings.region,
        ...(this.store.lockTable ? { dynamodbTable: this.store.lockTable.tableName } : {}),
      },
    });
  }
}

export const stateBootstrap: StackDefinition<StateBootstrapSettings, Construct> = {
  name: STATE_BOOTSTRAP,
  description: 'The S3 bucket and DynamoDB lock table that hold every other stack\'s Terraform state',
  settingsType: 'StateBootstrapSettings',
  preview: (s) => ({ accountId: s.accountId ?? PREVIEW_ACCOUNT }),
  schema: stateBootstrapSchema,
  defaults: stateBootstrapDefaults,
  validateShared: (settings, shared) =>
    settings.storeOwnState && !shared.remoteState ? [{ path: 'storeOwnState', message: 'true needs "remoteState" (bucket and region) in the settings' }] : [],
  create: (app, settings, shared) => new StateBootstrapStack(app, STATE_BOOTSTRAP, settings, shared),
};
