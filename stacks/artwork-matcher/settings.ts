/**
 * Settings of the three artwork-matcher stacks. Defaults are document 004's values, per
 * environment; see docs/stacks/artwork-matcher.md for where the document is fixed. The
 * schema is one; each environment's schema carries its own defaults (`artworkMatcherSchema`).
 */
import { s } from '../settings';
import {
  albFields,
  apiThrottle,
  budget,
  checkAlb,
  checkApiThrottle,
  checkDomain,
  checkFargateSize,
  checkGpuFit,
  checkImageTag,
  checkNetwork,
  checkOffHours,
  checkScaling,
  checkStrategy,
  endpointDomain,
  fargateStrategy,
  gpuCapacity,
  network,
  offHours,
  profileField,
  scratchPathsField,
  checkScratchPaths,
  alarmRecipientFields,
  alarmRecipientProblems,
  guardrailsField,
  registryFields,
  repositoryPrefix,
  scalingFields,
  taskSizeFields,
  waf,
} from '../settings/shapes';
import { CACHE_NODE_TYPE, cacheNodeTypeHint } from '../settings/instance-types';

/** A did-you-mean for a branch written as its ref (`refs/heads/main`). */
const branchHint = (b: string) => (b.startsWith('refs/heads/') ? `; did you mean ${JSON.stringify(b.slice('refs/heads/'.length))}? (the name, without "refs/heads/")` : '');
/** A did-you-mean for a hosted zone id written as Route 53 returns it (`/hostedzone/Z...`). */

/** The three environments, each a stack of its own. */
export const ARTWORK_ENVIRONMENTS = ['demo', 'staging', 'production'] as const;
/** One artwork-matcher environment. */
export type ArtworkEnvironment = (typeof ARTWORK_ENVIRONMENTS)[number];
/** The four microservices, by setting key. */
export const ARTWORK_SERVICES = ['gateway', 'embeddings', 'search', 'geometric'] as const;
/** One of the four microservices. */
export type ArtworkServiceName = (typeof ARTWORK_SERVICES)[number];

/** One microservice: its task size, capacity and the document's autoscaling row, described for it. */
function service(description: string) {
  return s.object(
    {
      ...taskSizeFields,
      ...scalingFields,
      desiredCount: s.number({ min: 0, max: 1000, description: 'Tasks at creation (the service\'s minCapacity by default); autoscaling owns the count afterwards.' }),
      requestsPerTarget: s.optional(
        s.number({
          min: 0,
          max: 1000000,
          description: 'ALB requests per task per minute to hold; 0 turns request-count scaling off. Only the gateway is behind the load balancer: a value on another service, or with ingress "httpApi", is an error. Default: 500 for the gateway behind the load balancer; none elsewhere.',
        }),
      ),
      gpu: s.boolean({ description: 'Run on the GPU capacity provider (EC2 g4dn) with one GPU per task instead of Fargate (embeddings does in production).' }),
      capacityProviderStrategy: s.optional(fargateStrategy({ description: 'Fargate capacity provider strategy (a GPU service uses the GPU provider: setting one there is an error). Default: demo: FARGATE_SPOT only; elsewhere FARGATE weight 100 base 1, geometric FARGATE_SPOT 80 + FARGATE 20 base 1.' })),
      healthCheckStartPeriodSec: s.number({ min: 0, max: 300, unit: 'seconds', description: 'Seconds the container health check waits after start: model loading (embeddings) and index loading (search) take minutes.' }),
      environment: s.environmentVariables({ description: 'Extra environment variables (the document\'s are always set).' }),
    },
    { description },
  );
}

const fields = {
  region: s.region({ description: 'Region of every resource of the environment.', default: 'eu-west-1' }),
  accountId: s.optional(s.accountId({ description: 'The AWS account: it qualifies the data bucket name (`<name>-<account>-<region>`); pin it to plan without credentials. Default: looked up at plan time.' })),
  network: network({ description: 'The VPC: 10.0.0.0/16 over 2 zones; a NAT instance in demo, a NAT gateway per zone elsewhere; no interface endpoints.', defaults: { interfaceEndpoints: [] } }),
  logRetentionDays: s.retentionDays({ description: 'Retention of `/ecs/artwork-matcher-<env>`, in days (30 in production, 7 elsewhere).' }),
  imageTag: s.optional(
    s.imageTag({
      description:
        'Image tag deployed from each repository. Until it is set, every service exists with 0 tasks (an empty repository would otherwise fail deployment after deployment): apply, push the images, then set the tag and apply again. Production repositories are immutable: use a commit tag, not "latest". Default: none: services at 0 tasks.',
    }),
  ),
  ecr: s.object(
    {
      ...registryFields,
      repositoryPrefix: repositoryPrefix({
        description: 'Prefix of the repository names ("artwork-matcher-<env>"). Each environment has its own repositories, so destroying demo never touches production\'s images. The document\'s shared `artwork-matcher` is reachable here (with one account per environment).',
      }),
    },
    { description: 'ECR repositories `<repositoryPrefix>/<service>`.', defaults: { keepImages: 30 } },
  ),
  alb: s.object({ ...albFields, healthCheckPath: s.urlPath({ description: 'Health check path of the gateway.', default: '/health' }) }, { description: 'The public load balancer (deletion protection on in production).' }),
  gpu: gpuCapacity({ description: 'GPU capacity (used by services with `gpu`): g4dn.xlarge, 0 to 10 instances, on-demand.', defaults: { maxSize: 10 } }),
  services: s.object(
    {
      gateway: service('The gateway: the public API behind the load balancer (or the HTTP API), calling the three others.'),
      embeddings: service('The embeddings service: computes an artwork\'s embedding with the model (on a GPU in production).'),
      search: service('The search service: nearest-neighbour search in the FAISS index on EFS (mounted read-only).'),
      geometric: service('The geometric verification service: checks the candidates\' keypoints (stateless, on Fargate Spot by default).'),
    },
    { description: 'The four microservices: task size, capacity and the document\'s autoscaling row for each.' },
  ),
  scheduledScaling: s.boolean({ description: 'The document\'s 08:00 / 19:00 UTC scheduled actions (on in production only).' }),
  offHours: s.optional(offHours('Scale every service to 0 tasks outside working hours (and with it the GPU instances). Not with `scheduledScaling`, whose morning and evening actions would fight it. Default: none: the services run around the clock.')),
  ingress: s.oneOf(['alb', 'httpApi'], {
    expected: 'an ingress',
    description:
      'The public endpoint: the Application Load Balancer of the document, or an API Gateway HTTP API reaching the gateway through a VPC link and Cloud Map (HTTPS on its default domain, billed per request: about 32 USD a month less than the load balancer and its addresses; no WAF on it, no request-count scaling, no health-checked routing: a lean demo\'s choice).',
    default: 'alb',
  }),
  containerInsights: s.boolean({
    description: 'Container Insights on the cluster (per-task metrics; the task-count alarms compare running with desired tasks). Without it those alarms use the free `CPUUtilization` sample count. Off in demo (its cost is most of a demo\'s monitoring), on elsewhere.',
  }),
  monitoring: s.object(
    {
      ...alarmRecipientFields,
      latencyThresholdSec: s.number({ min: 0.001, max: 3600, integer: false, unit: 'seconds', description: 'P99 latency alarm threshold, seconds.', default: 2 }),
      errorRatePercent: s.number({ min: 0.001, max: 100, integer: false, unit: 'percent', description: '5xx error-rate alarm threshold, percent.', default: 5 }),
    },
    { description: 'Alarms and dashboard.', refine: alarmRecipientProblems },
  ),
  dataBucketName: s.optional(s.bucketName({ description: 'Name of the data bucket. Default: "artwork-matcher-<env>-data-<account>-<region>" (the document\'s `artwork-matcher-<env>-data` is global and taken once).' })),
  searchIndexer: s.object(
    {
      command: s.optional(s.array(s.string({ minLength: 1 }), { minLength: 1, plural: 'command words', description: 'Command that builds the FAISS index into `/data/index`. Default: the search image\'s own command.' })),
      customerManagedKey: s.boolean({
        description: 'Encrypt the index file system with the stack\'s customer managed key (`alias/<prefix>`) instead of the AWS managed EFS key. Changing it replaces the file system: run the indexer again after the apply (the search service finds no index until it has).',
        default: false,
      }),
    },
    { description: 'The search index builder: an ECS task definition (run on demand) that mounts the index file system read-write; the search service mounts it read-only.' },
  ),
  enableExecuteCommand: s.boolean({ description: 'ECS Exec on every service.', default: false }),
  dataVersionRetentionDays: s.number({ min: 1, max: 3650, unit: 'days', description: 'Days a replaced or deleted object version of the data bucket is kept (its versions are what AWS Backup and accidental-deletion recovery rely on).', default: 90 }),
  domain: endpointDomain(
    'artwork.example.com',
    'The public name of the endpoint (the document\'s "SSL certificate on ALB" and Route 53 box): an ACM certificate validated with DNS records in the hosted zone, an alias record to the load balancer (or to CloudFront with `cloudfront`), HTTP redirected to HTTPS. Instead of `alb.certificateArn`. Default: none: the load balancer\'s own DNS name, HTTPS only with `alb.certificateArn`.',
  ),
  waf: waf('A WAF web ACL with AWS managed rule groups, a per-IP rate limit and request logs in front of the endpoint (the checklist\'s "WAF for API protection"); on in production.'),
  backup: s.object(
    {
      enabled: s.boolean({ description: 'Back up the EFS index and the data bucket daily into an encrypted vault with AWS Backup; on in production.' }),
      schedule: s.cron({ description: 'When: a `cron(...)` expression in UTC.', default: 'cron(0 3 * * ? *)' }),
      retentionDays: s.number({ min: 1, max: 36500, unit: 'days', description: 'Days each recovery point is kept.', default: 35 }),
    },
    { description: 'AWS Backup of the EFS index and the data bucket (the checklist\'s "backup strategy for S3/EFS").' },
  ),
  budget: budget('the document\'s tiers: 100 in demo, 500 in staging, 1500 in production', 'A monthly cost budget for this environment, filtered by the stack\'s `Stack` tag (the checklist\'s "cost monitoring with budgets").'),
  cicd: s.optional(
    s.object(
      {
        githubRepository: s.string({ pattern: /^[A-Za-z0-9][A-Za-z0-9-]{0,38}\/[A-Za-z0-9._-]{1,100}$/, expected: 'a GitHub repository "owner/name"', name: true, description: 'The repository, `owner/name`.' }),
        branches: s.optional(
          s.array(s.string({ pattern: /^(?!refs\/)[A-Za-z0-9._/-]{1,255}$/, expected: 'a branch name (no wildcards)', hint: branchHint }), { unique: true, plural: 'branches', description: 'Branches whose workflows may deploy (names, without "refs/heads/"). Default: ["main"].' }),
        ),
        environments: s.optional(s.array(s.string({ pattern: /^[A-Za-z0-9._-]{1,255}$/, expected: 'a GitHub environment name (letters, digits, ".", "_" and "-"; no wildcards)' }), { unique: true, plural: 'environments', description: 'GitHub environments whose jobs may deploy. Default: [].' })),
        oidcProviderArn: s.optional(
          s.string({
            pattern: /^arn:aws(-cn|-us-gov)?:iam::\d{12}:oidc-provider\/token\.actions\.githubusercontent\.com$/,
            expected: 'the ARN of the account\'s GitHub OIDC provider (arn:aws:iam::<account>:oidc-provider/token.actions.githubusercontent.com)',
            description: 'The account\'s GitHub OIDC provider, when another stack already created it (one per account). Default: created here.',
          }),
        ),
      },
      {
        description: 'The role a GitHub Actions workflow deploys with (`examples/github-actions/deploy-artwork-matcher.yml`, the checklist\'s "CI/CD pipeline"): OpenID Connect, no stored keys. Needs remote state. Default: none.',
      },
    ),
  ),
  cloudfront: s.object(
    {
      enabled: s.boolean({ description: 'Put CloudFront in front; the load balancer then accepts CloudFront\'s addresses only.', default: false }),
      priceClass: s.oneOf(['PriceClass_100', 'PriceClass_200', 'PriceClass_All'], { expected: 'a CloudFront price class', description: 'Edge locations: `PriceClass_100`, `PriceClass_200` or `PriceClass_All`.', default: 'PriceClass_100' }),
      cachedPathPatterns: s.array(s.string({ pattern: /^(?!\/\*$)\/[A-Za-z0-9_\-.*$/~"'@:+&]{1,254}$/, expected: 'a CloudFront path pattern such as "/static/*" (not "/*": the default behavior takes every other path)' }), {
        unique: true,
        maxLength: 24,
        plural: 'path patterns',
        description: 'Path patterns CloudFront caches (the document names no static path; `/identify` is a POST and never cached).',
        default: [],
      }),
      originFacingPrefixListId: s.optional(s.string({ pattern: /^pl-[0-9a-f]{8,17}$/, expected: 'a managed prefix list id such as "pl-0123456789abcdef0"', description: 'Pinned id of the region\'s CloudFront origin-facing prefix list. Default: looked up at plan time.' })),
      originVerify: s.boolean({
        description:
          'CloudFront sends a secret header (`X-Origin-Verify`) the load balancer requires, answering 403 without it: the prefix list admits every CloudFront distribution, someone else\'s included. The value is the sensitive variable `cloudfront_origin_secret` (at least 32 characters, e.g. `openssl rand -hex 32`), never in the configuration.',
        default: true,
      }),
    },
    { description: 'CloudFront in front of the load balancer (the document\'s tier 3); off by default.' },
  ),
  cache: s.object(
    {
      enabled: s.boolean({ description: 'Create the cache.', default: false }),
      engine: s.oneOf(['valkey', 'redis'], { expected: 'a cache engine', description: '`valkey` (20 % cheaper, Redis-compatible) or `redis`.', default: 'valkey' }),
      nodeType: s.string({ pattern: CACHE_NODE_TYPE, expected: 'an ElastiCache node type such as "cache.t4g.micro"', hint: cacheNodeTypeHint, description: 'ElastiCache node type of the cache nodes.', default: 'cache.t4g.micro' }),
      replicas: s.number({ min: 0, max: 5, description: 'Read replicas (1 or more adds automatic failover across zones; 1 in production, 0 elsewhere).' }),
    },
    { description: 'A Redis-compatible cache the gateway reaches at `GATEWAY__CACHE__URL` (the document\'s ElastiCache box, tier 3); off by default.' },
  ),
  httpApiThrottle: s.optional(
    apiThrottle({
      description: 'Throttling of the HTTP API (`ingress: "httpApi"` only; requests beyond it get 429): a ceiling on what a flood costs an API open to everyone, as the document\'s gateway is. Default: 100 burst, 50 requests per second.',
    }),
  ),
  profile: profileField,
  scratchPaths: scratchPathsField,
  guardrails: guardrailsField,
  tags: s.tags(),
};

/** What a user may set for an artwork-matcher stack. */
export type ArtworkMatcherSettings = s.Static<s.TObject<typeof fields>>;
/** One microservice's settings. */
export type ArtworkServiceSettings = ArtworkMatcherSettings['services'][ArtworkServiceName];

/** What varies by environment (and by service): the document's values for `env`. */
function environmentDefaults(env: ArtworkEnvironment): s.DeepPartial<ArtworkMatcherSettings> {
  const production = env === 'production';
  // The demo tier costs what the document says (50-100 USD a month, docs/cost.md): one task per
  // service, all on Fargate Spot (search's state is the index on EFS, reloaded at start: an
  // interruption is a restart within its start period, acceptable in a demo), a NAT instance
  // instead of a NAT gateway, no Container Insights (the dashboard and
  // alarms use the free ECS metrics). Staging and production keep the document's values.
  const demo = env === 'demo';
  const strategy = (fargate: ArtworkServiceSettings['capacityProviderStrategy']) => (demo ? [{ capacityProvider: 'FARGATE_SPOT' as const, weight: 1, base: 0 }] : fargate);
  const onDemand = [{ capacityProvider: 'FARGATE' as const, weight: 100, base: 1 }];
  // Sizes: demo/staging use the document's main.tf; production uses the strategy table's
  // instance column (gateway 256-1024, search 2048+, geometric 512-2048, embeddings on g4dn.xlarge).
  const scaling = (minCapacity: number, maxCapacity: number, cpuTarget: number, memoryTarget: number, scaleInCooldownSec: number, scaleOutCooldownSec: number) => ({ minCapacity, maxCapacity, cpuTarget, memoryTarget, scaleInCooldownSec, scaleOutCooldownSec, desiredCount: minCapacity });
  return {
    network: { natGateways: demo ? 'instance' : 'perAz' },
    logRetentionDays: production ? 30 : 7,
    ecr: { repositoryPrefix: `artwork-matcher-${env}`, imageTagMutability: production ? 'IMMUTABLE' : 'MUTABLE' },
    alb: { deletionProtection: production },
    services: {
      gateway: { cpu: production ? 512 : 256, memoryMiB: production ? 1024 : 512, healthCheckStartPeriodSec: 30, ...scaling(demo ? 1 : 2, 20, 60, 70, 300, 60), gpu: false, capacityProviderStrategy: strategy(onDemand) },
      embeddings: { cpu: production ? 3072 : 1024, memoryMiB: production ? 12288 : 4096, healthCheckStartPeriodSec: 300, ...scaling(1, 10, 70, 80, 600, 120), gpu: production, capacityProviderStrategy: production ? undefined : strategy(onDemand) },
      search: { cpu: production ? 2048 : 512, memoryMiB: production ? 8192 : 1024, healthCheckStartPeriodSec: 180, ...scaling(demo ? 1 : 2, 8, 80, 70, 600, 180), gpu: false, capacityProviderStrategy: strategy(onDemand) },
      geometric: {
        cpu: production ? 1024 : 512,
        memoryMiB: production ? 2048 : 1024,
        healthCheckStartPeriodSec: 30,
        ...scaling(1, 20, 70, 80, 180, 30),
        gpu: false,
        capacityProviderStrategy: strategy([
          { capacityProvider: 'FARGATE_SPOT', weight: 80, base: 0 },
          { capacityProvider: 'FARGATE', weight: 20, base: 1 },
        ]),
      },
    },
    scheduledScaling: production,
    containerInsights: !demo,
    waf: { enabled: production },
    backup: { enabled: production },
    budget: { monthlyLimitUsd: { demo: 100, staging: 500, production: 1500 }[env] },
    cache: { replicas: production ? 1 : 0 },
  };
}

/** The cross-field rules of the endpoint: what the HTTP API, a domain and CloudFront exclude. */
function checkEndpoint(v: ArtworkMatcherSettings, issue: s.IssueFn): void {
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
  checkDomain(v, issue);
  if (v.cloudfront.enabled && v.alb.certificateArn) issue('alb.certificateArn', 'with cloudfront: CloudFront reaches the load balancer over HTTP inside its prefix list; give the name to CloudFront with domain instead');
  if (v.cloudfront.enabled && JSON.stringify(v.alb.allowedCidrs) !== JSON.stringify(['0.0.0.0/0'])) issue('alb.allowedCidrs', 'has no effect with cloudfront (the load balancer accepts CloudFront\'s addresses only); remove it');
  const cdnTouched = v.cloudfront.cachedPathPatterns.length > 0 || v.cloudfront.originFacingPrefixListId || !v.cloudfront.originVerify || v.cloudfront.priceClass !== 'PriceClass_100';
  if (!v.cloudfront.enabled && cdnTouched) issue('cloudfront', 'settings have no effect without cloudfront.enabled; set it true or remove them');
}

/** The cross-field rules of the four services and the GPU capacity they share. */
function checkServices(v: ArtworkMatcherSettings, issue: s.IssueFn): void {
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
}

/** The cross-field rules (each reported at the setting the user wrote). */
function checkArtworkMatcher(v: ArtworkMatcherSettings, issue: s.IssueFn): void {
  checkScratchPaths(v.scratchPaths, v.enableExecuteCommand, issue);
  checkApiThrottle(v.httpApiThrottle, issue, 'httpApiThrottle', false);
  if (v.ingress === 'alb' && v.httpApiThrottle) issue('httpApiThrottle', 'has no effect with ingress "alb" (there is no HTTP API; waf.rateLimitPer5Min limits clients of the load balancer); remove it or use ingress "httpApi"');
  // Fargate tasks pull from ECR and ship logs: without NAT they need the endpoints.
  checkNetwork(v.network, v.region, issue, { minZones: 2, needs: ['ecr.api', 'ecr.dkr', 's3', 'logs'], prefix: 'network' });
  checkAlb(v.alb, issue);
  if (v.offHours && v.scheduledScaling) issue('offHours', 'and scheduledScaling both schedule the services; their actions would undo each other: set scheduledScaling false or remove offHours');
  checkOffHours(v.offHours, issue);
  checkEndpoint(v, issue);
  checkImageTag(v.imageTag, v.ecr.imageTagMutability, issue, 'imageTag');
  checkServices(v, issue);
  if (v.cicd && v.cicd.branches?.length === 0 && (v.cicd.environments ?? []).length === 0) {
    issue('cicd.branches', '[] and environments [] leave nothing that may assume the deploy role; give a branch (e.g. ["main"]) or an environment');
  }
}

const schema = s.object(fields, { refine: checkArtworkMatcher });
const schemas = new Map<ArtworkEnvironment, typeof schema>();

/** The settings schema of one environment: every field, its description and that environment's default. */
export function artworkMatcherSchema(env: ArtworkEnvironment): typeof schema {
  if (!schemas.has(env)) schemas.set(env, s.withDefaults(schema, environmentDefaults(env)));
  return schemas.get(env)!;
}

/** The document's values for one environment, as its schema declares them. */
export function artworkMatcherDefaults(env: ArtworkEnvironment): ArtworkMatcherSettings {
  return s.defaultsOf(artworkMatcherSchema(env));
}

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
