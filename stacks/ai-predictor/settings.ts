/**
 * Settings of the `ai-predictor` stack. Defaults are document 001's values where it gives them;
 * where it is silent the choice is named in the field's TSDoc and in the README's ai-predictor
 * section.
 */
import { s } from '../settings';
import {
  ApiThrottleSettings,
  NetworkSettings,
  RegistrySettings,
  ScalingSettings,
  StackRemoteStateSettings,
  TaskSize,
  apiThrottleSchema,
  checkApiThrottle,
  checkFargateSize,
  checkImageTag,
  checkNetwork,
  checkScaling,
  checkStackRemoteState,
  checkStrategy,
  fargateStrategy,
  networkFields,
  registryFields,
  scalingFields,
  spotStrategy,
  stackRemoteStateFields,
  taskSizeFields,
} from '../settings/shapes';
import type { CapacityProviderStrategyItem } from '../../src/compute/ecs-cluster';
import type { BucketEncryption } from '../../src/data/bucket';
import type { EgressNeed } from '../../src/network/vpc';
import { FARGATE_WITHOUT_NAT } from '../../src/network/vpc';

/** Environment variables the stack sets on the backend (the document's `backend_environment_variables`). */
export const STACK_ENVIRONMENT = ['AWS_REGION', 'ENVIRONMENT', 'S3_FILES_BUCKET', 'S3_DATA_BUCKET'] as const;

/** The FastAPI backend service. */
export interface BackendSettings extends TaskSize, ScalingSettings {
  /**
   * Tasks at creation (once `imageTag` is set); autoscaling owns the count afterwards.
   * @default 1
   */
  readonly desiredCount: number;
  /**
   * Capacity provider strategy. ECS never moves a task from FARGATE_SPOT to FARGATE when Spot has
   * no capacity (the document's "automatic fallback" does not exist): the task waits until Spot
   * capacity returns. An on-demand `base` is a floor that always runs on FARGATE, not a fallback:
   * `[{"capacityProvider": "FARGATE_SPOT", "weight": 1}, {"capacityProvider": "FARGATE", "weight": 0, "base": 1}]`
   * keeps one on-demand task (about 12 USD a month more) and puts every further task on Spot.
   * @default [{"capacityProvider": "FARGATE_SPOT", "weight": 1, "base": 0}] (Spot only, the document's cost)
   */
  readonly capacityProviderStrategy: CapacityProviderStrategyItem[];
  /** Port uvicorn listens on (API Gateway reaches it through the VPC link and Cloud Map SRV records). @default 8000 */
  readonly containerPort: number;
  /**
   * Path of the container health check (an HTTP GET with Python, which every FastAPI image has);
   * ECS replaces a task that fails it and Cloud Map stops returning it. null: no health check.
   * @default "/health"
   */
  readonly healthCheckPath?: string;
  /** Seconds the health check waits after start (model loading). @default 60 */
  readonly healthCheckStartPeriodSec: number;
  /**
   * More environment variables of the backend. The stack sets AWS_REGION, ENVIRONMENT,
   * S3_FILES_BUCKET and S3_DATA_BUCKET itself.
   * @default {}
   */
  readonly environment: Record<string, string>;
  /** ECS Exec (`aws ecs execute-command`); without NAT it needs the `ssmmessages` endpoint. @default false */
  readonly enableExecuteCommand: boolean;
}

/** The HTTP API in front of the backend. */
export interface ApiSettings {
  /**
   * Origins API Gateway answers CORS for, e.g. your Amplify domain
   * `["https://main.d1234abcd.amplifyapp.com"]`. `["*"]` allows any origin (without credentials);
   * `[]` turns API Gateway's CORS off, so the backend's own CORS headers reach the browser
   * (with CORS on, API Gateway answers preflights itself and replaces the backend's headers).
   * @default ["*"]
   */
  readonly corsAllowOrigins: string[];
  /** Methods allowed cross-origin. @default ["*"] */
  readonly corsAllowMethods: string[];
  /** Request headers allowed cross-origin. @default ["content-type", "authorization"] */
  readonly corsAllowHeaders: string[];
  /** Seconds browsers may cache a preflight answer. @default - not sent */
  readonly corsMaxAgeSec?: number;
  /**
   * Throttling of every route (requests beyond it get 429): a ceiling on what a flood of requests
   * can cost. The document has none; raise it for real traffic.
   * @default 100 burst, 50 requests per second
   */
  readonly throttle?: ApiThrottleSettings;
  /** Retention of the access log group `/aws/apigateway/<prefix>-api`. @default 30 */
  readonly accessLogRetentionDays: number;
}

/** The files and processed-data buckets. */
export interface StorageSettings {
  /**
   * Name of the files bucket (uploads).
   * @default "<projectName>-<environment>-files-<account>-<region>" (bucket names are global)
   */
  readonly filesBucketName?: string;
  /**
   * Name of the processed-data bucket.
   * @default "<projectName>-<environment>-data-<account>-<region>"
   */
  readonly dataBucketName?: string;
  /** Keep every version of every object (both buckets). @default true */
  readonly versioning: boolean;
  /** Days a replaced or deleted object version is kept, with `versioning`. @default 30 */
  readonly noncurrentVersionExpirationDays: number;
  /** Default encryption: SSE-S3 (`AES256`, no KMS request charges) or SSE-KMS with the AWS managed key. @default "AES256" */
  readonly encryption: BucketEncryption;
  /** Let the backend delete objects (`s3:DeleteObject`) in both buckets. @default false */
  readonly allowDelete: boolean;
}

export interface AiPredictorSettings {
  /** Region of every resource (the document names none). @default "us-east-1" */
  readonly region: string;
  /**
   * The AWS account: it qualifies the bucket names (`<name>-<account>-<region>`); pin it to plan
   * without credentials.
   * @default - looked up at plan time
   */
  readonly accountId?: string;
  /** The document's `project_name`, the first part of every name. @default "predictor-model" */
  readonly projectName: string;
  /** The document's `environment` (`/ecs/predictor-model-<env>-backend`). Changing it renames, so replaces, everything. @default "dev" */
  readonly environment: string;
  /**
   * The VPC: private subnets only, no NAT gateway, the S3 gateway endpoint and the interface
   * endpoints a Fargate task needs to start (ECR API, ECR Docker, CloudWatch Logs). Interface
   * endpoints cost about 7.30 USD a month each per zone: they sit in one zone by default
   * (`interfaceEndpointZones`), which tasks in the other zone reach across zones; 2 makes each
   * zone independent for 21.90 USD a month more.
   * @default 10.0.0.0/16 over 2 zones, natGateways "none", interfaceEndpoints ["ecr.api", "ecr.dkr", "logs"] in 1 zone
   */
  readonly network: NetworkSettings;
  /**
   * Image tag deployed from the repository. Until it is set the service exists with 0 tasks (an
   * empty repository would fail deployment after deployment): apply, push the image, set the tag,
   * apply again.
   * @default - none: the service at 0 tasks
   */
  readonly imageTag?: string;
  /** The ECR repository `<projectName>-<environment>-backend`. @default MUTABLE (the document pushes :latest), 10 images kept, untagged expire after 7 days */
  readonly ecr: RegistrySettings;
  /** The backend service. @default see each field */
  readonly backend: BackendSettings;
  /** The HTTP API. @default see each field */
  readonly api: ApiSettings;
  /** The S3 buckets. @default see each field */
  readonly s3: StorageSettings;
  /** Retention of the backend's log group `/ecs/<projectName>-<environment>-backend`. @default 30 */
  readonly logRetentionDays: number;
  /** Container Insights on the cluster (the document's; the task-count alarm compares running with desired tasks). @default true */
  readonly containerInsights: boolean;
  /** Alarms and dashboard. @default see each field */
  readonly monitoring: {
    /** E-mail subscribed to the alarm topic. Without it, alarms reach nobody. @default - none */
    readonly alarmEmail?: string;
    /** Alarm when more than this percentage of API requests answer 5xx (an unreachable backend included). @default 5 */
    readonly apiErrorRatePercent: number;
    /**
     * A CloudWatch dashboard `<prefix>` (API requests, errors and latency; backend CPU, memory and
     * tasks): 3 USD a month beyond the account's 3 free ones. Container Insights' own ECS views
     * cost nothing.
     * @default false
     */
    readonly dashboard: boolean;
  };
  /**
   * This stack's own remote state, with the document's bucket and lock table. Off, the stack
   * uses the app-wide `remoteState` when set and local state otherwise.
   * @default { enabled: false, bucket: "predictor-model-terraform-state", dynamodbTable: "predictor-model-terraform-locks" }
   */
  readonly remoteState: StackRemoteStateSettings;
  /** Extra default tags. @default {} */
  readonly tags: Record<string, string>;
}

/** The document's remote state names. */
export const DOCUMENT_REMOTE_STATE: StackRemoteStateSettings = { enabled: false, bucket: 'predictor-model-terraform-state', dynamodbTable: 'predictor-model-terraform-locks' };

export const aiPredictorDefaults: AiPredictorSettings = {
  region: 'us-east-1',
  projectName: 'predictor-model',
  environment: 'dev',
  network: { vpcCidr: '10.0.0.0/16', azCount: 2, natGateways: 'none', interfaceEndpoints: ['ecr.api', 'ecr.dkr', 'logs'], interfaceEndpointZones: 1 },
  ecr: { imageTagMutability: 'MUTABLE', keepImages: 10, untaggedExpiryDays: 7 },
  backend: {
    // 0.5 vCPU / 1 GiB on Spot is the document's 4-6 USD a month.
    cpu: 512,
    memoryMiB: 1024,
    desiredCount: 1,
    minCapacity: 1,
    maxCapacity: 4,
    cpuTarget: 70,
    memoryTarget: 80,
    scaleInCooldownSec: 300,
    scaleOutCooldownSec: 60,
    capacityProviderStrategy: spotStrategy(100, 0),
    containerPort: 8000,
    healthCheckPath: '/health',
    healthCheckStartPeriodSec: 60,
    environment: {},
    enableExecuteCommand: false,
  },
  api: { corsAllowOrigins: ['*'], corsAllowMethods: ['*'], corsAllowHeaders: ['content-type', 'authorization'], throttle: { burstLimit: 100, rateLimit: 50 }, accessLogRetentionDays: 30 },
  s3: { versioning: true, noncurrentVersionExpirationDays: 30, encryption: 'AES256', allowDelete: false },
  logRetentionDays: 30,
  containerInsights: true,
  monitoring: { apiErrorRatePercent: 5, dashboard: false },
  remoteState: DOCUMENT_REMOTE_STATE,
  tags: {},
};

const slug = s.string({ pattern: /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/, describe: 'a name of lowercase letters, digits and "-"', maxLength: 32 });
const httpMethod = s.oneOf(['*', 'GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS'], 'an HTTP method');

export const aiPredictorSchema = s.object<AiPredictorSettings>(
  {
    region: s.region(),
    accountId: s.optional(s.accountId()),
    projectName: slug,
    environment: slug,
    network: s.object<NetworkSettings>(networkFields),
    imageTag: s.optional(s.imageTag()),
    ecr: s.object<RegistrySettings>(registryFields),
    backend: s.object<BackendSettings>({
      ...taskSizeFields,
      ...scalingFields,
      desiredCount: s.number({ min: 0, max: 1000 }),
      capacityProviderStrategy: fargateStrategy(),
      containerPort: s.number({ min: 1, max: 65535 }),
      healthCheckPath: s.optional(s.string({ pattern: /^\/[^\s']*$/, describe: 'a path starting with "/" (no spaces or quotes)', maxLength: 256 })),
      healthCheckStartPeriodSec: s.number({ min: 0, max: 300, unit: 'seconds' }),
      environment: s.environmentVariables(),
      enableExecuteCommand: s.boolean(),
    }),
    api: s.object<ApiSettings>({
      corsAllowOrigins: s.array(s.string({ pattern: /^(\*|https?:\/\/[A-Za-z0-9.-]+(:\d{1,5})?)$/, describe: 'an origin such as "https://app.example.com" (no path), or "*"' }), { unique: true, plural: 'origins such as "https://app.example.com"' }),
      corsAllowMethods: s.array(httpMethod, { minLength: 1, unique: true, plural: 'HTTP methods' }),
      corsAllowHeaders: s.array(s.string({ pattern: /^[A-Za-z0-9!#$%&*+.^_`|~-]+$/, describe: 'an HTTP header name (or "*")' }), { unique: true, plural: 'HTTP header names' }),
      corsMaxAgeSec: s.optional(s.number({ min: 0, max: 86400, unit: 'seconds' })),
      throttle: s.optional(apiThrottleSchema),
      accessLogRetentionDays: s.retentionDays(),
    }),
    s3: s.object<StorageSettings>({
      filesBucketName: s.optional(s.bucketName()),
      dataBucketName: s.optional(s.bucketName()),
      versioning: s.boolean(),
      noncurrentVersionExpirationDays: s.number({ min: 1, max: 36500, unit: 'days' }),
      encryption: s.oneOf<BucketEncryption>(['AES256', 'aws:kms'], 'an S3 encryption'),
      allowDelete: s.boolean(),
    }),
    logRetentionDays: s.retentionDays(),
    containerInsights: s.boolean(),
    monitoring: s.object({
      alarmEmail: s.optional(s.email()),
      apiErrorRatePercent: s.number({ min: 0.001, max: 100, integer: false, unit: 'percent' }),
      dashboard: s.boolean(),
    }),
    remoteState: s.object<StackRemoteStateSettings>(stackRemoteStateFields),
    tags: s.tags(),
  },
  (v, issue) => {
    const b = v.backend;
    // Fargate tasks pull from ECR and ship logs: without NAT they need the endpoints (ECS Exec adds its channel).
    const needs: EgressNeed[] = [...FARGATE_WITHOUT_NAT, ...(b.enableExecuteCommand ? (['ssmmessages'] as const) : [])];
    checkNetwork(v.network, v.region, issue, { minZones: 1, needs, prefix: 'network' });
    checkImageTag(v.imageTag, v.ecr.imageTagMutability, issue, 'imageTag');
    checkFargateSize(b, issue, 'backend.');
    checkScaling(b, issue, 'backend.');
    checkStrategy(b.capacityProviderStrategy, issue, 'backend.capacityProviderStrategy');
    for (const name of Object.keys(b.environment)) {
      if ((STACK_ENVIRONMENT as readonly string[]).includes(name)) issue(`backend.environment.${name}`, `is set by the stack (${STACK_ENVIRONMENT.join(', ')}); remove it`);
    }
    const defaults = aiPredictorDefaults;
    if (b.healthCheckPath === undefined && b.healthCheckStartPeriodSec !== defaults.backend.healthCheckStartPeriodSec) {
      issue('backend.healthCheckStartPeriodSec', `${b.healthCheckStartPeriodSec} has no effect without healthCheckPath (there is no health check)`);
    }
    const api = v.api;
    if (api.corsAllowOrigins.includes('*') && api.corsAllowOrigins.length > 1) issue('api.corsAllowOrigins', '"*" allows every origin and cannot be combined with others');
    checkApiThrottle(api.throttle, issue, 'api.throttle');
    if (api.corsAllowOrigins.length === 0) {
      for (const k of ['corsAllowMethods', 'corsAllowHeaders', 'corsMaxAgeSec'] as const) {
        if (JSON.stringify(api[k]) !== JSON.stringify(defaults.api[k])) issue(`api.${k}`, 'has no effect with corsAllowOrigins [] (API Gateway CORS is off); remove it or name the origins');
      }
    }
    if (!v.s3.versioning && v.s3.noncurrentVersionExpirationDays !== defaults.s3.noncurrentVersionExpirationDays) {
      issue('s3.noncurrentVersionExpirationDays', `${v.s3.noncurrentVersionExpirationDays} has no effect without versioning (there are no noncurrent versions)`);
    }
    if (v.s3.filesBucketName !== undefined && v.s3.filesBucketName === v.s3.dataBucketName) issue('s3.dataBucketName', `${JSON.stringify(v.s3.dataBucketName)} is also the files bucket; the two buckets need different names`);
    // The default bucket names carry the account and region: they must fit S3's 63 characters in any region.
    for (const [kind, given] of [['files', v.s3.filesBucketName], ['data', v.s3.dataBucketName]] as const) {
      const base = `${v.projectName}-${v.environment}-${kind}`;
      if (given === undefined && base.length + 14 + v.region.length > 63) {
        issue('projectName', `${JSON.stringify(v.projectName)} with environment ${JSON.stringify(v.environment)} makes the ${kind} bucket name "${base}-<account>-<region>" longer than S3's 63 characters; shorten them or set s3.${kind}BucketName`);
        break;
      }
    }
    checkStackRemoteState(v.remoteState, DOCUMENT_REMOTE_STATE, issue);
  },
);
