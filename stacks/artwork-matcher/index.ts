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
 *   run on. Production gets a g4dn Auto Scaling Group as an ECS capacity provider (managed scaling,
 *   ECS GPU AMI, `ECS_ENABLE_GPU_SUPPORT`) and the service uses it through a capacity provider
 *   strategy (a launch type would bypass the provider and never scale instances).
 * - Request-count scaling: `resource_label` must be `<alb suffix>/<target group suffix>`; the
 *   document passes the ALB suffix alone, which AWS rejects.
 * - Security groups: the document opens every service to 10.0.0.0/8; here the gateway accepts
 *   only the ALB and the backends only the gateway.
 * - IAM: the document grants every task `s3:*Object` on `artwork-matcher-<env>-*`; here each task
 *   gets Get/Put/List on the one data bucket.
 * - `desired_count = 1` below an autoscaling minimum of 2: the initial count is the minimum.
 * - Search's FAISS index path (`/data/index`) is mounted from an encrypted EFS file system (the
 *   document lists EFS for the index but never creates it).
 * - ECR: the same repository names in all three environments collide in one account (the one the
 *   shared state bucket implies); demo creates them, staging and production use them.
 * - The error-rate alarm divides by zero when there is no traffic; the metric math returns 0 then,
 *   and load-balancer 5xx (no healthy target) count as errors too.
 */
import { Construct } from 'constructs';
import { TerraformOutput } from 'cdktf';
import { AwsStack } from '../../src/core/aws-stack';
import { SharedSettings, StackDefinition } from '../../src/settings';
import { Vpc } from '../../src/vpc';
import { EcsCluster } from '../../src/ecs-cluster';
import { EcsService } from '../../src/ecs-service';
import { ApplicationLoadBalancer } from '../../src/alb';
import { Metrics, Monitoring } from '../../src/monitoring';
import { repositoryFor } from '../../src/registry';
import { SecureBucket, SharedFileSystem } from '../../src/storage';
import { ARTWORK_SERVICES, ArtworkEnvironment, ArtworkMatcherSettings, ArtworkServiceName, artworkMatcherDefaults, artworkMatcherSchema } from './settings';

export * from './settings';

/** Port every artwork-matcher service listens on. */
export const SERVICE_PORT = 8000;
/** Cloud Map namespace the backends register in. */
export const NAMESPACE = 'artwork-matcher.local';
/** Where the search service finds its FAISS index (EFS mount). */
export const INDEX_MOUNT = '/data/index';

export class ArtworkMatcherStack extends AwsStack {
  public readonly vpc: Vpc;
  public readonly cluster: EcsCluster;
  public readonly alb: ApplicationLoadBalancer;
  public readonly services: Record<ArtworkServiceName, EcsService>;
  public readonly dataBucket: SecureBucket;
  public readonly indexFileSystem: SharedFileSystem;
  public readonly monitoring: Monitoring;

  constructor(scope: Construct, name: string, env: ArtworkEnvironment, settings: ArtworkMatcherSettings, shared: SharedSettings = {}) {
    super(scope, name, {
      region: settings.region,
      project: 'artwork-matcher',
      environment: env,
      tags: settings.tags,
      remoteState: shared.remoteState,
      stateKey: `environments/${env}/terraform.tfstate`,
    });
    const prefix = `artwork-matcher-${env}`;

    // ===== VPC =====
    this.vpc = new Vpc(this, 'vpc', {
      namePrefix: prefix,
      region: settings.region,
      cidr: settings.vpcCidr,
      availabilityZones: settings.availabilityZones,
      azCount: settings.azCount,
      natGateways: settings.natGateways,
      gatewayEndpoints: ['s3'],
    });

    // ===== ECS cluster =====
    this.cluster = new EcsCluster(this, 'ecs-cluster', {
      clusterName: prefix,
      containerInsights: 'enabled',
      logGroupName: `/ecs/${prefix}`,
      logRetentionDays: settings.logRetentionDays,
      defaultCapacityProviderStrategy: [{ capacityProvider: 'FARGATE', weight: 100, base: 1 }],
      privateNamespace: { name: NAMESPACE, vpcId: this.vpc.vpcId },
    });
    const gpuServices = ARTWORK_SERVICES.filter((s) => settings.services[s].gpu);
    const gpuProvider =
      gpuServices.length > 0
        ? this.cluster.addAsgCapacityProvider('gpu', {
            name: `${prefix}-gpu`,
            vpcId: this.vpc.vpcId,
            subnetIds: this.vpc.privateSubnetIds,
            instanceTypes: settings.gpu.instanceTypes,
            gpu: true,
            amiId: settings.gpu.amiId,
            minSize: settings.gpu.minSize,
            maxSize: settings.gpu.maxSize,
            spot: settings.gpu.spot ? { onDemandBaseCapacity: 0, onDemandPercentageAboveBase: 0 } : undefined,
            targetCapacityPercent: 100,
          })
        : undefined;

    // ===== ALB =====
    this.alb = new ApplicationLoadBalancer(this, 'alb', {
      namePrefix: prefix,
      vpcId: this.vpc.vpcId,
      vpcCidr: settings.vpcCidr,
      subnetIds: this.vpc.publicSubnetIds,
      allowedCidrs: settings.alb.allowedCidrs,
      certificateArn: settings.alb.certificateArn,
      deletionProtection: settings.alb.deletionProtection,
    });
    const gatewayTargets = this.alb.addTargetGroup('gateway', {
      name: `${prefix}-gateway`,
      port: SERVICE_PORT,
      healthCheck: { path: settings.alb.healthCheckPath, matcher: '200' },
    });
    this.alb.setDefaultTargetGroup(gatewayTargets);

    // ===== ECR repositories =====
    // The document gives every environment the same repository names: one environment (demo, by
    // default) creates them and the others use them, so the three stacks fit in one account.
    const repositoryUrls = {} as Record<ArtworkServiceName, string>;
    for (const svc of ARTWORK_SERVICES) {
      repositoryUrls[svc] = repositoryFor(this, `ecr-${svc}`, {
        create: settings.ecr.create,
        repositoryName: `artwork-matcher/${svc}`,
        scanOnPush: true,
        imageTagMutability: settings.ecr.imageTagMutability,
        keepImages: settings.ecr.keepImages,
      }).repositoryUrl;
    }

    // ===== S3 data bucket and the search index file system =====
    this.dataBucket = new SecureBucket(this, 'data', { bucketName: `${prefix}-data`, versioned: true, noncurrentVersionExpirationDays: 90 });
    this.indexFileSystem = new SharedFileSystem(this, 'search-index', {
      name: `${prefix}-search-index`,
      vpcId: this.vpc.vpcId,
      subnetIds: this.vpc.privateSubnetIds,
      accessPoint: { path: '/index', uid: 1000, gid: 1000 },
    });

    // ===== Services =====
    const backendUrl = (svc: string) => `http://${svc}.${NAMESPACE}:${SERVICE_PORT}`;
    const documentEnv: Record<ArtworkServiceName, Record<string, string>> = {
      gateway: {
        GATEWAY__BACKENDS__EMBEDDINGS__URL: backendUrl('embeddings'),
        GATEWAY__BACKENDS__SEARCH__URL: backendUrl('search'),
        GATEWAY__BACKENDS__GEOMETRIC__URL: backendUrl('geometric'),
      },
      embeddings: { EMBEDDINGS__MODEL__DEVICE: settings.services.embeddings.gpu ? 'cuda' : 'cpu' },
      search: { SEARCH__INDEX__PATH: `${INDEX_MOUNT}/faiss.index` },
      geometric: {},
    };

    const build = (svc: ArtworkServiceName): EcsService => {
      const cfg = settings.services[svc];
      const onGpu = cfg.gpu && gpuProvider !== undefined;
      const service = new EcsService(this, svc, {
        serviceName: `${prefix}-${svc}`,
        cluster: this.cluster,
        vpcId: this.vpc.vpcId,
        subnetIds: this.vpc.privateSubnetIds,
        compatibility: onGpu ? 'EC2' : 'FARGATE',
        capacityProviderStrategy: onGpu ? [{ capacityProvider: gpuProvider.capacityProviderName, weight: 1, base: 0 }] : cfg.capacityProviderStrategy,
        cpu: cfg.cpu,
        memoryMiB: cfg.memoryMiB,
        gpuCount: onGpu ? 1 : 0,
        containerName: svc,
        image: `${repositoryUrls[svc]}:${settings.imageTag}`,
        containerPort: SERVICE_PORT,
        environment: { ...documentEnv[svc], ...cfg.environment },
        healthCheck: { command: ['CMD-SHELL', `curl -f http://localhost:${SERVICE_PORT}/health || exit 1`], intervalSec: 30, timeoutSec: 5, retries: 3, startPeriodSec: 60 },
        logGroupName: this.cluster.logGroupName,
        region: settings.region,
        logStreamPrefix: svc,
        desiredCount: cfg.desiredCount,
        minHealthyPercent: 100,
        maxHealthyPercent: 200,
        enableExecuteCommand: settings.enableExecuteCommand,
        targetGroupArn: svc === 'gateway' ? gatewayTargets.targetGroupArn : undefined,
        cloudMap: svc === 'gateway' ? undefined : { namespaceId: this.cluster.namespace!.id, name: svc },
        efsVolumes: svc === 'search' ? [{ name: 'index', fileSystemId: this.indexFileSystem.fileSystemId, accessPointId: this.indexFileSystem.accessPointId, containerPath: INDEX_MOUNT }] : undefined,
        // Python services writing model caches and temp files: the document's containers need a writable root.
        readonlyRootFilesystem: false,
        // ECS rejects a target group no listener attaches yet; EFS cannot be mounted before its mount targets exist.
        dependsOn: svc === 'gateway' ? [this.alb.listener] : svc === 'search' ? this.indexFileSystem.mountTargets : [],
      });
      // The document's S3 access (Get/Put/List), scoped to this environment's data bucket.
      this.dataBucket.grantRead(service);
      this.dataBucket.grantWrite(service);

      service.autoScaleTaskCount({
        minCapacity: cfg.minCapacity,
        maxCapacity: cfg.maxCapacity,
        cpu: { target: cfg.cpuTarget, scaleInCooldownSec: cfg.scaleInCooldownSec, scaleOutCooldownSec: cfg.scaleOutCooldownSec },
        memory: { target: cfg.memoryTarget, scaleInCooldownSec: cfg.scaleInCooldownSec, scaleOutCooldownSec: cfg.scaleOutCooldownSec },
        requestCount:
          svc === 'gateway' && cfg.requestsPerTarget > 0
            ? {
                requestsPerTarget: cfg.requestsPerTarget,
                loadBalancerArnSuffix: this.alb.loadBalancerArnSuffix,
                targetGroupArnSuffix: gatewayTargets.targetGroupArnSuffix,
                scaleInCooldownSec: cfg.scaleInCooldownSec,
                scaleOutCooldownSec: cfg.scaleOutCooldownSec,
              }
            : undefined,
        scheduled: settings.scheduledScaling
          ? [
              // Before museum opening: double the floor. After closing: back to the floor, half the ceiling.
              { name: 'scale-up-morning', schedule: 'cron(0 8 * * ? *)', minCapacity: Math.min(cfg.minCapacity * 2, cfg.maxCapacity), maxCapacity: cfg.maxCapacity },
              { name: 'scale-down-evening', schedule: 'cron(0 19 * * ? *)', minCapacity: cfg.minCapacity, maxCapacity: Math.max(cfg.minCapacity, Math.floor(cfg.maxCapacity / 2)) },
            ]
          : [],
      });
      return service;
    };
    this.services = { gateway: build('gateway'), embeddings: build('embeddings'), search: build('search'), geometric: build('geometric') };

    // Least-privilege network paths: ALB -> gateway -> backends; search -> EFS.
    this.services.gateway.allowFrom(this.alb.securityGroupId, 'From the ALB');
    for (const svc of ['embeddings', 'search', 'geometric'] as const) this.services[svc].allowFrom(this.services.gateway.securityGroupId, 'From the gateway');
    this.indexFileSystem.allowFrom(this.services.search.securityGroupId);
    this.indexFileSystem.grantMount(this.services.search);

    // ===== Monitoring =====
    this.monitoring = new Monitoring(this, 'monitoring', { namePrefix: prefix, region: settings.region, alarmEmail: settings.monitoring.alarmEmail });
    const alb = this.alb.loadBalancerArnSuffix;
    this.monitoring.addWidget({ title: 'Request Latency (P99)', metrics: [{ ...Metrics.albTargetResponseTime(alb, 'p99'), label: 'P99 Latency' }] });
    this.monitoring.addWidget({ title: 'Request Count', metrics: [Metrics.albRequestCount(alb)] });
    this.monitoring.addWidget({ title: 'ECS Service CPU Utilization', width: 24, metrics: ARTWORK_SERVICES.map((s) => Metrics.ecsCpu(prefix, `${prefix}-${s}`, s)) });
    this.monitoring.addWidget({ title: 'ECS Service Memory Utilization', width: 24, metrics: ARTWORK_SERVICES.map((s) => Metrics.ecsMemory(prefix, `${prefix}-${s}`, s)) });
    this.monitoring.addAlarm('high-latency', {
      name: 'high-latency',
      description: `Response latency is above ${settings.monitoring.latencyThresholdSec} seconds`,
      metric: Metrics.albTargetResponseTime(alb, 'p99'),
      threshold: settings.monitoring.latencyThresholdSec,
      comparison: 'GreaterThanThreshold',
      evaluationPeriods: 3,
    });
    this.monitoring.addErrorRateAlarm('high-error-rate', { albArnSuffix: alb, thresholdPercent: settings.monitoring.errorRatePercent, evaluationPeriods: 2 });

    // ===== Outputs (the document's) =====
    new TerraformOutput(this, 'alb_dns_name', { value: this.alb.dnsName, description: 'DNS name of the load balancer' });
    new TerraformOutput(this, 'ecr_repositories', { value: repositoryUrls, description: 'ECR repository URLs' });
    new TerraformOutput(this, 's3_bucket', { value: this.dataBucket.bucketName, description: 'S3 bucket for data' });
  }
}

/** The stack definition of one environment. */
export function artworkMatcher(env: ArtworkEnvironment): StackDefinition<ArtworkMatcherSettings, Construct> {
  const name = `artwork-matcher-${env}`;
  return {
    name,
    schema: artworkMatcherSchema,
    defaults: artworkMatcherDefaults(env),
    create: (app, settings, shared) => new ArtworkMatcherStack(app, name, env, settings, shared),
  };
}
