import { CloudwatchDashboard } from '@cdktf/provider-aws/lib/cloudwatch-dashboard';
import { CloudwatchLogMetricFilter } from '@cdktf/provider-aws/lib/cloudwatch-log-metric-filter';
import { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { SnsTopicSubscription } from '@cdktf/provider-aws/lib/sns-topic-subscription';
import { Metrics, Monitoring, MonitoringProps } from '../../src/monitoring';
import { countOf, errorOf, findBy, isAbsent, onlyOf, parseField, synthConstructs, Synthesized } from '../helpers/synth';

const ALB = 'app/shop/50dc6c495c0c9188';
const TOPIC_ARN = /^\$\{aws_sns_topic\.monitoring_alarms_\w+\.arn\}$/;

function build(props: Partial<MonitoringProps> = {}, after?: (m: Monitoring) => void): { text: string; json: Synthesized } {
  return synthConstructs((stack) => {
    const m = new Monitoring(stack, 'monitoring', { namePrefix: 'shop', region: 'eu-west-1', ...props });
    after?.(m);
  });
}

/** A dashboard metric `[namespace, metricName, dimName, dimValue, ..., options]`, read back (dimension order does not matter to CloudWatch). */
function metricOf(entry: unknown[]): { namespace: unknown; metricName: unknown; dimensions: Record<string, unknown>; options: unknown } {
  const [namespace, metricName, ...rest] = entry;
  const options = rest.pop();
  expect(typeof options).toBe('object');
  expect(rest.length % 2).toBe(0);
  const dimensions: Record<string, unknown> = {};
  for (let i = 0; i < rest.length; i += 2) {
    expect(typeof rest[i]).toBe('string');
    dimensions[rest[i] as string] = rest[i + 1];
  }
  return { namespace, metricName, dimensions, options };
}

function alarm(json: Synthesized, name: string): Record<string, any> {
  return findBy(json, 'aws_cloudwatch_metric_alarm', 'alarm_name', name);
}

describe('Monitoring topic and dashboard', () => {
  it('creates the <prefix>-alarms topic without a subscription and an empty dashboard by default', () => {
    const { text, json } = build();
    expect(text).toHaveResourceWithProperties(SnsTopic, { name: 'shop-alarms', tags: { Name: 'shop-alarms' } });
    expect(isAbsent(onlyOf(json, 'aws_sns_topic'), 'kms_master_key_id')).toBe(true);
    expect(countOf(json, 'aws_sns_topic_subscription')).toBe(0);
    const dashboard = onlyOf(json, 'aws_cloudwatch_dashboard');
    expect(dashboard.dashboard_name).toBe('shop');
    expect(parseField(dashboard, 'dashboard_body')).toEqual({ widgets: [] });
  });

  it('subscribes the alarm e-mail and encrypts the topic with the given key', () => {
    const { text, json } = build({ alarmEmail: 'ops@example.com', topicKmsKeyId: 'arn:aws:kms:eu-west-1:123456789012:key/k' });
    expect(text).toHaveResourceWithProperties(SnsTopicSubscription, {
      protocol: 'email',
      endpoint: 'ops@example.com',
      topic_arn: expect.stringMatching(TOPIC_ARN),
    });
    expect(onlyOf(json, 'aws_sns_topic').kms_master_key_id).toBe('arn:aws:kms:eu-west-1:123456789012:key/k');
  });

  it('creates no dashboard with dashboard: false', () => {
    let monitoring: Monitoring | undefined;
    const { json } = build({ dashboard: false }, (m) => {
      monitoring = m;
      m.addWidget({ title: 'CPU', metrics: [Metrics.ecsCpu('shop', 'shop-api')] });
    });
    expect(countOf(json, 'aws_cloudwatch_dashboard')).toBe(0);
    expect(monitoring!.dashboard).toBeUndefined();
  });

  it('lays widgets out left to right, wrapping rows below the tallest widget', () => {
    const { text, json } = build({}, (m) => {
      m.addWidget({ title: 'CPU', metrics: [Metrics.ecsCpu('shop', 'shop-api', 'api')] });
      m.addWidget({ title: 'Requests', metrics: [Metrics.albRequestCount(ALB)], height: 8 });
      m.addWidget({ title: 'Latency', metrics: [Metrics.albTargetResponseTime(ALB), { ...Metrics.albTarget5xx(ALB), periodSec: 300 }], width: 24 });
      m.addWidget({ title: 'Tasks', metrics: [Metrics.ecsRunningTasks('shop', 'shop-api')], width: 8, height: 3, view: 'singleValue' });
      m.addWidget({ title: 'Backlog', metrics: [Metrics.sqsVisibleMessages('jobs')], width: 20 });
    });
    expect(text).toHaveResourceWithProperties(CloudwatchDashboard, { dashboard_name: 'shop' });
    const { widgets } = parseField<{ widgets: any[] }>(onlyOf(json, 'aws_cloudwatch_dashboard'), 'dashboard_body');
    expect(widgets.map((w) => [w.properties.title, w.x, w.y, w.width, w.height])).toEqual([
      ['CPU', 0, 0, 12, 6],
      ['Requests', 12, 0, 12, 8],
      ['Latency', 0, 8, 24, 6],
      ['Tasks', 0, 14, 8, 3],
      ['Backlog', 0, 17, 20, 6],
    ]);
    expect(widgets.every((w) => w.type === 'metric' && w.properties.region === 'eu-west-1')).toBe(true);
    expect(widgets.map((w) => w.properties.view)).toEqual(['timeSeries', 'timeSeries', 'timeSeries', 'singleValue', 'timeSeries']);
    const metrics = widgets.map((w) => w.properties.metrics.map(metricOf));
    expect(metrics[0]).toEqual([{ namespace: 'AWS/ECS', metricName: 'CPUUtilization', dimensions: { ClusterName: 'shop', ServiceName: 'shop-api' }, options: { stat: 'Average', period: 60, label: 'api' } }]);
    expect(metrics[1]).toEqual([{ namespace: 'AWS/ApplicationELB', metricName: 'RequestCount', dimensions: { LoadBalancer: ALB }, options: { stat: 'Sum', period: 60 } }]);
    expect(metrics[2]).toEqual([
      { namespace: 'AWS/ApplicationELB', metricName: 'TargetResponseTime', dimensions: { LoadBalancer: ALB }, options: { stat: 'p99', period: 60, label: 'P99 latency' } },
      { namespace: 'AWS/ApplicationELB', metricName: 'HTTPCode_Target_5XX_Count', dimensions: { LoadBalancer: ALB }, options: { stat: 'Sum', period: 300 } },
    ]);
    expect(metrics[3]).toEqual([
      { namespace: 'ECS/ContainerInsights', metricName: 'RunningTaskCount', dimensions: { ClusterName: 'shop', ServiceName: 'shop-api' }, options: { stat: 'Minimum', period: 60 } },
    ]);
    expect(metrics[4]).toEqual([{ namespace: 'AWS/SQS', metricName: 'ApproximateNumberOfMessagesVisible', dimensions: { QueueName: 'jobs' }, options: { stat: 'Maximum', period: 60 } }]);
    // The plain array form CloudWatch expects: namespace, metric name, dimension pairs, then the options.
    expect(widgets[1].properties.metrics).toEqual([['AWS/ApplicationELB', 'RequestCount', 'LoadBalancer', ALB, { stat: 'Sum', period: 60 }]]);
  });
});

describe('Monitoring alarms', () => {
  it('addAlarm notifies the topic on alarm and recovery, with a plain statistic', () => {
    const { text } = build({}, (m) =>
      m.addAlarm('cpu', { name: 'api-high-cpu', description: 'CPU high', metric: Metrics.ecsCpu('shop', 'shop-api'), threshold: 80, comparison: 'GreaterThanThreshold' }),
    );
    expect(text).toHaveResourceWithProperties(CloudwatchMetricAlarm, {
      alarm_name: 'shop-api-high-cpu',
      alarm_description: 'CPU high',
      namespace: 'AWS/ECS',
      metric_name: 'CPUUtilization',
      dimensions: { ClusterName: 'shop', ServiceName: 'shop-api' },
      statistic: 'Average',
      period: 60,
      evaluation_periods: 1,
      threshold: 80,
      comparison_operator: 'GreaterThanThreshold',
      treat_missing_data: 'notBreaching',
      alarm_actions: [expect.stringMatching(TOPIC_ARN)],
      ok_actions: [expect.stringMatching(TOPIC_ARN)],
    });
  });

  it('addAlarm puts percentiles into extended_statistic and takes periods and missing-data handling', () => {
    const { json } = build({}, (m) =>
      m.addAlarm('latency', {
        name: 'slow',
        description: 'p99 latency above 1 s',
        metric: { ...Metrics.albTargetResponseTime(ALB, 'p99.9'), periodSec: 300 },
        threshold: 1,
        comparison: 'GreaterThanOrEqualToThreshold',
        evaluationPeriods: 5,
        datapointsToAlarm: 3,
        treatMissingData: 'missing',
      }),
    );
    const a = alarm(json, 'shop-slow');
    expect(a.extended_statistic).toBe('p99.9');
    expect(isAbsent(a, 'statistic')).toBe(true);
    expect(a).toMatchObject({ period: 300, evaluation_periods: 5, datapoints_to_alarm: 3, treat_missing_data: 'missing', comparison_operator: 'GreaterThanOrEqualToThreshold' });
  });

  it('addErrorRateAlarm computes the 5xx rate by metric math over three metric queries', () => {
    const { json } = build({}, (m) => m.addErrorRateAlarm('errors', { albArnSuffix: ALB, thresholdPercent: 5 }));
    const a = alarm(json, 'shop-high-error-rate');
    expect(a).toMatchObject({
      alarm_description: '5xx responses above 5% of requests',
      comparison_operator: 'GreaterThanThreshold',
      threshold: 5,
      evaluation_periods: 2,
      treat_missing_data: 'notBreaching',
      alarm_actions: [expect.stringMatching(TOPIC_ARN)],
      ok_actions: [expect.stringMatching(TOPIC_ARN)],
    });
    for (const field of ['metric_name', 'namespace', 'statistic', 'extended_statistic', 'period']) expect(isAbsent(a, field)).toBe(true);
    const metric = (metricName: string) => ({ namespace: 'AWS/ApplicationELB', metric_name: metricName, dimensions: { LoadBalancer: ALB }, period: 60, stat: 'Sum' });
    expect(a.metric_query).toEqual([
      { id: 'error_rate', expression: 'IF(requests > 0, 100 * (FILL(target_errors, 0) + FILL(elb_errors, 0)) / requests, 0)', label: 'Error rate (%)', return_data: true },
      { id: 'target_errors', metric: metric('HTTPCode_Target_5XX_Count') },
      { id: 'elb_errors', metric: metric('HTTPCode_ELB_5XX_Count') },
      { id: 'requests', metric: metric('RequestCount') },
    ]);
  });

  it('addErrorRateAlarm takes a name and evaluation periods', () => {
    const { json } = build({}, (m) => m.addErrorRateAlarm('errors', { name: 'api-5xx', albArnSuffix: ALB, thresholdPercent: 1, evaluationPeriods: 4 }));
    expect(alarm(json, 'shop-api-5xx').evaluation_periods).toBe(4);
  });

  it('addServiceAlarms creates only the alarms whose thresholds are set', () => {
    const created: number[] = [];
    const { json } = build({}, (m) => {
      created.push(m.addServiceAlarms('none', { clusterName: 'shop', serviceName: 'shop-worker', label: 'worker' }).length);
      created.push(m.addServiceAlarms('api', { clusterName: 'shop', serviceName: 'shop-api', label: 'api', cpuPercent: 85 }).length);
    });
    expect(created).toEqual([0, 1]);
    expect(countOf(json, 'aws_cloudwatch_metric_alarm')).toBe(1);
    expect(alarm(json, 'shop-api-high-cpu')).toMatchObject({ threshold: 85, evaluation_periods: 3, metric_name: 'CPUUtilization', comparison_operator: 'GreaterThanThreshold' });
  });

  it('addServiceAlarms watches CPU, memory and the running task count', () => {
    let count = 0;
    const { json } = build({}, (m) => {
      count = m.addServiceAlarms('api', { clusterName: 'shop', serviceName: 'shop-api', label: 'api', cpuPercent: 80, memoryPercent: 90, minRunningTasks: 2, evaluationPeriods: 5 }).length;
    });
    expect(count).toBe(3);
    expect(countOf(json, 'aws_cloudwatch_metric_alarm')).toBe(3);
    expect(alarm(json, 'shop-api-high-memory')).toMatchObject({
      namespace: 'AWS/ECS',
      metric_name: 'MemoryUtilization',
      statistic: 'Average',
      threshold: 90,
      evaluation_periods: 5,
      comparison_operator: 'GreaterThanThreshold',
      alarm_description: 'api memory above 90%',
    });
    expect(alarm(json, 'shop-api-low-task-count')).toMatchObject({
      namespace: 'ECS/ContainerInsights',
      metric_name: 'RunningTaskCount',
      dimensions: { ClusterName: 'shop', ServiceName: 'shop-api' },
      statistic: 'Minimum',
      threshold: 2,
      comparison_operator: 'LessThanThreshold',
      treat_missing_data: 'breaching',
      evaluation_periods: 5,
    });
  });

  it('addLogMetricFilter counts matching log events into a metric defaulting to 0', () => {
    const { text } = build({}, (m) => m.addLogMetricFilter('errors', { logGroupName: '/ecs/shop', pattern: '"ERROR"', metricName: 'ApiErrors', namespace: 'Shop' }));
    expect(text).toHaveResourceWithProperties(CloudwatchLogMetricFilter, {
      name: 'shop-ApiErrors',
      log_group_name: '/ecs/shop',
      pattern: '"ERROR"',
      metric_transformation: { name: 'ApiErrors', namespace: 'Shop', value: '1', default_value: '0' },
    });
  });
});

describe('Monitoring validation', () => {
  it('rejects an alarm e-mail that is not an address', () => {
    expect(errorOf(() => build({ alarmEmail: 'ops@example' }))).toBe('test/monitoring: alarmEmail: "ops@example" is not an e-mail address');
    expect(errorOf(() => build({ alarmEmail: 'ops team@example.com' }))).toBe('test/monitoring: alarmEmail: "ops team@example.com" is not an e-mail address');
  });
});
