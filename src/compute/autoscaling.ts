import { Construct } from 'constructs';
import { DataResource, TerraformResource, dependable } from 'cdktf';
import { AppautoscalingTarget } from '@cdktf/provider-aws/lib/appautoscaling-target';
import { AppautoscalingPolicy } from '@cdktf/provider-aws/lib/appautoscaling-policy';
import { AppautoscalingScheduledAction } from '@cdktf/provider-aws/lib/appautoscaling-scheduled-action';
import { CloudwatchMetricAlarm, CloudwatchMetricAlarmMetricQuery } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import { dependOn } from '../core/dependencies';
import { Metric } from '../core/metric';
import { NameLimits, fitName } from '../core/naming';
import { PropsValidator } from '../core/validation';

/** Cooldowns of a target-tracking policy. */
export interface Cooldowns {
  /** Seconds after a scale-in before the next one. @default 300 */
  readonly scaleInCooldownSec?: number;
  /** Seconds after a scale-out before the next one. @default 60 */
  readonly scaleOutCooldownSec?: number;
}

export interface TargetTrackingOptions extends Cooldowns {
  /** Target value (percent for CPU and memory). */
  readonly target: number;
}

/** The target group a request-count policy reads (`ALBRequestCountPerTarget`). */
export interface RequestCountTarget {
  /** `app/<name>/<id>` of the load balancer. */
  readonly loadBalancerArnSuffix: string;
  /** `targetgroup/<name>/<id>` of the target group. */
  readonly targetGroupArnSuffix: string;
}

export interface RequestCountScalingOptions extends Cooldowns {
  /** Requests per target per minute to hold. */
  readonly requestsPerTarget: number;
  /** The target group the service is registered in (a `TargetGroup` of src/edge/alb.ts). */
  readonly targetGroup: RequestCountTarget;
}

/** One step of a step-scaling policy on queue depth. */
export interface QueueStep {
  /** Lower bound of visible messages for this step (inclusive). @default - no lower bound */
  readonly lower?: number;
  /** Upper bound (exclusive). @default - no upper bound */
  readonly upper?: number;
  /** Tasks to add (positive) or remove (negative). */
  readonly change: number;
}

export interface QueueScalingOptions {
  /** The backlog metric, e.g. `queue.metricVisibleMessages()` (its `Maximum` per minute is used). */
  readonly backlog: Metric;
  /**
   * Steps, AWS CDK's QueueProcessingService default.
   * @default [{ upper: 0, change: -1 }, { lower: 100, change: +1 }, { lower: 500, change: +5 }]
   */
  readonly steps?: readonly QueueStep[];
  /** Seconds between scaling activities. @default 300 */
  readonly cooldownSec?: number;
  /** Alarm evaluation periods (of 60 s). @default 1 */
  readonly evaluationPeriods?: number;
  /**
   * Messages being processed, e.g. `queue.metricInFlightMessages()`. When given, the scale-in
   * alarm reads backlog plus in-flight messages (metric math), so tasks are removed only when
   * nothing is waiting and nothing is being worked on: a worker busy with a long message while the
   * backlog is 0 is not stopped under it (scale-in picks tasks at random).
   * @default - scale-in reads the backlog alone
   */
  readonly inFlight?: Metric;
  /**
   * Evaluation periods (of 60 s) of the scale-in alarm: how long the queue must stay idle before
   * tasks are removed.
   * @default evaluationPeriods
   */
  readonly scaleInEvaluationPeriods?: number;
}

/** CPU and memory thresholds of step scaling (`ServiceAutoscalingOptions.thresholds`). */
export interface ThresholdScalingOptions {
  /** Average CPU above which a task is added, percent. */
  readonly cpuPercent: number;
  /** Average memory above which a task is added, percent. */
  readonly memoryPercent: number;
  /** Minutes a threshold must be exceeded before a task is added. @default 1 */
  readonly scaleOutAfterMinutes?: number;
  /** Minutes both must stay below their thresholds before a task is removed. @default 5 */
  readonly scaleInAfterMinutes?: number;
  /** Seconds after an addition before the next. @default 60 */
  readonly scaleOutCooldownSec?: number;
  /** Seconds after a removal before the next. @default 300 */
  readonly scaleInCooldownSec?: number;
  /**
   * Start of the two alarms' names (`<prefix>-threshold-scale-out`, `-in`): alarm names are unique
   * per account and region, so give one that holds the environment.
   * @default the policies' prefix (`namePrefix`)
   */
  readonly alarmNamePrefix?: string;
}

/** A scheduled change of the capacity bounds. */
export interface ScheduledScaling {
  /** Suffix of the action name, e.g. `scale-up-morning`. */
  readonly name: string;
  /** `cron(...)`, `rate(...)` or `at(...)`. */
  readonly schedule: string;
  /** Fewest tasks. */
  readonly minCapacity: number;
  /** Most tasks. */
  readonly maxCapacity: number;
  /** IANA time zone. @default "UTC" */
  readonly timezone?: string;
}

export interface ServiceAutoscalingOptions {
  /** Prefix of policy names. @default the service name */
  readonly namePrefix?: string;
  /** Floor for the task count. */
  readonly minCapacity: number;
  /** Ceiling for the task count. */
  readonly maxCapacity: number;
  /** Target tracking on average CPU (percent). @default - none */
  readonly cpu?: TargetTrackingOptions;
  /** Target tracking on average memory (percent). @default - none */
  readonly memory?: TargetTrackingOptions;
  /** Target tracking on ALBRequestCountPerTarget. @default - none */
  readonly requestCount?: RequestCountScalingOptions;
  /** Step scaling on an SQS queue's backlog. @default - none */
  readonly queue?: QueueScalingOptions;
  /**
   * Step scaling on CPU and memory thresholds, for a service that must react within a minute:
   * one task more as soon as either stays above its threshold for `scaleOutAfterMinutes`, one
   * task less once both stay below for `scaleInAfterMinutes` (target tracking's own alarms react
   * after about 3 minutes out and 15 in, whatever its cooldowns). Not with `cpu` or `memory`.
   * @default - none
   */
  readonly thresholds?: ThresholdScalingOptions;
  /**
   * Scheduled actions. Between applies they own the target's bounds: Terraform ignores
   * `min_capacity` and `max_capacity`, so a daytime apply does not undo the morning action (see
   * `scheduleOwnsBounds` for how a changed configuration still reaches the target).
   * @default []
   */
  readonly scheduled?: readonly ScheduledScaling[];
  /**
   * Scheduled actions own the bounds, now or later (a service waiting for its first image gets
   * its schedule with the image). Terraform then ignores `min_capacity` and `max_capacity`, and a
   * change of the configured bounds re-registers the target instead (it is replaced, with its
   * policies and actions): Terraform plans with the new configuration's `ignore_changes`, so a
   * bounds change that arrived together with the schedule, or during an incident, would otherwise
   * never reach AWS. Registering moves the task count into the new range at once.
   * @default true when `scheduled` is not empty
   */
  readonly scheduleOwnsBounds?: boolean;
}

export interface ServiceAutoscalingProps extends ServiceAutoscalingOptions {
  /** Name of the ECS cluster. */
  readonly clusterName: string;
  /** Name of the ECS service (an attribute reference orders the target after the service). */
  readonly serviceName: string;
}

const DEFAULT_QUEUE_STEPS: readonly QueueStep[] = [
  { upper: 0, change: -1 },
  { lower: 100, change: +1 },
  { lower: 500, change: +5 },
];

/**
 * Application Auto Scaling of an ECS service's task count: target tracking on CPU, memory and
 * ALB requests per target, step scaling on queue depth, and scheduled bounds. Policies and
 * scheduled actions of the target are created one after another: Application Auto Scaling fails
 * parallel changes to one target with ConcurrentUpdateException (provider issue 17915).
 */
export class ServiceAutoscaling extends Construct {
  /** The scalable target resource (the service's task count), which the policies and actions scale. */
  public readonly resource: AppautoscalingTarget;
  public readonly policies: AppautoscalingPolicy[] = [];
  public readonly scheduledActions: AppautoscalingScheduledAction[] = [];
  private last?: TerraformResource;
  private followsTarget = false;

  constructor(scope: Construct, id: string, props: ServiceAutoscalingProps) {
    super(scope, id);
    const prefix = props.namePrefix ?? props.serviceName;
    const v = new PropsValidator(this).range('minCapacity', props.minCapacity, 0, 10000).range('maxCapacity', props.maxCapacity, 0, 10000);
    if (props.minCapacity > props.maxCapacity) v.fail('minCapacity', `${props.minCapacity} is above maxCapacity ${props.maxCapacity}`);
    for (const [k, t] of [['cpu', props.cpu], ['memory', props.memory]] as const) {
      if (t) v.range(`${k}.target`, t.target, 1, 100);
    }
    for (const [k, c] of [['cpu', props.cpu], ['memory', props.memory], ['requestCount', props.requestCount]] as const) {
      if (c) v.range(`${k}.scaleInCooldownSec`, c.scaleInCooldownSec, 0, 86400).range(`${k}.scaleOutCooldownSec`, c.scaleOutCooldownSec, 0, 86400);
    }
    if (props.requestCount) v.range('requestCount.requestsPerTarget', props.requestCount.requestsPerTarget, 1, 1000000);
    if (props.thresholds) {
      const t = props.thresholds;
      v.range('thresholds.cpuPercent', t.cpuPercent, 1, 100).range('thresholds.memoryPercent', t.memoryPercent, 1, 100);
      v.range('thresholds.scaleOutAfterMinutes', t.scaleOutAfterMinutes, 1, 60).range('thresholds.scaleInAfterMinutes', t.scaleInAfterMinutes, 1, 60);
      if (props.cpu || props.memory) v.fail('thresholds', 'and target tracking on cpu or memory would both scale on the same metrics; give one');
    }
    for (const [i, s] of (props.scheduled ?? []).entries()) {
      v.check(/^(cron|rate|at)\(.+\)$/.test(s.schedule), `scheduled[${i}].schedule`, s.schedule, 'is not a schedule; allowed: cron(...), rate(...) or at(...)');
      if (s.minCapacity > s.maxCapacity) v.fail(`scheduled[${i}]`, `minCapacity ${s.minCapacity} is above maxCapacity ${s.maxCapacity}`);
    }
    v.throwIfInvalid();

    // The configured bounds: when they change, the target is registered again (see scheduleOwnsBounds).
    const bounds = props.scheduleOwnsBounds ?? (props.scheduled?.length ?? 0) > 0 ? new DataResource(this, 'bounds', { input: { min_capacity: props.minCapacity, max_capacity: props.maxCapacity } }) : undefined;
    this.resource = new AppautoscalingTarget(this, 'target', {
      serviceNamespace: 'ecs',
      scalableDimension: 'ecs:service:DesiredCount',
      resourceId: `service/${props.clusterName}/${props.serviceName}`,
      minCapacity: props.minCapacity,
      maxCapacity: props.maxCapacity,
      lifecycle: bounds ? { ignoreChanges: ['min_capacity', 'max_capacity'], replaceTriggeredBy: [dependable(bounds)] } : undefined,
    });
    // Deregistering a target deletes its policies and scheduled actions: they follow its replacement.
    this.followsTarget = bounds !== undefined;
    const base = { serviceNamespace: this.resource.serviceNamespace, scalableDimension: this.resource.scalableDimension, resourceId: this.resource.resourceId };

    const tracking = (key: string, target: number, cooldowns: Cooldowns, metric: { predefinedMetricType: string; resourceLabel?: string }) => {
      this.policies.push(
        this.inSequence(
          new AppautoscalingPolicy(this, key, {
            ...base,
            name: fitName(`${prefix}-${key}-scaling`, NameLimits.scalingPolicy),
            policyType: 'TargetTrackingScaling',
            targetTrackingScalingPolicyConfiguration: {
              targetValue: target,
              scaleInCooldown: cooldowns.scaleInCooldownSec ?? 300,
              scaleOutCooldown: cooldowns.scaleOutCooldownSec ?? 60,
              predefinedMetricSpecification: metric,
            },
          }),
        ),
      );
    };
    if (props.cpu) tracking('cpu', props.cpu.target, props.cpu, { predefinedMetricType: 'ECSServiceAverageCPUUtilization' });
    if (props.memory) tracking('memory', props.memory.target, props.memory, { predefinedMetricType: 'ECSServiceAverageMemoryUtilization' });
    if (props.requestCount) {
      // AWS requires `<load balancer suffix>/<target group suffix>`; the load balancer suffix alone
      // (as document 004 passes it) is rejected when the policy is created.
      tracking('request', props.requestCount.requestsPerTarget, props.requestCount, {
        predefinedMetricType: 'ALBRequestCountPerTarget',
        resourceLabel: `${props.requestCount.targetGroup.loadBalancerArnSuffix}/${props.requestCount.targetGroup.targetGroupArnSuffix}`,
      });
    }
    if (props.queue) this.addQueueScaling(prefix, base, props.queue);
    if (props.thresholds) this.addThresholdScaling(prefix, base, props, props.thresholds);

    for (const s of props.scheduled ?? []) {
      this.scheduledActions.push(
        this.inSequence(
          new AppautoscalingScheduledAction(this, `schedule-${s.name}`, {
            ...base,
            name: fitName(`${prefix}-${s.name}`, NameLimits.scalingPolicy),
            schedule: s.schedule,
            timezone: s.timezone ?? 'UTC',
            scalableTargetAction: { minCapacity: String(s.minCapacity), maxCapacity: String(s.maxCapacity) },
          }),
        ),
      );
    }
  }

  /**
   * Makes `resource` wait for the previous policy or action of the target, and be created again
   * with the target when that is replaced.
   */
  private inSequence<T extends TerraformResource>(resource: T): T {
    if (this.last) dependOn(resource, this.last);
    this.last = resource;
    if (this.followsTarget) resource.lifecycle = { ...(resource.lifecycle ?? {}), replaceTriggeredBy: [dependable(this.resource)] };
    return resource;
  }

  /** One task more when CPU or memory stays above its threshold, one less when both stay below. */
  private addThresholdScaling(prefix: string, base: { serviceNamespace: string; scalableDimension: string; resourceId: string }, props: ServiceAutoscalingProps, t: ThresholdScalingOptions): void {
    const metric = (id: string, metricName: string) => ({ id, metric: { namespace: 'AWS/ECS', metricName, dimensions: { ClusterName: props.clusterName, ServiceName: props.serviceName }, period: 60, stat: 'Average' } });
    // How far the busier of the two is above its threshold (negative: both below).
    const over = [
      { id: 'over', expression: `MAX([cpu - ${t.cpuPercent}, memory - ${t.memoryPercent}])`, label: 'Percent above the CPU or memory threshold', returnData: true },
      metric('cpu', 'CPUUtilization'),
      metric('memory', 'MemoryUtilization'),
    ];
    const step = (direction: 'out' | 'in') => {
      const out = direction === 'out';
      const policy = this.inSequence(
        new AppautoscalingPolicy(this, `threshold-scale-${direction}`, {
          ...base,
          name: fitName(`${prefix}-threshold-scale-${direction}`, NameLimits.scalingPolicy),
          policyType: 'StepScaling',
          stepScalingPolicyConfiguration: {
            adjustmentType: 'ChangeInCapacity',
            cooldown: out ? t.scaleOutCooldownSec ?? 60 : t.scaleInCooldownSec ?? 300,
            metricAggregationType: 'Average',
            stepAdjustment: [out ? { scalingAdjustment: 1, metricIntervalLowerBound: '0' } : { scalingAdjustment: -1, metricIntervalUpperBound: '0' }],
          },
        }),
      );
      this.policies.push(policy);
      new CloudwatchMetricAlarm(this, `threshold-${direction}-alarm`, {
        alarmName: fitName(`${t.alarmNamePrefix ?? prefix}-threshold-scale-${direction}`, NameLimits.alarm),
        alarmDescription: out
          ? `Scale ${prefix} out: CPU above ${t.cpuPercent}% or memory above ${t.memoryPercent}% for ${t.scaleOutAfterMinutes ?? 1} minute(s)`
          : `Scale ${prefix} in: CPU below ${t.cpuPercent}% and memory below ${t.memoryPercent}% for ${t.scaleInAfterMinutes ?? 5} minutes`,
        metricQuery: over,
        evaluationPeriods: out ? t.scaleOutAfterMinutes ?? 1 : t.scaleInAfterMinutes ?? 5,
        comparisonOperator: out ? 'GreaterThanThreshold' : 'LessThanThreshold',
        threshold: 0,
        // No task reports anything: nothing to scale on (scale-in has its floor; scale-out waits for data).
        treatMissingData: 'notBreaching',
        alarmActions: [policy.arn],
      });
    };
    step('out');
    step('in');
  }

  private addQueueScaling(prefix: string, base: { serviceNamespace: string; scalableDimension: string; resourceId: string }, q: QueueScalingOptions): void {
    const steps = q.steps ?? DEFAULT_QUEUE_STEPS;
    const out = steps.filter((s) => s.change > 0);
    const inn = steps.filter((s) => s.change < 0);
    new PropsValidator(this).range('queue.evaluationPeriods', q.evaluationPeriods, 1, 100).range('queue.scaleInEvaluationPeriods', q.scaleInEvaluationPeriods, 1, 100).throwIfInvalid();
    const alarmMetric = {
      namespace: q.backlog.namespace,
      metricName: q.backlog.metricName,
      dimensions: { ...q.backlog.dimensions },
      statistic: 'Maximum',
      period: 60,
    };
    const make = (direction: 'out' | 'in', group: readonly QueueStep[]) => {
      if (group.length === 0) return;
      // Step bounds are relative to the alarm threshold: the lowest lower bound (scale out) or
      // the highest upper bound (scale in).
      const threshold = direction === 'out' ? Math.min(...group.map((s) => s.lower ?? 0)) : Math.max(...group.map((s) => s.upper ?? 0));
      const policy = this.inSequence(
        new AppautoscalingPolicy(this, `queue-scale-${direction}`, {
          ...base,
          name: fitName(`${prefix}-queue-scale-${direction}`, NameLimits.scalingPolicy),
          policyType: 'StepScaling',
          stepScalingPolicyConfiguration: {
            adjustmentType: 'ChangeInCapacity',
            cooldown: q.cooldownSec ?? 300,
            metricAggregationType: 'Maximum',
            // Intervals must not overlap: scale-out steps run from their lower bound to the next
            // step's; scale-in steps from the previous step's upper bound to their own.
            stepAdjustment: [...group]
              .sort((a, b) => (direction === 'out' ? (a.lower ?? 0) - (b.lower ?? 0) : (a.upper ?? 0) - (b.upper ?? 0)))
              .map((s, i, all) => {
                const prevUpper = all[i - 1]?.upper;
                const nextLower = all[i + 1]?.lower;
                const lower = direction === 'out' ? (s.lower ?? 0) - threshold : prevUpper !== undefined ? prevUpper - threshold : undefined;
                const upper = direction === 'out' ? (nextLower !== undefined ? nextLower - threshold : undefined) : (s.upper ?? threshold) - threshold;
                return {
                  scalingAdjustment: s.change,
                  metricIntervalLowerBound: lower === undefined ? undefined : String(lower),
                  metricIntervalUpperBound: upper === undefined ? undefined : String(upper),
                };
              }),
          },
        }),
      );
      this.policies.push(policy);
      const withInFlight = direction === 'in' && q.inFlight !== undefined;
      new CloudwatchMetricAlarm(this, `queue-${direction}-alarm`, {
        alarmName: fitName(`${prefix}-queue-scale-${direction}`, NameLimits.alarm),
        alarmDescription: withInFlight ? `Scale ${prefix} in when the queue has no waiting and no in-flight message` : `Scale ${prefix} ${direction} on the queue backlog`,
        ...(withInFlight ? backlogAndInFlight(q.backlog, q.inFlight!) : alarmMetric),
        evaluationPeriods: direction === 'in' ? q.scaleInEvaluationPeriods ?? q.evaluationPeriods ?? 1 : q.evaluationPeriods ?? 1,
        comparisonOperator: direction === 'out' ? 'GreaterThanOrEqualToThreshold' : 'LessThanOrEqualToThreshold',
        threshold,
        alarmActions: [policy.arn],
      });
    };
    make('out', out);
    make('in', inn);
  }
}

/** The scale-in alarm's metric math: waiting plus in-flight messages (each 0 when SQS reports nothing). */
function backlogAndInFlight(backlog: Metric, inFlight: Metric): { metricQuery: CloudwatchMetricAlarmMetricQuery[] } {
  const query = (id: string, m: Metric): CloudwatchMetricAlarmMetricQuery => ({ id, metric: { namespace: m.namespace, metricName: m.metricName, dimensions: { ...m.dimensions }, period: 60, stat: 'Maximum' } });
  return {
    metricQuery: [
      { id: 'work', expression: 'FILL(backlog, 0) + FILL(inflight, 0)', label: 'Waiting and in-flight messages', returnData: true },
      query('backlog', backlog),
      query('inflight', inFlight),
    ],
  };
}
