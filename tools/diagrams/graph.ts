/**
 * The picture of a stack, as Graphviz DOT, from its synthesized Terraform JSON (`graphOf`).
 *
 * It shows what a reader needs at a glance, not every resource: clients on top, then the edge
 * (CloudFront, WAF, load balancers with their routes and target groups, API Gateway HTTP and REST
 * APIs with their routes, VPC links), compute (ECS services inside their cluster, on-demand task
 * definitions, Lambda functions, Batch compute environments), data (S3, EFS, DynamoDB, SQS queues
 * and their dead-letter queues, SNS topics, secrets, ECR repositories as one node) and at the
 * bottom the network (one node per VPC) and observability (dashboards, the number of alarms, the
 * topic they notify). Plumbing (IAM, security groups and rules, subnets, route tables,
 * associations, policies, single alarms) is folded into the nodes it serves.
 *
 * Every edge follows a reference in the Terraform: route -> target group -> service, API route ->
 * integration (Lambda, or VPC link -> Cloud Map service / listener), clients -> WAF -> what it
 * protects, CloudFront -> origins, service -> service (a security group rule letting one reach
 * the other), compute -> data (IAM statements of the task, function or job role naming the resource, EFS
 * mounts, event source mappings), queue -> dead-letter queue, topic -> subscriber, alarms -> topic.
 *
 * It works from resource types, so a new stack needs no change here. The output is deterministic:
 * everything is sorted, and nothing depends on time or the machine.
 */
import { decodeJsonencode } from '../../src/core/json';

type Body = Record<string, any>;

/** The parts of a synthesized stack the picture reads. */
export interface TerraformJson {
  readonly resource?: Record<string, Record<string, Body>>;
  readonly [key: string]: unknown;
}

interface Resource {
  readonly type: string;
  readonly name: string;
  /** `type.name`, as references spell it. */
  readonly address: string;
  readonly body: Body;
}

type Group = 'edge' | 'compute' | 'data' | 'network' | 'observability';
const GROUPS: readonly { readonly group: Group; readonly label: string; readonly fill: string; readonly line: string }[] = [
  { group: 'edge', label: 'Edge', fill: '#F4EFFC', line: '#8C4FFF' },
  { group: 'compute', label: 'Compute', fill: '#FDF3E7', line: '#ED7100' },
  { group: 'data', label: 'Data', fill: '#EDF6E7', line: '#3F8624' },
  { group: 'network', label: 'Network', fill: '#EAF1FB', line: '#2E73B8' },
  { group: 'observability', label: 'Observability', fill: '#FCEBF2', line: '#E7157B' },
];
const FONT = 'Helvetica,Arial,sans-serif';
const INTERNET = 'internet';

interface GraphNode {
  readonly id: string;
  readonly group: Group | 'clients';
  /** Sub-cluster (an ECS cluster) inside the group. */
  readonly sub?: string;
  /** Small grey first line: what the thing is. */
  readonly kind: string;
  /** Bold line: its name. */
  readonly title: string;
  readonly lines: readonly string[];
  readonly shape?: string;
}

type EdgeStyle = 'traffic' | 'access' | 'redrive' | 'trigger' | 'notify';
interface GraphEdge {
  readonly from: string;
  readonly to: string;
  readonly style: EdgeStyle;
  readonly labels: Set<string>;
}

/** Reference `type.name` inside `${...}` expressions (and bare inside `jsonencode(...)`). */
const REFERENCE = /\b(aws_[a-z0-9_]+)\.([A-Za-z0-9_-]+)/g;

/** Indexed resources of one synthesized stack. */
class Terraform {
  private readonly byAddress = new Map<string, Resource>();
  private readonly byType = new Map<string, Resource[]>();

  constructor(json: TerraformJson) {
    for (const type of Object.keys(json.resource ?? {}).sort()) {
      const list = Object.keys(json.resource![type])
        .sort()
        .map((name) => ({ type, name, address: `${type}.${name}`, body: json.resource![type][name] ?? {} }));
      this.byType.set(type, list);
      for (const r of list) this.byAddress.set(r.address, r);
    }
  }

  all(type: string): readonly Resource[] {
    return this.byType.get(type) ?? [];
  }

  get(address: string): Resource | undefined {
    return this.byAddress.get(address);
  }

  /** Every resource referenced in `value` (strings holding `${...}`), in order of appearance, once each. */
  refs(value: unknown, type?: string): Resource[] {
    const out: Resource[] = [];
    const seen = new Set<string>();
    const walk = (v: unknown): void => {
      if (typeof v === 'string') {
        if (!v.includes('${')) return;
        for (const m of v.matchAll(REFERENCE)) {
          const r = this.byAddress.get(`${m[1]}.${m[2]}`);
          if (r && !seen.has(r.address) && (type === undefined || r.type === type)) {
            seen.add(r.address);
            out.push(r);
          }
        }
      } else if (Array.isArray(v)) v.forEach(walk);
      else if (v && typeof v === 'object') for (const k of Object.keys(v).sort()) walk((v as Body)[k]);
    };
    walk(value);
    return out;
  }

  /** The first resource referenced in `value`. */
  ref(value: unknown, type?: string): Resource | undefined {
    return this.refs(value, type)[0];
  }

  /** Resources of `type` whose `field` references `target`. */
  referrers(type: string, field: (body: Body) => unknown, target: Resource): Resource[] {
    return this.all(type).filter((r) => this.refs(field(r.body)).some((x) => x.address === target.address));
  }
}

/** A JSON-document field (`${jsonencode(...)}` or plain JSON), or undefined when it is not one. */
function decoded(text: unknown): any {
  if (typeof text !== 'string') return undefined;
  try {
    return decodeJsonencode(text);
  } catch {
    return undefined;
  }
}

const list = <T>(v: T | readonly T[] | undefined): T[] => (v === undefined || v === null ? [] : Array.isArray(v) ? [...v] : [v as T]);
const byKey = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
const literal = (v: unknown): string | undefined => (typeof v === 'string' && !v.includes('${') ? v : typeof v === 'number' ? String(v) : undefined);

function mib(v: unknown): string | undefined {
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) return undefined;
  return n % 1024 === 0 ? `${n / 1024} GiB` : `${n} MiB`;
}

function vcpu(units: unknown): string | undefined {
  const n = Number(units);
  if (!Number.isFinite(n) || n <= 0) return undefined;
  return `${Math.round((n / 1024) * 100) / 100} vCPU`;
}

/** What IAM actions do to a resource, in words: read, write, send, consume, publish, submit, invoke. */
function accessOf(actions: readonly string[]): string[] {
  const out = new Set<string>();
  for (const a of actions) {
    const [service, verb = ''] = a.toLowerCase().split(':');
    if (verb === '*' || verb === '') {
      out.add('read').add('write');
    } else if (service === 'sqs') {
      if (/^(sendmessage)/.test(verb)) out.add('send');
      if (/^(receivemessage|deletemessage|changemessagevisibility)/.test(verb)) out.add('consume');
    } else if (service === 'sns') {
      if (verb.startsWith('publish')) out.add('publish');
    } else if (service === 'batch') {
      if (verb.startsWith('submitjob')) out.add('submit');
    } else if (service === 'lambda') {
      if (verb.startsWith('invoke')) out.add('invoke');
    } else if (service === 'kms' || service === 'logs') {
      // keys and logs are not on the picture
    } else if (/^(get|list|describe|query|scan|batchget|conditioncheck|head|clientmount|select)/.test(verb)) {
      out.add('read');
    } else if (/^(put|delete|update|batchwrite|clientwrite|clientrootaccess|abort|restore|create|write|tag)/.test(verb)) {
      out.add('write');
    }
  }
  const order = ['read', 'write', 'send', 'consume', 'publish', 'submit', 'invoke'];
  return order.filter((x) => out.has(x));
}

class DiagramBuilder {
  readonly nodes = new Map<string, GraphNode>();
  readonly edges = new Map<string, GraphEdge>();
  /** Resource address -> the node that stands for it. */
  readonly alias = new Map<string, string>();
  /** Security group address -> the compute node it protects (for service -> service edges). */
  readonly securityGroupOwner = new Map<string, string>();
  /** IAM role address -> the compute node acting with it. */
  readonly roleOwner = new Map<string, string>();
  readonly subClusters = new Map<string, string>();
  private readonly prefixes: string[];
  /** Prefixes `short` took off some name (the picture says so under its title). */
  readonly shortened = new Set<string>();

  constructor(readonly tf: Terraform) {
    // Names repeat the project and environment (`<prefix>-<part>`): the picture shows the part.
    const names = [...tf.all('aws_vpc').map((v) => v.body.tags?.Name), ...tf.all('aws_ecs_cluster').map((c) => c.body.name)];
    this.prefixes = [...new Set(names.filter((n): n is string => typeof n === 'string' && !n.includes('${')))].sort((a, b) => b.length - a.length || byKey(a, b));
  }

  /** `name` without the stack's naming prefix. */
  short(name: string): string {
    for (const p of this.prefixes) {
      for (const sep of ['-', '/']) {
        if (name.startsWith(p + sep) && name.length > p.length + 1) {
          this.shortened.add(p);
          return name.slice(p.length + 1);
        }
      }
    }
    return name;
  }

  /** A resource's name: its `name` (or `bucket`, `family`, ...) when literal, else its Name tag, else its logical id. */
  nameOf(r: Resource, ...fields: string[]): string {
    // `*_prefix` fields are only the start of the real name: the Name tag says more.
    const order = [...fields.filter((f) => !f.endsWith('_prefix')), 'name', 'tags.Name', ...fields.filter((f) => f.endsWith('_prefix'))];
    for (const f of order) {
      const v = f === 'tags.Name' ? r.body.tags?.Name : r.body[f];
      const s = literal(v);
      if (s) return s;
    }
    return r.name;
  }

  /** Adds a node (its id made unique) standing for `addresses`; returns its id. */
  addNode(node: GraphNode, ...addresses: string[]): string {
    let id = node.id;
    for (let i = 2; this.nodes.has(id); i++) id = `${node.id}#${i}`;
    this.nodes.set(id, { ...node, id });
    for (const a of addresses) if (!this.alias.has(a)) this.alias.set(a, id);
    return id;
  }

  addEdge(from: string | undefined, to: string | undefined, style: EdgeStyle, label?: string): void {
    if (!from || !to || from === to) return;
    const key = `${from}\u0000${to}`;
    const edge = this.edges.get(key) ?? { from, to, style, labels: new Set<string>() };
    if (label) edge.labels.add(label);
    this.edges.set(key, edge);
  }

  /** The node standing for the first resource referenced in `value`. */
  nodeOf(value: unknown): string | undefined {
    for (const r of this.tf.refs(value)) {
      const id = this.alias.get(r.address);
      if (id) return id;
    }
    return undefined;
  }
}

/** The stack's picture, as Graphviz DOT. */
export function graphOf(json: TerraformJson, title: string): string {
  const b = new DiagramBuilder(new Terraform(json));
  addNetwork(b);
  addData(b);
  addCompute(b);
  addEdge(b);
  addObservability(b);
  addAccess(b);
  return render(b, title);
}

// ===== Network =====

function addNetwork(b: DiagramBuilder): void {
  const { tf } = b;
  for (const vpc of tf.all('aws_vpc')) {
    const inVpc = (type: string, field = 'vpc_id') => tf.referrers(type, (x) => x[field], vpc);
    const subnets = inVpc('aws_subnet');
    const zones = [...new Set(subnets.map((s) => literal(s.body.availability_zone)).filter((z): z is string => !!z))].sort();
    const kinds = new Map<string, number>();
    for (const s of subnets) {
      const kind = literal(s.body.tags?.Type) ?? 'other';
      kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
    }
    const subnetText = [...kinds.keys()].sort().map((k) => `${kinds.get(k)} ${k}`).join(' + ');
    const nats = tf.all('aws_nat_gateway').filter((n) => tf.refs(n.body.subnet_id).some((s) => subnets.some((x) => x.address === s.address)));
    const endpoints = inVpc('aws_vpc_endpoint');
    const service = (e: Resource) => (literal(e.body.service_name) ?? e.name).replace(/^com\.amazonaws\.[a-z0-9-]+\./, '');
    const gateway = endpoints.filter((e) => e.body.vpc_endpoint_type === 'Gateway').map(service).sort();
    const iface = endpoints.filter((e) => e.body.vpc_endpoint_type !== 'Gateway').map(service).sort();
    const namespaces = tf.referrers('aws_service_discovery_private_dns_namespace', (x) => x.vpc, vpc).map((n) => b.nameOf(n));
    const lines = [
      literal(vpc.body.cidr_block) ?? '',
      zones.length ? `${plural(zones.length, 'zone')}: ${zones.join(', ')}` : '',
      subnetText ? `subnets: ${subnetText}` : '',
      `NAT gateways: ${nats.length}${inVpc('aws_internet_gateway').length ? ' · internet gateway' : ''}`,
      gateway.length ? `gateway endpoints: ${gateway.join(', ')}` : '',
      ...wrap(iface, 'interface endpoints: '),
      namespaces.length ? `Cloud Map: ${namespaces.sort().join(', ')}` : '',
      tf.referrers('aws_flow_log', (x) => x.vpc_id, vpc).length ? 'flow logs' : '',
    ].filter(Boolean);
    b.addNode({ id: `vpc:${b.nameOf(vpc)}`, group: 'network', kind: 'VPC', title: b.nameOf(vpc), lines });
  }
}

/** `items` joined, `prefix` on the first line, at most 4 per line. */
function wrap(items: readonly string[], prefix: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < items.length; i += 4) out.push((i === 0 ? prefix : '') + items.slice(i, i + 4).join(', ') + (i + 4 < items.length ? ',' : ''));
  return out;
}

// ===== Data =====

function addData(b: DiagramBuilder): void {
  const { tf } = b;
  for (const bucket of tf.all('aws_s3_bucket')) {
    const name = b.nameOf(bucket, 'bucket', 'bucket_prefix');
    const versioned = tf.referrers('aws_s3_bucket_versioning', (x) => x.bucket, bucket).some((v) => v.body.versioning_configuration?.status === 'Enabled');
    const lifecycle = tf.referrers('aws_s3_bucket_lifecycle_configuration', (x) => x.bucket, bucket).length > 0;
    const lines = [[versioned ? 'versioned' : '', lifecycle ? 'lifecycle rules' : ''].filter(Boolean).join(' · ')].filter(Boolean);
    b.addNode({ id: `bucket:${name}`, group: 'data', kind: 'S3 bucket', title: b.short(name), lines, shape: 'cylinder' }, bucket.address);
  }

  for (const fs of tf.all('aws_efs_file_system')) {
    const name = b.nameOf(fs, 'creation_token');
    const points = tf.referrers('aws_efs_access_point', (x) => x.file_system_id, fs);
    const paths = points.map((p) => literal(p.body.root_directory?.path) ?? '/').sort();
    const lines = [[fs.body.encrypted ? 'encrypted' : 'not encrypted', literal(fs.body.throughput_mode) ?? ''].filter(Boolean).join(' · '), paths.length ? `access points: ${paths.join(', ')}` : ''].filter(Boolean);
    b.addNode({ id: `efs:${name}`, group: 'data', kind: 'EFS file system', title: b.short(name), lines, shape: 'cylinder' }, fs.address, ...points.map((p) => p.address));
  }

  for (const table of tf.all('aws_dynamodb_table')) {
    const name = b.nameOf(table);
    const keys = [literal(table.body.hash_key), literal(table.body.range_key)].filter(Boolean).join(' + ');
    const gsi = list(table.body.global_secondary_index).length;
    const lines = [keys ? `key: ${keys}` : '', [table.body.billing_mode === 'PROVISIONED' ? 'provisioned' : 'on demand', gsi ? plural(gsi, 'index', 'indexes') : '', table.body.stream_enabled ? 'stream' : ''].filter(Boolean).join(' · ')].filter(Boolean);
    b.addNode({ id: `table:${name}`, group: 'data', kind: 'DynamoDB table', title: b.short(name), lines, shape: 'cylinder' }, table.address);
  }

  const queues = tf.all('aws_sqs_queue');
  const deadLetter = new Map<string, Resource>(); // dlq address -> source queue
  for (const q of queues) {
    const policy = decoded(q.body.redrive_policy);
    const dlq = policy ? tf.ref(policy.deadLetterTargetArn, 'aws_sqs_queue') : undefined;
    if (dlq) deadLetter.set(dlq.address, q);
  }
  for (const q of queues) {
    const name = b.nameOf(q, 'name_prefix');
    const dlq = deadLetter.has(q.address);
    const lines = [[q.body.fifo_queue ? 'FIFO' : '', q.body.visibility_timeout_seconds !== undefined && !dlq ? `visibility ${q.body.visibility_timeout_seconds} s` : ''].filter(Boolean).join(' · ')].filter(Boolean);
    b.addNode({ id: `queue:${name}`, group: 'data', kind: dlq ? 'SQS dead-letter queue' : 'SQS queue', title: b.short(name), lines }, q.address);
  }
  for (const q of queues) {
    const policy = decoded(q.body.redrive_policy);
    if (policy) b.addEdge(b.alias.get(q.address), b.nodeOf(policy.deadLetterTargetArn), 'redrive', `after ${policy.maxReceiveCount ?? '?'} receives`);
  }

  // Topics the alarms notify belong to observability.
  const alarmTopics = new Set(tf.all('aws_cloudwatch_metric_alarm').flatMap((a) => tf.refs([a.body.alarm_actions, a.body.ok_actions], 'aws_sns_topic').map((t) => t.address)));
  for (const topic of tf.all('aws_sns_topic')) {
    const name = b.nameOf(topic, 'name_prefix');
    const subs = tf.referrers('aws_sns_topic_subscription', (x) => x.topic_arn, topic);
    const email = subs.filter((s) => s.body.protocol === 'email').length;
    const lines = [[topic.body.kms_master_key_id ? 'encrypted' : '', email ? plural(email, 'e-mail subscription') : ''].filter(Boolean).join(' · ')].filter(Boolean);
    const alarms = alarmTopics.has(topic.address);
    b.addNode({ id: `topic:${name}`, group: alarms ? 'observability' : 'data', kind: alarms ? 'SNS topic (alarms)' : 'SNS topic', title: b.short(name), lines }, topic.address);
  }

  for (const secret of tf.all('aws_secretsmanager_secret')) {
    const name = b.nameOf(secret, 'name_prefix');
    b.addNode({ id: `secret:${name}`, group: 'data', kind: 'Secrets Manager secret', title: b.short(name), lines: [] }, secret.address);
  }

  const repos = tf.all('aws_ecr_repository');
  if (repos.length) {
    const names = repos.map((r) => b.nameOf(r)).sort();
    const slash = names.map((n) => n.lastIndexOf('/'));
    const prefix = slash[0] > 0 && names.every((n, i) => slash[i] === slash[0] && n.slice(0, slash[0]) === names[0].slice(0, slash[0])) ? names[0].slice(0, slash[0] + 1) : '';
    const mutability = [...new Set(repos.map((r) => literal(r.body.image_tag_mutability) ?? 'MUTABLE'))].sort().map((m) => m.toLowerCase().replace('_', ' ') + ' tags');
    const lines = [...(prefix ? [prefix] : []), ...wrap(names.map((n) => n.slice(prefix.length)), ''), mutability.join(', ')];
    b.addNode({ id: 'ecr', group: 'data', kind: 'ECR', title: plural(repos.length, 'repository', 'repositories'), lines, shape: 'folder' }, ...repos.map((r) => r.address));
  }
}

// ===== Compute =====

function addCompute(b: DiagramBuilder): void {
  addEcs(b);
  addLambda(b);
  addBatch(b);
}

function containersOf(td: Resource | undefined): Body[] {
  const defs = td ? decoded(td.body.container_definitions) : undefined;
  return Array.isArray(defs) ? defs : [];
}

/** `0.5 vCPU · 1 GiB · 1 GPU` of a task definition. */
function taskSize(td: Resource | undefined): string {
  if (!td) return '';
  const containers = containersOf(td);
  const sum = (f: (c: Body) => unknown) => containers.reduce((n, c) => n + (Number(f(c)) || 0), 0);
  const gpus = containers.reduce((n, c) => n + list<Body>(c.resourceRequirements).filter((r) => r.type === 'GPU').reduce((m, r) => m + Number(r.value), 0), 0);
  return [vcpu(td.body.cpu ?? sum((c) => c.cpu)), mib(td.body.memory ?? sum((c) => c.memory ?? c.memoryReservation)), gpus ? plural(gpus, 'GPU') : ''].filter(Boolean).join(' · ');
}

/** Other containers of the task (sidecars), as a line. */
function sidecars(td: Resource | undefined, main?: string): string {
  const names = containersOf(td)
    .map((c) => String(c.name))
    .filter((n) => n !== main)
    .sort();
  return names.length ? `+ ${names.join(', ')}` : '';
}

function instanceTypes(b: DiagramBuilder, asg: Resource): string[] {
  const mixed = asg.body.mixed_instances_policy?.launch_template;
  const overrides = list<Body>(mixed?.override)
    .map((o) => literal(o.instance_type))
    .filter((t): t is string => !!t);
  if (overrides.length) return overrides;
  const lt = b.tf.ref([asg.body.launch_template, mixed?.launch_template_specification], 'aws_launch_template');
  const t = lt ? literal(lt.body.instance_type) : undefined;
  return t ? [t] : [];
}

/** `Fargate Spot 80% · Fargate 20% (base 1)`, or the EC2 capacity provider with its instances. */
function capacityText(b: DiagramBuilder, strategy: Body[], launchType: unknown): string[] {
  if (!strategy.length) return literal(launchType) ? [literal(launchType) === 'FARGATE' ? 'Fargate' : String(launchType)] : [];
  const total = strategy.reduce((n, s) => n + (Number(s.weight) || 0), 0);
  const items = [...strategy].sort((x, y) => (Number(y.weight) || 0) - (Number(x.weight) || 0) || byKey(String(x.capacity_provider), String(y.capacity_provider)));
  return items.map((s) => {
    const provider = b.tf.ref(s.capacity_provider, 'aws_ecs_capacity_provider');
    let name: string;
    if (provider) {
      const asg = b.tf.ref(provider.body.auto_scaling_group_provider?.auto_scaling_group_arn, 'aws_autoscaling_group');
      const spot = asg?.body.mixed_instances_policy?.instances_distribution;
      const types = asg ? instanceTypes(b, asg) : [];
      name = `EC2 ${b.short(b.nameOf(provider))}: ${types.join(', ') || '?'}${spot ? ' (spot)' : ''}${asg ? `, ${asg.body.min_size}..${asg.body.max_size} instances` : ''}`;
    } else {
      const raw = String(s.capacity_provider);
      name = raw === 'FARGATE' ? 'Fargate' : raw === 'FARGATE_SPOT' ? 'Fargate Spot' : raw;
    }
    const share = total > 0 && items.length > 1 ? ` ${Math.round(((Number(s.weight) || 0) / total) * 100)}%` : '';
    const base = Number(s.base) > 0 && items.length > 1 ? ` (base ${s.base})` : '';
    return `${name}${share}${base}`;
  });
}

function addEcs(b: DiagramBuilder): void {
  const { tf } = b;
  const clusters = tf.all('aws_ecs_cluster');
  for (const c of clusters) {
    const name = b.nameOf(c);
    const namespaces = tf.refs(c.body.service_connect_defaults, 'aws_service_discovery_private_dns_namespace').map((n) => b.nameOf(n));
    b.subClusters.set(c.address, `ECS cluster ${name}${namespaces.length ? ` · Cloud Map ${namespaces.join(', ')}` : ''}`);
  }
  const defaults = new Map<string, Body[]>();
  for (const cp of tf.all('aws_ecs_cluster_capacity_providers')) {
    const cluster = tf.ref(cp.body.cluster_name, 'aws_ecs_cluster');
    if (cluster) defaults.set(cluster.address, list(cp.body.default_capacity_provider_strategy));
  }

  const usedTaskDefinitions = new Set<string>();
  for (const svc of tf.all('aws_ecs_service')) {
    const cluster = tf.ref(svc.body.cluster, 'aws_ecs_cluster');
    const td = tf.ref(svc.body.task_definition, 'aws_ecs_task_definition');
    if (td) usedTaskDefinitions.add(td.address);
    const name = b.nameOf(svc);
    const scaling = tf.all('aws_appautoscaling_target').find((t) => tf.refs(t.body.resource_id).some((r) => r.address === svc.address));
    const tasks = scaling ? `tasks ${scaling.body.min_capacity}..${scaling.body.max_capacity}` : svc.body.scheduling_strategy === 'DAEMON' ? 'one task per instance' : `tasks ${svc.body.desired_count ?? 0}`;
    const strategy = list<Body>(svc.body.capacity_provider_strategy);
    const capacity = capacityText(b, strategy.length || svc.body.launch_type ? strategy : (cluster && defaults.get(cluster.address)) || [], svc.body.launch_type);
    const main = list<Body>(svc.body.load_balancer)[0]?.container_name;
    const lines = [[taskSize(td), tasks].filter(Boolean).join(' · '), ...capacity, sidecars(td, main ?? containersOf(td)[0]?.name)].filter(Boolean);
    const registries = tf.refs(svc.body.service_registries, 'aws_service_discovery_service');
    const id = b.addNode(
      { id: `service:${b.short(name)}`, group: 'compute', sub: cluster?.address, kind: 'ECS service', title: b.short(name), lines },
      svc.address,
      ...(td ? [td.address] : []),
      ...registries.map((r) => r.address),
      ...(scaling ? [scaling.address] : []),
    );
    ownRoles(b, id, td ? [td.body.task_role_arn, td.body.execution_role_arn] : []);
    for (const sg of tf.refs(svc.body.network_configuration?.security_groups, 'aws_security_group')) b.securityGroupOwner.set(sg.address, id);
    // Mounted file systems.
    mounts(b, id, td);
  }

  // Task definitions no service runs: tasks started on demand (`aws ecs run-task`) or by a schedule.
  const batchDefinitions = new Set(tf.all('aws_batch_job_definition').map((j) => j.address));
  for (const td of tf.all('aws_ecs_task_definition')) {
    if (usedTaskDefinitions.has(td.address) || batchDefinitions.has(td.address)) continue;
    const family = b.nameOf(td, 'family');
    const lines = [taskSize(td), sidecars(td, containersOf(td)[0]?.name)].filter(Boolean);
    const id = b.addNode({ id: `task:${b.short(family)}`, group: 'compute', sub: clusters.length === 1 ? clusters[0].address : undefined, kind: 'ECS task (run on demand)', title: b.short(family), lines }, td.address);
    ownRoles(b, id, [td.body.task_role_arn, td.body.execution_role_arn]);
    mounts(b, id, td);
  }
}

/** EFS volumes of a task definition: read/write unless every container mounts them read-only. */
function mounts(b: DiagramBuilder, id: string, td: Resource | undefined): void {
  const points = containersOf(td).flatMap((c) => list<Body>(c.mountPoints));
  for (const v of list<Body>(td?.body.volume)) {
    const target = b.nodeOf(v.efs_volume_configuration?.file_system_id);
    b.addEdge(id, target, 'access', 'mount');
    if (points.some((p) => p.sourceVolume === v.name && !p.readOnly)) b.addEdge(id, target, 'access', 'write');
  }
}

function ownRoles(b: DiagramBuilder, id: string, values: unknown[]): void {
  for (const role of b.tf.refs(values, 'aws_iam_role')) if (!b.roleOwner.has(role.address)) b.roleOwner.set(role.address, id);
}

function addLambda(b: DiagramBuilder): void {
  const { tf } = b;
  for (const fn of tf.all('aws_lambda_function')) {
    const name = b.nameOf(fn, 'function_name');
    const aliases = tf.referrers('aws_lambda_alias', (x) => x.function_name, fn);
    const provisioned = tf.all('aws_lambda_provisioned_concurrency_config').filter((p) => tf.refs([p.body.function_name, p.body.qualifier]).some((r) => r.address === fn.address || aliases.some((a) => a.address === r.address)));
    const concurrency = [
      provisioned.length ? `provisioned ${provisioned.map((p) => p.body.provisioned_concurrent_executions).join('+')}` : '',
      fn.body.reserved_concurrent_executions !== undefined && fn.body.reserved_concurrent_executions >= 0 ? `reserved ${fn.body.reserved_concurrent_executions}` : '',
    ].filter(Boolean);
    const lines = [
      `${fn.body.memory_size ?? 128} MB · ${fn.body.timeout ?? 3} s timeout`,
      [literal(fn.body.runtime) ?? (fn.body.package_type === 'Image' ? 'container image' : ''), fn.body.vpc_config ? 'in VPC' : ''].filter(Boolean).join(' · '),
      concurrency.length ? `concurrency: ${concurrency.join(', ')}` : '',
    ].filter(Boolean);
    const id = b.addNode({ id: `lambda:${b.short(name)}`, group: 'compute', kind: 'Lambda function', title: b.short(name), lines }, fn.address, ...aliases.map((a) => a.address));
    ownRoles(b, id, [fn.body.role]);
    for (const sg of tf.refs(fn.body.vpc_config?.security_group_ids, 'aws_security_group')) b.securityGroupOwner.set(sg.address, id);
    b.addEdge(id, b.nodeOf(fn.body.file_system_config?.arn), 'access', 'mount');
  }
}

function addBatch(b: DiagramBuilder): void {
  const { tf } = b;
  const environments = tf.all('aws_batch_compute_environment');
  const definitions = tf.all('aws_batch_job_definition');
  for (const ce of environments) {
    const name = b.nameOf(ce, 'compute_environment_name', 'compute_environment_name_prefix').replace(/-$/, '');
    const res = ce.body.compute_resources ?? {};
    const types = list<string>(res.instance_type).map((t) => literal(t) ?? '?');
    const queues = tf.all('aws_batch_job_queue').filter((q) => tf.refs(q.body.compute_environment_order ?? q.body.compute_environments).some((r) => r.address === ce.address));
    const jobs = environments.length === 1 ? definitions : [];
    const jobLines = jobs.map((j) => {
      const props = decoded(j.body.container_properties) ?? {};
      const req = (type: string) => list<Body>(props.resourceRequirements).find((r) => r.type === type)?.value;
      return `job ${b.short(b.nameOf(j))}: ${[req('VCPU') ? `${req('VCPU')} vCPU` : '', mib(req('MEMORY')) ?? '', req('GPU') ? plural(Number(req('GPU')), 'GPU') : ''].filter(Boolean).join(' · ')}`;
    });
    const lines = [
      `${literal(res.type) ?? ce.body.type ?? ''}${types.length ? `: ${types.join(', ')}` : ''}`,
      `${res.min_vcpus ?? 0}..${res.max_vcpus ?? '?'} vCPUs`,
      queues.length ? `job queue: ${queues.map((q) => b.short(b.nameOf(q))).join(', ')}` : '',
      ...jobLines,
    ].filter(Boolean);
    const id = b.addNode({ id: `batch:${b.short(name)}`, group: 'compute', kind: 'Batch compute environment', title: b.short(name), lines }, ce.address, ...queues.map((q) => q.address), ...jobs.map((j) => j.address));
    for (const j of jobs) {
      const props = decoded(j.body.container_properties) ?? {};
      ownRoles(b, id, [props.jobRoleArn, props.executionRoleArn]);
    }
    for (const sg of tf.refs(res.security_group_ids, 'aws_security_group')) b.securityGroupOwner.set(sg.address, id);
  }
}

// ===== Edge =====

function addEdge(b: DiagramBuilder): void {
  const { tf } = b;
  const entries = new Set<string>();

  // WAF web ACLs, first: what they protect links to them.
  const protectedBy = new Map<string, string>(); // resource address -> web ACL node
  for (const acl of tf.all('aws_wafv2_web_acl')) {
    const name = b.nameOf(acl);
    const rules = list<Body>(acl.body.rule);
    const managed = rules.filter((r) => r.statement?.managed_rule_group_statement).length;
    const rate = rules.filter((r) => r.statement?.rate_based_statement).map((r) => `rate limit ${r.statement.rate_based_statement.limit}/5 min`);
    const lines = [[literal(acl.body.scope) ?? '', plural(rules.length, 'rule')].filter(Boolean).join(' · '), managed ? plural(managed, 'AWS managed group') : '', ...rate].filter(Boolean);
    const id = b.addNode({ id: `waf:${name}`, group: 'edge', kind: 'WAF web ACL', title: b.short(name), lines }, acl.address);
    for (const assoc of tf.referrers('aws_wafv2_web_acl_association', (x) => x.web_acl_arn, acl)) {
      const target = tf.ref(assoc.body.resource_arn);
      if (target) protectedBy.set(target.address, id);
    }
  }
  for (const dist of tf.all('aws_cloudfront_distribution')) {
    const acl = tf.ref(dist.body.web_acl_id, 'aws_wafv2_web_acl');
    if (acl) protectedBy.set(dist.address, b.alias.get(acl.address)!);
  }
  /** Internet (or WAF) -> entry. */
  const enter = (id: string, ...addresses: string[]) => {
    const waf = addresses.map((a) => protectedBy.get(a)).find(Boolean);
    if (waf) {
      entries.add(waf);
      b.addEdge(waf, id, 'traffic');
    } else entries.add(id);
  };

  // CloudFront distributions and their origins.
  const originOf = new Set<string>();
  for (const dist of tf.all('aws_cloudfront_distribution')) {
    const aliases = list<string>(dist.body.aliases).map((a) => literal(a) ?? '').filter(Boolean).sort();
    const origins = list<Body>(dist.body.origin);
    const lines = [aliases.length ? aliases.join(', ') : '', plural(origins.length, 'origin'), literal(dist.body.price_class) ?? ''].filter(Boolean);
    const name = aliases[0] ?? literal(dist.body.comment) ?? dist.name;
    const id = b.addNode({ id: `cloudfront:${name}`, group: 'edge', kind: 'CloudFront distribution', title: name, lines }, dist.address);
    enter(id, dist.address);
    for (const o of origins) for (const r of tf.refs(o.domain_name)) originOf.add(r.address);
    for (const o of origins) b.addEdge(id, b.nodeOf(o.domain_name) ?? undefined, 'traffic', literal(o.origin_id));
  }

  // Load balancers: listeners in the label, one route node per target group, target groups.
  const tgNodes = new Map<string, string>();
  for (const tg of tf.all('aws_lb_target_group')) {
    const name = b.nameOf(tg, 'name_prefix');
    const hc = tg.body.health_check ?? {};
    const lines = [`${tg.body.protocol ?? ''} :${tg.body.port ?? '?'} · ${tg.body.target_type ?? 'instance'} targets`, hc.path ? `health ${hc.path}` : ''].filter(Boolean);
    tgNodes.set(tg.address, b.addNode({ id: `target-group:${b.short(name)}`, group: 'edge', kind: 'Target group', title: b.short(name), lines }, tg.address));
  }
  for (const svc of tf.all('aws_ecs_service')) {
    for (const lb of list<Body>(svc.body.load_balancer)) b.addEdge(b.nodeOf(lb.target_group_arn), b.alias.get(svc.address), 'traffic', lb.container_port ? `:${lb.container_port}` : undefined);
  }
  for (const att of tf.all('aws_lb_target_group_attachment')) b.addEdge(b.nodeOf(att.body.target_group_arn), b.nodeOf(att.body.target_id), 'traffic');

  for (const lb of tf.all('aws_lb')) {
    const name = b.nameOf(lb, 'name_prefix');
    const listeners = tf.referrers('aws_lb_listener', (x) => x.load_balancer_arn, lb);
    const listenerText = (l: Resource) => `${l.body.protocol ?? ''} :${l.body.port ?? '?'}`;
    const lines = [`${lb.body.internal ? 'internal' : 'internet-facing'}${lb.body.load_balancer_type && lb.body.load_balancer_type !== 'application' ? ` · ${lb.body.load_balancer_type}` : ''}`];
    // route node per target group: its conditions, in priority order
    const routes = new Map<string, { lines: string[]; listeners: Set<string> }>();
    const route = (tgRef: unknown, listener: Resource, text: string) => {
      for (const tg of tf.refs(tgRef, 'aws_lb_target_group')) {
        const r = routes.get(tg.address) ?? { lines: [], listeners: new Set<string>() };
        r.lines.push(text);
        r.listeners.add(listenerText(listener));
        routes.set(tg.address, r);
      }
    };
    for (const l of listeners) {
      const actions = list<Body>(l.body.default_action);
      const redirect = actions.find((a) => a.type === 'redirect');
      const fixed = actions.find((a) => a.type === 'fixed-response');
      const tls = literal(l.body.ssl_policy);
      lines.push(`${listenerText(l)}${redirect ? ` → ${redirect.redirect?.protocol ?? ''} :${redirect.redirect?.port ?? ''}` : ''}${fixed ? ` · default ${fixed.fixed_response?.status_code ?? ''}` : ''}${tls ? ` · ${tls.replace(/^ELBSecurityPolicy-/, '')}` : ''}`);
      for (const a of actions.filter((x) => x.type === 'forward')) route([a.target_group_arn, a.forward], l, 'any path (default)');
      const rules = tf.referrers('aws_lb_listener_rule', (x) => x.listener_arn, l).sort((x, y) => (Number(x.body.priority) || 0) - (Number(y.body.priority) || 0) || byKey(x.address, y.address));
      for (const rule of rules) {
        const conditions = list<Body>(rule.body.condition).flatMap((c) => [...list<string>(c.path_pattern?.values), ...list<string>(c.host_header?.values)]);
        for (const a of list<Body>(rule.body.action).filter((x) => x.type === 'forward')) route([a.target_group_arn, a.forward], l, conditions.join(', ') || `rule ${rule.body.priority}`);
      }
    }
    const id = b.addNode({ id: `lb:${b.short(name)}`, group: 'edge', kind: lb.body.load_balancer_type === 'network' ? 'Network Load Balancer' : 'Application Load Balancer', title: b.short(name), lines }, lb.address, ...listeners.map((l) => l.address));
    if (!lb.body.internal && !originOf.has(lb.address)) enter(id, lb.address);
    const listenerCount = new Set([...routes.values()].flatMap((r) => [...r.listeners])).size;
    for (const tgAddress of [...routes.keys()].sort()) {
      const r = routes.get(tgAddress)!;
      const prefix = listenerCount > 1 ? `${[...r.listeners].sort().join(', ')}: ` : '';
      const tgName = tf.get(tgAddress) ? b.short(b.nameOf(tf.get(tgAddress)!, 'name_prefix')) : tgAddress;
      const routeId = b.addNode({ id: `route:${b.short(name)}:${tgName}`, group: 'edge', kind: 'Route', title: prefix + r.lines[0], lines: r.lines.slice(1), shape: 'note' });
      b.addEdge(id, routeId, 'traffic');
      b.addEdge(routeId, tgNodes.get(tgAddress), 'traffic');
    }
  }

  // VPC links (HTTP APIs: aws_apigatewayv2_vpc_link; REST APIs: aws_api_gateway_vpc_link to NLBs).
  for (const link of tf.all('aws_apigatewayv2_vpc_link')) {
    b.addNode({ id: `vpc-link:${b.nameOf(link)}`, group: 'edge', kind: 'VPC link', title: b.short(b.nameOf(link)), lines: [], shape: 'cds' }, link.address);
  }
  for (const link of tf.all('aws_api_gateway_vpc_link')) {
    const id = b.addNode({ id: `vpc-link:${b.nameOf(link)}`, group: 'edge', kind: 'VPC link', title: b.short(b.nameOf(link)), lines: [], shape: 'cds' }, link.address);
    b.addEdge(id, b.nodeOf(link.body.target_arns), 'traffic');
  }

  // HTTP (and WebSocket) APIs.
  for (const api of tf.all('aws_apigatewayv2_api')) {
    const name = b.nameOf(api);
    const stages = tf.referrers('aws_apigatewayv2_stage', (x) => x.api_id, api);
    const throttle = stages.map((s) => s.body.default_route_settings).find((s) => s?.throttling_rate_limit !== undefined);
    const lines = [
      stages.length ? `stage ${stages.map((s) => literal(s.body.name) ?? '?').join(', ')}` : '',
      api.body.cors_configuration ? 'CORS' : '',
      throttle ? `throttle ${throttle.throttling_rate_limit}/s (burst ${throttle.throttling_burst_limit})` : '',
    ].filter(Boolean);
    const id = b.addNode({ id: `api:${name}`, group: 'edge', kind: `API Gateway ${literal(api.body.protocol_type) ?? 'HTTP'} API`, title: b.short(name), lines }, api.address, ...stages.map((s) => s.address));
    enter(id, api.address, ...stages.map((s) => s.address));
    const groups = new Map<string, string[]>(); // integration address -> route keys
    for (const r of tf.referrers('aws_apigatewayv2_route', (x) => x.api_id, api)) {
      const integration = tf.ref(r.body.target, 'aws_apigatewayv2_integration');
      const key = integration?.address ?? '';
      groups.set(key, [...(groups.get(key) ?? []), literal(r.body.route_key) ?? '?']);
    }
    for (const key of [...groups.keys()].sort()) {
      const integration = tf.get(key);
      const routeKeys = groups.get(key)!.sort();
      const target = integration ? integrationTarget(b, integration.body.integration_uri, integration.body.connection_id) : undefined;
      addRoutes(b, id, `route:${name}:${target ?? key}`, routeKeys, integration?.body.connection_id, integration?.body.integration_uri);
    }
  }

  // REST APIs: paths from the resource tree, methods grouped by what answers them.
  for (const api of tf.all('aws_api_gateway_rest_api')) {
    const name = b.nameOf(api);
    const stages = tf.referrers('aws_api_gateway_stage', (x) => x.rest_api_id, api);
    const plans = tf.all('aws_api_gateway_usage_plan').filter((p) => tf.refs(p.body.api_stages).some((r) => r.address === api.address));
    const endpoint = list<string>(api.body.endpoint_configuration?.types)[0];
    const lines = [
      [endpoint ? endpoint.toLowerCase() : '', stages.length ? `stage ${stages.map((s) => literal(s.body.stage_name) ?? '?').join(', ')}` : ''].filter(Boolean).join(' · '),
      plans.length ? 'API key + usage plan' : '',
    ].filter(Boolean);
    const id = b.addNode({ id: `api:${name}`, group: 'edge', kind: 'API Gateway REST API', title: b.short(name), lines }, api.address, ...stages.map((s) => s.address));
    if (endpoint !== 'PRIVATE') enter(id, api.address, ...stages.map((s) => s.address));
    const path = (resourceRef: unknown): string => {
      const parts: string[] = [];
      for (let r = tf.ref(resourceRef, 'aws_api_gateway_resource'), guard = 0; r && guard < 50; r = tf.ref(r.body.parent_id, 'aws_api_gateway_resource'), guard++) parts.unshift(String(r.body.path_part));
      return `/${parts.join('/')}`;
    };
    const groups = new Map<string, { routes: string[]; integration: Resource }>();
    for (const integration of tf.referrers('aws_api_gateway_integration', (x) => x.rest_api_id, api)) {
      if (integration.body.type === 'MOCK') continue; // CORS preflight answers
      const method = tf.ref(integration.body.http_method, 'aws_api_gateway_method');
      const verb = method ? literal(method.body.http_method) : literal(integration.body.http_method);
      if (verb === 'OPTIONS') continue;
      const target = integrationTarget(b, integration.body.uri, integration.body.connection_id) ?? integration.address;
      const g = groups.get(target) ?? { routes: [], integration };
      g.routes.push(`${verb ?? '?'} ${path(integration.body.resource_id)}`);
      groups.set(target, g);
    }
    for (const target of [...groups.keys()].sort()) {
      const g = groups.get(target)!;
      addRoutes(b, id, `route:${name}:${target}`, g.routes.sort(), g.integration.body.connection_id, g.integration.body.uri);
    }
  }

  // Lambda function URLs are entries too.
  for (const url of tf.all('aws_lambda_function_url')) {
    const fn = b.nodeOf(url.body.function_name);
    if (fn && url.body.authorization_type === 'NONE') entries.add(fn);
  }

  if (entries.size) {
    b.addNode({ id: INTERNET, group: 'clients', kind: '', title: 'Internet / clients', lines: [], shape: 'oval' });
    for (const e of [...entries].sort()) b.addEdge(INTERNET, e, 'traffic');
  }
}

/** The node an API integration ends at: through its VPC link when it has one. */
function integrationTarget(b: DiagramBuilder, uri: unknown, connection: unknown): string | undefined {
  return b.nodeOf(uri) ?? b.nodeOf(connection);
}

/** A route node (route keys of one integration) between an API and what answers. */
function addRoutes(b: DiagramBuilder, api: string, id: string, routes: readonly string[], connection: unknown, uri: unknown): void {
  const routeId = b.addNode({ id, group: 'edge', kind: 'Routes', title: routes[0] ?? '', lines: routes.slice(1), shape: 'note' });
  b.addEdge(api, routeId, 'traffic');
  const link = b.nodeOf(connection);
  const target = b.nodeOf(uri);
  if (link) {
    b.addEdge(routeId, link, 'traffic');
    b.addEdge(link, target, 'traffic');
  } else b.addEdge(routeId, target, 'traffic');
}

// ===== Observability =====

function addObservability(b: DiagramBuilder): void {
  const { tf } = b;
  for (const d of tf.all('aws_cloudwatch_dashboard')) {
    const body = decoded(d.body.dashboard_body);
    const widgets = Array.isArray(body?.widgets) ? body.widgets.length : 0;
    const name = b.nameOf(d, 'dashboard_name');
    b.addNode({ id: `dashboard:${name}`, group: 'observability', kind: 'CloudWatch dashboard', title: b.short(name), lines: widgets ? [plural(widgets, 'widget')] : [] }, d.address);
  }
  const alarms = [...tf.all('aws_cloudwatch_metric_alarm'), ...tf.all('aws_cloudwatch_composite_alarm')];
  if (alarms.length) {
    const id = b.addNode({ id: 'alarms', group: 'observability', kind: 'CloudWatch alarms', title: plural(alarms.length, 'alarm'), lines: [] }, ...alarms.map((a) => a.address));
    for (const a of alarms) for (const t of tf.refs([a.body.alarm_actions, a.body.ok_actions, a.body.insufficient_data_actions])) b.addEdge(id, b.alias.get(t.address), 'notify', 'notify');
  }
}

// ===== Access: compute -> data, compute -> compute, triggers =====

function addAccess(b: DiagramBuilder): void {
  const { tf } = b;
  // IAM statements of the roles of compute nodes.
  const policiesOf = (role: Resource): unknown[] => {
    const docs: unknown[] = list<Body>(role.body.inline_policy).map((p) => p.policy);
    for (const p of tf.referrers('aws_iam_role_policy', (x) => x.role, role)) docs.push(p.body.policy);
    for (const att of tf.referrers('aws_iam_role_policy_attachment', (x) => x.role, role)) {
      const policy = tf.ref(att.body.policy_arn, 'aws_iam_policy');
      if (policy) docs.push(policy.body.policy);
    }
    return docs;
  };
  for (const roleAddress of [...b.roleOwner.keys()].sort()) {
    const owner = b.roleOwner.get(roleAddress)!;
    const role = tf.get(roleAddress)!;
    for (const doc of policiesOf(role)) {
      const policy = decoded(doc);
      for (const st of list<Body>(policy?.Statement)) {
        if (st.Effect !== 'Allow') continue;
        const verbs = accessOf(list<string>(st.Action));
        for (const r of tf.refs(st.Resource)) {
          const target = b.alias.get(r.address);
          if (!target || target === owner) continue;
          for (const v of verbs.length ? verbs : ['access']) b.addEdge(owner, target, 'access', v);
        }
      }
    }
  }
  // Container secrets.
  for (const td of tf.all('aws_ecs_task_definition')) {
    const owner = b.alias.get(td.address);
    for (const c of containersOf(td)) for (const s of list<Body>(c.secrets)) b.addEdge(owner, b.nodeOf(s.valueFrom), 'access', 'read');
  }
  // Security group rules between compute nodes: who calls whom.
  for (const rule of [...tf.all('aws_vpc_security_group_ingress_rule'), ...tf.all('aws_security_group_rule').filter((r) => r.body.type === 'ingress')]) {
    const to = tf.ref(rule.body.security_group_id, 'aws_security_group');
    const from = tf.ref([rule.body.referenced_security_group_id, rule.body.source_security_group_id], 'aws_security_group');
    if (!to || !from) continue;
    const a = b.securityGroupOwner.get(from.address);
    const z = b.securityGroupOwner.get(to.address);
    if (a && z) b.addEdge(a, z, 'traffic', rule.body.from_port === rule.body.to_port && rule.body.from_port !== undefined ? `:${rule.body.from_port}` : undefined);
  }
  // Event sources: a queue or stream feeding a function.
  for (const m of tf.all('aws_lambda_event_source_mapping')) b.addEdge(b.nodeOf(m.body.function_name), b.nodeOf(m.body.event_source_arn), 'access', 'consume');
  // Topic subscriptions and bucket notifications.
  for (const s of tf.all('aws_sns_topic_subscription')) b.addEdge(b.nodeOf(s.body.topic_arn), b.nodeOf(s.body.endpoint), 'trigger', literal(s.body.protocol));
  for (const n of tf.all('aws_s3_bucket_notification')) {
    const from = b.nodeOf(n.body.bucket);
    for (const q of list<Body>(n.body.queue)) b.addEdge(from, b.nodeOf(q.queue_arn), 'trigger', 'notify');
    for (const t of list<Body>(n.body.topic)) b.addEdge(from, b.nodeOf(t.topic_arn), 'trigger', 'notify');
    for (const f of list<Body>(n.body.lambda_function)) b.addEdge(from, b.nodeOf(f.lambda_function_arn), 'trigger', 'notify');
  }
}

// ===== DOT =====

function html(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function quote(s: string): string {
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

function nodeLabel(n: GraphNode): string {
  const parts: string[] = [];
  if (n.kind) parts.push(`<FONT POINT-SIZE="9" COLOR="#545B64">${html(n.kind)}</FONT>`);
  parts.push(`<B>${html(n.title)}</B>`);
  for (const l of n.lines) parts.push(html(l));
  return `<${parts.join('<BR/>')}>`;
}

const EDGE_STYLES: Record<EdgeStyle, string> = {
  traffic: 'color="#232F3E", penwidth=1.2',
  access: 'color="#3F8624", fontcolor="#3F8624"',
  redrive: 'color="#BF0816", fontcolor="#BF0816", style=dashed',
  trigger: 'color="#8C4FFF", fontcolor="#8C4FFF", style=dashed',
  notify: 'color="#E7157B", fontcolor="#E7157B", style=dashed',
};

function render(b: DiagramBuilder, title: string): string {
  const nodes = [...b.nodes.values()].sort((x, y) => byKey(x.id, y.id));
  const edges = [...b.edges.values()].sort((x, y) => byKey(x.from, y.from) || byKey(x.to, y.to));
  const out: string[] = [];
  const prefixes = [...b.shortened].sort().map((p) => `"${p}-"`);
  const titleLabel = `<B>${html(title)}</B><BR ALIGN="LEFT"/>${prefixes.length ? `<FONT POINT-SIZE="9" COLOR="#545B64">names shown without the prefix ${html(prefixes.join(', '))}</FONT><BR ALIGN="LEFT"/>` : ''}`;
  out.push(`digraph ${quote(title)} {`);
  out.push(`  graph [rankdir=TB, newrank=true, compound=true, fontname=${quote(FONT)}, fontsize=12, labelloc=t, labeljust=l, nodesep=0.3, ranksep=0.5, pad=0.3, bgcolor="white", label=<${titleLabel}>];`);
  out.push(`  node [shape=box, style="rounded,filled", fillcolor="white", color="#545B64", fontname=${quote(FONT)}, fontsize=10, margin="0.12,0.06"];`);
  out.push(`  edge [fontname=${quote(FONT)}, fontsize=9, arrowsize=0.7, color="#545B64"];`);
  const nodeLine = (n: GraphNode, indent: string) => `${indent}${quote(n.id)} [label=${nodeLabel(n)}${n.shape ? `, shape=${n.shape}` : ''}${n.shape && n.shape !== 'box' ? ', style=filled' : ''}];`;

  for (const n of nodes.filter((x) => x.group === 'clients')) out.push(nodeLine(n, '  ').replace('];', ', fillcolor="#F2F3F3"];'));
  for (const g of GROUPS) {
    const members = nodes.filter((n) => n.group === g.group);
    if (!members.length) continue;
    out.push(`  subgraph ${quote(`cluster_${g.group}`)} {`);
    out.push(`    label=<<B>${html(g.label)}</B>>; style="rounded,filled"; fillcolor=${quote(g.fill)}; color=${quote(g.line)}; fontcolor=${quote(g.line)};`);
    const subs = [...new Set(members.map((n) => n.sub).filter((s): s is string => !!s))].sort();
    for (const [i, sub] of subs.entries()) {
      out.push(`    subgraph ${quote(`cluster_${g.group}_${i + 1}`)} {`);
      out.push(`      label=${quote(b.subClusters.get(sub) ?? sub)}; style="rounded,dashed"; color=${quote(g.line)}; fontcolor="#232F3E";`);
      for (const n of members.filter((x) => x.sub === sub)) out.push(nodeLine(n, '      '));
      out.push('    }');
    }
    for (const n of members.filter((x) => !x.sub)) out.push(nodeLine(n, '    '));
    out.push('  }');
  }

  // Rows: data on one rank, network and observability on the last one, below everything else.
  const ids = (groups: string[]) => nodes.filter((n) => groups.includes(n.group)).map((n) => n.id);
  const data = ids(['data']);
  const bottom = ids(['network', 'observability']);
  if (data.length > 1) out.push(`  { rank=same; ${data.map(quote).join('; ')}; }`);
  if (bottom.length > 1) out.push(`  { rank=same; ${bottom.map(quote).join('; ')}; }`);
  // Invisible edges keep each tier below the previous one, also for nodes without edges.
  const tiers = [ids(['clients']), ids(['edge']), ids(['compute']), data, bottom];
  const incoming = new Set(edges.map((e) => e.to));
  const depth = depths(nodes.map((n) => n.id), edges);
  let above: string[] = [];
  for (const tier of tiers) {
    if (!tier.length) continue;
    if (above.length) {
      const anchor = [...above].sort((x, y) => (depth.get(y) ?? 0) - (depth.get(x) ?? 0) || byKey(x, y))[0];
      const loose = tier === data || tier === bottom ? [tier[0]] : tier.filter((id) => !incoming.has(id));
      for (const id of loose) out.push(`  ${quote(anchor)} -> ${quote(id)} [style=invis];`);
    }
    above = [...above, ...tier];
  }

  for (const e of edges) {
    const labels = [...e.labels].sort((x, y) => labelOrder(x) - labelOrder(y) || byKey(x, y));
    // A mount reads, and writes too unless it is read-only.
    const text = labels.includes('mount') ? [`mount ${labels.includes('write') ? 'read/write' : 'read-only'}`, ...labels.filter((l) => !['mount', 'read', 'write'].includes(l))] : labels;
    const label = text.length ? `, label=${quote(text.join('/'))}` : '';
    out.push(`  ${quote(e.from)} -> ${quote(e.to)} [${EDGE_STYLES[e.style]}${label}];`);
  }
  out.push('}');
  return `${out.join('\n')}\n`;
}

function labelOrder(l: string): number {
  const order = ['mount', 'read', 'write', 'send', 'consume', 'publish', 'submit', 'invoke'];
  const i = order.indexOf(l);
  return i < 0 ? order.length : i;
}

/** Longest path from a source to each node (cycles cut), to pick the deepest node of a tier. */
function depths(ids: readonly string[], edges: readonly GraphEdge[]): Map<string, number> {
  const out = new Map<string, number>();
  const next = new Map<string, string[]>();
  for (const e of edges) next.set(e.from, [...(next.get(e.from) ?? []), e.to]);
  const visiting = new Set<string>();
  const visit = (id: string, d: number): void => {
    if ((out.get(id) ?? -1) >= d || visiting.has(id)) return;
    out.set(id, d);
    visiting.add(id);
    for (const n of next.get(id) ?? []) visit(n, d + 1);
    visiting.delete(id);
  };
  for (const id of ids) visit(id, 0);
  return out;
}
