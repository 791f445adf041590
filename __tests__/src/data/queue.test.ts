import { CloudwatchEventRule } from '@cdktf/provider-aws/lib/cloudwatch-event-rule';
import { CloudwatchEventTarget } from '@cdktf/provider-aws/lib/cloudwatch-event-target';
import { SqsQueue } from '@cdktf/provider-aws/lib/sqs-queue';
import { AwsStack } from '../../../src/core/aws-stack';
import { jsonencode } from '../../../src/core/json';
import { ServiceRole } from '../../../src/security/iam';
import { EncryptionKey } from '../../../src/security/kms';
import { Queue, QueueProps } from '../../../src/data/queue';
import { countOf, errorOf, findBy, isAbsent, onlyOf, parseField, resourcesOf, statementsOf, synthConstructs } from '../../helpers/synth';

const KEY_ARN = /^\$\{aws_kms_key\.key_\w+\.arn\}$/;

function synthQueue(props: Partial<QueueProps> = {}, extra: (stack: AwsStack, queue: Queue) => void = () => undefined) {
  let queue!: Queue;
  const out = synthConstructs((stack) => {
    queue = new Queue(stack, 'orders', { queueName: 'orders', ...props });
    extra(stack, queue);
  });
  return { ...out, queue };
}

/** `${aws_sqs_queue.<logical id of the queue named name>.<attr>}` */
function ref(json: any, name: string, attr: string): string {
  const [key] = resourcesOf(json, 'aws_sqs_queue').find(([, r]) => r.name === name)!;
  return `\${aws_sqs_queue.${key}.${attr}}`;
}

describe('Queue', () => {
  it('is SSE-SQS encrypted, long-polls and sends failed messages to a dead-letter queue by default', () => {
    const { text, json, queue } = synthQueue();
    expect(countOf(json, 'aws_sqs_queue')).toBe(2);
    const main = findBy(json, 'aws_sqs_queue', 'name', 'orders');
    expect(main).toMatchObject({
      visibility_timeout_seconds: 30,
      message_retention_seconds: 345600,
      receive_wait_time_seconds: 20,
      sqs_managed_sse_enabled: true,
      tags: { Name: 'orders' },
    });
    expect(isAbsent(main, 'kms_master_key_id')).toBe(true);
    expect(isAbsent(main, 'fifo_queue')).toBe(true);
    expect(parseField(main, 'redrive_policy')).toEqual({ deadLetterTargetArn: ref(json, 'orders-dlq', 'arn'), maxReceiveCount: 3 });

    expect(text).toHaveResourceWithProperties(SqsQueue, { name: 'orders-dlq', message_retention_seconds: 1209600, sqs_managed_sse_enabled: true, tags: { Name: 'orders-dlq' } });
    // The DLQ only takes this queue's messages.
    const allow = onlyOf(json, 'aws_sqs_queue_redrive_allow_policy');
    expect(allow.queue_url).toBe(ref(json, 'orders-dlq', 'url'));
    expect(parseField(allow, 'redrive_allow_policy')).toEqual({ redrivePermission: 'byQueue', sourceQueueArns: [ref(json, 'orders', 'arn')] });
    // Both queues refuse plain HTTP (their only policy statement without senders).
    const denyHttp = (queueRef: string) => ({ Sid: 'DenyInsecureTransport', Effect: 'Deny', Principal: '*', Action: 'sqs:*', Resource: queueRef, Condition: { Bool: { 'aws:SecureTransport': 'false' } } });
    expect(statementsOf(findBy(json, 'aws_sqs_queue_policy', 'queue_url', ref(json, 'orders', 'url')))).toEqual([denyHttp(ref(json, 'orders', 'arn'))]);
    expect(statementsOf(findBy(json, 'aws_sqs_queue_policy', 'queue_url', ref(json, 'orders-dlq', 'url')))).toEqual([denyHttp(ref(json, 'orders-dlq', 'arn'))]);
    expect(queue.kmsKeyArn).toBeUndefined();
    expect(queue.deadLetterQueue).toBeDefined();
  });

  it('keeps the logical ids of the queues (a new id would replace them and lose their messages)', () => {
    const { json } = synthQueue();
    expect(resourcesOf(json, 'aws_sqs_queue').map(([id]) => id)).toEqual(['orders_dlq_2CE0DFD7', 'orders_this_CFF03B98']);
  });

  it('uses a customer key for both queues instead of SSE-SQS', () => {
    let queue!: Queue;
    const { json } = synthConstructs((stack) => {
      const key = new EncryptionKey(stack, 'key', { alias: 'orders', description: 'orders queue' });
      queue = new Queue(stack, 'orders', { queueName: 'orders', kmsKey: key });
    });
    for (const name of ['orders', 'orders-dlq']) {
      const q = findBy(json, 'aws_sqs_queue', 'name', name);
      expect(q.kms_master_key_id).toMatch(KEY_ARN);
      // The provider rejects sqs_managed_sse_enabled together with a key.
      expect(isAbsent(q, 'sqs_managed_sse_enabled')).toBe(true);
    }
    expect(queue.kmsKeyArn).toBeDefined();
  });

  it('takes timeouts, retention and the dead-letter settings from its props', () => {
    const { json } = synthQueue({ visibilityTimeoutSec: 900, messageRetentionSec: 86400, receiveWaitTimeSec: 0, deadLetterQueue: { maxReceiveCount: 10, retentionSec: 604800 } });
    const main = findBy(json, 'aws_sqs_queue', 'name', 'orders');
    expect(main).toMatchObject({ visibility_timeout_seconds: 900, message_retention_seconds: 86400, receive_wait_time_seconds: 0 });
    expect(parseField(main, 'redrive_policy').maxReceiveCount).toBe(10);
    expect(findBy(json, 'aws_sqs_queue', 'name', 'orders-dlq').message_retention_seconds).toBe(604800);
  });

  it('has no dead-letter queue, redrive policy or DLQ metric with deadLetterQueue: false', () => {
    const { json, queue } = synthQueue({ deadLetterQueue: false });
    expect(countOf(json, 'aws_sqs_queue')).toBe(1);
    expect(isAbsent(onlyOf(json, 'aws_sqs_queue'), 'redrive_policy')).toBe(true);
    expect(countOf(json, 'aws_sqs_queue_redrive_allow_policy')).toBe(0);
    expect(queue.deadLetterQueue).toBeUndefined();
    expect(queue.deadLetterQueueArn).toBeUndefined();
    expect(queue.deadLetterQueueName).toBeUndefined();
    expect(queue.metricDeadLetterMessages()).toBeUndefined();
  });

  it('makes a FIFO queue with a FIFO dead-letter queue', () => {
    const { json } = synthQueue({ queueName: 'orders.fifo', fifo: true });
    expect(findBy(json, 'aws_sqs_queue', 'name', 'orders.fifo').fifo_queue).toBe(true);
    expect(findBy(json, 'aws_sqs_queue', 'name', 'orders-dlq.fifo').fifo_queue).toBe(true);
  });

  it('shortens a long dead-letter queue name deterministically to 80 characters', () => {
    const standard = synthQueue({ queueName: 'q'.repeat(80) }).json;
    const fifo = synthQueue({ queueName: `${'f'.repeat(75)}.fifo`, fifo: true }).json;
    const standardDlq = resourcesOf(standard, 'aws_sqs_queue').map(([, r]) => r.name as string).find((n) => n !== 'q'.repeat(80))!;
    const fifoDlq = resourcesOf(fifo, 'aws_sqs_queue').map(([, r]) => r.name as string).find((n) => !n.startsWith('f'.repeat(75) + '.'))!;
    expect(standardDlq).toMatch(/^q+-[0-9a-f]{6}$/);
    expect(standardDlq).toHaveLength(80);
    expect(fifoDlq).toMatch(/^f+-[0-9a-f]{6}\.fifo$/);
    expect(fifoDlq).toHaveLength(80);
    expect(synthQueue({ queueName: 'q'.repeat(80) }).json).toEqual(standard);
  });

  it('grants sending and consuming on the queue only, with key use for a customer key', () => {
    const plain = synthQueue({}, (stack, q) => {
      const producer = new ServiceRole(stack, 'producer', { name: 'producer', assumedBy: 'ecs-tasks.amazonaws.com' });
      const consumer = new ServiceRole(stack, 'consumer', { name: 'consumer', assumedBy: 'ecs-tasks.amazonaws.com' });
      q.grantSend(producer);
      q.grantConsume(consumer);
    }).json;
    const arn = ref(plain, 'orders', 'arn');
    expect(statementsOf(findBy(plain, 'aws_iam_role_policy', 'name', 'producer-permissions'))).toEqual([
      { Effect: 'Allow', Action: ['sqs:SendMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl'], Resource: arn },
    ]);
    expect(statementsOf(findBy(plain, 'aws_iam_role_policy', 'name', 'consumer-permissions'))).toEqual([
      { Effect: 'Allow', Action: ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:ChangeMessageVisibility', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl'], Resource: arn },
    ]);

    const keyed = synthConstructs((stack) => {
      const key = new EncryptionKey(stack, 'key', { alias: 'orders', description: 'orders queue' });
      const q = new Queue(stack, 'orders', { queueName: 'orders', kmsKey: key });
      q.grantSend(new ServiceRole(stack, 'producer', { name: 'producer', assumedBy: 'ecs-tasks.amazonaws.com' }));
      q.grantConsume(new ServiceRole(stack, 'consumer', { name: 'consumer', assumedBy: 'ecs-tasks.amazonaws.com' }));
    }).json;
    const [, sendKey] = statementsOf(findBy(keyed, 'aws_iam_role_policy', 'name', 'producer-permissions'));
    const [, consumeKey] = statementsOf(findBy(keyed, 'aws_iam_role_policy', 'name', 'consumer-permissions'));
    expect(sendKey).toEqual({ Effect: 'Allow', Action: ['kms:Decrypt', 'kms:GenerateDataKey*'], Resource: expect.stringMatching(KEY_ARN) });
    expect(consumeKey).toEqual({ Effect: 'Allow', Action: ['kms:Decrypt'], Resource: expect.stringMatching(KEY_ARN) });
  });

  it('lets AWS services send on behalf of one source each, through one queue policy', () => {
    const rule = 'arn:aws:events:eu-west-1:123456789012:rule/orders';
    const bucket = 'arn:aws:s3:::uploads';
    const { json } = synthQueue({}, (_, q) => {
      q.allowSendFrom('events.amazonaws.com', rule);
      q.allowSendFrom('events.amazonaws.com', rule);
      q.allowSendFrom('s3.amazonaws.com', bucket);
    });
    const policy = findBy(json, 'aws_sqs_queue_policy', 'queue_url', ref(json, 'orders', 'url'));
    const arn = ref(json, 'orders', 'arn');
    expect(statementsOf(policy)).toEqual([
      expect.objectContaining({ Sid: 'DenyInsecureTransport', Effect: 'Deny' }),
      { Sid: 'AllowSend1', Effect: 'Allow', Principal: { Service: 'events.amazonaws.com' }, Action: 'sqs:SendMessage', Resource: arn, Condition: { ArnEquals: { 'aws:SourceArn': rule } } },
      { Sid: 'AllowSend2', Effect: 'Allow', Principal: { Service: 's3.amazonaws.com' }, Action: 'sqs:SendMessage', Resource: arn, Condition: { ArnEquals: { 'aws:SourceArn': bucket } } },
    ]);
  });

  it('makes a sender wait for the queue policy, even one allowed after it registered', () => {
    const { json } = synthQueue({}, (stack, q) => {
      const rule = new CloudwatchEventRule(stack, 'rule', { name: 'orders', eventPattern: jsonencode({ source: ['shop'] }) });
      const target = new CloudwatchEventTarget(stack, 'target', { rule: rule.name, arn: q.queueArn });
      q.addDependent(target);
      q.allowSendFrom('events.amazonaws.com', rule.arn);
    });
    const [[policyKey]] = resourcesOf(json, 'aws_sqs_queue_policy').filter(([, p]) => p.queue_url === ref(json, 'orders', 'url'));
    expect(onlyOf(json, 'aws_cloudwatch_event_target').depends_on).toEqual([`aws_sqs_queue_policy.${policyKey}`]);
  });

  it('lets a sending service use the customer key', () => {
    const { json } = synthConstructs((stack) => {
      const key = new EncryptionKey(stack, 'key', { alias: 'orders', description: 'orders queue' });
      new Queue(stack, 'orders', { queueName: 'orders', kmsKey: key }).allowSendFrom('sns.amazonaws.com', 'arn:aws:sns:eu-west-1:123456789012:alerts');
    });
    const service = statementsOf(onlyOf(json, 'aws_kms_key')).find((s) => s.Principal?.Service === 'sns.amazonaws.com');
    expect(service).toMatchObject({ Effect: 'Allow', Action: ['kms:Decrypt', 'kms:GenerateDataKey*'], Resource: '*' });
  });

  it('offers backlog, age and dead-letter metrics', () => {
    const { queue } = synthQueue();
    expect(queue.metricVisibleMessages()).toEqual({
      namespace: 'AWS/SQS',
      metricName: 'ApproximateNumberOfMessagesVisible',
      dimensions: { QueueName: queue.queueName },
      stat: 'Maximum',
      label: 'orders visible messages',
    });
    expect(queue.metricOldestMessageAge()).toMatchObject({ metricName: 'ApproximateAgeOfOldestMessage', stat: 'Maximum', dimensions: { QueueName: queue.queueName } });
    expect(queue.metricInFlightMessages()).toMatchObject({ namespace: 'AWS/SQS', metricName: 'ApproximateNumberOfMessagesNotVisible', stat: 'Maximum', dimensions: { QueueName: queue.queueName } });
    expect(queue.metricDeadLetterMessages()).toMatchObject({ metricName: 'ApproximateNumberOfMessagesVisible', stat: 'Maximum', dimensions: { QueueName: queue.deadLetterQueueName } });
    expect(queue.deadLetterQueueName).not.toBe(queue.queueName);
  });

  it('rejects bad props with the construct path, the value and what is allowed', () => {
    expect(errorOf(() => synthQueue({ queueName: 'bad name', visibilityTimeoutSec: 50000, messageRetentionSec: 30, receiveWaitTimeSec: 2.5, deadLetterQueue: { maxReceiveCount: 0 } }))).toBe(
      [
        'test/orders: invalid props:',
        '  queueName: "bad name" is not an SQS queue name; allowed: 1-80 letters, digits, "-" and "_" (a FIFO queue\'s ending in ".fifo")',
        '  visibilityTimeoutSec: 50000 is out of range; allowed: 0 to 43200 seconds',
        '  messageRetentionSec: 30 is out of range; allowed: 60 to 1209600 seconds',
        '  receiveWaitTimeSec: 2.5 is not a whole number',
        '  deadLetterQueue.maxReceiveCount: 0 is out of range; allowed: 1 to 1000',
      ].join('\n'),
    );
    expect(errorOf(() => synthQueue({ queueName: 'q'.repeat(81) }))).toMatch(/^test\/orders: queueName: "q+\.\.\." is not an SQS queue name/);
  });

  it('rejects a FIFO setting that does not match the name', () => {
    expect(errorOf(() => synthQueue({ queueName: 'orders', fifo: true }))).toBe('test/orders: queueName: "orders" does not end in ".fifo", which a FIFO queue\'s name must (fifo: true)');
    expect(errorOf(() => synthQueue({ queueName: 'orders.fifo' }))).toBe('test/orders: queueName: "orders.fifo" ends in ".fifo", which only FIFO queues may; set fifo: true or drop the suffix');
  });

  it('rejects a standard queue whose dead-letter queue keeps messages for less time than the queue', () => {
    expect(errorOf(() => synthQueue({ deadLetterQueue: { retentionSec: 86400 } }))).toBe(
      "test/orders: deadLetterQueue.retentionSec: 86400 is shorter than messageRetentionSec (345600): a standard queue's messages keep their original enqueue time in the dead-letter queue and would expire there early; allowed: 345600 to 1209600 seconds",
    );
    // FIFO queues reset the enqueue time when a message moves.
    expect(() => synthQueue({ queueName: 'orders.fifo', fifo: true, deadLetterQueue: { retentionSec: 86400 } })).not.toThrow();
  });

  it('rejects a bad service principal or source ARN in allowSendFrom', () => {
    expect(errorOf(() => synthQueue({}, (_, q) => q.allowSendFrom('events', 'rule/orders')))).toBe(
      [
        'test/orders: invalid props:',
        '  servicePrincipal: "events" is not an AWS service principal such as "events.amazonaws.com"',
        '  sourceArn: "rule/orders" is not an ARN (the resource that sends, e.g. the EventBridge rule)',
      ].join('\n'),
    );
  });
});
