import { KarmacadabraStack } from '../../stacks/karmacadabra';
import { Synthesized, allOf, buildStack, countOf, errorOf, filterOf, findBy, onlyOf, parseField, resourcesOf, statementsOf, synth } from '../helpers/synth';

const NAME = 'karmacadabra';
const AGENTS = ['validator', 'karma-hello', 'abracadabra', 'skill-extractor', 'voice-extractor'];
const TAG = 'v0.9.1';

const cache = new Map<string, Synthesized>();
function variant(key: string, overrides: Record<string, unknown> = {}): Synthesized {
  if (!cache.has(key)) cache.set(key, synth(buildStack<KarmacadabraStack>(NAME, { stacks: { [NAME]: { accountId: '123456789012', imageTag: TAG, ...overrides } } })).json);
  return cache.get(key)!;
}
const deployed = () => variant('deployed');

/** `${type.key.attr}` of the resource of `type` matching `predicate`. */
function ref(json: Synthesized, type: string, predicate: (r: Record<string, any>) => boolean, attr: string): string {
  const [key] = resourcesOf(json, type).find(([, r]) => predicate(r))!;
  return `\${${type}.${key}.${attr}}`;
}
const serviceOf = (json: Synthesized, agent: string) => findBy(json, 'aws_ecs_service', 'name', `karmacadabra-prod-${agent}`);
const containersOf = (json: Synthesized, agent: string): any[] => parseField<any[]>(findBy(json, 'aws_ecs_task_definition', 'family', `karmacadabra-prod-${agent}`), 'container_definitions');

describe('karmacadabra', () => {
  it('has one service, task definition, repository, log group, secret, target group, listener rule and scaling target per agent', () => {
    const json = deployed();
    for (const type of ['aws_ecs_service', 'aws_ecs_task_definition', 'aws_ecr_repository', 'aws_ecr_lifecycle_policy', 'aws_secretsmanager_secret', 'aws_lb_target_group', 'aws_lb_listener_rule', 'aws_appautoscaling_target', 'aws_cloudwatch_log_metric_filter']) {
      expect({ type, count: countOf(json, type) }).toEqual({ type, count: 5 });
    }
    expect(countOf(json, 'aws_appautoscaling_policy')).toBe(10);
    // One log group per agent, and the VPC's flow logs.
    expect(allOf(json, 'aws_cloudwatch_log_group').map((g) => g.name).filter((n) => !n.startsWith('/vpc/'))).toHaveLength(5);
    expect(allOf(json, 'aws_ecr_repository').map((r) => r.name).sort()).toEqual(AGENTS.map((a) => `karmacadabra/${a}`).sort());
    expect(allOf(json, 'aws_ecr_repository').every((r) => r.image_scanning_configuration.scan_on_push === true)).toBe(true);
    expect(allOf(json, 'aws_cloudwatch_log_group').map((g) => [g.name, g.retention_in_days]).sort()).toEqual([...AGENTS.map((a) => [`/ecs/karmacadabra-prod/${a}`, 7]), ['/vpc/karmacadabra-prod/flow-logs', 30]].sort());
  });

  it('runs each agent at 0.25 vCPU / 0.5 GB on Fargate Spot in private subnets, with ECS Exec, on its document port', () => {
    const json = deployed();
    AGENTS.forEach((agent, i) => {
      const task = findBy(json, 'aws_ecs_task_definition', 'family', `karmacadabra-prod-${agent}`);
      expect({ agent, cpu: task.cpu, memory: task.memory }).toEqual({ agent, cpu: '256', memory: '512' });
      const service = serviceOf(json, agent);
      expect(service.capacity_provider_strategy).toEqual([{ capacity_provider: 'FARGATE_SPOT', weight: 1, base: 0 }]);
      expect(service.enable_execute_command).toBe(true);
      expect(service.network_configuration.assign_public_ip).toBe(false);
      expect(service.desired_count).toBe(1);
      const [app] = containersOf(json, agent);
      expect(app.portMappings[0].containerPort).toBe(9001 + i);
      expect(app.image).toMatch(new RegExp(`^\\$\\{aws_ecr_repository\\.[\\w-]+\\.repository_url\\}:${TAG.replace(/\./g, '\\.')}$`));
    });
  });

  it('routes /<agent> and /<agent>/* to each agent\'s target group with a /health check, in priority order', () => {
    const json = deployed();
    const rules = allOf(json, 'aws_lb_listener_rule').sort((a, b) => a.priority - b.priority);
    expect(rules.map((r) => [r.priority, r.condition[0].path_pattern.values])).toEqual(AGENTS.map((a, i) => [100 + 10 * i, [`/${a}`, `/${a}/*`]]));
    for (const agent of AGENTS) {
      const tg = ref(json, 'aws_lb_target_group', (t) => t.port === 9001 + AGENTS.indexOf(agent), 'arn');
      const rule = rules[AGENTS.indexOf(agent)];
      expect(rule.action[0]).toMatchObject({ type: 'forward', target_group_arn: tg });
    }
    expect(allOf(json, 'aws_lb_target_group').map((t) => t.health_check.path)).toEqual(AGENTS.map(() => '/health'));
  });

  it('connects the agents with Service Connect in karmacadabra.local, each reachable from the others and the ALB only', () => {
    const json = deployed();
    expect(onlyOf(json, 'aws_service_discovery_private_dns_namespace').name).toBe('karmacadabra.local');
    AGENTS.forEach((agent, i) => {
      const sc = serviceOf(json, agent).service_connect_configuration;
      expect(sc.enabled).toBe(true);
      expect(sc.service[0]).toMatchObject({ discovery_name: agent, client_alias: { dns_name: agent, port: 9001 + i } });
    });
    // Ingress of the validator's group: the ALB and the four other agents, on 9001.
    const validatorSg = ref(json, 'aws_security_group', (g) => g.tags.Name === 'karmacadabra-prod-validator-sg', 'id');
    const ingress = filterOf(json, 'aws_vpc_security_group_ingress_rule', (r) => r.security_group_id === validatorSg);
    expect(ingress).toHaveLength(5);
    expect(ingress.every((r) => r.from_port === 9001 && r.to_port === 9001 && r.referenced_security_group_id && !r.cidr_ipv4)).toBe(true);
  });

  it('injects each agent\'s own secret keys, and lets its execution role read that secret only', () => {
    const json = deployed();
    for (const agent of AGENTS) {
      const secret = findBy(json, 'aws_secretsmanager_secret', 'name', `karmacadabra-prod/${agent}`);
      expect(secret).toBeDefined();
      const arn = ref(json, 'aws_secretsmanager_secret', (s) => s.name === `karmacadabra-prod/${agent}`, 'arn');
      const [app] = containersOf(json, agent);
      expect(app.secrets).toEqual([
        { name: 'AGENT_ADDRESS', valueFrom: `${arn}:address::` },
        { name: 'OPENAI_API_KEY', valueFrom: `${arn}:openai_api_key::` },
        { name: 'PRIVATE_KEY', valueFrom: `${arn}:private_key::` },
      ]);
      const reads = allOf(json, 'aws_iam_role_policy')
        .filter((p) => p.name_prefix?.startsWith(`karmacadabra-prod-${agent}`) || String(p.role).includes(agent))
        .flatMap((p) => statementsOf(p))
        .filter((s) => [s.Action].flat().includes('secretsmanager:GetSecretValue'));
      expect(reads.map((s) => s.Resource)).toEqual([arn]);
    }
  });

  it('runs an X-Ray daemon beside each agent and samples 5 % of requests', () => {
    const json = deployed();
    for (const agent of AGENTS) {
      const [app, daemon] = containersOf(json, agent);
      expect(daemon).toMatchObject({ name: 'xray-daemon', essential: false, memoryReservation: 64 });
      expect(app.environment).toEqual(expect.arrayContaining([{ name: 'AWS_XRAY_DAEMON_ADDRESS', value: '127.0.0.1:2000' }]));
    }
    expect(onlyOf(json, 'aws_xray_sampling_rule')).toMatchObject({ fixed_rate: 0.05, reservoir_size: 1 });
    const off = variant('no-xray', { xrayTracing: false });
    expect(countOf(off, 'aws_xray_sampling_rule')).toBe(0);
    expect(containersOf(off, 'validator')).toHaveLength(1);
  });

  it('scales each agent from 1 to 3 tasks on CPU and memory', () => {
    const json = deployed();
    expect(allOf(json, 'aws_appautoscaling_target').map((t) => [t.min_capacity, t.max_capacity])).toEqual(AGENTS.map(() => [1, 3]));
    const targets = allOf(json, 'aws_appautoscaling_policy').map((p) => [p.target_tracking_scaling_policy_configuration.predefined_metric_specification.predefined_metric_type, p.target_tracking_scaling_policy_configuration.target_value]);
    expect(targets.filter(([t]) => t === 'ECSServiceAverageCPUUtilization').map(([, v]) => v)).toEqual([75, 75, 75, 75, 75]);
    expect(targets.filter(([t]) => t === 'ECSServiceAverageMemoryUtilization').map(([, v]) => v)).toEqual([80, 80, 80, 80, 80]);
  });

  it('has four alarms per agent (20) to the encrypted topic, and a dashboard of CPU, memory, requests, tasks and errors', () => {
    const json = deployed();
    const names = allOf(json, 'aws_cloudwatch_metric_alarm').map((a) => a.alarm_name);
    expect(names).toHaveLength(20);
    for (const agent of AGENTS) {
      expect(names.filter((n) => n.startsWith(`karmacadabra-prod-${agent}-`)).map((n) => n.slice(`karmacadabra-prod-${agent}-`.length)).sort()).toEqual(['high-cpu', 'high-memory', 'tasks-below-desired', 'unhealthy-targets']);
    }
    expect(findBy(json, 'aws_cloudwatch_metric_alarm', 'alarm_name', 'karmacadabra-prod-validator-high-cpu')).toMatchObject({ threshold: 85, metric_name: 'CPUUtilization' });
    const body = parseField<any>(onlyOf(json, 'aws_cloudwatch_dashboard'), 'dashboard_body');
    expect(body.widgets.map((w: any) => [w.properties.title, w.properties.metrics.length])).toEqual([
      ['CPU utilization', 5],
      ['Memory utilization', 5],
      ['Requests', 5],
      ['Running tasks', 5],
      ['Errors in logs', 5],
    ]);
    expect(findBy(json, 'aws_cloudwatch_log_metric_filter', 'name', 'karmacadabra-prod-validator-errors').metric_transformation).toMatchObject({ namespace: 'Karmacadabra/prod', name: 'validator-errors' });
  });

  it('builds the network of the document: 2 pinned zones, one NAT gateway, S3 gateway and four interface endpoints in one zone', () => {
    const json = deployed();
    expect(allOf(json, 'aws_subnet').map((s) => s.availability_zone).sort()).toEqual(['us-east-1a', 'us-east-1a', 'us-east-1b', 'us-east-1b']);
    expect(countOf(json, 'aws_nat_gateway')).toBe(1);
    const endpoints = allOf(json, 'aws_vpc_endpoint');
    expect(endpoints.map((e) => [e.service_name.split('.').slice(3).join('.'), e.vpc_endpoint_type]).sort()).toEqual([['ecr.api', 'Interface'], ['ecr.dkr', 'Interface'], ['logs', 'Interface'], ['s3', 'Gateway'], ['secretsmanager', 'Interface']]);
    for (const e of endpoints.filter((x) => x.vpc_endpoint_type === 'Interface')) expect(e.subnet_ids).toHaveLength(1);
    // Zones and account pinned: nothing is looked up.
    expect(Object.keys(json.data ?? {})).toEqual([]);
  });

  it('outputs what the document\'s outputs.tf lists', () => {
    const outputs = deployed().output!;
    expect(Object.keys(outputs).sort()).toEqual([
      'agent_endpoints', 'agent_health_check_urls', 'alb_dns_name', 'cloudwatch_dashboard_name', 'cloudwatch_dashboard_url', 'cloudwatch_log_group_names', 'deployment_commands',
      'ecr_images', 'ecr_repository_urls', 'ecs_cluster_name', 'ecs_service_names', 'ecs_services', 'endpoint_url', 'nat_gateway_public_ips', 'quick_start', 'secret_arns',
    ]);
    // The operations contract beside the document's per-agent maps: the same names, one map.
    const services = outputs.ecs_services.value as Record<string, Record<string, string>>;
    expect(Object.keys(services).sort()).toEqual([...AGENTS].sort());
    expect(services.validator).toMatchObject({ name: (outputs.ecs_service_names.value as Record<string, string>).validator, log_group: (outputs.cloudwatch_log_group_names.value as Record<string, string>).validator, container: 'validator' });
    expect((outputs.ecr_images.value as Record<string, { repository_url: string; build_context: string }>).validator).toEqual({ repository_url: (outputs.ecr_repository_urls.value as Record<string, string>).validator, build_context: 'services/validator' });
    expect(outputs.endpoint_url.value).toMatch(/^http:\/\/\$\{aws_lb\.[\w-]+\.dns_name\}$/);
    expect(Object.keys(outputs.agent_endpoints.value as object).sort()).toEqual([...AGENTS].sort());
    expect((outputs.agent_health_check_urls.value as Record<string, string>)['karma-hello']).toMatch(/^http:\/\/\$\{aws_lb\.[\w-]+\.dns_name\}\/karma-hello\/health$/);
  });

  it('outputs the document\'s deployment_commands and quick_start, with this deployment\'s names in them', () => {
    const outputs = deployed().output!;
    const commands = outputs.deployment_commands.value as Record<string, any>;
    const repository = (outputs.ecr_repository_urls.value as Record<string, string>).validator;
    expect(commands.ecr_login).toMatch(/^aws ecr get-login-password --region us-east-1 \| docker login --username AWS --password-stdin \$\{element\(split\("\/", aws_ecr_repository\.[\w-]+\.repository_url\), 0\)\}$/);
    expect(Object.keys(commands.build_and_push).sort()).toEqual([...AGENTS].sort());
    expect(commands.build_and_push.validator).toBe(`docker build --platform linux/amd64 -t ${repository}:$TAG services/validator && docker push ${repository}:$TAG`);
    expect(commands.tail_logs.validator).toBe(`aws logs tail ${(outputs.cloudwatch_log_group_names.value as Record<string, string>).validator} --follow --region us-east-1`);
    expect(commands.put_secret.validator).toContain(`--secret-id ${(outputs.secret_arns.value as Record<string, string>).validator} --secret-string file://validator-secret.json (a JSON object with the keys private_key, openai_api_key, address)`);
    // cdktf writes output strings into HCL unescaped: a double quote would break the --hcl exit.
    const texts = [...Object.values(commands).flatMap((v) => (typeof v === 'string' ? [v] : Object.values(v as Record<string, string>))), outputs.quick_start.value as string];
    expect(texts.filter((t) => t.replace(/\$\{[^}]*\}/g, '').includes('"'))).toEqual([]);
    expect(commands.service_status).toContain(`--services ${AGENTS.map((a) => (outputs.ecs_service_names.value as Record<string, string>)[a]).join(' ')} --query`);
    expect(commands.push_all_images).toBe('npm run ops -- karmacadabra push-images --tag $TAG');
    const quickStart = outputs.quick_start.value as string;
    expect(quickStart.split('\n')).toHaveLength(6);
    expect(quickStart).toMatch(/curl http:\/\/\$\{aws_lb\.[\w-]+\.dns_name\}\/validator\/health/);
  });

  it('puts a logged WAF web ACL in front of the agents when asked (off by default, as in the document)', () => {
    expect(countOf(deployed(), 'aws_wafv2_web_acl')).toBe(0);
    const json = variant('waf', { waf: { enabled: true, rateLimitPer5Min: 500 } });
    expect(onlyOf(json, 'aws_wafv2_web_acl').name).toBe('karmacadabra-prod');
    expect(JSON.stringify(onlyOf(json, 'aws_wafv2_web_acl').rule)).toContain('"limit":500');
    expect(onlyOf(json, 'aws_wafv2_web_acl_association').resource_arn).toMatch(/^\$\{aws_lb\.[\w-]+\.arn\}$/);
    expect(findBy(json, 'aws_cloudwatch_log_group', 'name', 'aws-waf-logs-karmacadabra-prod').retention_in_days).toBe(30);
  });

  it('serves its URLs on its domain when one is given: a DNS-validated certificate, an alias, HTTPS', () => {
    const json = variant('domain', { domain: { name: 'agents.example.com', hostedZoneId: 'Z0123456789ABCDEFGHIJ' } });
    expect(onlyOf(json, 'aws_acm_certificate')).toMatchObject({ domain_name: 'agents.example.com', validation_method: 'DNS' });
    expect(filterOf(json, 'aws_route53_record', (r) => r.alias !== undefined)).toEqual([expect.objectContaining({ name: 'agents.example.com', type: 'A', zone_id: 'Z0123456789ABCDEFGHIJ' })]);
    expect(json.output!.endpoint_url.value).toBe('https://agents.example.com');
    expect((json.output!.agent_endpoints.value as Record<string, string>).validator).toBe('https://agents.example.com/validator');
    expect(allOf(json, 'aws_lb_listener').map((l) => l.protocol).sort()).toEqual(['HTTP', 'HTTPS']);
    expect(errorOf(() => variant('both', { domain: { name: 'agents.example.com', hostedZoneId: 'Z0123456789ABCDEFGHIJ' }, alb: { certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-4e5f-6789-abcd-ef0123456789' } }))).toContain(
      'domain: and alb.certificateArn both give the endpoint a certificate; keep one',
    );
  });

  it('waits at 0 tasks until an image tag is set', () => {
    const json = synth(buildStack(NAME, { stacks: { [NAME]: { accountId: '123456789012' } } })).json;
    expect(allOf(json, 'aws_ecs_service').map((s) => s.desired_count)).toEqual([0, 0, 0, 0, 0]);
    expect(allOf(json, 'aws_appautoscaling_target').map((t) => t.max_capacity)).toEqual([0, 0, 0, 0, 0]);
  });

  it('adds a sixth agent with one line of settings, leaving the other five as they were', () => {
    const json = variant('six', { agents: { 'market-maker': { port: 9006 } } });
    for (const type of ['aws_ecs_service', 'aws_lb_target_group', 'aws_ecr_repository', 'aws_secretsmanager_secret']) expect(countOf(json, type)).toBe(6);
    expect(countOf(json, 'aws_cloudwatch_metric_alarm')).toBe(24);
    const rule = allOf(json, 'aws_lb_listener_rule').find((r) => r.condition[0].path_pattern.values[0] === '/market-maker')!;
    expect(rule.priority).toBe(150);
    expect(findBy(json, 'aws_ecs_task_definition', 'family', 'karmacadabra-prod-market-maker')).toMatchObject({ cpu: '256', memory: '512' });
    // The document's five keep their resources and logical ids.
    for (const type of ['aws_ecs_service', 'aws_ecr_repository', 'aws_cloudwatch_log_group', 'aws_secretsmanager_secret']) {
      const before = resourcesOf(deployed(), type).map(([id]) => id);
      expect(resourcesOf(json, type).map(([id]) => id)).toEqual(expect.arrayContaining(before));
    }
    expect(serviceOf(json, 'market-maker').service_connect_configuration.service[0].client_alias).toEqual({ dns_name: 'market-maker', port: 9006 });
  });

  it('changes every agent through agentDefaults, and one through its entry', () => {
    const json = variant('bigger', { agentDefaults: { cpu: 512, memoryMiB: 1024 }, agents: { validator: { maxCapacity: 5 } } });
    expect(allOf(json, 'aws_ecs_task_definition').map((t) => t.cpu)).toEqual(['512', '512', '512', '512', '512']);
    const maxOf = (agent: string) => allOf(json, 'aws_appautoscaling_target').find((t) => t.resource_id.includes(`agent-${agent}_`))!.max_capacity;
    expect(AGENTS.map(maxOf)).toEqual([5, 3, 3, 3, 3]);
  });

  describe('rejects bad settings with the path, the value and what is allowed', () => {
    const errorFor = (settings: Record<string, unknown>) => errorOf(() => buildStack(NAME, { stacks: { [NAME]: settings } }));

    it('a task size Fargate does not have, once for agentDefaults', () => {
      const message = errorFor({ agentDefaults: { memoryMiB: 3000 } });
      expect(message.split('\n').filter((l) => l.includes('agentDefaults.'))).toHaveLength(1);
      expect(message).toContain('agentDefaults.memoryMiB: 3000');
    });

    it('two agents on one listener rule priority, a bad agent name, and a secret that is also a plain variable', () => {
      const message = errorFor({ agents: { validator: { priority: 110 }, Bad_Name: {}, abracadabra: { environment: { PRIVATE_KEY: 'x' } } } });
      expect(message).toContain('agents.karma-hello.priority: 110 is also the priority of agent "validator"; give each agent its own');
      expect(message).toContain('agents.Bad_Name: ');
      expect(message).toContain('agents.abracadabra.environment.PRIVATE_KEY: is also a secret (secretKeys.PRIVATE_KEY)');
    });

    it('no NAT gateway without the endpoints the agents need', () => {
      const message = errorFor({ network: { natGateways: 'none', interfaceEndpoints: ['ecr.api', 'ecr.dkr', 'logs'] } });
      expect(message).toContain('network.natGateways: "none": without a NAT gateway, private subnets reach "secretsmanager" only through a VPC endpoint');
    });
  });
});
