/** SecureBucket CORS rules (presigned uploads from browsers) and queue notifications. */
import { EncryptionKey } from '../../../src/security/kms';
import { Queue } from '../../../src/data/queue';
import { SecureBucket } from '../../../src/data/bucket';
import { errorOf, onlyOf, parseField, resourcesOf, statementsOf, synthConstructs } from '../../helpers/synth';

describe('SecureBucket CORS', () => {
  it('writes each rule with headers, ETag exposed and a preflight cache by default', () => {
    const { json } = synthConstructs((stack) => {
      new SecureBucket(stack, 'videos', {
        bucketName: 'videos-123',
        corsRules: [{ allowedMethods: ['PUT'], allowedOrigins: ['https://app.example.com'] }, { allowedMethods: ['GET', 'HEAD'], allowedOrigins: ['*'], allowedHeaders: ['Range'], exposeHeaders: [], maxAgeSec: 60 }],
      });
    });
    const cors = onlyOf(json, 'aws_s3_bucket_cors_configuration');
    expect(cors.bucket).toMatch(/aws_s3_bucket\.videos_this_\w+\.id/);
    expect(cors.cors_rule).toEqual([
      { allowed_methods: ['PUT'], allowed_origins: ['https://app.example.com'], allowed_headers: ['*'], expose_headers: ['ETag'], max_age_seconds: 3000 },
      { allowed_methods: ['GET', 'HEAD'], allowed_origins: ['*'], allowed_headers: ['Range'], expose_headers: [], max_age_seconds: 60 },
    ]);
  });

  it('has no CORS configuration unless asked', () => {
    const { json } = synthConstructs((stack) => new SecureBucket(stack, 'b', { bucketName: 'plain-123' }));
    expect(json.resource!.aws_s3_bucket_cors_configuration).toBeUndefined();
  });

  it('rejects rules browsers could not use', () => {
    const message = errorOf(() => synthConstructs((stack) => new SecureBucket(stack, 'b', { bucketName: 'plain-123', corsRules: [{ allowedMethods: [], allowedOrigins: ['app.example.com'], maxAgeSec: -1 }] })));
    expect(message.split('\n')).toEqual([
      'test/b: invalid props:',
      '  corsRules[0].allowedMethods: [] is empty; give the methods browsers use (e.g. "PUT")',
      '  corsRules[0].allowedOrigins[0]: "app.example.com" is not an origin; allowed: "*" or scheme://host[:port], e.g. "https://app.example.com"',
      '  corsRules[0].maxAgeSec: -1 is out of range; allowed: 0 to 86400 seconds',
    ]);
  });
});

describe('SecureBucket queue notifications', () => {
  it('notifies the queue of new objects, lets S3 send (and use the queue key), and waits for the queue policy', () => {
    const { json } = synthConstructs((stack) => {
      const key = new EncryptionKey(stack, 'key', { alias: 'jobs', description: 'jobs' });
      const queue = new Queue(stack, 'jobs', { queueName: 'jobs', kmsKey: key });
      const bucket = new SecureBucket(stack, 'videos', { bucketName: 'videos-123' });
      bucket.addQueueNotification(queue, { prefix: 'uploads/', suffix: '.mp4' });
      bucket.addQueueNotification(queue, { events: ['s3:ObjectRemoved:*'] });
    });
    const notification = onlyOf(json, 'aws_s3_bucket_notification');
    const queueArn = expect.stringMatching(/^\$\{aws_sqs_queue\.jobs_this_\w+\.arn\}$/);
    expect(notification.queue).toEqual([
      { id: 'queue-1', queue_arn: queueArn, events: ['s3:ObjectCreated:*'], filter_prefix: 'uploads/', filter_suffix: '.mp4' },
      { id: 'queue-2', queue_arn: queueArn, events: ['s3:ObjectRemoved:*'] },
    ]);
    // The queue's own policy (its dead-letter queue has a TLS-only one of its own).
    const [policyId, policy] = resourcesOf(json, 'aws_sqs_queue_policy').find(([id]) => id.startsWith('jobs_policy_'))!;
    expect(notification.depends_on).toEqual([`aws_sqs_queue_policy.${policyId}`]);
    expect(statementsOf(policy)).toEqual([
      expect.objectContaining({ Sid: 'DenyInsecureTransport', Effect: 'Deny', Principal: '*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
      expect.objectContaining({ Principal: { Service: 's3.amazonaws.com' }, Action: 'sqs:SendMessage', Condition: { ArnEquals: { 'aws:SourceArn': expect.stringMatching(/aws_s3_bucket\.videos_this_\w+\.arn/) } } }),
    ]);
    const keyServices = parseField(onlyOf(json, 'aws_kms_key'), 'policy').Statement.flatMap((st: any) => (st.Principal?.Service ? [st.Principal.Service] : []));
    expect(keyServices).toEqual(['s3.amazonaws.com']);
  });

  it('rejects an event type S3 does not have', () => {
    const message = errorOf(() =>
      synthConstructs((stack) => new SecureBucket(stack, 'b', { bucketName: 'plain-123' }).addQueueNotification(new Queue(stack, 'q', { queueName: 'q' }), { events: ['ObjectCreated'] })),
    );
    expect(message).toBe('test/b: addQueueNotification.events[0]: "ObjectCreated" is not an S3 event type such as "s3:ObjectCreated:*"');
  });
});
