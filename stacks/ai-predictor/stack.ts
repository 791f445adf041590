/**
 * `ai-predictor`: document 001 (Terraform infrastructure for the AI Predictor FastAPI backend),
 * built from the modules it describes: networking (Vpc), security (the security groups of the
 * endpoints, the VPC link and the service), s3 (SecureBucket), ecr (repositoryFor), iam (the
 * service's task roles and bucket grants), ecs (EcsCluster, EcsService) and api-gateway (HttpApi).
 *
 * Where the document is wrong or silent, and what is built instead:
 * - "Automatic fallback to regular Fargate if Spot capacity is unavailable": ECS has no such
 *   fallback. A task placed on FARGATE_SPOT waits while Spot has no capacity; an on-demand `base`
 *   in the strategy is a floor that always runs on FARGATE, not a fallback. The default is Spot
 *   only (the document's cost); `backend.capacityProviderStrategy` buys a floor (README).
 * - "$8-15/month": three interface endpoints cost 7.30 USD each per zone, so 43.80 USD in two
 *   zones before anything runs. They sit in one zone by default (21.90 USD; tasks in the other
 *   zone reach them across zones and lose them with that zone); `network.interfaceEndpointZones`
 *   2 buys zone independence. With one Spot task and Container Insights (about 9 USD of custom
 *   metrics the document does not count) the default is about 38 USD a month before usage
 *   (README); the dashboard, which the document does not have, is off.
 * - Endpoints: a Fargate task without NAT needs ECR API, ECR Docker, the S3 gateway endpoint (image
 *   layers live in S3) and CloudWatch Logs (the awslogs driver fails the task when it cannot create
 *   its stream); nothing else for this backend (Fargate's agent and Container Insights need no
 *   endpoint; task credentials come from the task metadata endpoint). ECS Exec adds `ssmmessages`.
 * - The VPC has no public subnets and no internet gateway: nothing here is public but the API.
 *   Private subnets start at network 8 of the /16 (10.0.128.0/20, ...), so adding a zone or a NAT
 *   gateway later adds subnets instead of renumbering (replacing) the existing ones.
 * - VPC link: API Gateway reaches the tasks through Cloud Map (no load balancer, no hourly charge).
 *   Its Cloud Map integration needs the port as well as the address, which ECS registers only in
 *   SRV records: the service registers with SRV records in a private namespace `<prefix>.local`.
 * - IAM: "least privilege" is made exact: the task role may list both buckets and get, put and
 *   abort multipart uploads of their objects; delete only with `s3.allowDelete`. Nothing else.
 * - Images: the document applies before any image exists (the service fails deployment after
 *   deployment until one is pushed); here the service waits at 0 tasks until `imageTag` is set.
 *   The repository is MUTABLE because the document pushes `:latest`.
 * - Bucket names are global: they carry the account and region unless given.
 * - Remote state: the document's `predictor-model-terraform-state` and
 *   `predictor-model-terraform-locks` are this stack's `remoteState` defaults, switched on with
 *   `remoteState.enabled`.
 * - The document names no region, environment, task size, port, health check or scaling bounds:
 *   us-east-1, "dev", 0.5 vCPU / 1 GiB (its 4-6 USD of Spot), 8000, GET /health, 1 to 4 tasks.
 * - Throttling: the document has none (the account's 10,000 requests per second); every route is
 *   throttled at 50 requests per second with bursts of 100 by default (`api.throttle`).
 * - Outages are alarmed (tasks below desired, API 5xx rate; API Gateway answers 503 without a
 *   task) on an encrypted topic; the document has logs only.
 */
import { Construct } from 'constructs';
import { TerraformOutput } from 'cdktf';
import { AwsStack } from '../../src/core/aws-stack';
import type { SharedSettings } from '../settings';
import { stackRemoteState, vpcProps } from '../settings/shapes';
import { Vpc } from '../../src/network/vpc';
import { EcsCluster } from '../../src/compute/ecs-cluster';
import { EcsService, HealthChecks } from '../../src/compute/ecs-service';
import { HttpApi } from '../../src/edge/http-api';
import { LogGroup } from '../../src/observability/logs';
import { Monitoring } from '../../src/observability/monitoring';
import { Guardrails } from '../../src/core/suppressions';
import { RepositoryReference, repositoryFor } from '../../src/data/registry';
import { BucketAccess, SecureBucket } from '../../src/data/bucket';
import { AiPredictorSettings } from './settings';

export const AI_PREDICTOR = 'ai-predictor';
/** Name of the backend in its Cloud Map namespace and of its container. */
export const BACKEND = 'backend';
/**
 * Network number of the first private subnet (`cidrsubnet(vpcCidr, 4, 8 + i)`): public subnets,
 * should a NAT gateway ever need them, take 0 to 7, and no subnet is renumbered.
 */
export const PRIVATE_SUBNET_OFFSET = 8;

export class AiPredictorStack extends AwsStack {
  public readonly vpc: Vpc;
  public readonly cluster: EcsCluster;
  public readonly logGroup: LogGroup;
  public readonly repository: RepositoryReference;
  public readonly filesBucket: SecureBucket;
  public readonly dataBucket: SecureBucket;
  public readonly service: EcsService;
  public readonly api: HttpApi;
  public readonly monitoring: Monitoring;
  /** The backend's environment (also the `backend_environment_variables` output). */
  public readonly backendEnvironment: Readonly<Record<string, string>>;

  constructor(scope: Construct, name: string, settings: AiPredictorSettings, shared: SharedSettings = {}) {
    super(scope, name, {
      region: settings.region,
      project: settings.projectName,
      environment: settings.environment,
      tags: settings.tags,
      accountId: settings.accountId,
      ...stackRemoteState(settings.remoteState, shared.remoteState, settings.region),
    });
    const prefix = `${settings.projectName}-${settings.environment}`;
    const b = settings.backend;
    const ready = settings.imageTag !== undefined;
    const net = settings.network;

    // ===== networking: private subnets only, no NAT; S3 gateway and interface endpoints =====
    this.vpc = new Vpc(this, 'vpc', {
      namePrefix: prefix,
      region: settings.region,
      ...vpcProps(net),
      // A NAT gateway is the only thing that would need a public subnet.
      publicSubnets: net.natGateways !== 'none',
      privateSubnetOffset: PRIVATE_SUBNET_OFFSET,
      gatewayEndpoints: ['s3'],
    });

    // ===== ecs: cluster with Container Insights and the backend's log group =====
    this.cluster = new EcsCluster(this, 'ecs-cluster', {
      clusterName: `${prefix}-cluster`,
      containerInsights: settings.containerInsights ? 'enabled' : 'disabled',
      defaultCapacityProviderStrategy: b.capacityProviderStrategy,
      // API Gateway finds the tasks through this namespace (SRV records).
      privateNamespace: { name: `${prefix}.local`, vpcId: this.vpc.vpcId },
    });
    this.logGroup = new LogGroup(this, 'logs', { name: `/ecs/${prefix}-backend`, retentionDays: settings.logRetentionDays });

    // ===== ecr =====
    this.repository = repositoryFor(this, 'ecr', {
      repositoryName: `${prefix}-backend`,
      scanOnPush: true,
      imageTagMutability: settings.ecr.imageTagMutability,
      keepImages: settings.ecr.keepImages,
      untaggedExpiryDays: settings.ecr.untaggedExpiryDays,
    });

    // ===== s3: files and processed data =====
    const bucket = (id: string, given: string | undefined) =>
      new SecureBucket(this, id, {
        bucketName: given ?? this.qualifiedName(`${prefix}-${id}`),
        versioned: settings.s3.versioning,
        noncurrentVersionExpirationDays: settings.s3.versioning ? settings.s3.noncurrentVersionExpirationDays : undefined,
        encryption: settings.s3.encryption,
      });
    this.filesBucket = bucket('files', settings.s3.filesBucketName);
    this.dataBucket = bucket('data', settings.s3.dataBucketName);

    // ===== ecs: the FastAPI backend on Fargate Spot, in private subnets, without public IPs =====
    this.backendEnvironment = {
      ...b.environment,
      AWS_REGION: settings.region,
      ENVIRONMENT: settings.environment,
      S3_FILES_BUCKET: this.filesBucket.bucketName,
      S3_DATA_BUCKET: this.dataBucket.bucketName,
    };
    this.service = new EcsService(this, 'service', {
      serviceName: `${prefix}-backend`,
      cluster: this.cluster,
      vpc: this.vpc,
      assignPublicIp: false,
      capacityProviderStrategy: b.capacityProviderStrategy,
      cpu: b.cpu,
      memoryMiB: b.memoryMiB,
      containerName: BACKEND,
      image: `${this.repository.repositoryUrl}:${settings.imageTag ?? 'latest'}`,
      containerPort: b.containerPort,
      environment: this.backendEnvironment,
      healthCheck: b.healthCheckPath
        ? { command: HealthChecks.http(b.containerPort, b.healthCheckPath, 'python'), intervalSec: 30, timeoutSec: 5, retries: 3, startPeriodSec: b.healthCheckStartPeriodSec }
        : undefined,
      logGroup: this.logGroup,
      logStreamPrefix: BACKEND,
      // Until an image tag is given the repository may be empty: no task is started.
      desiredCount: ready ? b.desiredCount : 0,
      minHealthyPercent: 100,
      maxHealthyPercent: 200,
      enableExecuteCommand: b.enableExecuteCommand,
      cloudMap: { namespaceId: this.cluster.namespace!.id, name: BACKEND, recordType: 'SRV' },
      // FastAPI spools uploads above 1 MB to /tmp: the root filesystem stays writable.
      readonlyRootFilesystem: false,
    });
    Guardrails.suppress(this.service, 'AWS-ECS-002', 'FastAPI spools uploads above 1 MB to /tmp in the image\'s filesystem');
    this.service.autoScaleTaskCount({
      minCapacity: ready ? b.minCapacity : 0,
      maxCapacity: ready ? b.maxCapacity : 0,
      cpu: { target: b.cpuTarget, scaleInCooldownSec: b.scaleInCooldownSec, scaleOutCooldownSec: b.scaleOutCooldownSec },
      memory: { target: b.memoryTarget, scaleInCooldownSec: b.scaleInCooldownSec, scaleOutCooldownSec: b.scaleOutCooldownSec },
    });

    // ===== iam: the task role gets exactly the backend's S3 access, on these two buckets =====
    const access: BucketAccess[] = ['list', 'read', 'write', ...(settings.s3.allowDelete ? (['delete'] as const) : [])];
    this.filesBucket.grant(this.service, access);
    this.dataBucket.grant(this.service, access);

    // ===== api-gateway: HTTP API -> VPC link -> Cloud Map SRV -> tasks =====
    const api = settings.api;
    this.api = new HttpApi(this, 'api', {
      name: `${prefix}-api`,
      description: `AI Predictor backend (${settings.environment})`,
      vpc: this.vpc,
      integration: { cloudMapServiceArn: this.service.discoveryService!.arn },
      cors:
        api.corsAllowOrigins.length > 0
          ? { allowOrigins: api.corsAllowOrigins, allowMethods: api.corsAllowMethods, allowHeaders: api.corsAllowHeaders, maxAgeSec: api.corsMaxAgeSec }
          : undefined,
      throttle: api.throttle,
      accessLogRetentionDays: api.accessLogRetentionDays,
    });
    Guardrails.suppress(this.api, 'AWS-API-004', 'document 001 publishes the FastAPI backend without an authorizer (the application checks its own Authorization header); api.throttle caps what a flood can cost');
    // security: the backend accepts its port from the VPC link only.
    this.service.allowFrom(this.api.vpcLinkSecurityGroupId, 'From the API Gateway VPC link');

    // ===== monitoring: outages, on the encrypted alarm topic =====
    this.monitoring = new Monitoring(this, 'monitoring', { namePrefix: prefix, region: settings.region, alarmEmail: settings.monitoring.alarmEmail, dashboard: settings.monitoring.dashboard });
    this.monitoring.addWidget({ title: 'API requests and errors', metrics: [this.api.metricCount(), this.api.metric4xx(), this.api.metric5xx()] });
    this.monitoring.addWidget({ title: 'API latency (P99)', metrics: [this.api.metricLatency('p99')] });
    this.monitoring.addWidget({ title: 'Backend CPU and memory', metrics: [this.service.metricCpuUtilization(), this.service.metricMemoryUtilization()] });
    this.monitoring.addWidget({ title: 'Backend tasks', metrics: [this.service.metricRunningTasks()] });
    this.monitoring.addMathAlarm('api-errors', {
      name: 'api-5xx-rate',
      description: `More than ${settings.monitoring.apiErrorRatePercent}% of API requests answer 5xx (API Gateway answers 503 when no backend task is reachable)`,
      expression: 'IF(FILL(requests, 0) > 0, 100 * FILL(errors, 0) / FILL(requests, 0), 0)',
      label: 'API 5xx rate (%)',
      metrics: { errors: this.api.metric5xx(), requests: this.api.metricCount() },
      threshold: settings.monitoring.apiErrorRatePercent,
      comparison: 'GreaterThanThreshold',
      evaluationPeriods: 2,
    });
    // Spot interruptions without Spot capacity show here: tasks wanted, none running.
    this.monitoring.addServiceAlarms(BACKEND, this.service, { label: BACKEND, expectedTasks: ready ? b.minCapacity : 0 });

    // ===== outputs (the document's) =====
    new TerraformOutput(this, 'api_gateway_url', { value: this.api.apiEndpoint, description: 'API endpoint URL (the $default stage serves the root)' });
    new TerraformOutput(this, 'ecr_repository_url', { value: this.repository.repositoryUrl, description: 'ECR repository for the backend image' });
    new TerraformOutput(this, 's3_files_bucket_name', { value: this.filesBucket.bucketName, description: 'S3 bucket for uploaded files' });
    new TerraformOutput(this, 's3_data_bucket_name', { value: this.dataBucket.bucketName, description: 'S3 bucket for processed data' });
    new TerraformOutput(this, 'ecs_cluster_name', { value: this.cluster.clusterName, description: 'ECS cluster name' });
    new TerraformOutput(this, 'ecs_service_name', { value: this.service.serviceName, description: 'ECS service name' });
    new TerraformOutput(this, 'backend_environment_variables', { value: this.backendEnvironment, description: "The backend's environment variables (AWS_REGION, ENVIRONMENT, bucket names and any extra)" });
  }
}
