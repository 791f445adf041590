import { Construct } from 'constructs';
import { ITerraformDependable, Lazy, TerraformResource } from 'cdktf';
import { EcsTaskDefinition } from '@cdktf/provider-aws/lib/ecs-task-definition';
import { AwsStack } from '../../core/aws-stack';
import { IGrantable } from '../../core/iam';
import { jsonencode } from '../../core/json';
import { show } from '../../core/format';
import { ENV_VAR_PATTERN, PropsValidator, isArn, isUnresolved } from '../../core/validation';
import { nameTags } from '../../core/tags';
import type { LogGroup } from '../../observability/logs';
import { ContainerSecret, ISecretSource, TaskRoles } from './roles';

/** Valid Fargate task sizes: CPU units to allowed memory (MiB). */
const FARGATE_SIZES: Readonly<Record<number, readonly number[]>> = {
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

/**
 * Why `cpu`/`memoryMiB` is not a Fargate task size, as `[prop, message]`, or undefined when it is.
 * Shared by the constructs and the settings.
 */
export function fargateSizeProblem(cpu: number, memoryMiB: number): ['cpu' | 'memoryMiB', string] | undefined {
  const memories = FARGATE_SIZES[cpu];
  if (!memories) return ['cpu', `${show(cpu)} is not a Fargate CPU size; allowed: ${Object.keys(FARGATE_SIZES).join(', ')}`];
  if (!memories.includes(memoryMiB)) return ['memoryMiB', `${show(memoryMiB)} is not valid with ${cpu} CPU units on Fargate; allowed: ${memories[0]} to ${memories[memories.length - 1]} in steps of ${memories[1] - memories[0]}`];
  return undefined;
}

/** A container health check (ECS runs it inside the container). */
export interface ContainerHealthCheck {
  /** Command, e.g. `HealthChecks.http(8000, "/health")`. */
  readonly command: readonly string[];
  /** @default 30 */
  readonly intervalSec?: number;
  /** @default 5 */
  readonly timeoutSec?: number;
  /** @default 3 */
  readonly retries?: number;
  /**
   * Seconds failures are not counted after the container starts: long enough to load a model or
   * an index.
   * @default 60
   */
  readonly startPeriodSec?: number;
}

/** Health check commands that use what the image has, not what it may lack. */
export const HealthChecks = {
  /**
   * An HTTP GET of `path` on `port` that fails on any non-2xx answer. `tool` is what the image
   * has: `python` (any Python image, including `python:*-slim`, which has no curl), `curl`, or
   * `wget` (busybox and Alpine images).
   */
  http(port: number, path = '/health', tool: 'python' | 'curl' | 'wget' = 'python'): string[] {
    const url = `http://localhost:${port}${path}`;
    const command = {
      python: `python3 -c "import urllib.request; urllib.request.urlopen('${url}', timeout=4)"`,
      curl: `curl -fsS -o /dev/null ${url}`,
      wget: `wget -q -O /dev/null ${url}`,
    }[tool];
    return ['CMD-SHELL', `${command} || exit 1`];
  },
};

/** A port the container listens on. */
export interface PortMapping {
  readonly containerPort: number;
  /** @default "tcp" */
  readonly protocol?: 'tcp' | 'udp';
  /** Port name (Service Connect refers to it). @default `<container>-<port>` */
  readonly name?: string;
  /** @default "http" for tcp, none for udp */
  readonly appProtocol?: 'http' | 'http2' | 'grpc';
}

/** Where a volume of the task is mounted in a container. */
export interface MountPoint {
  /** Volume name (`TaskDefinition.addEfsVolume`). */
  readonly volume: string;
  readonly containerPath: string;
  /** @default false */
  readonly readOnly?: boolean;
}

/** One container of a task. */
export interface ContainerOptions {
  /** Container name, unique in the task. */
  readonly name: string;
  /** Image, e.g. `<repository url>:<tag>`. */
  readonly image: string;
  /**
   * The task stops when an essential container stops. Sidecars are usually not essential.
   * @default true
   */
  readonly essential?: boolean;
  /** CPU units reserved for the container. @default - none (shares the task's) */
  readonly cpu?: number;
  /** Hard memory limit (MiB). @default - none (the task's) */
  readonly memoryMiB?: number;
  /** Memory reserved (soft limit, MiB). @default - none */
  readonly memoryReservationMiB?: number;
  /** Ports. @default [] */
  readonly portMappings?: readonly PortMapping[];
  /** Plain environment variables. @default {} */
  readonly environment?: Readonly<Record<string, string>>;
  /**
   * Secrets injected as environment variables, by variable name. The execution role may read
   * exactly these. A plain string is an ARN: a literal one is classified by its service; a
   * plan-time one is taken as a whole Secrets Manager secret.
   * @default {}
   */
  readonly secrets?: Readonly<Record<string, ContainerSecret>>;
  /** @default - the image's */
  readonly command?: readonly string[];
  /** @default - the image's */
  readonly entryPoint?: readonly string[];
  /** @default - no container health check */
  readonly healthCheck?: ContainerHealthCheck;
  /** Containers this one waits for, and for what. @default [] */
  readonly dependsOn?: readonly { readonly containerName: string; readonly condition: 'START' | 'COMPLETE' | 'SUCCESS' | 'HEALTHY' }[];
  /** Log group (awslogs driver); the task definition references it, so Terraform creates it first. */
  readonly logGroup: LogGroup;
  /** @default the container name */
  readonly logStreamPrefix?: string;
  /**
   * Read-only root filesystem. ECS Exec's agent and many Python images need a writable one.
   * @default true
   */
  readonly readonlyRootFilesystem?: boolean;
  /**
   * Writable paths beside a read-only root (`/tmp`, a cache directory): each is a scratch volume
   * on the task's own storage (Fargate's ephemeral storage, the instance's disk on EC2), empty
   * when the task starts and gone when it stops. On Fargate an empty scratch volume is owned by
   * root: an image that runs as another user writes there only if its Dockerfile declares the
   * path a `VOLUME` it owns.
   * @default []
   */
  readonly scratchPaths?: readonly string[];
  /** GPUs reserved for the container (EC2 only). @default 0 */
  readonly gpuCount?: number;
  /** Volumes mounted. @default [] */
  readonly mountPoints?: readonly MountPoint[];
  /** Run an init process (PID 1 reaps zombies; ECS Exec wants it). @default false */
  readonly initProcessEnabled?: boolean;
  /** Seconds between SIGTERM and SIGKILL. @default - ECS's 30 */
  readonly stopTimeoutSec?: number;
  /** @default - the image's */
  readonly user?: string;
  /** Credentials for a private registry outside ECR. @default - none */
  readonly repositoryCredentials?: ISecretSource;
}

/**
 * The X-Ray daemon image of `Containers.xrayDaemon`: a release tag, not `latest`, so a new daemon
 * reaches running tasks only through a reviewed change of this line (and the deploy it makes),
 * never through a task that happened to restart. 3.3.15 is the daemon's release of June 2025.
 */
export const XRAY_DAEMON_IMAGE = 'public.ecr.aws/xray/aws-xray-daemon:3.3.15';
/** The CloudWatch agent image of `Containers.cloudWatchAgent`, pinned for the same reason. */
export const CLOUDWATCH_AGENT_IMAGE = 'public.ecr.aws/cloudwatch-agent/cloudwatch-agent:1.300045.0b810';

/** Options of the `Containers` presets. */
export interface SidecarOptions {
  /** Log group of the sidecar's own output. */
  readonly logGroup: LogGroup;
  /** @default the preset's public image, at a pinned release (`XRAY_DAEMON_IMAGE`) */
  readonly image?: string;
  /** CPU units reserved. @default 32 */
  readonly cpu?: number;
  /** Memory reserved (MiB). @default 256 */
  readonly memoryReservationMiB?: number;
}

/** A container plus what it needs from the task role. */
export interface SidecarPreset {
  readonly container: ContainerOptions;
  /** Managed policies the task role needs. */
  readonly taskRoleManagedPolicies: readonly string[];
  /** Environment the application containers set to find the sidecar. */
  readonly applicationEnvironment: Readonly<Record<string, string>>;
}

/** Sidecars with their permissions. */
export const Containers = {
  /**
   * The AWS X-Ray daemon: UDP 2000 on localhost; the task role gets `AWSXRayDaemonWriteAccess`,
   * and applications find it at `AWS_XRAY_DAEMON_ADDRESS=127.0.0.1:2000`.
   */
  xrayDaemon(o: SidecarOptions): SidecarPreset {
    return {
      container: {
        name: 'xray-daemon',
        image: o.image ?? XRAY_DAEMON_IMAGE,
        essential: false,
        cpu: o.cpu ?? 32,
        memoryReservationMiB: o.memoryReservationMiB ?? 256,
        portMappings: [{ containerPort: 2000, protocol: 'udp', name: 'xray' }],
        logGroup: o.logGroup,
        logStreamPrefix: 'xray',
        readonlyRootFilesystem: true,
      },
      taskRoleManagedPolicies: ['arn:aws:iam::aws:policy/AWSXRayDaemonWriteAccess'],
      applicationEnvironment: { AWS_XRAY_DAEMON_ADDRESS: '127.0.0.1:2000' },
    };
  },
  /**
   * The CloudWatch agent receiving embedded metric format (EMF) logs on TCP/UDP 25888 and StatsD on
   * UDP 8125; the task role gets `CloudWatchAgentServerPolicy`.
   */
  cloudWatchAgent(o: SidecarOptions): SidecarPreset {
    const config = { logs: { metrics_collected: { emf: {} } }, metrics: { metrics_collected: { statsd: { service_address: ':8125' } } } };
    return {
      container: {
        name: 'cloudwatch-agent',
        image: o.image ?? CLOUDWATCH_AGENT_IMAGE,
        essential: false,
        cpu: o.cpu ?? 32,
        memoryReservationMiB: o.memoryReservationMiB ?? 256,
        environment: { CW_CONFIG_CONTENT: JSON.stringify(config) },
        logGroup: o.logGroup,
        logStreamPrefix: 'cloudwatch-agent',
        readonlyRootFilesystem: false,
      },
      taskRoleManagedPolicies: ['arn:aws:iam::aws:policy/CloudWatchAgentServerPolicy'],
      applicationEnvironment: { AWS_EMF_AGENT_ENDPOINT: 'tcp://127.0.0.1:25888', STATSD_HOST: '127.0.0.1', STATSD_PORT: '8125' },
    };
  },
};

/** An EFS file system a task mounts (`SharedFileSystem` has this shape). */
export interface IEfsMountable {
  readonly fileSystemId: string;
  readonly accessPointId: string;
  /** What a client waits for before mounting (mount targets, access point). */
  readonly mountDependables: ITerraformDependable[];
  /** Lets `grantee` mount, and write unless `readOnly`. */
  grantMount(grantee: IGrantable, readOnly?: boolean): void;
  /** Opens NFS to a security group. */
  allowFrom(securityGroupId: string, description?: string): void;
  /** The file system's security group: clients wait for its rules. */
  readonly securityGroup: { addDependent(resource: TerraformResource): void };
}

export interface TaskDefinitionProps {
  /** Task family. */
  readonly family: string;
  /**
   * Where tasks run: Fargate, or EC2 container instances of a capacity provider.
   * @default "FARGATE"
   */
  readonly compatibility?: 'FARGATE' | 'EC2';
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
  /** @default "X86_64" */
  readonly cpuArchitecture?: 'X86_64' | 'ARM64';
}

interface ResolvedSecret {
  readonly name: string;
  readonly valueFrom: string;
  readonly source: ContainerSecret;
}

function secretValueFrom(secret: ContainerSecret): string {
  if (typeof secret === 'string') return secret;
  if ('parameterArn' in secret) return secret.parameterArn;
  if ('jsonKey' in secret && secret.jsonKey) return `${secret.secretArn}:${secret.jsonKey}::`;
  return secret.secretArn;
}

/**
 * A task definition (awsvpc) with any number of containers, each with its own logs, secrets,
 * health check and start order; the execution and task roles (`TaskRoles`); and EFS volumes. The
 * task's size is checked against Fargate's sizes and against the sum of its containers'.
 */
export class TaskDefinition extends Construct {
  public readonly resource: EcsTaskDefinition;
  public readonly family: string;
  public readonly compatibility: 'FARGATE' | 'EC2';
  public readonly cpu: number;
  public readonly memoryMiB: number;
  public readonly roles: TaskRoles;
  private readonly containers: ContainerOptions[] = [];
  private readonly volumes = new Map<string, { fileSystem: IEfsMountable; readOnly: boolean }>();
  /** Scratch volumes (task storage), by name: `scratch-<container>-<n>`. */
  private readonly scratch: string[] = [];

  constructor(scope: Construct, id: string, props: TaskDefinitionProps) {
    super(scope, id);
    this.compatibility = props.compatibility ?? 'FARGATE';
    this.cpu = props.cpu ?? 256;
    this.memoryMiB = props.memoryMiB ?? 512;
    this.family = props.family;
    const v = new PropsValidator(this)
      .matches('family', props.family, /^[A-Za-z0-9_-]{1,255}$/, 'a task family (1-255 letters, digits, "-" and "_")')
      .oneOf('compatibility', this.compatibility, ['FARGATE', 'EC2']);
    if (this.compatibility === 'FARGATE') {
      const problem = fargateSizeProblem(this.cpu, this.memoryMiB);
      if (problem) v.fail(problem[0], problem[1]);
    } else {
      v.range('cpu', this.cpu, 128, 196608).range('memoryMiB', this.memoryMiB, 128, 1048576);
    }
    v.throwIfInvalid();

    this.roles = new TaskRoles(this, 'roles', { name: props.family });
    this.resource = new EcsTaskDefinition(this, 'this', {
      family: props.family,
      networkMode: 'awsvpc',
      requiresCompatibilities: [this.compatibility],
      cpu: String(this.cpu),
      memory: String(this.memoryMiB),
      executionRoleArn: this.roles.execution.roleArn,
      taskRoleArn: this.roles.task.roleArn,
      containerDefinitions: Lazy.stringValue({ produce: () => jsonencode(this.containers.map((c) => this.render(c))) }),
      runtimePlatform: this.compatibility === 'FARGATE' ? { operatingSystemFamily: 'LINUX', cpuArchitecture: props.cpuArchitecture ?? 'X86_64' } : undefined,
      tags: nameTags(props.family),
    });
    this.node.addValidation({ validate: () => this.taskProblems() });
  }

  /** Adds a container (checked on its own now, against the others at synth). */
  public addContainer(options: ContainerOptions): void {
    let c = options;
    const v = new PropsValidator(this);
    const p = `containers.${c.name}`;
    v.matches('containers', c.name, /^[A-Za-z0-9_-]{1,255}$/, 'a container name (1-255 letters, digits, "-" and "_")');
    if (this.containers.some((x) => x.name === c.name)) v.fail(p, `is already a container of ${this.family}; names must be unique in a task`);
    v.range(`${p}.cpu`, c.cpu, 0, 196608).range(`${p}.memoryMiB`, c.memoryMiB, 6, 1048576).range(`${p}.memoryReservationMiB`, c.memoryReservationMiB, 6, 1048576);
    if (c.memoryMiB !== undefined && c.memoryReservationMiB !== undefined && c.memoryReservationMiB > c.memoryMiB) {
      v.fail(`${p}.memoryReservationMiB`, `${c.memoryReservationMiB} is above memoryMiB ${c.memoryMiB}; the soft limit must not exceed the hard one`);
    }
    v.range(`${p}.gpuCount`, c.gpuCount, 0, 16);
    if ((c.gpuCount ?? 0) > 0 && this.compatibility === 'FARGATE') v.fail(`${p}.gpuCount`, `${c.gpuCount} needs EC2: Fargate has no GPUs; use compatibility "EC2" with a GPU capacity provider`);
    for (const pm of c.portMappings ?? []) v.range(`${p}.portMappings.containerPort`, pm.containerPort, 1, 65535);
    for (const k of Object.keys(c.environment ?? {})) v.matches(`${p}.environment`, k, ENV_VAR_PATTERN, 'an environment variable name (letters, digits and "_", not starting with a digit)');
    for (const [k, secret] of Object.entries(c.secrets ?? {})) {
      v.matches(`${p}.secrets`, k, ENV_VAR_PATTERN, 'an environment variable name');
      const arn = secretValueFrom(secret);
      const kind = typeof secret !== 'string' && 'parameterArn' in secret ? 'ssm' : typeof secret === 'string' ? undefined : 'secretsmanager';
      if (!isUnresolved(arn)) {
        const ok = kind === 'ssm' ? isArn(arn, 'ssm') : kind === 'secretsmanager' ? isArn(arn, 'secretsmanager') : isArn(arn, 'secretsmanager') || isArn(arn, 'ssm');
        v.check(ok, `${p}.secrets.${k}`, arn, `is not the ARN of ${kind === 'ssm' ? 'an SSM parameter' : kind === 'secretsmanager' ? 'a Secrets Manager secret' : 'a Secrets Manager secret or SSM parameter'}`);
      }
      const plain = Object.keys(c.environment ?? {});
      if (plain.includes(k)) v.fail(`${p}.secrets.${k}`, 'is also a plain environment variable; a variable comes from one place');
    }
    const hc = c.healthCheck;
    if (hc) {
      v.check(hc.command.length > 0 && ['CMD', 'CMD-SHELL', 'NONE'].includes(hc.command[0]), `${p}.healthCheck.command`, hc.command, 'does not start with "CMD" or "CMD-SHELL"');
      v.range(`${p}.healthCheck.intervalSec`, hc.intervalSec, 5, 300).range(`${p}.healthCheck.timeoutSec`, hc.timeoutSec, 2, 60).range(`${p}.healthCheck.retries`, hc.retries, 1, 10).range(`${p}.healthCheck.startPeriodSec`, hc.startPeriodSec, 0, 300);
    }
    const scratch = c.scratchPaths ?? [];
    scratch.forEach((path, i) => {
      v.check(/^\/[^\s]*[^/\s]$/.test(path), `${p}.scratchPaths[${i}]`, path, 'is not an absolute path below "/" (such as "/tmp")');
      if (scratch.indexOf(path) !== i) v.fail(`${p}.scratchPaths[${i}]`, `${JSON.stringify(path)} is given twice`);
      if ((c.mountPoints ?? []).some((m) => m.containerPath === path)) v.fail(`${p}.scratchPaths[${i}]`, `${JSON.stringify(path)} is already a mount point of the container`);
    });
    if (scratch.length > 0 && c.readonlyRootFilesystem === false) v.fail(`${p}.scratchPaths`, 'has no effect with a writable root filesystem (readonlyRootFilesystem false); give one or the other');
    v.throwIfInvalid();
    const mounts = scratch.map((containerPath, i) => ({ volume: `scratch-${c.name}-${i + 1}`, containerPath }));
    if (mounts.length > 0) {
      this.scratch.push(...mounts.map((m) => m.volume));
      c = { ...c, mountPoints: [...(c.mountPoints ?? []), ...mounts] };
      this.putVolumes();
    }
    this.containers.push(c);
    // The execution role reads what the container injects: secrets and registry credentials.
    for (const secret of Object.values(c.secrets ?? {})) this.roles.grantSecret(secret);
    if (c.repositoryCredentials) c.repositoryCredentials.grantRead(this.roles.execution);
  }

  /** Adds an EFS volume; containers mount it by `name` through their `mountPoints`. */
  public addEfsVolume(name: string, fileSystem: IEfsMountable, readOnly = false): void {
    new PropsValidator(this).check(!this.volumes.has(name), `volumes.${name}`, name, 'is already a volume of the task').throwIfInvalid();
    this.volumes.set(name, { fileSystem, readOnly });
    fileSystem.grantMount(this.roles.task, readOnly);
    this.putVolumes();
  }

  /** Writes the task's volumes: the EFS ones, then the scratch ones (no host path: task storage). */
  private putVolumes(): void {
    this.resource.putVolume([
      ...[...this.volumes.entries()].map(([n, vol]) => ({
        name: n,
        efsVolumeConfiguration: { fileSystemId: vol.fileSystem.fileSystemId, transitEncryption: 'ENABLED', authorizationConfig: { accessPointId: vol.fileSystem.accessPointId, iam: 'ENABLED' } },
      })),
      ...this.scratch.map((name) => ({ name })),
    ]);
  }

  /** The containers so far. */
  public get containerOptions(): readonly ContainerOptions[] {
    return this.containers;
  }

  /** The EFS file systems of the task. */
  public get fileSystems(): readonly IEfsMountable[] {
    return [...this.volumes.values()].map((v) => v.fileSystem);
  }

  /** Problems only visible once every container is in: none essential, start order, sizes, ports. */
  private taskProblems(): string[] {
    const out: string[] = [];
    const at = (prop: string, message: string) => out.push(`${this.node.path}: ${prop}: ${message}`);
    if (this.containers.length === 0) at('containers', 'is empty; a task needs at least one container');
    if (this.containers.length > 0 && !this.containers.some((c) => c.essential ?? true)) at('containers', 'has no essential container; at least one must be essential');
    const names = this.containers.map((c) => c.name);
    for (const c of this.containers) {
      for (const d of c.dependsOn ?? []) {
        if (!names.includes(d.containerName)) at(`containers.${c.name}.dependsOn`, `${JSON.stringify(d.containerName)} is not a container of the task; containers: ${names.join(', ')}`);
        else if (d.containerName === c.name) at(`containers.${c.name}.dependsOn`, 'names the container itself');
      }
      for (const m of c.mountPoints ?? []) {
        if (!this.volumes.has(m.volume) && !this.scratch.includes(m.volume)) at(`containers.${c.name}.mountPoints`, `${JSON.stringify(m.volume)} is not a volume of the task; add it with addEfsVolume`);
        else if (this.volumes.get(m.volume)?.readOnly && m.readOnly === false) at(`containers.${c.name}.mountPoints`, `${JSON.stringify(m.volume)} is a read-only volume; the mount cannot write`);
      }
    }
    const cpuSum = this.containers.reduce((n, c) => n + (c.cpu ?? 0), 0);
    if (cpuSum > this.cpu) at('cpu', `${this.cpu} is less than the ${cpuSum} CPU units the containers reserve (${this.containers.filter((c) => c.cpu).map((c) => `${c.name} ${c.cpu}`).join(', ')})`);
    const memSum = this.containers.reduce((n, c) => n + (c.memoryReservationMiB ?? c.memoryMiB ?? 0), 0);
    if (memSum > this.memoryMiB) at('memoryMiB', `${this.memoryMiB} is less than the ${memSum} MiB the containers reserve`);
    const ports = this.containers.flatMap((c) => (c.portMappings ?? []).map((p) => `${p.containerPort}/${p.protocol ?? 'tcp'}`));
    const repeated = ports.filter((p, i) => ports.indexOf(p) !== i);
    if (repeated.length > 0) at('containers', `port ${repeated[0]} is used by two containers; containers of an awsvpc task share one network namespace`);
    const portNames = this.containers.flatMap((c) => (c.portMappings ?? []).map((p) => p.name ?? `${c.name}-${p.containerPort}`));
    const repeatedNames = portNames.filter((p, i) => portNames.indexOf(p) !== i);
    if (repeatedNames.length > 0) at('containers', `port name ${JSON.stringify(repeatedNames[0])} is used twice; port names must be unique in a task`);
    return out;
  }

  private render(c: ContainerOptions): Record<string, unknown> {
    const secrets: ResolvedSecret[] = Object.entries(c.secrets ?? {})
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([name, source]) => ({ name, valueFrom: secretValueFrom(source), source }));
    const hc = c.healthCheck;
    return {
      name: c.name,
      image: c.image,
      essential: c.essential ?? true,
      cpu: c.cpu,
      memory: c.memoryMiB,
      memoryReservation: c.memoryReservationMiB,
      command: c.command,
      entryPoint: c.entryPoint,
      user: c.user,
      portMappings: (c.portMappings ?? []).map((p) => ({
        name: p.name ?? `${c.name}-${p.containerPort}`,
        containerPort: p.containerPort,
        hostPort: p.containerPort,
        protocol: p.protocol ?? 'tcp',
        appProtocol: (p.protocol ?? 'tcp') === 'tcp' ? p.appProtocol ?? 'http' : undefined,
      })),
      environment: Object.entries(c.environment ?? {})
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([name, value]) => ({ name, value })),
      secrets: secrets.map((x) => ({ name: x.name, valueFrom: x.valueFrom })),
      mountPoints: (c.mountPoints ?? []).map((m) => ({ sourceVolume: m.volume, containerPath: m.containerPath, readOnly: m.readOnly ?? this.volumes.get(m.volume)?.readOnly ?? false })),
      readonlyRootFilesystem: c.readonlyRootFilesystem ?? true,
      privileged: false,
      dependsOn: c.dependsOn?.map((d) => ({ containerName: d.containerName, condition: d.condition })),
      linuxParameters: c.initProcessEnabled ? { initProcessEnabled: true } : undefined,
      stopTimeout: c.stopTimeoutSec,
      repositoryCredentials: c.repositoryCredentials ? { credentialsParameter: c.repositoryCredentials.secretArn } : undefined,
      logConfiguration: {
        logDriver: 'awslogs',
        options: { 'awslogs-group': c.logGroup.logGroupName, 'awslogs-region': this.region(), 'awslogs-stream-prefix': c.logStreamPrefix ?? c.name },
      },
      healthCheck: hc
        ? { command: hc.command, interval: hc.intervalSec ?? 30, timeout: hc.timeoutSec ?? 5, retries: hc.retries ?? 3, startPeriod: hc.startPeriodSec ?? 60 }
        : undefined,
      resourceRequirements: (c.gpuCount ?? 0) > 0 ? [{ type: 'GPU', value: String(c.gpuCount) }] : undefined,
    };
  }

  private region(): string {
    return AwsStack.of(this).region;
  }
}
