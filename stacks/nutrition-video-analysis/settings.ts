/**
 * Settings of the `nutrition-video-analysis` stack. Defaults are document 002's values (its
 * `terraform.tfvars` variables in camelCase); see the README's nutrition-video-analysis section for
 * where the document is fixed.
 */
import { s } from '../settings';
import { IssueFn, NetworkSettings, RegistrySettings, TaskSize, checkFargateSize, checkImageTag, checkNetwork, networkFields, registryFields, taskSizeFields } from '../settings/shapes';
import { GPU_INSTANCE_TYPES, gpuInstanceTypeProblem, taskMemoryMiB } from '../../src/compute/instance-types';
import { LAMBDA_RUNTIMES, LambdaRuntime } from '../../src/compute/lambda';

/** The four Lambda functions, by setting key. */
export const NVA_FUNCTIONS = ['uploadHandler', 'statusChecker', 'resultsHandler', 'nutritionRag'] as const;
export type NvaFunctionName = (typeof NVA_FUNCTIONS)[number];
/** The functions behind the REST API (the document's `memory_size` and provisioned concurrency apply to these). */
export const NVA_API_FUNCTIONS = ['uploadHandler', 'statusChecker', 'resultsHandler'] as const;

/** Python runtimes (the bootstrap package deployed until the real code is Python). */
const PYTHON_RUNTIMES = LAMBDA_RUNTIMES.filter((r) => r.startsWith('python'));

/** Size of one Lambda function. */
export interface NvaFunctionSettings {
  /** Memory in MiB (128-10240); CPU grows with it. @default 512 / 256 / 512 / 3072 (upload, status, results, RAG) */
  readonly memoryMiB: number;
  /**
   * Timeout in seconds (1-900). API Gateway ends a REST request after 29 seconds whatever this is.
   * @default 30 / 10 / 30 / 300
   */
  readonly timeoutSec: number;
}

/** The ECS Fargate CPU worker that consumes the job queue. */
export interface NvaWorkerSettings extends TaskSize {
  /** Fewest tasks: 0 stops every task while the queue is empty and nothing is in flight. @default 0 */
  readonly minCapacity: number;
  /** Most tasks. @default 10 */
  readonly maxCapacity: number;
  /**
   * Minutes the queue must be empty (no waiting and no in-flight message) before tasks are
   * removed.
   * @default 10
   */
  readonly scaleInIdleMinutes: number;
  /** Extra environment variables of the worker container (the stack's are always set). @default {} */
  readonly environment: Record<string, string>;
}

/** The AWS Batch GPU jobs (the document's "ECS Fargate (GPU)"; Fargate has no GPUs). */
export interface NvaGpuSettings {
  /** x86 NVIDIA instance types Batch may launch. @default ["g4dn.xlarge", "g4dn.2xlarge"] */
  readonly instanceTypes: string[];
  /** vCPUs of one job. @default 4 */
  readonly vcpus: number;
  /** Memory of one job in MiB (what ECS leaves for jobs on an instance: about 95 %). @default 15360 */
  readonly memoryMiB: number;
  /** GPUs of one job. @default 1 */
  readonly gpus: number;
  /** Seconds one attempt may run. @default 3600 */
  readonly timeoutSec: number;
  /** Attempts per job (only spot reclaims are retried). @default 3 */
  readonly attempts: number;
  /** Root volume of each instance in GiB (GPU images are large). @default 100 */
  readonly rootVolumeSizeGiB: number;
}

export interface NutritionVideoAnalysisSettings {
  /** The document's `aws_region`. @default "us-east-1" */
  readonly region: string;
  /**
   * The AWS account: it qualifies the bucket names (`<name>-<account>-<region>`); pin it to plan
   * without credentials.
   * @default - looked up at plan time
   */
  readonly accountId?: string;
  /** The document's `project_name`: first part of every name. @default "nutrition-video-analysis" */
  readonly projectName: string;
  /**
   * The document's `environment`: second part of every name (`<projectName>-<environment>-...`) and
   * of the state key, so another environment is a separate deployment.
   * @default "dev"
   */
  readonly environment: string;
  /**
   * The document's `notification_email`: subscribed to the job-completion topic, which also
   * carries the alarms (confirm the mail AWS sends after apply).
   * @default - none (the document's "your-email@example.com" is a placeholder)
   */
  readonly notificationEmail?: string;
  /**
   * ARN of an existing Secrets Manager secret holding the Gemini API key (full ARN, with the
   * 6-character suffix). Without it the stack creates `<prefix>/gemini-api-key` from the sensitive
   * Terraform variable `gemini_api_key` (the document's variable: `TF_VAR_gemini_api_key=...`).
   * @default - a secret from the variable gemini_api_key
   */
  readonly geminiApiKeySecretArn?: string;
  /** The document's `enable_spot_instances`: spot GPU instances for Batch and Fargate Spot for the worker. @default true */
  readonly enableSpotInstances: boolean;
  /** The document's `max_vcpus`: most vCPUs the Batch GPU compute environment runs at once. @default 256 */
  readonly maxVcpus: number;
  /** The document's `s3_video_retention_days`: uploaded videos are deleted after this many days. @default 30 */
  readonly s3VideoRetentionDays: number;
  /** The document's `dynamodb_billing_mode` of the jobs table. @default "PAY_PER_REQUEST" */
  readonly dynamodbBillingMode: 'PAY_PER_REQUEST' | 'PROVISIONED';
  /**
   * Read and write capacity units of the jobs table; required with `dynamodbBillingMode`
   * "PROVISIONED", not allowed otherwise.
   * @default - none (on-demand)
   */
  readonly dynamodbCapacity?: {
    /** Read capacity units (strongly consistent 4 KB reads per second). */
    readonly readCapacity: number;
    /** Write capacity units (1 KB writes per second). */
    readonly writeCapacity: number;
  };
  /**
   * The document's `enable_encryption`: one customer managed KMS key (yearly rotation) encrypts
   * the buckets, the jobs table, the queues, the topic, the EFS file system and the Gemini secret.
   * Off, each uses its AWS managed or owned encryption, and the topic is unencrypted (CloudWatch
   * alarms cannot publish to a topic under the AWS managed SNS key).
   * @default true
   */
  readonly enableEncryption: boolean;
  /** The document's `enable_api_key`: every route requires an API key of the stage's usage plan. @default false */
  readonly enableApiKey: boolean;
  /**
   * The document's `cors_origins`: browser origins allowed to call the API and to upload and
   * download with presigned URLs, or `["*"]`.
   * @default ["*"]
   */
  readonly corsOrigins: string[];
  /** The document's `enable_waf`: a WAFv2 web ACL (AWS managed rules and a per-IP rate limit) on the API stage. @default false */
  readonly enableWaf: boolean;
  /**
   * The document's `memory_size`: memory in MiB of the three API functions (upload, status,
   * results) at once. The RAG function keeps `functions.nutritionRag.memoryMiB`.
   * @default - each function's own `functions.<name>.memoryMiB`
   */
  readonly memorySize?: number;
  /**
   * The document's `provisioned_concurrent_executions`: pre-initialized environments for each of
   * the three API functions (on a `live` alias the API calls); 0 for none. Billed around the clock.
   * @default 0
   */
  readonly provisionedConcurrentExecutions: number;
  /** Size of each function. @default the document's: upload 512 MiB/30 s, status 256/10, results 512/30, RAG 3072/300 */
  readonly functions: Record<NvaFunctionName, NvaFunctionSettings>;
  /** Runtime of the four functions (the bootstrap package is Python). @default "python3.12" */
  readonly lambdaRuntime: LambdaRuntime;
  /**
   * Handler of the four functions, `<module>.<function>`: the real code must use it too (Terraform
   * manages the handler; only the code is deployed outside it). The bootstrap package deployed
   * before the real code answers at `index.handler` only; with another handler the functions fail
   * with `Runtime.ImportModuleError` until the code is deployed.
   * @default "index.handler"
   */
  readonly lambdaHandler: string;
  /** Retention of every log group (functions, API access logs, worker, Batch). @default 30 */
  readonly logRetentionDays: number;
  /**
   * The VPC. A NAT gateway is required: the RAG function and the worker call the Gemini API on the
   * internet. S3 and DynamoDB are reached through free gateway endpoints.
   * @default 10.0.0.0/16 over 2 zones, one NAT gateway ("single"), no interface endpoints
   */
  readonly network: NetworkSettings;
  /** The REST API. @default see each field */
  readonly api: {
    /** Stage name, first part of every path. @default "v1" */
    readonly stageName: string;
    /** Requests per second of the stage (and of each API key) in steady state. @default 50 */
    readonly rateLimit: number;
    /** Requests that may arrive at once. @default 100 */
    readonly burstLimit: number;
    /**
     * Create API Gateway's account-level CloudWatch role for this region (`aws_api_gateway_account`).
     * It is one setting per account and region shared by every REST API there: access logs fail to
     * deploy until it is set, so turn this on in exactly one stack per account and region (when
     * `aws apigateway get-account` shows no `cloudwatchRoleArn`).
     * @default false
     */
    readonly accountCloudWatchRole: boolean;
  };
  /** The web ACL, with `enableWaf`. @default see each field */
  readonly waf: {
    /** Requests one IP address may send in 5 minutes before it is blocked. @default 2000 */
    readonly rateLimitPer5Min: number;
  };
  /** The job queue. @default see each field */
  readonly queue: {
    /**
     * Seconds a received job stays hidden from other workers: longer than the worker needs for one
     * video, or the video is processed twice.
     * @default 900
     */
    readonly visibilityTimeoutSec: number;
    /** Receives of a job before it moves to the dead-letter queue. @default 3 */
    readonly maxReceiveCount: number;
  };
  /** The ECS Fargate worker. @default 1024 CPU units, 2048 MiB, 0 to 10 tasks on the queue depth */
  readonly worker: NvaWorkerSettings;
  /** The Batch GPU jobs. @default g4dn.xlarge/2xlarge, 4 vCPUs, 15360 MiB, 1 GPU per job */
  readonly gpu: NvaGpuSettings;
  /**
   * Image tag of the worker and GPU job images (`<prefix>/worker`, `<prefix>/gpu-job` in ECR). Until
   * it is set the worker keeps 0 tasks (its repository is empty): apply, push the images, set the
   * tag, apply again.
   * @default - none: the worker stays at 0 tasks
   */
  readonly imageTag?: string;
  /** The two ECR repositories. @default MUTABLE tags, 30 images kept, untagged ones expire after 7 days */
  readonly ecr: RegistrySettings;
  /**
   * Container Insights on the ECS cluster (about 9 USD a month of custom metrics). The "ECS task
   * failures" alarm compares its running and desired task counts: off, there is no such alarm.
   * @default true
   */
  readonly containerInsights: boolean;
  /** DynamoDB deletion protection of the jobs table (turn off before `terraform destroy`). @default true */
  readonly deletionProtection: boolean;
  /** Alarm thresholds. @default see each field */
  readonly monitoring: {
    /** Lambda errors in percent of invocations, per function. @default 5 */
    readonly lambdaErrorRatePercent: number;
    /** API Gateway 5XX answers in percent of requests. @default 5 */
    readonly apiErrorRatePercent: number;
    /** Age in seconds of the oldest job in the queue. @default 900 */
    readonly queueAgeThresholdSec: number;
  };
  /** Extra default tags. @default {} */
  readonly tags: Record<string, string>;
}

/** The document's values. */
export function nutritionVideoAnalysisDefaults(): NutritionVideoAnalysisSettings {
  return {
    region: 'us-east-1',
    projectName: 'nutrition-video-analysis',
    environment: 'dev',
    enableSpotInstances: true,
    maxVcpus: 256,
    s3VideoRetentionDays: 30,
    dynamodbBillingMode: 'PAY_PER_REQUEST',
    enableEncryption: true,
    enableApiKey: false,
    corsOrigins: ['*'],
    enableWaf: false,
    provisionedConcurrentExecutions: 0,
    functions: {
      uploadHandler: { memoryMiB: 512, timeoutSec: 30 },
      statusChecker: { memoryMiB: 256, timeoutSec: 10 },
      resultsHandler: { memoryMiB: 512, timeoutSec: 30 },
      nutritionRag: { memoryMiB: 3072, timeoutSec: 300 },
    },
    lambdaRuntime: 'python3.12',
    lambdaHandler: 'index.handler',
    logRetentionDays: 30,
    network: { vpcCidr: '10.0.0.0/16', azCount: 2, natGateways: 'single', interfaceEndpoints: [] },
    api: { stageName: 'v1', rateLimit: 50, burstLimit: 100, accountCloudWatchRole: false },
    waf: { rateLimitPer5Min: 2000 },
    queue: { visibilityTimeoutSec: 900, maxReceiveCount: 3 },
    worker: { cpu: 1024, memoryMiB: 2048, minCapacity: 0, maxCapacity: 10, scaleInIdleMinutes: 10, environment: {} },
    gpu: { instanceTypes: ['g4dn.xlarge', 'g4dn.2xlarge'], vcpus: 4, memoryMiB: 15360, gpus: 1, timeoutSec: 3600, attempts: 3, rootVolumeSizeGiB: 100 },
    ecr: { imageTagMutability: 'MUTABLE', keepImages: 30, untaggedExpiryDays: 7 },
    containerInsights: true,
    deletionProtection: true,
    monitoring: { lambdaErrorRatePercent: 5, apiErrorRatePercent: 5, queueAgeThresholdSec: 900 },
    tags: {},
  };
}

/** `<projectName>-<environment>`, the prefix of every name. */
export function nvaPrefix(v: Pick<NutritionVideoAnalysisSettings, 'projectName' | 'environment'>): string {
  return `${v.projectName}-${v.environment}`;
}

/** The longest bucket-name suffix: `-results`. */
const LONGEST_BUCKET_PART = 'results';
/** Characters `<name>-<account>-<region>` adds to a base name. */
const qualifier = (region: string) => 1 + 12 + 1 + region.length;

const functionSchema = s.object<NvaFunctionSettings>({
  memoryMiB: s.number({ min: 128, max: 10240, unit: 'MiB' }),
  timeoutSec: s.number({ min: 1, max: 900, unit: 'seconds' }),
});

const ORIGIN = /^(\*|https?:\/\/[A-Za-z0-9.-]+(:\d{1,5})?)$/;

export const nutritionVideoAnalysisSchema = s.documentVariables(s.object<NutritionVideoAnalysisSettings>(
  {
    region: s.region(),
    accountId: s.optional(s.accountId()),
    projectName: s.slug(40),
    environment: s.slug(20),
    notificationEmail: s.optional(s.email()),
    geminiApiKeySecretArn: s.optional(s.string({ pattern: /^arn:aws(-cn|-us-gov)?:secretsmanager:[a-z0-9-]+:\d{12}:secret:.+-[A-Za-z0-9]{6}$/, describe: 'a full Secrets Manager secret ARN (arn:aws:secretsmanager:<region>:<account>:secret:<name>-<6 characters>)' })),
    enableSpotInstances: s.boolean(),
    maxVcpus: s.number({ min: 1, max: 100000, unit: 'vCPUs' }),
    s3VideoRetentionDays: s.number({ min: 1, max: 36500, unit: 'days' }),
    dynamodbBillingMode: s.oneOf<'PAY_PER_REQUEST' | 'PROVISIONED'>(['PAY_PER_REQUEST', 'PROVISIONED'], 'a DynamoDB billing mode'),
    dynamodbCapacity: s.optional(s.object({ readCapacity: s.number({ min: 1, max: 40000, unit: 'units' }), writeCapacity: s.number({ min: 1, max: 40000, unit: 'units' }) })),
    enableEncryption: s.boolean(),
    enableApiKey: s.boolean(),
    corsOrigins: s.array(s.string({ pattern: ORIGIN, describe: 'an origin ("*" or scheme://host[:port] without a path, e.g. "https://app.example.com")' }), { minLength: 1, unique: true, plural: 'origins such as "https://app.example.com"' }),
    enableWaf: s.boolean(),
    memorySize: s.optional(s.number({ min: 128, max: 10240, unit: 'MiB' })),
    provisionedConcurrentExecutions: s.number({ min: 0, max: 1000 }),
    functions: s.object<Record<NvaFunctionName, NvaFunctionSettings>>({ uploadHandler: functionSchema, statusChecker: functionSchema, resultsHandler: functionSchema, nutritionRag: functionSchema }),
    lambdaRuntime: s.oneOf<LambdaRuntime>(PYTHON_RUNTIMES, 'a Python Lambda runtime'),
    lambdaHandler: s.string({ pattern: /^[A-Za-z0-9_.\-/]+\.[A-Za-z0-9_]+$/, describe: 'a handler such as "index.handler" (<module>.<function>)', maxLength: 128 }),
    logRetentionDays: s.retentionDays(),
    network: s.object<NetworkSettings>(networkFields),
    api: s.object({
      stageName: s.string({ pattern: /^[A-Za-z0-9_-]{1,128}$/, describe: 'a stage name (1-128 letters, digits, "-" and "_")' }),
      rateLimit: s.number({ min: 1, max: 10000, unit: 'requests per second' }),
      burstLimit: s.number({ min: 1, max: 5000, unit: 'requests' }),
      accountCloudWatchRole: s.boolean(),
    }),
    waf: s.object({ rateLimitPer5Min: s.number({ min: 100, max: 2000000000, unit: 'requests' }) }),
    queue: s.object({
      visibilityTimeoutSec: s.number({ min: 0, max: 43200, unit: 'seconds' }),
      maxReceiveCount: s.number({ min: 1, max: 1000 }),
    }),
    worker: s.object<NvaWorkerSettings>({
      ...taskSizeFields,
      minCapacity: s.number({ min: 0, max: 1000 }),
      maxCapacity: s.number({ min: 1, max: 1000 }),
      scaleInIdleMinutes: s.number({ min: 1, max: 100, unit: 'minutes' }),
      environment: s.environmentVariables(),
    }),
    gpu: s.object<NvaGpuSettings>({
      instanceTypes: s.array(s.string({ minLength: 1, describe: 'an x86 NVIDIA GPU instance type such as "g4dn.xlarge"' }), { minLength: 1, unique: true, plural: 'GPU instance types' }),
      vcpus: s.number({ min: 1, max: 192, unit: 'vCPUs' }),
      memoryMiB: s.number({ min: 4, max: 2097152, unit: 'MiB' }),
      gpus: s.number({ min: 1, max: 16 }),
      timeoutSec: s.number({ min: 60, max: 1209600, unit: 'seconds' }),
      attempts: s.number({ min: 1, max: 10 }),
      rootVolumeSizeGiB: s.number({ min: 30, max: 16384, unit: 'GiB' }),
    }),
    imageTag: s.optional(s.imageTag()),
    ecr: s.object<RegistrySettings>(registryFields),
    containerInsights: s.boolean(),
    deletionProtection: s.boolean(),
    monitoring: s.object({
      lambdaErrorRatePercent: s.number({ min: 0.001, max: 100, integer: false, unit: 'percent' }),
      apiErrorRatePercent: s.number({ min: 0.001, max: 100, integer: false, unit: 'percent' }),
      queueAgeThresholdSec: s.number({ min: 60, max: 1209600, unit: 'seconds' }),
    }),
    tags: s.tags(),
  },
  (v, issue) => checkNutritionVideoAnalysis(v, issue),
), {
  // The document's other variables are settings of their name in camelCase (aws_region is region).
  gemini_api_key: 'is a secret, never a setting: give it as the sensitive Terraform variable gemini_api_key (TF_VAR_gemini_api_key), or the ARN of an existing Secrets Manager secret in geminiApiKeySecretArn',
});

/** The cross-field rules (each reported at the setting the user wrote). */
function checkNutritionVideoAnalysis(v: NutritionVideoAnalysisSettings, issue: IssueFn): void {
  const defaults = nutritionVideoAnalysisDefaults();
  // Bucket names are global and at most 63 characters: `<prefix>-results-<account>-<region>`.
  const bucketLength = nvaPrefix(v).length + 1 + LONGEST_BUCKET_PART.length + qualifier(v.region);
  if (bucketLength > 63) {
    issue('projectName', `"${nvaPrefix(v)}" (projectName-environment) makes the bucket "${nvaPrefix(v)}-${LONGEST_BUCKET_PART}-<account>-${v.region}" ${bucketLength} characters long; S3 allows 63: shorten projectName or environment by ${bucketLength - 63}`);
  }

  checkNetwork(v.network, v.region, issue, { minZones: 2, prefix: 'network' });
  if (v.network.natGateways === 'none') {
    issue('network.natGateways', '"none" is not possible here: the RAG function and the worker call the Gemini API on the internet, which private subnets reach only through a NAT gateway; allowed: "single", "perAz"');
  }

  if (v.dynamodbBillingMode === 'PROVISIONED' && !v.dynamodbCapacity) issue('dynamodbCapacity', 'is required with dynamodbBillingMode "PROVISIONED"; e.g. {"readCapacity": 5, "writeCapacity": 5}');
  if (v.dynamodbBillingMode === 'PAY_PER_REQUEST' && v.dynamodbCapacity) issue('dynamodbCapacity', 'has no effect with dynamodbBillingMode "PAY_PER_REQUEST" (on-demand); remove it or set dynamodbBillingMode "PROVISIONED"');

  if (v.corsOrigins.includes('*') && v.corsOrigins.length > 1) issue('corsOrigins', '"*" allows every origin and cannot be combined with others');
  if (!v.enableWaf && JSON.stringify(v.waf) !== JSON.stringify(defaults.waf)) issue('waf', 'has no effect with enableWaf false; set enableWaf true or leave waf at its defaults');
  if (v.api.burstLimit < v.api.rateLimit) issue('api.burstLimit', `${v.api.burstLimit} is below rateLimit ${v.api.rateLimit}; the burst must hold at least one second of requests`);

  if (v.memorySize !== undefined) {
    for (const name of NVA_API_FUNCTIONS) {
      if (v.functions[name].memoryMiB !== defaults.functions[name].memoryMiB) {
        issue(`functions.${name}.memoryMiB`, `${v.functions[name].memoryMiB} has no effect: memorySize ${v.memorySize} sets the memory of the three API functions; remove one of them`);
      }
    }
  }

  checkFargateSize(v.worker, issue, 'worker.');
  if (v.worker.minCapacity > v.worker.maxCapacity) issue('worker.minCapacity', `${v.worker.minCapacity} is above maxCapacity ${v.worker.maxCapacity}`);
  checkImageTag(v.imageTag, v.ecr.imageTagMutability, issue, 'imageTag');
  checkGpu(v, issue);
}

/** GPU instance types the Batch image drives, and a job that fits one of them within maxVcpus. */
function checkGpu(v: NutritionVideoAnalysisSettings, issue: IssueFn): void {
  const known: string[] = [];
  v.gpu.instanceTypes.forEach((t, i) => {
    const problem = gpuInstanceTypeProblem(t);
    if (problem) issue(`gpu.instanceTypes[${i}]`, problem);
    else if (['p3', 'g3'].includes(t.split('.')[0])) issue(`gpu.instanceTypes[${i}]`, `${JSON.stringify(t)} is not driven by the Amazon Linux 2023 NVIDIA image Batch uses; allowed: g4dn, g5, g6, g6e, p4d, p5 families`);
    else known.push(t);
  });
  if (known.length > 0) {
    const fits = known.some((t) => {
      const size = GPU_INSTANCE_TYPES[t];
      return v.gpu.vcpus <= size.vcpus && v.gpu.memoryMiB <= taskMemoryMiB(size) && v.gpu.gpus <= size.gpus;
    });
    if (!fits) {
      const largest = known.map((t) => `${t}: ${GPU_INSTANCE_TYPES[t].vcpus} vCPUs, about ${taskMemoryMiB(GPU_INSTANCE_TYPES[t])} MiB, ${GPU_INSTANCE_TYPES[t].gpus} GPU`).join('; ');
      issue('gpu', `a job of ${v.gpu.vcpus} vCPUs, ${v.gpu.memoryMiB} MiB and ${v.gpu.gpus} GPU fits none of gpu.instanceTypes (${largest}); give the job less or add a larger type`);
    }
  }
  if (v.gpu.vcpus > v.maxVcpus) issue('maxVcpus', `${v.maxVcpus} is below gpu.vcpus ${v.gpu.vcpus}: no job could ever start`);
}
