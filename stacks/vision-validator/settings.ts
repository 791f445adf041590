/**
 * Settings of the `vision-validator` stack. Defaults are document 000's values (its variables
 * `instance_type`, `desired_capacity`, `allowed_cidr_blocks`, `container_image`, `backend_url`, the
 * 70 % / 80 % scaling thresholds, the log group `/ecs/production/vision-validator`); where the
 * document is silent the default is said in the field's TSDoc. Its secrets (`api_key`,
 * `openai_api_key`, `gemini_api_key`) are sensitive Terraform variables, never settings.
 */
import { s } from '../settings';
import {
  AlbSettings,
  GpuCapacitySettings,
  NetworkSettings,
  ScalingSettings,
  TaskSize,
  albFields,
  checkAlb,
  checkGpuFit,
  checkNetwork,
  checkScaling,
  checkGpuCapacity,
  gpuCapacityFields,
  networkFields,
  scalingFields,
  taskSizeFields,
} from '../settings/shapes';
import { GPU_INSTANCE_TYPES } from '../../src/compute/instance-types';

/** The AI services the validator can call; each one listed gets a required sensitive variable. */
export const AI_PROVIDERS = ['openai', 'gemini'] as const;
export type AiProvider = (typeof AI_PROVIDERS)[number];

/** The validator service: task size, scaling (the document's 70 % / 80 % targets) and deployment. */
export interface VisionServiceSettings extends TaskSize, ScalingSettings {
  /** Tasks at creation; autoscaling owns the count afterwards. @default 1 */
  readonly desiredCount: number;
  /** GPUs each task reserves (the instance type must have them). @default 1 */
  readonly gpus: number;
  /** Port the container listens on. @default 8000 */
  readonly containerPort: number;
  /**
   * Seconds after a task starts during which failing health checks are ignored (model loading):
   * the load balancer's and, when there is one, the container's.
   * @default 120
   */
  readonly healthCheckGracePeriodSec: number;
  /**
   * A container health check calling `GET <healthCheckPath>` with a tool the image has: `python`,
   * `curl` or `wget`. The document's image is not described, so by default only the load balancer
   * checks `/health` (ECS replaces tasks it reports unhealthy); a check with a tool the image lacks
   * would kill every task.
   * @default "none"
   */
  readonly containerHealthCheck: 'none' | 'python' | 'curl' | 'wget';
  /** Extra plain environment variables (`BACKEND_URL` and `PORT` are set from other settings). @default {} */
  readonly environment: Record<string, string>;
}

/** Scale the service to zero outside working hours (the document's "stop instances during off-hours"). */
export interface OffHoursSettings {
  /** When the service stops: a `cron(...)` expression in `timezone`. @default "cron(0 20 ? * MON-FRI *)" */
  readonly stopSchedule: string;
  /** When it starts again with its normal floor. @default "cron(0 7 ? * MON-FRI *)" */
  readonly startSchedule: string;
  /** IANA time zone of both schedules. @default "UTC" */
  readonly timezone: string;
}

export interface VisionValidatorSettings {
  /** @default "us-east-1" (the document's prices and backend region) */
  readonly region: string;
  /** The AWS account; pin it to plan without credentials. @default - looked up at plan time */
  readonly accountId?: string;
  /** Environment name: in resource names, tags and the log group `/ecs/<environment>/vision-validator`. @default "production" */
  readonly environment: string;
  /**
   * The VPC. Container instances pull the image from ghcr.io (outside AWS) through NAT. The
   * document recommends endpoints for ECR and CloudWatch (`interfaceEndpoints: ["ecr.api",
   * "ecr.dkr", "logs", "ssm", "ssmmessages", "ec2messages"]`): they cut NAT traffic but cost
   * about 7.30 USD a month per endpoint and zone.
   * @default 10.0.0.0/16 over 2 zones, one NAT gateway, no interface endpoints
   */
  readonly network: NetworkSettings;
  /** Retention of the log group. @default 30 */
  readonly logRetentionDays: number;
  /** The validator image (public ghcr.io, or any registry the instances reach). @default "ghcr.io/unforkableco/forge-plugins-vision:v1.1.0" */
  readonly containerImage: string;
  /** Fabrikator backend URL, passed as `BACKEND_URL`. @default - none (the container's own default) */
  readonly backendUrl?: string;
  /**
   * AI services the validator calls; each gets a required sensitive Terraform variable
   * (`openai_api_key`, `gemini_api_key`) stored in Secrets Manager. The document needs one of them.
   * @default ["openai"]
   */
  readonly aiProviders: AiProvider[];
  /**
   * Existing Secrets Manager secrets to use instead of the sensitive variables (full ARNs with
   * their 6-character suffix). A secret given here gets no variable.
   * @default {}
   */
  readonly existingSecrets: {
    /** The API key clients send in `X-API-Key`. */
    readonly apiKey?: string;
    /** The OpenAI API key. */
    readonly openaiApiKey?: string;
    /** The Gemini API key. */
    readonly geminiApiKey?: string;
  };
  /**
   * The g4dn Auto Scaling Group (ECS capacity provider with managed scaling). The first instance
   * type is the document's `instance_type`; with `spot` every listed type is used (list several
   * sizes, e.g. g4dn.xlarge, g4dn.2xlarge, g4dn.4xlarge, for spot capacity).
   * @default g4dn.xlarge, 0 to 4 instances, 1 at creation (`desired_capacity`), on-demand, capacity-optimized when spot
   */
  readonly gpu: GpuCapacitySettings & {
    /**
     * Publish NVIDIA GPU metrics (`nvidia_smi_utilization_gpu`, ...) with the CloudWatch agent on the
     * instances, shown on the dashboard. Custom metrics cost about 0.30 USD each a month.
     * @default true
     */
    readonly gpuMetrics: boolean;
  };
  /** The service. @default see each field */
  readonly service: VisionServiceSettings;
  /**
   * Scale the service (and so the instances) to zero outside working hours.
   * @default - none: runs around the clock, as the document does
   */
  readonly offHours?: OffHoursSettings;
  /**
   * The public load balancer. Open to the internet by default as in the document: restrict
   * `allowedCidrs` to your clients (the API key is the only other protection). Deletion
   * protection is on (a production entry point): set `alb.deletionProtection` false and apply
   * before a destroy.
   * @default see each field; deletionProtection true
   */
  readonly alb: AlbSettings & {
    /** Health check path of the target group and the container. @default "/health" */
    readonly healthCheckPath: string;
  };
  /** Container Insights on the cluster (per-task metrics; the task-count alarm compares running with desired). @default true */
  readonly containerInsights: boolean;
  /** Alarms (to an encrypted SNS topic). @default see each field */
  readonly monitoring: {
    /** E-mail subscribed to the alarm topic. Without it, alarms reach nobody. @default - none */
    readonly alarmEmail?: string;
    /** Service CPU alarm threshold, percent. @default 90 */
    readonly cpuAlarmPercent: number;
    /** Service memory alarm threshold, percent. @default 90 */
    readonly memoryAlarmPercent: number;
    /** P99 response time alarm threshold, seconds (a validation calls an AI service: slow by nature). @default 30 */
    readonly latencyThresholdSec: number;
    /** 5xx error-rate alarm threshold, percent. @default 5 */
    readonly errorRatePercent: number;
  };
  /** ECS Exec into the container (`aws ecs execute-command`, e.g. to run `nvidia-smi`). @default false */
  readonly enableExecuteCommand: boolean;
  /** Extra default tags. @default {} */
  readonly tags: Record<string, string>;
}

/** The document's values. */
export function visionValidatorDefaults(): VisionValidatorSettings {
  return {
    region: 'us-east-1',
    environment: 'production',
    network: { vpcCidr: '10.0.0.0/16', azCount: 2, natGateways: 'single', interfaceEndpoints: [] },
    logRetentionDays: 30,
    containerImage: 'ghcr.io/unforkableco/forge-plugins-vision:v1.1.0',
    aiProviders: ['openai'],
    existingSecrets: {},
    gpu: { instanceTypes: ['g4dn.xlarge'], minSize: 0, maxSize: 4, desiredCapacity: 1, spot: false, onDemandBaseCapacity: 0, gpuMetrics: true },
    service: {
      cpu: 2048,
      memoryMiB: 8192,
      gpus: 1,
      containerPort: 8000,
      desiredCount: 1,
      minCapacity: 1,
      maxCapacity: 3,
      cpuTarget: 70,
      memoryTarget: 80,
      scaleOutCooldownSec: 60,
      scaleInCooldownSec: 300,
      healthCheckGracePeriodSec: 120,
      containerHealthCheck: 'none',
      environment: {},
    },
    alb: { allowedCidrs: ['0.0.0.0/0'], tls13Only: false, deletionProtection: true, healthCheckPath: '/health' },
    containerInsights: true,
    monitoring: { cpuAlarmPercent: 90, memoryAlarmPercent: 90, latencyThresholdSec: 30, errorRatePercent: 5 },
    enableExecuteCommand: false,
    tags: {},
  };
}

const cron = () => s.string({ pattern: /^cron\(\S+ \S+ \S+ \S+ \S+ \S+\)$/, describe: 'a six-field cron expression such as "cron(0 20 ? * MON-FRI *)"' });
const secretArn = () =>
  s.optional(s.string({ pattern: /^arn:aws(-cn|-us-gov)?:secretsmanager:[a-z0-9-]+:\d{12}:secret:[A-Za-z0-9/_+=.@-]+-[A-Za-z0-9]{6}$/, describe: 'a Secrets Manager secret ARN with the 6-character suffix of its name (arn:aws:secretsmanager:<region>:<account>:secret:<name>-AbCdEf)' }));

/**
 * The document's Terraform variables that are not a setting of their name (an unknown key close to
 * a setting, `instance_type` or `desired_capacity`, gets its suggestion from the schema).
 */
const DOCUMENT_VARIABLES: Readonly<Record<string, string>> = {
  allowed_cidr_blocks: 'unknown setting; the document\'s allowed_cidr_blocks is "alb.allowedCidrs" here',
  ...Object.fromEntries(
    (
      [
        ['api_key', 'apiKey', ''],
        ['openai_api_key', 'openaiApiKey', ''],
        ['gemini_api_key', 'geminiApiKey', ' (with "gemini" in aiProviders)'],
      ] as const
    ).map(([variable, existing, note]) => [variable, `is a secret, never a setting: give it as the sensitive Terraform variable ${variable} (TF_VAR_${variable})${note}, or the ARN of an existing Secrets Manager secret in existingSecrets.${existing}`]),
  ),
};

export const visionValidatorSchema = s.documentVariables(s.object<VisionValidatorSettings>(
  {
    region: s.region(),
    accountId: s.optional(s.accountId()),
    environment: s.slug(32),
    network: s.object<NetworkSettings>(networkFields),
    logRetentionDays: s.retentionDays(),
    containerImage: s.string({ pattern: /^[a-z0-9]+([._-][a-z0-9]+)*(:\d+)?(\/[a-z0-9]+([._-][a-z0-9]+)*)+(:[\w][\w.-]{0,127}|@sha256:[a-f0-9]{64})$/, describe: 'a container image with a tag or digest, such as "ghcr.io/org/image:v1.2.3"' }),
    backendUrl: s.optional(s.string({ pattern: /^https?:\/\/[^\s/$.?#].[^\s]*$/, describe: 'an http(s) URL' })),
    aiProviders: s.array(s.oneOf<AiProvider>(AI_PROVIDERS, 'an AI provider'), { unique: true, plural: 'AI providers' }),
    existingSecrets: s.object({ apiKey: secretArn(), openaiApiKey: secretArn(), geminiApiKey: secretArn() }),
    gpu: s.object<VisionValidatorSettings['gpu']>({ ...gpuCapacityFields, gpuMetrics: s.boolean() }, checkGpuCapacity),
    service: s.object<VisionServiceSettings>({
      ...taskSizeFields,
      ...scalingFields,
      desiredCount: s.number({ min: 0, max: 1000 }),
      gpus: s.number({ min: 1, max: 8 }),
      containerPort: s.number({ min: 1, max: 65535 }),
      healthCheckGracePeriodSec: s.number({ min: 0, max: 2147483647, unit: 'seconds' }),
      containerHealthCheck: s.oneOf<'none' | 'python' | 'curl' | 'wget'>(['none', 'python', 'curl', 'wget'], 'a health check tool'),
      environment: s.environmentVariables(),
    }),
    offHours: s.optional(s.object<OffHoursSettings>({ stopSchedule: cron(), startSchedule: cron(), timezone: s.string({ pattern: /^[A-Za-z_]+(\/[A-Za-z0-9_+-]+)*$/, describe: 'an IANA time zone such as "Europe/Paris"' }) })),
    alb: s.object({ ...albFields, healthCheckPath: s.string({ pattern: /^\/[^\s]*$/, describe: 'a path starting with "/"' }) }),
    containerInsights: s.boolean(),
    monitoring: s.object({
      alarmEmail: s.optional(s.email()),
      cpuAlarmPercent: s.number({ min: 1, max: 100, unit: 'percent' }),
      memoryAlarmPercent: s.number({ min: 1, max: 100, unit: 'percent' }),
      latencyThresholdSec: s.number({ min: 0.001, max: 3600, integer: false, unit: 'seconds' }),
      errorRatePercent: s.number({ min: 0.001, max: 100, integer: false, unit: 'percent' }),
    }),
    enableExecuteCommand: s.boolean(),
    tags: s.tags(),
  },
  (v, issue) => {
    // The instances pull the image and call the AI services over the internet.
    if (v.network.natGateways === 'none') {
      issue('network.natGateways', `"none" leaves the container instances without a way to ${v.containerImage.split('/')[0]} (the image) and the AI services; allowed: "single" or "perAz"`);
    }
    checkNetwork(v.network, v.region, issue, { minZones: 2, prefix: 'network' });
    checkAlb(v.alb, issue);
    const svc = v.service;
    checkScaling(svc, issue, 'service.');
    checkGpuFit(v.gpu, { cpu: svc.cpu, memoryMiB: svc.memoryMiB, gpus: svc.gpus, maxTasks: svc.maxCapacity }, issue, 'service');
    // A rolling deployment starts the new task before it stops an old one (minimum healthy 100 %):
    // at the ceiling it needs one more task's GPUs, or the deployment waits and the circuit breaker rolls it back.
    const perInstance = Math.min(...v.gpu.instanceTypes.map((t) => Math.floor((GPU_INSTANCE_TYPES[t]?.gpus ?? 1) / svc.gpus)));
    if (perInstance > 0 && v.gpu.maxSize * perInstance === svc.maxCapacity) {
      issue('gpu.maxSize', `${v.gpu.maxSize} instances hold ${v.gpu.maxSize * perInstance} tasks: no room for the extra task a rolling deployment starts at service.maxCapacity ${svc.maxCapacity}; allowed: at least ${Math.ceil((svc.maxCapacity + 1) / perInstance)}`);
    }
    if (v.aiProviders.length === 0) issue('aiProviders', 'is empty; the validator needs an OpenAI or Gemini key (give ["openai"], ["gemini"] or both)');
    const unused = (key: 'openaiApiKey' | 'geminiApiKey', provider: AiProvider) => {
      if (v.existingSecrets[key] && !v.aiProviders.includes(provider)) issue(`existingSecrets.${key}`, `has no effect: "${provider}" is not in aiProviders; add it or remove the secret`);
    };
    unused('openaiApiKey', 'openai');
    unused('geminiApiKey', 'gemini');
    if (v.offHours && v.offHours.stopSchedule === v.offHours.startSchedule) issue('offHours.startSchedule', 'is the same as stopSchedule; give two different times');
    const reserved = Object.keys(svc.environment).filter((k) => ['BACKEND_URL', 'PORT', 'API_KEY', 'OPENAI_API_KEY', 'GEMINI_API_KEY'].includes(k));
    for (const k of reserved) issue(`service.environment.${k}`, 'is set by the stack (from backendUrl, containerPort or a secret); remove it');
  },
), DOCUMENT_VARIABLES);
