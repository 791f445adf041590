import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { EcsCluster } from '@cdktf/provider-aws/lib/ecs-cluster';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { ServiceDiscoveryPrivateDnsNamespace } from '@cdktf/provider-aws/lib/service-discovery-private-dns-namespace';
import { Vpc } from '@cdktf/provider-aws/lib/vpc';
import { DataAwsEcrRepository } from '@cdktf/provider-aws/lib/data-aws-ecr-repository';
import { ArtworkMatcherStack } from '../../stacks/artwork-matcher';
import { Synthesized, resourcesOf, allOf, buildStack, countOf, errorOf, filterOf, findBy, onlyOf, parseField, statementsOf, synth } from '../helpers/synth';

const ENVS = ['demo', 'staging', 'production'] as const;
const SERVICES = ['gateway', 'embeddings', 'search', 'geometric'] as const;

const cache = new Map<string, { text: string; json: Synthesized }>();
function stackOf(env: (typeof ENVS)[number]) {
  if (!cache.has(env)) cache.set(env, synth(buildStack<ArtworkMatcherStack>(`artwork-matcher-${env}`)));
  return cache.get(env)!;
}

function containerOf(json: Synthesized, env: string, svc: string): any {
  const task = findBy(json, 'aws_ecs_task_definition', 'family', `artwork-matcher-${env}-${svc}`);
  return { task, container: parseField<any[]>(task, 'container_definitions')[0] };
}

function envVars(container: any): Record<string, string> {
  return Object.fromEntries(container.environment.map((e: any) => [e.name, e.value]));
}

/** Autoscaling resources of one service, found through the target's resource id. */
function scalingOf(json: Synthesized, env: string, svc: string) {
  const serviceKey = Object.entries(json.resource!.aws_ecs_service).find(([, r]) => r.name === `artwork-matcher-${env}-${svc}`)![0];
  const target = allOf(json, 'aws_appautoscaling_target').find((t) => t.resource_id.includes(`aws_ecs_service.${serviceKey}.name`))!;
  const byPrefix = (type: string) => allOf(json, type).filter((p) => p.name.startsWith(`artwork-matcher-${env}-${svc}-`));
  return { target, policies: byPrefix('aws_appautoscaling_policy'), scheduled: byPrefix('aws_appautoscaling_scheduled_action') };
}

describe.each(ENVS)('artwork-matcher-%s', (env) => {
  const prefix = `artwork-matcher-${env}`;
  const production = env === 'production';

  it('tags every resource through the provider and keeps the document region', () => {
    expect(stackOf(env).text).toHaveProviderWithProperties(AwsProvider, {
      region: 'eu-west-1',
      default_tags: [{ tags: { Project: 'artwork-matcher', Environment: env, ManagedBy: 'terraform' } }],
    });
  });

  it('builds the VPC over 2 zones with the document subnet layout and NAT count', () => {
    const { text, json } = stackOf(env);
    expect(text).toHaveResourceWithProperties(Vpc, { cidr_block: '10.0.0.0/16', enable_dns_hostnames: true, enable_dns_support: true });
    const cidrs = (type: string) => filterOf(json, 'aws_subnet', (s) => s.tags.Type === type).map((s) => s.cidr_block);
    expect(cidrs('public')).toEqual(['10.0.0.0/20', '10.0.16.0/20']);
    expect(cidrs('private')).toEqual(['10.0.32.0/20', '10.0.48.0/20']);
    const nats = env === 'demo' ? 1 : 2;
    expect(countOf(json, 'aws_nat_gateway')).toBe(nats);
    expect(countOf(json, 'aws_eip')).toBe(nats);
    expect(filterOf(json, 'aws_route_table', (rt) => /private-rt/.test(rt.tags.Name))).toHaveLength(2);
  });

  it('creates the cluster with Container Insights, Fargate providers and the default strategy', () => {
    const { text, json } = stackOf(env);
    expect(text).toHaveResourceWithProperties(EcsCluster, { name: prefix, setting: [{ name: 'containerInsights', value: 'enabled' }] });
    const cp = onlyOf(json, 'aws_ecs_cluster_capacity_providers');
    expect(cp.capacity_providers).toEqual(production ? ['FARGATE', 'FARGATE_SPOT', expect.stringMatching(/^\$\{aws_ecs_capacity_provider\..*\.name\}$/)] : ['FARGATE', 'FARGATE_SPOT']);
    if (production) expect(onlyOf(json, 'aws_ecs_capacity_provider').name).toBe(`${prefix}-gpu`);
    expect(cp.default_capacity_provider_strategy).toEqual([{ capacity_provider: 'FARGATE', weight: 100, base: 1 }]);
    expect(text).toHaveResourceWithProperties(CloudwatchLogGroup, { name: `/ecs/${prefix}`, retention_in_days: production ? 30 : 7 });
  });

  it(env === 'demo' ? 'creates the four ECR repositories, scanned on push' : 'uses the four ECR repositories demo creates', () => {
    const { json } = stackOf(env);
    if (env !== 'demo') {
      expect(countOf(json, 'aws_ecr_repository')).toBe(0);
      expect(Object.values(json.data!.aws_ecr_repository).map((d) => d.name).sort()).toEqual(SERVICES.map((s) => `artwork-matcher/${s}`).sort());
      return;
    }
    const repos = allOf(json, 'aws_ecr_repository');
    expect(repos.map((r) => r.name).sort()).toEqual(SERVICES.map((s) => `artwork-matcher/${s}`).sort());
    for (const r of repos) {
      expect(r.image_scanning_configuration).toEqual({ scan_on_push: true });
      expect(r.image_tag_mutability).toBe('MUTABLE');
    }
  });

  it('runs the four services with the document sizes, port 8000 and environment', () => {
    const { json } = stackOf(env);
    const sizes = production
      ? { gateway: ['512', '1024'], embeddings: ['3072', '12288'], search: ['2048', '8192'], geometric: ['1024', '2048'] }
      : { gateway: ['256', '512'], embeddings: ['1024', '4096'], search: ['512', '1024'], geometric: ['512', '1024'] };
    for (const svc of SERVICES) {
      const { task, container } = containerOf(json, env, svc);
      expect([task.cpu, task.memory]).toEqual(sizes[svc]);
      expect(container.portMappings[0].containerPort).toBe(8000);
      expect(container.image).toMatch(/\.repository_url\}:latest$/);
      expect(container.logConfiguration.options).toEqual({ 'awslogs-group': `/ecs/${prefix}`, 'awslogs-region': 'eu-west-1', 'awslogs-stream-prefix': svc });
      expect(container.healthCheck).toEqual({ command: ['CMD-SHELL', 'curl -f http://localhost:8000/health || exit 1'], interval: 30, timeout: 5, retries: 3, startPeriod: 60 });
    }
    expect(envVars(containerOf(json, env, 'gateway').container)).toEqual({
      GATEWAY__BACKENDS__EMBEDDINGS__URL: 'http://embeddings.artwork-matcher.local:8000',
      GATEWAY__BACKENDS__SEARCH__URL: 'http://search.artwork-matcher.local:8000',
      GATEWAY__BACKENDS__GEOMETRIC__URL: 'http://geometric.artwork-matcher.local:8000',
    });
    expect(envVars(containerOf(json, env, 'embeddings').container)).toEqual({ EMBEDDINGS__MODEL__DEVICE: production ? 'cuda' : 'cpu' });
    expect(envVars(containerOf(json, env, 'search').container)).toEqual({ SEARCH__INDEX__PATH: '/data/index/faiss.index' });
  });

  it('creates the artwork-matcher.local namespace and registers the three backends in it', () => {
    const { text, json } = stackOf(env);
    expect(text).toHaveResourceWithProperties(ServiceDiscoveryPrivateDnsNamespace, { name: 'artwork-matcher.local' });
    expect(allOf(json, 'aws_service_discovery_service').map((d) => d.name).sort()).toEqual(['embeddings', 'geometric', 'search']);
  });

  it('puts the gateway behind the public ALB with a /health check', () => {
    const { json } = stackOf(env);
    const lb = onlyOf(json, 'aws_lb');
    expect(lb).toMatchObject({ internal: false, load_balancer_type: 'application', drop_invalid_header_fields: true, enable_deletion_protection: production });
    const tg = onlyOf(json, 'aws_lb_target_group');
    expect(tg).toMatchObject({ port: 8000, target_type: 'ip', health_check: expect.objectContaining({ path: '/health', matcher: '200' }) });
    const gateway = findBy(json, 'aws_ecs_service', 'name', `${prefix}-gateway`);
    expect(gateway.load_balancer).toEqual([{ container_name: 'gateway', container_port: 8000, target_group_arn: expect.stringMatching(/aws_lb_target_group\..*\.arn/) }]);
    expect(onlyOf(json, 'aws_lb_listener').default_action).toEqual([{ type: 'forward', target_group_arn: gateway.load_balancer[0].target_group_arn }]);
  });

  it('opens the gateway to the ALB only and the backends to the gateway only', () => {
    const { json } = stackOf(env);
    const sgKey = (name: string) => `\${aws_security_group.${resourcesOf(json, 'aws_security_group').find(([, sg]) => sg.name === name)![0]}.id}`;
    const rules = allOf(json, 'aws_vpc_security_group_ingress_rule').filter((r) => r.from_port === 8000);
    const pairs = rules.map((r) => [r.security_group_id, r.referenced_security_group_id ?? r.cidr_ipv4]);
    expect(pairs.sort()).toEqual(
      [
        [sgKey(`${prefix}-gateway-sg`), sgKey(`${prefix}-alb`)],
        ...['embeddings', 'search', 'geometric'].map((s) => [sgKey(`${prefix}-${s}-sg`), sgKey(`${prefix}-gateway-sg`)]),
      ].sort(),
    );
    expect(JSON.stringify(json)).not.toContain('10.0.0.0/8');
  });

  it('orders the gateway after its listener and search after the EFS mount targets', () => {
    const { json } = stackOf(env);
    expect(findBy(json, 'aws_ecs_service', 'name', `${prefix}-gateway`).depends_on).toContainEqual(expect.stringMatching(/^aws_lb_listener\./));
    const search = findBy(json, 'aws_ecs_service', 'name', `${prefix}-search`).depends_on;
    expect(search.filter((d: string) => d.startsWith('aws_efs_mount_target.'))).toHaveLength(2);
  });

  it('lets search mount the index through the access point with IAM', () => {
    const { json } = stackOf(env);
    const { task } = containerOf(json, env, 'search');
    expect(task.volume[0].efs_volume_configuration.authorization_config).toEqual({ access_point_id: expect.stringMatching(/aws_efs_access_point\./), iam: 'ENABLED' });
    const searchRole = Object.entries(json.resource!.aws_iam_role).find(([, r]) => r.name === `${prefix}-search-task`)![0];
    const policy = filterOf(json, 'aws_iam_role_policy', (p) => p.name === 'application' && p.role.includes(`aws_iam_role.${searchRole}.`))[0];
    expect(statementsOf(policy).find((st) => String(st.Action).includes('elasticfilesystem'))).toMatchObject({
      Action: ['elasticfilesystem:ClientMount', 'elasticfilesystem:ClientWrite'],
      Condition: { StringEquals: { 'elasticfilesystem:AccessPointArn': expect.stringMatching(/aws_efs_access_point\./) } },
    });
  });

  it('mounts the encrypted EFS index into search at /data/index', () => {
    const { json } = stackOf(env);
    expect(onlyOf(json, 'aws_efs_file_system').encrypted).toBe(true);
    const { task, container } = containerOf(json, env, 'search');
    expect(container.mountPoints).toEqual([{ sourceVolume: 'index', containerPath: '/data/index', readOnly: false }]);
    expect(task.volume[0].efs_volume_configuration.transit_encryption).toBe('ENABLED');
    expect(countOf(json, 'aws_efs_mount_target')).toBe(2);
  });

  it('creates the versioned data bucket and scopes task S3 access to it', () => {
    const { json } = stackOf(env);
    const bucket = findBy(json, 'aws_s3_bucket', 'bucket', `${prefix}-data`);
    expect(bucket).toBeDefined();
    expect(onlyOf(json, 'aws_s3_bucket_versioning').versioning_configuration).toEqual({ status: 'Enabled' });
    const taskPolicies = allOf(json, 'aws_iam_role_policy').filter((p) => p.name === 'application');
    expect(taskPolicies).toHaveLength(4);
    for (const p of taskPolicies) {
      const actions = statementsOf(p).flatMap((st) => st.Action);
      expect(actions).toEqual(expect.arrayContaining(['s3:GetObject', 's3:PutObject', 's3:ListBucket']));
      for (const st of statementsOf(p).filter((x) => String(x.Action).startsWith('s3:'))) expect(String(st.Resource)).toContain('aws_s3_bucket.data_this');
    }
  });

  it('applies the per-service autoscaling table', () => {
    const { json } = stackOf(env);
    const table = {
      gateway: { min: 2, max: 20, cpu: 60, mem: 70, out: 60, in: 300 },
      embeddings: { min: 1, max: 10, cpu: 70, mem: 80, out: 120, in: 600 },
      search: { min: 2, max: 8, cpu: 80, mem: 70, out: 180, in: 600 },
      geometric: { min: 1, max: 20, cpu: 70, mem: 80, out: 30, in: 180 },
    };
    for (const svc of SERVICES) {
      const row = table[svc];
      const { target, policies } = scalingOf(json, env, svc);
      expect([target.min_capacity, target.max_capacity]).toEqual([row.min, row.max]);
      const tracking = (type: string) => policies.find((p) => p.target_tracking_scaling_policy_configuration.predefined_metric_specification.predefined_metric_type === type)!.target_tracking_scaling_policy_configuration;
      expect(tracking('ECSServiceAverageCPUUtilization')).toMatchObject({ target_value: row.cpu, scale_out_cooldown: row.out, scale_in_cooldown: row.in });
      expect(tracking('ECSServiceAverageMemoryUtilization')).toMatchObject({ target_value: row.mem, scale_out_cooldown: row.out, scale_in_cooldown: row.in });
      expect(policies).toHaveLength(svc === 'gateway' ? 3 : 2);
      // The initial count is the floor, and Terraform leaves it to autoscaling afterwards.
      const service = findBy(json, 'aws_ecs_service', 'name', `${prefix}-${svc}`);
      expect(service.desired_count).toBe(row.min);
      expect(service.lifecycle.ignore_changes).toContain('desired_count');
    }
    const request = scalingOf(json, env, 'gateway').policies.find((p) => p.name.endsWith('request-scaling'))!;
    expect(request.target_tracking_scaling_policy_configuration).toMatchObject({
      target_value: 500,
      predefined_metric_specification: {
        predefined_metric_type: 'ALBRequestCountPerTarget',
        resource_label: expect.stringMatching(/^\$\{aws_lb\..*\.arn_suffix\}\/\$\{aws_lb_target_group\..*\.arn_suffix\}$/),
      },
    });
  });

  it(production ? 'schedules the 08:00 and 19:00 UTC actions' : 'has no scheduled actions (production only)', () => {
    const { json } = stackOf(env);
    expect(countOf(json, 'aws_appautoscaling_scheduled_action')).toBe(production ? 8 : 0);
    if (!production) return;
    const byName = (svc: string) => Object.fromEntries(scalingOf(json, env, svc).scheduled.map((a) => [a.name, [a.schedule, a.timezone, a.scalable_target_action]]));
    expect(byName('gateway')).toEqual({
      'artwork-matcher-production-gateway-scale-up-morning': ['cron(0 8 * * ? *)', 'UTC', { min_capacity: '4', max_capacity: '20' }],
      'artwork-matcher-production-gateway-scale-down-evening': ['cron(0 19 * * ? *)', 'UTC', { min_capacity: '2', max_capacity: '10' }],
    });
    expect(byName('search')).toEqual({
      'artwork-matcher-production-search-scale-up-morning': ['cron(0 8 * * ? *)', 'UTC', { min_capacity: '4', max_capacity: '8' }],
      'artwork-matcher-production-search-scale-down-evening': ['cron(0 19 * * ? *)', 'UTC', { min_capacity: '2', max_capacity: '4' }],
    });
  });

  it('runs geometric at 80% Fargate Spot and 20% Fargate with an on-demand base of 1', () => {
    const geometric = findBy(stackOf(env).json, 'aws_ecs_service', 'name', `${prefix}-geometric`);
    expect(geometric.capacity_provider_strategy).toEqual([
      { capacity_provider: 'FARGATE_SPOT', weight: 80, base: 0 },
      { capacity_provider: 'FARGATE', weight: 20, base: 1 },
    ]);
    expect(geometric.launch_type).toBeUndefined();
  });

  it('wires the dashboard, latency and error-rate alarms to the SNS topic', () => {
    const { json } = stackOf(env);
    expect(onlyOf(json, 'aws_sns_topic').name).toBe(`${prefix}-alarms`);
    const dashboard = onlyOf(json, 'aws_cloudwatch_dashboard');
    expect(dashboard.dashboard_name).toBe(prefix);
    const widgets = parseField<{ widgets: any[] }>(dashboard, 'dashboard_body').widgets;
    expect(widgets.map((w) => w.properties.title)).toEqual(['Request Latency (P99)', 'Request Count', 'ECS Service CPU Utilization', 'ECS Service Memory Utilization']);
    expect(widgets[2].properties.metrics.map((m: any[]) => m[3])).toEqual(SERVICES.map((s) => `${prefix}-${s}`));
    const latency = findBy(json, 'aws_cloudwatch_metric_alarm', 'alarm_name', `${prefix}-high-latency`);
    expect(latency).toMatchObject({ metric_name: 'TargetResponseTime', extended_statistic: 'p99', threshold: 2, evaluation_periods: 3, period: 60, comparison_operator: 'GreaterThanThreshold' });
    const errors = findBy(json, 'aws_cloudwatch_metric_alarm', 'alarm_name', `${prefix}-high-error-rate`);
    expect(errors).toMatchObject({ threshold: 5, evaluation_periods: 2 });
    expect(errors.metric_query.map((q: any) => q.id)).toEqual(['error_rate', 'target_errors', 'elb_errors', 'requests']);
    const topic = latency.alarm_actions[0];
    expect(topic).toMatch(/aws_sns_topic\..*\.arn/);
    expect(errors.alarm_actions).toEqual([topic]);
  });

  it('declares the document outputs', () => {
    const { json } = stackOf(env);
    expect(Object.keys(json.output ?? {}).sort()).toEqual(['alb_dns_name', 'ecr_repositories', 's3_bucket']);
    expect(Object.keys(json.output!.ecr_repositories.value as object).sort()).toEqual([...SERVICES].sort());
  });
});

describe('artwork-matcher GPU embeddings', () => {
  it('runs embeddings on CPU Fargate in demo and staging', () => {
    for (const env of ['demo', 'staging'] as const) {
      const { json } = stackOf(env);
      const { task, container } = containerOf(json, env, 'embeddings');
      expect(task.requires_compatibilities).toEqual(['FARGATE']);
      expect(container.resourceRequirements).toBeUndefined();
      expect(countOf(json, 'aws_autoscaling_group')).toBe(0);
    }
  });

  it('runs embeddings on a g4dn GPU capacity provider with one GPU per task in production', () => {
    const { json } = stackOf('production');
    const { task, container } = containerOf(json, 'production', 'embeddings');
    expect(task.requires_compatibilities).toEqual(['EC2']);
    expect(container.resourceRequirements).toEqual([{ type: 'GPU', value: '1' }]);
    const service = findBy(json, 'aws_ecs_service', 'name', 'artwork-matcher-production-embeddings');
    expect(service.capacity_provider_strategy).toEqual([{ capacity_provider: 'artwork-matcher-production-gpu', weight: 1, base: 0 }]);
    expect(service.launch_type).toBeUndefined();
    expect(onlyOf(json, 'aws_launch_template').instance_type).toBe('g4dn.xlarge');
    expect(onlyOf(json, 'aws_launch_template').user_data).toContain('ECS_ENABLE_GPU_SUPPORT=true');
    const asg = onlyOf(json, 'aws_autoscaling_group');
    expect([asg.min_size, asg.max_size]).toEqual([1, 10]);
    expect(onlyOf(json, 'aws_ecs_capacity_provider').auto_scaling_group_provider.managed_scaling).toMatchObject({ status: 'ENABLED', target_capacity: 100 });
  });
});

describe('artwork-matcher settings', () => {
  it('uses the document state key when remote state is configured', () => {
    const stack = buildStack<ArtworkMatcherStack>('artwork-matcher-staging', { remoteState: { bucket: 'artwork-matcher-terraform-state', region: 'eu-west-1', dynamodbTable: 'terraform-state-lock' } });
    expect(synth(stack).json.terraform?.backend?.s3).toEqual({
      bucket: 'artwork-matcher-terraform-state',
      key: 'environments/staging/terraform.tfstate',
      region: 'eu-west-1',
      encrypt: true,
      dynamodb_table: 'terraform-state-lock',
    });
  });

  it('creates its own repositories when told (one account per environment)', () => {
    const { text, json } = synth(buildStack<ArtworkMatcherStack>('artwork-matcher-staging', { stacks: { 'artwork-matcher-staging': { ecr: { create: true } } } }));
    expect(countOf(json, 'aws_ecr_repository')).toBe(4);
    expect(json.data?.aws_ecr_repository).toBeUndefined();
    expect(stackOf('staging').text).toHaveDataSourceWithProperties(DataAwsEcrRepository, { name: 'artwork-matcher/gateway' });
    expect(text).not.toContain('data.aws_ecr_repository');
  });

  it('applies the remote state key prefix before the document layout', () => {
    const stack = buildStack<ArtworkMatcherStack>('artwork-matcher-demo', { remoteState: { bucket: 'tf-state', region: 'eu-west-1', keyPrefix: 'acme' } });
    expect(synth(stack).json.terraform?.backend?.s3).toMatchObject({ key: 'acme/environments/demo/terraform.tfstate', use_lockfile: true });
  });

  it('rejects no NAT (no way to pull images) and AMD or ARM GPU instances', () => {
    const message = errorOf(() => buildStack('artwork-matcher-production', { stacks: { 'artwork-matcher-production': { natGateways: 'none', gpu: { instanceTypes: ['g4ad.xlarge'] } } } }));
    expect(message).toContain('gpu.instanceTypes[0]: "g4ad.xlarge" is not an x86 NVIDIA GPU instance type such as "g4dn.xlarge"');
    expect(errorOf(() => buildStack('artwork-matcher-demo', { stacks: { 'artwork-matcher-demo': { natGateways: 'none' } } }))).toContain(
      'natGateways: "none" leaves the tasks no way to pull images or ship logs',
    );
  });

  it('follows overrides: HTTPS, pinned zones, e-mail alarms', () => {
    const { json } = synth(
      buildStack<ArtworkMatcherStack>('artwork-matcher-demo', {
        stacks: {
          'artwork-matcher-demo': {
            availabilityZones: ['eu-west-1b', 'eu-west-1c'],
            alb: { certificateArn: 'arn:aws:acm:eu-west-1:123456789012:certificate/abc' },
            monitoring: { alarmEmail: 'ops@example.com' },
          },
        },
      }),
    );
    expect(json.data?.aws_availability_zones).toBeUndefined();
    expect(allOf(json, 'aws_subnet').map((s) => s.availability_zone)).toEqual(['eu-west-1b', 'eu-west-1c', 'eu-west-1b', 'eu-west-1c']);
    expect(countOf(json, 'aws_lb_listener')).toBe(2);
    expect(onlyOf(json, 'aws_sns_topic_subscription')).toMatchObject({ protocol: 'email', endpoint: 'ops@example.com' });
  });

  it('rejects bad settings with every problem, its path, value and what is allowed', () => {
    const message = errorOf(() =>
      buildStack('artwork-matcher-production', {
        stacks: {
          'artwork-matcher-production': {
            services: { search: { cpu: 3000 }, gateway: { desiredCount: 30 }, geometric: { memoryMiB: 1536 } },
            alb: { allowedCidrs: ['0.0.0.0/0', '10.0.0.0/33'] },
            gpu: { maxSize: 4 },
            availabilityZones: ['us-east-1a', 'us-east-1b'],
          },
        },
      }),
    );
    expect(message.split('\n')).toEqual([
      'invalid settings for stack "artwork-matcher-production":',
      '  alb.allowedCidrs[1]: "10.0.0.0/33" is not an IPv4 CIDR block such as "10.0.0.0/16"',
      '  services.gateway.desiredCount: 30 is outside minCapacity..maxCapacity; allowed: 2 to 20',
      '  services.search.cpu: 3000 is not a Fargate CPU size; allowed: 256, 512, 1024, 2048, 4096, 8192, 16384',
      '  services.geometric.memoryMiB: 1536 is not valid with 1024 CPU units on Fargate; allowed: 2048, 3072, 4096, 5120, 6144, 7168, 8192',
    ]);
    // Cross-field checks of the whole stack run once the fields themselves are valid.
    const combination = errorOf(() =>
      buildStack('artwork-matcher-production', { stacks: { 'artwork-matcher-production': { gpu: { maxSize: 4 }, availabilityZones: ['us-east-1a', 'us-east-1b'] } } }),
    );
    expect(combination.split('\n')).toEqual([
      'invalid settings for stack "artwork-matcher-production":',
      '  availabilityZones[0]: "us-east-1a" is not in region "eu-west-1"; allowed: zones such as "eu-west-1a"',
      '  availabilityZones[1]: "us-east-1b" is not in region "eu-west-1"; allowed: zones such as "eu-west-1a"',
      '  gpu.maxSize: 4 is below services.embeddings.maxCapacity 10; each GPU task needs its own g4dn instance',
    ]);
  });

  it('suggests the service name for a typo', () => {
    expect(errorOf(() => buildStack('artwork-matcher-demo', { stacks: { 'artwork-matcher-demo': { services: { gatway: { cpu: 512 } } } } }))).toContain(
      'services.gatway: unknown setting; did you mean "gateway"?',
    );
  });
});
