import { Construct } from 'constructs';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketVersioningA } from '@cdktf/provider-aws/lib/s3-bucket-versioning';
import { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
import { S3BucketOwnershipControls } from '@cdktf/provider-aws/lib/s3-bucket-ownership-controls';
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy';
import { S3BucketLifecycleConfiguration, S3BucketLifecycleConfigurationRule } from '@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration';
import { IGrantable, IKeyUser, grantKeyUse, policyDocument } from '../core/iam';
import { nameTags } from '../core/tags';
import { PropsValidator } from '../core/validation';

/** A lifecycle transition of current objects to another storage class. */
export interface BucketTransition {
  /** Days after creation (0 moves objects on their first lifecycle run). */
  readonly days: number;
  /** Target storage class. */
  readonly storageClass: 'INTELLIGENT_TIERING' | 'STANDARD_IA' | 'ONEZONE_IA' | 'GLACIER_IR' | 'GLACIER' | 'DEEP_ARCHIVE';
}

/** Server-side encryption of a bucket, in S3's own terms. */
export type BucketEncryption = 'aws:kms' | 'AES256';

export interface SecureBucketProps {
  /** Globally unique bucket name (3-63 lowercase letters, digits, "." and "-"). */
  readonly bucketName: string;
  /**
   * Keep every version of every object.
   * @default true
   */
  readonly versioned?: boolean;
  /**
   * Default encryption: `aws:kms` (SSE-KMS) or `AES256` (SSE-S3).
   * @default "aws:kms"
   */
  readonly encryption?: BucketEncryption;
  /**
   * KMS key for SSE-KMS; only with `encryption: "aws:kms"`.
   * @default - the AWS managed key `aws/s3`
   */
  readonly kmsKeyArn?: string;
  /**
   * Deny every request that does not use TLS (bucket policy on `aws:SecureTransport`).
   * @default true
   */
  readonly enforceTls?: boolean;
  /**
   * Block all public access (all four public access block settings).
   * @default true
   */
  readonly blockPublicAccess?: boolean;
  /**
   * Let `terraform destroy` delete a bucket that still holds objects.
   * @default false
   */
  readonly forceDestroy?: boolean;
  /**
   * Terraform `prevent_destroy`: a plan that would delete the bucket fails.
   * @default false
   */
  readonly preventDestroy?: boolean;
  /**
   * Delete noncurrent object versions this many days after they stop being current.
   * @default - noncurrent versions are kept
   */
  readonly noncurrentVersionExpirationDays?: number;
  /**
   * Delete current objects this many days after creation (retention of uploads, for example).
   * @default - objects are kept
   */
  readonly expirationDays?: number;
  /**
   * Storage class transitions of current objects, e.g. `{ days: 0, storageClass: "INTELLIGENT_TIERING" }`.
   * @default []
   */
  readonly transitions?: readonly BucketTransition[];
  /**
   * Abort multipart uploads left incomplete for this many days.
   * @default 7
   */
  readonly abortIncompleteMultipartUploadDays?: number;
  /**
   * Tags added to the bucket (provider default tags apply as well).
   * @default - only `Name`
   */
  readonly tags?: Readonly<Record<string, string>>;
}

/**
 * An S3 bucket with the defaults every system here needs: versioning, default encryption, public
 * access blocked, bucket-owner-enforced ownership, TLS-only access and lifecycle rules.
 */
export class SecureBucket extends Construct implements IKeyUser {
  /** The bucket resource. */
  public readonly bucket: S3Bucket;
  /** Bucket name. */
  public readonly bucketName: string;
  /** Bucket ARN. */
  public readonly bucketArn: string;
  /** Bucket regional domain name. */
  public readonly bucketRegionalDomainName: string;
  /** The customer managed key of the bucket, when it has one (grants include its use). */
  public readonly kmsKeyArn?: string;

  constructor(scope: Construct, id: string, props: SecureBucketProps) {
    super(scope, id);
    const encryption = props.encryption ?? 'aws:kms';
    const abortDays = props.abortIncompleteMultipartUploadDays ?? 7;
    const v = new PropsValidator(this)
      .check(/^(?!xn--)(?!.*\.\.)[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(props.bucketName), 'bucketName', props.bucketName, 'is not an S3 bucket name; allowed: 3-63 lowercase letters, digits, "." and "-"')
      .check(encryption === 'aws:kms' || encryption === 'AES256', 'encryption', encryption, 'is not supported; allowed: "aws:kms", "AES256"')
      .check(!(props.kmsKeyArn && encryption !== 'aws:kms'), 'kmsKeyArn', props.kmsKeyArn, 'needs encryption "aws:kms"')
      .range('noncurrentVersionExpirationDays', props.noncurrentVersionExpirationDays, 1, 36500, 'days')
      .range('expirationDays', props.expirationDays, 1, 36500, 'days')
      .range('abortIncompleteMultipartUploadDays', abortDays, 1, 365, 'days');
    (props.transitions ?? []).forEach((t, i) => v.range(`transitions[${i}].days`, t.days, 0, 36500, 'days'));
    v.throwIfInvalid();
    this.kmsKeyArn = encryption === 'aws:kms' ? props.kmsKeyArn : undefined;

    this.bucket = new S3Bucket(this, 'this', {
      bucket: props.bucketName,
      forceDestroy: props.forceDestroy ?? false,
      tags: nameTags(props.bucketName, props.tags),
      lifecycle: props.preventDestroy ? { preventDestroy: true } : undefined,
    });
    this.bucketName = this.bucket.bucket;
    this.bucketArn = this.bucket.arn;
    this.bucketRegionalDomainName = this.bucket.bucketRegionalDomainName;

    new S3BucketOwnershipControls(this, 'ownership', {
      bucket: this.bucket.id,
      rule: { objectOwnership: 'BucketOwnerEnforced' },
    });

    if (props.versioned ?? true) {
      new S3BucketVersioningA(this, 'versioning', {
        bucket: this.bucket.id,
        versioningConfiguration: { status: 'Enabled' },
      });
    }

    new S3BucketServerSideEncryptionConfigurationA(this, 'encryption', {
      bucket: this.bucket.id,
      rule: [
        {
          applyServerSideEncryptionByDefault: {
            sseAlgorithm: encryption,
            kmsMasterKeyId: encryption === 'aws:kms' ? props.kmsKeyArn : undefined,
          },
          bucketKeyEnabled: encryption === 'aws:kms' ? true : undefined,
        },
      ],
    });

    const publicAccessBlock =
      props.blockPublicAccess ?? true
        ? new S3BucketPublicAccessBlock(this, 'public-access-block', {
            bucket: this.bucket.id,
            blockPublicAcls: true,
            blockPublicPolicy: true,
            ignorePublicAcls: true,
            restrictPublicBuckets: true,
          })
        : undefined;

    if (props.enforceTls ?? true) {
      new S3BucketPolicy(this, 'policy', {
        bucket: this.bucket.id,
        policy: policyDocument([
          {
            Sid: 'DenyInsecureTransport',
            Effect: 'Deny',
            Principal: '*',
            Action: 's3:*',
            Resource: [this.bucket.arn, `${this.bucket.arn}/*`],
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          },
        ]),
        dependsOn: publicAccessBlock ? [publicAccessBlock] : undefined,
      });
    }

    const rules: S3BucketLifecycleConfigurationRule[] = [
      {
        id: 'abort-incomplete-multipart-uploads',
        status: 'Enabled',
        filter: [{ prefix: '' }],
        abortIncompleteMultipartUpload: [{ daysAfterInitiation: abortDays }],
      },
    ];
    if (props.noncurrentVersionExpirationDays !== undefined) {
      rules.push({
        id: 'expire-noncurrent-versions',
        status: 'Enabled',
        filter: [{ prefix: '' }],
        noncurrentVersionExpiration: [{ noncurrentDays: props.noncurrentVersionExpirationDays }],
      });
    }
    if (props.transitions?.length) {
      rules.push({
        id: 'transition-current-objects',
        status: 'Enabled',
        filter: [{ prefix: '' }],
        transition: props.transitions.map((t) => ({ days: t.days, storageClass: t.storageClass })),
      });
    }
    if (props.expirationDays !== undefined) {
      rules.push({
        id: 'expire-current-objects',
        status: 'Enabled',
        filter: [{ prefix: '' }],
        expiration: [{ days: props.expirationDays }],
      });
    }
    new S3BucketLifecycleConfiguration(this, 'lifecycle', { bucket: this.bucket.id, rule: rules });
  }

  /** ARN pattern of objects in the bucket, e.g. `arnForObjects("uploads/*")`. */
  public arnForObjects(keyPattern = '*'): string {
    return `${this.bucketArn}/${keyPattern}`;
  }

  /** Lets `grantee` list the bucket and read its objects (and decrypt them with a customer key). */
  public grantRead(grantee: IGrantable, keyPattern = '*'): void {
    grantee.addToPolicy({ Effect: 'Allow', Action: ['s3:ListBucket', 's3:GetBucketLocation'], Resource: this.bucketArn });
    grantee.addToPolicy({ Effect: 'Allow', Action: ['s3:GetObject', 's3:GetObjectVersion'], Resource: this.arnForObjects(keyPattern) });
    grantKeyUse(grantee, this, false);
  }

  /** Lets `grantee` write objects (no delete): `s3:PutObject` and multipart abort (and encrypt with a customer key). */
  public grantWrite(grantee: IGrantable, keyPattern = '*'): void {
    grantee.addToPolicy({ Effect: 'Allow', Action: ['s3:PutObject', 's3:AbortMultipartUpload'], Resource: this.arnForObjects(keyPattern) });
    grantKeyUse(grantee, this, true);
  }

  /** Lets `grantee` list the bucket and read, write and delete its objects. */
  public grantReadWrite(grantee: IGrantable, keyPattern = '*'): void {
    grantee.addToPolicy({ Effect: 'Allow', Action: ['s3:ListBucket', 's3:GetBucketLocation'], Resource: this.bucketArn });
    grantee.addToPolicy({
      Effect: 'Allow',
      Action: ['s3:GetObject', 's3:GetObjectVersion', 's3:PutObject', 's3:DeleteObject', 's3:AbortMultipartUpload'],
      Resource: this.arnForObjects(keyPattern),
    });
    grantKeyUse(grantee, this, true);
  }
}

export * from './efs';
