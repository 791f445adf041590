/**
 * Reading a plan from Terraform's JSON plan (`terraform show -json`, tools/terraform/plan.ts): the
 * counts, the action of each address, and the order of each replacement. The real plans are in
 * __tests__/terraform (stacks.test.ts, changes.test.ts).
 */
import { PlanAction, PlanJson, ResourceChange, changeKind, summarizePlan } from '../../tools/terraform/plan';

function change(address: string, actions: PlanAction[], extra: Partial<ResourceChange> = {}): ResourceChange {
  const [type, name] = address.replace(/^data\./, '').split('.');
  return { address, mode: address.startsWith('data.') ? 'data' : 'managed', type, name, change: { actions, before: null, after: {} }, ...extra };
}

const PLAN: PlanJson = {
  format_version: '1.2',
  resource_changes: [
    change('aws_s3_bucket.new', ['create']),
    change('aws_ecs_service.api', ['update']),
    change('aws_ecs_service.legacy', ['delete', 'create']),
    change('aws_security_group.extra', ['create', 'delete']),
    change('aws_vpc_security_group_ingress_rule.old', ['delete']),
    change('aws_iam_role.same', ['no-op']),
    change('aws_kms_key.kept', ['forget']),
    change('data.aws_iam_policy_document.late', ['read']),
    change('aws_security_group.extra', ['delete'], { deposed: '00000001' }),
  ],
};

describe('summarizePlan', () => {
  const plan = summarizePlan(PLAN);

  it('counts what the plan creates, updates, replaces and destroys', () => {
    expect({ create: plan.create, update: plan.update, replace: plan.replace, destroy: plan.destroy }).toEqual({ create: 1, update: 1, replace: 2, destroy: 1 });
  });

  it('gives the action of every address it changes or reads, and nothing for no-op, forget or deposed objects', () => {
    expect(plan.actions).toEqual({
      'aws_s3_bucket.new': 'create',
      'aws_ecs_service.api': 'update',
      'aws_ecs_service.legacy': 'replace',
      'aws_security_group.extra': 'replace',
      'aws_vpc_security_group_ingress_rule.old': 'destroy',
      'data.aws_iam_policy_document.late': 'read',
    });
  });

  it('tells a destroy-first replacement from a create-first one by the order of its actions', () => {
    expect(plan.replaceOrder).toEqual({ 'aws_ecs_service.legacy': 'destroy-first', 'aws_security_group.extra': 'create-first' });
  });

  it('keeps the resource changes as Terraform wrote them', () => {
    expect(plan.changes).toBe(PLAN.resource_changes);
    expect(summarizePlan({ format_version: '1.2' })).toMatchObject({ create: 0, actions: {}, changes: [] });
  });

  it('refuses actions it does not know rather than miscount them', () => {
    expect(() => changeKind(['delete', 'update' as PlanAction])).toThrow(/unknown Terraform plan actions \["delete","update"\]/);
  });
});
