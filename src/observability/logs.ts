import { Construct } from 'constructs';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { AwsStack } from '../core/aws-stack';
import { IGrantable } from '../core/iam';
import { RETENTION_DAYS } from '../core/naming';
import { nameTags } from '../core/tags';
import { PropsValidator } from '../core/validation';
import { Relations } from '../core/relations';
import { EncryptionKey } from '../security/kms';
import type { AwsProvider } from '@cdktf/provider-aws/lib/provider';

export interface LogGroupProps {
  /** Log group name, e.g. `/ecs/artwork-matcher-demo`. */
  readonly name: string;
  /**
   * Days events are kept (one of CloudWatch's retention periods).
   * @default 30
   */
  readonly retentionDays?: number;
  /**
   * Customer managed key; its policy is extended to let CloudWatch Logs use it for this group.
   * @default - the stack's default key for logs (`EncryptionKey.useAsStackDefault`) unless
   * `provider` is given (a key is regional), else CloudWatch Logs' own encryption
   */
  readonly kmsKey?: EncryptionKey;
  /**
   * AWS provider to create the group with (a group another region's service writes to, such as a
   * CloudFront web ACL's logs in us-east-1).
   * @default - the stack's provider
   */
  readonly provider?: AwsProvider;
}

/**
 * A CloudWatch log group with retention and optional KMS encryption. Pass the object (not its
 * name) to whatever writes to it or filters it, so Terraform creates the group first.
 */
export class LogGroup extends Construct {
  public readonly resource: CloudwatchLogGroup;
  /** The group's name (a reference: users of it wait for the group). */
  public readonly logGroupName: string;
  public readonly logGroupArn: string;
  /** Retention in days. */
  public readonly retentionDays: number;
  /** The customer managed key of the group, when it has one. */
  public readonly kmsKey?: EncryptionKey;

  constructor(scope: Construct, id: string, props: LogGroupProps) {
    super(scope, id);
    const retention = props.retentionDays ?? 30;
    new PropsValidator(this)
      .matches('name', props.name, /^[.\-_/#A-Za-z0-9]{1,512}$/, 'a log group name (1-512 of letters, digits, ".", "-", "_", "/" and "#")')
      .check(RETENTION_DAYS.includes(retention), 'retentionDays', retention, `is not a CloudWatch retention; allowed: ${RETENTION_DAYS.join(', ')}`)
      .throwIfInvalid();
    this.retentionDays = retention;
    const key = props.kmsKey ?? (props.provider ? undefined : EncryptionKey.stackDefault(this, 'logs'));
    this.kmsKey = key;
    if (key) {
      const stack = AwsStack.of(this);
      key.allowService({
        principal: `logs.${stack.region}.amazonaws.com`,
        actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
        condition: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': `arn:aws:logs:${stack.region}:${stack.accountId}:log-group:${props.name}` } },
      });
    }
    this.resource = new CloudwatchLogGroup(this, 'this', {
      name: props.name,
      retentionInDays: retention,
      kmsKeyId: key?.keyArn,
      tags: nameTags(props.name),
      provider: props.provider,
    });
    this.logGroupName = this.resource.name;
    this.logGroupArn = this.resource.arn;
  }

  /** Lets `grantee` create streams and write events. */
  public grantWrite(grantee: IGrantable): void {
    Relations.grant(this.resource, grantee, 'write');
    grantee.addToPolicy({ Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: `${this.logGroupArn}:*` });
  }
}
