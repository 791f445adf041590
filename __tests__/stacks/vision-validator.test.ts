import { DataAwsSsmParameter } from '@cdktf/provider-aws/lib/data-aws-ssm-parameter';
import { EcsTaskDefinition } from '@cdktf/provider-aws/lib/ecs-task-definition';
import { VisionValidatorStack } from '../../stacks/vision-validator';
import { Synthesized, allOf, buildStack, countOf, errorOf, filterOf, findBy, isAbsent, onlyOf, parseField, resourcesOf, statementsOf, synth } from '../helpers/synth';

const NAME = 'vision-validator';
const ACCOUNT = { accountId: '123456789012' };

/** Each variant synthesized once. */
const cache = new Map<string, { text: string; json: Synthesized; stack: VisionValidatorStack }>();
function variant(key: string, overrides: Record<string, unknown> = {}) {
  if (!cache.has(key)) {
    const stack = buildStack<VisionValidatorStack>(NAME, { stacks: { [NAME]: { ...ACCOUNT, ...overrides } } });
    cache.set(key, { ...synth(stack), stack });
  }
  return cache.get(key)!;
}
const defaults = () => variant('defaults');
const spot = () =>
  variant('spot', {
    gpu: { spot: true, onDemandBaseCapacity: 1, instanceTypes: ['g4dn.xlarge', 'g4dn.2xlarge', 'g4dn.4xlarge'], maxSize: 6 },
    aiProviders: ['openai', 'gemini'],
    offHours: { stopSchedule: 'cron(0 20 ? * MON-FRI *)', startSchedule: 'cron(0 7 ? * MON-FRI *)', timezone: 'Europe/Paris' },
    alb: { allowedCidrs: ['203.0.113.0/24', '198.51.100.7/32'], certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/abc' },
    backendUrl: 'https://fabrikator.example.com',
  });

function containerOf(json: Synthesized): any {
  return parseField<any[]>(onlyOf(json, 'aws_ecs_task_definition'), 'container_definitions')[0];
}

function userData(json: Synthesized): string {
  const match = /^\$\{base64encode\((".*")\)\}$/s.exec(onlyOf(json, 'aws_launch_template').user_data);
  return JSON.parse(match![1]) as string;
}

function refOf(json: Synthesized, type: string, predicate: (r: Record<string, any>) => boolean, attr = 'arn'): string {
  const [key] = resourcesOf(json, type).find(([, r]) => predicate(r))!;
  return `\${${type}.${key}.${attr}}`;
}

describe('vision-validator', () => {
  it('runs the service on EC2 with one GPU per task, from the document image, in private subnets', () => {
    const { text, json } = defaults();
    expect(text).toHaveResourceWithProperties(EcsTaskDefinition, { family: NAME, requires_compatibilities: ['EC2'], network_mode: 'awsvpc', cpu: '2048', memory: '8192' });
    const container = containerOf(json);
    expect(container.image).toBe('ghcr.io/unforkableco/forge-plugins-vision:v1.1.0');
    expect(container.resourceRequirements).toEqual([{ type: 'GPU', value: '1' }]);
    expect(container.portMappings).toEqual([expect.objectContaining({ containerPort: 8000, protocol: 'tcp' })]);
    expect(container.logConfiguration.options['awslogs-group']).toMatch(/^\$\{aws_cloudwatch_log_group\.[\w-]+\.name\}$/);
    const service = onlyOf(json, 'aws_ecs_service');
    expect(service.name).toBe(NAME);
    expect(service.capacity_provider_strategy).toEqual([{ capacity_provider: expect.stringMatching(/^\$\{aws_ecs_capacity_provider\.[\w-]+\.name\}$/), weight: 1, base: 0 }]);
    expect(service.deployment_circuit_breaker).toEqual({ enable: true, rollback: true });
    expect(service.network_configuration.assign_public_ip).toBe(false);
    expect(findBy(json, 'aws_cloudwatch_log_group', 'name', '/ecs/production/vision-validator').retention_in_days).toBe(30);
  });

  it('launches g4dn.xlarge on the ECS GPU AMI from SSM, with GPU support, IMDSv2 and an encrypted root volume', () => {
    const { text, json } = defaults();
    expect(text).toHaveDataSourceWithProperties(DataAwsSsmParameter, { name: '/aws/service/ecs/optimized-ami/amazon-linux-2023/gpu/recommended/image_id' });
    const template = onlyOf(json, 'aws_launch_template');
    expect(template.instance_type).toBe('g4dn.xlarge');
    expect(template.image_id).toMatch(/^\$\{data\.aws_ssm_parameter\.[\w-]+\.insecure_value\}$/);
    expect(template.metadata_options).toMatchObject({ http_tokens: 'required', http_endpoint: 'enabled' });
    expect(template.block_device_mappings[0].ebs).toMatchObject({ encrypted: 'true', volume_type: 'gp3' });
    expect(userData(json)).toContain('\nECS_ENABLE_GPU_SUPPORT=true\n');
  });

  it('sizes the group from the document (desired_capacity 1) and lets the capacity provider scale it', () => {
    const { json } = defaults();
    expect(onlyOf(json, 'aws_autoscaling_group')).toMatchObject({ min_size: 0, max_size: 4, desired_capacity: 1, lifecycle: { ignore_changes: ['desired_capacity'] } });
    expect(isAbsent(onlyOf(json, 'aws_autoscaling_group'), 'mixed_instances_policy')).toBe(true);
    expect(onlyOf(json, 'aws_ecs_capacity_provider').auto_scaling_group_provider.managed_scaling).toMatchObject({ status: 'ENABLED', target_capacity: 100 });
    // The cluster has no Fargate: every task goes to the GPU provider.
    expect(onlyOf(json, 'aws_ecs_cluster_capacity_providers').capacity_providers).toEqual([expect.stringMatching(/^\$\{aws_ecs_capacity_provider\.[\w-]+\.name\}$/)]);
  });

  it('with spot runs a capacity-optimized mixed instances policy over the listed g4dn sizes above an on-demand base', () => {
    const asg = onlyOf(spot().json, 'aws_autoscaling_group');
    expect(asg.mixed_instances_policy.instances_distribution).toEqual({ on_demand_base_capacity: 1, on_demand_percentage_above_base_capacity: 0, spot_allocation_strategy: 'capacity-optimized' });
    expect(asg.mixed_instances_policy.launch_template.override).toEqual([{ instance_type: 'g4dn.xlarge' }, { instance_type: 'g4dn.2xlarge' }, { instance_type: 'g4dn.4xlarge' }]);
    expect(asg.capacity_rebalance).toBe(true);
    expect(userData(spot().json)).toContain('\nECS_ENABLE_SPOT_INSTANCE_DRAINING=true\n');
  });

  it('publishes GPU utilization with the CloudWatch agent and shows it on the dashboard', () => {
    const { json } = defaults();
    expect(userData(json)).toContain('dnf install -y amazon-cloudwatch-agent');
    expect(allOf(json, 'aws_iam_role_policy_attachment').map((a) => a.policy_arn)).toContain('arn:aws:iam::aws:policy/CloudWatchAgentServerPolicy');
    const body = parseField<any>(onlyOf(json, 'aws_cloudwatch_dashboard'), 'dashboard_body');
    const gpuWidget = body.widgets.find((w: any) => w.properties.title === 'GPU utilization');
    expect(gpuWidget.properties.metrics.map((m: unknown[]) => m.slice(0, 2))).toEqual([
      ['CWAgent', 'nvidia_smi_utilization_gpu'],
      ['CWAgent', 'nvidia_smi_utilization_memory'],
    ]);
    expect(body.widgets.map((w: any) => w.properties.title)).toEqual(['CPU utilization', 'Memory utilization', 'Tasks', 'GPU utilization', 'Requests', 'Response time (P99)']);
    const off = variant('no-gpu-metrics', { gpu: { gpuMetrics: false } }).json;
    expect(userData(off)).not.toContain('cloudwatch-agent');
    expect(parseField<any>(onlyOf(off, 'aws_cloudwatch_dashboard'), 'dashboard_body').widgets).toHaveLength(5);
  });

  it('keeps the API key and the AI keys out of the configuration: sensitive variables, Secrets Manager, container secrets', () => {
    const { json, text } = spot();
    expect(Object.keys(json.variable ?? {}).sort()).toEqual(['api_key', 'gemini_api_key', 'openai_api_key']);
    for (const variable of Object.values(json.variable!)) {
      expect(variable).toMatchObject({ type: 'string', sensitive: true, nullable: false });
      expect(variable.default).toBeUndefined();
    }
    const container = containerOf(json);
    expect(container.secrets.map((s: any) => s.name).sort()).toEqual(['API_KEY', 'GEMINI_API_KEY', 'OPENAI_API_KEY']);
    const apiSecret = refOf(json, 'aws_secretsmanager_secret', (s) => s.name === 'vision-validator-production/api-key');
    expect(container.secrets.find((s: any) => s.name === 'API_KEY').valueFrom).toBe(apiSecret);
    expect(container.environment.map((e: any) => e.name).sort()).toEqual(['BACKEND_URL', 'PORT']);
    expect(container.environment.find((e: any) => e.name === 'BACKEND_URL').value).toBe('https://fabrikator.example.com');
    expect(text).not.toMatch(/preview-placeholder/);
    // Only the execution role reads the secrets, each by its ARN.
    const reads = allOf(json, 'aws_iam_role_policy').flatMap((p) => statementsOf(p)).filter((s) => [s.Action].flat().includes('secretsmanager:GetSecretValue'));
    expect(reads.map((s) => s.Resource).sort()).toEqual(allOf(json, 'aws_secretsmanager_secret').map((s) => `\${aws_secretsmanager_secret.${resourcesOf(json, 'aws_secretsmanager_secret').find(([, b]) => b === s)![0]}.arn}`).sort());
  });

  it('asks only for the AI keys it uses, and takes existing secrets by ARN without a variable', () => {
    const arn = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:vision/api-key-AbCdEf';
    const { json } = variant('existing', { existingSecrets: { apiKey: arn }, aiProviders: ['gemini'] });
    expect(Object.keys(json.variable ?? {})).toEqual(['gemini_api_key']);
    expect(containerOf(json).secrets.find((s: any) => s.name === 'API_KEY').valueFrom).toBe(arn);
    expect(Object.keys(defaults().json.variable ?? {}).sort()).toEqual(['api_key', 'openai_api_key']);
  });

  it('opens the load balancer to allowed_cidr_blocks only, and redirects HTTP to HTTPS with a certificate', () => {
    const open = filterOf(defaults().json, 'aws_vpc_security_group_ingress_rule', (r) => r.cidr_ipv4 !== undefined);
    expect(open.map((r) => [r.cidr_ipv4, r.from_port])).toEqual([['0.0.0.0/0', 80]]);
    const { json } = spot();
    const rules = filterOf(json, 'aws_vpc_security_group_ingress_rule', (r) => r.cidr_ipv4 !== undefined).map((r) => [r.cidr_ipv4, r.from_port]);
    expect(rules.sort()).toEqual([['198.51.100.7/32', 443], ['198.51.100.7/32', 80], ['203.0.113.0/24', 443], ['203.0.113.0/24', 80]]);
    const listeners = allOf(json, 'aws_lb_listener');
    expect(listeners.map((l) => [l.port, l.protocol, l.default_action[0].type]).sort()).toEqual([[443, 'HTTPS', 'forward'], [80, 'HTTP', 'redirect']]);
    expect(onlyOf(json, 'aws_lb_target_group').health_check).toMatchObject({ path: '/health', matcher: '200' });
    expect(onlyOf(json, 'aws_lb').idle_timeout).toBe(300);
  });

  it('scales out when CPU 70% or memory 80% is exceeded for one minute, in after five minutes below both, and to zero off hours', () => {
    const { json } = defaults();
    expect(onlyOf(json, 'aws_appautoscaling_target')).toMatchObject({ min_capacity: 1, max_capacity: 3 });
    const policies = allOf(json, 'aws_appautoscaling_policy').sort((a, b) => b.step_scaling_policy_configuration.step_adjustment[0].scaling_adjustment - a.step_scaling_policy_configuration.step_adjustment[0].scaling_adjustment);
    expect(policies.map((p) => [p.policy_type, p.step_scaling_policy_configuration.cooldown, p.step_scaling_policy_configuration.step_adjustment])).toEqual([
      ['StepScaling', 60, [{ scaling_adjustment: 1, metric_interval_lower_bound: '0' }]],
      ['StepScaling', 300, [{ scaling_adjustment: -1, metric_interval_upper_bound: '0' }]],
    ]);
    // The document's windows are the alarms' evaluation periods (one-minute periods), not cooldowns.
    const alarm = (direction: string) => findBy(json, 'aws_cloudwatch_metric_alarm', 'alarm_name', `vision-validator-production-vision-validator-threshold-scale-${direction}`);
    expect([alarm('out').evaluation_periods, alarm('out').comparison_operator, alarm('out').threshold]).toEqual([1, 'GreaterThanThreshold', 0]);
    expect([alarm('in').evaluation_periods, alarm('in').comparison_operator, alarm('in').threshold]).toEqual([5, 'LessThanThreshold', 0]);
    expect(alarm('out').metric_query[0].expression).toBe('MAX([cpu - 70, memory - 80])');
    expect(alarm('out').metric_query.slice(1).map((q: any) => [q.metric.metric_name, q.metric.period])).toEqual([['CPUUtilization', 60], ['MemoryUtilization', 60]]);
    expect(alarm('out').alarm_actions).toEqual([refOf(json, 'aws_appautoscaling_policy', (p) => p.step_scaling_policy_configuration?.cooldown === 60)]);
    const tracking = variant('tracking', { service: { scalingPolicy: 'targetTracking' } }).json;
    const tracked = allOf(tracking, 'aws_appautoscaling_policy').map((p) => p.target_tracking_scaling_policy_configuration);
    expect(tracked.map((c) => [c.predefined_metric_specification.predefined_metric_type, c.target_value, c.scale_out_cooldown, c.scale_in_cooldown])).toEqual([
      ['ECSServiceAverageCPUUtilization', 70, 60, 300],
      ['ECSServiceAverageMemoryUtilization', 80, 60, 300],
    ]);
    expect(countOf(json, 'aws_appautoscaling_scheduled_action')).toBe(0);
    const scheduled = allOf(spot().json, 'aws_appautoscaling_scheduled_action').sort((a, b) => b.name.localeCompare(a.name));
    expect(scheduled.map((a) => [a.schedule, a.timezone, a.scalable_target_action])).toEqual([
      ['cron(0 20 ? * MON-FRI *)', 'Europe/Paris', { min_capacity: '0', max_capacity: '0' }],
      ['cron(0 7 ? * MON-FRI *)', 'Europe/Paris', { min_capacity: '1', max_capacity: '3' }],
    ]);
  });

  it('alarms on CPU, memory, missing tasks, no healthy target, 5xx rate and latency, to an encrypted topic', () => {
    const { json } = defaults();
    expect(allOf(json, 'aws_cloudwatch_metric_alarm').map((a) => a.alarm_name).filter((n) => !n.includes('threshold-scale')).sort()).toEqual(
      ['high-error-rate', 'high-latency', 'vision-validator-high-cpu', 'vision-validator-high-memory', 'vision-validator-no-healthy-targets', 'vision-validator-tasks-below-desired'].map((n) => `vision-validator-production-${n}`).sort(),
    );
    const topic = refOf(json, 'aws_sns_topic', () => true);
    for (const alarm of allOf(json, 'aws_cloudwatch_metric_alarm').filter((a) => !a.alarm_name.includes('threshold-scale'))) expect(alarm.alarm_actions).toEqual([topic]);
    expect(onlyOf(json, 'aws_sns_topic').kms_master_key_id).toMatch(/^\$\{aws_kms_key\./);
    expect(findBy(json, 'aws_cloudwatch_metric_alarm', 'alarm_name', 'vision-validator-production-high-latency')).toMatchObject({ extended_statistic: 'p99', threshold: 30 });
    expect(countOf(json, 'aws_sns_topic_subscription')).toBe(0);
    expect(countOf(variant('email', { monitoring: { alarmEmail: 'ops@example.com' } }).json, 'aws_sns_topic_subscription')).toBe(1);
  });

  it('puts a logged WAF web ACL in front of the load balancer when asked (off by default, as in the document)', () => {
    expect(countOf(defaults().json, 'aws_wafv2_web_acl')).toBe(0);
    const { json } = variant('waf', { waf: { enabled: true } });
    expect(onlyOf(json, 'aws_wafv2_web_acl')).toMatchObject({ name: 'vision-validator-production', scope: 'REGIONAL' });
    expect(onlyOf(json, 'aws_wafv2_web_acl_association').resource_arn).toMatch(/^\$\{aws_lb\.[\w-]+\.arn\}$/);
    expect(onlyOf(json, 'aws_wafv2_web_acl_logging_configuration').redacted_fields).toContainEqual({ single_header: { name: 'x-api-key' } });
    expect(countOf(variant('waf-quiet', { waf: { enabled: true, logging: false } }).json, 'aws_wafv2_web_acl_logging_configuration')).toBe(0);
  });

  it('serves its URLs on its domain when one is given (a certificate never matches the load balancer\'s own name)', () => {
    const { json } = variant('domain', { domain: { name: 'vision.example.com', hostedZoneId: 'Z0123456789ABCDEFGHIJ' } });
    expect(onlyOf(json, 'aws_acm_certificate')).toMatchObject({ domain_name: 'vision.example.com', validation_method: 'DNS' });
    expect(filterOf(json, 'aws_route53_record', (r) => r.alias !== undefined)).toEqual([expect.objectContaining({ name: 'vision.example.com', type: 'A' })]);
    const outputs = json.output!;
    expect([outputs.alb_url.value, outputs.health_check_url.value, outputs.validation_endpoint.value]).toEqual(['https://vision.example.com', 'https://vision.example.com/health', 'https://vision.example.com/validate']);
    expect(allOf(json, 'aws_lb_listener').map((l) => [l.port, l.protocol]).sort()).toEqual([[443, 'HTTPS'], [80, 'HTTP']]);
  });

  it('outputs the document\'s URLs and what operating it needs', () => {
    const outputs = defaults().json.output!;
    expect(Object.keys(outputs).sort()).toEqual(['alb_dns_name', 'alb_url', 'api_key_secret_arn', 'autoscaling_group_name', 'ecr_images', 'ecs_cluster_name', 'ecs_service_name', 'ecs_services', 'endpoint_url', 'health_check_url', 'log_group_name', 'validation_endpoint']);
    // A fixed image: nothing to build, its tag in the services' map.
    expect(outputs.ecr_images.value).toEqual({});
    expect(outputs.ecs_services.value).toEqual({ 'vision-validator': { name: outputs.ecs_service_name.value, container: 'vision-validator', log_group: outputs.log_group_name.value, task_family: 'vision-validator', image_tag: expect.stringMatching(/^[\w.-]+$/) } });
    expect(outputs.endpoint_url.value).toBe(outputs.alb_url.value);
    expect(outputs.alb_url.value).toMatch(/^http:\/\/\$\{aws_lb\.[\w-]+\.dns_name\}$/);
    expect(outputs.health_check_url.value).toMatch(/^http:\/\/\$\{aws_lb\.[\w-]+\.dns_name\}\/health$/);
    expect(outputs.validation_endpoint.value).toMatch(/\/validate$/);
    expect(spot().json.output!.alb_url.value).toMatch(/^https:\/\//);
    expect(outputs.log_group_name.value).toMatch(/^\$\{aws_cloudwatch_log_group\.[\w-]+\.name\}$/);
  });

  it('follows the environment name into names and the log group', () => {
    const { json } = variant('staging', { environment: 'staging' });
    expect(onlyOf(json, 'aws_ecs_cluster').name).toBe('vision-validator-staging');
    expect(findBy(json, 'aws_cloudwatch_log_group', 'name', '/ecs/staging/vision-validator')).toBeDefined();
  });

  describe('rejects bad settings with the path, the value and what is allowed', () => {
    const errorFor = (settings: Record<string, unknown>) => errorOf(() => buildStack(NAME, { stacks: { [NAME]: settings } }));

    it('a non-GPU instance type', () => {
      expect(errorFor({ gpu: { instanceTypes: ['m5.xlarge'] } })).toContain(
        'gpu.instanceTypes[0]: "m5.xlarge" is not an x86 NVIDIA GPU instance type such as "g4dn.xlarge"',
      );
    });

    it('a desired capacity outside the group bounds', () => {
      expect(errorFor({ gpu: { desiredCapacity: 5 } })).toBe('invalid settings for stack "vision-validator":\n  gpu.desiredCapacity: 5 is outside minSize..maxSize; allowed: 0 to 4');
    });

    it('an existing secret ARN without its suffix', () => {
      expect(errorFor({ existingSecrets: { apiKey: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:vision/api-key' } })).toContain(
        'existingSecrets.apiKey: "arn:aws:secretsmanager:us-east-1:123456789012:secret:vision/api-key" is not a Secrets Manager secret ARN with the 6-character suffix of its name',
      );
    });

    it('a malformed CIDR', () => {
      expect(errorFor({ alb: { allowedCidrs: ['10.0.0.300/24'] } })).toContain('alb.allowedCidrs[0]: "10.0.0.300/24" is not an IPv4 CIDR block');
    });

    it('a group without room for a rolling deployment, and a task that does not fit the instance', () => {
      const message = errorFor({ gpu: { maxSize: 3 }, service: { memoryMiB: 16384 } });
      expect(message).toContain('gpu.maxSize: 3 instances hold 3 tasks: no room for the extra task a rolling deployment starts at service.maxCapacity 3; allowed: at least 4');
      expect(message).toContain('service.memoryMiB: a task of 16384 MiB (about 15564 MiB are left for tasks) does not fit on g4dn.xlarge');
    });

    it('no NAT gateway for an image on ghcr.io, no AI provider, and variables the stack sets itself', () => {
      const message = errorFor({ network: { natGateways: 'none' }, aiProviders: [], service: { environment: { API_KEY: 'x' } } });
      expect(message).toContain('network.natGateways: "none" leaves the container instances without a way to ghcr.io');
      expect(message).toContain('aiProviders: is empty; the validator needs an OpenAI or Gemini key');
      expect(message).toContain('service.environment.API_KEY: is set by the stack');
    });
  });
});
