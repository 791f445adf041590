/**
 * Settings of the three artwork-matcher stacks. Defaults are document 004's values, per
 * environment; see the README's artwork-matcher section for where the document is fixed.
 */
import { s } from '../../src/settings';
import { CapacityProviderStrategyItem, NVIDIA_X86_FAMILIES } from '../../src/ecs-cluster';
import { FARGATE_SIZES } from '../../src/ecs-service';
import type { NatStrategy } from '../../src/vpc';
import { RETENTION_DAYS } from '../../src/core/naming';

export const ARTWORK_ENVIRONMENTS = ['demo', 'staging', 'production'] as const;
export type ArtworkEnvironment = (typeof ARTWORK_ENVIRONMENTS)[number];
export const ARTWORK_SERVICES = ['gateway', 'embeddings', 'search', 'geometric'] as const;
export type ArtworkServiceName = (typeof ARTWORK_SERVICES)[number];

/**
 * One microservice: its task size, capacity and the document's autoscaling row. Defaults are per
 * service (gateway / embeddings / search / geometric), from `artworkMatcherDefaults`.
 */
export interface ArtworkServiceSettings {
  /**
   * Task CPU units (a Fargate size unless `gpu`).
   * @default 256 / 1024 / 512 / 512; production 512 / 3072 / 2048 / 1024
   */
  readonly cpu: number;
  /**
   * Task memory (MiB).
   * @default 512 / 4096 / 1024 / 1024; production 1024 / 12288 / 8192 / 2048
   */
  readonly memoryMiB: number;
  /**
   * Tasks at creation; autoscaling owns the count afterwards.
   * @default the service's minCapacity
   */
  readonly desiredCount: number;
  /**
   * Autoscaling floor (the document's "Min Instances").
   * @default 2 / 1 / 2 / 1
   */
  readonly minCapacity: number;
  /**
   * Autoscaling ceiling (the document's "Max Instances").
   * @default 20 / 10 / 8 / 20
   */
  readonly maxCapacity: number;
  /**
   * Target average CPU, percent.
   * @default 60 / 70 / 80 / 70
   */
  readonly cpuTarget: number;
  /**
   * Target average memory, percent.
   * @default 70 / 80 / 70 / 80
   */
  readonly memoryTarget: number;
  /**
   * ALB requests per task per minute to hold; 0 turns request-count scaling off (only the
   * gateway is behind the ALB).
   * @default 500 / 0 / 0 / 0
   */
  readonly requestsPerTarget: number;
  /**
   * Seconds between scale-ins.
   * @default 300 / 600 / 600 / 180
   */
  readonly scaleInCooldownSec: number;
  /**
   * Seconds between scale-outs.
   * @default 60 / 120 / 180 / 30
   */
  readonly scaleOutCooldownSec: number;
  /**
   * Run on the GPU capacity provider (EC2 g4dn) with one GPU per task instead of Fargate.
   * @default true for embeddings in production, false otherwise
   */
  readonly gpu: boolean;
  /**
   * Fargate capacity provider strategy (ignored with `gpu`).
   * @default FARGATE weight 100 base 1; geometric: FARGATE_SPOT 80 + FARGATE 20 base 1
   */
  readonly capacityProviderStrategy: CapacityProviderStrategyItem[];
  /**
   * Extra environment variables (the document's are always set).
   * @default {}
   */
  readonly environment: Record<string, string>;
}

export interface ArtworkMatcherSettings {
  /** @default "eu-west-1" */
  readonly region: string;
  /** @default "10.0.0.0/16" */
  readonly vpcCidr: string;
  /**
   * Pinned availability zones (must belong to `region`).
   * @default - the first `azCount` zones of the region, looked up at plan time
   */
  readonly availabilityZones?: string[];
  /** @default 2 */
  readonly azCount: number;
  /** @default "single" in demo, "perAz" in staging and production */
  readonly natGateways: NatStrategy;
  /** Retention of `/ecs/artwork-matcher-<env>`. @default 30 in production, 7 elsewhere */
  readonly logRetentionDays: number;
  /** Image tag deployed from each repository. @default "latest" */
  readonly imageTag: string;
  /** ECR repositories. @default see each field */
  readonly ecr: {
    /**
     * Create the `artwork-matcher/<service>` repositories. The names are shared by all
     * environments, so one creates them and the others look them up (apply demo first). With one
     * account per environment, set it true everywhere.
     * @default true in demo, false in staging and production
     */
    readonly create: boolean;
    /** @default "MUTABLE" (the document pushes `:latest`) */
    readonly imageTagMutability: 'MUTABLE' | 'IMMUTABLE';
    /** Images kept per repository. @default 30 */
    readonly keepImages: number;
  };
  /** The public load balancer. @default see each field */
  readonly alb: {
    /** Clients allowed to reach the ALB. @default ["0.0.0.0/0"] */
    readonly allowedCidrs: string[];
    /** ACM certificate for HTTPS (HTTP then redirects). @default - HTTP only */
    readonly certificateArn?: string;
    /** @default true in production, false elsewhere */
    readonly deletionProtection: boolean;
    /** Gateway health check path. @default "/health" */
    readonly healthCheckPath: string;
  };
  /** GPU capacity (used by services with `gpu`). @default see each field */
  readonly gpu: {
    /** @default ["g4dn.xlarge"] */
    readonly instanceTypes: string[];
    /** @default 1 */
    readonly minSize: number;
    /** At least the GPU services' maxCapacity (one GPU task per g4dn.xlarge). @default 10 */
    readonly maxSize: number;
    /** Pinned ECS GPU AMI. @default - the public SSM parameter, at plan time */
    readonly amiId?: string;
    /** Spot instances (the document marks embeddings "careful" for spot). @default false */
    readonly spot: boolean;
  };
  /** The four services. @default the document's values, see `ArtworkServiceSettings` */
  readonly services: Record<ArtworkServiceName, ArtworkServiceSettings>;
  /** The document's 08:00 / 19:00 UTC scheduled actions. @default true in production only */
  readonly scheduledScaling: boolean;
  /** Alarms and dashboard. @default see each field */
  readonly monitoring: {
    /** E-mail subscribed to the alarm topic. @default - none */
    readonly alarmEmail?: string;
    /** P99 latency alarm threshold, seconds. @default 2 */
    readonly latencyThresholdSec: number;
    /** 5xx error-rate alarm threshold, percent. @default 5 */
    readonly errorRatePercent: number;
  };
  /** ECS Exec on every service. @default false */
  readonly enableExecuteCommand: boolean;
  /** Extra default tags. @default {} */
  readonly tags: Record<string, string>;
}

const fargate = (weight = 100, base = 1): CapacityProviderStrategyItem[] => [{ capacityProvider: 'FARGATE', weight, base }];

/** The document's values for one environment. */
export function artworkMatcherDefaults(env: ArtworkEnvironment): ArtworkMatcherSettings {
  const production = env === 'production';
  const service = (o: Partial<ArtworkServiceSettings> & Pick<ArtworkServiceSettings, 'cpu' | 'memoryMiB' | 'minCapacity' | 'maxCapacity' | 'cpuTarget' | 'memoryTarget' | 'scaleInCooldownSec' | 'scaleOutCooldownSec'>): ArtworkServiceSettings => ({
    desiredCount: o.minCapacity,
    requestsPerTarget: 0,
    gpu: false,
    capacityProviderStrategy: fargate(),
    environment: {},
    ...o,
  });
  return {
    region: 'eu-west-1',
    vpcCidr: '10.0.0.0/16',
    azCount: 2,
    natGateways: env === 'demo' ? 'single' : 'perAz',
    logRetentionDays: production ? 30 : 7,
    imageTag: 'latest',
    ecr: { create: env === 'demo', imageTagMutability: 'MUTABLE', keepImages: 30 },
    alb: { allowedCidrs: ['0.0.0.0/0'], deletionProtection: production, healthCheckPath: '/health' },
    gpu: { instanceTypes: ['g4dn.xlarge'], minSize: 1, maxSize: 10, spot: false },
    services: {
      // Sizes: demo/staging use the document's main.tf; production uses the strategy table's
      // instance column (gateway 256-1024, search 2048+, geometric 512-2048, embeddings on g4dn.xlarge).
      gateway: service({
        cpu: production ? 512 : 256, memoryMiB: production ? 1024 : 512,
        minCapacity: 2, maxCapacity: 20, cpuTarget: 60, memoryTarget: 70, requestsPerTarget: 500, scaleInCooldownSec: 300, scaleOutCooldownSec: 60,
      }),
      embeddings: service({
        cpu: production ? 3072 : 1024, memoryMiB: production ? 12288 : 4096, gpu: production,
        minCapacity: 1, maxCapacity: 10, cpuTarget: 70, memoryTarget: 80, scaleInCooldownSec: 600, scaleOutCooldownSec: 120,
      }),
      search: service({
        cpu: production ? 2048 : 512, memoryMiB: production ? 8192 : 1024,
        minCapacity: 2, maxCapacity: 8, cpuTarget: 80, memoryTarget: 70, scaleInCooldownSec: 600, scaleOutCooldownSec: 180,
      }),
      geometric: service({
        cpu: production ? 1024 : 512, memoryMiB: production ? 2048 : 1024,
        minCapacity: 1, maxCapacity: 20, cpuTarget: 70, memoryTarget: 80, scaleInCooldownSec: 180, scaleOutCooldownSec: 30,
        capacityProviderStrategy: [
          { capacityProvider: 'FARGATE_SPOT', weight: 80, base: 0 },
          { capacityProvider: 'FARGATE', weight: 20, base: 1 },
        ],
      }),
    },
    scheduledScaling: production,
    monitoring: { latencyThresholdSec: 2, errorRatePercent: 5 },
    enableExecuteCommand: false,
    tags: {},
  };
}

const strategyItem = s.object<CapacityProviderStrategyItem>({
  capacityProvider: s.oneOf(['FARGATE', 'FARGATE_SPOT'], 'a Fargate capacity provider'),
  weight: s.number({ min: 0, max: 1000 }),
  base: s.optional(s.number({ min: 0, max: 100000 })),
});

const serviceSchema = s.object<ArtworkServiceSettings>(
  {
    cpu: s.number({ min: 128, max: 16384, unit: 'CPU units' }),
    memoryMiB: s.number({ min: 128, max: 122880, unit: 'MiB' }),
    desiredCount: s.number({ min: 0, max: 1000 }),
    minCapacity: s.number({ min: 0, max: 1000 }),
    maxCapacity: s.number({ min: 1, max: 1000 }),
    cpuTarget: s.number({ min: 1, max: 100, unit: 'percent' }),
    memoryTarget: s.number({ min: 1, max: 100, unit: 'percent' }),
    requestsPerTarget: s.number({ min: 0, max: 1000000 }),
    scaleInCooldownSec: s.number({ min: 0, max: 86400, unit: 'seconds' }),
    scaleOutCooldownSec: s.number({ min: 0, max: 86400, unit: 'seconds' }),
    gpu: s.boolean(),
    capacityProviderStrategy: s.array(strategyItem, { minLength: 1, maxLength: 2 }),
    environment: s.record(s.string({ maxLength: 4096 }), { key: s.string({ pattern: /^[A-Za-z_][A-Za-z0-9_]*$/, describe: 'an environment variable name' }) }),
  },
  (v, issue) => {
    if (!v.gpu) {
      const memories = FARGATE_SIZES[v.cpu];
      if (!memories) issue('cpu', `${v.cpu} is not a Fargate CPU size; allowed: ${Object.keys(FARGATE_SIZES).join(', ')}`);
      else if (!memories.includes(v.memoryMiB)) issue('memoryMiB', `${v.memoryMiB} is not valid with ${v.cpu} CPU units on Fargate; allowed: ${memories.join(', ')}`);
    }
    if (v.minCapacity > v.maxCapacity) issue('minCapacity', `${v.minCapacity} is above maxCapacity ${v.maxCapacity}`);
    else if (v.desiredCount < v.minCapacity || v.desiredCount > v.maxCapacity) {
      issue('desiredCount', `${v.desiredCount} is outside minCapacity..maxCapacity; allowed: ${v.minCapacity} to ${v.maxCapacity}`);
    }
    if (v.capacityProviderStrategy.filter((i) => (i.base ?? 0) > 0).length > 1) issue('capacityProviderStrategy', 'sets "base" on more than one provider; ECS allows one');
    if (v.capacityProviderStrategy.every((i) => i.weight === 0)) issue('capacityProviderStrategy', 'has only zero weights; at least one weight must be positive');
  },
);

export const artworkMatcherSchema = s.object<ArtworkMatcherSettings>(
  {
    region: s.region(),
    vpcCidr: s.cidr(),
    availabilityZones: s.optional(s.array(s.string({ pattern: /^[a-z]{2}(-gov)?-[a-z]+-\d[a-z]$/, describe: 'an availability zone such as "eu-west-1a"' }), { minLength: 2, maxLength: 6, unique: true })),
    azCount: s.number({ min: 2, max: 6 }),
    natGateways: s.oneOf<NatStrategy>(['none', 'single', 'perAz'], 'a NAT strategy'),
    logRetentionDays: s.oneOf(RETENTION_DAYS, 'a CloudWatch retention in days'),
    imageTag: s.string({ pattern: /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/, describe: 'an image tag' }),
    ecr: s.object({
      create: s.boolean(),
      imageTagMutability: s.oneOf<'MUTABLE' | 'IMMUTABLE'>(['MUTABLE', 'IMMUTABLE']),
      keepImages: s.number({ min: 1, max: 10000 }),
    }),
    alb: s.object({
      allowedCidrs: s.array(s.cidr(), { minLength: 1, unique: true }),
      certificateArn: s.optional(s.arn('acm')),
      deletionProtection: s.boolean(),
      healthCheckPath: s.string({ pattern: /^\/[^\s]*$/, describe: 'a path starting with "/"' }),
    }),
    gpu: s.object(
      {
        instanceTypes: s.array(
          s.string({ pattern: new RegExp(`^(${NVIDIA_X86_FAMILIES.join('|')})\\.[a-z0-9]+$`), describe: `an x86 NVIDIA GPU instance type such as "g4dn.xlarge" (${NVIDIA_X86_FAMILIES.join(', ')})` }),
          { minLength: 1, unique: true },
        ),
        minSize: s.number({ min: 0, max: 1000 }),
        maxSize: s.number({ min: 1, max: 1000 }),
        amiId: s.optional(s.string({ pattern: /^ami-[0-9a-f]{8,17}$/, describe: 'an AMI id such as "ami-0123456789abcdef0"' })),
        spot: s.boolean(),
      },
      (v, issue) => {
        if (v.minSize > v.maxSize) issue('minSize', `${v.minSize} is above maxSize ${v.maxSize}`);
      },
    ),
    services: s.object<Record<ArtworkServiceName, ArtworkServiceSettings>>({ gateway: serviceSchema, embeddings: serviceSchema, search: serviceSchema, geometric: serviceSchema }),
    scheduledScaling: s.boolean(),
    monitoring: s.object({
      alarmEmail: s.optional(s.email()),
      latencyThresholdSec: s.number({ min: 0.001, max: 3600, integer: false, unit: 'seconds' }),
      errorRatePercent: s.number({ min: 0.001, max: 100, integer: false, unit: 'percent' }),
    }),
    enableExecuteCommand: s.boolean(),
    tags: s.tags(),
  },
  (v, issue) => {
    if (v.natGateways === 'none') {
      issue('natGateways', '"none" leaves the tasks no way to pull images or ship logs (this stack has no interface endpoints); allowed: "single", "perAz"');
    }
    (v.availabilityZones ?? []).forEach((az, i) => {
      if (!az.startsWith(v.region)) issue(`availabilityZones[${i}]`, `${JSON.stringify(az)} is not in region ${JSON.stringify(v.region)}; allowed: zones such as "${v.region}a"`);
    });
    for (const name of ARTWORK_SERVICES) {
      const svc = v.services[name];
      if (svc.gpu && svc.maxCapacity > v.gpu.maxSize) {
        issue(`gpu.maxSize`, `${v.gpu.maxSize} is below services.${name}.maxCapacity ${svc.maxCapacity}; each GPU task needs its own g4dn instance`);
      }
    }
  },
);
