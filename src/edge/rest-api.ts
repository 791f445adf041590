import { Construct } from 'constructs';
import { Fn, ITerraformDependable } from 'cdktf';
import { ApiGatewayAccount } from '@cdktf/provider-aws/lib/api-gateway-account';
import { ApiGatewayApiKey } from '@cdktf/provider-aws/lib/api-gateway-api-key';
import { ApiGatewayDeployment } from '@cdktf/provider-aws/lib/api-gateway-deployment';
import { ApiGatewayGatewayResponse } from '@cdktf/provider-aws/lib/api-gateway-gateway-response';
import { ApiGatewayIntegration } from '@cdktf/provider-aws/lib/api-gateway-integration';
import { ApiGatewayIntegrationResponse } from '@cdktf/provider-aws/lib/api-gateway-integration-response';
import { ApiGatewayMethod } from '@cdktf/provider-aws/lib/api-gateway-method';
import { ApiGatewayMethodResponse } from '@cdktf/provider-aws/lib/api-gateway-method-response';
import { ApiGatewayMethodSettings } from '@cdktf/provider-aws/lib/api-gateway-method-settings';
import { ApiGatewayResource } from '@cdktf/provider-aws/lib/api-gateway-resource';
import { ApiGatewayRestApi } from '@cdktf/provider-aws/lib/api-gateway-rest-api';
import { ApiGatewayStage } from '@cdktf/provider-aws/lib/api-gateway-stage';
import { ApiGatewayUsagePlan } from '@cdktf/provider-aws/lib/api-gateway-usage-plan';
import { ApiGatewayUsagePlanKey } from '@cdktf/provider-aws/lib/api-gateway-usage-plan-key';
import { Wafv2WebAclAssociation } from '@cdktf/provider-aws/lib/wafv2-web-acl-association';
import { dependOn } from '../core/dependencies';
import { jsonencode } from '../core/json';
import { Metric, MetricMath } from '../core/metric';
import { RETENTION_DAYS } from '../core/naming';
import { nameTags } from '../core/tags';
import { PropsValidator } from '../core/validation';
import { Relations } from '../core/relations';
import { ServiceRole } from '../security/iam';
import type { LambdaFunction } from '../compute/lambda';
import { LogGroup } from '../observability/logs';
import type { WebAcl } from './waf';

/** HTTP methods a REST API route can serve (`ANY` takes all of them; OPTIONS belongs to `cors`). */
const REST_API_METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'ANY'] as const;
export type RestApiMethod = (typeof REST_API_METHODS)[number];

/** Request throttling: a token bucket of `burstLimit` requests refilled at `rateLimit` per second. */
export interface ApiThrottle {
  /** Requests that may arrive at once (the bucket size). */
  readonly burstLimit: number;
  /** Steady-state requests per second. */
  readonly rateLimit: number;
}

/** One route: a path and method answered by a Lambda function (proxy integration). */
export interface RestApiRoute {
  /** Resource path, e.g. `/upload`, `/status/{jobId}` or `/files/{proxy+}` (greedy, last part only); `/` is the root. */
  readonly path: string;
  /** HTTP method. */
  readonly method: RestApiMethod;
  /** The function that answers (its `live` alias when it has one); it returns the whole HTTP response, CORS headers included. */
  readonly function: LambdaFunction;
  /**
   * Require an `x-api-key` header with a key of the API's usage plan (needs `apiKey`).
   * @default the value of `apiKey`
   */
  readonly apiKeyRequired?: boolean;
}

/** Cross-origin access from browsers. */
export interface RestApiCors {
  /**
   * Origins allowed to call the API, e.g. `["https://app.example.com"]`, or `["*"]`. API Gateway
   * answers preflight requests (OPTIONS) and its own errors itself; the functions answer
   * everything else and must add `Access-Control-Allow-Origin` to their responses. With several
   * origins a response can name only one: the function must echo the request's `Origin` when it
   * is in the list (and add `Vary: Origin`); the preflight answer does the same, and API Gateway's
   * error responses echo the request's `Origin`.
   */
  readonly allowOrigins: readonly string[];
  /**
   * Methods named in preflight answers.
   * @default the methods of the resource's routes, plus OPTIONS
   */
  readonly allowMethods?: readonly string[];
  /**
   * Request headers allowed in preflight answers.
   * @default ["Content-Type", "X-Amz-Date", "Authorization", "X-Api-Key", "X-Amz-Security-Token"]
   */
  readonly allowHeaders?: readonly string[];
}

export interface RestApiProps {
  /** API name (also the `ApiName` dimension of its metrics). */
  readonly name: string;
  /** @default - none */
  readonly description?: string;
  /** Stage name, the first part of every URL path. @default "v1" */
  readonly stageName?: string;
  /** The routes, each a Lambda proxy integration; resources shared by several paths are created once. */
  readonly routes: readonly RestApiRoute[];
  /** CORS: preflight answers and CORS headers on API Gateway's own errors. @default - no CORS */
  readonly cors?: RestApiCors;
  /**
   * An API key and a usage plan on the stage; routes then require the key unless they set
   * `apiKeyRequired: false`. Read the key after apply with
   * `aws apigateway get-api-key --api-key <apiKeyId> --include-value`.
   * @default false
   */
  readonly apiKey?: boolean;
  /**
   * Throttling of every method of the stage, and of each key of the usage plan (with `apiKey`).
   * @default - the account's limits (10000 requests per second, burst 5000)
   */
  readonly throttle?: ApiThrottle;
  /** Days the access log group keeps events (a CloudWatch retention). @default 30 */
  readonly accessLogRetentionDays?: number;
  /** X-Ray tracing of the stage. @default true */
  readonly tracing?: boolean;
  /**
   * Create the role API Gateway writes logs with and register it in the account settings
   * (`aws_api_gateway_account`). That setting is a singleton per region and account, shared by
   * every REST API there: REST API access logs fail to deploy until it is set, so set this in
   * exactly one stack per account and region (or set it outside Terraform). Destroying that stack
   * resets the setting.
   * @default false
   */
  readonly accountCloudWatchRole?: boolean;
  /**
   * A regional WAFv2 web ACL (`scope: "REGIONAL"`) associated with the stage.
   * @default - no web ACL
   */
  readonly webAcl?: WebAcl;
}

const PATH_PART = /^([A-Za-z0-9._-]+|\{[A-Za-z0-9._-]+\+?\})$/;
const DEFAULT_CORS_HEADERS = ['Content-Type', 'X-Amz-Date', 'Authorization', 'X-Api-Key', 'X-Amz-Security-Token'];
const ALL_METHODS = ['DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT'];

/** Construct-id form of a path: `|` cannot occur in a path part, so distinct paths never collide. */
function pathKey(path: string): string {
  return path === '/' ? '|' : path.replace(/\//g, '|');
}

/**
 * An API Gateway REST API (regional endpoint) whose routes are Lambda proxy integrations:
 * resources, methods and integrations per route, invoke permissions per function, a deployment
 * redeployed whenever a route changes (created before the old one is destroyed), and a stage with
 * JSON access logs, X-Ray tracing and throttling. Optional CORS, API key with usage plan, WAF.
 * Access logs need the account's API Gateway CloudWatch role in the region (see
 * `accountCloudWatchRole`): without it the stage fails to deploy.
 */
export class RestApi extends Construct {
  /** The REST API resource. */
  public readonly resource: ApiGatewayRestApi;
  public readonly restApiId: string;
  /** ARN prefix of the API's methods (`arn:aws:execute-api:<region>:<account>:<id>`). */
  public readonly executionArn: string;
  public readonly deployment: ApiGatewayDeployment;
  public readonly stage: ApiGatewayStage;
  public readonly stageName: string;
  /** Invoke URL of the stage, `https://<id>.execute-api.<region>.amazonaws.com/<stage>`. */
  public readonly url: string;
  /** The access log group. */
  public readonly logGroup: LogGroup;
  /** Id of the API key, with `apiKey`. */
  public readonly apiKeyId?: string;
  private readonly name: string;
  private readonly resources = new Map<string, ApiGatewayResource>();

  constructor(scope: Construct, id: string, props: RestApiProps) {
    super(scope, id);
    const stageName = props.stageName ?? 'v1';
    const apiKey = props.apiKey ?? false;
    this.validate(props, stageName, apiKey);
    this.name = props.name;
    this.stageName = stageName;

    this.resource = new ApiGatewayRestApi(this, 'this', {
      name: props.name,
      description: props.description,
      endpointConfiguration: { types: ['REGIONAL'] },
      tags: nameTags(props.name),
    });
    this.restApiId = this.resource.id;
    this.executionArn = this.resource.executionArn;

    const { deployed, definitions, methodsByPath } = this.addRoutes(props.routes, apiKey);
    if (props.cors) {
      const cors = this.addCors(props.cors, methodsByPath);
      deployed.push(...cors.resources);
      definitions.push(cors.definition);
    }
    this.deployment = new ApiGatewayDeployment(this, 'deployment', {
      restApiId: this.resource.id,
      description: `Routes of ${props.name}`,
      // A new deployment whenever a route, an integration or CORS changes; created before the old one goes.
      triggers: { redeployment: Fn.sha1(jsonencode(definitions)) },
      lifecycle: { createBeforeDestroy: true },
    });
    dependOn(this.deployment, ...deployed);

    const account = props.accountCloudWatchRole ? this.accountCloudWatchRole(props.name) : undefined;
    this.logGroup = new LogGroup(this, 'access-logs', { name: `/aws/apigateway/${props.name}/${stageName}`, retentionDays: props.accessLogRetentionDays ?? 30 });
    this.stage = new ApiGatewayStage(this, 'stage', {
      restApiId: this.resource.id,
      deploymentId: this.deployment.id,
      stageName,
      xrayTracingEnabled: props.tracing ?? true,
      accessLogSettings: { destinationArn: this.logGroup.logGroupArn, format: jsonencode(REST_ACCESS_LOG_FORMAT) },
      tags: nameTags(`${props.name}-${stageName}`),
    });
    if (account) dependOn(this.stage, account);
    this.url = this.stage.invokeUrl;
    if (props.throttle) {
      new ApiGatewayMethodSettings(this, 'throttle', {
        restApiId: this.resource.id,
        stageName: this.stage.stageName,
        methodPath: '*/*',
        settings: { throttlingBurstLimit: props.throttle.burstLimit, throttlingRateLimit: props.throttle.rateLimit },
      });
    }
    if (apiKey) this.apiKeyId = this.addApiKey(props.name, props.throttle);
    if (props.webAcl) new Wafv2WebAclAssociation(this, 'waf', { resourceArn: this.stage.arn, webAclArn: props.webAcl.webAclArn });
  }

  /** Checks every prop (before any resource exists): names, routes, CORS, throttling, the web ACL's scope. */
  private validate(props: RestApiProps, stageName: string, apiKey: boolean): void {
    const retention = props.accessLogRetentionDays ?? 30;
    const v = new PropsValidator(this)
      .matches('name', props.name, /^[A-Za-z0-9_.-]{1,128}$/, 'an API name here (1-128 letters, digits, ".", "_" and "-": it also names the log group, role and key)')
      .matches('stageName', stageName, /^[A-Za-z0-9_-]{1,128}$/, 'a stage name (1-128 letters, digits, "-" and "_")')
      .check(RETENTION_DAYS.includes(retention), 'accessLogRetentionDays', retention, `is not a CloudWatch retention; allowed: ${RETENTION_DAYS.join(', ')}`)
      .check(props.routes.length > 0, 'routes', props.routes, 'is empty; a REST API cannot be deployed without a method');
    const seen = new Set<string>();
    const variableChild = new Map<string, string>();
    props.routes.forEach((r, i) => {
      const parts = r.path === '/' ? [] : r.path.split('/').slice(1);
      if (!r.path.startsWith('/') || (r.path !== '/' && !parts.every((p) => PATH_PART.test(p)))) {
        v.check(false, `routes[${i}].path`, r.path, 'is not a resource path; allowed: "/" or "/part/..." with parts of letters, digits, ".", "_" and "-", or "{name}" ("{name+}" last)');
        return;
      }
      parts.slice(0, -1).forEach((p) => v.check(!p.endsWith('+}'), `routes[${i}].path`, r.path, `has the greedy part ${JSON.stringify(p)} before its end; a greedy part must be last`));
      parts.forEach((p, depth) => {
        if (!p.startsWith('{')) return;
        const parent = `/${parts.slice(0, depth).join('/')}`;
        const other = variableChild.get(parent);
        if (other !== undefined && other !== p) v.fail(`routes[${i}].path`, `${JSON.stringify(r.path)} puts ${p} beside ${other} under ${JSON.stringify(parent)}; API Gateway allows one variable part per parent: use the same name`);
        else variableChild.set(parent, p);
      });
      v.oneOf(`routes[${i}].method`, r.method, REST_API_METHODS);
      const key = `${r.method} ${r.path}`;
      v.check(!seen.has(key), `routes[${i}]`, key, 'is given twice');
      seen.add(key);
      if (r.apiKeyRequired && !apiKey) v.fail(`routes[${i}].apiKeyRequired`, 'true needs apiKey: true (no key could be used)');
    });
    if (props.cors) validateCors(v, props.cors);
    if (props.throttle) validateThrottle(v, props.throttle);
    if (props.webAcl) v.check(props.webAcl.scope === 'REGIONAL', 'webAcl', props.webAcl.node.path, `has scope ${JSON.stringify(props.webAcl.scope)}; a REST API stage takes a REGIONAL web ACL`);
    v.throwIfInvalid();
  }

  /**
   * Per route, its resource, method and proxy integration, and the function's invoke permission
   * (once per function); returns what the deployment waits for and hashes.
   */
  private addRoutes(routes: readonly RestApiRoute[], apiKey: boolean): { deployed: ITerraformDependable[]; definitions: unknown[]; methodsByPath: Map<string, string[]> } {
    const deployed: ITerraformDependable[] = [];
    const definitions: unknown[] = [];
    const methodsByPath = new Map<string, string[]>();
    const granted = new Set<LambdaFunction>();
    const scopePath = this.node.path.split('/').slice(1).join('-');
    for (const route of routes) {
      const resourceId = this.resourceFor(route.path);
      const key = `${route.method}${pathKey(route.path)}`;
      const required = route.apiKeyRequired ?? apiKey;
      const method = new ApiGatewayMethod(this, key, {
        restApiId: this.resource.id,
        resourceId,
        httpMethod: route.method,
        authorization: 'NONE',
        apiKeyRequired: required,
      });
      const integration = new ApiGatewayIntegration(this, `${key}-integration`, {
        restApiId: this.resource.id,
        resourceId,
        httpMethod: method.httpMethod,
        type: 'AWS_PROXY',
        integrationHttpMethod: 'POST',
        uri: route.function.invokeArn,
      });
      Relations.route(method, integration);
      Relations.route(integration, route.function);
      deployed.push(method, integration);
      definitions.push({ path: route.path, method: route.method, apiKeyRequired: required, uri: route.function.invokeArn, resource: resourceId, methodId: method.id, integrationId: integration.id });
      methodsByPath.set(route.path, [...(methodsByPath.get(route.path) ?? []), route.method]);
      if (!granted.has(route.function)) {
        granted.add(route.function);
        route.function.grantInvoke('apigateway.amazonaws.com', `${this.resource.executionArn}/*/*`, `apigateway-${scopePath}`);
      }
    }
    return { deployed, definitions, methodsByPath };
  }

  /** The role API Gateway writes logs with, registered in the account settings of the region. */
  private accountCloudWatchRole(name: string): ApiGatewayAccount {
    const role = new ServiceRole(this, 'cloudwatch-role', {
      name: `${name}-apigw-logs`,
      assumedBy: 'apigateway.amazonaws.com',
      description: 'API Gateway account setting: writes REST API logs to CloudWatch Logs',
      managedPolicyArns: ['arn:aws:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs'],
    });
    // Reset the setting on destroy (its role goes too). Provider 5.x warns that the argument is
    // deprecated: v6 removes it and always resets, so drop it when moving to v6.
    const account = new ApiGatewayAccount(this, 'account', { cloudwatchRoleArn: role.roleArn, resetOnDelete: true });
    role.addDependent(account);
    return account;
  }

  /** An API key in a usage plan on the stage (throttled like the stage); returns the key's id. */
  private addApiKey(name: string, throttle: ApiThrottle | undefined): string {
    const key = new ApiGatewayApiKey(this, 'api-key', { name: `${name}-key`, description: `Key of ${name}`, enabled: true, tags: nameTags(`${name}-key`) });
    const plan = new ApiGatewayUsagePlan(this, 'usage-plan', {
      name: `${name}-plan`,
      apiStages: [{ apiId: this.resource.id, stage: this.stage.stageName }],
      throttleSettings: throttle ? { burstLimit: throttle.burstLimit, rateLimit: throttle.rateLimit } : undefined,
      tags: nameTags(`${name}-plan`),
    });
    new ApiGatewayUsagePlanKey(this, 'usage-plan-key', { keyId: key.id, keyType: 'API_KEY', usagePlanId: plan.id });
    return key.id;
  }

  /** The API Gateway resource id of `path`, creating it and its parents once. */
  private resourceFor(path: string): string {
    if (path === '/') return this.resource.rootResourceId;
    const existing = this.resources.get(path);
    if (existing) return existing.id;
    const cut = path.lastIndexOf('/');
    const parent = cut === 0 ? this.resource.rootResourceId : this.resourceFor(path.slice(0, cut));
    const resource = new ApiGatewayResource(this, `resource${pathKey(path)}`, { restApiId: this.resource.id, parentId: parent, pathPart: path.slice(cut + 1) });
    this.resources.set(path, resource);
    return resource.id;
  }

  /** OPTIONS (MOCK) per routed resource and CORS headers on API Gateway's 4XX and 5XX answers. */
  private addCors(cors: RestApiCors, methodsByPath: Map<string, string[]>): { resources: ITerraformDependable[]; definition: unknown } {
    const origins = cors.allowOrigins;
    const several = origins.length > 1;
    const headers = (cors.allowHeaders ?? DEFAULT_CORS_HEADERS).join(',');
    const out: ITerraformDependable[] = [];
    const ids: unknown[] = [];
    for (const [path, methods] of methodsByPath) {
      const allowMethods = cors.allowMethods ?? (methods.includes('ANY') ? ALL_METHODS : [...new Set([...methods, 'OPTIONS'])].sort());
      const resourceId = this.resourceFor(path);
      const key = `OPTIONS${pathKey(path)}`;
      const method = new ApiGatewayMethod(this, key, { restApiId: this.resource.id, resourceId, httpMethod: 'OPTIONS', authorization: 'NONE', apiKeyRequired: false });
      const integration = new ApiGatewayIntegration(this, `${key}-integration`, {
        restApiId: this.resource.id,
        resourceId,
        httpMethod: method.httpMethod,
        type: 'MOCK',
        requestTemplates: { 'application/json': '{"statusCode": 200}' },
      });
      const header = (name: string) => `method.response.header.${name}`;
      const response = new ApiGatewayMethodResponse(this, `${key}-response`, {
        restApiId: this.resource.id,
        resourceId,
        httpMethod: method.httpMethod,
        statusCode: '200',
        responseModels: { 'application/json': 'Empty' },
        responseParameters: {
          [header('Access-Control-Allow-Headers')]: true,
          [header('Access-Control-Allow-Methods')]: true,
          [header('Access-Control-Allow-Origin')]: true,
          ...(several ? { [header('Vary')]: true } : {}),
        },
      });
      const integrationResponse = new ApiGatewayIntegrationResponse(this, `${key}-integration-response`, {
        restApiId: this.resource.id,
        resourceId,
        httpMethod: method.httpMethod,
        statusCode: response.statusCode,
        responseParameters: {
          [header('Access-Control-Allow-Headers')]: `'${headers}'`,
          [header('Access-Control-Allow-Methods')]: `'${allowMethods.join(',')}'`,
          // Several origins: the template below sets the header to the request's origin when listed.
          ...(several ? { [header('Vary')]: "'Origin'" } : { [header('Access-Control-Allow-Origin')]: `'${origins[0]}'` }),
        },
        responseTemplates: { 'application/json': several ? echoOriginTemplate(origins) : '' },
      });
      dependOn(integrationResponse, integration);
      out.push(method, integration, response, integrationResponse);
      ids.push([method.id, integration.id, response.id, integrationResponse.id]);
    }
    for (const type of ['DEFAULT_4XX', 'DEFAULT_5XX']) {
      const gatewayResponse = new ApiGatewayGatewayResponse(this, `cors-${type.toLowerCase()}`, {
        restApiId: this.resource.id,
        responseType: type,
        responseParameters: {
          // A gateway response cannot choose among origins: with several it echoes the request's.
          'gatewayresponse.header.Access-Control-Allow-Origin': several ? 'method.request.header.Origin' : `'${origins[0]}'`,
          'gatewayresponse.header.Access-Control-Allow-Headers': `'${headers}'`,
          ...(several ? { 'gatewayresponse.header.Vary': "'Origin'" } : {}),
        },
      });
      out.push(gatewayResponse);
      ids.push(gatewayResponse.id);
    }
    return { resources: out, definition: { cors: { origins, headers, methods: cors.allowMethods ?? null }, ids } };
  }

  private metric(metricName: string, stat: string): Metric {
    return { namespace: 'AWS/ApiGateway', metricName, dimensions: { ApiName: this.name, Stage: this.stageName }, stat, label: `${this.name} ${metricName}` };
  }

  /** Requests, summed. */
  public metricCount(): Metric {
    return this.metric('Count', 'Sum');
  }

  /** Client errors (4XX), summed. */
  public metric4xx(): Metric {
    return this.metric('4XXError', 'Sum');
  }

  /** Server errors (5XX, including integration failures and timeouts), summed. */
  public metric5xx(): Metric {
    return this.metric('5XXError', 'Sum');
  }

  /**
   * Server errors (5XX) in percent of requests, as metric math: 0 in a period without requests,
   * 100 when every request fails (API Gateway counts the 5XX answers in `Count` too).
   */
  public metric5xxRate(): MetricMath {
    return {
      expression: 'IF(FILL(requests, 0) > 0, 100 * FILL(errors, 0) / requests, 0)',
      metrics: { errors: this.metric5xx(), requests: this.metricCount() },
      label: `${this.name} 5XX rate (%)`,
    };
  }

  /** Time from request to response in milliseconds, integration included. */
  public metricLatency(stat = 'p99'): Metric {
    return this.metric('Latency', stat);
  }
}

/** Fields of a REST API access log line (API Gateway `$context` variables). */
const REST_ACCESS_LOG_FORMAT = {
  requestId: '$context.requestId',
  extendedRequestId: '$context.extendedRequestId',
  ip: '$context.identity.sourceIp',
  userAgent: '$context.identity.userAgent',
  requestTime: '$context.requestTime',
  httpMethod: '$context.httpMethod',
  resourcePath: '$context.resourcePath',
  path: '$context.path',
  status: '$context.status',
  protocol: '$context.protocol',
  responseLength: '$context.responseLength',
  responseLatency: '$context.responseLatency',
  integrationStatus: '$context.integration.status',
  integrationLatency: '$context.integration.latency',
  integrationError: '$context.integration.error',
  errorMessage: '$context.error.message',
  apiKeyId: '$context.identity.apiKeyId',
  wafResponseCode: '$context.wafResponseCode',
  xrayTraceId: '$context.xrayTraceId',
};

/** VTL for a MOCK preflight answer: `Access-Control-Allow-Origin` set to the request's origin when it is listed. */
function echoOriginTemplate(origins: readonly string[]): string {
  const test = origins.map((o) => `$origin == "${o}"`).join(' || ');
  return [
    '#set($origin = $input.params().header.get("Origin"))',
    '#if("$!origin" == "")#set($origin = $input.params().header.get("origin"))#end',
    `#if(${test})`,
    '#set($context.responseOverride.header.Access-Control-Allow-Origin = $origin)',
    '#end',
  ].join('\n');
}

/** Checks CORS settings (shared with the HTTP API). */
export function validateCors(v: PropsValidator, cors: { readonly allowOrigins: readonly string[]; readonly allowMethods?: readonly string[]; readonly allowHeaders?: readonly string[] }): void {
  v.check(cors.allowOrigins.length > 0, 'cors.allowOrigins', cors.allowOrigins, 'is empty; give the origins allowed (e.g. "https://app.example.com") or "*"');
  if (cors.allowOrigins.includes('*') && cors.allowOrigins.length > 1) v.fail('cors.allowOrigins', '"*" allows every origin and cannot be combined with others');
  cors.allowOrigins.forEach((o, i) => v.check(o === '*' || /^https?:\/\/[A-Za-z0-9.-]+(:\d{1,5})?$/.test(o), `cors.allowOrigins[${i}]`, o, 'is not an origin; allowed: "*" or scheme://host[:port] without a path, e.g. "https://app.example.com"'));
  (cors.allowMethods ?? []).forEach((m, i) => v.check([...ALL_METHODS, '*'].includes(m), `cors.allowMethods[${i}]`, m, `is not an HTTP method; allowed: ${[...ALL_METHODS, '*'].join(', ')}`));
  (cors.allowHeaders ?? []).forEach((h, i) => v.check(/^[A-Za-z0-9!#$%&*+.^_`|~-]+$/.test(h), `cors.allowHeaders[${i}]`, h, 'is not an HTTP header name (or "*")'));
}

/** Checks throttle settings (shared with the HTTP API). */
export function validateThrottle(v: PropsValidator, throttle: ApiThrottle): void {
  v.check(Number.isInteger(throttle.burstLimit) && throttle.burstLimit >= 0, 'throttle.burstLimit', throttle.burstLimit, 'is not a whole number of requests (0 or more)');
  v.check(Number.isFinite(throttle.rateLimit) && throttle.rateLimit >= 0, 'throttle.rateLimit', throttle.rateLimit, 'is not a rate (0 or more requests per second)');
}
