/**
 * `ai-predictor`: a FastAPI backend on Fargate Spot in private subnets without a NAT gateway (VPC
 * endpoints instead), published through an API Gateway HTTP API and a VPC link to its Cloud Map
 * SRV records, with two S3 buckets. What the stack fixes in its design document, and why it
 * differs where it does: docs/stacks/ai-predictor.md.
 */
import { Construct } from 'constructs';
import { TerraformOutput } from 'cdktf';
import { AwsStack } from '../../src/core/aws-stack';
import { isProductionEnvironment } from '../../src/core/environment';
import { Guardrails } from '../../src/core/suppressions';
import type { SharedSettings } from '../settings';
import { stackRemoteState, vpcProps } from '../settings/shapes';
import { HealthChecks } from '../../src/compute/ecs-service';
import { HttpApi } from '../../src/edge/http-api';
import { LogGroup } from '../../src/observability/logs';
import type { Monitoring } from '../../src/observability/monitoring';
import type { IRepository } from '../../src/data/registry';
import { BucketAccess, SecureBucket } from '../../src/data/bucket';
import { ContainerService, EcsPlatform, ImageRelease } from '../../src/patterns';
import { AiPredictorSettings } from './settings';

export const AI_PREDICTOR = 'ai-predictor';
/** Name of the backend in its Cloud Map namespace and of its container. */
const BACKEND = 'backend';
/**
 * Network number of the first private subnet (`cidrsubnet(vpcCidr, 4, 8 + i)`): public subnets,
 * should a NAT gateway ever need them, take 0 to 7, and no subnet is renumbered.
 */
const PRIVATE_SUBNET_OFFSET = 8;

export class AiPredictorStack extends AwsStack {
  public readonly platform: EcsPlatform;
  public readonly logGroup: LogGroup;
  public readonly repository: IRepository;
  public readonly filesBucket: SecureBucket;
  public readonly dataBucket: SecureBucket;
  public readonly service: ContainerService;
  public readonly api: HttpApi;
  public readonly monitoring: Monitoring;
  /** The backend's environment (also the `backend_environment_variables` output). */
  public readonly backendEnvironment: Readonly<Record<string, string>>;

  constructor(scope: Construct, name: string, settings: AiPredictorSettings, shared: SharedSettings = {}) {
    super(scope, name, { region: settings.region, project: settings.projectName, environment: settings.environment, tags: settings.tags, accountId: settings.accountId, ...stackRemoteState(settings.remoteState, shared.remoteState, settings.region) });
    const prefix = `${settings.projectName}-${settings.environment}`;
    const b = settings.backend;
    const net = settings.network;

    // Private subnets only, no NAT (a NAT gateway is the only thing that would need a public subnet);
    // API Gateway finds the tasks through the namespace (SRV records).
    this.platform = new EcsPlatform(this, {
      namePrefix: prefix,
      network: { ...vpcProps(net), publicSubnets: net.natGateways !== 'none' || b.assignPublicIp, privateSubnetOffset: PRIVATE_SUBNET_OFFSET, gatewayEndpoints: ['s3'] },
      clusterName: `${prefix}-cluster`,
      containerInsights: settings.containerInsights,
      defaultCapacityProviderStrategy: b.capacityProviderStrategy,
      namespace: `${prefix}.local`,
      repositories: settings.ecr,
      encryption: { repositories: settings.ecr.customerManagedKey },
      // Outside production, terraform destroy deletes images and objects itself (docs/operations.md).
      forceDestroy: !isProductionEnvironment(settings.environment),
    });
    this.logGroup = new LogGroup(this, 'logs', { name: `/ecs/${prefix}-backend`, retentionDays: settings.logRetentionDays });
    this.repository = this.platform.addRepository('ecr', `${prefix}-backend`);

    // Files and processed data.
    const s3 = settings.s3;
    const bucket = (id: string, given: string | undefined) =>
      new SecureBucket(this, id, { bucketName: given ?? this.qualifiedName(`${prefix}-${id}`), versioned: s3.versioning, noncurrentVersionExpirationDays: s3.versioning ? s3.noncurrentVersionExpirationDays : undefined, encryption: s3.encryption, forceDestroy: this.platform.forceDestroy });
    this.filesBucket = bucket('files', s3.filesBucketName);
    this.dataBucket = bucket('data', s3.dataBucketName);

    // The FastAPI backend on Fargate Spot, in private subnets without public IPs (or, with
    // `assignPublicIp`, in public subnets with them: out through the internet gateway).
    this.backendEnvironment = { ...b.environment, AWS_REGION: settings.region, ENVIRONMENT: settings.environment, S3_FILES_BUCKET: this.filesBucket.bucketName, S3_DATA_BUCKET: this.dataBucket.bucketName };
    const cooldowns = { scaleInCooldownSec: b.scaleInCooldownSec, scaleOutCooldownSec: b.scaleOutCooldownSec };
    this.service = new ContainerService(this, 'service', {
      platform: this.platform,
      serviceName: `${prefix}-backend`,
      assignPublicIp: b.assignPublicIp,
      capacityProviderStrategy: b.capacityProviderStrategy,
      cpu: b.cpu,
      memoryMiB: b.memoryMiB,
      containerName: BACKEND,
      image: { repository: this.repository, release: new ImageRelease(settings.imageTag) },
      containerPort: b.containerPort,
      environment: this.backendEnvironment,
      healthCheck: b.healthCheckPath ? { command: HealthChecks.http(b.containerPort, b.healthCheckPath, 'python'), intervalSec: 30, timeoutSec: 5, retries: 3, startPeriodSec: b.healthCheckStartPeriodSec } : undefined,
      logGroup: this.logGroup,
      logStreamPrefix: BACKEND,
      desiredCount: b.desiredCount,
      enableExecuteCommand: b.enableExecuteCommand,
      cloudMap: { name: BACKEND, recordType: 'SRV' },
      writableRoot: 'FastAPI spools uploads above 1 MB to /tmp in the image\'s filesystem (scratchPaths ["/tmp"] makes the root read-only)',
      scratchPaths: settings.scratchPaths,
      scaling: { minCapacity: b.minCapacity, maxCapacity: b.maxCapacity, cpu: { target: b.cpuTarget, ...cooldowns }, memory: { target: b.memoryTarget, ...cooldowns } },
    });
    const service = this.service.service;
    if (b.assignPublicIp) Guardrails.suppress(service, 'AWS-ECS-007', 'backend.assignPublicIp (the lean profile\'s choice): the tasks go out through the internet gateway instead of three interface endpoints; their security group admits only the VPC link, so nothing on the internet reaches them');
    if (settings.profile === 'lean' && !settings.containerInsights) Guardrails.suppress(this.platform.cluster, 'AWS-ECS-006', 'the lean profile turns Container Insights off for cost (about 9 USD a month); the alarms and the dashboard use the ECS service metrics and the API\'s');

    // The task role gets exactly the backend's S3 access, on these two buckets.
    const access: BucketAccess[] = ['list', 'read', 'write', ...(s3.allowDelete ? (['delete'] as const) : [])];
    this.filesBucket.grant(service, access);
    this.dataBucket.grant(service, access);

    // HTTP API -> VPC link -> Cloud Map SRV -> tasks; the backend accepts its port from the VPC link only.
    const api = settings.api;
    this.api = new HttpApi(this, 'api', {
      name: `${prefix}-api`,
      description: `AI Predictor backend (${settings.environment})`,
      vpc: this.platform.vpc,
      integration: { service },
      cors: api.corsAllowOrigins.length > 0 ? { allowOrigins: api.corsAllowOrigins, allowMethods: api.corsAllowMethods, allowHeaders: api.corsAllowHeaders, maxAgeSec: api.corsMaxAgeSec } : undefined,
      throttle: api.throttle,
      accessLogRetentionDays: api.accessLogRetentionDays,
    });
    Guardrails.suppress(this.api, 'AWS-API-004', 'document 001 publishes the FastAPI backend without an authorizer (the application checks its own Authorization header); api.throttle caps what a flood can cost');
    service.allowFrom(this.api.vpcLinkSecurityGroupId, 'From the API Gateway VPC link');

    // Outages, on the encrypted alarm topic.
    const m = settings.monitoring;
    this.monitoring = this.platform.addMonitoring({ alarmEmail: m.alarmEmail, alarmTopicArn: m.alarmTopicArn, dashboard: m.dashboard });
    this.monitoring.addWidget({ title: 'API requests and errors', metrics: [this.api.metricCount(), this.api.metric4xx(), this.api.metric5xx()] });
    this.monitoring.addWidget({ title: 'API latency (P99)', metrics: [this.api.metricLatency('p99')] });
    this.monitoring.addWidget({ title: 'Backend CPU and memory', metrics: [service.metricCpuUtilization(), service.metricMemoryUtilization()] });
    this.monitoring.addWidget({ title: 'Backend tasks', metrics: [service.metricRunningTasks()] });
    this.monitoring.addMathAlarm('api-errors', {
      ...this.api.metric5xxRate(),
      name: 'api-5xx-rate',
      description: `More than ${m.apiErrorRatePercent}% of API requests answer 5xx (API Gateway answers 503 when no backend task is reachable)`,
      threshold: m.apiErrorRatePercent,
      comparison: 'GreaterThanThreshold',
      evaluationPeriods: 2,
    });
    // Spot interruptions without Spot capacity show here: tasks wanted, none running.
    this.service.addServiceAlarms(this.monitoring, BACKEND);

    const output = (id: string, description: string, value: unknown) => new TerraformOutput(this, id, { value, description });
    output('api_gateway_url', 'API endpoint URL (the $default stage serves the root)', this.api.apiEndpoint);
    output('ecr_repository_url', 'ECR repository for the backend image', this.repository.repositoryUrl);
    output('s3_files_bucket_name', 'S3 bucket for uploaded files', this.filesBucket.bucketName);
    output('s3_data_bucket_name', 'S3 bucket for processed data', this.dataBucket.bucketName);
    output('ecs_service_name', 'ECS service name', service.serviceName);
    this.platform.addOperationsOutputs({ services: { [BACKEND]: this.service }, endpointUrl: this.api.apiEndpoint, endpointDescription: 'API endpoint URL' });
    output('backend_environment_variables', "The backend's environment variables (AWS_REGION, ENVIRONMENT, bucket names and any extra)", this.backendEnvironment);
  }
}
