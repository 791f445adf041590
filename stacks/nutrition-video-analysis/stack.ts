/**
 * `nutrition-video-analysis`: a serverless pipeline that turns food videos into nutrition
 * analyses. `POST /upload` records a job and hands out a presigned upload URL; S3 notifies the job
 * queue; a Fargate worker (scaled from zero on the queue depth) runs the CPU work, submits the GPU
 * work to AWS Batch on spot g4dn instances, asks the nutrition RAG function (model files on EFS)
 * for the analysis and publishes the result; `GET /status` and `GET /results` read the job. What
 * the stack fixes in its design document, and why it differs where it does:
 * docs/stacks/nutrition-video-analysis.md.
 */
import { Construct } from 'constructs';
import { AwsStack } from '../../src/core/aws-stack';
import { isProductionEnvironment } from '../../src/core/environment';
import { Guardrails } from '../../src/core/suppressions';
import type { SharedSettings } from '../settings';
import { vpcProps } from '../settings/shapes';
import type { RestApi } from '../../src/edge/rest-api';
import type { BatchGpuCompute } from '../../src/compute/batch';
import type { TaskDefinition } from '../../src/compute/ecs-service';
import type { LambdaFunction } from '../../src/compute/lambda';
import { EncryptionKey } from '../../src/security/kms';
import type { Monitoring } from '../../src/observability/monitoring';
import { Queue } from '../../src/data/queue';
import type { IRepository } from '../../src/data/registry';
import { ISecret, SecretValue } from '../../src/security/secrets';
import { BucketTransition, SecureBucket } from '../../src/data/bucket';
import { SharedFileSystem } from '../../src/data/efs';
import { Table } from '../../src/data/table';
import { Topic } from '../../src/data/topic';
import { Vpc } from '../../src/network/vpc';
import type { WebAcl } from '../../src/edge/waf';
import type { EcsPlatform, QueueWorker } from '../../src/patterns';
import { NutritionVideoAnalysisSettings, NvaFunctionName, nvaPrefix } from './settings';
import { addApi, addFunctions, addGpuAndWorker, addNvaMonitoring, addNvaOutputs } from './parts';

/** The stack's public name. */
export const NUTRITION_VIDEO_ANALYSIS = 'nutrition-video-analysis';
/** Key prefix of uploaded videos: the upload handler signs PUTs below it, and S3 notifies the queue of it. */
const UPLOAD_PREFIX = 'uploads/';

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
  public readonly geminiApiKey: ISecret;
  public readonly functions: Record<NvaFunctionName, LambdaFunction>;
  public readonly api: RestApi;
  public readonly waf?: WebAcl;
  public readonly platform: EcsPlatform;
  public readonly repositories: { readonly worker: IRepository; readonly gpuJob: IRepository };
  public readonly worker: QueueWorker;
  public readonly gpu: BatchGpuCompute;
  public readonly modelSync: TaskDefinition;
  public readonly monitoring: Monitoring;

  constructor(scope: Construct, name: string, settings: NutritionVideoAnalysisSettings, shared: SharedSettings = {}) {
    // One state per environment: changing `environment` is another deployment, not a rename of this one.
    super(scope, name, { region: settings.region, project: settings.projectName, environment: settings.environment, tags: settings.tags, accountId: settings.accountId, remoteState: shared.remoteState, stateKey: `${NUTRITION_VIDEO_ANALYSIS}/${settings.environment}/terraform.tfstate` });
    const prefix = nvaPrefix(settings);
    this.prefix = prefix;

    // One customer managed key for every store, when encryption is on.
    const key = settings.enableEncryption ? new EncryptionKey(this, 'key', { alias: prefix, description: `Encrypts the ${prefix} buckets, jobs table, queues, topic, model file system, Gemini secret, log groups and function environments` }) : undefined;
    // ... and, as the stack's default, every log group and function environment (the ECR
    // repositories keep AES256: a key on an existing repository replaces it, images and all).
    key?.useAsStackDefault(['logs', 'secrets', 'functions']);
    this.key = key;
    if (!key) {
      const reason = 'enableEncryption is false in this stack\'s settings (the document\'s enable_encryption): AWS managed and owned keys encrypt its data';
      for (const rule of ['AWS-SNS-001', 'AWS-LOG-002', 'AWS-LMB-008', 'AWS-EFS-004', ...(settings.geminiApiKeySecretArn ? [] : ['AWS-SM-003'])]) Guardrails.suppress(this, rule, reason);
    }
    // Private subnets, one NAT gateway, free S3 and DynamoDB gateway endpoints.
    this.vpc = new Vpc(this, 'vpc', { namePrefix: prefix, ...vpcProps(settings.network), gatewayEndpoints: ['s3', 'dynamodb'] });

    // Storage: videos, results, models, the jobs table and the model files.
    const encryption = key ? { encryption: 'aws:kms' as const, kmsKey: key } : { encryption: 'AES256' as const };
    const tiering: BucketTransition[] = [{ days: 0, storageClass: 'INTELLIGENT_TIERING' }];
    // Outside production, terraform destroy deletes videos, results and models itself (docs/operations.md).
    const forceDestroy = !isProductionEnvironment(settings.environment);
    const bucket = (id: string, props: Omit<ConstructorParameters<typeof SecureBucket>[2], 'bucketName'>) => new SecureBucket(this, id, { bucketName: this.qualifiedName(`${prefix}-${id}`), ...encryption, forceDestroy, ...props });
    this.videos = bucket('videos', {
      // Uploads are written once and expire: versions would only keep deleted videos around.
      versioned: false,
      expirationDays: settings.s3VideoRetentionDays,
      transitions: settings.s3VideoRetentionDays > 30 ? tiering : [],
      abortIncompleteMultipartUploadDays: 1,
      corsRules: [{ allowedMethods: ['PUT'], allowedOrigins: settings.corsOrigins }],
    });
    Guardrails.suppress(this.videos, 'AWS-S3-004', 'uploads are written once by their presigned URL and expire after s3VideoRetentionDays; versions would only keep deleted videos');
    this.results = bucket('results', { noncurrentVersionExpirationDays: 30, transitions: tiering, corsRules: [{ allowedMethods: ['GET', 'HEAD'], allowedOrigins: settings.corsOrigins }] });
    this.models = bucket('models', { noncurrentVersionExpirationDays: 90, transitions: tiering });
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
    // The models bucket is the source of truth: the copy on EFS needs no backups.
    this.modelFiles = new SharedFileSystem(this, 'model-files', { name: `${prefix}-models`, vpc: this.vpc, kmsKey: key, backup: false, accessPoint: { path: '/models', uid: 1000, gid: 1000, permissions: '0755' } });
    Guardrails.suppress(this.modelFiles, 'AWS-EFS-002', 'the file system is a copy of the versioned models bucket, restored by running the model-sync task');

    // Messaging: the job queue (fed by uploads) and the completion topic.
    this.queue = new Queue(this, 'jobs-queue', { queueName: `${prefix}-jobs`, kmsKey: key, visibilityTimeoutSec: settings.queue.visibilityTimeoutSec, deadLetterQueue: { maxReceiveCount: settings.queue.maxReceiveCount } });
    this.videos.addQueueNotification(this.queue, { events: ['s3:ObjectCreated:*'], prefix: UPLOAD_PREFIX });
    this.topic = new Topic(this, 'job-completion', { name: `${prefix}-job-completion`, ...(key ? { kmsKey: key } : { serverSideEncryption: false }), emailSubscriptions: settings.notificationEmail ? [settings.notificationEmail] : [] });

    // The Gemini API key: a sensitive variable (or an existing secret), never a setting.
    const existingSecret = settings.geminiApiKeySecretArn;
    this.geminiApiKey = existingSecret
      ? SecretValue.fromSecretArn(this, 'gemini-api-key', existingSecret)
      : new SecretValue(this, 'gemini-api-key', { secretName: `${prefix}/gemini-api-key`, source: { kind: 'variable', variableName: 'gemini_api_key' }, description: `Gemini API key of ${prefix}`, kmsKey: key });

    this.functions = addFunctions(this, settings);
    ({ api: this.api, waf: this.waf } = addApi(this, settings));
    const compute = addGpuAndWorker(this, settings);
    ({ repositories: this.repositories, gpu: this.gpu, platform: this.platform, worker: this.worker, modelSync: this.modelSync } = compute);
    this.monitoring = addNvaMonitoring(this, settings);
    addNvaOutputs(this, { workerLogGroup: compute.logGroup, modelSyncSecurityGroup: compute.modelSyncSg });
  }
}
