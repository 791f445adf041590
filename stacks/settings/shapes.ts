/**
 * The settings shapes every stack shares: network, task size and scaling, capacity provider
 * strategies, GPU capacity, load balancer, container registry, alarms. Each is an interface (with
 * TSDoc and `@default`), a field map that stack schemas spread into their own objects, and the
 * cross-field rules, which are the constructs' own rules (one place) reported at the setting path
 * the user wrote.
 */
import type { RemoteStateConfig } from '../../src/core/backend';
import { REGION_PATTERN, zoneInRegion } from '../../src/core/validation';
import { AsgSpotProps, CapacityProviderStrategyItem, strategyProblems } from '../../src/compute/ecs-cluster';
import { fargateSizeProblem } from '../../src/compute/ecs-service/task-definition';
import { GPU_FAMILIES, GPU_INSTANCE_TYPES, gpuInstanceTypeProblem, taskFitProblem } from '../../src/compute/instance-types';
import { EgressNeed, INTERFACE_ENDPOINT_SERVICES, NAT_STRATEGIES, NatStrategy, VpcProps, egressProblems } from '../../src/network/vpc';
import { ApplicationLoadBalancerProps, TLS13_ONLY_SSL_POLICY } from '../../src/edge/alb';
import { isProductionEnvironment } from '../../src/core/environment';
import * as s from './schema';

/** Reports a problem at a path relative to the object being refined. */
export type IssueFn = (path: string, message: string) => void;

// ----- network ---------------------------------------------------------------------------------

/** The NAT instance of `natGateways: "instance"`. */
export interface NatInstanceSettings {
  /** Instance type (Graviton `t4g` boots the arm64 AMI). @default "t4g.nano" */
  readonly instanceType?: string;
  /** Pinned Amazon Linux 2023 AMI id of the type's architecture. @default - looked up from its public SSM parameter at plan time */
  readonly amiId?: string;
}

/** The VPC of a stack. */
export interface NetworkSettings {
  /** IPv4 CIDR block of the VPC. @default "10.0.0.0/16" */
  readonly vpcCidr: string;
  /**
   * Pinned availability zones (must belong to the stack's region; at least 2 for a load balancer).
   * @default - the first `azCount` zones of the region, looked up at plan time
   */
  readonly availabilityZones?: string[];
  /** Zones to look up when none are pinned. @default 2 */
  readonly azCount: number;
  /**
   * NAT: "none", one shared gateway ("single"), one per zone ("perAz"), or one small EC2 NAT
   * instance ("instance": about 7 USD a month with its address instead of about 37, one instance's
   * availability).
   * @default per stack
   */
  readonly natGateways: NatStrategy;
  /**
   * The NAT instance of `natGateways: "instance"`: its type and a pinned AMI.
   * @default t4g.nano, the latest Amazon Linux 2023 AMI looked up at plan time
   */
  readonly natInstance?: NatInstanceSettings;
  /**
   * Interface endpoints (`ecr.api`, `ecr.dkr`, `logs`, `secretsmanager`, ...). Each costs about
   * 7.30 USD a month per zone it is in.
   * @default per stack
   */
  readonly interfaceEndpoints: string[];
  /** How many zones get an interface in each endpoint. @default every zone */
  readonly interfaceEndpointZones?: number;
}

export const networkFields = {
  vpcCidr: s.cidr(),
  availabilityZones: s.optional(s.array(s.zone(), { minLength: 1, maxLength: 6, unique: true, plural: 'availability zones such as "eu-west-1a"' })),
  azCount: s.number({ min: 1, max: 6 }),
  natGateways: s.oneOf<NatStrategy>(NAT_STRATEGIES, 'a NAT strategy'),
  natInstance: s.optional(
    s.object<NatInstanceSettings>({
      instanceType: s.optional(s.string({ pattern: /^[a-z][a-z0-9-]*\.[a-z0-9]+$/, describe: 'an EC2 instance type such as "t4g.nano"' })),
      amiId: s.optional(s.amiId()),
    }),
  ),
  interfaceEndpoints: s.array(s.oneOf([...INTERFACE_ENDPOINT_SERVICES], 'an interface endpoint service'), { unique: true, plural: 'interface endpoint services' }),
  interfaceEndpointZones: s.optional(s.number({ min: 1, max: 6 })),
};

/**
 * Availability zones a region offers (the most any account sees; AWS maps zone names per account).
 * A region missing here is not limited beyond the schema's 6; the plan's zone look-up then fails
 * with Terraform's own message if the account has fewer.
 */
const REGION_ZONES: Readonly<Record<string, number>> = {
  'us-east-1': 6,
  'us-east-2': 3,
  'us-west-1': 3,
  'us-west-2': 4,
  'ca-central-1': 3,
  'sa-east-1': 3,
  'eu-west-1': 3,
  'eu-west-2': 3,
  'eu-west-3': 3,
  'eu-central-1': 3,
  'eu-central-2': 3,
  'eu-north-1': 3,
  'eu-south-1': 3,
  'eu-south-2': 3,
  'ap-south-1': 3,
  'ap-northeast-1': 3,
  'ap-northeast-2': 4,
  'ap-northeast-3': 3,
  'ap-southeast-1': 3,
  'ap-southeast-2': 3,
  'ap-east-1': 3,
  'me-south-1': 3,
  'af-south-1': 3,
  // Regions opened since 2022 (three zones each at launch, per AWS's region announcements).
  'ap-south-2': 3,
  'ap-southeast-3': 3,
  'ap-southeast-4': 3,
  'ap-southeast-5': 3,
  'ap-southeast-7': 3,
  'ca-west-1': 3,
  'il-central-1': 3,
  'me-central-1': 3,
  'mx-central-1': 3,
};
/** Regions where some (older) accounts see fewer zones than `REGION_ZONES` says. */
const ACCOUNT_DEPENDENT: Readonly<Record<string, string>> = {
  'us-west-1': 'accounts created before 2014 may see only 2: only the account can tell',
};

/** How many zones `region` has, and a note when that depends on the account. */
export function zonesInRegion(region: string): { readonly zones: number; readonly note?: string } {
  return { zones: REGION_ZONES[region] ?? 6, note: ACCOUNT_DEPENDENT[region] };
}

/** The `Vpc` props a stack's network settings give (the stack adds its name prefix, region and gateway endpoints). */
export function vpcProps(n: NetworkSettings): Pick<VpcProps, 'cidr' | 'availabilityZones' | 'azCount' | 'natGateways' | 'natInstance' | 'interfaceEndpoints' | 'interfaceEndpointZones'> {
  return {
    cidr: n.vpcCidr,
    availabilityZones: n.availabilityZones,
    azCount: n.azCount,
    natGateways: n.natGateways,
    natInstance: n.natInstance,
    interfaceEndpoints: n.interfaceEndpoints,
    interfaceEndpointZones: n.interfaceEndpointZones,
  };
}

/**
 * Cross-field rules of a network: zones in the region, enough zones, endpoint zones within the
 * zones, and a way out for what the workloads need (`needs`) when there is no NAT gateway.
 */
export function checkNetwork(n: NetworkSettings, region: string, issue: IssueFn, options: { readonly minZones?: number; readonly needs?: readonly EgressNeed[]; readonly gatewayEndpoints?: readonly ('s3' | 'dynamodb')[]; readonly prefix?: string } = {}): void {
  const p = options.prefix ? `${options.prefix}.` : '';
  const zones = n.availabilityZones?.length ?? n.azCount;
  // A malformed region is reported on its own; zones cannot be checked against it.
  (REGION_PATTERN.test(region) ? (n.availabilityZones ?? []) : []).forEach((az, i) => {
    if (!zoneInRegion(az, region)) issue(`${p}availabilityZones[${i}]`, `${JSON.stringify(az)} is not in region ${JSON.stringify(region)}; allowed: zones such as "${region}a"`);
  });
  const available = zonesInRegion(region);
  if (zones > available.zones) {
    const what = n.availabilityZones ? `${p}availabilityZones` : `${p}azCount`;
    issue(what, `${n.availabilityZones ? `gives ${zones} zones, which` : `${zones}`} is more zones than ${region} has (${available.zones}${available.note ? `; ${available.note}` : ''}); allowed: 1 to ${available.zones}`);
  }
  const minZones = options.minZones ?? 1;
  if (zones < minZones) issue(n.availabilityZones ? `${p}availabilityZones` : `${p}azCount`, `gives ${zones} zone${zones === 1 ? '' : 's'}; this stack needs at least ${minZones} (a load balancer spans two)`);
  if (n.interfaceEndpointZones !== undefined) {
    if (n.interfaceEndpoints.length === 0) issue(`${p}interfaceEndpointZones`, `${n.interfaceEndpointZones} has no effect without interfaceEndpoints; remove it or add endpoints`);
    else if (n.interfaceEndpointZones > zones) issue(`${p}interfaceEndpointZones`, `${n.interfaceEndpointZones} is more than the ${zones} zones of the VPC; allowed: 1 to ${zones}`);
  }
  if (n.natInstance !== undefined && n.natGateways !== 'instance') issue(`${p}natInstance`, `has no effect with natGateways ${JSON.stringify(n.natGateways)}; set natGateways "instance" or remove it`);
  for (const problem of egressProblems({ natGateways: n.natGateways, gatewayEndpoints: options.gatewayEndpoints ?? ['s3'], interfaceEndpoints: n.interfaceEndpoints }, options.needs ?? [])) {
    issue(`${p}natGateways`, `"none": ${problem}`);
  }
}

// ----- task size, scaling, strategies ---------------------------------------------------------

/** CPU and memory of a task. */
export interface TaskSize {
  /** Task CPU units (a Fargate size on Fargate: 256, 512, 1024, 2048, 4096, 8192, 16384). */
  readonly cpu: number;
  /** Task memory in MiB (on Fargate a size valid for the CPU). */
  readonly memoryMiB: number;
}

export const taskSizeFields = {
  cpu: s.number({ min: 128, max: 196608, unit: 'CPU units' }),
  memoryMiB: s.number({ min: 128, max: 1048576, unit: 'MiB' }),
};

/** Reports a task size Fargate does not offer. */
export function checkFargateSize(size: TaskSize, issue: IssueFn, prefix = ''): void {
  const problem = fargateSizeProblem(size.cpu, size.memoryMiB);
  if (problem) issue(`${prefix}${problem[0]}`, problem[1]);
}

/** The autoscaling of a service's task count (target tracking on CPU and memory). */
export interface ScalingSettings {
  /** Autoscaling floor. */
  readonly minCapacity: number;
  /** Autoscaling ceiling. */
  readonly maxCapacity: number;
  /** Target average CPU, percent. */
  readonly cpuTarget: number;
  /** Target average memory, percent. */
  readonly memoryTarget: number;
  /** Seconds between scale-ins. */
  readonly scaleInCooldownSec: number;
  /** Seconds between scale-outs. */
  readonly scaleOutCooldownSec: number;
}

export const scalingFields = {
  minCapacity: s.number({ min: 0, max: 1000 }),
  maxCapacity: s.number({ min: 1, max: 1000 }),
  cpuTarget: s.number({ min: 1, max: 100, unit: 'percent' }),
  memoryTarget: s.number({ min: 1, max: 100, unit: 'percent' }),
  scaleInCooldownSec: s.number({ min: 0, max: 86400, unit: 'seconds' }),
  scaleOutCooldownSec: s.number({ min: 0, max: 86400, unit: 'seconds' }),
};

/** Reports a floor above the ceiling, and a desired count outside them. */
export function checkScaling(v: ScalingSettings & { readonly desiredCount?: number }, issue: IssueFn, prefix = ''): void {
  if (v.minCapacity > v.maxCapacity) issue(`${prefix}minCapacity`, `${v.minCapacity} is above maxCapacity ${v.maxCapacity}`);
  else if (v.desiredCount !== undefined && (v.desiredCount < v.minCapacity || v.desiredCount > v.maxCapacity)) {
    issue(`${prefix}desiredCount`, `${v.desiredCount} is outside minCapacity..maxCapacity; allowed: ${v.minCapacity} to ${v.maxCapacity}`);
  }
}

/** One entry of a Fargate capacity provider strategy. */
export const fargateStrategyItem = s.object<CapacityProviderStrategyItem>({
  capacityProvider: s.oneOf(['FARGATE', 'FARGATE_SPOT'], 'a Fargate capacity provider'),
  weight: s.number({ min: 0, max: 1000 }),
  base: s.optional(s.number({ min: 0, max: 100000 })),
});

/** A Fargate capacity provider strategy. */
export function fargateStrategy(): s.Schema<CapacityProviderStrategyItem[]> {
  return s.array(fargateStrategyItem, { minLength: 1, maxLength: 2, plural: 'strategy entries {capacityProvider, weight, base}' });
}

/** Reports what ECS rejects in a strategy (shared with the cluster and service constructs). */
export function checkStrategy(strategy: readonly CapacityProviderStrategyItem[], issue: IssueFn, path: string): void {
  for (const [sub, message] of strategyProblems(strategy)) issue(`${path}${sub}`, message);
}

/**
 * Fargate Spot with an on-demand floor: the first `base` tasks on FARGATE, then `spotPercent` of
 * the rest on FARGATE_SPOT. ECS does not fall back to FARGATE when Spot has no capacity; tasks
 * wait (the service event log says so) until Spot capacity returns.
 */
export function spotStrategy(spotPercent: number, base: number): CapacityProviderStrategyItem[] {
  if (spotPercent >= 100) return base > 0 ? [{ capacityProvider: 'FARGATE_SPOT', weight: 1, base: 0 }, { capacityProvider: 'FARGATE', weight: 0, base }] : [{ capacityProvider: 'FARGATE_SPOT', weight: 1, base: 0 }];
  if (spotPercent <= 0) return [{ capacityProvider: 'FARGATE', weight: 1, base }];
  return [
    { capacityProvider: 'FARGATE_SPOT', weight: spotPercent, base: 0 },
    { capacityProvider: 'FARGATE', weight: 100 - spotPercent, base },
  ];
}

// ----- GPU capacity ---------------------------------------------------------------------------

/** An EC2 Auto Scaling Group of NVIDIA GPU instances as an ECS capacity provider. */
export interface GpuCapacitySettings {
  /**
   * Instance types (x86 NVIDIA: g4dn, g5, g6, g6e, p3, p4d, p5); the first is the on-demand type,
   * all are used with spot.
   */
  readonly instanceTypes: string[];
  /**
   * Fewest instances. 0 lets ECS managed scaling start instances only when a task needs one (new
   * accounts often have no G-instance quota; see the README).
   */
  readonly minSize: number;
  /** Most instances. */
  readonly maxSize: number;
  /** Instances at creation; managed scaling owns the count afterwards. @default minSize */
  readonly desiredCapacity?: number;
  /**
   * Pinned AMI id.
   * @default - the ECS-optimized Amazon Linux 2023 GPU AMI, looked up from its public SSM parameter at plan time
   */
  readonly amiId?: string;
  /** Run on spot (a mixed instances policy over every type of `instanceTypes`). @default false */
  readonly spot: boolean;
  /** On-demand instances before any spot instance, with `spot`. @default 0 */
  readonly onDemandBaseCapacity: number;
  /**
   * How spot instances are chosen, with `spot`: `capacity-optimized` takes the pools least likely
   * to be interrupted, `price-capacity-optimized` (AWS's recommendation) the cheapest of those.
   * @default "price-capacity-optimized"
   */
  readonly spotAllocationStrategy?: 'price-capacity-optimized' | 'capacity-optimized';
}

export const gpuCapacityFields = {
  instanceTypes: s.array(
    s.string({ pattern: new RegExp(`^(${Object.keys(GPU_INSTANCE_TYPES).map((t) => t.replace('.', '\\.')).join('|')})$`), describe: `an x86 NVIDIA GPU instance type such as "g4dn.xlarge" (families ${GPU_FAMILIES.join(', ')})` }),
    { minLength: 1, unique: true, plural: 'GPU instance types' },
  ),
  minSize: s.number({ min: 0, max: 1000 }),
  maxSize: s.number({ min: 1, max: 1000 }),
  desiredCapacity: s.optional(s.number({ min: 0, max: 1000 })),
  amiId: s.optional(s.amiId()),
  spot: s.boolean(),
  onDemandBaseCapacity: s.number({ min: 0, max: 1000 }),
  spotAllocationStrategy: s.optional(s.oneOf<'price-capacity-optimized' | 'capacity-optimized'>(['price-capacity-optimized', 'capacity-optimized'], 'a spot allocation strategy')),
};

/** The GPU capacity schema (its own refinement included). */
export function gpuCapacity(): s.Schema<GpuCapacitySettings> {
  return s.object<GpuCapacitySettings>(gpuCapacityFields, checkGpuCapacity);
}

/** Cross-field rules of GPU capacity (paths relative to it), for schemas that extend its fields. */
export function checkGpuCapacity(v: GpuCapacitySettings, issue: IssueFn): void {
  for (const [i, t] of v.instanceTypes.entries()) {
    const problem = gpuInstanceTypeProblem(t);
    if (problem) issue(`instanceTypes[${i}]`, problem);
  }
  if (v.minSize > v.maxSize) issue('minSize', `${v.minSize} is above maxSize ${v.maxSize}`);
  else if (v.desiredCapacity !== undefined && (v.desiredCapacity < v.minSize || v.desiredCapacity > v.maxSize)) {
    issue('desiredCapacity', `${v.desiredCapacity} is outside minSize..maxSize; allowed: ${v.minSize} to ${v.maxSize}`);
  }
  if (!v.spot && v.onDemandBaseCapacity > 0) issue('onDemandBaseCapacity', `${v.onDemandBaseCapacity} has no effect without spot (every instance is on-demand); set spot true or remove it`);
  if (!v.spot && v.spotAllocationStrategy !== undefined) issue('spotAllocationStrategy', `${JSON.stringify(v.spotAllocationStrategy)} has no effect without spot; set spot true or remove it`);
  if (v.onDemandBaseCapacity > v.maxSize) issue('onDemandBaseCapacity', `${v.onDemandBaseCapacity} is above maxSize ${v.maxSize}`);
}

/** The Auto Scaling Group's spot settings for `gpu` (undefined: on-demand only). */
export function gpuSpot(gpu: GpuCapacitySettings): AsgSpotProps | undefined {
  return gpu.spot ? { onDemandBaseCapacity: gpu.onDemandBaseCapacity, allocationStrategy: gpu.spotAllocationStrategy ?? 'price-capacity-optimized' } : undefined;
}

/**
 * Reports a GPU task that does not fit the smallest instance type of the group, and a service
 * ceiling the group cannot hold (each task takes `gpus` of an instance's GPUs).
 */
export function checkGpuFit(gpu: GpuCapacitySettings, task: TaskSize & { readonly gpus: number; readonly maxTasks: number }, issue: IssueFn, servicePath: string): void {
  for (const t of gpu.instanceTypes) {
    const problem = taskFitProblem(t, task.cpu, task.memoryMiB, task.gpus);
    if (problem) issue(`${servicePath}.cpu`, `${problem}; give the task less or the group a bigger type`);
  }
  const perInstance = Math.min(...gpu.instanceTypes.map((t) => Math.floor((GPU_INSTANCE_TYPES[t]?.gpus ?? 1) / task.gpus)));
  if (perInstance > 0 && task.maxTasks > gpu.maxSize * perInstance) {
    issue('gpu.maxSize', `${gpu.maxSize} instances hold ${gpu.maxSize * perInstance} GPU tasks, fewer than ${servicePath}.maxCapacity ${task.maxTasks}; raise gpu.maxSize or lower maxCapacity`);
  }
}

// ----- load balancer, registry, monitoring -----------------------------------------------------

/** The public load balancer. */
export interface AlbSettings {
  /** Clients allowed to reach the ALB. @default ["0.0.0.0/0"] */
  readonly allowedCidrs: string[];
  /** ACM certificate for HTTPS (HTTP then redirects to HTTPS). @default - HTTP only */
  readonly certificateArn?: string;
  /** Accept TLS 1.3 only on HTTPS (old clients and many tools speak only TLS 1.2). @default false */
  readonly tls13Only: boolean;
  /** Deletion protection (turn off to let `terraform destroy` delete it). @default per stack */
  readonly deletionProtection: boolean;
  /**
   * Access logs of the load balancer (and of the stack's data buckets) in an access-log bucket
   * `<prefix>-logs-<account>-<region>`, kept 90 days.
   * @default true in a production environment (`prod`, `production`, `prd`, `live`), false otherwise
   */
  readonly accessLogs?: boolean;
}

export const albFields = {
  allowedCidrs: s.array(s.cidr(), { minLength: 1, unique: true, plural: 'IPv4 CIDR blocks' }),
  certificateArn: s.optional(s.arn('acm')),
  tls13Only: s.boolean(),
  deletionProtection: s.boolean(),
  accessLogs: s.optional(s.boolean()),
};

/** The `ApplicationLoadBalancer` props a stack's ALB settings give (the stack adds the network and name). */
export function albProps(a: AlbSettings): Pick<ApplicationLoadBalancerProps, 'allowedCidrs' | 'certificateArn' | 'sslPolicy' | 'deletionProtection'> {
  return { allowedCidrs: a.allowedCidrs, certificateArn: a.certificateArn, sslPolicy: a.tls13Only ? TLS13_ONLY_SSL_POLICY : undefined, deletionProtection: a.deletionProtection };
}

/** Whether the stack keeps ALB (and data bucket) access logs: `alb.accessLogs`, else in a production environment. */
export function albAccessLogsOn(a: AlbSettings, environment: string): boolean {
  return a.accessLogs ?? isProductionEnvironment(environment);
}

/** Reports TLS settings that have no effect without HTTPS. */
export function checkAlb(a: AlbSettings, issue: IssueFn, prefix = 'alb.'): void {
  if (a.tls13Only && !a.certificateArn) issue(`${prefix}tls13Only`, 'true has no effect without certificateArn (there is no HTTPS listener)');
}

/** Throttling of every route of an API (requests beyond it get 429). */
export interface ApiThrottleSettings {
  /** Burst of requests. */
  readonly burstLimit: number;
  /** Steady requests per second. */
  readonly rateLimit: number;
}

export const apiThrottleSchema = s.object<ApiThrottleSettings>({ burstLimit: s.number({ min: 0, max: 5000 }), rateLimit: s.number({ min: 0, max: 10000, integer: false, unit: 'requests per second' }) });

/** Reports a throttle that answers every request 429, or a burst below one second of requests. */
export function checkApiThrottle(throttle: ApiThrottleSettings | undefined, issue: IssueFn, path: string, nullRemoves = true): void {
  // 0 is not "no limit" to API Gateway: a stage limit of 0 answers every request 429.
  if (throttle && (throttle.rateLimit === 0 || throttle.burstLimit === 0)) {
    issue(path, `${JSON.stringify(throttle)} answers every request with 429 (0 is not "no limit"); give both limits above 0${nullRemoves ? ', or null for no throttling' : ''}`);
  } else if (throttle && throttle.burstLimit < throttle.rateLimit) {
    issue(`${path}.burstLimit`, `${throttle.burstLimit} is below rateLimit ${throttle.rateLimit}; the burst must hold at least one second of requests`);
  }
}

/** Container image repositories. */
export interface RegistrySettings {
  /** `IMMUTABLE` tags cannot be pushed twice (use commit tags); `MUTABLE` allows moving tags such as `latest`. */
  readonly imageTagMutability: 'MUTABLE' | 'IMMUTABLE';
  /** Images kept per repository (older ones expire). @default 30 */
  readonly keepImages: number;
  /** Days before untagged images expire. @default 7 */
  readonly untaggedExpiryDays: number;
}

export const registryFields = {
  imageTagMutability: s.oneOf<'MUTABLE' | 'IMMUTABLE'>(['MUTABLE', 'IMMUTABLE'], 'a tag mutability'),
  keepImages: s.number({ min: 1, max: 10000 }),
  untaggedExpiryDays: s.number({ min: 1, max: 3650, unit: 'days' }),
};

/** Reports a moving tag on a repository that cannot move tags. */
export function checkImageTag(tag: string | undefined, mutability: 'MUTABLE' | 'IMMUTABLE', issue: IssueFn, path: string): void {
  if (tag === 'latest' && mutability === 'IMMUTABLE') {
    issue(path, '"latest" cannot be pushed twice to an IMMUTABLE repository; tag each image with its commit (e.g. "a1b2c3d") and deploy that tag');
  }
}

// ----- a stack's own remote state --------------------------------------------------------------

/**
 * A stack's own S3 backend, for a document that names its state bucket and lock table: those
 * names are the defaults and `enabled` switches it on. Off, the stack follows the app-wide
 * `remoteState` when that is set and keeps local state otherwise; on, it takes precedence over the
 * app-wide one, for this stack only.
 */
export interface StackRemoteStateSettings {
  /**
   * Keep this stack's state in `bucket`, locked with `dynamodbTable`. Create both first (the
   * `state-bootstrap` stack with `bucketName` and `lockTableName` set to them, or by hand), then
   * synth and run `terraform init -migrate-state` in `cdktf.out/stacks/<stack>`.
   * @default false
   */
  readonly enabled: boolean;
  /** The state bucket. @default per stack: the document's bucket */
  readonly bucket: string;
  /** Region of the state bucket. @default the stack's region */
  readonly region?: string;
  /**
   * DynamoDB table for state locking; null for S3-native locking (a lock file next to the state,
   * Terraform >= 1.10).
   * @default per stack: the document's table
   */
  readonly dynamodbTable?: string;
  /** Key of the state object. @default "<stack name>/terraform.tfstate" */
  readonly key?: string;
}

export const stackRemoteStateFields = {
  enabled: s.boolean(),
  bucket: s.bucketName(),
  region: s.optional(s.region()),
  dynamodbTable: s.optional(s.string({ pattern: /^[A-Za-z0-9_.-]{3,255}$/, describe: 'a DynamoDB table name (3-255 of A-Z a-z 0-9 _ . -)' })),
  key: s.optional(s.string({ pattern: /^[A-Za-z0-9!_.*'()-]+(\/[A-Za-z0-9!_.*'()-]+)*$/, describe: 'an S3 object key such as "my-stack/terraform.tfstate"', maxLength: 1024 })),
};

/**
 * Reports what has no effect while the stack's own remote state is off: a field changed from the
 * stack's `defaults`.
 */
export function checkStackRemoteState(v: StackRemoteStateSettings, defaults: StackRemoteStateSettings, issue: IssueFn, prefix = 'remoteState.'): void {
  if (v.enabled) return;
  for (const k of ['bucket', 'region', 'dynamodbTable', 'key'] as const) {
    if (v[k] !== defaults[k]) issue(`${prefix}${k}`, `${JSON.stringify(v[k] ?? null)} has no effect while ${prefix}enabled is false; set enabled true to keep this stack's state there`);
  }
}

/**
 * Where a stack keeps its Terraform state, as `AwsStack` props: its own backend when enabled (in
 * the stack's region unless another is named), else the app-wide `shared` one, else local state.
 */
export function stackRemoteState(own: StackRemoteStateSettings, shared: RemoteStateConfig | undefined, stackRegion: string): { readonly remoteState?: RemoteStateConfig; readonly stateKey?: string } {
  if (!own.enabled) return { remoteState: shared };
  return { remoteState: { bucket: own.bucket, region: own.region ?? stackRegion, dynamodbTable: own.dynamodbTable }, stateKey: own.key };
}
