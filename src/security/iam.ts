import { Construct } from 'constructs';
import { ITerraformDependable, Lazy, TerraformResource } from 'cdktf';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { DependencyGroup } from '../core/dependencies';
import { IGrantable, PolicyCondition, PolicyStatement, assumeRolePolicy, policyDocument } from '../core/iam';
import { NameLimits, namePrefix } from '../core/naming';
import { nameTags } from '../core/tags';
import { PropsValidator } from '../core/validation';

export interface ServiceRoleProps {
  /**
   * Base of the role name. The role uses `name_prefix` (this, fitted to 37 characters, plus `-`),
   * and IAM adds a unique suffix: two copies of a stack never collide, and a replacement never
   * waits for a name.
   */
  readonly name: string;
  /** Service principal(s) that assume the role, e.g. `ecs-tasks.amazonaws.com`. */
  readonly assumedBy: string | readonly string[];
  /**
   * Condition on the trust policy (e.g. `aws:SourceAccount`, against the confused deputy).
   * @default - none
   */
  readonly trustCondition?: PolicyCondition;
  /**
   * Managed policies attached to the role.
   * @default []
   */
  readonly managedPolicyArns?: readonly string[];
  /**
   * Inline statements (more come through `addToPolicy` and the constructs' `grantXxx` methods).
   * @default []
   */
  readonly statements?: readonly PolicyStatement[];
  /**
   * Role description.
   * @default - none
   */
  readonly description?: string;
}

/**
 * An IAM role for an AWS service: trust policy, managed policy attachments and one inline policy
 * that grants collect into. Whatever runs with the role registers through `addDependent` and waits
 * for every policy, including those granted later, so nothing starts without its permissions.
 */
export class ServiceRole extends Construct implements IGrantable {
  /** The role resource. */
  public readonly resource: IamRole;
  public readonly roleArn: string;
  public readonly roleName: string;
  private readonly statements: PolicyStatement[] = [];
  private readonly policies = new DependencyGroup();
  private readonly attached = new Set<string>();
  private inlinePolicy?: IamRolePolicy;
  private readonly base: string;

  constructor(scope: Construct, id: string, props: ServiceRoleProps) {
    super(scope, id);
    new PropsValidator(this).check(props.name.length > 0, 'name', props.name, 'is empty; give the base of the role name').throwIfInvalid();
    this.base = props.name;
    this.resource = new IamRole(this, 'role', {
      namePrefix: namePrefix(props.name, NameLimits.iamRolePrefix),
      description: props.description,
      assumeRolePolicy: assumeRolePolicy(props.assumedBy, props.trustCondition),
      tags: nameTags(props.name),
      lifecycle: { createBeforeDestroy: true },
    });
    this.roleArn = this.resource.arn;
    this.roleName = this.resource.name;
    for (const arn of props.managedPolicyArns ?? []) this.addManagedPolicy(arn);
    for (const st of props.statements ?? []) this.addToPolicy(st);
  }

  /** Attaches a managed policy (once). */
  public addManagedPolicy(policyArn: string): void {
    if (this.attached.has(policyArn)) return;
    this.attached.add(policyArn);
    const short = policyArn.split('/').pop()!.replace(/[^A-Za-z0-9-]/g, '-');
    this.policies.add(new IamRolePolicyAttachment(this, `attach-${short}`, { role: this.resource.name, policyArn }));
  }

  /** Adds a statement to the role's inline policy (identical statements are kept once). */
  public addToPolicy(statement: PolicyStatement): void {
    const key = JSON.stringify(statement);
    if (this.statements.some((s) => JSON.stringify(s) === key)) return;
    this.statements.push(statement);
    if (!this.inlinePolicy) {
      this.inlinePolicy = new IamRolePolicy(this, 'policy', {
        name: `${this.base.slice(0, 100)}-permissions`,
        role: this.resource.id,
        policy: Lazy.stringValue({ produce: () => policyDocument(this.statements) }),
      });
      this.policies.add(this.inlinePolicy);
    }
  }

  /** The statements of the inline policy so far. */
  public get policyStatements(): readonly PolicyStatement[] {
    return this.statements;
  }

  /** The policy resources (attachments and inline policy) so far. */
  public get policyResources(): readonly ITerraformDependable[] {
    return this.policies.all;
  }

  /** Makes `resource` wait for every policy of the role, present and future. */
  public addDependent(resource: TerraformResource): void {
    this.policies.addDependent(resource);
  }
}
