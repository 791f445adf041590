/** Settings of the state-bootstrap stack. */
import { s } from '../settings';
import type { BucketEncryption } from '../../src/data/bucket';

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
