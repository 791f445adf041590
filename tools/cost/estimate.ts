/**
 * A monthly cost estimate of one synthesized stack (the JSON `cdktf synth` writes), from the price
 * table in ./prices.ts and the usage `Assumptions` below. Pure: no I/O, no look-ups.
 *
 * Every line has a FLOOR (the stack at its minimum capacity: autoscaling minimums, Auto Scaling
 * Group minimum size, Batch minimum vCPUs, provisioned concurrency) and a CEILING (at its maximum
 * capacity). Usage-driven lines (NAT GB, logs, requests, ...) come from the assumptions and are the
 * same in both. Every resource is priced, listed in `FREE_RESOURCE_TYPES`, or reported in
 * `unpriced` with the reason: nothing is skipped silently.
 */
import { decodeJsonencode } from '../../src/core/json';
import { GPU_INSTANCE_TYPES } from '../../src/compute/instance-types';
import { GENERAL_INSTANCE_VCPUS, PRICES, PRICES_AS_OF, Price, RegionPrices } from './prices';

/** Usage the synthesized Terraform cannot say; every usage-driven line names the ones it uses. */
export interface Assumptions {
  /** Hours in a month. */
  readonly hoursPerMonth: number;
  /** GB processed per NAT gateway per month. */
  readonly natGbPerGateway: number;
  /** Average LCUs an Application Load Balancer consumes per hour. */
  readonly albLcuPerHour: number;
  /** Average NLCUs a Network Load Balancer consumes per hour. */
  readonly nlbLcuPerHour: number;
  /** GB processed per interface endpoint per month. */
  readonly interfaceEndpointGbPerEndpoint: number;
  /** GB ingested per CloudWatch log group per month. */
  readonly logIngestGbPerGroup: number;
  /** Months of logs kept by a log group without retention (it would grow for ever). */
  readonly logRetainedMonthsWhenNeverExpire: number;
  /** GB stored per EFS file system (all in Standard). */
  readonly efsGbPerFileSystem: number;
  /** GB of AWS Backup warm storage per EFS file system with backups on. */
  readonly efsBackupGbPerFileSystem: number;
  /** GB of AWS Backup storage per S3 bucket in a backup selection. */
  readonly s3BackupGbPerBucket: number;
  /** GB stored per S3 bucket (Standard; requests and transfer not priced). */
  readonly s3GbPerBucket: number;
  /** GB of images stored per ECR repository. */
  readonly ecrGbPerRepository: number;
  /** Write request units per on-demand DynamoDB table per month. */
  readonly dynamodbWritesPerTable: number;
  /** Read request units per on-demand DynamoDB table per month. */
  readonly dynamodbReadsPerTable: number;
  /** GB stored per DynamoDB table. */
  readonly dynamodbGbPerTable: number;
  /** Requests per SQS queue per month (dead-letter queues: none). */
  readonly sqsRequestsPerQueue: number;
  /** Publishes per SNS topic per month. */
  readonly snsPublishesPerTopic: number;
  /** Invocations per Lambda function per month. */
  readonly lambdaInvocationsPerFunction: number;
  /** Average duration of one invocation, ms. */
  readonly lambdaAvgDurationMs: number;
  /** Requests per API Gateway API per month. */
  readonly apiRequestsPerApi: number;
  /** Requests per WAF web ACL per month. */
  readonly wafRequestsPerAcl: number;
  /** Fraction of traced requests X-Ray records (the default rule: 1/s plus 5%). */
  readonly xraySampledFraction: number;
  /** DNS queries per public Route 53 hosted zone per month. */
  readonly route53QueriesPerZone: number;
  /** Container Insights metrics per cluster with running tasks (cluster dimension). */
  readonly containerInsightsMetricsPerCluster: number;
  /** Container Insights metrics per service with running tasks (service and task family dimensions). */
  readonly containerInsightsMetricsPerService: number;
  /** GB of Container Insights performance log events per running task per month. */
  readonly containerInsightsLogGbPerTask: number;
  /** GB of memory per vCPU of a Fargate Batch compute environment. */
  readonly batchFargateGbPerVcpu: number;
  /** GB served per CloudFront distribution per month. */
  readonly cloudfrontGbPerDistribution: number;
  /** HTTPS requests per CloudFront distribution per month. */
  readonly cloudfrontRequestsPerDistribution: number;
  /**
   * EC2 Spot discount off on-demand, by instance family (`*` for the others): Spot prices move
   * hourly; these are typical savings the Spot Instance Advisor shows for the family.
   */
  readonly spotDiscount: Readonly<Record<string, number>>;
  /**
   * Subtract the account's monthly free tier (3 dashboards, 10 alarm metrics, 10 custom metrics,
   * 5 GB of logs, Lambda 1M requests and 400,000 GB-s, SQS and SNS 1M, X-Ray 100,000 traces, two
   * budgets) from this stack's lines. Off by default: the free tier is the account's, and the
   * account's other stacks use it too.
   */
  readonly applyFreeTier: boolean;
}

export const DEFAULT_ASSUMPTIONS: Assumptions = {
  hoursPerMonth: 730,
  natGbPerGateway: 100,
  albLcuPerHour: 1,
  nlbLcuPerHour: 1,
  interfaceEndpointGbPerEndpoint: 10,
  logIngestGbPerGroup: 5,
  logRetainedMonthsWhenNeverExpire: 12,
  efsGbPerFileSystem: 20,
  efsBackupGbPerFileSystem: 20,
  s3BackupGbPerBucket: 20,
  s3GbPerBucket: 20,
  ecrGbPerRepository: 5,
  dynamodbWritesPerTable: 1_000_000,
  dynamodbReadsPerTable: 5_000_000,
  dynamodbGbPerTable: 1,
  sqsRequestsPerQueue: 1_000_000,
  snsPublishesPerTopic: 100_000,
  lambdaInvocationsPerFunction: 1_000_000,
  lambdaAvgDurationMs: 200,
  apiRequestsPerApi: 1_000_000,
  wafRequestsPerAcl: 1_000_000,
  xraySampledFraction: 0.05,
  route53QueriesPerZone: 1_000_000,
  containerInsightsMetricsPerCluster: 8,
  containerInsightsMetricsPerService: 22,
  containerInsightsLogGbPerTask: 0.1,
  batchFargateGbPerVcpu: 2,
  cloudfrontGbPerDistribution: 100,
  cloudfrontRequestsPerDistribution: 10_000_000,
  spotDiscount: { g4dn: 0.65, g5: 0.6, g6: 0.6, g6e: 0.55, p3: 0.7, '*': 0.6 },
  applyFreeTier: false,
};

export type AssumptionKey = keyof Assumptions;

/** One-line descriptions of the assumptions, as printed under each table. */
export const ASSUMPTION_DOCS: Readonly<Record<AssumptionKey, string>> = {
  hoursPerMonth: 'hours in a month',
  natGbPerGateway: 'GB processed per NAT gateway per month (internet egress is not priced)',
  albLcuPerHour: 'average LCUs per ALB per hour',
  nlbLcuPerHour: 'average NLCUs per NLB per hour',
  interfaceEndpointGbPerEndpoint: 'GB processed per interface endpoint per month',
  logIngestGbPerGroup: 'GB ingested per log group per month (storage: that times the retention in months, uncompressed)',
  logRetainedMonthsWhenNeverExpire: 'months of logs a log group without retention is assumed to hold',
  efsGbPerFileSystem: 'GB per EFS file system, all in Standard (throughput charges not priced)',
  efsBackupGbPerFileSystem: 'GB of AWS Backup warm storage per EFS file system with backups on (EFS backup policy or backup selection)',
  s3BackupGbPerBucket: 'GB of AWS Backup storage per S3 bucket in a backup selection (GET requests not priced)',
  s3GbPerBucket: 'GB in S3 Standard per bucket, the same for every bucket (requests and transfer not priced)',
  ecrGbPerRepository: 'GB of images per ECR repository',
  dynamodbWritesPerTable: 'write request units per on-demand DynamoDB table per month',
  dynamodbReadsPerTable: 'read request units per on-demand DynamoDB table per month',
  dynamodbGbPerTable: 'GB stored per DynamoDB table',
  sqsRequestsPerQueue: 'requests per SQS queue per month (dead-letter queues: none); the account free tier is 1M',
  snsPublishesPerTopic: 'publishes per SNS topic per month (deliveries not priced); the account free tier is 1M',
  lambdaInvocationsPerFunction: 'invocations per Lambda function per month',
  lambdaAvgDurationMs: 'average Lambda duration, ms',
  apiRequestsPerApi: 'requests per API Gateway API per month',
  wafRequestsPerAcl: 'requests per WAF web ACL per month',
  xraySampledFraction: 'fraction of traced requests X-Ray records',
  route53QueriesPerZone: 'DNS queries per public hosted zone per month',
  containerInsightsMetricsPerCluster: 'Container Insights metrics per cluster with running tasks (custom metric rate)',
  containerInsightsMetricsPerService: 'Container Insights metrics per service with running tasks (service and task family dimensions)',
  containerInsightsLogGbPerTask: 'GB of Container Insights performance events per running task per month',
  batchFargateGbPerVcpu: 'GB of memory per vCPU of a Fargate Batch compute environment',
  cloudfrontGbPerDistribution: 'GB served per CloudFront distribution per month',
  cloudfrontRequestsPerDistribution: 'HTTPS requests per CloudFront distribution per month',
  spotDiscount: `EC2 Spot discount off on-demand by family (typical Spot Instance Advisor savings; Spot prices move hourly)`,
  applyFreeTier: 'subtract the account free tier from this stack (off: other stacks of the account use it)',
};

/** One priced line. `floor` = `quantity.floor` × `unitPrice`, `ceiling` likewise. */
export interface CostLine {
  readonly item: string;
  /** How many `unit`s at the floor and at the ceiling. */
  readonly quantity: { readonly floor: number; readonly ceiling: number };
  readonly unit: string;
  /** USD per `unit` (per month where the unit is a month of something). */
  readonly unitPrice: number;
  /** USD per month at the stack's minimum capacity. */
  readonly floor: number;
  /** USD per month at the stack's maximum capacity. */
  readonly ceiling: number;
  /** Terraform addresses the line prices. */
  readonly resources: string[];
  readonly note?: string;
  /** The assumptions the line depends on. */
  readonly assumptions?: AssumptionKey[];
}

/** A resource the estimate could not price, and why. */
export interface Unpriced {
  readonly type: string;
  readonly address: string;
  readonly reason: string;
}

export interface Estimate {
  readonly region: string;
  readonly pricesAsOf: string;
  readonly lines: CostLine[];
  /** USD per month at minimum capacity. */
  readonly floor: number;
  /** USD per month at maximum capacity. */
  readonly ceiling: number;
  readonly unpriced: Unpriced[];
  readonly assumptions: Assumptions;
  /** The assumptions some line depends on, in first-use order. */
  readonly usedAssumptions: AssumptionKey[];
}

export interface EstimateOptions {
  /** Overrides of the default assumptions (`spotDiscount` is merged by family). */
  readonly assumptions?: Partial<Assumptions>;
  /** The region to price (default: the region of the stack's default AWS provider). */
  readonly region?: string;
  /** The price table (default: `PRICES`). */
  readonly prices?: Readonly<Record<string, RegionPrices>>;
}

/** The synthesized JSON of a stack, as far as the estimate reads it. */
export interface SynthesizedStack {
  readonly resource?: Record<string, Record<string, Record<string, any>>>;
  readonly provider?: Record<string, Record<string, any>[] | Record<string, any>>;
  readonly [key: string]: unknown;
}

/**
 * Resource types that cost nothing themselves. Some are priced through another resource: a
 * launch template through its Auto Scaling Group, a task definition through its service, an
 * autoscaling target through the service it scales.
 */
export const FREE_RESOURCE_TYPES: ReadonlySet<string> = new Set([
  // IAM
  'aws_iam_role', 'aws_iam_role_policy', 'aws_iam_role_policy_attachment', 'aws_iam_policy', 'aws_iam_instance_profile', 'aws_iam_service_linked_role',
  'aws_iam_openid_connect_provider',
  // Network (NAT gateways, Elastic IPs, interface endpoints and load balancers are priced)
  'aws_vpc', 'aws_subnet', 'aws_route_table', 'aws_route', 'aws_route_table_association', 'aws_internet_gateway', 'aws_egress_only_internet_gateway',
  'aws_security_group', 'aws_security_group_rule', 'aws_vpc_security_group_ingress_rule', 'aws_vpc_security_group_egress_rule', 'aws_network_acl',
  'aws_default_security_group', 'aws_vpc_endpoint_route_table_association', 'aws_flow_log',
  'aws_lb_listener', 'aws_lb_listener_rule', 'aws_lb_target_group', 'aws_lb_target_group_attachment', 'aws_lb_listener_certificate',
  'aws_acm_certificate', 'aws_acm_certificate_validation', 'aws_route53_record',
  // AWS Backup: the vault and plan are free; storage is priced through the selection
  'aws_backup_vault', 'aws_backup_plan',
  'aws_elasticache_subnet_group',
  // Compute configuration (priced through the service, group or environment using it)
  'aws_ecs_task_definition', 'aws_ecs_cluster_capacity_providers', 'aws_ecs_capacity_provider', 'aws_launch_template',
  'aws_appautoscaling_target', 'aws_appautoscaling_policy', 'aws_appautoscaling_scheduled_action', 'aws_autoscaling_policy', 'aws_autoscaling_schedule',
  'aws_batch_job_definition', 'aws_batch_job_queue',
  // Storage configuration (the bucket, repository and file system are priced)
  'aws_s3_bucket_lifecycle_configuration', 'aws_s3_bucket_ownership_controls', 'aws_s3_bucket_policy', 'aws_s3_bucket_public_access_block',
  'aws_s3_bucket_server_side_encryption_configuration', 'aws_s3_bucket_versioning', 'aws_s3_bucket_logging', 'aws_s3_bucket_cors_configuration',
  'aws_s3_bucket_notification', 'aws_ecr_lifecycle_policy', 'aws_ecr_repository_policy', 'aws_efs_access_point', 'aws_efs_mount_target', 'aws_efs_file_system_policy',
  // Keys, secrets, messaging configuration
  'aws_kms_alias', 'aws_secretsmanager_secret_version', 'aws_secretsmanager_secret_policy', 'aws_sns_topic_policy', 'aws_sns_topic_subscription',
  'aws_sqs_queue_policy', 'aws_sqs_queue_redrive_allow_policy', 'aws_sqs_queue_redrive_policy',
  // Serverless configuration (functions, APIs and the web ACL are priced)
  'aws_lambda_alias', 'aws_lambda_permission', 'aws_lambda_event_source_mapping', 'aws_lambda_function_url',
  'aws_api_gateway_deployment', 'aws_api_gateway_method', 'aws_api_gateway_integration', 'aws_api_gateway_resource', 'aws_api_gateway_method_response',
  'aws_api_gateway_integration_response', 'aws_api_gateway_gateway_response', 'aws_api_gateway_method_settings', 'aws_api_gateway_account',
  'aws_api_gateway_api_key', 'aws_api_gateway_usage_plan', 'aws_api_gateway_usage_plan_key', 'aws_api_gateway_authorizer',
  'aws_apigatewayv2_integration', 'aws_apigatewayv2_route', 'aws_apigatewayv2_stage', 'aws_apigatewayv2_vpc_link', 'aws_apigatewayv2_authorizer',
  'aws_wafv2_web_acl_association', 'aws_wafv2_ip_set',
  // Monitoring configuration
  'aws_xray_sampling_rule', 'aws_cloudwatch_log_resource_policy', 'aws_cloudwatch_log_subscription_filter',
  // EventBridge rules and targets: rules are free, and events from AWS services are free
  'aws_cloudwatch_event_rule', 'aws_cloudwatch_event_target',
]);

// ---------------------------------------------------------------------------------------------
// Reading the synthesized JSON
// ---------------------------------------------------------------------------------------------

type Body = Record<string, any>;

interface Resource {
  readonly type: string;
  readonly address: string;
  readonly body: Body;
}

const REF = /\$\{([a-z0-9_]+)\.([A-Za-z0-9_-]+)\.[A-Za-z0-9_]+/g;

/** Every `type.name` address referenced in the strings of `value`. */
function refsIn(value: unknown): string[] {
  const out: string[] = [];
  const walk = (v: unknown): void => {
    if (typeof v === 'string') for (const m of v.matchAll(REF)) out.push(`${m[1]}.${m[2]}`);
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') Object.values(v).forEach(walk);
  };
  walk(value);
  return out;
}

/** The first address of `type` referenced in `value`. */
function refOf(value: unknown, type: string): string | undefined {
  return refsIn(value).find((a) => a.startsWith(`${type}.`));
}

/** A nested block as a list (cdktf writes single blocks as objects, repeated ones as lists). */
function list(v: unknown): Body[] {
  if (v === undefined || v === null) return [];
  return Array.isArray(v) ? v : [v as Body];
}

/** A number, or undefined when absent or an unresolved expression. */
function num(v: unknown): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v.trim())) return Number(v);
  return undefined;
}

function bool(v: unknown): boolean | undefined {
  if (typeof v === 'boolean') return v;
  if (v === 'true') return true;
  if (v === 'false') return false;
  return undefined;
}

/** A readable name: the resource's own name argument when literal, else its logical id. */
function nameOf(r: Resource, ...fields: string[]): string {
  for (const f of [...fields, 'name', 'function_name', 'alarm_name', 'dashboard_name', 'bucket', 'queue_name']) {
    const v = r.body[f];
    if (typeof v === 'string' && !v.includes('${')) return v;
  }
  return r.address.split('.')[1];
}

/** FARGATE, FARGATE_SPOT, or EC2 for any other capacity provider. */
function providerKind(provider: unknown): 'FARGATE' | 'FARGATE_SPOT' | 'EC2' {
  return provider === 'FARGATE' || provider === 'FARGATE_SPOT' ? provider : 'EC2';
}

function familyOf(instanceType: string): string {
  return instanceType.split('.')[0];
}

function vcpusOf(instanceType: string): number | undefined {
  return GPU_INSTANCE_TYPES[instanceType]?.vcpus ?? GENERAL_INSTANCE_VCPUS[instanceType];
}

function fmtNum(n: number): string {
  return Number.isInteger(n) ? String(n) : String(Math.round(n * 1000) / 1000);
}

// ---------------------------------------------------------------------------------------------
// The estimate
// ---------------------------------------------------------------------------------------------

/** Merges `overrides` into the default assumptions. */
export function resolveAssumptions(overrides: Partial<Assumptions> = {}): Assumptions {
  return { ...DEFAULT_ASSUMPTIONS, ...overrides, spotDiscount: { ...DEFAULT_ASSUMPTIONS.spotDiscount, ...(overrides.spotDiscount ?? {}) } };
}

/** The region of the stack's default AWS provider. */
export function regionOf(json: SynthesizedStack): string | undefined {
  const aws = list(json.provider?.aws);
  const main = aws.find((p) => !p.alias) ?? aws[0];
  return typeof main?.region === 'string' ? main.region : undefined;
}

/** Estimates the monthly cost of one synthesized stack. */
export function estimate(json: SynthesizedStack, options: EstimateOptions = {}): Estimate {
  const A = resolveAssumptions(options.assumptions);
  const H = A.hoursPerMonth;
  const region = options.region ?? regionOf(json) ?? 'unknown';
  const table = options.prices ?? PRICES;

  const resources: Resource[] = [];
  for (const [type, byName] of Object.entries(json.resource ?? {})) {
    for (const [name, body] of Object.entries(byName ?? {})) resources.push({ type, address: `${type}.${name}`, body: body ?? {} });
  }
  const byAddress = new Map(resources.map((r) => [r.address, r]));
  const ofType = (type: string) => resources.filter((r) => r.type === type);

  const lines: CostLine[] = [];
  const unpriced: Unpriced[] = [];
  const handled = new Set<string>();
  const used: AssumptionKey[] = [];
  const use = (keys: AssumptionKey[] | undefined) => keys?.forEach((k) => used.includes(k) || used.push(k));
  const skip = (r: Resource, reason: string) => {
    handled.add(r.address);
    unpriced.push({ type: r.type, address: r.address, reason });
  };

  // Aliased providers may put resources in other regions.
  const aliasRegions = new Map<string, string>();
  for (const p of list(json.provider?.aws)) if (p.alias && typeof p.region === 'string') aliasRegions.set(`aws.${p.alias}`, p.region);

  const P = table[region];
  const finish = (): Estimate => {
    for (const r of resources) {
      if (handled.has(r.address) || FREE_RESOURCE_TYPES.has(r.type)) continue;
      unpriced.push({ type: r.type, address: r.address, reason: 'no price rule for this resource type (neither priced nor listed as free)' });
    }
    const sum = (k: 'floor' | 'ceiling') => lines.reduce((n, l) => n + l[k], 0);
    return { region, pricesAsOf: PRICES_AS_OF, lines, floor: sum('floor'), ceiling: sum('ceiling'), unpriced, assumptions: A, usedAssumptions: used };
  };
  if (!P) {
    for (const r of resources) if (!FREE_RESOURCE_TYPES.has(r.type)) skip(r, `no prices for region ${region} (the table has ${Object.keys(table).join(', ')})`);
    return finish();
  }

  // Resources whose instance count Terraform decides at plan time, or in another region.
  for (const r of resources) {
    if (FREE_RESOURCE_TYPES.has(r.type)) continue;
    if (r.body.count !== undefined || r.body.for_each !== undefined) skip(r, 'count/for_each: the number of instances is decided at plan time');
    else if (typeof r.body.provider === 'string' && aliasRegions.has(r.body.provider) && aliasRegions.get(r.body.provider) !== region) {
      const other = aliasRegions.get(r.body.provider)!;
      if (!table[other]) skip(r, `provider ${r.body.provider} is in ${other}, which the price table lacks`);
    }
  }
  const pending = (type: string) => ofType(type).filter((r) => !handled.has(r.address));
  /** Prices of the region a resource lives in. */
  const pricesFor = (r: Resource): RegionPrices => (typeof r.body.provider === 'string' && aliasRegions.has(r.body.provider) ? table[aliasRegions.get(r.body.provider)!] ?? P : P);

  // ----- line builders -----
  const line = (l: Omit<CostLine, 'floor' | 'ceiling'>): void => {
    use(l.assumptions);
    lines.push({ ...l, floor: l.quantity.floor * l.unitPrice, ceiling: l.quantity.ceiling * l.unitPrice });
  };
  interface Agg {
    item: string;
    unit: string;
    unitPrice: number;
    note?: string;
    assumptions?: AssumptionKey[];
    floor: number;
    ceiling: number;
    resources: string[];
    freeTier?: number;
  }
  const aggs = new Map<string, Agg>();
  /** Adds to a line shared by many resources (one line per item and unit price). */
  const agg = (item: string, unit: string, price: number, qFloor: number, qCeiling: number, address: string, extra: { note?: string; assumptions?: AssumptionKey[]; freeTier?: number } = {}) => {
    const key = `${item}|${unit}|${price}`;
    let a = aggs.get(key);
    if (!a) {
      a = { item, unit, unitPrice: price, floor: 0, ceiling: 0, resources: [], ...extra };
      aggs.set(key, a);
      // Placeholder keeps the line where it was first added.
      lines.push(a as unknown as CostLine);
    }
    a.floor += qFloor;
    a.ceiling += qCeiling;
    if (!a.resources.includes(address)) a.resources.push(address);
  };
  const month = (pr: Price) => pr.usd * H;
  const IPV4_NOTE = 'Elastic IPs (NAT gateways included), one per subnet of an internet-facing load balancer, Fargate tasks with a public IP';

  // ===== Network =====
  for (const r of pending('aws_nat_gateway')) {
    const pr = pricesFor(r);
    handled.add(r.address);
    agg('NAT gateways', 'gateway-month', month(pr.natGatewayHour), 1, 1, r.address, { assumptions: ['hoursPerMonth'] });
    agg('NAT gateway data processing', 'GB', pr.natGatewayGb.usd, A.natGbPerGateway, A.natGbPerGateway, r.address, { assumptions: ['natGbPerGateway'] });
  }
  for (const r of pending('aws_eip')) {
    handled.add(r.address);
    agg('Public IPv4 addresses', 'address-month', month(pricesFor(r).publicIpv4Hour), 1, 1, r.address, { note: IPV4_NOTE });
  }
  for (const r of pending('aws_lb')) {
    const pr = pricesFor(r);
    const kind = r.body.load_balancer_type ?? 'application';
    if (kind !== 'application' && kind !== 'network') {
      skip(r, `load balancer type ${kind} is not in the price table`);
      continue;
    }
    handled.add(r.address);
    const alb = kind === 'application';
    agg(alb ? 'Application Load Balancers' : 'Network Load Balancers', 'load balancer-month', month(alb ? pr.albHour : pr.nlbHour), 1, 1, r.address, { assumptions: ['hoursPerMonth'] });
    const lcu = alb ? A.albLcuPerHour : A.nlbLcuPerHour;
    agg(alb ? 'ALB capacity units' : 'NLB capacity units', alb ? 'LCU-hour' : 'NLCU-hour', (alb ? pr.albLcuHour : pr.nlbLcuHour).usd, lcu * H, lcu * H, r.address, { assumptions: [alb ? 'albLcuPerHour' : 'nlbLcuPerHour'] });
    if (bool(r.body.internal) !== true) {
      const zones = Math.max(list(r.body.subnets).length, list(r.body.subnet_mapping).length);
      if (zones > 0) agg('Public IPv4 addresses', 'address-month', month(pr.publicIpv4Hour), zones, zones, r.address, { note: IPV4_NOTE });
      else skip(r, 'internet-facing load balancer whose subnets are not a literal list: its public IPv4 addresses cannot be counted');
    }
  }
  for (const r of pending('aws_vpc_endpoint')) {
    const pr = pricesFor(r);
    const kind = r.body.vpc_endpoint_type ?? 'Gateway';
    if (kind === 'Gateway') {
      handled.add(r.address); // gateway endpoints (S3, DynamoDB) are free
      continue;
    }
    if (kind !== 'Interface') {
      skip(r, `endpoint type ${kind} is not in the price table`);
      continue;
    }
    const zones = list(r.body.subnet_ids).length;
    if (zones === 0) {
      skip(r, 'interface endpoint without a literal subnet list: its zones cannot be counted');
      continue;
    }
    handled.add(r.address);
    agg('Interface endpoints', 'endpoint-zone-month', month(pr.interfaceEndpointAzHour), zones, zones, r.address, { note: 'one charge per endpoint per zone (subnet)' });
    agg('Interface endpoint data processing', 'GB', pr.interfaceEndpointGb.usd, A.interfaceEndpointGbPerEndpoint, A.interfaceEndpointGbPerEndpoint, r.address, { assumptions: ['interfaceEndpointGbPerEndpoint'] });
  }

  // ===== ECS =====
  const clusterStrategies = new Map<string, Body[]>();
  for (const cp of ofType('aws_ecs_cluster_capacity_providers')) {
    const cluster = refOf(cp.body.cluster_name, 'aws_ecs_cluster');
    if (cluster) clusterStrategies.set(cluster, list(cp.body.default_capacity_provider_strategy));
  }
  /** Task counts of a service: its autoscaling target's min/max, else its desired count. */
  const taskCounts = (svc: Resource): { floor: number; ceiling: number; scheduled: boolean; weekly?: WeeklyCapacity } => {
    const desired = num(svc.body.desired_count) ?? 0;
    const target = ofType('aws_appautoscaling_target').find((t) => refsIn(t.body.resource_id).includes(svc.address));
    if (!target) return { floor: desired, ceiling: desired, scheduled: false };
    // Actions name the target's resource id literally, or by reference to the target.
    const actions = ofType('aws_appautoscaling_scheduled_action').filter((s) => s.body.resource_id === target.body.resource_id || refsIn(s.body.resource_id).includes(target.address));
    const min = num(target.body.min_capacity) ?? desired;
    const max = num(target.body.max_capacity) ?? desired;
    // Scheduled actions move the range during the week: the estimate takes its average over the week.
    const weekly = actions.length ? weeklyCapacity(actions.map((a) => a.body)) : undefined;
    return { floor: weekly?.min ?? min, ceiling: weekly?.max ?? max, scheduled: actions.length > 0, weekly };
  };
  const serviceTasks = new Map<string, { floor: number; ceiling: number }>();
  /** What one task reserves: task-level cpu/memory, else the sum of its containers'; GPUs from the containers. */
  const taskSize = (td: Resource | undefined): { cpu?: number; memoryMiB?: number; gpus: number } => {
    let containers: Body[] = [];
    try {
      const raw = td?.body.container_definitions;
      const decoded = typeof raw === 'string' ? decodeJsonencode(raw) : raw;
      if (Array.isArray(decoded)) containers = decoded as Body[];
    } catch {
      containers = [];
    }
    const sum = (f: (c: Body) => number | undefined) => (containers.length ? containers.reduce((n, c) => n + (f(c) ?? 0), 0) : undefined);
    const gpus = sum((c) => list(c.resourceRequirements).filter((x) => x.type === 'GPU').reduce((n, x) => n + (num(x.value) ?? 0), 0)) ?? 0;
    return { cpu: num(td?.body.cpu) ?? sum((c) => num(c.cpu)), memoryMiB: num(td?.body.memory) ?? sum((c) => num(c.memory) ?? num(c.memoryReservation)), gpus };
  };
  const providerTasks = new Map<string, { service: string; floor: number; ceiling: number; size: { cpu?: number; memoryMiB?: number; gpus: number } }[]>();
  for (const r of pending('aws_ecs_service')) {
    const pr = pricesFor(r);
    const name = nameOf(r);
    const counts = taskCounts(r);
    serviceTasks.set(r.address, counts);
    const taskDefAddr = refOf(r.body.task_definition, 'aws_ecs_task_definition');
    const taskDef = taskDefAddr ? byAddress.get(taskDefAddr) : undefined;
    const clusterAddr = refOf(r.body.cluster, 'aws_ecs_cluster');
    let strategy = list(r.body.capacity_provider_strategy);
    if (strategy.length === 0 && r.body.launch_type) strategy = [{ capacity_provider: r.body.launch_type === 'FARGATE' ? 'FARGATE' : 'EC2', weight: 1, base: 0 }];
    if (strategy.length === 0 && clusterAddr) strategy = clusterStrategies.get(clusterAddr) ?? [];
    if (strategy.length === 0) {
      const compat: string[] = list(taskDef?.body.requires_compatibilities) as unknown as string[];
      strategy = [{ capacity_provider: compat.includes('FARGATE') && !compat.includes('EC2') ? 'FARGATE' : 'EC2', weight: 1, base: 0 }];
    }
    /** Tasks per strategy entry: bases first, the rest by weight (the expected split). */
    const sharesOf = (n: number): number[] => {
      const shares = strategy.map(() => 0);
      let left = n;
      strategy.forEach((s, i) => {
        const b = Math.min(left, num(s.base) ?? 0);
        shares[i] += b;
        left -= b;
      });
      const weights = strategy.map((s) => num(s.weight) ?? 0);
      const total = weights.reduce((a, b) => a + b, 0);
      strategy.forEach((_, i) => (shares[i] += total > 0 ? (left * weights[i]) / total : i === 0 ? left : 0));
      return shares;
    };
    const split = (shares: number[]): Record<'FARGATE' | 'FARGATE_SPOT' | 'EC2', number> => {
      const out = { FARGATE: 0, FARGATE_SPOT: 0, EC2: 0 };
      strategy.forEach((s, i) => (out[providerKind(s.capacity_provider)] += shares[i]));
      return out;
    };
    const sharesLo = sharesOf(counts.floor);
    const sharesHi = sharesOf(counts.ceiling);
    const lo = split(sharesLo);
    const hi = split(sharesHi);
    // Tasks an EC2 capacity provider of the stack must place: its Auto Scaling Group needs instances for them.
    strategy.forEach((s, i) => {
      const cp = refOf(s.capacity_provider, 'aws_ecs_capacity_provider');
      if (!cp) return;
      const placed = providerTasks.get(cp) ?? [];
      placed.push({ service: r.address, floor: sharesLo[i], ceiling: sharesHi[i], size: taskSize(taskDef) });
      providerTasks.set(cp, placed);
    });
    const providers = new Set(strategy.map((s) => providerKind(s.capacity_provider)));
    const countNote = [
      counts.floor === 0 && counts.ceiling === 0 ? 'no tasks: desired count and autoscaling range are 0' : undefined,
      counts.weekly
        ? `scheduled actions: ${fmtNum(Math.round(counts.weekly.min * 1000) / 1000)}..${fmtNum(Math.round(counts.weekly.max * 1000) / 1000)} tasks on average over the week${counts.weekly.stopped > 0 ? `, stopped ${fmtNum(Math.round(counts.weekly.stopped * 1000) / 10)} % of it` : ''}`
        : counts.scheduled
          ? 'scheduled actions not on a weekly cron: the target\'s own range is priced'
          : undefined,
      strategy.length > 1 ? `strategy ${strategy.map((s) => `${String(s.capacity_provider).startsWith('${') ? 'EC2 provider' : s.capacity_provider} base ${num(s.base) ?? 0} weight ${num(s.weight) ?? 0}`).join(', ')}` : undefined,
    ].filter(Boolean).join('; ');
    if (providers.has('FARGATE') || providers.has('FARGATE_SPOT')) {
      const cpu = num(taskDef?.body.cpu);
      const mem = num(taskDef?.body.memory);
      if (!taskDef || cpu === undefined || mem === undefined) {
        skip(r, 'Fargate service whose task definition has no literal cpu and memory');
        continue;
      }
      const vcpu = cpu / 1024;
      const gb = mem / 1024;
      const arm = taskDef.body.runtime_platform?.cpu_architecture === 'ARM64';
      const size = `${fmtNum(vcpu)} vCPU, ${fmtNum(gb)} GB${arm ? ', arm64' : ''}`;
      if (providers.has('FARGATE')) {
        const price = (vcpu * (arm ? pr.fargate.armVcpuHour : pr.fargate.vcpuHour).usd + gb * (arm ? pr.fargate.armGbHour : pr.fargate.gbHour).usd) * H;
        line({ item: `ECS ${name}: Fargate`, quantity: { floor: lo.FARGATE, ceiling: hi.FARGATE }, unit: `task-month (${size})`, unitPrice: price, resources: [r.address, taskDef.address], note: countNote || undefined, assumptions: ['hoursPerMonth'] });
      }
      if (providers.has('FARGATE_SPOT')) {
        const price = (vcpu * pr.fargate.spotVcpuHour.usd + gb * pr.fargate.spotGbHour.usd) * H;
        line({ item: `ECS ${name}: Fargate Spot`, quantity: { floor: lo.FARGATE_SPOT, ceiling: hi.FARGATE_SPOT }, unit: `task-month (${size})`, unitPrice: price, resources: [r.address, taskDef.address], note: countNote || undefined, assumptions: ['hoursPerMonth'] });
      }
      const ephemeral = num(taskDef.body.ephemeral_storage?.size_in_gib ?? list(taskDef.body.ephemeral_storage)[0]?.size_in_gib);
      if (ephemeral !== undefined && ephemeral > 20) {
        line({ item: `ECS ${name}: ephemeral storage above 20 GB`, quantity: { floor: lo.FARGATE + lo.FARGATE_SPOT, ceiling: hi.FARGATE + hi.FARGATE_SPOT }, unit: `task-month (${ephemeral - 20} GB)`, unitPrice: (ephemeral - 20) * pr.fargate.ephemeralGbHour.usd * H, resources: [r.address] });
      }
      const net = list(r.body.network_configuration)[0];
      if (bool(net?.assign_public_ip) === true) {
        agg('Public IPv4 addresses', 'address-month', month(pr.publicIpv4Hour), lo.FARGATE + lo.FARGATE_SPOT, hi.FARGATE + hi.FARGATE_SPOT, r.address, { note: IPV4_NOTE });
      }
    }
    if (providers.has('EC2')) {
      line({ item: `ECS ${name}: tasks on EC2 capacity`, quantity: { floor: lo.EC2, ceiling: hi.EC2 }, unit: 'task (instances priced with their Auto Scaling Group)', unitPrice: 0, resources: [r.address], note: countNote || undefined });
    }
    handled.add(r.address);
  }
  for (const r of pending('aws_ecs_cluster')) {
    handled.add(r.address);
    const insights = list(r.body.setting).find((s) => s.name === 'containerInsights')?.value;
    if (insights !== 'enabled' && insights !== 'enhanced') continue; // the cluster itself is free
    const pr = pricesFor(r);
    const services = ofType('aws_ecs_service').filter((s) => refOf(s.body.cluster, 'aws_ecs_cluster') === r.address);
    const counts = services.map((s) => serviceTasks.get(s.address) ?? taskCounts(s));
    const running = (k: 'floor' | 'ceiling') => counts.filter((c) => c[k] > 0).length;
    const tasks = (k: 'floor' | 'ceiling') => counts.reduce((n, c) => n + c[k], 0);
    const metrics = (k: 'floor' | 'ceiling') => (tasks(k) > 0 ? A.containerInsightsMetricsPerCluster : 0) + running(k) * A.containerInsightsMetricsPerService;
    const name = nameOf(r);
    const note = `metrics only while tasks run${insights === 'enhanced' ? '; enhanced observability bills per observation and is estimated at the standard figures' : ''}`;
    line({ item: `Container Insights metrics (${name})`, quantity: { floor: metrics('floor'), ceiling: metrics('ceiling') }, unit: 'metric-month', unitPrice: pr.cloudwatch.customMetricMonth.usd, resources: [r.address], note, assumptions: ['containerInsightsMetricsPerCluster', 'containerInsightsMetricsPerService'] });
    line({ item: `Container Insights performance logs (${name})`, quantity: { floor: tasks('floor') * A.containerInsightsLogGbPerTask, ceiling: tasks('ceiling') * A.containerInsightsLogGbPerTask }, unit: 'GB ingested', unitPrice: pr.cloudwatch.logIngestGb.usd, resources: [r.address], assumptions: ['containerInsightsLogGbPerTask'] });
  }
  for (const r of pending('aws_service_discovery_service')) {
    handled.add(r.address);
    const users = ofType('aws_ecs_service').filter((s) => list(s.body.service_registries).some((sr) => refsIn(sr.registry_arn).includes(r.address)));
    const lo = users.reduce((n, s) => n + (serviceTasks.get(s.address)?.floor ?? 0), 0);
    const hi = users.reduce((n, s) => n + (serviceTasks.get(s.address)?.ceiling ?? 0), 0);
    agg('Cloud Map registered instances', 'instance-month', pricesFor(r).cloudMapInstanceMonth.usd, lo, hi, r.address, { note: users.length ? 'one per running ECS task' : 'instances registered by something other than an ECS service are not counted' });
  }
  for (const type of ['aws_service_discovery_private_dns_namespace', 'aws_service_discovery_public_dns_namespace']) {
    for (const r of pending(type)) {
      handled.add(r.address);
      agg('Route 53 hosted zones', 'zone-month', pricesFor(r).route53.hostedZoneMonth.usd, 1, 1, r.address, { note: 'Cloud Map DNS namespaces create a hosted zone' });
    }
  }
  for (const r of pending('aws_service_discovery_http_namespace')) handled.add(r.address); // no hosted zone

  // ===== EC2 capacity =====
  /** EBS of one instance from a launch template's block device mappings. */
  const volumesOf = (lt: Resource | undefined): { gb: Record<'gp3' | 'gp2', number>; note?: string } => {
    const gb = { gp3: 0, gp2: 0 };
    const mappings = list(lt?.body.block_device_mappings).map((m) => list(m.ebs)[0]).filter(Boolean);
    if (mappings.length === 0) return { gb, note: 'root volume from the AMI (size unknown, not priced)' };
    const notes: string[] = [];
    for (const ebs of mappings) {
      const size = num(ebs.volume_size);
      const type = ebs.volume_type ?? 'gp2';
      if (size === undefined) notes.push('a volume of the AMI size (not priced)');
      else if (type === 'gp3' || type === 'gp2') gb[type as 'gp3' | 'gp2'] += size;
      else notes.push(`a ${type} volume (not priced)`);
    }
    return { gb, note: notes.length ? notes.join('; ') : undefined };
  };
  const ebsLines = (owner: string, addresses: string[], lt: Resource | undefined, lo: number, hi: number, pr: RegionPrices, label = 'instance') => {
    const { gb, note } = volumesOf(lt);
    for (const t of ['gp3', 'gp2'] as const) {
      if (gb[t] > 0) line({ item: `${owner}: EBS ${t}`, quantity: { floor: lo * gb[t], ceiling: hi * gb[t] }, unit: `GB-month (${gb[t]} GB per ${label})`, unitPrice: pr.ebs[t].usd, resources: addresses, note });
    }
    return note;
  };
  const discountOf = (instanceType: string) => A.spotDiscount[familyOf(instanceType)] ?? A.spotDiscount['*'] ?? 0;
  for (const r of pending('aws_autoscaling_group')) {
    const pr = pricesFor(r);
    const mixed = list(r.body.mixed_instances_policy)[0];
    const mixedLt = mixed ? list(mixed.launch_template)[0] : undefined;
    const ltAddr = refOf(mixedLt?.launch_template_specification ?? r.body.launch_template, 'aws_launch_template');
    const lt = ltAddr ? byAddress.get(ltAddr) : undefined;
    const overrides = list(mixedLt?.override).map((o) => o.instance_type).filter((t): t is string => typeof t === 'string');
    const instanceType = overrides[0] ?? lt?.body.instance_type;
    if (typeof instanceType !== 'string' || instanceType.includes('${')) {
      skip(r, 'no literal instance type in the launch template or the mixed instances override');
      continue;
    }
    const hourly = pr.ec2Hour[instanceType];
    if (!hourly) {
      skip(r, `no on-demand price for ${instanceType} in ${region}`);
      continue;
    }
    const min = num(r.body.min_size) ?? 0;
    const max = num(r.body.max_size) ?? min;
    // An ECS capacity provider with managed scaling launches instances for the tasks placed on it:
    // at the floor, the group runs at least what the services' minimum tasks need.
    const providers = ofType('aws_ecs_capacity_provider').filter((c) => refsIn(c.body.auto_scaling_group_provider).includes(r.address));
    const placed = providers.flatMap((c) => providerTasks.get(c.address) ?? []);
    const size = GPU_INSTANCE_TYPES[instanceType] ?? (vcpusOf(instanceType) ? { vcpus: vcpusOf(instanceType)!, memoryGiB: Infinity, gpus: 0 } : undefined);
    const perInstance = (t: (typeof placed)[number]['size']) => {
      if (!size) return 1;
      const fits = [t.cpu ? Math.floor((size.vcpus * 1024) / t.cpu) : Infinity, t.memoryMiB ? Math.floor((size.memoryGiB * 1024 * 0.95) / t.memoryMiB) : Infinity, t.gpus > 0 ? Math.floor(size.gpus / t.gpus) : Infinity];
      const n = Math.min(...fits);
      return Number.isFinite(n) ? Math.max(1, n) : 1;
    };
    // Whole instances for whole tasks; a week's average of scheduled task counts needs the average
    // of instances (managed scaling follows the tasks), not its ceiling.
    const rawAtFloor = placed.reduce((n, t) => n + t.floor / perInstance(t.size), 0);
    const neededAtFloor = placed.every((t) => Number.isInteger(t.floor)) ? Math.ceil(rawAtFloor - 1e-9) : Math.round(rawAtFloor * 1000) / 1000;
    const floor = Math.min(max, Math.max(min, num(r.body.desired_capacity) ?? 0, neededAtFloor));
    const placedNote = placed.length ? `; at the floor ${fmtNum(placed.reduce((n, t) => n + t.floor, 0))} task(s) of its capacity provider need ${neededAtFloor} instance(s)` : '';
    const dist = mixed ? list(mixed.instances_distribution)[0] ?? {} : undefined;
    const base = dist ? num(dist.on_demand_base_capacity) ?? 0 : 0;
    const pct = dist ? num(dist.on_demand_percentage_above_base_capacity) ?? 100 : 100;
    const onDemand = (n: number) => Math.min(n, base) + (Math.max(0, n - base) * pct) / 100;
    const name = nameOf(r);
    const addresses = [r.address, ...(lt ? [lt.address] : [])];
    const others = overrides.length > 1 ? `; the group may also launch ${overrides.slice(1).join(', ')}` : '';
    const managed = providers.length ? `; an ECS capacity provider scales it to the tasks placed on it${placedNote}` : '';
    line({ item: `ASG ${name}: ${instanceType} on-demand`, quantity: { floor: onDemand(floor), ceiling: onDemand(max) }, unit: 'instance-month', unitPrice: month(hourly), resources: addresses, note: `min ${min}, max ${max}${dist ? `, on-demand base ${base} + ${pct}% above` : ''}${others}${managed}`, assumptions: ['hoursPerMonth'] });
    if (pct < 100) {
      const d = discountOf(instanceType);
      line({ item: `ASG ${name}: ${instanceType} spot`, quantity: { floor: floor - onDemand(floor), ceiling: max - onDemand(max) }, unit: 'instance-month', unitPrice: month(hourly) * (1 - d), resources: addresses, note: `${Math.round(d * 100)}% below on-demand (assumed)${others}`, assumptions: ['spotDiscount'] });
    }
    ebsLines(`ASG ${name}`, addresses, lt, floor, max, pr);
    handled.add(r.address);
  }
  for (const r of pending('aws_instance')) {
    const pr = pricesFor(r);
    const type = r.body.instance_type;
    const hourly = typeof type === 'string' ? pr.ec2Hour[type] : undefined;
    if (!hourly) {
      skip(r, `no on-demand price for ${String(type)} in ${region}`);
      continue;
    }
    handled.add(r.address);
    const name = nameOf(r);
    line({ item: `EC2 ${name}: ${type}`, quantity: { floor: 1, ceiling: 1 }, unit: 'instance-month', unitPrice: month(hourly), resources: [r.address], assumptions: ['hoursPerMonth'] });
    const root = list(r.body.root_block_device)[0];
    const size = num(root?.volume_size);
    const vt = root?.volume_type ?? 'gp2';
    if (size !== undefined && (vt === 'gp3' || vt === 'gp2')) line({ item: `EC2 ${name}: EBS ${vt} root`, quantity: { floor: size, ceiling: size }, unit: 'GB-month', unitPrice: pr.ebs[vt as 'gp3' | 'gp2'].usd, resources: [r.address] });
  }
  for (const r of pending('aws_ebs_volume')) {
    const pr = pricesFor(r);
    const size = num(r.body.size);
    const vt = r.body.type ?? 'gp2';
    if (size === undefined || (vt !== 'gp3' && vt !== 'gp2')) {
      skip(r, size === undefined ? 'no literal size' : `volume type ${vt} is not in the price table`);
      continue;
    }
    handled.add(r.address);
    agg(`EBS ${vt} volumes`, 'GB-month', pr.ebs[vt as 'gp3' | 'gp2'].usd, size, size, r.address);
  }
  for (const r of pending('aws_batch_compute_environment')) {
    const pr = pricesFor(r);
    const cr = list(r.body.compute_resources)[0];
    if (!cr) {
      handled.add(r.address); // UNMANAGED: the instances are someone else's
      continue;
    }
    const kind = cr.type ?? 'EC2';
    const min = num(cr.min_vcpus) ?? 0;
    const max = num(cr.max_vcpus);
    if (max === undefined) {
      skip(r, 'no literal max_vcpus');
      continue;
    }
    const name = nameOf(r, 'compute_environment_name', 'compute_environment_name_prefix').replace(/-$/, '');
    if (kind === 'FARGATE' || kind === 'FARGATE_SPOT') {
      const spot = kind === 'FARGATE_SPOT';
      const price = ((spot ? pr.fargate.spotVcpuHour : pr.fargate.vcpuHour).usd + A.batchFargateGbPerVcpu * (spot ? pr.fargate.spotGbHour : pr.fargate.gbHour).usd) * H;
      line({ item: `Batch ${name}: ${spot ? 'Fargate Spot' : 'Fargate'}`, quantity: { floor: min, ceiling: max }, unit: 'vCPU-month', unitPrice: price, resources: [r.address], assumptions: ['batchFargateGbPerVcpu'] });
      handled.add(r.address);
      continue;
    }
    const types = list(cr.instance_type) as unknown as string[];
    const candidates = types
      .map((t) => ({ t, price: pr.ec2Hour[t], vcpus: vcpusOf(t) }))
      .filter((c): c is { t: string; price: Price; vcpus: number } => c.price !== undefined && c.vcpus !== undefined)
      .sort((a, b) => a.price.usd / a.vcpus - b.price.usd / b.vcpus);
    if (candidates.length === 0) {
      skip(r, `no on-demand price or size for ${types.join(', ') || 'its instance types'} in ${region}`);
      continue;
    }
    const best = candidates[0];
    const spot = kind === 'SPOT';
    const d = spot ? discountOf(best.t) : 0;
    const perVcpu = (best.price.usd / best.vcpus) * H * (1 - d);
    const ltAddr = refOf(cr.launch_template, 'aws_launch_template');
    const lt = ltAddr ? byAddress.get(ltAddr) : undefined;
    const addresses = [r.address, ...(lt ? [lt.address] : [])];
    const unpricedTypes = types.filter((t) => !candidates.some((c) => c.t === t));
    line({
      item: `Batch ${name}: ${best.t} ${spot ? 'spot' : 'on-demand'}`,
      quantity: { floor: min, ceiling: max },
      unit: `vCPU-month (${best.vcpus} per instance)`,
      unitPrice: perVcpu,
      resources: addresses,
      note: [`vCPUs ${min} to ${max} at the cheapest listed type per vCPU`, spot ? `${Math.round(d * 100)}% below on-demand (assumed)` : '', unpricedTypes.length ? `no price for ${unpricedTypes.join(', ')}` : ''].filter(Boolean).join('; '),
      assumptions: spot ? ['spotDiscount'] : ['hoursPerMonth'],
    });
    ebsLines(`Batch ${name}`, addresses, lt, Math.ceil(min / best.vcpus), Math.ceil(max / best.vcpus), pr);
    handled.add(r.address);
  }

  // ===== Storage =====
  for (const r of pending('aws_efs_file_system')) {
    handled.add(r.address);
    agg('EFS Standard storage', 'GB-month', pricesFor(r).efsStandardGbMonth.usd, A.efsGbPerFileSystem, A.efsGbPerFileSystem, r.address, { assumptions: ['efsGbPerFileSystem'] });
  }
  for (const r of pending('aws_efs_backup_policy')) {
    handled.add(r.address);
    if (list(r.body.backup_policy)[0]?.status !== 'ENABLED') continue;
    agg('AWS Backup storage (EFS)', 'GB-month', pricesFor(r).backupEfsGbMonth.usd, A.efsBackupGbPerFileSystem, A.efsBackupGbPerFileSystem, r.address, { assumptions: ['efsBackupGbPerFileSystem'] });
  }
  for (const r of pending('aws_backup_selection')) {
    const pr = pricesFor(r);
    const arns = list(r.body.resources) as unknown as unknown[];
    const kinds = arns.map((a) => {
      const ref = typeof a === 'string' ? refsIn(a)[0] : undefined;
      if (ref?.startsWith('aws_efs_file_system.') || (typeof a === 'string' && a.startsWith('arn:aws:elasticfilesystem:'))) return 'efs';
      if (ref?.startsWith('aws_s3_bucket.') || (typeof a === 'string' && a.startsWith('arn:aws:s3:::'))) return 's3';
      return undefined;
    });
    if (arns.length === 0 || kinds.some((k) => k === undefined)) {
      skip(r, 'backup selection of resources other than EFS file systems and S3 buckets, or not a literal list');
      continue;
    }
    handled.add(r.address);
    const efs = kinds.filter((k) => k === 'efs').length;
    const s3 = kinds.filter((k) => k === 's3').length;
    if (efs) agg('AWS Backup storage (EFS)', 'GB-month', pr.backupEfsGbMonth.usd, efs * A.efsBackupGbPerFileSystem, efs * A.efsBackupGbPerFileSystem, r.address, { assumptions: ['efsBackupGbPerFileSystem'] });
    if (s3) agg('AWS Backup storage (S3)', 'GB-month', pr.backupS3GbMonth.usd, s3 * A.s3BackupGbPerBucket, s3 * A.s3BackupGbPerBucket, r.address, { assumptions: ['s3BackupGbPerBucket'], note: 'GET requests and objects under 128 KB billed extra' });
  }
  for (const r of pending('aws_s3_bucket')) {
    handled.add(r.address);
    agg('S3 Standard storage', 'GB-month', pricesFor(r).s3StandardGbMonth.usd, A.s3GbPerBucket, A.s3GbPerBucket, r.address, { assumptions: ['s3GbPerBucket'], note: 'the same assumed size for every bucket' });
  }
  for (const r of pending('aws_ecr_repository')) {
    handled.add(r.address);
    agg('ECR image storage', 'GB-month', pricesFor(r).ecrGbMonth.usd, A.ecrGbPerRepository, A.ecrGbPerRepository, r.address, { assumptions: ['ecrGbPerRepository'] });
  }

  // ===== Monitoring =====
  for (const r of pending('aws_cloudwatch_metric_alarm')) {
    const pr = pricesFor(r);
    handled.add(r.address);
    const queries = list(r.body.metric_query);
    const metrics = queries.length ? queries.filter((q) => q.metric !== undefined).map((q) => list(q.metric)[0]) : [r.body];
    const anomaly = queries.some((q) => typeof q.expression === 'string' && q.expression.includes('ANOMALY_DETECTION_BAND'));
    const count = Math.max(1, metrics.length) * (anomaly ? 3 : 1);
    const highRes = metrics.some((m) => (num(m?.period) ?? 60) < 60);
    agg(highRes ? 'CloudWatch alarms (high resolution)' : 'CloudWatch alarms', 'alarm metric-month', highRes ? pr.cloudwatch.highResolutionAlarmMetricMonth.usd : pr.cloudwatch.alarmMetricMonth.usd, count, count, r.address, {
      note: 'a metric-math alarm bills each metric it reads',
      freeTier: highRes ? undefined : 10,
    });
  }
  for (const r of pending('aws_cloudwatch_composite_alarm')) {
    handled.add(r.address);
    agg('CloudWatch composite alarms', 'alarm-month', pricesFor(r).cloudwatch.compositeAlarmMonth.usd, 1, 1, r.address);
  }
  for (const r of pending('aws_cloudwatch_dashboard')) {
    handled.add(r.address);
    agg('CloudWatch dashboards', 'dashboard-month', pricesFor(r).cloudwatch.dashboardMonth.usd, 1, 1, r.address, { note: 'the account free tier (3 dashboards) is not subtracted unless applyFreeTier', freeTier: 3 });
  }
  for (const r of pending('aws_cloudwatch_log_metric_filter')) {
    handled.add(r.address);
    agg('CloudWatch custom metrics (log metric filters)', 'metric-month', pricesFor(r).cloudwatch.customMetricMonth.usd, 1, 1, r.address, { note: 'one metric per filter (more with dimensions)', freeTier: 10 });
  }
  for (const r of pending('aws_cloudwatch_log_group')) {
    const pr = pricesFor(r);
    handled.add(r.address);
    const ia = r.body.log_group_class === 'INFREQUENT_ACCESS';
    agg(ia ? 'CloudWatch Logs ingestion (Infrequent Access)' : 'CloudWatch Logs ingestion', 'GB', (ia ? pr.cloudwatch.logIngestInfrequentAccessGb : pr.cloudwatch.logIngestGb).usd, A.logIngestGbPerGroup, A.logIngestGbPerGroup, r.address, { assumptions: ['logIngestGbPerGroup'], freeTier: ia ? undefined : 5 });
    const days = num(r.body.retention_in_days);
    const months = days === undefined || days === 0 ? A.logRetainedMonthsWhenNeverExpire : Math.min(days / 30, A.logRetainedMonthsWhenNeverExpire);
    const stored = A.logIngestGbPerGroup * months;
    agg('CloudWatch Logs storage', 'GB-month', pr.cloudwatch.logStorageGbMonth.usd, stored, stored, r.address, { assumptions: days ? ['logIngestGbPerGroup'] : ['logIngestGbPerGroup', 'logRetainedMonthsWhenNeverExpire'] });
  }

  // ===== Keys, secrets, security =====
  for (const r of pending('aws_kms_key')) {
    handled.add(r.address);
    agg('KMS keys', 'key-month', pricesFor(r).kmsKeyMonth.usd, 1, 1, r.address, { note: 'requests not priced; each of the first two yearly rotations adds $1/month' });
  }
  for (const r of pending('aws_secretsmanager_secret')) {
    handled.add(r.address);
    agg('Secrets Manager secrets', 'secret-month', pricesFor(r).secretMonth.usd, 1, 1, r.address, { note: 'API calls not priced' });
  }
  const PAID_RULE_GROUPS = /BotControl|ATPRuleSet|ACFPRuleSet|AntiDDoS/;
  for (const r of pending('aws_wafv2_web_acl')) {
    const pr = pricesFor(r);
    const rules = list(r.body.rule);
    const paid = rules.map((x) => list(x.statement)[0]?.managed_rule_group_statement).map((m) => list(m)[0]?.name).filter((n): n is string => typeof n === 'string' && PAID_RULE_GROUPS.test(n));
    if (paid.length) {
      skip(r, `managed rule groups with their own subscription (${paid.join(', ')}) are not in the price table`);
      continue;
    }
    handled.add(r.address);
    const name = nameOf(r);
    line({ item: `WAF ${name}: web ACL`, quantity: { floor: 1, ceiling: 1 }, unit: 'web ACL-month', unitPrice: pr.waf.webAclMonth.usd, resources: [r.address] });
    line({ item: `WAF ${name}: rules`, quantity: { floor: rules.length, ceiling: rules.length }, unit: 'rule-month', unitPrice: pr.waf.ruleMonth.usd, resources: [r.address], note: 'a managed rule group counts as one rule' });
    line({ item: `WAF ${name}: requests`, quantity: { floor: A.wafRequestsPerAcl / 1e6, ceiling: A.wafRequestsPerAcl / 1e6 }, unit: '1M requests', unitPrice: pr.waf.millionRequests.usd, resources: [r.address], assumptions: ['wafRequestsPerAcl'] });
  }
  for (const r of pending('aws_wafv2_rule_group')) {
    handled.add(r.address);
    agg('WAF rule groups', 'rule group-month', pricesFor(r).waf.ruleMonth.usd, 1, 1, r.address);
  }
  for (const r of pending('aws_route53_zone')) {
    const pr = pricesFor(r);
    handled.add(r.address);
    agg('Route 53 hosted zones', 'zone-month', pr.route53.hostedZoneMonth.usd, 1, 1, r.address);
    agg('Route 53 queries', '1M queries', pr.route53.millionQueries.usd, A.route53QueriesPerZone / 1e6, A.route53QueriesPerZone / 1e6, r.address, { assumptions: ['route53QueriesPerZone'], note: 'alias queries to AWS resources are free' });
  }
  for (const r of pending('aws_budgets_budget')) {
    handled.add(r.address);
    agg('AWS Budgets', 'budget-month', pricesFor(r).budgets.budgetMonth.usd, 1, 1, r.address, { note: 'the first two budgets of the account are free (applyFreeTier)', freeTier: 2 });
  }

  // ===== Messaging and data =====
  const deadLetterQueues = new Set<string>();
  for (const q of [...ofType('aws_sqs_queue'), ...ofType('aws_sqs_queue_redrive_policy')]) {
    const raw = q.body.redrive_policy;
    if (typeof raw !== 'string') continue;
    let target: string | undefined;
    try {
      target = refOf(decodeJsonencode(raw), 'aws_sqs_queue');
    } catch {
      target = refOf(raw, 'aws_sqs_queue');
    }
    if (target) deadLetterQueues.add(target);
  }
  for (const r of pending('aws_sqs_queue')) {
    const pr = pricesFor(r);
    handled.add(r.address);
    const fifo = bool(r.body.fifo_queue) === true;
    const requests = deadLetterQueues.has(r.address) ? 0 : A.sqsRequestsPerQueue / 1e6;
    agg(fifo ? 'SQS requests (FIFO)' : 'SQS requests', '1M requests', (fifo ? pr.sqs.fifoMillionRequests : pr.sqs.standardMillionRequests).usd, requests, requests, r.address, {
      assumptions: ['sqsRequestsPerQueue'],
      note: 'dead-letter queues assumed idle; the account free tier is 1M requests',
      freeTier: fifo ? undefined : 1,
    });
  }
  for (const r of pending('aws_sns_topic')) {
    handled.add(r.address);
    const q = A.snsPublishesPerTopic / 1e6;
    agg('SNS publishes', '1M publishes', pricesFor(r).sns.millionPublishes.usd, q, q, r.address, { assumptions: ['snsPublishesPerTopic'], note: 'deliveries not priced; the account free tier is 1M publishes', freeTier: 1 });
  }
  for (const r of pending('aws_dynamodb_table')) {
    const pr = pricesFor(r);
    handled.add(r.address);
    const name = nameOf(r);
    if ((r.body.billing_mode ?? 'PROVISIONED') === 'PROVISIONED') {
      const gsis = list(r.body.global_secondary_index);
      const capacity = (kind: 'read' | 'write') => {
        const base = (num(r.body[`${kind}_capacity`]) ?? 0) + gsis.reduce((n, g) => n + (num(g[`${kind}_capacity`]) ?? 0), 0);
        const target = ofType('aws_appautoscaling_target').find((t) => refsIn(t.body.resource_id).includes(r.address) && String(t.body.scalable_dimension).endsWith(kind === 'read' ? 'ReadCapacityUnits' : 'WriteCapacityUnits'));
        return target ? { floor: num(target.body.min_capacity) ?? base, ceiling: num(target.body.max_capacity) ?? base } : { floor: base, ceiling: base };
      };
      const reads = capacity('read');
      const writes = capacity('write');
      line({ item: `DynamoDB ${name}: provisioned reads`, quantity: reads, unit: 'RCU-month', unitPrice: month(pr.dynamodb.rcuHour), resources: [r.address], assumptions: ['hoursPerMonth'] });
      line({ item: `DynamoDB ${name}: provisioned writes`, quantity: writes, unit: 'WCU-month', unitPrice: month(pr.dynamodb.wcuHour), resources: [r.address], assumptions: ['hoursPerMonth'] });
    } else {
      agg('DynamoDB on-demand writes', '1M write units', pr.dynamodb.millionWrites.usd, A.dynamodbWritesPerTable / 1e6, A.dynamodbWritesPerTable / 1e6, r.address, { assumptions: ['dynamodbWritesPerTable'] });
      agg('DynamoDB on-demand reads', '1M read units', pr.dynamodb.millionReads.usd, A.dynamodbReadsPerTable / 1e6, A.dynamodbReadsPerTable / 1e6, r.address, { assumptions: ['dynamodbReadsPerTable'] });
    }
    agg('DynamoDB storage', 'GB-month', pr.dynamodb.storageGbMonth.usd, A.dynamodbGbPerTable, A.dynamodbGbPerTable, r.address, { assumptions: ['dynamodbGbPerTable'], note: 'the account free tier is 25 GB' });
    if (bool(list(r.body.point_in_time_recovery)[0]?.enabled) === true) {
      agg('DynamoDB point-in-time recovery', 'GB-month', pr.dynamodb.pitrGbMonth.usd, A.dynamodbGbPerTable, A.dynamodbGbPerTable, r.address, { assumptions: ['dynamodbGbPerTable'] });
    }
  }
  for (const r of pending('aws_elasticache_cluster')) {
    const pr = pricesFor(r);
    const type = r.body.node_type;
    const nodes = num(r.body.num_cache_nodes) ?? 1;
    const hourly = typeof type === 'string' ? pr.elasticacheNodeHour[type] : undefined;
    if (!hourly) {
      skip(r, `no price for node type ${String(type)} in ${region}`);
      continue;
    }
    handled.add(r.address);
    line({ item: `ElastiCache ${nameOf(r, 'cluster_id')}: ${type}`, quantity: { floor: nodes, ceiling: nodes }, unit: 'node-month', unitPrice: month(hourly), resources: [r.address], assumptions: ['hoursPerMonth'] });
  }
  for (const r of pending('aws_elasticache_replication_group')) {
    const pr = pricesFor(r);
    const type = r.body.node_type;
    const groups = num(r.body.num_node_groups);
    const nodes = groups !== undefined ? groups * ((num(r.body.replicas_per_node_group) ?? 0) + 1) : num(r.body.num_cache_clusters) ?? 1;
    const valkey = r.body.engine === 'valkey';
    const hourly = typeof type === 'string' ? (valkey ? pr.elasticacheValkeyNodeHour : pr.elasticacheNodeHour)[type] : undefined;
    if (!hourly) {
      skip(r, `no ${valkey ? 'Valkey ' : ''}price for node type ${String(type)} in ${region}`);
      continue;
    }
    handled.add(r.address);
    line({ item: `ElastiCache ${nameOf(r, 'replication_group_id')}: ${type}${valkey ? ' (Valkey)' : ''}`, quantity: { floor: nodes, ceiling: nodes }, unit: 'node-month', unitPrice: month(hourly), resources: [r.address], assumptions: ['hoursPerMonth'] });
  }
  for (const r of pending('aws_cloudfront_distribution')) {
    const pr = pricesFor(r);
    handled.add(r.address);
    const name = nameOf(r, 'comment');
    line({ item: `CloudFront ${name}: data out`, quantity: { floor: A.cloudfrontGbPerDistribution, ceiling: A.cloudfrontGbPerDistribution }, unit: 'GB', unitPrice: pr.cloudfront.gbOut.usd, resources: [r.address], assumptions: ['cloudfrontGbPerDistribution'] });
    line({ item: `CloudFront ${name}: requests`, quantity: { floor: A.cloudfrontRequestsPerDistribution / 1e4, ceiling: A.cloudfrontRequestsPerDistribution / 1e4 }, unit: '10,000 HTTPS requests', unitPrice: pr.cloudfront.tenThousandHttpsRequests.usd, resources: [r.address], assumptions: ['cloudfrontRequestsPerDistribution'] });
  }

  // ===== Serverless =====
  const provisioned = new Map<string, { address: string; concurrency: number }>();
  for (const r of pending('aws_lambda_provisioned_concurrency_config')) {
    const fn = refOf(r.body.function_name, 'aws_lambda_function');
    const concurrency = num(r.body.provisioned_concurrent_executions);
    if (!fn || !byAddress.has(fn) || concurrency === undefined) {
      skip(r, 'provisioned concurrency of a function outside the stack, or not a literal number');
      continue;
    }
    handled.add(r.address);
    provisioned.set(fn, { address: r.address, concurrency });
  }
  /** X-Ray traces of a traced function or stage: its requests times the sampled fraction. */
  const xray = (r: Resource, requests: number) => {
    const q = (requests * A.xraySampledFraction) / 1e6;
    agg('X-Ray traces recorded', '1M traces', pricesFor(r).xray.millionTracesRecorded.usd, q, q, r.address, { assumptions: ['xraySampledFraction'], note: 'traced Lambda invocations and API requests, sampled', freeTier: 0.1 });
  };
  for (const r of pending('aws_lambda_function')) {
    const pr = pricesFor(r);
    handled.add(r.address);
    const memGb = (num(r.body.memory_size) ?? 128) / 1024;
    const arm = (list(r.body.architectures) as unknown as string[]).includes('arm64');
    const invocations = A.lambdaInvocationsPerFunction;
    const gbSeconds = memGb * invocations * (A.lambdaAvgDurationMs / 1000);
    const pc = provisioned.get(r.address);
    agg('Lambda requests', '1M requests', pr.lambda.millionRequests.usd, invocations / 1e6, invocations / 1e6, r.address, { assumptions: ['lambdaInvocationsPerFunction'], freeTier: 1 });
    if (pc) {
      const name = nameOf(r);
      const provisionedGbs = memGb * pc.concurrency * H * 3600;
      line({
        item: `Lambda ${name}: provisioned concurrency`,
        quantity: { floor: provisionedGbs, ceiling: provisionedGbs },
        unit: `GB-second (${pc.concurrency} × ${fmtNum(memGb)} GB, always on)`,
        unitPrice: pr.lambda.provisionedGbSecond.usd,
        resources: [pc.address, r.address],
        note: arm ? 'arm64: priced at the x86 rate (the table has no arm64 provisioned rate)' : undefined,
        assumptions: ['hoursPerMonth'],
      });
      agg('Lambda duration on provisioned concurrency', 'GB-second', pr.lambda.provisionedDurationGbSecond.usd, gbSeconds, gbSeconds, r.address, { assumptions: ['lambdaInvocationsPerFunction', 'lambdaAvgDurationMs'] });
    } else {
      agg(arm ? 'Lambda duration (arm64)' : 'Lambda duration', 'GB-second', (arm ? pr.lambda.armGbSecond : pr.lambda.gbSecond).usd, gbSeconds, gbSeconds, r.address, { assumptions: ['lambdaInvocationsPerFunction', 'lambdaAvgDurationMs'], freeTier: arm ? undefined : 400_000 });
    }
    if (list(r.body.tracing_config)[0]?.mode === 'Active') xray(r, invocations);
  }
  for (const r of pending('aws_api_gateway_rest_api')) {
    handled.add(r.address);
    const q = A.apiRequestsPerApi / 1e6;
    agg('API Gateway REST requests', '1M requests', pricesFor(r).apiGateway.restMillionRequests.usd, q, q, r.address, { assumptions: ['apiRequestsPerApi'] });
  }
  for (const r of pending('aws_api_gateway_stage')) {
    handled.add(r.address);
    if (bool(r.body.xray_tracing_enabled) === true) xray(r, A.apiRequestsPerApi);
    if (bool(r.body.cache_cluster_enabled) !== true) continue;
    const size = String(r.body.cache_cluster_size ?? '0.5');
    const hourly = pricesFor(r).apiGateway.cacheHour[size];
    if (!hourly) {
      skip(r, `no price for a ${size} GB stage cache`);
      continue;
    }
    line({ item: `API Gateway ${nameOf(r, 'stage_name')}: stage cache`, quantity: { floor: 1, ceiling: 1 }, unit: `cache-month (${size} GB)`, unitPrice: month(hourly), resources: [r.address], assumptions: ['hoursPerMonth'] });
  }
  for (const r of pending('aws_apigatewayv2_api')) {
    if ((r.body.protocol_type ?? 'HTTP') !== 'HTTP') {
      skip(r, `${String(r.body.protocol_type)} APIs are not in the price table`);
      continue;
    }
    handled.add(r.address);
    const q = A.apiRequestsPerApi / 1e6;
    agg('API Gateway HTTP API requests', '1M requests', pricesFor(r).apiGateway.httpMillionRequests.usd, q, q, r.address, { assumptions: ['apiRequestsPerApi'] });
  }

  // ----- aggregated lines: totals and the free tier -----
  for (let i = 0; i < lines.length; i++) {
    const a = lines[i] as unknown as Agg;
    if (!aggs.has(`${a.item}|${a.unit}|${a.unitPrice}`) || aggs.get(`${a.item}|${a.unit}|${a.unitPrice}`) !== a) continue;
    const free = A.applyFreeTier && a.freeTier ? a.freeTier : 0;
    const qf = Math.max(0, a.floor - free);
    const qc = Math.max(0, a.ceiling - free);
    const note = [a.note, free ? `free tier of ${fmtNum(free)} subtracted` : undefined].filter(Boolean).join('; ');
    use(a.assumptions);
    lines[i] = {
      item: a.item,
      quantity: { floor: qf, ceiling: qc },
      unit: a.unit,
      unitPrice: a.unitPrice,
      floor: qf * a.unitPrice,
      ceiling: qc * a.unitPrice,
      resources: a.resources,
      ...(note ? { note } : {}),
      ...(a.assumptions ? { assumptions: a.assumptions } : {}),
    };
  }
  return finish();
}

/** Whether the estimate prices or explicitly frees a resource type (the types `estimate` has a rule for). */
export const PRICED_RESOURCE_TYPES: ReadonlySet<string> = new Set([
  'aws_nat_gateway', 'aws_eip', 'aws_lb', 'aws_vpc_endpoint', 'aws_ecs_service', 'aws_ecs_cluster', 'aws_service_discovery_service',
  'aws_service_discovery_private_dns_namespace', 'aws_service_discovery_public_dns_namespace', 'aws_service_discovery_http_namespace',
  'aws_autoscaling_group', 'aws_instance', 'aws_ebs_volume', 'aws_batch_compute_environment', 'aws_efs_file_system', 'aws_efs_backup_policy',
  'aws_s3_bucket', 'aws_ecr_repository', 'aws_cloudwatch_metric_alarm', 'aws_cloudwatch_composite_alarm', 'aws_cloudwatch_dashboard',
  'aws_cloudwatch_log_metric_filter', 'aws_cloudwatch_log_group', 'aws_kms_key', 'aws_secretsmanager_secret', 'aws_wafv2_web_acl', 'aws_wafv2_rule_group',
  'aws_route53_zone', 'aws_budgets_budget', 'aws_sqs_queue', 'aws_sns_topic', 'aws_dynamodb_table', 'aws_elasticache_cluster',
  'aws_elasticache_replication_group', 'aws_cloudfront_distribution', 'aws_backup_selection', 'aws_lambda_provisioned_concurrency_config', 'aws_lambda_function',
  'aws_api_gateway_rest_api', 'aws_api_gateway_stage', 'aws_apigatewayv2_api',
]);

const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

/** Days of the week (0 = Sunday) a cron day-of-week field names (`*`, `?`, `MON-FRI`, `1,3`, `SAT`). */
function cronDays(field: string): number[] | undefined {
  if (field === '*' || field === '?') return [0, 1, 2, 3, 4, 5, 6];
  const day = (d: string): number | undefined => (/^\d$/.test(d) ? (Number(d) + 6) % 7 : DAYS.indexOf(d.toUpperCase()) >= 0 ? DAYS.indexOf(d.toUpperCase()) : undefined); // AWS: 1 = Sunday
  const out = new Set<number>();
  for (const part of field.split(',')) {
    const [a, b] = part.split('-');
    const from = day(a);
    const to = b === undefined ? from : day(b);
    if (from === undefined || to === undefined) return undefined;
    for (let d = from; ; d = (d + 1) % 7) {
      out.add(d);
      if (d === to) break;
    }
  }
  return [...out];
}

/** Minutes of the week (from Sunday 00:00) a `cron(min hour dom month dow year)` schedule fires at; undefined when it is not weekly. */
function cronWeekMinutes(schedule: unknown): number[] | undefined {
  const m = /^cron\((\S+) (\S+) (\S+) (\S+) (\S+)(?: (\S+))?\)$/.exec(String(schedule ?? ''));
  if (!m || !/^\d+$/.test(m[1]) || !/^\d+$/.test(m[2]) || !['*', '?'].includes(m[3]) || m[4] !== '*') return undefined;
  const days = cronDays(m[5]);
  return days?.map((d) => d * 1440 + Number(m[2]) * 60 + Number(m[1]));
}

/** A service's capacity averaged over a week of its scheduled actions. */
export interface WeeklyCapacity {
  /** Average minimum task count. */
  readonly min: number;
  /** Average maximum task count. */
  readonly max: number;
  /** Share of the week the range is 0..0 (off hours). */
  readonly stopped: number;
}

/**
 * The task range of a service averaged over the week its scheduled actions describe: each action
 * sets the range (`scalable_target_action`) from the minute it fires until the next one; the
 * week starts with the range the last action of the week before left. Undefined when a schedule
 * is not a weekly cron (`rate(...)`, days of the month): the estimate then prices the target's
 * own range.
 */
export function weeklyCapacity(actions: readonly Record<string, any>[]): WeeklyCapacity | undefined {
  const events: { at: number; min?: number; max?: number }[] = [];
  for (const a of actions) {
    const t = list(a.scalable_target_action)[0] ?? a.scalable_target_action ?? {};
    const minutes = cronWeekMinutes(a.schedule);
    if (!minutes) return undefined;
    for (const at of minutes) events.push({ at, min: num(t.min_capacity), max: num(t.max_capacity) });
  }
  if (events.length === 0) return undefined;
  events.sort((x, y) => x.at - y.at);
  // The range at the week's start: what the events of a whole week leave behind.
  let min = 0;
  let max = 0;
  for (const e of events) {
    min = e.min ?? min;
    max = e.max ?? max;
  }
  const week = 7 * 1440;
  let sumMin = 0;
  let sumMax = 0;
  let stopped = 0;
  let from = 0;
  const hold = (until: number) => {
    sumMin += min * (until - from);
    sumMax += max * (until - from);
    if (max === 0) stopped += until - from;
  };
  for (const e of events) {
    hold(e.at);
    min = e.min ?? min;
    max = e.max ?? max;
    from = e.at;
  }
  hold(week);
  return { min: sumMin / week, max: sumMax / week, stopped: stopped / week };
}
