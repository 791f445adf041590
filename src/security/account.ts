/**
 * `AccountBaseline`: what the stacks assume an account (and region) already has, made once, each
 * piece optional and each adoptable when it exists already. A fresh account lacks some of it, and
 * the first apply of a stack then fails half-way:
 *
 * - Service-linked roles. ECS creates its own on first use, except that an ECS capacity provider
 *   (an Auto Scaling Group of GPU instances) created before ECS was ever used fails with "ECS
 *   Service Linked Role does not exist"; EC2 creates the Spot role only from the console, so spot
 *   instances launched through the API fail without it. Auto Scaling and Batch create theirs, given
 *   `iam:CreateServiceLinkedRole`; making them here is for accounts where deployers lack it.
 * - API Gateway's account CloudWatch Logs role, per region: without it a REST API stage with access
 *   logs fails with "CloudWatch Logs role ARN must be set in account settings".
 * - Cost allocation tags: a budget filtering on a tag counts only once the tag is activated in
 *   Billing (in the management account of an Organization), and a tag can be activated only once
 *   billed usage carries it (up to 24 hours after the first resource is tagged).
 *
 * An existing role is adopted with a Terraform `import` block (Terraform 1.5+, credentials to
 * plan) instead of failing with "has been taken in this account".
 */
import { Construct } from 'constructs';
import { IamServiceLinkedRole } from '@cdktf/provider-aws/lib/iam-service-linked-role';
import { ApiGatewayAccount } from '@cdktf/provider-aws/lib/api-gateway-account';
import { CeCostAllocationTag } from '@cdktf/provider-aws/lib/ce-cost-allocation-tag';
import { AwsStack } from '../core/aws-stack';
import { PropsValidator } from '../core/validation';
import { ServiceRole } from './iam';

/** The service-linked roles the library's constructs can need, by the service's short name. */
const SERVICE_LINKED_ROLES = {
  ecs: { service: 'ecs.amazonaws.com', role: 'AWSServiceRoleForECS' },
  spot: { service: 'spot.amazonaws.com', role: 'AWSServiceRoleForEC2Spot' },
  autoscaling: { service: 'autoscaling.amazonaws.com', role: 'AWSServiceRoleForAutoScaling' },
  batch: { service: 'batch.amazonaws.com', role: 'AWSServiceRoleForBatch' },
} as const;
export type ServiceLinkedRoleName = keyof typeof SERVICE_LINKED_ROLES;

/** Make a piece (`create`), take over the one that exists (`adopt`), or leave it (unset). */
export type AccountPiece = 'create' | 'adopt';

export interface AccountBaselineProps {
  /** Service-linked roles to make or adopt. @default - none */
  readonly serviceLinkedRoles?: Partial<Record<ServiceLinkedRoleName, AccountPiece>>;
  /**
   * API Gateway's CloudWatch Logs role for this region (a role, and the account setting pointing
   * at it). The setting stays when the stack is destroyed: APIs of other stacks keep logging.
   * @default - none
   */
  readonly apiGatewayCloudWatchRole?: boolean;
  /** Tag keys to activate as cost allocation tags (each must already be on billed usage). @default [] */
  readonly costAllocationTags?: readonly string[];
}

/** Service-linked roles, the API Gateway logging role and cost allocation tags of an account. */
export class AccountBaseline extends Construct {
  public readonly serviceLinkedRoles: Partial<Record<ServiceLinkedRoleName, IamServiceLinkedRole>> = {};
  public readonly apiGatewayRole?: ServiceRole;

  constructor(scope: Construct, id: string, props: AccountBaselineProps) {
    super(scope, id);
    const stack = AwsStack.of(this);
    const v = new PropsValidator(this);
    for (const [name, piece] of Object.entries(props.serviceLinkedRoles ?? {})) {
      v.check(name in SERVICE_LINKED_ROLES, `serviceLinkedRoles.${name}`, name, `is not a service-linked role the library knows; allowed: ${Object.keys(SERVICE_LINKED_ROLES).join(', ')}`);
      v.oneOf(`serviceLinkedRoles.${name}`, piece, ['create', 'adopt'] as const);
    }
    for (const [i, key] of (props.costAllocationTags ?? []).entries()) v.check(/^[\p{L}\p{N}\s_.:/=+@-]{1,128}$/u.test(key) && !key.startsWith('aws:'), `costAllocationTags[${i}]`, key, 'is not a tag key you can activate (1-128 letters, digits, spaces and _.:/=+@-, not starting with "aws:")');
    v.throwIfInvalid();

    for (const [name, piece] of Object.entries(props.serviceLinkedRoles ?? {}) as [ServiceLinkedRoleName, AccountPiece][]) {
      const spec = SERVICE_LINKED_ROLES[name];
      const role = new IamServiceLinkedRole(this, `slr-${name}`, { awsServiceName: spec.service });
      if (piece === 'adopt') role.importFrom(`arn:aws:iam::${stack.accountId}:role/aws-service-role/${spec.service}/${spec.role}`);
      this.serviceLinkedRoles[name] = role;
    }
    if (props.apiGatewayCloudWatchRole) {
      this.apiGatewayRole = new ServiceRole(this, 'apigateway-logs', {
        name: `apigateway-cloudwatch-${stack.region}`,
        assumedBy: 'apigateway.amazonaws.com',
        managedPolicyArns: ['arn:aws:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs'],
        description: `API Gateway writes access and execution logs of the APIs in ${stack.region}`,
      });
      const account = new ApiGatewayAccount(this, 'apigateway-account', { cloudwatchRoleArn: this.apiGatewayRole.roleArn, resetOnDelete: false });
      this.apiGatewayRole.addDependent(account);
    }
    for (const key of props.costAllocationTags ?? []) new CeCostAllocationTag(this, `cost-tag-${key.replace(/[^A-Za-z0-9_-]/g, '-')}`, { tagKey: key, status: 'Active' });
  }
}
