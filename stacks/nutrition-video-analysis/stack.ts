/**
 * `nutrition-video-analysis`: document 002 (Nutrition Video Analysis), a serverless pipeline that
 * turns food videos into nutrition analyses.
 *
 * The flow the stack wires (the document draws it, but never says who calls whom; each piece gets
 * exactly the permissions this flow needs):
 * 1. `POST /upload` (upload handler) records the job in DynamoDB and hands out a presigned S3 PUT
 *    URL under `uploads/` of the videos bucket; the browser uploads the video itself.
 * 2. S3 notifies the SQS job queue of the new object; the ECS Fargate worker (0 tasks while the
 *    queue is idle) takes the job, runs the CPU work, submits the GPU work as an AWS Batch job,
 *    asks the nutrition RAG function for the analysis, writes the results, updates the job and
 *    publishes to the job-completion topic. Jobs that fail 3 times land in the dead-letter queue.
 * 3. `GET /status/{jobId}` and `GET /results/{jobId}` read the job and its results.
 *
 * Where the document is wrong, impossible or silent, and what is built instead:
 * - "ECS Fargate (GPU)": Fargate has no GPUs. The CPU work runs on an ECS Fargate worker service
 *   (Fargate Spot with `enableSpotInstances`) scaled on the queue depth, and the GPU work on AWS
 *   Batch: a managed compute environment of spot g4dn instances (`maxVcpus`), a job queue and a
 *   GPU job definition.
 * - "VPC endpoints to avoid NAT Gateway costs": the RAG function and the worker call the Gemini API
 *   on the internet, which no VPC endpoint reaches. One NAT gateway (`network.natGateways`
 *   "single") gives them that path; S3 and DynamoDB, where the video bytes go, are reached through
 *   free gateway endpoints, so the NAT's per-GB charge applies to API calls only. Interface
 *   endpoints would cost more than the NAT (7.30 USD a month per zone each) and still not reach
 *   Gemini; they can be added (`network.interfaceEndpoints`).
 * - Only the RAG function runs in the VPC (it mounts EFS); the API functions call only AWS APIs
 *   and stay outside it, where they start faster and need no NAT.
 * - `lifecycle.ignore_changes` lists `last_modified` and `version`, which Terraform never compares
 *   (it warns "Redundant ignore_changes element" on every plan): the functions ignore filename,
 *   source_code_hash, s3_key and s3_object_version. Each function is created with a small bootstrap
 *   package that answers 503 "deployed, but its code is not" until the real code is deployed with
 *   `aws lambda update-function-code`, as the document says.
 * - Provisioned concurrency on code deployed outside Terraform: it lives on a `live` alias whose
 *   version Terraform ignores after creation (the pipeline publishes a version and moves the
 *   alias); the API calls the alias. It applies to the three API functions, whose cold starts
 *   clients see; the RAG function is called by the worker.
 * - `memory_size` would shrink the 3 GB RAG function: it sizes the three API functions.
 * - Who loads the model files into EFS is not said: the models bucket holds them, and an on-demand
 *   ECS task (`model_sync_run_command`) copies them to EFS with the AWS CLI; the RAG function
 *   mounts them read-only.
 * - Browsers upload with presigned URLs: the videos and results buckets allow `corsOrigins`.
 * - Intelligent-Tiering moves objects after 30 days without access; videos that expire within 30
 *   days would pay its monitoring and transition fees for nothing, so videos use it only when
 *   `s3VideoRetentionDays` is above 30 (results and models always do).
 * - `enable_encryption` off: the buckets use SSE-S3, the table DynamoDB's AWS owned key, the queues
 *   SSE-SQS, EFS and the secret their AWS managed keys, and the topic is unencrypted (CloudWatch
 *   alarms cannot publish to a topic under the AWS managed SNS key).
 * - `gemini_api_key` is a sensitive Terraform variable feeding a Secrets Manager secret (or an
 *   existing secret's ARN); the worker gets it as `GEMINI_API_KEY`, the RAG function reads it at
 *   run time. It never appears in the synthesized configuration.
 * - `notification_email` also receives the alarms (the document sends both to "the SNS topic").
 * - Alarms: the Lambda error rate is metric math (errors / invocations, 0 without traffic), per
 *   function; the API 5XX alarm is a rate too; "ECS task failures" is the worker running fewer
 *   tasks than desired for 5 minutes (crash loops, image pull failures); jobs in the dead-letter
 *   queue alarm as well.
 * - REST API access logs need the account's API Gateway CloudWatch role, a regional singleton:
 *   `api.accountCloudWatchRole` creates it, off by default (one stack per account and region).
 * - Bucket names are global: they carry the account and region.
 */
import { Construct } from 'constructs';
import { TerraformOutput } from 'cdktf';
import { AwsStack } from '../../src/core/aws-stack';
import type { SharedSettings } from '../settings';
import { spotStrategy, vpcProps } from '../settings/shapes';
import { RestApi } from '../../src/edge/rest-api';
import { BatchGpuCompute } from '../../src/compute/batch';
import { EcsCluster } from '../../src/compute/ecs-cluster';
import { EcsService, TaskDefinition } from '../../src/compute/ecs-service';
import { EncryptionKey } from '../../src/security/kms';
import { LambdaFunction, LambdaFunctionProps, bootstrapCodePath } from '../../src/compute/lambda';
import { Guardrails } from '../../src/core/suppressions';
import { LogGroup } from '../../src/observability/logs';
import { Monitoring } from '../../src/observability/monitoring';
import { Queue } from '../../src/data/queue';
import { RepositoryReference, repositoryFor } from '../../src/data/registry';
import { SecretValue } from '../../src/security/secrets';
import { SecurityGroup } from '../../src/network/security-group';
import { BucketTransition, SecureBucket } from '../../src/data/bucket';
import { SharedFileSystem } from '../../src/data/efs';
import { Table } from '../../src/data/table';
import { Topic } from '../../src/data/topic';
import { Vpc } from '../../src/network/vpc';
import { WebAcl } from '../../src/edge/waf';
import { NVA_API_FUNCTIONS, NVA_FUNCTIONS, NutritionVideoAnalysisSettings, NvaFunctionName, nvaPrefix } from './settings';

/** The stack's public name. */
export const NUTRITION_VIDEO_ANALYSIS = 'nutrition-video-analysis';
/** Where the RAG function (and the model sync task) see the model files. */
export const MODELS_MOUNT = '/mnt/models';
/** Key prefix of uploaded videos: the upload handler signs PUTs below it, and S3 notifies the queue of it. */
export const UPLOAD_PREFIX = 'uploads/';
/** The AWS CLI image the model sync task runs (ECR Public, pinned). */
export const MODEL_SYNC_IMAGE = 'public.ecr.aws/aws-cli/aws-cli:2.15.30';

/** Function names after the prefix (the document's `<project>-<env>-upload-handler`). */
const FUNCTION_SUFFIX: Record<NvaFunctionName, string> = {
  uploadHandler: 'upload-handler',
  statusChecker: 'status-checker',
  resultsHandler: 'results-handler',
  nutritionRag: 'nutrition-rag',
};

const FUNCTION_DESCRIPTION: Record<NvaFunctionName, string> = {
  uploadHandler: 'Creates a job and a presigned upload URL for its video',
  statusChecker: 'Answers the status of a job',
  resultsHandler: 'Answers the results of a finished job',
  nutritionRag: 'Nutrition analysis over the model files on EFS (retrieval-augmented generation)',
};

export class NutritionVideoAnalysisStack extends AwsStack {
  public readonly prefix: string;
  /** The customer managed key, with `enableEncryption`. */
  public readonly key?: EncryptionKey;
  public readonly vpc: Vpc;
  public readonly videos: SecureBucket;
  public readonly results: SecureBucket;
  public readonly models: SecureBucket;
  public readonly jobs: Table;
  public readonly queue: Queue;
  public readonly topic: Topic;
  public readonly modelFiles: SharedFileSystem;
  public readonly geminiApiKey: SecretValue;
  public readonly functions: Record<NvaFunctionName, LambdaFunction>;
  public readonly api: RestApi;
  public readonly waf?: WebAcl;
  public readonly cluster: EcsCluster;
  public readonly repositories: { readonly worker: RepositoryReference; readonly gpuJob: RepositoryReference };
  public readonly worker: EcsService;
  public readonly gpu: BatchGpuCompute;
  public readonly modelSync: TaskDefinition;
  public readonly monitoring: Monitoring;

  constructor(scope: Construct, name: string, settings: NutritionVideoAnalysisSettings, shared: SharedSettings = {}) {
    super(scope, name, {
      region: settings.region,
      project: settings.projectName,
      environment: settings.environment,
      tags: settings.tags,
      accountId: settings.accountId,
      remoteState: shared.remoteState,
      // One state per environment: changing `environment` is another deployment, not a rename of this one.
      stateKey: `${NUTRITION_VIDEO_ANALYSIS}/${settings.environment}/terraform.tfstate`,
    });
    const prefix = nvaPrefix(settings);
    this.prefix = prefix;
    const ready = settings.imageTag !== undefined;
    const tag = settings.imageTag ?? 'latest';

    // ===== KMS: one key for every store, when encryption is on =====
    this.key = settings.enableEncryption
      ? new EncryptionKey(this, 'key', { alias: prefix, description: `Encrypts the ${prefix} buckets, jobs table, queues, topic, model file system and Gemini secret` })
      : undefined;
    const key = this.key;

    // ===== VPC: private subnets, one NAT gateway, free S3 and DynamoDB gateway endpoints =====
    this.vpc = new Vpc(this, 'vpc', {
      namePrefix: prefix,
      region: settings.region,
      ...vpcProps(settings.network),
      gatewayEndpoints: ['s3', 'dynamodb'],
    });

    // ===== Storage =====
    const encryption = key ? { encryption: 'aws:kms' as const, kmsKeyArn: key.keyArn } : { encryption: 'AES256' as const };
    const tiering: BucketTransition[] = [{ days: 0, storageClass: 'INTELLIGENT_TIERING' }];
    this.videos = new SecureBucket(this, 'videos', {
      bucketName: this.qualifiedName(`${prefix}-videos`),
      ...encryption,
      // Uploads are written once and expire: versions would only keep deleted videos around.
      versioned: false,
      expirationDays: settings.s3VideoRetentionDays,
      transitions: settings.s3VideoRetentionDays > 30 ? tiering : [],
      abortIncompleteMultipartUploadDays: 1,
      corsRules: [{ allowedMethods: ['PUT'], allowedOrigins: settings.corsOrigins }],
    });
    Guardrails.suppress(this.videos, 'AWS-S3-004', 'uploads are written once by their presigned URL and expire after s3VideoRetentionDays; versions would only keep deleted videos');
    this.results = new SecureBucket(this, 'results', {
      bucketName: this.qualifiedName(`${prefix}-results`),
      ...encryption,
      noncurrentVersionExpirationDays: 30,
      transitions: tiering,
      corsRules: [{ allowedMethods: ['GET', 'HEAD'], allowedOrigins: settings.corsOrigins }],
    });
    this.models = new SecureBucket(this, 'models', {
      bucketName: this.qualifiedName(`${prefix}-models`),
      ...encryption,
      noncurrentVersionExpirationDays: 90,
      transitions: tiering,
    });
    this.jobs = new Table(this, 'jobs', {
      tableName: `${prefix}-jobs`,
      partitionKey: { name: 'jobId', type: 'S' },
      billingMode: settings.dynamodbBillingMode,
      readCapacity: settings.dynamodbCapacity?.readCapacity,
      writeCapacity: settings.dynamodbCapacity?.writeCapacity,
      pointInTimeRecovery: true,
      ...(key ? { kmsKey: key } : { defaultEncryption: 'aws-owned' as const }),
      deletionProtection: settings.deletionProtection,
      // Items carrying `expiresAt` (epoch seconds) are deleted by DynamoDB; others are kept.
      timeToLiveAttribute: 'expiresAt',
    });
    this.modelFiles = new SharedFileSystem(this, 'model-files', {
      name: `${prefix}-models`,
      vpcId: this.vpc.vpcId,
      subnetIds: this.vpc.privateSubnetIds,
      kmsKeyArn: key?.keyArn,
      // The models bucket is the source of truth: the copy on EFS needs no backups.
      backup: false,
      accessPoint: { path: '/models', uid: 1000, gid: 1000, permissions: '0755' },
    });
    Guardrails.suppress(this.modelFiles, 'AWS-EFS-002', 'the file system is a copy of the versioned models bucket, restored by running the model-sync task');

    // ===== Messaging =====
    this.queue = new Queue(this, 'jobs-queue', {
      queueName: `${prefix}-jobs`,
      kmsKey: key,
      visibilityTimeoutSec: settings.queue.visibilityTimeoutSec,
      deadLetterQueue: { maxReceiveCount: settings.queue.maxReceiveCount },
    });
    this.videos.addQueueNotification(this.queue, { events: ['s3:ObjectCreated:*'], prefix: UPLOAD_PREFIX });
    this.topic = new Topic(this, 'job-completion', {
      name: `${prefix}-job-completion`,
      ...(key ? { kmsKey: key } : { serverSideEncryption: false }),
      emailSubscriptions: settings.notificationEmail ? [settings.notificationEmail] : [],
    });

    // ===== The Gemini API key: a sensitive variable (or an existing secret), never a setting =====
    const existingSecret = settings.geminiApiKeySecretArn;
    this.geminiApiKey = new SecretValue(this, 'gemini-api-key', {
      ...(existingSecret
        ? // The name is the ARN's resource part without the 6-character suffix Secrets Manager adds.
          { secretName: existingSecret.split(':secret:')[1].replace(/-[A-Za-z0-9]{6}$/, ''), source: { kind: 'existing' as const, secretArn: existingSecret } }
        : { secretName: `${prefix}/gemini-api-key`, source: { kind: 'variable' as const, variableName: 'gemini_api_key' }, description: `Gemini API key of ${prefix}`, kmsKey: key }),
    });

    // ===== Lambda functions =====
    const cors = { CORS_ALLOWED_ORIGINS: settings.corsOrigins.join(',') };
    const environment: Record<NvaFunctionName, Record<string, string>> = {
      uploadHandler: { ...cors, JOBS_TABLE: this.jobs.tableName, VIDEOS_BUCKET: this.videos.bucketName, UPLOAD_PREFIX },
      statusChecker: { ...cors, JOBS_TABLE: this.jobs.tableName },
      resultsHandler: { ...cors, JOBS_TABLE: this.jobs.tableName, RESULTS_BUCKET: this.results.bucketName },
      nutritionRag: { MODELS_PATH: MODELS_MOUNT, GEMINI_API_KEY_SECRET_ARN: this.geminiApiKey.secretArn },
    };
    const isApi = (fn: NvaFunctionName) => (NVA_API_FUNCTIONS as readonly string[]).includes(fn);
    const makeFunction = (fn: NvaFunctionName): LambdaFunction => {
      const size = settings.functions[fn];
      const props: LambdaFunctionProps = {
        functionName: `${prefix}-${FUNCTION_SUFFIX[fn]}`,
        description: FUNCTION_DESCRIPTION[fn],
        runtime: settings.lambdaRuntime,
        handler: settings.lambdaHandler,
        code: { assetPath: bootstrapCodePath(settings.lambdaRuntime) },
        codeManagedExternally: true,
        memoryMiB: isApi(fn) ? settings.memorySize ?? size.memoryMiB : size.memoryMiB,
        timeoutSec: size.timeoutSec,
        environment: environment[fn],
        logRetentionDays: settings.logRetentionDays,
        tracing: 'Active',
        provisionedConcurrency: isApi(fn) && settings.provisionedConcurrentExecutions > 0 ? settings.provisionedConcurrentExecutions : undefined,
        // Only the RAG function needs the VPC: it mounts the model files (read-only; the sync task writes them).
        ...(fn === 'nutritionRag' ? { vpc: { vpc: this.vpc }, efs: { fileSystem: this.modelFiles, mountPath: MODELS_MOUNT, readOnly: true } } : {}),
      };
      return new LambdaFunction(this, FUNCTION_SUFFIX[fn], props);
    };
    this.functions = Object.fromEntries(NVA_FUNCTIONS.map((fn) => [fn, makeFunction(fn)])) as Record<NvaFunctionName, LambdaFunction>;
    const { uploadHandler, statusChecker, resultsHandler, nutritionRag } = this.functions;
    this.jobs.grantWriteData(uploadHandler);
    this.videos.grantWrite(uploadHandler, `${UPLOAD_PREFIX}*`);
    this.jobs.grantReadData(statusChecker);
    this.jobs.grantReadData(resultsHandler);
    this.results.grantRead(resultsHandler);
    this.geminiApiKey.grantRead(nutritionRag);

    // ===== API Gateway (REST), optional WAF =====
    if (settings.enableWaf) this.waf = new WebAcl(this, 'waf', { name: `${prefix}-api`, rateLimitPer5Min: settings.waf.rateLimitPer5Min });
    this.api = new RestApi(this, 'api', {
      name: `${prefix}-api`,
      description: `Nutrition video analysis API (${settings.environment})`,
      stageName: settings.api.stageName,
      routes: [
        { path: '/upload', method: 'POST', function: uploadHandler },
        { path: '/status/{jobId}', method: 'GET', function: statusChecker },
        { path: '/results/{jobId}', method: 'GET', function: resultsHandler },
      ],
      cors: { allowOrigins: settings.corsOrigins },
      apiKey: settings.enableApiKey,
      throttle: { burstLimit: settings.api.burstLimit, rateLimit: settings.api.rateLimit },
      accessLogRetentionDays: settings.logRetentionDays,
      tracing: true,
      accountCloudWatchRole: settings.api.accountCloudWatchRole,
      webAclArn: this.waf?.webAclArn,
    });
    if (!settings.enableApiKey) {
      Guardrails.suppress(this.api, 'AWS-API-003', 'the document\'s web client calls upload, status and results without credentials (enable_api_key = false); the stage throttles every method and enableWaf adds a rate limit');
    }

    // ===== Container images =====
    const repository = (id: string, suffix: string) =>
      repositoryFor(this, id, {
        repositoryName: `${prefix}/${suffix}`,
        scanOnPush: true,
        imageTagMutability: settings.ecr.imageTagMutability,
        keepImages: settings.ecr.keepImages,
        untaggedExpiryDays: settings.ecr.untaggedExpiryDays,
      });
    this.repositories = { worker: repository('ecr-worker', 'worker'), gpuJob: repository('ecr-gpu-job', 'gpu-job') };

    // ===== AWS Batch: the GPU jobs (spot g4dn, from 0 instances) =====
    this.gpu = new BatchGpuCompute(this, 'gpu', {
      name: `${prefix}-gpu`,
      vpc: this.vpc,
      instanceTypes: settings.gpu.instanceTypes,
      spot: settings.enableSpotInstances,
      maxVcpus: settings.maxVcpus,
      minVcpus: 0,
      rootVolumeSizeGiB: settings.gpu.rootVolumeSizeGiB,
      logRetentionDays: settings.logRetentionDays,
      job: {
        image: `${this.repositories.gpuJob.repositoryUrl}:${tag}`,
        vcpus: settings.gpu.vcpus,
        memoryMiB: settings.gpu.memoryMiB,
        gpus: settings.gpu.gpus,
        timeoutSec: settings.gpu.timeoutSec,
        attempts: settings.gpu.attempts,
        environment: { JOBS_TABLE: this.jobs.tableName, VIDEOS_BUCKET: this.videos.bucketName, RESULTS_BUCKET: this.results.bucketName, MODELS_BUCKET: this.models.bucketName },
      },
    });
    this.videos.grantRead(this.gpu);
    this.models.grantRead(this.gpu);
    this.results.grantWrite(this.gpu);
    this.jobs.grantReadWriteData(this.gpu);

    // ===== ECS: the CPU worker, scaled on the queue depth =====
    const strategy = settings.enableSpotInstances ? spotStrategy(100, 0) : spotStrategy(0, 0);
    this.cluster = new EcsCluster(this, 'ecs-cluster', { clusterName: `${prefix}-cluster`, containerInsights: settings.containerInsights ? 'enabled' : 'disabled', defaultCapacityProviderStrategy: strategy });
    const logGroup = new LogGroup(this, 'ecs-logs', { name: `/ecs/${prefix}`, retentionDays: settings.logRetentionDays });
    this.worker = new EcsService(this, 'worker', {
      serviceName: `${prefix}-worker`,
      cluster: this.cluster,
      vpc: this.vpc,
      capacityProviderStrategy: strategy,
      cpu: settings.worker.cpu,
      memoryMiB: settings.worker.memoryMiB,
      containerName: 'worker',
      image: `${this.repositories.worker.repositoryUrl}:${tag}`,
      environment: {
        QUEUE_URL: this.queue.queueUrl,
        JOBS_TABLE: this.jobs.tableName,
        VIDEOS_BUCKET: this.videos.bucketName,
        RESULTS_BUCKET: this.results.bucketName,
        BATCH_JOB_QUEUE: this.gpu.jobQueueName,
        BATCH_JOB_DEFINITION: this.gpu.jobDefinitionName,
        RAG_FUNCTION_NAME: nutritionRag.functionName,
        COMPLETION_TOPIC_ARN: this.topic.topicArn,
        ...settings.worker.environment,
      },
      secrets: { GEMINI_API_KEY: this.geminiApiKey },
      logGroup,
      logStreamPrefix: 'worker',
      // Queue-driven: 0 tasks until an image exists, then autoscaling owns the count.
      desiredCount: 0,
      // Video processing writes temporary frames.
      readonlyRootFilesystem: false,
    });
    Guardrails.suppress(this.worker, 'AWS-ECS-002', 'video processing writes extracted frames as temporary files in the image\'s filesystem');
    this.queue.grantConsume(this.worker);
    this.jobs.grantReadWriteData(this.worker);
    this.videos.grantRead(this.worker);
    this.results.grantReadWrite(this.worker);
    this.gpu.grantSubmit(this.worker);
    nutritionRag.grantInvokeRole(this.worker);
    this.topic.grantPublish(this.worker);
    this.worker.autoScaleTaskCount({
      minCapacity: ready ? settings.worker.minCapacity : 0,
      maxCapacity: ready ? settings.worker.maxCapacity : 0,
      queue: {
        backlog: this.queue.metricVisibleMessages(),
        // Scale in only when nothing waits and nothing is being processed; then straight to the floor.
        inFlight: this.queue.metricInFlightMessages(),
        steps: [
          { upper: 0, change: -settings.worker.maxCapacity },
          { lower: 1, change: +1 },
          { lower: 10, change: +3 },
          { lower: 50, change: +10 },
        ],
        cooldownSec: 120,
        evaluationPeriods: 1,
        scaleInEvaluationPeriods: settings.worker.scaleInIdleMinutes,
      },
    });

    // ===== Model sync: copies the models bucket to EFS, on demand =====
    this.modelSync = new TaskDefinition(this, 'model-sync', { family: `${prefix}-model-sync`, cpu: 512, memoryMiB: 1024 });
    this.modelSync.addEfsVolume('models', this.modelFiles, false);
    this.modelSync.addContainer({
      name: 'sync',
      image: MODEL_SYNC_IMAGE,
      command: ['s3', 'sync', `s3://${this.models.bucketName}/`, `${MODELS_MOUNT}/`, '--delete', '--only-show-errors'],
      mountPoints: [{ volume: 'models', containerPath: MODELS_MOUNT }],
      logGroup,
      logStreamPrefix: 'model-sync',
      // The CLI may write temporary files beside its installation.
      readonlyRootFilesystem: false,
    });
    Guardrails.suppress(this.modelSync, 'AWS-ECS-002', 'the AWS CLI image writes its cache and temporary files beside its installation');
    this.models.grantRead(this.modelSync.roles.task);
    const modelSyncSg = new SecurityGroup(this, 'model-sync-sg', { name: `${prefix}-model-sync`, description: `Model sync task of ${prefix}, outbound only`, vpcId: this.vpc.vpcId });
    this.modelFiles.allowFrom(modelSyncSg.securityGroupId, 'NFS from the model sync task');

    // ===== Monitoring: dashboard and alarms, to the job-completion topic =====
    this.monitoring = new Monitoring(this, 'monitoring', { namePrefix: prefix, region: settings.region, topic: this.topic });
    const fns = NVA_FUNCTIONS.map((fn) => this.functions[fn]);
    this.monitoring.addWidget({ title: 'API Gateway requests and errors', metrics: [this.api.metricCount(), this.api.metric4xx(), this.api.metric5xx()] });
    this.monitoring.addWidget({ title: 'API Gateway latency', metrics: [{ ...this.api.metricLatency('p99'), label: 'p99' }, { ...this.api.metricLatency('Average'), label: 'average' }] });
    this.monitoring.addWidget({ title: 'Lambda duration (p99, ms)', metrics: fns.map((f) => f.metricDuration('p99')) });
    this.monitoring.addWidget({ title: 'Lambda errors', metrics: fns.map((f) => f.metricErrors()) });
    this.monitoring.addWidget({ title: 'Lambda invocations', metrics: fns.map((f) => f.metricInvocations()) });
    this.monitoring.addWidget({ title: 'Lambda throttles', metrics: fns.map((f) => f.metricThrottles()) });
    this.monitoring.addWidget({ title: 'ECS worker CPU and memory (%)', metrics: [this.worker.metricCpuUtilization(), this.worker.metricMemoryUtilization()] });
    const desired = this.worker.metricDesiredTasks();
    this.monitoring.addWidget({ title: 'ECS worker tasks', metrics: desired ? [this.worker.metricRunningTasks(), desired] : [this.worker.metricRunningTasks()] });
    this.monitoring.addWidget({ title: 'SQS jobs', metrics: [this.queue.metricVisibleMessages(), this.queue.metricInFlightMessages(), this.queue.metricDeadLetterMessages()!] });
    this.monitoring.addWidget({ title: 'SQS oldest job age (s)', metrics: [this.queue.metricOldestMessageAge()] });

    const m = settings.monitoring;
    for (const fn of NVA_FUNCTIONS) {
      this.monitoring.addMathAlarm(`${FUNCTION_SUFFIX[fn]}-error-rate`, {
        ...this.functions[fn].metricErrorRate(),
        name: `${FUNCTION_SUFFIX[fn]}-error-rate`,
        description: `${FUNCTION_SUFFIX[fn]}: errors above ${m.lambdaErrorRatePercent}% of invocations`,
        threshold: m.lambdaErrorRatePercent,
        comparison: 'GreaterThanThreshold',
        evaluationPeriods: 2,
      });
    }
    this.monitoring.addMathAlarm('api-5xx-rate', {
      ...this.api.metric5xxRate(),
      name: 'api-5xx-rate',
      description: `API Gateway answers 5XX to more than ${m.apiErrorRatePercent}% of requests`,
      threshold: m.apiErrorRatePercent,
      comparison: 'GreaterThanThreshold',
      evaluationPeriods: 2,
    });
    // ECS task failures: tasks that crash or cannot start keep the running count below the desired
    // one (Container Insights). Without it there is no desired count to compare with at 0 tasks.
    if (settings.containerInsights) this.monitoring.addServiceAlarms('worker', this.worker, { label: 'worker', expectedTasks: 0 });
    this.monitoring.addAlarm('queue-age', {
      name: 'queue-oldest-job-age',
      description: `A job has waited more than ${m.queueAgeThresholdSec} seconds in the queue`,
      metric: this.queue.metricOldestMessageAge(),
      threshold: m.queueAgeThresholdSec,
      comparison: 'GreaterThanThreshold',
      evaluationPeriods: 1,
    });
    this.monitoring.addAlarm('dead-letters', {
      name: 'failed-jobs',
      description: `Jobs failed ${settings.queue.maxReceiveCount} times and wait in the dead-letter queue`,
      metric: this.queue.metricDeadLetterMessages()!,
      threshold: 0,
      comparison: 'GreaterThanThreshold',
      evaluationPeriods: 1,
    });

    // ===== Outputs =====
    const url = this.api.url;
    new TerraformOutput(this, 'api_url', { value: url, description: 'Invoke URL of the API stage' });
    new TerraformOutput(this, 'api_endpoints', {
      description: 'The routes',
      value: { upload: `POST ${url}/upload`, status: `GET ${url}/status/{jobId}`, results: `GET ${url}/results/{jobId}` },
    });
    if (this.api.apiKeyId) {
      new TerraformOutput(this, 'api_key_command', { description: 'Prints the API key (send it as x-api-key)', value: `aws apigateway get-api-key --api-key ${this.api.apiKeyId} --include-value --query value --output text` });
    }
    new TerraformOutput(this, 's3_buckets', { description: 'Buckets', value: { videos: this.videos.bucketName, results: this.results.bucketName, models: this.models.bucketName } });
    new TerraformOutput(this, 'dynamodb_table', { description: 'Jobs table', value: this.jobs.tableName });
    new TerraformOutput(this, 'sqs_queue_url', { description: 'Job queue', value: this.queue.queueUrl });
    new TerraformOutput(this, 'sqs_dead_letter_queue_arn', { description: 'Jobs that failed every attempt', value: this.queue.deadLetterQueueArn! });
    new TerraformOutput(this, 'sns_topic_arn', { description: 'Job completion and alarm topic', value: this.topic.topicArn });
    new TerraformOutput(this, 'lambda_functions', { description: 'Function names', value: Object.fromEntries(NVA_FUNCTIONS.map((fn) => [fn, this.functions[fn].functionName])) });
    new TerraformOutput(this, 'ecr_repositories', { description: 'Push the worker and GPU job images here', value: { worker: this.repositories.worker.repositoryUrl, gpuJob: this.repositories.gpuJob.repositoryUrl } });
    new TerraformOutput(this, 'ecs_cluster_name', { description: 'ECS cluster of the worker', value: this.cluster.clusterName });
    new TerraformOutput(this, 'batch_job_queue', { description: 'Batch job queue of the GPU jobs', value: this.gpu.jobQueueName });
    new TerraformOutput(this, 'batch_job_definition', { description: 'Batch job definition of the GPU jobs', value: this.gpu.jobDefinitionName });
    new TerraformOutput(this, 'efs_file_system_id', { description: 'EFS file system of the model files', value: this.modelFiles.fileSystemId });
    new TerraformOutput(this, 'gemini_api_key_secret_arn', { description: 'Secrets Manager secret of the Gemini API key', value: this.geminiApiKey.secretArn });
    new TerraformOutput(this, 'dashboard_url', { description: 'CloudWatch dashboard', value: this.monitoring.dashboardUrl! });
    new TerraformOutput(this, 'model_sync_run_command', {
      description: 'Copies the models bucket to the EFS model files (run after uploading models)',
      value: `aws ecs run-task --cluster ${this.cluster.clusterName} --task-definition ${this.modelSync.family} --launch-type FARGATE --network-configuration 'awsvpcConfiguration={subnets=[${this.vpc.privateSubnetIds[0]}],securityGroups=[${modelSyncSg.securityGroupId}]}'`,
    });
    new TerraformOutput(this, 'debug_commands', {
      description: 'The document\'s debug commands for this deployment',
      value: {
        lambda_logs: `aws logs tail /aws/lambda/${uploadHandler.functionName} --follow`,
        ecs_tasks: `aws ecs list-tasks --cluster ${this.cluster.clusterName} --service-name ${this.worker.serviceName}`,
        ecs_logs: `aws logs tail ${logGroup.logGroupName} --follow`,
        sqs_attributes: `aws sqs get-queue-attributes --queue-url ${this.queue.queueUrl} --attribute-names All`,
        batch_jobs: `aws batch list-jobs --job-queue ${this.gpu.jobQueueName} --job-status RUNNING`,
      },
    });
  }
}
