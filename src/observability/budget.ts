import { Construct } from 'constructs';
import { BudgetsBudget } from '@cdktf/provider-aws/lib/budgets-budget';
import { BudgetsBudgetAction } from '@cdktf/provider-aws/lib/budgets-budget-action';
import { IamPolicy } from '@cdktf/provider-aws/lib/iam-policy';
import { policyDocument } from '../core/iam';
import { nameTags } from '../core/tags';
import { ServiceRole } from '../security/iam';
import { dependOn } from '../core/dependencies';
import { EMAIL_PATTERN, PropsValidator } from '../core/validation';
import type { ITopic } from '../data/topic';

/** When a notification fires: at a percentage of the limit, of actual or forecasted spend. */
export interface BudgetNotification {
  /** Percentage of the limit (e.g. 80, or 100; above 100 is allowed). */
  readonly thresholdPercent: number;
  /** `ACTUAL` (spent so far this month) or `FORECASTED` (AWS's forecast for the month). */
  readonly type: 'ACTUAL' | 'FORECASTED';
}

/** The notifications of a budget unless told otherwise: 80 % forecasted, 100 % actual. */
const DEFAULT_BUDGET_NOTIFICATIONS: readonly BudgetNotification[] = [
  { thresholdPercent: 80, type: 'FORECASTED' },
  { thresholdPercent: 100, type: 'ACTUAL' },
];

/** Cost allocation tag a budget counts (see `CostBudgetProps.costFilterTag`). */
export interface BudgetTagFilter {
  /** Tag key, as on the resources (e.g. `Project`). */
  readonly key: string;
  /** Tag values; costs with any of them count. */
  readonly values: readonly string[];
}

export interface CostBudgetProps {
  /** Budget name, unique in the account (1-100 characters, no ":" or "\\"). Changing it replaces the budget. */
  readonly name: string;
  /** Monthly limit in US dollars. */
  readonly limitUsd: number;
  /**
   * Count only costs of resources with this user-defined tag (`TagKeyValue` filter,
   * `user:<Key>$<Value>`). One key: AWS Budgets ORs the values of a filter, so several keys in one
   * filter would add up costs instead of narrowing them; pick a tag unique to the stack.
   *
   * The tag must be ACTIVATED as a cost allocation tag (Billing console, "Cost allocation tags",
   * or `aws ce update-cost-allocation-tags-status`); until then, and for costs incurred before it
   * was activated, the budget counts $0. Activation takes up to 24 hours to show. Untaggable costs
   * (data transfer, some request charges) are never counted by a tag filter.
   * @default - every cost of the account
   */
  readonly costFilterTag?: BudgetTagFilter;
  /**
   * Notifications, each to every subscriber (AWS Budgets allows 5 per budget).
   * @default 80 % forecasted and 100 % actual
   */
  readonly notifications?: readonly BudgetNotification[];
  /**
   * E-mail addresses notified (at most 10; AWS sends them no confirmation request).
   * @default []
   */
  readonly emailSubscribers?: readonly string[];
  /**
   * SNS topic notified. AWS Budgets publishes from its own principal, `budgets.amazonaws.com`:
   * the topic's policy must allow it (done here through `allowPublishFrom`), and an encrypted
   * topic needs a customer managed key (an `alias/aws/sns` topic is refused, since AWS Budgets
   * cannot use the AWS managed key). A topic made elsewhere (`Topic.fromTopicArn`) must allow
   * `budgets.amazonaws.com` already.
   * @default - no topic
   */
  readonly topic?: ITopic;
}

/** What `CostBudget.addStopAction` stops once actual spend reaches the threshold. */
export interface BudgetStopProps {
  /** Name prefix of the deny policy (`<policyName>-<suffix>`) and name of the role AWS Budgets uses (`<policyName>-budgets`). */
  readonly policyName: string;
  /** Roles denied `deny` while the action is applied; they can still be deleted (force_detach_policies). */
  readonly roles: readonly ServiceRole[];
  /** What is denied: actions, on resources (default every resource). */
  readonly deny: readonly { readonly actions: readonly string[]; readonly resources?: readonly string[] }[];
  /** Percentage of the limit, of actual spend. @default 100 */
  readonly thresholdPercent?: number;
}

/**
 * A monthly AWS Budgets cost budget in USD, optionally limited to one cost allocation tag, with
 * notifications to e-mail addresses and/or an SNS topic. Budgets are account-wide (the Budgets API
 * is global); the first two of an account are free, each further one costs $0.02 a day.
 */
export class CostBudget extends Construct {
  /** The budget resource. */
  public readonly resource: BudgetsBudget;
  /** The budget's name. */
  public readonly budgetName: string;
  /** The `TagKeyValue` filter values, when filtered (`user:<Key>$<Value>`). */
  public readonly tagFilterValues?: readonly string[];
  private readonly subscribers: { readonly address: string; readonly subscriptionType: 'SNS' | 'EMAIL' }[];

  constructor(scope: Construct, id: string, props: CostBudgetProps) {
    super(scope, id);
    const notifications = props.notifications ?? DEFAULT_BUDGET_NOTIFICATIONS;
    const emails = props.emailSubscribers ?? [];
    const v = new PropsValidator(this)
      .check(/^[^:\\]{1,100}$/.test(props.name) && !props.name.includes('/action/'), 'name', props.name, 'is not a budget name (1-100 characters without ":", "\\" or "/action/")')
      .check(Number.isFinite(props.limitUsd) && props.limitUsd > 0, 'limitUsd', props.limitUsd, 'is not a positive amount of US dollars')
      .check(notifications.length <= 5, 'notifications', notifications, `has ${notifications.length} entries; AWS Budgets allows 5 notifications per budget`)
      .check(emails.length <= 10, 'emailSubscribers', emails, `has ${emails.length} addresses; a notification takes at most 10 e-mail subscribers`)
      .check(notifications.length === 0 || emails.length > 0 || props.topic !== undefined, 'emailSubscribers', emails, 'is empty and there is no topic; a notification needs a subscriber (an e-mail address or the topic)');
    emails.forEach((e, i) => v.matches(`emailSubscribers[${i}]`, e, EMAIL_PATTERN, 'an e-mail address'));
    notifications.forEach((n, i) => {
      v.oneOf(`notifications[${i}].type`, n.type, ['ACTUAL', 'FORECASTED']);
      v.check(Number.isFinite(n.thresholdPercent) && n.thresholdPercent > 0 && n.thresholdPercent <= 1000, `notifications[${i}].thresholdPercent`, n.thresholdPercent, 'is out of range; allowed: above 0 to 1000 (percent of the limit)');
      if (notifications.findIndex((m) => m.type === n.type && m.thresholdPercent === n.thresholdPercent) !== i) v.fail(`notifications[${i}]`, `${n.thresholdPercent} % ${n.type} is given twice`);
    });
    const tag = props.costFilterTag;
    if (tag) {
      // Tag keys: 1-128 characters; the filter separates key and value with "$", so neither may hold one.
      v.check(/^[^$]{1,128}$/.test(tag.key) && !tag.key.startsWith('aws:') && !tag.key.startsWith('user:'), 'costFilterTag.key', tag.key, 'is not a user tag key (1-128 characters without "$", not starting with "aws:" or "user:")');
      v.check(tag.values.length > 0, 'costFilterTag.values', tag.values, 'is empty; give the tag value(s) to count');
      tag.values.forEach((x, i) => v.check(/^[^$]{0,256}$/.test(x), `costFilterTag.values[${i}]`, x, 'is not a tag value (at most 256 characters without "$")'));
    }
    if (props.topic && props.topic.encrypted && !props.topic.kmsKey) v.fail('topic', `${props.topic.node.path} is encrypted with the AWS managed key, which budgets.amazonaws.com cannot use; give it a customer managed key (EncryptionKey)`);
    v.throwIfInvalid();

    props.topic?.allowPublishFrom('budgets.amazonaws.com');
    this.tagFilterValues = tag ? tag.values.map((x) => `user:${tag.key}$${x}`) : undefined;
    this.subscribers = [...(props.topic ? [{ address: props.topic.topicArn, subscriptionType: 'SNS' as const }] : []), ...emails.map((address) => ({ address, subscriptionType: 'EMAIL' as const }))];
    this.budgetName = props.name;
    this.resource = new BudgetsBudget(this, 'this', {
      name: props.name,
      budgetType: 'COST',
      limitAmount: String(props.limitUsd),
      limitUnit: 'USD',
      timeUnit: 'MONTHLY',
      costFilter: this.tagFilterValues ? [{ name: 'TagKeyValue', values: [...this.tagFilterValues] }] : undefined,
      notification: notifications.map((n) => ({
        comparisonOperator: 'GREATER_THAN',
        threshold: n.thresholdPercent,
        thresholdType: 'PERCENTAGE',
        notificationType: n.type,
        subscriberEmailAddresses: emails.length > 0 ? [...emails] : undefined,
        subscriberSnsTopicArns: props.topic ? [props.topic.topicArn] : undefined,
      })),
    });
    // Budgets checks that it may publish when the notification is written.
    if (props.topic?.policy) dependOn(this.resource, props.topic.policy);
  }

  /**
   * A cap on cost: once the month's actual spend reaches `thresholdPercent` of the limit, AWS
   * Budgets attaches a policy denying `deny` to `roles` (an `APPLY_IAM_POLICY` action,
   * approved automatically) and tells the budget's subscribers. AWS Budgets reads the spend a few
   * times a day, so the cap lands hours late at worst. The policy stays attached until someone
   * reverses the action (`aws budgets execute-budget-action --execution-type
   * REVERSE_BUDGET_ACTION`) or detaches it; Terraform does not (the attachment is not its own).
   */
  public addStopAction(id: string, props: BudgetStopProps): BudgetsBudgetAction {
    const threshold = props.thresholdPercent ?? 100;
    new PropsValidator(this)
      .check(props.roles.length > 0 && props.roles.length <= 100, 'roles', props.roles.length, 'is not 1 to 100 roles')
      .check(props.deny.length > 0 && props.deny.every((d) => d.actions.length > 0), 'deny', props.deny, 'names no action; name the actions to deny')
      .range('thresholdPercent', threshold, 1, 1000)
      .check(this.subscribers.length > 0, 'emailSubscribers', [], 'is empty and there is no topic; a budget action needs one of them to tell')
      .throwIfInvalid();
    const deny = new IamPolicy(this, `${id}-policy`, {
      // A prefix: the roles below depend on the policy, and a role's create-before-destroy
      // replacement makes the policy's replacement create-first too.
      namePrefix: `${props.policyName}-`,
      description: `Applied by the budget ${this.budgetName} when actual spend reaches ${threshold} % of its limit`,
      policy: policyDocument(props.deny.map((d) => ({ Effect: 'Deny', Action: [...d.actions], Resource: d.resources ? [...d.resources] : '*' }))),
      tags: nameTags(props.policyName),
    });
    const executor = new ServiceRole(this, `${id}-role`, { name: `${props.policyName}-budgets`, assumedBy: 'budgets.amazonaws.com', description: `Lets AWS Budgets apply ${props.policyName} when the budget ${this.budgetName} is spent` });
    executor.addToPolicy({
      Effect: 'Allow',
      Action: ['iam:AttachRolePolicy', 'iam:DetachRolePolicy'],
      Resource: props.roles.map((r) => r.roleArn),
      Condition: { ArnEquals: { 'iam:PolicyARN': deny.arn } },
    });
    // A destroy after the cap fired: AWS Budgets' attachment is not Terraform's, so the roles are
    // deleted first (detaching it, force_detach_policies) and the policy after them.
    for (const role of props.roles) {
      role.resource.forceDetachPolicies = true;
      dependOn(role.resource, deny);
    }
    const action = new BudgetsBudgetAction(this, id, {
      budgetName: this.resource.name,
      actionType: 'APPLY_IAM_POLICY',
      approvalModel: 'AUTOMATIC',
      notificationType: 'ACTUAL',
      actionThreshold: { actionThresholdType: 'PERCENTAGE', actionThresholdValue: threshold },
      definition: { iamActionDefinition: { policyArn: deny.arn, roles: props.roles.map((r) => r.roleName) } },
      executionRoleArn: executor.roleArn,
      subscriber: this.subscribers.map((x) => ({ ...x })),
    });
    // Budgets checks the execution role's permissions when the action is written.
    executor.addDependent(action);
    return action;
  }
}
