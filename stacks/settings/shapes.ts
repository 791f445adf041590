/**
 * The settings shapes every stack shares: network, task size and scaling, capacity provider
 * strategies, GPU capacity, load balancer, container registry, API throttling, a stack's own remote
 * state. Each is declared once (fields with their descriptions, a type from `Static`), used by the
 * stacks with their own defaults, and has cross-field rules that are the constructs' own rules (one
 * place), reported at the setting path the user wrote.
 */
import type { Static, TObject, TProperties } from '@sinclair/typebox';
import type { RemoteStateConfig } from '../../src/core/backend';
import { REGION_PATTERN, zoneInRegion } from '../../src/core/validation';
import { AsgSpotProps, CapacityProviderStrategyItem, strategyProblems } from '../../src/compute/ecs-cluster';
import { fargateSizeProblem } from '../../src/compute/ecs-service/task-definition';
import { GPU_FAMILIES, GPU_INSTANCE_TYPES, gpuInstanceTypeProblem, taskFitProblem } from '../../src/compute/instance-types';
import { EgressNeed, INTERFACE_ENDPOINT_SERVICES, NAT_STRATEGIES, VpcProps, egressProblems } from '../../src/network/vpc';
import { ApplicationLoadBalancerProps, TLS13_ONLY_SSL_POLICY } from '../../src/edge/alb';
import { isProductionEnvironment } from '../../src/core/environment';
import { MIN_REASON } from '../../src/core/suppressions';
import type { IssueFn } from './meta';
import { ec2TypeHint, EC2_INSTANCE_TYPE } from './instance-types';
import { zonesInRegion } from './regions';
import { s3KeyHint } from './rules';
import * as s from './schema';
import { DEFAULT_MANAGED_RULE_GROUPS, MANAGED_RULE_GROUP_WCU } from '../../src/edge/waf';

export type { IssueFn } from './meta';

// ----- network ---------------------------------------------------------------------------------

/** Zones looked up when none are pinned. */
const AZ_COUNT_DEFAULT = 2;

const networkFields = {
  vpcCidr: s.vpcCidr({ description: 'IPv4 CIDR block of the VPC, /16 to /24 (its subnets are 4 bits longer).', default: '10.0.0.0/16' }),
  availabilityZones: s.optional(
    s.array(s.zone(), {
      minLength: 1,
      maxLength: 6,
      unique: true,
      plural: 'availability zones such as "eu-west-1a"',
      description: 'Pinned availability zones (they must belong to the stack\'s region; at least 2 for a load balancer). Default: the first `azCount` zones of the region, looked up at plan time.',
    }),
  ),
  azCount: s.number({ min: 1, max: 6, description: 'Zones to look up when none are pinned.', default: AZ_COUNT_DEFAULT }),
  natGateways: s.oneOf(NAT_STRATEGIES, {
    expected: 'a NAT strategy',
    description: 'NAT: "none", one shared gateway ("single"), one per zone ("perAz"), or one small EC2 NAT instance ("instance": about 7 USD a month with its address instead of about 37, one instance\'s availability).',
  }),
  natInstance: s.optional(
    s.object(
      {
        instanceType: s.optional(s.string({ pattern: EC2_INSTANCE_TYPE, expected: 'an EC2 instance type such as "t4g.nano"', hint: ec2TypeHint, description: 'Instance type of the NAT instance (Graviton `t4g` boots the arm64 AMI). Default: "t4g.nano".' })),
        amiId: s.optional(s.amiId({ description: 'Pinned Amazon Linux 2023 AMI id of the instance type\'s architecture. Default: looked up from its public SSM parameter at plan time.' })),
      },
      { description: 'The NAT instance of `natGateways: "instance"`: its type and a pinned AMI. Default: t4g.nano, the latest Amazon Linux 2023 AMI looked up at plan time.' },
    ),
  ),
  interfaceEndpoints: s.array(s.oneOf([...INTERFACE_ENDPOINT_SERVICES], { expected: 'an interface endpoint service' }), {
    unique: true,
    plural: 'interface endpoint services',
    description: 'Interface endpoints (`ecr.api`, `ecr.dkr`, `logs`, `secretsmanager`, ...). Each costs about 7.30 USD a month per zone it is in.',
  }),
  interfaceEndpointZones: s.optional(s.number({ min: 1, max: 6, description: 'How many zones get an interface in each endpoint. Default: every zone.' })),
  subnetLayoutZones: s.optional(
    s.number({
      min: 1,
      max: 6,
      description:
        'Zones the subnet ranges are laid out for: public ranges first, then private, for this many zones; every zone beyond takes the next free pair, so adding a zone never moves a range. Default: 2. A deployment made before 0.5.0 with N zones sets N (its ranges then stay where they are; see CHANGELOG).',
    }),
  ),
};

/** The VPC of a stack. */
export type NetworkSettings = Static<TObject<typeof networkFields>>;

/** The network schema, with the stack's description and defaults. */
export function network(options: s.ObjectOptions<NetworkSettings>): TObject<typeof networkFields> {
  return s.object(networkFields, options);
}

/** The `Vpc` props a stack's network settings give (the stack adds its name prefix, region and gateway endpoints). */
export function vpcProps(n: NetworkSettings): Pick<VpcProps, 'cidr' | 'availabilityZones' | 'azCount' | 'natGateways' | 'natInstance' | 'interfaceEndpoints' | 'interfaceEndpointZones' | 'subnetLayoutZones'> {
  return {
    cidr: n.vpcCidr,
    availabilityZones: n.availabilityZones,
    azCount: n.azCount,
    natGateways: n.natGateways,
    natInstance: n.natInstance,
    interfaceEndpoints: n.interfaceEndpoints,
    interfaceEndpointZones: n.interfaceEndpointZones,
    subnetLayoutZones: n.subnetLayoutZones,
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
  // Pinned zones decide how many there are; the preview pins as many as azCount asks for.
  if (n.availabilityZones && n.azCount !== n.availabilityZones.length && n.azCount !== AZ_COUNT_DEFAULT) {
    issue(`${p}azCount`, `${n.azCount} has no effect: availabilityZones pins ${n.availabilityZones.length} zones; remove azCount or pin ${n.azCount} zones`);
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
export const taskSizeFields = {
  cpu: s.number({ min: 128, max: 196608, unit: 'CPU units', description: 'Task CPU units (on Fargate one of its sizes: 256, 512, 1024, 2048, 4096, 8192, 16384).' }),
  memoryMiB: s.number({ min: 128, max: 1048576, unit: 'MiB', description: 'Task memory in MiB (on Fargate a size valid for the CPU).' }),
};

/** CPU and memory of a task. */
export type TaskSize = Static<TObject<typeof taskSizeFields>>;

/** Reports a task size Fargate does not offer. */
export function checkFargateSize(size: TaskSize, issue: IssueFn, prefix = ''): void {
  const problem = fargateSizeProblem(size.cpu, size.memoryMiB);
  if (problem) issue(`${prefix}${problem[0]}`, problem[1]);
}

/** The autoscaling of a service's task count (target tracking on CPU and memory). */
export const scalingFields = {
  minCapacity: s.number({ min: 0, max: 1000, description: 'Autoscaling floor: the fewest tasks.' }),
  maxCapacity: s.number({ min: 1, max: 1000, description: 'Autoscaling ceiling: the most tasks.' }),
  cpuTarget: s.number({ min: 1, max: 100, unit: 'percent', description: 'Target average CPU utilization, percent.' }),
  memoryTarget: s.number({ min: 1, max: 100, unit: 'percent', description: 'Target average memory utilization, percent.' }),
  scaleInCooldownSec: s.number({ min: 0, max: 86400, unit: 'seconds', description: 'Seconds between scale-ins.' }),
  scaleOutCooldownSec: s.number({ min: 0, max: 86400, unit: 'seconds', description: 'Seconds between scale-outs.' }),
};

/** The autoscaling of a service's task count. */
export type ScalingSettings = Static<TObject<typeof scalingFields>>;

/** Reports a floor above the ceiling, and a desired count outside them. */
export function checkScaling(v: ScalingSettings & { readonly desiredCount?: number }, issue: IssueFn, prefix = ''): void {
  if (v.minCapacity > v.maxCapacity) issue(`${prefix}minCapacity`, `${v.minCapacity} is above maxCapacity ${v.maxCapacity}`);
  else if (v.desiredCount !== undefined && (v.desiredCount < v.minCapacity || v.desiredCount > v.maxCapacity)) {
    issue(`${prefix}desiredCount`, `${v.desiredCount} is outside minCapacity..maxCapacity; allowed: ${v.minCapacity} to ${v.maxCapacity}`);
  }
}

/** One entry of a Fargate capacity provider strategy. */
const fargateStrategyItem = s.object(
  {
    capacityProvider: s.oneOf(['FARGATE', 'FARGATE_SPOT'], { expected: 'a Fargate capacity provider', description: 'The capacity provider: FARGATE (on-demand) or FARGATE_SPOT.' }),
    weight: s.number({ min: 0, max: 1000, description: 'Relative share of the tasks placed on this provider.' }),
    base: s.optional(s.number({ min: 0, max: 100000, description: 'Tasks placed on this provider before the weights apply (one entry of a strategy at most). Default: 0.' })),
  },
  { description: 'One capacity provider of the strategy, with its weight and base.' },
);

/** A Fargate capacity provider strategy. */
export function fargateStrategy(doc: s.Doc<Static<typeof fargateStrategyItem>[]>) {
  return s.array(fargateStrategyItem, { minLength: 1, maxLength: 2, plural: 'strategy entries {capacityProvider, weight, base}', ...doc });
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
export function spotStrategy(spotPercent: number, base: number): { capacityProvider: 'FARGATE' | 'FARGATE_SPOT'; weight: number; base: number }[] {
  if (spotPercent >= 100) return base > 0 ? [{ capacityProvider: 'FARGATE_SPOT', weight: 1, base: 0 }, { capacityProvider: 'FARGATE', weight: 0, base }] : [{ capacityProvider: 'FARGATE_SPOT', weight: 1, base: 0 }];
  if (spotPercent <= 0) return [{ capacityProvider: 'FARGATE', weight: 1, base }];
  return [
    { capacityProvider: 'FARGATE_SPOT', weight: spotPercent, base: 0 },
    { capacityProvider: 'FARGATE', weight: 100 - spotPercent, base },
  ];
}

// ----- GPU capacity ---------------------------------------------------------------------------

/** An EC2 Auto Scaling Group of NVIDIA GPU instances as an ECS capacity provider. */
export const gpuCapacityFields = {
  instanceTypes: s.array(
    s.string({ pattern: new RegExp(`^(${Object.keys(GPU_INSTANCE_TYPES).map((t) => t.replace('.', '\\.')).join('|')})$`), expected: `an x86 NVIDIA GPU instance type such as "g4dn.xlarge" (families ${GPU_FAMILIES.join(', ')})` }),
    { minLength: 1, unique: true, plural: 'GPU instance types', description: 'Instance types (x86 NVIDIA: g4dn, g5, g6, g6e, p3, p4d, p5); the first is the on-demand type, all are used with spot.', default: ['g4dn.xlarge'] },
  ),
  minSize: s.number({ min: 0, max: 1000, description: 'Fewest instances. 0 lets ECS managed scaling start instances only when a task needs one (new accounts often have no G-instance quota; see the README).', default: 0 }),
  maxSize: s.number({ min: 1, max: 1000, description: 'Most instances.' }),
  desiredCapacity: s.optional(s.number({ min: 0, max: 1000, description: 'Instances at creation; managed scaling owns the count afterwards. Default: minSize.' })),
  amiId: s.optional(s.amiId({ description: 'Pinned AMI id. Default: the ECS-optimized Amazon Linux 2023 GPU AMI, looked up from its public SSM parameter at plan time.' })),
  spot: s.boolean({ description: 'Run on spot (a mixed instances policy over every type of `instanceTypes`).', default: false }),
  onDemandBaseCapacity: s.number({ min: 0, max: 1000, description: 'On-demand instances before any spot instance, with `spot`.', default: 0 }),
  spotAllocationStrategy: s.optional(
    s.oneOf(['price-capacity-optimized', 'capacity-optimized'], {
      expected: 'a spot allocation strategy',
      description: 'How spot instances are chosen, with `spot`: `capacity-optimized` takes the pools least likely to be interrupted, `price-capacity-optimized` (AWS\'s recommendation) the cheapest of those. Default: "price-capacity-optimized".',
    }),
  ),
};

/** An EC2 Auto Scaling Group of NVIDIA GPU instances as an ECS capacity provider. */
export type GpuCapacitySettings = Static<TObject<typeof gpuCapacityFields>>;

/** The GPU capacity schema (its own cross-field rules included). */
export function gpuCapacity(options: s.ObjectOptions<GpuCapacitySettings>): TObject<typeof gpuCapacityFields> {
  return s.object(gpuCapacityFields, { refine: checkGpuCapacity, ...options });
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
 * Reports a GPU task that does not fit the smallest instance type of the group, at the first
 * setting that does not fit (CPU, then memory, then GPUs when `gpusSetting` names them), and a
 * service ceiling the group cannot hold (each task takes `gpus` of an instance's GPUs).
 */
export function checkGpuFit(gpu: GpuCapacitySettings, task: TaskSize & { readonly gpus: number; readonly maxTasks: number; readonly gpusSetting?: boolean }, issue: IssueFn, servicePath: string): void {
  for (const t of gpu.instanceTypes) {
    const problem = taskFitProblem(t, task.cpu, task.memoryMiB, task.gpus);
    if (!problem) continue;
    const cpuFits = !taskFitProblem(t, task.cpu, 0, 0);
    const field = !cpuFits ? 'cpu' : taskFitProblem(t, 0, task.memoryMiB, 0) ? 'memoryMiB' : task.gpusSetting ? 'gpus' : 'cpu';
    issue(`${servicePath}.${field}`, `${problem}; give the task less or the group a bigger type`);
  }
  const perInstance = Math.min(...gpu.instanceTypes.map((t) => Math.floor((GPU_INSTANCE_TYPES[t]?.gpus ?? 1) / task.gpus)));
  if (perInstance > 0 && task.maxTasks > gpu.maxSize * perInstance) {
    issue('gpu.maxSize', `${gpu.maxSize} instances hold ${gpu.maxSize * perInstance} GPU tasks, fewer than ${servicePath}.maxCapacity ${task.maxTasks}; raise gpu.maxSize or lower maxCapacity`);
  }
}

// ----- off hours ------------------------------------------------------------------------------

const offHoursFields = {
  stopSchedule: s.cron({ description: 'When the services stop (scale to 0 tasks): a `cron(...)` expression in `timezone`, e.g. "cron(0 20 ? * MON-FRI *)".' }),
  startSchedule: s.cron({ description: 'When they start again with their normal floors: a `cron(...)` expression in `timezone`, e.g. "cron(0 7 ? * MON-FRI *)".' }),
  timezone: s.timeZone({ description: 'IANA time zone of both schedules, e.g. "UTC" or "Europe/Paris".' }),
};

/** Scale to zero outside working hours. */
export type OffHoursSettings = Static<TObject<typeof offHoursFields>>;

/** The off-hours schema, with the stack's description. */
export function offHours(description: string): TObject<typeof offHoursFields> {
  return s.object(offHoursFields, { description });
}

/** Reports off hours that never stop anything. */
export function checkOffHours(off: OffHoursSettings | undefined, issue: IssueFn): void {
  if (off && off.stopSchedule === off.startSchedule) issue('offHours.startSchedule', 'is the same as stopSchedule; give two different times');
}

// ----- load balancer, registry, throttling ------------------------------------------------------

/** The public load balancer. */
export const albFields = {
  allowedCidrs: s.array(s.cidr(), { minLength: 1, unique: true, plural: 'IPv4 CIDR blocks', description: 'Clients allowed to reach the load balancer.', default: ['0.0.0.0/0'] }),
  certificateArn: s.optional(s.arn('acm', { description: 'ACM certificate for HTTPS (HTTP then redirects to HTTPS). Default: HTTP only.' })),
  tls13Only: s.boolean({ description: 'Accept TLS 1.3 only on HTTPS (old clients and many tools speak only TLS 1.2).', default: false }),
  deletionProtection: s.boolean({ description: 'Deletion protection of the load balancer (turn it off, and apply, to let `terraform destroy` delete it).' }),
  accessLogs: s.optional(
    s.boolean({
      description: 'Access logs of the load balancer (and of the stack\'s data buckets) in an access-log bucket `<prefix>-logs-<account>-<region>`, kept 90 days. Default: true in a production environment (`prod`, `production`, `prd`, `live`), false otherwise.',
    }),
  ),
};

/** The public load balancer. */
export type AlbSettings = Static<TObject<typeof albFields>>;

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

const apiThrottleFields = {
  burstLimit: s.number({ min: 0, max: 5000, description: 'Requests that may arrive at once (the burst).' }),
  rateLimit: s.number({ min: 0, max: 10000, integer: false, unit: 'requests per second', description: 'Steady requests per second.' }),
};

/** Throttling of every route of an API (requests beyond it get 429). */
export type ApiThrottleSettings = Static<TObject<typeof apiThrottleFields>>;

/** The throttling schema, with its description (and defaults) where it is used. */
export function apiThrottle(options: s.ObjectOptions<ApiThrottleSettings>): TObject<typeof apiThrottleFields> {
  return s.object(apiThrottleFields, options);
}

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
export const registryFields = {
  imageTagMutability: s.oneOf(['MUTABLE', 'IMMUTABLE'], { expected: 'a tag mutability', description: '`IMMUTABLE` tags cannot be pushed twice (use commit tags); `MUTABLE` allows moving tags such as `latest`.' }),
  keepImages: s.number({ min: 1, max: 10000, description: 'Images kept per repository (older ones expire).' }),
  untaggedExpiryDays: s.number({ min: 1, max: 3650, unit: 'days', description: 'Days before untagged images expire.', default: 7 }),
  customerManagedKey: s.boolean({
    description:
      'Encrypt the repositories with the stack\'s customer managed key (`alias/<prefix>`) instead of AES256. Changing it replaces every repository, and its images go with it: turn it on for a new deployment, or push the images again right after the apply (`npm run ops -- <stack> push-images`); in production empty the repositories first (their deletion is protected).',
    default: false,
  }),
};

/** Container image repositories. */
export type RegistrySettings = Static<TObject<typeof registryFields>>;

/** An ECR repository path prefix. */
export function repositoryPrefix(doc: s.Doc<string>) {
  return s.string({ pattern: /^[a-z0-9]+(?:[._-][a-z0-9]+)*(?:\/[a-z0-9]+(?:[._-][a-z0-9]+)*)*$/, expected: 'an ECR repository path prefix (lowercase letters, digits, ".", "_", "-" and "/")', maxLength: 200, ...doc });
}

/** Reports a moving tag on a repository that cannot move tags. */
export function checkImageTag(tag: string | undefined, mutability: 'MUTABLE' | 'IMMUTABLE', issue: IssueFn, path: string): void {
  if (tag === 'latest' && mutability === 'IMMUTABLE') {
    issue(path, '"latest" cannot be pushed twice to an IMMUTABLE repository; tag each image with its commit (e.g. "a1b2c3d") and deploy that tag');
  }
}

// ----- a stack's own remote state --------------------------------------------------------------

const stackRemoteStateFields = {
  enabled: s.boolean({
    description: 'Keep this stack\'s state in `bucket`, locked with `dynamodbTable`. Create both first (the `state-bootstrap` stack with `bucketName` and `lockTableName` set to them, or by hand), then synth and run `terraform init -migrate-state` in `cdktf.out/stacks/<stack>`.',
    default: false,
  }),
  bucket: s.bucketName({ description: 'The state bucket (the document\'s by default).' }),
  region: s.optional(s.region({ description: 'Region of the state bucket. Default: the stack\'s region.' })),
  dynamodbTable: s.optional(s.dynamodbTableName({ description: 'DynamoDB table for state locking (the document\'s by default); null for S3-native locking (a lock file next to the state, Terraform >= 1.10).' })),
  key: s.optional(s.string({ pattern: /^[A-Za-z0-9!_.*'()-]+(\/[A-Za-z0-9!_.*'()-]+)*$/, expected: 'an S3 object key such as "my-stack/terraform.tfstate"', hint: s3KeyHint, maxLength: 1024, description: 'Key of the state object. Default: "<stack name>/terraform.tfstate".' })),
};

/**
 * A stack's own S3 backend, for a document that names its state bucket and lock table: those
 * names are the defaults and `enabled` switches it on. Off, the stack follows the app-wide
 * `remoteState` when that is set and keeps local state otherwise; on, it takes precedence over the
 * app-wide one, for this stack only.
 */
export type StackRemoteStateSettings = Static<TObject<typeof stackRemoteStateFields>>;

/** The schema of a stack's own remote state, with the stack's description and the document's names as defaults. */
export function stackRemoteStateSchema(options: s.ObjectOptions<StackRemoteStateSettings>): TObject<typeof stackRemoteStateFields> {
  return s.object(stackRemoteStateFields, options);
}

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

/**
 * A monthly cost budget of one stack (AWS Budgets, the first two per account free), filtered by the
 * `Stack` tag every resource carries; told at 80 % forecast and 100 % actual, to the alarm topic and
 * the addresses listed. `limitDescription` says where the default limit comes from.
 */
export function budget<E extends TProperties = Record<never, never>>(limitDescription: string, description: string, defaultLimitUsd?: number, extra: E = {} as E) {
  return s.object(
    {
      ...extra,
      enabled: s.boolean({ description: 'Create the budget (AWS Budgets: the first two per account are free).', default: true }),
      monthlyLimitUsd: s.number({ min: 1, max: 10000000, integer: false, unit: 'USD', description: `Monthly limit in USD (${limitDescription}).`, ...(defaultLimitUsd === undefined ? {} : { default: defaultLimitUsd }) }),
      emails: s.array(s.email(), { unique: true, maxLength: 10, plural: 'e-mail addresses', description: 'E-mail addresses told at 80 % forecast and 100 % actual (the alarm topic is always told).', default: [] }),
    },
    { description },
  );
}

/** A `/hostedzone/Z...` id (as the Route 53 API writes it) gets the bare id as suggestion. */
const hostedZoneHint = (id: string) => (id.startsWith('/hostedzone/') ? `; did you mean ${JSON.stringify(id.slice('/hostedzone/'.length))}?` : '');

/**
 * The public name of a load-balanced endpoint: an ACM certificate validated with DNS records in a
 * Route 53 public hosted zone, an alias record to the load balancer, HTTP redirected to HTTPS, and
 * URL outputs on the name (a certificate never matches the load balancer's own DNS name).
 */
export function endpointDomain(example: string, description: string) {
  return s.optional(
    s.object(
      {
        name: s.string({ pattern: /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, expected: `a lowercase DNS name such as "${example}"`, name: true, description: `The name clients call, e.g. \`${example}\` (a subdomain of the zone, or its apex).` }),
        hostedZoneId: s.string({ pattern: /^Z[A-Z0-9]{4,31}$/, expected: 'a Route 53 hosted zone id such as "Z0123456789ABCDEFGHIJ" (Z and 4-31 capital letters and digits)', hint: hostedZoneHint, name: true, description: 'Id of the Route 53 public hosted zone (`Z...`).' }),
      },
      { description },
    ),
  );
}

/** A domain and a certificate ARN both give the load balancer its certificate: one of them. */
export function checkDomain(v: { readonly domain?: unknown; readonly alb: { readonly certificateArn?: string } }, issue: IssueFn): void {
  if (v.domain && v.alb.certificateArn) issue('domain', 'and alb.certificateArn both give the endpoint a certificate; keep one');
}

/** The cost profiles every application stack offers (`profile`). */
export const PROFILES = ['standard', 'lean'] as const;

// ----- alarm recipients ------------------------------------------------------------------------

/**
 * Who reads a stack's alarms: an e-mail subscribed to the stack's alarm topic, or an existing topic
 * (an on-call tool's, an organisation's) used instead of one. Without either, the production gate
 * (AWS-SNS-004) holds the stack's deploy in production: alarms would reach nobody.
 */
export const alarmRecipientFields = {
  alarmEmail: s.optional(s.email({ description: 'E-mail subscribed to the alarm topic (confirm the mail AWS sends after apply). Without it or `alarmTopicArn`, alarms reach nobody, and a production deploy stops at the production gate (AWS-SNS-004).' })),
  alarmTopicArn: s.optional(
    s.arn('sns', {
      description: 'An existing SNS topic to send the alarms to instead of a topic of the stack (an on-call tool\'s or an organisation\'s): its policy must let cloudwatch.amazonaws.com (and budgets.amazonaws.com for a budget) publish, and its key, if any, let them encrypt. Default: a topic of the stack, encrypted with its own key.',
    }),
  ),
};

/** `alarmEmail` cannot be subscribed to a topic of another owner. */
export function alarmRecipientProblems(v: { alarmEmail?: string; alarmTopicArn?: string }, issue: IssueFn): void {
  if (v.alarmEmail !== undefined && v.alarmTopicArn !== undefined) issue('alarmEmail', `cannot be subscribed to alarmTopicArn, a topic managed elsewhere; subscribe ${JSON.stringify(v.alarmEmail)} where that topic is managed, or remove alarmTopicArn`);
}

// ----- writable paths ----------------------------------------------------------------------

/**
 * `scratchPaths`: the paths an application image writes to, so its containers can run with a
 * read-only root filesystem (each path a scratch volume on the task's storage).
 */
export const scratchPathsField = s.array(s.string({ pattern: /^\/[^\s]*[^/\s]$/, expected: 'an absolute path below "/" such as "/tmp"', name: true }), {
  unique: true,
  maxLength: 10,
  plural: 'absolute paths',
  description:
    'Paths the application images write to (temporary files, model caches), e.g. ["/tmp", "/home/app/.cache"]. Given, the application containers run with a read-only root filesystem and each path is a scratch volume on the task\'s own storage (empty at start, gone with the task). On Fargate an empty scratch volume is owned by root: an image that runs as another user can write there only if its Dockerfile declares the path a `VOLUME` it owns. Default: none, and the images keep a writable root filesystem (guardrails AWS-ECS-002, suppressed with the reason).',
  default: [],
});

/** Scratch paths need a read-only root, which ECS Exec cannot run on. */
export function checkScratchPaths(paths: readonly string[], exec: boolean, issue: IssueFn, execPath = 'enableExecuteCommand'): void {
  if (paths.length > 0 && exec) issue('scratchPaths', `has no effect with ${execPath} true (ECS Exec's agent writes to the root filesystem, which scratch paths make read-only); turn ${execPath} off or remove scratchPaths`);
}

// ----- guardrails ----------------------------------------------------------------------------

/** A production-gate rule id, as the acceptances name it. */
const RULE_ID = /^AWS-[A-Z0-9]+-\d{3}$/;

/**
 * `guardrails`: the production gate's acceptances. A production-gate finding (what only the user
 * can give: a certificate or domain, an alarm recipient) holds `npm run deploy` of a production
 * environment until the setting is given or the finding is accepted here with a written reason,
 * which every synth summary then shows.
 */
export const guardrailsField = s.object(
  {
    accept: s.record(s.string({ minLength: MIN_REASON, expected: 'a written reason', description: 'Why the environment may run with this finding open.' }), {
      key: { pattern: RULE_ID, expected: 'a guardrails rule id such as "AWS-SNS-004"' },
      description: 'Production-gate findings accepted, by rule id, each with a written reason (at least 20 characters): `{ "AWS-SNS-004": "alarms are read in the account\'s central monitoring" }`. The deploy command then applies the environment; every synth summary shows the finding as accepted with the reason. Only gate rules can be accepted (docs/guardrails.md lists them).',
      default: {},
    }),
  },
  { description: 'The production gate: which of its findings this stack accepts, and why.' },
);

/**
 * `profile`: which defaults the stack starts from. `standard` is the design document's system as
 * built for production; `lean` the same capability at the lowest cost that stays safe to run (what
 * it gives up is listed in docs/cost.md). Every setting written beside it still wins.
 */
export const profileField = s.oneOf(PROFILES, {
  expected: 'a cost profile',
  description:
    'The defaults the stack starts from: "standard" (the design document\'s system, built for production) or "lean" (the same capability at the lowest cost that stays safe to run; what it gives up is in docs/cost.md). Settings written beside it still win.',
  default: 'standard',
});

/**
 * A WAF web ACL in front of an internet-facing endpoint: AWS managed rule groups, a per-IP rate
 * limit, and request logs (`aws-waf-logs-<name>`, credentials headers redacted). `enabledByDefault`
 * (or the stack's own defaults, when undefined) and the description say where it is on.
 */
export function waf(description: string, enabledByDefault?: boolean) {
  return s.object(
    {
      enabled: s.boolean({ description: 'Create the web ACL and attach it to the endpoint (about 8 USD a month plus 0.60 per million requests).', ...(enabledByDefault === undefined ? {} : { default: enabledByDefault }) }),
      rateLimitPer5Min: s.number({ min: 100, max: 2000000000, unit: 'requests', description: 'Requests one IP may send in 5 minutes before it is blocked.', default: 2000 }),
      managedRuleGroups: s.array(s.oneOf(Object.keys(MANAGED_RULE_GROUP_WCU), { expected: 'an AWS managed rule group' }), { unique: true, plural: 'managed rule groups', description: 'AWS managed rule groups.', default: [...DEFAULT_MANAGED_RULE_GROUPS] }),
      logging: s.boolean({ description: 'Log every request the web ACL evaluates, with the rule that decided it, to the CloudWatch log group `aws-waf-logs-<name>` (the authorization, cookie and x-api-key headers redacted; about 0.50 USD per GB).', default: true }),
      logRetentionDays: s.number({ min: 1, max: 3653, unit: 'days', description: 'Days the request logs are kept (a CloudWatch retention period).', default: 30 }),
    },
    { description },
  );
}

/** The `WebAcl` options of a `waf` setting, or undefined when it is off. */
export function wafOptions(w: Static<ReturnType<typeof waf>>): { managedRuleGroups: string[]; rateLimitPer5Min: number; logging?: { retentionDays: number } } | undefined {
  if (!w.enabled) return undefined;
  return { managedRuleGroups: [...w.managedRuleGroups], rateLimitPer5Min: w.rateLimitPer5Min, logging: w.logging ? { retentionDays: w.logRetentionDays } : undefined };
}
