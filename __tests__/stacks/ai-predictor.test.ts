import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { AiPredictorStack } from '../../stacks/ai-predictor';
import { HealthChecks } from '../../src/compute/ecs-service';
import { Synthesized, allOf, buildStack, countOf, errorOf, filterOf, findBy, onlyOf, parseField, resourcesOf, statementsOf, synth } from '../helpers/synth';

const NAME = 'ai-predictor';
const PREFIX = 'predictor-model-dev';
const ACCOUNT = '123456789012';

/**
 * Three variants, each synthesized once: `running` (an image tag, the account pinned),
 * `fresh` (a first apply: no image yet, the account looked up, the frontend's origin set),
 * `custom` (every opt-in turned).
 */
const VARIANTS = {
  running: { imageTag: 'a1b2c3d', accountId: ACCOUNT },
  fresh: { api: { corsAllowOrigins: ['https://main.d1234abcd.amplifyapp.com'], corsMaxAgeSec: 600 } },
  custom: {
    imageTag: 'v2',
    accountId: ACCOUNT,
    environment: 'prod',
    network: { interfaceEndpointZones: 2, natGateways: 'single' },
    backend: {
      capacityProviderStrategy: [
        { capacityProvider: 'FARGATE_SPOT', weight: 1 },
        { capacityProvider: 'FARGATE', weight: 0, base: 1 },
      ],
      healthCheckPath: null,
      environment: { MODEL_NAME: 'xgb-v3' },
    },
    api: { corsAllowOrigins: [], throttle: { burstLimit: 50, rateLimit: 20 }, accessLogRetentionDays: 7 },
    s3: { allowDelete: true, versioning: false, filesBucketName: 'acme-predictor-uploads' },
    logRetentionDays: 14,
    monitoring: { dashboard: true },
    remoteState: { enabled: true },
  },
} as const;
type Variant = keyof typeof VARIANTS;
const cache = new Map<Variant, { text: string; json: Synthesized; stack: AiPredictorStack }>();
function stackOf(variant: Variant) {
  if (!cache.has(variant)) {
    const stack = buildStack<AiPredictorStack>(NAME, { stacks: { [NAME]: VARIANTS[variant] } });
    cache.set(variant, { ...synth(stack), stack });
  }
  return cache.get(variant)!;
}

const ref = (json: Synthesized, type: string, attr: string, match: (r: Record<string, any>) => boolean = () => true) => {
  const found = resourcesOf(json, type).filter(([, r]) => match(r));
  if (found.length !== 1) throw new Error(`expected one ${type}, found ${found.length}`);
  return `\${${type}.${found[0][0]}.${attr}}`;
};
const containerOf = (json: Synthesized) => parseField<any[]>(onlyOf(json, 'aws_ecs_task_definition'), 'container_definitions')[0];
const envOf = (container: any) => Object.fromEntries(container.environment.map((e: any) => [e.name, e.value]));

describe('ai-predictor networking', () => {
  it('keeps the document region and tags every resource through the provider', () => {
    expect(stackOf('running').text).toHaveProviderWithProperties(AwsProvider, {
      region: 'us-east-1',
      default_tags: [{ tags: { Project: 'predictor-model', Environment: 'dev', ManagedBy: 'terraform', Stack: 'ai-predictor' } }],
    });
  });

  it('has private subnets over 2 zones and no NAT gateway, internet gateway, public subnet or default route anywhere', () => {
    const { json } = stackOf('running');
    for (const type of ['aws_nat_gateway', 'aws_eip', 'aws_internet_gateway', 'aws_route']) expect({ type, count: countOf(json, type) }).toEqual({ type, count: 0 });
    const subnets = allOf(json, 'aws_subnet');
    expect(subnets.map((s) => [s.tags.Type, s.cidr_block])).toEqual([
      ['private', '10.0.128.0/20'],
      ['private', '10.0.144.0/20'],
    ]);
    for (const s of subnets) expect(s.map_public_ip_on_launch).toBeUndefined();
    expect(JSON.stringify(json.resource)).not.toContain('nat_gateway_id');
    expect(onlyOf(json, 'aws_ecs_service').network_configuration).toEqual({
      subnets: resourcesOf(json, 'aws_subnet').map(([k]) => `\${aws_subnet.${k}.id}`),
      security_groups: [ref(json, 'aws_security_group', 'id', (g) => g.tags.Name === `${PREFIX}-backend-sg`)],
      assign_public_ip: false,
    });
  });

  it('reaches S3 through the gateway endpoint and ECR and CloudWatch Logs through interface endpoints in the first zone, open on 443 to the VPC only', () => {
    const { json } = stackOf('running');
    const endpoints = allOf(json, 'aws_vpc_endpoint');
    expect(endpoints.map((e) => [e.service_name, e.vpc_endpoint_type])).toEqual([
      ['com.amazonaws.us-east-1.s3', 'Gateway'],
      ['com.amazonaws.us-east-1.ecr.api', 'Interface'],
      ['com.amazonaws.us-east-1.ecr.dkr', 'Interface'],
      ['com.amazonaws.us-east-1.logs', 'Interface'],
    ]);
    expect(endpoints[0].route_table_ids).toEqual(resourcesOf(json, 'aws_route_table').map(([k]) => `\${aws_route_table.${k}.id}`));
    const endpointSg = ref(json, 'aws_security_group', 'id', (g) => g.tags.Name === `${PREFIX}-vpc-endpoints`);
    for (const e of endpoints.slice(1)) {
      expect(e).toMatchObject({ private_dns_enabled: true, security_group_ids: [endpointSg], subnet_ids: [ref(json, 'aws_subnet', 'id', (s) => s.tags.Name === `${PREFIX}-private-1`)] });
    }
    expect(filterOf(json, 'aws_vpc_security_group_ingress_rule', (r) => r.security_group_id === endpointSg)).toEqual([
      { security_group_id: endpointSg, ip_protocol: 'tcp', from_port: 443, to_port: 443, cidr_ipv4: '10.0.0.0/16', description: 'HTTPS from the VPC' },
    ]);
    expect(filterOf(json, 'aws_vpc_security_group_egress_rule', (r) => r.security_group_id === endpointSg)).toHaveLength(0);
    // The first task waits for every endpoint and route table association.
    const deps = onlyOf(json, 'aws_ecs_service').depends_on as string[];
    expect(deps.filter((d) => d.startsWith('aws_vpc_endpoint.'))).toHaveLength(4);
    expect(deps.filter((d) => d.startsWith('aws_route_table_association.'))).toHaveLength(2);
  });

  it('adds public subnets and a NAT gateway on demand without renumbering or renaming the private subnets', () => {
    const privateSubnets = (json: Synthesized) => resourcesOf(json, 'aws_subnet').filter(([, s]) => s.tags.Type === 'private').map(([k, s]) => [k, s.cidr_block]);
    const custom = stackOf('custom').json;
    expect(privateSubnets(custom)).toEqual(privateSubnets(stackOf('running').json));
    expect(filterOf(custom, 'aws_subnet', (s) => s.tags.Type === 'public').map((s) => s.cidr_block)).toEqual(['10.0.0.0/20', '10.0.16.0/20']);
    expect([countOf(custom, 'aws_nat_gateway'), countOf(custom, 'aws_internet_gateway')]).toEqual([1, 1]);
  });

  it('puts each interface endpoint in both zones with interfaceEndpointZones 2', () => {
    const { json } = stackOf('custom');
    for (const e of filterOf(json, 'aws_vpc_endpoint', (x) => x.vpc_endpoint_type === 'Interface')) expect(e.subnet_ids).toHaveLength(2);
  });
});

describe('ai-predictor ecs', () => {
  it('creates the cluster with Container Insights and the private namespace the API finds the tasks in', () => {
    const { json } = stackOf('running');
    expect(onlyOf(json, 'aws_ecs_cluster')).toMatchObject({ name: `${PREFIX}-cluster`, setting: [{ name: 'containerInsights', value: 'enabled' }] });
    expect(onlyOf(json, 'aws_service_discovery_private_dns_namespace')).toMatchObject({ name: `${PREFIX}.local`, vpc: ref(json, 'aws_vpc', 'id') });
  });

  it('runs the backend on Fargate Spot only by default (no fallback exists), and with an on-demand floor of one task when asked', () => {
    const spot = [{ capacity_provider: 'FARGATE_SPOT', weight: 1, base: 0 }];
    const { json } = stackOf('running');
    expect(onlyOf(json, 'aws_ecs_service')).toMatchObject({ capacity_provider_strategy: spot, force_new_deployment: true });
    expect(onlyOf(json, 'aws_ecs_service').launch_type).toBeUndefined();
    expect(onlyOf(json, 'aws_ecs_cluster_capacity_providers')).toMatchObject({ capacity_providers: ['FARGATE', 'FARGATE_SPOT'], default_capacity_provider_strategy: spot });
    expect(onlyOf(stackOf('custom').json, 'aws_ecs_service').capacity_provider_strategy).toEqual([
      { capacity_provider: 'FARGATE_SPOT', weight: 1, base: 0 },
      { capacity_provider: 'FARGATE', weight: 0, base: 1 },
    ]);
  });

  it('runs the image of its own repository with 0.5 vCPU / 1 GiB, port 8000, the document log group and a Python health check', () => {
    const { json } = stackOf('running');
    const task = onlyOf(json, 'aws_ecs_task_definition');
    expect([task.family, task.cpu, task.memory, task.requires_compatibilities]).toEqual([`${PREFIX}-backend`, '512', '1024', ['FARGATE']]);
    const container = containerOf(json);
    expect(container.image).toBe(`${ref(json, 'aws_ecr_repository', 'repository_url')}:a1b2c3d`);
    expect(container.portMappings).toEqual([expect.objectContaining({ containerPort: 8000 })]);
    expect(container.healthCheck).toEqual({ command: HealthChecks.http(8000, '/health', 'python'), interval: 30, timeout: 5, retries: 3, startPeriod: 60 });
    expect(onlyOf(json, 'aws_ecs_service').name).toBe(`${PREFIX}-backend`);
    expect(findBy(json, 'aws_cloudwatch_log_group', 'name', `/ecs/${PREFIX}-backend`).retention_in_days).toBe(30);
    expect(container.logConfiguration.options).toEqual({ 'awslogs-group': ref(json, 'aws_cloudwatch_log_group', 'name', (g) => g.name === `/ecs/${PREFIX}-backend`), 'awslogs-region': 'us-east-1', 'awslogs-stream-prefix': 'backend' });
    const custom = stackOf('custom').json;
    expect(findBy(custom, 'aws_cloudwatch_log_group', 'name', '/ecs/predictor-model-prod-backend').retention_in_days).toBe(14);
    expect(containerOf(custom).healthCheck).toBeUndefined();
  });

  it('scales on CPU 70% and memory 80% between 1 and 4 tasks, one policy after the other', () => {
    const { json } = stackOf('running');
    const target = onlyOf(json, 'aws_appautoscaling_target');
    expect([target.min_capacity, target.max_capacity, target.scalable_dimension]).toEqual([1, 4, 'ecs:service:DesiredCount']);
    const tracking = allOf(json, 'aws_appautoscaling_policy').map((p) => p.target_tracking_scaling_policy_configuration);
    expect(tracking.map((t) => [t.predefined_metric_specification.predefined_metric_type, t.target_value])).toEqual([
      ['ECSServiceAverageCPUUtilization', 70],
      ['ECSServiceAverageMemoryUtilization', 80],
    ]);
    expect(onlyOf(json, 'aws_ecs_service')).toMatchObject({ desired_count: 1, lifecycle: { ignore_changes: ['desired_count'] } });
  });

  it('waits at 0 tasks, with task alarms that let missing data pass, until imageTag is set', () => {
    const { json } = stackOf('fresh');
    expect(onlyOf(json, 'aws_ecs_service').desired_count).toBe(0);
    const target = onlyOf(json, 'aws_appautoscaling_target');
    expect([target.min_capacity, target.max_capacity]).toEqual([0, 0]);
    expect(findBy(json, 'aws_cloudwatch_metric_alarm', 'alarm_name', `${PREFIX}-backend-tasks-below-desired`).treat_missing_data).toBe('notBreaching');
    // Without a pinned account the bucket names look it up.
    expect(Object.keys(json.data?.aws_caller_identity ?? {})).toHaveLength(1);
  });

  it('gives the backend AWS_REGION, ENVIRONMENT and the bucket names, plus extra variables, and outputs that map', () => {
    const { json } = stackOf('running');
    const bucket = (id: string) => ref(json, 'aws_s3_bucket', 'bucket', (b) => b.bucket.includes(`-${id}-`));
    const expected = { AWS_REGION: 'us-east-1', ENVIRONMENT: 'dev', S3_FILES_BUCKET: bucket('files'), S3_DATA_BUCKET: bucket('data') };
    expect(envOf(containerOf(json))).toEqual(expected);
    expect(json.output!.backend_environment_variables.value).toEqual(expected);
    expect(envOf(containerOf(stackOf('custom').json))).toMatchObject({ MODEL_NAME: 'xgb-v3', ENVIRONMENT: 'prod' });
  });
});

describe('ai-predictor api-gateway', () => {
  it('proxies every request through a VPC link to the Cloud Map SRV records of the backend on its port', () => {
    const { json } = stackOf('running');
    const discovery = onlyOf(json, 'aws_service_discovery_service');
    expect(discovery).toMatchObject({ name: 'backend', dns_config: { dns_records: [{ type: 'SRV', ttl: 10 }], namespace_id: ref(json, 'aws_service_discovery_private_dns_namespace', 'id') } });
    expect(onlyOf(json, 'aws_ecs_service').service_registries).toEqual({ registry_arn: ref(json, 'aws_service_discovery_service', 'arn'), container_name: 'backend', container_port: 8000 });
    expect(onlyOf(json, 'aws_apigatewayv2_api')).toMatchObject({ name: `${PREFIX}-api`, protocol_type: 'HTTP' });
    expect(onlyOf(json, 'aws_apigatewayv2_vpc_link').subnet_ids).toEqual(resourcesOf(json, 'aws_subnet').map(([k]) => `\${aws_subnet.${k}.id}`));
    expect(onlyOf(json, 'aws_apigatewayv2_integration')).toMatchObject({
      integration_type: 'HTTP_PROXY',
      connection_type: 'VPC_LINK',
      connection_id: ref(json, 'aws_apigatewayv2_vpc_link', 'id'),
      integration_uri: ref(json, 'aws_service_discovery_service', 'arn'),
    });
    expect(onlyOf(json, 'aws_apigatewayv2_route').route_key).toBe('$default');
    expect(onlyOf(json, 'aws_apigatewayv2_stage')).toMatchObject({ name: '$default', auto_deploy: true });
    expect(json.output!.api_gateway_url.value).toBe(ref(json, 'aws_apigatewayv2_api', 'api_endpoint'));
  });

  it('opens the backend port to the VPC link only', () => {
    const { json } = stackOf('running');
    const serviceSg = ref(json, 'aws_security_group', 'id', (g) => g.tags.Name === `${PREFIX}-backend-sg`);
    expect(filterOf(json, 'aws_vpc_security_group_ingress_rule', (r) => r.security_group_id === serviceSg)).toEqual([
      expect.objectContaining({ from_port: 8000, to_port: 8000, ip_protocol: 'tcp', referenced_security_group_id: ref(json, 'aws_security_group', 'id', (g) => g.tags.Name === `${PREFIX}-api-vpc-link`) }),
    ]);
    for (const sg of allOf(json, 'aws_security_group')) expect(sg).toMatchObject({ name_prefix: expect.stringMatching(/-$/), lifecycle: { create_before_destroy: true } });
  });

  it('answers CORS for any origin by default, leaves it to the backend with [], and logs access for the set retention', () => {
    const { json } = stackOf('running');
    expect(onlyOf(json, 'aws_apigatewayv2_api').cors_configuration).toEqual({ allow_origins: ['*'], allow_methods: ['*'], allow_headers: ['content-type', 'authorization'] });
    expect(findBy(json, 'aws_cloudwatch_log_group', 'name', `/aws/apigateway/${PREFIX}-api`).retention_in_days).toBe(30);
    expect(onlyOf(json, 'aws_apigatewayv2_stage').access_log_settings.destination_arn).toBe(ref(json, 'aws_cloudwatch_log_group', 'arn', (g) => g.name === `/aws/apigateway/${PREFIX}-api`));
    // Throttled by default (the document has no limit: a flood would cost without bound).
    expect(onlyOf(json, 'aws_apigatewayv2_stage').default_route_settings).toEqual({ throttling_burst_limit: 100, throttling_rate_limit: 50 });
    const custom = stackOf('custom').json;
    expect(onlyOf(custom, 'aws_apigatewayv2_api').cors_configuration).toBeUndefined();
    expect(findBy(custom, 'aws_cloudwatch_log_group', 'name', '/aws/apigateway/predictor-model-prod-api').retention_in_days).toBe(7);
    expect(onlyOf(custom, 'aws_apigatewayv2_stage').default_route_settings).toEqual({ throttling_burst_limit: 50, throttling_rate_limit: 20 });
    expect(onlyOf(stackOf('fresh').json, 'aws_apigatewayv2_api').cors_configuration).toEqual({
      allow_origins: ['https://main.d1234abcd.amplifyapp.com'],
      allow_methods: ['*'],
      allow_headers: ['content-type', 'authorization'],
      max_age: 600,
    });
  });
});

describe('ai-predictor s3, ecr and iam', () => {
  it('creates the files and data buckets named after the account and region, encrypted, private and versioned', () => {
    const { json } = stackOf('running');
    expect(allOf(json, 'aws_s3_bucket').map((b) => [b.bucket, b.force_destroy]).sort()).toEqual([
      // dev is not production: terraform destroy empties them itself (docs/operations.md).
      [`${PREFIX}-data-${ACCOUNT}-us-east-1`, true],
      [`${PREFIX}-files-${ACCOUNT}-us-east-1`, true],
    ]);
    for (const e of allOf(json, 'aws_s3_bucket_server_side_encryption_configuration')) expect(e.rule[0].apply_server_side_encryption_by_default).toEqual({ sse_algorithm: 'AES256' });
    for (const p of allOf(json, 'aws_s3_bucket_public_access_block')) expect(p).toMatchObject({ block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: true });
    expect(allOf(json, 'aws_s3_bucket_versioning').map((v) => v.versioning_configuration.status)).toEqual(['Enabled', 'Enabled']);
    for (const l of allOf(json, 'aws_s3_bucket_lifecycle_configuration')) expect(l.rule.map((r: any) => r.id)).toEqual(['abort-incomplete-multipart-uploads', 'expire-noncurrent-versions']);
    const custom = stackOf('custom').json;
    expect(allOf(custom, 'aws_s3_bucket').map((b) => b.bucket).sort()).toEqual(['acme-predictor-uploads', `predictor-model-prod-data-${ACCOUNT}-us-east-1`]);
    expect(countOf(custom, 'aws_s3_bucket_versioning')).toBe(0);
  });

  it('gives the task role exactly list, get, put and abort on the two buckets (delete only when allowed), and the execution role only ECS\'s managed policy', () => {
    const taskPolicy = (json: Synthesized) => statementsOf(allOf(json, 'aws_iam_role_policy').find((p) => p.name.endsWith('-backend-task-permissions'))!);
    const { json } = stackOf('running');
    const files = ref(json, 'aws_s3_bucket', 'arn', (b) => b.bucket.includes('-files-'));
    const data = ref(json, 'aws_s3_bucket', 'arn', (b) => b.bucket.includes('-data-'));
    const objects = ['s3:GetObject', 's3:PutObject', 's3:AbortMultipartUpload'];
    expect(taskPolicy(json)).toEqual([
      { Effect: 'Allow', Action: ['s3:ListBucket'], Resource: files },
      { Effect: 'Allow', Action: objects, Resource: `${files}/*` },
      { Effect: 'Allow', Action: ['s3:ListBucket'], Resource: data },
      { Effect: 'Allow', Action: objects, Resource: `${data}/*` },
    ]);
    expect(findBy(json, 'aws_iam_role_policy', 'name', `${PREFIX}-backend-task-permissions`).role).toBe(ref(json, 'aws_iam_role', 'id', (r) => r.tags.Name === `${PREFIX}-backend-task`));
    expect(onlyOf(json, 'aws_iam_role_policy_attachment')).toMatchObject({
      role: ref(json, 'aws_iam_role', 'name', (r) => r.tags.Name === `${PREFIX}-backend-execution`),
      policy_arn: 'arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy',
    });
    const custom = taskPolicy(stackOf('custom').json);
    expect(custom.filter((st) => st.Action.length > 1).map((st) => st.Action)).toEqual([[...objects, 's3:DeleteObject'], [...objects, 's3:DeleteObject']]);
  });

  it('creates the mutable ECR repository, scanned on push, keeping 10 images', () => {
    const { json } = stackOf('running');
    expect(onlyOf(json, 'aws_ecr_repository')).toMatchObject({ name: `${PREFIX}-backend`, image_tag_mutability: 'MUTABLE', image_scanning_configuration: { scan_on_push: true } });
    const rules = parseField<{ rules: any[] }>(onlyOf(json, 'aws_ecr_lifecycle_policy'), 'policy').rules;
    expect(rules.map((r) => [r.selection.tagStatus, r.selection.countNumber])).toEqual([
      ['untagged', 7],
      ['any', 10],
    ]);
    expect(json.output!.ecr_repository_url.value).toBe(ref(json, 'aws_ecr_repository', 'repository_url'));
  });
});

describe('ai-predictor monitoring, outputs and state', () => {
  it('alarms on missing tasks and the API 5xx rate, on the encrypted topic', () => {
    const { json } = stackOf('running');
    expect(onlyOf(json, 'aws_sns_topic').kms_master_key_id).toMatch(/aws_kms_key\./);
    const alarms = allOf(json, 'aws_cloudwatch_metric_alarm');
    expect(alarms.map((a) => a.alarm_name).sort()).toEqual([`${PREFIX}-api-5xx-rate`, `${PREFIX}-backend-tasks-below-desired`]);
    const tasks = findBy(json, 'aws_cloudwatch_metric_alarm', 'alarm_name', `${PREFIX}-backend-tasks-below-desired`);
    expect(tasks).toMatchObject({ treat_missing_data: 'breaching', threshold: 0, comparison_operator: 'GreaterThanThreshold' });
    const errors = findBy(json, 'aws_cloudwatch_metric_alarm', 'alarm_name', `${PREFIX}-api-5xx-rate`);
    expect(errors).toMatchObject({ threshold: 5, evaluation_periods: 2 });
    expect(errors.metric_query.slice(1).map((q: any) => [q.id, q.metric.namespace, q.metric.metric_name, q.metric.dimensions.ApiId])).toEqual([
      ['errors', 'AWS/ApiGateway', '5xx', ref(json, 'aws_apigatewayv2_api', 'id')],
      ['requests', 'AWS/ApiGateway', 'Count', ref(json, 'aws_apigatewayv2_api', 'id')],
    ]);
  });

  it('has no dashboard unless asked (Container Insights has its own views), then API and backend widgets', () => {
    expect(countOf(stackOf('running').json, 'aws_cloudwatch_dashboard')).toBe(0);
    const dashboard = onlyOf(stackOf('custom').json, 'aws_cloudwatch_dashboard');
    expect(dashboard.dashboard_name).toBe('predictor-model-prod');
    expect(parseField<{ widgets: any[] }>(dashboard, 'dashboard_body').widgets.map((w) => w.properties.title)).toEqual(['API requests and errors', 'API latency (P99)', 'Backend CPU and memory', 'Backend tasks']);
  });

  it('declares the document outputs', () => {
    const { json } = stackOf('running');
    expect(Object.keys(json.output ?? {}).sort()).toEqual(
      ['api_gateway_url', 'backend_environment_variables', 'ecr_images', 'ecr_repository_url', 'ecs_cluster_name', 'ecs_service_name', 'ecs_services', 'endpoint_url', 's3_data_bucket_name', 's3_files_bucket_name'].sort(),
    );
    expect(json.output!.endpoint_url.value).toBe(json.output!.api_gateway_url.value);
    expect(json.output!.ecs_services.value).toEqual({ backend: { name: json.output!.ecs_service_name.value, container: 'backend', log_group: ref(json, 'aws_cloudwatch_log_group', 'name', (g) => g.name.endsWith('-backend')), task_family: `${PREFIX}-backend`, image_tag: expect.any(String) } });
    expect(json.output!.ecr_images.value).toEqual({ backend: { repository_url: json.output!.ecr_repository_url.value, build_context: 'services/backend' } });
    expect(json.output!.ecs_cluster_name.value).toBe(ref(json, 'aws_ecs_cluster', 'name'));
    expect(json.output!.ecs_service_name.value).toBe(ref(json, 'aws_ecs_service', 'name'));
    expect(json.output!.s3_files_bucket_name.value).toBe(ref(json, 'aws_s3_bucket', 'bucket', (b) => b.bucket.includes('-files-')));
  });

  it('keeps local state by default and the document bucket and lock table when its remote state is on', () => {
    expect(Object.keys(stackOf('running').json.terraform?.backend ?? {})).toEqual(['local']);
    expect(stackOf('custom').json.terraform?.backend).toEqual({
      s3: { bucket: 'predictor-model-terraform-state', dynamodb_table: 'predictor-model-terraform-locks', encrypt: true, key: 'ai-predictor/terraform.tfstate', region: 'us-east-1' },
    });
  });
});

describe('ai-predictor settings', () => {
  const fails = (settings: Record<string, unknown>, shared: Record<string, unknown> = {}) => errorOf(() => buildStack(NAME, { ...shared, stacks: { [NAME]: settings } })).split('\n');

  it('reports every problem at once, with its path, value and what is allowed', () => {
    expect(
      fails({
        network: { interfaceEndpoints: ['ecr.api'], interfaceEndpointZones: 3 },
        backend: { cpu: 512, memoryMiB: 512, desiredCount: 9, capacityProviderStrategy: [{ capacityProvider: 'FARGATE_SPOT', weight: 0 }], environment: { AWS_REGION: 'eu-west-1' } },
        api: { corsAllowOrigins: ['*', 'https://app.example.com'] },
      }),
    ).toEqual([
      'invalid settings for stack "ai-predictor":',
      '  network.interfaceEndpointZones: 3 is more than the 2 zones of the VPC; allowed: 1 to 2',
      '  network.natGateways: "none": without a NAT gateway, private subnets reach "ecr.dkr" only through a VPC endpoint; add "ecr.dkr" to interfaceEndpoints or use a NAT gateway',
      '  network.natGateways: "none": without a NAT gateway, private subnets reach "logs" only through a VPC endpoint; add "logs" to interfaceEndpoints or use a NAT gateway',
      '  backend.memoryMiB: 512 is not valid with 512 CPU units on Fargate; allowed: 1024 to 4096 in steps of 1024',
      '  backend.desiredCount: 9 is outside minCapacity..maxCapacity; allowed: 1 to 4',
      '  backend.capacityProviderStrategy: has only zero weights; at least one weight must be positive',
      '  backend.environment.AWS_REGION: is set by the stack (AWS_REGION, ENVIRONMENT, S3_FILES_BUCKET, S3_DATA_BUCKET); remove it',
      '  api.corsAllowOrigins: "*" allows every origin and cannot be combined with others',
    ]);
  });

  it('rejects what would be silently ignored, and ECS Exec without its endpoint', () => {
    expect(
      fails({
        remoteState: { bucket: 'my-state' },
        api: { corsAllowOrigins: [], corsMaxAgeSec: 600 },
        s3: { versioning: false, noncurrentVersionExpirationDays: 90 },
        backend: { healthCheckPath: null, healthCheckStartPeriodSec: 120, enableExecuteCommand: true },
      }),
    ).toEqual([
      'invalid settings for stack "ai-predictor":',
      '  network.natGateways: "none": without a NAT gateway, private subnets reach "ssmmessages" only through a VPC endpoint; add "ssmmessages" to interfaceEndpoints or use a NAT gateway',
      '  backend.healthCheckStartPeriodSec: 120 has no effect without healthCheckPath (there is no health check)',
      '  api.corsMaxAgeSec: has no effect with corsAllowOrigins [] (API Gateway CORS is off); remove it or name the origins',
      '  s3.noncurrentVersionExpirationDays: 90 has no effect without versioning (there are no noncurrent versions)',
      '  remoteState.bucket: "my-state" has no effect while remoteState.enabled is false; set enabled true to keep this stack\'s state there',
    ]);
  });

  it('keeps the default bucket names within 63 characters, and the two buckets apart', () => {
    expect(fails({ environment: 'production-eu-blue-green', s3: { dataBucketName: 'x-data', filesBucketName: 'x-data' } })).toEqual([
      'invalid settings for stack "ai-predictor":',
      '  s3.dataBucketName: "x-data" is also the files bucket; the two buckets need different names',
    ]);
    expect(fails({ projectName: 'predictor-model-backend', environment: 'production-eu' })).toEqual([
      'invalid settings for stack "ai-predictor":',
      '  projectName: "predictor-model-backend" with environment "production-eu" makes the files bucket name "predictor-model-backend-production-eu-files-<account>-<region>" longer than S3\'s 63 characters; shorten them or set s3.filesBucketName',
    ]);
  });

  it('suggests the camelCase name for a document variable', () => {
    expect(fails({ project_name: 'x' })[1]).toMatch(/^ {2}project_name: unknown setting; did you mean "projectName"\?; allowed: region, accountId, projectName, /);
  });
});
