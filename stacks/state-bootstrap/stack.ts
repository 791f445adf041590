/**
 * `state-bootstrap`: the account-level stack. The S3 bucket and DynamoDB lock table that hold
 * every other stack's remote state, and what every stack assumes the account has (service-linked
 * roles, API Gateway's logging role, cost allocation tags; `AccountBaseline`). It runs on local
 * state itself (a bucket cannot hold the state that creates it); docs/stacks/state-bootstrap.md explains how to migrate
 * its state into the bucket afterwards.
 *
 * Document fixes: the documents create the bucket and table by hand with the AWS CLI
 * (`aws s3 mb`, `aws dynamodb create-table`), without versioning, encryption, public access block
 * or point-in-time recovery; here they are code, with all of those on.
 */
import { Construct } from 'constructs';
import { TerraformOutput } from 'cdktf';
import { AwsStack } from '../../src/core/aws-stack';
import { StateStore } from '../../src/data/state';
import { AccountBaseline } from '../../src/security/account';
import type { SharedSettings } from '../settings';
import type { StateBootstrapSettings } from './settings';

export const STATE_BOOTSTRAP = 'state-bootstrap';

export class StateBootstrapStack extends AwsStack {
  public readonly store: StateStore;
  /** The account's baseline (`account`), when any piece of it is asked for. */
  public readonly account?: AccountBaseline;

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

    const account = settings.account;
    const roles = Object.fromEntries(Object.entries(account.serviceLinkedRoles).filter(([, piece]) => piece !== undefined));
    if (Object.keys(roles).length > 0 || account.apiGatewayCloudWatchRole || account.costAllocationTags.length > 0) {
      this.account = new AccountBaseline(this, 'account', { serviceLinkedRoles: roles, apiGatewayCloudWatchRole: account.apiGatewayCloudWatchRole, costAllocationTags: account.costAllocationTags });
    }

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
