/**
 * Settings of the `vision-validator` stack. Defaults are document 000's values (its variables
 * `instance_type`, `desired_capacity`, `allowed_cidr_blocks`, `container_image`, `backend_url`, the
 * 70 % / 80 % scaling thresholds, the log group `/ecs/production/vision-validator`); where the
 * document is silent the default is said in the field's description. Its secrets (`api_key`,
 * `openai_api_key`, `gemini_api_key`) are sensitive Terraform variables, never settings.
 */
import { s } from '../settings';
import {
  albFields,
  checkAlb,
  checkDomain,
  checkGpuCapacity,
  checkGpuFit,
  checkNetwork,
  checkOffHours,
  checkScaling,
  endpointDomain,
  gpuCapacityFields,
  network,
  offHours,
  profileField,
  scratchPathsField,
  checkScratchPaths,
  alarmRecipientFields,
  alarmRecipientProblems,
  guardrailsField,
  scalingFields,
  taskSizeFields,
  waf,
} from '../settings/shapes';
import { GPU_INSTANCE_TYPES } from '../../src/compute/instance-types';

/** The AI services the validator can call; each one listed gets a required sensitive variable. */
export const AI_PROVIDERS = ['openai', 'gemini'] as const;
/** One AI service the validator can call. */
export type AiProvider = (typeof AI_PROVIDERS)[number];

const secretArn = (description: string) =>
  s.optional(
    s.string({
      pattern: /^arn:aws(-cn|-us-gov)?:secretsmanager:[a-z0-9-]+:\d{12}:secret:[A-Za-z0-9/_+=.@-]+-[A-Za-z0-9]{6}$/,
      expected: 'a Secrets Manager secret ARN with the 6-character suffix of its name (arn:aws:secretsmanager:<region>:<account>:secret:<name>-AbCdEf)',
      name: true,
      description,
    }),
  );

const service = s.object(
  {
    ...taskSizeFields,
    ...scalingFields,
    cpuTarget: s.number({ min: 1, max: 100, unit: 'percent', description: 'Average CPU, percent: the threshold of `scalingPolicy: "thresholds"` (a task more above it), the target of `"targetTracking"`.' }),
    memoryTarget: s.number({ min: 1, max: 100, unit: 'percent', description: 'Average memory, percent: the threshold of `scalingPolicy: "thresholds"`, the target of `"targetTracking"`.' }),
    scalingPolicy: s.oneOf(['thresholds', 'targetTracking'], {
      expected: 'a scaling policy',
      description:
        'How the task count follows load. `thresholds` (the document\'s): one task more as soon as CPU or memory stays above its threshold for `scaleOutAfterMinutes`, one less once both stay below for `scaleInAfterMinutes` (step scaling on two alarms). `targetTracking`: AWS keeps both near their targets with its own alarms, which react after about 3 minutes out and 15 in, whatever the cooldowns.',
    }),
    scaleOutAfterMinutes: s.number({ min: 1, max: 60, unit: 'minutes', description: 'Minutes CPU or memory must stay above its threshold before a task is added (`scalingPolicy: "thresholds"`).' }),
    scaleInAfterMinutes: s.number({ min: 1, max: 60, unit: 'minutes', description: 'Minutes CPU and memory must both stay below their thresholds before a task is removed (`scalingPolicy: "thresholds"`).' }),
    desiredCount: s.number({ min: 0, max: 1000, description: 'Tasks at creation; autoscaling owns the count afterwards.' }),
    gpus: s.number({ min: 1, max: 8, description: 'GPUs each task reserves (the instance type must have them).' }),
    containerPort: s.number({ min: 1, max: 65535, description: 'Port the container listens on.' }),
    healthCheckGracePeriodSec: s.number({ min: 0, max: 2147483647, unit: 'seconds', description: 'Seconds after a task starts during which failing health checks are ignored (model loading): the load balancer\'s and, when there is one, the container\'s.' }),
    containerHealthCheck: s.oneOf(['none', 'python', 'curl', 'wget'], {
      expected: 'a health check tool',
      description:
        'A container health check calling `GET <healthCheckPath>` with a tool the image has: `python`, `curl` or `wget`. The document\'s image is not described, so by default only the load balancer checks `/health` (ECS replaces tasks it reports unhealthy); a check with a tool the image lacks would kill every task.',
    }),
    environment: s.environmentVariables({ description: 'Extra plain environment variables (`BACKEND_URL` and `PORT` are set from other settings).' }),
  },
  {
    description: 'The validator service: task size, scaling (the document\'s 70 % / 80 % thresholds: out after 1 minute above, in after 5 minutes below) and deployment.',
    defaults: { cpu: 2048, memoryMiB: 8192, gpus: 1, containerPort: 8000, desiredCount: 1, minCapacity: 1, maxCapacity: 3, cpuTarget: 70, memoryTarget: 80, scalingPolicy: 'thresholds', scaleOutAfterMinutes: 1, scaleInAfterMinutes: 5, scaleOutCooldownSec: 60, scaleInCooldownSec: 300, healthCheckGracePeriodSec: 120, containerHealthCheck: 'none' },
  },
);

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

const fields = {
  region: s.region({ description: 'Region of every resource (the document\'s prices and backend region by default).', default: 'us-east-1' }),
  accountId: s.optional(s.accountId({ description: 'The AWS account; pin it to plan without credentials. Default: looked up at plan time.' })),
  environment: s.slug(32, { description: 'Environment name: in resource names, tags and the log group `/ecs/<environment>/vision-validator`.', default: 'production' }),
  network: network({
    description:
      'The VPC. Container instances pull the image from ghcr.io (outside AWS) through NAT. The document recommends endpoints for ECR and CloudWatch (`interfaceEndpoints: ["ecr.api", "ecr.dkr", "logs", "ssm", "ssmmessages", "ec2messages"]`): they cut NAT traffic but cost about 7.30 USD a month per endpoint and zone.',
    defaults: { natGateways: 'single', interfaceEndpoints: [] },
  }),
  logRetentionDays: s.retentionDays({ description: 'Retention of the log group, in days.', default: 30 }),
  containerImage: s.string({
    pattern: /^[a-z0-9]+([._-][a-z0-9]+)*(:\d+)?(\/[a-z0-9]+([._-][a-z0-9]+)*)+(:[\w][\w.-]{0,127}|@sha256:[a-f0-9]{64})$/,
    expected: 'a container image with a tag or digest, such as "ghcr.io/org/image:v1.2.3"',
    name: true,
    description: 'The validator image (public ghcr.io, or any registry the instances reach).',
    default: 'ghcr.io/unforkableco/forge-plugins-vision:v1.1.0',
  }),
  backendUrl: s.optional(s.string({ pattern: /^https?:\/\/[^\s/$.?#].[^\s]*$/, expected: 'an http(s) URL', name: true, description: 'Fabrikator backend URL, passed as `BACKEND_URL`. Default: none (the container\'s own default).' })),
  aiProviders: s.array(s.oneOf(AI_PROVIDERS, { expected: 'an AI provider' }), {
    unique: true,
    plural: 'AI providers',
    description: 'AI services the validator calls; each gets a required sensitive Terraform variable (`openai_api_key`, `gemini_api_key`) stored in Secrets Manager. The document needs one of them.',
    default: ['openai'],
  }),
  existingSecrets: s.object(
    {
      apiKey: secretArn('Secret holding the API key clients send in `X-API-Key`, instead of the variable `api_key`.'),
      openaiApiKey: secretArn('Secret holding the OpenAI API key, instead of the variable `openai_api_key`.'),
      geminiApiKey: secretArn('Secret holding the Gemini API key, instead of the variable `gemini_api_key`.'),
    },
    { description: 'Existing Secrets Manager secrets to use instead of the sensitive variables (full ARNs with their 6-character suffix). A secret given here gets no variable.' },
  ),
  gpu: s.object(
    {
      ...gpuCapacityFields,
      gpuMetrics: s.boolean({ description: 'Publish NVIDIA GPU metrics (`nvidia_smi_utilization_gpu`, ...) with the CloudWatch agent on the instances, shown on the dashboard. Custom metrics cost about 0.30 USD each a month.', default: true }),
    },
    {
      refine: checkGpuCapacity,
      description:
        'The g4dn Auto Scaling Group (ECS capacity provider with managed scaling). The first instance type is the document\'s `instance_type`; with `spot` every listed type is used (list several sizes, e.g. g4dn.xlarge, g4dn.2xlarge, g4dn.4xlarge, for spot capacity).',
      defaults: { maxSize: 4, desiredCapacity: 1 },
    },
  ),
  service,
  offHours: s.optional(offHours('Scale the service (and so the instances) to zero outside working hours (the document\'s "stop instances during off-hours"). Default: none: it runs around the clock, as the document does.')),
  alb: s.object(
    { ...albFields, healthCheckPath: s.urlPath({ description: 'Health check path of the target group and the container.', default: '/health' }) },
    {
      description:
        'The public load balancer. Open to the internet by default as in the document: restrict `allowedCidrs` to your clients (the API key is the only other protection). Deletion protection is on (a production entry point): set `alb.deletionProtection` false and apply before a destroy.',
      defaults: { deletionProtection: true },
    },
  ),
  waf: waf('A WAF web ACL in front of the load balancer: AWS managed rule groups, a per-IP rate limit (a guessed API key costs an attacker 2000 tries per 5 minutes per address) and request logs with the `X-API-Key` header redacted. Off by default (the document has none); recommended in production.', false),
  domain: endpointDomain(
    'vision.example.com',
    'The public name of the validator: an ACM certificate validated in the hosted zone, an alias record to the load balancer, HTTP redirected to HTTPS, and the URL outputs on this name (with `alb.certificateArn` alone they would name the load balancer\'s DNS name, which no certificate matches). Instead of `alb.certificateArn`. Default: none.',
  ),
  containerInsights: s.boolean({ description: 'Container Insights on the cluster (per-task metrics; the task-count alarm compares running with desired tasks).', default: true }),
  monitoring: s.object(
    {
      ...alarmRecipientFields,
      cpuAlarmPercent: s.number({ min: 1, max: 100, unit: 'percent', description: 'Service CPU alarm threshold, percent.', default: 90 }),
      memoryAlarmPercent: s.number({ min: 1, max: 100, unit: 'percent', description: 'Service memory alarm threshold, percent.', default: 90 }),
      latencyThresholdSec: s.number({ min: 0.001, max: 3600, integer: false, unit: 'seconds', description: 'P99 response time alarm threshold, seconds (a validation calls an AI service: slow by nature).', default: 30 }),
      errorRatePercent: s.number({ min: 0.001, max: 100, integer: false, unit: 'percent', description: '5xx error-rate alarm threshold, percent.', default: 5 }),
    },
    { description: 'Alarms (to an encrypted SNS topic) and their thresholds.', refine: alarmRecipientProblems },
  ),
  enableExecuteCommand: s.boolean({ description: 'ECS Exec into the container (`aws ecs execute-command`, e.g. to run `nvidia-smi`).', default: false }),
  profile: profileField,
  scratchPaths: scratchPathsField,
  guardrails: guardrailsField,
  tags: s.tags(),
};

/** What a user may set for the vision-validator stack. */
export type VisionValidatorSettings = s.Static<s.TObject<typeof fields>>;

/** The cross-field rules (each reported at the setting the user wrote). */
function checkVisionValidator(v: VisionValidatorSettings, issue: s.IssueFn): void {
  checkScratchPaths(v.scratchPaths, v.enableExecuteCommand, issue);
  checkDomain(v, issue);
  // The instances pull the image and call the AI services over the internet.
  if (v.network.natGateways === 'none') {
    issue('network.natGateways', `"none" leaves the container instances without a way to ${v.containerImage.split('/')[0]} (the image) and the AI services; allowed: "single" or "perAz"`);
  }
  checkNetwork(v.network, v.region, issue, { minZones: 2, prefix: 'network' });
  checkAlb(v.alb, issue);
  const svc = v.service;
  checkScaling(svc, issue, 'service.');
  checkGpuFit(v.gpu, { cpu: svc.cpu, memoryMiB: svc.memoryMiB, gpus: svc.gpus, gpusSetting: true, maxTasks: svc.maxCapacity }, issue, 'service');
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
  checkOffHours(v.offHours, issue);
  const reserved = Object.keys(svc.environment).filter((k) => ['BACKEND_URL', 'PORT', 'API_KEY', 'OPENAI_API_KEY', 'GEMINI_API_KEY'].includes(k));
  for (const k of reserved) issue(`service.environment.${k}`, 'is set by the stack (from backendUrl, containerPort or a secret); remove it');
}

/** The settings schema: every field, its description and its default. */
export const visionValidatorSchema = s.object(fields, { refine: checkVisionValidator, variables: DOCUMENT_VARIABLES });

/**
 * The lean profile (`"profile": "lean"`), over the defaults: the GPU instances on spot (over two
 * g4dn sizes, for more spot pools), one task with room for the extra one a rolling deployment
 * starts (at most two instances), and Container Insights off. The NAT gateway stays: the
 * instances pull the multi-GB image from ghcr.io through it each time one starts. What it gives
 * up: docs/cost.md; `offHours` lowers it further.
 */
export const VISION_VALIDATOR_LEAN = {
  gpu: { spot: true, instanceTypes: ['g4dn.xlarge', 'g4dn.2xlarge'], maxSize: 2 },
  service: { maxCapacity: 1 },
  containerInsights: false,
} as const;

/** The document's values, as the schema declares them. */
export function visionValidatorDefaults(): VisionValidatorSettings {
  return s.defaultsOf(visionValidatorSchema);
}
