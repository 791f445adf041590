import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { EcsCluster } from '@cdktf/provider-aws/lib/ecs-cluster';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { ServiceDiscoveryPrivateDnsNamespace } from '@cdktf/provider-aws/lib/service-discovery-private-dns-namespace';
import { Vpc } from '@cdktf/provider-aws/lib/vpc';
import { ArtworkMatcherStack } from '../../stacks/artwork-matcher';
import { HealthChecks } from '../../src/compute/ecs-service';
import { Synthesized, resourcesOf, allOf, buildStack, countOf, errorOf, filterOf, findBy, onlyOf, parseField, statementsOf, synth } from '../helpers/synth';

const ENVS = ['demo', 'staging', 'production'] as const;
const SERVICES = ['gateway', 'embeddings', 'search', 'geometric'] as const;
const TAG = 'a1b2c3d';

/** Each environment with an image tag (services running) and the account pinned. */
const cache = new Map<string, { text: string; json: Synthesized }>();
function stackOf(env: (typeof ENVS)[number]) {
  if (!cache.has(env)) cache.set(env, synth(buildStack<ArtworkMatcherStack>(`artwork-matcher-${env}`, { stacks: { [`artwork-matcher-${env}`]: { imageTag: TAG, accountId: '123456789012' } } })));
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

/** `${aws_security_group.<key>.id}` of the group whose Name tag is `name`. */
function sgRef(json: Synthesized, name: string): string {
  return `\${aws_security_group.${resourcesOf(json, 'aws_security_group').find(([, sg]) => sg.tags.Name === name)![0]}.id}`;
}

describe.each(ENVS)('artwork-matcher-%s', (env) => {
  const prefix = `artwork-matcher-${env}`;
  const production = env === 'production';

  it('tags every resource through the provider and keeps the document region', () => {
    expect(stackOf(env).text).toHaveProviderWithProperties(AwsProvider, {
      region: 'eu-west-1',
      default_tags: [{ tags: { Project: 'artwork-matcher', Environment: env, ManagedBy: 'terraform', Stack: `artwork-matcher-${env}` } }],
    });
  });

  it(env === 'demo' ? 'builds the VPC over 2 zones with the document subnet layout and a NAT instance' : 'builds the VPC over 2 zones with the document subnet layout and a NAT gateway per zone', () => {
    const { text, json } = stackOf(env);
    expect(text).toHaveResourceWithProperties(Vpc, { cidr_block: '10.0.0.0/16', enable_dns_hostnames: true, enable_dns_support: true });
    const cidrs = (type: string) => filterOf(json, 'aws_subnet', (s) => s.tags.Type === type).map((s) => s.cidr_block);
    expect(cidrs('public')).toEqual(['10.0.0.0/20', '10.0.16.0/20']);
    expect(cidrs('private')).toEqual(['10.0.32.0/20', '10.0.48.0/20']);
    // Demo: one t4g.nano NAT instance (about 7 USD a month with its address) instead of NAT gateways.
    expect(countOf(json, 'aws_nat_gateway')).toBe(env === 'demo' ? 0 : 2);
    expect(countOf(json, 'aws_instance')).toBe(env === 'demo' ? 1 : 0);
    expect(countOf(json, 'aws_eip')).toBe(env === 'demo' ? 1 : 2);
  });

  it('creates the cluster with Container Insights (not in demo), Fargate providers and the default strategy, and its log group', () => {
    const { text, json } = stackOf(env);
    expect(text).toHaveResourceWithProperties(EcsCluster, { name: prefix, setting: [{ name: 'containerInsights', value: env === 'demo' ? 'disabled' : 'enabled' }] });
    const cp = onlyOf(json, 'aws_ecs_cluster_capacity_providers');
    expect(cp.capacity_providers).toEqual(production ? ['FARGATE', 'FARGATE_SPOT', expect.stringMatching(/^\$\{aws_ecs_capacity_provider\..*\.name\}$/)] : ['FARGATE', 'FARGATE_SPOT']);
    expect(cp.default_capacity_provider_strategy).toEqual([{ capacity_provider: 'FARGATE', weight: 100, base: 1 }]);
    expect(text).toHaveResourceWithProperties(CloudwatchLogGroup, { name: `/ecs/${prefix}`, retention_in_days: production ? 30 : 7 });
  });

  it('creates its own four ECR repositories, scanned on push, immutable in production', () => {
    const { json } = stackOf(env);
    const repos = allOf(json, 'aws_ecr_repository');
    expect(repos.map((r) => r.name).sort()).toEqual(SERVICES.map((s) => `${prefix}/${s}`).sort());
    for (const r of repos) {
      expect(r.image_scanning_configuration).toEqual({ scan_on_push: true });
      expect(r.image_tag_mutability).toBe(production ? 'IMMUTABLE' : 'MUTABLE');
    }
    expect(json.data?.aws_ecr_repository).toBeUndefined();
  });

  it('runs the four services with the document sizes, port 8000, environment and a health check that fits the image and its start-up', () => {
    const { json } = stackOf(env);
    const sizes = production
      ? { gateway: ['512', '1024'], embeddings: ['3072', '12288'], search: ['2048', '8192'], geometric: ['1024', '2048'] }
      : { gateway: ['256', '512'], embeddings: ['1024', '4096'], search: ['512', '1024'], geometric: ['512', '1024'] };
    const startPeriods = { gateway: 30, embeddings: 300, search: 180, geometric: 30 };
    for (const svc of SERVICES) {
      const { task, container } = containerOf(json, env, svc);
      expect([task.cpu, task.memory]).toEqual(sizes[svc]);
      expect(container.portMappings[0].containerPort).toBe(8000);
      expect(container.image).toMatch(new RegExp(`\\.repository_url\\}:${TAG}$`));
      expect(container.logConfiguration.options).toEqual({ 'awslogs-group': expect.stringMatching(/aws_cloudwatch_log_group\.logs_this/), 'awslogs-region': 'eu-west-1', 'awslogs-stream-prefix': svc });
      expect(container.healthCheck).toEqual({ command: HealthChecks.http(8000, '/health', 'python'), interval: 30, timeout: 5, retries: 3, startPeriod: startPeriods[svc] });
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

  it('puts the gateway behind the public ALB with a /health check, and waits for the listener', () => {
    const { json } = stackOf(env);
    expect(onlyOf(json, 'aws_lb')).toMatchObject({ internal: false, load_balancer_type: 'application', drop_invalid_header_fields: true, enable_deletion_protection: production });
    const tg = onlyOf(json, 'aws_lb_target_group');
    expect(tg).toMatchObject({ port: 8000, target_type: 'ip', name_prefix: 'gatew-', health_check: expect.objectContaining({ path: '/health', matcher: '200' }), lifecycle: { create_before_destroy: true } });
    const gateway = findBy(json, 'aws_ecs_service', 'name', `${prefix}-gateway`);
    expect(gateway.load_balancer).toEqual([{ container_name: 'gateway', container_port: 8000, target_group_arn: expect.stringMatching(/aws_lb_target_group\..*\.arn/) }]);
    expect(gateway.health_check_grace_period_seconds).toBe(30);
    expect(onlyOf(json, 'aws_lb_listener').default_action).toEqual([{ type: 'forward', target_group_arn: gateway.load_balancer[0].target_group_arn }]);
    expect(gateway.depends_on).toContainEqual(expect.stringMatching(/^aws_lb_listener\./));
  });

  it('opens the gateway to the ALB only and the backends to the gateway only', () => {
    const { json } = stackOf(env);
    const rules = allOf(json, 'aws_vpc_security_group_ingress_rule').filter((r) => r.from_port === 8000);
    expect(rules.map((r) => [r.security_group_id, r.referenced_security_group_id ?? r.cidr_ipv4]).sort()).toEqual(
      [
        [sgRef(json, `${prefix}-gateway-sg`), sgRef(json, `${prefix}-alb`)],
        ...['embeddings', 'search', 'geometric'].map((s) => [sgRef(json, `${prefix}-${s}-sg`), sgRef(json, `${prefix}-gateway-sg`)]),
      ].sort(),
    );
    expect(JSON.stringify(json)).not.toContain('10.0.0.0/8');
    // Replaceable groups: name_prefix and create_before_destroy everywhere.
    for (const sg of allOf(json, 'aws_security_group')) expect(sg).toMatchObject({ name_prefix: expect.stringMatching(/-$/), lifecycle: { create_before_destroy: true } });
  });

  it('mounts the encrypted EFS index read-only into search, and lets the indexer task alone write it', () => {
    const { json } = stackOf(env);
    expect(onlyOf(json, 'aws_efs_file_system').encrypted).toBe(true);
    const { task, container } = containerOf(json, env, 'search');
    expect(container.mountPoints).toEqual([{ sourceVolume: 'index', containerPath: '/data/index', readOnly: true }]);
    expect(task.volume[0].efs_volume_configuration).toMatchObject({ transit_encryption: 'ENABLED', authorization_config: { iam: 'ENABLED' } });
    const roleRef = (name: string) => `aws_iam_role.${resourcesOf(json, 'aws_iam_role').find(([, r]) => r.tags.Name === name)![0]}.`;
    const efsActions = (name: string) =>
      filterOf(json, 'aws_iam_role_policy', (p) => p.role.includes(roleRef(name)))
        .flatMap((p) => statementsOf(p))
        .filter((st) => String(st.Action).includes('elasticfilesystem'))
        .map((st) => st.Action);
    expect(efsActions(`${prefix}-search-task`)).toEqual([['elasticfilesystem:ClientMount']]);
    expect(efsActions(`${prefix}-search-indexer-task`)).toEqual([['elasticfilesystem:ClientMount', 'elasticfilesystem:ClientWrite']]);
    // Role names are prefixes fitted to IAM's 38 characters; the Name tag keeps the whole name.
    for (const role of allOf(json, 'aws_iam_role')) expect(role.name_prefix.length).toBeLessThanOrEqual(38);
    const indexer = containerOf(json, env, 'search-indexer').container;
    expect(indexer.mountPoints).toEqual([{ sourceVolume: 'index', containerPath: '/data/index', readOnly: false }]);
    expect(json.output!.search_indexer_run_command.value).toMatch(/^aws ecs run-task --cluster .* --task-definition artwork-matcher-\w+-search-indexer --launch-type FARGATE/);
    const search = findBy(json, 'aws_ecs_service', 'name', `${prefix}-search`).depends_on;
    expect(search.filter((d: string) => d.startsWith('aws_efs_mount_target.'))).toHaveLength(2);
  });

  it('creates the versioned data bucket named after the account and region, and scopes task S3 access to it', () => {
    const { json } = stackOf(env);
    findBy(json, 'aws_s3_bucket', 'bucket', `${prefix}-data-123456789012-eu-west-1`);
    expect(allOf(json, 'aws_s3_bucket_versioning').map((v) => v.versioning_configuration)).toEqual(allOf(json, 'aws_s3_bucket').map(() => ({ status: 'Enabled' })));
    const taskPolicies = allOf(json, 'aws_iam_role_policy').filter((p) => /-(gateway|embeddings|search|geometric)-task-permissions$/.test(p.name));
    expect(taskPolicies).toHaveLength(4);
    for (const p of taskPolicies) {
      const s3 = statementsOf(p).filter((x) => String(x.Action).includes('s3:'));
      expect(s3.flatMap((st) => st.Action)).toEqual(expect.arrayContaining(['s3:GetObject', 's3:PutObject', 's3:ListBucket']));
      for (const st of s3) expect(String(st.Resource)).toContain('aws_s3_bucket.data_this');
    }
  });

  it('applies the per-service autoscaling table, created one policy after another', () => {
    const { json } = stackOf(env);
    // Demo runs one task per service (the document's demo tier cost).
    const table = {
      gateway: { min: env === 'demo' ? 1 : 2, max: 20, cpu: 60, mem: 70, out: 60, in: 300 },
      embeddings: { min: 1, max: 10, cpu: 70, mem: 80, out: 120, in: 600 },
      search: { min: env === 'demo' ? 1 : 2, max: 8, cpu: 80, mem: 70, out: 180, in: 600 },
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
      expect(policies.filter((p) => p.depends_on?.length === 1)).toHaveLength(policies.length - 1);
      const service = findBy(json, 'aws_ecs_service', 'name', `${prefix}-${svc}`);
      expect(service.desired_count).toBe(row.min);
      expect(service.lifecycle.ignore_changes).toContain('desired_count');
    }
    const request = scalingOf(json, env, 'gateway').policies.find((p) => p.name.endsWith('request-scaling'))!;
    expect(request.target_tracking_scaling_policy_configuration).toMatchObject({
      target_value: 500,
      predefined_metric_specification: { predefined_metric_type: 'ALBRequestCountPerTarget', resource_label: expect.stringMatching(/^\$\{aws_lb\..*\.arn_suffix\}\/\$\{aws_lb_target_group\..*\.arn_suffix\}$/) },
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
  });

  it(env === 'demo' ? 'writes every service\'s strategy explicitly: all on Fargate Spot in demo' : 'writes every service\'s strategy explicitly; geometric runs 80% Fargate Spot over an on-demand base of 1', () => {
    const { json } = stackOf(env);
    for (const svc of allOf(json, 'aws_ecs_service')) {
      expect(svc.capacity_provider_strategy?.length).toBeGreaterThan(0);
      expect(svc.force_new_deployment).toBe(true);
    }
    if (env === 'demo') {
      for (const svc of allOf(json, 'aws_ecs_service')) expect(svc.capacity_provider_strategy).toEqual([{ capacity_provider: 'FARGATE_SPOT', weight: 1, base: 0 }]);
      return;
    }
    expect(findBy(json, 'aws_ecs_service', 'name', `${prefix}-geometric`).capacity_provider_strategy).toEqual([
      { capacity_provider: 'FARGATE_SPOT', weight: 80, base: 0 },
      { capacity_provider: 'FARGATE', weight: 20, base: 1 },
    ]);
  });

  it('alarms on latency, the error rate, a gateway without healthy targets, and every service below its task count, on an encrypted topic', () => {
    const { json } = stackOf(env);
    const topic = onlyOf(json, 'aws_sns_topic');
    expect(topic.name).toBe(`${prefix}-alarms`);
    expect(topic.kms_master_key_id).toMatch(/aws_kms_key\./);
    const widgets = parseField<{ widgets: any[] }>(onlyOf(json, 'aws_cloudwatch_dashboard'), 'dashboard_body').widgets;
    expect(widgets.map((w) => w.properties.title)).toEqual(['Request Latency (P99)', 'Request Count', 'ECS Service CPU Utilization', 'ECS Service Memory Utilization', 'Running tasks']);
    const names = allOf(json, 'aws_cloudwatch_metric_alarm').map((a) => a.alarm_name).filter((n: string) => !n.includes('-queue-')).sort();
    expect(names).toEqual(
      [`${prefix}-gateway-no-healthy-targets`, `${prefix}-high-error-rate`, `${prefix}-high-latency`, ...SERVICES.map((s) => `${prefix}-${s}-tasks-below-desired`)].sort(),
    );
    expect(findBy(json, 'aws_cloudwatch_metric_alarm', 'alarm_name', `${prefix}-high-latency`)).toMatchObject({ metric_name: 'TargetResponseTime', extended_statistic: 'p99', threshold: 2, evaluation_periods: 3 });
    expect(findBy(json, 'aws_cloudwatch_metric_alarm', 'alarm_name', `${prefix}-high-error-rate`)).toMatchObject({ threshold: 5, evaluation_periods: 2 });
    const noTargets = findBy(json, 'aws_cloudwatch_metric_alarm', 'alarm_name', `${prefix}-gateway-no-healthy-targets`);
    const tasks = findBy(json, 'aws_cloudwatch_metric_alarm', 'alarm_name', `${prefix}-search-tasks-below-desired`);
    if (env === 'demo') {
      // Without Container Insights: fewer healthy hosts than 1, and fewer tasks than the floor (free ECS metrics).
      expect(noTargets).toMatchObject({ metric_name: 'HealthyHostCount', threshold: 1, comparison_operator: 'LessThanThreshold', treat_missing_data: 'breaching' });
      expect(tasks).toMatchObject({ metric_name: 'CPUUtilization', statistic: 'SampleCount', threshold: 1, comparison_operator: 'LessThanThreshold', treat_missing_data: 'breaching' });
    } else {
      // With Container Insights: no healthy gateway target while the gateway wants tasks.
      expect(noTargets).toMatchObject({ threshold: 1, comparison_operator: 'GreaterThanOrEqualToThreshold' });
      expect(noTargets.metric_query.slice(1).map((q: any) => q.metric.metric_name)).toEqual(['DesiredTaskCount', 'HealthyHostCount']);
      expect(tasks).toMatchObject({ treat_missing_data: 'breaching', threshold: 0 });
    }
    for (const a of allOf(json, 'aws_cloudwatch_metric_alarm').filter((x) => !x.alarm_name.includes('-queue-'))) expect(a.alarm_actions).toEqual([expect.stringMatching(/aws_sns_topic\..*\.arn/)]);
  });

  it('declares the document outputs and the indexer command', () => {
    const { json } = stackOf(env);
    expect(Object.keys(json.output ?? {}).sort()).toEqual(['alb_dns_name', ...(production ? ['backup_vault'] : []), 'ecr_images', 'ecr_repositories', 'ecs_cluster_name', 'ecs_services', 'endpoint_url', 's3_bucket', 'search_indexer_run_command']);
    expect(json.output!.endpoint_url.value).toMatch(/^http:\/\/\$\{aws_lb\.[\w-]+\.dns_name\}$/);
    expect(Object.keys(json.output!.ecr_repositories.value as object).sort()).toEqual([...SERVICES].sort());
    // The operations contract: each service's names and image tag, each image's repository and build folder.
    const services = json.output!.ecs_services.value as Record<string, Record<string, string>>;
    expect(Object.keys(services).sort()).toEqual([...SERVICES].sort());
    expect(services.search).toEqual({ name: expect.stringMatching(/^\$\{aws_ecs_service\.search_[\w-]+\.name\}$/), container: 'search', log_group: expect.stringMatching(/^\$\{aws_cloudwatch_log_group\.logs_[\w-]+\.name\}$/), task_family: `artwork-matcher-${env}-search`, image_tag: TAG });
    expect((json.output!.ecr_images.value as Record<string, { build_context: string }>).gateway).toEqual({ repository_url: (json.output!.ecr_repositories.value as Record<string, string>).gateway, build_context: 'services/gateway' });
  });
});

describe('artwork-matcher before its first image', () => {
  it('creates every service with 0 tasks and 0..0 scaling until imageTag is set, with task alarms that let missing data pass', () => {
    const { json } = synth(buildStack<ArtworkMatcherStack>('artwork-matcher-demo'));
    for (const svc of allOf(json, 'aws_ecs_service')) expect(svc.desired_count).toBe(0);
    for (const t of allOf(json, 'aws_appautoscaling_target')) expect([t.min_capacity, t.max_capacity]).toEqual([0, 0]);
    for (const a of filterOf(json, 'aws_cloudwatch_metric_alarm', (x) => /tasks-below-desired|no-healthy-targets/.test(x.alarm_name))) expect(a.treat_missing_data).toBe('notBreaching');
  });

  it('rejects the moving "latest" tag on production\'s immutable repositories', () => {
    expect(errorOf(() => buildStack('artwork-matcher-production', { stacks: { 'artwork-matcher-production': { imageTag: 'latest' } } }))).toBe(
      'invalid settings for stack "artwork-matcher-production":\n  imageTag: "latest" cannot be pushed twice to an IMMUTABLE repository; tag each image with its commit (e.g. "a1b2c3d") and deploy that tag',
    );
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

  it('runs embeddings on a g4dn GPU capacity provider with one GPU per task in production, starting from zero instances', () => {
    const { json } = stackOf('production');
    const { task, container } = containerOf(json, 'production', 'embeddings');
    expect(task.requires_compatibilities).toEqual(['EC2']);
    expect(container.resourceRequirements).toEqual([{ type: 'GPU', value: '1' }]);
    const service = findBy(json, 'aws_ecs_service', 'name', 'artwork-matcher-production-embeddings');
    expect(service.capacity_provider_strategy).toEqual([{ capacity_provider: expect.stringMatching(/aws_ecs_capacity_provider\..*\.name/), weight: 1, base: 0 }]);
    expect(service.launch_type).toBeUndefined();
    expect(onlyOf(json, 'aws_launch_template')).toMatchObject({ instance_type: 'g4dn.xlarge', name_prefix: 'artwork-matcher-production-gpu-', lifecycle: { create_before_destroy: true } });
    expect(onlyOf(json, 'aws_launch_template').user_data).toContain('ECS_ENABLE_GPU_SUPPORT=true');
    const asg = onlyOf(json, 'aws_autoscaling_group');
    expect([asg.min_size, asg.max_size, asg.desired_capacity]).toEqual([0, 10, 0]);
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

  it('keeps the document\'s shared repository names and bucket name reachable (one account per environment)', () => {
    const { json } = synth(
      buildStack<ArtworkMatcherStack>('artwork-matcher-staging', { stacks: { 'artwork-matcher-staging': { ecr: { repositoryPrefix: 'artwork-matcher' }, dataBucketName: 'artwork-matcher-staging-data' } } }),
    );
    expect(allOf(json, 'aws_ecr_repository').map((r) => r.name).sort()).toEqual(SERVICES.map((s) => `artwork-matcher/${s}`).sort());
    expect(onlyOf(json, 'aws_s3_bucket').bucket).toBe('artwork-matcher-staging-data');
  });

  it('applies the remote state key prefix before the document layout', () => {
    const stack = buildStack<ArtworkMatcherStack>('artwork-matcher-demo', { remoteState: { bucket: 'tf-state', region: 'eu-west-1', keyPrefix: 'acme' } });
    expect(synth(stack).json.terraform?.backend?.s3).toMatchObject({ key: 'acme/environments/demo/terraform.tfstate', use_lockfile: true });
  });

  it('without NAT asks for the endpoints Fargate needs, and rejects AMD or ARM GPU instances', () => {
    const message = errorOf(() => buildStack('artwork-matcher-production', { stacks: { 'artwork-matcher-production': { gpu: { instanceTypes: ['g4ad.xlarge'] } } } }));
    expect(message).toContain('gpu.instanceTypes[0]: "g4ad.xlarge" is not an x86 NVIDIA GPU instance type such as "g4dn.xlarge"');
    expect(errorOf(() => buildStack('artwork-matcher-demo', { stacks: { 'artwork-matcher-demo': { network: { natGateways: 'none' } } } })).split('\n')).toEqual([
      'invalid settings for stack "artwork-matcher-demo":',
      '  network.natGateways: "none": without a NAT gateway, private subnets reach "ecr.api" only through a VPC endpoint; add "ecr.api" to interfaceEndpoints or use a NAT gateway',
      '  network.natGateways: "none": without a NAT gateway, private subnets reach "ecr.dkr" only through a VPC endpoint; add "ecr.dkr" to interfaceEndpoints or use a NAT gateway',
      '  network.natGateways: "none": without a NAT gateway, private subnets reach "logs" only through a VPC endpoint; add "logs" to interfaceEndpoints or use a NAT gateway',
    ]);
    const synthNoNat = synth(buildStack('artwork-matcher-demo', { stacks: { 'artwork-matcher-demo': { network: { natGateways: 'none', interfaceEndpoints: ['ecr.api', 'ecr.dkr', 'logs'], interfaceEndpointZones: 1 } } } })).json;
    expect(countOf(synthNoNat, 'aws_nat_gateway')).toBe(0);
    expect(filterOf(synthNoNat, 'aws_vpc_endpoint', (e) => e.vpc_endpoint_type === 'Interface').map((e) => e.subnet_ids.length)).toEqual([1, 1, 1]);
  });

  it('follows overrides: HTTPS with TLS 1.3 only, pinned zones, e-mail alarms', () => {
    const { json } = synth(
      buildStack<ArtworkMatcherStack>('artwork-matcher-demo', {
        stacks: {
          'artwork-matcher-demo': {
            network: { availabilityZones: ['eu-west-1b', 'eu-west-1c'] },
            alb: { certificateArn: 'arn:aws:acm:eu-west-1:123456789012:certificate/abc', tls13Only: true },
            monitoring: { alarmEmail: 'ops@example.com' },
          },
        },
      }),
    );
    expect(json.data?.aws_availability_zones).toBeUndefined();
    expect(allOf(json, 'aws_subnet').map((s) => s.availability_zone)).toEqual(['eu-west-1b', 'eu-west-1c', 'eu-west-1b', 'eu-west-1c']);
    expect(findBy(json, 'aws_lb_listener', 'port', 443).ssl_policy).toBe('ELBSecurityPolicy-TLS13-1-3-2021-06');
    expect(onlyOf(json, 'aws_sns_topic_subscription')).toMatchObject({ protocol: 'email', endpoint: 'ops@example.com' });
  });

  it('rejects bad settings with every problem, its path, value and what is allowed, cross-field problems included', () => {
    const message = errorOf(() =>
      buildStack('artwork-matcher-production', {
        stacks: {
          'artwork-matcher-production': {
            services: { search: { cpu: 3000 }, gateway: { desiredCount: 30 }, geometric: { memoryMiB: 1536 }, embeddings: { capacityProviderStrategy: [{ capacityProvider: 'FARGATE', weight: 1 }] } },
            alb: { allowedCidrs: ['0.0.0.0/0', '10.0.0.0/33'], tls13Only: true },
            gpu: { maxSize: 4 },
            network: { availabilityZones: ['us-east-1a', 'us-east-1b'] },
          },
        },
      }),
    );
    expect(message.split('\n')).toEqual([
      'invalid settings for stack "artwork-matcher-production":',
      '  alb.allowedCidrs[1]: "10.0.0.0/33" is not an IPv4 CIDR block such as "10.0.0.0/16"',
      '  network.availabilityZones[0]: "us-east-1a" is not in region "eu-west-1"; allowed: zones such as "eu-west-1a"',
      '  network.availabilityZones[1]: "us-east-1b" is not in region "eu-west-1"; allowed: zones such as "eu-west-1a"',
      '  alb.tls13Only: true has no effect without certificateArn (there is no HTTPS listener)',
      '  services.gateway.desiredCount: 30 is outside minCapacity..maxCapacity; allowed: 2 to 20',
      '  services.embeddings.capacityProviderStrategy: has no effect on a GPU service (it runs on the GPU capacity provider); remove it or set gpu false',
      '  gpu.maxSize: 4 instances hold 4 GPU tasks, fewer than services.embeddings.maxCapacity 10; raise gpu.maxSize or lower maxCapacity',
      '  services.search.cpu: 3000 is not a Fargate CPU size; allowed: 256, 512, 1024, 2048, 4096, 8192, 16384',
      '  services.geometric.memoryMiB: 1536 is not valid with 1024 CPU units on Fargate; allowed: 2048 to 8192 in steps of 1024',
    ]);
  });

  it('rejects what would be silently ignored: request scaling off the load balancer, GPU settings without a GPU service, a GPU task bigger than its instance', () => {
    expect(errorOf(() => buildStack('artwork-matcher-demo', { stacks: { 'artwork-matcher-demo': { services: { search: { requestsPerTarget: 100 } }, gpu: { spot: true } } } })).split('\n')).toEqual([
      'invalid settings for stack "artwork-matcher-demo":',
      '  services.search.requestsPerTarget: 100 has no effect: only the gateway is behind the load balancer; set it to 0',
      '  gpu: has no effect: no service runs on GPU (set services.<name>.gpu true, or leave gpu at its defaults)',
    ]);
    expect(errorOf(() => buildStack('artwork-matcher-production', { stacks: { 'artwork-matcher-production': { services: { embeddings: { memoryMiB: 16384 } } } } }))).toContain(
      'services.embeddings.memoryMiB: a task of 16384 MiB (about 15564 MiB are left for tasks) does not fit on g4dn.xlarge; give the task less or the group a bigger type',
    );
  });

  it('suggests the service name for a typo, and the camelCase name for a document variable', () => {
    expect(errorOf(() => buildStack('artwork-matcher-demo', { stacks: { 'artwork-matcher-demo': { services: { gatway: { cpu: 512 } } } } }))).toContain('services.gatway: unknown setting; did you mean "gateway"?');
    expect(errorOf(() => buildStack('artwork-matcher-demo', { stacks: { 'artwork-matcher-demo': { image_tag: 'v1' } } }))).toContain('image_tag: unknown setting; did you mean "imageTag"?');
  });
});

describe('artwork-matcher lean demo: an HTTP API instead of the load balancer, and off hours', () => {
  const LEAN = {
    imageTag: TAG,
    accountId: '123456789012',
    ingress: 'httpApi',
    offHours: { stopSchedule: 'cron(0 19 ? * MON-FRI *)', startSchedule: 'cron(0 8 ? * MON-FRI *)', timezone: 'Europe/Paris' },
  };
  let lean: Synthesized;
  beforeAll(() => {
    lean = synth(buildStack<ArtworkMatcherStack>('artwork-matcher-demo', { stacks: { 'artwork-matcher-demo': LEAN } })).json;
  });

  it('reaches the gateway through an HTTP API, a VPC link and its SRV records, with no load balancer', () => {
    expect(countOf(lean, 'aws_lb')).toBe(0);
    expect(countOf(lean, 'aws_lb_target_group')).toBe(0);
    const discovery = resourcesOf(lean, 'aws_service_discovery_service').find(([, r]) => r.name === 'gateway')!;
    expect(discovery[1].dns_config.dns_records).toEqual([{ type: 'SRV', ttl: 10 }]);
    const integration = onlyOf(lean, 'aws_apigatewayv2_integration');
    expect(integration).toMatchObject({ integration_type: 'HTTP_PROXY', connection_type: 'VPC_LINK', integration_uri: `\${aws_service_discovery_service.${discovery[0]}.arn}` });
    // The gateway accepts the VPC link's security group on its port, and the backends the gateway.
    const gatewaySg = `\${aws_security_group.${resourcesOf(lean, 'aws_security_group').find(([, g]) => g.tags.Name === 'artwork-matcher-demo-gateway-sg')![0]}.id}`;
    const rules = filterOf(lean, 'aws_vpc_security_group_ingress_rule', (r) => r.security_group_id === gatewaySg);
    expect(rules.map((r) => [r.from_port, r.description])).toEqual([[8000, 'From the API VPC link']]);
    expect(lean.output!.endpoint_url.value).toMatch(/^\$\{aws_apigatewayv2_api\.[\w-]+\.api_endpoint\}$/);
    expect(lean.output!.alb_dns_name).toBeUndefined();
    // No request-count scaling without a load balancer; latency in milliseconds, error rate on the API.
    expect(scalingOf(lean, 'demo', 'gateway').policies.map((p) => p.name)).toEqual(expect.not.arrayContaining([expect.stringMatching(/request/)]));
    expect(findBy(lean, 'aws_cloudwatch_metric_alarm', 'alarm_name', 'artwork-matcher-demo-high-latency')).toMatchObject({ namespace: 'AWS/ApiGateway', metric_name: 'Latency', threshold: 2000 });
    const errors = findBy(lean, 'aws_cloudwatch_metric_alarm', 'alarm_name', 'artwork-matcher-demo-high-error-rate');
    expect(errors.metric_query.slice(1).map((q: any) => q.metric.metric_name).sort()).toEqual(['5xx', 'Count']);
  });

  it('stops every service outside working hours and starts it with its floor', () => {
    for (const svc of SERVICES) {
      const { scheduled } = scalingOf(lean, 'demo', svc);
      expect(scheduled.map((a) => [a.schedule, a.timezone, a.scalable_target_action]).sort()).toEqual(
        [
          ['cron(0 19 ? * MON-FRI *)', 'Europe/Paris', { min_capacity: '0', max_capacity: '0' }],
          ['cron(0 8 ? * MON-FRI *)', 'Europe/Paris', { min_capacity: '1', max_capacity: String({ gateway: 20, embeddings: 10, search: 8, geometric: 20 }[svc]) }],
        ].sort(),
      );
    }
  });

  it('rejects off hours with the production schedule, a certificate without a load balancer, and request scaling without one', () => {
    const message = errorOf(() =>
      buildStack('artwork-matcher-production', {
        stacks: { 'artwork-matcher-production': { ...LEAN, alb: { certificateArn: 'arn:aws:acm:eu-west-1:123456789012:certificate/abc' }, services: { gateway: { requestsPerTarget: 300 } } } },
      }),
    );
    expect(message).toContain('offHours: and scheduledScaling both schedule the services; their actions would undo each other: set scheduledScaling false or remove offHours');
    expect(message).toContain('alb.certificateArn: has no effect with ingress "httpApi"');
    expect(message).toContain('services.gateway.requestsPerTarget: 300 has no effect with ingress "httpApi"');
  });
});

describe('artwork-matcher production checklist: name, WAF, backup, budget, CI/CD role, CloudFront, cache', () => {
  const STATE = { bucket: 'acme-tf-state', region: 'eu-west-1', dynamodbTable: 'terraform-state-lock' };
  const DOMAIN = { name: 'artwork.example.com', hostedZoneId: 'Z0123456789ABCDEFGHIJ' };
  const CHECKLIST = {
    imageTag: TAG,
    accountId: '123456789012',
    domain: DOMAIN,
    budget: { enabled: true, monthlyLimitUsd: 1500, emails: ['finance@example.com'] },
    cicd: { githubRepository: 'acme/artwork-matcher', branches: ['main'], environments: ['production'] },
    cache: { enabled: true },
  };
  let full: Synthesized;
  let edge: Synthesized;
  beforeAll(() => {
    full = synth(buildStack<ArtworkMatcherStack>('artwork-matcher-production', { remoteState: STATE, stacks: { 'artwork-matcher-production': CHECKLIST } })).json;
    edge = synth(buildStack<ArtworkMatcherStack>('artwork-matcher-production', { stacks: { 'artwork-matcher-production': { imageTag: TAG, accountId: '123456789012', domain: DOMAIN, cloudfront: { enabled: true, originFacingPrefixListId: 'pl-0123456789abcdef0' } } } })).json;
  });

  it('serves HTTPS on the domain: a DNS-validated certificate on the ALB, HTTP redirected, an alias record, and an https endpoint', () => {
    expect(onlyOf(full, 'aws_acm_certificate')).toMatchObject({ domain_name: DOMAIN.name, validation_method: 'DNS' });
    const https = allOf(full, 'aws_lb_listener').find((l) => l.port === 443)!;
    expect(https.certificate_arn).toMatch(/^\$\{aws_acm_certificate_validation\.[\w-]+\.certificate_arn\}$/);
    expect(allOf(full, 'aws_lb_listener').find((l) => l.port === 80)!.default_action[0].type).toBe('redirect');
    const alias = allOf(full, 'aws_route53_record').find((r) => r.type === 'A')!;
    expect(alias).toMatchObject({ zone_id: DOMAIN.hostedZoneId, name: DOMAIN.name });
    expect(alias.alias.name ?? alias.alias[0].name).toMatch(/aws_lb\.[\w-]+\.dns_name/);
    expect(full.output!.endpoint_url.value).toBe(`https://${DOMAIN.name}`);
  });

  it('attaches a regional WAF with the managed rule groups and a 2000-per-5-minutes rate limit to the ALB', () => {
    const acl = onlyOf(full, 'aws_wafv2_web_acl');
    expect(acl.scope).toBe('REGIONAL');
    const rules = acl.rule as any[];
    expect(rules.map((r) => r.statement.managed_rule_group_statement?.name ?? r.statement[0]?.managed_rule_group_statement?.[0]?.name).filter(Boolean)).toEqual(
      expect.arrayContaining(['AWSManagedRulesCommonRuleSet', 'AWSManagedRulesKnownBadInputsRuleSet', 'AWSManagedRulesAmazonIpReputationList']),
    );
    expect(JSON.stringify(rules)).toContain('"limit":2000');
    expect(onlyOf(full, 'aws_wafv2_web_acl_association').resource_arn).toMatch(/aws_lb\.[\w-]+\.arn/);
    // Its requests are logged (the checkov finding of round two), credentials redacted.
    const logging = onlyOf(full, 'aws_wafv2_web_acl_logging_configuration');
    expect(logging.log_destination_configs).toEqual([expect.stringMatching(/^\$\{aws_cloudwatch_log_group\.waf_logs_this_\w+\.arn\}$/)]);
    expect(logging.redacted_fields.map((f: any) => f.single_header.name)).toEqual(['authorization', 'cookie', 'x-api-key']);
    expect(findBy(full, 'aws_cloudwatch_log_group', 'name', 'aws-waf-logs-artwork-matcher-production').retention_in_days).toBe(30);
  });

  it('backs up the EFS index and the data bucket daily into a KMS-encrypted vault, kept 35 days, instead of EFS\'s own backup', () => {
    expect(onlyOf(full, 'aws_backup_vault').kms_key_arn).toMatch(/aws_kms_key\.backup-key/);
    const rule = onlyOf(full, 'aws_backup_plan').rule[0] ?? onlyOf(full, 'aws_backup_plan').rule;
    expect(rule).toMatchObject({ schedule: 'cron(0 3 * * ? *)', lifecycle: expect.anything() });
    expect(JSON.stringify(rule.lifecycle)).toContain('"delete_after":35');
    expect(onlyOf(full, 'aws_backup_selection').resources.sort()).toEqual([expect.stringMatching(/aws_efs_file_system\.search-index/), expect.stringMatching(/aws_s3_bucket\.data_/)].sort());
    expect(countOf(full, 'aws_efs_backup_policy') === 0 || onlyOf(full, 'aws_efs_backup_policy').backup_policy.status === 'DISABLED').toBe(true);
    // Demo and staging: no AWS Backup plan, EFS's own daily backup.
    expect(countOf(stackOf('staging').json, 'aws_backup_plan')).toBe(0);
    expect(onlyOf(stackOf('staging').json, 'aws_efs_backup_policy').backup_policy.status).toBe('ENABLED');
  });

  it('budgets the month at the document\'s tier, counting only this stack\'s Stack tag, and tells the alarm topic and the e-mails', () => {
    const budget = onlyOf(full, 'aws_budgets_budget');
    expect(budget).toMatchObject({ name: 'artwork-matcher-production-monthly', budget_type: 'COST', limit_amount: '1500', limit_unit: 'USD', time_unit: 'MONTHLY' });
    expect(JSON.stringify(budget.cost_filter)).toContain('user:Stack$artwork-matcher-production');
    const notifications = budget.notification as any[];
    expect(notifications.map((n) => [n.threshold, n.notification_type]).sort()).toEqual([[100, 'ACTUAL'], [80, 'FORECASTED']]);
    for (const n of notifications) {
      expect(n.subscriber_email_addresses).toEqual(['finance@example.com']);
      expect(n.subscriber_sns_topic_arns).toEqual([expect.stringMatching(/aws_sns_topic\.monitoring_alarms/)]);
    }
    expect(countOf(stackOf('demo').json, 'aws_budgets_budget')).toBe(1);
    expect(onlyOf(stackOf('demo').json, 'aws_budgets_budget').limit_amount).toBe('100');
  });

  it('lets only main of the GitHub repository assume the deploy role, to push images, use this stack\'s state and deploy its services', () => {
    const role = allOf(full, 'aws_iam_role').find((r) => r.name === 'artwork-matcher-production-github-deploy' || r.name_prefix?.startsWith('artwork-matcher-production-github-deploy'))!;
    const trust = JSON.stringify(statementsOf(role, 'assume_role_policy'));
    expect(trust).toContain('token.actions.githubusercontent.com:sub');
    expect(trust).toContain('repo:acme/artwork-matcher:ref:refs/heads/main');
    expect(trust).toContain('repo:acme/artwork-matcher:environment:production');
    expect(trust).not.toContain('*');
    expect(onlyOf(full, 'aws_iam_openid_connect_provider').url).toBe('https://token.actions.githubusercontent.com');
    const roleKey = resourcesOf(full, 'aws_iam_role').find(([, r]) => r === role)![0];
    const policy = allOf(full, 'aws_iam_role_policy').find((p) => p.role === `\${aws_iam_role.${roleKey}.name}` || p.role === `\${aws_iam_role.${roleKey}.id}`)!;
    const bySid = Object.fromEntries(statementsOf(policy).map((st) => [st.Sid, st]));
    expect(bySid.EcrPush.Resource).toHaveLength(4);
    expect(bySid.StateObject.Resource).toBe('arn:aws:s3:::acme-tf-state/environments/production/terraform.tfstate');
    expect(bySid.StateLockTable.Resource).toBe('arn:aws:dynamodb:eu-west-1:123456789012:table/terraform-state-lock');
    expect(bySid.EcsServices.Resource).toEqual(SERVICES.map((s) => expect.stringMatching(new RegExp(`^arn:aws:ecs:eu-west-1:123456789012:service/\\$\\{aws_ecs_cluster\\.[\\w-]+\\.name\\}/\\$\\{aws_ecs_service\\.${s}_this_\\w+\\.name\\}$`))));
    expect(bySid.PassTaskRoles.Resource).toHaveLength(10);
    expect(bySid.PassTaskRoles.Condition).toEqual({ StringEquals: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' } });
    expect(full.output!.deploy_role_arn).toBeDefined();
  });

  it('gives the gateway an encrypted Valkey cache with a replica in another zone, reachable from the gateway only', () => {
    const group = onlyOf(full, 'aws_elasticache_replication_group');
    expect(group).toMatchObject({ engine: 'valkey', node_type: 'cache.t4g.micro', num_cache_clusters: 2, automatic_failover_enabled: true, multi_az_enabled: true, transit_encryption_enabled: true });
    expect(String(group.at_rest_encryption_enabled)).toBe('true');
    expect(envVars(containerOf(full, 'production', 'gateway').container).GATEWAY__CACHE__URL).toMatch(/^rediss:\/\/\$\{aws_elasticache_replication_group\.[\w-]+\.primary_endpoint_address\}:6379$/);
    const cacheSg = allOf(full, 'aws_security_group').find((g) => g.tags.Name === 'artwork-matcher-production-cache-cache')!;
    expect(cacheSg).toBeDefined();
    const rules = allOf(full, 'aws_vpc_security_group_ingress_rule').filter((r) => r.from_port === 6379);
    const gatewaySg = findBy(full, 'aws_ecs_service', 'name', 'artwork-matcher-production-gateway').network_configuration.security_groups;
    expect(rules.map((r) => r.referenced_security_group_id)).toEqual(gatewaySg);
  });

  it('with CloudFront: the certificate in us-east-1, the WAF at the edge, the ALB open to CloudFront\'s prefix list only, and the alias to the distribution', () => {
    const cert = onlyOf(edge, 'aws_acm_certificate');
    expect(cert.provider).toBe('aws.us_east_1');
    const distribution = onlyOf(edge, 'aws_cloudfront_distribution');
    expect(distribution.aliases).toEqual([DOMAIN.name]);
    expect(distribution.price_class).toBe('PriceClass_100');
    expect(distribution.web_acl_id).toMatch(/aws_wafv2_web_acl\.[\w-]+\.arn/);
    expect(onlyOf(edge, 'aws_wafv2_web_acl')).toMatchObject({ scope: 'CLOUDFRONT', provider: 'aws.us_east_1' });
    expect(onlyOf(edge, 'aws_wafv2_web_acl_logging_configuration').provider).toBe('aws.us_east_1');
    expect(countOf(edge, 'aws_wafv2_web_acl_association')).toBe(0);
    const albSg = sgRef(edge, 'artwork-matcher-production-alb');
    const albIngress = allOf(edge, 'aws_vpc_security_group_ingress_rule').filter((r) => `\${aws_security_group.${r.security_group_id.split('.')[1]}.id}` === albSg);
    expect(albIngress.map((r) => r.prefix_list_id ?? r.cidr_ipv4)).toEqual(albIngress.map(() => 'pl-0123456789abcdef0'));
    const alias = allOf(edge, 'aws_route53_record').find((r) => r.type === 'A')!;
    expect(JSON.stringify(alias.alias)).toContain('aws_cloudfront_distribution');
    expect(edge.output!.endpoint_url.value).toBe(`https://${DOMAIN.name}`);
  });

  it('with CloudFront: the load balancer answers 403 without the secret header CloudFront sends, whose value is a sensitive variable', () => {
    expect(edge.variable!.cloudfront_origin_secret).toMatchObject({ type: 'string', sensitive: true, nullable: false });
    expect(JSON.stringify(edge)).not.toMatch(/X-Origin-Verify[^$]*"value":"[^$]/);
    const origin = onlyOf(edge, 'aws_cloudfront_distribution').origin[0] ?? onlyOf(edge, 'aws_cloudfront_distribution').origin;
    expect(origin.custom_header).toEqual([{ name: 'X-Origin-Verify', value: '${var.cloudfront_origin_secret}' }]);
    const listener = onlyOf(edge, 'aws_lb_listener');
    expect(listener.default_action[0]).toMatchObject({ type: 'fixed-response', fixed_response: { status_code: '403' } });
    const rule = onlyOf(edge, 'aws_lb_listener_rule');
    expect(rule.priority).toBe(50000);
    expect(rule.condition).toEqual([{ http_header: { http_header_name: 'X-Origin-Verify', values: ['${var.cloudfront_origin_secret}'] } }]);
    const [ruleKey] = resourcesOf(edge, 'aws_lb_listener_rule')[0];
    expect(findBy(edge, 'aws_ecs_service', 'name', 'artwork-matcher-production-gateway').depends_on).toContain(`aws_lb_listener_rule.${ruleKey}`);
    // Without CloudFront nothing changes: the gateway is the listener's default action.
    expect(countOf(full, 'aws_lb_listener_rule')).toBe(0);
  });

  it('rejects checklist settings that would not work: cicd without remote state, WAF or a domain on an HTTP API, two certificates, CloudFront settings without CloudFront', () => {
    expect(errorOf(() => buildStack('artwork-matcher-production', { stacks: { 'artwork-matcher-production': { cicd: { githubRepository: 'acme/artwork-matcher' } } } }))).toBe(
      'invalid settings for stack "artwork-matcher-production":\n  cicd: needs remote state (the deploy role reads and writes the state in S3); give remoteState in the shared settings, or remove cicd',
    );
    const lean = errorOf(() => buildStack('artwork-matcher-demo', { stacks: { 'artwork-matcher-demo': { ingress: 'httpApi', domain: DOMAIN, waf: { enabled: true }, cloudfront: { enabled: true } } } }));
    expect(lean).toContain('domain: needs ingress "alb"');
    expect(lean).toContain('waf.enabled: true needs ingress "alb": AWS WAF cannot be attached to an HTTP API');
    expect(lean).toContain('cloudfront.enabled: true needs ingress "alb"');
    expect(errorOf(() => buildStack('artwork-matcher-production', { stacks: { 'artwork-matcher-production': { domain: DOMAIN, alb: { certificateArn: 'arn:aws:acm:eu-west-1:123456789012:certificate/abc' } } } }))).toContain('domain: and alb.certificateArn both give the endpoint a certificate; keep one');
    expect(errorOf(() => buildStack('artwork-matcher-staging', { stacks: { 'artwork-matcher-staging': { cloudfront: { cachedPathPatterns: ['/static/*'] } } } }))).toContain('cloudfront: settings have no effect without cloudfront.enabled');
    // The account's GitHub OIDC provider exists once: a second environment in the account names it.
    const cicd = { githubRepository: 'acme/artwork-matcher' };
    const both = { remoteState: STATE, stacks: { 'artwork-matcher-staging': { accountId: '123456789012', cicd }, 'artwork-matcher-production': { accountId: '123456789012', cicd } } };
    expect(errorOf(() => buildStack('artwork-matcher-production', both))).toBe(
      'invalid settings:\n  stacks.artwork-matcher-production.cicd.oidcProviderArn: is not set, so this stack would create the account\'s GitHub OIDC provider that artwork-matcher-staging creates too (one per account: the second apply fails with EntityAlreadyExists); set it to "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com"',
    );
    const named = { ...both, stacks: { ...both.stacks, 'artwork-matcher-production': { accountId: '123456789012', cicd: { ...cicd, oidcProviderArn: 'arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com' } } } };
    const json = synth(buildStack('artwork-matcher-production', named)).json;
    expect(countOf(json, 'aws_iam_openid_connect_provider')).toBe(0);
    expect(JSON.stringify(statementsOf(allOf(json, 'aws_iam_role').find((r) => r.name === 'artwork-matcher-production-github-deploy')!, 'assume_role_policy'))).toContain('oidc-provider/token.actions.githubusercontent.com');
    // Other accounts each have their own.
    expect(() => buildStack('artwork-matcher-production', { remoteState: STATE, stacks: { 'artwork-matcher-staging': { accountId: '210987654321', cicd }, 'artwork-matcher-production': { accountId: '123456789012', cicd } } })).not.toThrow();
  });
});
