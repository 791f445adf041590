import { Construct, IConstruct } from 'constructs';
import { Lazy, TerraformResource, Token } from 'cdktf';
import { dependOn } from '../core/dependencies';
import { EcsCluster as EcsClusterResource } from '@cdktf/provider-aws/lib/ecs-cluster';
import { EcsClusterCapacityProviders } from '@cdktf/provider-aws/lib/ecs-cluster-capacity-providers';
import { EcsCapacityProvider } from '@cdktf/provider-aws/lib/ecs-capacity-provider';
import { ServiceDiscoveryPrivateDnsNamespace } from '@cdktf/provider-aws/lib/service-discovery-private-dns-namespace';
import { AutoscalingGroup } from '@cdktf/provider-aws/lib/autoscaling-group';
import { nameTags } from '../core/tags';
import { PropsValidator } from '../core/validation';
import { CLOUDWATCH_AGENT_NAMESPACE, CLOUDWATCH_AGENT_POLICY, InstanceLaunchTemplate, InstanceRole, ecsOptimizedAmi, gpuInstanceTypeProblem, gpuMetricsUserData } from './instance-types';
import type { Metric } from '../core/metric';
import { SecurityGroup } from '../network/security-group';
import type { IVpc } from '../network/vpc';

/** One entry of a capacity provider strategy. */
export interface CapacityProviderStrategyItem {
  /** `FARGATE`, `FARGATE_SPOT` or the name of an EC2 capacity provider of the cluster. */
  readonly capacityProvider: string;
  /** Relative share of tasks placed on this provider. */
  readonly weight: number;
  /**
   * Tasks placed on this provider before weights apply (one entry of a strategy at most).
   * @default 0
   */
  readonly base?: number;
}

/** The Fargate capacity providers. */
const FARGATE_PROVIDERS = ['FARGATE', 'FARGATE_SPOT'] as const;

/**
 * Every problem of a capacity provider strategy, each as `[relative path, message]`: empty, a
 * weight or base out of range, more than one base, only zero weights, a provider named twice.
 * Shared by the constructs and the settings.
 */
export function strategyProblems(strategy: readonly CapacityProviderStrategyItem[]): [string, string][] {
  const out: [string, string][] = [];
  if (strategy.length === 0) out.push(['', 'is empty; give at least one provider']);
  strategy.forEach((s, i) => {
    if (!Number.isInteger(s.weight) || s.weight < 0 || s.weight > 1000) out.push([`[${i}].weight`, `${s.weight} is out of range; allowed: 0 to 1000`]);
    if (s.base !== undefined && (!Number.isInteger(s.base) || s.base < 0 || s.base > 100000)) out.push([`[${i}].base`, `${s.base} is out of range; allowed: 0 to 100000`]);
  });
  if (strategy.filter((s) => (s.base ?? 0) > 0).length > 1) out.push(['', 'sets "base" on more than one provider; ECS allows one']);
  if (strategy.length > 0 && strategy.every((s) => s.weight === 0)) out.push(['', 'has only zero weights; at least one weight must be positive']);
  const names = strategy.map((s) => s.capacityProvider);
  const repeated = names.filter((n, i) => names.indexOf(n) !== i);
  if (repeated.length > 0) out.push(['', `names ${JSON.stringify(repeated[0])} more than once`]);
  return out;
}

/** Records every strategy problem on `v` under `prop`. */
export function validateStrategy(v: PropsValidator, prop: string, strategy: readonly CapacityProviderStrategyItem[]): void {
  for (const [path, message] of strategyProblems(strategy)) v.fail(`${prop}${path}`, message);
}

/** A Cloud Map namespace, by the attributes services register with. */
export interface ICloudMapNamespace {
  /** Namespace id (Cloud Map registrations). */
  readonly id: string;
  /** Namespace ARN (Service Connect). */
  readonly arn: string;
}

/** What a service needs to know about its cluster. */
export interface IEcsCluster extends IConstruct {
  /** Cluster ARN. */
  readonly clusterArn: string;
  /** Cluster name. */
  readonly clusterName: string;
  /** The cluster/capacity-provider association services must wait for. */
  readonly capacityProviderAssociation: TerraformResource;
  /** The strategy services without their own get (rendered explicitly on each service). */
  readonly defaultCapacityProviderStrategy: readonly CapacityProviderStrategyItem[];
  /** Whether the cluster publishes Container Insights metrics. */
  readonly containerInsightsEnabled: boolean;
  /** The cluster's private DNS namespace (Cloud Map and Service Connect), when it has one. */
  readonly namespace?: ICloudMapNamespace;
  /** The names a strategy may use, and the EC2 providers behind them. */
  capacityProvider(name: string): 'fargate' | AsgCapacityProvider | undefined;
  /** The names a strategy may use. */
  readonly capacityProviderNames: readonly string[];
  /** Claims a Service Connect discovery name; a second claim of one name fails synth. */
  claimServiceConnectName(name: string, by: Construct): void;
  /**
   * Joins a service to the cluster's Service Connect mesh: the services already in it are updated
   * after it exists (their new tasks then see its endpoint: a running task never learns of a new
   * one). Returns the mesh's endpoint names, resolved at synth, for the service's redeployment
   * trigger.
   */
  joinServiceConnectMesh(service: TerraformResource): string;
  /** A strategy in Terraform's terms (EC2 providers by reference). */
  renderStrategy(strategy: readonly CapacityProviderStrategyItem[]): { capacityProvider: string; weight: number; base: number }[];
  /** Problems for strategy entries that name no provider of the cluster. */
  unknownProviders(prop: string, strategy: readonly CapacityProviderStrategyItem[]): string[];
}

export interface EcsClusterProps {
  /** Cluster name, e.g. `artwork-matcher-demo`. */
  readonly clusterName: string;
  /**
   * CloudWatch Container Insights. It adds per-task and per-service metrics (running and desired
   * task counts among them) at about 0.07 USD per metric and month.
   * @default "enabled"
   */
  readonly containerInsights?: 'enabled' | 'enhanced' | 'disabled';
  /**
   * Register `FARGATE` and `FARGATE_SPOT` with the cluster.
   * @default true
   */
  readonly fargate?: boolean;
  /**
   * Strategy for services that name none (copied onto each of them: a service left to the
   * cluster's default shows a diff on every plan and is replaced under provider 5.x). It may name
   * Fargate providers and EC2 providers registered with the cluster.
   * @default [{ capacityProvider: "FARGATE", weight: 100, base: 1 }]
   */
  readonly defaultCapacityProviderStrategy?: readonly CapacityProviderStrategyItem[];
  /**
   * Create a private Cloud Map DNS namespace `name` (e.g. `artwork-matcher.local`) in `vpc`, for
   * service discovery and Service Connect; it also becomes the cluster's Service Connect default,
   * and services of the cluster register in it (`cloudMap`, `serviceConnect`).
   * @default - no namespace
   */
  readonly privateNamespace?: { readonly name: string; readonly vpc: IVpc };
}

/**
 * An ECS cluster with Container Insights, Fargate capacity providers, EC2 capacity providers from
 * Auto Scaling Groups (`AsgCapacityProvider`), a default strategy checked against what is
 * registered, and an optional Cloud Map namespace for service discovery and Service Connect.
 */
export class EcsCluster extends Construct implements IEcsCluster {
  /** The cluster resource. */
  public readonly resource: EcsClusterResource;
  public readonly clusterArn: string;
  public readonly clusterName: string;
  public readonly capacityProviderAssociation: EcsClusterCapacityProviders;
  public readonly defaultCapacityProviderStrategy: readonly CapacityProviderStrategyItem[];
  public readonly containerInsightsEnabled: boolean;
  /** The private DNS namespace, when asked for. */
  public readonly namespace?: ServiceDiscoveryPrivateDnsNamespace;
  private readonly fargate: boolean;
  private readonly asgProviders: AsgCapacityProvider[] = [];
  private readonly serviceConnectNames = new Map<string, string[]>();
  private readonly meshMembers: TerraformResource[] = [];

  constructor(scope: Construct, id: string, props: EcsClusterProps) {
    super(scope, id);
    const strategy = props.defaultCapacityProviderStrategy ?? [{ capacityProvider: 'FARGATE', weight: 100, base: 1 }];
    const insights = props.containerInsights ?? 'enabled';
    this.fargate = props.fargate ?? true;
    const v = new PropsValidator(this)
      .matches('clusterName', props.clusterName, /^[A-Za-z0-9_-]{1,255}$/, 'an ECS cluster name (1-255 letters, digits, "-" and "_")')
      .oneOf('containerInsights', insights, ['enabled', 'enhanced', 'disabled']);
    validateStrategy(v, 'defaultCapacityProviderStrategy', strategy);
    v.throwIfInvalid();
    this.defaultCapacityProviderStrategy = strategy;
    this.containerInsightsEnabled = insights !== 'disabled';

    if (props.privateNamespace) {
      this.namespace = new ServiceDiscoveryPrivateDnsNamespace(this, 'namespace', {
        name: props.privateNamespace.name,
        vpc: props.privateNamespace.vpc.vpcId,
        description: `Service discovery for ${props.clusterName}`,
        tags: nameTags(props.privateNamespace.name),
      });
    }

    this.resource = new EcsClusterResource(this, 'this', {
      name: props.clusterName,
      setting: [{ name: 'containerInsights', value: insights }],
      serviceConnectDefaults: this.namespace ? { namespace: this.namespace.arn } : undefined,
      tags: nameTags(props.clusterName),
    });
    this.clusterArn = this.resource.arn;
    this.clusterName = this.resource.name;

    this.capacityProviderAssociation = new EcsClusterCapacityProviders(this, 'capacity-providers', {
      clusterName: this.resource.name,
      capacityProviders: Lazy.listValue({ produce: () => this.associatedProviders() }),
      // Literal names: the association already waits for every provider it lists.
      defaultCapacityProviderStrategy: strategy.map((s) => ({ capacityProvider: s.capacityProvider, weight: s.weight, base: s.base ?? 0 })),
    });

    // Providers can be registered after the cluster: the default strategy is checked at synth.
    this.node.addValidation({ validate: () => this.unknownProviders('defaultCapacityProviderStrategy', strategy) });
    this.node.addValidation({
      validate: () =>
        [...this.serviceConnectNames.entries()]
          .filter(([, users]) => users.length > 1)
          .map(([name, users]) => `Service Connect name ${JSON.stringify(name)} is claimed by ${users.join(' and ')}; each service needs its own discovery name in the namespace`),
    });
  }

  /** Adds an EC2 capacity provider backed by a new Auto Scaling Group. */
  public addAsgCapacityProvider(id: string, props: Omit<AsgCapacityProviderProps, 'cluster'>): AsgCapacityProvider {
    return new AsgCapacityProvider(this, id, { ...props, cluster: this });
  }

  /** Called by `AsgCapacityProvider`: the provider joins the cluster's association. */
  public registerAsgCapacityProvider(provider: AsgCapacityProvider): void {
    if (this.asgProviders.some((p) => p.capacityProviderName === provider.capacityProviderName)) {
      new PropsValidator(this).fail('capacityProviders', `${JSON.stringify(provider.capacityProviderName)} is registered twice; provider names must be unique`).throwIfInvalid();
    }
    this.asgProviders.push(provider);
  }

  /** The EC2 capacity providers registered so far. */
  public get ec2CapacityProviders(): readonly AsgCapacityProvider[] {
    return this.asgProviders;
  }

  public get capacityProviderNames(): readonly string[] {
    return [...(this.fargate ? FARGATE_PROVIDERS : []), ...this.asgProviders.map((p) => p.capacityProviderName)];
  }

  public capacityProvider(name: string): 'fargate' | AsgCapacityProvider | undefined {
    if (this.fargate && (FARGATE_PROVIDERS as readonly string[]).includes(name)) return 'fargate';
    return this.asgProviders.find((p) => p.capacityProviderName === name);
  }

  public claimServiceConnectName(name: string, by: Construct): void {
    this.serviceConnectNames.set(name, [...(this.serviceConnectNames.get(name) ?? []), by.node.path]);
  }

  public joinServiceConnectMesh(service: TerraformResource): string {
    for (const member of this.meshMembers) dependOn(member, service);
    this.meshMembers.push(service);
    return Lazy.stringValue({ produce: () => [...this.serviceConnectNames.keys()].sort().join(',') });
  }

  /**
   * A strategy in Terraform's terms: EC2 providers by their resource's name attribute, so Terraform
   * creates a provider before the services and associations that name it.
   */
  public renderStrategy(strategy: readonly CapacityProviderStrategyItem[]): { capacityProvider: string; weight: number; base: number }[] {
    return strategy.map((s) => {
      const provider = this.capacityProvider(s.capacityProvider);
      const name = provider && provider !== 'fargate' ? provider.resource.name : s.capacityProvider;
      return { capacityProvider: name, weight: s.weight, base: s.base ?? 0 };
    });
  }

  /** Problems for strategy entries that name no provider of this cluster. */
  public unknownProviders(prop: string, strategy: readonly CapacityProviderStrategyItem[]): string[] {
    const names = this.capacityProviderNames;
    return strategy
      .map((s, i) => (this.capacityProvider(s.capacityProvider) ? undefined : `${this.node.path}: ${prop}[${i}].capacityProvider: ${JSON.stringify(s.capacityProvider)} is not a capacity provider of cluster ${this.node.id}; allowed: ${names.map((n) => JSON.stringify(n)).join(', ') || 'none registered'}`))
      .filter((x): x is string => x !== undefined);
  }

  private associatedProviders(): string[] {
    return [...(this.fargate ? FARGATE_PROVIDERS : []), ...this.asgProviders.map((p) => p.resource.name)];
  }
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
  /**
   * Capacity rebalancing: launch a replacement when AWS signals that a spot instance is at risk,
   * before it is interrupted.
   * @default true
   */
  readonly capacityRebalance?: boolean;
}

export interface AsgCapacityProviderProps {
  /** The cluster the instances join (the provider registers itself with it). */
  readonly cluster: EcsCluster;
  /** Name of the capacity provider and prefix of its resources (may not start with "aws", "ecs" or "fargate"). */
  readonly name: string;
  /** The VPC: the instances run in its private subnets, with a security group of their own. */
  readonly vpc: IVpc;
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
   * Smallest number of instances. 0 lets managed scaling start instances only when tasks need
   * them (and new accounts often have no GPU quota to start with).
   * @default 0
   */
  readonly minSize?: number;
  /** Largest number of instances. */
  readonly maxSize: number;
  /**
   * Instances at creation; ECS managed scaling owns the count afterwards (Terraform ignores it).
   * @default minSize
   */
  readonly desiredCapacity?: number;
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
  /**
   * More ECS agent settings for `/etc/ecs/ecs.config` (e.g. `ECS_IMAGE_PULL_BEHAVIOR`).
   * @default {}
   */
  readonly ecsAgentConfig?: Readonly<Record<string, string>>;
  /**
   * More user data commands, run after the ECS agent is configured (e.g. installing the
   * CloudWatch agent).
   * @default []
   */
  readonly extraUserData?: readonly string[];
  /**
   * More managed policies for the instance role (e.g. `CloudWatchAgentServerPolicy`).
   * @default []
   */
  readonly extraManagedPolicyArns?: readonly string[];
  /**
   * Publish NVIDIA GPU metrics with the CloudWatch agent (installed by user data, with
   * `CloudWatchAgentServerPolicy` on the instance role), rolled up per Auto Scaling Group:
   * `metricGpuUtilization()` and `metricGpuMemoryUtilization()` read them. Needs `gpu`.
   * @default - no GPU metrics
   */
  readonly gpuMetrics?: { readonly intervalSec?: number };
}

/**
 * An EC2 capacity provider: launch template (ECS-optimized AMI, IMDSv2 required, encrypted gp3
 * root, user data joining the cluster), instance role and profile, Auto Scaling Group (optionally
 * spot) tagged `AmazonECSManaged`, and the capacity provider with managed scaling. It registers
 * itself with its cluster.
 */
export class AsgCapacityProvider extends Construct {
  /** The capacity provider resource. */
  public readonly resource: EcsCapacityProvider;
  public readonly capacityProviderName: string;
  public readonly autoScalingGroup: AutoscalingGroup;
  public readonly launchTemplate: InstanceLaunchTemplate;
  public readonly instanceRole: InstanceRole;
  public readonly securityGroup: SecurityGroup;
  public readonly instanceTypes: readonly string[];
  public readonly gpu: boolean;
  public readonly minSize: number;
  public readonly maxSize: number;
  /** Whether the instances publish GPU metrics (`gpuMetrics`). */
  public readonly gpuMetrics: boolean;

  constructor(scope: Construct, id: string, props: AsgCapacityProviderProps) {
    super(scope, id);
    const { rootSize, termination } = this.validate(props);
    const prefix = props.name;
    this.capacityProviderName = prefix;
    this.instanceTypes = props.instanceTypes;
    this.gpu = props.gpu ?? false;
    this.minSize = props.minSize ?? 0;
    this.maxSize = props.maxSize;
    this.gpuMetrics = props.gpuMetrics !== undefined;
    const extraPolicies = [...(props.extraManagedPolicyArns ?? []), ...(props.gpuMetrics ? [CLOUDWATCH_AGENT_POLICY] : [])];

    this.instanceRole = new InstanceRole(this, 'instance', { name: prefix, extraManagedPolicyArns: [...new Set(extraPolicies)] });
    // Tasks use awsvpc ENIs with their own security groups; the instance itself takes no inbound traffic.
    this.securityGroup = new SecurityGroup(this, 'instance-sg', { name: `${prefix}-instances`, description: `ECS container instances of ${prefix}`, vpcId: props.vpc.vpcId });
    this.launchTemplate = new InstanceLaunchTemplate(this, 'launch-template', {
      name: prefix,
      imageId: ecsOptimizedAmi(this, 'ami', { gpu: this.gpu, amiId: props.amiId, ssmParameter: props.amiSsmParameter }),
      instanceType: props.instanceTypes[0],
      instanceProfileArn: this.instanceRole.profileArn,
      securityGroupIds: [this.securityGroup.securityGroupId],
      userData: this.userData(props),
      rootVolumeSizeGiB: rootSize,
    });
    this.autoScalingGroup = this.group(props, termination);
    this.resource = new EcsCapacityProvider(this, 'this', {
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
    props.cluster.registerAsgCapacityProvider(this);
  }

  /** Checks every prop (before any resource exists); returns the root volume size and whether termination protection is on. */
  private validate(props: AsgCapacityProviderProps): { rootSize: number; termination: boolean } {
    const gpu = props.gpu ?? false;
    const minSize = props.minSize ?? 0;
    const desired = props.desiredCapacity ?? minSize;
    const rootSize = props.rootVolumeSizeGiB ?? (gpu ? 50 : 30);
    const v = new PropsValidator(this)
      .check(/^(?!aws|ecs|fargate)[A-Za-z0-9_-]{1,90}$/i.test(props.name), 'name', props.name, 'is not a capacity provider name; allowed: 1-90 letters, digits, "-" and "_", not starting with "aws", "ecs" or "fargate"')
      .check(props.instanceTypes.length > 0, 'instanceTypes', props.instanceTypes, 'is empty; give at least one instance type')
      .range('minSize', minSize, 0, 1000)
      .range('maxSize', props.maxSize, 1, 1000)
      .range('rootVolumeSizeGiB', rootSize, 30, 16384, 'GiB')
      .range('targetCapacityPercent', props.targetCapacityPercent, 1, 100)
      .range('spot.onDemandPercentageAboveBase', props.spot?.onDemandPercentageAboveBase, 0, 100)
      .range('spot.onDemandBaseCapacity', props.spot?.onDemandBaseCapacity, 0, 1000);
    for (const t of props.instanceTypes) v.check(/^[a-z][a-z0-9-]*\.[a-z0-9]+$/.test(t), 'instanceTypes', t, 'is not an EC2 instance type such as "g4dn.xlarge"');
    if (gpu) for (const t of props.instanceTypes) v.rule('instanceTypes', gpuInstanceTypeProblem(t));
    if (minSize > props.maxSize) v.fail('minSize', `${minSize} is above maxSize ${props.maxSize}`);
    else if (desired < minSize || desired > props.maxSize) v.fail('desiredCapacity', `${desired} is outside minSize..maxSize; allowed: ${minSize} to ${props.maxSize}`);
    for (const k of Object.keys(props.ecsAgentConfig ?? {})) v.check(/^ECS_[A-Z0-9_]+$/.test(k), 'ecsAgentConfig', k, 'is not an ECS agent setting (ECS_...)');
    if (props.gpuMetrics) {
      v.check(gpu, 'gpuMetrics', props.gpuMetrics, 'needs gpu: true (there are no NVIDIA GPUs to measure)');
      const interval = props.gpuMetrics.intervalSec ?? 60;
      v.check([10, 30, 60, 120, 300].includes(interval), 'gpuMetrics.intervalSec', interval, 'is not an agent collection interval; allowed: 10, 30, 60, 120, 300 (below 60 costs high-resolution metric rates)');
    }
    v.throwIfInvalid();
    return { rootSize, termination: props.managedTerminationProtection ?? false };
  }

  /** User data: the ECS agent's settings (cluster, GPU, spot draining), GPU metrics and the extra commands. */
  private userData(props: AsgCapacityProviderProps): string {
    const ecsConfig = {
      ECS_CLUSTER: props.cluster.clusterName,
      ...(this.gpu ? { ECS_ENABLE_GPU_SUPPORT: 'true' } : {}),
      ...(props.spot ? { ECS_ENABLE_SPOT_INSTANCE_DRAINING: 'true' } : {}),
      ECS_ENABLE_CONTAINER_METADATA: 'true',
      ...(props.ecsAgentConfig ?? {}),
    };
    const metricsUserData = props.gpuMetrics ? gpuMetricsUserData(props.gpuMetrics.intervalSec ?? 60) : [];
    return ['#!/bin/bash', "cat <<'EOF' >> /etc/ecs/ecs.config", ...Object.entries(ecsConfig).map(([k, x]) => `${k}=${x}`), 'EOF', ...metricsUserData, ...(props.extraUserData ?? []), ''].join('\n');
  }

  /** The Auto Scaling Group in the VPC's private subnets, on demand or spot, refreshed when the launch template changes. */
  private group(props: AsgCapacityProviderProps, termination: boolean): AutoscalingGroup {
    // The template's latest version by number, not "$Latest": a new version (a new AMI, type or
    // user data) is then a change of the group, which rolls it out with an instance refresh
    // instead of reaching only instances started later (a refresh never starts on "$Latest").
    const version = Token.asString(this.launchTemplate.resource.latestVersion);
    const template = { id: this.launchTemplate.launchTemplateId, version };
    return new AutoscalingGroup(this, 'asg', {
      name: props.name,
      vpcZoneIdentifier: [...props.vpc.privateSubnetIds],
      minSize: this.minSize,
      maxSize: props.maxSize,
      desiredCapacity: props.desiredCapacity ?? this.minSize,
      protectFromScaleIn: termination,
      capacityRebalance: props.spot ? props.spot.capacityRebalance ?? true : undefined,
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
              launchTemplateSpecification: { launchTemplateId: this.launchTemplate.launchTemplateId, version },
              override: props.instanceTypes.map((t) => ({ instanceType: t })),
            },
          }
        : undefined,
      tag: [
        { key: 'Name', value: props.name, propagateAtLaunch: true },
        { key: 'AmazonECSManaged', value: 'true', propagateAtLaunch: true },
      ],
      // Replaces running instances when the launch template changes: one new instance is started
      // before each old one stops (ECS drains the old one's tasks first), so capacity never dips.
      instanceRefresh: { strategy: 'Rolling', preferences: { minHealthyPercentage: 100, maxHealthyPercentage: 200, skipMatching: true, scaleInProtectedInstances: 'Refresh' } },
      // ECS managed scaling owns the desired capacity after creation.
      lifecycle: { ignoreChanges: ['desired_capacity'] },
      dependsOn: [...this.instanceRole.role.policyResources],
    });
  }

  /** Average GPU utilization (percent) over the group's GPUs; needs `gpuMetrics`. */
  public metricGpuUtilization(): Metric {
    return this.gpuMetric('nvidia_smi_utilization_gpu', 'GPU utilization');
  }

  /** Average GPU memory-controller utilization (percent) over the group's GPUs; needs `gpuMetrics`. */
  public metricGpuMemoryUtilization(): Metric {
    return this.gpuMetric('nvidia_smi_utilization_memory', 'GPU memory utilization');
  }

  private gpuMetric(metricName: string, label: string): Metric {
    if (!this.gpuMetrics) new PropsValidator(this).fail('gpuMetrics', `is not set: the instances publish no ${label} metric; set gpuMetrics: {}`).throwIfInvalid();
    return { namespace: CLOUDWATCH_AGENT_NAMESPACE, metricName, dimensions: { AutoScalingGroupName: this.autoScalingGroup.name }, stat: 'Average', label: `${this.capacityProviderName} ${label}` };
  }
}
