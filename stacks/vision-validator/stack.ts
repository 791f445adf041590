/**
 * `vision-validator`: document 000 (Vision Validation plugin): one GPU container service on ECS
 * with EC2 g4dn capacity behind an internet-facing ALB, keyed by an API key.
 *
 * Modules, as the document lists its components: vpc (public/private subnets over 2 zones, NAT),
 * ecs-cluster (EC2 capacity only: a g4dn Auto Scaling Group as a capacity provider with managed
 * scaling), ecs-service (the `vision-validator` service, one GPU per task), alb, secrets,
 * autoscaling, monitoring.
 *
 * Where the document is wrong or silent, and what is built instead:
 * - "Store API keys in AWS Secrets Manager" is only advice there, and its variables put the keys in
 *   tfvars. Here `api_key` (required), `openai_api_key` / `gemini_api_key` (per `aiProviders`) are
 *   sensitive Terraform variables without defaults stored in Secrets Manager and injected as
 *   container secrets (or existing secrets by ARN): `terraform plan` without `api_key` stops with
 *   Terraform's own "No value for required variable", never with an empty secret.
 * - Spot ("add to launch template") is a mixed instances policy on the Auto Scaling Group (a launch
 *   template alone cannot mix on-demand and spot), with an on-demand base, capacity-optimized over
 *   every listed g4dn size, capacity rebalancing and ECS spot draining.
 * - "Stop instances during off-hours" is `offHours`: the service scales to 0 tasks on a schedule and
 *   ECS managed scaling then takes the instances to `gpu.minSize` (0 by default).
 * - `desired_capacity` is the group's size at creation only: ECS managed scaling owns it after that
 *   (Terraform ignores it), as it does the instance count in the document's "capacity provider
 *   auto-scales instances".
 * - The container health check: the document checks `/health` but does not say what the image
 *   carries; the load balancer checks `/health` (ECS replaces tasks it reports unhealthy) and a
 *   container check is opt-in with a tool the image has (`service.containerHealthCheck`).
 * - GPU utilization "via CloudWatch Agent" needs the agent on the instances: user data installs it
 *   with an NVIDIA metrics config, the instance role gets `CloudWatchAgentServerPolicy`, and the
 *   dashboard shows the group's GPU utilization (`gpu.gpuMetrics`).
 * - Rolling deployments "with zero downtime" on one GPU per instance need room for one more task:
 *   the settings reject a group that cannot hold `maxCapacity + 1` tasks, and the deployment circuit
 *   breaker rolls back a deployment whose tasks never become healthy.
 * - The load balancer has deletion protection (a production entry point the document leaves
 *   unprotected): set `alb.deletionProtection` false and apply before a destroy.
 * - Alarms: the document has none. CPU, memory, tasks below desired, no healthy target (quiet while
 *   the service is scaled to zero on purpose), 5xx rate and latency go to an encrypted SNS topic;
 *   without `monitoring.alarmEmail` they reach nobody.
 */
import { Construct } from 'constructs';
import { TerraformOutput } from 'cdktf';
import { AwsStack } from '../../src/core/aws-stack';
import { AccessLogBucket } from '../../src/data/access-logs';
import type { SharedSettings } from '../settings';
import { Vpc } from '../../src/network/vpc';
import { albAccessLogsOn, albProps, vpcProps } from '../settings/shapes';
import { AsgCapacityProvider, EcsCluster } from '../../src/compute/ecs-cluster';
import { EcsService, HealthChecks } from '../../src/compute/ecs-service';
import { ApplicationLoadBalancer } from '../../src/edge/alb';
import { LogGroup } from '../../src/observability/logs';
import { Monitoring } from '../../src/observability/monitoring';
import { SecretValue } from '../../src/security/secrets';
import { Guardrails } from '../../src/core/suppressions';
import { AiProvider, VisionValidatorSettings } from './settings';

export const VISION_VALIDATOR = 'vision-validator';
/** Name of the service, its container and its log group's last segment. */
export const SERVICE_NAME = 'vision-validator';

/** The secrets of the stack: Terraform variable, container variable, existing-secret setting. */
const SECRETS = {
  api: { variable: 'api_key', env: 'API_KEY', existing: 'apiKey', description: 'API key clients send in X-API-Key (or Authorization: Bearer)' },
  openai: { variable: 'openai_api_key', env: 'OPENAI_API_KEY', existing: 'openaiApiKey', description: 'OpenAI API key' },
  gemini: { variable: 'gemini_api_key', env: 'GEMINI_API_KEY', existing: 'geminiApiKey', description: 'Gemini API key' },
} as const;

export class VisionValidatorStack extends AwsStack {
  public readonly vpc: Vpc;
  public readonly cluster: EcsCluster;
  public readonly gpuCapacity: AsgCapacityProvider;
  public readonly alb: ApplicationLoadBalancer;
  /** Access-log bucket of the load balancer (`alb.accessLogs`). */
  public readonly accessLogs?: AccessLogBucket;
  public readonly logGroup: LogGroup;
  public readonly secrets: Record<'api' | AiProvider, SecretValue | undefined>;
  public readonly service: EcsService;
  public readonly monitoring: Monitoring;

  constructor(scope: Construct, name: string, settings: VisionValidatorSettings, shared: SharedSettings = {}) {
    super(scope, name, {
      region: settings.region,
      project: VISION_VALIDATOR,
      environment: settings.environment,
      tags: settings.tags,
      accountId: settings.accountId,
      remoteState: shared.remoteState,
      // The document's backend key.
      stateKey: 'forge-plugins-vision/terraform.tfstate',
    });
    const prefix = `${VISION_VALIDATOR}-${settings.environment}`;
    const svc = settings.service;

    // ===== vpc =====
    this.vpc = new Vpc(this, 'vpc', {
      namePrefix: prefix,
      region: settings.region,
      ...vpcProps(settings.network),
      gatewayEndpoints: ['s3'],
    });

    // ===== ecs-cluster: EC2 GPU capacity only =====
    const providerName = `${prefix}-gpu`;
    this.cluster = new EcsCluster(this, 'ecs-cluster', {
      clusterName: prefix,
      containerInsights: settings.containerInsights ? 'enabled' : 'disabled',
      fargate: false,
      defaultCapacityProviderStrategy: [{ capacityProvider: providerName, weight: 1, base: 0 }],
    });
    const gpu = settings.gpu;
    this.gpuCapacity = this.cluster.addAsgCapacityProvider('gpu', {
      name: providerName,
      vpcId: this.vpc.vpcId,
      subnetIds: this.vpc.privateSubnetIds,
      instanceTypes: gpu.instanceTypes,
      gpu: true,
      amiId: gpu.amiId,
      minSize: gpu.minSize,
      maxSize: gpu.maxSize,
      desiredCapacity: gpu.desiredCapacity,
      spot: gpu.spot ? { onDemandBaseCapacity: gpu.onDemandBaseCapacity, allocationStrategy: gpu.spotAllocationStrategy ?? 'capacity-optimized' } : undefined,
      gpuMetrics: gpu.gpuMetrics ? {} : undefined,
    });

    // ===== logs =====
    this.logGroup = new LogGroup(this, 'logs', { name: `/ecs/${settings.environment}/${SERVICE_NAME}`, retentionDays: settings.logRetentionDays });

    // ===== secrets: sensitive variables (or existing secrets), never settings =====
    const secret = (key: keyof typeof SECRETS): SecretValue => {
      const spec = SECRETS[key];
      const existing = settings.existingSecrets[spec.existing];
      if (existing) {
        // The name inside the ARN, without the 6-character suffix Secrets Manager appends.
        const secretName = existing.replace(/^.*:secret:/, '').replace(/-[A-Za-z0-9]{6}$/, '');
        return new SecretValue(this, `secret-${key}`, { secretName, source: { kind: 'existing', secretArn: existing } });
      }
      return new SecretValue(this, `secret-${key}`, {
        secretName: `${prefix}/${spec.variable.replace(/_/g, '-')}`,
        description: spec.description,
        source: { kind: 'variable', variableName: spec.variable },
      });
    };
    this.secrets = {
      api: secret('api'),
      openai: settings.aiProviders.includes('openai') ? secret('openai') : undefined,
      gemini: settings.aiProviders.includes('gemini') ? secret('gemini') : undefined,
    };
    const containerSecrets = Object.fromEntries(
      (Object.keys(SECRETS) as (keyof typeof SECRETS)[]).filter((k) => this.secrets[k]).map((k) => [SECRETS[k].env, this.secrets[k]!]),
    );

    // ===== alb =====
    // Access logs (production by default): the load balancer's requests, kept 90 days.
    this.accessLogs = albAccessLogsOn(settings.alb, settings.environment) ? new AccessLogBucket(this, 'access-logs', { bucketName: this.qualifiedName(`${prefix}-logs`) }) : undefined;
    this.alb = new ApplicationLoadBalancer(this, 'alb', {
      namePrefix: prefix,
      accessLogs: this.accessLogs ? { bucket: this.accessLogs } : undefined,
      vpcId: this.vpc.vpcId,
      vpcCidr: settings.network.vpcCidr,
      subnetIds: this.vpc.publicSubnetIds,
      ...albProps(settings.alb),
      // A validation waits on an AI service: longer than the 60 s default.
      idleTimeoutSec: 300,
    });

    // ===== ecs-service =====
    this.service = new EcsService(this, 'service', {
      serviceName: SERVICE_NAME,
      cluster: this.cluster,
      vpc: this.vpc,
      compatibility: 'EC2',
      capacityProviderStrategy: [{ capacityProvider: providerName, weight: 1, base: 0 }],
      cpu: svc.cpu,
      memoryMiB: svc.memoryMiB,
      gpuCount: svc.gpus,
      containerName: SERVICE_NAME,
      image: settings.containerImage,
      containerPort: svc.containerPort,
      environment: { PORT: String(svc.containerPort), ...(settings.backendUrl ? { BACKEND_URL: settings.backendUrl } : {}), ...svc.environment },
      secrets: containerSecrets,
      healthCheck:
        svc.containerHealthCheck === 'none'
          ? undefined
          : { command: HealthChecks.http(svc.containerPort, settings.alb.healthCheckPath, svc.containerHealthCheck), startPeriodSec: Math.min(svc.healthCheckGracePeriodSec, 300) },
      healthCheckGracePeriodSec: svc.healthCheckGracePeriodSec,
      logGroup: this.logGroup,
      logStreamPrefix: SERVICE_NAME,
      desiredCount: svc.desiredCount,
      minHealthyPercent: 100,
      maxHealthyPercent: 200,
      circuitBreaker: true,
      enableExecuteCommand: settings.enableExecuteCommand,
      // Model caches and temporary files.
      readonlyRootFilesystem: false,
      loadBalancer: { alb: this.alb, route: 'default', healthCheck: { path: settings.alb.healthCheckPath, matcher: '200' } },
    });
    Guardrails.suppress(this.service, 'AWS-ECS-002', 'the vision model downloads its weights into a cache and writes temporary files in the image\'s filesystem');

    // ===== autoscaling: the service's tasks; the capacity provider scales the instances =====
    const cooldowns = { scaleInCooldownSec: svc.scaleInCooldownSec, scaleOutCooldownSec: svc.scaleOutCooldownSec };
    const off = settings.offHours;
    this.service.autoScaleTaskCount({
      minCapacity: svc.minCapacity,
      maxCapacity: svc.maxCapacity,
      cpu: { target: svc.cpuTarget, ...cooldowns },
      memory: { target: svc.memoryTarget, ...cooldowns },
      scheduled: off
        ? [
            { name: 'off-hours-stop', schedule: off.stopSchedule, timezone: off.timezone, minCapacity: 0, maxCapacity: 0 },
            { name: 'off-hours-start', schedule: off.startSchedule, timezone: off.timezone, minCapacity: svc.minCapacity, maxCapacity: svc.maxCapacity },
          ]
        : [],
    });

    // ===== monitoring =====
    this.monitoring = new Monitoring(this, 'monitoring', { namePrefix: prefix, region: settings.region, alarmEmail: settings.monitoring.alarmEmail });
    this.monitoring.addWidget({ title: 'CPU utilization', metrics: [this.service.metricCpuUtilization()] });
    this.monitoring.addWidget({ title: 'Memory utilization', metrics: [this.service.metricMemoryUtilization()] });
    const taskMetrics = [this.service.metricRunningTasks(), ...(this.service.metricDesiredTasks() ? [this.service.metricDesiredTasks()!] : [])];
    this.monitoring.addWidget({ title: 'Tasks', metrics: taskMetrics });
    if (gpu.gpuMetrics) {
      this.monitoring.addWidget({ title: 'GPU utilization', metrics: [this.gpuCapacity.metricGpuUtilization(), this.gpuCapacity.metricGpuMemoryUtilization()] });
    }
    this.monitoring.addWidget({ title: 'Requests', metrics: [this.alb.metricRequestCount()] });
    this.monitoring.addWidget({ title: 'Response time (P99)', metrics: [this.alb.metricTargetResponseTime('p99')] });
    this.monitoring.addServiceAlarms('service', this.service, {
      label: SERVICE_NAME,
      cpuPercent: settings.monitoring.cpuAlarmPercent,
      memoryPercent: settings.monitoring.memoryAlarmPercent,
      // Off hours: the desired count is 0 and the task alarm compares with it (Container Insights).
      expectedTasks: off && !settings.containerInsights ? 0 : svc.minCapacity,
    });
    this.monitoring.addNoHealthyTargetsAlarm('no-healthy-targets', { label: SERVICE_NAME, targetGroup: this.service.targetGroup!, service: this.service, expectRunning: !off });
    this.monitoring.addErrorRateAlarm('error-rate', { loadBalancer: this.alb, thresholdPercent: settings.monitoring.errorRatePercent });
    this.monitoring.addAlarm('latency', {
      name: 'high-latency',
      description: `P99 response time above ${settings.monitoring.latencyThresholdSec} seconds`,
      metric: this.alb.metricTargetResponseTime('p99'),
      threshold: settings.monitoring.latencyThresholdSec,
      comparison: 'GreaterThanThreshold',
      evaluationPeriods: 3,
    });

    // ===== outputs: the document's three, and what operating it needs =====
    const base = `${settings.alb.certificateArn ? 'https' : 'http'}://${this.alb.dnsName}`;
    new TerraformOutput(this, 'alb_url', { value: base, description: 'URL of the load balancer' });
    new TerraformOutput(this, 'alb_dns_name', { value: this.alb.dnsName, description: 'DNS name of the load balancer' });
    new TerraformOutput(this, 'health_check_url', { value: `${base}${settings.alb.healthCheckPath}`, description: 'Health check endpoint (no API key needed)' });
    new TerraformOutput(this, 'validation_endpoint', { value: `${base}/validate`, description: 'Vision validation endpoint (POST, X-API-Key header)' });
    new TerraformOutput(this, 'ecs_cluster_name', { value: this.cluster.clusterName, description: 'ECS cluster' });
    new TerraformOutput(this, 'ecs_service_name', { value: this.service.serviceName, description: 'ECS service' });
    new TerraformOutput(this, 'log_group_name', { value: this.logGroup.logGroupName, description: 'CloudWatch log group of the container (aws logs tail <name> --follow)' });
    new TerraformOutput(this, 'autoscaling_group_name', { value: this.gpuCapacity.autoScalingGroup.name, description: 'GPU Auto Scaling Group (its desired capacity is managed by ECS)' });
    new TerraformOutput(this, 'api_key_secret_arn', { value: this.secrets.api!.secretArn, description: 'Secrets Manager secret holding the API key (aws secretsmanager get-secret-value --secret-id <arn>)' });
  }
}
