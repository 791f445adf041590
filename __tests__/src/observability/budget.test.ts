import { CostBudget, CostBudgetProps } from '../../../src/observability/budget';
import { AwsStack } from '../../../src/core/aws-stack';
import { EncryptionKey } from '../../../src/security/kms';
import { Topic } from '../../../src/data/topic';
import { errorOf, onlyOf, resourcesOf, statementsOf, synthConstructs } from '../../helpers/synth';

function build(props: Partial<CostBudgetProps> = {}, topic: 'none' | 'cmk' | 'managed' | 'external' = 'none') {
  return synthConstructs((stack: AwsStack) => {
    const t =
      topic === 'cmk'
        ? new Topic(stack, 'alarms', { name: 'am-alarms', kmsKey: new EncryptionKey(stack, 'key', { alias: 'am-alarms', description: 'alarms' }) })
        : topic === 'managed'
          ? new Topic(stack, 'alarms', { name: 'am-alarms' })
          : topic === 'external'
            ? Topic.fromTopicArn(stack, 'alarms', 'arn:aws:sns:eu-west-1:123456789012:org-budgets')
            : undefined;
    new CostBudget(stack, 'budget', { name: 'artwork-matcher-production', limitUsd: 1500, emailSubscribers: ['finance@example.com'], topic: t, ...props });
  }).json;
}

describe('CostBudget', () => {
  it('is a monthly USD cost budget warning at 80 % forecasted and 100 % actual spend by e-mail', () => {
    const budget = onlyOf(build(), 'aws_budgets_budget');
    expect(budget).toMatchObject({ name: 'artwork-matcher-production', budget_type: 'COST', limit_amount: '1500', limit_unit: 'USD', time_unit: 'MONTHLY' });
    expect(budget.cost_filter).toBeUndefined();
    const mail = { comparison_operator: 'GREATER_THAN', threshold_type: 'PERCENTAGE', subscriber_email_addresses: ['finance@example.com'] };
    expect(budget.notification).toEqual([
      { ...mail, threshold: 80, notification_type: 'FORECASTED' },
      { ...mail, threshold: 100, notification_type: 'ACTUAL' },
    ]);
  });

  it('notifies a topic made elsewhere, whose policy must allow budgets.amazonaws.com already: nothing to wait for', () => {
    const json = build({ emailSubscribers: [] }, 'external');
    const budget = onlyOf(json, 'aws_budgets_budget');
    expect(budget.notification.map((n: any) => n.subscriber_sns_topic_arns)).toEqual([['arn:aws:sns:eu-west-1:123456789012:org-budgets'], ['arn:aws:sns:eu-west-1:123456789012:org-budgets']]);
    expect(budget.depends_on).toBeUndefined();
    expect(json.resource?.aws_sns_topic_policy).toBeUndefined();
  });

  it('counts only costs of one user cost allocation tag, in the user:<Key>$<Value> form', () => {
    const budget = onlyOf(build({ costFilterTag: { key: 'Stack', values: ['artwork-matcher-production', 'artwork-matcher-shared'] } }), 'aws_budgets_budget');
    expect(budget.cost_filter).toEqual([{ name: 'TagKeyValue', values: ['user:Stack$artwork-matcher-production', 'user:Stack$artwork-matcher-shared'] }]);
  });

  it('notifies an encrypted topic whose policy and key let budgets.amazonaws.com publish, and waits for that policy', () => {
    const json = build({ emailSubscribers: [] }, 'cmk');
    const [topicId] = resourcesOf(json, 'aws_sns_topic')[0];
    const [policyId, policy] = resourcesOf(json, 'aws_sns_topic_policy')[0];
    const budget = onlyOf(json, 'aws_budgets_budget');
    expect(budget.notification[0].subscriber_sns_topic_arns).toEqual([`\${aws_sns_topic.${topicId}.arn}`]);
    expect(budget.notification[0].subscriber_email_addresses).toBeUndefined();
    expect(budget.depends_on).toEqual([`aws_sns_topic_policy.${policyId}`]);
    expect(statementsOf(policy).filter((st) => st.Effect === 'Allow')).toEqual([
      { Sid: 'Publish1', Effect: 'Allow', Principal: { Service: 'budgets.amazonaws.com' }, Action: 'sns:Publish', Resource: `\${aws_sns_topic.${topicId}.arn}`, Condition: { StringEquals: { 'aws:SourceAccount': '123456789012' } } },
    ]);
    const keyStatements = statementsOf(onlyOf(json, 'aws_kms_key'));
    expect(keyStatements).toContainEqual({ Sid: 'Service1', Effect: 'Allow', Principal: { Service: 'budgets.amazonaws.com' }, Action: ['kms:Decrypt', 'kms:GenerateDataKey*'], Resource: '*' });
  });

  it('refuses a topic on the AWS managed key, and notifications nobody receives', () => {
    expect(errorOf(() => build({}, 'managed'))).toBe('test/budget: topic: test/alarms is encrypted with the AWS managed key, which budgets.amazonaws.com cannot use; give it a customer managed key (EncryptionKey)');
    expect(errorOf(() => build({ emailSubscribers: [] }))).toBe('test/budget: emailSubscribers: [] is empty and there is no topic; a notification needs a subscriber (an e-mail address or the topic)');
  });

  it('lists every bad prop in one message', () => {
    const message = errorOf(() =>
      build({
        name: 'a:b',
        limitUsd: 0,
        emailSubscribers: ['not-an-address'],
        notifications: [{ thresholdPercent: 80, type: 'FORECASTED' }, { thresholdPercent: 80, type: 'FORECASTED' }, { thresholdPercent: 0, type: 'ACTUAL' }],
        costFilterTag: { key: 'user:Stack', values: [] },
      }),
    );
    expect(message.split('\n')).toEqual([
      'test/budget: invalid props:',
      '  name: "a:b" is not a budget name (1-100 characters without ":", "\\" or "/action/")',
      '  limitUsd: 0 is not a positive amount of US dollars',
      '  emailSubscribers[0]: "not-an-address" is not an e-mail address',
      '  notifications[1]: 80 % FORECASTED is given twice',
      '  notifications[2].thresholdPercent: 0 is out of range; allowed: above 0 to 1000 (percent of the limit)',
      '  costFilterTag.key: "user:Stack" is not a user tag key (1-128 characters without "$", not starting with "aws:" or "user:")',
      '  costFilterTag.values: [] is empty; give the tag value(s) to count',
    ]);
  });
});
