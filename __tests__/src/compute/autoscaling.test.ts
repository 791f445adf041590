import { AppautoscalingPolicy } from '@cdktf/provider-aws/lib/appautoscaling-policy';
import { AppautoscalingScheduledAction } from '@cdktf/provider-aws/lib/appautoscaling-scheduled-action';
import { AppautoscalingTarget } from '@cdktf/provider-aws/lib/appautoscaling-target';
import { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import { ServiceAutoscaling, ServiceAutoscalingOptions } from '../../../src/compute/autoscaling';
import { allOf, countOf, errorOf, findBy, onlyOf, resourcesOf, synthConstructs, Synthesized } from '../../helpers/synth';

function build(options: Partial<ServiceAutoscalingOptions> = {}): { text: string; json: Synthesized } {
  return synthConstructs((stack) => {
    new ServiceAutoscaling(stack, 'scaling', { clusterName: 'shop', serviceName: 'shop-api', minCapacity: 1, maxCapacity: 4, ...options });
  });
}

const JOBS = { namespace: 'AWS/SQS', metricName: 'ApproximateNumberOfMessagesVisible', dimensions: { QueueName: 'jobs' }, stat: 'Maximum' };

const TARGET_ATTR = (attr: string) => expect.stringMatching(new RegExp(`^\\$\\{aws_appautoscaling_target\\.scaling_target_\\w+\\.${attr}\\}$`));

describe('ServiceAutoscaling', () => {
  it('registers the service desired count as a scalable target', () => {
    const { text, json } = build();
    expect(text).toHaveResourceWithProperties(AppautoscalingTarget, {
      service_namespace: 'ecs',
      scalable_dimension: 'ecs:service:DesiredCount',
      resource_id: 'service/shop/shop-api',
      min_capacity: 1,
      max_capacity: 4,
    });
    expect(countOf(json, 'aws_appautoscaling_policy')).toBe(0);
    expect(countOf(json, 'aws_appautoscaling_scheduled_action')).toBe(0);
    expect(countOf(json, 'aws_cloudwatch_metric_alarm')).toBe(0);
  });

  it('tracks CPU and memory with the default cooldowns of 300 s in and 60 s out', () => {
    const { text, json } = build({ cpu: { target: 60 }, memory: { target: 75, scaleInCooldownSec: 600, scaleOutCooldownSec: 30 } });
    expect(text).toHaveResourceWithProperties(AppautoscalingPolicy, {
      name: 'shop-api-cpu-scaling',
      policy_type: 'TargetTrackingScaling',
      service_namespace: TARGET_ATTR('service_namespace'),
      scalable_dimension: TARGET_ATTR('scalable_dimension'),
      resource_id: TARGET_ATTR('resource_id'),
      target_tracking_scaling_policy_configuration: {
        target_value: 60,
        scale_in_cooldown: 300,
        scale_out_cooldown: 60,
        predefined_metric_specification: { predefined_metric_type: 'ECSServiceAverageCPUUtilization' },
      },
    });
    expect(findBy(json, 'aws_appautoscaling_policy', 'name', 'shop-api-memory-scaling').target_tracking_scaling_policy_configuration).toEqual({
      target_value: 75,
      scale_in_cooldown: 600,
      scale_out_cooldown: 30,
      predefined_metric_specification: { predefined_metric_type: 'ECSServiceAverageMemoryUtilization' },
    });
    expect(countOf(json, 'aws_appautoscaling_policy')).toBe(2);
  });

  it('names policies after namePrefix when given', () => {
    const policy = onlyOf(build({ namePrefix: 'gateway', cpu: { target: 50 } }).json, 'aws_appautoscaling_policy');
    expect(policy.name).toBe('gateway-cpu-scaling');
  });

  it('tracks ALB requests per target with the <load balancer>/<target group> resource label', () => {
    const { json } = build({
      requestCount: { requestsPerTarget: 500, targetGroup: { loadBalancerArnSuffix: 'app/shop/50dc6c495c0c9188', targetGroupArnSuffix: 'targetgroup/shop-api/73e2d6bc24d8a067' } },
    });
    const policy = onlyOf(json, 'aws_appautoscaling_policy');
    expect(policy.name).toBe('shop-api-request-scaling');
    expect(policy.target_tracking_scaling_policy_configuration).toEqual({
      target_value: 500,
      scale_in_cooldown: 300,
      scale_out_cooldown: 60,
      predefined_metric_specification: {
        predefined_metric_type: 'ALBRequestCountPerTarget',
        resource_label: 'app/shop/50dc6c495c0c9188/targetgroup/shop-api/73e2d6bc24d8a067',
      },
    });
  });

  it('changes the capacity bounds on a schedule, in UTC by default', () => {
    const { text, json } = build({
      scheduled: [
        { name: 'morning', schedule: 'cron(0 7 ? * MON-FRI *)', minCapacity: 2, maxCapacity: 8, timezone: 'Europe/Paris' },
        { name: 'night', schedule: 'cron(0 22 * * ? *)', minCapacity: 0, maxCapacity: 1 },
      ],
    });
    expect(text).toHaveResourceWithProperties(AppautoscalingScheduledAction, {
      name: 'shop-api-morning',
      schedule: 'cron(0 7 ? * MON-FRI *)',
      timezone: 'Europe/Paris',
      scalable_target_action: { min_capacity: '2', max_capacity: '8' },
      resource_id: TARGET_ATTR('resource_id'),
    });
    const night = findBy(json, 'aws_appautoscaling_scheduled_action', 'name', 'shop-api-night');
    expect(night.timezone).toBe('UTC');
    expect(night.scalable_target_action).toEqual({ min_capacity: '0', max_capacity: '1' });
  });

  it('step-scales on queue depth with the default steps: out by +1 from 100 and +5 from 500, in by -1 at 0', () => {
    const { text, json } = build({ queue: { backlog: JOBS } });
    expect(countOf(json, 'aws_appautoscaling_policy')).toBe(2);
    expect(countOf(json, 'aws_cloudwatch_metric_alarm')).toBe(2);

    const out = findBy(json, 'aws_appautoscaling_policy', 'name', 'shop-api-queue-scale-out');
    expect(out.policy_type).toBe('StepScaling');
    expect(out.step_scaling_policy_configuration).toEqual({
      adjustment_type: 'ChangeInCapacity',
      cooldown: 300,
      metric_aggregation_type: 'Maximum',
      step_adjustment: [
        { metric_interval_lower_bound: '0', metric_interval_upper_bound: '400', scaling_adjustment: 1 },
        { metric_interval_lower_bound: '400', scaling_adjustment: 5 },
      ],
    });
    const scaleIn = findBy(json, 'aws_appautoscaling_policy', 'name', 'shop-api-queue-scale-in');
    expect(scaleIn.step_scaling_policy_configuration.step_adjustment).toEqual([{ metric_interval_upper_bound: '0', scaling_adjustment: -1 }]);

    const backlog = { namespace: 'AWS/SQS', metric_name: 'ApproximateNumberOfMessagesVisible', dimensions: { QueueName: 'jobs' }, statistic: 'Maximum', period: 60, evaluation_periods: 1 };
    expect(text).toHaveResourceWithProperties(CloudwatchMetricAlarm, {
      ...backlog,
      alarm_name: 'shop-api-queue-scale-out',
      comparison_operator: 'GreaterThanOrEqualToThreshold',
      threshold: 100,
      alarm_actions: [expect.stringMatching(/^\$\{aws_appautoscaling_policy\.scaling_queue-scale-out_\w+\.arn\}$/)],
    });
    expect(text).toHaveResourceWithProperties(CloudwatchMetricAlarm, {
      ...backlog,
      alarm_name: 'shop-api-queue-scale-in',
      comparison_operator: 'LessThanOrEqualToThreshold',
      threshold: 0,
      alarm_actions: [expect.stringMatching(/^\$\{aws_appautoscaling_policy\.scaling_queue-scale-in_\w+\.arn\}$/)],
    });
  });

  it('makes step bounds relative to the lowest scale-out step and only creates the directions it has steps for', () => {
    const { json } = build({
      queue: {
        backlog: JOBS,
        cooldownSec: 120,
        evaluationPeriods: 3,
        steps: [
          { lower: 200, change: 10 },
          { lower: 10, change: 2 },
          { lower: 50, change: 4 },
        ],
      },
    });
    const policy = onlyOf(json, 'aws_appautoscaling_policy');
    expect(policy.step_scaling_policy_configuration.cooldown).toBe(120);
    expect(policy.step_scaling_policy_configuration.step_adjustment).toEqual([
      { metric_interval_lower_bound: '0', metric_interval_upper_bound: '40', scaling_adjustment: 2 },
      { metric_interval_lower_bound: '40', metric_interval_upper_bound: '190', scaling_adjustment: 4 },
      { metric_interval_lower_bound: '190', scaling_adjustment: 10 },
    ]);
    const alarm = onlyOf(json, 'aws_cloudwatch_metric_alarm');
    expect(alarm).toMatchObject({ threshold: 10, evaluation_periods: 3, comparison_operator: 'GreaterThanOrEqualToThreshold' });
  });

  it('creates the policies and actions of one target one after another (parallel changes fail with ConcurrentUpdateException)', () => {
    const { json } = build({ cpu: { target: 50 }, memory: { target: 60 }, queue: { backlog: JOBS }, scheduled: [{ name: 'x', schedule: 'rate(1 day)', minCapacity: 1, maxCapacity: 2 }] });
    expect(allOf(json, 'aws_appautoscaling_policy').map((p) => p.name).sort()).toEqual(['shop-api-cpu-scaling', 'shop-api-memory-scaling', 'shop-api-queue-scale-in', 'shop-api-queue-scale-out']);
    expect(countOf(json, 'aws_appautoscaling_scheduled_action')).toBe(1);
    expect(countOf(json, 'aws_appautoscaling_target')).toBe(1);
    // A chain: cpu <- memory <- queue out <- queue in <- schedule.
    const address = (type: string, name: string) => `${type}.${Object.entries(json.resource![type]).find(([, r]) => r.name === name)![0]}`;
    const policy = (name: string) => findBy(json, 'aws_appautoscaling_policy', 'name', name);
    expect(policy('shop-api-cpu-scaling').depends_on).toBeUndefined();
    expect(policy('shop-api-memory-scaling').depends_on).toEqual([address('aws_appautoscaling_policy', 'shop-api-cpu-scaling')]);
    expect(policy('shop-api-queue-scale-out').depends_on).toEqual([address('aws_appautoscaling_policy', 'shop-api-memory-scaling')]);
    expect(policy('shop-api-queue-scale-in').depends_on).toEqual([address('aws_appautoscaling_policy', 'shop-api-queue-scale-out')]);
    expect(onlyOf(json, 'aws_appautoscaling_scheduled_action').depends_on).toEqual([address('aws_appautoscaling_policy', 'shop-api-queue-scale-in')]);
  });
});

describe('ServiceAutoscaling on CPU and memory thresholds', () => {
  const thresholds = { cpuPercent: 70, memoryPercent: 80 };

  it('adds a task when either metric stays above its threshold for the minutes given, and removes one when both stay below', () => {
    const { json } = build({ thresholds: { ...thresholds, scaleOutAfterMinutes: 2, alarmNamePrefix: 'shop-prod-api' } });
    const out = findBy(json, 'aws_cloudwatch_metric_alarm', 'alarm_name', 'shop-prod-api-threshold-scale-out');
    const within = findBy(json, 'aws_cloudwatch_metric_alarm', 'alarm_name', 'shop-prod-api-threshold-scale-in');
    expect([out.evaluation_periods, out.comparison_operator, out.threshold, out.treat_missing_data]).toEqual([2, 'GreaterThanThreshold', 0, 'notBreaching']);
    expect([within.evaluation_periods, within.comparison_operator]).toEqual([5, 'LessThanThreshold']);
    expect(out.metric_query[0]).toMatchObject({ id: 'over', expression: 'MAX([cpu - 70, memory - 80])', return_data: true });
    expect(out.metric_query[1].metric).toMatchObject({ namespace: 'AWS/ECS', metric_name: 'CPUUtilization', period: 60, stat: 'Average', dimensions: { ClusterName: 'shop', ServiceName: 'shop-api' } });
    expect(out.alarm_actions).toEqual([expect.stringMatching(/^\$\{aws_appautoscaling_policy\.scaling_threshold-scale-out_\w+\.arn\}$/)]);
    const policies = allOf(json, 'aws_appautoscaling_policy');
    expect(policies.map((p) => [p.name, p.policy_type, p.step_scaling_policy_configuration.cooldown]).sort()).toEqual([
      ['shop-api-threshold-scale-in', 'StepScaling', 300],
      ['shop-api-threshold-scale-out', 'StepScaling', 60],
    ]);
  });

  it('refuses thresholds beside target tracking on the same metrics, and windows out of range', () => {
    expect(errorOf(() => build({ thresholds, cpu: { target: 50 } }))).toBe('test/scaling: thresholds: and target tracking on cpu or memory would both scale on the same metrics; give one');
    expect(errorOf(() => build({ thresholds: { ...thresholds, scaleInAfterMinutes: 0 } }))).toBe('test/scaling: thresholds.scaleInAfterMinutes: 0 is out of range; allowed: 1 to 60');
  });
});

describe('ServiceAutoscaling validation', () => {
  it('rejects minCapacity above maxCapacity', () => {
    expect(errorOf(() => build({ minCapacity: 5, maxCapacity: 2 }))).toBe('test/scaling: minCapacity: 5 is above maxCapacity 2');
  });

  it('rejects target values of 0 and above 100 percent', () => {
    expect(errorOf(() => build({ cpu: { target: 0 } }))).toBe('test/scaling: cpu.target: 0 is out of range; allowed: 1 to 100');
    expect(errorOf(() => build({ memory: { target: 120 } }))).toBe('test/scaling: memory.target: 120 is out of range; allowed: 1 to 100');
  });

  it('rejects a schedule that is not cron, rate or at, and inverted scheduled bounds', () => {
    expect(errorOf(() => build({ scheduled: [{ name: 'x', schedule: '0 7 * * *', minCapacity: 1, maxCapacity: 2 }] }))).toBe(
      'test/scaling: scheduled[0].schedule: "0 7 * * *" is not a schedule; allowed: cron(...), rate(...) or at(...)',
    );
    expect(errorOf(() => build({ scheduled: [{ name: 'x', schedule: 'rate(1 hour)', minCapacity: 3, maxCapacity: 2 }] }))).toBe(
      'test/scaling: scheduled[0]: minCapacity 3 is above maxCapacity 2',
    );
  });

  it('reports every problem at once', () => {
    expect(errorOf(() => build({ minCapacity: 3, maxCapacity: 0, cpu: { target: 50, scaleOutCooldownSec: -1 }, requestCount: { requestsPerTarget: 0, targetGroup: { loadBalancerArnSuffix: 'a', targetGroupArnSuffix: 'b' } } }))).toBe(
      [
        'test/scaling: invalid props:',
        '  minCapacity: 3 is above maxCapacity 0',
        '  cpu.scaleOutCooldownSec: -1 is out of range; allowed: 0 to 86400',
        '  requestCount.requestsPerTarget: 0 is out of range; allowed: 1 to 1000000',
      ].join('\n'),
    );
  });
});

describe('ServiceAutoscaling queue steps', () => {
  it('gives several scale-in steps non-overlapping intervals below the threshold', () => {
    const { json } = build({ queue: { backlog: JOBS, steps: [{ upper: 10, change: -1 }, { upper: 0, change: -2 }, { lower: 50, change: 2 }] } });
    const scaleIn = findBy(json, 'aws_appautoscaling_policy', 'name', 'shop-api-queue-scale-in');
    // Threshold 10: backlog <= 0 removes 2 tasks, 0..10 removes 1.
    expect(scaleIn.step_scaling_policy_configuration.step_adjustment).toEqual([
      { scaling_adjustment: -2, metric_interval_upper_bound: '-10' },
      { scaling_adjustment: -1, metric_interval_lower_bound: '-10', metric_interval_upper_bound: '0' },
    ]);
    expect(findBy(json, 'aws_cloudwatch_metric_alarm', 'alarm_name', 'shop-api-queue-scale-in')).toMatchObject({ threshold: 10, comparison_operator: 'LessThanOrEqualToThreshold' });
  });
});

describe('ServiceAutoscaling with schedules', () => {
  it('lets scheduled actions own the bounds between applies, and re-registers the target (with its policies and actions) when the configured bounds change', () => {
    const scheduled = build({ minCapacity: 2, maxCapacity: 10, cpu: { target: 70 }, scheduled: [{ name: 'up', schedule: 'cron(0 8 * * ? *)', minCapacity: 4, maxCapacity: 10 }] });
    const [[boundsName, bounds]] = resourcesOf(scheduled.json, 'terraform_data');
    expect(bounds.input).toEqual({ min_capacity: 2, max_capacity: 10 });
    const [[targetName, target]] = resourcesOf(scheduled.json, 'aws_appautoscaling_target');
    expect(target.lifecycle).toEqual({ ignore_changes: ['min_capacity', 'max_capacity'], replace_triggered_by: [`terraform_data.${boundsName}`] });
    // Deregistering a target deletes its policies and actions: they are created again with it.
    for (const type of ['aws_appautoscaling_policy', 'aws_appautoscaling_scheduled_action']) {
      for (const r of allOf(scheduled.json, type)) expect(r.lifecycle).toEqual({ replace_triggered_by: [`aws_appautoscaling_target.${targetName}`] });
    }
    // Without a schedule Terraform owns the bounds and updates them in place.
    const plain = build({ minCapacity: 2, maxCapacity: 10, cpu: { target: 70 } });
    expect(onlyOf(plain.json, 'aws_appautoscaling_target').lifecycle).toBeUndefined();
    expect(countOf(plain.json, 'terraform_data')).toBe(0);
    expect(onlyOf(plain.json, 'aws_appautoscaling_policy').lifecycle).toBeUndefined();
  });

  it('follows the bounds with no schedule yet when told the schedule owns them (a service waiting for its image)', () => {
    const waiting = build({ minCapacity: 0, maxCapacity: 0, scheduleOwnsBounds: true });
    expect(onlyOf(waiting.json, 'terraform_data').input).toEqual({ min_capacity: 0, max_capacity: 0 });
    expect(onlyOf(waiting.json, 'aws_appautoscaling_target').lifecycle.ignore_changes).toEqual(['min_capacity', 'max_capacity']);
  });
});
