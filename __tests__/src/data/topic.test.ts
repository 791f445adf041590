import { EncryptionKey } from '../../../src/security/kms';
import { Topic } from '../../../src/data/topic';
import { countOf, errorOf, onlyOf, statementsOf, synthConstructs } from '../../helpers/synth';

describe('Topic', () => {
  it('is encrypted with the AWS managed key by default, which services publishing from their own principal cannot use', () => {
    const { json } = synthConstructs((stack) => new Topic(stack, 'topic', { name: 'jobs-done', emailSubscriptions: ['ops@example.com'] }));
    expect(onlyOf(json, 'aws_sns_topic')).toMatchObject({ name: 'jobs-done', kms_master_key_id: 'alias/aws/sns' });
    expect(onlyOf(json, 'aws_sns_topic_subscription')).toMatchObject({ protocol: 'email', endpoint: 'ops@example.com' });
    expect(errorOf(() => synthConstructs((stack) => new Topic(stack, 'topic', { name: 't' }).allowPublishFrom('events.amazonaws.com')))).toBe(
      'test/topic: kmsKey: is the AWS managed key, which events.amazonaws.com cannot use; give the topic a customer managed key (EncryptionKey)',
    );
  });

  it('lets a service publish from this account, with the key, and grants publishing to roles', () => {
    const granted: any[] = [];
    const { json } = synthConstructs((stack) => {
      const key = new EncryptionKey(stack, 'key', { alias: 'jobs', description: 'jobs' });
      const topic = new Topic(stack, 'topic', { name: 'jobs-done', kmsKey: key });
      topic.allowPublishFrom('events.amazonaws.com');
      topic.grantPublish({ addToPolicy: (s) => granted.push(s) });
    });
    expect(statementsOf(onlyOf(json, 'aws_sns_topic_policy'))).toEqual([
      expect.objectContaining({ Sid: 'DenyInsecureTransport', Effect: 'Deny', Principal: '*', Action: 'sns:Publish', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
      { Sid: 'Publish1', Effect: 'Allow', Principal: { Service: 'events.amazonaws.com' }, Action: 'sns:Publish', Resource: expect.stringMatching(/aws_sns_topic/), Condition: { StringEquals: { 'aws:SourceAccount': '123456789012' } } },
    ]);
    expect(statementsOf(onlyOf(json, 'aws_kms_key')).map((s) => s.Principal)).toContainEqual({ Service: 'events.amazonaws.com' });
    expect(granted.map((s) => s.Action)).toEqual(['sns:Publish', ['kms:Decrypt', 'kms:GenerateDataKey*']]);
    expect(countOf(json, 'aws_sns_topic_subscription')).toBe(0);
  });

  it('refuses publishers without TLS even when no service publishes from its own principal', () => {
    const { json } = synthConstructs((stack) => new Topic(stack, 'topic', { name: 'jobs-done' }));
    expect(statementsOf(onlyOf(json, 'aws_sns_topic_policy'))).toEqual([
      { Sid: 'DenyInsecureTransport', Effect: 'Deny', Principal: '*', Action: 'sns:Publish', Resource: expect.stringMatching(/aws_sns_topic\.topic_this_\w+\.arn/), Condition: { Bool: { 'aws:SecureTransport': 'false' } } },
    ]);
  });

  it('rejects a malformed name and subscription address', () => {
    expect(errorOf(() => synthConstructs((stack) => new Topic(stack, 't', { name: 'jobs done', emailSubscriptions: ['ops'] })))).toBe(
      ['test/t: invalid props:', '  name: "jobs done" is not an SNS topic name (1-256 letters, digits, "-" and "_")', '  emailSubscriptions[0]: "ops" is not an e-mail address'].join('\n'),
    );
  });
});
