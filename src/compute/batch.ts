/**
 * AWS Batch for GPU jobs on EC2: a managed compute environment (spot by default) on the ECS GPU
 * AMI, its job queue, and one container job definition with GPU resource requirements, logs and
 * a retry strategy that survives spot reclaims.
 */
import { Construct } from 'constructs';
import { Token } from 'cdktf';
import { BatchComputeEnvironment } from '@cdktf/provider-aws/lib/batch-compute-environment';
import { BatchJobQueue } from '@cdktf/provider-aws/lib/batch-job-queue';
import { BatchJobDefinition } from '@cdktf/provider-aws/lib/batch-job-definition';
import { AwsStack } from '../core/aws-stack';
import { dependOn } from '../core/dependencies';
import { IGrantable, PolicyStatement } from '../core/iam';
import { jsonencode } from '../core/json';
import { RETENTION_DAYS, namePrefix } from '../core/naming';
import { nameTags } from '../core/tags';
import { ENV_VAR_PATTERN, PropsValidator } from '../core/validation';
import { Relations } from '../core/relations';
import { GPU_INSTANCE_TYPES, InstanceLaunchTemplate, InstanceRole, InstanceSize, gpuInstanceTypeProblem, taskMemoryMiB } from './instance-types';
import { ServiceRole } from '../security/iam';
import { LogGroup } from '../observability/logs';
import { SecurityGroup } from '../network/security-group';
import type { IVpc } from '../network/vpc';

/** The Batch image types (`ec2_configuration.image_type`) of the ECS GPU AMIs. */
const BATCH_GPU_IMAGE_TYPES = ['ECS_AL2023_NVIDIA', 'ECS_AL2_NVIDIA'] as const;
/** A Batch image type with the NVIDIA driver. */
export type BatchGpuImageType = (typeof BATCH_GPU_IMAGE_TYPES)[number];

/** Instance families the Amazon Linux 2023 GPU AMI does not drive (Batch's `ECS_AL2023_NVIDIA` note). */
const AL2023_NVIDIA_UNSUPPORTED = ['p3', 'g3'];

/** Batch name prefix limit (`compute_environment_name_prefix`: 102 characters). */
const COMPUTE_ENVIRONMENT_PREFIX = 102;

/** The container job of a `BatchGpuCompute`. */
export interface BatchGpuJobProps {
  /** Container image, e.g. `<account>.dkr.ecr.<region>.amazonaws.com/trainer:1.4.0`. */
  readonly image: string;
  /** vCPUs reserved for the job (a whole number). */
  readonly vcpus: number;
  /**
   * Memory reserved for the job, in MiB. It must fit in what ECS leaves for jobs on one instance
   * (about 95 % of the instance's memory).
   */
  readonly memoryMiB: number;
  /**
   * GPUs reserved for the job; no more than one instance has.
   * @default 1
   */
  readonly gpus?: number;
  /**
   * Command (the image's `CMD` when not given); `Ref::name` placeholders take `SubmitJob` parameters.
   * @default - the image's command
   */
  readonly command?: readonly string[];
  /**
   * Environment variables (names may not start with `AWS_BATCH`, which Batch reserves).
   * @default {}
   */
  readonly environment?: Readonly<Record<string, string>>;
  /**
   * Seconds an attempt may run before Batch terminates it (at least 60).
   * @default 3600
   */
  readonly timeoutSec?: number;
  /**
   * Attempts per job (1 to 10). Only spot reclaims (`Host EC2*` status reasons) are retried; any
   * other failure ends the job at once, so a bug does not burn GPU hours three times over.
   * @default 3
   */
  readonly attempts?: number;
}

export interface BatchGpuComputeProps {
  /**
   * Base of every name: the job queue and job definition are named this, the compute environment
   * and roles start with it, the log group is `/aws/batch/<name>`.
   */
  readonly name: string;
  /** The VPC: the instances run in its private subnets and wait for its egress routes and endpoints. */
  readonly vpc: IVpc;
  /**
   * x86 NVIDIA GPU instance types Batch may launch (see `GPU_INSTANCE_TYPES`).
   * @default ["g4dn.xlarge", "g4dn.2xlarge"]
   */
  readonly instanceTypes?: readonly string[];
  /**
   * Spot instances (`SPOT` with `SPOT_CAPACITY_OPTIMIZED`: the pools least likely to be
   * interrupted, no spot fleet role, at most the on-demand price); false runs on demand (`EC2`
   * with `BEST_FIT_PROGRESSIVE`). Jobs interrupted by a spot reclaim are retried (see
   * `job.attempts`). Changing it replaces the compute environment (running jobs end).
   * @default true
   */
  readonly spot?: boolean;
  /**
   * Most vCPUs running at once (Batch may exceed it by one instance).
   * @default 256
   */
  readonly maxVcpus?: number;
  /**
   * vCPUs kept running while the queue is empty; 0 stops every instance when there is no work.
   * @default 0
   */
  readonly minVcpus?: number;
  /**
   * Root volume of each instance (encrypted gp3), which holds the images: GPU images are large.
   * @default 100
   */
  readonly rootVolumeSizeGiB?: number;
  /**
   * The ECS GPU AMI Batch launches. Amazon Linux 2023 is the default because AWS ends support
   * for the Amazon Linux 2 ECS AMIs on 30 June 2026, and from then on Batch refuses to create
   * compute environments on its Amazon Linux 2 AMIs. A compute environment is re-created by many
   * changes, so an `ECS_AL2_NVIDIA` environment would stop applying. `ECS_AL2023_NVIDIA` does not
   * support p3 and g3 instances; choose `ECS_AL2_NVIDIA` only to keep p3 for now. Changing it
   * replaces the compute environment.
   * @default "ECS_AL2023_NVIDIA"
   */
  readonly imageType?: BatchGpuImageType;
  /** The job definition's container. */
  readonly job: BatchGpuJobProps;
  /**
   * Days the job log group `/aws/batch/<name>` keeps events (one of CloudWatch's retention periods).
   * @default 30
   */
  readonly logRetentionDays?: number;
}

/**
 * AWS Batch for GPU jobs on EC2:
 * - a managed compute environment: spot (price-capacity-optimized) or on-demand, the ECS GPU AMI
 *   Batch picks for `imageType`, the ECS instance role and profile, an outbound-only security
 *   group, and a launch template with IMDSv2 required and an encrypted gp3 root volume (no user
 *   data: Batch accepts only MIME multi-part). It uses Batch's service-linked role, so most
 *   changes update it in place; the others replace it, which `compute_environment_name_prefix`
 *   and `create_before_destroy` make safe (the queue moves to the new environment before the old
 *   one goes). It waits for the instance role's policies, the security group's rules and the
 *   VPC's egress, so no instance starts unable to join its cluster;
 * - a job queue (priority 1) on the environment;
 * - a container job definition: VCPU, MEMORY and GPU resource requirements, logs to
 *   `/aws/batch/<name>`, a job role (`jobRole`, which `addToPolicy` and the constructs' grants
 *   extend) and an execution role, a timeout, and retries on spot reclaims only.
 *
 * `grantSubmit(grantee)` lets a caller submit jobs of this definition to this queue.
 */
export class BatchGpuCompute extends Construct implements IGrantable {
  /** The compute environment resource (the queue and job definition are `jobQueue` and `jobDefinition`). */
  public readonly resource: BatchComputeEnvironment;
  public readonly computeEnvironmentArn: string;
  public readonly jobQueue: BatchJobQueue;
  public readonly jobQueueArn: string;
  public readonly jobQueueName: string;
  public readonly jobDefinition: BatchJobDefinition;
  /** ARN of the job definition's current revision (`...:job-definition/<name>:<revision>`). */
  public readonly jobDefinitionArn: string;
  public readonly jobDefinitionName: string;
  /** The role the job's containers run with. */
  public readonly jobRole: ServiceRole;
  /** The role ECS pulls the image and writes logs with (grant registry pulls and secrets to it). */
  public readonly executionRole: ServiceRole;
  public readonly logGroup: LogGroup;
  public readonly securityGroup: SecurityGroup;
  public readonly instanceRole: InstanceRole;
  public readonly launchTemplate: InstanceLaunchTemplate;
  public readonly instanceTypes: readonly string[];
  public readonly spot: boolean;
  public readonly imageType: BatchGpuImageType;

  constructor(scope: Construct, id: string, props: BatchGpuComputeProps) {
    super(scope, id);
    const c = this.validate(props);
    const name = props.name;
    this.instanceTypes = c.instanceTypes;
    this.spot = props.spot ?? true;
    this.imageType = c.imageType;

    this.logGroup = new LogGroup(this, 'logs', { name: `/aws/batch/${name}`, retentionDays: c.retention });
    this.instanceRole = new InstanceRole(this, 'instance', { name });
    this.securityGroup = new SecurityGroup(this, 'instance-sg', { name: `${name}-batch`, description: `AWS Batch GPU instances of ${name}, outbound only`, vpcId: props.vpc.vpcId });
    // No image (Batch picks the AMI of imageType), no profile or security groups (Batch sets its
    // own), no user data (Batch accepts only MIME multi-part).
    this.launchTemplate = new InstanceLaunchTemplate(this, 'launch-template', { name: `${name}-batch`, rootVolumeSizeGiB: c.rootSize });
    this.resource = this.computeEnvironment(props, c);
    this.computeEnvironmentArn = this.resource.arn;

    this.jobQueue = new BatchJobQueue(this, 'job-queue', {
      name,
      priority: 1,
      state: 'ENABLED',
      computeEnvironmentOrder: [{ order: 1, computeEnvironment: this.resource.arn }],
      tags: nameTags(name),
    });
    this.jobQueueArn = this.jobQueue.arn;
    this.jobQueueName = this.jobQueue.name;

    this.jobRole = new ServiceRole(this, 'job-role', { name: `${name}-job`, assumedBy: 'ecs-tasks.amazonaws.com', description: `Containers of the ${name} Batch jobs` });
    this.executionRole = new ServiceRole(this, 'execution-role', {
      name: `${name}-execution`,
      assumedBy: 'ecs-tasks.amazonaws.com',
      managedPolicyArns: ['arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy'],
      description: `ECS pulls images and writes logs of the ${name} Batch jobs`,
    });
    this.jobDefinition = this.jobDefinitionFor(name, props.job);
    // A definition exists only once its roles can do what it needs (grants added later included).
    this.jobRole.addDependent(this.jobDefinition);
    this.executionRole.addDependent(this.jobDefinition);
    this.jobDefinitionArn = this.jobDefinition.arn;
    this.jobDefinitionName = this.jobDefinition.name;
  }

  /** Checks every prop (before any resource exists) and applies the defaults. */
  private validate(props: BatchGpuComputeProps): { instanceTypes: readonly string[]; imageType: BatchGpuImageType; rootSize: number; retention: number; minVcpus: number; maxVcpus: number } {
    const instanceTypes = props.instanceTypes ?? ['g4dn.xlarge', 'g4dn.2xlarge'];
    const maxVcpus = props.maxVcpus ?? 256;
    const minVcpus = props.minVcpus ?? 0;
    const rootSize = props.rootVolumeSizeGiB ?? 100;
    const imageType = props.imageType ?? 'ECS_AL2023_NVIDIA';
    const retention = props.logRetentionDays ?? 30;
    const job = props.job;
    const gpus = job.gpus ?? 1;
    const timeoutSec = job.timeoutSec ?? 3600;
    const attempts = job.attempts ?? 3;
    const v = new PropsValidator(this)
      .matches('name', props.name, /^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$/, 'a Batch name (1-100 letters, digits, "-" and "_", starting with a letter or digit)')
      .check(instanceTypes.length > 0, 'instanceTypes', instanceTypes, 'is empty; give at least one GPU instance type')
      .oneOf('imageType', imageType, BATCH_GPU_IMAGE_TYPES)
      .check(Number.isInteger(maxVcpus) && maxVcpus >= 1, 'maxVcpus', maxVcpus, 'is not allowed; allowed: a whole number of at least 1')
      .check(Number.isInteger(minVcpus) && minVcpus >= 0, 'minVcpus', minVcpus, 'is not allowed; allowed: a whole number of at least 0')
      .range('rootVolumeSizeGiB', rootSize, 30, 16384, 'GiB')
      .check(RETENTION_DAYS.includes(retention), 'logRetentionDays', retention, `is not a CloudWatch retention; allowed: ${RETENTION_DAYS.join(', ')}`)
      .check(job.image.length > 0, 'job.image', job.image, 'is empty; give a container image')
      .check(Number.isInteger(job.vcpus) && job.vcpus >= 1, 'job.vcpus', job.vcpus, 'is not allowed; allowed: a whole number of at least 1')
      .check(Number.isInteger(job.memoryMiB) && job.memoryMiB >= 4, 'job.memoryMiB', job.memoryMiB, 'is not allowed; allowed: a whole number of MiB, at least 4')
      .check(Number.isInteger(gpus) && gpus >= 1, 'job.gpus', gpus, 'is not allowed; allowed: a whole number of at least 1 (a job without GPUs belongs on a CPU compute environment)')
      .check(Number.isInteger(timeoutSec) && timeoutSec >= 60, 'job.timeoutSec', timeoutSec, 'is not allowed; allowed: a whole number of seconds, at least 60')
      .check(Number.isInteger(attempts) && attempts >= 1 && attempts <= 10, 'job.attempts', attempts, 'is out of range; allowed: 1 to 10');
    const maxNote = props.maxVcpus === undefined ? ' (the default)' : '';
    if (minVcpus > maxVcpus) v.fail('minVcpus', `${minVcpus} is above maxVcpus ${maxVcpus}${maxNote}`);
    else if (job.vcpus > maxVcpus) v.fail('job.vcpus', `${job.vcpus} is above maxVcpus ${maxVcpus}${maxNote}; the job would never leave RUNNABLE`);
    const known: [string, InstanceSize][] = [];
    instanceTypes.forEach((t, i) => {
      const problem = gpuInstanceTypeProblem(t);
      v.rule(`instanceTypes[${i}]`, problem);
      if (problem) return;
      known.push([t, GPU_INSTANCE_TYPES[t]]);
      if (imageType === 'ECS_AL2023_NVIDIA' && AL2023_NVIDIA_UNSUPPORTED.includes(t.split('.')[0])) {
        const note = props.imageType === undefined ? ', the default' : '';
        v.fail(`instanceTypes[${i}]`, `${JSON.stringify(t)} is not supported by imageType "ECS_AL2023_NVIDIA"${note} (no p3 or g3); use another family or imageType "ECS_AL2_NVIDIA"`);
      }
    });
    const typesLabel = props.instanceTypes ? 'instanceTypes' : `instanceTypes (default ${JSON.stringify(instanceTypes)})`;
    if (known.length > 0) for (const problem of jobFitProblems(known, typesLabel, job.vcpus, job.memoryMiB, gpus)) v.fail(problem[0], problem[1]);
    for (const k of Object.keys(job.environment ?? {})) {
      v.check(ENV_VAR_PATTERN.test(k), 'job.environment', k, 'is not an environment variable name');
      v.check(!k.startsWith('AWS_BATCH'), 'job.environment', k, 'starts with "AWS_BATCH", which Batch reserves for its own variables');
    }
    v.throwIfInvalid();
    return { instanceTypes, imageType, rootSize, retention, minVcpus, maxVcpus };
  }

  /** The managed compute environment, waiting for its role, security group and the VPC's egress. */
  private computeEnvironment(props: BatchGpuComputeProps, c: { instanceTypes: readonly string[]; imageType: BatchGpuImageType; minVcpus: number; maxVcpus: number }): BatchComputeEnvironment {
    const environment = new BatchComputeEnvironment(this, 'compute-environment', {
      computeEnvironmentNamePrefix: namePrefix(props.name, COMPUTE_ENVIRONMENT_PREFIX),
      type: 'MANAGED',
      state: 'ENABLED',
      // No service_role: Batch's service-linked role, which lets Batch update settings in place
      // (subnets when a zone is added, instance types, the launch template version) without
      // ending running jobs. Provider 5.x allows those in-place updates for SPOT_CAPACITY_OPTIMIZED
      // and BEST_FIT_PROGRESSIVE only; with SPOT_PRICE_CAPACITY_OPTIMIZED it replaces the
      // environment instead (fixed in provider 6.10). The prefix and create_before_destroy keep the
      // replacements that remain (type, spot on or off) from failing on the job queue.
      computeResources: {
        type: this.spot ? 'SPOT' : 'EC2',
        allocationStrategy: this.spot ? 'SPOT_CAPACITY_OPTIMIZED' : 'BEST_FIT_PROGRESSIVE',
        instanceType: [...c.instanceTypes],
        minVcpus: c.minVcpus,
        maxVcpus: c.maxVcpus,
        subnets: [...props.vpc.privateSubnetIds],
        securityGroupIds: [this.securityGroup.securityGroupId],
        instanceRole: this.instanceRole.profileArn,
        ec2Configuration: [{ imageType: c.imageType }],
        // The template's latest version, not "$Latest": Batch resolves "$Latest" once, at creation,
        // so a changed template would never reach the instances. A new version moves the
        // environment to it: in place (a Batch infrastructure update) or by a safe replacement.
        launchTemplate: { launchTemplateId: this.launchTemplate.launchTemplateId, version: Token.asString(this.launchTemplate.resource.latestVersion) },
        // The instances Batch launches: the provider's default tags never reach them, and a cost
        // budget filtered by the stack's tag would miss the GPU hours without these.
        tags: { ...AwsStack.of(this).defaultTagValues, ...nameTags(props.name) },
      },
      tags: nameTags(props.name),
      lifecycle: { createBeforeDestroy: true },
    });
    this.instanceRole.role.addDependent(environment);
    this.securityGroup.addDependent(environment);
    dependOn(environment, ...props.vpc.egressDependables);
    return environment;
  }

  /** The container job definition: resources, roles, logs, timeout, and retries on spot reclaims only. */
  private jobDefinitionFor(name: string, job: BatchGpuJobProps): BatchJobDefinition {
    const environment = job.environment ?? {};
    const containerProperties = {
      image: job.image,
      command: job.command ? [...job.command] : undefined,
      environment: Object.keys(environment)
        .sort()
        .map((k) => ({ name: k, value: environment[k] })),
      resourceRequirements: [
        { type: 'VCPU', value: String(job.vcpus) },
        { type: 'MEMORY', value: String(job.memoryMiB) },
        { type: 'GPU', value: String(job.gpus ?? 1) },
      ],
      jobRoleArn: this.jobRole.roleArn,
      executionRoleArn: this.executionRole.roleArn,
      logConfiguration: {
        logDriver: 'awslogs',
        options: { 'awslogs-group': this.logGroup.logGroupName, 'awslogs-region': AwsStack.of(this).region, 'awslogs-stream-prefix': name },
      },
    };
    return new BatchJobDefinition(this, 'job-definition', {
      name,
      type: 'container',
      platformCapabilities: ['EC2'],
      containerProperties: jsonencode(containerProperties),
      retryStrategy: {
        attempts: job.attempts ?? 3,
        // Evaluated in order: a host reclaimed by EC2 (spot) is retried, anything else ends the job.
        evaluateOnExit: [
          { onStatusReason: 'Host EC2*', action: 'RETRY' },
          { onReason: '*', action: 'EXIT' },
        ],
      },
      timeout: { attemptDurationSeconds: job.timeoutSec ?? 3600 },
      propagateTags: true,
      tags: nameTags(name),
    });
  }

  /** Adds a statement to the job role: what the job's containers may do. */
  public addToPolicy(statement: PolicyStatement): void {
    this.jobRole.addToPolicy(statement);
  }

  /**
   * Lets `grantee` submit jobs of this definition (any revision) to this queue, and describe jobs
   * (`batch:DescribeJobs` supports no resource-level permissions, so it is granted on `*`).
   */
  public grantSubmit(grantee: IGrantable): void {
    Relations.grant(this, grantee, 'submit');
    grantee.addToPolicy({ Effect: 'Allow', Action: 'batch:SubmitJob', Resource: [this.jobQueueArn, `${this.jobDefinition.arnPrefix}:*`] });
    grantee.addToPolicy({ Effect: 'Allow', Action: 'batch:DescribeJobs', Resource: '*' });
  }
}

/** `1 GPU`, `2 GPUs`. */
function count(n: number, unit: string): string {
  return `${n} ${unit}${n === 1 ? '' : 's'}`;
}

/**
 * Why a job of `vcpus`, `memoryMiB` and `gpus` cannot run on any of `types` (called `label` in
 * messages), as `[prop, message]` pairs: each resource the largest type lacks, or, when each fits
 * somewhere, that no single type holds all three.
 */
function jobFitProblems(types: readonly [string, InstanceSize][], label: string, vcpus: number, memoryMiB: number, gpus: number): [string, string][] {
  const fits = (s: InstanceSize) => vcpus <= s.vcpus && memoryMiB <= taskMemoryMiB(s) && gpus <= s.gpus;
  if (types.some(([, s]) => fits(s))) return [];
  const largest = (measure: (s: InstanceSize) => number): [string, number] => {
    const [type, size] = types.reduce((a, b) => (measure(b[1]) > measure(a[1]) ? b : a));
    return [type, measure(size)];
  };
  const out: [string, string][] = [];
  const [cpuType, cpuMax] = largest((s) => s.vcpus);
  if (vcpus > cpuMax) out.push(['job.vcpus', `${vcpus} is more than the largest instance type has (${cpuType}: ${count(cpuMax, 'vCPU')}); add a larger type to ${label} or ask for fewer`]);
  const [memType, memMax] = largest(taskMemoryMiB);
  if (memoryMiB > memMax) out.push(['job.memoryMiB', `${memoryMiB} is more than the largest instance type leaves for jobs (${memType}: about ${memMax} MiB); add a larger type to ${label} or ask for less`]);
  const [gpuType, gpuMax] = largest((s) => s.gpus);
  if (gpus > gpuMax) out.push(['job.gpus', `${gpus} is more than the largest instance type has (${gpuType}: ${count(gpuMax, 'GPU')}); add a type with more GPUs to ${label} or ask for fewer`]);
  if (out.length === 0) {
    out.push(['job', `${count(vcpus, 'vCPU')}, ${memoryMiB} MiB and ${count(gpus, 'GPU')} together fit none of ${label} (${types.map(([t]) => t).join(', ')}); add a type that has all three`]);
  }
  return out;
}
