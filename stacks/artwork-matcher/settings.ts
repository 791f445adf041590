/**
 * Settings of the three artwork-matcher stacks. Defaults are document 004's values, per
 * environment; see the README's artwork-matcher section for where the document is fixed.
 */
import { s } from '../settings';
import {
  AlbSettings,
  ApiThrottleSettings,
  apiThrottleSchema,
  checkApiThrottle,
  GpuCapacitySettings,
  NetworkSettings,
  RegistrySettings,
  ScalingSettings,
  TaskSize,
  albFields,
  checkAlb,
  checkFargateSize,
  checkGpuFit,
  checkImageTag,
  checkNetwork,
  checkScaling,
  checkStrategy,
  fargateStrategy,
  gpuCapacity,
  networkFields,
  registryFields,
  scalingFields,
  taskSizeFields,
} from '../settings/shapes';
import type { CapacityProviderStrategyItem } from '../../src/compute/ecs-cluster';
import { DEFAULT_MANAGED_RULE_GROUPS, MANAGED_RULE_GROUP_WCU } from '../../src/edge/waf';

export const ARTWORK_ENVIRONMENTS = ['demo', 'staging', 'production'] as const;
export type ArtworkEnvironment = (typeof ARTWORK_ENVIRONMENTS)[number];
export const ARTWORK_SERVICES = ['gateway', 'embeddings', 'search', 'geometric'] as const;
export type ArtworkServiceName = (typeof ARTWORK_SERVICES)[number];

/**
 * One microservice: its task size, capacity and the document's autoscaling row. Defaults are per
 * service (gateway / embeddings / search / geometric), from `artworkMatcherDefaults`.
 */
export interface ArtworkServiceSettings extends TaskSize, ScalingSettings {
  /**
   * Tasks at creation; autoscaling owns the count afterwards.
   * @default the service's minCapacity
   */
  readonly desiredCount: number;
  /**
   * ALB requests per task per minute to hold; 0 turns request-count scaling off. Only the gateway
   * is behind the load balancer: a value on another service, or with ingress "httpApi", is an error.
   * @default 500 for the gateway behind the load balancer; none elsewhere
   */
  readonly requestsPerTarget?: number;
  /**
   * Run on the GPU capacity provider (EC2 g4dn) with one GPU per task instead of Fargate.
   * @default true for embeddings in production, false otherwise
   */
  readonly gpu: boolean;
  /**
   * Fargate capacity provider strategy (a GPU service uses the GPU provider: setting one there is an error).
   * @default demo: FARGATE_SPOT only; elsewhere FARGATE weight 100 base 1, geometric FARGATE_SPOT 80 + FARGATE 20 base 1
   */
  readonly capacityProviderStrategy?: CapacityProviderStrategyItem[];
  /**
   * Seconds the container health check waits after start: model loading (embeddings) and index
   * loading (search) take minutes.
   * @default 30 / 300 / 180 / 30
   */
  readonly healthCheckStartPeriodSec: number;
  /**
   * Extra environment variables (the document's are always set).
   * @default {}
   */
  readonly environment: Record<string, string>;
}

/** Scale to zero outside working hours. */
export interface OffHoursSettings {
  /** When every service stops: a `cron(...)` expression in `timezone`. @default "cron(0 20 ? * MON-FRI *)" */
  readonly stopSchedule: string;
  /** When they start again with their normal floors. @default "cron(0 7 ? * MON-FRI *)" */
  readonly startSchedule: string;
  /** IANA time zone of both schedules. @default "UTC" */
  readonly timezone: string;
}

export interface ArtworkMatcherSettings {
  /** @default "eu-west-1" */
  readonly region: string;
  /**
   * The AWS account: it qualifies the data bucket name (`<name>-<account>-<region>`); pin it to
   * plan without credentials.
   * @default - looked up at plan time
   */
  readonly accountId?: string;
  /** The VPC. @default 10.0.0.0/16 over 2 zones; a NAT instance in demo, a NAT gateway per zone elsewhere; no interface endpoints */
  readonly network: NetworkSettings;
  /** Retention of `/ecs/artwork-matcher-<env>`. @default 30 in production, 7 elsewhere */
  readonly logRetentionDays: number;
  /**
   * Image tag deployed from each repository. Until it is set, every service exists with 0 tasks
   * (an empty repository would otherwise fail deployment after deployment): apply, push the
   * images, then set the tag and apply again. Production repositories are immutable: use a
   * commit tag, not "latest".
   * @default - none: services at 0 tasks
   */
  readonly imageTag?: string;
  /** ECR repositories `<repositoryPrefix>/<service>`. @default see each field */
  readonly ecr: RegistrySettings & {
    /**
     * Prefix of the repository names. Each environment has its own repositories, so destroying
     * demo never touches production's images. The document's shared `artwork-matcher` is
     * reachable here (with one account per environment).
     * @default "artwork-matcher-<env>"
     */
    readonly repositoryPrefix: string;
  };
  /** The public load balancer. @default see each field */
  readonly alb: AlbSettings & {
    /** Gateway health check path. @default "/health" */
    readonly healthCheckPath: string;
  };
  /** GPU capacity (used by services with `gpu`). @default g4dn.xlarge, 0 to 10 instances, on-demand */
  readonly gpu: GpuCapacitySettings;
  /** The four services. @default the document's values, see `ArtworkServiceSettings` */
  readonly services: Record<ArtworkServiceName, ArtworkServiceSettings>;
  /** The document's 08:00 / 19:00 UTC scheduled actions. @default true in production only */
  readonly scheduledScaling: boolean;
  /**
   * Scale every service to 0 tasks outside working hours (and with it the GPU instances). Not with
   * `scheduledScaling`, whose morning and evening actions would fight it.
   * @default - none: the services run around the clock
   */
  readonly offHours?: OffHoursSettings;
  /**
   * The public endpoint: the Application Load Balancer of the document, or an API Gateway HTTP API
   * reaching the gateway through a VPC link and Cloud Map (HTTPS on its default domain, billed per
   * request: about 32 USD a month less than the load balancer and its addresses; no WAF on it, no
   * request-count scaling, no health-checked routing: a lean demo's choice).
   * @default "alb"
   */
  readonly ingress: 'alb' | 'httpApi';
  /**
   * Container Insights on the cluster (per-task metrics; the task-count alarms compare running
   * with desired tasks). Without it those alarms use the free `CPUUtilization` sample count.
   * @default false in demo (its cost is most of a demo's monitoring), true elsewhere
   */
  readonly containerInsights: boolean;
  /** Alarms and dashboard. @default see each field */
  readonly monitoring: {
    /** E-mail subscribed to the alarm topic. Without it, alarms reach nobody. @default - none */
    readonly alarmEmail?: string;
    /** P99 latency alarm threshold, seconds. @default 2 */
    readonly latencyThresholdSec: number;
    /** 5xx error-rate alarm threshold, percent. @default 5 */
    readonly errorRatePercent: number;
  };
  /**
   * Name of the data bucket.
   * @default "artwork-matcher-<env>-data-<account>-<region>" (the document's `artwork-matcher-<env>-data` is global and taken once)
   */
  readonly dataBucketName?: string;
  /**
   * The search index builder: an ECS task definition (run on demand) that mounts the index file
   * system read-write; the search service mounts it read-only.
   * @default { command: - the search image's own }
   */
  readonly searchIndexer: {
    /** Command that builds the FAISS index into `/data/index`. @default - the image's command */
    readonly command?: string[];
  };
  /** ECS Exec on every service. @default false */
  readonly enableExecuteCommand: boolean;
  /**
   * Days a replaced or deleted object version of the data bucket is kept (its versions are what
   * AWS Backup and accidental-deletion recovery rely on).
   * @default 90
   */
  readonly dataVersionRetentionDays: number;
  /**
   * The public name of the endpoint (the document's "SSL certificate on ALB" and Route 53 box): an
   * ACM certificate validated with DNS records in the hosted zone, an alias record to the load
   * balancer (or to CloudFront with `cloudfront`), HTTP redirected to HTTPS. Instead of
   * `alb.certificateArn`.
   * @default - none: the load balancer's own DNS name, HTTPS only with `alb.certificateArn`
   */
  readonly domain?: DomainSettings;
  /** A WAF web ACL in front of the endpoint (the checklist's "WAF for API protection"). @default on in production */
  readonly waf: WafSettings;
  /** AWS Backup of the EFS index and the data bucket (the checklist's "backup strategy for S3/EFS"). @default on in production */
  readonly backup: BackupSettings;
  /** A monthly cost budget for this environment (the checklist's "cost monitoring with budgets"). @default on, at the document's tier figure */
  readonly budget: BudgetSettings;
  /**
   * The role a GitHub Actions workflow deploys with (`examples/github-actions/deploy-artwork-matcher.yml`,
   * the checklist's "CI/CD pipeline"): OpenID Connect, no stored keys. Needs remote state.
   * @default - none
   */
  readonly cicd?: CicdSettings;
  /** CloudFront in front of the load balancer (the document's tier 3). @default off */
  readonly cloudfront: CloudFrontSettings;
  /** A Redis-compatible cache for the gateway (the document's ElastiCache box, tier 3). @default off */
  readonly cache: CacheSettings;
  /**
   * Throttling of the HTTP API (`ingress: "httpApi"` only; requests beyond it get 429): a ceiling
   * on what a flood costs an API open to everyone, as the document's gateway is.
   * @default 100 burst, 50 requests per second
   */
  readonly httpApiThrottle?: ApiThrottleSettings;
  /** Extra default tags. @default {} */
  readonly tags: Record<string, string>;
}

/** A public name and the hosted zone it lives in. */
export interface DomainSettings {
  /** The name clients call, e.g. `artwork.example.com` (a subdomain of the zone, or its apex). */
  readonly name: string;
  /** Id of the Route 53 public hosted zone (`Z...`). */
  readonly hostedZoneId: string;
}

/** A web ACL with AWS managed rule groups and a per-IP rate limit. */
export interface WafSettings {
  /** Create it and attach it to the load balancer (or CloudFront). @default true in production */
  readonly enabled: boolean;
  /** Requests one IP may send in 5 minutes before it is blocked. @default 2000 */
  readonly rateLimitPer5Min: number;
  /** AWS managed rule groups. @default ["AWSManagedRulesCommonRuleSet", "AWSManagedRulesKnownBadInputsRuleSet", "AWSManagedRulesAmazonIpReputationList"] */
  readonly managedRuleGroups: string[];
}

/** Daily backups into an encrypted vault. */
export interface BackupSettings {
  /** Back up the EFS index and the data bucket with AWS Backup. @default true in production */
  readonly enabled: boolean;
  /** When: a `cron(...)` expression in UTC. @default "cron(0 3 * * ? *)" */
  readonly schedule: string;
  /** Days each recovery point is kept. @default 35 */
  readonly retentionDays: number;
}

/** A monthly cost budget filtered by this stack's `Stack` tag. */
export interface BudgetSettings {
  /** Create the budget (AWS Budgets: the first two per account are free). @default true */
  readonly enabled: boolean;
  /** Monthly limit in USD. @default 100 in demo, 500 in staging, 1500 in production (the document's tiers) */
  readonly monthlyLimitUsd: number;
  /** E-mail addresses told at 80 % forecast and 100 % actual (the alarm topic is always told). @default [] */
  readonly emails: string[];
}

/** Who may deploy from GitHub Actions. */
export interface CicdSettings {
  /** The repository, `owner/name`. */
  readonly githubRepository: string;
  /** Branches whose workflows may deploy. @default ["main"] */
  readonly branches?: string[];
  /** GitHub environments whose jobs may deploy. @default [] */
  readonly environments?: string[];
  /**
   * The account's GitHub OIDC provider, when another stack already created it (one per account).
   * @default - created here
   */
  readonly oidcProviderArn?: string;
}

/** CloudFront in front of the load balancer. */
export interface CloudFrontSettings {
  /** Put CloudFront in front; the load balancer then accepts CloudFront's addresses only. @default false */
  readonly enabled: boolean;
  /** Edge locations: `PriceClass_100`, `PriceClass_200` or `PriceClass_All`. @default "PriceClass_100" */
  readonly priceClass: 'PriceClass_100' | 'PriceClass_200' | 'PriceClass_All';
  /** Path patterns CloudFront caches (the document names no static path; `/identify` is a POST and never cached). @default [] */
  readonly cachedPathPatterns: string[];
  /** Pinned id of the region's CloudFront origin-facing prefix list. @default - looked up at plan time */
  readonly originFacingPrefixListId?: string;
  /**
   * CloudFront sends a secret header (`X-Origin-Verify`) the load balancer requires, answering 403
   * without it: the prefix list admits every CloudFront distribution, someone else's included. The
   * value is the sensitive variable `cloudfront_origin_secret` (at least 32 characters, e.g.
   * `openssl rand -hex 32`), never in the configuration.
   * @default true
   */
  readonly originVerify: boolean;
}

/** A Redis-compatible cache the gateway reaches at `GATEWAY__CACHE__URL`. */
export interface CacheSettings {
  /** Create it. @default false */
  readonly enabled: boolean;
  /** `valkey` (20 % cheaper, Redis-compatible) or `redis`. @default "valkey" */
  readonly engine: 'valkey' | 'redis';
  /** Node type. @default "cache.t4g.micro" */
  readonly nodeType: string;
  /** Read replicas (1 or more adds automatic failover across zones). @default 0, 1 in production */
  readonly replicas: number;
}

/** The document's values for one environment. */
export function artworkMatcherDefaults(env: ArtworkEnvironment): ArtworkMatcherSettings {
  const production = env === 'production';
  // The demo tier costs what the document says (50-100 USD a month, README): one task per
  // service, all on Fargate Spot (the services are stateless; an interruption is a two-minute gap
  // in a demo), a NAT instance instead of a NAT gateway, no Container Insights (the dashboard and
  // alarms use the free ECS metrics). Staging and production keep the document's values.
  const demo = env === 'demo';
  const demoSpot = [{ capacityProvider: 'FARGATE_SPOT' as const, weight: 1, base: 0 }];
  const service = (
    o: Partial<ArtworkServiceSettings> &
      Pick<ArtworkServiceSettings, 'cpu' | 'memoryMiB' | 'minCapacity' | 'maxCapacity' | 'cpuTarget' | 'memoryTarget' | 'scaleInCooldownSec' | 'scaleOutCooldownSec' | 'healthCheckStartPeriodSec'>,
  ): ArtworkServiceSettings => ({
    desiredCount: o.minCapacity,
    gpu: false,
    environment: {},
    ...o,
    capacityProviderStrategy: o.gpu ? undefined : demo ? demoSpot : o.capacityProviderStrategy ?? [{ capacityProvider: 'FARGATE', weight: 100, base: 1 }],
  });
  return {
    region: 'eu-west-1',
    network: { vpcCidr: '10.0.0.0/16', azCount: 2, natGateways: demo ? 'instance' : 'perAz', interfaceEndpoints: [] },
    logRetentionDays: production ? 30 : 7,
    ecr: { repositoryPrefix: `artwork-matcher-${env}`, imageTagMutability: production ? 'IMMUTABLE' : 'MUTABLE', keepImages: 30, untaggedExpiryDays: 7 },
    alb: { allowedCidrs: ['0.0.0.0/0'], tls13Only: false, deletionProtection: production, healthCheckPath: '/health' },
    gpu: { instanceTypes: ['g4dn.xlarge'], minSize: 0, maxSize: 10, spot: false, onDemandBaseCapacity: 0 },
    services: {
      // Sizes: demo/staging use the document's main.tf; production uses the strategy table's
      // instance column (gateway 256-1024, search 2048+, geometric 512-2048, embeddings on g4dn.xlarge).
      gateway: service({
        cpu: production ? 512 : 256, memoryMiB: production ? 1024 : 512, healthCheckStartPeriodSec: 30,
        minCapacity: demo ? 1 : 2, maxCapacity: 20, cpuTarget: 60, memoryTarget: 70, scaleInCooldownSec: 300, scaleOutCooldownSec: 60,
      }),
      embeddings: service({
        cpu: production ? 3072 : 1024, memoryMiB: production ? 12288 : 4096, gpu: production, healthCheckStartPeriodSec: 300,
        minCapacity: 1, maxCapacity: 10, cpuTarget: 70, memoryTarget: 80, scaleInCooldownSec: 600, scaleOutCooldownSec: 120,
      }),
      search: service({
        cpu: production ? 2048 : 512, memoryMiB: production ? 8192 : 1024, healthCheckStartPeriodSec: 180,
        minCapacity: demo ? 1 : 2, maxCapacity: 8, cpuTarget: 80, memoryTarget: 70, scaleInCooldownSec: 600, scaleOutCooldownSec: 180,
      }),
      geometric: service({
        cpu: production ? 1024 : 512, memoryMiB: production ? 2048 : 1024, healthCheckStartPeriodSec: 30,
        minCapacity: 1, maxCapacity: 20, cpuTarget: 70, memoryTarget: 80, scaleInCooldownSec: 180, scaleOutCooldownSec: 30,
        capacityProviderStrategy: [
          { capacityProvider: 'FARGATE_SPOT', weight: 80, base: 0 },
          { capacityProvider: 'FARGATE', weight: 20, base: 1 },
        ],
      }),
    },
    scheduledScaling: production,
    ingress: 'alb',
    containerInsights: !demo,
    monitoring: { latencyThresholdSec: 2, errorRatePercent: 5 },
    searchIndexer: {},
    enableExecuteCommand: false,
    dataVersionRetentionDays: 90,
    waf: { enabled: production, rateLimitPer5Min: 2000, managedRuleGroups: [...DEFAULT_MANAGED_RULE_GROUPS] },
    backup: { enabled: production, schedule: 'cron(0 3 * * ? *)', retentionDays: 35 },
    budget: { enabled: true, monthlyLimitUsd: { demo: 100, staging: 500, production: 1500 }[env], emails: [] },
    cloudfront: { enabled: false, priceClass: 'PriceClass_100', cachedPathPatterns: [], originVerify: true },
    cache: { enabled: false, engine: 'valkey', nodeType: 'cache.t4g.micro', replicas: production ? 1 : 0 },
    tags: {},
  };
}

const cronSchedule = () => s.string({ pattern: /^cron\(\S+ \S+ \S+ \S+ \S+ \S+\)$/, describe: 'a six-field cron expression such as "cron(0 20 ? * MON-FRI *)"' });

const serviceSchema = s.object<ArtworkServiceSettings>({
  ...taskSizeFields,
  ...scalingFields,
  desiredCount: s.number({ min: 0, max: 1000 }),
  requestsPerTarget: s.optional(s.number({ min: 0, max: 1000000 })),
  gpu: s.boolean(),
  capacityProviderStrategy: s.optional(fargateStrategy()),
  healthCheckStartPeriodSec: s.number({ min: 0, max: 300, unit: 'seconds' }),
  environment: s.environmentVariables(),
});

export const artworkMatcherSchema = s.object<ArtworkMatcherSettings>(
  {
    region: s.region(),
    accountId: s.optional(s.accountId()),
    network: s.object<NetworkSettings>(networkFields),
    logRetentionDays: s.retentionDays(),
    imageTag: s.optional(s.imageTag()),
    ecr: s.object({ ...registryFields, repositoryPrefix: s.string({ pattern: /^[a-z0-9]+(?:[._-][a-z0-9]+)*(?:\/[a-z0-9]+(?:[._-][a-z0-9]+)*)*$/, describe: 'an ECR repository path prefix (lowercase letters, digits, ".", "_", "-" and "/")', maxLength: 200 }) }),
    alb: s.object({ ...albFields, healthCheckPath: s.string({ pattern: /^\/[^\s]*$/, describe: 'a path starting with "/"' }) }),
    gpu: gpuCapacity(),
    services: s.object<Record<ArtworkServiceName, ArtworkServiceSettings>>({ gateway: serviceSchema, embeddings: serviceSchema, search: serviceSchema, geometric: serviceSchema }),
    scheduledScaling: s.boolean(),
    offHours: s.optional(
      s.object<OffHoursSettings>({
        stopSchedule: cronSchedule(),
        startSchedule: cronSchedule(),
        timezone: s.string({ pattern: /^[A-Za-z_]+(\/[A-Za-z0-9_+-]+)*$/, describe: 'an IANA time zone such as "Europe/Paris"' }),
      }),
    ),
    ingress: s.oneOf<'alb' | 'httpApi'>(['alb', 'httpApi'], 'an ingress'),
    containerInsights: s.boolean(),
    monitoring: s.object({
      alarmEmail: s.optional(s.email()),
      latencyThresholdSec: s.number({ min: 0.001, max: 3600, integer: false, unit: 'seconds' }),
      errorRatePercent: s.number({ min: 0.001, max: 100, integer: false, unit: 'percent' }),
    }),
    dataBucketName: s.optional(s.bucketName()),
    searchIndexer: s.object({ command: s.optional(s.array(s.string({ minLength: 1 }), { minLength: 1, plural: 'command words' })) }),
    enableExecuteCommand: s.boolean(),
    dataVersionRetentionDays: s.number({ min: 1, max: 3650, unit: 'days' }),
    domain: s.optional(
      s.object<DomainSettings>({
        name: s.string({ pattern: /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, describe: 'a lowercase DNS name such as "artwork.example.com"' }),
        hostedZoneId: s.string({ pattern: /^Z[A-Z0-9]{1,31}$/, describe: 'a Route 53 hosted zone id such as "Z0123456789ABCDEFGHIJ"' }),
      }),
    ),
    waf: s.object<WafSettings>({
      enabled: s.boolean(),
      rateLimitPer5Min: s.number({ min: 100, max: 2000000000, unit: 'requests' }),
      managedRuleGroups: s.array(s.oneOf(Object.keys(MANAGED_RULE_GROUP_WCU), 'an AWS managed rule group'), { unique: true, plural: 'managed rule groups' }),
    }),
    backup: s.object<BackupSettings>({ enabled: s.boolean(), schedule: cronSchedule(), retentionDays: s.number({ min: 1, max: 36500, unit: 'days' }) }),
    budget: s.object<BudgetSettings>({ enabled: s.boolean(), monthlyLimitUsd: s.number({ min: 1, max: 10000000, integer: false, unit: 'USD' }), emails: s.array(s.email(), { unique: true, maxLength: 10, plural: 'e-mail addresses' }) }),
    cicd: s.optional(
      s.object<CicdSettings>({
        githubRepository: s.string({ pattern: /^[A-Za-z0-9][A-Za-z0-9-]{0,38}\/[A-Za-z0-9._-]{1,100}$/, describe: 'a GitHub repository "owner/name"' }),
        branches: s.optional(s.array(s.string({ pattern: /^[A-Za-z0-9._/-]{1,255}$/, describe: 'a branch name (no wildcards)' }), { unique: true, plural: 'branches' })),
        environments: s.optional(s.array(s.string({ pattern: /^[A-Za-z0-9._ -]{1,255}$/, describe: 'a GitHub environment name (no wildcards)' }), { unique: true, plural: 'environments' })),
        oidcProviderArn: s.optional(s.string({ pattern: /^arn:aws(-cn|-us-gov)?:iam::\d{12}:oidc-provider\/token\.actions\.githubusercontent\.com$/, describe: 'the ARN of the account\'s GitHub OIDC provider (arn:aws:iam::<account>:oidc-provider/token.actions.githubusercontent.com)' })),
      }),
    ),
    cloudfront: s.object<CloudFrontSettings>({
      enabled: s.boolean(),
      priceClass: s.oneOf<CloudFrontSettings['priceClass']>(['PriceClass_100', 'PriceClass_200', 'PriceClass_All'], 'a CloudFront price class'),
      cachedPathPatterns: s.array(s.string({ pattern: /^\/[A-Za-z0-9_.\-/*?]*$/, describe: 'a CloudFront path pattern such as "/static/*"' }), { unique: true, maxLength: 24, plural: 'path patterns' }),
      originFacingPrefixListId: s.optional(s.string({ pattern: /^pl-[0-9a-f]{8,17}$/, describe: 'a managed prefix list id such as "pl-0123456789abcdef0"' })),
      originVerify: s.boolean(),
    }),
    cache: s.object<CacheSettings>({
      enabled: s.boolean(),
      engine: s.oneOf<'valkey' | 'redis'>(['valkey', 'redis'], 'a cache engine'),
      nodeType: s.string({ pattern: /^cache\.[a-z0-9]+\.[a-z0-9]+$/, describe: 'an ElastiCache node type such as "cache.t4g.micro"' }),
      replicas: s.number({ min: 0, max: 5 }),
    }),
    httpApiThrottle: s.optional(apiThrottleSchema),
    tags: s.tags(),
  },
  (v, issue) => {
    checkApiThrottle(v.httpApiThrottle, issue, 'httpApiThrottle', false);
    if (v.ingress === 'alb' && v.httpApiThrottle) issue('httpApiThrottle', 'has no effect with ingress "alb" (there is no HTTP API; waf.rateLimitPer5Min limits clients of the load balancer); remove it or use ingress "httpApi"');
    // Fargate tasks pull from ECR and ship logs: without NAT they need the endpoints.
    checkNetwork(v.network, v.region, issue, { minZones: 2, needs: ['ecr.api', 'ecr.dkr', 's3', 'logs'], prefix: 'network' });
    checkAlb(v.alb, issue);
    if (v.offHours && v.scheduledScaling) issue('offHours', 'and scheduledScaling both schedule the services; their actions would undo each other: set scheduledScaling false or remove offHours');
    if (v.offHours && v.offHours.stopSchedule === v.offHours.startSchedule) issue('offHours.startSchedule', 'is the same as stopSchedule; give two different times');
    if (v.ingress === 'httpApi' && v.alb.certificateArn) issue('alb.certificateArn', 'has no effect with ingress "httpApi" (the API serves HTTPS on its own domain); remove it or use ingress "alb"');
    if (v.ingress === 'httpApi') {
      // Each of these needs the load balancer (WAF cannot protect an HTTP API).
      if (v.domain) issue('domain', 'needs ingress "alb" (the HTTP API answers on its own execute-api domain)');
      if (v.waf.enabled) issue('waf.enabled', 'true needs ingress "alb": AWS WAF cannot be attached to an HTTP API; set it false or use ingress "alb"');
      if (v.cloudfront.enabled) issue('cloudfront.enabled', 'true needs ingress "alb" (CloudFront is put in front of the load balancer)');
      // Load balancer settings that would be silently ignored without one.
      if (JSON.stringify(v.alb.allowedCidrs) !== JSON.stringify(['0.0.0.0/0'])) issue('alb.allowedCidrs', 'has no effect with ingress "httpApi" (there is no load balancer; the API is public, throttled by httpApiThrottle); remove it or use ingress "alb"');
      if (v.alb.tls13Only) issue('alb.tls13Only', 'has no effect with ingress "httpApi" (API Gateway chooses its TLS policy); remove it or use ingress "alb"');
      if (v.alb.healthCheckPath !== '/health') issue('alb.healthCheckPath', `${JSON.stringify(v.alb.healthCheckPath)} has no effect with ingress "httpApi" (there is no target group to check); remove it or use ingress "alb"`);
    }
    if (v.domain && v.alb.certificateArn) issue('domain', 'and alb.certificateArn both give the endpoint a certificate; keep one');
    if (v.cloudfront.enabled && v.alb.certificateArn) issue('alb.certificateArn', 'with cloudfront: CloudFront reaches the load balancer over HTTP inside its prefix list; give the name to CloudFront with domain instead');
    if (v.cloudfront.enabled && JSON.stringify(v.alb.allowedCidrs) !== JSON.stringify(['0.0.0.0/0'])) issue('alb.allowedCidrs', 'has no effect with cloudfront (the load balancer accepts CloudFront\'s addresses only); remove it');
    if (!v.cloudfront.enabled && (v.cloudfront.cachedPathPatterns.length > 0 || v.cloudfront.originFacingPrefixListId || !v.cloudfront.originVerify)) issue('cloudfront', 'settings have no effect without cloudfront.enabled; set it true or remove them');
    checkImageTag(v.imageTag, v.ecr.imageTagMutability, issue, 'imageTag');
    for (const name of ARTWORK_SERVICES) {
      const svc = v.services[name];
      const path = `services.${name}`;
      checkScaling(svc, issue, `${path}.`);
      if (svc.gpu) {
        if (svc.capacityProviderStrategy) issue(`${path}.capacityProviderStrategy`, 'has no effect on a GPU service (it runs on the GPU capacity provider); remove it or set gpu false');
        checkGpuFit(v.gpu, { cpu: svc.cpu, memoryMiB: svc.memoryMiB, gpus: 1, maxTasks: svc.maxCapacity }, issue, path);
      } else {
        checkFargateSize(svc, issue, `${path}.`);
        if (svc.capacityProviderStrategy) checkStrategy(svc.capacityProviderStrategy, issue, `${path}.capacityProviderStrategy`);
        else issue(`${path}.capacityProviderStrategy`, 'is required for a Fargate service; e.g. [{"capacityProvider": "FARGATE", "weight": 1, "base": 1}]');
      }
      if (name !== 'gateway' && (svc.requestsPerTarget ?? 0) > 0) issue(`${path}.requestsPerTarget`, `${svc.requestsPerTarget} has no effect: only the gateway is behind the load balancer; set it to 0`);
      if (name === 'gateway' && v.ingress === 'httpApi' && (svc.requestsPerTarget ?? 0) > 0) issue(`${path}.requestsPerTarget`, `${svc.requestsPerTarget} has no effect with ingress "httpApi" (there is no load balancer to count requests); set it to 0`);
    }
    if (!ARTWORK_SERVICES.some((n) => v.services[n].gpu)) {
      const gpuTouched = JSON.stringify(v.gpu) !== JSON.stringify(artworkMatcherDefaults('demo').gpu);
      if (gpuTouched) issue('gpu', 'has no effect: no service runs on GPU (set services.<name>.gpu true, or leave gpu at its defaults)');
    }
  },
);

/**
 * Settings of an optional feature that is switched off, set to something other than the
 * environment's default: they would be silently ignored (the defaults differ by environment, so
 * this runs with the environment known, from the stack definition).
 */
export function ignoredWhileOff(v: ArtworkMatcherSettings, defaults: ArtworkMatcherSettings): { path: string; message: string }[] {
  const issues: { path: string; message: string }[] = [];
  for (const feature of ['waf', 'backup', 'budget', 'cache'] as const) {
    if (v[feature].enabled) continue;
    const given = v[feature] as unknown as Record<string, unknown>;
    const base = defaults[feature] as unknown as Record<string, unknown>;
    for (const key of Object.keys(given)) {
      if (key === 'enabled' || JSON.stringify(given[key]) === JSON.stringify(base[key])) continue;
      issues.push({ path: `${feature}.${key}`, message: `${JSON.stringify(given[key])} has no effect while ${feature}.enabled is false; set ${feature}.enabled true or remove it` });
    }
  }
  return issues;
}
