/**
 * Settings of the `ai-predictor` stack. Defaults are document 001's values where it gives them;
 * where it is silent the choice is named in the field's description and in
 * docs/stacks/ai-predictor.md.
 */
import { s } from '../settings';
import {
  apiThrottle,
  checkApiThrottle,
  checkFargateSize,
  checkImageTag,
  checkNetwork,
  checkScaling,
  checkStackRemoteState,
  checkStrategy,
  fargateStrategy,
  network,
  profileField,
  scratchPathsField,
  checkScratchPaths,
  alarmRecipientFields,
  alarmRecipientProblems,
  guardrailsField,
  registryFields,
  scalingFields,
  spotStrategy,
  stackRemoteStateSchema,
  StackRemoteStateSettings,
  taskSizeFields,
} from '../settings/shapes';
import type { EgressNeed } from '../../src/network/vpc';
import { originPortProblem } from '../settings/rules';
import { FARGATE_WITHOUT_NAT } from '../../src/network/vpc';

/** Environment variables the stack sets on the backend (the document's `backend_environment_variables`). */
export const STACK_ENVIRONMENT = ['AWS_REGION', 'ENVIRONMENT', 'S3_FILES_BUCKET', 'S3_DATA_BUCKET'] as const;

/** The document's remote state names. */
export const DOCUMENT_REMOTE_STATE: StackRemoteStateSettings = { enabled: false, bucket: 'predictor-model-terraform-state', dynamodbTable: 'predictor-model-terraform-locks' };

const slug = (doc: s.Doc<string>) => s.slug(32, doc);

const backend = s.object(
  {
    ...taskSizeFields,
    ...scalingFields,
    desiredCount: s.number({ min: 0, max: 1000, description: 'Tasks at creation (once `imageTag` is set); autoscaling owns the count afterwards.' }),
    capacityProviderStrategy: fargateStrategy({
      description:
        'Capacity provider strategy. ECS never moves a task from FARGATE_SPOT to FARGATE when Spot has no capacity (the document\'s "automatic fallback" does not exist): the task waits until Spot capacity returns. An on-demand `base` is a floor that always runs on FARGATE, not a fallback: `[{"capacityProvider": "FARGATE_SPOT", "weight": 1}, {"capacityProvider": "FARGATE", "weight": 0, "base": 1}]` keeps one on-demand task (about 12 USD a month more) and puts every further task on Spot. The default is Spot only, the document\'s cost.',
    }),
    containerPort: s.number({ min: 1, max: 65535, description: 'Port uvicorn listens on (API Gateway reaches it through the VPC link and Cloud Map SRV records).' }),
    healthCheckPath: s.optional(
      s.string({
        pattern: /^\/[^\s']*$/,
        expected: 'a path starting with "/" (no spaces or quotes)',
        maxLength: 256,
        description: 'Path of the container health check (an HTTP GET with Python, which every FastAPI image has); ECS replaces a task that fails it and Cloud Map stops returning it. null: no health check.',
      }),
    ),
    healthCheckStartPeriodSec: s.number({ min: 0, max: 300, unit: 'seconds', description: 'Seconds the health check waits after start (model loading).' }),
    environment: s.environmentVariables({ description: 'More environment variables of the backend. The stack sets AWS_REGION, ENVIRONMENT, S3_FILES_BUCKET and S3_DATA_BUCKET itself.' }),
    enableExecuteCommand: s.boolean({ description: 'ECS Exec (`aws ecs execute-command`); without NAT it needs the `ssmmessages` endpoint.', default: false }),
    assignPublicIp: s.boolean({
      description:
        'Run the tasks in public subnets (created for them), each with a public IP (about 3.65 USD a month per task), so that they reach ECR, CloudWatch Logs and S3 through the internet gateway: no interface endpoint is needed (set `network.interfaceEndpoints` to `[]`). Their security group still admits only the VPC link; the VPC link stays in the private subnets. The lean profile\'s choice.',
      default: false,
    }),
  },
  {
    description: 'The FastAPI backend service.',
    // 0.5 vCPU / 1 GiB on Spot is the document's 4-6 USD a month.
    defaults: {
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
    },
  },
);

const ORIGIN = /^(\*|https?:\/\/[A-Za-z0-9.-]+(:\d{1,5})?)$/;

const api = s.object(
  {
    corsAllowOrigins: s.array(s.string({ pattern: ORIGIN, expected: 'an origin such as "https://app.example.com" (no path), or "*"' , check: originPortProblem, name: true }), {
      unique: true,
      plural: 'origins such as "https://app.example.com"',
      description:
        'Origins API Gateway answers CORS for, e.g. your Amplify domain `["https://main.d1234abcd.amplifyapp.com"]`. `["*"]` allows any origin (without credentials); `[]` turns API Gateway\'s CORS off, so the backend\'s own CORS headers reach the browser (with CORS on, API Gateway answers preflights itself and replaces the backend\'s headers).',
      default: ['*'],
    }),
    corsAllowMethods: s.array(s.oneOf(['*', 'GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS'], { expected: 'an HTTP method' }), { minLength: 1, unique: true, plural: 'HTTP methods', description: 'Methods allowed cross-origin.', default: ['*'] }),
    corsAllowHeaders: s.array(s.string({ pattern: /^[A-Za-z0-9!#$%&*+.^_`|~-]+$/, expected: 'an HTTP header name (or "*")' }), { unique: true, plural: 'HTTP header names', description: 'Request headers allowed cross-origin.', default: ['content-type', 'authorization'] }),
    corsMaxAgeSec: s.optional(s.number({ min: 0, max: 86400, unit: 'seconds', description: 'Seconds browsers may cache a preflight answer. Default: not sent.' })),
    throttle: s.optional(
      apiThrottle({
        description: 'Throttling of every route (requests beyond it get 429): a ceiling on what a flood of requests can cost. The document has none; raise it for real traffic. Default: 100 burst, 50 requests per second.',
        default: { burstLimit: 100, rateLimit: 50 },
      }),
    ),
    accessLogRetentionDays: s.retentionDays({ description: 'Retention of the access log group `/aws/apigateway/<prefix>-api`, in days.', default: 30 }),
  },
  { description: 'The HTTP API in front of the backend.' },
);

const storage = s.object(
  {
    filesBucketName: s.optional(s.bucketName({ description: 'Name of the files bucket (uploads). Default: "<projectName>-<environment>-files-<account>-<region>" (bucket names are global).' })),
    dataBucketName: s.optional(s.bucketName({ description: 'Name of the processed-data bucket. Default: "<projectName>-<environment>-data-<account>-<region>".' })),
    versioning: s.boolean({ description: 'Keep every version of every object (both buckets).', default: true }),
    noncurrentVersionExpirationDays: s.number({ min: 1, max: 36500, unit: 'days', description: 'Days a replaced or deleted object version is kept, with `versioning`.', default: 30 }),
    encryption: s.oneOf(['AES256', 'aws:kms'], { expected: 'an S3 encryption', description: 'Default encryption: SSE-S3 (`AES256`, no KMS request charges) or SSE-KMS with the AWS managed key.', default: 'AES256' }),
    allowDelete: s.boolean({ description: 'Let the backend delete objects (`s3:DeleteObject`) in both buckets.', default: false }),
  },
  { description: 'The files and processed-data buckets.' },
);

const fields = {
  region: s.region({ description: 'Region of every resource (the document names none).', default: 'us-east-1' }),
  accountId: s.optional(s.accountId({ description: 'The AWS account: it qualifies the bucket names (`<name>-<account>-<region>`); pin it to plan without credentials. Default: looked up at plan time.' })),
  projectName: slug({ description: 'The document\'s `project_name`, the first part of every name.', default: 'predictor-model' }),
  environment: slug({ description: 'The document\'s `environment` (`/ecs/predictor-model-<env>-backend`). Changing it renames, so replaces, everything.', default: 'dev' }),
  network: network({
    description:
      'The VPC: private subnets only, no NAT gateway, the S3 gateway endpoint and the interface endpoints a Fargate task needs to start (ECR API, ECR Docker, CloudWatch Logs). Interface endpoints cost about 7.30 USD a month each per zone: they sit in one zone by default (`interfaceEndpointZones`), which tasks in the other zone reach across zones; 2 makes each zone independent for 21.90 USD a month more.',
    defaults: { natGateways: 'none', interfaceEndpoints: ['ecr.api', 'ecr.dkr', 'logs'], interfaceEndpointZones: 1 },
  }),
  imageTag: s.optional(
    s.imageTag({
      description: 'Image tag deployed from the repository. Until it is set the service exists with 0 tasks (an empty repository would fail deployment after deployment): apply, push the image, set the tag, apply again. Default: none: the service at 0 tasks.',
    }),
  ),
  ecr: s.object(registryFields, { description: 'The ECR repository `<projectName>-<environment>-backend` (MUTABLE by default: the document pushes :latest).', defaults: { imageTagMutability: 'MUTABLE', keepImages: 10 } }),
  backend,
  api,
  s3: storage,
  logRetentionDays: s.retentionDays({ description: 'Retention of the backend\'s log group `/ecs/<projectName>-<environment>-backend`, in days.', default: 30 }),
  containerInsights: s.boolean({ description: 'Container Insights on the cluster (the document\'s; the task-count alarm compares running with desired tasks).', default: true }),
  monitoring: s.object(
    {
      ...alarmRecipientFields,
      apiErrorRatePercent: s.number({ min: 0.001, max: 100, integer: false, unit: 'percent', description: 'Alarm when more than this percentage of API requests answer 5xx (an unreachable backend included).', default: 5 }),
      dashboard: s.boolean({
        description: 'A CloudWatch dashboard `<prefix>` (API requests, errors and latency; backend CPU, memory and tasks): 3 USD a month beyond the account\'s 3 free ones. Container Insights\' own ECS views cost nothing.',
        default: false,
      }),
    },
    { description: 'Alarms and dashboard.', refine: alarmRecipientProblems },
  ),
  remoteState: stackRemoteStateSchema({
    description: 'This stack\'s own remote state, with the document\'s bucket and lock table. Off, the stack uses the app-wide `remoteState` when set and local state otherwise.',
    defaults: DOCUMENT_REMOTE_STATE,
  }),
  profile: profileField,
  scratchPaths: scratchPathsField,
  guardrails: guardrailsField,
  tags: s.tags(),
};

/** What a user may set for the ai-predictor stack. */
export type AiPredictorSettings = s.Static<s.TObject<typeof fields>>;

/** The cross-field rules of the backend. */
function checkBackend(b: AiPredictorSettings['backend'], issue: s.IssueFn): void {
  checkFargateSize(b, issue, 'backend.');
  checkScaling(b, issue, 'backend.');
  checkStrategy(b.capacityProviderStrategy, issue, 'backend.capacityProviderStrategy');
  for (const name of Object.keys(b.environment)) {
    if ((STACK_ENVIRONMENT as readonly string[]).includes(name)) issue(`backend.environment.${name}`, `is set by the stack (${STACK_ENVIRONMENT.join(', ')}); remove it`);
  }
  if (b.healthCheckPath === undefined && b.healthCheckStartPeriodSec !== aiPredictorDefaults.backend.healthCheckStartPeriodSec) {
    issue('backend.healthCheckStartPeriodSec', `${b.healthCheckStartPeriodSec} has no effect without healthCheckPath (there is no health check)`);
  }
}

/** The cross-field rules (each reported at the setting the user wrote). */
function checkAiPredictor(v: AiPredictorSettings, issue: s.IssueFn): void {
  checkScratchPaths(v.scratchPaths, v.backend.enableExecuteCommand, issue, 'backend.enableExecuteCommand');
  const b = v.backend;
  // Fargate tasks pull from ECR and ship logs: without NAT they need the endpoints (ECS Exec adds
  // its channel), unless they have public IPs and go through the internet gateway.
  const needs: EgressNeed[] = b.assignPublicIp ? [] : [...FARGATE_WITHOUT_NAT, ...(b.enableExecuteCommand ? (['ssmmessages'] as const) : [])];
  checkNetwork(v.network, v.region, issue, { minZones: 1, needs, prefix: 'network' });
  // Its private subnets start at a fixed network number (the upper half of the VPC), whatever the zones.
  if (v.network.subnetLayoutZones !== undefined) issue('network.subnetLayoutZones', `${v.network.subnetLayoutZones} has no effect: ai-predictor's private subnets start at a fixed range (the upper half of the VPC), so adding a zone never moves one; remove it`);
  checkImageTag(v.imageTag, v.ecr.imageTagMutability, issue, 'imageTag');
  checkBackend(b, issue);
  const defaults = aiPredictorDefaults;
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
  if (b.assignPublicIp && v.network.natGateways !== 'none') issue('backend.assignPublicIp', `true has no effect on egress with natGateways ${JSON.stringify(v.network.natGateways)} (the NAT gateway already gives the tasks a way out); set natGateways "none" or assignPublicIp false`);
}

/** The settings schema: every field, its description and its default. */
export const aiPredictorSchema = s.object(fields, { refine: checkAiPredictor });

/**
 * The lean profile (`"profile": "lean"`), over the defaults: the task in public subnets with a
 * public IP (its security group admits only the VPC link) instead of three interface endpoints,
 * Container Insights off, and one task (no scale-out). What it gives up: docs/cost.md.
 */
export const AI_PREDICTOR_LEAN = {
  network: { interfaceEndpoints: [], interfaceEndpointZones: null },
  backend: { assignPublicIp: true, maxCapacity: 1 },
  containerInsights: false,
} as const;

/** The document's values, as the schema declares them. */
export const aiPredictorDefaults: AiPredictorSettings = s.defaultsOf(aiPredictorSchema);
