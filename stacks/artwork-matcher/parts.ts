/**
 * The artwork-matcher stack's own parts, beside its composition (`stack.ts`): each service's
 * scaling row, the HTTP API of the lean demo, the production checklist's options (backup, cache,
 * budget, deploy role), the dashboard and alarms, and the outputs.
 */
import { Construct } from 'constructs';
import { TerraformOutput } from 'cdktf';
import { Guardrails } from '../../src/core/suppressions';
import type { EcsService, TaskDefinition } from '../../src/compute/ecs-service';
import { HttpApi } from '../../src/edge/http-api';
import type { SecureBucket } from '../../src/data/bucket';
import type { SharedFileSystem } from '../../src/data/efs';
import type { IRepository } from '../../src/data/registry';
import { BackupPlan } from '../../src/data/backup';
import type { RedisCache } from '../../src/data/cache';
import { EncryptionKey } from '../../src/security/kms';
import type { GithubDeployRole } from '../../src/security/cicd';
import { CostBudget } from '../../src/observability/budget';
import type { ContainerScaling, ContainerService, EcsPlatform, PublicEndpoint } from '../../src/patterns';
import type { SharedSettings } from '../settings';
import { ARTWORK_SERVICES, ArtworkEnvironment, ArtworkMatcherSettings, ArtworkServiceName } from './settings';

/*
 * The constructs of options that are off by default (cache, CI/CD role) load with their option:
 * they bring provider modules that every synth of the eight stacks would otherwise compile.
 */
const lazy = {
  cache: (): typeof import('../../src/data/cache') => require('../../src/data/cache'),
  cicd: (): typeof import('../../src/security/cicd') => require('../../src/security/cicd'),
};

/** Throttling of the lean demo's HTTP API unless `httpApiThrottle` says otherwise. */
const DEFAULT_HTTP_API_THROTTLE = { burstLimit: 100, rateLimit: 50 } as const;

/** What the parts read of the stack (the stack itself, typed structurally). */
export interface ArtworkSystem extends Construct {
  readonly platform: EcsPlatform;
  readonly endpoint: PublicEndpoint;
  readonly services: Record<ArtworkServiceName, ContainerService>;
  readonly repositories: Record<ArtworkServiceName, IRepository>;
  readonly api?: HttpApi;
  readonly dataBucket: SecureBucket;
  readonly indexFileSystem: SharedFileSystem;
  readonly searchIndexer: TaskDefinition;
  readonly cache?: RedisCache;
  readonly backupPlan?: BackupPlan;
  readonly deployRole?: GithubDeployRole;
}

/**
 * A service's scaling row: CPU and memory targets, request count for the gateway behind the load
 * balancer (500 per task unless set), and the morning/evening or off-hours schedule.
 */
export function scalingOf(settings: ArtworkMatcherSettings, svc: ArtworkServiceName, behindAlb: boolean): ContainerScaling {
  const cfg = settings.services[svc];
  const cooldowns = { scaleInCooldownSec: cfg.scaleInCooldownSec, scaleOutCooldownSec: cfg.scaleOutCooldownSec };
  const requests = cfg.requestsPerTarget ?? (behindAlb ? 500 : 0);
  const off = settings.offHours;
  return {
    minCapacity: cfg.minCapacity,
    maxCapacity: cfg.maxCapacity,
    cpu: { target: cfg.cpuTarget, ...cooldowns },
    memory: { target: cfg.memoryTarget, ...cooldowns },
    requestsPerTarget: requests > 0 ? requests : undefined,
    scheduled: settings.scheduledScaling
      ? [
          // Before museum opening: double the floor. After closing: back to the floor, half the ceiling.
          { name: 'scale-up-morning', schedule: 'cron(0 8 * * ? *)', minCapacity: Math.min(cfg.minCapacity * 2, cfg.maxCapacity), maxCapacity: cfg.maxCapacity },
          { name: 'scale-down-evening', schedule: 'cron(0 19 * * ? *)', minCapacity: cfg.minCapacity, maxCapacity: Math.max(cfg.minCapacity, Math.floor(cfg.maxCapacity / 2)) },
        ]
      : off
        ? [
            { name: 'off-hours-stop', schedule: off.stopSchedule, timezone: off.timezone, minCapacity: 0, maxCapacity: 0 },
            { name: 'off-hours-start', schedule: off.startSchedule, timezone: off.timezone, minCapacity: cfg.minCapacity, maxCapacity: cfg.maxCapacity },
          ]
        : [],
  };
}

/** The lean demo's public HTTP API: VPC link -> Cloud Map SRV records of the gateway. */
export function addGatewayApi(platform: EcsPlatform, env: ArtworkEnvironment, settings: ArtworkMatcherSettings, gateway: EcsService): HttpApi {
  const api = new HttpApi(platform.scope, 'api', {
    name: `${platform.namePrefix}-api`,
    description: `Artwork Matcher (${env}) gateway`,
    vpc: platform.vpc,
    integration: { service: gateway },
    accessLogRetentionDays: settings.logRetentionDays,
    throttle: settings.httpApiThrottle ?? DEFAULT_HTTP_API_THROTTLE,
  });
  Guardrails.suppress(api, 'AWS-API-004', 'document 004\'s gateway is public without authentication (the museum app calls /identify anonymously); httpApiThrottle caps what a flood can cost');
  gateway.allowFrom(api.vpcLinkSecurityGroupId, 'From the API VPC link');
  return api;
}

/** The production checklist's backup of the index and data bucket, and the gateway's cache. */
export function addStorageOptions(system: Pick<ArtworkSystem, 'platform' | 'dataBucket' | 'indexFileSystem'>, prefix: string, settings: ArtworkMatcherSettings): { backupPlan?: BackupPlan; cache?: RedisCache } {
  const scope = system.platform.scope;
  const backupPlan = settings.backup.enabled
    ? new BackupPlan(scope, 'backup', {
        name: prefix,
        kmsKey: new EncryptionKey(scope, 'backup-key', { alias: `${prefix}-backup`, description: `AWS Backup vault of ${prefix}` }),
        schedule: settings.backup.schedule,
        retentionDays: settings.backup.retentionDays,
        fileSystems: [system.indexFileSystem],
        buckets: [system.dataBucket],
        forceDestroy: system.platform.forceDestroy,
      })
    : undefined;
  const { vpc } = system.platform;
  const c = settings.cache;
  const cache = c.enabled ? new (lazy.cache().RedisCache)(scope, 'cache', { name: `${prefix}-cache`, vpc, engine: c.engine, nodeType: c.nodeType, replicas: c.replicas }) : undefined;
  return { backupPlan, cache };
}

/** The production checklist's cost budget and GitHub Actions deploy role. */
export function addOperationsOptions(system: ArtworkSystem, name: string, env: ArtworkEnvironment, settings: ArtworkMatcherSettings, shared: SharedSettings): { budget?: CostBudget; deployRole?: GithubDeployRole } {
  const scope = system.platform.scope;
  const prefix = system.platform.namePrefix;
  const budget = settings.budget.enabled
    ? new CostBudget(scope, 'budget', {
        name: `${prefix}-monthly`,
        limitUsd: settings.budget.monthlyLimitUsd,
        // Every resource carries the Stack tag (AwsStack's default tags); activate it as a cost allocation tag.
        costFilterTag: { key: 'Stack', values: [name] },
        emailSubscribers: settings.budget.emails,
        topic: system.platform.monitoring!.topic,
      })
    : undefined;
  if (!settings.cicd) return { budget };
  const deployRole = new (lazy.cicd().GithubDeployRole)(scope, 'github-deploy', {
    roleName: `${prefix}-github-deploy`,
    repository: settings.cicd.githubRepository,
    branches: settings.cicd.branches,
    environments: settings.cicd.environments,
    oidcProviderArn: settings.cicd.oidcProviderArn,
    description: `GitHub Actions deploys ${name}`,
  });
  const services = ARTWORK_SERVICES.map((svc) => system.services[svc].service);
  deployRole.grantEcrPush(ARTWORK_SERVICES.map((svc) => system.repositories[svc]));
  deployRole.grantStateAccess(shared.remoteState!, `environments/${env}/terraform.tfstate`);
  deployRole.grantEcsDeploy({
    cluster: system.platform.cluster,
    services,
    passRoles: [...services.flatMap((s) => [s.taskDefinition.roles.task, s.taskDefinition.roles.execution]), system.searchIndexer.roles.task, system.searchIndexer.roles.execution],
    taskDefinitions: [system.searchIndexer],
  });
  return { budget, deployRole };
}

/** The dashboard and alarms of the document's monitoring module, on the load balancer or the API. */
export function addArtworkMonitoring(system: ArtworkSystem, settings: ArtworkMatcherSettings): void {
  const m = settings.monitoring;
  const monitoring = system.platform.addMonitoring({ alarmEmail: m.alarmEmail, alarmTopicArn: m.alarmTopicArn });
  const { alb } = system.endpoint;
  const api = system.api;
  const services = ARTWORK_SERVICES.map((svc) => system.services[svc]);
  const latency = alb ? alb.metricTargetResponseTime('p99') : api!.metricLatency('p99');
  monitoring.addWidget({ title: 'Request Latency (P99)', metrics: [{ ...latency, label: 'P99 Latency' }] });
  monitoring.addWidget({ title: 'Request Count', metrics: [alb ? alb.metricRequestCount() : api!.metricCount()] });
  monitoring.addWidget({ title: 'ECS Service CPU Utilization', width: 24, metrics: services.map((s) => s.service.metricCpuUtilization()) });
  monitoring.addWidget({ title: 'ECS Service Memory Utilization', width: 24, metrics: services.map((s) => s.service.metricMemoryUtilization()) });
  monitoring.addWidget({ title: 'Running tasks', width: 24, metrics: services.map((s) => s.service.metricRunningTasks()) });
  monitoring.addAlarm('high-latency', {
    name: 'high-latency',
    description: `Response latency is above ${m.latencyThresholdSec} seconds`,
    metric: latency,
    // The load balancer reports seconds, API Gateway milliseconds.
    threshold: alb ? m.latencyThresholdSec : m.latencyThresholdSec * 1000,
    comparison: 'GreaterThanThreshold',
    evaluationPeriods: 3,
  });
  if (alb) {
    monitoring.addErrorRateAlarm('high-error-rate', { loadBalancer: alb, thresholdPercent: m.errorRatePercent, evaluationPeriods: 2 });
    system.services.gateway.addTargetAlarm(monitoring, 'gateway-healthy-hosts');
  } else {
    // API Gateway answers 503 itself when no gateway task is registered: part of its 5xx count.
    monitoring.addMathAlarm('high-error-rate', { ...api!.metric5xxRate('Error rate (%)'), name: 'high-error-rate', description: `5xx responses above ${m.errorRatePercent}% of API requests`, threshold: m.errorRatePercent, comparison: 'GreaterThanThreshold', evaluationPeriods: 2 });
  }
  for (const svc of ARTWORK_SERVICES) system.services[svc].addServiceAlarms(monitoring, svc);
}

/** The document's outputs, and what operating the stack needs. */
export function addArtworkOutputs(system: ArtworkSystem): void {
  const scope = system.platform.scope;
  const { alb, distribution, url } = system.endpoint;
  const output = (id: string, description: string, value: unknown) => new TerraformOutput(scope, id, { value, description });
  if (alb) output('alb_dns_name', 'DNS name of the load balancer', alb.dnsName);
  if (distribution) output('cloudfront_domain_name', 'Domain name of the CloudFront distribution', distribution.domainName);
  if (system.cache) output('cache_url', 'The gateway cache (GATEWAY__CACHE__URL)', system.cache.url);
  if (system.backupPlan) output('backup_vault', 'AWS Backup vault of the index and data bucket recovery points', system.backupPlan.vaultName);
  if (system.deployRole) output('deploy_role_arn', 'Role for aws-actions/configure-aws-credentials (role-to-assume)', system.deployRole.roleArn);
  output('ecr_repositories', 'ECR repository URLs', Object.fromEntries(ARTWORK_SERVICES.map((s) => [s, system.repositories[s].repositoryUrl])));
  output('s3_bucket', 'S3 bucket for data', system.dataBucket.bucketName);
  const { cluster, vpc } = system.platform;
  system.platform.addOperationsOutputs({ services: system.services, endpointUrl: url ?? system.api!.apiEndpoint, endpointDescription: 'Public URL of the gateway (GET <url>/health, POST <url>/identify)' });
  output(
    'search_indexer_run_command',
    'Builds the search index (the one writer of the EFS index)',
    `aws ecs run-task --cluster ${cluster.clusterName} --task-definition ${system.searchIndexer.family} --launch-type FARGATE --network-configuration 'awsvpcConfiguration={subnets=[${vpc.privateSubnetIds[0]}],securityGroups=[${system.services.search.service.securityGroupId}]}'`,
  );
}
