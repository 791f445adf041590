import { Construct } from 'constructs';
import { Fn, Lazy, TerraformResource } from 'cdktf';
import { EcsCluster as EcsClusterResource } from '@cdktf/provider-aws/lib/ecs-cluster';
import { EcsClusterCapacityProviders } from '@cdktf/provider-aws/lib/ecs-cluster-capacity-providers';
import { EcsCapacityProvider } from '@cdktf/provider-aws/lib/ecs-capacity-provider';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { ServiceDiscoveryPrivateDnsNamespace } from '@cdktf/provider-aws/lib/service-discovery-private-dns-namespace';
import { LaunchTemplate } from '@cdktf/provider-aws/lib/launch-template';
import { AutoscalingGroup } from '@cdktf/provider-aws/lib/autoscaling-group';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { IamInstanceProfile } from '@cdktf/provider-aws/lib/iam-instance-profile';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { VpcSecurityGroupEgressRule } from '@cdktf/provider-aws/lib/vpc-security-group-egress-rule';
import { DataAwsSsmParameter } from '@cdktf/provider-aws/lib/data-aws-ssm-parameter';
import { assumeRolePolicy } from '../core/iam';
import { fitName, NameLimits, RETENTION_DAYS } from '../core/naming';
import { nameTags } from '../core/tags';
import { PropsValidator } from '../core/validation';

/** One entry of a capacity provider strategy. */
export interface CapacityProviderStrategyItem {
  /** `FARGATE`, `FARGATE_SPOT` or the name of an EC2 capacity provider. */
  readonly capacityProvider: string;
  /** Relative share of tasks placed on this provider. */
  readonly weight: number;
  /**
   * Tasks placed on this provider before weights apply (one entry of a strategy at most).
   * @default 0
   */
  readonly base?: number;
}

/** What a service needs to know about its cluster. */
export interface IEcsCluster {
  /** Cluster ARN. */
  readonly clusterArn: string;
  /** Cluster name. */
  readonly clusterName: string;
  /** The cluster/capacity-provider association services must wait for. */
  readonly capacityProviderAssociation: TerraformResource;
}

export interface EcsClusterProps {
  /** Cluster name, e.g. `artwork-matcher-demo`. */
  readonly clusterName: string;
  /**
   * CloudWatch Container Insights.
   * @default "enabled"
   */
  readonly containerInsights?: 'enabled' | 'enhanced' | 'disabled';
  /**
   * Name of the cluster's log group, shared by its services.
   * @default `/ecs/<clusterName>`
   */
  readonly logGroupName?: string;
  /**
   * Days the cluster log group keeps events.
   * @default 30
   */
  readonly logRetentionDays?: number;
  /**
   * Register `FARGATE` and `FARGATE_SPOT` with the cluster.
   * @default true
   */
  readonly fargate?: boolean;
  /**
   * Strategy for services that name none.
   * @default [{ capacityProvider: "FARGATE", weight: 100, base: 1 }] (document 004)
   */
  readonly defaultCapacityProviderStrategy?: readonly CapacityProviderStrategyItem[];
  /**
   * Create a private Cloud Map DNS namespace in this VPC (e.g. `artwork-matcher.local`) for service
   * discovery and Service Connect; it also becomes the cluster's Service Connect default.
   * @default - no namespace
   */
  readonly privateNamespace?: { readonly name: string; readonly vpcId: string };
}


/**
 * An ECS cluster with Container Insights, its log group, Fargate capacity providers with a
 * default strategy, optional Cloud Map namespace, and EC2 capacity providers from Auto Scaling
 * Groups (`addAsgCapacityProvider`).
 */
export class EcsCluster extends Construct implements IEcsCluster {
  public readonly cluster: EcsClusterResource;
  public readonly clusterArn: string;
  public readonly clusterName: string;
  public readonly logGroup: CloudwatchLogGroup;
  public readonly logGroupName: string;
  public readonly capacityProviderAssociation: EcsClusterCapacityProviders;
  /** The private DNS namespace, when asked for. */
  public readonly namespace?: ServiceDiscoveryPrivateDnsNamespace;
  private readonly providerNames: string[] = [];
  private readonly asgProviders: AsgCapacityProvider[] = [];

  constructor(scope: Construct, id: string, props: EcsClusterProps) {
    super(scope, id);
    const retention = props.logRetentionDays ?? 30;
    const strategy = props.defaultCapacityProviderStrategy ?? [{ capacityProvider: 'FARGATE', weight: 100, base: 1 }];
    const v = new PropsValidator(this)
      .check(/^[A-Za-z0-9_-]{1,255}$/.test(props.clusterName), 'clusterName', props.clusterName, 'is not an ECS cluster name; allowed: 1-255 letters, digits, "-" and "_"')
      .check(RETENTION_DAYS.includes(retention), 'logRetentionDays', retention, `is not a CloudWatch retention; allowed: ${RETENTION_DAYS.join(', ')}`);
    validateStrategy(v, 'defaultCapacityProviderStrategy', strategy);
    if (props.fargate === false && strategy.some((s) => s.capacityProvider.startsWith('FARGATE'))) {
      v.fail('defaultCapacityProviderStrategy', 'names a Fargate provider but fargate is false; name an EC2 capacity provider or turn fargate on');
    }
    v.throwIfInvalid();

    if (props.privateNamespace) {
      this.namespace = new ServiceDiscoveryPrivateDnsNamespace(this, 'namespace', {
        name: props.privateNamespace.name,
        vpc: props.privateNamespace.vpcId,
        description: `Service discovery for ${props.clusterName}`,
        tags: nameTags(props.privateNamespace.name),
      });
    }

    this.cluster = new EcsClusterResource(this, 'this', {
      name: props.clusterName,
      setting: [{ name: 'containerInsights', value: props.containerInsights ?? 'enabled' }],
      serviceConnectDefaults: this.namespace ? { namespace: this.namespace.arn } : undefined,
      tags: nameTags(props.clusterName),
    });
    this.clusterArn = this.cluster.arn;
    this.clusterName = this.cluster.name;

    this.logGroupName = props.logGroupName ?? `/ecs/${props.clusterName}`;
    this.logGroup = new CloudwatchLogGroup(this, 'logs', {
      name: this.logGroupName,
      retentionInDays: retention,
      tags: nameTags(`${props.clusterName}-logs`),
    });

    if (props.fargate ?? true) this.providerNames.push('FARGATE', 'FARGATE_SPOT');
    this.capacityProviderAssociation = new EcsClusterCapacityProviders(this, 'capacity-providers', {
      clusterName: this.cluster.name,
      capacityProviders: Lazy.listValue({ produce: () => this.providerNames }),
      defaultCapacityProviderStrategy: strategy.map((s) => ({ capacityProvider: s.capacityProvider, weight: s.weight, base: s.base ?? 0 })),
    });
  }

  /** Adds an EC2 capacity provider backed by a new Auto Scaling Group. */
  public addAsgCapacityProvider(id: string, props: Omit<AsgCapacityProviderProps, 'cluster'>): AsgCapacityProvider {
    const provider = new AsgCapacityProvider(this, id, { ...props, cluster: this });
    // The resource's attribute (not the literal name) makes Terraform create the provider before
    // associating it, and dissociate it before deleting it.
    this.providerNames.push(provider.capacityProvider.name);
    this.asgProviders.push(provider);
    return provider;
  }

  /** The EC2 capacity providers added so far. */
  public get ec2CapacityProviders(): readonly AsgCapacityProvider[] {
    return this.asgProviders;
  }
}

/** Adds a problem for every malformed entry of a capacity provider strategy. */
export function validateStrategy(v: PropsValidator, prop: string, strategy: readonly CapacityProviderStrategyItem[]): void {
  if (strategy.length === 0) v.fail(prop, 'is empty; give at least one provider');
  strategy.forEach((s, i) => {
    v.range(`${prop}[${i}].weight`, s.weight, 0, 1000).range(`${prop}[${i}].base`, s.base, 0, 100000);
  });
  if (strategy.filter((s) => (s.base ?? 0) > 0).length > 1) v.fail(prop, 'sets "base" on more than one provider; ECS allows one');
  if (strategy.length > 0 && strategy.every((s) => s.weight === 0)) v.fail(prop, 'has only zero weights; at least one weight must be positive');
}

/** Spot settings of an Auto Scaling Group (a mixed instances policy). */
export interface AsgSpotProps {
  /**
   * On-demand instances before any spot instance is launched.
   * @default 0
   */
  readonly onDemandBaseCapacity?: number;
  /**
   * Percentage of on-demand instances above the base.
   * @default 0
   */
  readonly onDemandPercentageAboveBase?: number;
  /**
   * Spot allocation strategy.
   * @default "price-capacity-optimized"
   */
  readonly allocationStrategy?: 'price-capacity-optimized' | 'capacity-optimized' | 'lowest-price' | 'capacity-optimized-prioritized';
}

export interface AsgCapacityProviderProps {
  /** The cluster the instances join. */
  readonly cluster: EcsCluster;
  /** Name of the capacity provider and prefix of its resources (may not start with "aws", "ecs" or "fargate"). */
  readonly name: string;
  /** Private subnets for the instances. */
  readonly subnetIds: readonly string[];
  /** VPC of the subnets (for the instance security group). */
  readonly vpcId: string;
  /** Instance types; the first is the launch template's, all are used with spot. */
  readonly instanceTypes: readonly string[];
  /**
   * GPU instances: the ECS-optimized GPU AMI and `ECS_ENABLE_GPU_SUPPORT=true`.
   * @default false
   */
  readonly gpu?: boolean;
  /**
   * Pinned AMI id.
   * @default - looked up at plan time from the public SSM parameter of the ECS-optimized
   * Amazon Linux 2023 AMI (`.../amazon-linux-2023/gpu/recommended/image_id` for GPU)
   */
  readonly amiId?: string;
  /**
   * SSM parameter to read the AMI id from when `amiId` is not given.
   * @default "/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id" (`/gpu/` variant when `gpu`)
   */
  readonly amiSsmParameter?: string;
  /**
   * Smallest number of instances.
   * @default 0
   */
  readonly minSize?: number;
  /** Largest number of instances. */
  readonly maxSize: number;
  /**
   * Root volume size (encrypted gp3). GPU AMIs need at least 30 GiB.
   * @default 30 (50 with `gpu`)
   */
  readonly rootVolumeSizeGiB?: number;
  /**
   * Run on spot through a mixed instances policy.
   * @default - on-demand only
   */
  readonly spot?: AsgSpotProps;
  /**
   * Managed scaling target: how full ECS keeps the group (100 = no spare instance).
   * @default 100
   */
  readonly targetCapacityPercent?: number;
  /**
   * Managed termination protection: ECS keeps instances running tasks from being scaled in. The
   * ASG then needs scale-in protection, and `terraform destroy` hangs until tasks drain, so it is
   * off by default; turn it on for long-running work you cannot afford to interrupt.
   * @default false
   */
  readonly managedTerminationProtection?: boolean;
  /**
   * Managed instance draining before termination.
   * @default true
   */
  readonly managedDraining?: boolean;
  /**
   * Seconds a new instance takes before it counts toward metrics.
   * @default 300
   */
  readonly instanceWarmupSec?: number;
}

/** x86_64 instance families with NVIDIA GPUs (the ECS GPU AMI is x86_64 and NVIDIA-only: not g5g, g4ad). */
export const NVIDIA_X86_FAMILIES = ['g4dn', 'g5', 'g6', 'g6e', 'gr6', 'p3', 'p3dn', 'p4d', 'p4de', 'p5', 'p5e', 'p5en'] as const;
const NVIDIA_X86 = new RegExp(`^(${NVIDIA_X86_FAMILIES.join('|')})\\.[a-z0-9]+$`);

const AMI_PARAMETER = '/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id';
const GPU_AMI_PARAMETER = '/aws/service/ecs/optimized-ami/amazon-linux-2023/gpu/recommended/image_id';

/**
 * An EC2 capacity provider: launch template (ECS-optimized AMI, IMDSv2 required, encrypted gp3
 * root, user data joining the cluster), instance role and profile, Auto Scaling Group (optionally
 * spot) tagged `AmazonECSManaged`, and the capacity provider with managed scaling.
 */
export class AsgCapacityProvider extends Construct {
  public readonly capacityProvider: EcsCapacityProvider;
  public readonly capacityProviderName: string;
  public readonly autoScalingGroup: AutoscalingGroup;
  public readonly launchTemplate: LaunchTemplate;
  public readonly instanceRole: IamRole;
  public readonly securityGroupId: string;

  constructor(scope: Construct, id: string, props: AsgCapacityProviderProps) {
    super(scope, id);
    const gpu = props.gpu ?? false;
    const minSize = props.minSize ?? 0;
    const rootSize = props.rootVolumeSizeGiB ?? (gpu ? 50 : 30);
    const termination = props.managedTerminationProtection ?? false;
    const v = new PropsValidator(this)
      .check(/^(?!aws|ecs|fargate)[A-Za-z0-9_-]{1,90}$/i.test(props.name), 'name', props.name, 'is not a capacity provider name; allowed: 1-90 letters, digits, "-" and "_", not starting with "aws", "ecs" or "fargate"')
      .check(props.instanceTypes.length > 0, 'instanceTypes', props.instanceTypes, 'is empty; give at least one instance type')
      .check(props.subnetIds.length > 0, 'subnetIds', props.subnetIds, 'is empty; give at least one subnet')
      .range('minSize', minSize, 0, 1000)
      .range('maxSize', props.maxSize, 1, 1000)
      .range('rootVolumeSizeGiB', rootSize, 30, 16384, 'GiB')
      .range('targetCapacityPercent', props.targetCapacityPercent, 1, 100)
      .range('spot.onDemandPercentageAboveBase', props.spot?.onDemandPercentageAboveBase, 0, 100);
    for (const t of props.instanceTypes) v.check(/^[a-z][a-z0-9-]*\.[a-z0-9]+$/.test(t), 'instanceTypes', t, 'is not an EC2 instance type; allowed: e.g. "g4dn.xlarge"');
    if (gpu) {
      for (const t of props.instanceTypes) v.check(NVIDIA_X86.test(t), 'instanceTypes', t, `is not an x86 NVIDIA GPU type the ECS GPU AMI supports; allowed families: ${NVIDIA_X86_FAMILIES.join(', ')}`);
    }
    if (minSize > props.maxSize) v.fail('minSize', `${minSize} is above maxSize ${props.maxSize}`);
    v.throwIfInvalid();

    const cluster = props.cluster;
    const prefix = props.name;
    this.capacityProviderName = prefix;

    const imageId =
      props.amiId ??
      // AMI ids are public: `insecure_value` keeps the plan readable (`value` is marked sensitive).
      new DataAwsSsmParameter(this, 'ami', { name: props.amiSsmParameter ?? (gpu ? GPU_AMI_PARAMETER : AMI_PARAMETER) }).insecureValue;

    this.instanceRole = new IamRole(this, 'instance-role', {
      name: fitName(`${prefix}-instance`, NameLimits.iamRole),
      assumeRolePolicy: assumeRolePolicy('ec2.amazonaws.com'),
      tags: nameTags(`${prefix}-instance`),
    });
    new IamRolePolicyAttachment(this, 'instance-ecs', {
      role: this.instanceRole.name,
      policyArn: 'arn:aws:iam::aws:policy/service-role/AmazonEC2ContainerServiceforEC2Role',
    });
    new IamRolePolicyAttachment(this, 'instance-ssm', {
      role: this.instanceRole.name,
      policyArn: 'arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore',
    });
    const profile = new IamInstanceProfile(this, 'instance-profile', {
      name: fitName(`${prefix}-instance`, NameLimits.iamRole),
      role: this.instanceRole.name,
    });

    // Tasks use awsvpc ENIs with their own security groups; the instance itself takes no inbound traffic.
    const sg = new SecurityGroup(this, 'instance-sg', {
      name: `${prefix}-instances`,
      description: `ECS container instances of ${prefix}`,
      vpcId: props.vpcId,
      tags: nameTags(`${prefix}-instances`),
    });
    new VpcSecurityGroupEgressRule(this, 'instance-egress', {
      securityGroupId: sg.id,
      cidrIpv4: '0.0.0.0/0',
      ipProtocol: '-1',
      description: 'ECS agent, image pulls and logs',
    });
    this.securityGroupId = sg.id;

    const ecsConfig = [
      `ECS_CLUSTER=${cluster.clusterName}`,
      ...(gpu ? ['ECS_ENABLE_GPU_SUPPORT=true'] : []),
      ...(props.spot ? ['ECS_ENABLE_SPOT_INSTANCE_DRAINING=true'] : []),
      'ECS_ENABLE_CONTAINER_METADATA=true',
    ];
    const userData = ['#!/bin/bash', "cat <<'EOF' >> /etc/ecs/ecs.config", ...ecsConfig, 'EOF', ''].join('\n');

    this.launchTemplate = new LaunchTemplate(this, 'launch-template', {
      namePrefix: `${prefix}-`,
      imageId,
      instanceType: props.instanceTypes[0],
      iamInstanceProfile: { arn: profile.arn },
      vpcSecurityGroupIds: [sg.id],
      userData: Fn.base64encode(userData),
      metadataOptions: { httpEndpoint: 'enabled', httpTokens: 'required', httpPutResponseHopLimit: 1, instanceMetadataTags: 'disabled' },
      blockDeviceMappings: [
        { deviceName: '/dev/xvda', ebs: { volumeSize: rootSize, volumeType: 'gp3', encrypted: 'true', deleteOnTermination: 'true' } },
      ],
      monitoring: { enabled: true },
      tagSpecifications: [
        { resourceType: 'instance', tags: nameTags(prefix) },
        { resourceType: 'volume', tags: nameTags(prefix) },
      ],
      updateDefaultVersion: true,
      tags: nameTags(prefix),
    });

    const template = { id: this.launchTemplate.id, version: '$Latest' };
    this.autoScalingGroup = new AutoscalingGroup(this, 'asg', {
      name: prefix,
      vpcZoneIdentifier: [...props.subnetIds],
      minSize,
      maxSize: props.maxSize,
      protectFromScaleIn: termination,
      healthCheckType: 'EC2',
      defaultInstanceWarmup: props.instanceWarmupSec ?? 300,
      launchTemplate: props.spot ? undefined : template,
      mixedInstancesPolicy: props.spot
        ? {
            instancesDistribution: {
              onDemandBaseCapacity: props.spot.onDemandBaseCapacity ?? 0,
              onDemandPercentageAboveBaseCapacity: props.spot.onDemandPercentageAboveBase ?? 0,
              spotAllocationStrategy: props.spot.allocationStrategy ?? 'price-capacity-optimized',
            },
            launchTemplate: {
              launchTemplateSpecification: { launchTemplateId: this.launchTemplate.id, version: '$Latest' },
              override: props.instanceTypes.map((t) => ({ instanceType: t })),
            },
          }
        : undefined,
      tag: [
        { key: 'Name', value: prefix, propagateAtLaunch: true },
        { key: 'AmazonECSManaged', value: 'true', propagateAtLaunch: true },
      ],
      // ECS managed scaling owns the desired capacity.
      lifecycle: { ignoreChanges: ['desired_capacity'] },
    });

    this.capacityProvider = new EcsCapacityProvider(this, 'this', {
      name: prefix,
      autoScalingGroupProvider: {
        autoScalingGroupArn: this.autoScalingGroup.arn,
        managedTerminationProtection: termination ? 'ENABLED' : 'DISABLED',
        managedDraining: props.managedDraining ?? true ? 'ENABLED' : 'DISABLED',
        managedScaling: {
          status: 'ENABLED',
          targetCapacity: props.targetCapacityPercent ?? 100,
          minimumScalingStepSize: 1,
          maximumScalingStepSize: 10,
          instanceWarmupPeriod: props.instanceWarmupSec ?? 300,
        },
      },
      tags: nameTags(prefix),
    });
  }
}
