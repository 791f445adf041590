import { TerraformStack } from 'cdktf';
import { Eip } from '@cdktf/provider-aws/lib/eip';
import { NatGateway } from '@cdktf/provider-aws/lib/nat-gateway';
import { Lb } from '@cdktf/provider-aws/lib/lb';
import { EcsCluster as EcsClusterResource } from '@cdktf/provider-aws/lib/ecs-cluster';
import { EcsTaskDefinition } from '@cdktf/provider-aws/lib/ecs-task-definition';
import { EcsService } from '@cdktf/provider-aws/lib/ecs-service';
import { AppautoscalingTarget } from '@cdktf/provider-aws/lib/appautoscaling-target';
import { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import { AwsStack } from '../../src/core/aws-stack';
import { EcsCluster } from '../../src/compute/ecs-cluster';
import { LambdaFunction, bootstrapCodePath } from '../../src/compute/lambda';
import { Vpc } from '../../src/network/vpc';
import { BackupPlan } from '../../src/data/backup';
import { CostBudget } from '../../src/observability/budget';
import { RedisCache } from '../../src/data/cache';
import { DnsValidatedCertificate } from '../../src/edge/certificate';
import { GithubDeployRole } from '../../src/security/cicd';
import { EncryptionKey } from '../../src/security/kms';
import { SecureBucket } from '../../src/data/bucket';
import { SharedFileSystem } from '../../src/data/efs';
import { WebAcl } from '../../src/edge/waf';
import { Assumptions, CostLine, DEFAULT_ASSUMPTIONS, Estimate, FREE_RESOURCE_TYPES, PRICED_RESOURCE_TYPES, PRICERS, estimate, weeklyCapacity } from '../../tools/cost/estimate';
import { StackModel } from '../../tools/model';
import { PRICES, PRICES_AS_OF, priceEntries } from '../../tools/cost/prices';
import { Synthesized, TEST_REGION, buildStack, existingVpc, synth, testApp, testStack } from '../helpers/synth';

const P = PRICES[TEST_REGION];
const H = 730;

/** Builds resources in a scratch stack (eu-west-1) and estimates it. */
function estimateOf(build: (stack: AwsStack) => void, assumptions: Partial<Assumptions> = {}): Estimate {
  const stack = testStack();
  build(stack);
  return estimate(synth(stack).json, { assumptions });
}

function lineOf(e: Estimate, item: string | RegExp): CostLine {
  const found = e.lines.filter((l) => (typeof item === 'string' ? l.item === item : item.test(l.item)));
  if (found.length !== 1) throw new Error(`expected one line ${item}, found ${found.length}: ${e.lines.map((l) => l.item).join(', ')}`);
  return found[0];
}

/** A Fargate service of `cpu`/`memory` with an autoscaling range and a capacity provider strategy, from raw provider resources. */
function fargateService(stack: AwsStack, opts: { cpu: string; memory: string; min?: number; max?: number; desired?: number; strategy: { capacityProvider: string; weight: number; base?: number }[] }) {
  const cluster = new EcsClusterResource(stack, 'cluster', { name: 'demo' });
  const td = new EcsTaskDefinition(stack, 'td', {
    family: 'api',
    cpu: opts.cpu,
    memory: opts.memory,
    networkMode: 'awsvpc',
    requiresCompatibilities: ['FARGATE'],
    containerDefinitions: JSON.stringify([{ name: 'api', image: 'nginx', essential: true }]),
  });
  const service = new EcsService(stack, 'service', {
    name: 'api',
    cluster: cluster.arn,
    taskDefinition: td.arn,
    desiredCount: opts.desired ?? opts.min ?? 0,
    capacityProviderStrategy: opts.strategy,
    networkConfiguration: { subnets: ['subnet-a', 'subnet-b'] },
  });
  if (opts.min !== undefined) {
    new AppautoscalingTarget(stack, 'target', {
      serviceNamespace: 'ecs',
      scalableDimension: 'ecs:service:DesiredCount',
      resourceId: `service/${cluster.name}/${service.name}`,
      minCapacity: opts.min,
      maxCapacity: opts.max ?? opts.min,
    });
  }
}


/** artwork-matcher-production with its images (services running), synthesized once for the file. */
let runningProductionJson: Synthesized | undefined;
function runningProduction(): Synthesized {
  runningProductionJson ??= synth(buildStack<TerraformStack>('artwork-matcher-production', { stacks: { 'artwork-matcher-production': { imageTag: 'v1' } } }, testApp(), true)).json;
  return runningProductionJson;
}

describe('cost estimate arithmetic', () => {
  it('prices 1 NAT gateway, an internet-facing ALB in 2 subnets and a 256/512 Fargate service scaling 2..4 half on Spot', () => {
    const e = estimateOf(
      (stack) => {
        const eip = new Eip(stack, 'nat-eip', { domain: 'vpc' });
        new NatGateway(stack, 'nat', { allocationId: eip.id, subnetId: 'subnet-a' });
        new Lb(stack, 'alb', { name: 'demo', loadBalancerType: 'application', internal: false, subnets: ['subnet-a', 'subnet-b'] });
        fargateService(stack, { cpu: '256', memory: '512', min: 2, max: 4, strategy: [{ capacityProvider: 'FARGATE', weight: 1 }, { capacityProvider: 'FARGATE_SPOT', weight: 1 }] });
      },
      { natGbPerGateway: 100, albLcuPerHour: 1, hoursPerMonth: H },
    );
    const fixed =
      P.natGatewayHour.usd * H + // the NAT gateway
      100 * P.natGatewayGb.usd + // its data processing
      3 * P.publicIpv4Hour.usd * H + // its Elastic IP and the ALB's two public addresses
      P.albHour.usd * H + // the ALB
      1 * H * P.albLcuHour.usd; // its capacity units
    const task = (0.25 * P.fargate.vcpuHour.usd + 0.5 * P.fargate.gbHour.usd) * H;
    const spotTask = (0.25 * P.fargate.spotVcpuHour.usd + 0.5 * P.fargate.spotGbHour.usd) * H;

    expect(e.region).toBe('eu-west-1');
    expect(e.unpriced).toEqual([]);
    expect(e.floor).toBeCloseTo(fixed + 1 * task + 1 * spotTask, 6);
    expect(e.ceiling).toBeCloseTo(fixed + 2 * task + 2 * spotTask, 6);
    expect(lineOf(e, 'Public IPv4 addresses').quantity).toEqual({ floor: 3, ceiling: 3 });
    expect(lineOf(e, 'ECS api: Fargate').quantity).toEqual({ floor: 1, ceiling: 2 });
    expect(lineOf(e, 'ECS api: Fargate Spot').quantity).toEqual({ floor: 1, ceiling: 2 });
    expect(lineOf(e, 'ECS api: Fargate Spot').unitPrice).toBeCloseTo(spotTask, 9);
    // Every line is its quantity times its unit price, and the totals are the sums of the lines.
    for (const l of e.lines) {
      expect(l.floor).toBeCloseTo(l.quantity.floor * l.unitPrice, 9);
      expect(l.ceiling).toBeCloseTo(l.quantity.ceiling * l.unitPrice, 9);
    }
    expect(e.floor).toBeCloseTo(e.lines.reduce((n, l) => n + l.floor, 0), 9);
  });

  it('places the base tasks first on the provider with the base, the rest by weight', () => {
    const e = estimateOf((stack) =>
      fargateService(stack, { cpu: '1024', memory: '2048', min: 1, max: 11, strategy: [{ capacityProvider: 'FARGATE_SPOT', weight: 80 }, { capacityProvider: 'FARGATE', weight: 20, base: 1 }] }),
    );
    expect(lineOf(e, 'ECS api: Fargate').quantity).toEqual({ floor: 1, ceiling: 1 + 10 * 0.2 });
    expect(lineOf(e, 'ECS api: Fargate Spot').quantity).toEqual({ floor: 0, ceiling: 10 * 0.8 });
  });

  it('uses the desired count without autoscaling, and a service waiting at 0 tasks costs nothing', () => {
    const three = estimateOf((stack) => fargateService(stack, { cpu: '512', memory: '1024', desired: 3, strategy: [{ capacityProvider: 'FARGATE', weight: 1 }] }));
    expect(lineOf(three, 'ECS api: Fargate').quantity).toEqual({ floor: 3, ceiling: 3 });
    const waiting = estimateOf((stack) => fargateService(stack, { cpu: '512', memory: '1024', min: 0, max: 0, strategy: [{ capacityProvider: 'FARGATE', weight: 1 }] }));
    expect(lineOf(waiting, 'ECS api: Fargate')).toMatchObject({ floor: 0, ceiling: 0 });
  });

  describe('a GPU Auto Scaling Group (1..3 g4dn.xlarge, 50 GB gp3 root)', () => {
    const gpuAsg = (spot: boolean) =>
      estimateOf((stack) => {
        const cluster = new EcsCluster(stack, 'cluster', { clusterName: 'demo' });
        cluster.addAsgCapacityProvider('gpu', {
          name: 'demo-gpu',
          vpc: existingVpc(stack),
          instanceTypes: ['g4dn.xlarge'],
          gpu: true,
          amiId: 'ami-0123456789abcdef0',
          minSize: 1,
          maxSize: 3,
          spot: spot ? { onDemandBaseCapacity: 0 } : undefined,
        });
      });
    const instance = P.ec2Hour['g4dn.xlarge'].usd * H;
    const disk = 50 * P.ebs.gp3.usd;

    it('on-demand: min and max instances at the on-demand rate, plus their root volumes', () => {
      const e = gpuAsg(false);
      expect(e.unpriced).toEqual([]);
      expect(lineOf(e, 'ASG demo-gpu: g4dn.xlarge on-demand')).toMatchObject({ quantity: { floor: 1, ceiling: 3 }, floor: instance, ceiling: 3 * instance });
      expect(e.lines.some((l) => / spot$/.test(l.item))).toBe(false);
      expect(lineOf(e, 'ASG demo-gpu: EBS gp3').quantity).toEqual({ floor: 50, ceiling: 150 });
      expect(e.floor).toBeCloseTo(instance + disk, 6);
      expect(e.ceiling).toBeCloseTo(3 * (instance + disk), 6);
    });

    it('spot: every instance at the assumed g4dn discount', () => {
      const e = gpuAsg(true);
      const discount = DEFAULT_ASSUMPTIONS.spotDiscount.g4dn;
      expect(discount).toBeGreaterThanOrEqual(0.6);
      expect(lineOf(e, 'ASG demo-gpu: g4dn.xlarge on-demand').quantity).toEqual({ floor: 0, ceiling: 0 });
      expect(lineOf(e, 'ASG demo-gpu: g4dn.xlarge spot').quantity).toEqual({ floor: 1, ceiling: 3 });
      expect(e.floor).toBeCloseTo(instance * (1 - discount) + disk, 6);
      expect(e.ceiling).toBeCloseTo(3 * (instance * (1 - discount) + disk), 6);
      expect(e.ceiling).toBeLessThan(gpuAsg(false).ceiling);
    });
  });

  it('charges an interface endpoint once per zone it has a subnet in', () => {
    const endpoints = (zones: number) =>
      estimateOf((stack) => {
        new Vpc(stack, 'vpc', { namePrefix: 'demo', availabilityZones: ['eu-west-1a', 'eu-west-1b'], natGateways: 'none', interfaceEndpoints: ['logs'], interfaceEndpointZones: zones });
      });
    const one = endpoints(1);
    const two = endpoints(2);
    expect(one.unpriced).toEqual([]);
    expect(lineOf(one, 'Interface endpoints')).toMatchObject({ quantity: { floor: 1, ceiling: 1 }, unitPrice: P.interfaceEndpointAzHour.usd * H });
    expect(lineOf(two, 'Interface endpoints').quantity).toEqual({ floor: 2, ceiling: 2 });
    expect(two.floor - one.floor).toBeCloseTo(P.interfaceEndpointAzHour.usd * H, 6);
  });

  it('makes provisioned concurrency an always-on floor cost: GB-seconds of provisioned memory per month', () => {
    const lambda = (provisionedConcurrency?: number) =>
      estimateOf((stack) => {
        new LambdaFunction(stack, 'fn', { functionName: 'upload', runtime: 'python3.12', handler: 'index.handler', code: { assetPath: bootstrapCodePath('python3.12') }, memoryMiB: 1024, provisionedConcurrency });
      });
    const withPc = lambda(2);
    expect(withPc.unpriced).toEqual([]);
    const pc = lineOf(withPc, 'Lambda upload: provisioned concurrency');
    const provisioned = 1 * 2 * H * 3600 * P.lambda.provisionedGbSecond.usd;
    expect(pc).toMatchObject({ quantity: { floor: 2 * H * 3600, ceiling: 2 * H * 3600 } });
    expect(pc.floor).toBeCloseTo(provisioned, 6);
    expect(pc.ceiling).toBeCloseTo(provisioned, 6);
    const without = lambda(undefined);
    expect(without.lines.some((l) => /provisioned/.test(l.item))).toBe(false);
    // Invocations served by provisioned concurrency pay the lower duration rate.
    const gbSeconds = 1 * DEFAULT_ASSUMPTIONS.lambdaInvocationsPerFunction * (DEFAULT_ASSUMPTIONS.lambdaAvgDurationMs / 1000);
    expect(withPc.floor - without.floor).toBeCloseTo(provisioned + gbSeconds * (P.lambda.provisionedDurationGbSecond.usd - P.lambda.gbSecond.usd), 6);
  });

  it('bills a metric-math alarm per metric it reads, a standard alarm once, a dashboard $3', () => {
    const e = estimateOf((stack) => {
      new CloudwatchMetricAlarm(stack, 'plain', { alarmName: 'plain', comparisonOperator: 'GreaterThanThreshold', evaluationPeriods: 1, metricName: 'CPUUtilization', namespace: 'AWS/ECS', period: 60, statistic: 'Average', threshold: 90 });
      new CloudwatchMetricAlarm(stack, 'math', {
        alarmName: 'math',
        comparisonOperator: 'GreaterThanThreshold',
        evaluationPeriods: 1,
        threshold: 0,
        metricQuery: [
          { id: 'e', expression: 'a - b', returnData: true },
          { id: 'a', metric: { metricName: 'DesiredTaskCount', namespace: 'ECS/ContainerInsights', period: 60, stat: 'Maximum' } },
          { id: 'b', metric: { metricName: 'RunningTaskCount', namespace: 'ECS/ContainerInsights', period: 60, stat: 'Minimum' } },
        ],
      });
    });
    expect(lineOf(e, 'CloudWatch alarms')).toMatchObject({ quantity: { floor: 3, ceiling: 3 } });
    expect(lineOf(e, 'CloudWatch alarms').floor).toBeCloseTo(3 * P.cloudwatch.alarmMetricMonth.usd, 9);
  });

  it('applies the free tier only when asked', () => {
    const json = { provider: { aws: [{ region: 'eu-west-1' }] }, resource: { aws_cloudwatch_dashboard: { a: { dashboard_name: 'a' }, b: { dashboard_name: 'b' }, c: { dashboard_name: 'c' }, d: { dashboard_name: 'd' } } } };
    expect(estimate(json).floor).toBeCloseTo(4 * P.cloudwatch.dashboardMonth.usd, 9);
    expect(estimate(json, { assumptions: { applyFreeTier: true } }).floor).toBeCloseTo(1 * P.cloudwatch.dashboardMonth.usd, 9);
  });

  it('reports what it cannot price instead of skipping it', () => {
    const unknownType = estimate({ provider: { aws: [{ region: 'eu-west-1' }] }, resource: { aws_made_up_thing: { x: {} }, aws_iam_role: { r: {} } } });
    expect(unknownType.unpriced).toEqual([{ type: 'aws_made_up_thing', address: 'aws_made_up_thing.x', reason: expect.stringMatching(/no price rule/) }]);
    const unknownRegion = estimate({ provider: { aws: [{ region: 'ap-south-2' }] }, resource: { aws_kms_key: { k: {} }, aws_iam_role: { r: {} } } });
    expect(unknownRegion.unpriced).toEqual([{ type: 'aws_kms_key', address: 'aws_kms_key.k', reason: expect.stringMatching(/no prices for region ap-south-2/) }]);
    const unknownInstance = estimate({
      provider: { aws: [{ region: 'eu-west-1' }] },
      resource: { aws_launch_template: { lt: { instance_type: 'x9.huge' } }, aws_autoscaling_group: { g: { min_size: 1, max_size: 2, launch_template: { id: '${aws_launch_template.lt.id}' } } } },
    });
    expect(unknownInstance.unpriced).toEqual([{ type: 'aws_autoscaling_group', address: 'aws_autoscaling_group.g', reason: expect.stringMatching(/x9\.huge/) }]);
  });
});

describe('cost of the production checklist constructs', () => {
  it('prices AWS Backup storage per selected file system and bucket, the vault and plan free', () => {
    const e = estimateOf(
      (stack) => {
        const kmsKey = new EncryptionKey(stack, 'key', { alias: 'b', description: 'b' });
        const fs = new SharedFileSystem(stack, 'efs', { name: 'idx', vpc: existingVpc(stack, { privateSubnetIds: ['subnet-0000000000000000a'] }), backup: false });
        const bucket = new SecureBucket(stack, 'data', { bucketName: 'data-123456789012-eu-west-1' });
        new BackupPlan(stack, 'backup', { name: 'am', kmsKey, fileSystems: [fs], buckets: [bucket] });
      },
      { efsBackupGbPerFileSystem: 50, s3BackupGbPerBucket: 200 },
    );
    expect(e.unpriced).toEqual([]);
    expect(lineOf(e, 'AWS Backup storage (EFS)')).toMatchObject({ quantity: { floor: 50, ceiling: 50 }, unitPrice: P.backupEfsGbMonth.usd });
    expect(lineOf(e, 'AWS Backup storage (S3)')).toMatchObject({ quantity: { floor: 200, ceiling: 200 }, unitPrice: P.backupS3GbMonth.usd });
    expect(e.usedAssumptions).toEqual(expect.arrayContaining(['efsBackupGbPerFileSystem', 's3BackupGbPerBucket']));
  });

  it('prices a Valkey replication group per node at the Valkey rate, below Redis OSS', () => {
    const cache = (engine: 'valkey' | 'redis') =>
      estimateOf((stack) => {
        new RedisCache(stack, 'cache', { name: 'am-cache', vpc: existingVpc(stack), engine, nodeType: 'cache.t4g.small', replicas: 1 });
      });
    const valkey = cache('valkey');
    expect(valkey.unpriced).toEqual([]);
    expect(lineOf(valkey, 'ElastiCache am-cache: cache.t4g.small (Valkey)')).toMatchObject({ quantity: { floor: 2, ceiling: 2 }, unitPrice: P.elasticacheValkeyNodeHour['cache.t4g.small'].usd * H });
    expect(lineOf(cache('redis'), 'ElastiCache am-cache: cache.t4g.small').unitPrice).toBeCloseTo(P.elasticacheNodeHour['cache.t4g.small'].usd * H, 9);
    expect(P.elasticacheValkeyNodeHour['cache.t4g.small'].usd).toBeCloseTo(0.8 * P.elasticacheNodeHour['cache.t4g.small'].usd, 6);
  });

  it('prices the deploy role, certificate, records, budget and CloudFront web ACL in us-east-1, and reports a selection it cannot price', () => {
    const e = estimateOf((stack) => {
      new GithubDeployRole(stack, 'deploy', { roleName: 'deploy', repository: 'acme/app' });
      new DnsValidatedCertificate(stack, 'cert', { domainName: 'www.example.com', hostedZoneId: 'Z0123456789ABC', provider: stack.providerFor('us-east-1') });
      new CostBudget(stack, 'budget', { name: 'b', limitUsd: 100, emailSubscribers: ['a@example.com'] });
      new WebAcl(stack, 'edge', { name: 'edge', scope: 'CLOUDFRONT', provider: stack.providerFor('us-east-1') });
    });
    expect(e.unpriced).toEqual([]);
    expect(lineOf(e, 'WAF edge: web ACL').unitPrice).toBe(PRICES['us-east-1'].waf.webAclMonth.usd);
    const odd = estimate({ provider: { aws: [{ region: 'eu-west-1' }] }, resource: { aws_backup_selection: { s: { resources: ['arn:aws:rds:eu-west-1:123456789012:db:x'] } } } });
    expect(odd.unpriced).toEqual([{ type: 'aws_backup_selection', address: 'aws_backup_selection.s', reason: expect.stringMatching(/other than EFS file systems and S3 buckets/) }]);
  });
});

describe('price table', () => {
  it('is dated and covers the regions the stacks use, every entry with an AWS source', () => {
    expect(PRICES_AS_OF).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    for (const region of ['us-east-1', 'eu-west-1']) {
      const entries = priceEntries(PRICES[region]);
      expect(entries.length).toBeGreaterThan(50);
      for (const [at, price] of entries) {
        expect({ at, ok: price.usd > 0 && price.source.startsWith('https://aws.amazon.com/') }).toEqual({ at, ok: true });
      }
    }
  });
});

describe('coverage of the stacks', () => {
  // Every stack's types priced or free: __tests__/stacks/all-stacks.test.ts (one synth per stack).
  it('keeps the priced and the free resource types apart', () => {
    expect([...PRICED_RESOURCE_TYPES].filter((t) => FREE_RESOURCE_TYPES.has(t))).toEqual([]);
  });

  it('prices each priced type in exactly one family pricer', () => {
    const types = PRICERS.flatMap((p) => p.types);
    expect(types.length).toBe(new Set(types).size);
    expect(new Set(types)).toEqual(PRICED_RESOURCE_TYPES);
  });

  it('prices a stack\'s model as it prices its document', () => {
    const stack = testStack();
    fargateService(stack, { cpu: '512', memory: '1024', min: 1, max: 3, strategy: [{ capacityProvider: 'FARGATE', weight: 1 }] });
    new Eip(stack, 'ip', { domain: 'vpc' });
    const { json, document } = synth(stack);
    const fromModel = estimate(StackModel.fromStack(stack, document));
    expect(fromModel).toEqual(estimate(json));
    expect(lineOf(fromModel, 'ECS api: Fargate').quantity).toEqual({ floor: 1, ceiling: 3 });
  });

  it('prices the production GPU group at one instance at the floor once the embeddings service runs, and a second one while the day doubles it', () => {
    const json = runningProduction();
    const e = estimate(json);
    expect(e.unpriced).toEqual([]);
    const gpu = lineOf(e, /^ASG .*-gpu: g4dn\.xlarge on-demand$/);
    // 08:00-19:00 every day the floor is 2 embeddings tasks, one GPU instance each.
    expect(gpu.quantity.floor).toBeCloseTo(1 + 11 / 24, 3);
    expect(gpu.floor).toBeCloseTo(P.ec2Hour['g4dn.xlarge'].usd * H * gpu.quantity.floor, 6);
    const steady = estimate(synth(buildStack<TerraformStack>('artwork-matcher-production', { stacks: { 'artwork-matcher-production': { imageTag: 'v1', scheduledScaling: false } } }, testApp(), true)).json);
    expect(lineOf(steady, /^ASG .*-gpu: g4dn\.xlarge on-demand$/).quantity.floor).toBe(1);
  });
});

describe('scheduled actions in the estimate', () => {
  const action = (schedule: string, min: number, max: number) => ({ schedule, scalable_target_action: [{ min_capacity: min, max_capacity: max }] });
  const OFF_HOURS = [action('cron(0 19 ? * MON-FRI *)', 0, 0), action('cron(0 8 ? * MON-FRI *)', 1, 4)];

  it('averages the range over the week: off hours', () => {
    // Weekdays 08:00-19:00 at 1..4: 55 of 168 hours; stopped the rest.
    const w = weeklyCapacity(OFF_HOURS)!;
    expect(w.min).toBeCloseTo(55 / 168, 6);
    expect(w.max).toBeCloseTo((4 * 55) / 168, 6);
    expect(w.stopped).toBeCloseTo(113 / 168, 6);
    // AWS numbers days from 1 = Sunday: 2-6 is Monday to Friday.
    expect(weeklyCapacity([action('cron(0 19 ? * 2-6 *)', 0, 0), action('cron(0 8 ? * 2-6 *)', 1, 4)])).toEqual(w);
  });

  it('averages the range over the week: a daytime doubling', () => {
    // Every day 2..20 from 08:00, 1..10 from 19:00: 11 hours at the doubled floor.
    const w = weeklyCapacity([action('cron(0 8 * * ? *)', 2, 20), action('cron(0 19 * * ? *)', 1, 10)])!;
    expect(w.min).toBeCloseTo(1 + 11 / 24, 6);
    expect(w.max).toBeCloseTo(10 + (10 * 11) / 24, 6);
    expect(w.stopped).toBe(0);
  });

  it('gives up on schedules that are not weekly', () => {
    expect(weeklyCapacity([])).toBeUndefined();
    expect(weeklyCapacity([action('rate(12 hours)', 0, 0), action('cron(0 8 * * ? *)', 1, 1)])).toBeUndefined();
    expect(weeklyCapacity([action('cron(0 19 1 * ? *)', 0, 0), action('cron(0 8 2 * ? *)', 1, 1)])).toBeUndefined();
  });

  it('prices the lean demo\'s Fargate tasks for the hours they run, and production\'s daytime doubling', () => {
    const lean = estimate(synth(buildStack('artwork-matcher-demo', { stacks: { 'artwork-matcher-demo': { imageTag: 'v1', ingress: 'httpApi', offHours: { stopSchedule: 'cron(0 19 ? * MON-FRI *)', startSchedule: 'cron(0 8 ? * MON-FRI *)', timezone: 'Europe/Paris' } } } })).json);
    const gateway = lean.lines.find((l) => l.item === 'ECS artwork-matcher-demo-gateway: Fargate Spot')!;
    expect(gateway.quantity.floor).toBeCloseTo(55 / 168, 6);
    expect(gateway.note).toContain('stopped 67.3 % of it');
    expect(lean.floor).toBeLessThan(50);
    const production = estimate(runningProduction());
    const search = production.lines.find((l) => l.item === 'ECS artwork-matcher-production-search: Fargate')!;
    expect(search.quantity.floor).toBeCloseTo(2 + (2 * 11) / 24, 6);
  });
});
