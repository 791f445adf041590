/**
 * `karmacadabra`: AI agents as data (five by default), each a Fargate Spot service behind one
 * path-routed load balancer, calling each other through Service Connect, each with its own
 * repository, log group, secret and alarms. What the stack fixes in its design document, and why
 * it differs where it does: docs/stacks/karmacadabra.md.
 */
import { Construct } from 'constructs';
import { TerraformOutput } from 'cdktf';
import { AwsStack } from '../../src/core/aws-stack';
import { isProductionEnvironment } from '../../src/core/environment';
import { Guardrails } from '../../src/core/suppressions';
import type { Metric } from '../../src/core/metric';
import type { SharedSettings } from '../settings';
import { albAccessLogsOn, albProps, spotStrategy, vpcProps, wafOptions } from '../settings/shapes';
import { CapacityProviderStrategyItem } from '../../src/compute/ecs-cluster';
import { Containers } from '../../src/compute/ecs-service';
import { LogGroup } from '../../src/observability/logs';
import type { Monitoring } from '../../src/observability/monitoring';
import type { IRepository } from '../../src/data/registry';
import { ISecret, SecretValue } from '../../src/security/secrets';
import { ContainerService, EcsPlatform, ImageRelease, PublicEndpoint } from '../../src/patterns';
import { AgentSettings, KarmacadabraSettings, resolveAgents } from './settings';
import { deploymentCommands, quickStart } from './commands';

export const KARMACADABRA = 'karmacadabra';
/** The private namespace Service Connect registers the agents in. */
const NAMESPACE = 'karmacadabra.local';

/** One agent: its repository, log group, secret and service. */
export interface Agent {
  readonly repository: IRepository;
  readonly logGroup: LogGroup;
  readonly secret: ISecret;
  readonly service: ContainerService;
}

export class KarmacadabraStack extends AwsStack {
  public readonly platform: EcsPlatform;
  public readonly endpoint: PublicEndpoint;
  public readonly monitoring: Monitoring;
  public readonly agents: Record<string, Agent> = {};

  constructor(scope: Construct, name: string, settings: KarmacadabraSettings, shared: SharedSettings = {}) {
    super(scope, name, { region: settings.region, project: KARMACADABRA, environment: settings.environment, tags: settings.tags, accountId: settings.accountId, remoteState: shared.remoteState });
    const prefix = `${KARMACADABRA}-${settings.environment}`;
    const release = new ImageRelease(settings.imageTag);
    const strategy: CapacityProviderStrategyItem[] = settings.useFargateSpot ? spotStrategy(100, settings.fargateBase) : [{ capacityProvider: 'FARGATE', weight: 1, base: 0 }];

    this.platform = new EcsPlatform(this, {
      namePrefix: prefix,
      network: { ...vpcProps(settings.network), gatewayEndpoints: ['s3'] },
      containerInsights: settings.containerInsights,
      defaultCapacityProviderStrategy: strategy,
      namespace: NAMESPACE,
      repositories: settings.ecr,
      encryption: { repositories: settings.ecr.customerManagedKey },
      // Outside production, terraform destroy deletes images and logs itself (docs/operations.md).
      forceDestroy: !isProductionEnvironment(settings.environment),
    });
    if (settings.profile === 'lean' && !settings.containerInsights) {
      Guardrails.suppress(this.platform.cluster, 'AWS-ECS-006', 'the lean profile turns Container Insights off for cost (35 USD a month of metrics); the alarms and dashboard keep the ECS service metrics (CPU, memory) and the target group\'s');
    }
    // Access logs (production by default): the load balancer's requests, kept 90 days.
    this.endpoint = new PublicEndpoint({ platform: this.platform, domain: settings.domain, waf: wafOptions(settings.waf), accessLogs: albAccessLogsOn(settings.alb, settings.environment), loadBalancer: albProps(settings.alb) });
    const alb = this.endpoint.alb!;
    // The topic and dashboard first, so that every agent adds its alarms.
    this.monitoring = this.platform.addMonitoring({ alarmEmail: settings.monitoring.alarmEmail, alarmTopicArn: settings.monitoring.alarmTopicArn });
    const errorMetrics: Metric[] = [];

    const agents = resolveAgents(settings);
    for (const { name: agent, settings: a, priority } of agents) {
      const repository = this.platform.addRepository(`ecr-${agent}`, `${settings.ecr.repositoryPrefix}/${agent}`);
      const logGroup = new LogGroup(this, `logs-${agent}`, { name: `/ecs/${prefix}/${agent}`, retentionDays: settings.logRetentionDays });
      const secret = agentSecret(this, prefix, agent, a);
      const xray = settings.xrayTracing ? Containers.xrayDaemon({ logGroup, memoryReservationMiB: 64 }) : undefined;
      const service = new ContainerService(this, `agent-${agent}`, {
        platform: this.platform,
        serviceName: `${prefix}-${agent}`,
        capacityProviderStrategy: strategy,
        cpu: a.cpu,
        memoryMiB: a.memoryMiB,
        containerName: agent,
        image: { repository, release },
        containerPort: a.port,
        environment: { PORT: String(a.port), AGENT_NAME: agent, ...(xray?.applicationEnvironment ?? {}), ...a.environment },
        secrets: Object.fromEntries(Object.entries(a.secretKeys).map(([variable, key]) => [variable, { secretArn: secret.secretArn, jsonKey: key }])),
        logGroup,
        logStreamPrefix: agent,
        sidecars: xray ? [xray.container] : [],
        taskRoleManagedPolicies: xray?.taskRoleManagedPolicies ?? [],
        enableExecuteCommand: settings.enableExecuteCommand,
        loadBalancer: { alb, route: { priority, pathPatterns: [`/${agent}`, `/${agent}/*`] }, healthCheck: { path: a.healthCheckPath, matcher: '200' } },
        serviceConnect: { dnsName: agent, port: a.port },
        writableRoot: settings.enableExecuteCommand ? 'the Python agents write caches and temporary files to their image, and ECS Exec\'s agent writes to the root filesystem' : 'the Python agents write caches and temporary files to their image\'s filesystem (scratchPaths makes it read-only)',
        scratchPaths: settings.scratchPaths,
        scaling: { minCapacity: a.minCapacity, maxCapacity: a.maxCapacity, cpu: { target: a.cpuTarget, scaleInCooldownSec: a.scaleInCooldownSec, scaleOutCooldownSec: a.scaleOutCooldownSec }, memory: { target: a.memoryTarget, scaleInCooldownSec: a.scaleInCooldownSec, scaleOutCooldownSec: a.scaleOutCooldownSec } },
      });
      // The existing secret's customer key, when it has one, is granted by the secret itself.
      if (secret.kmsKeyArn) secret.grantRead(service.service.taskDefinition.roles.execution);
      this.agents[agent] = { repository, logGroup, secret, service };

      // Four alarms per agent: CPU, memory, tasks below desired, unhealthy targets; and its errors in the logs.
      service.addServiceAlarms(this.monitoring, agent, { cpuPercent: settings.monitoring.cpuAlarmPercent, memoryPercent: settings.monitoring.memoryAlarmPercent });
      service.addTargetAlarm(this.monitoring, `${agent}-targets`, { unhealthy: true });
      errorMetrics.push({ ...this.monitoring.addLogMetricFilter(`${agent}-errors`, { logGroup, pattern: '?ERROR ?Error ?CRITICAL ?Traceback ?Exception', metricName: `${agent}-errors`, namespace: `Karmacadabra/${settings.environment}` }), label: agent });
    }

    // Agents call each other through Service Connect: each accepts the others on its port.
    const services = Object.values(this.agents).map((x) => x.service.service);
    for (const { name: agent } of agents) {
      for (const { name: other } of agents) {
        if (other !== agent) this.agents[agent].service.service.allowFrom(this.agents[other].service.service.securityGroupId, `From agent ${other} (Service Connect)`);
      }
    }
    if (settings.xrayTracing) this.monitoring.addSamplingRule('xray', { ruleName: `${prefix}-agents`.slice(0, 32), priority: 1000, fixedRate: 0.05, reservoirSize: 1 });
    this.monitoring.addWidget({ title: 'CPU utilization', width: 24, metrics: services.map((s) => s.metricCpuUtilization()) });
    this.monitoring.addWidget({ title: 'Memory utilization', width: 24, metrics: services.map((s) => s.metricMemoryUtilization()) });
    this.monitoring.addWidget({ title: 'Requests', width: 24, metrics: services.map((s) => ({ ...s.targetGroup!.metricRequestCount(), label: s.containerName })) });
    this.monitoring.addWidget({ title: 'Running tasks', width: 12, metrics: services.map((s) => s.metricRunningTasks()) });
    this.monitoring.addWidget({ title: 'Errors in logs', width: 12, metrics: errorMetrics });
    this.addOutputs(settings);
  }

  /** The document's outputs, per agent where it has one per agent. */
  private addOutputs(settings: KarmacadabraSettings): void {
    const alb = this.endpoint.alb!;
    // The domain when there is one (the certificate's name), else the load balancer's DNS name.
    const base = this.endpoint.url!;
    const url = (agent: string, path = '') => `${base}/${agent}${path}`;
    const perAgent = <T>(fn: (agent: string, a: Agent) => T) => Object.fromEntries(Object.entries(this.agents).map(([agent, a]) => [agent, fn(agent, a)]));
    const output = (id: string, description: string, value: unknown) => new TerraformOutput(this, id, { value, description });
    const agents = resolveAgents(settings);
    output('alb_dns_name', 'DNS name of the load balancer', alb.dnsName);
    output('agent_endpoints', 'URL of each agent behind the load balancer', perAgent((agent) => url(agent)));
    output('agent_health_check_urls', 'Health check URL of each agent through the load balancer (the agent must serve its /<agent> prefix)', perAgent((agent) => url(agent, agents.find((x) => x.name === agent)!.settings.healthCheckPath)));
    output('cloudwatch_dashboard_name', 'CloudWatch dashboard', this.monitoring.dashboardName!);
    output('cloudwatch_dashboard_url', 'CloudWatch dashboard in the console', this.monitoring.dashboardUrl!);
    output('cloudwatch_log_group_names', 'Log group of each agent (aws logs tail <name> --follow)', perAgent((_, a) => a.logGroup.logGroupName));
    output('ecs_service_names', 'ECS service of each agent', perAgent((_, a) => a.service.service.serviceName));
    output('ecr_repository_urls', 'ECR repository of each agent (push images here)', perAgent((_, a) => a.repository.repositoryUrl));
    output('secret_arns', 'Secrets Manager secret of each agent (put its JSON keys here)', perAgent((_, a) => a.secret.secretArn));
    this.platform.addOperationsOutputs({ services: perAgent((_, a) => a.service), endpointUrl: base, endpointDescription: 'The load balancer (each agent under /<agent>)' });
    output('nat_gateway_public_ips', 'Public IPs of the NAT gateways (for allow-lists of blockchain RPC and API providers)', this.platform.vpc.natPublicIps);
    const commands = {
      stackName: this.stackName,
      region: settings.region,
      clusterName: this.platform.cluster.clusterName,
      baseUrl: base,
      dashboardUrl: this.monitoring.dashboardUrl!,
      agents: Object.fromEntries(agents.map(({ name, settings: a }) => [name, { settings: a, repositoryUrl: this.agents[name].repository.repositoryUrl, logGroupName: this.agents[name].logGroup.logGroupName, secretArn: this.agents[name].secret.secretArn, serviceName: this.agents[name].service.service.serviceName }])),
    };
    output('deployment_commands', 'Commands for this deployment: ECR login, build and push, deploy a tag, status, logs, exec, secrets', deploymentCommands(commands));
    output('quick_start', 'The first deploy, step by step', quickStart(commands));
  }
}

/** An agent's secret: an existing one by ARN, or an empty one for the operator to fill. */
function agentSecret(scope: Construct, prefix: string, agent: string, a: AgentSettings): ISecret {
  if (a.existingSecretArn) return SecretValue.fromSecretArn(scope, `secret-${agent}`, a.existingSecretArn);
  return new SecretValue(scope, `secret-${agent}`, {
    secretName: `${prefix}/${agent}`,
    description: `Keys of the ${agent} agent, a JSON object (${Object.values(a.secretKeys).join(', ')})`,
    source: { kind: 'empty' },
  });
}
