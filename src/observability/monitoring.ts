import { Construct } from 'constructs';
import { Lazy } from 'cdktf';
import { CloudwatchDashboard } from '@cdktf/provider-aws/lib/cloudwatch-dashboard';
import { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import { CloudwatchLogMetricFilter } from '@cdktf/provider-aws/lib/cloudwatch-log-metric-filter';
import { XraySamplingRule } from '@cdktf/provider-aws/lib/xray-sampling-rule';
import { jsonencode } from '../core/json';
import { Metric } from '../core/metric';
import { NameLimits, fitName } from '../core/naming';
import { nameTags } from '../core/tags';
import { EMAIL_PATTERN, PropsValidator } from '../core/validation';
import { EncryptionKey } from '../security/kms';
import type { LogGroup } from './logs';
import { ITopic, Topic } from '../data/topic';
import { AwsStack } from '../core/aws-stack';

export type Comparison = 'GreaterThanThreshold' | 'GreaterThanOrEqualToThreshold' | 'LessThanThreshold' | 'LessThanOrEqualToThreshold';
export type MissingData = 'missing' | 'ignore' | 'breaching' | 'notBreaching';

interface AlarmCommon {
  /** Alarm name suffix: the alarm is `<namePrefix>-<name>`. */
  readonly name: string;
  /** Alarm description. */
  readonly description: string;
  /** Threshold in the metric's unit. */
  readonly threshold: number;
  /** How the metric compares to the threshold. */
  readonly comparison: Comparison;
  /** @default 1 */
  readonly evaluationPeriods?: number;
  /** @default - all evaluation periods */
  readonly datapointsToAlarm?: number;
  /**
   * What missing data means. `notBreaching` suits metrics that vanish when all is quiet (errors,
   * latency without traffic); `breaching` suits metrics that vanish when the thing is down.
   * @default "notBreaching"
   */
  readonly treatMissingData?: MissingData;
}

export interface AlarmOptions extends AlarmCommon {
  /** The metric to watch. */
  readonly metric: Metric;
}

export interface MathAlarmOptions extends AlarmCommon {
  /** Metric math over `metrics`, e.g. `100 * errors / requests`. */
  readonly expression: string;
  /** The metrics the expression reads, by id (lowercase letter first). */
  readonly metrics: Readonly<Record<string, Metric>>;
  /** Label of the expression. @default the alarm name */
  readonly label?: string;
}

/** What the error-rate alarm reads of a load balancer (`ApplicationLoadBalancer` has these). */
export interface ILoadBalancerMetrics {
  metricRequestCount(): Metric;
  metricTarget5xx(): Metric;
  metricElb5xx(): Metric;
}

export interface ErrorRateAlarmOptions {
  /** @default "high-error-rate" */
  readonly name?: string;
  /** The load balancer. */
  readonly loadBalancer: ILoadBalancerMetrics;
  /** Percent of requests answered 5xx (target and load balancer). */
  readonly thresholdPercent: number;
  /** @default 2 */
  readonly evaluationPeriods?: number;
}

/** What the service alarms read of a service (`EcsService` has these). */
export interface IMonitoredService {
  metricCpuUtilization(): Metric;
  metricMemoryUtilization(): Metric;
  /** Running tasks. */
  metricRunningTasks(): Metric;
  /** Desired tasks, when the cluster publishes it (Container Insights). */
  metricDesiredTasks(): Metric | undefined;
}

/** What the no-healthy-targets alarm reads of a target group (`TargetGroup` has it). */
export interface ITargetGroupMetrics {
  metricHealthyHosts(): Metric;
  metricUnhealthyHosts(): Metric;
}

export interface NoHealthyTargetsAlarmOptions {
  /** Short label for the name, e.g. `gateway`. */
  readonly label: string;
  /** The service's target group. */
  readonly targetGroup: ITargetGroupMetrics;
  /** The service behind it: with Container Insights, the alarm only fires while tasks are wanted. */
  readonly service: IMonitoredService;
  /**
   * Without Container Insights (no desired-task metric), whether the service is expected to run
   * now: false for a service waiting for its first image, whose missing data then passes.
   * @default true
   */
  readonly expectRunning?: boolean;
  /**
   * Also fire while any target is unhealthy (a task failing its health checks), not only when none
   * is healthy; the alarm is then named `<label>-unhealthy-targets`.
   * @default false
   */
  readonly unhealthy?: boolean;
  /** @default 2 */
  readonly evaluationPeriods?: number;
}

export interface ServiceAlarmOptions {
  /** Short label for names, e.g. `gateway`. */
  readonly label: string;
  /** @default - no CPU alarm */
  readonly cpuPercent?: number;
  /** @default - no memory alarm */
  readonly memoryPercent?: number;
  /**
   * Tasks the service should run at least. With Container Insights the alarm fires when fewer
   * tasks run than desired for `evaluationPeriods` minutes; without it, when fewer than this run.
   * 0 (a service waiting for its first image) keeps the alarm but lets missing data pass.
   * @default - no task-count alarm
   */
  readonly expectedTasks?: number;
  /** @default 3 (5 for the task-count alarm: deployments and scale-outs lag for a few minutes) */
  readonly evaluationPeriods?: number;
}

/** A dashboard widget: a time series or single value of metrics. */
export interface MetricWidget {
  /** Widget title. */
  readonly title: string;
  /** Metrics shown together. */
  readonly metrics: readonly Metric[];
  /** Grid columns (of 24). @default 12 */
  readonly width?: number;
  /** @default 6 */
  readonly height?: number;
  /** @default "timeSeries" */
  readonly view?: 'timeSeries' | 'singleValue';
}

/**
 * A dashboard widget of a CloudWatch Logs Insights query over some log groups (what no metric
 * holds: a Lambda function's memory used, from its `REPORT` lines). Queries bill per GB scanned
 * when the dashboard is open, nothing otherwise.
 */
export interface LogWidget {
  /** Widget title. */
  readonly title: string;
  /** Log group names the query reads (at most 50). */
  readonly logGroupNames: readonly string[];
  /** The query after its `SOURCE` lines, e.g. `filter @type = "REPORT" | stats max(@maxMemoryUsed) by bin(5m)`. */
  readonly query: string;
  /** @default 12 */
  readonly width?: number;
  /** @default 6 */
  readonly height?: number;
  /** @default "timeSeries" */
  readonly view?: 'timeSeries' | 'table' | 'bar';
}

export interface MonitoringProps {
  /** Prefix of the topic, dashboard and alarm names. (The dashboard shows the stack's region.) */
  readonly namePrefix: string;
  /**
   * E-mail subscribed to the alarm topic (confirm the subscription mail after apply). Without it
   * (or a subscription of your own to the topic), alarms reach nobody. Not with a topic made
   * elsewhere (`Topic.fromTopicArn`): subscribe it where that topic is managed.
   * @default - no subscription
   */
  readonly alarmEmail?: string;
  /**
   * The topic to notify: a topic of this app (it is allowed to receive CloudWatch alarms here), or
   * one made elsewhere, an organisation's alarm topic (`Topic.fromTopicArn`), whose policy and key
   * must already let `cloudwatch.amazonaws.com` publish.
   * @default - a new topic `<namePrefix>-alarms`, encrypted with the stack's default key for
   * topics (`EncryptionKey.useAsStackDefault`) or else a new customer managed key, whose policy
   * lets CloudWatch publish (the AWS managed `alias/aws/sns` key cannot)
   */
  readonly topic?: ITopic;
  /**
   * Create the dashboard (`<namePrefix>`).
   * @default true
   */
  readonly dashboard?: boolean;
}

/**
 * The alarm topic (encrypted, CloudWatch allowed to publish), alarms on metrics and on metric math,
 * log metric filters and a dashboard of typed widgets.
 */
export class Monitoring extends Construct {
  /** The alarm topic: the one given, or the one made here. */
  public readonly topic: ITopic;
  public readonly alarmTopicArn: string;
  public readonly dashboard?: CloudwatchDashboard;
  public readonly alarms: CloudwatchMetricAlarm[] = [];
  private readonly widgets: (MetricWidget | (LogWidget & { readonly kind: 'log' }))[] = [];
  private readonly prefix: string;

  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id);
    const v = new PropsValidator(this).matches('alarmEmail', props.alarmEmail, EMAIL_PATTERN, 'an e-mail address');
    if (props.alarmEmail !== undefined && props.topic && !props.topic.policy) {
      v.fail('alarmEmail', `cannot be subscribed to ${props.topic.node.path}, a topic made elsewhere (Topic.fromTopicArn); subscribe it where that topic is managed`);
    }
    v.throwIfInvalid();
    this.prefix = props.namePrefix;
    if (props.topic) {
      this.topic = props.topic;
    } else {
      const key = EncryptionKey.stackDefault(this, 'topics') ?? new EncryptionKey(this, 'alarms-key', { alias: `${props.namePrefix}-alarms`, description: `Encrypts the ${props.namePrefix} alarm topic` });
      this.topic = new Topic(this, 'alarms', { name: `${props.namePrefix}-alarms`, kmsKey: key });
    }
    this.topic.allowPublishFrom('cloudwatch.amazonaws.com');
    if (props.alarmEmail) this.topic.addEmailSubscription(props.alarmEmail);
    this.alarmTopicArn = this.topic.topicArn;
    if (props.dashboard ?? true) {
      this.dashboard = new CloudwatchDashboard(this, 'dashboard', {
        dashboardName: props.namePrefix,
        dashboardBody: Lazy.stringValue({ produce: () => jsonencode({ widgets: this.layoutWidgets() }) }),
      });
    }
  }

  /** The dashboard's name. */
  public get dashboardName(): string | undefined {
    return this.dashboard?.dashboardName;
  }

  /** Console address of the dashboard. */
  public get dashboardUrl(): string | undefined {
    const region = AwsStack.of(this).region;
    return this.dashboard ? `https://${region}.console.aws.amazon.com/cloudwatch/home?region=${region}#dashboards:name=${this.dashboard.dashboardName}` : undefined;
  }

  /** Adds a widget to the dashboard (laid out left to right, top to bottom). */
  public addWidget(widget: MetricWidget): void {
    this.widgets.push(widget);
  }

  /** Adds a Logs Insights query widget to the dashboard (laid out with the others). */
  public addLogWidget(widget: LogWidget): void {
    new PropsValidator(this).range(`log widget "${widget.title}": logGroupNames`, widget.logGroupNames.length, 1, 50).throwIfInvalid();
    this.widgets.push({ ...widget, kind: 'log' });
  }

  /** Adds a metric alarm that notifies the alarm topic (on alarm and on recovery). */
  public addAlarm(id: string, o: AlarmOptions): CloudwatchMetricAlarm {
    return this.alarm(id, o, {
      namespace: o.metric.namespace,
      metricName: o.metric.metricName,
      dimensions: { ...o.metric.dimensions },
      ...(isPercentile(o.metric.stat) ? { extendedStatistic: o.metric.stat } : { statistic: o.metric.stat }),
      period: o.metric.periodSec ?? 60,
    });
  }

  /** Adds an alarm on metric math over several metrics. */
  public addMathAlarm(id: string, o: MathAlarmOptions): CloudwatchMetricAlarm {
    const v = new PropsValidator(this);
    for (const k of Object.keys(o.metrics)) v.matches(`${id}.metrics`, k, /^[a-z][A-Za-z0-9_]*$/, 'a metric math id (a lowercase letter, then letters, digits and "_")');
    v.check(Object.keys(o.metrics).length > 0, `${id}.metrics`, o.metrics, 'is empty; give the metrics the expression reads');
    v.throwIfInvalid();
    return this.alarm(id, o, {
      metricQuery: [
        { id: 'expression', expression: o.expression, label: o.label ?? o.name, returnData: true },
        ...Object.entries(o.metrics).map(([qid, m]) => ({
          id: qid,
          metric: { namespace: m.namespace, metricName: m.metricName, dimensions: { ...m.dimensions }, period: m.periodSec ?? 60, stat: m.stat },
        })),
      ],
    });
  }

  /**
   * 5xx error rate of an ALB in percent: `100 * (target 5xx + load balancer 5xx) / (requests +
   * load balancer 5xx)`, 0 without traffic. The load balancer's own 503s (no registered target)
   * are not in `RequestCount`, so they are added to both sides: an outage reads as 100 %.
   */
  public addErrorRateAlarm(id: string, o: ErrorRateAlarmOptions): CloudwatchMetricAlarm {
    return this.addMathAlarm(id, {
      name: o.name ?? 'high-error-rate',
      description: `5xx responses above ${o.thresholdPercent}% of requests (targets and the load balancer)`,
      expression: 'IF((FILL(requests, 0) + FILL(elb_errors, 0)) > 0, 100 * (FILL(target_errors, 0) + FILL(elb_errors, 0)) / (FILL(requests, 0) + FILL(elb_errors, 0)), 0)',
      label: 'Error rate (%)',
      metrics: { target_errors: o.loadBalancer.metricTarget5xx(), elb_errors: o.loadBalancer.metricElb5xx(), requests: o.loadBalancer.metricRequestCount() },
      threshold: o.thresholdPercent,
      comparison: 'GreaterThanThreshold',
      evaluationPeriods: o.evaluationPeriods ?? 2,
    });
  }

  /**
   * The outage a load balancer answers with 503: no healthy target. With Container Insights it
   * fires only while the service wants tasks (`IF(desired > 0 AND healthy < 1)`), so a service
   * scaled to zero on purpose (off hours, waiting for an image) is not an outage; without it, on
   * fewer than one healthy host, missing data breaching unless `expectRunning` is false.
   */
  public addNoHealthyTargetsAlarm(id: string, o: NoHealthyTargetsAlarmOptions): CloudwatchMetricAlarm {
    const periods = o.evaluationPeriods ?? 2;
    const desired = o.service.metricDesiredTasks();
    const healthy = { ...o.targetGroup.metricHealthyHosts(), stat: 'Minimum' };
    if (o.unhealthy) {
      const unhealthy = { ...o.targetGroup.metricUnhealthyHosts(), stat: 'Maximum' };
      const none = desired ? 'FILL(desired, 0) > 0 AND FILL(healthy, 0) < 1' : o.expectRunning ?? true ? 'FILL(healthy, 0) < 1' : undefined;
      return this.addMathAlarm(id, {
        name: `${o.label}-unhealthy-targets`,
        description: `A ${o.label} target fails its health checks, or none is healthy while tasks are wanted`,
        expression: none ? `IF(FILL(unhealthy, 0) > 0 OR (${none}), 1, 0)` : 'IF(FILL(unhealthy, 0) > 0, 1, 0)',
        label: 'Unhealthy or no healthy targets',
        metrics: { unhealthy, healthy, ...(desired ? { desired } : {}) },
        threshold: 1,
        comparison: 'GreaterThanOrEqualToThreshold',
        evaluationPeriods: periods,
        treatMissingData: desired || !(o.expectRunning ?? true) ? 'notBreaching' : 'breaching',
      });
    }
    const name = `${o.label}-no-healthy-targets`;
    const description = `The load balancer has no healthy ${o.label} target: every request gets a 503`;
    if (desired) {
      return this.addMathAlarm(id, {
        name,
        description,
        expression: 'IF(FILL(desired, 0) > 0 AND FILL(healthy, 0) < 1, 1, 0)',
        label: 'Tasks wanted, none healthy',
        metrics: { desired, healthy },
        threshold: 1,
        comparison: 'GreaterThanOrEqualToThreshold',
        evaluationPeriods: periods,
        treatMissingData: 'notBreaching',
      });
    }
    return this.addAlarm(id, {
      name,
      description,
      metric: healthy,
      threshold: 1,
      comparison: 'LessThanThreshold',
      evaluationPeriods: periods,
      treatMissingData: o.expectRunning ?? true ? 'breaching' : 'notBreaching',
    });
  }

  /**
   * CPU, memory and task-count alarms of one service (each only when its threshold is set).
   * The task-count alarm sees an outage: fewer tasks than desired (Container Insights), or fewer
   * than expected, with missing data (no task reports anything) counted as breaching.
   */
  public addServiceAlarms(id: string, service: IMonitoredService, o: ServiceAlarmOptions): CloudwatchMetricAlarm[] {
    const periods = o.evaluationPeriods ?? 3;
    const out: CloudwatchMetricAlarm[] = [];
    if (o.cpuPercent !== undefined) {
      out.push(this.addAlarm(`${id}-cpu`, { name: `${o.label}-high-cpu`, description: `${o.label} CPU above ${o.cpuPercent}%`, metric: service.metricCpuUtilization(), threshold: o.cpuPercent, comparison: 'GreaterThanThreshold', evaluationPeriods: periods }));
    }
    if (o.memoryPercent !== undefined) {
      out.push(this.addAlarm(`${id}-memory`, { name: `${o.label}-high-memory`, description: `${o.label} memory above ${o.memoryPercent}%`, metric: service.metricMemoryUtilization(), threshold: o.memoryPercent, comparison: 'GreaterThanThreshold', evaluationPeriods: periods }));
    }
    if (o.expectedTasks !== undefined) {
      const missing: MissingData = o.expectedTasks > 0 ? 'breaching' : 'notBreaching';
      const desired = service.metricDesiredTasks();
      const taskPeriods = o.evaluationPeriods ?? 5;
      out.push(
        desired
          ? this.addMathAlarm(`${id}-tasks`, {
              name: `${o.label}-tasks-below-desired`,
              description: `${o.label} runs fewer tasks than desired`,
              expression: 'desired - running',
              label: 'Missing tasks',
              metrics: { desired, running: service.metricRunningTasks() },
              threshold: 0,
              comparison: 'GreaterThanThreshold',
              evaluationPeriods: taskPeriods,
              treatMissingData: missing,
            })
          : this.addAlarm(`${id}-tasks`, {
              name: `${o.label}-tasks-below-desired`,
              description: `${o.label} runs fewer than ${o.expectedTasks} tasks`,
              metric: service.metricRunningTasks(),
              threshold: o.expectedTasks,
              comparison: 'LessThanThreshold',
              evaluationPeriods: taskPeriods,
              treatMissingData: missing,
            }),
      );
    }
    return out;
  }

  /** Counts log events matching `pattern` into a custom metric; returns that metric (Sum). */
  public addLogMetricFilter(id: string, o: { readonly logGroup: LogGroup; readonly pattern: string; readonly metricName: string; readonly namespace: string }): Metric {
    new CloudwatchLogMetricFilter(this, id, {
      name: fitName(`${this.prefix}-${o.metricName}`, 512),
      logGroupName: o.logGroup.logGroupName,
      pattern: o.pattern,
      metricTransformation: { name: o.metricName, namespace: o.namespace, value: '1', defaultValue: '0' },
    });
    return { namespace: o.namespace, metricName: o.metricName, dimensions: {}, stat: 'Sum', label: o.metricName };
  }

  /** An X-Ray sampling rule: `fixedRate` of requests after `reservoirSize` per second, for `serviceName` (or all). */
  public addSamplingRule(id: string, o: { readonly ruleName: string; readonly priority: number; readonly fixedRate: number; readonly reservoirSize: number; readonly serviceName?: string }): XraySamplingRule {
    new PropsValidator(this)
      .matches(`${id}.ruleName`, o.ruleName, /^[A-Za-z0-9_-]{1,32}$/, 'an X-Ray rule name (1-32 letters, digits, "-" and "_")')
      .range(`${id}.priority`, o.priority, 1, 9999)
      .range(`${id}.fixedRate`, o.fixedRate, 0, 1)
      .range(`${id}.reservoirSize`, o.reservoirSize, 0, 1000000)
      .throwIfInvalid();
    return new XraySamplingRule(this, id, {
      ruleName: o.ruleName,
      priority: o.priority,
      fixedRate: o.fixedRate,
      reservoirSize: o.reservoirSize,
      serviceName: o.serviceName ?? '*',
      serviceType: '*',
      host: '*',
      httpMethod: '*',
      urlPath: '*',
      resourceArn: '*',
      version: 1,
      tags: nameTags(o.ruleName),
    });
  }

  private alarm(id: string, o: AlarmCommon, source: Record<string, unknown>): CloudwatchMetricAlarm {
    new PropsValidator(this)
      .range(`${id}.evaluationPeriods`, o.evaluationPeriods, 1, 100)
      .range(`${id}.datapointsToAlarm`, o.datapointsToAlarm, 1, o.evaluationPeriods ?? 1)
      .throwIfInvalid();
    const alarm = new CloudwatchMetricAlarm(this, id, {
      alarmName: fitName(`${this.prefix}-${o.name}`, NameLimits.alarm),
      alarmDescription: o.description,
      ...source,
      evaluationPeriods: o.evaluationPeriods ?? 1,
      datapointsToAlarm: o.datapointsToAlarm,
      threshold: o.threshold,
      comparisonOperator: o.comparison,
      treatMissingData: o.treatMissingData ?? 'notBreaching',
      alarmActions: [this.alarmTopicArn],
      okActions: [this.alarmTopicArn],
      tags: nameTags(`${this.prefix}-${o.name}`),
    });
    this.alarms.push(alarm);
    return alarm;
  }

  private layoutWidgets(): unknown[] {
    const region = AwsStack.of(this).region;
    let x = 0;
    let y = 0;
    let rowHeight = 0;
    return this.widgets.map((w) => {
      const width = w.width ?? 12;
      const height = w.height ?? 6;
      if (x + width > 24) {
        x = 0;
        y += rowHeight;
        rowHeight = 0;
      }
      const placed =
        'kind' in w
          ? { type: 'log', x, y, width, height, properties: { title: w.title, view: w.view ?? 'timeSeries', region, query: [...w.logGroupNames.map((g) => `SOURCE '${g}'`), w.query].join(' | ') } }
          : {
              type: 'metric',
              x,
              y,
              width,
              height,
              properties: {
                title: w.title,
                view: w.view ?? 'timeSeries',
                region,
                metrics: w.metrics.map((m) => [m.namespace, m.metricName, ...Object.entries(m.dimensions).flat(), { stat: m.stat, period: m.periodSec ?? 60, ...(m.label ? { label: m.label } : {}) }]),
              },
            };
      x += width;
      rowHeight = Math.max(rowHeight, height);
      return placed;
    });
  }
}

function isPercentile(stat: string): boolean {
  return /^(p|tm|wm|tc|ts)\d/i.test(stat);
}
