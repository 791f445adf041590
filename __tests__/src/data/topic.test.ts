import { EncryptionKey } from '../../../src/security/kms';
import { Topic } from '../../../src/data/topic';
import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { countOf, errorOf, onlyOf, statementsOf, synthConstructs } from '../../helpers/synth';

describe('Topic', () => {
  it('is encrypted with the AWS managed key by default, which services publishing from their own principal cannot use', () => {
    let topic!: Topic;
    const { json } = synthConstructs((stack) => (topic = new Topic(stack, 'topic', { name: 'jobs-done', emailSubscriptions: ['ops@example.com'] })));
    expect(topic.resource).toBeInstanceOf(SnsTopic);
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

  describe('fromTopicArn', () => {
    const ARN = 'arn:aws:sns:eu-west-1:123456789012:org-alarms';

    it('describes a topic made elsewhere: grants publishing to it, creates nothing and leaves its policy alone', () => {
      const granted: any[] = [];
      let topic!: ReturnType<typeof Topic.fromTopicArn>;
      const { json } = synthConstructs((stack) => {
        topic = Topic.fromTopicArn(stack, 'org', ARN);
        topic.allowPublishFrom('cloudwatch.amazonaws.com');
        topic.grantPublish({ addToPolicy: (s) => granted.push(s) });
      });
      expect(json.resource).toBeUndefined();
      expect([topic.topicArn, topic.topicName, topic.policy, topic.kmsKey, topic.encrypted]).toEqual([ARN, 'org-alarms', undefined, undefined, undefined]);
      expect(granted).toEqual([{ Effect: 'Allow', Action: 'sns:Publish', Resource: ARN }]);
    });

    it('refuses an e-mail subscription (made where the topic is managed) and an ARN that is not a topic\'s', () => {
      expect(errorOf(() => synthConstructs((stack) => Topic.fromTopicArn(stack, 'org', ARN).addEmailSubscription('ops@example.com')))).toBe(
        'test/org: addEmailSubscription: "ops@example.com" cannot be subscribed here: the topic is made elsewhere (Topic.fromTopicArn); subscribe the address where the topic is managed',
      );
      expect(errorOf(() => synthConstructs((stack) => Topic.fromTopicArn(stack, 'org', 'arn:aws:sqs:eu-west-1:123456789012:org-alarms')))).toBe(
        'test/org: topicArn: "arn:aws:sqs:eu-west-1:123456789012:org-alarms" is not an SNS topic ARN (arn:aws:sns:<region>:<account>:<name>)',
      );
    });
  });
});
