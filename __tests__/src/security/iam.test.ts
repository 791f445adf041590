import { EcsCluster as EcsClusterResource } from '@cdktf/provider-aws/lib/ecs-cluster';
import { ServiceRole } from '../../../src/security/iam';
import { allOf, countOf, errorOf, onlyOf, resourcesOf, statementsOf, synthConstructs } from '../../helpers/synth';

describe('ServiceRole', () => {
  it('trusts the service (with a condition when given), is named by prefix, attaches managed policies once and keeps one inline policy', () => {
    const { json } = synthConstructs((stack) => {
      const role = new ServiceRole(stack, 'role', {
        name: 'shop-api-task',
        assumedBy: 'ecs-tasks.amazonaws.com',
        trustCondition: { StringEquals: { 'aws:SourceAccount': '123456789012' } },
        managedPolicyArns: ['arn:aws:iam::aws:policy/AWSXRayDaemonWriteAccess'],
      });
      role.addManagedPolicy('arn:aws:iam::aws:policy/AWSXRayDaemonWriteAccess');
      role.addToPolicy({ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' });
      role.addToPolicy({ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' });
      role.addToPolicy({ Effect: 'Allow', Action: 'sqs:SendMessage', Resource: 'arn:aws:sqs:eu-west-1:123456789012:q' });
    });
    const role = onlyOf(json, 'aws_iam_role');
    expect(role).toMatchObject({ name_prefix: 'shop-api-task-', lifecycle: { create_before_destroy: true }, tags: { Name: 'shop-api-task' } });
    expect(statementsOf(role, 'assume_role_policy')).toEqual([
      { Effect: 'Allow', Principal: { Service: 'ecs-tasks.amazonaws.com' }, Action: 'sts:AssumeRole', Condition: { StringEquals: { 'aws:SourceAccount': '123456789012' } } },
    ]);
    expect(countOf(json, 'aws_iam_role_policy_attachment')).toBe(1);
    const policy = onlyOf(json, 'aws_iam_role_policy');
    expect(policy.name).toBe('shop-api-task-permissions');
    expect(statementsOf(policy).map((s) => s.Action)).toEqual(['s3:GetObject', 'sqs:SendMessage']);
  });

  it('makes its users wait for every policy, including those granted after them', () => {
    const { json } = synthConstructs((stack) => {
      const role = new ServiceRole(stack, 'role', { name: 'r', assumedBy: 'lambda.amazonaws.com', managedPolicyArns: ['arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole'] });
      const user = new EcsClusterResource(stack, 'user', { name: 'user' });
      role.addDependent(user);
      role.addToPolicy({ Effect: 'Allow', Action: 'logs:PutLogEvents', Resource: '*' });
    });
    const expected = [...resourcesOf(json, 'aws_iam_role_policy_attachment'), ...resourcesOf(json, 'aws_iam_role_policy')].map(([id]) => id);
    expect(onlyOf(json, 'aws_ecs_cluster').depends_on.map((d: string) => d.split('.')[1]).sort()).toEqual(expected.sort());
    expect(allOf(json, 'aws_iam_role')).toHaveLength(1);
  });

  it('fits a long name into the 38 characters IAM allows a prefix', () => {
    const { json } = synthConstructs((stack) => new ServiceRole(stack, 'role', { name: 'nutrition-video-analysis-production-nutrition-rag', assumedBy: 'lambda.amazonaws.com' }));
    const prefix = onlyOf(json, 'aws_iam_role').name_prefix as string;
    expect(prefix.length).toBeLessThanOrEqual(38);
    expect(prefix.endsWith('-')).toBe(true);
    expect(errorOf(() => synthConstructs((stack) => new ServiceRole(stack, 'role', { name: '', assumedBy: 'x' })))).toBe('test/role: name: "" is empty; give the base of the role name');
  });
});
