/** A topic without server-side encryption: what CloudWatch alarms need when there is no customer managed key. */
import { EncryptionKey } from '../../../src/security/kms';
import { Topic } from '../../../src/data/topic';
import { errorOf, onlyOf, statementsOf, synthConstructs } from '../../helpers/synth';

describe('Topic without server-side encryption', () => {
  it('has no key, and lets CloudWatch publish through its policy alone', () => {
    let topic!: Topic;
    const { json } = synthConstructs((stack) => {
      topic = new Topic(stack, 'topic', { name: 'jobs-done', serverSideEncryption: false });
      topic.allowPublishFrom('cloudwatch.amazonaws.com');
    });
    expect(topic.encrypted).toBe(false);
    expect(onlyOf(json, 'aws_sns_topic').kms_master_key_id).toBeUndefined();
    expect(json.resource!.aws_kms_key).toBeUndefined();
    expect(statementsOf(onlyOf(json, 'aws_sns_topic_policy'))).toEqual([
      { Sid: 'DenyInsecureTransport', Effect: 'Deny', Principal: '*', Action: 'sns:Publish', Resource: expect.stringMatching(/aws_sns_topic\.topic_this_\w+\.arn/), Condition: { Bool: { 'aws:SecureTransport': 'false' } } },
      { Sid: 'Publish1', Effect: 'Allow', Principal: { Service: 'cloudwatch.amazonaws.com' }, Action: 'sns:Publish', Resource: expect.stringMatching(/aws_sns_topic\.topic_this_\w+\.arn/), Condition: { StringEquals: { 'aws:SourceAccount': '123456789012' } } },
    ]);
  });

  it('keeps the AWS managed key by default', () => {
    const { json } = synthConstructs((stack) => new Topic(stack, 'topic', { name: 'jobs-done' }));
    expect(onlyOf(json, 'aws_sns_topic').kms_master_key_id).toBe('alias/aws/sns');
  });

  it('refuses a key on an unencrypted topic', () => {
    expect(
      errorOf(() =>
        synthConstructs((stack) => new Topic(stack, 'topic', { name: 'jobs-done', serverSideEncryption: false, kmsKey: new EncryptionKey(stack, 'key', { alias: 'jobs', description: 'jobs' }) })),
      ),
    ).toBe('test/topic: serverSideEncryption: false contradicts kmsKey; remove one of them');
  });
});
