/**
 * The edge of the picture: clients, WAF web ACLs, CloudFront distributions and their origins,
 * load balancers with one route node per target group, target groups, VPC links, and API Gateway
 * HTTP and REST APIs with one route node per integration target.
 *
 * What routes where comes from the relations the constructs recorded: a listener or listener rule
 * to its target group, a target group to its service, an API route (or REST method) to its
 * integration, an integration to the function or service that answers. Which WAF protects what,
 * what a distribution's origins are and which VPC link an integration goes through are arguments
 * of those resources, read from the model.
 */
import { Resource, blocks } from '../model';
import { DiagramBuilder, byKey, literal, plural } from './builder';

/** The id of the clients node. */
export const INTERNET = 'internet';

/** Where traffic enters the picture: WAF web ACLs and unprotected entry nodes. */
class Entries {
  readonly ids = new Set<string>();
  /** Resource address -> the node of the web ACL protecting it. */
  readonly protectedBy = new Map<string, string>();

  constructor(private readonly b: DiagramBuilder) {}

  /** Internet (or the WAF protecting one of `addresses`) -> `id`. */
  enter(id: string, ...addresses: string[]): void {
    const waf = addresses.map((a) => this.protectedBy.get(a)).find(Boolean);
    if (!waf) {
      this.ids.add(id);
      return;
    }
    this.ids.add(waf);
    this.b.addEdge(waf, id, 'traffic');
  }
}

/** WAF web ACLs, first: what they protect links to them. */
function addWebAcls(b: DiagramBuilder, entries: Entries): void {
  const { model } = b;
  for (const acl of model.resources('aws_wafv2_web_acl')) {
    const name = b.nameOf(acl);
    const rules = blocks(acl.body.rule);
    const managed = rules.filter((r) => r.statement?.managed_rule_group_statement).length;
    const rate = rules.filter((r) => r.statement?.rate_based_statement).map((r) => `rate limit ${r.statement.rate_based_statement.limit}/5 min`);
    const lines = [[literal(acl.body.scope) ?? '', plural(rules.length, 'rule')].filter(Boolean).join(' · '), managed ? plural(managed, 'AWS managed group') : '', ...rate].filter(Boolean);
    const id = b.addNode({ id: `waf:${name}`, group: 'edge', kind: 'WAF web ACL', title: b.short(name), lines }, acl.address);
    for (const assoc of model.referrers('aws_wafv2_web_acl_association', 'web_acl_arn', acl)) {
      const target = model.ref(assoc.body.resource_arn);
      if (target) entries.protectedBy.set(target.address, id);
    }
  }
  for (const dist of model.resources('aws_cloudfront_distribution')) {
    const acl = model.ref(dist.body.web_acl_id, 'aws_wafv2_web_acl');
    if (acl) entries.protectedBy.set(dist.address, b.alias.get(acl.address)!);
  }
}

/** CloudFront distributions and their origins; returns the addresses of the origins. */
function addDistributions(b: DiagramBuilder, entries: Entries): Set<string> {
  const originOf = new Set<string>();
  for (const dist of b.model.resources('aws_cloudfront_distribution')) {
    const aliases = blocks<string>(dist.body.aliases).map((a) => literal(a) ?? '').filter(Boolean).sort();
    const origins = blocks(dist.body.origin);
    const lines = [aliases.length ? aliases.join(', ') : '', plural(origins.length, 'origin'), literal(dist.body.price_class) ?? ''].filter(Boolean);
    const name = aliases[0] ?? literal(dist.body.comment) ?? dist.name;
    const id = b.addNode({ id: `cloudfront:${name}`, group: 'edge', kind: 'CloudFront distribution', title: name, lines }, dist.address);
    entries.enter(id, dist.address);
    for (const o of origins) for (const r of b.model.refsIn(o.domain_name)) originOf.add(r.address);
    for (const o of origins) b.addEdge(id, b.nodeOf(o.domain_name) ?? undefined, 'traffic', literal(o.origin_id));
  }
  return originOf;
}

/** Target groups, and the services they send to (with the container port). */
function addTargetGroups(b: DiagramBuilder): void {
  const { model } = b;
  for (const tg of model.resources('aws_lb_target_group')) {
    const name = b.nameOf(tg, 'name_prefix');
    const hc = tg.body.health_check ?? {};
    const lines = [`${tg.body.protocol ?? ''} :${tg.body.port ?? '?'} · ${tg.body.target_type ?? 'instance'} targets`, hc.path ? `health ${hc.path}` : ''].filter(Boolean);
    b.addNode({ id: `target-group:${b.short(name)}`, group: 'edge', kind: 'Target group', title: b.short(name), lines }, tg.address);
  }
  for (const tg of model.resources('aws_lb_target_group')) {
    for (const r of b.relations('route', tg)) {
      const port = r.to.resources.flatMap((svc) => blocks(svc.body.load_balancer)).find((lb) => model.refsIn(lb.target_group_arn).includes(tg))?.container_port;
      b.addEdge(b.alias.get(tg.address), b.nodeAt(r.to), 'traffic', port ? `:${port}` : undefined);
    }
  }
}

/** A listener's line in its load balancer's node: port, redirect or fixed answer, TLS policy. */
function listenerLine(l: Resource): string {
  const actions = blocks(l.body.default_action);
  const redirect = actions.find((a) => a.type === 'redirect');
  const fixed = actions.find((a) => a.type === 'fixed-response');
  const tls = literal(l.body.ssl_policy);
  return `${l.body.protocol ?? ''} :${l.body.port ?? '?'}${redirect ? ` → ${redirect.redirect?.protocol ?? ''} :${redirect.redirect?.port ?? ''}` : ''}${fixed ? ` · default ${fixed.fixed_response?.status_code ?? ''}` : ''}${tls ? ` · ${tls.replace(/^ELBSecurityPolicy-/, '')}` : ''}`;
}

/** Per target group of a load balancer: its conditions, in priority order, and the listeners they come from. */
function routesOf(b: DiagramBuilder, listeners: readonly Resource[]): Map<string, { lines: string[]; listeners: Set<string> }> {
  const routes = new Map<string, { lines: string[]; listeners: Set<string> }>();
  const route = (from: Resource, listener: Resource, texts: readonly string[]) => {
    for (const r of b.relations('route', from)) {
      for (const tg of r.to.resources.filter((x) => x.type === 'aws_lb_target_group')) {
        const entry = routes.get(tg.address) ?? { lines: [], listeners: new Set<string>() };
        entry.lines.push(...texts);
        entry.listeners.add(`${listener.body.protocol ?? ''} :${listener.body.port ?? '?'}`);
        routes.set(tg.address, entry);
      }
    }
  };
  for (const l of listeners) {
    route(l, l, ['any path (default)']);
    const rules = b.model.referrers('aws_lb_listener_rule', 'listener_arn', l).sort((x, y) => (Number(x.body.priority) || 0) - (Number(y.body.priority) || 0) || byKey(x.address, y.address));
    for (const rule of rules) {
      const conditions = blocks(rule.body.condition).flatMap((c) => [...blocks<string>(c.path_pattern?.values), ...blocks<string>(c.host_header?.values)]);
      // One condition a line: a route stays narrow.
      route(rule, l, conditions.length ? conditions : [`rule ${rule.body.priority}`]);
    }
  }
  return routes;
}

/** Load balancers (listeners in the label) and one route node per target group they forward to. */
function addLoadBalancers(b: DiagramBuilder, entries: Entries, originOf: ReadonlySet<string>): void {
  const { model } = b;
  for (const lb of model.resources('aws_lb')) {
    const name = b.nameOf(lb, 'name_prefix');
    const listeners = model.referrers('aws_lb_listener', 'load_balancer_arn', lb);
    const lines = [`${lb.body.internal ? 'internal' : 'internet-facing'}${lb.body.load_balancer_type && lb.body.load_balancer_type !== 'application' ? ` · ${lb.body.load_balancer_type}` : ''}`, ...listeners.map(listenerLine)];
    const routes = routesOf(b, listeners);
    const id = b.addNode({ id: `lb:${b.short(name)}`, group: 'edge', kind: lb.body.load_balancer_type === 'network' ? 'Network Load Balancer' : 'Application Load Balancer', title: b.short(name), lines }, lb.address, ...listeners.map((l) => l.address));
    if (!lb.body.internal && !originOf.has(lb.address)) entries.enter(id, lb.address);
    const listenerCount = new Set([...routes.values()].flatMap((r) => [...r.listeners])).size;
    for (const tgAddress of [...routes.keys()].sort()) {
      const r = routes.get(tgAddress)!;
      const prefix = listenerCount > 1 ? `${[...r.listeners].sort().join(', ')}: ` : '';
      const tgName = b.short(b.nameOf(model.resource(tgAddress)!, 'name_prefix'));
      const routeId = b.addNode({ id: `route:${b.short(name)}:${tgName}`, group: 'edge', kind: 'Route', title: prefix + r.lines[0], lines: r.lines.slice(1), shape: 'note' });
      b.addEdge(id, routeId, 'traffic');
      b.addEdge(routeId, b.alias.get(tgAddress), 'traffic');
    }
  }
}

/** VPC links (HTTP APIs: aws_apigatewayv2_vpc_link; REST APIs: aws_api_gateway_vpc_link to NLBs). */
function addVpcLinks(b: DiagramBuilder): void {
  for (const link of b.model.resources('aws_apigatewayv2_vpc_link')) {
    b.addNode({ id: `vpc-link:${b.nameOf(link)}`, group: 'edge', kind: 'VPC link', title: b.short(b.nameOf(link)), lines: [], shape: 'cds' }, link.address);
  }
  for (const link of b.model.resources('aws_api_gateway_vpc_link')) {
    const id = b.addNode({ id: `vpc-link:${b.nameOf(link)}`, group: 'edge', kind: 'VPC link', title: b.short(b.nameOf(link)), lines: [], shape: 'cds' }, link.address);
    b.addEdge(id, b.nodeOf(link.body.target_arns), 'traffic');
  }
}

/** The node an integration sends to (the function or service that answers). */
function integrationTarget(b: DiagramBuilder, integration: Resource): string | undefined {
  return b.relations('route', integration).map((r) => b.nodeAt(r.to)).find(Boolean);
}

/** A route node (route keys of one integration) between an API and what answers, through the integration's VPC link when it has one. */
function addRoutes(b: DiagramBuilder, api: string, id: string, routes: readonly string[], integration: Resource): void {
  const routeId = b.addNode({ id, group: 'edge', kind: 'Routes', title: routes[0] ?? '', lines: routes.slice(1), shape: 'note' });
  b.addEdge(api, routeId, 'traffic');
  const link = b.nodeOf(integration.body.connection_id);
  const target = integrationTarget(b, integration);
  if (link) {
    b.addEdge(routeId, link, 'traffic');
    b.addEdge(link, target, 'traffic');
  } else b.addEdge(routeId, target, 'traffic');
}

/** Routes grouped by their integration: `from` (an API route or REST method) -> the integration its relation names. */
function integrationOf(b: DiagramBuilder, from: Resource): Resource | undefined {
  return b.relations('route', from).flatMap((r) => r.to.resources).find((x) => x.type === 'aws_apigatewayv2_integration' || x.type === 'aws_api_gateway_integration');
}

/** HTTP (and WebSocket) APIs, with one route node per integration. */
function addHttpApis(b: DiagramBuilder, entries: Entries): void {
  const { model } = b;
  for (const api of model.resources('aws_apigatewayv2_api')) {
    const name = b.nameOf(api);
    const stages = model.referrers('aws_apigatewayv2_stage', 'api_id', api);
    const throttle = stages.map((s) => s.body.default_route_settings).find((s) => s?.throttling_rate_limit !== undefined);
    const lines = [stages.length ? `stage ${stages.map((s) => literal(s.body.name) ?? '?').join(', ')}` : '', api.body.cors_configuration ? 'CORS' : '', throttle ? `throttle ${throttle.throttling_rate_limit}/s (burst ${throttle.throttling_burst_limit})` : ''].filter(Boolean);
    const id = b.addNode({ id: `api:${name}`, group: 'edge', kind: `API Gateway ${literal(api.body.protocol_type) ?? 'HTTP'} API`, title: b.short(name), lines }, api.address, ...stages.map((s) => s.address));
    entries.enter(id, api.address, ...stages.map((s) => s.address));
    const groups = new Map<Resource, string[]>();
    for (const route of model.referrers('aws_apigatewayv2_route', 'api_id', api)) {
      const integration = integrationOf(b, route);
      if (integration) groups.set(integration, [...(groups.get(integration) ?? []), literal(route.body.route_key) ?? '?']);
    }
    for (const integration of [...groups.keys()].sort((x, y) => byKey(x.address, y.address))) {
      addRoutes(b, id, `route:${name}:${integrationTarget(b, integration) ?? integration.address}`, groups.get(integration)!.sort(), integration);
    }
  }
}

/** The path of a REST API resource, from its parents. */
function restPath(b: DiagramBuilder, resourceRef: unknown): string {
  const parts: string[] = [];
  for (let r = b.model.ref(resourceRef, 'aws_api_gateway_resource'), guard = 0; r && guard < 50; r = b.model.ref(r.body.parent_id, 'aws_api_gateway_resource'), guard++) parts.unshift(String(r.body.path_part));
  return `/${parts.join('/')}`;
}

/** REST APIs: paths from the resource tree, methods grouped by what answers them. */
function addRestApis(b: DiagramBuilder, entries: Entries): void {
  const { model } = b;
  for (const api of model.resources('aws_api_gateway_rest_api')) {
    const name = b.nameOf(api);
    const stages = model.referrers('aws_api_gateway_stage', 'rest_api_id', api);
    const plans = model.resources('aws_api_gateway_usage_plan').filter((p) => model.refsIn(p.body.api_stages).includes(api));
    const endpoint = blocks<string>(api.body.endpoint_configuration?.types)[0];
    const lines = [[endpoint ? endpoint.toLowerCase() : '', stages.length ? `stage ${stages.map((s) => literal(s.body.stage_name) ?? '?').join(', ')}` : ''].filter(Boolean).join(' · '), plans.length ? 'API key + usage plan' : ''].filter(Boolean);
    const id = b.addNode({ id: `api:${name}`, group: 'edge', kind: 'API Gateway REST API', title: b.short(name), lines }, api.address, ...stages.map((s) => s.address));
    if (endpoint !== 'PRIVATE') entries.enter(id, api.address, ...stages.map((s) => s.address));
    const groups = new Map<string, { routes: string[]; integration: Resource }>();
    for (const method of model.referrers('aws_api_gateway_method', 'rest_api_id', api)) {
      const integration = integrationOf(b, method);
      if (!integration) continue; // CORS preflight answers (MOCK) route nowhere
      const target = integrationTarget(b, integration) ?? integration.address;
      const g = groups.get(target) ?? { routes: [], integration };
      g.routes.push(`${literal(method.body.http_method) ?? '?'} ${restPath(b, method.body.resource_id)}`);
      groups.set(target, g);
    }
    for (const target of [...groups.keys()].sort()) {
      const g = groups.get(target)!;
      addRoutes(b, id, `route:${name}:${target}`, g.routes.sort(), g.integration);
    }
  }
}

/** Lambda function URLs without authorization are entries too. */
function addFunctionUrls(b: DiagramBuilder, entries: Entries): void {
  for (const url of b.model.resources('aws_lambda_function_url')) {
    const fn = b.nodeOf(url.body.function_name);
    if (fn && url.body.authorization_type === 'NONE') entries.ids.add(fn);
  }
}

/** The edge part of the picture, and the clients node above its entries. */
export function addEdgeServices(b: DiagramBuilder): void {
  const entries = new Entries(b);
  addWebAcls(b, entries);
  const originOf = addDistributions(b, entries);
  addTargetGroups(b);
  addLoadBalancers(b, entries, originOf);
  addVpcLinks(b);
  addHttpApis(b, entries);
  addRestApis(b, entries);
  addFunctionUrls(b, entries);
  if (!entries.ids.size) return;
  b.addNode({ id: INTERNET, group: 'clients', kind: '', title: 'Internet / clients', lines: [] as string[], shape: 'oval' });
  for (const e of [...entries.ids].sort()) b.addEdge(INTERNET, e, 'traffic');
}
