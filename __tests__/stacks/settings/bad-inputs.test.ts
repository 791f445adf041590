/**
 * The bad-input sweep: what users really get wrong in a settings file (or cdktf.json's context
 * `settings`), one row per case, over all eight stacks and the shared settings. Every row fails
 * before anything is built (or, for a check that needs the whole app, when the stack is built) with
 * the promised message: the stack, the setting's path, the bad value and what is allowed.
 *
 * Kinds of mistakes: units in numbers ("2GB", "5m", "70%", "1 vCPU"); the documents' Terraform
 * variable names (snake_case, or names the stacks spell differently: the message names the
 * setting); AWS combinations (Fargate CPU and memory, a task larger than its GPU instance, zones of
 * another region, more zones than the region has); names too long once prefixed; contradictory
 * toggles; settings the stack would silently ignore; wrong types; out-of-range sizes; malformed
 * CIDRs, e-mails, ARNs and names; settings documents that are null, a list or not JSON. Round two
 * adds what AWS or Terraform would refuse later: cron expressions and time zones, placeholders
 * left in, S3 backend keys, reserved bucket names and tag keys, regions and zones that do not
 * exist, Terraform template sequences, host bits, ports, handlers, instance and node types, a null
 * that removes nothing, and values a construct would refuse under its own property names.
 *
 * Rows only resolve settings (as `cdktf synth` does first), except the few marked `build`.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { readOverrides, resolveSettings } from '../../../stacks/settings';
import { STACKS } from '../../../stacks';
import { buildStack, errorOf } from '../../helpers/synth';

const SHARED = '(shared)';
const KMS_US = 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const ZONE_ID = 'Z0123456789ABCDEFGHIJ';
const OFF_HOURS = { stopSchedule: 'cron(0 20 ? * MON-FRI *)', startSchedule: 'cron(0 7 ? * MON-FRI *)', timezone: 'UTC' };
const RETENTIONS = '1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653';

/**
 * One case: the stack, what the user wrote, and the line the message must hold: a string is the
 * whole line (without its two-space indent), a regular expression must match one line.
 * `stack` SHARED rows give the whole settings document (`via: "file"`: its text, as a settings
 * file); `via: "build"` rows are checked when the stack is built.
 */
interface Row {
  readonly stack: string;
  readonly settings: unknown;
  readonly expected: string | RegExp;
  readonly via?: 'file' | 'build';
}

const row = (stack: string, settings: unknown, expected: string | RegExp, via?: Row['via']): Row => ({ stack, settings, expected, via });

const SB = 'state-bootstrap';
const DEMO = 'artwork-matcher-demo';
const STAGING = 'artwork-matcher-staging';
const PROD = 'artwork-matcher-production';
const VV = 'vision-validator';
const KARMA = 'karmacadabra';
const AI = 'ai-predictor';
const NVA = 'nutrition-video-analysis';

const ROWS: readonly Row[] = [
  // ----- state-bootstrap -----
  row(SB, { region: 'Ireland' }, 'region: "Ireland" is not an AWS region such as "eu-west-1"'),
  row(SB, { region: 'eu-west-1 ' }, 'region: "eu-west-1 " is not an AWS region such as "eu-west-1"; did you mean "eu-west-1"?'),
  row(SB, { region: 'us-west2' }, 'region: "us-west2" is not an AWS region such as "eu-west-1"; did you mean "us-west-2"?'),
  row(SB, { bucketName: 'My_State_Bucket' }, 'bucketName: "My_State_Bucket" is not an S3 bucket name (3-63 lowercase letters, digits, "." and "-"); did you mean "my-state-bucket"?'),
  row(SB, { lockTableName: 'ab' }, 'lockTableName: "ab" is not a DynamoDB table name (3-255 of A-Z a-z 0-9 _ . -)'),
  row(SB, { encryption: 'SSE-KMS' }, 'encryption: "SSE-KMS" is not an S3 encryption; allowed: "aws:kms", "AES256"'),
  row(SB, { kmsKeyArn: KMS_US }, `kmsKeyArn: "${KMS_US}" is in region "us-east-1", not the stack's region "eu-west-1" (a KMS key encrypts only resources of its own region); allowed: an ARN in eu-west-1`),
  row(SB, { kmsKeyArn: 'alias/terraform' }, 'kmsKeyArn: "alias/terraform" is not an ARN of kms (arn:aws:kms:<region>:<account>:...)'),
  row(SB, { noncurrentVersionExpirationDays: '90 days' }, 'noncurrentVersionExpirationDays: "90 days" is a string; expected a whole number from 1 to 36500 (days); give the number alone in days, without units or quotes'),
  row(SB, { noncurrentVersionExpirationDays: 1.5 }, 'noncurrentVersionExpirationDays: 1.5 is not a whole number; expected a whole number from 1 to 36500 (days)'),
  row(SB, { protect: 'false' }, 'protect: "false" is a string; expected true or false'),
  row(SB, { adoptExisting: true }, 'adoptExisting: true needs bucketName: the name of the bucket to adopt'),
  row(SB, { createLockTable: false, lockTableName: 'locks' }, 'lockTableName: "locks" has no effect with createLockTable false'),
  row(SB, { storeOwnState: true }, 'storeOwnState: true needs "remoteState" (bucket and region) in the settings'),
  row(SB, { accountId: 123456789012 }, 'accountId: 123456789012 is a number; expected an AWS account id (12 digits, in quotes)'),
  row(SB, { tags: { Project: 'state' } }, 'tags.Project: "Project" is not a tag key you may set (1-128 letters, digits, spaces and _.:/=+@-, not starting with "aws:"; Project, Environment, ManagedBy and Stack are set by the stack: change projectName/environment instead)'),
  row(SB, { lock_table_name: 'locks' }, /^lock_table_name: unknown setting; did you mean "lockTableName"\?; allowed: region, accountId, /),
  row(SB, { aws_region: 'eu-west-1' }, /^aws_region: unknown setting; did you mean "region"\?; allowed: region, /),

  // ----- artwork-matcher-demo -----
  row(DEMO, { services: { gateway: { cpu: '1 vCPU' } } }, 'services.gateway.cpu: "1 vCPU" is a string; expected a whole number from 128 to 196608 (CPU units); give the number alone in CPU units, without units or quotes'),
  row(DEMO, { services: { geometric: { cpu: 300 } } }, 'services.geometric.cpu: 300 is not a Fargate CPU size; allowed: 256, 512, 1024, 2048, 4096, 8192, 16384'),
  row(DEMO, { services: { gateway: { desired_count: 2 } } }, /^services\.gateway\.desired_count: unknown setting; did you mean "desiredCount"\?; allowed: cpu, memoryMiB, /),
  row(DEMO, { aws_region: 'eu-central-1' }, /^aws_region: unknown setting; did you mean "region"\?; allowed: region, /),
  row(DEMO, { vpc_cidr: '10.1.0.0/16' }, /^vpc_cidr: unknown setting; did you mean "network\.vpcCidr"\?; allowed: /),
  row(DEMO, { network: { vpcCidr: '10.0.0.0/33' } }, 'network.vpcCidr: "10.0.0.0/33" is not a VPC CIDR block from /16 to /24 such as "10.0.0.0/16"'),
  row(DEMO, { ingress: 'httpApi', domain: { name: 'artwork.example.com', hostedZoneId: ZONE_ID } }, 'domain: needs ingress "alb" (the HTTP API answers on its own execute-api domain)'),
  row(DEMO, { ingress: 'httpApi', cloudfront: { enabled: true } }, 'cloudfront.enabled: true needs ingress "alb" (CloudFront is put in front of the load balancer)'),
  row(DEMO, { ingress: 'httpApi', services: { gateway: { requestsPerTarget: 500 } } }, 'services.gateway.requestsPerTarget: 500 has no effect with ingress "httpApi" (there is no load balancer to count requests); set it to 0'),
  row(DEMO, { ingress: 'httpApi', httpApiThrottle: { burstLimit: 0, rateLimit: 0 } }, 'httpApiThrottle: {"burstLimit":0,"rateLimit":0} answers every request with 429 (0 is not "no limit"); give both limits above 0'),
  row(DEMO, { ingress: 'httpApi', httpApiThrottle: { burstLimit: 100, rateLimit: 200 } }, 'httpApiThrottle.burstLimit: 100 is below rateLimit 200; the burst must hold at least one second of requests'),
  row(STAGING, { waf: { rateLimitPer5Min: 500 } }, 'waf.rateLimitPer5Min: 500 has no effect while waf.enabled is false; set waf.enabled true or remove it'),
  row(DEMO, { cache: { nodeType: 'cache.t4g.small' } }, 'cache.nodeType: "cache.t4g.small" has no effect while cache.enabled is false; set cache.enabled true or remove it'),
  row(DEMO, { httpApiThrottle: { burstLimit: 100, rateLimit: 50 } }, 'httpApiThrottle: has no effect with ingress "alb" (there is no HTTP API; waf.rateLimitPer5Min limits clients of the load balancer); remove it or use ingress "httpApi"'),
  row(DEMO, { gpu: { maxSize: 3 } }, 'gpu: has no effect: no service runs on GPU (set services.<name>.gpu true, or leave gpu at its defaults)'),
  row(DEMO, { offHours: { ...OFF_HOURS, startSchedule: OFF_HOURS.stopSchedule } }, 'offHours.startSchedule: is the same as stopSchedule; give two different times'),
  row(DEMO, { offHours: { ...OFF_HOURS, timezone: 'UTC+1' } }, 'offHours.timezone: "UTC+1" is not an IANA time zone such as "Europe/Paris"'),
  row(DEMO, { logRetentionDays: 10 }, `logRetentionDays: 10 is not a CloudWatch Logs retention in days; allowed: ${RETENTIONS}`),
  row(DEMO, { budget: { monthlyLimitUsd: '100 USD' } }, 'budget.monthlyLimitUsd: "100 USD" is a string; expected a number from 1 to 10000000 (USD); give the number alone in USD, without units or quotes'),
  row(DEMO, { services: { gateway: { cpuTarget: '70%' } } }, 'services.gateway.cpuTarget: "70%" is a string; expected a whole number from 1 to 100 (percent); give the number alone in percent, without units or quotes'),
  row(DEMO, { services: { gateway: { maxCapacity: 0 } } }, 'services.gateway.maxCapacity: 0 is out of range; expected a whole number from 1 to 1000'),
  row(DEMO, { services: { embeddings: { gpu: true, cpu: 4096, memoryMiB: 16384 } } }, 'services.embeddings.memoryMiB: a task of 16384 MiB (about 15564 MiB are left for tasks) does not fit on g4dn.xlarge; give the task less or the group a bigger type'),

  // ----- artwork-matcher-staging -----
  row(STAGING, { services: { search: { memoryMiB: '2GB' } } }, 'services.search.memoryMiB: "2GB" is a string; expected a whole number from 128 to 1048576 (MiB); give the number alone in MiB, without units or quotes'),
  row(STAGING, { services: { gateway: { cpu: 256, memoryMiB: 4096 } } }, 'services.gateway.memoryMiB: 4096 is not valid with 256 CPU units on Fargate; allowed: 512 to 2048 in steps of 512'),
  row(STAGING, { services: { gateway: { scaleInCooldownSec: '5m' } } }, 'services.gateway.scaleInCooldownSec: "5m" is a string; expected a whole number from 0 to 86400 (seconds); give the number alone in seconds, without units or quotes'),
  row(STAGING, { services: { search: { minCapacity: 5, maxCapacity: 3 } } }, 'services.search.minCapacity: 5 is above maxCapacity 3'),
  row(STAGING, { services: { gateway: { desiredCount: 30 } } }, 'services.gateway.desiredCount: 30 is outside minCapacity..maxCapacity; allowed: 2 to 20'),
  row(STAGING, { services: { embeddings: { requestsPerTarget: 100 } } }, 'services.embeddings.requestsPerTarget: 100 has no effect: only the gateway is behind the load balancer; set it to 0'),
  row(STAGING, { network: { azCount: 1 } }, 'network.azCount: gives 1 zone; this stack needs at least 2 (a load balancer spans two)'),
  row(STAGING, { network: { natGateways: 'none' } }, 'network.natGateways: "none": without a NAT gateway, private subnets reach "ecr.api" only through a VPC endpoint; add "ecr.api" to interfaceEndpoints or use a NAT gateway'),
  row(STAGING, { network: { natGateways: 'single-az' } }, 'network.natGateways: "single-az" is not a NAT strategy; did you mean "single"?; allowed: "none", "single", "perAz", "instance"'),
  row(STAGING, { network: { natInstance: { instanceType: 't4g.nano' } } }, 'network.natInstance: has no effect with natGateways "perAz"; set natGateways "instance" or remove it'),
  row(STAGING, { alb: { allowedCidrs: ['0.0.0.0'] } }, 'alb.allowedCidrs[0]: "0.0.0.0" is not an IPv4 CIDR block such as "10.0.0.0/16"'),
  row(STAGING, { alb: { tls13Only: true } }, 'alb.tls13Only: true has no effect without certificateArn (there is no HTTPS listener)'),
  row(STAGING, { monitoring: { alarmEmail: 'ops at example.com' } }, 'monitoring.alarmEmail: "ops at example.com" is not an e-mail address'),
  row(STAGING, { monitoring: { errorRatePercent: '5%' } }, 'monitoring.errorRatePercent: "5%" is a string; expected a number from 0.001 to 100 (percent); give the number alone in percent, without units or quotes'),
  row(STAGING, { services: { gateway: { capacityProviderStrategy: [{ capacityProvider: 'FARGATE', weight: 0 }] } } }, 'services.gateway.capacityProviderStrategy: has only zero weights; at least one weight must be positive'),
  row(STAGING, { containerInsights: 1 }, 'containerInsights: 1 is a number; expected true or false'),
  row(STAGING, { dataBucketName: 'artwork_data' }, 'dataBucketName: "artwork_data" is not an S3 bucket name (3-63 lowercase letters, digits, "." and "-"); did you mean "artwork-data"?'),
  row(STAGING, { cicd: { githubRepository: 'org/artwork-matcher', branches: ['main'], environments: [] } }, 'cicd: needs remote state (the deploy role reads and writes the state in S3); give remoteState in the shared settings, or remove cicd'),

  // ----- artwork-matcher-production -----
  row(PROD, { offHours: OFF_HOURS }, 'offHours: and scheduledScaling both schedule the services; their actions would undo each other: set scheduledScaling false or remove offHours'),
  row(PROD, { ingress: 'httpApi' }, 'waf.enabled: true needs ingress "alb": AWS WAF cannot be attached to an HTTP API; set it false or use ingress "alb"'),
  row(PROD, { services: { embeddings: { capacityProviderStrategy: [{ capacityProvider: 'FARGATE', weight: 1, base: 1 }] } } }, 'services.embeddings.capacityProviderStrategy: has no effect on a GPU service (it runs on the GPU capacity provider); remove it or set gpu false'),
  row(PROD, { services: { embeddings: { cpu: 8192, memoryMiB: 32768 } } }, 'services.embeddings.cpu: a task of 8192 CPU units (the instance has 4096), 32768 MiB (about 15564 MiB are left for tasks) does not fit on g4dn.xlarge; give the task less or the group a bigger type'),
  row(PROD, { services: { embeddings: { enable_gpu: true } } }, /^services\.embeddings\.enable_gpu: unknown setting; did you mean "gpu"\?; allowed: /),
  row(PROD, { gpu: { maxSize: 2 } }, 'gpu.maxSize: 2 instances hold 2 GPU tasks, fewer than services.embeddings.maxCapacity 10; raise gpu.maxSize or lower maxCapacity'),
  row(PROD, { gpu: { instanceTypes: ['g5g.xlarge'] } }, 'gpu.instanceTypes[0]: "g5g.xlarge" is not an x86 NVIDIA GPU instance type such as "g4dn.xlarge" (families g4dn, g5, g6, g6e, p3, p4d, p5)'),
  row(PROD, { gpu: { onDemandBaseCapacity: 1 } }, 'gpu.onDemandBaseCapacity: 1 has no effect without spot (every instance is on-demand); set spot true or remove it'),
  row(PROD, { network: { azCount: 4 } }, 'network.azCount: 4 is more zones than eu-west-1 has (3); allowed: 1 to 3'),
  row(PROD, { network: { availabilityZones: ['us-east-1a', 'us-east-1b'] } }, 'network.availabilityZones[0]: "us-east-1a" is not in region "eu-west-1"; allowed: zones such as "eu-west-1a"'),
  row(PROD, { imageTag: 'latest' }, 'imageTag: "latest" cannot be pushed twice to an IMMUTABLE repository; tag each image with its commit (e.g. "a1b2c3d") and deploy that tag'),
  row(PROD, { alb: { certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/abc' } }, 'alb.certificateArn: "arn:aws:acm:us-east-1:123456789012:certificate/abc" is in region "us-east-1", not the stack\'s region "eu-west-1" (a load balancer or regional API uses only certificates of its own region); allowed: an ARN in eu-west-1'),
  row(PROD, { domain: { name: 'artwork.example.com', hostedZoneId: ZONE_ID }, alb: { certificateArn: 'arn:aws:acm:eu-west-1:123456789012:certificate/abc' } }, 'domain: and alb.certificateArn both give the endpoint a certificate; keep one'),
  row(PROD, { cloudfront: { enabled: true }, alb: { allowedCidrs: ['203.0.113.0/24'] } }, 'alb.allowedCidrs: has no effect with cloudfront (the load balancer accepts CloudFront\'s addresses only); remove it'),
  row(PROD, { cloudfront: { cachedPathPatterns: ['/static/*'] } }, 'cloudfront: settings have no effect without cloudfront.enabled; set it true or remove them'),
  row(PROD, { waf: { managedRuleGroups: ['AWSManagedRulesCommonRuleSets'] } }, /^waf\.managedRuleGroups\[0\]: "AWSManagedRulesCommonRuleSets" is not an AWS managed rule group; did you mean "AWSManagedRulesCommonRuleSet"\?; allowed: "AWSManagedRulesCommonRuleSet", /),
  row(PROD, { domain: { name: 'Artwork.Example.com', hostedZoneId: ZONE_ID } }, 'domain.name: "Artwork.Example.com" is not a lowercase DNS name such as "artwork.example.com"'),
  row(PROD, { backup: { schedule: '0 3 * * *' } }, 'backup.schedule: "0 3 * * *" is not a six-field cron expression such as "cron(0 20 ? * MON-FRI *)"; AWS cron has six fields (minutes hours day-of-month month day-of-week year): did you mean "cron(0 3 * * ? *)"?'),
  row(PROD, { cache: { enabled: true, nodeType: 't4g.micro' } }, 'cache.nodeType: "t4g.micro" is not an ElastiCache node type such as "cache.t4g.micro"; did you mean "cache.t4g.micro"?'),
  row(PROD, { cicd: { githubRepository: 'org/artwork', branches: ['feature/*'], environments: [] } }, 'cicd.branches[0]: "feature/*" is not a branch name (no wildcards)'),

  // ----- vision-validator -----
  row(VV, { service: { cpu: 8192, memoryMiB: 30000 } }, 'service.cpu: a task of 8192 CPU units (the instance has 4096), 30000 MiB (about 15564 MiB are left for tasks) does not fit on g4dn.xlarge; give the task less or the group a bigger type'),
  row(VV, { service: { gpus: 2 } }, 'service.gpus: a task of 2 GPUs (the instance has 1) does not fit on g4dn.xlarge; give the task less or the group a bigger type'),
  row(VV, { service: { memoryMiB: 16384 } }, 'service.memoryMiB: a task of 16384 MiB (about 15564 MiB are left for tasks) does not fit on g4dn.xlarge; give the task less or the group a bigger type'),
  row(VV, { gpu: { maxSize: 3 } }, 'gpu.maxSize: 3 instances hold 3 tasks: no room for the extra task a rolling deployment starts at service.maxCapacity 3; allowed: at least 4'),
  row(VV, { service: { cpu: '2 vCPU' } }, 'service.cpu: "2 vCPU" is a string; expected a whole number from 128 to 196608 (CPU units); give the number alone in CPU units, without units or quotes'),
  row(VV, { service: { healthCheckGracePeriodSec: '2m' } }, 'service.healthCheckGracePeriodSec: "2m" is a string; expected a whole number from 0 to 2147483647 (seconds); give the number alone in seconds, without units or quotes'),
  row(VV, { instance_type: 'g4dn.2xlarge' }, /^instance_type: unknown setting; did you mean "gpu\.instanceTypes"\?; allowed: /),
  row(VV, { desired_capacity: 2 }, /^desired_capacity: unknown setting; did you mean "gpu\.desiredCapacity"\?; allowed: /),
  row(VV, { allowed_cidr_blocks: ['10.0.0.0/8'] }, 'allowed_cidr_blocks: unknown setting; the document\'s allowed_cidr_blocks is "alb.allowedCidrs" here'),
  row(VV, { openai_api_key: 'sk-proj-123' }, 'openai_api_key: is a secret, never a setting: give it as the sensitive Terraform variable openai_api_key (TF_VAR_openai_api_key), or the ARN of an existing Secrets Manager secret in existingSecrets.openaiApiKey'),
  row(VV, { service: { capacityProviderStrategy: [{ capacityProvider: 'FARGATE', weight: 1 }] } }, /^service\.capacityProviderStrategy: unknown setting; allowed: cpu, memoryMiB, /),
  row(VV, { network: { natGateways: 'none' } }, 'network.natGateways: "none" leaves the container instances without a way to ghcr.io (the image) and the AI services; allowed: "single" or "perAz"'),
  row(VV, { network: { availabilityZones: ['eu-west-1a', 'eu-west-1b'] } }, 'network.availabilityZones[1]: "eu-west-1b" is not in region "us-east-1"; allowed: zones such as "us-east-1a"'),
  row(VV, { aiProviders: [] }, 'aiProviders: is empty; the validator needs an OpenAI or Gemini key (give ["openai"], ["gemini"] or both)'),
  row(VV, { existingSecrets: { openaiApiKey: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:vision/openai' } }, 'existingSecrets.openaiApiKey: "arn:aws:secretsmanager:us-east-1:123456789012:secret:vision/openai" is not a Secrets Manager secret ARN with the 6-character suffix of its name (arn:aws:secretsmanager:<region>:<account>:secret:<name>-AbCdEf)'),
  row(VV, { existingSecrets: { geminiApiKey: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:vision/gemini-AbCdEf' } }, 'existingSecrets.geminiApiKey: has no effect: "gemini" is not in aiProviders; add it or remove the secret'),
  row(VV, { service: { environment: { OPENAI_API_KEY: 'sk-proj-123' } } }, 'service.environment.OPENAI_API_KEY: is set by the stack (from backendUrl, containerPort or a secret); remove it'),
  row(VV, { containerImage: 'ghcr.io/unforkableco/forge-plugins-vision' }, 'containerImage: "ghcr.io/unforkableco/forge-plugins-vision" is not a container image with a tag or digest, such as "ghcr.io/org/image:v1.2.3"'),
  row(VV, { environment: 'a'.repeat(33) }, `environment: "${'a'.repeat(33)}" is too long (33 characters); expected a name of lowercase letters, digits and "-" of at most 32 characters`),
  row(VV, { gpu: { spotAllocationStrategy: 'capacity-optimized' } }, 'gpu.spotAllocationStrategy: "capacity-optimized" has no effect without spot; set spot true or remove it'),
  row(VV, { gpu: { instanceTypes: 'g4dn.xlarge' } }, 'gpu.instanceTypes: "g4dn.xlarge" is a string; expected a list of GPU instance types'),
  row(VV, { service: { desiredCount: 0 } }, 'service.desiredCount: 0 is outside minCapacity..maxCapacity; allowed: 1 to 3'),
  row(VV, { alb: { deletionProtection: 'no' } }, 'alb.deletionProtection: "no" is a string; expected true or false'),

  // ----- karmacadabra -----
  row(KARMA, { agentDefaults: { memoryMiB: 4096 } }, 'agentDefaults.memoryMiB: 4096 is not valid with 256 CPU units on Fargate; allowed: 512 to 2048 in steps of 512'),
  row(KARMA, { agents: { validator: { cpu: 3000 } } }, 'agents.validator.cpu: 3000 is not a Fargate CPU size; allowed: 256, 512, 1024, 2048, 4096, 8192, 16384'),
  row(KARMA, { agents: { validator: { memory: 1024 } } }, /^agents\.validator\.memory: unknown setting; did you mean "memoryMiB"\?; allowed: cpu, memoryMiB, /),
  row(KARMA, { task_cpu: 512 }, 'task_cpu: unknown setting; the document\'s task_cpu is "agentDefaults.cpu" here (one agent: "agents.<name>.cpu")'),
  row(KARMA, { single_nat_gateway: true }, 'single_nat_gateway: unknown setting; the document\'s single_nat_gateway is "network.natGateways" here: "single" for true, "perAz" for false'),
  row(KARMA, { enable_xray_tracing: false }, /^enable_xray_tracing: unknown setting; did you mean "xrayTracing"\?; allowed: /),
  row(KARMA, { use_fargate_spot: false }, /^use_fargate_spot: unknown setting; did you mean "useFargateSpot"\?; allowed: /),
  row(KARMA, { private_key: '0xabc' }, 'private_key: is a secret, never a setting: each agent reads private_key from its Secrets Manager secret karmacadabra-<environment>/<agent> (fill it after the first apply), or from the secret in agents.<name>.existingSecretArn'),
  row(KARMA, { agents: { validator: { priority: 110 } } }, 'agents.karma-hello.priority: 110 is also the priority of agent "validator"; give each agent its own'),
  row(KARMA, { agentDefaults: { priority: 100 } }, 'agentDefaults.priority: 100 has no effect: listener rule priorities are unique per agent; set agents.<name>.priority, or leave it out for 10 above the agent before'),
  row(KARMA, { agents: { Validator: { port: 9010 } } }, 'agents.Validator: "Validator" is not an agent name (2-32 lowercase letters, digits and "-", starting with a letter)'),
  row(KARMA, { agents: { validator: { port: 70000 } } }, 'agents.validator.port: 70000 is out of range; expected a whole number from 1 to 65535'),
  row(KARMA, { agents: ['validator', 'karma-hello'] }, 'agents: ["validator","karma-hello"] is a list; expected a map of agent settings such as {"port": 9006}'),
  row(KARMA, { agents: { validator: null, 'karma-hello': null, abracadabra: null, 'skill-extractor': null, 'voice-extractor': null } }, 'agents: is empty; give at least one agent'),
  row(KARMA, { agents: Object.fromEntries(Array.from({ length: 16 }, (_, i) => [`agent-${i}`, { port: 9100 + i }])) }, 'agents: has 21 entries; expected at most 20'),
  row(KARMA, { useFargateSpot: false, fargateBase: 1 }, 'fargateBase: 1 has no effect without useFargateSpot (every task is on on-demand Fargate); remove it'),
  row(KARMA, { fargateBase: 2, agents: { validator: { maxCapacity: 1 } } }, 'agents.validator.maxCapacity: 1 is below fargateBase 2'),
  row(KARMA, { agents: { validator: { environment: { PRIVATE_KEY: '0xabc' } } } }, 'agents.validator.environment.PRIVATE_KEY: is also a secret (secretKeys.PRIVATE_KEY); a variable comes from one place'),
  row(KARMA, { network: { availabilityZones: ['us-east-1a'] } }, 'network.availabilityZones: gives 1 zone; this stack needs at least 2 (a load balancer spans two)'),
  row(KARMA, { network: { interfaceEndpointZones: 3 } }, 'network.interfaceEndpointZones: 3 is more than the 2 zones of the VPC; allowed: 1 to 2'),
  row(KARMA, { network: { natGateways: 'none', interfaceEndpoints: ['ecr.api', 'ecr.dkr', 'logs'] } }, 'network.natGateways: "none": without a NAT gateway, private subnets reach "secretsmanager" only through a VPC endpoint; add "secretsmanager" to interfaceEndpoints or use a NAT gateway'),
  row(KARMA, { imageTag: 'latest' }, 'imageTag: "latest" cannot be pushed twice to an IMMUTABLE repository; tag each image with its commit (e.g. "a1b2c3d") and deploy that tag'),
  row(KARMA, { alb: { certificateArn: 'arn:aws:acm:eu-west-1:123456789012:certificate/abc' } }, 'alb.certificateArn: "arn:aws:acm:eu-west-1:123456789012:certificate/abc" is in region "eu-west-1", not the stack\'s region "us-east-1" (a load balancer or regional API uses only certificates of its own region); allowed: an ARN in us-east-1'),
  row(KARMA, { agentDefaults: { requestsPerTarget: 100 } }, /^agentDefaults\.requestsPerTarget: unknown setting; allowed: cpu, memoryMiB, /),
  row(KARMA, { agents: { 'market-maker': { cpu: 512, memoryMiB: 1024 } } }, 'agents.market-maker.port: is required: each agent names the port its image listens on (ports in use: validator 9001, karma-hello 9002, abracadabra 9003, skill-extractor 9004, voice-extractor 9005); e.g. {"port": 9006}'),
  row(KARMA, { agentDefaults: { port: 8080 } }, 'agentDefaults.port: 8080 has no effect: every agent names its own port; remove it'),
  row(KARMA, { agents: { validator: { secretKeys: { PRIVATE_KEY: null } } } }, 'agents.validator.secretKeys.PRIVATE_KEY: is required; expected a JSON key of the agent\'s secret'),

  // ----- ai-predictor -----
  row(AI, { backend: { capacityProviderStrategy: [{ capacityProvider: 'FARGATE', weight: 1, base: 1 }, { capacityProvider: 'FARGATE_SPOT', weight: 1, base: 1 }] } }, 'backend.capacityProviderStrategy: sets "base" on more than one provider; ECS allows one'),
  row(AI, { backend: { capacityProviderStrategy: [{ capacityProvider: 'FARGATE', weight: 1 }, { capacityProvider: 'FARGATE', weight: 1 }] } }, 'backend.capacityProviderStrategy: names "FARGATE" more than once'),
  row(AI, { backend: { capacityProviderStrategy: [{ capacityProvider: 'EC2', weight: 1 }] } }, 'backend.capacityProviderStrategy[0].capacityProvider: "EC2" is not a Fargate capacity provider; allowed: "FARGATE", "FARGATE_SPOT"'),
  row(AI, { backend: { memoryMiB: 512 } }, 'backend.memoryMiB: 512 is not valid with 512 CPU units on Fargate; allowed: 1024 to 4096 in steps of 1024'),
  row(AI, { backend: { minCapacity: 5, maxCapacity: 2 } }, 'backend.minCapacity: 5 is above maxCapacity 2'),
  row(AI, { backend: { desired_count: 2 } }, /^backend\.desired_count: unknown setting; did you mean "desiredCount"\?; allowed: /),
  row(AI, { backend: { requestsPerTarget: 100 } }, /^backend\.requestsPerTarget: unknown setting; allowed: cpu, memoryMiB, /),
  row(AI, { backend: { enableExecuteCommand: true } }, 'network.natGateways: "none": without a NAT gateway, private subnets reach "ssmmessages" only through a VPC endpoint; add "ssmmessages" to interfaceEndpoints or use a NAT gateway'),
  row(AI, { projectName: 'a'.repeat(32) }, `projectName: "${'a'.repeat(32)}" with environment "dev" makes the files bucket name "${'a'.repeat(32)}-dev-files-<account>-<region>" longer than S3's 63 characters; shorten them or set s3.filesBucketName`),
  row(AI, { s3: { filesBucketName: 'predictor-files', dataBucketName: 'predictor-files' } }, 's3.dataBucketName: "predictor-files" is also the files bucket; the two buckets need different names'),
  row(AI, { s3: { versioning: false, noncurrentVersionExpirationDays: 7 } }, 's3.noncurrentVersionExpirationDays: 7 has no effect without versioning (there are no noncurrent versions)'),
  row(AI, { api: { corsAllowOrigins: ['*', 'https://app.example.com'] } }, 'api.corsAllowOrigins: "*" allows every origin and cannot be combined with others'),
  row(AI, { api: { corsAllowOrigins: ['https://app.example.com/path'] } }, 'api.corsAllowOrigins[0]: "https://app.example.com/path" is not an origin such as "https://app.example.com" (no path), or "*"'),
  row(AI, { api: { throttle: { burstLimit: 100, rateLimit: '50/s' } } }, 'api.throttle.rateLimit: "50/s" is a string; expected a number from 0 to 10000 (requests per second); give the number alone in requests per second, without units or quotes'),
  row(AI, { api: { throttle: { burstLimit: 0, rateLimit: 0 } } }, 'api.throttle: {"burstLimit":0,"rateLimit":0} answers every request with 429 (0 is not "no limit"); give both limits above 0, or null for no throttling'),
  row(AI, { api: { throttle: { burstLimit: 10, rateLimit: 50 } } }, 'api.throttle.burstLimit: 10 is below rateLimit 50; the burst must hold at least one second of requests'),
  row(AI, { remoteState: { bucket: 'my-state' } }, 'remoteState.bucket: "my-state" has no effect while remoteState.enabled is false; set enabled true to keep this stack\'s state there'),
  row(AI, { remoteState: { enabled: true, key: '/state.tfstate' } }, 'remoteState.key: "/state.tfstate" is not an S3 object key such as "my-stack/terraform.tfstate"; Terraform\'s S3 backend refuses a leading "/": did you mean "state.tfstate"?'),
  row(AI, { backend: { environment: { AWS_REGION: 'us-east-1' } } }, 'backend.environment.AWS_REGION: is set by the stack (AWS_REGION, ENVIRONMENT, S3_FILES_BUCKET, S3_DATA_BUCKET); remove it'),
  row(AI, { ecr: { imageTagMutability: 'immutable' } }, 'ecr.imageTagMutability: "immutable" is not a tag mutability; did you mean "IMMUTABLE"?; allowed: "MUTABLE", "IMMUTABLE"'),
  row(AI, { ecr: { untaggedExpiryDays: '7d' } }, 'ecr.untaggedExpiryDays: "7d" is a string; expected a whole number from 1 to 3650 (days); give the number alone in days, without units or quotes'),
  row(AI, { network: { azCount: 7 } }, 'network.azCount: 7 is out of range; expected a whole number from 1 to 6'),
  row(AI, { backend: { healthCheckPath: null, healthCheckStartPeriodSec: 120 } }, 'backend.healthCheckStartPeriodSec: 120 has no effect without healthCheckPath (there is no health check)'),

  // ----- nutrition-video-analysis -----
  row(NVA, { queue: { visibilityTimeoutSec: 900 } }, 'queue.visibilityTimeoutSec: 900 is shorter than a GPU job with its retries (gpu.timeoutSec 3600 x gpu.attempts 3 = 10800 seconds) and the worker\'s own work: the job would return to the queue while it runs and be processed twice; allowed: at least 10860'),
  row(NVA, { gpu: { timeoutSec: 21600 } }, 'gpu.timeoutSec: 21600 x gpu.attempts 3 = 64800 seconds is longer than a job can stay hidden in SQS (12 hours, the worker\'s CPU work included); lower gpu.timeoutSec or gpu.attempts'),
  row(NVA, { aws_region: 'us-west-2' }, /^aws_region: unknown setting; did you mean "region"\?; allowed: region, /),
  row(NVA, { gemini_api_key: 'AIzaSy-example' }, 'gemini_api_key: is a secret, never a setting: give it as the sensitive Terraform variable gemini_api_key (TF_VAR_gemini_api_key), or the ARN of an existing Secrets Manager secret in geminiApiKeySecretArn'),
  row(NVA, { max_vcpus: 64 }, /^max_vcpus: unknown setting; did you mean "maxVcpus"\?; allowed: /),
  row(NVA, { projectName: 'nutrition-video-analysis-platform' }, 'projectName: "nutrition-video-analysis-platform-dev" (projectName-environment) makes the bucket "nutrition-video-analysis-platform-dev-results-<account>-us-east-1" 68 characters long; S3 allows 63: shorten projectName or environment by 5'),
  row(NVA, { dynamodbBillingMode: 'PROVISIONED' }, 'dynamodbCapacity: is required with dynamodbBillingMode "PROVISIONED"; e.g. {"readCapacity": 5, "writeCapacity": 5}'),
  row(NVA, { dynamodbCapacity: { readCapacity: 5, writeCapacity: 5 } }, 'dynamodbCapacity: has no effect with dynamodbBillingMode "PAY_PER_REQUEST" (on-demand); remove it or set dynamodbBillingMode "PROVISIONED"'),
  row(NVA, { dynamodbBillingMode: 'on-demand' }, 'dynamodbBillingMode: "on-demand" is not a DynamoDB billing mode; allowed: "PAY_PER_REQUEST", "PROVISIONED"'),
  row(NVA, { waf: { rateLimitPer5Min: 500 } }, 'waf: has no effect with enableWaf false; set enableWaf true or leave waf at its defaults'),
  row(NVA, { api: { rateLimit: 100, burstLimit: 50 } }, 'api.burstLimit: 50 is below rateLimit 100; the burst must hold at least one second of requests'),
  row(NVA, { memorySize: 1024, functions: { uploadHandler: { memoryMiB: 2048 } } }, 'functions.uploadHandler.memoryMiB: 2048 has no effect: memorySize 1024 sets the memory of the three API functions; remove one of them'),
  row(NVA, { functions: { uploadHandler: { memoryMiB: '2GB' } } }, 'functions.uploadHandler.memoryMiB: "2GB" is a string; expected a whole number from 128 to 10240 (MiB); give the number alone in MiB, without units or quotes'),
  row(NVA, { functions: { nutritionRag: { timeoutSec: '5m' } } }, 'functions.nutritionRag.timeoutSec: "5m" is a string; expected a whole number from 1 to 900 (seconds); give the number alone in seconds, without units or quotes'),
  row(NVA, { worker: { cpu: 1024, memoryMiB: 512 } }, 'worker.memoryMiB: 512 is not valid with 1024 CPU units on Fargate; allowed: 2048 to 8192 in steps of 1024'),
  row(NVA, { worker: { minCapacity: 5, maxCapacity: 2 } }, 'worker.minCapacity: 5 is above maxCapacity 2'),
  row(NVA, { worker: { capacityProviderStrategy: [{ capacityProvider: 'FARGATE', weight: 1 }] } }, /^worker\.capacityProviderStrategy: unknown setting; allowed: cpu, memoryMiB, /),
  row(NVA, { gpu: { instanceTypes: ['p3.2xlarge'] } }, 'gpu.instanceTypes[0]: "p3.2xlarge" is not driven by the Amazon Linux 2023 NVIDIA image Batch uses; allowed: g4dn, g5, g6, g6e, p4d, p5 families'),
  row(NVA, { gpu: { vcpus: 16, memoryMiB: 65536 } }, 'gpu: a job of 16 vCPUs, 65536 MiB and 1 GPU fits none of gpu.instanceTypes (g4dn.xlarge: 4 vCPUs, about 15564 MiB, 1 GPU; g4dn.2xlarge: 8 vCPUs, about 31129 MiB, 1 GPU); give the job less or add a larger type'),
  row(NVA, { maxVcpus: 2 }, 'maxVcpus: 2 is below gpu.vcpus 4: no job could ever start'),
  row(NVA, { network: { natGateways: 'none' } }, 'network.natGateways: "none" is not possible here: the RAG function and the worker call the Gemini API on the internet, which private subnets reach only through a NAT gateway; allowed: "single", "perAz"'),
  row(NVA, { lambdaRuntime: 'python3.7' }, 'lambdaRuntime: "python3.7" is not a Python Lambda runtime; did you mean "python3.9"?; allowed: "python3.9", "python3.10", "python3.11", "python3.12", "python3.13"'),
  row(NVA, { lambdaHandler: 'handler' }, 'lambdaHandler: "handler" is not a handler such as "index.handler" (<module>.<function>)'),
  row(NVA, { notificationEmail: 'your-email@example' }, 'notificationEmail: "your-email@example" is not an e-mail address'),
  row(NVA, { geminiApiKeySecretArn: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:gemini' }, 'geminiApiKeySecretArn: "arn:aws:secretsmanager:us-east-1:123456789012:secret:gemini" is not a full Secrets Manager secret ARN (arn:aws:secretsmanager:<region>:<account>:secret:<name>-<6 characters>)'),
  row(NVA, { corsOrigins: [] }, 'corsOrigins: [] has 0 items; expected at least 1'),
  row(NVA, { provisionedConcurrentExecutions: -1 }, 'provisionedConcurrentExecutions: -1 is out of range; expected a whole number from 0 to 1000'),
  row(NVA, { gpu: { rootVolumeSizeGiB: 20 } }, 'gpu.rootVolumeSizeGiB: 20 is out of range; expected a whole number from 30 to 16384 (GiB)'),

  // ----- round two: what AWS or Terraform would refuse, by kind (each stack that has such a setting) -----
  // schedules and time zones AWS refuses (cron fields and ranges, the "?" rule, rate(...), IANA names)
  row(DEMO, { offHours: { stopSchedule: 'cron(0 25 ? * MON-FRI *)', startSchedule: 'cron(0 7 ? * MON-FRI *)', timezone: 'UTC' } }, 'offHours.stopSchedule: "cron(0 25 ? * MON-FRI *)" is not a valid AWS cron expression: hours 25 is out of range; allowed: 0-23'),
  row(DEMO, { offHours: { stopSchedule: 'rate(1 day)', startSchedule: 'cron(0 7 ? * MON-FRI *)', timezone: 'UTC' } }, 'offHours.stopSchedule: "rate(1 day)" is not a six-field cron expression such as "cron(0 20 ? * MON-FRI *)"; a rate(...) repeats from whenever it starts: give the times of day with cron(...)'),
  row(DEMO, { offHours: { stopSchedule: 'cron(0 20 ? * MON-FRI *)', startSchedule: 'cron(0 7 ? * MON-FRI)', timezone: 'UTC' } }, 'offHours.startSchedule: "cron(0 7 ? * MON-FRI)" is not a six-field cron expression such as "cron(0 20 ? * MON-FRI *)"; AWS cron has six fields (minutes hours day-of-month month day-of-week year): did you mean "cron(0 7 ? * MON-FRI *)"?'),
  row(STAGING, { offHours: { stopSchedule: 'cron(0 20 * * MON-FRI *)', startSchedule: 'cron(0 7 ? * MON-FRI *)', timezone: 'UTC' } }, 'offHours.stopSchedule: "cron(0 20 * * MON-FRI *)" is not a valid AWS cron expression: day-of-month "*" and day-of-week "MON-FRI" are both set; AWS needs "?" in one of them: did you mean "cron(0 20 ? * MON-FRI *)"?'),
  row(STAGING, { offHours: { stopSchedule: 'cron(0 20 ? * MON-FRI *)', startSchedule: 'cron(0 7 ? * MON-FRI *)', timezone: 'europe/paris' } }, 'offHours.timezone: "europe/paris" is not an IANA time zone such as "Europe/Paris" (names are case-sensitive); did you mean "Europe/Paris"?'),
  row(PROD, { backup: { schedule: 'cron(0 3 * * * *)' } }, 'backup.schedule: "cron(0 3 * * * *)" is not a valid AWS cron expression: day-of-month "*" and day-of-week "*" are both set; AWS needs "?" in one of them: did you mean "cron(0 3 * * ? *)"?'),
  row(PROD, { backup: { schedule: 'cron(0 3 ? JAN-DEX * *)' } }, 'backup.schedule: "cron(0 3 ? JAN-DEX * *)" is not a valid AWS cron expression: month "DEX" is not a value; allowed: 1-12 or JAN-DEC'),
  row(VV, { offHours: { stopSchedule: 'cron(0 20 ? * MON-FRI *)', startSchedule: 'cron(0 7 ? * MON-FRI *)', timezone: 'Europe/Pariss' } }, 'offHours.timezone: "Europe/Pariss" is not an IANA time zone such as "Europe/Paris"; did you mean "Europe/Paris"?'),
  row(VV, { offHours: { stopSchedule: 'cron(0 20 ? * 1-5 *)', startSchedule: 'cron(0 7 ? * 0-4 *)', timezone: 'UTC' } }, 'offHours.startSchedule: "cron(0 7 ? * 0-4 *)" is not a valid AWS cron expression: day-of-week 0 is out of range; allowed: 1-7 or SUN-SAT (AWS counts SUN as 1: Unix cron\'s 0 is 1 or SUN here)'),
  row(VV, { offHours: { stopSchedule: 'cron(0 20 ? * ? *)', startSchedule: 'cron(0 7 ? * MON-FRI *)', timezone: 'UTC' } }, 'offHours.stopSchedule: "cron(0 20 ? * ? *)" is not a valid AWS cron expression: day-of-month and day-of-week are both "?"; give one of them, e.g. "*" for day-of-month'),
  row(VV, { offHours: { stopSchedule: 'cron(0 20 ? * MON-FRI *)', startSchedule: 'cron(0 7 ? * MON-FRI *)', timezone: 'New York' } }, 'offHours.timezone: "New York" is not an IANA time zone such as "Europe/Paris"; did you mean "America/New_York"?'),
  // placeholders left in: angle-bracket templates, placeholder words, example mailboxes, the documentation account next to a real one
  row(SB, { bucketName: 'changeme' }, 'bucketName: "changeme" holds the placeholder "changeme", not an S3 bucket name (3-63 lowercase letters, digits, "." and "-"); write the real value'),
  row(SB, { kmsKeyArn: 'arn:aws:kms:eu-west-1:123456789012:key/<key-id>' }, 'kmsKeyArn: "arn:aws:kms:eu-west-1:123456789012:key/<key-id>" holds the placeholder "<key-id>", not an ARN of kms (arn:aws:kms:<region>:<account>:...); write the real value'),
  row(SB, { accountId: '210987654321', kmsKeyArn: 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab' }, 'kmsKeyArn: "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab" names the documentation account 123456789012, a placeholder: the stack\'s accountId is 210987654321; allowed: the ARN in account 210987654321'),
  row(DEMO, { monitoring: { alarmEmail: 'you@example.com' } }, 'monitoring.alarmEmail: "you@example.com" holds the placeholder "you@example.com", not an e-mail address; write the real value'),
  row(STAGING, { dataBucketName: '<your-bucket>' }, 'dataBucketName: "<your-bucket>" is not an S3 bucket name (3-63 lowercase letters, digits, "." and "-"); it holds the placeholder "<your-bucket>": write the real value'),
  row(STAGING, { budget: { emails: ['finance@example.com', 'changeme@example.com'] } }, 'budget.emails[1]: "changeme@example.com" holds the placeholder "changeme", not an e-mail address; write the real value'),
  row(PROD, { accountId: '210987654321', alb: { certificateArn: 'arn:aws:acm:eu-west-1:123456789012:certificate/9f8e7d6c-5b4a-3210-fedc-ba9876543210' } }, 'alb.certificateArn: "arn:aws:acm:eu-west-1:123456789012:certificate/9f8e7d6c-5b4a-3210-fedc-ba9876..." names the documentation account 123456789012, a placeholder: the stack\'s accountId is 210987654321; allowed: the ARN in account 210987654321'),
  row(PROD, { accountId: '210987654321', alb: { certificateArn: 'arn:aws:acm:eu-west-1:111122223333:certificate/9f8e7d6c-5b4a-3210-fedc-ba9876543210' } }, 'alb.certificateArn: "arn:aws:acm:eu-west-1:111122223333:certificate/9f8e7d6c-5b4a-3210-fedc-ba9876..." is in account 111122223333, not the stack\'s accountId 210987654321 (a load balancer or API uses only certificates of its own account); allowed: an ARN in account 210987654321'),
  row(PROD, { cicd: { githubRepository: 'your-org/your-repo' } }, 'cicd.githubRepository: "your-org/your-repo" holds the placeholder "your", not a GitHub repository "owner/name"; write the real value'),
  row(PROD, { domain: { name: 'artwork.example.com', hostedZoneId: 'ZXXXXXXXXXXXXX' } }, 'domain.hostedZoneId: "ZXXXXXXXXXXXXX" holds the placeholder "ZXXXXXXXXXXXXX", not a Route 53 hosted zone id such as "Z0123456789ABCDEFGHIJ" (Z and 4-31 capital letters and digits); write the real value'),
  row(VV, { existingSecrets: { openaiApiKey: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:xxxx-AbCdEf' } }, 'existingSecrets.openaiApiKey: "arn:aws:secretsmanager:us-east-1:123456789012:secret:xxxx-AbCdEf" holds the placeholder "xxxx", not a Secrets Manager secret ARN with the 6-character suffix of its name (arn:aws:secretsmanager:<region>:<account>:secret:<name>-AbCdEf); write the real value'),
  row(VV, { containerImage: 'ghcr.io/your-org/vision:v1' }, 'containerImage: "ghcr.io/your-org/vision:v1" holds the placeholder "your", not a container image with a tag or digest, such as "ghcr.io/org/image:v1.2.3"; write the real value'),
  row(VV, { monitoring: { alarmEmail: 'user@example.org' } }, 'monitoring.alarmEmail: "user@example.org" holds the placeholder "user@example.org", not an e-mail address; write the real value'),
  row(KARMA, { agents: { validator: { existingSecretArn: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:karmacadabra/<agent>-AbCdEf' } } }, 'agents.validator.existingSecretArn: "arn:aws:secretsmanager:us-east-1:123456789012:secret:karmacadabra/<agent>-AbCdEf" is not a Secrets Manager secret ARN with the 6-character suffix of its name; it holds the placeholder "<agent>": write the real value'),
  row(KARMA, { monitoring: { alarmEmail: 'your-email@example.com' } }, 'monitoring.alarmEmail: "your-email@example.com" holds the placeholder "your", not an e-mail address; write the real value'),
  row(AI, { s3: { filesBucketName: 'your-bucket-name' } }, 's3.filesBucketName: "your-bucket-name" holds the placeholder "your", not an S3 bucket name (3-63 lowercase letters, digits, "." and "-"); write the real value'),
  row(AI, { api: { corsAllowOrigins: ['https://<your-app>.amplifyapp.com'] } }, 'api.corsAllowOrigins[0]: "https://<your-app>.amplifyapp.com" is not an origin such as "https://app.example.com" (no path), or "*"; it holds the placeholder "<your-app>": write the real value'),
  row(NVA, { notificationEmail: 'your-email@example.com' }, 'notificationEmail: "your-email@example.com" holds the placeholder "your", not an e-mail address; write the real value'),
  row(NVA, { accountId: '210987654321', geminiApiKeySecretArn: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:gemini-AbCdEf' }, 'geminiApiKeySecretArn: "arn:aws:secretsmanager:us-east-1:123456789012:secret:gemini-AbCdEf" names the documentation account 123456789012, a placeholder: the stack\'s accountId is 210987654321; allowed: the ARN in account 210987654321'),
  row(SHARED, { remoteState: { bucket: '<your-state-bucket>', region: 'eu-west-1' } }, 'remoteState.bucket: "<your-state-bucket>" is not an S3 bucket name (3-63 lowercase letters, digits, "." and "-"); it holds the placeholder "<your-state-bucket>": write the real value'),
  // keys Terraform's S3 backend refuses
  row(SHARED, { remoteState: { bucket: 'state-bucket', region: 'eu-west-1', keyPrefix: '/states' } }, 'remoteState.keyPrefix: "/states" is not an S3 key prefix without a trailing "/"; Terraform\'s S3 backend refuses a leading "/": did you mean "states"?'),
  row(SHARED, { remoteState: { bucket: 'state-bucket', region: 'eu-west-1', keyPrefix: 'states//prod' } }, 'remoteState.keyPrefix: "states//prod" is not an S3 key prefix without a trailing "/"; Terraform\'s S3 backend refuses "//" (an empty part): did you mean "states/prod"?'),
  row(SHARED, { remoteState: { bucket: 'state-bucket', region: 'eu-west-1', keyPrefix: 'states/prod env' } }, 'remoteState.keyPrefix: "states/prod env" is not an S3 key prefix without a trailing "/"; " " is not a safe S3 key character (letters, digits, "/" and !_.*\'()- are)'),
  row(AI, { remoteState: { enabled: true, key: 'state//terraform.tfstate' } }, 'remoteState.key: "state//terraform.tfstate" is not an S3 object key such as "my-stack/terraform.tfstate"; Terraform\'s S3 backend refuses "//" (an empty part): did you mean "state/terraform.tfstate"?'),
  row(AI, { remoteState: { enabled: true, key: 'ai predictor/terraform.tfstate' } }, 'remoteState.key: "ai predictor/terraform.tfstate" is not an S3 object key such as "my-stack/terraform.tfstate"; " " is not a safe S3 key character (letters, digits, "/" and !_.*\'()- are)'),
  // names AWS refuses for their shape: bucket names, tag keys (characters, equal but for case, the stack's own)
  row(SB, { bucketName: '192.168.1.1' }, 'bucketName: "192.168.1.1" is not an S3 bucket name (3-63 lowercase letters, digits, "." and "-"); a name formatted as an IP address is refused'),
  row(SB, { bucketName: 'terraform..state' }, 'bucketName: "terraform..state" is not an S3 bucket name (3-63 lowercase letters, digits, "." and "-"); two adjacent "." are refused'),
  row(DEMO, { dataBucketName: 'artwork-data-s3alias' }, 'dataBucketName: "artwork-data-s3alias" is not an S3 bucket name (3-63 lowercase letters, digits, "." and "-"); names ending with "-s3alias" are reserved'),
  row(AI, { s3: { dataBucketName: 'xn--predictor-data' } }, 's3.dataBucketName: "xn--predictor-data" is not an S3 bucket name (3-63 lowercase letters, digits, "." and "-"); names starting with "xn--" are reserved'),
  row(SHARED, { remoteState: { bucket: 'sthree-state', region: 'eu-west-1' } }, 'remoteState.bucket: "sthree-state" is not an S3 bucket name (3-63 lowercase letters, digits, "." and "-"); names starting with "sthree-" are reserved'),
  row(SB, { tags: { 'Cost Center!': '42' } }, 'tags.Cost Center!: "Cost Center!" is not a tag key you may set (1-128 letters, digits, spaces and _.:/=+@-, not starting with "aws:"; Project, Environment, ManagedBy and Stack are set by the stack: change projectName/environment instead)'),
  row(DEMO, { tags: { Owner: 'ops', owner: 'dev' } }, 'tags.owner: is the tag key "Owner" again in another case; AWS takes tag keys equal but for case for one tag: keep one'),
  row(STAGING, { tags: { stack: 'artwork' } }, 'tags.stack: is the stack\'s own tag "Stack" in another case; AWS takes tag keys equal but for case for one tag (change projectName/environment instead)'),
  row(PROD, { tags: { Stack: 'artwork' } }, 'tags.Stack: "Stack" is not a tag key you may set (1-128 letters, digits, spaces and _.:/=+@-, not starting with "aws:"; Project, Environment, ManagedBy and Stack are set by the stack: change projectName/environment instead)'),
  row(VV, { tags: { 'team{1}': 'vision' } }, 'tags.team{1}: "team{1}" is not a tag key you may set (1-128 letters, digits, spaces and _.:/=+@-, not starting with "aws:"; Project, Environment, ManagedBy and Stack are set by the stack: change projectName/environment instead)'),
  row(KARMA, { tags: { Team: 'agents', TEAM: 'agents' } }, 'tags.TEAM: is the tag key "Team" again in another case; AWS takes tag keys equal but for case for one tag: keep one'),
  row(AI, { tags: { 'cost#center': 'ai' } }, 'tags.cost#center: "cost#center" is not a tag key you may set (1-128 letters, digits, spaces and _.:/=+@-, not starting with "aws:"; Project, Environment, ManagedBy and Stack are set by the stack: change projectName/environment instead)'),
  row(NVA, { tags: { project: 'nutrition' } }, 'tags.project: is the stack\'s own tag "Project" in another case; AWS takes tag keys equal but for case for one tag (change projectName/environment instead)'),
  // regions and zones that do not exist
  row(SB, { region: 'eu-north-9' }, 'region: "eu-north-9" is not an AWS region such as "eu-west-1"; AWS has no such region (the eu regions: eu-west-1, eu-west-2, eu-west-3, eu-central-1, eu-central-2, eu-north-1, eu-south-1, eu-south-2)'),
  row(DEMO, { network: { availabilityZones: ['eu-west-1a', 'eu-west-1d'] } }, 'network.availabilityZones[1]: "eu-west-1d" is not an availability zone such as "eu-west-1a"; eu-west-1 has zones eu-west-1a to eu-west-1c'),
  row(STAGING, { region: 'us-west-3' }, 'region: "us-west-3" is not an AWS region such as "eu-west-1"; AWS has no such region (the us regions: us-east-1, us-east-2, us-west-1, us-west-2)'),
  row(PROD, { network: { availabilityZones: ['eu-west-1a', 'eu-west-1b', 'eu-west-1z'] } }, 'network.availabilityZones[2]: "eu-west-1z" is not an availability zone such as "eu-west-1a"; eu-west-1 has zones eu-west-1a to eu-west-1c'),
  row(VV, { network: { availabilityZones: ['us-east-1a', 'us-east-1g'] } }, 'network.availabilityZones[1]: "us-east-1g" is not an availability zone such as "eu-west-1a"; us-east-1 has zones us-east-1a to us-east-1f'),
  row(KARMA, { network: { availabilityZones: ['us-east-1a', 'us-east-9a'] } }, 'network.availabilityZones[1]: "us-east-9a" is not an availability zone such as "eu-west-1a"; "us-east-9" is not an AWS region; AWS has no such region (the us regions: us-east-1, us-east-2, us-west-1, us-west-2)'),
  row(AI, { region: 'ap-southeast-9' }, 'region: "ap-southeast-9" is not an AWS region such as "eu-west-1"; AWS has no such region (the ap regions: ap-south-1, ap-northeast-1, ap-northeast-2, ap-northeast-3, ap-southeast-1, ap-southeast-2, ap-east-1, ap-south-2, ap-southeast-3, ap-southeast-4, ap-southeast-5, ap-southeast-6, ap-southeast-7, ap-east-2)'),
  row(AI, { remoteState: { enabled: true, region: 'eu-south-3' } }, 'remoteState.region: "eu-south-3" is not an AWS region such as "eu-west-1"; AWS has no such region (the eu regions: eu-west-1, eu-west-2, eu-west-3, eu-central-1, eu-central-2, eu-north-1, eu-south-1, eu-south-2)'),
  row(NVA, { network: { availabilityZones: ['us-east-1a', 'us-east-1x'] } }, 'network.availabilityZones[1]: "us-east-1x" is not an availability zone such as "eu-west-1a"; us-east-1 has zones us-east-1a to us-east-1f'),
  row(SHARED, { remoteState: { bucket: 'state-bucket', region: 'eu-west-4' } }, 'remoteState.region: "eu-west-4" is not an AWS region such as "eu-west-1"; AWS has no such region (the eu regions: eu-west-1, eu-west-2, eu-west-3, eu-central-1, eu-central-2, eu-north-1, eu-south-1, eu-south-2)'),
  // "${" and "%{", which Terraform would interpolate
  row(SB, { tags: { Owner: '${var.owner}' } }, 'tags.Owner: "${var.owner}" holds "${", which Terraform would read as an interpolation (settings are never interpolated); write "$${" for a literal "${"'),
  row(DEMO, { services: { gateway: { environment: { DATA_DIR: '${HOME}/data' } } } }, 'services.gateway.environment.DATA_DIR: "${HOME}/data" holds "${", which Terraform would read as an interpolation (settings are never interpolated); write "$${" for a literal "${"'),
  row(STAGING, { tags: { Owner: 'team-${env}' } }, 'tags.Owner: "team-${env}" holds "${", which Terraform would read as an interpolation (settings are never interpolated); write "$${" for a literal "${"'),
  row(PROD, { searchIndexer: { command: ['python', 'build.py', '--bucket', '${BUCKET}'] } }, 'searchIndexer.command[3]: "${BUCKET}" holds "${", which Terraform would read as an interpolation (settings are never interpolated); write "$${" for a literal "${"'),
  row(VV, { backendUrl: 'https://api.example.com/${version}' }, 'backendUrl: "https://api.example.com/${version}" holds "${", which Terraform would read as an interpolation (settings are never interpolated); write "$${" for a literal "${"'),
  row(KARMA, { agents: { validator: { environment: { GREETING: '%{if x}hi%{endif}' } } } }, 'agents.validator.environment.GREETING: "%{if x}hi%{endif}" holds "%{", which Terraform would read as a template directive (settings are never interpolated); write "%%{" for a literal "%{"'),
  row(AI, { backend: { healthCheckPath: '/health/${check}' } }, 'backend.healthCheckPath: "/health/${check}" holds "${", which Terraform would read as an interpolation (settings are never interpolated); write "$${" for a literal "${"'),
  row(NVA, { worker: { environment: { OUT: 's3://${bucket}/out' } } }, 'worker.environment.OUT: "s3://${bucket}/out" holds "${", which Terraform would read as an interpolation (settings are never interpolated); write "$${" for a literal "${"'),
  // CIDR blocks with host bits set, VPC prefixes the subnets cannot be cut from
  row(DEMO, { network: { vpcCidr: '10.0.0.1/16' } }, 'network.vpcCidr: "10.0.0.1/16" has host bits set; allowed: the network address "10.0.0.0/16"'),
  row(STAGING, { alb: { allowedCidrs: ['203.0.113.7/24'] } }, 'alb.allowedCidrs[0]: "203.0.113.7/24" has host bits set; allowed: the network address "203.0.113.0/24"'),
  row(PROD, { network: { vpcCidr: '10.0.0.0/8' } }, 'network.vpcCidr: "10.0.0.0/8" is not a VPC CIDR block from /16 to /24 such as "10.0.0.0/16"; AWS takes /16 to /28 for a VPC, and the stack cuts it into subnets 4 bits longer (/28 at the smallest)'),
  row(VV, { alb: { allowedCidrs: ['198.51.100.1/16'] } }, 'alb.allowedCidrs[0]: "198.51.100.1/16" has host bits set; allowed: the network address "198.51.0.0/16"'),
  row(KARMA, { network: { vpcCidr: '10.0.0.0/26' } }, 'network.vpcCidr: "10.0.0.0/26" is not a VPC CIDR block from /16 to /24 such as "10.0.0.0/16"; AWS takes /16 to /28 for a VPC, and the stack cuts it into subnets 4 bits longer (/28 at the smallest)'),
  row(KARMA, { alb: { allowedCidrs: ['10.1.2.3/8'] } }, 'alb.allowedCidrs[0]: "10.1.2.3/8" has host bits set; allowed: the network address "10.0.0.0/8"'),
  row(AI, { network: { vpcCidr: '172.16.5.0/16' } }, 'network.vpcCidr: "172.16.5.0/16" has host bits set; allowed: the network address "172.16.0.0/16"'),
  row(NVA, { network: { vpcCidr: '10.0.0.128/24' } }, 'network.vpcCidr: "10.0.0.128/24" has host bits set; allowed: the network address "10.0.0.0/24"'),
  // ports out of range, Lambda handlers the Python runtime cannot resolve
  row(VV, { service: { containerPort: 0 } }, 'service.containerPort: 0 is out of range; expected a whole number from 1 to 65535'),
  row(KARMA, { agentDefaults: { port: 65536 } }, 'agentDefaults.port: 65536 is out of range; expected a whole number from 1 to 65535'),
  row(AI, { backend: { containerPort: 70000 } }, 'backend.containerPort: 70000 is out of range; expected a whole number from 1 to 65535'),
  row(AI, { api: { corsAllowOrigins: ['https://app.example.com:70000'] } }, 'api.corsAllowOrigins[0]: "https://app.example.com:70000" has port 70000; allowed: 1 to 65535'),
  row(NVA, { corsOrigins: ['http://localhost:0'] }, 'corsOrigins[0]: "http://localhost:0" has port 0; allowed: 1 to 65535'),
  row(NVA, { lambdaHandler: 'index.py.handler' }, 'lambdaHandler: "index.py.handler" is not a handler such as "index.handler" (<module>.<function>); did you mean "index.handler"? (the module without ".py", a "." before the function)'),
  row(NVA, { lambdaHandler: 'index:handler' }, 'lambdaHandler: "index:handler" is not a handler such as "index.handler" (<module>.<function>); did you mean "index.handler"? (the module without ".py", a "." before the function)'),
  row(NVA, { lambdaHandler: 'my-module.handler' }, 'lambdaHandler: "my-module.handler" is not a handler such as "index.handler" (<module>.<function>)'),
  // instance and node types that do not exist
  row(DEMO, { network: { natInstance: { instanceType: 't4.nano' } } }, 'network.natInstance.instanceType: "t4.nano" is not an EC2 instance type such as "t4g.nano"; did you mean "t4g.nano"?'),
  row(STAGING, { network: { natGateways: 'instance', natInstance: { instanceType: 't4g.tiny' } } }, 'network.natInstance.instanceType: "t4g.tiny" is not an EC2 instance type such as "t4g.nano"; t4g sizes: nano, micro, small, medium, large, xlarge, 2xlarge'),
  row(PROD, { network: { natGateways: 'instance', natInstance: { instanceType: 'c9z.large' } } }, 'network.natInstance.instanceType: "c9z.large" is not an EC2 instance type such as "t4g.nano"; "c9z" is not an EC2 instance family'),
  row(PROD, { cache: { enabled: true, nodeType: 'cache.t1.micro' } }, 'cache.nodeType: "cache.t1.micro" is not an ElastiCache node type such as "cache.t4g.micro"; "cache.t1" is not a current ElastiCache node family; did you mean "cache.t2.micro"?'),
  row(DEMO, { cache: { nodeType: 'cache.t4g.large' } }, 'cache.nodeType: "cache.t4g.large" is not an ElastiCache node type such as "cache.t4g.micro"; cache.t4g sizes: micro, small, medium'),
  row(VV, { gpu: { instanceTypes: ['g4dn.large'] } }, 'gpu.instanceTypes[0]: "g4dn.large" is not an x86 NVIDIA GPU instance type such as "g4dn.xlarge" (families g4dn, g5, g6, g6e, p3, p4d, p5)'),
  row(KARMA, { network: { natGateways: 'instance', natInstance: { instanceType: 't3.nanoo' } } }, 'network.natInstance.instanceType: "t3.nanoo" is not an EC2 instance type such as "t4g.nano"; t3 sizes: nano, micro, small, medium, large, xlarge, 2xlarge'),
  row(AI, { network: { natGateways: 'instance', natInstance: { instanceType: 't4g-nano' } } }, 'network.natInstance.instanceType: "t4g-nano" is not an EC2 instance type such as "t4g.nano"'),
  row(NVA, { gpu: { instanceTypes: ['g4dn.large'] } }, 'gpu.instanceTypes[0]: "g4dn.large" is not an x86 NVIDIA GPU instance type the ECS GPU AMI supports; allowed families: g4dn, g5, g6, g6e, p3, p4d, p5; g4dn sizes: g4dn.xlarge, g4dn.2xlarge, g4dn.4xlarge, g4dn.8xlarge, g4dn.12xlarge, g4dn.16xlarge, g4dn.metal'),
  // null removing a map entry or setting under a misspelt name
  row(SB, { bucketNmae: null }, 'bucketNmae: unknown setting; did you mean "bucketName"?; allowed: region, accountId, bucketName, createLockTable, lockTableName, encryption, kmsKeyArn, noncurrentVersionExpirationDays, protect, adoptExisting, storeOwnState, tags, account'),
  row(DEMO, { tags: { Owner: null } }, 'tags.Owner: null removes nothing: there is no entry "Owner"; entries: none'),
  row(STAGING, { services: { gatway: null } }, 'services.gatway: unknown setting; did you mean "gateway"?; allowed: gateway, embeddings, search, geometric'),
  row(PROD, { imageTagg: null }, 'imageTagg: unknown setting; did you mean "imageTag"?; allowed: region, accountId, network, logRetentionDays, imageTag, ecr, alb, gpu, services, scheduledScaling, offHours, ingress, containerInsights, monitoring, dataBucketName, searchIndexer, enableExecuteCommand, dataVersionRetentionDays, domain, waf, backup, budget, cicd, cloudfront, cache, httpApiThrottle, profile, scratchPaths, guardrails, tags'),
  row(VV, { existingSecrets: { openaiKey: null } }, 'existingSecrets.openaiKey: unknown setting; did you mean "openaiApiKey"?; allowed: apiKey, openaiApiKey, geminiApiKey'),
  row(KARMA, { agents: { validatr: null } }, 'agents.validatr: null removes nothing: there is no entry "validatr"; did you mean "validator"?; entries: validator, karma-hello, abracadabra, skill-extractor, voice-extractor'),
  row(AI, { remoteStat: null }, 'remoteStat: unknown setting; did you mean "remoteState"?; allowed: region, accountId, projectName, environment, network, imageTag, ecr, backend, api, s3, logRetentionDays, containerInsights, monitoring, remoteState, profile, scratchPaths, guardrails, tags'),
  row(NVA, { functions: { uploadHandlr: null } }, 'functions.uploadHandlr: unknown setting; did you mean "uploadHandler"?; allowed: uploadHandler, statusChecker, resultsHandler, nutritionRag'),
  // settings without effect in the chosen combination
  row(DEMO, { cloudfront: { priceClass: 'PriceClass_All' } }, 'cloudfront: settings have no effect without cloudfront.enabled; set it true or remove them'),
  row(STAGING, { network: { availabilityZones: ['eu-west-1a', 'eu-west-1b'], azCount: 3 } }, 'network.azCount: 3 has no effect: availabilityZones pins 2 zones; remove azCount or pin 3 zones'),
  row(KARMA, { network: { azCount: 3 } }, 'network.azCount: 3 has no effect: availabilityZones pins 2 zones; remove azCount or pin 3 zones'),
  row(NVA, { network: { availabilityZones: ['us-east-1a', 'us-east-1b', 'us-east-1c'], azCount: 4 } }, 'network.azCount: 4 has no effect: availabilityZones pins 3 zones; remove azCount or pin 4 zones'),
  // values a construct would refuse, now refused at the setting
  row(PROD, { cicd: { githubRepository: 'acme/artwork-matcher', branches: ['refs/heads/main'] } }, 'cicd.branches[0]: "refs/heads/main" is not a branch name (no wildcards); did you mean "main"? (the name, without "refs/heads/")'),
  row(PROD, { cicd: { githubRepository: 'acme/artwork-matcher', environments: ['production env'] } }, 'cicd.environments[0]: "production env" is not a GitHub environment name (letters, digits, ".", "_" and "-"; no wildcards)'),
  row(PROD, { cicd: { githubRepository: 'acme/artwork-matcher', branches: [], environments: [] } }, 'cicd.branches: [] and environments [] leave nothing that may assume the deploy role; give a branch (e.g. ["main"]) or an environment'),
  row(PROD, { cloudfront: { enabled: true, cachedPathPatterns: ['/*'] } }, 'cloudfront.cachedPathPatterns[0]: "/*" is not a CloudFront path pattern such as "/static/*" (not "/*": the default behavior takes every other path)'),
  row(STAGING, { cloudfront: { enabled: true, cachedPathPatterns: ['/images/?.png'] } }, 'cloudfront.cachedPathPatterns[0]: "/images/?.png" is not a CloudFront path pattern such as "/static/*" (not "/*": the default behavior takes every other path)'),
  row(DEMO, { network: { vpcCidr: '10.0.0.0/27' } }, 'network.vpcCidr: "10.0.0.0/27" is not a VPC CIDR block from /16 to /24 such as "10.0.0.0/16"; AWS takes /16 to /28 for a VPC, and the stack cuts it into subnets 4 bits longer (/28 at the smallest)'),
  row(PROD, { domain: { name: 'artwork.example.com', hostedZoneId: '/hostedzone/Z0123456789ABCDEFGHIJ' } }, 'domain.hostedZoneId: "/hostedzone/Z0123456789ABCDEFGHIJ" is not a Route 53 hosted zone id such as "Z0123456789ABCDEFGHIJ" (Z and 4-31 capital letters and digits); did you mean "Z0123456789ABCDEFGHIJ"?'),
  row(KARMA, { agents: { 'voice-extractor': { priority: 49995 }, 'market-maker': { port: 9006 } } }, 'agents.market-maker.priority: 50005 (10 above the agent before) is above 50000, the highest listener rule priority; give agents.market-maker.priority, or lower the one before'),

  // ----- shared settings and the settings document itself -----
  row(SHARED, { remoteState: { bucket: 'Bad_Bucket', region: 'eu-west-1' } }, 'remoteState.bucket: "Bad_Bucket" is not an S3 bucket name (3-63 lowercase letters, digits, "." and "-"); did you mean "bad-bucket"?'),
  row(SHARED, { remoteState: { bucket: 'state-bucket', region: 'eu-west-1', useLockfile: false } }, 'remoteState.useLockfile: false leaves the state unlocked; name a dynamodbTable or set useLockfile to true'),
  row(SHARED, { remoteState: { bucket: 'state-bucket', region: 'eu-west-1', kmsKeyArn: KMS_US } }, `remoteState.kmsKeyArn: "${KMS_US}" is in region "us-east-1", not the state bucket's region "eu-west-1"; allowed: a key in eu-west-1`),
  row(SHARED, { remoteState: { bucket: 'state-bucket', region: 'eu-west-1', keyPrefix: 'states/' } }, 'remoteState.keyPrefix: "states/" is not an S3 key prefix without a trailing "/"'),
  row(SHARED, { remoteState: { region: 'eu-west-1' } }, 'remoteState.bucket: is required; expected an S3 bucket name (3-63 lowercase letters, digits, "." and "-")'),
  row(SHARED, { remoteState: { bucket: 'state-bucket', region: 'eu-west-1', dynamodb_table: 'locks' } }, 'remoteState.dynamodb_table: unknown setting; did you mean "dynamodbTable"?; allowed: bucket, region, keyPrefix, dynamodbTable, useLockfile, kmsKeyArn'),
  row(SHARED, { remoteState: 's3://state-bucket' }, 'remoteState: "s3://state-bucket" is a string; expected an object'),
  row(SHARED, { remote_state: {} }, 'remote_state: unknown setting; did you mean "remoteState"?; allowed: remoteState, stacks'),
  row(SHARED, { stacks: [] }, 'stacks: [] is not an object; expected a map of stack name to settings'),
  row(SHARED, { stacks: { 'artwork-matcher-prod': {} } }, /^stacks\.artwork-matcher-prod: unknown stack; did you mean "artwork-matcher-production"\?; stacks: state-bootstrap, /),
  row(SHARED, { stacks: { 'artwork-matcher-dev': {} } }, /^stacks\.artwork-matcher-dev: unknown stack; stacks: state-bootstrap, /),
  row(SHARED, { stacks: { vision_validator: {} } }, /^stacks\.vision_validator: unknown stack; did you mean "vision-validator"\?; stacks: /),
  row(SHARED, { stacks: { 'artwork-matcher': {} } }, /^stacks\.artwork-matcher: unknown stack; did you mean one of "artwork-matcher-demo", "artwork-matcher-staging", "artwork-matcher-production"\?; stacks: /),
  row(SHARED, { stacks: { [KARMA]: null } }, 'stacks.karmacadabra: holds null; expected an object of settings such as {"region": "eu-west-1"}'),
  row(SHARED, { stacks: { [NVA]: [{ region: 'us-east-1' }] } }, 'stacks.nutrition-video-analysis: [{"region":"us-east-1"}] is a list; expected an object of settings such as {"region": "eu-west-1"}'),
  row(SHARED, 'null', /^invalid settings in settings file .*settings\.json \(from STACK_SETTINGS_FILE\): holds null; expected an object \{"remoteState": \{\.\.\.\}, "stacks": \{"<stack>": \{\.\.\.\}\}\}$/, 'file'),
  row(SHARED, '[{"stacks": {}}]', /^invalid settings in settings file .*settings\.json \(from STACK_SETTINGS_FILE\): \[\{"stacks":\{\}\}\] is a list; expected an object /, 'file'),
  // Malformed JSON inside a stack's settings is reported in that stack's section, at the setting.
  row(VV, '{\n  "stacks": {\n    "vision-validator": { "region": "us-east-1", "region": "us-west-2" }\n  }\n}', /^region: not valid JSON: duplicate key "region" \(first at line 3, column 27\); a key may appear once per object at line 3, column 50 of settings file .*settings\.json \(from STACK_SETTINGS_FILE\)$/, 'file'),
  row(AI, '{\n  "stacks": {\n    "ai-predictor": { "region": "us-east-1", }\n  }\n}', /^stacks\.ai-predictor: not valid JSON: trailing comma before "\}" \(JSON allows none\); remove it at line 3, column 44 of settings file .*settings\.json \(from STACK_SETTINGS_FILE\)$/, 'file'),
  row(NVA, '{\n  "stacks": {\n    "nutrition-video-analysis": { "api": { "stageName": "v1" "rateLimit": 5 } }\n  }\n}', /^api: not valid JSON: expected "," or "\}" at line 3, column 62 of settings file /, 'file'),
  row(SHARED, '{\n  "stacks": {\n    "ai-predictor": { "region": "us-east-1" },\n  }\n}', /^stacks: not valid JSON: trailing comma before "\}" \(JSON allows none\); remove it at line 3, column 46$/, 'file'),
];

let tmp: string | undefined;
function settingsFile(text: string): string {
  tmp ??= fs.mkdtempSync(path.join(os.tmpdir(), 'bad-inputs-'));
  const dir = fs.mkdtempSync(path.join(tmp, 'f-'));
  const file = path.join(dir, 'settings.json');
  fs.writeFileSync(file, text);
  return file;
}

afterAll(() => {
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

/** The message a row's settings fail with. */
function messageOf(r: Row): string {
  if (r.via === 'file') return errorOf(() => resolveSettings(STACKS, readOverrides({ file: settingsFile(r.settings as string) })));
  const document = r.stack === SHARED ? r.settings : { stacks: { [r.stack]: r.settings } };
  if (r.via === 'build') return errorOf(() => buildStack(r.stack, document as Record<string, unknown>));
  return errorOf(() => resolveSettings(STACKS, readOverrides({ context: document })));
}

/** A short label: the stack and what was written. */
function label(r: Row): string {
  const text = typeof r.settings === 'string' ? r.settings.replace(/\s+/g, ' ') : JSON.stringify(r.settings);
  return `${r.stack}${r.via ? ` (${r.via})` : ''}: ${text.length > 90 ? `${text.slice(0, 87)}...` : text}`;
}

describe('bad settings fail with the promised message', () => {
  it.each(ROWS.map((r) => [label(r), r] as const))('%s', (_label, r) => {
    const message = messageOf(r);
    const lines = message.split('\n');
    if (r.stack !== SHARED && r.via !== 'build') {
      // The stack is named, and only its own problems follow.
      expect(lines[0]).toBe(`invalid settings for stack "${r.stack}":`);
      expect(lines.slice(1).every((l) => l.startsWith('  '))).toBe(true);
    }
    const body = lines.map((l) => l.replace(/^ {2}/, ''));
    if (typeof r.expected === 'string') expect(body).toContain(r.expected);
    else expect(body.filter((l) => (r.expected as RegExp).test(l))).toHaveLength(1);
  });
});

describe('the sweep', () => {
  it('covers every stack and the shared settings, with at least 110 cases', () => {
    const count = (name: string) => ROWS.filter((r) => r.stack === name).length;
    expect(ROWS.length).toBeGreaterThanOrEqual(110);
    for (const def of STACKS) expect({ stack: def.name, enough: count(def.name) >= 8 }).toEqual({ stack: def.name, enough: true });
    expect(count(SHARED)).toBeGreaterThanOrEqual(10);
  });

  it('holds each case once', () => {
    const keys = ROWS.map((r) => `${r.stack} ${r.via ?? ''} ${JSON.stringify(r.settings)}`);
    expect(keys.filter((k, i) => keys.indexOf(k) !== i)).toEqual([]);
  });
});
