import { Construct } from 'constructs';
import { Token } from 'cdktf';
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy';
import { AwsStack } from '../core/aws-stack';
import { BUCKET_PATTERN, PropsValidator } from '../core/validation';
import { Guardrails } from '../core/suppressions';
import { IServerAccessLogDestination, SecureBucket } from './bucket';
import type { ILoadBalancerLogDestination } from '../edge/alb';

/**
 * The Elastic Load Balancing account of each region opened before August 2022: in those regions
 * load balancers write access logs as this account, and the bucket policy must name it. Regions
 * opened later accept (and the others also accept) the log delivery service principal, which the
 * policy always names as well.
 * Source: Elastic Load Balancing user guide, "Enable access logs", bucket policy.
 */
const ELB_LOG_ACCOUNTS: Readonly<Record<string, string>> = {
  'us-east-1': '127311923021',
  'us-east-2': '033677994240',
  'us-west-1': '027434742980',
  'us-west-2': '797873946194',
  'af-south-1': '098369216593',
  'ap-east-1': '754344448648',
  'ap-southeast-3': '589379963580',
  'ap-south-1': '718504428378',
  'ap-northeast-3': '383597477331',
  'ap-northeast-2': '600734575887',
  'ap-southeast-1': '114774131450',
  'ap-southeast-2': '783225319266',
  'ap-northeast-1': '582318560864',
  'ca-central-1': '985666609251',
  'eu-central-1': '054676820928',
  'eu-west-1': '156460612806',
  'eu-west-2': '652711504416',
  'eu-south-1': '635631232127',
  'eu-west-3': '009996457667',
  'eu-north-1': '897822967062',
  'me-south-1': '076674570225',
  'sa-east-1': '507241528517',
  'us-gov-west-1': '048591011584',
  'us-gov-east-1': '190560391635',
};

/** Service principal of load balancer log delivery (every region opened since August 2022, and the others too). */
const ELB_LOG_DELIVERY_PRINCIPAL = 'logdelivery.elasticloadbalancing.amazonaws.com';

export interface AccessLogBucketProps {
  /** Bucket name (global: qualify it with the account and region, `AwsStack.qualifiedName`). */
  readonly bucketName: string;
  /**
   * Days a log object is kept.
   * @default 90
   */
  readonly retentionDays?: number;
  /**
   * Let `terraform destroy` delete a bucket that still holds logs.
   * @default false
   */
  readonly forceDestroy?: boolean;
}

/**
 * A bucket for the access logs of the stack's load balancers and buckets. Encrypted with S3
 * managed keys (SSE-S3): load balancers and S3 server access logging cannot write to a bucket
 * whose default encryption is SSE-KMS. Versioned (a deleted log can be recovered for 7 days), TLS
 * only, public access blocked, logs expire after `retentionDays`. Writers are allowed one by one,
 * each to its own prefix: `allowLoadBalancerLogs` (the load balancer's `accessLogs` calls it) and
 * `allowServerAccessLogs` (a `SecureBucket`'s `serverAccessLogs` calls it).
 *
 * It keeps no access logs of its own: logging a log bucket into itself loops, and into another
 * bucket only moves the question.
 */
/** A bucket that takes access logs: an `AccessLogBucket`, or one made elsewhere (`AccessLogBucket.fromBucketName`). */
export interface IAccessLogBucket extends ILoadBalancerLogDestination, IServerAccessLogDestination {
  readonly bucketName: string;
}

export class AccessLogBucket extends Construct implements IAccessLogBucket {
  /**
   * A bucket made elsewhere, by its name: nothing is created, and nothing is added to its policy,
   * which must already let the region's load balancers (and S3's logging service, for server
   * access logs) write to it, with SSE-S3 default encryption.
   */
  public static fromBucketName(scope: Construct, id: string, bucketName: string): IAccessLogBucket {
    return new ImportedAccessLogBucket(scope, id, bucketName);
  }

  /** The bucket (a `SecureBucket`; its resource is `bucket.resource`). */
  public readonly bucket: SecureBucket;
  public readonly bucketName: string;
  public readonly bucketArn: string;
  private readonly loadBalancerPrefixes = new Set<string>();
  private readonly serverAccessSources = new Set<string>();

  constructor(scope: Construct, id: string, props: AccessLogBucketProps) {
    super(scope, id);
    new PropsValidator(this).range('retentionDays', props.retentionDays, 1, 36500, 'days').throwIfInvalid();
    this.bucket = new SecureBucket(this, 'bucket', {
      bucketName: props.bucketName,
      encryption: 'AES256',
      versioned: true,
      noncurrentVersionExpirationDays: 7,
      expirationDays: props.retentionDays ?? 90,
      forceDestroy: props.forceDestroy ?? false,
    });
    this.bucketName = this.bucket.bucketName;
    this.bucketArn = this.bucket.bucketArn;
    Guardrails.suppress(this.bucket, 'AWS-S3-005', 'the access-log bucket itself: logging it into itself loops, and into another bucket only moves the question');
  }

  /**
   * Lets the region's load balancers write access logs under `prefix` (`<prefix>/AWSLogs/<account>/`):
   * the log delivery service principal and, in regions opened before August 2022, the regional
   * Elastic Load Balancing account. Returns the bucket policy: the load balancer must wait for it,
   * since AWS checks write access when access logging is turned on.
   */
  public allowLoadBalancerLogs(prefix: string): S3BucketPolicy {
    const stack = AwsStack.of(this);
    new PropsValidator(this).check(/^[A-Za-z0-9!_.*'()-]+(\/[A-Za-z0-9!_.*'()-]+)*$/.test(prefix) && !prefix.includes('AWSLogs'), 'allowLoadBalancerLogs.prefix', prefix, 'is not a log prefix; allowed: letters, digits and !_.*\'()- in "/"-separated parts, without "AWSLogs" and without leading or trailing "/"').throwIfInvalid();
    if (!this.loadBalancerPrefixes.has(prefix)) {
      this.loadBalancerPrefixes.add(prefix);
      const resource = `${this.bucketArn}/${prefix}/AWSLogs/${stack.accountId}/*`;
      const legacy = ELB_LOG_ACCOUNTS[stack.region];
      const n = this.loadBalancerPrefixes.size;
      this.bucket.addToResourcePolicy({ Sid: `LoadBalancerLogDelivery${n}`, Effect: 'Allow', Principal: { Service: ELB_LOG_DELIVERY_PRINCIPAL }, Action: 's3:PutObject', Resource: resource });
      if (legacy) {
        this.bucket.addToResourcePolicy({ Sid: `LoadBalancerLogAccount${n}`, Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${legacy}:root` }, Action: 's3:PutObject', Resource: resource });
      }
    }
    return this.bucket.policy!;
  }

  /**
   * Lets S3's logging service write the server access logs of `sourceBucketArn` (this account's)
   * under `prefix`. Returns the bucket policy.
   */
  public allowServerAccessLogs(sourceBucketArn: string, prefix: string): S3BucketPolicy {
    const stack = AwsStack.of(this);
    const key = `${sourceBucketArn}|${prefix}`;
    if (!this.serverAccessSources.has(key)) {
      this.serverAccessSources.add(key);
      this.bucket.addToResourcePolicy({
        Sid: `ServerAccessLogs${this.serverAccessSources.size}`,
        Effect: 'Allow',
        Principal: { Service: 'logging.s3.amazonaws.com' },
        Action: 's3:PutObject',
        Resource: `${this.bucketArn}/${prefix}*`,
        Condition: { ArnLike: { 'aws:SourceArn': sourceBucketArn }, StringEquals: { 'aws:SourceAccount': stack.accountId } },
      });
    }
    return this.bucket.policy!;
  }
}

/** A bucket made elsewhere, as `AccessLogBucket.fromBucketName` describes it: no resource. */
class ImportedAccessLogBucket extends Construct implements IAccessLogBucket {
  constructor(
    scope: Construct,
    id: string,
    public readonly bucketName: string,
  ) {
    super(scope, id);
    new PropsValidator(this).check(Token.isUnresolved(bucketName) || BUCKET_PATTERN.test(bucketName), 'bucketName', bucketName, 'is not an S3 bucket name; allowed: 3-63 lowercase letters, digits, "." and "-"').throwIfInvalid();
  }

  /** Nothing to add: the bucket's policy is not this app's and must allow the log delivery already. */
  public allowLoadBalancerLogs(_prefix: string): undefined {
    return undefined;
  }

  /** Nothing to add: the bucket's policy is not this app's and must allow S3's logging service already. */
  public allowServerAccessLogs(_sourceBucketArn: string, _prefix: string): undefined {
    return undefined;
  }
}
