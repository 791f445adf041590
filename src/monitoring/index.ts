import { Construct } from 'constructs';
import { Lazy } from 'cdktf';
import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { SnsTopicSubscription } from '@cdktf/provider-aws/lib/sns-topic-subscription';
import { CloudwatchDashboard } from '@cdktf/provider-aws/lib/cloudwatch-dashboard';
import { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import { CloudwatchLogMetricFilter } from '@cdktf/provider-aws/lib/cloudwatch-log-metric-filter';
import { NameLimits, fitName } from '../core/naming';
import { nameTags } from '../core/tags';
import { PropsValidator } from '../core/validation';

/** A CloudWatch metric, shared by alarms and dashboard widgets. */
export interface Metric {
  /** CloudWatch namespace, e.g. `AWS/ECS`. */
  readonly namespace: string;
  /** Metric name, e.g. `CPUUtilization`. */
  readonly metricName: string;
  /** Dimension names to values. */
  readonly dimensions: Readonly<Record<string, string>>;
  /** `Average`, `Sum`, `Maximum`, `p99`, ... */
  readonly stat: string;
  /** @default 60 */
  readonly periodSec?: number;
  /** Legend label on dashboards. @default - the metric name */
  readonly label?: string;
}

/** Metric helpers for the services the stacks use. */
export const Metrics = {
  albTargetResponseTime: (albArnSuffix: string, stat = 'p99'): Metric => ({
    namespace: 'AWS/ApplicationELB', metricName: 'TargetResponseTime', dimensions: { LoadBalancer: albArnSuffix }, stat, label: `${stat.toUpperCase()} latency`,
  }),
  albRequestCount: (albArnSuffix: string): Metric => ({ namespace: 'AWS/ApplicationELB', metricName: 'RequestCount', dimensions: { LoadBalancer: albArnSuffix }, stat: 'Sum' }),
  albTarget5xx: (albArnSuffix: string): Metric => ({ namespace: 'AWS/ApplicationELB', metricName: 'HTTPCode_Target_5XX_Count', dimensions: { LoadBalancer: albArnSuffix }, stat: 'Sum' }),
  albElb5xx: (albArnSuffix: string): Metric => ({ namespace: 'AWS/ApplicationELB', metricName: 'HTTPCode_ELB_5XX_Count', dimensions: { LoadBalancer: albArnSuffix }, stat: 'Sum' }),
  albUnhealthyHosts: (albArnSuffix: string, targetGroupArnSuffix: string): Metric => ({
    namespace: 'AWS/ApplicationELB', metricName: 'UnHealthyHostCount', dimensions: { LoadBalancer: albArnSuffix, TargetGroup: targetGroupArnSuffix }, stat: 'Maximum',
  }),
  ecsCpu: (clusterName: string, serviceName: string, label?: string): Metric => ({
    namespace: 'AWS/ECS', metricName: 'CPUUtilization', dimensions: { ServiceName: serviceName, ClusterName: clusterName }, stat: 'Average', label,
  }),
  ecsMemory: (clusterName: string, serviceName: string, label?: string): Metric => ({
    namespace: 'AWS/ECS', metricName: 'MemoryUtilization', dimensions: { ServiceName: serviceName, ClusterName: clusterName }, stat: 'Average', label,
  }),
  /** Needs Container Insights. */
  ecsRunningTasks: (clusterName: string, serviceName: string, label?: string): Metric => ({
    namespace: 'ECS/ContainerInsights', metricName: 'RunningTaskCount', dimensions: { ServiceName: serviceName, ClusterName: clusterName }, stat: 'Minimum', label,
  }),
  sqsVisibleMessages: (queueName: string): Metric => ({ namespace: 'AWS/SQS', metricName: 'ApproximateNumberOfMessagesVisible', dimensions: { QueueName: queueName }, stat: 'Maximum' }),
  sqsOldestMessageAge: (queueName: string): Metric => ({ namespace: 'AWS/SQS', metricName: 'ApproximateAgeOfOldestMessage', dimensions: { QueueName: queueName }, stat: 'Maximum' }),
};

export type Comparison = 'GreaterThanThreshold' | 'GreaterThanOrEqualToThreshold' | 'LessThanThreshold' | 'LessThanOrEqualToThreshold';

export interface AlarmOptions {
  /** Alarm name suffix: the alarm is `<namePrefix>-<name>`. */
  readonly name: string;
  /** Alarm description. */
  readonly description: string;
  /** The metric to watch. */
  readonly metric: Metric;
  /** Threshold in the metric's unit. */
  readonly threshold: number;
  /** How the metric compares to the threshold. */
  readonly comparison: Comparison;
  /** @default 1 */
  readonly evaluationPeriods?: number;
  /** @default - all evaluation periods */
  readonly datapointsToAlarm?: number;
  /** @default "notBreaching" */
  readonly treatMissingData?: 'missing' | 'ignore' | 'breaching' | 'notBreaching';
}

export interface ErrorRateAlarmOptions {
  /** @default "high-error-rate" */
  readonly name?: string;
  /** ARN suffix of the load balancer (`app/<name>/<id>`). */
  readonly albArnSuffix: string;
  /** Percent of requests answered 5xx (target and load balancer). */
  readonly thresholdPercent: number;
  /** @default 2 */
  readonly evaluationPeriods?: number;
}

export interface ServiceAlarmOptions {
  /** Name of the ECS cluster. */
  readonly clusterName: string;
  /** Name of the ECS service. */
  readonly serviceName: string;
  /** Short label for names, e.g. `gateway`. */
  readonly label: string;
  /** @default - no CPU alarm */
  readonly cpuPercent?: number;
  /** @default - no memory alarm */
  readonly memoryPercent?: number;
  /** Alarm when fewer tasks run (needs Container Insights). @default - no task-count alarm */
  readonly minRunningTasks?: number;
  /** @default 3 */
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

export interface MonitoringProps {
  /** Prefix of the topic, dashboard and alarm names. */
  readonly namePrefix: string;
  /** Region of the dashboard's metrics. */
  readonly region: string;
  /**
   * E-mail subscribed to the alarm topic (confirm the subscription mail after apply).
   * @default - no subscription
   */
  readonly alarmEmail?: string;
  /**
   * KMS key of the topic. CloudWatch can only publish to a topic encrypted with a customer managed
   * key whose policy allows `cloudwatch.amazonaws.com`; the AWS managed `alias/aws/sns` does not work.
   * @default - not encrypted
   */
  readonly topicKmsKeyId?: string;
  /**
   * Create the dashboard (`<namePrefix>`).
   * @default true
   */
  readonly dashboard?: boolean;
}

/** An alarm SNS topic, alarms built from `Metrics`, log metric filters and a dashboard of typed widgets. */
export class Monitoring extends Construct {
  public readonly alarmTopic: SnsTopic;
  public readonly alarmTopicArn: string;
  public readonly dashboard?: CloudwatchDashboard;
  public readonly alarms: CloudwatchMetricAlarm[] = [];
  private readonly widgets: MetricWidget[] = [];
  private readonly prefix: string;
  private readonly region: string;

  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id);
    new PropsValidator(this)
      .check(props.alarmEmail === undefined || /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(props.alarmEmail), 'alarmEmail', props.alarmEmail, 'is not an e-mail address')
      .throwIfInvalid();
    this.prefix = props.namePrefix;
    this.region = props.region;
    this.alarmTopic = new SnsTopic(this, 'alarms', {
      name: `${props.namePrefix}-alarms`,
      kmsMasterKeyId: props.topicKmsKeyId,
      tags: nameTags(`${props.namePrefix}-alarms`),
    });
    this.alarmTopicArn = this.alarmTopic.arn;
    if (props.alarmEmail) {
      new SnsTopicSubscription(this, 'alarm-email', { topicArn: this.alarmTopic.arn, protocol: 'email', endpoint: props.alarmEmail });
    }
    if (props.dashboard ?? true) {
      this.dashboard = new CloudwatchDashboard(this, 'dashboard', {
        dashboardName: props.namePrefix,
        dashboardBody: Lazy.stringValue({ produce: () => this.renderDashboard() }),
      });
    }
  }

  /** Adds a widget to the dashboard (laid out left to right, top to bottom). */
  public addWidget(widget: MetricWidget): void {
    this.widgets.push(widget);
  }

  /** Adds a metric alarm that notifies the alarm topic (on alarm and on recovery). */
  public addAlarm(id: string, o: AlarmOptions): CloudwatchMetricAlarm {
    const alarm = new CloudwatchMetricAlarm(this, id, {
      alarmName: fitName(`${this.prefix}-${o.name}`, NameLimits.alarm),
      alarmDescription: o.description,
      namespace: o.metric.namespace,
      metricName: o.metric.metricName,
      dimensions: { ...o.metric.dimensions },
      ...(isPercentile(o.metric.stat) ? { extendedStatistic: o.metric.stat } : { statistic: o.metric.stat }),
      period: o.metric.periodSec ?? 60,
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

  /**
   * 5xx error rate of an ALB in percent, by metric math:
   * `100 * (target 5xx + load balancer 5xx) / requests`, 0 when there are no requests.
   */
  public addErrorRateAlarm(id: string, o: ErrorRateAlarmOptions): CloudwatchMetricAlarm {
    const name = o.name ?? 'high-error-rate';
    const query = (qid: string, m: Metric) => ({
      id: qid,
      metric: { namespace: m.namespace, metricName: m.metricName, dimensions: { ...m.dimensions }, period: m.periodSec ?? 60, stat: m.stat },
    });
    const alarm = new CloudwatchMetricAlarm(this, id, {
      alarmName: fitName(`${this.prefix}-${name}`, NameLimits.alarm),
      alarmDescription: `5xx responses above ${o.thresholdPercent}% of requests`,
      comparisonOperator: 'GreaterThanThreshold',
      evaluationPeriods: o.evaluationPeriods ?? 2,
      threshold: o.thresholdPercent,
      treatMissingData: 'notBreaching',
      metricQuery: [
        { id: 'error_rate', expression: 'IF(requests > 0, 100 * (FILL(target_errors, 0) + FILL(elb_errors, 0)) / requests, 0)', label: 'Error rate (%)', returnData: true },
        query('target_errors', Metrics.albTarget5xx(o.albArnSuffix)),
        query('elb_errors', Metrics.albElb5xx(o.albArnSuffix)),
        query('requests', Metrics.albRequestCount(o.albArnSuffix)),
      ],
      alarmActions: [this.alarmTopicArn],
      okActions: [this.alarmTopicArn],
      tags: nameTags(`${this.prefix}-${name}`),
    });
    this.alarms.push(alarm);
    return alarm;
  }

  /** CPU, memory and running-task alarms of one ECS service (each only when its threshold is set). */
  public addServiceAlarms(id: string, o: ServiceAlarmOptions): CloudwatchMetricAlarm[] {
    const periods = o.evaluationPeriods ?? 3;
    const out: CloudwatchMetricAlarm[] = [];
    if (o.cpuPercent !== undefined) {
      out.push(this.addAlarm(`${id}-cpu`, { name: `${o.label}-high-cpu`, description: `${o.label} CPU above ${o.cpuPercent}%`, metric: Metrics.ecsCpu(o.clusterName, o.serviceName), threshold: o.cpuPercent, comparison: 'GreaterThanThreshold', evaluationPeriods: periods }));
    }
    if (o.memoryPercent !== undefined) {
      out.push(this.addAlarm(`${id}-memory`, { name: `${o.label}-high-memory`, description: `${o.label} memory above ${o.memoryPercent}%`, metric: Metrics.ecsMemory(o.clusterName, o.serviceName), threshold: o.memoryPercent, comparison: 'GreaterThanThreshold', evaluationPeriods: periods }));
    }
    if (o.minRunningTasks !== undefined) {
      out.push(this.addAlarm(`${id}-tasks`, { name: `${o.label}-low-task-count`, description: `${o.label} runs fewer than ${o.minRunningTasks} tasks`, metric: Metrics.ecsRunningTasks(o.clusterName, o.serviceName), threshold: o.minRunningTasks, comparison: 'LessThanThreshold', evaluationPeriods: periods, treatMissingData: 'breaching' }));
    }
    return out;
  }

  /** Counts log events matching `pattern` into a custom metric. */
  public addLogMetricFilter(id: string, o: { logGroupName: string; pattern: string; metricName: string; namespace: string }): CloudwatchLogMetricFilter {
    return new CloudwatchLogMetricFilter(this, id, {
      name: fitName(`${this.prefix}-${o.metricName}`, 512),
      logGroupName: o.logGroupName,
      pattern: o.pattern,
      metricTransformation: { name: o.metricName, namespace: o.namespace, value: '1', defaultValue: '0' },
    });
  }

  private renderDashboard(): string {
    let x = 0;
    let y = 0;
    let rowHeight = 0;
    const widgets = this.widgets.map((w) => {
      const width = w.width ?? 12;
      const height = w.height ?? 6;
      if (x + width > 24) {
        x = 0;
        y += rowHeight;
        rowHeight = 0;
      }
      const placed = {
        type: 'metric',
        x,
        y,
        width,
        height,
        properties: {
          title: w.title,
          view: w.view ?? 'timeSeries',
          region: this.region,
          metrics: w.metrics.map((m) => [
            m.namespace,
            m.metricName,
            ...Object.entries(m.dimensions).flat(),
            { stat: m.stat, period: m.periodSec ?? 60, ...(m.label ? { label: m.label } : {}) },
          ]),
        },
      };
      x += width;
      rowHeight = Math.max(rowHeight, height);
      return placed;
    });
    return JSON.stringify({ widgets });
  }
}

function isPercentile(stat: string): boolean {
  return /^(p|tm|wm|tc|ts)\d/i.test(stat);
}
