import { Construct } from 'constructs';
import { Fn, Lazy, TerraformResource, Token } from 'cdktf';
import { SqsQueue } from '@cdktf/provider-aws/lib/sqs-queue';
import { SqsQueuePolicy } from '@cdktf/provider-aws/lib/sqs-queue-policy';
import { SqsQueueRedriveAllowPolicy } from '@cdktf/provider-aws/lib/sqs-queue-redrive-allow-policy';
import { DependencyGroup } from '../core/dependencies';
import { IGrantable, IKeyUser, PolicyStatement, grantKeyUse, policyDocument } from '../core/iam';
import { jsonencode } from '../core/json';
import { Metric } from '../core/metric';
import { fitName } from '../core/naming';
import { nameTags } from '../core/tags';
import { PropsValidator, isArn } from '../core/validation';
import { Relations } from '../core/relations';
import type { EncryptionKey } from '../security/kms';

/** Longest SQS queue name (a FIFO queue's includes its `.fifo` suffix). */
const QUEUE_NAME_MAX = 80;
const FIFO_SUFFIX = '.fifo';
/** Longest message retention SQS allows (14 days). */
const MAX_RETENTION_SEC = 1209600;

/** The dead-letter queue that takes messages the consumers failed to process. */
export interface DeadLetterQueueOptions {
  /**
   * Receives of a message (1-1000) before SQS moves it to the dead-letter queue.
   * @default 3
   */
  readonly maxReceiveCount?: number;
  /**
   * Seconds the dead-letter queue keeps a message (60-1209600). A standard queue's messages keep
   * their original enqueue time when they move, so this must be at least the main queue's
   * `messageRetentionSec` (FIFO queues reset it).
   * @default 1209600 (14 days, the most SQS allows)
   */
  readonly retentionSec?: number;
}

export interface QueueProps {
  /**
   * Queue name: 1-80 letters, digits, "-" and "_"; a FIFO queue's ends in `.fifo` (counted in the 80).
   */
  readonly queueName: string;
  /**
   * Customer managed key (SSE-KMS) of the queue and its dead-letter queue. AWS services that send
   * from their own principal (`allowSendFrom`) are allowed to use it.
   * @default - SSE-SQS, encryption with keys SQS owns (`sqs_managed_sse_enabled = true`)
   */
  readonly kmsKey?: EncryptionKey;
  /**
   * Seconds a received message stays hidden from other consumers (0-43200); longer than the
   * consumer needs for one message, or it is processed twice.
   * @default 30
   */
  readonly visibilityTimeoutSec?: number;
  /**
   * Seconds SQS keeps a message that nobody deleted (60-1209600).
   * @default 345600 (4 days)
   */
  readonly messageRetentionSec?: number;
  /**
   * Seconds a `ReceiveMessage` call waits for a message (0-20); above 0 is long polling, which
   * saves empty receives.
   * @default 20
   */
  readonly receiveWaitTimeSec?: number;
  /**
   * The dead-letter queue, `<queueName>-dlq` (`<name>-dlq.fifo` for a FIFO queue; shortened with a
   * hash to fit 80 characters), encrypted like the queue and only allowed as the target of this
   * queue's redrive policy; or `false` for none (failed messages then return until they expire).
   * @default - a dead-letter queue with maxReceiveCount 3 and 14 days of retention
   */
  readonly deadLetterQueue?: false | DeadLetterQueueOptions;
  /**
   * A FIFO queue (exactly-once, ordered per message group); its name, and its dead-letter queue's,
   * ends in `.fifo`.
   * @default false
   */
  readonly fifo?: boolean;
}

/**
 * An encrypted SQS queue with long polling and a dead-letter queue. Consumers and producers get
 * least-privilege access through `grantConsume` and `grantSend`; AWS services that send from their
 * own principal (S3 and EventBridge notifications, SNS) through `allowSendFrom`.
 */
export class Queue extends Construct implements IKeyUser {
  /** The queue resource. */
  public readonly resource: SqsQueue;
  /** Queue URL (its id in the SQS API). */
  public readonly queueUrl: string;
  public readonly queueArn: string;
  public readonly queueName: string;
  /** The dead-letter queue resource, unless turned off. */
  public readonly deadLetterQueue?: SqsQueue;
  /** ARN of the dead-letter queue, unless turned off. */
  public readonly deadLetterQueueArn?: string;
  /** Name of the dead-letter queue, unless turned off. */
  public readonly deadLetterQueueName?: string;
  /** The customer managed key of the queues, when they have one (grants include its use). */
  public readonly kmsKeyArn?: string;
  private readonly kmsKey?: EncryptionKey;
  private readonly label: string;
  private readonly senders: { readonly principal: string; readonly sourceArn: string }[] = [];
  private readonly senderKeys = new Set<string>();
  /** The queue's resource policy: TLS only, and the services allowed to send (`allowSendFrom`). */
  public readonly policy: SqsQueuePolicy;
  private readonly policies = new DependencyGroup();

  constructor(scope: Construct, id: string, props: QueueProps) {
    super(scope, id);
    const fifo = props.fifo ?? false;
    const retention = props.messageRetentionSec ?? 345600;
    const dlq = props.deadLetterQueue === false ? undefined : props.deadLetterQueue ?? {};
    const dlqRetention = dlq?.retentionSec ?? MAX_RETENTION_SEC;
    const v = new PropsValidator(this);
    validateQueueName(v, props.queueName, fifo);
    wholeRange(v, 'visibilityTimeoutSec', props.visibilityTimeoutSec, 0, 43200, 'seconds');
    wholeRange(v, 'messageRetentionSec', props.messageRetentionSec, 60, MAX_RETENTION_SEC, 'seconds');
    wholeRange(v, 'receiveWaitTimeSec', props.receiveWaitTimeSec, 0, 20, 'seconds');
    if (dlq) {
      wholeRange(v, 'deadLetterQueue.maxReceiveCount', dlq.maxReceiveCount, 1, 1000);
      wholeRange(v, 'deadLetterQueue.retentionSec', dlq.retentionSec, 60, MAX_RETENTION_SEC, 'seconds');
      if (!fifo && dlqRetention < retention && retention <= MAX_RETENTION_SEC) {
        v.check(
          false,
          'deadLetterQueue.retentionSec',
          dlqRetention,
          `is shorter than messageRetentionSec (${retention}): a standard queue's messages keep their original enqueue time in the dead-letter queue and would expire there early; allowed: ${retention} to ${MAX_RETENTION_SEC} seconds`,
        );
      }
    }
    v.throwIfInvalid();

    this.kmsKey = props.kmsKey;
    this.kmsKeyArn = props.kmsKey?.keyArn;
    this.label = props.queueName;
    // SSE-SQS and SSE-KMS exclude each other (SQS refuses both, the provider's schema too), and with
    // a key made in the same plan the conflict would only surface at apply: set one, never both.
    const encryption = props.kmsKey ? { kmsMasterKeyId: props.kmsKey.keyArn } : { sqsManagedSseEnabled: true };

    if (dlq) {
      const name = deadLetterQueueName(props.queueName, fifo);
      this.deadLetterQueue = new SqsQueue(this, 'dlq', {
        name,
        fifoQueue: fifo || undefined,
        messageRetentionSeconds: dlqRetention,
        ...encryption,
        tags: nameTags(name),
      });
      this.deadLetterQueueArn = this.deadLetterQueue.arn;
      this.deadLetterQueueName = this.deadLetterQueue.name;
    }

    this.resource = new SqsQueue(this, 'this', {
      name: props.queueName,
      fifoQueue: fifo || undefined,
      visibilityTimeoutSeconds: props.visibilityTimeoutSec ?? 30,
      messageRetentionSeconds: retention,
      receiveWaitTimeSeconds: props.receiveWaitTimeSec ?? 20,
      redrivePolicy: this.deadLetterQueue ? jsonencode({ deadLetterTargetArn: this.deadLetterQueue.arn, maxReceiveCount: dlq?.maxReceiveCount ?? 3 }) : undefined,
      ...encryption,
      tags: nameTags(props.queueName),
    });
    this.queueUrl = this.resource.url;
    this.queueArn = this.resource.arn;
    this.queueName = this.resource.name;

    if (this.deadLetterQueue) {
      // A separate resource (not the DLQ's own argument): the DLQ names the queue that names it.
      new SqsQueueRedriveAllowPolicy(this, 'dlq-redrive-allow', {
        queueUrl: this.deadLetterQueue.url,
        redriveAllowPolicy: jsonencode({ redrivePermission: 'byQueue', sourceQueueArns: [this.queueArn] }),
      });
      new SqsQueuePolicy(this, 'dlq-policy', { queueUrl: this.deadLetterQueue.url, policy: policyDocument([denyInsecureTransport(this.deadLetterQueue.arn)]) });
    }
    // Always a policy: SQS accepts plain HTTP unless told not to; senders from allowSendFrom join it.
    this.policy = new SqsQueuePolicy(this, 'policy', {
      queueUrl: this.queueUrl,
      policy: Lazy.stringValue({ produce: () => policyDocument(this.policyStatements()) }),
    });
    this.policies.add(this.policy);
  }

  /** Lets `grantee` send messages (and encrypt them with the customer key). */
  public grantSend(grantee: IGrantable): void {
    Relations.grant(this.resource, grantee, 'send');
    grantee.addToPolicy({ Effect: 'Allow', Action: ['sqs:SendMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl'], Resource: this.queueArn });
    grantKeyUse(grantee, this, true);
  }

  /** Lets `grantee` receive, delete and hide messages (and decrypt them with the customer key). */
  public grantConsume(grantee: IGrantable): void {
    Relations.grant(this.resource, grantee, 'consume');
    grantee.addToPolicy({
      Effect: 'Allow',
      Action: ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:ChangeMessageVisibility', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl'],
      Resource: this.queueArn,
    });
    grantKeyUse(grantee, this, false);
  }

  /**
   * Lets an AWS service send from its own principal (e.g. `s3.amazonaws.com`, `events.amazonaws.com`,
   * `sns.amazonaws.com`), only on behalf of `sourceArn` (the bucket, rule or topic), through the
   * queue policy; with a customer key, the key policy lets the service use it too.
   */
  public allowSendFrom(servicePrincipal: string, sourceArn: string): void {
    new PropsValidator(this)
      .matches('servicePrincipal', servicePrincipal, /^[a-z0-9.-]+\.amazonaws\.com(\.cn)?$/, 'an AWS service principal such as "events.amazonaws.com"')
      .check(isArn(sourceArn), 'sourceArn', sourceArn, 'is not an ARN (the resource that sends, e.g. the EventBridge rule)')
      .throwIfInvalid();
    const key = JSON.stringify([servicePrincipal, sourceArn]);
    if (this.senderKeys.has(key)) return;
    this.senderKeys.add(key);
    this.senders.push({ principal: servicePrincipal, sourceArn });
    this.kmsKey?.allowService({ principal: servicePrincipal });
  }

  /**
   * Makes `resource` wait for the queue policy, present or added later by `allowSendFrom`: an S3
   * bucket notification or an EventBridge target that AWS validates against the policy must not
   * be created before it.
   */
  public addDependent(resource: TerraformResource): void {
    this.policies.addDependent(resource);
  }

  /** Messages waiting to be received (maximum over the period): the backlog, for scaling and alarms. */
  public metricVisibleMessages(): Metric {
    return sqsMetric(this.queueName, 'ApproximateNumberOfMessagesVisible', 'Maximum', `${this.label} visible messages`);
  }

  /**
   * Messages received by a consumer and not yet deleted or returned (maximum over the period): work
   * in progress. With `metricVisibleMessages` it tells an idle queue from a busy one.
   */
  public metricInFlightMessages(): Metric {
    return sqsMetric(this.queueName, 'ApproximateNumberOfMessagesNotVisible', 'Maximum', `${this.label} in-flight messages`);
  }

  /** Age in seconds of the oldest message (maximum over the period): consumers falling behind. */
  public metricOldestMessageAge(): Metric {
    return sqsMetric(this.queueName, 'ApproximateAgeOfOldestMessage', 'Maximum', `${this.label} oldest message age (s)`);
  }

  /** Messages in the dead-letter queue (maximum over the period); undefined without one. */
  public metricDeadLetterMessages(): Metric | undefined {
    if (!this.deadLetterQueueName) return undefined;
    return sqsMetric(this.deadLetterQueueName, 'ApproximateNumberOfMessagesVisible', 'Maximum', `${this.label} dead letters`);
  }

  private policyStatements(): PolicyStatement[] {
    return [denyInsecureTransport(this.queueArn), ...this.senders.map((s, i) => ({
      Sid: `AllowSend${i + 1}`,
      Effect: 'Allow' as const,
      Principal: { Service: s.principal },
      Action: 'sqs:SendMessage',
      Resource: this.queueArn,
      Condition: { ArnEquals: { 'aws:SourceArn': s.sourceArn } },
    }))];
  }
}

/**
 * Denies every request over plain HTTP. `Bool` (not BoolIfExists): AWS services sending from their
 * own principal (S3 notifications, SNS) carry no aws:SecureTransport key and are not denied.
 */
function denyInsecureTransport(queueArn: string): PolicyStatement {
  return { Sid: 'DenyInsecureTransport', Effect: 'Deny', Principal: '*', Action: 'sqs:*', Resource: queueArn, Condition: { Bool: { 'aws:SecureTransport': 'false' } } };
}

function sqsMetric(queueName: string, metricName: string, stat: string, label: string): Metric {
  return { namespace: 'AWS/SQS', metricName, dimensions: { QueueName: queueName }, stat, label };
}

function validateQueueName(v: PropsValidator, name: string, fifo: boolean): void {
  const isFifoName = name.endsWith(FIFO_SUFFIX);
  const base = isFifoName ? name.slice(0, -FIFO_SUFFIX.length) : name;
  if (fifo && !isFifoName) v.check(false, 'queueName', name, `does not end in ".fifo", which a FIFO queue's name must (fifo: true)`);
  else if (!fifo && isFifoName) v.check(false, 'queueName', name, 'ends in ".fifo", which only FIFO queues may; set fifo: true or drop the suffix');
  else v.check(/^[A-Za-z0-9_-]+$/.test(base) && name.length <= QUEUE_NAME_MAX, 'queueName', name, 'is not an SQS queue name; allowed: 1-80 letters, digits, "-" and "_" (a FIFO queue\'s ending in ".fifo")');
}

/** `<name>-dlq` (`<base>-dlq.fifo`), shortened deterministically to SQS's 80 characters. */
function deadLetterQueueName(name: string, fifo: boolean): string {
  if (!fifo) return fitName(`${name}-dlq`, QUEUE_NAME_MAX);
  if (Token.isUnresolved(name)) return `${Fn.trimsuffix(name, FIFO_SUFFIX)}-dlq${FIFO_SUFFIX}`;
  return `${fitName(`${name.slice(0, -FIFO_SUFFIX.length)}-dlq`, QUEUE_NAME_MAX - FIFO_SUFFIX.length)}${FIFO_SUFFIX}`;
}

/** `range` plus a whole-number check (SQS counts in whole seconds and receives). */
function wholeRange(v: PropsValidator, prop: string, value: number | undefined, min: number, max: number, unit = ''): void {
  v.range(prop, value, min, max, unit);
  if (value !== undefined && Number.isFinite(value) && value >= min && value <= max) v.check(Number.isInteger(value), prop, value, 'is not a whole number');
}
