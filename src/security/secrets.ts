import { Construct, IConstruct } from 'constructs';
import { TerraformStack, TerraformVariable } from 'cdktf';
import { SecretsmanagerSecret } from '@cdktf/provider-aws/lib/secretsmanager-secret';
import { SecretsmanagerSecretVersion } from '@cdktf/provider-aws/lib/secretsmanager-secret-version';
import { IGrantable, grantKeyUse } from '../core/iam';
import { nameTags } from '../core/tags';
import { PropsValidator, isArn, isUnresolved } from '../core/validation';
import { Relations } from '../core/relations';
import { EncryptionKey } from './kms';

/**
 * The value comes from a sensitive Terraform input variable, `var.<variableName>`: it has no
 * default, so `terraform plan` without it (`-var`, `TF_VAR_<name>` or a `.tfvars` file) fails with
 * Terraform's own "No value for required variable" error. The value never appears in the
 * synthesized configuration; like every resource argument it is kept in Terraform state, so the
 * state must be protected (the StateStore bucket is encrypted and private).
 */
export interface SecretFromVariable {
  readonly kind: 'variable';
  /** Name of the Terraform variable: lowercase letters, digits and "_", starting with a letter. */
  readonly variableName: string;
}

/**
 * Only the secret, without a value: an operator stores one after apply with
 * `aws secretsmanager put-secret-value --secret-id <name> --secret-string ...`, and Terraform
 * never overwrites it. Until then the secret has no `AWSCURRENT` version, and everything that
 * reads it fails: ECS tasks that take it as a container secret do not start
 * (`ResourceInitializationError`).
 */
export interface SecretEmpty {
  readonly kind: 'empty';
}

/** Where a secret's value comes from (a secret made elsewhere: `SecretValue.fromSecretArn`). */
export type SecretSourceProps = SecretFromVariable | SecretEmpty;

/** What containers and functions need of a secret: one made by `SecretValue`, or one made elsewhere (`SecretValue.fromSecretArn`). */
export interface ISecret extends IConstruct {
  /** ARN of the secret. */
  readonly secretArn: string;
  /** Name of the secret. */
  readonly secretName: string;
  /** The customer managed key of the secret, when it has one (`grantRead` includes its use). */
  readonly kmsKeyArn?: string;
  /** Lets `grantee` read the value (and decrypt it with the secret's customer key). */
  grantRead(grantee: IGrantable): void;
}

export interface SecretValueProps {
  /** Secret name (1-512 letters, digits and `/_+=.@-`), e.g. `artwork-matcher/demo/db-password`. */
  readonly secretName: string;
  /**
   * What the secret holds.
   * @default - none
   */
  readonly description?: string;
  /** Where the value comes from: a sensitive Terraform variable, or an operator. */
  readonly source: SecretSourceProps;
  /**
   * Customer managed key of the secret.
   * @default - the stack's default key for secrets (`EncryptionKey.useAsStackDefault`), else the
   * AWS managed key `aws/secretsmanager`
   */
  readonly kmsKey?: EncryptionKey;
  /**
   * Days a deleted secret can still be restored: 0 (deleted at once) or 7-30.
   * @default 30
   */
  readonly recoveryWindowDays?: number;
}

/**
 * A Secrets Manager secret for containers and functions, whose value never appears in the
 * configuration: from a sensitive Terraform variable, or put by an operator (a secret made
 * elsewhere: `SecretValue.fromSecretArn`). It is an `ISecretSource` of the ECS task definition:
 * `grantRead` gives exactly `secretsmanager:GetSecretValue` on this secret.
 */
export class SecretValue extends Construct implements ISecret {
  /**
   * A secret made elsewhere, by its full ARN (with the 6-character suffix Secrets Manager appends
   * to the name: IAM matches full ARNs only): nothing is created, `grantRead` grants reading it.
   * Its name is the ARN's resource part without that suffix. `kmsKeyArn` is the customer managed
   * key it is encrypted with, so that `grantRead` includes `kms:Decrypt` on it (by default the
   * AWS managed key `aws/secretsmanager`, which needs no grant).
   */
  public static fromSecretArn(scope: Construct, id: string, secretArn: string, kmsKeyArn?: string): ISecret {
    return new ImportedSecret(scope, id, secretArn, kmsKeyArn);
  }

  /** ARN of the secret. */
  public readonly secretArn: string;
  /** Name of the secret. */
  public readonly secretName: string;
  /** The secret resource. */
  public readonly resource: SecretsmanagerSecret;
  /** The Terraform variable that holds the value (with `variable`). */
  public readonly variable?: TerraformVariable;
  /** The customer managed key of the secret, when it has one (`grantRead` includes its use). */
  public readonly kmsKeyArn?: string;

  constructor(scope: Construct, id: string, props: SecretValueProps) {
    super(scope, id);
    const source = props.source;
    const v = new PropsValidator(this)
      .matches('secretName', props.secretName, /^[A-Za-z0-9/_+=.@-]{1,512}$/, 'a Secrets Manager secret name (1-512 letters, digits and "/_+=.@-")')
      .oneOf('source.kind', source.kind, ['variable', 'empty'] as const);
    if (props.recoveryWindowDays !== undefined && props.recoveryWindowDays !== 0) v.range('recoveryWindowDays', props.recoveryWindowDays, 7, 30, 'days (or 0 to delete at once)');
    if (source.kind === 'variable') {
      v.matches('source.variableName', source.variableName, /^[a-z][a-z0-9_]*$/, 'a Terraform variable name (lowercase letters, digits and "_", starting with a letter)');
      v.check(!RESERVED_VARIABLE_NAMES.includes(source.variableName), 'source.variableName', source.variableName, `is reserved by Terraform; not allowed: ${RESERVED_VARIABLE_NAMES.join(', ')}`);
      const clash = variableOwner(this, source.variableName);
      if (clash) v.check(false, 'source.variableName', source.variableName, `is already the variable of ${clash}; each secret needs its own variable`);
    }
    v.throwIfInvalid();

    const key = props.kmsKey ?? EncryptionKey.stackDefault(this, 'secrets');
    this.kmsKeyArn = key?.keyArn;
    this.resource = new SecretsmanagerSecret(this, 'this', {
      name: props.secretName,
      description: props.description,
      kmsKeyId: key?.keyArn,
      recoveryWindowInDays: props.recoveryWindowDays ?? 30,
      tags: nameTags(props.secretName),
    });
    this.secretArn = this.resource.arn;
    this.secretName = this.resource.name;

    if (source.kind === 'variable') {
      this.variable = new RequiredVariable(this, 'variable', {
        type: 'string',
        sensitive: true,
        nullable: false,
        description: `Value of the Secrets Manager secret "${props.secretName}" (sensitive; kept in Terraform state, never in the configuration)`,
      });
      this.variable.overrideLogicalId(source.variableName);
      variablesOf(this).set(source.variableName, this.node.path);
      // An empty string would reach AWS as "no value" and fail at apply; fail at plan instead.
      this.variable.addValidation({ condition: `\${length(var.${source.variableName}) > 0}`, errorMessage: `The value of secret "${props.secretName}" must not be empty.` });
      new SecretsmanagerSecretVersion(this, 'version', { secretId: this.resource.id, secretString: this.variable.stringValue });
    }
  }

  /** Lets `grantee` read the value: `secretsmanager:GetSecretValue` on this secret only (and decrypt with its customer key). */
  public grantRead(grantee: IGrantable): void {
    Relations.grant(this.resource, grantee, 'read');
    grantee.addToPolicy({ Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: this.secretArn });
    grantKeyUse(grantee, this, false);
  }
}

/**
 * A required, sensitive Terraform input variable `var.<name>` for a value the configuration must
 * never hold (a shared secret between two resources, such as CloudFront's origin header): no
 * default, not nullable, at least `minLength` characters, checked at plan time. Give it with
 * `TF_VAR_<name>` or `-var`; Terraform keeps it in state.
 */
export function sensitiveVariable(scope: Construct, name: string, description: string, minLength = 1): TerraformVariable {
  const v = new PropsValidator(scope);
  v.check(/^[a-z][a-z0-9_]*$/.test(name) && !RESERVED_VARIABLE_NAMES.includes(name), 'variableName', name, 'is not a Terraform variable name (lowercase letters, digits and "_", starting with a letter; not a reserved name)');
  const owner = variableOwner(scope, name);
  if (owner) v.fail('variableName', `${JSON.stringify(name)} is already declared by ${owner}`);
  v.throwIfInvalid();
  const variable = new RequiredVariable(scope, name, { type: 'string', sensitive: true, nullable: false, description });
  variable.overrideLogicalId(name);
  variablesOf(scope).set(name, variable.node.path);
  variable.addValidation({ condition: `\${length(var.${name}) >= ${minLength}}`, errorMessage: `The value of ${name} must have at least ${minLength} characters.` });
  return variable;
}

/**
 * A variable whose `nullable = false` survives `cdktf synth --hcl`: cdktf 0.21 drops every falsy
 * attribute from a variable's HCL (`nullable = false`, `sensitive = false`), though it writes it
 * in JSON.
 */
class RequiredVariable extends TerraformVariable {
  public synthesizeHclAttributes(): { [key: string]: any } {
    const attrs = super.synthesizeHclAttributes();
    return this.nullable === false ? { ...attrs, nullable: { value: false, type: 'simple', storageClassType: 'boolean' } } : attrs;
  }
}

/** Names Terraform reserves for variables. */
const RESERVED_VARIABLE_NAMES = ['source', 'version', 'providers', 'count', 'for_each', 'lifecycle', 'depends_on', 'locals'];
/** Variable names the secrets of each stack took, to path of the secret. */
const secretVariables = new WeakMap<TerraformStack, Map<string, string>>();

function variablesOf(scope: Construct): Map<string, string> {
  const stack = TerraformStack.of(scope);
  let names = secretVariables.get(stack);
  if (!names) {
    names = new Map();
    secretVariables.set(stack, names);
  }
  return names;
}

/** Who already declares variable `name` in the stack: another secret, or a variable made at the stack's top level. */
function variableOwner(scope: Construct, name: string): string | undefined {
  const taken = variablesOf(scope).get(name);
  if (taken) return `secret ${taken}`;
  const top = TerraformStack.of(scope).node.tryFindChild(name);
  return top instanceof TerraformVariable ? `variable ${top.node.path}` : undefined;
}

/** A secret made elsewhere, as `SecretValue.fromSecretArn` describes it: no resource. */
class ImportedSecret extends Construct implements ISecret {
  public readonly secretArn: string;
  public readonly secretName: string;
  public readonly kmsKeyArn?: string;

  constructor(scope: Construct, id: string, secretArn: string, kmsKeyArn?: string) {
    super(scope, id);
    const v = new PropsValidator(this).check(kmsKeyArn === undefined || isUnresolved(kmsKeyArn) || isArn(kmsKeyArn, 'kms'), 'kmsKeyArn', kmsKeyArn, 'is not a KMS key ARN');
    const m = /^arn:aws(-cn|-us-gov)?:secretsmanager:[a-z0-9-]+:\d{12}:secret:(.+)$/.exec(secretArn);
    if (!isUnresolved(secretArn) && !m) {
      v.check(false, 'secretArn', secretArn, 'is not a Secrets Manager secret ARN (arn:aws:secretsmanager:<region>:<account>:secret:<name>-<6 characters>)');
    } else if (m && !/^.+-[A-Za-z0-9]{6}$/.test(m[2])) {
      v.check(false, 'secretArn', secretArn, 'is a partial ARN (without the "-" and 6 characters Secrets Manager appends to the name), which IAM policies never match; give the full ARN (aws secretsmanager describe-secret --secret-id <name>)');
    }
    v.throwIfInvalid();
    this.secretArn = secretArn;
    this.secretName = secretArn.replace(/^.*:secret:/, '').replace(/-[A-Za-z0-9]{6}$/, '');
    this.kmsKeyArn = kmsKeyArn;
  }

  public grantRead(grantee: IGrantable): void {
    Relations.grant(this, grantee, 'read');
    grantee.addToPolicy({ Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: this.secretArn });
    grantKeyUse(grantee, this, false);
  }
}
