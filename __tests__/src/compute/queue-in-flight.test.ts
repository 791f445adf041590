/** Queue scaling that does not stop a task under a message it is still processing (`inFlight`). */
import { ServiceAutoscaling, ServiceAutoscalingOptions } from '../../../src/compute/autoscaling';
import { errorOf, findBy, synthConstructs, Synthesized } from '../../helpers/synth';

const sqs = (metricName: string) => ({ namespace: 'AWS/SQS', metricName, dimensions: { QueueName: 'jobs' }, stat: 'Maximum' });
const VISIBLE = sqs('ApproximateNumberOfMessagesVisible');
const IN_FLIGHT = sqs('ApproximateNumberOfMessagesNotVisible');

function build(queue: ServiceAutoscalingOptions['queue']): Synthesized {
  return synthConstructs((stack) => {
    new ServiceAutoscaling(stack, 'scaling', { clusterName: 'video', serviceName: 'worker', minCapacity: 0, maxCapacity: 10, queue });
  }).json;
}

describe('ServiceAutoscaling queue scaling with in-flight messages', () => {
  it('scales in on waiting plus in-flight messages, after its own number of idle minutes', () => {
    const json = build({ backlog: VISIBLE, inFlight: IN_FLIGHT, steps: [{ upper: 0, change: -10 }, { lower: 1, change: 1 }], scaleInEvaluationPeriods: 10 });
    const scaleIn = findBy(json, 'aws_cloudwatch_metric_alarm', 'alarm_name', 'worker-queue-scale-in');
    expect(scaleIn).toMatchObject({ threshold: 0, comparison_operator: 'LessThanOrEqualToThreshold', evaluation_periods: 10 });
    expect(scaleIn.metric_name).toBeUndefined();
    expect(scaleIn.metric_query).toEqual([
      { id: 'work', expression: 'FILL(backlog, 0) + FILL(inflight, 0)', label: 'Waiting and in-flight messages', return_data: true },
      { id: 'backlog', metric: { namespace: 'AWS/SQS', metric_name: 'ApproximateNumberOfMessagesVisible', dimensions: { QueueName: 'jobs' }, period: 60, stat: 'Maximum' } },
      { id: 'inflight', metric: { namespace: 'AWS/SQS', metric_name: 'ApproximateNumberOfMessagesNotVisible', dimensions: { QueueName: 'jobs' }, period: 60, stat: 'Maximum' } },
    ]);
    // Scale-out still reads the waiting messages alone, every minute.
    expect(findBy(json, 'aws_cloudwatch_metric_alarm', 'alarm_name', 'worker-queue-scale-out')).toMatchObject({ metric_name: 'ApproximateNumberOfMessagesVisible', statistic: 'Maximum', threshold: 1, evaluation_periods: 1 });
  });

  it('keeps the backlog alone, and one evaluation period for both, without the new options', () => {
    const json = build({ backlog: VISIBLE });
    const scaleIn = findBy(json, 'aws_cloudwatch_metric_alarm', 'alarm_name', 'worker-queue-scale-in');
    expect(scaleIn).toMatchObject({ metric_name: 'ApproximateNumberOfMessagesVisible', evaluation_periods: 1 });
    expect(scaleIn.metric_query).toBeUndefined();
  });

  it('uses evaluationPeriods for scale-in unless scaleInEvaluationPeriods is given', () => {
    const json = build({ backlog: VISIBLE, inFlight: IN_FLIGHT, evaluationPeriods: 3 });
    expect(findBy(json, 'aws_cloudwatch_metric_alarm', 'alarm_name', 'worker-queue-scale-in').evaluation_periods).toBe(3);
    expect(findBy(json, 'aws_cloudwatch_metric_alarm', 'alarm_name', 'worker-queue-scale-out').evaluation_periods).toBe(3);
  });

  it('rejects evaluation periods CloudWatch does not allow', () => {
    expect(errorOf(() => build({ backlog: VISIBLE, scaleInEvaluationPeriods: 0 }))).toBe('test/scaling: queue.scaleInEvaluationPeriods: 0 is out of range; allowed: 1 to 100');
  });
});
