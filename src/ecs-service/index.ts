import { Construct } from 'constructs';
import { ITerraformDependable, Lazy } from 'cdktf';
import { EcsService as EcsServiceResource } from '@cdktf/provider-aws/lib/ecs-service';
import { EcsTaskDefinition, EcsTaskDefinitionVolume } from '@cdktf/provider-aws/lib/ecs-task-definition';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { VpcSecurityGroupEgressRule } from '@cdktf/provider-aws/lib/vpc-security-group-egress-rule';
import { ServiceDiscoveryService } from '@cdktf/provider-aws/lib/service-discovery-service';
import { IGrantable, PolicyStatement, assumeRolePolicy, policyDocument } from '../core/iam';
import { NameLimits, fitName } from '../core/naming';
import { nameTags } from '../core/tags';
import { PropsValidator, isUnresolved } from '../core/validation';
import { CapacityProviderStrategyItem, IEcsCluster, validateStrategy } from '../ecs-cluster';
import { isCidr } from '../settings/schema';
import { ServiceAutoscaling, ServiceAutoscalingOptions } from '../autoscaling';

/** Valid Fargate task sizes: CPU units to allowed memory (MiB). */
export const FARGATE_SIZES: Readonly<Record<number, readonly number[]>> = {
  256: [512, 1024, 2048],
  512: range(1024, 4096, 1024),
  1024: range(2048, 8192, 1024),
  2048: range(4096, 16384, 1024),
  4096: range(8192, 30720, 1024),
  8192: range(16384, 61440, 4096),
  16384: range(32768, 122880, 8192),
};

function range(from: number, to: number, step: number): number[] {
  const out: number[] = [];
  for (let x = from; x <= to; x += step) out.push(x);
  return out;
}

/** A secret for the container: an ARN, or an explicit Secrets Manager key or SSM parameter. */
export type ContainerSecret =
  | string
  | { /** Secrets Manager secret ARN. */ readonly secretArn: string; /** Key inside a JSON secret. @default - the whole secret */ readonly jsonKey?: string }
  | { /** SSM parameter ARN. */ readonly parameterArn: string };

interface ResolvedSecret {
  readonly valueFrom: string;
  readonly kind: 'secretsmanager' | 'ssm';
  /** What the execution role must be allowed to read. */
  readonly resource: string;
}

function resolveSecret(secret: ContainerSecret): ResolvedSecret {
  if (typeof secret !== 'string') {
    if ('parameterArn' in secret) return { valueFrom: secret.parameterArn, kind: 'ssm', resource: secret.parameterArn };
    return { valueFrom: secret.jsonKey ? `${secret.secretArn}:${secret.jsonKey}::` : secret.secretArn, kind: 'secretsmanager', resource: secret.secretArn };
  }
  if (isUnresolved(secret)) return { valueFrom: secret, kind: 'secretsmanager', resource: secret };
  if (secret.includes(':ssm:')) return { valueFrom: secret, kind: 'ssm', resource: secret };
  // `arn:aws:secretsmanager:<region>:<account>:secret:<name>[:json-key:version-stage:version-id]`
  return { valueFrom: secret, kind: 'secretsmanager', resource: secret.split(':').slice(0, 7).join(':') };
}

/** A container health check (ECS runs it inside the container). */
export interface ContainerHealthCheck {
  /** Command, e.g. `["CMD-SHELL", "curl -f http://localhost:8000/health || exit 1"]`. */
  readonly command: readonly string[];
  /** @default 30 */
  readonly intervalSec?: number;
  /** @default 5 */
  readonly timeoutSec?: number;
  /** @default 3 */
  readonly retries?: number;
  /** @default 60 */
  readonly startPeriodSec?: number;
}

/** An EFS volume mounted into the container. */
export interface EfsVolume {
  /** Volume name inside the task definition. */
  readonly name: string;
  /** EFS file system id. */
  readonly fileSystemId: string;
  /** Access point to mount through (enables IAM authorization). @default - the file system root */
  readonly accessPointId?: string;
  /** Where the container sees it. */
  readonly containerPath: string;
  /** @default false */
  readonly readOnly?: boolean;
}

/** Registration in a Cloud Map private DNS namespace (`<name>.<namespace>` A records). */
export interface CloudMapOptions {
  /** Id of the Cloud Map private DNS namespace. */
  readonly namespaceId: string;
  /** DNS name inside the namespace, e.g. `search`. */
  readonly name: string;
  /** @default 10 */
  readonly dnsTtlSec?: number;
}

/** Service Connect: a client/server endpoint in the cluster's namespace. */
export interface ServiceConnectOptions {
  /** Namespace ARN. */
  readonly namespaceArn: string;
  /** Name other services call, `http://<dnsName>:<port>`. @default the container name */
  readonly dnsName?: string;
  /** @default the container port */
  readonly port?: number;
}

export interface EcsServiceProps {
  /** Service name, also the task family and the prefix of its roles and security group. */
  readonly serviceName: string;
  /** The cluster to run in (its capacity provider association is waited for). */
  readonly cluster: IEcsCluster;
  /** VPC of the service security group. */
  readonly vpcId: string;
  /** Subnets of the tasks (private ones). */
  readonly subnetIds: readonly string[];
  /** @default false */
  readonly assignPublicIp?: boolean;
  /**
   * Where tasks run: Fargate, or EC2 container instances of a capacity provider.
   * @default "FARGATE"
   */
  readonly compatibility?: 'FARGATE' | 'EC2';
  /**
   * Capacity provider strategy. Changing it later forces a new deployment in place; changing
   * between a strategy and a launch type replaces the service.
   * @default - the cluster's default strategy (Fargate services); EC2 services must name one
   */
  readonly capacityProviderStrategy?: readonly CapacityProviderStrategyItem[];
  /**
   * Launch type instead of a capacity provider strategy (`EC2` places tasks on whatever container
   * instances the cluster has; nothing scales them).
   * @default - a capacity provider strategy
   */
  readonly launchType?: 'FARGATE' | 'EC2';
  /**
   * Task CPU units; on Fargate one of 256, 512, 1024, 2048, 4096, 8192, 16384.
   * @default 256
   */
  readonly cpu?: number;
  /**
   * Task memory (MiB); on Fargate a size valid for the CPU.
   * @default 512
   */
  readonly memoryMiB?: number;
  /** Container name. @default the last "-" part of serviceName */
  readonly containerName?: string;
  /** Image, e.g. `<repository url>:latest`. */
  readonly image: string;
  /** Port the container listens on. @default - no port */
  readonly containerPort?: number;
  /** Plain environment variables. @default {} */
  readonly environment?: Readonly<Record<string, string>>;
  /**
   * Secrets injected as environment variables, by variable name. The execution role may read
   * exactly these. A plain string is an ARN: a literal one is classified by its service; a
   * plan-time one (a secret made in the same stack) is taken as a whole Secrets Manager secret;
   * use the object forms for a JSON key or an SSM parameter known only at plan time.
   * @default {}
   */
  readonly secrets?: Readonly<Record<string, ContainerSecret>>;
  /** @default - no container health check */
  readonly healthCheck?: ContainerHealthCheck;
  /** GPUs reserved for the container (EC2 only). @default 0 */
  readonly gpuCount?: number;
  /**
   * Read-only root filesystem. ECS Exec's agent needs a writable one.
   * @default true, or false with `enableExecuteCommand`
   */
  readonly readonlyRootFilesystem?: boolean;
  /** @default - the image's */
  readonly command?: readonly string[];
  /** EFS volumes. @default [] */
  readonly efsVolumes?: readonly EfsVolume[];
  /** Log group (awslogs driver). */
  readonly logGroupName: string;
  /** Region of the log group. */
  readonly region: string;
  /** @default the container name */
  readonly logStreamPrefix?: string;
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
   * ECS Exec (`aws ecs execute-command`); adds the SSM messages permissions to the task role.
   * @default false
   */
  readonly enableExecuteCommand?: boolean;
  /** Register tasks with a load balancer target group. @default - none */
  readonly targetGroupArn?: string;
  /**
   * Seconds ECS ignores failing load balancer health checks after a task starts.
   * @default 60 with a target group, none otherwise
   */
  readonly healthCheckGracePeriodSec?: number;
  /** Security groups allowed to reach the container port. @default [] */
  readonly allowFromSecurityGroupIds?: readonly string[];
  /** CIDR blocks allowed to reach the container port. @default [] */
  readonly allowFromCidrs?: readonly string[];
  /** @default - no Cloud Map registration */
  readonly cloudMap?: CloudMapOptions;
  /** @default - no Service Connect */
  readonly serviceConnect?: ServiceConnectOptions;
  /**
   * Let CI/CD own the task definition revision: Terraform ignores `task_definition` on the service
   * after creation, so a deploy pipeline registering new revisions is not rolled back by `apply`.
   * @default false
   */
  readonly taskDefinitionManagedExternally?: boolean;
  /** IAM statements for the application (task role). @default [] */
  readonly taskRoleStatements?: readonly PolicyStatement[];
  /**
   * Resources the service must wait for, beyond the cluster's capacity providers: the listener
   * that attaches its target group to the load balancer (ECS rejects a target group with no load
   * balancer), EFS mount targets, ...
   * @default []
   */
  readonly dependsOn?: readonly ITerraformDependable[];
}

/**
 * An ECS service on Fargate or EC2 with awsvpc networking: task definition with typed container
 * definition, execution role (reads exactly the secrets it injects), task role (caller statements
 * only), a security group open to given sources on the container port only, and the service with
 * circuit breaker, optional load balancer, Cloud Map or Service Connect.
 */
export class EcsService extends Construct implements IGrantable {
  public readonly service: EcsServiceResource;
  public readonly serviceName: string;
  public readonly taskDefinition: EcsTaskDefinition;
  public readonly taskRole: IamRole;
  public readonly executionRole: IamRole;
  public readonly securityGroupId: string;
  public readonly containerName: string;
  public readonly containerPort?: number;
  /** `<name>.<namespace>` when registered in Cloud Map. */
  public readonly discoveryService?: ServiceDiscoveryService;
  private readonly clusterName: string;
  private readonly name: string;
  private readonly taskStatements: PolicyStatement[] = [];
  private taskPolicy?: IamRolePolicy;
  private readonly ingressSources = new Set<string>();

  constructor(scope: Construct, id: string, props: EcsServiceProps) {
    super(scope, id);
    const compatibility = props.compatibility ?? 'FARGATE';
    const cpu = props.cpu ?? 256;
    const memory = props.memoryMiB ?? 512;
    const gpus = props.gpuCount ?? 0;
    const desired = props.desiredCount ?? 1;
    this.containerName = props.containerName ?? props.serviceName.split('-').pop()!;
    this.containerPort = props.containerPort;
    this.clusterName = props.cluster.clusterName;
    this.name = props.serviceName;

    const v = new PropsValidator(this)
      .check(/^[A-Za-z0-9_-]{1,255}$/.test(props.serviceName), 'serviceName', props.serviceName, 'is not an ECS service name; allowed: 1-255 letters, digits, "-" and "_"')
      .range('desiredCount', desired, 0, 10000)
      .range('containerPort', props.containerPort, 1, 65535)
      .range('minHealthyPercent', props.minHealthyPercent, 0, 100)
      .range('maxHealthyPercent', props.maxHealthyPercent, 100, 200)
      .range('gpuCount', gpus, 0, 16)
      .range('healthCheckGracePeriodSec', props.healthCheckGracePeriodSec, 0, 2147483647);
    if (compatibility === 'FARGATE') {
      const memories = FARGATE_SIZES[cpu];
      if (!memories) v.check(false, 'cpu', cpu, `is not a Fargate CPU size; allowed: ${Object.keys(FARGATE_SIZES).join(', ')}`);
      else v.check(memories.includes(memory), 'memoryMiB', memory, `is not valid with ${cpu} CPU units on Fargate; allowed: ${memories.join(', ')}`);
      if (gpus > 0) v.fail('gpuCount', `${gpus} needs EC2: Fargate has no GPUs; set compatibility "EC2" with a GPU capacity provider`);
    } else {
      v.range('cpu', cpu, 128, 196608).range('memoryMiB', memory, 128, 1048576);
    }
    if (props.launchType && props.capacityProviderStrategy) v.fail('launchType', 'and capacityProviderStrategy exclude each other; give one');
    if (props.launchType && props.launchType !== compatibility) v.fail('launchType', `${JSON.stringify(props.launchType)} does not match compatibility ${JSON.stringify(compatibility)}`);
    if (compatibility === 'EC2' && !props.launchType && !props.capacityProviderStrategy) {
      v.fail('capacityProviderStrategy', 'is required for an EC2 task definition (the cluster default is Fargate); name the EC2 capacity provider, or set launchType "EC2"');
    }
    if (props.capacityProviderStrategy) {
      validateStrategy(v, 'capacityProviderStrategy', props.capacityProviderStrategy);
      if (compatibility === 'EC2' && props.capacityProviderStrategy.some((s) => s.capacityProvider.startsWith('FARGATE'))) {
        v.fail('capacityProviderStrategy', 'names a Fargate provider for an EC2 task definition; use the EC2 capacity provider');
      }
      if (compatibility === 'FARGATE' && props.capacityProviderStrategy.some((s) => !s.capacityProvider.startsWith('FARGATE'))) {
        v.fail('capacityProviderStrategy', 'names an EC2 provider for a Fargate task definition; allowed: "FARGATE", "FARGATE_SPOT"');
      }
    }
    if (props.targetGroupArn && props.containerPort === undefined) v.fail('targetGroupArn', 'needs containerPort');
    if (props.containerPort === undefined) {
      if (props.cloudMap) v.fail('cloudMap', 'needs containerPort');
      if (props.serviceConnect) v.fail('serviceConnect', 'needs containerPort');
      if (props.allowFromCidrs?.length || props.allowFromSecurityGroupIds?.length) v.fail('allowFrom', 'opening the container port needs containerPort');
    }
    for (const [i, c] of (props.allowFromCidrs ?? []).entries()) v.check(isCidr(c), `allowFromCidrs[${i}]`, c, 'is not an IPv4 CIDR block');
    for (const [k, secret] of Object.entries(props.secrets ?? {})) {
      const arn = typeof secret === 'string' ? secret : 'parameterArn' in secret ? secret.parameterArn : secret.secretArn;
      const service = typeof secret === 'string' ? '(secretsmanager|ssm)' : 'parameterArn' in secret ? 'ssm' : 'secretsmanager';
      v.check(new RegExp(`^arn:aws[a-z-]*:${service}:`).test(arn), `secrets.${k}`, arn, `is not the ARN of a ${service === 'ssm' ? 'SSM parameter' : service === 'secretsmanager' ? 'Secrets Manager secret' : 'Secrets Manager secret or SSM parameter'}`);
    }
    if (props.enableExecuteCommand && props.readonlyRootFilesystem === true) {
      v.fail('readonlyRootFilesystem', 'true breaks ECS Exec (its agent writes to the root filesystem); set it false or turn enableExecuteCommand off');
    }
    v.throwIfInvalid();

    const name = props.serviceName;
    // Security group: egress anywhere (images, AWS APIs, backends), ingress only from given sources.
    const sg = new SecurityGroup(this, 'sg', {
      name: `${name}-sg`,
      description: `ECS service ${name}`,
      vpcId: props.vpcId,
      tags: nameTags(`${name}-sg`),
    });
    this.securityGroupId = sg.id;
    new VpcSecurityGroupEgressRule(this, 'egress', { securityGroupId: sg.id, cidrIpv4: '0.0.0.0/0', ipProtocol: '-1', description: 'All outbound' });
    for (const src of props.allowFromSecurityGroupIds ?? []) this.allowFrom(src);
    (props.allowFromCidrs ?? []).forEach((cidr, i) => {
      if (props.containerPort === undefined) return;
      new VpcSecurityGroupIngressRule(this, `ingress-cidr-${i}`, {
        securityGroupId: sg.id,
        cidrIpv4: cidr,
        ipProtocol: 'tcp',
        fromPort: props.containerPort,
        toPort: props.containerPort,
        description: `Container port from ${cidr}`,
      });
    });

    // Execution role: pull images, write logs, read exactly the injected secrets.
    this.executionRole = new IamRole(this, 'execution-role', {
      name: fitName(`${name}-execution`, NameLimits.iamRole),
      assumeRolePolicy: assumeRolePolicy('ecs-tasks.amazonaws.com'),
      tags: nameTags(`${name}-execution`),
    });
    new IamRolePolicyAttachment(this, 'execution-managed', {
      role: this.executionRole.name,
      policyArn: 'arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy',
    });
    const secrets = Object.entries(props.secrets ?? {})
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([name, secret]) => ({ name, ...resolveSecret(secret) }));
    if (secrets.length > 0) {
      const sm = unique(secrets.filter((x) => x.kind === 'secretsmanager').map((x) => x.resource));
      const ssm = unique(secrets.filter((x) => x.kind === 'ssm').map((x) => x.resource));
      const statements: PolicyStatement[] = [];
      if (sm.length > 0) statements.push({ Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: sm });
      if (ssm.length > 0) statements.push({ Effect: 'Allow', Action: 'ssm:GetParameters', Resource: ssm });
      new IamRolePolicy(this, 'execution-secrets', { name: 'read-secrets', role: this.executionRole.id, policy: policyDocument(statements) });
    }

    // Task role: only what the caller grants (plus ECS Exec when enabled).
    this.taskRole = new IamRole(this, 'task-role', {
      name: fitName(`${name}-task`, NameLimits.iamRole),
      assumeRolePolicy: assumeRolePolicy('ecs-tasks.amazonaws.com'),
      tags: nameTags(`${name}-task`),
    });
    for (const st of props.taskRoleStatements ?? []) this.addToPolicy(st);
    if (props.enableExecuteCommand) {
      this.addToPolicy({
        Effect: 'Allow',
        Action: ['ssmmessages:CreateControlChannel', 'ssmmessages:CreateDataChannel', 'ssmmessages:OpenControlChannel', 'ssmmessages:OpenDataChannel'],
        Resource: '*',
      });
    }

    const volumes: EcsTaskDefinitionVolume[] = (props.efsVolumes ?? []).map((vol) => ({
      name: vol.name,
      efsVolumeConfiguration: {
        fileSystemId: vol.fileSystemId,
        transitEncryption: 'ENABLED',
        authorizationConfig: vol.accessPointId ? { accessPointId: vol.accessPointId, iam: 'ENABLED' } : undefined,
      },
    }));

    const container = {
      name: this.containerName,
      image: props.image,
      essential: true,
      command: props.command,
      portMappings:
        props.containerPort === undefined
          ? []
          : [{ name: this.containerName, containerPort: props.containerPort, hostPort: props.containerPort, protocol: 'tcp', appProtocol: 'http' }],
      environment: Object.entries(props.environment ?? {})
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([k, val]) => ({ name: k, value: val })),
      secrets: secrets.map((x) => ({ name: x.name, valueFrom: x.valueFrom })),
      mountPoints: (props.efsVolumes ?? []).map((vol) => ({ sourceVolume: vol.name, containerPath: vol.containerPath, readOnly: vol.readOnly ?? false })),
      readonlyRootFilesystem: props.readonlyRootFilesystem ?? !(props.enableExecuteCommand ?? false),
      privileged: false,
      logConfiguration: {
        logDriver: 'awslogs',
        options: { 'awslogs-group': props.logGroupName, 'awslogs-region': props.region, 'awslogs-stream-prefix': props.logStreamPrefix ?? this.containerName },
      },
      healthCheck: props.healthCheck
        ? {
            command: props.healthCheck.command,
            interval: props.healthCheck.intervalSec ?? 30,
            timeout: props.healthCheck.timeoutSec ?? 5,
            retries: props.healthCheck.retries ?? 3,
            startPeriod: props.healthCheck.startPeriodSec ?? 60,
          }
        : undefined,
      resourceRequirements: gpus > 0 ? [{ type: 'GPU', value: String(gpus) }] : undefined,
    };

    this.taskDefinition = new EcsTaskDefinition(this, 'task', {
      family: name,
      networkMode: 'awsvpc',
      requiresCompatibilities: [compatibility],
      cpu: String(cpu),
      memory: String(memory),
      executionRoleArn: this.executionRole.arn,
      taskRoleArn: this.taskRole.arn,
      containerDefinitions: JSON.stringify([container]),
      runtimePlatform: compatibility === 'FARGATE' ? { operatingSystemFamily: 'LINUX', cpuArchitecture: 'X86_64' } : undefined,
      volume: volumes.length > 0 ? volumes : undefined,
      tags: nameTags(name),
    });

    if (props.cloudMap) {
      this.discoveryService = new ServiceDiscoveryService(this, 'discovery', {
        name: props.cloudMap.name,
        dnsConfig: {
          namespaceId: props.cloudMap.namespaceId,
          dnsRecords: [{ type: 'A', ttl: props.cloudMap.dnsTtlSec ?? 10 }],
          routingPolicy: 'MULTIVALUE',
        },
        healthCheckCustomConfig: { failureThreshold: 1 },
        tags: nameTags(`${name}-discovery`),
      });
    }

    const hasLb = props.targetGroupArn !== undefined;
    this.service = new EcsServiceResource(this, 'this', {
      name,
      cluster: props.cluster.clusterArn,
      taskDefinition: this.taskDefinition.arn,
      desiredCount: desired,
      capacityProviderStrategy: props.capacityProviderStrategy?.map((s) => ({ capacityProvider: s.capacityProvider, weight: s.weight, base: s.base ?? 0 })),
      // Without either, ECS uses the cluster's default strategy; a launch type bypasses capacity providers.
      launchType: props.launchType,
      networkConfiguration: { subnets: [...props.subnetIds], securityGroups: [sg.id], assignPublicIp: props.assignPublicIp ?? false },
      deploymentMinimumHealthyPercent: props.minHealthyPercent ?? 100,
      deploymentMaximumPercent: props.maxHealthyPercent ?? 200,
      deploymentCircuitBreaker: { enable: props.circuitBreaker ?? true, rollback: props.circuitBreaker ?? true },
      enableExecuteCommand: props.enableExecuteCommand ?? false,
      loadBalancer: hasLb ? [{ targetGroupArn: props.targetGroupArn!, containerName: this.containerName, containerPort: props.containerPort! }] : undefined,
      healthCheckGracePeriodSeconds: props.healthCheckGracePeriodSec ?? (hasLb ? 60 : undefined),
      serviceRegistries: this.discoveryService ? { registryArn: this.discoveryService.arn } : undefined,
      serviceConnectConfiguration: props.serviceConnect
        ? {
            enabled: true,
            namespace: props.serviceConnect.namespaceArn,
            service: [
              {
                portName: this.containerName,
                discoveryName: props.serviceConnect.dnsName ?? this.containerName,
                clientAlias: { dnsName: props.serviceConnect.dnsName ?? this.containerName, port: props.serviceConnect.port ?? props.containerPort! },
              },
            ],
            logConfiguration: {
              logDriver: 'awslogs',
              options: { 'awslogs-group': props.logGroupName, 'awslogs-region': props.region, 'awslogs-stream-prefix': `${this.containerName}-service-connect` },
            },
          }
        : undefined,
      propagateTags: 'SERVICE',
      enableEcsManagedTags: true,
      waitForSteadyState: false,
      dependsOn: [props.cluster.capacityProviderAssociation, ...(props.dependsOn ?? [])],
      lifecycle: props.taskDefinitionManagedExternally ? { ignoreChanges: ['task_definition'] } : undefined,
      tags: nameTags(name),
    });
    this.serviceName = this.service.name;
  }

  /** Adds a statement to the task role's policy (the application's permissions). */
  public addToPolicy(statement: PolicyStatement): void {
    this.taskStatements.push(statement);
    if (!this.taskPolicy) {
      this.taskPolicy = new IamRolePolicy(this, 'task-policy', {
        name: 'application',
        role: this.taskRole.id,
        policy: Lazy.stringValue({ produce: () => policyDocument(this.taskStatements) }),
      });
    }
  }

  /** Opens the container port to another security group (an ALB's, or a calling service's). */
  public allowFrom(securityGroupId: string, description = 'Container port from a trusted security group'): void {
    new PropsValidator(this).check(this.containerPort !== undefined, 'allowFrom', securityGroupId, 'cannot be opened: the service has no containerPort').throwIfInvalid();
    if (this.ingressSources.has(securityGroupId)) return;
    this.ingressSources.add(securityGroupId);
    new VpcSecurityGroupIngressRule(this, `ingress-sg-${this.ingressSources.size}`, {
      securityGroupId: this.securityGroupId,
      referencedSecurityGroupId: securityGroupId,
      ipProtocol: 'tcp',
      fromPort: this.containerPort,
      toPort: this.containerPort,
      description,
    });
  }

  /** Application Auto Scaling for the task count; Terraform stops managing `desired_count`. */
  public autoScaleTaskCount(options: ServiceAutoscalingOptions): ServiceAutoscaling {
    this.service.lifecycle = {
      ...(this.service.lifecycle ?? {}),
      ignoreChanges: [...((this.service.lifecycle?.ignoreChanges as string[] | undefined) ?? []), 'desired_count'],
    };
    // The service's attribute (not the literal name) in the resource id orders the target after the service.
    return new ServiceAutoscaling(this, 'autoscaling', { namePrefix: this.name, ...options, clusterName: this.clusterName, serviceName: this.serviceName });
  }
}

function unique<T>(xs: readonly T[]): T[] {
  return [...new Set(xs)];
}
