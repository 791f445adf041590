/**
 * EC2 building blocks shared by the ECS capacity provider (src/compute/ecs-cluster.ts) and AWS Batch
 * (src/compute/batch.ts): the GPU instance catalogue, the ECS-optimized AMI look-up, the instance role and
 * profile, and a launch template with IMDSv2 and an encrypted root volume.
 */
import { Construct } from 'constructs';
import { Fn } from 'cdktf';
import { LaunchTemplate } from '@cdktf/provider-aws/lib/launch-template';
import { IamInstanceProfile } from '@cdktf/provider-aws/lib/iam-instance-profile';
import { DataAwsSsmParameter } from '@cdktf/provider-aws/lib/data-aws-ssm-parameter';
import { NameLimits, namePrefix } from '../core/naming';
import { nameTags } from '../core/tags';
import { PropsValidator } from '../core/validation';
import { ServiceRole } from '../security/iam';

/** Size of an instance type, as ECS and Batch see it. */
export interface InstanceSize {
  readonly vcpus: number;
  readonly memoryGiB: number;
  readonly gpus: number;
}

function sizes(family: string, table: Record<string, [number, number, number]>): Record<string, InstanceSize> {
  return Object.fromEntries(Object.entries(table).map(([size, [vcpus, memoryGiB, gpus]]) => [`${family}.${size}`, { vcpus, memoryGiB, gpus }]));
}

const G_SIZES: Record<string, [number, number, number]> = {
  xlarge: [4, 16, 1], '2xlarge': [8, 32, 1], '4xlarge': [16, 64, 1], '8xlarge': [32, 128, 1], '12xlarge': [48, 192, 4], '16xlarge': [64, 256, 1],
};

/**
 * x86_64 instance types with NVIDIA GPUs that the ECS GPU AMI and Batch support (g5g and g4ad are
 * Arm or AMD and are not here), with their size.
 */
export const GPU_INSTANCE_TYPES: Readonly<Record<string, InstanceSize>> = {
  ...sizes('g4dn', { ...G_SIZES, metal: [96, 384, 8] }),
  ...sizes('g5', { ...G_SIZES, '24xlarge': [96, 384, 4], '48xlarge': [192, 768, 8] }),
  ...sizes('g6', { ...G_SIZES, '24xlarge': [96, 384, 4], '48xlarge': [192, 768, 8] }),
  ...sizes('g6e', { xlarge: [4, 32, 1], '2xlarge': [8, 64, 1], '4xlarge': [16, 128, 1], '8xlarge': [32, 256, 1], '12xlarge': [48, 384, 4], '16xlarge': [64, 512, 1], '24xlarge': [96, 768, 4], '48xlarge': [192, 1536, 8] }),
  ...sizes('p3', { '2xlarge': [8, 61, 1], '8xlarge': [32, 244, 4], '16xlarge': [64, 488, 8] }),
  ...sizes('p4d', { '24xlarge': [96, 1152, 8] }),
  ...sizes('p5', { '48xlarge': [192, 2048, 8] }),
};

/** The GPU instance families of the catalogue. */
export const GPU_FAMILIES = [...new Set(Object.keys(GPU_INSTANCE_TYPES).map((t) => t.split('.')[0]))];

/** Memory ECS leaves for tasks on an instance of `memoryGiB`: the AMI and agent keep about 5 %, at least 256 MiB. */
export function taskMemoryMiB(size: InstanceSize): number {
  const total = size.memoryGiB * 1024;
  return Math.floor(total - Math.max(256, total * 0.05));
}

/**
 * Why `type` cannot run GPU containers, or undefined when it can: not an instance type, or no
 * NVIDIA GPU the ECS GPU AMI drives.
 */
export function gpuInstanceTypeProblem(type: string): string | undefined {
  if (GPU_INSTANCE_TYPES[type]) return undefined;
  if (!/^[a-z][a-z0-9-]*\.[a-z0-9]+$/.test(type)) return `${JSON.stringify(type)} is not an EC2 instance type such as "g4dn.xlarge"`;
  const family = type.split('.')[0];
  const hint = GPU_FAMILIES.includes(family) ? `; ${family} sizes: ${Object.keys(GPU_INSTANCE_TYPES).filter((t) => t.startsWith(`${family}.`)).join(', ')}` : '';
  return `${JSON.stringify(type)} is not an x86 NVIDIA GPU instance type the ECS GPU AMI supports; allowed families: ${GPU_FAMILIES.join(', ')}${hint}`;
}

/**
 * Why a task of `cpu` units, `memoryMiB` and `gpus` cannot be placed on `type`, or undefined
 * when it fits.
 */
export function taskFitProblem(type: string, cpu: number, memoryMiB: number, gpus: number): string | undefined {
  const size = GPU_INSTANCE_TYPES[type];
  if (!size) return undefined;
  const problems: string[] = [];
  if (cpu > size.vcpus * 1024) problems.push(`${cpu} CPU units (the instance has ${size.vcpus * 1024})`);
  if (memoryMiB > taskMemoryMiB(size)) problems.push(`${memoryMiB} MiB (about ${taskMemoryMiB(size)} MiB are left for tasks)`);
  if (gpus > size.gpus) problems.push(`${gpus} GPUs (the instance has ${size.gpus})`);
  return problems.length > 0 ? `a task of ${problems.join(', ')} does not fit on ${type}` : undefined;
}

/** Public SSM parameters of the ECS-optimized Amazon Linux 2023 AMIs. */
const ECS_AMI_PARAMETERS = {
  standard: '/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id',
  gpu: '/aws/service/ecs/optimized-ami/amazon-linux-2023/gpu/recommended/image_id',
} as const;

/**
 * The AMI id: `amiId` when pinned, else read at plan time from the public SSM parameter of the
 * ECS-optimized AMI (AMI ids are public: `insecure_value` keeps the plan readable).
 */
export function ecsOptimizedAmi(scope: Construct, id: string, options: { readonly gpu: boolean; readonly amiId?: string; readonly ssmParameter?: string }): string {
  if (options.amiId) return options.amiId;
  return new DataAwsSsmParameter(scope, id, { name: options.ssmParameter ?? (options.gpu ? ECS_AMI_PARAMETERS.gpu : ECS_AMI_PARAMETERS.standard) }).insecureValue;
}

/** Namespace of the metrics the CloudWatch agent publishes. */
export const CLOUDWATCH_AGENT_NAMESPACE = 'CWAgent';
/** The managed policy the CloudWatch agent needs on an instance role. */
export const CLOUDWATCH_AGENT_POLICY = 'arn:aws:iam::aws:policy/CloudWatchAgentServerPolicy';
/** NVIDIA measurements published by `gpuMetricsUserData`, as CloudWatch metric names (`nvidia_smi_<measurement>`). */
const GPU_METRICS = ['utilization_gpu', 'utilization_memory', 'memory_used', 'memory_total', 'temperature_gpu', 'power_draw'] as const;

/**
 * User data lines that install the CloudWatch agent (Amazon Linux 2023 package) and publish the
 * instance's NVIDIA GPU metrics (`nvidia_gpu` section: `nvidia_smi_utilization_gpu`, ...) to the
 * `CWAgent` namespace every `intervalSec`, per instance and rolled up per Auto Scaling Group
 * (dimension `AutoScalingGroupName`). The agent config travels base64-encoded: it holds double
 * quotes and `${aws:...}` placeholders that user data passed through Terraform cannot carry
 * literally. The instance role needs `CLOUDWATCH_AGENT_POLICY`. A failed install (no route to the
 * package repository) leaves the instance working, without GPU metrics.
 */
export function gpuMetricsUserData(intervalSec = 60): string[] {
  const config = {
    agent: { metrics_collection_interval: intervalSec },
    metrics: {
      namespace: CLOUDWATCH_AGENT_NAMESPACE,
      append_dimensions: { AutoScalingGroupName: '${aws:AutoScalingGroupName}', InstanceId: '${aws:InstanceId}', InstanceType: '${aws:InstanceType}' },
      aggregation_dimensions: [['AutoScalingGroupName']],
      metrics_collected: { nvidia_gpu: { measurement: [...GPU_METRICS], metrics_collection_interval: intervalSec } },
    },
  };
  const file = '/opt/aws/amazon-cloudwatch-agent/etc/gpu-metrics.json';
  return [
    '# CloudWatch agent: NVIDIA GPU metrics (retried: the NAT route may still be coming up at first boot)',
    'for attempt in $(seq 1 60); do dnf install -y amazon-cloudwatch-agent && break; echo amazon-cloudwatch-agent: attempt $attempt failed, retrying in 10 s >&2; sleep 10; done',
    `echo ${Buffer.from(JSON.stringify(config)).toString('base64')} | base64 -d > ${file}`,
    `/opt/aws/amazon-cloudwatch-agent/bin/amazon-cloudwatch-agent-ctl -a fetch-config -m ec2 -s -c file:${file}`,
  ];
}

export interface InstanceRoleProps {
  /** Base of the role and profile names. */
  readonly name: string;
  /**
   * Managed policies: the ECS container instance role and SSM Session Manager by default.
   * @default ["service-role/AmazonEC2ContainerServiceforEC2Role", "AmazonSSMManagedInstanceCore"]
   */
  readonly managedPolicyArns?: readonly string[];
  /**
   * More managed policies on top of the defaults (e.g. `CloudWatchAgentServerPolicy`).
   * @default []
   */
  readonly extraManagedPolicyArns?: readonly string[];
}

/** The ECS container instance role and its instance profile. */
export class InstanceRole extends Construct {
  public readonly role: ServiceRole;
  /** The instance profile resource (the role is `role`). */
  public readonly resource: IamInstanceProfile;
  public readonly profileArn: string;

  constructor(scope: Construct, id: string, props: InstanceRoleProps) {
    super(scope, id);
    const managed = props.managedPolicyArns ?? [
      'arn:aws:iam::aws:policy/service-role/AmazonEC2ContainerServiceforEC2Role',
      'arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore',
    ];
    this.role = new ServiceRole(this, 'role', { name: `${props.name}-instance`, assumedBy: 'ec2.amazonaws.com', managedPolicyArns: [...managed, ...(props.extraManagedPolicyArns ?? [])] });
    this.resource = new IamInstanceProfile(this, 'profile', {
      namePrefix: namePrefix(`${props.name}-instance`, NameLimits.iamRolePrefix),
      role: this.role.roleName,
      tags: nameTags(`${props.name}-instance`),
      lifecycle: { createBeforeDestroy: true },
    });
    this.profileArn = this.resource.arn;
  }
}

export interface InstanceLaunchTemplateProps {
  /** Base of `name_prefix` and the Name tags of instances and volumes. */
  readonly name: string;
  /** @default - none: the user (an Auto Scaling Group's override, Batch) decides */
  readonly imageId?: string;
  /** @default - none */
  readonly instanceType?: string;
  /** @default - none (Batch attaches its own) */
  readonly instanceProfileArn?: string;
  /** @default - none (Batch attaches its own) */
  readonly securityGroupIds?: readonly string[];
  /** User data, plain text (base64-encoded here). @default - none */
  readonly userData?: string;
  /**
   * Root volume size (encrypted gp3). GPU AMIs need at least 30 GiB.
   * @default 30
   */
  readonly rootVolumeSizeGiB?: number;
  /** @default "/dev/xvda" (Amazon Linux) */
  readonly rootDeviceName?: string;
}

/**
 * A launch template with IMDSv2 required (hop limit 1: containers cannot read the instance's
 * credentials), an encrypted gp3 root volume and detailed monitoring. `name_prefix` and
 * `create_before_destroy` let it be replaced while an Auto Scaling Group still uses it.
 */
export class InstanceLaunchTemplate extends Construct {
  /** The launch template resource. */
  public readonly resource: LaunchTemplate;
  public readonly launchTemplateId: string;

  constructor(scope: Construct, id: string, props: InstanceLaunchTemplateProps) {
    super(scope, id);
    const rootSize = props.rootVolumeSizeGiB ?? 30;
    new PropsValidator(this).range('rootVolumeSizeGiB', rootSize, 8, 16384, 'GiB').throwIfInvalid();
    this.resource = new LaunchTemplate(this, 'this', {
      namePrefix: namePrefix(props.name, 125),
      imageId: props.imageId,
      instanceType: props.instanceType,
      iamInstanceProfile: props.instanceProfileArn ? { arn: props.instanceProfileArn } : undefined,
      vpcSecurityGroupIds: props.securityGroupIds ? [...props.securityGroupIds] : undefined,
      userData: props.userData ? Fn.base64encode(props.userData) : undefined,
      metadataOptions: { httpEndpoint: 'enabled', httpTokens: 'required', httpPutResponseHopLimit: 1, instanceMetadataTags: 'disabled' },
      blockDeviceMappings: [
        { deviceName: props.rootDeviceName ?? '/dev/xvda', ebs: { volumeSize: rootSize, volumeType: 'gp3', encrypted: 'true', deleteOnTermination: 'true' } },
      ],
      monitoring: { enabled: true },
      tagSpecifications: [
        { resourceType: 'instance', tags: nameTags(props.name) },
        { resourceType: 'volume', tags: nameTags(props.name) },
      ],
      updateDefaultVersion: true,
      tags: nameTags(props.name),
      lifecycle: { createBeforeDestroy: true },
    });
    this.launchTemplateId = this.resource.id;
  }
}
