/**
 * `karmacadabra`: document 003 (Karmacadabra ECS Fargate stack): five AI agents (validator,
 * karma-hello, abracadabra, skill-extractor, voice-extractor) on Fargate Spot behind one ALB with
 * path routing, calling each other over Service Connect.
 *
 * Modules, as the document's files: vpc.tf (vpc), main.tf (ecs-cluster, ecs-service per agent,
 * autoscaling), alb.tf (alb), ecr.tf (registry), iam.tf (each service's roles), security_groups.tf
 * (each service's group and the ALB's), cloudwatch.tf (logs, monitoring). The agent list is data
 * (`agents` in the settings): every per-agent resource comes from one loop.
 *
 * Where the document is wrong or silent, and what is built instead:
 * - Secrets: the document reads one `karmacadabra` secret holding every agent's keys; each agent
 *   here has its own secret `karmacadabra-<env>/<agent>` (created empty for the operator to fill, or
 *   an existing one by ARN) whose JSON keys reach the container as secrets, and each agent's
 *   execution role may read only its own.
 * - First deploy: the document applies, pushes images, then forces new deployments; services here
 *   wait at 0 tasks until `imageTag` is set, so the first apply never fails deployments against
 *   empty repositories and secrets without values.
 * - Service Connect: agents call `http://<agent>:<port>` (the client alias); the document's
 *   `<agent>.karmacadabra.local` is a DNS name Service Connect does not serve. Each agent accepts its
 *   port from the load balancer and from the other agents only.
 * - Path routing: the load balancer forwards `/<agent>` and `/<agent>/*` with the prefix kept (it
 *   does not rewrite paths); the target group checks `/health` on the task itself. The document's
 *   `curl http://<alb>/validator/health` works only if the agent serves its prefix.
 * - Fargate Spot is not "70 % cheaper with a fallback": ECS never falls back to on-demand when Spot
 *   has no capacity; `fargateBase` keeps tasks on on-demand Fargate when that matters.
 * - The document's "Auto-scaling Role" and "CloudWatch Events Role" are not needed: Application
 *   Auto Scaling uses its service-linked role, and nothing here is scheduled by EventBridge.
 * - Alarms: "low task count (< 1)" misses a service that should run 3; the task alarm compares
 *   running with desired tasks. The unhealthy-targets alarm also fires when no target is healthy
 *   while tasks are wanted (the document's UnHealthyHostCount stays 0 when every task is gone).
 * - Production safety the document leaves out: the load balancer has deletion protection
 *   (`alb.deletionProtection`; turn it off and apply before a destroy) and the repositories have
 *   IMMUTABLE tags (push every image with its own tag; `imageTag` selects it).
 * - VPC endpoints cost about 7.30 USD a month per endpoint and zone, which the document's 79-96 USD
 *   leaves out: the four interface endpoints sit in one zone by default (like the single NAT
 *   gateway); `network.interfaceEndpoints: []` removes them (the NAT gateway then carries that
 *   traffic).
 */
import { Construct } from 'constructs';
import { TerraformOutput } from 'cdktf';
import { AwsStack } from '../../src/core/aws-stack';
import { AccessLogBucket } from '../../src/data/access-logs';
import type { SharedSettings } from '../settings';
import { spotStrategy, albAccessLogsOn, albProps, vpcProps } from '../settings/shapes';
import { Vpc } from '../../src/network/vpc';
import { CapacityProviderStrategyItem, EcsCluster } from '../../src/compute/ecs-cluster';
import { Containers, EcsService } from '../../src/compute/ecs-service';
import { ApplicationLoadBalancer } from '../../src/edge/alb';
import { LogGroup } from '../../src/observability/logs';
import { Monitoring } from '../../src/observability/monitoring';
import type { Metric } from '../../src/core/metric';
import { RepositoryReference, repositoryFor } from '../../src/data/registry';
import { SecretValue } from '../../src/security/secrets';
import { Guardrails } from '../../src/core/suppressions';
import { KarmacadabraSettings, resolveAgents } from './settings';

export const KARMACADABRA = 'karmacadabra';
/** The private namespace Service Connect registers the agents in. */
export const NAMESPACE = 'karmacadabra.local';

export class KarmacadabraStack extends AwsStack {
  public readonly vpc: Vpc;
  public readonly cluster: EcsCluster;
  public readonly alb: ApplicationLoadBalancer;
  /** Access-log bucket of the load balancer (`alb.accessLogs`). */
  public readonly accessLogs?: AccessLogBucket;
  public readonly repositories: Record<string, RepositoryReference> = {};
  public readonly logGroups: Record<string, LogGroup> = {};
  public readonly secrets: Record<string, SecretValue> = {};
  public readonly services: Record<string, EcsService> = {};
  public readonly monitoring: Monitoring;

  constructor(scope: Construct, name: string, settings: KarmacadabraSettings, shared: SharedSettings = {}) {
    super(scope, name, {
      region: settings.region,
      project: KARMACADABRA,
      environment: settings.environment,
      tags: settings.tags,
      accountId: settings.accountId,
      remoteState: shared.remoteState,
    });
    const prefix = `${KARMACADABRA}-${settings.environment}`;
    const ready = settings.imageTag !== undefined;
    const agents = resolveAgents(settings);
    const strategy: CapacityProviderStrategyItem[] = settings.useFargateSpot ? spotStrategy(100, settings.fargateBase) : [{ capacityProvider: 'FARGATE', weight: 1, base: 0 }];

    // ===== vpc.tf =====
    this.vpc = new Vpc(this, 'vpc', {
      namePrefix: prefix,
      region: settings.region,
      ...vpcProps(settings.network),
      gatewayEndpoints: ['s3'],
    });

    // ===== main.tf: the cluster =====
    this.cluster = new EcsCluster(this, 'ecs-cluster', {
      clusterName: prefix,
      containerInsights: settings.containerInsights ? 'enabled' : 'disabled',
      defaultCapacityProviderStrategy: strategy,
      privateNamespace: { name: NAMESPACE, vpcId: this.vpc.vpcId },
    });

    // ===== alb.tf =====
    // Access logs (production by default): the load balancer's requests, kept 90 days.
    this.accessLogs = albAccessLogsOn(settings.alb, settings.environment) ? new AccessLogBucket(this, 'access-logs', { bucketName: this.qualifiedName(`${prefix}-logs`) }) : undefined;
    this.alb = new ApplicationLoadBalancer(this, 'alb', {
      namePrefix: prefix,
      accessLogs: this.accessLogs ? { bucket: this.accessLogs } : undefined,
      vpcId: this.vpc.vpcId,
      vpcCidr: settings.network.vpcCidr,
      subnetIds: this.vpc.publicSubnetIds,
      ...albProps(settings.alb),
    });

    // ===== cloudwatch.tf: topic and dashboard first, so every agent adds its alarms =====
    this.monitoring = new Monitoring(this, 'monitoring', { namePrefix: prefix, region: settings.region, alarmEmail: settings.monitoring.alarmEmail });
    const errorMetrics: Metric[] = [];

    // ===== one agent: repository, logs, secret, service, scaling, alarms =====
    for (const { name: agent, settings: a, priority } of agents) {
      this.repositories[agent] = repositoryFor(this, `ecr-${agent}`, {
        repositoryName: `${settings.ecr.repositoryPrefix}/${agent}`,
        scanOnPush: true,
        imageTagMutability: settings.ecr.imageTagMutability,
        keepImages: settings.ecr.keepImages,
        untaggedExpiryDays: settings.ecr.untaggedExpiryDays,
      });
      const logs = new LogGroup(this, `logs-${agent}`, { name: `/ecs/${prefix}/${agent}`, retentionDays: settings.logRetentionDays });
      this.logGroups[agent] = logs;

      const secret = a.existingSecretArn
        ? new SecretValue(this, `secret-${agent}`, {
            secretName: a.existingSecretArn.replace(/^.*:secret:/, '').replace(/-[A-Za-z0-9]{6}$/, ''),
            source: { kind: 'existing', secretArn: a.existingSecretArn },
          })
        : new SecretValue(this, `secret-${agent}`, {
            secretName: `${prefix}/${agent}`,
            description: `Keys of the ${agent} agent, a JSON object (${Object.values(a.secretKeys).join(', ')})`,
            source: { kind: 'empty' },
          });
      this.secrets[agent] = secret;

      const xray = settings.xrayTracing ? Containers.xrayDaemon({ logGroup: logs, memoryReservationMiB: 64 }) : undefined;
      const service = new EcsService(this, `agent-${agent}`, {
        serviceName: `${prefix}-${agent}`,
        cluster: this.cluster,
        vpc: this.vpc,
        capacityProviderStrategy: strategy,
        cpu: a.cpu,
        memoryMiB: a.memoryMiB,
        containerName: agent,
        image: `${this.repositories[agent].repositoryUrl}:${settings.imageTag ?? 'latest'}`,
        containerPort: a.port,
        environment: { PORT: String(a.port), AGENT_NAME: agent, ...(xray?.applicationEnvironment ?? {}), ...a.environment },
        secrets: Object.fromEntries(Object.entries(a.secretKeys).map(([variable, key]) => [variable, { secretArn: secret.secretArn, jsonKey: key }])),
        logGroup: logs,
        logStreamPrefix: agent,
        sidecars: xray ? [xray.container] : [],
        taskRoleManagedPolicies: xray?.taskRoleManagedPolicies ?? [],
        desiredCount: ready ? a.minCapacity : 0,
        enableExecuteCommand: settings.enableExecuteCommand,
        // Python agents write caches and temporary files.
        readonlyRootFilesystem: false,
        loadBalancer: { alb: this.alb, route: { priority, pathPatterns: [`/${agent}`, `/${agent}/*`] }, healthCheck: { path: a.healthCheckPath, matcher: '200' } },
        serviceConnect: { namespaceArn: this.cluster.namespace!.arn, dnsName: agent, port: a.port },
      });
      Guardrails.suppress(service, 'AWS-ECS-002', settings.enableExecuteCommand ? 'the Python agents write caches and temporary files to their image, and ECS Exec\'s agent writes to the root filesystem' : 'the Python agents write caches and temporary files to their image\'s filesystem');
      // The existing secret's customer key, when it has one, is granted by the secret itself.
      if (secret.kmsKeyArn) secret.grantRead(service.taskDefinition.roles.execution);
      this.services[agent] = service;

      const cooldowns = { scaleInCooldownSec: a.scaleInCooldownSec, scaleOutCooldownSec: a.scaleOutCooldownSec };
      service.autoScaleTaskCount({
        minCapacity: ready ? a.minCapacity : 0,
        maxCapacity: ready ? a.maxCapacity : 0,
        cpu: { target: a.cpuTarget, ...cooldowns },
        memory: { target: a.memoryTarget, ...cooldowns },
      });

      // Four alarms per agent: CPU, memory, tasks below desired, unhealthy targets.
      this.monitoring.addServiceAlarms(agent, service, {
        label: agent,
        cpuPercent: settings.monitoring.cpuAlarmPercent,
        memoryPercent: settings.monitoring.memoryAlarmPercent,
        expectedTasks: ready ? a.minCapacity : 0,
      });
      this.monitoring.addNoHealthyTargetsAlarm(`${agent}-targets`, { label: agent, targetGroup: service.targetGroup!, service, unhealthy: true, expectRunning: ready });
      errorMetrics.push({ ...this.monitoring.addLogMetricFilter(`${agent}-errors`, { logGroup: logs, pattern: '?ERROR ?Error ?CRITICAL ?Traceback ?Exception', metricName: `${agent}-errors`, namespace: `Karmacadabra/${settings.environment}` }), label: agent });
    }

    // Agents call each other through Service Connect: each accepts the others on its port.
    for (const { name: agent } of agents) {
      for (const { name: other } of agents) {
        if (other !== agent) this.services[agent].allowFrom(this.services[other].securityGroupId, `From agent ${other} (Service Connect)`);
      }
    }

    if (settings.xrayTracing) {
      this.monitoring.addSamplingRule('xray', { ruleName: `${prefix}-agents`.slice(0, 32), priority: 1000, fixedRate: 0.05, reservoirSize: 1 });
    }

    const list = Object.values(this.services);
    this.monitoring.addWidget({ title: 'CPU utilization', width: 24, metrics: list.map((s) => s.metricCpuUtilization()) });
    this.monitoring.addWidget({ title: 'Memory utilization', width: 24, metrics: list.map((s) => s.metricMemoryUtilization()) });
    this.monitoring.addWidget({ title: 'Requests', width: 24, metrics: list.map((s) => ({ ...s.targetGroup!.metricRequestCount(), label: s.containerName })) });
    this.monitoring.addWidget({ title: 'Running tasks', width: 12, metrics: list.map((s) => s.metricRunningTasks()) });
    this.monitoring.addWidget({ title: 'Errors in logs', width: 12, metrics: errorMetrics });

    // ===== outputs.tf =====
    const scheme = settings.alb.certificateArn ? 'https' : 'http';
    const url = (agent: string, path = '') => `${scheme}://${this.alb.dnsName}/${agent}${path}`;
    const perAgent = <T>(fn: (agent: string) => T) => Object.fromEntries(agents.map(({ name: agent }) => [agent, fn(agent)]));
    new TerraformOutput(this, 'alb_dns_name', { value: this.alb.dnsName, description: 'DNS name of the load balancer' });
    new TerraformOutput(this, 'agent_endpoints', { value: perAgent((agent) => url(agent)), description: 'URL of each agent behind the load balancer' });
    new TerraformOutput(this, 'agent_health_check_urls', { value: perAgent((agent) => url(agent, agents.find((x) => x.name === agent)!.settings.healthCheckPath)), description: 'Health check URL of each agent through the load balancer (the agent must serve its /<agent> prefix)' });
    new TerraformOutput(this, 'cloudwatch_dashboard_name', { value: this.monitoring.dashboardName!, description: 'CloudWatch dashboard' });
    new TerraformOutput(this, 'cloudwatch_dashboard_url', {
      value: this.monitoring.dashboardUrl!,
      description: 'CloudWatch dashboard in the console',
    });
    new TerraformOutput(this, 'cloudwatch_log_group_names', { value: perAgent((agent) => this.logGroups[agent].logGroupName), description: 'Log group of each agent (aws logs tail <name> --follow)' });
    new TerraformOutput(this, 'ecs_cluster_name', { value: this.cluster.clusterName, description: 'ECS cluster' });
    new TerraformOutput(this, 'ecs_service_names', { value: perAgent((agent) => this.services[agent].serviceName), description: 'ECS service of each agent' });
    new TerraformOutput(this, 'ecr_repository_urls', { value: perAgent((agent) => this.repositories[agent].repositoryUrl), description: 'ECR repository of each agent (push images here)' });
    new TerraformOutput(this, 'secret_arns', { value: perAgent((agent) => this.secrets[agent].secretArn), description: 'Secrets Manager secret of each agent (put its JSON keys here)' });
    new TerraformOutput(this, 'nat_gateway_public_ips', { value: this.vpc.natPublicIps, description: 'Public IPs of the NAT gateways (for allow-lists of blockchain RPC and API providers)' });
  }
}
