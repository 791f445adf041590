/**
 * The other services: KMS keys, Secrets Manager, WAF, Route 53 and Cloud Map, AWS Budgets,
 * ElastiCache, CloudFront.
 */
import { Resource, blocks, num } from '../../model';
import { Pricer, PricingContext, nameOf } from '../context';
import { taskCounts } from './ecs';

/** Resource arguments through which a key encrypts a resource's data. */
const KEY_FIELDS = ['kms_key_id', 'kms_key_arn', 'kms_master_key_id', 'kms_key', 'rule', 'server_side_encryption', 'encryption_configuration'];

/** KMS keys, and the requests of what they encrypt. */
export const kmsKeys: Pricer = {
  types: ['aws_kms_key'],
  price(r, ctx) {
    const pr = ctx.pricesFor(r);
    ctx.aggregate('KMS keys', 'key-month', pr.kmsKeyMonth.usd, 1, 1, r.address, { note: 'each of the first two yearly rotations adds $1/month' });
    const encrypted = new Set(ctx.model.referencesTo(r.address).filter((ref) => KEY_FIELDS.some((f) => ref.field === f || ref.field.startsWith(`${f}.`))).map((ref) => ref.from));
    if (encrypted.size === 0) return;
    const q = (encrypted.size * ctx.assumptions.kmsRequestsPerEncryptedResource) / 10_000;
    ctx.aggregate('KMS requests', '10,000 requests', pr.kmsTenThousandRequests.usd, q, q, r.address, { assumptions: ['kmsRequestsPerEncryptedResource'], note: 'what the keys encrypt (log groups, secrets, functions, topics, queues, buckets, tables, file systems, repositories); the account free tier is 20,000 requests', freeTier: 2 });
  },
};

/** Secrets Manager secrets. */
export const secrets: Pricer = {
  types: ['aws_secretsmanager_secret'],
  price(r, ctx) {
    ctx.aggregate('Secrets Manager secrets', 'secret-month', ctx.pricesFor(r).secretMonth.usd, 1, 1, r.address, { note: 'API calls not priced' });
  },
};

/** Managed rule groups billed by subscription, which the price table does not hold. */
const PAID_RULE_GROUPS = /BotControl|ATPRuleSet|ACFPRuleSet|AntiDDoS/;

/** WAF web ACLs: the ACL, its rules and its requests. */
export const webAcls: Pricer = {
  types: ['aws_wafv2_web_acl'],
  price(r, ctx) {
    const pr = ctx.pricesFor(r);
    const rules = blocks(r.body.rule);
    const paid = rules
      .map((x) => blocks(x.statement)[0]?.managed_rule_group_statement)
      .map((m) => blocks(m)[0]?.name)
      .filter((n): n is string => typeof n === 'string' && PAID_RULE_GROUPS.test(n));
    if (paid.length) {
      ctx.skip(r, `managed rule groups with their own subscription (${paid.join(', ')}) are not in the price table`);
      return;
    }
    const name = nameOf(r);
    const requests = ctx.assumptions.wafRequestsPerAcl / 1e6;
    ctx.line({ item: `WAF ${name}: web ACL`, quantity: { floor: 1, ceiling: 1 }, unit: 'web ACL-month', unitPrice: pr.waf.webAclMonth.usd, resources: [r.address] });
    ctx.line({ item: `WAF ${name}: rules`, quantity: { floor: rules.length, ceiling: rules.length }, unit: 'rule-month', unitPrice: pr.waf.ruleMonth.usd, resources: [r.address], note: 'a managed rule group counts as one rule' });
    ctx.line({ item: `WAF ${name}: requests`, quantity: { floor: requests, ceiling: requests }, unit: '1M requests', unitPrice: pr.waf.millionRequests.usd, resources: [r.address], assumptions: ['wafRequestsPerAcl'] });
  },
};

/** WAF rule groups. */
export const ruleGroups: Pricer = {
  types: ['aws_wafv2_rule_group'],
  price(r, ctx) {
    ctx.aggregate('WAF rule groups', 'rule group-month', ctx.pricesFor(r).waf.ruleMonth.usd, 1, 1, r.address);
  },
};

/** Route 53 hosted zones and their queries. */
export const hostedZones: Pricer = {
  types: ['aws_route53_zone'],
  price(r, ctx) {
    const pr = ctx.pricesFor(r);
    const q = ctx.assumptions.route53QueriesPerZone / 1e6;
    ctx.aggregate('Route 53 hosted zones', 'zone-month', pr.route53.hostedZoneMonth.usd, 1, 1, r.address);
    ctx.aggregate('Route 53 queries', '1M queries', pr.route53.millionQueries.usd, q, q, r.address, { assumptions: ['route53QueriesPerZone'], note: 'alias queries to AWS resources are free' });
  },
};

/** The ECS services registering in a Cloud Map service, and their tasks. */
function registeredTasks(ctx: PricingContext, r: Resource): { services: number; floor: number; ceiling: number } {
  const counts = ctx.model.referrers('aws_ecs_service', 'service_registries', r).map((s) => taskCounts(ctx.model, s));
  return { services: counts.length, floor: counts.reduce((n, c) => n + c.floor, 0), ceiling: counts.reduce((n, c) => n + c.ceiling, 0) };
}

/** Cloud Map services: one registered instance per running ECS task. */
export const cloudMapServices: Pricer = {
  types: ['aws_service_discovery_service'],
  price(r, ctx) {
    const t = registeredTasks(ctx, r);
    ctx.aggregate('Cloud Map registered instances', 'instance-month', ctx.pricesFor(r).cloudMapInstanceMonth.usd, t.floor, t.ceiling, r.address, {
      note: t.services ? 'one per running ECS task' : 'instances registered by something other than an ECS service are not counted',
    });
  },
};

/** Cloud Map DNS namespaces: each creates a hosted zone. */
export const dnsNamespaces: Pricer = {
  types: ['aws_service_discovery_private_dns_namespace', 'aws_service_discovery_public_dns_namespace'],
  price(r, ctx) {
    ctx.aggregate('Route 53 hosted zones', 'zone-month', ctx.pricesFor(r).route53.hostedZoneMonth.usd, 1, 1, r.address, { note: 'Cloud Map DNS namespaces create a hosted zone' });
  },
};

/** Cloud Map HTTP namespaces: free (no hosted zone). */
export const httpNamespaces: Pricer = {
  types: ['aws_service_discovery_http_namespace'],
  price() {
    // no hosted zone: nothing to pay
  },
};

/** AWS Budgets. */
export const budgets: Pricer = {
  types: ['aws_budgets_budget', 'aws_budgets_budget_action'],
  price(r, ctx) {
    const pr = ctx.pricesFor(r).budgets;
    // A budget with an action is billed as an action-enabled budget instead of a plain one.
    if (r.type === 'aws_budgets_budget_action') {
      ctx.aggregate('AWS Budgets actions', 'action-enabled budget-month', pr.actionBudgetMonth.usd - pr.budgetMonth.usd, 1, 1, r.address, { note: 'above the plain budget; the first two action-enabled budgets of the account are free (applyFreeTier)', freeTier: 2 });
      return;
    }
    ctx.aggregate('AWS Budgets', 'budget-month', pr.budgetMonth.usd, 1, 1, r.address, { note: 'the first two budgets of the account are free (applyFreeTier)', freeTier: 2 });
  },
};

/** ElastiCache clusters: nodes. */
export const cacheClusters: Pricer = {
  types: ['aws_elasticache_cluster'],
  price(r, ctx) {
    const type = r.body.node_type;
    const nodes = num(r.body.num_cache_nodes) ?? 1;
    const hourly = typeof type === 'string' ? ctx.pricesFor(r).elasticacheNodeHour[type] : undefined;
    if (!hourly) {
      ctx.skip(r, `no price for node type ${String(type)} in ${ctx.region}`);
      return;
    }
    ctx.line({ item: `ElastiCache ${nameOf(r, 'cluster_id')}: ${type}`, quantity: { floor: nodes, ceiling: nodes }, unit: 'node-month', unitPrice: ctx.month(hourly), resources: [r.address], assumptions: ['hoursPerMonth'] });
  },
};

/** ElastiCache replication groups: nodes (shards × (replicas + 1)), at the Valkey rate for Valkey. */
export const replicationGroups: Pricer = {
  types: ['aws_elasticache_replication_group'],
  price(r, ctx) {
    const pr = ctx.pricesFor(r);
    const type = r.body.node_type;
    const groups = num(r.body.num_node_groups);
    const nodes = groups !== undefined ? groups * ((num(r.body.replicas_per_node_group) ?? 0) + 1) : num(r.body.num_cache_clusters) ?? 1;
    const valkey = r.body.engine === 'valkey';
    const hourly = typeof type === 'string' ? (valkey ? pr.elasticacheValkeyNodeHour : pr.elasticacheNodeHour)[type] : undefined;
    if (!hourly) {
      ctx.skip(r, `no ${valkey ? 'Valkey ' : ''}price for node type ${String(type)} in ${ctx.region}`);
      return;
    }
    ctx.line({ item: `ElastiCache ${nameOf(r, 'replication_group_id')}: ${type}${valkey ? ' (Valkey)' : ''}`, quantity: { floor: nodes, ceiling: nodes }, unit: 'node-month', unitPrice: ctx.month(hourly), resources: [r.address], assumptions: ['hoursPerMonth'] });
  },
};

/** CloudFront distributions: data out and HTTPS requests. */
export const distributions: Pricer = {
  types: ['aws_cloudfront_distribution'],
  price(r, ctx) {
    const pr = ctx.pricesFor(r);
    const A = ctx.assumptions;
    const name = nameOf(r, 'comment');
    const requests = A.cloudfrontRequestsPerDistribution / 1e4;
    ctx.line({ item: `CloudFront ${name}: data out`, quantity: { floor: A.cloudfrontGbPerDistribution, ceiling: A.cloudfrontGbPerDistribution }, unit: 'GB', unitPrice: pr.cloudfront.gbOut.usd, resources: [r.address], assumptions: ['cloudfrontGbPerDistribution'] });
    ctx.line({ item: `CloudFront ${name}: requests`, quantity: { floor: requests, ceiling: requests }, unit: '10,000 HTTPS requests', unitPrice: pr.cloudfront.tenThousandHttpsRequests.usd, resources: [r.address], assumptions: ['cloudfrontRequestsPerDistribution'] });
  },
};
