/**
 * `vision-validator`: a GPU container service (NVIDIA T4 on g4dn instances of an Auto Scaling
 * Group that is the cluster's capacity provider) behind a load balancer, clients sending an API
 * key, the service calling OpenAI or Gemini with keys from Secrets Manager. What the stack fixes
 * in its design document, and why it differs where it does: docs/stacks/vision-validator.md.
 */
import { Construct } from 'constructs';
import { TerraformOutput } from 'cdktf';
import { AwsStack } from '../../src/core/aws-stack';
import { isProductionEnvironment } from '../../src/core/environment';
import { Guardrails } from '../../src/core/suppressions';
import type { SharedSettings } from '../settings';
import { albAccessLogsOn, albProps, vpcProps, wafOptions } from '../settings/shapes';
import type { AsgCapacityProvider } from '../../src/compute/ecs-cluster';
import { HealthChecks } from '../../src/compute/ecs-service';
import { LogGroup } from '../../src/observability/logs';
import type { Monitoring } from '../../src/observability/monitoring';
import { ISecret, SecretValue } from '../../src/security/secrets';
import { ContainerService, EcsPlatform, PublicEndpoint } from '../../src/patterns';
import { AiProvider, VisionValidatorSettings } from './settings';

export const VISION_VALIDATOR = 'vision-validator';
/** Name of the service, its container and its log group's last segment. */
const SERVICE_NAME = 'vision-validator';

/** The secrets of the stack: Terraform variable, container variable, existing-secret setting. */
const SECRETS = {
  api: { variable: 'api_key', env: 'API_KEY', existing: 'apiKey', description: 'API key clients send in X-API-Key (or Authorization: Bearer)' },
  openai: { variable: 'openai_api_key', env: 'OPENAI_API_KEY', existing: 'openaiApiKey', description: 'OpenAI API key' },
  gemini: { variable: 'gemini_api_key', env: 'GEMINI_API_KEY', existing: 'geminiApiKey', description: 'Gemini API key' },
} as const;

export class VisionValidatorStack extends AwsStack {
  public readonly platform: EcsPlatform;
  public readonly endpoint: PublicEndpoint;
  public readonly gpuCapacity: AsgCapacityProvider;
  public readonly logGroup: LogGroup;
  public readonly secrets: Record<'api' | AiProvider, ISecret | undefined>;
  public readonly service: ContainerService;
  public readonly monitoring: Monitoring;

  constructor(scope: Construct, name: string, settings: VisionValidatorSettings, shared: SharedSettings = {}) {
    // The document's backend key.
    super(scope, name, { region: settings.region, project: VISION_VALIDATOR, environment: settings.environment, tags: settings.tags, accountId: settings.accountId, remoteState: shared.remoteState, stateKey: 'forge-plugins-vision/terraform.tfstate' });
    const prefix = `${VISION_VALIDATOR}-${settings.environment}`;
    const svc = settings.service;
    const gpu = settings.gpu;
    const off = settings.offHours;

    // EC2 GPU capacity only: the cluster's one capacity provider is the GPU Auto Scaling Group.
    const providerName = `${prefix}-gpu`;
    const strategy = [{ capacityProvider: providerName, weight: 1, base: 0 }];
    // Outside production, terraform destroy deletes the access logs itself (docs/operations.md).
    this.platform = new EcsPlatform(this, { namePrefix: prefix, network: { ...vpcProps(settings.network), gatewayEndpoints: ['s3'] }, containerInsights: settings.containerInsights, fargate: false, defaultCapacityProviderStrategy: strategy, forceDestroy: !isProductionEnvironment(settings.environment) });
    if (settings.profile === 'lean' && !settings.containerInsights) {
      Guardrails.suppress(this.platform.cluster, 'AWS-ECS-006', 'the lean profile turns Container Insights off for cost (about 9 USD a month); the alarms and dashboard use the ECS service metrics, the target group\'s and the GPU metrics');
    }
    const { vpc, cluster } = this.platform;
    const spot = gpu.spot ? { onDemandBaseCapacity: gpu.onDemandBaseCapacity, allocationStrategy: gpu.spotAllocationStrategy ?? ('capacity-optimized' as const) } : undefined;
    this.gpuCapacity = cluster.addAsgCapacityProvider('gpu', { name: providerName, vpc, instanceTypes: gpu.instanceTypes, gpu: true, amiId: gpu.amiId, minSize: gpu.minSize, maxSize: gpu.maxSize, desiredCapacity: gpu.desiredCapacity, spot, gpuMetrics: gpu.gpuMetrics ? {} : undefined });
    this.logGroup = new LogGroup(this, 'logs', { name: `/ecs/${settings.environment}/${SERVICE_NAME}`, retentionDays: settings.logRetentionDays });

    // Secrets: sensitive variables (or existing secrets), never settings.
    const secret = (key: keyof typeof SECRETS): ISecret => {
      const spec = SECRETS[key];
      const existing = settings.existingSecrets[spec.existing];
      if (existing) return SecretValue.fromSecretArn(this, `secret-${key}`, existing);
      return new SecretValue(this, `secret-${key}`, { secretName: `${prefix}/${spec.variable.replace(/_/g, '-')}`, description: spec.description, source: { kind: 'variable', variableName: spec.variable } });
    };
    this.secrets = { api: secret('api'), openai: settings.aiProviders.includes('openai') ? secret('openai') : undefined, gemini: settings.aiProviders.includes('gemini') ? secret('gemini') : undefined };
    const containerSecrets = Object.fromEntries((Object.keys(SECRETS) as (keyof typeof SECRETS)[]).filter((k) => this.secrets[k]).map((k) => [SECRETS[k].env, this.secrets[k]!]));

    // Access logs (production by default); a validation waits on an AI service: longer than the 60 s idle default.
    this.endpoint = new PublicEndpoint({ platform: this.platform, domain: settings.domain, waf: wafOptions(settings.waf), accessLogs: albAccessLogsOn(settings.alb, settings.environment), loadBalancer: { ...albProps(settings.alb), idleTimeoutSec: 300 } });
    const alb = this.endpoint.alb!;

    const cooldowns = { scaleInCooldownSec: svc.scaleInCooldownSec, scaleOutCooldownSec: svc.scaleOutCooldownSec };
    this.service = new ContainerService(this, 'service', {
      platform: this.platform,
      serviceName: SERVICE_NAME,
      compatibility: 'EC2',
      capacityProviderStrategy: strategy,
      cpu: svc.cpu,
      memoryMiB: svc.memoryMiB,
      gpuCount: svc.gpus,
      containerName: SERVICE_NAME,
      image: settings.containerImage,
      containerPort: svc.containerPort,
      environment: { PORT: String(svc.containerPort), ...(settings.backendUrl ? { BACKEND_URL: settings.backendUrl } : {}), ...svc.environment },
      secrets: containerSecrets,
      healthCheck: svc.containerHealthCheck === 'none' ? undefined : { command: HealthChecks.http(svc.containerPort, settings.alb.healthCheckPath, svc.containerHealthCheck), startPeriodSec: Math.min(svc.healthCheckGracePeriodSec, 300) },
      healthCheckGracePeriodSec: svc.healthCheckGracePeriodSec,
      logGroup: this.logGroup,
      logStreamPrefix: SERVICE_NAME,
      desiredCount: svc.desiredCount,
      enableExecuteCommand: settings.enableExecuteCommand,
      loadBalancer: { alb, route: 'default', healthCheck: { path: settings.alb.healthCheckPath, matcher: '200' } },
      writableRoot: 'the vision model downloads its weights into a cache and writes temporary files in the image\'s filesystem (scratchPaths makes it read-only)',
      scratchPaths: settings.scratchPaths,
      // The service's tasks; the capacity provider scales the instances.
      scaling: {
        minCapacity: svc.minCapacity,
        maxCapacity: svc.maxCapacity,
        ...(svc.scalingPolicy === 'thresholds'
          ? { thresholds: { alarmNamePrefix: `${this.platform.namePrefix}-${SERVICE_NAME}`, cpuPercent: svc.cpuTarget, memoryPercent: svc.memoryTarget, scaleOutAfterMinutes: svc.scaleOutAfterMinutes, scaleInAfterMinutes: svc.scaleInAfterMinutes, ...cooldowns } }
          : { cpu: { target: svc.cpuTarget, ...cooldowns }, memory: { target: svc.memoryTarget, ...cooldowns } }),
        scheduled: off
          ? [
              { name: 'off-hours-stop', schedule: off.stopSchedule, timezone: off.timezone, minCapacity: 0, maxCapacity: 0 },
              { name: 'off-hours-start', schedule: off.startSchedule, timezone: off.timezone, minCapacity: svc.minCapacity, maxCapacity: svc.maxCapacity },
            ]
          : [],
      },
    });

    const service = this.service.service;
    const m = settings.monitoring;
    this.monitoring = this.platform.addMonitoring({ alarmEmail: m.alarmEmail, alarmTopicArn: m.alarmTopicArn });
    this.monitoring.addWidget({ title: 'CPU utilization', metrics: [service.metricCpuUtilization()] });
    this.monitoring.addWidget({ title: 'Memory utilization', metrics: [service.metricMemoryUtilization()] });
    this.monitoring.addWidget({ title: 'Tasks', metrics: [service.metricRunningTasks(), ...(service.metricDesiredTasks() ? [service.metricDesiredTasks()!] : [])] });
    if (gpu.gpuMetrics) this.monitoring.addWidget({ title: 'GPU utilization', metrics: [this.gpuCapacity.metricGpuUtilization(), this.gpuCapacity.metricGpuMemoryUtilization()] });
    this.monitoring.addWidget({ title: 'Requests', metrics: [alb.metricRequestCount()] });
    this.monitoring.addWidget({ title: 'Response time (P99)', metrics: [alb.metricTargetResponseTime('p99')] });
    this.service.addServiceAlarms(this.monitoring, 'service', { cpuPercent: m.cpuAlarmPercent, memoryPercent: m.memoryAlarmPercent });
    this.service.addTargetAlarm(this.monitoring, 'no-healthy-targets');
    this.monitoring.addErrorRateAlarm('error-rate', { loadBalancer: alb, thresholdPercent: m.errorRatePercent });
    this.monitoring.addAlarm('latency', { name: 'high-latency', description: `P99 response time above ${m.latencyThresholdSec} seconds`, metric: alb.metricTargetResponseTime('p99'), threshold: m.latencyThresholdSec, comparison: 'GreaterThanThreshold', evaluationPeriods: 3 });
    this.addOutputs(settings);
  }

  /** The document's three outputs, and what operating the service needs. */
  private addOutputs(settings: VisionValidatorSettings): void {
    const alb = this.endpoint.alb!;
    const base = this.endpoint.url!;
    const output = (id: string, description: string, value: string) => new TerraformOutput(this, id, { value, description });
    output('alb_url', 'URL of the load balancer', base);
    output('alb_dns_name', 'DNS name of the load balancer', alb.dnsName);
    output('health_check_url', 'Health check endpoint (no API key needed)', `${base}${settings.alb.healthCheckPath}`);
    output('validation_endpoint', 'Vision validation endpoint (POST, X-API-Key header)', `${base}/validate`);
    output('ecs_service_name', 'ECS service', this.service.service.serviceName);
    output('log_group_name', 'CloudWatch log group of the container (aws logs tail <name> --follow)', this.logGroup.logGroupName);
    output('autoscaling_group_name', 'GPU Auto Scaling Group (its desired capacity is managed by ECS)', this.gpuCapacity.autoScalingGroup.name);
    this.platform.addOperationsOutputs({ services: { [SERVICE_NAME]: this.service }, endpointUrl: base, endpointDescription: 'URL of the load balancer' });
    output('api_key_secret_arn', 'Secrets Manager secret holding the API key (aws secretsmanager get-secret-value --secret-id <arn>)', this.secrets.api!.secretArn);
  }
}
