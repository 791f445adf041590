import { Construct, IConstruct } from 'constructs';
import { Fn, Lazy, Token } from 'cdktf';
import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { SnsTopicPolicy } from '@cdktf/provider-aws/lib/sns-topic-policy';
import { SnsTopicSubscription } from '@cdktf/provider-aws/lib/sns-topic-subscription';
import { AwsStack } from '../core/aws-stack';
import { IGrantable, PolicyStatement, grantKeyUse, policyDocument } from '../core/iam';
import { nameTags } from '../core/tags';
import { EMAIL_PATTERN, PropsValidator, ValidationError } from '../core/validation';
import { Relations } from '../core/relations';
import type { EncryptionKey } from '../security/kms';

export interface TopicProps {
  /** Topic name. */
  readonly name: string;
  /**
   * Customer managed key. AWS services that publish from their own principal (CloudWatch alarms,
   * EventBridge) can only use a customer managed key whose policy allows them; the AWS managed
   * `alias/aws/sns` key cannot be granted to them.
   * @default - the AWS managed key `alias/aws/sns` (enough for publishers with IAM roles)
   */
  readonly kmsKey?: EncryptionKey;
  /**
   * Server-side encryption at rest. `false` leaves the topic unencrypted (SNS keeps a message only
   * until it is delivered): with no customer managed key, that is the only way AWS services such
   * as CloudWatch alarms can publish to it. Not with `kmsKey`.
   * @default true
   */
  readonly serverSideEncryption?: boolean;
  /**
   * E-mail addresses subscribed (each must confirm the mail AWS sends after apply).
   * @default []
   */
  readonly emailSubscriptions?: readonly string[];
}

/** What the constructs need of a topic: one made by `Topic`, or one made elsewhere (`Topic.fromTopicArn`). */
export interface ITopic extends IConstruct {
  readonly topicArn: string;
  readonly topicName: string;
  /** The customer managed key, when the topic is this app's and has one. */
  readonly kmsKey?: EncryptionKey;
  /** Whether messages are encrypted at rest; undefined when not known here (a topic made elsewhere). */
  readonly encrypted?: boolean;
  /** The topic's resource policy, when this app manages it (not for a topic made elsewhere). */
  readonly policy?: SnsTopicPolicy;
  /** Lets an AWS service publish from its own principal (a topic made elsewhere must allow it already). */
  allowPublishFrom(servicePrincipal: string): void;
  /** Lets `grantee` publish (and use the key). */
  grantPublish(grantee: IGrantable): void;
  /** Subscribes an e-mail address (confirmed by its owner after apply). */
  addEmailSubscription(email: string): void;
}

/** An SNS topic ARN, `arn:aws:sns:<region>:<account>:<name>`. */
const TOPIC_ARN_PATTERN = /^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]+$/;

/** An encrypted SNS topic, its policy (TLS-only publishing, publishing services), and e-mail subscriptions. */
export class Topic extends Construct implements ITopic {
  /**
   * A topic made elsewhere (an organisation's alarm topic), by its ARN: nothing is created. Its
   * policy and key are not this app's: they must already let the services that publish to it
   * (`cloudwatch.amazonaws.com` for alarms) do so, and e-mail addresses are subscribed where the
   * topic is managed. Grants (`grantPublish`) work as for a topic of this app.
   */
  public static fromTopicArn(scope: Construct, id: string, topicArn: string): ITopic {
    return new ImportedTopic(scope, id, topicArn);
  }

  /** The topic resource. */
  public readonly resource: SnsTopic;
  public readonly topicArn: string;
  public readonly topicName: string;
  /** The key, when the topic has a customer managed one. */
  public readonly kmsKey?: EncryptionKey;
  /** Whether messages are encrypted at rest. */
  public readonly encrypted: boolean;
  private readonly publishers = new Set<string>();
  /** The topic's resource policy: TLS-only publishing, and the services allowed to publish. */
  public readonly policy: SnsTopicPolicy;

  constructor(scope: Construct, id: string, props: TopicProps) {
    super(scope, id);
    const v = new PropsValidator(this).matches('name', props.name, /^[A-Za-z0-9_-]{1,256}$/, 'an SNS topic name (1-256 letters, digits, "-" and "_")');
    if (props.serverSideEncryption === false && props.kmsKey) v.fail('serverSideEncryption', 'false contradicts kmsKey; remove one of them');
    (props.emailSubscriptions ?? []).forEach((e, i) => v.matches(`emailSubscriptions[${i}]`, e, EMAIL_PATTERN, 'an e-mail address'));
    v.throwIfInvalid();
    this.kmsKey = props.kmsKey;
    this.encrypted = props.serverSideEncryption ?? true;
    this.resource = new SnsTopic(this, 'this', {
      name: props.name,
      kmsMasterKeyId: this.encrypted ? props.kmsKey?.keyArn ?? 'alias/aws/sns' : undefined,
      tags: nameTags(props.name),
    });
    this.topicArn = this.resource.arn;
    this.topicName = this.resource.name;
    // Always a policy: publishers must use TLS (SNS accepts plain HTTP otherwise); services added
    // with allowPublishFrom join it.
    this.policy = new SnsTopicPolicy(this, 'policy', {
      arn: this.topicArn,
      policy: Lazy.stringValue({ produce: () => policyDocument(this.policyStatements()) }),
    });
    for (const email of props.emailSubscriptions ?? []) this.addEmailSubscription(email);
  }

  /** Subscribes an e-mail address (confirmed by its owner after apply). */
  public addEmailSubscription(email: string): void {
    new PropsValidator(this).matches('email', email, EMAIL_PATTERN, 'an e-mail address').throwIfInvalid();
    new SnsTopicSubscription(this, `email-${email.replace(/[^A-Za-z0-9]/g, '-')}`, { topicArn: this.topicArn, protocol: 'email', endpoint: email });
  }

  /**
   * Lets an AWS service publish from its own principal (e.g. `cloudwatch.amazonaws.com`,
   * `events.amazonaws.com`), limited to this account, and lets it use the topic's key.
   */
  public allowPublishFrom(servicePrincipal: string): void {
    if (!this.kmsKey && this.encrypted) {
      new PropsValidator(this).fail('kmsKey', `is the AWS managed key, which ${servicePrincipal} cannot use; give the topic a customer managed key (EncryptionKey)`).throwIfInvalid();
      return;
    }
    if (this.publishers.has(servicePrincipal)) return;
    this.publishers.add(servicePrincipal);
    this.kmsKey?.allowService({ principal: servicePrincipal });
  }

  /** Lets `grantee` publish (and use the key). */
  public grantPublish(grantee: IGrantable): void {
    Relations.grant(this.resource, grantee, 'publish');
    grantee.addToPolicy({ Effect: 'Allow', Action: 'sns:Publish', Resource: this.topicArn });
    grantKeyUse(grantee, this.kmsKey, true);
  }

  private policyStatements(): PolicyStatement[] {
    const account = AwsStack.of(this).accountId;
    // `Bool` (not BoolIfExists): AWS services publishing from their own principal send no
    // aws:SecureTransport key, so the deny never applies to them.
    const denyInsecure: PolicyStatement = {
      Sid: 'DenyInsecureTransport',
      Effect: 'Deny',
      Principal: '*',
      Action: 'sns:Publish',
      Resource: this.topicArn,
      Condition: { Bool: { 'aws:SecureTransport': 'false' } },
    };
    return [denyInsecure, ...[...this.publishers].map((principal, i) => ({
      Sid: `Publish${i + 1}`,
      Effect: 'Allow' as const,
      Principal: { Service: principal },
      Action: 'sns:Publish',
      Resource: this.topicArn,
      Condition: { StringEquals: { 'aws:SourceAccount': account } },
    }))];
  }
}

/** A topic made elsewhere, as `Topic.fromTopicArn` describes it: no resource. */
class ImportedTopic extends Construct implements ITopic {
  public readonly topicArn: string;
  public readonly topicName: string;

  constructor(scope: Construct, id: string, topicArn: string) {
    super(scope, id);
    new PropsValidator(this).check(Token.isUnresolved(topicArn) || TOPIC_ARN_PATTERN.test(topicArn), 'topicArn', topicArn, 'is not an SNS topic ARN (arn:aws:sns:<region>:<account>:<name>)').throwIfInvalid();
    this.topicArn = topicArn;
    this.topicName = Token.isUnresolved(topicArn) ? Fn.element(Fn.split(':', topicArn), 5) : topicArn.split(':')[5];
  }

  /** Nothing to do: the topic's policy is not this app's and must allow the service already. */
  public allowPublishFrom(_servicePrincipal: string): void {}

  public grantPublish(grantee: IGrantable): void {
    Relations.grant(this, grantee, 'publish');
    grantee.addToPolicy({ Effect: 'Allow', Action: 'sns:Publish', Resource: this.topicArn });
  }

  public addEmailSubscription(email: string): void {
    throw new ValidationError(`${this.node.path}: addEmailSubscription: ${JSON.stringify(email)} cannot be subscribed here: the topic is made elsewhere (Topic.fromTopicArn); subscribe the address where the topic is managed`);
  }
}
