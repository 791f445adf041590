/**
 * `EcsPlatform`: what every container system of the library stands on. A VPC (or an existing
 * one), an ECS cluster (with a private Cloud Map namespace when services find each other by name),
 * and, as the system needs them, container repositories with one policy, the public load balancer
 * with its access logs, and the alarm topic and dashboard.
 *
 * Like every pattern here, it is a recipe, not a construct of its own: it builds into the stack it
 * is given, under the ids it documents (`vpc`, `ecs-cluster`, `access-logs`, `alb`, `monitoring`,
 * and the repository ids the caller names). A nested construct would put every resource of a
 * deployed stack under a new path, and so a new address Terraform would destroy and create again;
 * built this way, a stack moved onto the pattern keeps every address it had.
 */
import { Construct } from 'constructs';
import { TerraformOutput } from 'cdktf';
import { AwsStack } from '../core/aws-stack';
import { Vpc, VpcProps } from '../network/vpc';
import { CapacityProviderStrategyItem, EcsCluster } from '../compute/ecs-cluster';
import { AccessLogBucket } from '../data/access-logs';
import { EcrRepository, EcrRepositoryProps, IRepository } from '../data/registry';
import { ApplicationLoadBalancer, ApplicationLoadBalancerProps } from '../edge/alb';
import { Monitoring, MonitoringProps } from '../observability/monitoring';
import { Topic } from '../data/topic';
import { EncryptionKey, KeyUse } from '../security/kms';
import { Guardrails } from '../core/suppressions';
import type { LogGroup } from '../observability/logs';
import type { EcsService } from '../compute/ecs-service';

/** What the platform's repositories share (each names only itself). */
export type RepositoryPolicy = Pick<EcrRepositoryProps, 'imageTagMutability' | 'keepImages' | 'untaggedExpiryDays'>;

export interface EcsPlatformProps {
  /** Prefix of every name (`artwork-matcher-demo`); the cluster and the load balancer take it. */
  readonly namePrefix: string;
  /**
   * The VPC: the props of a new one (`vpc`, in the stack's region, named after `namePrefix`), or
   * an existing `Vpc` of the stack.
   */
  readonly network: Omit<VpcProps, 'namePrefix'> | Vpc;
  /** Name of the cluster. @default namePrefix */
  readonly clusterName?: string;
  /** CloudWatch Container Insights on the cluster (billed per metric). */
  readonly containerInsights: boolean;
  /** The cluster's default capacity provider strategy. @default - the cluster's (FARGATE) */
  readonly defaultCapacityProviderStrategy?: readonly CapacityProviderStrategyItem[];
  /** Fargate capacity providers on the cluster. @default true */
  readonly fargate?: boolean;
  /** A private Cloud Map namespace (`<system>.local`) for Service Connect or service discovery. @default - none */
  readonly namespace?: string;
  /** What every repository of `addRepository` shares (scan on push is always on). @default - the repositories' defaults */
  readonly repositories?: RepositoryPolicy;
  /**
   * Let `terraform destroy` delete what still holds data it can delete itself: the repositories
   * of `addRepository` with their images (`force_delete`) and the access-log bucket with its
   * logs (`force_destroy`). Meant for environments without production data (`!isProductionEnvironment`);
   * the stack's own buckets take `platform.forceDestroy`.
   * @default false
   */
  readonly forceDestroy?: boolean;
  /**
   * The stack's one customer managed key. Every construct the stack builds after the platform
   * that encrypts log groups, secrets, Lambda environments or the alarm topic uses it
   * (`EncryptionKey.useAsStackDefault`); repositories and file systems too when asked.
   * `false`: no stack key (AWS managed and owned keys; the alarm topic makes its own).
   * @default - a new key `key` (alias `<namePrefix>`, yearly rotation) for logs, secrets,
   * functions and topics
   */
  readonly encryption?: PlatformEncryption | false;
}

/** The stack key of `EcsPlatformProps.encryption`. */
export interface PlatformEncryption {
  /** A key of the stack to use instead of a new one. @default - a new key `key` */
  readonly key?: EncryptionKey;
  /**
   * Encrypt the repositories of `addRepository` with the key too. A key on an existing repository
   * replaces it, and its images with it: for a new deployment, or push the images again after.
   * @default false
   */
  readonly repositories?: boolean;
  /** Encrypt the stack's EFS file systems with the key too (an existing one is replaced, its files with it). @default false */
  readonly fileSystems?: boolean;
}

/**
 * Where 0.5 and earlier kept the alarm topic's key (`Monitoring`'s own `alarms-key` under the
 * platform's `monitoring`): the stack key takes that key over in place (a `moved` block), so an
 * upgrade neither destroys a key nor re-encrypts the topic.
 */
const ALARM_KEY_ADDRESS = 'aws_kms_key.monitoring_alarms-key_9183C15A';

/** Why a repository keeps AES256 unless the stack asks for its key (`PlatformEncryption.repositories`). */
export const REPOSITORY_KEY_REASON = 'repositories take the stack key only when asked: a key on an existing repository replaces it, images and all; ECR encrypts the images with AES256 meanwhile';

/** What the operations outputs read of a service (a `ContainerService` has it). */
export interface OperatedService {
  readonly service: EcsService;
  readonly logGroup: LogGroup;
  /** The tag its tasks run, known at plan time. */
  readonly imageTag: string;
  /** Its repository, when the stack builds its image. */
  readonly repository?: IRepository;
  /** The folder `docker build` uses for its image. */
  readonly buildContext: string;
}

/** An image the stack builds besides its services' own (a Batch job's, say). */
export interface OperatedImage {
  readonly repository: IRepository;
  /** The folder `docker build` uses. @default `services/<name>` */
  readonly buildContext?: string;
}

/** The services and endpoint of a system, for `addOperationsOutputs`. */
export interface OperationsOutputsProps {
  /** The ECS services by the name operators use (`npm run ops -- <stack> logs <name>`). */
  readonly services: Readonly<Record<string, OperatedService>>;
  /** Images built besides the services' own, by name. @default - none */
  readonly images?: Readonly<Record<string, OperatedImage>>;
  /** The public URL: the load balancer's, the domain's or the API's. */
  readonly endpointUrl: string;
  /** Description of `endpoint_url`. @default "Public URL of the system" */
  readonly endpointDescription?: string;
}

/** Names of the outputs every ECS stack has (`EcsPlatform.addOperationsOutputs`); `npm run ops` reads them. */
export const OPERATIONS_OUTPUTS = ['ecs_cluster_name', 'ecs_services', 'ecr_images', 'endpoint_url'] as const;

/** The public load balancer: `ApplicationLoadBalancer` props without what the platform gives. */
export interface PlatformLoadBalancerProps extends Omit<ApplicationLoadBalancerProps, 'namePrefix' | 'vpc' | 'accessLogs'> {
  /**
   * Keep the load balancer's access logs in an access-log bucket `<prefix>-logs-<account>-<region>`
   * (id `access-logs`), which the stack's data buckets may log to as well.
   */
  readonly accessLogs: boolean;
}

/** The VPC, cluster and shared pieces of a container system, built into `scope`. */
export class EcsPlatform {
  /** The stack the platform is built into. */
  public readonly scope: AwsStack;
  /** Prefix of every name. */
  public readonly namePrefix: string;
  public readonly vpc: Vpc;
  public readonly cluster: EcsCluster;
  /** The access-log bucket (`addLoadBalancer` with `accessLogs`, or `addAccessLogs`). */
  public accessLogs?: AccessLogBucket;
  /** The public load balancer (`addLoadBalancer`). */
  public alb?: ApplicationLoadBalancer;
  /** Alarm topic and dashboard (`addMonitoring`). */
  public monitoring?: Monitoring;
  /** Whether `terraform destroy` may delete the platform's repositories and buckets with their contents. */
  public readonly forceDestroy: boolean;
  /** The stack's customer managed key (`encryption`), unless `encryption` is false. */
  public readonly key?: EncryptionKey;
  private readonly repositoryPolicy: RepositoryPolicy;
  private readonly keyedRepositories: boolean;

  constructor(scope: Construct, props: EcsPlatformProps) {
    this.scope = AwsStack.of(scope);
    this.namePrefix = props.namePrefix;
    this.forceDestroy = props.forceDestroy ?? false;
    const { imageTagMutability, keepImages, untaggedExpiryDays } = props.repositories ?? {};
    this.repositoryPolicy = { imageTagMutability, keepImages, untaggedExpiryDays };
    // First: the VPC's flow logs, and everything built after, encrypt with it.
    const encryption = props.encryption === false ? undefined : props.encryption ?? {};
    if (encryption) this.key = this.stackKey(scope, props.namePrefix, encryption);
    this.keyedRepositories = encryption?.repositories ?? false;
    this.vpc = props.network instanceof Vpc ? props.network : new Vpc(scope, 'vpc', { namePrefix: props.namePrefix, ...props.network });
    this.cluster = new EcsCluster(scope, 'ecs-cluster', {
      clusterName: props.clusterName ?? props.namePrefix,
      containerInsights: props.containerInsights ? 'enabled' : 'disabled',
      fargate: props.fargate,
      defaultCapacityProviderStrategy: props.defaultCapacityProviderStrategy,
      privateNamespace: props.namespace ? { name: props.namespace, vpc: this.vpc } : undefined,
    });
  }

  /** The stack key of `encryption`, made the stack's default. */
  private stackKey(scope: Construct, namePrefix: string, encryption: PlatformEncryption): EncryptionKey {
    const uses: KeyUse[] = ['logs', 'secrets', 'functions', 'topics'];
    if (encryption.repositories) uses.push('repositories');
    if (encryption.fileSystems) uses.push('fileSystems');
    let key = encryption.key;
    if (!key) {
      const extra = [encryption.repositories && 'repositories', encryption.fileSystems && 'file systems'].filter(Boolean).map((w) => `, ${w}`).join('');
      key = new EncryptionKey(scope, 'key', { alias: namePrefix, description: `Encrypts the ${namePrefix} log groups, secrets, function environments and alarm topic${extra}` });
      key.resource.moveFromId(ALARM_KEY_ADDRESS);
    }
    key.useAsStackDefault(uses);
    return key;
  }

  /** A repository `repositoryName` (id `id`) under the platform's policy, scanned on push. */
  public addRepository(id: string, repositoryName: string): IRepository {
    const repository = new EcrRepository(this.scope, id, { repositoryName, scanOnPush: true, ...this.repositoryPolicy, forceDelete: this.forceDestroy });
    if (!this.keyedRepositories) Guardrails.suppress(repository, 'AWS-ECR-005', REPOSITORY_KEY_REASON);
    return repository;
  }

  /** The access-log bucket `<prefix>-logs-<account>-<region>` (id `access-logs`), once. */
  public addAccessLogs(): AccessLogBucket {
    this.accessLogs ??= new AccessLogBucket(this.scope, 'access-logs', { bucketName: this.scope.qualifiedName(`${this.namePrefix}-logs`), forceDestroy: this.forceDestroy });
    return this.accessLogs;
  }

  /** The load balancer (id `alb`) in the VPC's public subnets (private ones when `internal`), its access logs first when asked. */
  public addLoadBalancer(props: PlatformLoadBalancerProps): ApplicationLoadBalancer {
    const { accessLogs, ...rest } = props;
    const bucket = accessLogs ? this.addAccessLogs() : undefined;
    this.alb = new ApplicationLoadBalancer(this.scope, 'alb', {
      namePrefix: this.namePrefix,
      accessLogs: bucket ? { bucket } : undefined,
      vpc: this.vpc,
      ...rest,
    });
    return this.alb;
  }

  /**
   * The alarm topic (or `props.topic`, or the existing topic `alarmTopicArn`) and dashboard (id
   * `monitoring`).
   */
  public addMonitoring(props: Omit<MonitoringProps, 'namePrefix'> & { readonly alarmTopicArn?: string } = {}): Monitoring {
    const { alarmTopicArn, ...rest } = props;
    const topic = alarmTopicArn !== undefined ? Topic.fromTopicArn(this.scope, 'alarm-topic', alarmTopicArn) : rest.topic;
    this.monitoring = new Monitoring(this.scope, 'monitoring', { namePrefix: this.namePrefix, ...rest, ...(topic ? { topic } : {}) });
    return this.monitoring;
  }

  /**
   * The outputs every ECS stack shares, which `npm run ops` reads (`OPERATIONS_OUTPUTS`):
   * - `ecs_cluster_name`;
   * - `ecs_services`: per service its ECS service `name`, main `container`, `log_group`,
   *   `task_family` and `image_tag` (a value Terraform knows when it plans, so every plan shows
   *   the tag a change deploys);
   * - `ecr_images`: per image the stack builds, its `repository_url` and `build_context`;
   * - `endpoint_url`.
   */
  public addOperationsOutputs(props: OperationsOutputsProps): void {
    const output = (id: string, description: string, value: unknown) => new TerraformOutput(this.scope, id, { value, description });
    const services = Object.entries(props.services);
    output('ecs_cluster_name', 'ECS cluster', this.cluster.clusterName);
    output(
      'ecs_services',
      'Each ECS service: its name, main container, log group, task family and the image tag it runs',
      Object.fromEntries(services.map(([name, s]) => [name, { name: s.service.serviceName, container: s.service.containerName, log_group: s.logGroup.logGroupName, task_family: s.service.taskDefinition.family, image_tag: s.imageTag }])),
    );
    const images: [string, Required<OperatedImage>][] = [
      ...services.flatMap(([name, s]): [string, Required<OperatedImage>][] => (s.repository ? [[name, { repository: s.repository, buildContext: s.buildContext }]] : [])),
      ...Object.entries(props.images ?? {}).map(([name, i]): [string, Required<OperatedImage>] => [name, { repository: i.repository, buildContext: i.buildContext ?? `services/${name}` }]),
    ];
    output('ecr_images', 'Each image the stack builds: its ECR repository URL and the folder docker build uses', Object.fromEntries(images.map(([name, i]) => [name, { repository_url: i.repository.repositoryUrl, build_context: i.buildContext }])));
    output('endpoint_url', props.endpointDescription ?? 'Public URL of the system', props.endpointUrl);
  }
}
