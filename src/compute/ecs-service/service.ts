import { Construct } from 'constructs';
import { ITerraformDependable, Token } from 'cdktf';
import { EcsService as EcsServiceResource, EcsServiceServiceConnectConfiguration } from '@cdktf/provider-aws/lib/ecs-service';
import { ServiceDiscoveryService } from '@cdktf/provider-aws/lib/service-discovery-service';
import { AwsStack } from '../../core/aws-stack';
import { dependOn } from '../../core/dependencies';
import { IGrantable, PolicyStatement } from '../../core/iam';
import { Metric } from '../../core/metric';
import { nameTags } from '../../core/tags';
import { PropsValidator, isCidr } from '../../core/validation';
import { Relations } from '../../core/relations';
import type { ApplicationLoadBalancer, TargetGroup, TargetGroupHealthCheck } from '../../edge/alb';
import { ServiceAutoscaling, ServiceAutoscalingOptions } from '../autoscaling';
import { CapacityProviderStrategyItem, ICloudMapNamespace, IEcsCluster, validateStrategy } from '../ecs-cluster';
import type { LogGroup } from '../../observability/logs';
import { SecurityGroup } from '../../network/security-group';
import { EgressNeed, FARGATE_WITHOUT_NAT, IVpc } from '../../network/vpc';
import { ContainerHealthCheck, ContainerOptions, IEfsMountable, TaskDefinition } from './task-definition';
import type { ContainerSecret } from './roles';

/** An EFS file system mounted into the main container. */
export interface EfsMount {
  /** Volume name inside the task definition. */
  readonly name: string;
  /** The file system (`SharedFileSystem`): the service opens NFS to itself and waits for the mount targets. */
  readonly fileSystem: IEfsMountable;
  /** Where the container sees it. */
  readonly containerPath: string;
  /**
   * Mount read-only, with a read-only grant. Several tasks writing one file (a search index) need
   * a single writer elsewhere.
   * @default false
   */
  readonly readOnly?: boolean;
}

/** Registration in the cluster's Cloud Map private DNS namespace (`EcsClusterProps.privateNamespace`). */
export interface CloudMapOptions {
  /** DNS name inside the namespace, e.g. `search`. */
  readonly name: string;
  /**
   * `A` records (`<name>.<namespace>` resolves to task IPs) or `SRV` records (IP and port: API
   * Gateway's private integration through Cloud Map needs these).
   * @default "A"
   */
  readonly recordType?: 'A' | 'SRV';
  /** @default 10 */
  readonly dnsTtlSec?: number;
}

/** Service Connect: a client/server endpoint in the cluster's namespace (`EcsClusterProps.privateNamespace`). */
export interface ServiceConnectOptions {
  /**
   * Name other services call, `http://<dnsName>:<port>`; unique in the namespace.
   * @default the container name
   */
  readonly dnsName?: string;
  /** @default the container port */
  readonly port?: number;
  /** Log group of the Service Connect proxy. @default the main container's */
  readonly logGroup?: LogGroup;
}

/** Putting the service behind an ALB: target group, route, security-group rule, and the wait for the route. */
export interface LoadBalancerOptions {
  /** The load balancer. */
  readonly alb: ApplicationLoadBalancer;
  /**
   * `default` takes every request no rule matches; otherwise a listener rule with a priority and
   * path or host patterns (e.g. `/validator/*`).
   */
  readonly route: 'default' | { readonly priority: number; readonly pathPatterns?: readonly string[]; readonly hostHeaders?: readonly string[] };
  /** Health check of the target group. @default GET /health expecting 200 */
  readonly healthCheck?: TargetGroupHealthCheck;
  /** @default 30 */
  readonly deregistrationDelaySec?: number;
}

export interface EcsServiceProps {
  /** Service name, also the task family and the base of its roles and security group. */
  readonly serviceName: string;
  /** The cluster to run in. */
  readonly cluster: IEcsCluster;
  /** The VPC: the service runs in its private subnets and waits for their routes and endpoints. */
  readonly vpc: IVpc;
  /**
   * Run the tasks in the VPC's public subnets, each with a public IP (they reach the internet
   * through the internet gateway, no NAT gateway or endpoint needed), instead of its private ones.
   * @default false
   */
  readonly assignPublicIp?: boolean;
  /**
   * Where tasks run: Fargate, or EC2 container instances of a capacity provider.
   * @default "FARGATE"
   */
  readonly compatibility?: 'FARGATE' | 'EC2';
  /**
   * Capacity provider strategy, always written on the service (a service left to the cluster's
   * default shows a diff on every plan and is replaced under provider 5.x). The service is
   * deployed with `force_new_deployment`, so a change from one non-empty strategy to another is
   * an in-place update with a new deployment; switching between a strategy and `launchType` still
   * replaces the service (its tasks stop, then new ones start).
   * @default the cluster's default strategy
   */
  readonly capacityProviderStrategy?: readonly CapacityProviderStrategyItem[];
  /**
   * Launch type instead of a capacity provider strategy (`EC2` places tasks on whatever container
   * instances the cluster has; nothing scales them).
   * @default - a capacity provider strategy
   */
  readonly launchType?: 'FARGATE' | 'EC2';
  /** Task CPU units; on Fargate one of 256, 512, 1024, 2048, 4096, 8192, 16384. @default 256 */
  readonly cpu?: number;
  /** Task memory (MiB); on Fargate a size valid for the CPU. @default 512 */
  readonly memoryMiB?: number;
  /** Name of the main container. @default the service name */
  readonly containerName?: string;
  /** Image of the main container, e.g. `<repository url>:<tag>`. */
  readonly image: string;
  /** Port the main container listens on. @default - no port */
  readonly containerPort?: number;
  /** Plain environment variables of the main container. @default {} */
  readonly environment?: Readonly<Record<string, string>>;
  /** Secrets of the main container, by variable name (see `ContainerOptions.secrets`). @default {} */
  readonly secrets?: Readonly<Record<string, ContainerSecret>>;
  /** Health check of the main container. @default - none */
  readonly healthCheck?: ContainerHealthCheck;
  /** GPUs reserved for the main container (EC2 only). @default 0 */
  readonly gpuCount?: number;
  /**
   * Read-only root filesystem of the main container. ECS Exec's agent needs a writable one.
   * @default true, or false with `enableExecuteCommand`
   */
  readonly readonlyRootFilesystem?: boolean;
  /**
   * Writable scratch paths of the main container beside its read-only root (`ContainerOptions.scratchPaths`).
   * @default []
   */
  readonly scratchPaths?: readonly string[];
  /** @default - the image's */
  readonly command?: readonly string[];
  /** EFS volumes of the main container. @default [] */
  readonly efsVolumes?: readonly EfsMount[];
  /** Log group of the main container (and, by default, of the Service Connect proxy). */
  readonly logGroup: LogGroup;
  /** @default the container name */
  readonly logStreamPrefix?: string;
  /** More containers in the task (`Containers.xrayDaemon(...)` and the like). @default [] */
  readonly sidecars?: readonly ContainerOptions[];
  /**
   * Tasks to run; the initial value when autoscaled (Terraform then ignores it).
   * @default 1
   */
  readonly desiredCount?: number;
  /** @default 100 */
  readonly minHealthyPercent?: number;
  /** @default 200 */
  readonly maxHealthyPercent?: number;
  /**
   * Deployment circuit breaker with rollback.
   * @default true
   */
  readonly circuitBreaker?: boolean;
  /**
   * ECS Exec (`aws ecs execute-command`); adds the SSM messages permissions to the task role and
   * an init process to the main container.
   * @default false
   */
  readonly enableExecuteCommand?: boolean;
  /** Behind an ALB: target group, route, security-group rule, and the wait for the route. @default - none */
  readonly loadBalancer?: LoadBalancerOptions;
  /**
   * Seconds ECS ignores failing load balancer health checks after a task starts.
   * @default the container health check's start period (60 without one) behind a load balancer
   */
  readonly healthCheckGracePeriodSec?: number;
  /**
   * Security groups allowed to reach the container port, by id: the level a rule's peer is at,
   * where groups of other stacks or constructs meet (`securityGroupId` of any construct).
   * @default []
   */
  readonly allowFromSecurityGroupIds?: readonly string[];
  /** CIDR blocks allowed to reach the container port. @default [] */
  readonly allowFromCidrs?: readonly string[];
  /**
   * Registration in the cluster's Cloud Map namespace (the cluster needs `privateNamespace`).
   * @default - no Cloud Map registration
   */
  readonly cloudMap?: CloudMapOptions;
  /**
   * A Service Connect endpoint in the cluster's namespace (the cluster needs `privateNamespace`).
   * @default - no Service Connect
   */
  readonly serviceConnect?: ServiceConnectOptions;
  /**
   * Let CI/CD own the task definition revision: Terraform ignores `task_definition` on the service
   * after creation, so a deploy pipeline registering new revisions is not rolled back by `apply`.
   * @default false
   */
  readonly taskDefinitionManagedExternally?: boolean;
  /** IAM statements for the application (task role). @default [] */
  readonly taskRoleStatements?: readonly PolicyStatement[];
  /** Managed policies for the task role (e.g. from sidecar presets). @default [] */
  readonly taskRoleManagedPolicies?: readonly string[];
  /**
   * Anything else the first task needs before it starts (the service already waits for its
   * roles' policies, security-group rules, log groups, NAT routes and endpoints, EFS mount targets,
   * the capacity providers and its target group's listener rule).
   * @default []
   */
  readonly dependsOn?: readonly ITerraformDependable[];
}

/** Where the image comes from, for the egress check: an ECR repository of the account, or elsewhere. */
function imageRegistry(image: string): 'ecr' | 'internet' {
  if (Token.isUnresolved(image)) return 'ecr'; // a repository URL of this app
  return /^\d{12}\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com(\.cn)?\//.test(image) ? 'ecr' : 'internet';
}

/**
 * An ECS service with awsvpc networking: a task definition (main container plus sidecars), its
 * execution and task roles, a security group open to given sources on the container port only,
 * and the service with circuit breaker, explicit capacity provider strategy, optional load
 * balancer, Cloud Map or Service Connect. The service waits for everything its first task needs.
 */
export class EcsService extends Construct implements IGrantable {
  /** The ECS service resource. */
  public readonly resource: EcsServiceResource;
  public readonly serviceName: string;
  public readonly taskDefinition: TaskDefinition;
  public readonly securityGroup: SecurityGroup;
  public readonly securityGroupId: string;
  public readonly containerName: string;
  public readonly containerPort?: number;
  /** The target group, when behind a load balancer. */
  public readonly targetGroup?: TargetGroup;
  /** The Cloud Map service, when registered. */
  public readonly discoveryService?: ServiceDiscoveryService;
  /** The records the Cloud Map service holds (`A`, or `SRV` with the port), when registered. */
  public readonly cloudMapRecordType?: 'A' | 'SRV';
  /** The strategy written on the service. */
  public readonly capacityProviderStrategy?: readonly CapacityProviderStrategyItem[];
  private readonly cluster: IEcsCluster;
  private readonly name: string;
  private autoscaling?: ServiceAutoscaling;

  constructor(scope: Construct, id: string, props: EcsServiceProps) {
    super(scope, id);
    const exec = props.enableExecuteCommand ?? false;
    this.containerName = props.containerName ?? props.serviceName;
    this.containerPort = props.containerPort;
    this.cluster = props.cluster;
    this.name = props.serviceName;
    const strategy = props.launchType ? undefined : props.capacityProviderStrategy ?? props.cluster.defaultCapacityProviderStrategy;
    this.validate(props, strategy);
    this.taskDefinition = this.taskDefinitionFor(props, exec);

    // ----- network -----
    this.securityGroup = new SecurityGroup(this, 'sg', { name: `${props.serviceName}-sg`, description: `ECS service ${props.serviceName}`, vpcId: props.vpc.vpcId });
    this.securityGroupId = this.securityGroup.securityGroupId;
    for (const src of props.allowFromSecurityGroupIds ?? []) this.allowFrom(src);
    for (const cidr of props.allowFromCidrs ?? []) this.securityGroup.addIngress({ peer: { cidr }, port: props.containerPort, description: `Container port from ${cidr}` });
    for (const vol of props.efsVolumes ?? []) vol.fileSystem.allowFrom(this.securityGroupId, `NFS from ${props.serviceName}`);

    this.targetGroup = props.loadBalancer ? this.attachTo(props.loadBalancer, props.serviceName) : undefined;
    this.discoveryService = props.cloudMap ? this.registerIn(props.cluster.namespace!, props.cloudMap, props.serviceName) : undefined;
    this.cloudMapRecordType = props.cloudMap ? props.cloudMap.recordType ?? 'A' : undefined;
    if (props.serviceConnect) props.cluster.claimServiceConnectName(props.serviceConnect.dnsName ?? this.containerName, this);

    this.capacityProviderStrategy = strategy;
    this.resource = this.serviceFor(props, strategy, exec);
    this.serviceName = this.resource.name;
    // A Service Connect client learns the mesh's endpoints when its task starts: a new peer
    // redeploys every member (after the peer exists).
    if (props.serviceConnect) this.resource.triggers = { service_connect_endpoints: props.cluster.joinServiceConnectMesh(this.resource) };
    this.waitForFirstTask(props);
    if (strategy) this.node.addValidation({ validate: () => props.cluster.unknownProviders('capacityProviderStrategy', strategy) });
  }

  /** Checks every prop (before any resource exists), the VPC's egress and the cluster's namespace included. */
  private validate(props: EcsServiceProps, strategy: readonly CapacityProviderStrategyItem[] | undefined): void {
    const compatibility = props.compatibility ?? 'FARGATE';
    const exec = props.enableExecuteCommand ?? false;
    const v = new PropsValidator(this)
      .matches('serviceName', props.serviceName, /^[A-Za-z0-9_-]{1,255}$/, 'an ECS service name (1-255 letters, digits, "-" and "_")')
      .range('desiredCount', props.desiredCount ?? 1, 0, 10000)
      .range('containerPort', props.containerPort, 1, 65535)
      .range('minHealthyPercent', props.minHealthyPercent, 0, 100)
      .range('maxHealthyPercent', props.maxHealthyPercent, 100, 200)
      .range('healthCheckGracePeriodSec', props.healthCheckGracePeriodSec, 0, 2147483647);
    if (props.launchType && props.capacityProviderStrategy) v.fail('launchType', 'and capacityProviderStrategy exclude each other; give one');
    if (props.launchType && props.launchType !== compatibility) v.fail('launchType', `${JSON.stringify(props.launchType)} does not match compatibility ${JSON.stringify(compatibility)}`);
    if (strategy) {
      const from = props.capacityProviderStrategy ? 'capacityProviderStrategy' : 'capacityProviderStrategy (the cluster default)';
      validateStrategy(v, 'capacityProviderStrategy', strategy);
      const fargateNamed = strategy.some((s) => s.capacityProvider.startsWith('FARGATE'));
      const ec2Named = strategy.some((s) => !s.capacityProvider.startsWith('FARGATE'));
      if (compatibility === 'EC2' && fargateNamed) v.fail(from, 'names a Fargate provider for an EC2 task definition; name the EC2 capacity provider');
      if (compatibility === 'FARGATE' && ec2Named) v.fail(from, 'names an EC2 provider for a Fargate task definition; allowed: "FARGATE", "FARGATE_SPOT"');
    }
    if (props.containerPort === undefined) {
      if (props.loadBalancer) v.fail('loadBalancer', 'needs containerPort');
      if (props.cloudMap) v.fail('cloudMap', 'needs containerPort');
      if (props.serviceConnect) v.fail('serviceConnect', 'needs containerPort');
      if (props.allowFromCidrs?.length || props.allowFromSecurityGroupIds?.length) v.fail('allowFrom', 'opening the container port needs containerPort');
    }
    for (const prop of ['cloudMap', 'serviceConnect'] as const) {
      if (props[prop] && !props.cluster.namespace) v.fail(prop, `needs the cluster's Cloud Map namespace, and cluster ${props.cluster.node.path} has none; give the cluster privateNamespace`);
    }
    if (props.healthCheckGracePeriodSec !== undefined && !props.loadBalancer) v.fail('healthCheckGracePeriodSec', 'has no effect without loadBalancer (ECS uses it for load balancer health checks only)');
    (props.allowFromCidrs ?? []).forEach((c, i) => v.check(isCidr(c), `allowFromCidrs[${i}]`, c, 'is not an IPv4 CIDR block'));
    if (exec && (props.scratchPaths ?? []).length > 0) v.fail('scratchPaths', 'needs a read-only root filesystem, which breaks ECS Exec (its agent writes to the root filesystem); turn enableExecuteCommand off, or leave the root writable');
    if (exec && props.readonlyRootFilesystem === true) {
      v.fail('readonlyRootFilesystem', 'true breaks ECS Exec (its agent writes to the root filesystem); set it false or turn enableExecuteCommand off');
    }
    if (props.cloudMap?.recordType !== undefined) v.oneOf('cloudMap.recordType', props.cloudMap.recordType, ['A', 'SRV']);
    this.validateEgress(v, props);
    v.throwIfInvalid();
  }

  /**
   * Whether the tasks reach what they need: in private subnets, their image registry and logs
   * (secrets, exec and sidecars add more) through a NAT gateway or endpoints; with public IPs, the
   * VPC must have public subnets.
   */
  private validateEgress(v: PropsValidator, props: EcsServiceProps): void {
    const images = [props.image, ...(props.sidecars ?? []).map((s) => s.image)];
    if (props.assignPublicIp) {
      v.check(props.vpc.publicSubnetIds.length > 0, 'assignPublicIp', true, `needs public subnets for the tasks, and the VPC ${props.vpc.node.path} has none; allowed: false (private subnets)`);
      return;
    }
    const needs: EgressNeed[] = ['logs'];
    if (images.some((i) => imageRegistry(i) === 'ecr')) needs.push(...FARGATE_WITHOUT_NAT);
    if (Object.keys(props.secrets ?? {}).length > 0) needs.push('secretsmanager');
    if (props.enableExecuteCommand) needs.push('ssmmessages');
    for (const problem of props.vpc.egressProblems(needs)) v.fail('vpc', problem);
    if (props.vpc.egress.natGateways === 'none') {
      for (const image of images.filter((i) => imageRegistry(i) === 'internet')) v.fail('image', `${JSON.stringify(image)} is pulled from outside AWS, which private subnets without a NAT gateway cannot reach; push it to ECR or add a NAT gateway`);
    }
  }

  /** The task definition: EFS volumes, the main container, the sidecars and the task role's permissions. */
  private taskDefinitionFor(props: EcsServiceProps, exec: boolean): TaskDefinition {
    const taskDefinition = new TaskDefinition(this, 'task-definition', { family: props.serviceName, compatibility: props.compatibility ?? 'FARGATE', cpu: props.cpu, memoryMiB: props.memoryMiB });
    for (const vol of props.efsVolumes ?? []) taskDefinition.addEfsVolume(vol.name, vol.fileSystem, vol.readOnly ?? false);
    taskDefinition.addContainer({
      name: this.containerName,
      image: props.image,
      essential: true,
      portMappings: props.containerPort === undefined ? [] : [{ containerPort: props.containerPort, name: this.containerName }],
      environment: props.environment,
      secrets: props.secrets,
      command: props.command,
      healthCheck: props.healthCheck,
      gpuCount: props.gpuCount,
      readonlyRootFilesystem: props.readonlyRootFilesystem ?? !exec,
      scratchPaths: props.scratchPaths,
      initProcessEnabled: exec || undefined,
      mountPoints: (props.efsVolumes ?? []).map((vol) => ({ volume: vol.name, containerPath: vol.containerPath, readOnly: vol.readOnly })),
      logGroup: props.logGroup,
      logStreamPrefix: props.logStreamPrefix,
    });
    for (const sidecar of props.sidecars ?? []) taskDefinition.addContainer(sidecar);
    for (const st of props.taskRoleStatements ?? []) taskDefinition.roles.task.addToPolicy(st);
    for (const arn of props.taskRoleManagedPolicies ?? []) taskDefinition.roles.task.addManagedPolicy(arn);
    if (exec) taskDefinition.roles.enableExec();
    return taskDefinition;
  }

  /** A target group on the load balancer, its route (or default action), and the container port opened to the load balancer. */
  private attachTo(lb: LoadBalancerOptions, serviceName: string): TargetGroup {
    const targetGroup = lb.alb.addTargetGroup(serviceName, { name: serviceName, port: this.containerPort!, healthCheck: lb.healthCheck, deregistrationDelaySec: lb.deregistrationDelaySec });
    if (lb.route === 'default') lb.alb.setDefaultTargetGroup(targetGroup);
    else lb.alb.addRoute(`${serviceName}-route`, { targetGroup, ...lb.route });
    this.allowFrom(lb.alb.securityGroupId, `From the load balancer ${lb.alb.node.id}`);
    return targetGroup;
  }

  /** The Cloud Map service the tasks register in, in the cluster's namespace. */
  private registerIn(namespace: ICloudMapNamespace, cloudMap: CloudMapOptions, serviceName: string): ServiceDiscoveryService {
    return new ServiceDiscoveryService(this, 'discovery', {
      name: cloudMap.name,
      dnsConfig: { namespaceId: namespace.id, dnsRecords: [{ type: cloudMap.recordType ?? 'A', ttl: cloudMap.dnsTtlSec ?? 10 }], routingPolicy: 'MULTIVALUE' },
      healthCheckCustomConfig: { failureThreshold: 1 },
      tags: nameTags(`${serviceName}-discovery`),
    });
  }

  /** The ECS service resource. */
  private serviceFor(props: EcsServiceProps, strategy: readonly CapacityProviderStrategyItem[] | undefined, exec: boolean): EcsServiceResource {
    const hasLb = props.loadBalancer !== undefined;
    const recordType = props.cloudMap?.recordType ?? 'A';
    return new EcsServiceResource(this, 'this', {
      name: props.serviceName,
      cluster: props.cluster.clusterArn,
      taskDefinition: this.taskDefinition.resource.arn,
      desiredCount: props.desiredCount ?? 1,
      capacityProviderStrategy: strategy ? props.cluster.renderStrategy(strategy) : undefined,
      // Strategy changes (non-empty to non-empty) update the service in place with this set, and
      // a changed trigger starts a new deployment.
      forceNewDeployment: strategy || props.serviceConnect ? true : undefined,
      launchType: props.launchType,
      networkConfiguration: { subnets: [...(props.assignPublicIp ? props.vpc.publicSubnetIds : props.vpc.privateSubnetIds)], securityGroups: [this.securityGroupId], assignPublicIp: props.assignPublicIp ?? false },
      deploymentMinimumHealthyPercent: props.minHealthyPercent ?? 100,
      deploymentMaximumPercent: props.maxHealthyPercent ?? 200,
      deploymentCircuitBreaker: { enable: props.circuitBreaker ?? true, rollback: props.circuitBreaker ?? true },
      enableExecuteCommand: exec,
      loadBalancer: hasLb ? [{ targetGroupArn: this.targetGroup!.targetGroupArn, containerName: this.containerName, containerPort: props.containerPort! }] : undefined,
      healthCheckGracePeriodSeconds: hasLb ? props.healthCheckGracePeriodSec ?? props.healthCheck?.startPeriodSec ?? 60 : undefined,
      serviceRegistries: this.discoveryService
        ? recordType === 'SRV'
          ? { registryArn: this.discoveryService.arn, containerName: this.containerName, containerPort: props.containerPort }
          : { registryArn: this.discoveryService.arn }
        : undefined,
      serviceConnectConfiguration: props.serviceConnect ? this.serviceConnectConfiguration(props.serviceConnect, props.logGroup) : undefined,
      propagateTags: 'SERVICE',
      enableEcsManagedTags: true,
      waitForSteadyState: false,
      lifecycle: props.taskDefinitionManagedExternally ? { ignoreChanges: ['task_definition'] } : undefined,
      tags: nameTags(props.serviceName),
    });
  }

  /** The service's Service Connect endpoint in the cluster's namespace, with the proxy's logs. */
  private serviceConnectConfiguration(sc: ServiceConnectOptions, logGroup: LogGroup): EcsServiceServiceConnectConfiguration {
    const dnsName = sc.dnsName ?? this.containerName;
    return {
      enabled: true,
      namespace: this.cluster.namespace!.arn,
      service: [{ portName: this.containerName, discoveryName: dnsName, clientAlias: { dnsName, port: sc.port ?? this.containerPort! } }],
      logConfiguration: {
        logDriver: 'awslogs',
        options: {
          'awslogs-group': (sc.logGroup ?? logGroup).logGroupName,
          'awslogs-region': AwsStack.of(this).region,
          'awslogs-stream-prefix': `${this.containerName}-service-connect`,
        },
      },
    };
  }

  /** Makes the service wait for everything its first task needs, so it starts on the first try. */
  private waitForFirstTask(props: EcsServiceProps): void {
    // Tasks with a public IP go out through the public subnets' route table: they wait for it too.
    const egress = props.assignPublicIp ? [...props.vpc.egressDependables, ...props.vpc.publicEgressDependables] : props.vpc.egressDependables;
    dependOn(this.resource, props.cluster.capacityProviderAssociation, ...egress, ...(props.dependsOn ?? []));
    this.taskDefinition.roles.addDependent(this.resource);
    this.securityGroup.addDependent(this.resource);
    this.targetGroup?.addDependent(this.resource);
    if (this.targetGroup) Relations.route(this.targetGroup.resource, this.resource);
    for (const vol of props.efsVolumes ?? []) {
      dependOn(this.resource, ...vol.fileSystem.mountDependables);
      vol.fileSystem.securityGroup.addDependent(this.resource);
    }
  }

  /** Adds a statement to the task role's policy (the application's permissions). */
  public addToPolicy(statement: PolicyStatement): void {
    this.taskDefinition.roles.task.addToPolicy(statement);
  }

  /** Opens the container port to another security group (an ALB's, or a calling service's). */
  public allowFrom(securityGroupId: string, description = 'Container port from a trusted security group'): void {
    new PropsValidator(this).check(this.containerPort !== undefined, 'allowFrom', securityGroupId, 'cannot be opened: the service has no containerPort').throwIfInvalid();
    this.securityGroup.addIngress({ peer: { securityGroupId }, port: this.containerPort, description });
  }

  /**
   * Application Auto Scaling for the task count; Terraform stops managing `desired_count`.
   * `requestsPerTarget` adds request-count tracking on the service's own target group.
   */
  public autoScaleTaskCount(options: ServiceAutoscalingOptions & { readonly requestsPerTarget?: number }): ServiceAutoscaling {
    const v = new PropsValidator(this);
    if (this.autoscaling) v.fail('autoScaleTaskCount', 'is already set up; call it once');
    if (options.requestsPerTarget !== undefined && !this.targetGroup) v.fail('requestsPerTarget', 'needs the service behind a load balancer (loadBalancer); without one there is no request count to track');
    if (options.requestsPerTarget !== undefined && options.requestCount) v.fail('requestsPerTarget', 'and requestCount exclude each other; give one');
    v.throwIfInvalid();
    this.resource.lifecycle = {
      ...(this.resource.lifecycle ?? {}),
      ignoreChanges: [...((this.resource.lifecycle?.ignoreChanges as string[] | undefined) ?? []), 'desired_count'],
    };
    const requestCount =
      options.requestsPerTarget !== undefined
        ? { requestsPerTarget: options.requestsPerTarget, targetGroup: this.targetGroup!, scaleInCooldownSec: options.cpu?.scaleInCooldownSec, scaleOutCooldownSec: options.cpu?.scaleOutCooldownSec }
        : options.requestCount;
    const { requestsPerTarget: _unused, ...rest } = options;
    // The service's attribute (not the literal name) in the resource id orders the target after the service.
    this.autoscaling = new ServiceAutoscaling(this, 'autoscaling', { namePrefix: this.name, ...rest, requestCount, clusterName: this.cluster.clusterName, serviceName: this.serviceName });
    return this.autoscaling;
  }

  private metric(namespace: string, metricName: string, stat: string, label?: string): Metric {
    return { namespace, metricName, dimensions: { ServiceName: this.name, ClusterName: this.cluster.clusterName }, stat, label: label ?? `${this.containerName} ${metricName}` };
  }

  /** Average CPU utilization of the service's tasks (percent). */
  public metricCpuUtilization(): Metric {
    return this.metric('AWS/ECS', 'CPUUtilization', 'Average', this.containerName);
  }

  /** Average memory utilization of the service's tasks (percent). */
  public metricMemoryUtilization(): Metric {
    return this.metric('AWS/ECS', 'MemoryUtilization', 'Average', this.containerName);
  }

  /**
   * Running tasks: Container Insights' `RunningTaskCount` when the cluster has it; otherwise the
   * sample count of `CPUUtilization` (one sample per running task and minute), which is missing,
   * not 0, when no task runs.
   */
  public metricRunningTasks(): Metric {
    return this.cluster.containerInsightsEnabled
      ? this.metric('ECS/ContainerInsights', 'RunningTaskCount', 'Minimum', `${this.containerName} running`)
      : this.metric('AWS/ECS', 'CPUUtilization', 'SampleCount', `${this.containerName} running`);
  }

  /** Desired tasks (Container Insights only). */
  public metricDesiredTasks(): Metric | undefined {
    return this.cluster.containerInsightsEnabled ? this.metric('ECS/ContainerInsights', 'DesiredTaskCount', 'Maximum', `${this.containerName} desired`) : undefined;
  }
}
