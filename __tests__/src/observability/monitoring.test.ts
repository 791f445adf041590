import { CloudwatchDashboard } from '@cdktf/provider-aws/lib/cloudwatch-dashboard';
import { CloudwatchLogMetricFilter } from '@cdktf/provider-aws/lib/cloudwatch-log-metric-filter';
import { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import { SnsTopicSubscription } from '@cdktf/provider-aws/lib/sns-topic-subscription';
import { XraySamplingRule } from '@cdktf/provider-aws/lib/xray-sampling-rule';
import { ILoadBalancerMetrics, IMonitoredService, Monitoring, MonitoringProps } from '../../../src/observability/monitoring';
import type { Metric } from '../../../src/core/metric';
import { LogGroup } from '../../../src/observability/logs';
import { Topic } from '../../../src/data/topic';
import { EncryptionKey } from '../../../src/security/kms';
import { Testing } from 'cdktf';
import { AwsStack } from '../../../src/core/aws-stack';
import { countOf, errorOf, findBy, isAbsent, onlyOf, parseField, resourcesOf, statementsOf, synth, synthConstructs, Synthesized } from '../../helpers/synth';

const ALB = 'app/shop/50dc6c495c0c9188';
const TOPIC_ARN = /^\$\{aws_sns_topic\.monitoring_alarms_this_\w+\.arn\}$/;

const metric = (metricName: string, stat: string, dimensions: Record<string, string> = { LoadBalancer: ALB }, namespace = 'AWS/ApplicationELB'): Metric => ({ namespace, metricName, dimensions, stat });
const LOAD_BALANCER: ILoadBalancerMetrics = {
  metricRequestCount: () => metric('RequestCount', 'Sum'),
  metricTarget5xx: () => metric('HTTPCode_Target_5XX_Count', 'Sum'),
  metricElb5xx: () => metric('HTTPCode_ELB_5XX_Count', 'Sum'),
};
const SERVICE_DIMS = { ServiceName: 'shop-api', ClusterName: 'shop' };
function service(insights: boolean): IMonitoredService {
  return {
    metricCpuUtilization: () => metric('CPUUtilization', 'Average', SERVICE_DIMS, 'AWS/ECS'),
    metricMemoryUtilization: () => metric('MemoryUtilization', 'Average', SERVICE_DIMS, 'AWS/ECS'),
    metricRunningTasks: () => (insights ? metric('RunningTaskCount', 'Minimum', SERVICE_DIMS, 'ECS/ContainerInsights') : metric('CPUUtilization', 'SampleCount', SERVICE_DIMS, 'AWS/ECS')),
    metricDesiredTasks: () => (insights ? metric('DesiredTaskCount', 'Maximum', SERVICE_DIMS, 'ECS/ContainerInsights') : undefined),
  };
}

function build(props: Partial<MonitoringProps> = {}, after?: (m: Monitoring) => void): { text: string; json: Synthesized } {
  return synthConstructs((stack) => {
    const m = new Monitoring(stack, 'monitoring', { namePrefix: 'shop', ...props });
    after?.(m);
  });
}

/** A dashboard metric `[namespace, metricName, dimName, dimValue, ..., options]`, read back. */
function metricOf(entry: unknown[]): { namespace: unknown; metricName: unknown; dimensions: Record<string, unknown>; options: unknown } {
  const [namespace, metricName, ...rest] = entry;
  const options = rest.pop();
  expect(typeof options).toBe('object');
  expect(rest.length % 2).toBe(0);
  const dimensions: Record<string, unknown> = {};
  for (let i = 0; i < rest.length; i += 2) dimensions[rest[i] as string] = rest[i + 1];
  return { namespace, metricName, dimensions, options };
}

function alarm(json: Synthesized, name: string): Record<string, any> {
  return findBy(json, 'aws_cloudwatch_metric_alarm', 'alarm_name', name);
}

describe('Monitoring topic and dashboard', () => {
  it('creates the <prefix>-alarms topic encrypted with its own key that CloudWatch may use, and lets CloudWatch publish', () => {
    const { json } = build();
    const topic = onlyOf(json, 'aws_sns_topic');
    expect(topic.name).toBe('shop-alarms');
    const [keyName] = resourcesOf(json, 'aws_kms_key')[0];
    expect(topic.kms_master_key_id).toBe(`\${aws_kms_key.${keyName}.arn}`);
    expect(onlyOf(json, 'aws_kms_key').enable_key_rotation).toBe(true);
    expect(onlyOf(json, 'aws_kms_alias').name).toBe('alias/shop-alarms');
    const keyStatements = statementsOf(onlyOf(json, 'aws_kms_key'));
    expect(keyStatements).toContainEqual({ Sid: 'Service1', Effect: 'Allow', Principal: { Service: 'cloudwatch.amazonaws.com' }, Action: ['kms:Decrypt', 'kms:GenerateDataKey*'], Resource: '*' });
    expect(statementsOf(onlyOf(json, 'aws_sns_topic_policy'))).toEqual([
      { Sid: 'DenyInsecureTransport', Effect: 'Deny', Principal: '*', Action: 'sns:Publish', Resource: expect.stringMatching(TOPIC_ARN), Condition: { Bool: { 'aws:SecureTransport': 'false' } } },
      {
        Sid: 'Publish1',
        Effect: 'Allow',
        Principal: { Service: 'cloudwatch.amazonaws.com' },
        Action: 'sns:Publish',
        Resource: expect.stringMatching(TOPIC_ARN),
        Condition: { StringEquals: { 'aws:SourceAccount': '123456789012' } },
      },
    ]);
    expect(countOf(json, 'aws_sns_topic_subscription')).toBe(0);
    const dashboard = onlyOf(json, 'aws_cloudwatch_dashboard');
    expect(dashboard.dashboard_name).toBe('shop');
    expect(parseField(dashboard, 'dashboard_body')).toEqual({ widgets: [] });
  });

  it('subscribes the alarm e-mail', () => {
    const { text } = build({ alarmEmail: 'ops@example.com' });
    expect(text).toHaveResourceWithProperties(SnsTopicSubscription, { protocol: 'email', endpoint: 'ops@example.com', topic_arn: expect.stringMatching(TOPIC_ARN) });
  });

  it('notifies a topic of the app, or a topic made elsewhere (Topic.fromTopicArn), instead of creating one', () => {
    const shared = synthConstructs((stack) => {
      const key = new EncryptionKey(stack, 'key', { alias: 'ops', description: 'ops' });
      const topic = new Topic(stack, 'ops', { name: 'ops-alarms', kmsKey: key });
      const m = new Monitoring(stack, 'monitoring', { namePrefix: 'shop', topic });
      m.addAlarm('x', { name: 'x', description: 'x', metric: metric('RequestCount', 'Sum'), threshold: 1, comparison: 'GreaterThanThreshold' });
    }).json;
    expect(countOf(shared, 'aws_sns_topic')).toBe(1);
    expect(onlyOf(shared, 'aws_cloudwatch_metric_alarm').alarm_actions).toEqual([expect.stringMatching(/aws_sns_topic\.ops_this_\w+\.arn/)]);
    const external = 'arn:aws:sns:eu-west-1:123456789012:org-alarms';
    const withExternal = (props: Partial<MonitoringProps>) =>
      synthConstructs((stack) => {
        const m = new Monitoring(stack, 'monitoring', { namePrefix: 'shop', topic: Topic.fromTopicArn(stack, 'org-alarms', external), ...props });
        m.addAlarm('x', { name: 'x', description: 'x', metric: metric('RequestCount', 'Sum'), threshold: 1, comparison: 'GreaterThanThreshold' });
      }).json;
    const json = withExternal({});
    expect(countOf(json, 'aws_sns_topic')).toBe(0);
    expect(countOf(json, 'aws_sns_topic_policy')).toBe(0);
    expect(countOf(json, 'aws_kms_key')).toBe(0);
    expect(onlyOf(json, 'aws_cloudwatch_metric_alarm').alarm_actions).toEqual([external]);
    expect(errorOf(() => withExternal({ alarmEmail: 'ops@example.com' }))).toBe(
      'test/monitoring: alarmEmail: cannot be subscribed to test/org-alarms, a topic made elsewhere (Topic.fromTopicArn); subscribe it where that topic is managed',
    );
  });

  it('shows the metrics of its stack\'s region on the dashboard, and links to the dashboard there', () => {
    const stack = new AwsStack(Testing.app(), 'test', { region: 'us-east-2', project: 'test', environment: 'test', accountId: '123456789012' });
    const m = new Monitoring(stack, 'monitoring', { namePrefix: 'shop' });
    m.addWidget({ title: 'CPU', metrics: [service(true).metricCpuUtilization()] });
    const body = parseField(onlyOf(synth(stack).json, 'aws_cloudwatch_dashboard'), 'dashboard_body');
    expect(body.widgets[0].properties.region).toBe('us-east-2');
    expect(m.dashboardUrl).toMatch(/^https:\/\/us-east-2\.console\.aws\.amazon\.com\/cloudwatch\/home\?region=us-east-2#dashboards:name=/);
  });

  it('creates no dashboard with dashboard: false', () => {
    let monitoring: Monitoring | undefined;
    const { json } = build({ dashboard: false }, (m) => {
      monitoring = m;
      m.addWidget({ title: 'CPU', metrics: [service(true).metricCpuUtilization()] });
    });
    expect(countOf(json, 'aws_cloudwatch_dashboard')).toBe(0);
    expect(monitoring!.dashboard).toBeUndefined();
    expect(monitoring!.dashboardUrl).toBeUndefined();
  });

  it('lays widgets out left to right, wrapping rows below the tallest widget', () => {
    const { text, json } = build({}, (m) => {
      m.addWidget({ title: 'CPU', metrics: [{ ...service(true).metricCpuUtilization(), label: 'api' }] });
      m.addWidget({ title: 'Requests', metrics: [LOAD_BALANCER.metricRequestCount()], height: 8 });
      m.addWidget({ title: 'Latency', metrics: [{ ...metric('TargetResponseTime', 'p99'), label: 'P99 latency' }, { ...LOAD_BALANCER.metricTarget5xx(), periodSec: 300 }], width: 24 });
      m.addWidget({ title: 'Tasks', metrics: [service(true).metricRunningTasks()], width: 8, height: 3, view: 'singleValue' });
      m.addWidget({ title: 'Backlog', metrics: [metric('ApproximateNumberOfMessagesVisible', 'Maximum', { QueueName: 'jobs' }, 'AWS/SQS')], width: 20 });
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
    // The stack's region (eu-west-1).
    expect(widgets.every((w) => w.type === 'metric' && w.properties.region === 'eu-west-1')).toBe(true);
    const metrics = widgets.map((w) => w.properties.metrics.map(metricOf));
    expect(metrics[0]).toEqual([{ namespace: 'AWS/ECS', metricName: 'CPUUtilization', dimensions: SERVICE_DIMS, options: { stat: 'Average', period: 60, label: 'api' } }]);
    expect(metrics[2][1]).toEqual({ namespace: 'AWS/ApplicationELB', metricName: 'HTTPCode_Target_5XX_Count', dimensions: { LoadBalancer: ALB }, options: { stat: 'Sum', period: 300 } });
    // The plain array form CloudWatch expects: namespace, metric name, dimension pairs, then the options.
    expect(widgets[1].properties.metrics).toEqual([['AWS/ApplicationELB', 'RequestCount', 'LoadBalancer', ALB, { stat: 'Sum', period: 60 }]]);
  });
});

describe('Monitoring alarms', () => {
  it('addAlarm notifies the topic on alarm and recovery, with a plain statistic', () => {
    const { text } = build({}, (m) => m.addAlarm('cpu', { name: 'api-high-cpu', description: 'CPU high', metric: service(true).metricCpuUtilization(), threshold: 80, comparison: 'GreaterThanThreshold' }));
    expect(text).toHaveResourceWithProperties(CloudwatchMetricAlarm, {
      alarm_name: 'shop-api-high-cpu',
      alarm_description: 'CPU high',
      namespace: 'AWS/ECS',
      metric_name: 'CPUUtilization',
      dimensions: SERVICE_DIMS,
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
        metric: { ...metric('TargetResponseTime', 'p99.9'), periodSec: 300 },
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

  it('addMathAlarm alarms on an expression over named metrics', () => {
    const { json } = build({}, (m) =>
      m.addMathAlarm('ratio', {
        name: 'throttle-ratio',
        description: 'throttled share',
        expression: '100 * throttles / invocations',
        metrics: { throttles: metric('Throttles', 'Sum', { FunctionName: 'f' }, 'AWS/Lambda'), invocations: metric('Invocations', 'Sum', { FunctionName: 'f' }, 'AWS/Lambda') },
        threshold: 1,
        comparison: 'GreaterThanThreshold',
      }),
    );
    expect(alarm(json, 'shop-throttle-ratio').metric_query).toEqual([
      { id: 'expression', expression: '100 * throttles / invocations', label: 'throttle-ratio', return_data: true },
      { id: 'throttles', metric: { namespace: 'AWS/Lambda', metric_name: 'Throttles', dimensions: { FunctionName: 'f' }, period: 60, stat: 'Sum' } },
      { id: 'invocations', metric: { namespace: 'AWS/Lambda', metric_name: 'Invocations', dimensions: { FunctionName: 'f' }, period: 60, stat: 'Sum' } },
    ]);
    expect(errorOf(() => build({}, (m) => m.addMathAlarm('bad', { name: 'b', description: 'b', expression: 'X', metrics: { X: metric('A', 'Sum') }, threshold: 1, comparison: 'GreaterThanThreshold' })))).toBe(
      'test/monitoring: bad.metrics: "X" is not a metric math id (a lowercase letter, then letters, digits and "_")',
    );
  });

  it('addErrorRateAlarm counts the load balancer 503s that RequestCount misses, on both sides of the rate, and reads 0 without traffic', () => {
    const { json } = build({}, (m) => m.addErrorRateAlarm('errors', { loadBalancer: LOAD_BALANCER, thresholdPercent: 5 }));
    const a = alarm(json, 'shop-high-error-rate');
    expect(a).toMatchObject({
      comparison_operator: 'GreaterThanThreshold',
      threshold: 5,
      evaluation_periods: 2,
      treat_missing_data: 'notBreaching',
      alarm_actions: [expect.stringMatching(TOPIC_ARN)],
      ok_actions: [expect.stringMatching(TOPIC_ARN)],
    });
    for (const field of ['metric_name', 'namespace', 'statistic', 'extended_statistic', 'period']) expect(isAbsent(a, field)).toBe(true);
    const q = (metricName: string) => ({ namespace: 'AWS/ApplicationELB', metric_name: metricName, dimensions: { LoadBalancer: ALB }, period: 60, stat: 'Sum' });
    expect(a.metric_query).toEqual([
      {
        id: 'expression',
        expression: 'IF((FILL(requests, 0) + FILL(elb_errors, 0)) > 0, 100 * (FILL(target_errors, 0) + FILL(elb_errors, 0)) / (FILL(requests, 0) + FILL(elb_errors, 0)), 0)',
        label: 'Error rate (%)',
        return_data: true,
      },
      { id: 'target_errors', metric: q('HTTPCode_Target_5XX_Count') },
      { id: 'elb_errors', metric: q('HTTPCode_ELB_5XX_Count') },
      { id: 'requests', metric: q('RequestCount') },
    ]);
  });

  it('addServiceAlarms creates only the alarms whose thresholds are set', () => {
    const created: number[] = [];
    const { json } = build({}, (m) => {
      created.push(m.addServiceAlarms('none', service(true), { label: 'worker' }).length);
      created.push(m.addServiceAlarms('api', service(true), { label: 'api', cpuPercent: 85 }).length);
    });
    expect(created).toEqual([0, 1]);
    expect(countOf(json, 'aws_cloudwatch_metric_alarm')).toBe(1);
    expect(alarm(json, 'shop-api-high-cpu')).toMatchObject({ threshold: 85, evaluation_periods: 3, metric_name: 'CPUUtilization', comparison_operator: 'GreaterThanThreshold' });
  });

  it('with Container Insights, alarms when fewer tasks run than desired, and missing data is an outage', () => {
    const { json } = build({}, (m) => m.addServiceAlarms('api', service(true), { label: 'api', memoryPercent: 90, expectedTasks: 2 }));
    expect(alarm(json, 'shop-api-high-memory')).toMatchObject({ metric_name: 'MemoryUtilization', statistic: 'Average', threshold: 90, alarm_description: 'api memory above 90%' });
    const tasks = alarm(json, 'shop-api-tasks-below-desired');
    expect(tasks).toMatchObject({ threshold: 0, comparison_operator: 'GreaterThanThreshold', treat_missing_data: 'breaching', evaluation_periods: 5 });
    expect(tasks.metric_query[0]).toMatchObject({ expression: 'desired - running' });
    expect(tasks.metric_query.slice(1).map((q: any) => [q.id, q.metric.namespace, q.metric.metric_name])).toEqual([
      ['desired', 'ECS/ContainerInsights', 'DesiredTaskCount'],
      ['running', 'ECS/ContainerInsights', 'RunningTaskCount'],
    ]);
  });

  it('without Container Insights, alarms on the CPU sample count below the expected tasks; a service waiting for its image lets missing data pass', () => {
    const { json } = build({}, (m) => {
      m.addServiceAlarms('api', service(false), { label: 'api', expectedTasks: 2 });
      m.addServiceAlarms('idle', service(false), { label: 'idle', expectedTasks: 0 });
    });
    expect(alarm(json, 'shop-api-tasks-below-desired')).toMatchObject({
      namespace: 'AWS/ECS',
      metric_name: 'CPUUtilization',
      statistic: 'SampleCount',
      threshold: 2,
      comparison_operator: 'LessThanThreshold',
      treat_missing_data: 'breaching',
    });
    expect(alarm(json, 'shop-idle-tasks-below-desired').treat_missing_data).toBe('notBreaching');
  });

  it('addNoHealthyTargetsAlarm fires only while tasks are wanted with Container Insights, so a service scaled to zero on purpose is quiet', () => {
    const targetGroup = {
      metricHealthyHosts: () => metric('HealthyHostCount', 'Minimum', { LoadBalancer: ALB, TargetGroup: 'targetgroup/api/1' }),
      metricUnhealthyHosts: () => metric('UnHealthyHostCount', 'Maximum', { LoadBalancer: ALB, TargetGroup: 'targetgroup/api/1' }),
    };
    const { json } = build({}, (m) => {
      m.addNoHealthyTargetsAlarm('api-targets', { label: 'api', targetGroup, service: service(true) });
      m.addNoHealthyTargetsAlarm('web-targets', { label: 'web', targetGroup, service: service(false) });
      m.addNoHealthyTargetsAlarm('idle-targets', { label: 'idle', targetGroup, service: service(false), expectRunning: false });
    });
    const math = alarm(json, 'shop-api-no-healthy-targets');
    expect(math).toMatchObject({ threshold: 1, comparison_operator: 'GreaterThanOrEqualToThreshold', treat_missing_data: 'notBreaching', evaluation_periods: 2 });
    expect(math.metric_query[0].expression).toBe('IF(FILL(desired, 0) > 0 AND FILL(healthy, 0) < 1, 1, 0)');
    expect(math.metric_query.slice(1).map((q: any) => [q.id, q.metric.metric_name, q.metric.stat])).toEqual([
      ['desired', 'DesiredTaskCount', 'Maximum'],
      ['healthy', 'HealthyHostCount', 'Minimum'],
    ]);
    expect(alarm(json, 'shop-web-no-healthy-targets')).toMatchObject({ metric_name: 'HealthyHostCount', statistic: 'Minimum', threshold: 1, comparison_operator: 'LessThanThreshold', treat_missing_data: 'breaching' });
    expect(alarm(json, 'shop-idle-no-healthy-targets').treat_missing_data).toBe('notBreaching');
  });

  it('with unhealthy, also fires while any target fails its health checks', () => {
    const targetGroup = {
      metricHealthyHosts: () => metric('HealthyHostCount', 'Minimum', { LoadBalancer: ALB, TargetGroup: 'targetgroup/api/1' }),
      metricUnhealthyHosts: () => metric('UnHealthyHostCount', 'Maximum', { LoadBalancer: ALB, TargetGroup: 'targetgroup/api/1' }),
    };
    const { json } = build({}, (m) => {
      m.addNoHealthyTargetsAlarm('api-targets', { label: 'api', targetGroup, service: service(true), unhealthy: true });
      m.addNoHealthyTargetsAlarm('web-targets', { label: 'web', targetGroup, service: service(false), unhealthy: true });
    });
    const api = alarm(json, 'shop-api-unhealthy-targets');
    expect(api.metric_query[0].expression).toBe('IF(FILL(unhealthy, 0) > 0 OR (FILL(desired, 0) > 0 AND FILL(healthy, 0) < 1), 1, 0)');
    expect(api.metric_query.slice(1).map((q: any) => [q.id, q.metric.metric_name, q.metric.stat])).toEqual([
      ['unhealthy', 'UnHealthyHostCount', 'Maximum'],
      ['healthy', 'HealthyHostCount', 'Minimum'],
      ['desired', 'DesiredTaskCount', 'Maximum'],
    ]);
    expect(api).toMatchObject({ threshold: 1, comparison_operator: 'GreaterThanOrEqualToThreshold', treat_missing_data: 'notBreaching' });
    const web = alarm(json, 'shop-web-unhealthy-targets');
    expect(web.metric_query[0].expression).toBe('IF(FILL(unhealthy, 0) > 0 OR (FILL(healthy, 0) < 1), 1, 0)');
    expect(web.treat_missing_data).toBe('breaching');
  });

  it('addLogMetricFilter reads the log group by reference (created first) and returns its metric', () => {
    let returned: Metric | undefined;
    const { text } = build({}, (m) => {
      const logs = new LogGroup(m, 'logs', { name: '/ecs/shop' });
      returned = m.addLogMetricFilter('errors', { logGroup: logs, pattern: '"ERROR"', metricName: 'ApiErrors', namespace: 'Shop' });
    });
    expect(text).toHaveResourceWithProperties(CloudwatchLogMetricFilter, {
      name: 'shop-ApiErrors',
      log_group_name: expect.stringMatching(/^\$\{aws_cloudwatch_log_group\.monitoring_logs_this_\w+\.name\}$/),
      pattern: '"ERROR"',
      metric_transformation: { name: 'ApiErrors', namespace: 'Shop', value: '1', default_value: '0' },
    });
    expect(returned).toEqual({ namespace: 'Shop', metricName: 'ApiErrors', dimensions: {}, stat: 'Sum', label: 'ApiErrors' });
  });

  it('addSamplingRule samples a fixed rate of one service after a reservoir', () => {
    const { text } = build({}, (m) => m.addSamplingRule('xray', { ruleName: 'shop-default', priority: 100, fixedRate: 0.05, reservoirSize: 1, serviceName: 'shop-api' }));
    expect(text).toHaveResourceWithProperties(XraySamplingRule, { rule_name: 'shop-default', priority: 100, fixed_rate: 0.05, reservoir_size: 1, service_name: 'shop-api', url_path: '*', version: 1 });
    expect(errorOf(() => build({}, (m) => m.addSamplingRule('xray', { ruleName: 'x', priority: 1, fixedRate: 2, reservoirSize: 1 })))).toBe('test/monitoring: xray.fixedRate: 2 is out of range; allowed: 0 to 1');
  });
});

describe('Monitoring validation', () => {
  it('rejects an alarm e-mail that is not an address', () => {
    expect(errorOf(() => build({ alarmEmail: 'ops@example' }))).toBe('test/monitoring: alarmEmail: "ops@example" is not an e-mail address');
    expect(errorOf(() => build({ alarmEmail: 'ops team@example.com' }))).toBe('test/monitoring: alarmEmail: "ops team@example.com" is not an e-mail address');
  });
});
