/**
 * Settings of the `nutrition-video-analysis` stack. Defaults are document 002's values (its
 * `terraform.tfvars` variables in camelCase); see docs/stacks/nutrition-video-analysis.md for
 * where the document is fixed.
 */
import { s } from '../settings';
import {
  IssueFn,
  budget,
  checkFargateSize,
  checkImageTag,
  checkNetwork,
  network,
  profileField,
  scratchPathsField,
  guardrailsField,
  registryFields,
  taskSizeFields,
} from '../settings/shapes';
import { GPU_INSTANCE_TYPES, gpuInstanceTypeProblem, taskMemoryMiB } from '../../src/compute/instance-types';
import { LAMBDA_RUNTIMES } from '../../src/compute/lambda';
import { originPortProblem, pythonHandlerHint } from '../settings/rules';

/** The four Lambda functions, by setting key. */
export const NVA_FUNCTIONS = ['uploadHandler', 'statusChecker', 'resultsHandler', 'nutritionRag'] as const;
/** One of the four Lambda functions. */
export type NvaFunctionName = (typeof NVA_FUNCTIONS)[number];
/** The functions behind the REST API (the document's `memory_size` and provisioned concurrency apply to these). */
export const NVA_API_FUNCTIONS = ['uploadHandler', 'statusChecker', 'resultsHandler'] as const;

/** Python runtimes (the bootstrap package deployed until the real code is Python). */
const PYTHON_RUNTIMES = LAMBDA_RUNTIMES.filter((r) => r.startsWith('python'));

/** The size of one Lambda function, described for it. */
function lambdaFunction(description: string, defaults: { memoryMiB: number; timeoutSec: number }) {
  return s.object(
    {
      memoryMiB: s.number({ min: 128, max: 10240, unit: 'MiB', description: 'Memory in MiB (128-10240); CPU grows with it.' }),
      timeoutSec: s.number({ min: 1, max: 900, unit: 'seconds', description: 'Timeout in seconds (1-900). API Gateway ends a REST request after 29 seconds whatever this is.' }),
    },
    { description, defaults },
  );
}

const ORIGIN = /^(\*|https?:\/\/[A-Za-z0-9.-]+(:\d{1,5})?)$/;

const fields = {
  region: s.region({ description: 'The document\'s `aws_region`: region of every resource.', default: 'us-east-1' }),
  accountId: s.optional(s.accountId({ description: 'The AWS account: it qualifies the bucket names (`<name>-<account>-<region>`); pin it to plan without credentials. Default: looked up at plan time.' })),
  projectName: s.slug(40, { description: 'The document\'s `project_name`: first part of every name.', default: 'nutrition-video-analysis' }),
  environment: s.slug(20, { description: 'The document\'s `environment`: second part of every name (`<projectName>-<environment>-...`) and of the state key, so another environment is a separate deployment.', default: 'dev' }),
  notificationEmail: s.optional(
    s.email({ description: 'The document\'s `notification_email`: subscribed to the job-completion topic, which also carries the alarms (confirm the mail AWS sends after apply). Default: none (the document\'s "your-email@example.com" is a placeholder).' }),
  ),
  geminiApiKeySecretArn: s.optional(
    s.string({
      pattern: /^arn:aws(-cn|-us-gov)?:secretsmanager:[a-z0-9-]+:\d{12}:secret:.+-[A-Za-z0-9]{6}$/,
      expected: 'a full Secrets Manager secret ARN (arn:aws:secretsmanager:<region>:<account>:secret:<name>-<6 characters>)',
      name: true,
      description:
        'ARN of an existing Secrets Manager secret holding the Gemini API key (full ARN, with the 6-character suffix). Without it the stack creates `<prefix>/gemini-api-key` from the sensitive Terraform variable `gemini_api_key` (the document\'s variable: `TF_VAR_gemini_api_key=...`).',
    }),
  ),
  enableSpotInstances: s.boolean({ description: 'The document\'s `enable_spot_instances`: spot GPU instances for Batch and Fargate Spot for the worker.', default: true }),
  maxVcpus: s.number({ min: 1, max: 100000, unit: 'vCPUs', description: 'The document\'s `max_vcpus`: most vCPUs the Batch GPU compute environment runs at once.', default: 256 }),
  s3VideoRetentionDays: s.number({ min: 1, max: 36500, unit: 'days', description: 'The document\'s `s3_video_retention_days`: uploaded videos are deleted after this many days.', default: 30 }),
  dynamodbBillingMode: s.oneOf(['PAY_PER_REQUEST', 'PROVISIONED'], { expected: 'a DynamoDB billing mode', description: 'The document\'s `dynamodb_billing_mode` of the jobs table.', default: 'PAY_PER_REQUEST' }),
  dynamodbCapacity: s.optional(
    s.object(
      {
        readCapacity: s.number({ min: 1, max: 40000, unit: 'units', description: 'Read capacity units (strongly consistent 4 KB reads per second).' }),
        writeCapacity: s.number({ min: 1, max: 40000, unit: 'units', description: 'Write capacity units (1 KB writes per second).' }),
      },
      { description: 'Read and write capacity units of the jobs table; required with `dynamodbBillingMode` "PROVISIONED", not allowed otherwise. Default: none (on-demand).' },
    ),
  ),
  enableEncryption: s.boolean({
    description:
      'The document\'s `enable_encryption`: one customer managed KMS key (yearly rotation) encrypts the buckets, the jobs table, the queues, the topic, the EFS file system and the Gemini secret. Off, each uses its AWS managed or owned encryption, and the topic is unencrypted (CloudWatch alarms cannot publish to a topic under the AWS managed SNS key).',
    default: true,
  }),
  enableApiKey: s.boolean({ description: 'The document\'s `enable_api_key`: every route requires an API key of the stage\'s usage plan.', default: false }),
  corsOrigins: s.array(s.string({ pattern: ORIGIN, expected: 'an origin ("*" or scheme://host[:port] without a path, e.g. "https://app.example.com")' , check: originPortProblem, name: true }), {
    minLength: 1,
    unique: true,
    plural: 'origins such as "https://app.example.com"',
    description: 'The document\'s `cors_origins`: browser origins allowed to call the API and to upload and download with presigned URLs, or `["*"]`.',
    default: ['*'],
  }),
  enableWaf: s.boolean({ description: 'The document\'s `enable_waf`: a WAFv2 web ACL (AWS managed rules and a per-IP rate limit) on the API stage.', default: false }),
  memorySize: s.optional(
    s.number({
      min: 128,
      max: 10240,
      unit: 'MiB',
      description: 'The document\'s `memory_size`: memory in MiB of the three API functions (upload, status, results) at once. The RAG function keeps `functions.nutritionRag.memoryMiB`. Default: each function\'s own `functions.<name>.memoryMiB`.',
    }),
  ),
  provisionedConcurrentExecutions: s.number({
    min: 0,
    max: 1000,
    description: 'The document\'s `provisioned_concurrent_executions`: pre-initialized environments for each of the three API functions (on a `live` alias the API calls); 0 for none. Billed around the clock.',
    default: 0,
  }),
  functions: s.object(
    {
      uploadHandler: lambdaFunction('The upload handler (`POST /upload`): records a job and hands out a presigned upload URL.', { memoryMiB: 512, timeoutSec: 30 }),
      statusChecker: lambdaFunction('The status checker (`GET /status/{jobId}`): reads the job from the jobs table.', { memoryMiB: 256, timeoutSec: 10 }),
      resultsHandler: lambdaFunction('The results handler (`GET /results/{jobId}`): reads a finished job\'s results from the results bucket.', { memoryMiB: 512, timeoutSec: 30 }),
      nutritionRag: lambdaFunction('The nutrition RAG function the worker asks for the analysis (model files on EFS, the Gemini API); not behind the API, so `memorySize` does not apply to it.', { memoryMiB: 3072, timeoutSec: 300 }),
    },
    { description: 'Size of each Lambda function (the document\'s: upload 512 MiB/30 s, status 256/10, results 512/30, RAG 3072/300).' },
  ),
  lambdaRuntime: s.oneOf(PYTHON_RUNTIMES, { expected: 'a Python Lambda runtime', description: 'Runtime of the four functions (the bootstrap package is Python).', default: 'python3.12' }),
  lambdaHandler: s.string({
    // A Python module path (packages by "." or "/") and a function, all Python identifiers; never the file's ".py".
    pattern: /^(?!.*\.py\.)([A-Za-z_][A-Za-z0-9_]*\/)*[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)+$/,
    expected: 'a handler such as "index.handler" (<module>.<function>)',
    hint: pythonHandlerHint,
    maxLength: 128,
    description:
      'Handler of the four functions, `<module>.<function>`: the real code must use it too (Terraform manages the handler; only the code is deployed outside it). The bootstrap package deployed before the real code answers at `index.handler` only; with another handler the functions fail with `Runtime.ImportModuleError` until the code is deployed.',
    default: 'index.handler',
  }),
  logRetentionDays: s.retentionDays({ description: 'Retention of every log group (functions, API access logs, worker, Batch), in days.', default: 30 }),
  network: network({
    description: 'The VPC. A NAT gateway is required: the RAG function and the worker call the Gemini API on the internet. S3 and DynamoDB are reached through free gateway endpoints.',
    defaults: { natGateways: 'single', interfaceEndpoints: [] },
  }),
  api: s.object(
    {
      stageName: s.string({ pattern: /^[A-Za-z0-9_-]{1,128}$/, expected: 'a stage name (1-128 letters, digits, "-" and "_")', description: 'Stage name, first part of every path.', default: 'v1' }),
      rateLimit: s.number({ min: 1, max: 10000, unit: 'requests per second', description: 'Requests per second of the stage (and of each API key) in steady state.', default: 50 }),
      burstLimit: s.number({ min: 1, max: 5000, unit: 'requests', description: 'Requests that may arrive at once.', default: 100 }),
      accountCloudWatchRole: s.boolean({
        description:
          'Create API Gateway\'s account-level CloudWatch role for this region (`aws_api_gateway_account`). It is one setting per account and region shared by every REST API there: access logs fail to deploy until it is set, so turn this on in exactly one stack per account and region (when `aws apigateway get-account` shows no `cloudwatchRoleArn`).',
        default: false,
      }),
    },
    { description: 'The REST API.' },
  ),
  waf: s.object(
    {
      rateLimitPer5Min: s.number({ min: 100, max: 2000000000, unit: 'requests', description: 'Requests one IP address may send in 5 minutes before it is blocked.', default: 2000 }),
      logging: s.boolean({ description: 'Log every request the web ACL evaluates to the CloudWatch log group `aws-waf-logs-<name>` (the authorization, cookie and x-api-key headers redacted).', default: true }),
    },
    { description: 'The web ACL, with `enableWaf`.' },
  ),
  queue: s.object(
    {
      visibilityTimeoutSec: s.number({
        min: 0,
        max: 43200,
        unit: 'seconds',
        description:
          'Seconds a received job stays hidden from other workers. The worker keeps the message until the job is done, GPU work included, so it must outlast a GPU job with every retry (gpu.timeoutSec x gpu.attempts) plus the CPU work, or the job returns to the queue, is processed twice and reaches the dead-letter queue while it still runs. SQS allows 12 hours.',
        default: 11700,
      }),
      maxReceiveCount: s.number({ min: 1, max: 1000, description: 'Receives of a job before it moves to the dead-letter queue.', default: 3 }),
    },
    { description: 'The job queue.' },
  ),
  worker: s.object(
    {
      ...taskSizeFields,
      minCapacity: s.number({ min: 0, max: 1000, description: 'Fewest tasks: 0 stops every task while the queue is empty and nothing is in flight.', default: 0 }),
      maxCapacity: s.number({ min: 1, max: 1000, description: 'Most tasks the worker scales out to.', default: 10 }),
      scaleInIdleMinutes: s.number({ min: 1, max: 100, unit: 'minutes', description: 'Minutes the queue must be empty (no waiting and no in-flight message) before tasks are removed.', default: 10 }),
      environment: s.environmentVariables({ description: 'Extra environment variables of the worker container (the stack\'s are always set).' }),
    },
    { description: 'The ECS Fargate CPU worker that consumes the job queue, scaled on the queue depth.', defaults: { cpu: 1024, memoryMiB: 2048 } },
  ),
  gpu: s.object(
    {
      instanceTypes: s.array(s.string({ minLength: 1, expected: 'an x86 NVIDIA GPU instance type such as "g4dn.xlarge"' }), {
        minLength: 1,
        unique: true,
        plural: 'GPU instance types',
        description: 'x86 NVIDIA instance types Batch may launch.',
        default: ['g4dn.xlarge', 'g4dn.2xlarge'],
      }),
      vcpus: s.number({ min: 1, max: 192, unit: 'vCPUs', description: 'vCPUs of one job.', default: 4 }),
      memoryMiB: s.number({ min: 4, max: 2097152, unit: 'MiB', description: 'Memory of one job in MiB (what ECS leaves for jobs on an instance: about 95 %).', default: 15360 }),
      gpus: s.number({ min: 1, max: 16, description: 'GPUs of one job.', default: 1 }),
      timeoutSec: s.number({ min: 60, max: 1209600, unit: 'seconds', description: 'Seconds one attempt may run.', default: 3600 }),
      attempts: s.number({ min: 1, max: 10, description: 'Attempts per job (only spot reclaims are retried).', default: 3 }),
      rootVolumeSizeGiB: s.number({ min: 30, max: 16384, unit: 'GiB', description: 'Root volume of each instance in GiB (GPU images are large).', default: 100 }),
    },
    { description: 'The AWS Batch GPU jobs (the document\'s "ECS Fargate (GPU)"; Fargate has no GPUs).' },
  ),
  imageTag: s.optional(
    s.imageTag({
      description:
        'Image tag of the worker and GPU job images (`<prefix>/worker`, `<prefix>/gpu-job` in ECR). Until it is set the worker keeps 0 tasks (its repository is empty): apply, push the images, set the tag, apply again. Default: none: the worker stays at 0 tasks.',
    }),
  ),
  ecr: s.object(registryFields, { description: 'The two ECR repositories.', defaults: { imageTagMutability: 'MUTABLE', keepImages: 30 } }),
  containerInsights: s.boolean({
    description: 'Container Insights on the ECS cluster (about 9 USD a month of custom metrics). The "ECS task failures" alarm compares its running and desired task counts: off, there is no such alarm.',
    default: true,
  }),
  deletionProtection: s.boolean({ description: 'DynamoDB deletion protection of the jobs table (turn it off before `terraform destroy`).', default: true }),
  budget: budget(
      'about 1.5 times the stack\'s standard monthly cost with its default settings: a month of unexpected GPU jobs or a runaway worker shows within days',
      'Billing alerts, and the cost cap of the open upload route: a monthly cost budget for the stack, filtered by its `Stack` tag (activate it as a cost allocation tag: state-bootstrap\'s `account.costAllocationTags`; until then the budget counts nothing and the cap never closes).',
      150,
      {
        stopUploadsAtLimit: s.boolean({
          description:
            'The cost cap: once the month\'s actual spend reaches the limit, AWS Budgets denies new uploads (the upload handler\'s s3:PutObject under `uploads/`, which its presigned URLs use) and new GPU jobs (the worker\'s batch:SubmitJob) until the action is reversed (`aws budgets execute-budget-action --execution-type REVERSE_BUDGET_ACTION`, docs/operations.md). AWS Budgets reads the spend a few times a day, so the cap lands hours late at worst. Off (or without the budget), the upload route starts paid GPU work without a cap unless `enableApiKey` is on: the production gate AWS-API-008 shows it.',
          default: true,
        }),
      },
    ),
  monitoring: s.object(
    {
      lambdaErrorRatePercent: s.number({ min: 0.001, max: 100, integer: false, unit: 'percent', description: 'Lambda errors in percent of invocations, per function.', default: 5 }),
      apiErrorRatePercent: s.number({ min: 0.001, max: 100, integer: false, unit: 'percent', description: 'API Gateway 5XX answers in percent of requests.', default: 5 }),
      queueAgeThresholdSec: s.number({ min: 60, max: 1209600, unit: 'seconds', description: 'Age in seconds of the oldest job in the queue.', default: 900 }),
    },
    { description: 'Alarm thresholds.' },
  ),
  profile: profileField,
  scratchPaths: scratchPathsField,
  guardrails: guardrailsField,
  tags: s.tags(),
};

/** What a user may set for the nutrition-video-analysis stack. */
export type NutritionVideoAnalysisSettings = s.Static<s.TObject<typeof fields>>;

/** `<projectName>-<environment>`, the prefix of every name. */
export function nvaPrefix(v: Pick<NutritionVideoAnalysisSettings, 'projectName' | 'environment'>): string {
  return `${v.projectName}-${v.environment}`;
}

/** The longest bucket-name suffix: `-results`. */
const LONGEST_BUCKET_PART = 'results';
/** Characters `<name>-<account>-<region>` adds to a base name. */
const qualifier = (region: string) => 1 + 12 + 1 + region.length;

/** The cross-field rules (each reported at the setting the user wrote). */
function checkNutritionVideoAnalysis(v: NutritionVideoAnalysisSettings, issue: IssueFn): void {
  const defaults = nutritionVideoAnalysisDefaults();
  if (v.ecr.customerManagedKey && !v.enableEncryption) issue('ecr.customerManagedKey', 'true has no effect with enableEncryption false (the stack\'s key exists only with it); set enableEncryption true or remove it');
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

  // The worker holds the message until the GPU job (with its retries) is done.
  const gpuJobSec = v.gpu.timeoutSec * v.gpu.attempts;
  if (gpuJobSec > 43200 - 60) {
    issue('gpu.timeoutSec', `${v.gpu.timeoutSec} x gpu.attempts ${v.gpu.attempts} = ${gpuJobSec} seconds is longer than a job can stay hidden in SQS (12 hours, the worker's CPU work included); lower gpu.timeoutSec or gpu.attempts`);
  } else if (v.queue.visibilityTimeoutSec < gpuJobSec + 60) {
    issue('queue.visibilityTimeoutSec', `${v.queue.visibilityTimeoutSec} is shorter than a GPU job with its retries (gpu.timeoutSec ${v.gpu.timeoutSec} x gpu.attempts ${v.gpu.attempts} = ${gpuJobSec} seconds) and the worker's own work: the job would return to the queue while it runs and be processed twice; allowed: at least ${gpuJobSec + 60}`);
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

/**
 * The lean profile (`"profile": "lean"`), over the defaults: a NAT instance instead of the NAT
 * gateway (the functions and the worker call the Gemini API through it; ECR layers and S3 go through
 * the free gateway endpoint), Container Insights off, the worker and the GPU jobs capped for the
 * document's light usage (two worker tasks, two GPU jobs at once: a runaway month costs hundreds,
 * not thousands), and a budget at about 1.5 times the lean figure at that usage. The worker already
 * scales from zero on the queue depth and GPU time is bought per job. What it gives up: docs/cost.md.
 */
export const NUTRITION_VIDEO_ANALYSIS_LEAN = {
  network: { natGateways: 'instance' },
  containerInsights: false,
  worker: { maxCapacity: 2 },
  maxVcpus: 8,
  budget: { monthlyLimitUsd: 40 },
} as const;

/** The settings schema: every field, its description and its default. */
export const nutritionVideoAnalysisSchema = s.object(fields, {
  refine: checkNutritionVideoAnalysis,
  // The document's other variables are settings of their name in camelCase (aws_region is region).
  variables: {
    gemini_api_key: 'is a secret, never a setting: give it as the sensitive Terraform variable gemini_api_key (TF_VAR_gemini_api_key), or the ARN of an existing Secrets Manager secret in geminiApiKeySecretArn',
  },
});

/** The document's values, as the schema declares them. */
export function nutritionVideoAnalysisDefaults(): NutritionVideoAnalysisSettings {
  return s.defaultsOf(nutritionVideoAnalysisSchema);
}
