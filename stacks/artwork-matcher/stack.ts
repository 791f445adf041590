/**
 * `artwork-matcher-demo`, `-staging`, `-production`: document 004 (Artwork Matcher AWS deployment
 * guide), built from the module layout it describes (vpc, ecs-cluster, ecs-service, alb,
 * autoscaling, monitoring).
 *
 * Where the document is wrong or silent, and what is built instead:
 * - Service discovery: the gateway calls `<service>.artwork-matcher.local:8000`, but the document
 *   never creates that namespace; a private Cloud Map namespace is created and the three backends
 *   register in it. (Its diagram's "internal ALB" is not in its Terraform; Cloud Map replaces it.)
 * - GPU embeddings: the document's service module uses `launch_type = "EC2"` with no instances to
 *   run on. Production gets a g4dn Auto Scaling Group as an ECS capacity provider (managed scaling
 *   from 0 instances, ECS GPU AMI, `ECS_ENABLE_GPU_SUPPORT`) and the service uses it through a
 *   capacity provider strategy (a launch type would bypass the provider and never scale instances).
 * - Request-count scaling: `resource_label` must be `<alb suffix>/<target group suffix>`; the
 *   document passes the ALB suffix alone, which AWS rejects.
 * - Security groups: the document opens every service to 10.0.0.0/8; here the gateway accepts
 *   only the ALB and the backends only the gateway.
 * - IAM: the document grants every task `s3:*Object` on `artwork-matcher-<env>-*`; here each task
 *   gets Get/Put/List on the one data bucket.
 * - `desired_count = 1` below an autoscaling minimum of 2: the initial count is the minimum.
 * - Search's FAISS index (`/data/index`) lives on an encrypted EFS file system (the document lists
 *   EFS but never creates it). Several search tasks must not write one index file: the service
 *   mounts it read-only and an on-demand indexer task is the single writer.
 * - ECR: the document gives three environments the same repository names, which collide in one
 *   account and make environments depend on each other; each environment has its own
 *   (`artwork-matcher-<env>/<service>`), and production's are immutable.
 * - Images: services wait at 0 tasks until `imageTag` is set, instead of failing deployments
 *   against empty repositories; the health check uses Python (`curl` is not in `python:*-slim`).
 * - Bucket names are global: the data bucket is qualified with the account and region.
 * - The error-rate alarm divides by zero without traffic and misses the load balancer's own 503s;
 *   the metric math returns 0 without requests and counts both. Task-count and healthy-host alarms
 *   see outages the latency alarm cannot; the alarm topic is encrypted.
 */
import { Construct } from 'constructs';
import { Annotations, TerraformOutput } from 'cdktf';
import { AwsStack } from '../../src/core/aws-stack';
import type { SharedSettings } from '../settings';
import { albAccessLogsOn, albProps, gpuSpot, vpcProps } from '../settings/shapes';
import { Vpc } from '../../src/network/vpc';
import { AsgCapacityProvider, EcsCluster } from '../../src/compute/ecs-cluster';
import { EcsService, HealthChecks, TaskDefinition } from '../../src/compute/ecs-service';
import { ApplicationLoadBalancer } from '../../src/edge/alb';
import { HttpApi } from '../../src/edge/http-api';
import { LogGroup } from '../../src/observability/logs';
import { Monitoring } from '../../src/observability/monitoring';
import { RepositoryReference, repositoryFor } from '../../src/data/registry';
import { AccessLogBucket } from '../../src/data/access-logs';
import { SecureBucket } from '../../src/data/bucket';
import { SharedFileSystem } from '../../src/data/efs';
import { Guardrails } from '../../src/core/suppressions';
import { sensitiveVariable } from '../../src/security/secrets';
import type { AlbDistribution } from '../../src/edge/cdn';
import type { RedisCache } from '../../src/data/cache';
import type { GithubDeployRole } from '../../src/security/cicd';
import { WebAcl } from '../../src/edge/waf';
import { BackupPlan } from '../../src/data/backup';
import { EncryptionKey } from '../../src/security/kms';
import { CostBudget } from '../../src/observability/budget';
import { ARTWORK_SERVICES, ArtworkEnvironment, ArtworkMatcherSettings, ArtworkServiceName } from './settings';

/*
 * The constructs of options that are off by default (domain, CloudFront, cache, CI/CD role) load
 * with their option: they bring 1.4 MB of provider modules (CloudFront's alone is 0.8 MB) that
 * every synth of the eight stacks would otherwise compile for nothing.
 */
const lazy = {
  certificate: (): typeof import('../../src/edge/certificate') => require('../../src/edge/certificate'),
  cdn: (): typeof import('../../src/edge/cdn') => require('../../src/edge/cdn'),
  cache: (): typeof import('../../src/data/cache') => require('../../src/data/cache'),
  cicd: (): typeof import('../../src/security/cicd') => require('../../src/security/cicd'),
};

/** Port every artwork-matcher service listens on. */
export const SERVICE_PORT = 8000;
/** Cloud Map namespace the backends register in. */
export const NAMESPACE = 'artwork-matcher.local';
/** Throttling of the lean demo's HTTP API unless `httpApiThrottle` says otherwise. */
export const DEFAULT_HTTP_API_THROTTLE = { burstLimit: 100, rateLimit: 50 } as const;
/** Where the search service finds its FAISS index (EFS mount). */
export const INDEX_MOUNT = '/data/index';

export class ArtworkMatcherStack extends AwsStack {
  public readonly vpc: Vpc;
  public readonly cluster: EcsCluster;
  public readonly gpuCapacity?: AsgCapacityProvider;
  /** The public load balancer (ingress "alb"). */
  public readonly alb?: ApplicationLoadBalancer;
  /** The public HTTP API (ingress "httpApi"). */
  public readonly api?: HttpApi;
  public readonly logGroup: LogGroup;
  public readonly repositories: Record<ArtworkServiceName, RepositoryReference>;
  public readonly services: Record<ArtworkServiceName, EcsService>;
  public readonly searchIndexer: TaskDefinition;
  public readonly dataBucket: SecureBucket;
  public readonly indexFileSystem: SharedFileSystem;
  public readonly monitoring: Monitoring;
  /** Access logs of the load balancer and the data bucket (`alb.accessLogs`). */
  public readonly accessLogs?: AccessLogBucket;
  /** The web ACL (`waf.enabled`). */
  public readonly webAcl?: WebAcl;
  /** CloudFront in front of the load balancer (`cloudfront.enabled`). */
  public readonly distribution?: AlbDistribution;
  /** AWS Backup of the index and the data bucket (`backup.enabled`). */
  public readonly backupPlan?: BackupPlan;
  /** The gateway's cache (`cache.enabled`). */
  public readonly cache?: RedisCache;
  /** The monthly cost budget (`budget.enabled`). */
  public readonly budget?: CostBudget;
  /** The role GitHub Actions deploys with (`cicd`). */
  public readonly deployRole?: GithubDeployRole;

  constructor(scope: Construct, name: string, env: ArtworkEnvironment, settings: ArtworkMatcherSettings, shared: SharedSettings = {}) {
    super(scope, name, {
      region: settings.region,
      project: 'artwork-matcher',
      environment: env,
      tags: settings.tags,
      accountId: settings.accountId,
      remoteState: shared.remoteState,
      stateKey: `environments/${env}/terraform.tfstate`,
    });
    const prefix = `artwork-matcher-${env}`;
    const ready = settings.imageTag !== undefined;

    // ===== VPC =====
    this.vpc = new Vpc(this, 'vpc', {
      namePrefix: prefix,
      region: settings.region,
      ...vpcProps(settings.network),
      gatewayEndpoints: ['s3'],
    });

    // ===== ECS cluster =====
    this.cluster = new EcsCluster(this, 'ecs-cluster', {
      clusterName: prefix,
      containerInsights: settings.containerInsights ? 'enabled' : 'disabled',
      defaultCapacityProviderStrategy: [{ capacityProvider: 'FARGATE', weight: 100, base: 1 }],
      privateNamespace: { name: NAMESPACE, vpcId: this.vpc.vpcId },
    });
    if (!settings.containerInsights) Guardrails.suppress(this.cluster, 'AWS-ECS-006', 'containerInsights is false in this environment\'s settings (the demo default, for cost); the alarms and dashboard use the ECS service metrics, which need no Container Insights');
    this.logGroup = new LogGroup(this, 'logs', { name: `/ecs/${prefix}`, retentionDays: settings.logRetentionDays });
    if (ARTWORK_SERVICES.some((s) => settings.services[s].gpu)) {
      this.gpuCapacity = this.cluster.addAsgCapacityProvider('gpu', {
        name: `${prefix}-gpu`,
        vpcId: this.vpc.vpcId,
        subnetIds: this.vpc.privateSubnetIds,
        instanceTypes: settings.gpu.instanceTypes,
        gpu: true,
        amiId: settings.gpu.amiId,
        minSize: settings.gpu.minSize,
        maxSize: settings.gpu.maxSize,
        desiredCapacity: settings.gpu.desiredCapacity,
        spot: gpuSpot(settings.gpu),
      });
    }

    // ===== Certificate for the public name (on the ALB; in us-east-1 for CloudFront) =====
    const viaAlb = settings.ingress === 'alb';
    const cdnEnabled = settings.cloudfront.enabled;
    const domain = settings.domain;
    const albCertificate = domain && !cdnEnabled ? new (lazy.certificate().DnsValidatedCertificate)(this, 'certificate', { domainName: domain.name, hostedZoneId: domain.hostedZoneId }) : undefined;
    const cdnCertificate =
      domain && cdnEnabled ? new (lazy.certificate().DnsValidatedCertificate)(this, 'cdn-certificate', { domainName: domain.name, hostedZoneId: domain.hostedZoneId, provider: this.providerFor('us-east-1') }) : undefined;

    // ===== Access logs of the load balancer and the data bucket (production by default) =====
    if (albAccessLogsOn(settings.alb, env)) this.accessLogs = new AccessLogBucket(this, 'access-logs', { bucketName: this.qualifiedName(`${prefix}-logs`) });

    // ===== ALB (or, for a lean demo, an HTTP API after the services) =====
    if (viaAlb) this.alb = new ApplicationLoadBalancer(this, 'alb', {
      namePrefix: prefix,
      accessLogs: this.accessLogs ? { bucket: this.accessLogs } : undefined,
      vpcId: this.vpc.vpcId,
      vpcCidr: settings.network.vpcCidr,
      subnetIds: this.vpc.publicSubnetIds,
      // Behind CloudFront only its origin-facing addresses may connect (see below).
      ...albProps(settings.alb),
      allowedCidrs: cdnEnabled ? [] : settings.alb.allowedCidrs,
      certificateArn: settings.alb.certificateArn ?? albCertificate?.certificateArn,
    });
    if (this.alb && !settings.alb.certificateArn && !domain && !cdnEnabled && env === 'production') {
      Annotations.of(this).addWarning(`${name}: the load balancer answers plain HTTP only; give domain (or alb.certificateArn, or cloudfront) for HTTPS, as the document's production checklist asks`);
    }

    // ===== WAF: on the ALB, or at the edge in us-east-1 with CloudFront =====
    if (settings.waf.enabled) {
      this.webAcl = new WebAcl(this, 'waf', {
        name: cdnEnabled ? `${prefix}-edge` : prefix,
        scope: cdnEnabled ? 'CLOUDFRONT' : 'REGIONAL',
        provider: cdnEnabled ? this.providerFor('us-east-1') : undefined,
        managedRuleGroups: settings.waf.managedRuleGroups,
        rateLimitPer5Min: settings.waf.rateLimitPer5Min,
      });
      if (!cdnEnabled && this.alb) this.webAcl.associate('alb', this.alb.loadBalancerArn);
    }

    // ===== CloudFront in front of the ALB (tier 3) =====
    if (cdnEnabled && this.alb) {
      const originSecret = settings.cloudfront.originVerify
        ? sensitiveVariable(this, 'cloudfront_origin_secret', 'Secret header value CloudFront sends and the load balancer requires (at least 32 characters, e.g. openssl rand -hex 32)', 32).stringValue
        : undefined;
      this.distribution = new (lazy.cdn().AlbDistribution)(this, 'cdn', {
        originVerifyHeader: originSecret ? { value: originSecret } : undefined,
        comment: `Artwork Matcher (${env})`,
        loadBalancer: { dnsName: this.alb.dnsName, protocol: this.alb.protocol },
        cachedPathPatterns: settings.cloudfront.cachedPathPatterns,
        certificate: cdnCertificate && domain ? { certificateArn: cdnCertificate.certificateArn, aliases: [domain.name] } : undefined,
        priceClass: settings.cloudfront.priceClass,
        webAclArn: this.webAcl?.webAclArn,
        originFacingPrefixListId: settings.cloudfront.originFacingPrefixListId,
      });
      this.distribution.allowOriginFacing(this.alb.securityGroup);
      if (originSecret) this.alb.requireHeader(this.distribution.originVerifyHeaderName!, originSecret);
    }
    if (domain && this.alb) {
      const { AliasRecord, distributionAliasTarget, loadBalancerAliasTarget } = lazy.certificate();
      new AliasRecord(this, 'alias', {
        hostedZoneId: domain.hostedZoneId,
        recordName: domain.name,
        target: this.distribution ? distributionAliasTarget(this.distribution) : loadBalancerAliasTarget(this.alb),
      });
    }

    // ===== ECR repositories (one set per environment) =====
    this.repositories = {} as Record<ArtworkServiceName, RepositoryReference>;
    for (const svc of ARTWORK_SERVICES) {
      this.repositories[svc] = repositoryFor(this, `ecr-${svc}`, {
        repositoryName: `${settings.ecr.repositoryPrefix}/${svc}`,
        scanOnPush: true,
        imageTagMutability: settings.ecr.imageTagMutability,
        keepImages: settings.ecr.keepImages,
        untaggedExpiryDays: settings.ecr.untaggedExpiryDays,
      });
    }
    const image = (svc: ArtworkServiceName) => `${this.repositories[svc].repositoryUrl}:${settings.imageTag ?? 'latest'}`;

    // ===== S3 data bucket and the search index file system =====
    this.dataBucket = new SecureBucket(this, 'data', {
      bucketName: settings.dataBucketName ?? this.qualifiedName(`${prefix}-data`),
      versioned: true,
      noncurrentVersionExpirationDays: settings.dataVersionRetentionDays,
      serverAccessLogs: this.accessLogs ? { bucket: this.accessLogs } : undefined,
    });
    this.indexFileSystem = new SharedFileSystem(this, 'search-index', {
      name: `${prefix}-search-index`,
      vpcId: this.vpc.vpcId,
      subnetIds: this.vpc.privateSubnetIds,
      accessPoint: { path: '/index', uid: 1000, gid: 1000 },
      // EFS's own daily backup unless the stack's backup plan covers it (not twice).
      backup: !settings.backup.enabled,
    });

    // ===== Backup of the index and the data bucket (production checklist) =====
    if (settings.backup.enabled) {
      this.backupPlan = new BackupPlan(this, 'backup', {
        name: prefix,
        kmsKey: new EncryptionKey(this, 'backup-key', { alias: `${prefix}-backup`, description: `AWS Backup vault of ${prefix}` }),
        schedule: settings.backup.schedule,
        retentionDays: settings.backup.retentionDays,
        fileSystems: [this.indexFileSystem],
        buckets: [this.dataBucket],
      });
    }

    // ===== Cache for the gateway (tier 3) =====
    if (settings.cache.enabled) {
      this.cache = new (lazy.cache().RedisCache)(this, 'cache', {
        name: `${prefix}-cache`,
        vpcId: this.vpc.vpcId,
        subnetIds: this.vpc.privateSubnetIds,
        engine: settings.cache.engine,
        nodeType: settings.cache.nodeType,
        replicas: settings.cache.replicas,
      });
    }

    // ===== Services =====
    const backendUrl = (svc: string) => `http://${svc}.${NAMESPACE}:${SERVICE_PORT}`;
    const documentEnv: Record<ArtworkServiceName, Record<string, string>> = {
      gateway: {
        GATEWAY__BACKENDS__EMBEDDINGS__URL: backendUrl('embeddings'),
        GATEWAY__BACKENDS__SEARCH__URL: backendUrl('search'),
        GATEWAY__BACKENDS__GEOMETRIC__URL: backendUrl('geometric'),
        ...(this.cache ? { GATEWAY__CACHE__URL: this.cache.url } : {}),
      },
      embeddings: { EMBEDDINGS__MODEL__DEVICE: settings.services.embeddings.gpu ? 'cuda' : 'cpu' },
      search: { SEARCH__INDEX__PATH: `${INDEX_MOUNT}/faiss.index` },
      geometric: {},
    };

    const build = (svc: ArtworkServiceName): EcsService => {
      const cfg = settings.services[svc];
      const onGpu = cfg.gpu && this.gpuCapacity !== undefined;
      const service = new EcsService(this, svc, {
        serviceName: `${prefix}-${svc}`,
        cluster: this.cluster,
        vpc: this.vpc,
        compatibility: onGpu ? 'EC2' : 'FARGATE',
        capacityProviderStrategy: onGpu ? [{ capacityProvider: this.gpuCapacity!.capacityProviderName, weight: 1, base: 0 }] : cfg.capacityProviderStrategy,
        cpu: cfg.cpu,
        memoryMiB: cfg.memoryMiB,
        gpuCount: onGpu ? 1 : 0,
        containerName: svc,
        image: image(svc),
        containerPort: SERVICE_PORT,
        environment: { ...documentEnv[svc], ...cfg.environment },
        healthCheck: { command: HealthChecks.http(SERVICE_PORT, '/health', 'python'), intervalSec: 30, timeoutSec: 5, retries: 3, startPeriodSec: cfg.healthCheckStartPeriodSec },
        logGroup: this.logGroup,
        logStreamPrefix: svc,
        // Until an image tag is given the repositories may be empty: no task is started.
        desiredCount: ready ? cfg.desiredCount : 0,
        minHealthyPercent: 100,
        maxHealthyPercent: 200,
        enableExecuteCommand: settings.enableExecuteCommand,
        loadBalancer: svc === 'gateway' && this.alb ? { alb: this.alb, route: 'default', healthCheck: { path: settings.alb.healthCheckPath, matcher: '200' } } : undefined,
        // The backends by name (A records); behind an HTTP API the gateway by address and port (SRV records, what its VPC link integration needs).
        cloudMap: svc !== 'gateway' ? { namespaceId: this.cluster.namespace!.id, name: svc } : viaAlb ? undefined : { namespaceId: this.cluster.namespace!.id, name: svc, recordType: 'SRV' },
        efsVolumes: svc === 'search' ? [{ name: 'index', fileSystem: this.indexFileSystem, containerPath: INDEX_MOUNT, readOnly: true }] : undefined,
        // Python services writing model caches and temp files: the document's containers need a writable root.
        readonlyRootFilesystem: false,
      });
      Guardrails.suppress(service, 'AWS-ECS-002', 'the Python services download models into caches and write temporary files in the image\'s filesystem (the document\'s containers assume a writable root)');
      // The document's S3 access (Get/Put/List), scoped to this environment's data bucket.
      this.dataBucket.grantRead(service);
      this.dataBucket.grantWrite(service);

      const cooldowns = { scaleInCooldownSec: cfg.scaleInCooldownSec, scaleOutCooldownSec: cfg.scaleOutCooldownSec };
      service.autoScaleTaskCount({
        minCapacity: ready ? cfg.minCapacity : 0,
        maxCapacity: ready ? cfg.maxCapacity : 0,
        cpu: { target: cfg.cpuTarget, ...cooldowns },
        memory: { target: cfg.memoryTarget, ...cooldowns },
        // The document's 500 requests per gateway task behind the load balancer, unless set.
        requestsPerTarget: ((t) => (t > 0 ? t : undefined))(cfg.requestsPerTarget ?? (svc === 'gateway' && viaAlb ? 500 : 0)),
        scheduled: !ready
          ? []
          : settings.scheduledScaling
            ? [
                // Before museum opening: double the floor. After closing: back to the floor, half the ceiling.
                { name: 'scale-up-morning', schedule: 'cron(0 8 * * ? *)', minCapacity: Math.min(cfg.minCapacity * 2, cfg.maxCapacity), maxCapacity: cfg.maxCapacity },
                { name: 'scale-down-evening', schedule: 'cron(0 19 * * ? *)', minCapacity: cfg.minCapacity, maxCapacity: Math.max(cfg.minCapacity, Math.floor(cfg.maxCapacity / 2)) },
              ]
            : settings.offHours
              ? [
                  { name: 'off-hours-stop', schedule: settings.offHours.stopSchedule, timezone: settings.offHours.timezone, minCapacity: 0, maxCapacity: 0 },
                  { name: 'off-hours-start', schedule: settings.offHours.startSchedule, timezone: settings.offHours.timezone, minCapacity: cfg.minCapacity, maxCapacity: cfg.maxCapacity },
                ]
              : [],
      });
      return service;
    };
    this.services = { gateway: build('gateway'), embeddings: build('embeddings'), search: build('search'), geometric: build('geometric') };
    // Least-privilege network paths: ALB (wired by loadBalancer) or the API's VPC link -> gateway -> backends.
    for (const svc of ['embeddings', 'search', 'geometric'] as const) this.services[svc].allowFrom(this.services.gateway.securityGroupId, 'From the gateway');
    this.cache?.allowFrom(this.services.gateway.securityGroupId, 'From the gateway');
    if (!viaAlb) {
      this.api = new HttpApi(this, 'api', {
        name: `${prefix}-api`,
        description: `Artwork Matcher (${env}) gateway`,
        vpc: this.vpc,
        integration: { cloudMapServiceArn: this.services.gateway.discoveryService!.arn },
        accessLogRetentionDays: settings.logRetentionDays,
        throttle: settings.httpApiThrottle ?? DEFAULT_HTTP_API_THROTTLE,
      });
      Guardrails.suppress(this.api, 'AWS-API-004', 'document 004\'s gateway is public without authentication (the museum app calls /identify anonymously); httpApiThrottle caps what a flood can cost');
      this.services.gateway.allowFrom(this.api.vpcLinkSecurityGroupId, 'From the API VPC link');
    }

    // ===== The search index writer: run on demand, the only task that writes the index =====
    this.searchIndexer = new TaskDefinition(this, 'search-indexer', { family: `${prefix}-search-indexer`, cpu: settings.services.search.cpu, memoryMiB: settings.services.search.memoryMiB });
    this.searchIndexer.addEfsVolume('index', this.indexFileSystem, false);
    this.searchIndexer.addContainer({
      name: 'indexer',
      image: image('search'),
      command: settings.searchIndexer.command,
      environment: { ...documentEnv.search },
      mountPoints: [{ volume: 'index', containerPath: INDEX_MOUNT }],
      logGroup: this.logGroup,
      logStreamPrefix: 'search-indexer',
      readonlyRootFilesystem: false,
    });
    this.dataBucket.grantRead(this.searchIndexer.roles.task);
    Guardrails.suppress(this.searchIndexer, 'AWS-ECS-002', 'the indexer builds the FAISS index in temporary files before it writes it to the EFS mount');
    // The indexer runs with the search service's network identity (its NFS rule).

    // ===== Monitoring =====
    this.monitoring = new Monitoring(this, 'monitoring', { namePrefix: prefix, region: settings.region, alarmEmail: settings.monitoring.alarmEmail });
    const latency = this.alb ? this.alb.metricTargetResponseTime('p99') : this.api!.metricLatency('p99');
    this.monitoring.addWidget({ title: 'Request Latency (P99)', metrics: [{ ...latency, label: 'P99 Latency' }] });
    this.monitoring.addWidget({ title: 'Request Count', metrics: [this.alb ? this.alb.metricRequestCount() : this.api!.metricCount()] });
    this.monitoring.addWidget({ title: 'ECS Service CPU Utilization', width: 24, metrics: ARTWORK_SERVICES.map((s) => this.services[s].metricCpuUtilization()) });
    this.monitoring.addWidget({ title: 'ECS Service Memory Utilization', width: 24, metrics: ARTWORK_SERVICES.map((s) => this.services[s].metricMemoryUtilization()) });
    this.monitoring.addWidget({ title: 'Running tasks', width: 24, metrics: ARTWORK_SERVICES.map((s) => this.services[s].metricRunningTasks()) });
    this.monitoring.addAlarm('high-latency', {
      name: 'high-latency',
      description: `Response latency is above ${settings.monitoring.latencyThresholdSec} seconds`,
      metric: latency,
      // The load balancer reports seconds, API Gateway milliseconds.
      threshold: this.alb ? settings.monitoring.latencyThresholdSec : settings.monitoring.latencyThresholdSec * 1000,
      comparison: 'GreaterThanThreshold',
      evaluationPeriods: 3,
    });
    if (this.alb) {
      this.monitoring.addErrorRateAlarm('high-error-rate', { loadBalancer: this.alb, thresholdPercent: settings.monitoring.errorRatePercent, evaluationPeriods: 2 });
      this.monitoring.addNoHealthyTargetsAlarm('gateway-healthy-hosts', { label: 'gateway', targetGroup: this.services.gateway.targetGroup!, service: this.services.gateway, expectRunning: ready });
    } else {
      // API Gateway answers 503 itself when no gateway task is registered: part of its 5xx count.
      this.monitoring.addMathAlarm('high-error-rate', {
        name: 'high-error-rate',
        description: `5xx responses above ${settings.monitoring.errorRatePercent}% of API requests`,
        expression: 'IF(FILL(requests, 0) > 0, 100 * FILL(errors, 0) / FILL(requests, 0), 0)',
        label: 'Error rate (%)',
        metrics: { errors: this.api!.metric5xx(), requests: this.api!.metricCount() },
        threshold: settings.monitoring.errorRatePercent,
        comparison: 'GreaterThanThreshold',
        evaluationPeriods: 2,
      });
    }
    for (const svc of ARTWORK_SERVICES) {
      this.monitoring.addServiceAlarms(svc, this.services[svc], { label: svc, expectedTasks: ready ? settings.services[svc].minCapacity : 0 });
    }

    // ===== Cost budget (the checklist's "cost monitoring with budgets") =====
    if (settings.budget.enabled) {
      this.budget = new CostBudget(this, 'budget', {
        name: `${prefix}-monthly`,
        limitUsd: settings.budget.monthlyLimitUsd,
        // Every resource carries the Stack tag (AwsStack's default tags); activate it as a cost allocation tag.
        costFilterTag: { key: 'Stack', values: [name] },
        emailSubscribers: settings.budget.emails,
        topic: this.monitoring.topic,
      });
    }

    // ===== The GitHub Actions deploy role (the checklist's CI/CD pipeline) =====
    if (settings.cicd) {
      this.deployRole = new (lazy.cicd().GithubDeployRole)(this, 'github-deploy', {
        roleName: `${prefix}-github-deploy`,
        repository: settings.cicd.githubRepository,
        branches: settings.cicd.branches,
        environments: settings.cicd.environments,
        oidcProviderArn: settings.cicd.oidcProviderArn,
        description: `GitHub Actions deploys ${name}`,
      });
      this.deployRole.grantEcrPush(ARTWORK_SERVICES.map((svc) => this.repositories[svc]));
      this.deployRole.grantStateAccess(shared.remoteState!, `environments/${env}/terraform.tfstate`);
      this.deployRole.grantEcsDeploy({
        cluster: this.cluster,
        services: ARTWORK_SERVICES.map((svc) => this.services[svc]),
        passRoles: [...ARTWORK_SERVICES.flatMap((svc) => [this.services[svc].taskDefinition.roles.task, this.services[svc].taskDefinition.roles.execution]), this.searchIndexer.roles.task, this.searchIndexer.roles.execution],
        taskDefinitions: [this.searchIndexer],
      });
    }

    // ===== Outputs (the document's, and what operating it needs) =====
    if (this.alb) new TerraformOutput(this, 'alb_dns_name', { value: this.alb.dnsName, description: 'DNS name of the load balancer' });
    new TerraformOutput(this, 'endpoint_url', {
      value: domain
        ? `https://${domain.name}`
        : this.distribution
          ? `https://${this.distribution.domainName}`
          : this.alb
            ? `${settings.alb.certificateArn ? 'https' : 'http'}://${this.alb.dnsName}`
            : this.api!.apiEndpoint,
      description: 'Public URL of the gateway (GET <url>/health, POST <url>/identify)',
    });
    if (this.distribution) new TerraformOutput(this, 'cloudfront_domain_name', { value: this.distribution.domainName, description: 'Domain name of the CloudFront distribution' });
    if (this.cache) new TerraformOutput(this, 'cache_url', { value: this.cache.url, description: 'The gateway cache (GATEWAY__CACHE__URL)' });
    if (this.backupPlan) new TerraformOutput(this, 'backup_vault', { value: this.backupPlan.vaultName, description: 'AWS Backup vault of the index and data bucket recovery points' });
    if (this.deployRole) new TerraformOutput(this, 'deploy_role_arn', { value: this.deployRole.roleArn, description: 'Role for aws-actions/configure-aws-credentials (role-to-assume)' });
    new TerraformOutput(this, 'ecr_repositories', {
      value: Object.fromEntries(ARTWORK_SERVICES.map((s) => [s, this.repositories[s].repositoryUrl])),
      description: 'ECR repository URLs',
    });
    new TerraformOutput(this, 's3_bucket', { value: this.dataBucket.bucketName, description: 'S3 bucket for data' });
    new TerraformOutput(this, 'search_indexer_run_command', {
      description: 'Builds the search index (the one writer of the EFS index)',
      value: `aws ecs run-task --cluster ${this.cluster.clusterName} --task-definition ${this.searchIndexer.family} --launch-type FARGATE --network-configuration 'awsvpcConfiguration={subnets=[${this.vpc.privateSubnetIds[0]}],securityGroups=[${this.services.search.securityGroupId}]}'`,
    });
  }
}
