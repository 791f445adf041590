import { AwsStack } from '../../../src/core/aws-stack';
import { decodeJsonencode } from '../../../src/core/json';
import { ApiGatewayRestApi } from '@cdktf/provider-aws/lib/api-gateway-rest-api';
import { RestApi, RestApiProps, RestApiRoute } from '../../../src/edge/rest-api';
import { WebAcl } from '../../../src/edge/waf';
import { LambdaFunction, LambdaFunctionProps, bootstrapCodePath } from '../../../src/compute/lambda';
import { allOf, countOf, errorOf, filterOf, findBy, isAbsent, onlyOf, resourcesOf, statementsOf, synthConstructs, Synthesized } from '../../helpers/synth';

type Functions = Record<'upload' | 'status', LambdaFunction>;
type Props = Omit<RestApiProps, 'routes' | 'webAcl'> & { readonly routes?: (f: Functions) => RestApiRoute[]; readonly webAclScope?: 'REGIONAL' | 'CLOUDFRONT' };

const ROUTES = (f: Functions): RestApiRoute[] => [
  { path: '/upload', method: 'POST', function: f.upload },
  { path: '/status/{jobId}', method: 'GET', function: f.status },
  { path: '/status/{jobId}/events', method: 'GET', function: f.status },
  { path: '/results/{jobId}', method: 'GET', function: f.status },
];

function functions(stack: AwsStack, extra: Partial<LambdaFunctionProps> = {}): Functions {
  const make = (name: string) => new LambdaFunction(stack, name, { functionName: `nva-${name}`, runtime: 'python3.12', handler: 'index.handler', code: { assetPath: bootstrapCodePath('python3.12') }, ...extra });
  return { upload: make('upload'), status: make('status') };
}

function build(props: Partial<Props> = {}, fnProps: Partial<LambdaFunctionProps> = {}): { json: Synthesized; api: RestApi } {
  let api!: RestApi;
  const { json } = synthConstructs((stack) => {
    const f = functions(stack, fnProps);
    const { webAclScope, ...rest } = props;
    const webAcl = webAclScope ? new WebAcl(stack, 'waf', { name: 'nva', scope: webAclScope, provider: webAclScope === 'CLOUDFRONT' ? stack.providerFor('us-east-1') : undefined }) : undefined;
    api = new RestApi(stack, 'api', { name: 'nva-api', ...rest, webAcl, routes: (props.routes ?? ROUTES)(f) });
  });
  return { json, api };
}

/** `type.logicalId` of the one resource of `type` matching `match`. */
function address(json: Synthesized, type: string, match: (r: Record<string, any>) => boolean = () => true): string {
  const found = resourcesOf(json, type).filter(([, r]) => match(r));
  if (found.length !== 1) throw new Error(`expected one ${type}, found ${found.length}`);
  return `${type}.${found[0][0]}`;
}
const ref = (json: Synthesized, type: string, attr: string, match?: (r: Record<string, any>) => boolean) => `\${${address(json, type, match)}.${attr}}`;
const resourceRef = (json: Synthesized, pathPart: string) => ref(json, 'aws_api_gateway_resource', 'id', (r) => r.path_part === pathPart);
const functionRef = (json: Synthesized, name: string, attr: string) => ref(json, 'aws_lambda_function', attr, (f) => f.function_name === name);
const methods = (json: Synthesized, httpMethod: string) => filterOf(json, 'aws_api_gateway_method', (m) => m.http_method === httpMethod);

describe('RestApi', () => {
  it('is a regional API whose nested path resources are created once', () => {
    const { json } = build();
    expect(onlyOf(json, 'aws_api_gateway_rest_api')).toMatchObject({ name: 'nva-api', endpoint_configuration: { types: ['REGIONAL'] }, tags: { Name: 'nva-api' } });
    const root = ref(json, 'aws_api_gateway_rest_api', 'root_resource_id');
    const byPart = Object.fromEntries(allOf(json, 'aws_api_gateway_resource').map((r) => [r.path_part, r.parent_id]));
    // /upload, /status, /status/{jobId}, /status/{jobId}/events, /results, /results/{jobId}: /status/{jobId} once for two routes.
    expect(countOf(json, 'aws_api_gateway_resource')).toBe(6);
    expect(byPart.upload).toBe(root);
    expect(byPart.status).toBe(root);
    expect(byPart.events).toBe(ref(json, 'aws_api_gateway_resource', 'id', (r) => r.path_part === '{jobId}' && r.parent_id === resourceRef(json, 'status')));
    expect(byPart.results).toBe(root);
  });

  it('has one method and one Lambda proxy integration per route', () => {
    const { json } = build();
    expect(countOf(json, 'aws_api_gateway_method')).toBe(4);
    expect(countOf(json, 'aws_api_gateway_integration')).toBe(4);
    expect(methods(json, 'POST')).toHaveLength(1);
    expect(methods(json, 'POST')[0]).toEqual({ rest_api_id: ref(json, 'aws_api_gateway_rest_api', 'id'), resource_id: resourceRef(json, 'upload'), http_method: 'POST', authorization: 'NONE', api_key_required: false });
    const integration = findBy(json, 'aws_api_gateway_integration', 'resource_id', resourceRef(json, 'upload'));
    expect(integration).toMatchObject({ type: 'AWS_PROXY', integration_http_method: 'POST', uri: functionRef(json, 'nva-upload', 'invoke_arn') });
    expect(integration.http_method).toBe(`\${${address(json, 'aws_api_gateway_method', (m) => m.http_method === 'POST')}.http_method}`);
  });

  it('lets API Gateway invoke each function once, from any stage, method and path of this API', () => {
    const { json } = build();
    const permissions = allOf(json, 'aws_lambda_permission');
    expect(permissions).toHaveLength(2);
    for (const name of ['nva-upload', 'nva-status']) {
      expect(permissions).toContainEqual({
        action: 'lambda:InvokeFunction',
        function_name: functionRef(json, name, 'function_name'),
        principal: 'apigateway.amazonaws.com',
        source_arn: `${ref(json, 'aws_api_gateway_rest_api', 'execution_arn')}/*/*`,
      });
    }
  });

  it('redeploys when a route changes, creating the new deployment first, after every method and integration', () => {
    const { json } = build();
    const deployment = onlyOf(json, 'aws_api_gateway_deployment');
    expect(deployment.lifecycle).toEqual({ create_before_destroy: true });
    expect(deployment.triggers.redeployment).toMatch(/^\$\{sha1\(jsonencode\(\[\{"path" = "\/upload", "method" = "POST", /);
    expect(deployment.triggers.redeployment).toContain(functionRef(json, 'nva-upload', 'invoke_arn').slice(2, -1));
    for (const type of ['aws_api_gateway_method', 'aws_api_gateway_integration']) {
      for (const [key] of resourcesOf(json, type)) expect(deployment.depends_on).toContain(`${type}.${key}`);
    }
    const other = build({ routes: (f) => [...ROUTES(f), { path: '/upload', method: 'PUT', function: f.upload }] }).json;
    expect(onlyOf(other, 'aws_api_gateway_deployment').triggers.redeployment).not.toBe(deployment.triggers.redeployment);
  });

  it('serves a v1 stage with X-Ray and JSON access logs kept 30 days', () => {
    const { json, api } = build();
    expect(findBy(json, 'aws_cloudwatch_log_group', 'name', '/aws/apigateway/nva-api/v1').retention_in_days).toBe(30);
    const stage = onlyOf(json, 'aws_api_gateway_stage');
    expect(stage).toMatchObject({
      rest_api_id: ref(json, 'aws_api_gateway_rest_api', 'id'),
      deployment_id: ref(json, 'aws_api_gateway_deployment', 'id'),
      stage_name: 'v1',
      xray_tracing_enabled: true,
    });
    expect(stage.access_log_settings.destination_arn).toBe(ref(json, 'aws_cloudwatch_log_group', 'arn', (g) => g.name === '/aws/apigateway/nva-api/v1'));
    expect(decodeJsonencode(stage.access_log_settings.format)).toMatchObject({ requestId: '$context.requestId', status: '$context.status', integrationError: '$context.integration.error' });
    expect(api.metricCount()).toEqual({ namespace: 'AWS/ApiGateway', metricName: 'Count', dimensions: { ApiName: 'nva-api', Stage: 'v1' }, stat: 'Sum', label: 'nva-api Count' });
    expect(api.metric4xx()).toMatchObject({ metricName: '4XXError', stat: 'Sum' });
    expect(api.metric5xx()).toMatchObject({ metricName: '5XXError', stat: 'Sum' });
    expect(api.metricLatency()).toMatchObject({ metricName: 'Latency', stat: 'p99' });
    const custom = build({ stageName: 'prod', tracing: false, accessLogRetentionDays: 90 }).json;
    expect(onlyOf(custom, 'aws_api_gateway_stage')).toMatchObject({ stage_name: 'prod', xray_tracing_enabled: false });
    expect(findBy(custom, 'aws_cloudwatch_log_group', 'name', '/aws/apigateway/nva-api/prod').retention_in_days).toBe(90);
  });

  it('has no CORS, API key, throttling, account setting or WAF unless asked', () => {
    const { json } = build();
    expect(methods(json, 'OPTIONS')).toHaveLength(0);
    for (const type of [
      'aws_api_gateway_gateway_response',
      'aws_api_gateway_api_key',
      'aws_api_gateway_usage_plan',
      'aws_api_gateway_usage_plan_key',
      'aws_api_gateway_method_settings',
      'aws_api_gateway_account',
      'aws_wafv2_web_acl_association',
    ]) {
      expect(countOf(json, type)).toBe(0);
    }
    expect(isAbsent(onlyOf(json, 'aws_api_gateway_stage'), 'depends_on')).toBe(true);
  });

  it('answers preflight requests with a MOCK OPTIONS method per routed resource and adds CORS headers to gateway errors', () => {
    const { json } = build({ cors: { allowOrigins: ['https://app.example.com'] } });
    const options = methods(json, 'OPTIONS');
    expect(options).toHaveLength(4);
    expect(options.every((m) => m.authorization === 'NONE' && m.api_key_required === false)).toBe(true);
    const mocks = filterOf(json, 'aws_api_gateway_integration', (i) => i.type === 'MOCK');
    expect(mocks).toHaveLength(4);
    expect(mocks[0].request_templates).toEqual({ 'application/json': '{"statusCode": 200}' });
    const upload = resourceRef(json, 'upload');
    expect(findBy(json, 'aws_api_gateway_method_response', 'resource_id', upload).response_parameters).toEqual({
      'method.response.header.Access-Control-Allow-Headers': true,
      'method.response.header.Access-Control-Allow-Methods': true,
      'method.response.header.Access-Control-Allow-Origin': true,
    });
    const response = findBy(json, 'aws_api_gateway_integration_response', 'resource_id', upload);
    expect(response.response_parameters).toEqual({
      'method.response.header.Access-Control-Allow-Headers': "'Content-Type,X-Amz-Date,Authorization,X-Api-Key,X-Amz-Security-Token'",
      'method.response.header.Access-Control-Allow-Methods': "'OPTIONS,POST'",
      'method.response.header.Access-Control-Allow-Origin': "'https://app.example.com'",
    });
    expect(response.status_code).toBe(ref(json, 'aws_api_gateway_method_response', 'status_code', (r) => r.resource_id === upload));
    expect(response.depends_on).toEqual([address(json, 'aws_api_gateway_integration', (i) => i.type === 'MOCK' && i.resource_id === upload)]);
    const gateway = allOf(json, 'aws_api_gateway_gateway_response');
    expect(gateway.map((g) => g.response_type).sort()).toEqual(['DEFAULT_4XX', 'DEFAULT_5XX']);
    for (const g of gateway) {
      expect(g.response_parameters).toEqual({
        'gatewayresponse.header.Access-Control-Allow-Origin': "'https://app.example.com'",
        'gatewayresponse.header.Access-Control-Allow-Headers': "'Content-Type,X-Amz-Date,Authorization,X-Api-Key,X-Amz-Security-Token'",
      });
    }
    // CORS is part of what a deployment publishes.
    const deployment = onlyOf(json, 'aws_api_gateway_deployment');
    expect(deployment.depends_on).toContain(address(json, 'aws_api_gateway_gateway_response', (g) => g.response_type === 'DEFAULT_4XX'));
    expect(deployment.triggers.redeployment).toContain('"origins" = ["https://app.example.com"]');
  });

  it('with several origins, echoes a listed Origin in preflight answers and the Origin in gateway errors', () => {
    const origins = ['https://app.example.com', 'https://admin.example.com'];
    const { json } = build({ cors: { allowOrigins: origins, allowMethods: ['GET', 'POST'], allowHeaders: ['Content-Type'] } });
    const upload = resourceRef(json, 'upload');
    const response = findBy(json, 'aws_api_gateway_integration_response', 'resource_id', upload);
    expect(response.response_parameters).toEqual({
      'method.response.header.Access-Control-Allow-Headers': "'Content-Type'",
      'method.response.header.Access-Control-Allow-Methods': "'GET,POST'",
      'method.response.header.Vary': "'Origin'",
    });
    const template: string = response.response_templates['application/json'];
    expect(template).toContain('#if($origin == "https://app.example.com" || $origin == "https://admin.example.com")');
    expect(template).toContain('#set($context.responseOverride.header.Access-Control-Allow-Origin = $origin)');
    expect(findBy(json, 'aws_api_gateway_method_response', 'resource_id', upload).response_parameters['method.response.header.Vary']).toBe(true);
    for (const g of allOf(json, 'aws_api_gateway_gateway_response')) {
      expect(g.response_parameters['gatewayresponse.header.Access-Control-Allow-Origin']).toBe('method.request.header.Origin');
      expect(g.response_parameters['gatewayresponse.header.Vary']).toBe("'Origin'");
    }
  });

  it('with apiKey, requires a key on every route not opted out, through a usage plan bound to the stage', () => {
    const { json, api } = build({
      apiKey: true,
      throttle: { burstLimit: 100, rateLimit: 50 },
      routes: (f) => [...ROUTES(f).slice(0, 3), { path: '/results/{jobId}', method: 'GET', function: f.status, apiKeyRequired: false }],
    });
    const required = allOf(json, 'aws_api_gateway_method').map((m) => m.api_key_required);
    expect(required.filter((r) => r === true)).toHaveLength(3);
    expect(findBy(json, 'aws_api_gateway_method', 'resource_id', ref(json, 'aws_api_gateway_resource', 'id', (r) => r.path_part === '{jobId}' && r.parent_id === resourceRef(json, 'results'))).api_key_required).toBe(false);
    expect(onlyOf(json, 'aws_api_gateway_api_key')).toMatchObject({ name: 'nva-api-key', enabled: true });
    expect(onlyOf(json, 'aws_api_gateway_usage_plan')).toMatchObject({
      name: 'nva-api-plan',
      api_stages: [{ api_id: ref(json, 'aws_api_gateway_rest_api', 'id'), stage: ref(json, 'aws_api_gateway_stage', 'stage_name') }],
      throttle_settings: { burst_limit: 100, rate_limit: 50 },
    });
    expect(onlyOf(json, 'aws_api_gateway_usage_plan_key')).toEqual({
      key_id: ref(json, 'aws_api_gateway_api_key', 'id'),
      key_type: 'API_KEY',
      usage_plan_id: ref(json, 'aws_api_gateway_usage_plan', 'id'),
    });
    expect(api.apiKeyId).toBeDefined();
    expect(build().api.apiKeyId).toBeUndefined();
  });

  it('throttles every method of the stage', () => {
    const { json } = build({ throttle: { burstLimit: 200, rateLimit: 100 } });
    expect(onlyOf(json, 'aws_api_gateway_method_settings')).toEqual({
      rest_api_id: ref(json, 'aws_api_gateway_rest_api', 'id'),
      stage_name: ref(json, 'aws_api_gateway_stage', 'stage_name'),
      method_path: '*/*',
      settings: { throttling_burst_limit: 200, throttling_rate_limit: 100 },
    });
  });

  it('registers the account CloudWatch role when asked, and the stage waits for it', () => {
    const { json } = build({ accountCloudWatchRole: true });
    const role = findBy(json, 'aws_iam_role', 'name_prefix', 'nva-api-apigw-logs-');
    expect(statementsOf(role, 'assume_role_policy')).toEqual([{ Effect: 'Allow', Principal: { Service: 'apigateway.amazonaws.com' }, Action: 'sts:AssumeRole' }]);
    expect(filterOf(json, 'aws_iam_role_policy_attachment', (a) => a.policy_arn === 'arn:aws:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs')).toHaveLength(1);
    const account = onlyOf(json, 'aws_api_gateway_account');
    expect(account).toMatchObject({ cloudwatch_role_arn: ref(json, 'aws_iam_role', 'arn', (r) => r.name_prefix === 'nva-api-apigw-logs-'), reset_on_delete: true });
    expect(account.depends_on).toContain(address(json, 'aws_iam_role_policy_attachment', (a) => a.policy_arn.endsWith('AmazonAPIGatewayPushToCloudWatchLogs')));
    expect(onlyOf(json, 'aws_api_gateway_stage').depends_on).toEqual([address(json, 'aws_api_gateway_account')]);
  });

  it('associates a regional web ACL with the stage', () => {
    const { json, api } = build({ webAclScope: 'REGIONAL' });
    expect(onlyOf(json, 'aws_wafv2_web_acl_association')).toEqual({ resource_arn: ref(json, 'aws_api_gateway_stage', 'arn'), web_acl_arn: ref(json, 'aws_wafv2_web_acl', 'arn') });
    expect(api.resource).toBeInstanceOf(ApiGatewayRestApi);
  });

  it('integrates with, and allows, the live alias of functions with provisioned concurrency', () => {
    const { json } = build({}, { provisionedConcurrency: 1 });
    const uploadAlias = ref(json, 'aws_lambda_alias', 'invoke_arn', (a) => a.function_name === functionRef(json, 'nva-upload', 'function_name'));
    expect(findBy(json, 'aws_api_gateway_integration', 'resource_id', resourceRef(json, 'upload')).uri).toBe(uploadAlias);
    const permission = findBy(json, 'aws_lambda_permission', 'function_name', functionRef(json, 'nva-upload', 'function_name'));
    expect(permission.qualifier).toBe(ref(json, 'aws_lambda_alias', 'name', (a) => a.function_name === functionRef(json, 'nva-upload', 'function_name')));
  });

  it('offers its 5XX rate as metric math that reads 0 without requests', () => {
    const { api } = build();
    const rate = api.metric5xxRate();
    expect(rate.expression).toBe('IF(FILL(requests, 0) > 0, 100 * FILL(errors, 0) / requests, 0)');
    expect(rate.metrics).toEqual({ errors: api.metric5xx(), requests: api.metricCount() });
    expect(rate.metrics.errors).toMatchObject({ namespace: 'AWS/ApiGateway', metricName: '5XXError', dimensions: { ApiName: 'nva-api', Stage: 'v1' }, stat: 'Sum' });
  });

  it('serves the root path from the root resource', () => {
    const { json } = build({ routes: (f) => [{ path: '/', method: 'GET', function: f.upload }] });
    expect(countOf(json, 'aws_api_gateway_resource')).toBe(0);
    expect(onlyOf(json, 'aws_api_gateway_method').resource_id).toBe(ref(json, 'aws_api_gateway_rest_api', 'root_resource_id'));
  });

  it('lists every bad prop in one message', () => {
    const message = errorOf(() =>
      build({
        stageName: 'v 1',
        accessLogRetentionDays: 31,
        cors: { allowOrigins: ['*', 'https://app.example.com/'] },
        throttle: { burstLimit: -1, rateLimit: 10 },
        routes: (f) => [
          { path: 'upload', method: 'POST', function: f.upload },
          { path: '/status/{jobId}', method: 'GET', function: f.status },
          { path: '/status/{id}', method: 'PUT', function: f.status },
          { path: '/status/{jobId}', method: 'GET', function: f.status, apiKeyRequired: true },
          { path: '/files/{proxy+}/x', method: 'GET', function: f.status },
        ],
      }),
    );
    expect(message.split('\n')).toEqual([
      'test/api: invalid props:',
      '  stageName: "v 1" is not a stage name (1-128 letters, digits, "-" and "_")',
      expect.stringMatching(/^ {2}accessLogRetentionDays: 31 is not a CloudWatch retention; allowed: 1, 3, /),
      '  routes[0].path: "upload" is not a resource path; allowed: "/" or "/part/..." with parts of letters, digits, ".", "_" and "-", or "{name}" ("{name+}" last)',
      '  routes[2].path: "/status/{id}" puts {id} beside {jobId} under "/status"; API Gateway allows one variable part per parent: use the same name',
      '  routes[3]: "GET /status/{jobId}" is given twice',
      '  routes[3].apiKeyRequired: true needs apiKey: true (no key could be used)',
      '  routes[4].path: "/files/{proxy+}/x" has the greedy part "{proxy+}" before its end; a greedy part must be last',
      '  cors.allowOrigins: "*" allows every origin and cannot be combined with others',
      '  cors.allowOrigins[1]: "https://app.example.com/" is not an origin; allowed: "*" or scheme://host[:port] without a path, e.g. "https://app.example.com"',
      '  throttle.burstLimit: -1 is not a whole number of requests (0 or more)',
    ]);
    expect(errorOf(() => build({ routes: () => [] }))).toBe('test/api: routes: [] is empty; a REST API cannot be deployed without a method');
    expect(errorOf(() => build({ webAclScope: 'CLOUDFRONT' }))).toBe('test/api: webAcl: "test/waf" has scope "CLOUDFRONT"; a REST API stage takes a REGIONAL web ACL');
  });
});
