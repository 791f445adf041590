/**
 * The tenth change: what the real provider does to a deployed service when the code changes,
 * planned offline against a state seeded from the first plan (helpers/changes.ts).
 *
 * - A capacity provider strategy change is an in-place update with a new deployment (the service
 *   sets `force_new_deployment`); under provider 5.x without it, the service is destroyed and
 *   created again (shown here on a service with the flag turned off).
 * - A changed security group description or target group port replaces those resources
 *   create-first (`create_before_destroy` + `name_prefix`): no name clash, and the service is
 *   never left without a group.
 * - `npm run plan -- <stack> --from ...` (`previewChange`) shows a settings change to a deployed
 *   stack, and its summary names the image tag it deploys and the data it would lose.
 */
import { AwsStack } from '../../src/core/aws-stack';
import { ApplicationLoadBalancer } from '../../src/edge/alb';
import { EcsCluster } from '../../src/compute/ecs-cluster';
import { EcsService } from '../../src/compute/ecs-service';
import { LogGroup } from '../../src/observability/logs';
import { SecurityGroup } from '../../src/network/security-group';
import { Vpc } from '../../src/network/vpc';
import { summarizePlan } from '../../tools/terraform/plan';
import { previewChange, previewSummary } from '../../tools/terraform/preview';
import { planChange } from '../helpers/changes';
import { buildStack, testStack } from '../helpers/synth';
import { describeWithTerraform, writeStack } from '../helpers/terraform';

interface Variant {
  readonly spot: boolean;
  readonly description: string;
  readonly port: number;
}

function system(v: Variant): AwsStack {
  const stack = testStack();
  const vpc = new Vpc(stack, 'vpc', { namePrefix: 'shop', availabilityZones: ['eu-west-1a', 'eu-west-1b'], natGateways: 'single' });
  const cluster = new EcsCluster(stack, 'cluster', { clusterName: 'shop' });
  const alb = new ApplicationLoadBalancer(stack, 'alb', { namePrefix: 'shop', vpc, deletionProtection: false });
  const logs = new LogGroup(stack, 'logs', { name: '/ecs/shop' });
  const strategy = v.spot
    ? [
        { capacityProvider: 'FARGATE_SPOT', weight: 3 },
        { capacityProvider: 'FARGATE', weight: 1, base: 1 },
      ]
    : [{ capacityProvider: 'FARGATE', weight: 1, base: 1 }];
  // The same service without force_new_deployment, as provider 5.x users usually write it.
  const legacy = new EcsService(stack, 'legacy', { serviceName: 'shop-legacy', cluster, vpc, logGroup: logs, image: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/api:1', capacityProviderStrategy: strategy });
  legacy.resource.forceNewDeployment = false;
  new EcsService(stack, 'api', {
    serviceName: 'shop-api',
    cluster,
    vpc,
    logGroup: logs,
    image: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/api:1',
    containerPort: v.port,
    loadBalancer: { alb, route: 'default' },
    capacityProviderStrategy: strategy,
  });
  new SecurityGroup(stack, 'extra', { name: 'shop-extra', description: v.description, vpcId: vpc.vpcId });
  return stack;
}

describeWithTerraform('changes to a deployed stack', () => {
  it('updates the service in place on a new strategy, and replaces security and target groups create-first', async () => {
    const base = { spot: false, description: 'Extra', port: 8000 };
    const plan = await planChange(system(base), system({ spot: true, description: 'Extra access', port: 8080 }));
    const byType = (type: string) => Object.entries(plan.actions).filter(([a]) => a.startsWith(`${type}.`));
    // With force_new_deployment (what EcsService writes): in place. Without: replaced, and as the
    // name is fixed, destroyed first: the service is down until the new one runs.
    expect(Object.fromEntries(byType('aws_ecs_service').map(([a, action]) => [a.split('.')[1].split('_')[0], action]))).toEqual({ api: 'update', legacy: 'replace' });
    expect(plan.replaceOrder[byType('aws_ecs_service').find(([a]) => a.includes('legacy'))![0]]).toBe('destroy-first');
    const replaced = Object.entries(plan.actions).filter(([, a]) => a === 'replace').map(([address]) => address);
    const extraSg = replaced.find((a) => a.startsWith('aws_security_group.extra_'))!;
    const targetGroup = replaced.find((a) => a.startsWith('aws_lb_target_group.'))!;
    expect(plan.replaceOrder[extraSg]).toBe('create-first');
    expect(plan.replaceOrder[targetGroup]).toBe('create-first');
    // Only rules and the task definition (a new revision) are replaced destroy-first; no group,
    // target group or service goes before its successor exists.
    const destroyFirst = Object.entries(plan.replaceOrder).filter(([, o]) => o === 'destroy-first').map(([a]) => a.split('.')[0]);
    expect([...new Set(destroyFirst)].sort()).toEqual(['aws_ecs_service', 'aws_ecs_task_definition', 'aws_vpc_security_group_egress_rule']);
    // The only deletion: the ingress rule of the old port (the new port's rule is created).
    expect(Object.entries(plan.actions).filter(([, a]) => a === 'destroy').map(([addr]) => addr.split('.')[0])).toEqual(['aws_vpc_security_group_ingress_rule']);
  });

  it('previews a settings change of a stack against the state its former settings leave, naming the image tag and the data lost', async () => {
    const stack = (settings: Record<string, unknown>) => writeStack(buildStack('ai-predictor', { stacks: { 'ai-predictor': settings } }, undefined, true), 'json').dir;
    const run = await previewChange(stack({}), stack({ imageTag: 'a1b2c3d', s3: { filesBucketName: 'acme-predictor-uploads' } }));
    const summary = summarizePlan(run.plan!);
    // The new image is a new task definition revision the service moves to; the renamed bucket is a
    // new bucket, with new settings of its own.
    expect(Object.entries(summary.actions).filter(([, kind]) => kind === 'replace').map(([address]) => address.split('.')[0]).filter((type) => !type.startsWith('aws_s3_bucket_')).sort()).toEqual(['aws_ecs_task_definition', 'aws_s3_bucket']);
    expect(previewSummary(run.plan!, summary)).toEqual([
      'image tags: none -> a1b2c3d (backend)',
      `stateful resources replaced or destroyed (data lost): ${Object.keys(summary.actions).find((a) => a.startsWith('aws_s3_bucket.files_'))} (replace destroy-first)`,
      'serving resources destroyed or replaced destroy-first (traffic fails meanwhile): none',
    ]);
    expect(run.stdout).toContain('~ image_tag   = "none" -> "a1b2c3d"');
  });
});
