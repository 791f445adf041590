import { Construct } from 'constructs';
import { BucketEncryption, SecureBucket } from './bucket';
import { PropsValidator } from '../core/validation';
import { Table } from './table';

export interface StateStoreProps {
  /** Name of the S3 bucket that will hold Terraform state. */
  readonly bucketName: string;
  /**
   * Name of the DynamoDB lock table; leave unset when every stack uses S3-native locking.
   * @default - no lock table
   */
  readonly lockTableName?: string;
  /**
   * Default encryption of the state bucket.
   * @default "aws:kms"
   */
  readonly encryption?: BucketEncryption;
  /**
   * KMS key for the bucket (with `aws:kms`) and the lock table.
   * @default - AWS managed keys (`aws/s3`, `aws/dynamodb`)
   */
  readonly kmsKeyArn?: string;
  /**
   * Days a superseded state version is kept before it expires.
   * @default 90
   */
  readonly noncurrentVersionExpirationDays?: number;
  /**
   * Guard the bucket and table with Terraform `prevent_destroy` and the table with DynamoDB
   * deletion protection. Losing state orphans every resource of every stack.
   * @default true
   */
  readonly protect?: boolean;
  /**
   * Adopt a bucket and table that already exist (made by hand, as the documents' setup commands
   * do) instead of failing with `BucketAlreadyOwnedByYou`: Terraform `import` blocks (Terraform
   * 1.5+) bring them under management, and the first apply hardens them in place (versioning,
   * encryption, public access block, TLS-only policy, lifecycle, point-in-time recovery).
   * @default false
   */
  readonly adoptExisting?: boolean;
}

/** The S3 bucket (and optional DynamoDB lock table) that hold every other stack's state. */
export class StateStore extends Construct {
  /** The versioned, encrypted, TLS-only state bucket. */
  public readonly bucket: SecureBucket;
  /** The lock table, when one was asked for. */
  public readonly lockTable?: Table;

  constructor(scope: Construct, id: string, props: StateStoreProps) {
    super(scope, id);
    const protect = props.protect ?? true;
    new PropsValidator(this)
      .check(props.lockTableName === undefined || /^[A-Za-z0-9_.-]{3,255}$/.test(props.lockTableName), 'lockTableName', props.lockTableName, 'is not a DynamoDB table name; allowed: 3-255 of A-Z a-z 0-9 _ . -')
      .throwIfInvalid();

    this.bucket = new SecureBucket(this, 'bucket', {
      bucketName: props.bucketName,
      versioned: true,
      encryption: props.encryption ?? 'aws:kms',
      kmsKeyArn: props.kmsKeyArn,
      enforceTls: true,
      blockPublicAccess: true,
      forceDestroy: false,
      preventDestroy: protect,
      noncurrentVersionExpirationDays: props.noncurrentVersionExpirationDays ?? 90,
    });
    if (props.adoptExisting) this.bucket.resource.importFrom(props.bucketName);

    if (props.lockTableName !== undefined) {
      this.lockTable = new Table(this, 'lock-table', {
        tableName: props.lockTableName,
        partitionKey: { name: 'LockID', type: 'S' },
        billingMode: 'PAY_PER_REQUEST',
        pointInTimeRecovery: true,
        kmsKeyArn: props.kmsKeyArn,
        deletionProtection: protect,
        preventDestroy: protect,
      });
      // The table was a plain resource at `state/lock-table` before it moved onto `Table`: a
      // `moved` block keeps a deployed table (Terraform would otherwise plan to replace it).
      this.lockTable.resource.moveFromId('aws_dynamodb_table.state_lock-table_6543B35D');
      if (props.adoptExisting) this.lockTable.resource.importFrom(props.lockTableName);
    }
  }
}
