/**
 * The nodes of the network (one per VPC), data (buckets, file systems, tables, queues, topics,
 * secrets, ECR repositories as one node) and compute (ECS services inside their cluster, on-demand
 * task definitions, Lambda functions, Batch compute environments) parts of the picture, and the
 * dead-letter edges between queues.
 */
import { Body, Resource, blocks } from '../model';
import { DiagramBuilder, byKey, literal, plural } from './builder';

/** `items` joined, `prefix` on the first line, at most `perLine` per line. */
export function wrap(items: readonly string[], prefix: string, perLine = 4): string[] {
  const out: string[] = [];
  for (let i = 0; i < items.length; i += perLine) out.push((i === 0 ? prefix : '') + items.slice(i, i + perLine).join(', ') + (i + perLine < items.length ? ',' : ''));
  return out;
}

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

// ===== Network =====

/** One node per VPC: CIDR, zones, subnets, NAT gateways, endpoints, Cloud Map namespaces, flow logs. */
export function addNetwork(b: DiagramBuilder): void {
  const { model } = b;
  for (const vpc of model.resources('aws_vpc')) {
    const inVpc = (type: string, field = 'vpc_id') => model.referrers(type, field, vpc);
    const subnets = inVpc('aws_subnet');
    const zones = [...new Set(subnets.map((s) => literal(s.body.availability_zone)).filter((z): z is string => !!z))].sort();
    const kinds = new Map<string, number>();
    for (const s of subnets) {
      const kind = literal(s.body.tags?.Type) ?? 'other';
      kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
    }
    const subnetText = [...kinds.keys()].sort().map((k) => `${kinds.get(k)} ${k}`).join(' + ');
    const nats = model.resources('aws_nat_gateway').filter((n) => model.refsIn(n.body.subnet_id).some((s) => subnets.includes(s)));
    const endpoints = inVpc('aws_vpc_endpoint');
    const service = (e: Resource) => (literal(e.body.service_name) ?? e.name).replace(/^com\.amazonaws\.[a-z0-9-]+\./, '');
    const gateway = endpoints.filter((e) => e.body.vpc_endpoint_type === 'Gateway').map(service).sort();
    const iface = endpoints.filter((e) => e.body.vpc_endpoint_type !== 'Gateway').map(service).sort();
    const namespaces = inVpc('aws_service_discovery_private_dns_namespace', 'vpc').map((n) => b.nameOf(n));
    const lines = [
      literal(vpc.body.cidr_block) ?? '',
      zones.length ? `${plural(zones.length, 'zone')}: ${zones.join(', ')}` : '',
      subnetText ? `subnets: ${subnetText}` : '',
      `NAT gateways: ${nats.length}${inVpc('aws_internet_gateway').length ? ' · internet gateway' : ''}`,
      gateway.length ? `gateway endpoints: ${gateway.join(', ')}` : '',
      ...wrap(iface, 'interface endpoints: '),
      namespaces.length ? `Cloud Map: ${namespaces.sort().join(', ')}` : '',
      inVpc('aws_flow_log').length ? 'flow logs' : '',
    ].filter(Boolean);
    b.addNode({ id: `vpc:${b.nameOf(vpc)}`, group: 'network', kind: 'VPC', title: b.nameOf(vpc), lines });
  }
}

// ===== Data =====

function addStores(b: DiagramBuilder): void {
  const { model } = b;
  for (const bucket of model.resources('aws_s3_bucket')) {
    const name = b.nameOf(bucket, 'bucket', 'bucket_prefix');
    const versioned = model.referrers('aws_s3_bucket_versioning', 'bucket', bucket).some((v) => v.body.versioning_configuration?.status === 'Enabled');
    const lifecycle = model.referrers('aws_s3_bucket_lifecycle_configuration', 'bucket', bucket).length > 0;
    const lines = [[versioned ? 'versioned' : '', lifecycle ? 'lifecycle rules' : ''].filter(Boolean).join(' · ')].filter(Boolean);
    b.addNode({ id: `bucket:${name}`, group: 'data', kind: 'S3 bucket', title: b.short(name), lines, shape: 'cylinder' }, bucket.address);
  }
  for (const fs of model.resources('aws_efs_file_system')) {
    const name = b.nameOf(fs, 'creation_token');
    const points = model.referrers('aws_efs_access_point', 'file_system_id', fs);
    const paths = points.map((p) => literal(p.body.root_directory?.path) ?? '/').sort();
    const lines = [[fs.body.encrypted ? 'encrypted' : 'not encrypted', literal(fs.body.throughput_mode) ?? ''].filter(Boolean).join(' · '), paths.length ? `access points: ${paths.join(', ')}` : ''].filter(Boolean);
    b.addNode({ id: `efs:${name}`, group: 'data', kind: 'EFS file system', title: b.short(name), lines, shape: 'cylinder' }, fs.address, ...points.map((p) => p.address));
  }
  for (const table of model.resources('aws_dynamodb_table')) {
    const name = b.nameOf(table);
    const keys = [literal(table.body.hash_key), literal(table.body.range_key)].filter(Boolean).join(' + ');
    const gsi = blocks(table.body.global_secondary_index).length;
    const lines = [keys ? `key: ${keys}` : '', [table.body.billing_mode === 'PROVISIONED' ? 'provisioned' : 'on demand', gsi ? plural(gsi, 'index', 'indexes') : '', table.body.stream_enabled ? 'stream' : ''].filter(Boolean).join(' · ')].filter(Boolean);
    b.addNode({ id: `table:${name}`, group: 'data', kind: 'DynamoDB table', title: b.short(name), lines, shape: 'cylinder' }, table.address);
  }
}

/** Queues and their dead-letter queues (with the redrive edge its policy states). */
function addQueues(b: DiagramBuilder): void {
  const { model } = b;
  const queues = model.resources('aws_sqs_queue');
  const redrive = (q: Resource) => model.document<Body>(q, 'redrive_policy');
  const deadLetter = new Set(queues.map((q) => model.ref(redrive(q)?.deadLetterTargetArn, 'aws_sqs_queue')).filter(Boolean));
  for (const q of queues) {
    const name = b.nameOf(q, 'name_prefix');
    const dlq = deadLetter.has(q);
    const lines = [[q.body.fifo_queue ? 'FIFO' : '', q.body.visibility_timeout_seconds !== undefined && !dlq ? `visibility ${q.body.visibility_timeout_seconds} s` : ''].filter(Boolean).join(' · ')].filter(Boolean);
    b.addNode({ id: `queue:${name}`, group: 'data', kind: dlq ? 'SQS dead-letter queue' : 'SQS queue', title: b.short(name), lines }, q.address);
  }
  for (const q of queues) {
    const policy = redrive(q);
    if (policy) b.addEdge(b.alias.get(q.address), b.nodeOf(policy.deadLetterTargetArn), 'redrive', `after ${policy.maxReceiveCount ?? '?'} receives`);
  }
}

/** Topics (those the alarms notify belong to observability), secrets, and the ECR repositories as one node. */
function addMessagingAndSecrets(b: DiagramBuilder): void {
  const { model } = b;
  const alarmTopics = new Set(model.resources('aws_cloudwatch_metric_alarm').flatMap((a) => model.refsIn([a.body.alarm_actions, a.body.ok_actions], 'aws_sns_topic')));
  for (const topic of model.resources('aws_sns_topic')) {
    const name = b.nameOf(topic, 'name_prefix');
    const email = model.referrers('aws_sns_topic_subscription', 'topic_arn', topic).filter((s) => s.body.protocol === 'email').length;
    const lines = [[topic.body.kms_master_key_id ? 'encrypted' : '', email ? plural(email, 'e-mail subscription') : ''].filter(Boolean).join(' · ')].filter(Boolean);
    const alarms = alarmTopics.has(topic);
    b.addNode({ id: `topic:${name}`, group: alarms ? 'observability' : 'data', kind: alarms ? 'SNS topic (alarms)' : 'SNS topic', title: b.short(name), lines }, topic.address);
  }
  const secrets = model.resources('aws_secretsmanager_secret');
  if (secrets.length >= 3) {
    // One node for many secrets (one per agent, say): a row of them would make the picture wide.
    const names = secrets.map((x) => b.short(b.nameOf(x, 'name_prefix'))).sort(byKey);
    b.addNode({ id: 'secrets', group: 'data', kind: 'Secrets Manager', title: plural(secrets.length, 'secret'), lines: wrap(names, '', 2) }, ...secrets.map((x) => x.address));
  } else {
    for (const secret of secrets) {
      const name = b.nameOf(secret, 'name_prefix');
      b.addNode({ id: `secret:${name}`, group: 'data', kind: 'Secrets Manager secret', title: b.short(name), lines: [] }, secret.address);
    }
  }
  const repos = model.resources('aws_ecr_repository');
  if (!repos.length) return;
  const names = repos.map((r) => b.nameOf(r)).sort();
  const slash = names.map((n) => n.lastIndexOf('/'));
  const prefix = slash[0] > 0 && names.every((n, i) => slash[i] === slash[0] && n.slice(0, slash[0]) === names[0].slice(0, slash[0])) ? names[0].slice(0, slash[0] + 1) : '';
  const mutability = [...new Set(repos.map((r) => literal(r.body.image_tag_mutability) ?? 'MUTABLE'))].sort().map((m) => m.toLowerCase().replace('_', ' ') + ' tags');
  const lines = [...(prefix ? [prefix] : []), ...wrap(names.map((n) => n.slice(prefix.length)), '', 2), mutability.join(', ')];
  b.addNode({ id: 'ecr', group: 'data', kind: 'ECR', title: plural(repos.length, 'repository', 'repositories'), lines, shape: 'folder' }, ...repos.map((r) => r.address));
}

/** The data part of the picture. */
export function addData(b: DiagramBuilder): void {
  addStores(b);
  addQueues(b);
  addMessagingAndSecrets(b);
}

// ===== Compute =====

function containersOf(b: DiagramBuilder, td: Resource | undefined): Body[] {
  const defs = td ? b.model.document(td, 'container_definitions') : undefined;
  return Array.isArray(defs) ? defs : [];
}

/** `0.5 vCPU · 1 GiB · 1 GPU` of a task definition. */
function taskSize(b: DiagramBuilder, td: Resource | undefined): string {
  if (!td) return '';
  const containers = containersOf(b, td);
  const sum = (f: (c: Body) => unknown) => containers.reduce((n, c) => n + (Number(f(c)) || 0), 0);
  const gpus = containers.reduce((n, c) => n + blocks(c.resourceRequirements).filter((r) => r.type === 'GPU').reduce((m, r) => m + Number(r.value), 0), 0);
  return [vcpu(td.body.cpu ?? sum((c) => c.cpu)), mib(td.body.memory ?? sum((c) => c.memory ?? c.memoryReservation)), gpus ? plural(gpus, 'GPU') : ''].filter(Boolean).join(' · ');
}

/** Other containers of the task (sidecars), as a line. */
function sidecars(b: DiagramBuilder, td: Resource | undefined, main?: string): string {
  const names = containersOf(b, td)
    .map((c) => String(c.name))
    .filter((n) => n !== main)
    .sort();
  return names.length ? `+ ${names.join(', ')}` : '';
}

function instanceTypes(b: DiagramBuilder, asg: Resource): string[] {
  const mixed = asg.body.mixed_instances_policy?.launch_template;
  const overrides = blocks(mixed?.override)
    .map((o) => literal(o.instance_type))
    .filter((t): t is string => !!t);
  if (overrides.length) return overrides;
  const lt = b.model.ref([asg.body.launch_template, mixed?.launch_template_specification], 'aws_launch_template');
  const t = lt ? literal(lt.body.instance_type) : undefined;
  return t ? [t] : [];
}

/** `EC2 gpu: g4dn.xlarge (spot), 1..3 instances` for a capacity provider of the stack. */
function ec2Provider(b: DiagramBuilder, provider: Resource): string {
  const asg = b.model.ref(provider.body.auto_scaling_group_provider?.auto_scaling_group_arn, 'aws_autoscaling_group');
  const spot = asg?.body.mixed_instances_policy?.instances_distribution;
  const types = asg ? instanceTypes(b, asg) : [];
  return `EC2 ${b.short(b.nameOf(provider))}: ${types.join(', ') || '?'}${spot ? ' (spot)' : ''}${asg ? `, ${asg.body.min_size}..${asg.body.max_size} instances` : ''}`;
}

/** `Fargate Spot 80% · Fargate 20% (base 1)`, or the EC2 capacity provider with its instances. */
function capacityText(b: DiagramBuilder, strategy: Body[], launchType: unknown): string[] {
  if (!strategy.length) return literal(launchType) ? [literal(launchType) === 'FARGATE' ? 'Fargate' : String(launchType)] : [];
  const total = strategy.reduce((n, s) => n + (Number(s.weight) || 0), 0);
  const items = [...strategy].sort((x, y) => (Number(y.weight) || 0) - (Number(x.weight) || 0) || byKey(String(x.capacity_provider), String(y.capacity_provider)));
  return items.map((s) => {
    const provider = b.model.ref(s.capacity_provider, 'aws_ecs_capacity_provider');
    const raw = String(s.capacity_provider);
    const name = provider ? ec2Provider(b, provider) : raw === 'FARGATE' ? 'Fargate' : raw === 'FARGATE_SPOT' ? 'Fargate Spot' : raw;
    const share = total > 0 && items.length > 1 ? ` ${Math.round(((Number(s.weight) || 0) / total) * 100)}%` : '';
    const base = Number(s.base) > 0 && items.length > 1 ? ` (base ${s.base})` : '';
    return `${name}${share}${base}`;
  });
}

/** ECS services, inside their cluster; task definitions no service runs (run on demand). */
function addEcs(b: DiagramBuilder): void {
  const { model } = b;
  const clusters = model.resources('aws_ecs_cluster');
  for (const c of clusters) {
    const name = b.nameOf(c);
    const namespaces = model.refsIn(c.body.service_connect_defaults, 'aws_service_discovery_private_dns_namespace').map((n) => b.nameOf(n));
    b.subClusters.set(c.address, `ECS cluster ${name}${namespaces.length ? ` · Cloud Map ${namespaces.join(', ')}` : ''}`);
    if (namespaces.length) b.serviceConnect.add(c.address);
  }
  const usedTaskDefinitions = new Set<Resource>();
  for (const svc of model.resources('aws_ecs_service')) {
    const cluster = model.ref(svc.body.cluster, 'aws_ecs_cluster');
    const td = model.ref(svc.body.task_definition, 'aws_ecs_task_definition');
    if (td) usedTaskDefinitions.add(td);
    const name = b.nameOf(svc);
    const scaling = model.referrers('aws_appautoscaling_target', 'resource_id', svc)[0];
    const tasks = scaling ? `tasks ${scaling.body.min_capacity}..${scaling.body.max_capacity}` : svc.body.scheduling_strategy === 'DAEMON' ? 'one task per instance' : `tasks ${svc.body.desired_count ?? 0}`;
    const strategy = blocks(svc.body.capacity_provider_strategy);
    const defaults = cluster ? model.referrers('aws_ecs_cluster_capacity_providers', 'cluster_name', cluster).map((cp) => blocks(cp.body.default_capacity_provider_strategy)).pop() : undefined;
    const capacity = capacityText(b, strategy.length || svc.body.launch_type ? strategy : defaults || [], svc.body.launch_type);
    const main = blocks(svc.body.load_balancer)[0]?.container_name;
    // Size and task count on lines of their own: services sit side by side, each must stay narrow.
    const lines = [taskSize(b, td), tasks, ...capacity, sidecars(b, td, main ?? containersOf(b, td)[0]?.name)].filter(Boolean);
    const registries = model.refsIn(svc.body.service_registries, 'aws_service_discovery_service');
    const id = b.addNode(
      { id: `service:${b.short(name)}`, group: 'compute', sub: cluster?.address, kind: 'ECS service', title: b.short(name), lines },
      svc.address,
      ...(td ? [td.address] : []),
      ...registries.map((r) => r.address),
      ...(scaling ? [scaling.address] : []),
    );
    for (const sg of model.refsIn(svc.body.network_configuration?.security_groups, 'aws_security_group')) b.securityGroupOwner.set(sg.address, id);
  }
  const batchDefinitions = new Set(model.resources('aws_batch_job_definition').map((j) => j.address));
  for (const td of model.resources('aws_ecs_task_definition')) {
    if (usedTaskDefinitions.has(td) || batchDefinitions.has(td.address)) continue;
    const family = b.nameOf(td, 'family');
    const lines = [taskSize(b, td), sidecars(b, td, containersOf(b, td)[0]?.name)].filter(Boolean);
    b.addNode({ id: `task:${b.short(family)}`, group: 'compute', sub: clusters.length === 1 ? clusters[0].address : undefined, kind: 'ECS task (run on demand)', title: b.short(family), lines }, td.address);
  }
}

/** Lambda functions (with their aliases), their memory, timeout, runtime and concurrency. */
function addLambda(b: DiagramBuilder): void {
  const { model } = b;
  for (const fn of model.resources('aws_lambda_function')) {
    const name = b.nameOf(fn, 'function_name');
    const aliases = model.referrers('aws_lambda_alias', 'function_name', fn);
    const provisioned = model.resources('aws_lambda_provisioned_concurrency_config').filter((p) => model.refsIn([p.body.function_name, p.body.qualifier]).some((r) => r === fn || aliases.includes(r)));
    const reserved = fn.body.reserved_concurrent_executions;
    const concurrency = [provisioned.length ? `provisioned ${provisioned.map((p) => p.body.provisioned_concurrent_executions).join('+')}` : '', reserved !== undefined && reserved >= 0 ? `reserved ${reserved}` : ''].filter(Boolean);
    const lines = [
      `${fn.body.memory_size ?? 128} MB · ${fn.body.timeout ?? 3} s timeout`,
      [literal(fn.body.runtime) ?? (fn.body.package_type === 'Image' ? 'container image' : ''), fn.body.vpc_config ? 'in VPC' : ''].filter(Boolean).join(' · '),
      concurrency.length ? `concurrency: ${concurrency.join(', ')}` : '',
    ].filter(Boolean);
    const id = b.addNode({ id: `lambda:${b.short(name)}`, group: 'compute', kind: 'Lambda function', title: b.short(name), lines }, fn.address, ...aliases.map((a) => a.address));
    for (const sg of model.refsIn(fn.body.vpc_config?.security_group_ids, 'aws_security_group')) b.securityGroupOwner.set(sg.address, id);
  }
}

/** Batch compute environments with their job queues and (when there is one environment) job definitions. */
function addBatch(b: DiagramBuilder): void {
  const { model } = b;
  const environments = model.resources('aws_batch_compute_environment');
  const definitions = model.resources('aws_batch_job_definition');
  for (const ce of environments) {
    const name = b.nameOf(ce, 'compute_environment_name', 'compute_environment_name_prefix').replace(/-$/, '');
    const res = ce.body.compute_resources ?? {};
    const types = blocks<string>(res.instance_type).map((t) => literal(t) ?? '?');
    const queues = model.resources('aws_batch_job_queue').filter((q) => model.refsIn(q.body.compute_environment_order ?? q.body.compute_environments).includes(ce));
    const jobs = environments.length === 1 ? definitions : [];
    const jobLines = jobs.map((j) => {
      const props = model.document<Body>(j, 'container_properties') ?? {};
      const req = (type: string) => blocks(props.resourceRequirements).find((r) => r.type === type)?.value;
      return `job ${b.short(b.nameOf(j))}: ${[req('VCPU') ? `${req('VCPU')} vCPU` : '', mib(req('MEMORY')) ?? '', req('GPU') ? plural(Number(req('GPU')), 'GPU') : ''].filter(Boolean).join(' · ')}`;
    });
    const lines = [
      `${literal(res.type) ?? ce.body.type ?? ''}${types.length ? `: ${types.join(', ')}` : ''}`,
      `${res.min_vcpus ?? 0}..${res.max_vcpus ?? '?'} vCPUs`,
      queues.length ? `job queue: ${queues.map((q) => b.short(b.nameOf(q))).join(', ')}` : '',
      ...jobLines,
    ].filter(Boolean);
    const id = b.addNode({ id: `batch:${b.short(name)}`, group: 'compute', kind: 'Batch compute environment', title: b.short(name), lines }, ce.address, ...queues.map((q) => q.address), ...jobs.map((j) => j.address));
    for (const sg of model.refsIn(res.security_group_ids, 'aws_security_group')) b.securityGroupOwner.set(sg.address, id);
  }
}

/** The compute part of the picture. */
export function addCompute(b: DiagramBuilder): void {
  addEcs(b);
  addLambda(b);
  addBatch(b);
}
