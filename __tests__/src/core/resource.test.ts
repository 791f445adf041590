/**
 * The library's convention (src/core/aws-stack.ts): a construct's main provider resource is its
 * `resource`. The constructs whose own tests do not check it are checked here.
 */
import { AppautoscalingTarget } from '@cdktf/provider-aws/lib/appautoscaling-target';
import { BackupPlan as BackupPlanResource } from '@cdktf/provider-aws/lib/backup-plan';
import { BudgetsBudget } from '@cdktf/provider-aws/lib/budgets-budget';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { DynamodbTable } from '@cdktf/provider-aws/lib/dynamodb-table';
import { EcsTaskDefinition } from '@cdktf/provider-aws/lib/ecs-task-definition';
import { IamInstanceProfile } from '@cdktf/provider-aws/lib/iam-instance-profile';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { LbTargetGroup } from '@cdktf/provider-aws/lib/lb-target-group';
import { Route53Record } from '@cdktf/provider-aws/lib/route53-record';
import { SecurityGroup as SecurityGroupResource } from '@cdktf/provider-aws/lib/security-group';
import { SqsQueue } from '@cdktf/provider-aws/lib/sqs-queue';
import { Wafv2WebAcl } from '@cdktf/provider-aws/lib/wafv2-web-acl';
import { ServiceAutoscaling } from '../../../src/compute/autoscaling';
import { TaskDefinition } from '../../../src/compute/ecs-service';
import { InstanceRole } from '../../../src/compute/instance-types';
import { BackupPlan } from '../../../src/data/backup';
import { Queue } from '../../../src/data/queue';
import { Table } from '../../../src/data/table';
import { ApplicationLoadBalancer } from '../../../src/edge/alb';
import { AliasRecord, loadBalancerAliasTarget } from '../../../src/edge/certificate';
import { WebAcl } from '../../../src/edge/waf';
import { SecurityGroup } from '../../../src/network/security-group';
import { CostBudget } from '../../../src/observability/budget';
import { LogGroup } from '../../../src/observability/logs';
import { GithubDeployRole } from '../../../src/security/cicd';
import { ServiceRole } from '../../../src/security/iam';
import { EncryptionKey } from '../../../src/security/kms';
import { EXISTING_VPC, existingVpc, synthConstructs } from '../../helpers/synth';

describe('the main provider resource of a construct is its resource', () => {
  it.each<[string, (scope: Parameters<Parameters<typeof synthConstructs>[0]>[0]) => { resource: unknown }, new (...args: any[]) => unknown]>([
    ['SecurityGroup', (s) => new SecurityGroup(s, 'x', { name: 'x', description: 'x', vpcId: EXISTING_VPC.vpcId }), SecurityGroupResource],
    ['TargetGroup', (s) => new ApplicationLoadBalancer(s, 'alb', { namePrefix: 'x', vpc: existingVpc(s) }).addTargetGroup('x', { name: 'x', port: 80 }), LbTargetGroup],
    ['ServiceAutoscaling', (s) => new ServiceAutoscaling(s, 'x', { clusterName: 'c', serviceName: 's', minCapacity: 1, maxCapacity: 2 }), AppautoscalingTarget],
    ['InstanceRole (its instance profile)', (s) => new InstanceRole(s, 'x', { name: 'x' }), IamInstanceProfile],
    [
      'TaskDefinition',
      (s) => {
        const task = new TaskDefinition(s, 'x', { family: 'x' });
        task.addContainer({ name: 'app', image: 'nginx:1', logGroup: new LogGroup(s, 'logs', { name: 'x' }) });
        return task;
      },
      EcsTaskDefinition,
    ],
    ['Queue', (s) => new Queue(s, 'x', { queueName: 'x' }), SqsQueue],
    ['Table', (s) => new Table(s, 'x', { tableName: 'xyz', partitionKey: { name: 'id', type: 'S' } }), DynamodbTable],
    ['BackupPlan', (s) => new BackupPlan(s, 'x', { name: 'xy', kmsKey: new EncryptionKey(s, 'key', { alias: 'x', description: 'x' }), resourceArns: ['arn:aws:s3:::xyz'] }), BackupPlanResource],
    ['AliasRecord (its A record)', (s) => new AliasRecord(s, 'x', { hostedZoneId: 'Z0123456789ABCDEFGHIJ', recordName: 'x.example.com', target: loadBalancerAliasTarget({ dnsName: 'x.elb.amazonaws.com', zoneId: 'Z32O12XQLNTSW2' }) }), Route53Record],
    ['WebAcl', (s) => new WebAcl(s, 'x', { name: 'x' }), Wafv2WebAcl],
    ['GithubDeployRole', (s) => new GithubDeployRole(s, 'x', { roleName: 'x', repository: 'acme/x' }), IamRole],
    ['ServiceRole', (s) => new ServiceRole(s, 'x', { name: 'x', assumedBy: 'ecs-tasks.amazonaws.com' }), IamRole],
    ['EncryptionKey', (s) => new EncryptionKey(s, 'x', { alias: 'x', description: 'x' }), KmsKey],
    ['CostBudget', (s) => new CostBudget(s, 'x', { name: 'x', limitUsd: 10, emailSubscribers: ['ops@example.com'] }), BudgetsBudget],
    ['LogGroup', (s) => new LogGroup(s, 'x', { name: 'x' }), CloudwatchLogGroup],
  ])('%s', (_name, make, type) => {
    let construct!: { resource: unknown };
    synthConstructs((stack) => {
      construct = make(stack);
    });
    expect(construct.resource).toBeInstanceOf(type);
  });
});
