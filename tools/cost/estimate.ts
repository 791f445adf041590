/**
 * A monthly cost estimate of one synthesized stack, from its model (`tools/model`), the price table
 * in ./prices.ts and the usage assumptions of ./assumptions.ts. Pure: no I/O, no look-ups.
 *
 * Every line has a FLOOR (the stack at its minimum capacity: autoscaling minimums, Auto Scaling
 * Group minimum size, Batch minimum vCPUs, provisioned concurrency) and a CEILING (at its maximum
 * capacity). Usage-driven lines (NAT GB, logs, requests, ...) come from the assumptions and are the
 * same in both. Every resource is priced, listed in `FREE_RESOURCE_TYPES`, or reported in
 * `unpriced` with the reason: nothing is skipped silently.
 *
 * The pricing itself is split by family of services, one module each in ./pricers (network, ECS,
 * EC2 and GPU, storage, observability, serverless, other); `PRICERS` runs them in the order the
 * lines are reported.
 */
import { StackModel, SynthesizedDocument } from '../model';
import { AssumptionKey, Assumptions, resolveAssumptions } from './assumptions';
import { CostLine, Pricer, PricingContext, Unpriced } from './context';
import { PRICES, PRICES_AS_OF, RegionPrices } from './prices';
import { autoScalingGroups, batchEnvironments, ebsVolumes, instances } from './pricers/ec2';
import { ecsServices } from './pricers/ecs';
import { elasticIps, loadBalancers, natGateways, vpcEndpoints } from './pricers/network';
import { compositeAlarms, containerInsights, dashboards, logMetricFilters, metricAlarms } from './pricers/observability';
import { budgets, cacheClusters, cloudMapServices, distributions, dnsNamespaces, hostedZones, httpNamespaces, kmsKeys, replicationGroups, ruleGroups, secrets, webAcls } from './pricers/other';
import { httpApis, lambdaFunctions, provisionedConcurrency, restApiStages, restApis, snsTopics, sqsQueues } from './pricers/serverless';
import { backupSelections, dynamodbTables, ecrRepositories, efsBackupPolicies, efsFileSystems, logGroups, s3Buckets } from './pricers/storage';

export { ASSUMPTION_DOCS, DEFAULT_ASSUMPTIONS } from './assumptions';
export type { AssumptionKey, Assumptions } from './assumptions';
export type { CostLine, Unpriced } from './context';
export { weeklyCapacity } from './schedule';

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
  'aws_wafv2_web_acl_association', 'aws_wafv2_web_acl_logging_configuration', 'aws_wafv2_ip_set',
  // Monitoring configuration
  'aws_xray_sampling_rule', 'aws_cloudwatch_log_resource_policy', 'aws_cloudwatch_log_subscription_filter',
  // EventBridge rules and targets: rules are free, and events from AWS services are free
  'aws_cloudwatch_event_rule', 'aws_cloudwatch_event_target',
  // Account settings: cost allocation tags cost nothing to activate
  'aws_ce_cost_allocation_tag',
  // Terraform's own bookkeeping (no AWS resource)
  'terraform_data',
]);

/** The pricers, in the order their lines are reported (shared lines stay where first added). */
export const PRICERS: readonly Pricer[] = [
  natGateways, elasticIps, loadBalancers, vpcEndpoints,
  ecsServices, containerInsights, cloudMapServices, dnsNamespaces, httpNamespaces,
  autoScalingGroups, instances, ebsVolumes, batchEnvironments,
  efsFileSystems, efsBackupPolicies, backupSelections, s3Buckets, ecrRepositories,
  metricAlarms, compositeAlarms, dashboards, logMetricFilters, logGroups,
  kmsKeys, secrets, webAcls, ruleGroups, hostedZones, budgets,
  sqsQueues, snsTopics, dynamodbTables, cacheClusters, replicationGroups, distributions,
  provisionedConcurrency, lambdaFunctions, restApis, restApiStages, httpApis,
];

/** The resource types the estimate prices (some at no cost: a gateway endpoint, a cluster without Container Insights). */
export const PRICED_RESOURCE_TYPES: ReadonlySet<string> = new Set(PRICERS.flatMap((p) => p.types));

/** Prices of the regions of the aliased AWS providers the table has (`aws.<alias>` -> prices). */
function aliasPrices(model: StackModel, table: Readonly<Record<string, RegionPrices>>): Map<string, RegionPrices> {
  const out = new Map<string, RegionPrices>();
  for (const p of model.providers) if (p.type === 'aws' && p.alias && p.region && table[p.region]) out.set(`aws.${p.alias}`, table[p.region]);
  return out;
}

/**
 * Reports the resources whose instance count Terraform decides at plan time (`count`,
 * `for_each`), or whose provider is in a region the table lacks; returns their addresses.
 */
function reportUncountable(ctx: PricingContext, table: Readonly<Record<string, RegionPrices>>): Set<string> {
  const regions = new Map(ctx.model.providers.filter((p) => p.type === 'aws' && p.alias && p.region).map((p) => [`aws.${p.alias}`, p.region!]));
  const out = new Set<string>();
  for (const r of ctx.model.resources()) {
    if (FREE_RESOURCE_TYPES.has(r.type)) continue;
    const other = typeof r.body.provider === 'string' ? regions.get(r.body.provider) : undefined;
    if (r.body.count !== undefined || r.body.for_each !== undefined) ctx.skip(r, 'count/for_each: the number of instances is decided at plan time');
    else if (other !== undefined && other !== ctx.region && !table[other]) ctx.skip(r, `provider ${r.body.provider} is in ${other}, which the price table lacks`);
    else continue;
    out.add(r.address);
  }
  return out;
}

/** Runs every pricer over its resources; returns the addresses handled (priced, free, or reported). */
function priceAll(ctx: PricingContext, table: Readonly<Record<string, RegionPrices>>): Set<string> {
  const handled = reportUncountable(ctx, table);
  for (const pricer of PRICERS) {
    for (const type of pricer.types) {
      for (const r of ctx.model.resources(type)) {
        if (handled.has(r.address)) continue;
        handled.add(r.address);
        pricer.price(r, ctx);
      }
    }
  }
  return handled;
}

/** Estimates the monthly cost of one synthesized stack (its model, or its document alone). */
export function estimate(stack: StackModel | SynthesizedDocument, options: EstimateOptions = {}): Estimate {
  const model = stack instanceof StackModel ? stack : StackModel.fromDocument(stack);
  const assumptions = resolveAssumptions(options.assumptions);
  const region = options.region ?? model.region ?? 'unknown';
  const table = options.prices ?? PRICES;
  const prices = table[region];
  const ctx = new PricingContext(model, assumptions, region, prices, aliasPrices(model, table));
  const handled = prices ? priceAll(ctx, table) : new Set<string>();
  for (const r of model.resources()) {
    if (handled.has(r.address) || FREE_RESOURCE_TYPES.has(r.type)) continue;
    ctx.skip(r, prices ? 'no price rule for this resource type (neither priced nor listed as free)' : `no prices for region ${region} (the table has ${Object.keys(table).join(', ')})`);
  }
  const { lines, usedAssumptions } = ctx.finish();
  const sum = (k: 'floor' | 'ceiling') => lines.reduce((n, l) => n + l[k], 0);
  return { region, pricesAsOf: PRICES_AS_OF, lines, floor: sum('floor'), ceiling: sum('ceiling'), unpriced: ctx.unpriced, assumptions, usedAssumptions };
}
