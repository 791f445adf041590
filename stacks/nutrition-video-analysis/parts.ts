/**
 * The nutrition-video-analysis stack's parts, beside its composition (`stack.ts`): the four Lambda
 * functions, the REST API, the GPU jobs and the CPU worker, the dashboard and alarms, the outputs.
 */
import { Construct } from 'constructs';
import { AwsStack } from '../../src/core/aws-stack';
import { TerraformOutput } from 'cdktf';
import { Guardrails } from '../../src/core/suppressions';
import { isProductionEnvironment } from '../../src/core/environment';
import { spotStrategy } from '../settings/shapes';
import { RestApi } from '../../src/edge/rest-api';
import { WebAcl } from '../../src/edge/waf';
import { BatchGpuCompute } from '../../src/compute/batch';
import { TaskDefinition } from '../../src/compute/ecs-service';
import { LambdaFunction, LambdaFunctionProps, bootstrapCodePath } from '../../src/compute/lambda';
import { CostBudget } from '../../src/observability/budget';
import { LogGroup } from '../../src/observability/logs';
import type { Monitoring } from '../../src/observability/monitoring';
import type { Queue } from '../../src/data/queue';
import { EcrRepository, IRepository } from '../../src/data/registry';
import type { SecureBucket } from '../../src/data/bucket';
import type { SharedFileSystem } from '../../src/data/efs';
import type { Table } from '../../src/data/table';
import type { Topic } from '../../src/data/topic';
import type { EncryptionKey } from '../../src/security/kms';
import type { ISecret } from '../../src/security/secrets';
import { SecurityGroup } from '../../src/network/security-group';
import type { Vpc } from '../../src/network/vpc';
import { EcsPlatform, ImageRelease, QueueWorker, REPOSITORY_KEY_REASON } from '../../src/patterns';
import { NVA_API_FUNCTIONS, NVA_FUNCTIONS, NutritionVideoAnalysisSettings, NvaFunctionName } from './settings';

/** Where the RAG function (and the model sync task) see the model files. */
const MODELS_MOUNT = '/mnt/models';
/** The AWS CLI image the model sync task runs (ECR Public, pinned). */
const MODEL_SYNC_IMAGE = 'public.ecr.aws/aws-cli/aws-cli:2.15.30';
const UPLOAD_PREFIX = 'uploads/';

/** Function names after the prefix (the document's `<project>-<env>-upload-handler`). */
const FUNCTION_SUFFIX: Record<NvaFunctionName, string> = { uploadHandler: 'upload-handler', statusChecker: 'status-checker', resultsHandler: 'results-handler', nutritionRag: 'nutrition-rag' };

const FUNCTION_DESCRIPTION: Record<NvaFunctionName, string> = {
  uploadHandler: 'Creates a job and a presigned upload URL for its video',
  statusChecker: 'Answers the status of a job',
  resultsHandler: 'Answers the results of a finished job',
  nutritionRag: 'Nutrition analysis over the model files on EFS (retrieval-augmented generation)',
};

/** What the parts read of the stack (the stack itself, typed structurally). */
export interface NvaSystem extends Construct {
  readonly prefix: string;
  /** The stack's customer managed key, with `enableEncryption`. */
  readonly key?: EncryptionKey;
  readonly vpc: Vpc;
  readonly videos: SecureBucket;
  readonly results: SecureBucket;
  readonly models: SecureBucket;
  readonly jobs: Table;
  readonly queue: Queue;
  readonly topic: Topic;
  readonly modelFiles: SharedFileSystem;
  readonly geminiApiKey: ISecret;
  readonly functions: Record<NvaFunctionName, LambdaFunction>;
  readonly api: RestApi;
  readonly platform: EcsPlatform;
  readonly repositories: { readonly worker: IRepository; readonly gpuJob: IRepository };
  readonly worker: QueueWorker;
  readonly gpu: BatchGpuCompute;
  readonly modelSync: TaskDefinition;
  readonly monitoring: Monitoring;
}

const isApi = (fn: NvaFunctionName) => (NVA_API_FUNCTIONS as readonly string[]).includes(fn);

/** The four functions (code deployed by a pipeline; a bootstrap answers 503 until then) and their grants. */
export function addFunctions(system: Omit<NvaSystem, 'functions' | 'api' | 'platform' | 'worker' | 'gpu' | 'modelSync' | 'monitoring' | 'repositories'>, settings: NutritionVideoAnalysisSettings): Record<NvaFunctionName, LambdaFunction> {
  const cors = { CORS_ALLOWED_ORIGINS: settings.corsOrigins.join(',') };
  const environment: Record<NvaFunctionName, Record<string, string>> = {
    uploadHandler: { ...cors, JOBS_TABLE: system.jobs.tableName, VIDEOS_BUCKET: system.videos.bucketName, UPLOAD_PREFIX },
    statusChecker: { ...cors, JOBS_TABLE: system.jobs.tableName },
    resultsHandler: { ...cors, JOBS_TABLE: system.jobs.tableName, RESULTS_BUCKET: system.results.bucketName },
    nutritionRag: { MODELS_PATH: MODELS_MOUNT, GEMINI_API_KEY_SECRET_ARN: system.geminiApiKey.secretArn },
  };
  const makeFunction = (fn: NvaFunctionName): LambdaFunction => {
    const size = settings.functions[fn];
    const props: LambdaFunctionProps = {
      functionName: `${system.prefix}-${FUNCTION_SUFFIX[fn]}`,
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
      ...(fn === 'nutritionRag' ? { vpc: system.vpc, efs: { fileSystem: system.modelFiles, mountPath: MODELS_MOUNT, readOnly: true } } : {}),
    };
    return new LambdaFunction(system, FUNCTION_SUFFIX[fn], props);
  };
  const functions = Object.fromEntries(NVA_FUNCTIONS.map((fn) => [fn, makeFunction(fn)])) as Record<NvaFunctionName, LambdaFunction>;
  const { uploadHandler, statusChecker, resultsHandler, nutritionRag } = functions;
  system.jobs.grantWriteData(uploadHandler);
  system.videos.grantWrite(uploadHandler, `${UPLOAD_PREFIX}*`);
  system.jobs.grantReadData(statusChecker);
  system.jobs.grantReadData(resultsHandler);
  system.results.grantRead(resultsHandler);
  system.geminiApiKey.grantRead(nutritionRag);
  return functions;
}

/** The REST API over the three API functions, behind an optional web ACL. */
export function addApi(system: Pick<NvaSystem, 'prefix' | 'functions'> & Construct, settings: NutritionVideoAnalysisSettings): { api: RestApi; waf?: WebAcl } {
  const waf = settings.enableWaf ? new WebAcl(system, 'waf', { name: `${system.prefix}-api`, rateLimitPer5Min: settings.waf.rateLimitPer5Min, logging: settings.waf.logging ? {} : undefined }) : undefined;
  const { uploadHandler, statusChecker, resultsHandler } = system.functions;
  const api = new RestApi(system, 'api', {
    name: `${system.prefix}-api`,
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
    webAcl: waf,
  });
  if (!settings.enableApiKey) {
    Guardrails.suppress(api, 'AWS-API-003', `the document's web client calls upload, status and results without credentials (enable_api_key = false); the stage throttles every method, enableWaf adds a rate limit${settings.budget.enabled && settings.budget.stopUploadsAtLimit ? ', and the budget stops uploads and GPU jobs at its limit' : ''}`);
  }
  return { api, waf };
}

/** The GPU jobs on AWS Batch, the CPU worker on ECS (scaled on the queue depth) and the model sync task. */
export function addGpuAndWorker(system: Omit<NvaSystem, 'platform' | 'worker' | 'gpu' | 'modelSync' | 'monitoring' | 'repositories'>, settings: NutritionVideoAnalysisSettings) {
  const release = new ImageRelease(settings.imageTag);
  // Outside production, terraform destroy deletes the images itself (docs/operations.md).
  const forceDestroy = !isProductionEnvironment(settings.environment);
  const { customerManagedKey, ...ecr } = settings.ecr;
  const kmsKey = customerManagedKey ? system.key : undefined;
  const repository = (id: string, suffix: string) => {
    const r = new EcrRepository(system, id, { repositoryName: `${system.prefix}/${suffix}`, scanOnPush: true, ...ecr, kmsKey, forceDelete: forceDestroy });
    if (!kmsKey) Guardrails.suppress(r, 'AWS-ECR-005', REPOSITORY_KEY_REASON);
    return r;
  };
  const repositories = { worker: repository('ecr-worker', 'worker'), gpuJob: repository('ecr-gpu-job', 'gpu-job') };
  const { videos, results, models, jobs } = system;

  // Spot g4dn instances, from 0.
  const gpu = new BatchGpuCompute(system, 'gpu', {
    name: `${system.prefix}-gpu`,
    vpc: system.vpc,
    instanceTypes: settings.gpu.instanceTypes,
    spot: settings.enableSpotInstances,
    maxVcpus: settings.maxVcpus,
    minVcpus: 0,
    rootVolumeSizeGiB: settings.gpu.rootVolumeSizeGiB,
    logRetentionDays: settings.logRetentionDays,
    job: {
      image: release.image(repositories.gpuJob),
      vcpus: settings.gpu.vcpus,
      memoryMiB: settings.gpu.memoryMiB,
      gpus: settings.gpu.gpus,
      timeoutSec: settings.gpu.timeoutSec,
      attempts: settings.gpu.attempts,
      environment: { JOBS_TABLE: jobs.tableName, VIDEOS_BUCKET: videos.bucketName, RESULTS_BUCKET: results.bucketName, MODELS_BUCKET: models.bucketName },
    },
  });
  videos.grantRead(gpu);
  models.grantRead(gpu);
  results.grantWrite(gpu);
  jobs.grantReadWriteData(gpu);

  const strategy = settings.enableSpotInstances ? spotStrategy(100, 0) : spotStrategy(0, 0);
  const platform = new EcsPlatform(system, { namePrefix: system.prefix, network: system.vpc, encryption: system.key ? { key: system.key } : false, clusterName: `${system.prefix}-cluster`, containerInsights: settings.containerInsights, defaultCapacityProviderStrategy: strategy, forceDestroy });
  if (settings.profile === 'lean' && !settings.containerInsights) {
    Guardrails.suppress(platform.cluster, 'AWS-ECS-006', 'the lean profile turns Container Insights off for cost (about 9 USD a month while the worker runs); the queue, Lambda and API alarms stay, only the worker\'s task-failure alarm goes');
  }
  const logGroup = new LogGroup(system, 'ecs-logs', { name: `/ecs/${system.prefix}`, retentionDays: settings.logRetentionDays });
  const w = settings.worker;
  const worker = new QueueWorker(system, 'worker', {
    platform,
    queue: system.queue,
    serviceName: `${system.prefix}-worker`,
    capacityProviderStrategy: strategy,
    cpu: w.cpu,
    memoryMiB: w.memoryMiB,
    containerName: 'worker',
    image: { repository: repositories.worker, release },
    environment: {
      QUEUE_URL: system.queue.queueUrl,
      JOBS_TABLE: jobs.tableName,
      VIDEOS_BUCKET: videos.bucketName,
      RESULTS_BUCKET: results.bucketName,
      BATCH_JOB_QUEUE: gpu.jobQueueName,
      BATCH_JOB_DEFINITION: gpu.jobDefinitionName,
      RAG_FUNCTION_NAME: system.functions.nutritionRag.functionName,
      COMPLETION_TOPIC_ARN: system.topic.topicArn,
      ...w.environment,
    },
    secrets: { GEMINI_API_KEY: system.geminiApiKey },
    logGroup,
    logStreamPrefix: 'worker',
    // Queue-driven: no task at creation; autoscaling owns the count.
    desiredCount: 0,
    writableRoot: 'video processing writes extracted frames as temporary files in the image\'s filesystem (scratchPaths makes it read-only)',
    scratchPaths: settings.scratchPaths,
    minCapacity: w.minCapacity,
    maxCapacity: w.maxCapacity,
    // Scale in only when nothing waits and nothing is being processed; then straight to the floor.
    steps: [
      { upper: 0, change: -w.maxCapacity },
      { lower: 1, change: +1 },
      { lower: 10, change: +3 },
      { lower: 50, change: +10 },
    ],
    cooldownSec: 120,
    scaleInIdleMinutes: w.scaleInIdleMinutes,
  });
  jobs.grantReadWriteData(worker.service);
  videos.grantRead(worker.service);
  results.grantReadWrite(worker.service);
  gpu.grantSubmit(worker.service);
  system.functions.nutritionRag.grantInvokeRole(worker.service);
  system.topic.grantPublish(worker.service);

  // Copies the models bucket to EFS, on demand.
  const modelSync = new TaskDefinition(system, 'model-sync', { family: `${system.prefix}-model-sync`, cpu: 512, memoryMiB: 1024 });
  modelSync.addEfsVolume('models', system.modelFiles, false);
  // A read-only root: the CLI (root in its image) writes temporary files to /tmp, and its cache to
  // ~/.aws with HOME there too, a scratch volume; `s3 sync` writes partial downloads beside their
  // targets on EFS.
  modelSync.addContainer({ name: 'sync', image: MODEL_SYNC_IMAGE, command: ['s3', 'sync', `s3://${models.bucketName}/`, `${MODELS_MOUNT}/`, '--delete', '--only-show-errors'], mountPoints: [{ volume: 'models', containerPath: MODELS_MOUNT }], environment: { HOME: '/tmp' }, scratchPaths: ['/tmp'], logGroup, logStreamPrefix: 'model-sync' });
  models.grantRead(modelSync.roles.task);
  const modelSyncSg = new SecurityGroup(system, 'model-sync-sg', { name: `${system.prefix}-model-sync`, description: `Model sync task of ${system.prefix}, outbound only`, vpcId: system.vpc.vpcId });
  system.modelFiles.allowFrom(modelSyncSg.securityGroupId, 'NFS from the model sync task');
  return { repositories, gpu, platform, worker, modelSync, logGroup, modelSyncSg };
}

/** The dashboard and alarms, on the job-completion topic. */
export function addNvaMonitoring(system: Omit<NvaSystem, 'monitoring'>, settings: NutritionVideoAnalysisSettings): Monitoring {
  const monitoring = system.platform.addMonitoring({ topic: system.topic });
  const { api, queue } = system;
  const worker = system.worker.service;
  const fns = NVA_FUNCTIONS.map((fn) => system.functions[fn]);
  monitoring.addWidget({ title: 'API Gateway requests and errors', metrics: [api.metricCount(), api.metric4xx(), api.metric5xx()] });
  monitoring.addWidget({ title: 'API Gateway latency', metrics: [{ ...api.metricLatency('p99'), label: 'p99' }, { ...api.metricLatency('Average'), label: 'average' }] });
  monitoring.addWidget({ title: 'Lambda duration (p99, ms)', metrics: fns.map((f) => f.metricDuration('p99')) });
  monitoring.addWidget({ title: 'Lambda errors', metrics: fns.map((f) => f.metricErrors()) });
  monitoring.addWidget({ title: 'Lambda invocations', metrics: fns.map((f) => f.metricInvocations()) });
  monitoring.addWidget({ title: 'Lambda throttles', metrics: fns.map((f) => f.metricThrottles()) });
  // No metric holds a function's memory: its REPORT lines do (memory used against memory size).
  monitoring.addLogWidget({
    title: 'Lambda memory used against memory size (max, MB), per function',
    logGroupNames: fns.map((f) => f.logGroup.logGroupName),
    query: 'filter @type = "REPORT" | stats max(@maxMemoryUsed / 1000 / 1000) as used_mb, max(@memorySize / 1000 / 1000) as size_mb by @log',
    view: 'table',
  });
  monitoring.addWidget({ title: 'ECS worker CPU and memory (%)', metrics: [worker.metricCpuUtilization(), worker.metricMemoryUtilization()] });
  const desired = worker.metricDesiredTasks();
  monitoring.addWidget({ title: 'ECS worker tasks', metrics: desired ? [worker.metricRunningTasks(), desired] : [worker.metricRunningTasks()] });
  monitoring.addWidget({ title: 'SQS jobs', metrics: [queue.metricVisibleMessages(), queue.metricInFlightMessages(), queue.metricDeadLetterMessages()!] });
  monitoring.addWidget({ title: 'SQS oldest job age (s)', metrics: [queue.metricOldestMessageAge()] });

  const m = settings.monitoring;
  const above = { comparison: 'GreaterThanThreshold', evaluationPeriods: 2 } as const;
  for (const fn of NVA_FUNCTIONS) {
    const name = `${FUNCTION_SUFFIX[fn]}-error-rate`;
    monitoring.addMathAlarm(name, { ...system.functions[fn].metricErrorRate(), name, description: `${FUNCTION_SUFFIX[fn]}: errors above ${m.lambdaErrorRatePercent}% of invocations`, threshold: m.lambdaErrorRatePercent, ...above });
  }
  monitoring.addMathAlarm('api-5xx-rate', { ...api.metric5xxRate(), name: 'api-5xx-rate', description: `API Gateway answers 5XX to more than ${m.apiErrorRatePercent}% of requests`, threshold: m.apiErrorRatePercent, ...above });
  // ECS task failures: tasks that crash or cannot start keep the running count below the desired
  // one (Container Insights). Without it there is no desired count to compare with at 0 tasks.
  if (settings.containerInsights) system.worker.addServiceAlarms(monitoring, 'worker', { expectedTasks: 0 });
  monitoring.addAlarm('queue-age', { name: 'queue-oldest-job-age', description: `A job has waited more than ${m.queueAgeThresholdSec} seconds in the queue`, metric: queue.metricOldestMessageAge(), threshold: m.queueAgeThresholdSec, comparison: 'GreaterThanThreshold', evaluationPeriods: 1 });
  monitoring.addAlarm('dead-letters', { name: 'failed-jobs', description: `Jobs failed ${settings.queue.maxReceiveCount} times and wait in the dead-letter queue`, metric: queue.metricDeadLetterMessages()!, threshold: 0, comparison: 'GreaterThanThreshold', evaluationPeriods: 1 });
  if (settings.budget.enabled) {
    const stack = AwsStack.of(system.platform.scope);
    const budget = new CostBudget(system.platform.scope, 'budget', {
      name: `${system.prefix}-monthly`,
      limitUsd: settings.budget.monthlyLimitUsd,
      costFilterTag: { key: 'Stack', values: [stack.stackName] },
      emailSubscribers: settings.budget.emails,
      topic: system.topic,
    });
    // The cap on the open upload route: at the limit, no new uploads and no new GPU jobs.
    if (settings.budget.stopUploadsAtLimit) {
      budget.addStopAction('stop-uploads', {
        policyName: `${system.prefix}-budget-stop`,
        roles: [system.functions.uploadHandler.role, system.worker.service.taskDefinition.roles.task],
        // Uploads of new videos (the presigned URLs are the handler's) and new GPU jobs; results
        // of running jobs are still written.
        deny: [
          { actions: ['s3:PutObject'], resources: [`${system.videos.bucketArn}/${UPLOAD_PREFIX}*`] },
          { actions: ['batch:SubmitJob'] },
        ],
      });
    }
  }
  return monitoring;
}

/** The outputs: endpoints, stores, and the document's debug commands. */
export function addNvaOutputs(system: NvaSystem, extra: { readonly workerLogGroup: LogGroup; readonly modelSyncSecurityGroup: SecurityGroup }): void {
  const output = (id: string, description: string, value: unknown) => new TerraformOutput(system, id, { value, description });
  const { api, queue, gpu } = system;
  const cluster = system.platform.cluster;
  const url = api.url;
  output('api_url', 'Invoke URL of the API stage', url);
  output('api_endpoints', 'The routes', { upload: `POST ${url}/upload`, status: `GET ${url}/status/{jobId}`, results: `GET ${url}/results/{jobId}` });
  if (api.apiKeyId) output('api_key_command', 'Prints the API key (send it as x-api-key)', `aws apigateway get-api-key --api-key ${api.apiKeyId} --include-value --query value --output text`);
  output('s3_buckets', 'Buckets', { videos: system.videos.bucketName, results: system.results.bucketName, models: system.models.bucketName });
  output('dynamodb_table', 'Jobs table', system.jobs.tableName);
  output('sqs_queue_url', 'Job queue', queue.queueUrl);
  output('sqs_dead_letter_queue_arn', 'Jobs that failed every attempt', queue.deadLetterQueueArn!);
  output('sns_topic_arn', 'Job completion and alarm topic', system.topic.topicArn);
  output('lambda_functions', 'Function names', Object.fromEntries(NVA_FUNCTIONS.map((fn) => [fn, system.functions[fn].functionName])));
  output('ecr_repositories', 'Push the worker and GPU job images here', { worker: system.repositories.worker.repositoryUrl, gpuJob: system.repositories.gpuJob.repositoryUrl });
  system.platform.addOperationsOutputs({ services: { worker: system.worker }, images: { 'gpu-job': { repository: system.repositories.gpuJob } }, endpointUrl: url, endpointDescription: 'Invoke URL of the API stage' });
  output('batch_job_queue', 'Batch job queue of the GPU jobs', gpu.jobQueueName);
  output('batch_job_definition', 'Batch job definition of the GPU jobs', gpu.jobDefinitionName);
  output('efs_file_system_id', 'EFS file system of the model files', system.modelFiles.fileSystemId);
  output('gemini_api_key_secret_arn', 'Secrets Manager secret of the Gemini API key', system.geminiApiKey.secretArn);
  output('dashboard_url', 'CloudWatch dashboard', system.monitoring.dashboardUrl!);
  output(
    'model_sync_run_command',
    'Copies the models bucket to the EFS model files (run after uploading models)',
    `aws ecs run-task --cluster ${cluster.clusterName} --task-definition ${system.modelSync.family} --launch-type FARGATE --network-configuration 'awsvpcConfiguration={subnets=[${system.vpc.privateSubnetIds[0]}],securityGroups=[${extra.modelSyncSecurityGroup.securityGroupId}]}'`,
  );
  output('debug_commands', 'The document\'s debug commands for this deployment', {
    lambda_logs: `aws logs tail /aws/lambda/${system.functions.uploadHandler.functionName} --follow`,
    ecs_tasks: `aws ecs list-tasks --cluster ${cluster.clusterName} --service-name ${system.worker.service.serviceName}`,
    ecs_logs: `aws logs tail ${extra.workerLogGroup.logGroupName} --follow`,
    sqs_attributes: `aws sqs get-queue-attributes --queue-url ${queue.queueUrl} --attribute-names All`,
    batch_jobs: `aws batch list-jobs --job-queue ${gpu.jobQueueName} --job-status RUNNABLE`,
  });
}
