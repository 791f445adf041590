/**
 * `ContainerService`: one service of a container system on an `EcsPlatform`, with what every such
 * service of the library needs besides the ECS service itself: its image (from a repository of
 * the stack, gated on an `ImageRelease`, or a fixed reference), its task-count autoscaling (the
 * range and scheduled actions gated with the image), a documented writable root filesystem where
 * the application needs one, and its alarms, which expect tasks only once images exist.
 *
 * A recipe that builds into the scope it is given (see `EcsPlatform`): the ECS service takes the
 * id given here, so a stack moved onto the pattern keeps every resource address.
 */
import { Construct } from 'constructs';
import { Guardrails } from '../core/suppressions';
import { EcsService, EcsServiceProps } from '../compute/ecs-service';
import { ServiceAutoscaling, ServiceAutoscalingOptions } from '../compute/autoscaling';
import type { IRepository } from '../data/registry';
import type { LogGroup } from '../observability/logs';
import type { Monitoring, ServiceAlarmOptions } from '../observability/monitoring';
import type { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import type { EcsPlatform } from './ecs-platform';
import type { ImageRelease } from './image-release';

/** An image from one of the stack's repositories, deployed once `release` has a tag. */
export interface ReleasedImage {
  readonly repository: IRepository;
  readonly release: ImageRelease;
}

/** Task-count autoscaling of a container service. */
export type ContainerScaling = ServiceAutoscalingOptions & {
  /** Request-count tracking on the service's own target group (behind a load balancer). @default - none */
  readonly requestsPerTarget?: number;
};

export interface ContainerServiceProps extends Omit<EcsServiceProps, 'cluster' | 'vpc' | 'image' | 'desiredCount' | 'readonlyRootFilesystem'> {
  /** The platform: the service runs in its cluster and VPC. */
  readonly platform: EcsPlatform;
  /**
   * The main container's image: from a repository of the stack, gated on the release (no task
   * until it has a tag), or a fixed image reference (never gated).
   */
  readonly image: ReleasedImage | string;
  /**
   * Tasks at creation; autoscaling owns the count afterwards. A released image starts none until
   * its release has a tag.
   * @default the scaling floor, or 1 without scaling
   */
  readonly desiredCount?: number;
  /**
   * Why the main container's root filesystem stays writable (caches, temporary files); the
   * guardrail finding AWS-ECS-002 is suppressed on the service with this reason.
   * @default - a read-only root filesystem (unless ECS Exec is on, which needs a writable one)
   */
  readonly writableRoot?: string;
  /**
   * Instead of a writable root: the paths the image writes to, each a scratch volume beside a
   * read-only root (`ContainerOptions.scratchPaths`). With it `writableRoot` is ignored.
   * @default []
   */
  readonly scratchPaths?: readonly string[];
  /**
   * Task-count autoscaling. With a released image, the range is 0..0 and scheduled actions wait
   * until the release has a tag.
   * @default - no autoscaling: `desiredCount` tasks
   */
  readonly scaling?: ContainerScaling;
  /**
   * The folder `docker build` uses for the image of a released image (`npm run ops -- <stack>
   * push-images`), relative to the project that builds the images.
   * @default `services/<containerName>`
   */
  readonly buildContext?: string;
}

/** Options of a service's alarms; tasks are expected by default only once images exist. */
export type ContainerAlarmOptions = Omit<ServiceAlarmOptions, 'label'> & {
  /** Short label for alarm names. @default the container name */
  readonly label?: string;
};

/** An ECS service of an `EcsPlatform`, with its image gating, autoscaling and alarms. */
export class ContainerService {
  /** The ECS service (task definition, roles, security group, target group). */
  public readonly service: EcsService;
  /** The release the image is gated on (undefined for a fixed image). */
  public readonly release?: ImageRelease;
  /** The task-count autoscaling, when configured. */
  public readonly scaling?: ServiceAutoscaling;
  /** The scaling floor (or the desired count): the tasks alarms expect once images exist. */
  public readonly floor: number;
  /** A scheduled action stops the service (off hours): no task is expected then. */
  public readonly stopsOnSchedule: boolean;
  /** The log group of the main container. */
  public readonly logGroup: LogGroup;
  /** The repository of a released image (undefined for a fixed image). */
  public readonly repository?: IRepository;
  /** The folder `docker build` uses for a released image (`services/<containerName>` by default). */
  public readonly buildContext: string;
  /** The image reference, for a fixed image. */
  private readonly fixedImage?: string;
  private readonly platform: EcsPlatform;

  constructor(scope: Construct, id: string, props: ContainerServiceProps) {
    const { platform, image, desiredCount, scaling, buildContext, scratchPaths, writableRoot: whyWritable, ...service } = props;
    // Scratch paths make the root read-only: no writable root to explain.
    const writableRoot = (scratchPaths ?? []).length > 0 ? undefined : whyWritable;
    const released = typeof image === 'string' ? undefined : image;
    this.release = released?.release;
    this.repository = released?.repository;
    this.fixedImage = typeof image === 'string' ? image : undefined;
    this.logGroup = props.logGroup;
    this.platform = platform;
    this.floor = scaling?.minCapacity ?? desiredCount ?? 1;
    this.stopsOnSchedule = (scaling?.scheduled ?? []).some((s) => s.minCapacity === 0);
    const gate = (n: number) => (this.release ? this.release.tasks(n) : n);
    this.service = new EcsService(scope, id, {
      ...service,
      cluster: platform.cluster,
      vpc: platform.vpc,
      image: released ? released.release.image(released.repository) : (image as string),
      desiredCount: gate(desiredCount ?? this.floor),
      readonlyRootFilesystem: writableRoot === undefined ? undefined : false,
      scratchPaths,
    });
    this.buildContext = buildContext ?? `services/${this.service.containerName}`;
    // Revisions stay registered when Terraform replaces them, so a service can go back to the one
    // before (`npm run ops -- <stack> rollback`): ECS refuses to update a service to a
    // deregistered (INACTIVE) revision.
    this.service.taskDefinition.resource.skipDestroy = true;
    if (writableRoot !== undefined) Guardrails.suppress(this.service, 'AWS-ECS-002', writableRoot);
    if (scaling) {
      this.scaling = this.service.autoScaleTaskCount({
        ...scaling,
        minCapacity: gate(scaling.minCapacity),
        maxCapacity: gate(scaling.maxCapacity),
        ...(scaling.scheduled ? { scheduled: this.release ? this.release.whenReady(scaling.scheduled) : scaling.scheduled } : {}),
        // The schedule arrives with the image: the bounds follow it from the first apply.
        scheduleOwnsBounds: scaling.scheduleOwnsBounds ?? (scaling.scheduled?.length ?? 0) > 0,
      });
    }
  }

  /**
   * The image tag the service's tasks run, known when Terraform plans: the release's tag
   * (`none` before images are pushed), or the tag (or digest) of a fixed image reference
   * (`latest` when it names none).
   */
  public get imageTag(): string {
    if (this.release) return this.release.tag ?? 'none';
    const reference = this.fixedImage!;
    const digest = reference.indexOf('@');
    if (digest >= 0) return reference.slice(digest + 1);
    const tag = /:([^:/]+)$/.exec(reference);
    return tag ? tag[1] : 'latest';
  }

  /** Whether the service runs tasks now: its release has images (always, for a fixed image). */
  public get running(): boolean {
    return this.release?.ready ?? true;
  }

  /**
   * CPU, memory and task-count alarms of the service (`Monitoring.addServiceAlarms`). The task
   * count expected is the floor once images exist; 0 before, and, without Container Insights, for
   * a service stopped on a schedule (without a desired-task metric the alarm cannot tell a night
   * off from an outage; with it, it compares running with desired tasks at any hour).
   */
  public addServiceAlarms(monitoring: Monitoring, id: string, options: ContainerAlarmOptions = {}): CloudwatchMetricAlarm[] {
    const expected = this.running && !(this.stopsOnSchedule && !this.platform.cluster.containerInsightsEnabled) ? this.floor : 0;
    return monitoring.addServiceAlarms(id, this.service, { label: this.service.containerName, expectedTasks: expected, ...options });
  }

  /**
   * The load balancer's view of the service (`Monitoring.addNoHealthyTargetsAlarm`): no healthy
   * target (or, with `unhealthy`, any unhealthy one) while the service is expected to run: not
   * before its images exist, nor, without Container Insights, when it is stopped on a schedule.
   */
  public addTargetAlarm(monitoring: Monitoring, id: string, options: { readonly label?: string; readonly unhealthy?: boolean; readonly expectRunning?: boolean } = {}): CloudwatchMetricAlarm {
    const targetGroup = this.service.targetGroup;
    if (!targetGroup) throw new Error(`${this.service.node.path}: addTargetAlarm needs the service behind a load balancer`);
    return monitoring.addNoHealthyTargetsAlarm(id, { label: this.service.containerName, targetGroup, service: this.service, expectRunning: this.running && !this.stopsOnSchedule, ...options });
  }
}
