/**
 * `QueueWorker`: a `ContainerService` that works off an SQS queue (in the spirit of AWS CDK's
 * `QueueProcessingFargateService`): no port, permission to receive and delete the queue's
 * messages, and a task count stepped on the queue's backlog. Tasks are removed only while nothing
 * waits and nothing is in flight (a worker busy with a long message is not stopped under it).
 */
import { Construct } from 'constructs';
import type { QueueStep } from '../compute/autoscaling';
import type { Queue } from '../data/queue';
import { ContainerService, ContainerServiceProps } from './container-service';

export interface QueueWorkerProps extends Omit<ContainerServiceProps, 'scaling' | 'containerPort' | 'loadBalancer' | 'cloudMap' | 'serviceConnect'> {
  /** The queue the worker consumes. */
  readonly queue: Queue;
  /** Fewest tasks (0: none while the queue is idle). */
  readonly minCapacity: number;
  /** Most tasks. */
  readonly maxCapacity: number;
  /**
   * Steps on the backlog (visible messages).
   * @default AWS CDK's: remove one at 0, add one from 100, five from 500
   */
  readonly steps?: readonly QueueStep[];
  /** Seconds between scaling activities. @default 300 */
  readonly cooldownSec?: number;
  /** Minutes the queue must stay idle (nothing visible, nothing in flight) before tasks are removed. @default 1 */
  readonly scaleInIdleMinutes?: number;
}

/** A service scaled on its queue's depth, allowed to consume it. */
export class QueueWorker extends ContainerService {
  public readonly queue: Queue;

  constructor(scope: Construct, id: string, props: QueueWorkerProps) {
    const { queue, minCapacity, maxCapacity, steps, cooldownSec, scaleInIdleMinutes, ...service } = props;
    super(scope, id, {
      ...service,
      scaling: {
        minCapacity,
        maxCapacity,
        queue: { backlog: queue.metricVisibleMessages(), inFlight: queue.metricInFlightMessages(), steps, cooldownSec, evaluationPeriods: 1, scaleInEvaluationPeriods: scaleInIdleMinutes },
      },
    });
    this.queue = queue;
    queue.grantConsume(this.service);
  }
}
