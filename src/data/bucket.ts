import { Construct } from 'constructs';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketVersioningA } from '@cdktf/provider-aws/lib/s3-bucket-versioning';
import { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
import { S3BucketOwnershipControls } from '@cdktf/provider-aws/lib/s3-bucket-ownership-controls';
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy';
import { S3BucketLifecycleConfiguration, S3BucketLifecycleConfigurationRule } from '@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration';
import { S3BucketCorsConfiguration } from '@cdktf/provider-aws/lib/s3-bucket-cors-configuration';
import { S3BucketNotification, S3BucketNotificationQueue } from '@cdktf/provider-aws/lib/s3-bucket-notification';
import { S3BucketLoggingA } from '@cdktf/provider-aws/lib/s3-bucket-logging';
import { Lazy, TerraformResource } from 'cdktf';
import { IGrantable, IKeyUser, PolicyStatement, grantKeyUse, policyDocument } from '../core/iam';
import { nameTags } from '../core/tags';
import { PropsValidator } from '../core/validation';
import { Relations } from '../core/relations';
import type { EncryptionKey } from '../security/kms';

/** A lifecycle transition of current objects to another storage class. */
export interface BucketTransition {
  /** Days after creation (0 moves objects on their first lifecycle run). */
  readonly days: number;
  /** Target storage class. */
  readonly storageClass: 'INTELLIGENT_TIERING' | 'STANDARD_IA' | 'ONEZONE_IA' | 'GLACIER_IR' | 'GLACIER' | 'DEEP_ARCHIVE';
}

/** A CORS rule: which browser origins may call the bucket directly (presigned uploads and downloads). */
export interface BucketCorsRule {
  /** HTTP methods allowed, e.g. `["PUT"]` for presigned uploads. */
  readonly allowedMethods: readonly ('GET' | 'PUT' | 'POST' | 'DELETE' | 'HEAD')[];
  /** Origins allowed, e.g. `["https://app.example.com"]`, or `["*"]`. */
  readonly allowedOrigins: readonly string[];
  /**
   * Request headers allowed in preflight requests.
   * @default ["*"]
   */
  readonly allowedHeaders?: readonly string[];
  /**
   * Response headers browsers may read (`ETag` for multipart uploads).
   * @default ["ETag"]
   */
  readonly exposeHeaders?: readonly string[];
  /**
   * Seconds browsers cache a preflight answer.
   * @default 3000
   */
  readonly maxAgeSec?: number;
}

/** What a bucket needs of an SQS queue to notify it (`Queue` of src/queue has these). */
export interface INotificationQueue {
  /** ARN of the queue. */
  readonly queueArn: string;
  /** Lets an AWS service send from its own principal on behalf of `sourceArn` (queue policy and key). */
  allowSendFrom(servicePrincipal: string, sourceArn: string): void;
  /** Makes `resource` wait for the queue policy. */
  addDependent(resource: TerraformResource): void;
}

/** Which object events go to a queue. */
export interface BucketQueueNotificationOptions {
  /**
   * S3 event types, e.g. `s3:ObjectCreated:*`.
   * @default ["s3:ObjectCreated:*"]
   */
  readonly events?: readonly string[];
  /** Only keys starting with this, e.g. `uploads/`. @default - every key */
  readonly prefix?: string;
  /** Only keys ending with this, e.g. `.mp4`. @default - every key */
  readonly suffix?: string;
}

/** Server-side encryption of a bucket, in S3's own terms. */
export type BucketEncryption = 'aws:kms' | 'AES256';

/** What an application does with a bucket, for `SecureBucket.grant`. */
export type BucketAccess = 'list' | 'read' | 'write' | 'delete';

/**
 * The S3 actions of each `BucketAccess`, and no more: `list` is the one bucket-level action
 * (without it a missing key reads as 403 instead of 404); `write` covers multipart uploads
 * (`s3:PutObject` allows CreateMultipartUpload, UploadPart and CompleteMultipartUpload) and
 * aborting one.
 */
const BUCKET_ACCESS_ACTIONS: Readonly<Record<BucketAccess, readonly string[]>> = {
  list: ['s3:ListBucket'],
  read: ['s3:GetObject'],
  write: ['s3:PutObject', 's3:AbortMultipartUpload'],
  delete: ['s3:DeleteObject'],
};

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
   * Customer managed key of this app for SSE-KMS (not with `kmsKeyArn`); only with
   * `encryption: "aws:kms"`. Grants on the bucket include its use.
   * @default - the AWS managed key `aws/s3`
   */
  readonly kmsKey?: EncryptionKey;
  /**
   * ARN of a customer managed key made elsewhere, for SSE-KMS (not with `kmsKey`); only with
   * `encryption: "aws:kms"`.
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
   * CORS rules, for browsers that upload or download with presigned URLs.
   * @default - no CORS configuration (browsers cannot call the bucket from other origins)
   */
  readonly corsRules?: readonly BucketCorsRule[];
  /**
   * Tags added to the bucket (provider default tags apply as well).
   * @default - only `Name`
   */
  readonly tags?: Readonly<Record<string, string>>;
  /**
   * Server access logs of this bucket, delivered to an access-log bucket of the stack
   * (`AccessLogBucket`, whose policy lets S3's logging service write under `prefix`).
   * @default - no server access logs
   */
  readonly serverAccessLogs?: { readonly bucket: IServerAccessLogDestination; readonly prefix?: string };
}

/** A bucket that receives S3 server access logs (`AccessLogBucket`). */
export interface IServerAccessLogDestination {
  readonly bucketName: string;
  /**
   * Lets S3's logging service write the logs of `sourceBucketArn` under `prefix`; returns the
   * policy to wait for (undefined for a bucket made elsewhere, whose policy allows it already).
   */
  allowServerAccessLogs(sourceBucketArn: string, prefix: string): TerraformResource | undefined;
}

/**
 * An S3 bucket with the defaults every system here needs: versioning, default encryption, public
 * access blocked, bucket-owner-enforced ownership, TLS-only access and lifecycle rules.
 */
export class SecureBucket extends Construct implements IKeyUser {
  /** The bucket resource. */
  public readonly resource: S3Bucket;
  /** Bucket name. */
  public readonly bucketName: string;
  /** Bucket ARN. */
  public readonly bucketArn: string;
  /** Bucket regional domain name. */
  public readonly bucketRegionalDomainName: string;
  /** The customer managed key of the bucket, when it has one (grants include its use). */
  public readonly kmsKeyArn?: string;
  /** Whether object versioning is on (AWS Backup of S3 needs it). */
  public readonly versioned: boolean;
  /** The bucket policy (TLS only, plus `addToResourcePolicy` statements), unless `enforceTls` is false. */
  public readonly policy?: S3BucketPolicy;
  private notification?: S3BucketNotification;
  private readonly queueNotifications: S3BucketNotificationQueue[] = [];
  private readonly policyStatements: PolicyStatement[] = [];

  constructor(scope: Construct, id: string, props: SecureBucketProps) {
    super(scope, id);
    const encryption = this.validate(props);
    const keyArn = props.kmsKey?.keyArn ?? props.kmsKeyArn;
    this.kmsKeyArn = encryption === 'aws:kms' ? keyArn : undefined;
    this.versioned = props.versioned ?? true;

    this.resource = new S3Bucket(this, 'this', {
      bucket: props.bucketName,
      forceDestroy: props.forceDestroy ?? false,
      tags: nameTags(props.bucketName, props.tags),
      lifecycle: props.preventDestroy ? { preventDestroy: true } : undefined,
    });
    this.bucketName = this.resource.bucket;
    this.bucketArn = this.resource.arn;
    this.bucketRegionalDomainName = this.resource.bucketRegionalDomainName;

    new S3BucketOwnershipControls(this, 'ownership', {
      bucket: this.resource.id,
      rule: { objectOwnership: 'BucketOwnerEnforced' },
    });
    if (this.versioned) {
      new S3BucketVersioningA(this, 'versioning', {
        bucket: this.resource.id,
        versioningConfiguration: { status: 'Enabled' },
      });
    }
    new S3BucketServerSideEncryptionConfigurationA(this, 'encryption', {
      bucket: this.resource.id,
      rule: [
        {
          applyServerSideEncryptionByDefault: {
            sseAlgorithm: encryption,
            kmsMasterKeyId: encryption === 'aws:kms' ? keyArn : undefined,
          },
          bucketKeyEnabled: encryption === 'aws:kms' ? true : undefined,
        },
      ],
    });
    const publicAccessBlock = props.blockPublicAccess ?? true ? this.blockPublicAccess() : undefined;
    if (props.enforceTls ?? true) this.policy = this.tlsOnlyPolicy(publicAccessBlock);
    if (props.serverAccessLogs) this.logTo(props.serverAccessLogs.bucket, props.serverAccessLogs.prefix ?? `s3/${props.bucketName}/`);
    new S3BucketLifecycleConfiguration(this, 'lifecycle', { bucket: this.resource.id, rule: lifecycleRules(props) });
    if (props.corsRules?.length) this.cors(props.corsRules);
  }

  /** Checks every prop (before any resource exists); returns the encryption. */
  private validate(props: SecureBucketProps): BucketEncryption {
    const encryption = props.encryption ?? 'aws:kms';
    const v = new PropsValidator(this)
      .check(/^(?!xn--)(?!.*\.\.)[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(props.bucketName), 'bucketName', props.bucketName, 'is not an S3 bucket name; allowed: 3-63 lowercase letters, digits, "." and "-"')
      .check(encryption === 'aws:kms' || encryption === 'AES256', 'encryption', encryption, 'is not supported; allowed: "aws:kms", "AES256"')
      .check(!(props.kmsKeyArn && encryption !== 'aws:kms'), 'kmsKeyArn', props.kmsKeyArn, 'needs encryption "aws:kms"')
      .check(!(props.kmsKey && encryption !== 'aws:kms'), 'kmsKey', props.kmsKey?.node.path, 'needs encryption "aws:kms"')
      .check(!(props.kmsKey && props.kmsKeyArn), 'kmsKeyArn', props.kmsKeyArn, 'is set together with kmsKey; give one of them')
      .range('noncurrentVersionExpirationDays', props.noncurrentVersionExpirationDays, 1, 36500, 'days')
      .range('expirationDays', props.expirationDays, 1, 36500, 'days')
      .range('abortIncompleteMultipartUploadDays', props.abortIncompleteMultipartUploadDays ?? 7, 1, 365, 'days');
    (props.transitions ?? []).forEach((t, i) => v.range(`transitions[${i}].days`, t.days, 0, 36500, 'days'));
    (props.corsRules ?? []).forEach((r, i) => {
      v.check(r.allowedMethods.length > 0, `corsRules[${i}].allowedMethods`, r.allowedMethods, 'is empty; give the methods browsers use (e.g. "PUT")');
      v.check(r.allowedOrigins.length > 0, `corsRules[${i}].allowedOrigins`, r.allowedOrigins, 'is empty; give the origins allowed (e.g. "https://app.example.com") or "*"');
      r.allowedOrigins.forEach((o, j) => v.check(o === '*' || /^https?:\/\/[A-Za-z0-9.*-]+(:\d{1,5})?$/.test(o), `corsRules[${i}].allowedOrigins[${j}]`, o, 'is not an origin; allowed: "*" or scheme://host[:port], e.g. "https://app.example.com"'));
      v.range(`corsRules[${i}].maxAgeSec`, r.maxAgeSec, 0, 86400, 'seconds');
    });
    v.throwIfInvalid();
    return encryption;
  }

  /** All four public access block settings. */
  private blockPublicAccess(): S3BucketPublicAccessBlock {
    return new S3BucketPublicAccessBlock(this, 'public-access-block', {
      bucket: this.resource.id,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
  }

  /** The bucket policy: TLS only, plus the statements `addToResourcePolicy` adds later. */
  private tlsOnlyPolicy(publicAccessBlock: S3BucketPublicAccessBlock | undefined): S3BucketPolicy {
    this.policyStatements.push({
      Sid: 'DenyInsecureTransport',
      Effect: 'Deny',
      Principal: '*',
      Action: 's3:*',
      Resource: [this.resource.arn, `${this.resource.arn}/*`],
      Condition: { Bool: { 'aws:SecureTransport': 'false' } },
    });
    return new S3BucketPolicy(this, 'policy', {
      bucket: this.resource.id,
      policy: Lazy.stringValue({ produce: () => policyDocument(this.policyStatements) }),
      dependsOn: publicAccessBlock ? [publicAccessBlock] : undefined,
    });
  }

  /** Server access logs to `target` under `prefix`. */
  private logTo(target: IServerAccessLogDestination, prefix: string): void {
    // S3 checks nothing when logging is configured, but delivery fails until the target's policy allows it.
    const targetPolicy = target.allowServerAccessLogs(this.resource.arn, prefix);
    new S3BucketLoggingA(this, 'logging', { bucket: this.resource.id, targetBucket: target.bucketName, targetPrefix: prefix, dependsOn: targetPolicy ? [targetPolicy] : undefined });
  }

  private cors(rules: readonly BucketCorsRule[]): void {
    new S3BucketCorsConfiguration(this, 'cors', {
      bucket: this.resource.id,
      corsRule: rules.map((r) => ({
        allowedMethods: [...r.allowedMethods],
        allowedOrigins: [...r.allowedOrigins],
        allowedHeaders: [...(r.allowedHeaders ?? ['*'])],
        exposeHeaders: [...(r.exposeHeaders ?? ['ETag'])],
        maxAgeSeconds: r.maxAgeSec ?? 3000,
      })),
    });
  }

  /** Adds a statement to the bucket policy (the bucket must enforce TLS, which creates the policy). */
  public addToResourcePolicy(statement: PolicyStatement): S3BucketPolicy {
    if (!this.policy) throw new Error(`${this.node.path}: addToResourcePolicy needs the bucket policy (enforceTls is false)`);
    this.policyStatements.push(statement);
    return this.policy;
  }

  /**
   * Sends object events to an SQS queue: the queue's policy (and key) let S3 send on behalf of this
   * bucket, and the bucket's notification configuration (one per bucket, shared by every call)
   * waits for that policy, because S3 checks it when the configuration is written.
   */
  public addQueueNotification(queue: INotificationQueue, options: BucketQueueNotificationOptions = {}): void {
    const events = options.events ?? ['s3:ObjectCreated:*'];
    const v = new PropsValidator(this).check(events.length > 0, 'addQueueNotification.events', events, 'is empty; give S3 event types such as "s3:ObjectCreated:*"');
    events.forEach((e, i) => v.matches(`addQueueNotification.events[${i}]`, e, /^s3:[A-Za-z]+:(\*|[A-Za-z]+)$/, 'an S3 event type such as "s3:ObjectCreated:*"'));
    v.throwIfInvalid();
    queue.allowSendFrom('s3.amazonaws.com', this.bucketArn);
    Relations.notify(this.resource, queue.queueArn);
    this.queueNotifications.push({
      id: `queue-${this.queueNotifications.length + 1}`,
      queueArn: queue.queueArn,
      events: [...events],
      filterPrefix: options.prefix,
      filterSuffix: options.suffix,
    });
    if (!this.notification) this.notification = new S3BucketNotification(this, 'notification', { bucket: this.resource.id, queue: [] });
    this.notification.putQueue([...this.queueNotifications]);
    queue.addDependent(this.notification);
  }

  /** ARN pattern of objects in the bucket, e.g. `arnForObjects("uploads/*")`. */
  public arnForObjects(keyPattern = '*'): string {
    return `${this.bucketArn}/${keyPattern}`;
  }

  /** Lets `grantee` list the bucket and read its objects (and decrypt them with a customer key). */
  public grantRead(grantee: IGrantable, keyPattern = '*'): void {
    Relations.grant(this.resource, grantee, 'list', 'read');
    grantee.addToPolicy({ Effect: 'Allow', Action: ['s3:ListBucket', 's3:GetBucketLocation'], Resource: this.bucketArn });
    grantee.addToPolicy({ Effect: 'Allow', Action: ['s3:GetObject', 's3:GetObjectVersion'], Resource: this.arnForObjects(keyPattern) });
    grantKeyUse(grantee, this, false);
  }

  /** Lets `grantee` write objects (no delete): `s3:PutObject` and multipart abort (and encrypt with a customer key). */
  public grantWrite(grantee: IGrantable, keyPattern = '*'): void {
    Relations.grant(this.resource, grantee, 'write');
    grantee.addToPolicy({ Effect: 'Allow', Action: ['s3:PutObject', 's3:AbortMultipartUpload'], Resource: this.arnForObjects(keyPattern) });
    grantKeyUse(grantee, this, true);
  }

  /**
   * Lets `grantee` do exactly what `access` names, and nothing else: `s3:ListBucket` on the bucket
   * for `list`; the object actions of `read`, `write` and `delete` (`BUCKET_ACCESS_ACTIONS`) on
   * `keyPattern`, in one statement. Unlike `grantRead`/`grantWrite`, no `GetBucketLocation` and no
   * version-level actions. With a customer key, `kms:Decrypt` for reads and writes (multipart
   * uploads decrypt too) plus `kms:GenerateDataKey*` for writes.
   */
  public grant(grantee: IGrantable, access: readonly BucketAccess[], keyPattern = '*'): void {
    const known = Object.keys(BUCKET_ACCESS_ACTIONS);
    const v = new PropsValidator(this).check(access.length > 0, 'grant', access, `is empty; give what the grantee does: ${known.join(', ')}`);
    access.forEach((a, i) => v.check(known.includes(a), `grant[${i}]`, a, `is not a bucket access; allowed: ${known.join(', ')}`));
    v.throwIfInvalid();
    Relations.grant(this.resource, grantee, ...access);
    const wanted = new Set(access);
    if (wanted.has('list')) grantee.addToPolicy({ Effect: 'Allow', Action: [...BUCKET_ACCESS_ACTIONS.list], Resource: this.bucketArn });
    const objectActions = (['read', 'write', 'delete'] as const).filter((a) => wanted.has(a)).flatMap((a) => BUCKET_ACCESS_ACTIONS[a]);
    if (objectActions.length > 0) grantee.addToPolicy({ Effect: 'Allow', Action: objectActions, Resource: this.arnForObjects(keyPattern) });
    if (wanted.has('read') || wanted.has('write')) grantKeyUse(grantee, this, wanted.has('write'));
  }

  /** Lets `grantee` list the bucket and read, write and delete its objects. */
  public grantReadWrite(grantee: IGrantable, keyPattern = '*'): void {
    Relations.grant(this.resource, grantee, 'list', 'read', 'write', 'delete');
    grantee.addToPolicy({ Effect: 'Allow', Action: ['s3:ListBucket', 's3:GetBucketLocation'], Resource: this.bucketArn });
    grantee.addToPolicy({
      Effect: 'Allow',
      Action: ['s3:GetObject', 's3:GetObjectVersion', 's3:PutObject', 's3:DeleteObject', 's3:AbortMultipartUpload'],
      Resource: this.arnForObjects(keyPattern),
    });
    grantKeyUse(grantee, this, true);
  }
}


/** The lifecycle rules: incomplete uploads aborted, then noncurrent versions, transitions and expiry as asked. */
function lifecycleRules(props: SecureBucketProps): S3BucketLifecycleConfigurationRule[] {
  const rules: S3BucketLifecycleConfigurationRule[] = [
    {
      id: 'abort-incomplete-multipart-uploads',
      status: 'Enabled',
      filter: [{ prefix: '' }],
      abortIncompleteMultipartUpload: [{ daysAfterInitiation: props.abortIncompleteMultipartUploadDays ?? 7 }],
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
  return rules;
}
