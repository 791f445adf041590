/**
 * `artwork-matcher-demo`, `-staging`, `-production`: four Python microservices (a public gateway
 * and three backends it calls by name) on ECS, with GPU embeddings in production, a FAISS search
 * index on EFS and a data bucket. What the stack fixes in its design document, and why it differs
 * where it does: docs/stacks/artwork-matcher.md.
 */
import { Construct } from 'constructs';
import { AwsStack } from '../../src/core/aws-stack';
import { isProductionEnvironment } from '../../src/core/environment';
import { Guardrails } from '../../src/core/suppressions';
import type { SharedSettings } from '../settings';
import { albAccessLogsOn, albProps, gpuSpot, vpcProps, wafOptions } from '../settings/shapes';
import type { AsgCapacityProvider } from '../../src/compute/ecs-cluster';
import { HealthChecks, TaskDefinition } from '../../src/compute/ecs-service';
import type { HttpApi } from '../../src/edge/http-api';
import { LogGroup } from '../../src/observability/logs';
import type { IRepository } from '../../src/data/registry';
import { SecureBucket } from '../../src/data/bucket';
import { SharedFileSystem } from '../../src/data/efs';
import type { BackupPlan } from '../../src/data/backup';
import type { RedisCache } from '../../src/data/cache';
import type { CostBudget } from '../../src/observability/budget';
import type { GithubDeployRole } from '../../src/security/cicd';
import { ContainerService, EcsPlatform, ImageRelease, PublicEndpoint } from '../../src/patterns';
import { ARTWORK_SERVICES, ArtworkEnvironment, ArtworkMatcherSettings, ArtworkServiceName } from './settings';
import { addArtworkMonitoring, addArtworkOutputs, addGatewayApi, addOperationsOptions, addStorageOptions, scalingOf } from './parts';

/** Port every artwork-matcher service listens on. */
const SERVICE_PORT = 8000;
/** Cloud Map namespace the backends register in. */
const NAMESPACE = 'artwork-matcher.local';
/** Where the search service finds its FAISS index (EFS mount). */
const INDEX_MOUNT = '/data/index';

export class ArtworkMatcherStack extends AwsStack {
  public readonly platform: EcsPlatform;
  public readonly endpoint: PublicEndpoint;
  public readonly gpuCapacity?: AsgCapacityProvider;
  /** The public HTTP API (ingress "httpApi"). */
  public readonly api?: HttpApi;
  public readonly logGroup: LogGroup;
  public readonly repositories: Record<ArtworkServiceName, IRepository>;
  public readonly services: Record<ArtworkServiceName, ContainerService>;
  public readonly searchIndexer: TaskDefinition;
  public readonly dataBucket: SecureBucket;
  public readonly indexFileSystem: SharedFileSystem;
  /** The production checklist's options: `backup`, `cache`, `budget`, `cicd`. */
  public readonly backupPlan?: BackupPlan;
  public readonly cache?: RedisCache;
  public readonly budget?: CostBudget;
  public readonly deployRole?: GithubDeployRole;

  constructor(scope: Construct, name: string, env: ArtworkEnvironment, settings: ArtworkMatcherSettings, shared: SharedSettings = {}) {
    super(scope, name, { region: settings.region, project: 'artwork-matcher', environment: env, tags: settings.tags, accountId: settings.accountId, remoteState: shared.remoteState, stateKey: `environments/${env}/terraform.tfstate` });
    const prefix = `artwork-matcher-${env}`;
    const release = new ImageRelease(settings.imageTag);
    const viaAlb = settings.ingress === 'alb';

    this.platform = new EcsPlatform(this, {
      namePrefix: prefix,
      network: { ...vpcProps(settings.network), gatewayEndpoints: ['s3'] },
      containerInsights: settings.containerInsights,
      defaultCapacityProviderStrategy: [{ capacityProvider: 'FARGATE', weight: 100, base: 1 }],
      namespace: NAMESPACE,
      repositories: settings.ecr,
      encryption: { repositories: settings.ecr.customerManagedKey, fileSystems: settings.searchIndexer.customerManagedKey },
      // Outside production, terraform destroy deletes images, logs and data itself (docs/operations.md).
      forceDestroy: !isProductionEnvironment(env),
    });
    const { vpc, cluster } = this.platform;
    if (!settings.containerInsights) Guardrails.suppress(cluster, 'AWS-ECS-006', 'containerInsights is false in this environment\'s settings (the demo default, for cost); the alarms and dashboard use the ECS service metrics, which need no Container Insights');
    this.logGroup = new LogGroup(this, 'logs', { name: `/ecs/${prefix}`, retentionDays: settings.logRetentionDays });
    const gpu = settings.gpu;
    if (ARTWORK_SERVICES.some((s) => settings.services[s].gpu)) this.gpuCapacity = cluster.addAsgCapacityProvider('gpu', { name: `${prefix}-gpu`, vpc, instanceTypes: gpu.instanceTypes, gpu: true, amiId: gpu.amiId, minSize: gpu.minSize, maxSize: gpu.maxSize, desiredCapacity: gpu.desiredCapacity, spot: gpuSpot(gpu) });

    this.endpoint = new PublicEndpoint({
      platform: this.platform,
      accessLogs: albAccessLogsOn(settings.alb, env),
      loadBalancer: viaAlb ? albProps(settings.alb) : undefined,
      domain: settings.domain,
      waf: wafOptions(settings.waf),
      cdn: settings.cloudfront.enabled ? { ...settings.cloudfront, comment: `Artwork Matcher (${env})` } : undefined,
      plainHttpWarning: env === 'production' ? `${name}: the load balancer answers plain HTTP only; give domain (or alb.certificateArn, or cloudfront) for HTTPS, as the document's production checklist asks` : undefined,
    });
    const alb = this.endpoint.alb;

    this.repositories = Object.fromEntries(ARTWORK_SERVICES.map((svc) => [svc, this.platform.addRepository(`ecr-${svc}`, `${settings.ecr.repositoryPrefix}/${svc}`)])) as Record<ArtworkServiceName, IRepository>;
    this.dataBucket = new SecureBucket(this, 'data', {
      bucketName: settings.dataBucketName ?? this.qualifiedName(`${prefix}-data`),
      versioned: true,
      noncurrentVersionExpirationDays: settings.dataVersionRetentionDays,
      serverAccessLogs: this.platform.accessLogs ? { bucket: this.platform.accessLogs } : undefined,
      forceDestroy: this.platform.forceDestroy,
    });
    this.indexFileSystem = new SharedFileSystem(this, 'search-index', { name: `${prefix}-search-index`, vpc, accessPoint: { path: '/index', uid: 1000, gid: 1000 }, backup: !settings.backup.enabled /* EFS's own, unless the backup plan covers it */ });
    if (!settings.searchIndexer.customerManagedKey) Guardrails.suppress(this.indexFileSystem, 'AWS-EFS-004', 'searchIndexer.customerManagedKey is off: a key on an existing file system replaces it; EFS encrypts the index with its AWS managed key meanwhile, and the indexer rebuilds the index from the data bucket');
    ({ backupPlan: this.backupPlan, cache: this.cache } = addStorageOptions(this, prefix, settings));

    const backendUrl = (svc: string) => `http://${svc}.${NAMESPACE}:${SERVICE_PORT}`;
    const documentEnv: Record<ArtworkServiceName, Record<string, string>> = {
      gateway: { GATEWAY__BACKENDS__EMBEDDINGS__URL: backendUrl('embeddings'), GATEWAY__BACKENDS__SEARCH__URL: backendUrl('search'), GATEWAY__BACKENDS__GEOMETRIC__URL: backendUrl('geometric'), ...(this.cache ? { GATEWAY__CACHE__URL: this.cache.url } : {}) },
      embeddings: { EMBEDDINGS__MODEL__DEVICE: settings.services.embeddings.gpu ? 'cuda' : 'cpu' },
      search: { SEARCH__INDEX__PATH: `${INDEX_MOUNT}/faiss.index` },
      geometric: {},
    };
    const build = (svc: ArtworkServiceName): ContainerService => {
      const cfg = settings.services[svc];
      const onGpu = cfg.gpu && this.gpuCapacity !== undefined;
      const service = new ContainerService(this, svc, {
        platform: this.platform,
        serviceName: `${prefix}-${svc}`,
        compatibility: onGpu ? 'EC2' : 'FARGATE',
        capacityProviderStrategy: onGpu ? [{ capacityProvider: this.gpuCapacity!.capacityProviderName, weight: 1, base: 0 }] : cfg.capacityProviderStrategy,
        cpu: cfg.cpu,
        memoryMiB: cfg.memoryMiB,
        gpuCount: onGpu ? 1 : 0,
        containerName: svc,
        image: { repository: this.repositories[svc], release },
        containerPort: SERVICE_PORT,
        environment: { ...documentEnv[svc], ...cfg.environment },
        healthCheck: { command: HealthChecks.http(SERVICE_PORT, '/health', 'python'), intervalSec: 30, timeoutSec: 5, retries: 3, startPeriodSec: cfg.healthCheckStartPeriodSec },
        logGroup: this.logGroup,
        logStreamPrefix: svc,
        desiredCount: cfg.desiredCount,
        enableExecuteCommand: settings.enableExecuteCommand,
        loadBalancer: svc === 'gateway' && alb ? { alb, route: 'default', healthCheck: { path: settings.alb.healthCheckPath, matcher: '200' } } : undefined,
        // The backends by name (A records); behind an HTTP API the gateway by address and port (SRV records, what its VPC link integration needs).
        cloudMap: svc !== 'gateway' ? { name: svc } : viaAlb ? undefined : { name: svc, recordType: 'SRV' },
        efsVolumes: svc === 'search' ? [{ name: 'index', fileSystem: this.indexFileSystem, containerPath: INDEX_MOUNT, readOnly: true }] : undefined,
        writableRoot: 'the Python services download models into caches and write temporary files in the image\'s filesystem (the document\'s containers assume a writable root; scratchPaths makes it read-only)',
        scratchPaths: settings.scratchPaths,
        scaling: scalingOf(settings, svc, svc === 'gateway' && viaAlb),
      });
      // The document's S3 access (Get/Put/List), scoped to this environment's data bucket.
      this.dataBucket.grantRead(service.service);
      this.dataBucket.grantWrite(service.service);
      return service;
    };
    this.services = { gateway: build('gateway'), embeddings: build('embeddings'), search: build('search'), geometric: build('geometric') };
    // Least-privilege network paths: ALB (wired by loadBalancer) or the API's VPC link -> gateway -> backends.
    const gateway = this.services.gateway.service;
    for (const svc of ['embeddings', 'search', 'geometric'] as const) this.services[svc].service.allowFrom(gateway.securityGroupId, 'From the gateway');
    this.cache?.allowFrom(gateway.securityGroupId, 'From the gateway');
    if (!viaAlb) this.api = addGatewayApi(this.platform, env, settings, gateway);

    // The search index writer, run on demand: the only task that writes the index (with the search service's network identity).
    this.searchIndexer = new TaskDefinition(this, 'search-indexer', { family: `${prefix}-search-indexer`, cpu: settings.services.search.cpu, memoryMiB: settings.services.search.memoryMiB });
    this.searchIndexer.addEfsVolume('index', this.indexFileSystem, false);
    this.searchIndexer.addContainer({ name: 'indexer', image: release.image(this.repositories.search), command: settings.searchIndexer.command, environment: { ...documentEnv.search }, mountPoints: [{ volume: 'index', containerPath: INDEX_MOUNT }], logGroup: this.logGroup, logStreamPrefix: 'search-indexer', ...(settings.scratchPaths.length > 0 ? { scratchPaths: settings.scratchPaths } : { readonlyRootFilesystem: false }) });
    this.dataBucket.grantRead(this.searchIndexer.roles.task);
    if (settings.scratchPaths.length === 0) Guardrails.suppress(this.searchIndexer, 'AWS-ECS-002', 'the indexer builds the FAISS index in temporary files before it writes it to the EFS mount (scratchPaths makes the root read-only)');

    addArtworkMonitoring(this, settings);
    ({ budget: this.budget, deployRole: this.deployRole } = addOperationsOptions(this, name, env, settings, shared));
    addArtworkOutputs(this);
  }
}
