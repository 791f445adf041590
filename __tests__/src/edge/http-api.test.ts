import { Apigatewayv2Api } from '@cdktf/provider-aws/lib/apigatewayv2-api';
import { HttpApi, HttpApiProps } from '../../../src/edge/http-api';
import { decodeJsonencode } from '../../../src/core/json';
import { EcsCluster } from '../../../src/compute/ecs-cluster';
import { CloudMapOptions, EcsService } from '../../../src/compute/ecs-service';
import { ApplicationLoadBalancer } from '../../../src/edge/alb';
import { LogGroup } from '../../../src/observability/logs';
import { Vpc } from '../../../src/network/vpc';
import { allOf, errorOf, filterOf, isAbsent, onlyOf, resourcesOf, synthConstructs, Synthesized } from '../../helpers/synth';

type Props = Omit<HttpApiProps, 'vpc' | 'integration'>;
const BASE: Props = { name: 'predictor' };

/**
 * An API in front of a backend in a VPC (pinned zones, one NAT): an ECS service registered in its
 * cluster's namespace (`cloudMap`, SRV records unless told otherwise), or an internal load balancer
 * (`internal: false` for an internet-facing one).
 */
function build(props: Partial<Props> = {}, backend: { readonly cloudMap?: CloudMapOptions | false; readonly internal?: boolean } = {}): { json: Synthesized; api: HttpApi } {
  let api!: HttpApi;
  const { json } = synthConstructs((stack) => {
    const vpc = new Vpc(stack, 'vpc', { flowLogs: false, namePrefix: 'predictor', availabilityZones: ['eu-west-1a', 'eu-west-1b'], natGateways: 'single' });
    let integration: HttpApiProps['integration'];
    if (backend.internal !== undefined) {
      integration = { loadBalancer: new ApplicationLoadBalancer(stack, 'alb', { namePrefix: 'predictor', vpc, internal: backend.internal }) };
    } else {
      const cluster = new EcsCluster(stack, 'cluster', { clusterName: 'predictor', privateNamespace: { name: 'predictor.local', vpc } });
      const logGroup = new LogGroup(stack, 'logs', { name: '/ecs/predictor' });
      const cloudMap = backend.cloudMap === false ? undefined : backend.cloudMap ?? { name: 'backend', recordType: 'SRV' };
      integration = { service: new EcsService(stack, 'svc', { serviceName: 'predictor-backend', cluster, vpc, logGroup, image: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/backend:1', containerPort: 8000, cloudMap }) };
    }
    api = new HttpApi(stack, 'api', { ...BASE, integration, ...props, vpc });
  });
  return { json, api };
}

function address(json: Synthesized, type: string, match: (r: Record<string, any>) => boolean = () => true): string {
  const found = resourcesOf(json, type).filter(([, r]) => match(r));
  if (found.length !== 1) throw new Error(`expected one ${type}, found ${found.length}`);
  return `${type}.${found[0][0]}`;
}
const ref = (json: Synthesized, type: string, attr: string, match?: (r: Record<string, any>) => boolean) => `\${${address(json, type, match)}.${attr}}`;

describe('HttpApi', () => {
  it('reaches the VPC through a VPC link whose security group only talks to the VPC CIDR', () => {
    const { json, api } = build();
    expect(api.resource).toBeInstanceOf(Apigatewayv2Api);
    const sg = filterOf(json, 'aws_security_group', (s) => s.tags?.Name === 'predictor-vpc-link');
    expect(sg).toHaveLength(1);
    expect(sg[0]).toMatchObject({ name_prefix: 'predictor-vpc-link-', vpc_id: ref(json, 'aws_vpc', 'id') });
    const sgId = ref(json, 'aws_security_group', 'id', (s) => s.tags?.Name === 'predictor-vpc-link');
    // No all-outbound rule: egress to the VPC CIDR only, no ingress.
    expect(filterOf(json, 'aws_vpc_security_group_egress_rule', (r) => r.security_group_id === sgId)).toEqual([
      { security_group_id: sgId, ip_protocol: 'tcp', from_port: 0, to_port: 65535, description: 'To backends in the VPC', cidr_ipv4: ref(json, 'aws_vpc', 'cidr_block') },
    ]);
    expect(filterOf(json, 'aws_vpc_security_group_ingress_rule', (r) => r.security_group_id === sgId)).toHaveLength(0);
    const privateSubnets = resourcesOf(json, 'aws_subnet')
      .filter(([, s]) => s.tags.Type === 'private')
      .map(([key]) => `\${aws_subnet.${key}.id}`);
    const link = onlyOf(json, 'aws_apigatewayv2_vpc_link');
    expect(link).toMatchObject({ name: 'predictor', subnet_ids: privateSubnets, security_group_ids: [sgId] });
    expect(link.depends_on).toContain(address(json, 'aws_vpc_security_group_egress_rule', (r) => r.security_group_id === sgId));
    expect(api.vpcLinkSecurityGroupId).toBe(api.vpcLinkSecurityGroup.securityGroupId);
  });

  it('proxies every request to the service\'s Cloud Map service through the link, on an auto-deployed $default stage', () => {
    const { json } = build();
    expect(onlyOf(json, 'aws_apigatewayv2_api')).toMatchObject({ name: 'predictor', protocol_type: 'HTTP', tags: { Name: 'predictor' } });
    expect(isAbsent(onlyOf(json, 'aws_apigatewayv2_api'), 'cors_configuration')).toBe(true);
    const apiId = ref(json, 'aws_apigatewayv2_api', 'id');
    expect(onlyOf(json, 'aws_apigatewayv2_integration')).toMatchObject({
      api_id: apiId,
      integration_type: 'HTTP_PROXY',
      integration_method: 'ANY',
      integration_uri: ref(json, 'aws_service_discovery_service', 'arn'),
      connection_type: 'VPC_LINK',
      connection_id: ref(json, 'aws_apigatewayv2_vpc_link', 'id'),
      payload_format_version: '1.0',
    });
    expect(onlyOf(json, 'aws_apigatewayv2_route')).toEqual({ api_id: apiId, route_key: '$default', target: `integrations/${ref(json, 'aws_apigatewayv2_integration', 'id')}` });
    const stage = onlyOf(json, 'aws_apigatewayv2_stage');
    expect(stage).toMatchObject({ api_id: apiId, name: '$default', auto_deploy: true });
    expect(stage.access_log_settings.destination_arn).toBe(ref(json, 'aws_cloudwatch_log_group', 'arn', (g) => g.name === '/aws/apigateway/predictor'));
    expect(decodeJsonencode(stage.access_log_settings.format)).toMatchObject({ requestId: '$context.requestId', routeKey: '$context.routeKey', integrationError: '$context.integrationErrorMessage' });
    // Route settings without throttling values throttle everything to 0: none unless asked.
    expect(isAbsent(stage, 'default_route_settings')).toBe(true);
    expect(filterOf(json, 'aws_cloudwatch_log_group', (g) => g.name === '/aws/apigateway/predictor')[0].retention_in_days).toBe(30);
  });

  it('routes the given keys to an internal load balancer\'s listener, with CORS and throttling', () => {
    const { json } = build(
      {
        routes: ['GET /items/{id}', 'ANY /{proxy+}'],
        cors: { allowOrigins: ['https://app.example.com'], maxAgeSec: 600 },
        throttle: { burstLimit: 50, rateLimit: 20 },
        accessLogRetentionDays: 7,
      },
      { internal: true },
    );
    expect(onlyOf(json, 'aws_apigatewayv2_integration').integration_uri).toBe(ref(json, 'aws_lb_listener', 'arn'));
    expect(allOf(json, 'aws_apigatewayv2_route').map((r) => r.route_key).sort()).toEqual(['ANY /{proxy+}', 'GET /items/{id}']);
    expect(onlyOf(json, 'aws_apigatewayv2_api').cors_configuration).toEqual({
      allow_origins: ['https://app.example.com'],
      allow_methods: ['*'],
      allow_headers: ['content-type', 'authorization'],
      max_age: 600,
    });
    expect(onlyOf(json, 'aws_apigatewayv2_stage').default_route_settings).toEqual({ throttling_burst_limit: 50, throttling_rate_limit: 20 });
    expect(onlyOf(json, 'aws_cloudwatch_log_group').retention_in_days).toBe(7);
  });

  it('offers its CloudWatch metrics on the $default stage', () => {
    const { api } = build();
    expect(api.metricCount()).toMatchObject({ namespace: 'AWS/ApiGateway', metricName: 'Count', dimensions: { ApiId: api.apiId, Stage: '$default' }, stat: 'Sum' });
    expect(api.metric4xx()).toMatchObject({ metricName: '4xx', stat: 'Sum' });
    expect(api.metric5xx()).toMatchObject({ metricName: '5xx', stat: 'Sum' });
    expect(api.metricLatency()).toMatchObject({ metricName: 'Latency', stat: 'p99' });
  });

  it('lists every bad prop in one message', () => {
    const message = errorOf(() =>
      build({
        name: 'predictor api',
        routes: ['GET items', 'FETCH /items', 'GET /{proxy+}/x', '$default', '$default'],
        cors: { allowOrigins: [], maxAgeSec: 90000 },
        accessLogRetentionDays: 2,
      }),
    );
    expect(message.split('\n')).toEqual([
      'test/api: invalid props:',
      '  name: "predictor api" is not an API name here (1-128 letters, digits, ".", "_" and "-": it also names the log group and security group)',
      expect.stringMatching(/^ {2}accessLogRetentionDays: 2 is not a CloudWatch retention; allowed: 1, 3, /),
      '  routes[0]: "GET items" is not a route key; allowed: "$default" or "<METHOD> <path>", e.g. "GET /items/{id}"',
      '  routes[1]: "FETCH /items" names the method "FETCH"; allowed: ANY, GET, POST, PUT, DELETE, PATCH, HEAD, OPTIONS',
      '  routes[2]: "GET /{proxy+}/x" has a path API Gateway does not accept; allowed: parts of letters, digits, ".", "_", "~" and "-", or "{name}" ("{name+}" last)',
      '  routes[4]: "$default" is given twice',
      '  cors.allowOrigins: [] is empty; give the origins allowed (e.g. "https://app.example.com") or "*"',
      '  cors.maxAgeSec: 90000 is out of range; allowed: 0 to 86400 seconds',
    ]);
  });

  it('rejects a backend it cannot reach through a VPC link: a service without Cloud Map or with A records, an internet-facing load balancer', () => {
    expect(errorOf(() => build({}, { cloudMap: false }))).toBe('test/api: integration.service: test/svc has no Cloud Map registration; give it cloudMap with recordType "SRV"');
    expect(errorOf(() => build({}, { cloudMap: { name: 'backend' } }))).toBe(
      'test/api: integration.service: "test/svc" registers A records; API Gateway needs SRV records (the port as well as the address): set cloudMap.recordType "SRV"',
    );
    expect(errorOf(() => build({}, { internal: false }))).toBe('test/api: integration.loadBalancer: "test/alb" is internet-facing; a VPC link integration takes an internal load balancer (internal: true)');
  });
});
