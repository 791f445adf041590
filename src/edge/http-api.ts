import { Construct } from 'constructs';
import { Apigatewayv2Api } from '@cdktf/provider-aws/lib/apigatewayv2-api';
import { Apigatewayv2Integration } from '@cdktf/provider-aws/lib/apigatewayv2-integration';
import { Apigatewayv2Route } from '@cdktf/provider-aws/lib/apigatewayv2-route';
import { Apigatewayv2Stage } from '@cdktf/provider-aws/lib/apigatewayv2-stage';
import { Apigatewayv2VpcLink } from '@cdktf/provider-aws/lib/apigatewayv2-vpc-link';
import { jsonencode } from '../core/json';
import { Metric, MetricMath } from '../core/metric';
import { RETENTION_DAYS } from '../core/naming';
import { nameTags } from '../core/tags';
import { PropsValidator } from '../core/validation';
import { Relations } from '../core/relations';
import { LogGroup } from '../observability/logs';
import { SecurityGroup } from '../network/security-group';
import type { IVpc } from '../network/vpc';
import type { EcsService } from '../compute/ecs-service';
import type { ApplicationLoadBalancer } from './alb';
import { ApiThrottle, validateCors, validateThrottle } from './rest-api';

/** Methods an HTTP API route key can name. */
const HTTP_API_METHODS = ['ANY', 'GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS'] as const;

/** The private backend the API forwards every request to, through the VPC link. */
export type HttpApiIntegration =
  | {
      /**
       * An ECS service registered in Cloud Map with SRV records (`cloudMap.recordType: "SRV"`):
       * API Gateway needs the port as well as the address, and ECS registers a task's container
       * port only in SRV records.
       */
      readonly service: EcsService;
    }
  | {
      /** An internal Application Load Balancer (`internal: true`): its listener takes the requests. */
      readonly loadBalancer: ApplicationLoadBalancer;
    };

/** CORS answered by API Gateway itself (preflight included; it replaces CORS headers from the backend). */
export interface HttpApiCors {
  /** Allowed origins, e.g. `["https://app.example.com"]`, or `["*"]`; with several, API Gateway echoes the matching one. */
  readonly allowOrigins: readonly string[];
  /** @default ["*"] (every method) */
  readonly allowMethods?: readonly string[];
  /** @default ["content-type", "authorization"] */
  readonly allowHeaders?: readonly string[];
  /** Seconds browsers may cache a preflight answer (0-86400). @default - not sent */
  readonly maxAgeSec?: number;
}

export interface HttpApiProps {
  /** API name; also the base of the VPC link, its security group and the access log group. */
  readonly name: string;
  /** @default - none */
  readonly description?: string;
  /**
   * The VPC of the private backend: the VPC link sits in its first two private subnets (a zone
   * added later leaves the link as it is) and reaches the VPC's CIDR block.
   */
  readonly vpc: IVpc;
  /** Where requests go: a Cloud Map service (SRV records) or a load balancer listener, as an HTTP proxy. */
  readonly integration: HttpApiIntegration;
  /**
   * Route keys forwarded to the integration: `$default` (everything) or `"<METHOD> <path>"`, e.g.
   * `"GET /items/{id}"`, `"ANY /{proxy+}"`.
   * @default ["$default"]
   */
  readonly routes?: readonly string[];
  /** @default - no CORS */
  readonly cors?: HttpApiCors;
  /**
   * Throttling of every route. Without it the stage sets no route settings at all: a
   * `default_route_settings` block without throttling values throttles everything to 0 (HTTP 429).
   * @default - the account's limits
   */
  readonly throttle?: ApiThrottle;
  /** Days the access log group keeps events (a CloudWatch retention). @default 30 */
  readonly accessLogRetentionDays?: number;
}

/**
 * An API Gateway HTTP API in front of a private service: a VPC link with its own security group
 * (outbound to the VPC CIDR only; open the service to `vpcLinkSecurityGroupId`), an HTTP_PROXY
 * integration to a Cloud Map service or a load balancer listener, routes, and the `$default`
 * stage with automatic deployment, JSON access logs and optional throttling.
 */
export class HttpApi extends Construct {
  /** The HTTP API resource. */
  public readonly resource: Apigatewayv2Api;
  public readonly apiId: string;
  /** `https://<id>.execute-api.<region>.amazonaws.com` (the `$default` stage serves the root). */
  public readonly apiEndpoint: string;
  public readonly executionArn: string;
  public readonly stage: Apigatewayv2Stage;
  public readonly vpcLink: Apigatewayv2VpcLink;
  public readonly vpcLinkSecurityGroup: SecurityGroup;
  /** Security group of the VPC link: the backend must admit it (`service.allowFrom(api.vpcLinkSecurityGroupId)`). */
  public readonly vpcLinkSecurityGroupId: string;
  public readonly integration: Apigatewayv2Integration;
  public readonly logGroup: LogGroup;
  private readonly name: string;

  constructor(scope: Construct, id: string, props: HttpApiProps) {
    super(scope, id);
    const routes = props.routes ?? ['$default'];
    const retention = props.accessLogRetentionDays ?? 30;
    const v = new PropsValidator(this)
      .matches('name', props.name, /^[A-Za-z0-9_.-]{1,128}$/, 'an API name here (1-128 letters, digits, ".", "_" and "-": it also names the log group and security group)')
      .check(RETENTION_DAYS.includes(retention), 'accessLogRetentionDays', retention, `is not a CloudWatch retention; allowed: ${RETENTION_DAYS.join(', ')}`)
      .check(routes.length > 0, 'routes', routes, 'is empty; give route keys or leave it unset for ["$default"]');
    routes.forEach((r, i) => {
      const problem = routeKeyProblem(r);
      if (problem) v.check(false, `routes[${i}]`, r, problem);
    });
    routes.forEach((r, i) => v.check(routes.indexOf(r) === i, `routes[${i}]`, r, 'is given twice'));
    if ('service' in props.integration) {
      const service = props.integration.service;
      if (!service.discoveryService) v.fail('integration.service', `${service.node.path} has no Cloud Map registration; give it cloudMap with recordType "SRV"`);
      else v.check(service.cloudMapRecordType === 'SRV', 'integration.service', service.node.path, `registers ${service.cloudMapRecordType} records; API Gateway needs SRV records (the port as well as the address): set cloudMap.recordType "SRV"`);
    } else {
      const lb = props.integration.loadBalancer;
      v.check(lb.internal, 'integration.loadBalancer', lb.node.path, 'is internet-facing; a VPC link integration takes an internal load balancer (internal: true)');
    }
    if (props.cors) {
      validateCors(v, props.cors);
      v.range('cors.maxAgeSec', props.cors.maxAgeSec, 0, 86400, 'seconds');
    }
    if (props.throttle) validateThrottle(v, props.throttle);
    v.throwIfInvalid();
    this.name = props.name;

    this.resource = new Apigatewayv2Api(this, 'this', {
      name: props.name,
      description: props.description,
      protocolType: 'HTTP',
      corsConfiguration: props.cors
        ? {
            allowOrigins: [...props.cors.allowOrigins],
            allowMethods: [...(props.cors.allowMethods ?? ['*'])],
            allowHeaders: [...(props.cors.allowHeaders ?? ['content-type', 'authorization'])],
            maxAge: props.cors.maxAgeSec,
          }
        : undefined,
      tags: nameTags(props.name),
    });
    this.apiId = this.resource.id;
    this.apiEndpoint = this.resource.apiEndpoint;
    this.executionArn = this.resource.executionArn;

    // ----- VPC link -----
    this.vpcLinkSecurityGroup = new SecurityGroup(this, 'vpc-link-sg', {
      name: `${props.name}-vpc-link`,
      description: `VPC link of the HTTP API ${props.name}`,
      vpcId: props.vpc.vpcId,
      allowAllOutbound: false,
    });
    this.vpcLinkSecurityGroup.addEgress({ peer: { cidr: props.vpc.vpcCidr }, port: 0, toPort: 65535, description: 'To backends in the VPC' });
    this.vpcLinkSecurityGroupId = this.vpcLinkSecurityGroup.securityGroupId;
    this.vpcLink = new Apigatewayv2VpcLink(this, 'vpc-link', {
      name: props.name,
      // Its subnets cannot change without replacing the link (and cutting the API off while it is
      // re-created): two zones are enough for its availability and it reaches every zone of the
      // VPC, so a zone added later does not touch it.
      subnetIds: props.vpc.privateSubnetIds.slice(0, 2),
      securityGroupIds: [this.vpcLinkSecurityGroupId],
      tags: nameTags(props.name),
    });
    this.vpcLinkSecurityGroup.addDependent(this.vpcLink);

    // ----- integration and routes -----
    const viaCloudMap = 'service' in props.integration;
    const uri = 'service' in props.integration ? props.integration.service.discoveryService!.arn : props.integration.loadBalancer.listener.arn;
    this.integration = new Apigatewayv2Integration(this, 'integration', {
      apiId: this.resource.id,
      description: viaCloudMap ? 'Cloud Map service through the VPC link' : 'Load balancer listener through the VPC link',
      integrationType: 'HTTP_PROXY',
      integrationMethod: 'ANY',
      integrationUri: uri,
      connectionType: 'VPC_LINK',
      connectionId: this.vpcLink.id,
      payloadFormatVersion: '1.0',
    });
    Relations.route(this.integration, uri);
    for (const routeKey of routes) {
      Relations.route(new Apigatewayv2Route(this, `route-${routeKey.replace(/\//g, '|')}`, { apiId: this.resource.id, routeKey, target: `integrations/${this.integration.id}` }), this.integration);
    }

    // ----- stage -----
    this.logGroup = new LogGroup(this, 'access-logs', { name: `/aws/apigateway/${props.name}`, retentionDays: retention });
    this.stage = new Apigatewayv2Stage(this, 'stage', {
      apiId: this.resource.id,
      name: '$default',
      autoDeploy: true,
      accessLogSettings: { destinationArn: this.logGroup.logGroupArn, format: jsonencode(HTTP_ACCESS_LOG_FORMAT) },
      // Only with throttling: route settings without throttling values throttle everything to 0.
      defaultRouteSettings: props.throttle ? { throttlingBurstLimit: props.throttle.burstLimit, throttlingRateLimit: props.throttle.rateLimit } : undefined,
      tags: nameTags(`${props.name}-default`),
    });
  }

  private metric(metricName: string, stat: string): Metric {
    return { namespace: 'AWS/ApiGateway', metricName, dimensions: { ApiId: this.apiId, Stage: '$default' }, stat, label: `${this.name} ${metricName}` };
  }

  /** Requests, summed. */
  public metricCount(): Metric {
    return this.metric('Count', 'Sum');
  }

  /** Client errors (4xx), summed. */
  public metric4xx(): Metric {
    return this.metric('4xx', 'Sum');
  }

  /** Server errors (5xx, including an unreachable backend), summed. */
  public metric5xx(): Metric {
    return this.metric('5xx', 'Sum');
  }

  /** Time from request to response in milliseconds, backend included. */
  public metricLatency(stat = 'p99'): Metric {
    return this.metric('Latency', stat);
  }

  /**
   * Server errors (5xx) in percent of requests, as metric math: 0 in a period without requests
   * (API Gateway answers 503 itself when no backend is registered: those count too).
   */
  public metric5xxRate(label = 'API 5xx rate (%)'): MetricMath {
    return { expression: 'IF(FILL(requests, 0) > 0, 100 * FILL(errors, 0) / FILL(requests, 0), 0)', metrics: { errors: this.metric5xx(), requests: this.metricCount() }, label };
  }
}

/** Why `key` is not an HTTP API route key, or undefined. */
function routeKeyProblem(key: string): string | undefined {
  if (key === '$default') return undefined;
  const m = /^([A-Z]+) (\/.*)$/.exec(key);
  if (!m) return 'is not a route key; allowed: "$default" or "<METHOD> <path>", e.g. "GET /items/{id}"';
  if (!(HTTP_API_METHODS as readonly string[]).includes(m[1])) return `names the method ${JSON.stringify(m[1])}; allowed: ${HTTP_API_METHODS.join(', ')}`;
  const parts = m[2] === '/' ? [] : m[2].split('/').slice(1);
  const ok = parts.every((p, i) => /^[A-Za-z0-9._~-]+$/.test(p) || /^\{[A-Za-z0-9._-]+\}$/.test(p) || (i === parts.length - 1 && /^\{[A-Za-z0-9._-]+\+\}$/.test(p)));
  return ok ? undefined : 'has a path API Gateway does not accept; allowed: parts of letters, digits, ".", "_", "~" and "-", or "{name}" ("{name+}" last)';
}

/** Fields of an HTTP API access log line (API Gateway `$context` variables). */
const HTTP_ACCESS_LOG_FORMAT = {
  requestId: '$context.requestId',
  ip: '$context.identity.sourceIp',
  userAgent: '$context.identity.userAgent',
  requestTime: '$context.requestTime',
  httpMethod: '$context.httpMethod',
  routeKey: '$context.routeKey',
  path: '$context.path',
  status: '$context.status',
  protocol: '$context.protocol',
  responseLength: '$context.responseLength',
  responseLatency: '$context.responseLatency',
  integrationStatus: '$context.integrationStatus',
  integrationLatency: '$context.integrationLatency',
  integrationError: '$context.integrationErrorMessage',
  errorMessage: '$context.error.message',
};
