/**
 * Settings of the `karmacadabra` stack. Defaults are document 003's variables (`use_fargate_spot`,
 * `single_nat_gateway`, `task_cpu` 256, `task_memory` 512, `autoscaling_max_capacity` 3,
 * `log_retention_days` 7, `enable_container_insights`, `enable_xray_tracing`,
 * `enable_execute_command`, `enable_vpc_endpoints`, `availability_zones`) and its five agents.
 *
 * The agent list is data: `agents` maps a name to what differs from `agentDefaults`, so a sixth
 * agent is one line (`"agents": {"my-agent": {"port": 9006}}`) and a change to every agent (the
 * document's `task_cpu`) is one line in `agentDefaults`. A new agent names its port: the stack
 * cannot know which port its image listens on, and a guessed one would fail its health checks.
 */
import { s } from '../settings';
import {
  albFields,
  checkAlb,
  checkDomain,
  checkFargateSize,
  checkImageTag,
  checkNetwork,
  checkScaling,
  endpointDomain,
  network,
  profileField,
  scratchPathsField,
  checkScratchPaths,
  alarmRecipientFields,
  alarmRecipientProblems,
  guardrailsField,
  registryFields,
  repositoryPrefix,
  scalingFields,
  taskSizeFields,
  waf,
} from '../settings/shapes';

/** The document's five agents, with the ports this stack gives them (the document names none). */
export const DOCUMENT_AGENTS: Readonly<Record<string, number>> = {
  validator: 9001,
  'karma-hello': 9002,
  abracadabra: 9003,
  'skill-extractor': 9004,
  'voice-extractor': 9005,
};

/** Agent names: a path segment, a Service Connect name and part of resource names. */
export const AGENT_NAME = /^[a-z][a-z0-9-]{0,30}[a-z0-9]$/;

/** The highest priority of a listener rule. */
const MAX_PRIORITY = 50000;

const SECRET_ARN = /^arn:aws(-cn|-us-gov)?:secretsmanager:[a-z0-9-]+:\d{12}:secret:[A-Za-z0-9/_+=.@-]+-[A-Za-z0-9]{6}$/;

const port = s.number({ min: 1, max: 65535, description: 'Port the agent listens on (the load balancer and Service Connect use it).' });

const agentFields = {
  ...taskSizeFields,
  ...scalingFields,
  port,
  priority: s.optional(s.number({ min: 1, max: 50000, description: 'Priority of the agent\'s listener rule (`/<agent>` and `/<agent>/*`), unique across agents. Default: 10 above the agent before it in `agents` (100, 110, 120, ...).' })),
  healthCheckPath: s.urlPath({ description: 'Health check path of the agent\'s target group, on the container itself (the load balancer checks the task directly, without the `/<agent>` prefix).' }),
  secretKeys: s.record(s.string({ pattern: /^[A-Za-z0-9_.-]{1,128}$/, expected: 'a JSON key of the agent\'s secret' }), {
    key: { pattern: /^[A-Za-z_][A-Za-z0-9_]*$/, expected: 'an environment variable name (letters, digits and "_", not starting with a digit)' },
    description: 'Container variables read from the agent\'s secret (`karmacadabra-<env>/<agent>`, a JSON object): variable name to JSON key.',
  }),
  existingSecretArn: s.optional(
    s.string({
      pattern: SECRET_ARN,
      expected: 'a Secrets Manager secret ARN with the 6-character suffix of its name',
      name: true,
      description: 'An existing Secrets Manager secret (full ARN, with its 6-character suffix) holding the agent\'s JSON keys, instead of the empty secret the stack creates. Default: a secret `karmacadabra-<env>/<agent>` the operator fills after the first apply.',
    }),
  ),
  environment: s.environmentVariables({ description: 'Extra plain environment variables of the agent\'s container.' }),
};

/** Everything an agent is: task size, scaling, its port, routing, health check and secrets. */
export type AgentSettings = s.Static<s.TObject<typeof agentFields>>;

const agentDefaults = s.object(
  { ...agentFields, port: s.optional(s.documented(port, { description: 'Port of every agent whose entry in `agents` names none. Default: none: each agent names its own (the five default agents have 9001-9005).' })) },
  {
    description: 'What every agent is unless its entry in `agents` says otherwise (the document\'s task_cpu, task_memory and autoscaling_max_capacity are here).',
    defaults: { cpu: 256, memoryMiB: 512, minCapacity: 1, maxCapacity: 3, cpuTarget: 75, memoryTarget: 80, scaleInCooldownSec: 300, scaleOutCooldownSec: 60, healthCheckPath: '/health', secretKeys: { PRIVATE_KEY: 'private_key', OPENAI_API_KEY: 'openai_api_key', AGENT_ADDRESS: 'address' } },
  },
);

/** What every agent is unless its entry says otherwise (its port only when set). */
export type AgentDefaults = s.Static<typeof agentDefaults>;

/** A field of an agent's entry: optional, and `agentDefaults`' value when not given. */
function entryField(key: string, field: s.TSchema): s.TSchema {
  const { default: _default, ...rest } = field as s.TSchema & { default?: unknown };
  const own = key === 'port' ? 'Port the agent listens on (the load balancer and Service Connect use it). A new agent must name it, unless agentDefaults.port is set.' : `${field.description} Default: agentDefaults.${key}.`;
  return s.optional({ ...rest, description: own } as s.TSchema);
}

const agentOverrides = s.object(Object.fromEntries(Object.entries(agentFields).map(([k, f]) => [k, entryField(k, f)])) as { [K in keyof typeof agentFields]: s.Optional<(typeof agentFields)[K]> }, {
  expected: 'agent settings such as {"port": 9006}',
  description: 'One agent: the path prefix `/<name>`, the Service Connect name and the repository `karmacadabra/<name>`. Its entry holds what differs from `agentDefaults`; `null` removes the agent.',
});

/** One agent: only what differs from `agentDefaults`. */
export type AgentOverrides = s.Static<typeof agentOverrides>;

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

const fields = {
  region: s.region({ description: 'Region of every resource.', default: 'us-east-1' }),
  accountId: s.optional(s.accountId({ description: 'The AWS account; pin it to plan without credentials. Default: looked up at plan time.' })),
  environment: s.slug(16, { description: 'Environment name, in resource names (`karmacadabra-<environment>-<agent>`) and tags.', default: 'prod' }),
  network: network({
    description:
      'The VPC. The document\'s `single_nat_gateway` is `natGateways: "single"`, its `availability_zones` are pinned, and `enable_vpc_endpoints` is the interface endpoint list (an S3 gateway endpoint is always there, free). The endpoints live in one zone by default, like the single NAT gateway: about 29 USD a month instead of 58 in both zones.',
    defaults: { availabilityZones: ['us-east-1a', 'us-east-1b'], natGateways: 'single', interfaceEndpoints: ['ecr.api', 'ecr.dkr', 'logs', 'secretsmanager'], interfaceEndpointZones: 1 },
  }),
  logRetentionDays: s.retentionDays({ description: 'Retention of each agent\'s log group `/ecs/karmacadabra-<env>/<agent>`, in days.', default: 7 }),
  imageTag: s.optional(
    s.imageTag({
      description:
        'Image tag deployed from every agent\'s repository. Until it is set, every agent service exists with 0 tasks: apply, fill the secrets, push the images (`npm run ops -- karmacadabra push-images`), then set the tag and apply again. Default: none: services at 0 tasks.',
    }),
  ),
  ecr: s.object(
    { ...registryFields, repositoryPrefix: repositoryPrefix({ description: 'Prefix of the repository names.', default: 'karmacadabra' }) },
    {
      description:
        'ECR repositories `<repositoryPrefix>/<agent>`, scanned on push. Tags are IMMUTABLE (a production environment: a push cannot change what a running agent pulls on its next scale-out); push each image with its own tag (`npm run ops -- push-images --tag <commit>`) and set `imageTag`.',
      defaults: { imageTagMutability: 'IMMUTABLE', keepImages: 10 },
    },
  ),
  useFargateSpot: s.boolean({
    description: 'Run the agents on Fargate Spot (`use_fargate_spot`). ECS does not fall back to on-demand Fargate when Spot has no capacity: tasks wait for it. `fargateBase` keeps that many tasks of each agent on on-demand Fargate.',
    default: true,
  }),
  fargateBase: s.number({ min: 0, max: 1000, description: 'Tasks of each agent on on-demand Fargate before Spot is used (with `useFargateSpot`).', default: 0 }),
  containerInsights: s.boolean({ description: 'Container Insights (per-task metrics; the task alarms compare running with desired tasks).', default: true }),
  xrayTracing: s.boolean({ description: 'X-Ray daemon sidecar in every task and an X-Ray sampling rule (`enable_xray_tracing`).', default: true }),
  enableExecuteCommand: s.boolean({ description: 'ECS Exec into the agents (`enable_execute_command`).', default: true }),
  alb: s.object(albFields, {
    description: 'The public load balancer (HTTP on 80; HTTPS with `certificateArn`). Deletion protection is on (a production entry point): set `alb.deletionProtection` false and apply before a destroy.',
    defaults: { deletionProtection: true },
  }),
  waf: waf('A WAF web ACL in front of the agents\' load balancer: AWS managed rule groups, a per-IP rate limit and request logs (credentials headers redacted). Off by default (the document has none, and counts every dollar).', false),
  domain: endpointDomain(
    'agents.example.com',
    'The public name of the agents: an ACM certificate validated in the hosted zone, an alias record to the load balancer, HTTP redirected to HTTPS, and the URL outputs (`agent_endpoints`, health checks) on this name. Instead of `alb.certificateArn`. Default: none.',
  ),
  agentDefaults,
  agents: s.record(agentOverrides, {
    key: { pattern: AGENT_NAME, expected: 'an agent name (2-32 lowercase letters, digits and "-", starting with a letter)' },
    maxEntries: 20,
    description:
      'The agents, by name (lowercase letters, digits and "-"): the path prefix `/<name>`, the Service Connect name, the repository `karmacadabra/<name>`. Each entry holds what differs from `agentDefaults`; a new agent names its port; `null` removes one. Default: validator 9001, karma-hello 9002, abracadabra 9003, skill-extractor 9004, voice-extractor 9005.',
    default: Object.fromEntries(Object.entries(DOCUMENT_AGENTS).map(([name, agentPort], i) => [name, { port: agentPort, priority: 100 + 10 * i }])),
  }),
  monitoring: s.object(
    {
      ...alarmRecipientFields,
      cpuAlarmPercent: s.number({ min: 1, max: 100, unit: 'percent', description: 'High-CPU alarm threshold, percent.', default: 85 }),
      memoryAlarmPercent: s.number({ min: 1, max: 100, unit: 'percent', description: 'High-memory alarm threshold, percent.', default: 85 }),
    },
    { description: 'Alarms (four per agent) and the dashboard.', refine: alarmRecipientProblems },
  ),
  profile: profileField,
  scratchPaths: scratchPathsField,
  guardrails: guardrailsField,
  tags: s.tags(),
};

/** What a user may set for the karmacadabra stack. */
export type KarmacadabraSettings = s.Static<s.TObject<typeof fields>>;

/** One agent as the stack builds it. */
interface ResolvedAgent<P> {
  readonly name: string;
  readonly settings: Omit<AgentSettings, 'port'> & { readonly port: P };
  readonly priority: number;
}

/** Each agent's settings (`agentDefaults` under its entry), its port when it has one, and its listener rule priority, in `agents` order. */
function agentsOf(v: Pick<KarmacadabraSettings, 'agentDefaults' | 'agents'>): ResolvedAgent<number | undefined>[] {
  const out: ResolvedAgent<number | undefined>[] = [];
  let last = 90;
  for (const [name, entry] of Object.entries(v.agents)) {
    if (entry === null || entry === undefined) continue;
    const settings = { ...v.agentDefaults, ...entry, port: entry.port ?? v.agentDefaults.port, environment: { ...v.agentDefaults.environment, ...(entry.environment ?? {}) } };
    const priority = entry.priority ?? Math.max(last, ...out.map((a) => a.priority)) + 10;
    last = priority;
    out.push({ name, settings, priority });
  }
  return out;
}

/** Each agent's effective settings (`agentDefaults` under its entry) and listener rule priority, in `agents` order. */
export function resolveAgents(v: Pick<KarmacadabraSettings, 'agentDefaults' | 'agents'>): { readonly name: string; readonly settings: AgentSettings; readonly priority: number }[] {
  return agentsOf(v).map(({ name, settings, priority }) => {
    // Validation reports an agent without a port; none reaches the stack.
    if (settings.port === undefined) throw new Error(`agent "${name}" has no port`);
    return { name, settings: { ...settings, port: settings.port }, priority };
  });
}

/** An agent without a port, and a default port no agent uses. */
function checkPorts(v: KarmacadabraSettings, agents: readonly ResolvedAgent<number | undefined>[], issue: s.IssueFn): void {
  const inUse = agents.filter((a) => a.settings.port !== undefined);
  const next = Math.max(9000, ...inUse.map((a) => a.settings.port!)) + 1;
  for (const a of agents.filter((x) => x.settings.port === undefined)) {
    const ports = inUse.map((x) => `${x.name} ${x.settings.port}`).join(', ');
    issue(`agents.${a.name}.port`, `is required: each agent names the port its image listens on (ports in use: ${ports || 'none'}); e.g. {"port": ${next}}`);
  }
  if (v.agentDefaults.port !== undefined && agents.every((a) => v.agents[a.name]?.port !== undefined)) {
    issue('agentDefaults.port', `${v.agentDefaults.port} has no effect: every agent names its own port; remove it`);
  }
}

/** The cross-field rules (each reported at the setting the user wrote). */
function checkKarmacadabra(v: KarmacadabraSettings, report: s.IssueFn): void {
  checkScratchPaths(v.scratchPaths, v.enableExecuteCommand, report);
  // A problem of agentDefaults shows once, not once per agent.
  const seen = new Set<string>();
  const issue = (path: string, message: string) => {
    if (!seen.has(`${path}\n${message}`)) report(path, message);
    seen.add(`${path}\n${message}`);
  };
  // Fargate tasks pull from ECR, ship logs and read secrets: without NAT they need the endpoints.
  checkNetwork(v.network, v.region, issue, { minZones: 2, needs: ['ecr.api', 'ecr.dkr', 's3', 'logs', 'secretsmanager'], prefix: 'network' });
  checkAlb(v.alb, issue);
  checkDomain(v, issue);
  checkImageTag(v.imageTag, v.ecr.imageTagMutability, issue, 'imageTag');
  if (!v.useFargateSpot && v.fargateBase > 0) issue('fargateBase', `${v.fargateBase} has no effect without useFargateSpot (every task is on on-demand Fargate); remove it`);
  const agents = agentsOf(v);
  if (agents.length === 0) issue('agents', 'is empty; give at least one agent');
  // The priorities come from the agents' entries or the ones before them, never from agentDefaults.
  if (v.agentDefaults.priority !== undefined) issue('agentDefaults.priority', `${v.agentDefaults.priority} has no effect: listener rule priorities are unique per agent; set agents.<name>.priority, or leave it out for 10 above the agent before`);
  checkPorts(v, agents, issue);
  const priorities = new Map<number, string>();
  for (const { name, settings: a, priority } of agents) {
    const path = v.agents[name] ? `agents.${name}` : 'agentDefaults';
    const at = (field: keyof AgentSettings) => (v.agents[name]?.[field] !== undefined ? `agents.${name}.` : 'agentDefaults.');
    checkScaling(a, issue, at('minCapacity'));
    checkFargateSize(a, issue, at('cpu'));
    if (a.maxCapacity < v.fargateBase) issue(`${at('maxCapacity')}maxCapacity`, `${a.maxCapacity} is below fargateBase ${v.fargateBase}`);
    if (priorities.has(priority)) issue(`${path}.priority`, `${priority} is also the priority of agent "${priorities.get(priority)}"; give each agent its own`);
    if (priority > MAX_PRIORITY) issue(`${path}.priority`, `${priority} (10 above the agent before) is above ${MAX_PRIORITY}, the highest listener rule priority; give agents.${name}.priority, or lower the one before`);
    priorities.set(priority, name);
    for (const reserved of ['AWS_XRAY_DAEMON_ADDRESS', 'PORT', 'AGENT_NAME']) {
      if (a.environment[reserved] !== undefined) issue(`${at('environment')}environment.${reserved}`, 'is set by the stack; remove it');
    }
    for (const key of Object.keys(a.secretKeys)) {
      if (a.environment[key] !== undefined) issue(`${at('environment')}environment.${key}`, `is also a secret (secretKeys.${key}); a variable comes from one place`);
    }
  }
}

/** The settings schema: every field, its description and its default. */
export const karmacadabraSchema = s.object(fields, { refine: checkKarmacadabra, variables: DOCUMENT_VARIABLES });

/**
 * The lean profile (`"profile": "lean"`), over the defaults: a NAT instance instead of the NAT
 * gateway, no interface endpoints (the tasks reach ECR, Logs and Secrets Manager through the NAT
 * instance; ECR's layers and S3 keep the free gateway endpoint) and Container Insights off. The
 * agents stay one task each on Fargate Spot, scaling to three. What it gives up: docs/cost.md.
 */
export const KARMACADABRA_LEAN = {
  network: { natGateways: 'instance', interfaceEndpoints: [], interfaceEndpointZones: null },
  containerInsights: false,
} as const;

/** The document's values, as the schema declares them. */
export function karmacadabraDefaults(): KarmacadabraSettings {
  return s.defaultsOf(karmacadabraSchema);
}
