/**
 * Settings of the `karmacadabra` stack. Defaults are document 003's variables (`use_fargate_spot`,
 * `single_nat_gateway`, `task_cpu` 256, `task_memory` 512, `autoscaling_max_capacity` 3,
 * `log_retention_days` 7, `enable_container_insights`, `enable_xray_tracing`,
 * `enable_execute_command`, `enable_vpc_endpoints`, `availability_zones`) and its five agents.
 *
 * The agent list is data: `agents` maps a name to what differs from `agentDefaults`, so a sixth
 * agent is one line (`"agents": {"my-agent": {"port": 9006}}`) and a change to every agent (the
 * document's `task_cpu`) is one line in `agentDefaults`.
 */
import { s } from '../settings';
import {
  AlbSettings,
  NetworkSettings,
  RegistrySettings,
  ScalingSettings,
  TaskSize,
  albFields,
  checkAlb,
  checkFargateSize,
  checkImageTag,
  checkNetwork,
  checkScaling,
  networkFields,
  registryFields,
  scalingFields,
  taskSizeFields,
} from '../settings/shapes';

/** Everything an agent is: task size, scaling, its port, routing, health check and secrets. */
export interface AgentSettings extends TaskSize, ScalingSettings {
  /** Port the agent listens on (the load balancer and Service Connect use it). @default 8000 */
  readonly port: number;
  /**
   * Priority of the agent's listener rule (`/<agent>` and `/<agent>/*`), unique across agents.
   * @default - after the agents before it in `agents`: 100, 110, 120, ...
   */
  readonly priority?: number;
  /**
   * Health check path of the agent's target group, on the container itself (the load balancer
   * checks the task directly, without the `/<agent>` prefix).
   * @default "/health"
   */
  readonly healthCheckPath: string;
  /**
   * Container variables read from the agent's secret (`karmacadabra-<env>/<agent>`, a JSON object):
   * variable name to JSON key.
   * @default {"PRIVATE_KEY": "private_key", "OPENAI_API_KEY": "openai_api_key", "AGENT_ADDRESS": "address"}
   */
  readonly secretKeys: Record<string, string>;
  /**
   * An existing Secrets Manager secret (full ARN, with its 6-character suffix) holding the agent's
   * JSON keys, instead of the empty secret the stack creates.
   * @default - a secret `karmacadabra-<env>/<agent>` the operator fills after the first apply
   */
  readonly existingSecretArn?: string;
  /** Extra plain environment variables. @default {} */
  readonly environment: Record<string, string>;
}

/** One agent: only what differs from `agentDefaults`. */
export type AgentOverrides = Partial<AgentSettings>;

export interface KarmacadabraSettings {
  /** @default "us-east-1" */
  readonly region: string;
  /** The AWS account; pin it to plan without credentials. @default - looked up at plan time */
  readonly accountId?: string;
  /** Environment name, in resource names (`karmacadabra-<environment>-<agent>`) and tags. @default "prod" */
  readonly environment: string;
  /**
   * The VPC. The document's `single_nat_gateway` is `natGateways: "single"`, its
   * `availability_zones` are pinned, and `enable_vpc_endpoints` is the interface endpoint list (an
   * S3 gateway endpoint is always there, free). The endpoints live in one zone by default, like the
   * single NAT gateway: about 29 USD a month instead of 58 in both zones.
   * @default 10.0.0.0/16 in us-east-1a and us-east-1b, one NAT gateway, endpoints ecr.api, ecr.dkr, logs, secretsmanager in 1 zone
   */
  readonly network: NetworkSettings;
  /** Retention of each agent's log group `/ecs/karmacadabra-<env>/<agent>`. @default 7 */
  readonly logRetentionDays: number;
  /**
   * Image tag deployed from every agent's repository. Until it is set, every agent service exists
   * with 0 tasks: apply, fill the secrets, push the images (`npm run ops -- karmacadabra
   * push-images`), then set the tag and apply again.
   * @default - none: services at 0 tasks
   */
  readonly imageTag?: string;
  /**
   * ECR repositories `<repositoryPrefix>/<agent>`, scanned on push. Tags are IMMUTABLE (a production
   * environment: a push cannot change what a running agent pulls on its next scale-out); push each
   * image with its own tag (`npm run ops -- push-images --tag <commit>`) and set `imageTag`.
   * @default IMMUTABLE, 10 images kept, untagged expire after 7 days
   */
  readonly ecr: RegistrySettings & {
    /** Prefix of the repository names. @default "karmacadabra" */
    readonly repositoryPrefix: string;
  };
  /**
   * Run the agents on Fargate Spot (`use_fargate_spot`). ECS does not fall back to on-demand
   * Fargate when Spot has no capacity: tasks wait for it. `fargateBase` keeps that many tasks of
   * each agent on on-demand Fargate.
   * @default true
   */
  readonly useFargateSpot: boolean;
  /** Tasks of each agent on on-demand Fargate before Spot is used (with `useFargateSpot`). @default 0 */
  readonly fargateBase: number;
  /** Container Insights (per-task metrics; the task alarms compare running with desired). @default true */
  readonly containerInsights: boolean;
  /** X-Ray daemon sidecar in every task and an X-Ray sampling rule (`enable_xray_tracing`). @default true */
  readonly xrayTracing: boolean;
  /** ECS Exec into the agents (`enable_execute_command`). @default true */
  readonly enableExecuteCommand: boolean;
  /**
   * The public load balancer (HTTP on 80; HTTPS with `certificateArn`). Deletion protection is on
   * (a production entry point): set `alb.deletionProtection` false and apply before a destroy.
   * @default see each field; deletionProtection true
   */
  readonly alb: AlbSettings;
  /** What every agent is unless its entry in `agents` says otherwise. @default the document's: 256 CPU units, 512 MiB, 1 to 3 tasks, CPU 75 % and memory 80 % targets */
  readonly agentDefaults: AgentSettings;
  /**
   * The agents, by name (lowercase letters, digits and "-"): the path prefix `/<name>`, the Service
   * Connect name, the repository `karmacadabra/<name>`. Each entry holds what differs from
   * `agentDefaults`; `null` removes one.
   * @default validator 9001, karma-hello 9002, abracadabra 9003, skill-extractor 9004, voice-extractor 9005
   */
  readonly agents: Record<string, AgentOverrides>;
  /** Alarms (four per agent) and the dashboard. @default see each field */
  readonly monitoring: {
    /** E-mail subscribed to the alarm topic. Without it, alarms reach nobody. @default - none */
    readonly alarmEmail?: string;
    /** High-CPU alarm threshold, percent. @default 85 */
    readonly cpuAlarmPercent: number;
    /** High-memory alarm threshold, percent. @default 85 */
    readonly memoryAlarmPercent: number;
  };
  /** Extra default tags. @default {} */
  readonly tags: Record<string, string>;
}

/** The document's five agents and their ports. */
export const DOCUMENT_AGENTS: Readonly<Record<string, number>> = {
  validator: 9001,
  'karma-hello': 9002,
  abracadabra: 9003,
  'skill-extractor': 9004,
  'voice-extractor': 9005,
};

/** The document's values. */
export function karmacadabraDefaults(): KarmacadabraSettings {
  return {
    region: 'us-east-1',
    environment: 'prod',
    network: {
      vpcCidr: '10.0.0.0/16',
      availabilityZones: ['us-east-1a', 'us-east-1b'],
      azCount: 2,
      natGateways: 'single',
      interfaceEndpoints: ['ecr.api', 'ecr.dkr', 'logs', 'secretsmanager'],
      interfaceEndpointZones: 1,
    },
    logRetentionDays: 7,
    ecr: { imageTagMutability: 'IMMUTABLE', keepImages: 10, untaggedExpiryDays: 7, repositoryPrefix: 'karmacadabra' },
    useFargateSpot: true,
    fargateBase: 0,
    containerInsights: true,
    xrayTracing: true,
    enableExecuteCommand: true,
    alb: { allowedCidrs: ['0.0.0.0/0'], tls13Only: false, deletionProtection: true },
    agentDefaults: {
      cpu: 256,
      memoryMiB: 512,
      minCapacity: 1,
      maxCapacity: 3,
      cpuTarget: 75,
      memoryTarget: 80,
      scaleInCooldownSec: 300,
      scaleOutCooldownSec: 60,
      port: 8000,
      healthCheckPath: '/health',
      secretKeys: { PRIVATE_KEY: 'private_key', OPENAI_API_KEY: 'openai_api_key', AGENT_ADDRESS: 'address' },
      environment: {},
    },
    agents: Object.fromEntries(Object.entries(DOCUMENT_AGENTS).map(([name, port], i) => [name, { port, priority: 100 + 10 * i }])),
    monitoring: { cpuAlarmPercent: 85, memoryAlarmPercent: 85 },
    tags: {},
  };
}

const SECRET_ARN = /^arn:aws(-cn|-us-gov)?:secretsmanager:[a-z0-9-]+:\d{12}:secret:[A-Za-z0-9/_+=.@-]+-[A-Za-z0-9]{6}$/;

const agentFields = {
  ...taskSizeFields,
  ...scalingFields,
  port: s.number({ min: 1, max: 65535 }),
  priority: s.optional(s.number({ min: 1, max: 50000 })),
  healthCheckPath: s.string({ pattern: /^\/[^\s]*$/, describe: 'a path starting with "/"' }),
  secretKeys: s.record(s.string({ pattern: /^[A-Za-z0-9_.-]{1,128}$/, describe: 'a JSON key of the agent\'s secret' }), {
    key: s.string({ pattern: /^[A-Za-z_][A-Za-z0-9_]*$/, describe: 'an environment variable name (letters, digits and "_", not starting with a digit)' }),
  }),
  existingSecretArn: s.optional(s.string({ pattern: SECRET_ARN, describe: 'a Secrets Manager secret ARN with the 6-character suffix of its name' })),
  environment: s.environmentVariables(),
};

/** An agent entry: every field optional. */
const agentOverrides = s.object<AgentOverrides>(Object.fromEntries(Object.entries(agentFields).map(([k, v]) => [k, s.optional(v as s.Schema<unknown>)])) as unknown as s.Shape<AgentOverrides>, undefined, 'agent settings such as {"port": 9006}');

/** Agent names: a path segment, a Service Connect name and part of resource names. */
export const AGENT_NAME = /^[a-z][a-z0-9-]{0,30}[a-z0-9]$/;

/** Each agent's effective settings (`agentDefaults` under its entry) and listener rule priority, in `agents` order. */
export function resolveAgents(v: Pick<KarmacadabraSettings, 'agentDefaults' | 'agents'>): { readonly name: string; readonly settings: AgentSettings; readonly priority: number }[] {
  const out: { name: string; settings: AgentSettings; priority: number }[] = [];
  let last = 90;
  for (const [name, entry] of Object.entries(v.agents)) {
    if (entry === null || entry === undefined) continue;
    const settings: AgentSettings = { ...v.agentDefaults, ...entry, environment: { ...v.agentDefaults.environment, ...(entry.environment ?? {}) } };
    const priority = entry.priority ?? Math.max(last, ...out.map((a) => a.priority)) + 10;
    last = priority;
    out.push({ name, settings, priority });
  }
  return out;
}

/** The document's variables that are not a setting of their name (use_fargate_spot and the like find theirs by themselves). */
const DOCUMENT_VARIABLES: Readonly<Record<string, string>> = {
  task_cpu: 'unknown setting; the document\'s task_cpu is "agentDefaults.cpu" here (one agent: "agents.<name>.cpu")',
  task_memory: 'unknown setting; the document\'s task_memory is "agentDefaults.memoryMiB" here (one agent: "agents.<name>.memoryMiB")',
  autoscaling_max_capacity: 'unknown setting; the document\'s autoscaling_max_capacity is "agentDefaults.maxCapacity" here',
  single_nat_gateway: 'unknown setting; the document\'s single_nat_gateway is "network.natGateways" here: "single" for true, "perAz" for false',
  enable_vpc_endpoints: 'unknown setting; the document\'s enable_vpc_endpoints is "network.interfaceEndpoints" here: the list of endpoints, [] for false',
  ...Object.fromEntries(
    ['private_key', 'openai_api_key'].map((key) => [key, `is a secret, never a setting: each agent reads ${key} from its Secrets Manager secret karmacadabra-<environment>/<agent> (fill it after the first apply), or from the secret in agents.<name>.existingSecretArn`]),
  ),
};

export const karmacadabraSchema = s.documentVariables(s.object<KarmacadabraSettings>(
  {
    region: s.region(),
    accountId: s.optional(s.accountId()),
    environment: s.slug(16),
    network: s.object<NetworkSettings>(networkFields),
    logRetentionDays: s.retentionDays(),
    imageTag: s.optional(s.imageTag()),
    ecr: s.object({ ...registryFields, repositoryPrefix: s.string({ pattern: /^[a-z0-9]+(?:[._-][a-z0-9]+)*(?:\/[a-z0-9]+(?:[._-][a-z0-9]+)*)*$/, describe: 'an ECR repository path prefix (lowercase letters, digits, ".", "_", "-" and "/")', maxLength: 200 }) }),
    useFargateSpot: s.boolean(),
    fargateBase: s.number({ min: 0, max: 1000 }),
    containerInsights: s.boolean(),
    xrayTracing: s.boolean(),
    enableExecuteCommand: s.boolean(),
    alb: s.object<AlbSettings>(albFields),
    agentDefaults: s.object<AgentSettings>(agentFields),
    agents: s.record(agentOverrides, { key: s.string({ pattern: AGENT_NAME, describe: 'an agent name (2-32 lowercase letters, digits and "-", starting with a letter)' }), maxEntries: 20 }),
    monitoring: s.object({
      alarmEmail: s.optional(s.email()),
      cpuAlarmPercent: s.number({ min: 1, max: 100, unit: 'percent' }),
      memoryAlarmPercent: s.number({ min: 1, max: 100, unit: 'percent' }),
    }),
    tags: s.tags(),
  },
  (v, report) => {
    // A problem of agentDefaults shows once, not once per agent.
    const seen = new Set<string>();
    const issue = (path: string, message: string) => {
      if (!seen.has(`${path}\n${message}`)) report(path, message);
      seen.add(`${path}\n${message}`);
    };
    // Fargate tasks pull from ECR, ship logs and read secrets: without NAT they need the endpoints.
    checkNetwork(v.network, v.region, issue, { minZones: 2, needs: ['ecr.api', 'ecr.dkr', 's3', 'logs', 'secretsmanager'], prefix: 'network' });
    checkAlb(v.alb, issue);
    checkImageTag(v.imageTag, v.ecr.imageTagMutability, issue, 'imageTag');
    if (!v.useFargateSpot && v.fargateBase > 0) issue('fargateBase', `${v.fargateBase} has no effect without useFargateSpot (every task is on on-demand Fargate); remove it`);
    const agents = resolveAgents(v);
    if (agents.length === 0) issue('agents', 'is empty; give at least one agent');
    // resolveAgents takes each priority from the agent's entry or the ones before it, never from agentDefaults.
    if (v.agentDefaults.priority !== undefined) issue('agentDefaults.priority', `${v.agentDefaults.priority} has no effect: listener rule priorities are unique per agent; set agents.<name>.priority, or leave it out for 10 above the agent before`);
    const priorities = new Map<number, string>();
    for (const { name, settings: a, priority } of agents) {
      const path = v.agents[name] ? `agents.${name}` : 'agentDefaults';
      const at = (field: keyof AgentSettings) => (v.agents[name]?.[field] !== undefined ? `agents.${name}.` : 'agentDefaults.');
      checkScaling(a, issue, at('minCapacity'));
      checkFargateSize(a, issue, at('cpu'));
      if (a.maxCapacity < v.fargateBase) issue(`${at('maxCapacity')}maxCapacity`, `${a.maxCapacity} is below fargateBase ${v.fargateBase}`);
      if (priorities.has(priority)) issue(`${path}.priority`, `${priority} is also the priority of agent "${priorities.get(priority)}"; give each agent its own`);
      priorities.set(priority, name);
      for (const reserved of ['AWS_XRAY_DAEMON_ADDRESS', 'PORT', 'AGENT_NAME']) {
        if (a.environment[reserved] !== undefined) issue(`${at('environment')}environment.${reserved}`, 'is set by the stack; remove it');
      }
      for (const key of Object.keys(a.secretKeys)) {
        if (a.environment[key] !== undefined) issue(`${at('environment')}environment.${key}`, `is also a secret (secretKeys.${key}); a variable comes from one place`);
      }
    }
  },
), DOCUMENT_VARIABLES);
