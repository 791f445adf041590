import { Construct, IConstruct } from 'constructs';
import { TerraformStack } from 'cdktf';
import { Lazy } from 'cdktf';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias';
import { AwsStack } from '../core/aws-stack';
import { IGrantable, IKeyUser, PolicyCondition, PolicyStatement, policyDocument } from '../core/iam';
import { nameTags } from '../core/tags';
import { PropsValidator } from '../core/validation';
import { Relations } from '../core/relations';

export interface EncryptionKeyProps {
  /** Alias, without `alias/` (e.g. `artwork-matcher-demo-alarms`). */
  readonly alias: string;
  /** What the key encrypts. */
  readonly description: string;
  /**
   * Yearly automatic rotation of the key material.
   * @default true
   */
  readonly enableKeyRotation?: boolean;
  /**
   * Days a deleted key waits before it is gone (7-30).
   * @default 30
   */
  readonly deletionWindowDays?: number;
}

/**
 * What a stack's key encrypts when a construct is given no key of its own
 * (`EncryptionKey.useAsStackDefault`):
 * - `logs`: CloudWatch log groups of the stack's region (not one given another region's provider);
 * - `secrets`: Secrets Manager secrets;
 * - `functions`: Lambda environment variables;
 * - `topics`: the alarm topic of `Monitoring`;
 * - `repositories`: ECR repositories (a key on an existing repository replaces it, images and all);
 * - `fileSystems`: EFS file systems (likewise replaced).
 */
export type KeyUse = 'logs' | 'secrets' | 'functions' | 'topics' | 'repositories' | 'fileSystems';

const STACK_DEFAULTS = new WeakMap<IConstruct, Map<KeyUse, EncryptionKey>>();

/** A service principal allowed to use the key, and how. */
export interface KeyServiceGrant {
  /** Service principal, e.g. `cloudwatch.amazonaws.com`. */
  readonly principal: string;
  /** @default ["kms:Decrypt", "kms:GenerateDataKey*"] */
  readonly actions?: readonly string[];
  /** @default - none */
  readonly condition?: PolicyCondition;
}

/**
 * A customer managed KMS key with rotation and an alias. Its key policy gives the account's IAM
 * the usual control (so IAM policies can grant use) and lets the services that must encrypt with
 * it (CloudWatch alarms publishing to an encrypted topic, CloudWatch Logs, ...) use it.
 */
export class EncryptionKey extends Construct implements IKeyUser {
  /** The key resource. */
  public readonly resource: KmsKey;
  public readonly keyArn: string;
  public readonly keyId: string;
  public readonly aliasName: string;
  private readonly services: PolicyStatement[] = [];
  private readonly serviceKeys = new Set<string>();

  constructor(scope: Construct, id: string, props: EncryptionKeyProps) {
    super(scope, id);
    new PropsValidator(this)
      .matches('alias', props.alias, /^[A-Za-z0-9/_-]{1,250}$/, 'a KMS alias name (letters, digits, "/", "_" and "-", without "alias/")')
      .check(!props.alias.startsWith('aws/'), 'alias', props.alias, 'starts with "aws/", which AWS reserves for its own keys')
      .range('deletionWindowDays', props.deletionWindowDays, 7, 30, 'days')
      .throwIfInvalid();
    const stack = AwsStack.of(this);
    const root: PolicyStatement = {
      Sid: 'AccountAdministers',
      Effect: 'Allow',
      Principal: { AWS: `arn:aws:iam::${stack.accountId}:root` },
      Action: 'kms:*',
      Resource: '*',
    };
    this.resource = new KmsKey(this, 'key', {
      description: props.description,
      enableKeyRotation: props.enableKeyRotation ?? true,
      deletionWindowInDays: props.deletionWindowDays ?? 30,
      policy: Lazy.stringValue({ produce: () => policyDocument([root, ...this.services]) }),
      tags: nameTags(props.alias),
    });
    this.keyArn = this.resource.arn;
    this.keyId = this.resource.keyId;
    this.aliasName = `alias/${props.alias}`;
    new KmsAlias(this, 'alias', { name: this.aliasName, targetKeyId: this.resource.keyId });
  }

  /**
   * The stack's default key for `uses`: every construct of the stack created after this call that
   * encrypts one of them and is given no key uses this one (`EncryptionKey.stackDefault`). One
   * key per stack, so its policy lists every service and group that uses it.
   */
  public useAsStackDefault(uses: readonly KeyUse[]): void {
    const stack = TerraformStack.of(this);
    const defaults = STACK_DEFAULTS.get(stack) ?? new Map<KeyUse, EncryptionKey>();
    for (const use of uses) defaults.set(use, this);
    STACK_DEFAULTS.set(stack, defaults);
  }

  /** The key `scope`'s stack encrypts `use` with by default, if it set one. */
  public static stackDefault(scope: IConstruct, use: KeyUse): EncryptionKey | undefined {
    return STACK_DEFAULTS.get(TerraformStack.of(scope))?.get(use);
  }

  /** The key's ARN, for resources that accept a key (`IKeyUser`). */
  public get kmsKeyArn(): string {
    return this.keyArn;
  }

  /** Lets an AWS service use the key (once per principal and actions). */
  public allowService(grant: KeyServiceGrant): void {
    const actions = grant.actions ?? ['kms:Decrypt', 'kms:GenerateDataKey*'];
    const key = JSON.stringify([grant.principal, actions, grant.condition ?? null]);
    if (this.serviceKeys.has(key)) return;
    this.serviceKeys.add(key);
    this.services.push({
      Sid: `Service${this.services.length + 1}`,
      Effect: 'Allow',
      Principal: { Service: grant.principal },
      Action: actions,
      Resource: '*',
      Condition: grant.condition,
    });
  }

  /** Lets `grantee` decrypt with the key. */
  public grantDecrypt(grantee: IGrantable): void {
    Relations.grant(this.resource, grantee, 'decrypt');
    grantee.addToPolicy({ Effect: 'Allow', Action: ['kms:Decrypt'], Resource: this.keyArn });
  }

  /** Lets `grantee` encrypt and decrypt with the key. */
  public grantEncryptDecrypt(grantee: IGrantable): void {
    Relations.grant(this.resource, grantee, 'encrypt', 'decrypt');
    grantee.addToPolicy({ Effect: 'Allow', Action: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey*', 'kms:ReEncrypt*'], Resource: this.keyArn });
  }
}
