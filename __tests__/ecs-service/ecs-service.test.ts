import { SsmParameter } from '@cdktf/provider-aws/lib/ssm-parameter';
import { EcsService as EcsServiceResource } from '@cdktf/provider-aws/lib/ecs-service';
import { EcsTaskDefinition } from '@cdktf/provider-aws/lib/ecs-task-definition';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { ServiceDiscoveryService } from '@cdktf/provider-aws/lib/service-discovery-service';
import { AppautoscalingTarget } from '@cdktf/provider-aws/lib/appautoscaling-target';
import { SecretsmanagerSecret } from '@cdktf/provider-aws/lib/secretsmanager-secret';
import { VpcSecurityGroupEgressRule } from '@cdktf/provider-aws/lib/vpc-security-group-egress-rule';
import { EcsCluster } from '../../src/ecs-cluster';
import { EcsService, EcsServiceProps } from '../../src/ecs-service';
import { allOf, countOf, errorOf, filterOf, findBy, isAbsent, onlyOf, parseField, statementsOf, synthConstructs, Synthesized } from '../helpers/synth';

const TG_ARN = 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/api/0123456789abcdef';
const SECRET = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:shop/db-AbCdEf';
const PARAM = 'arn:aws:ssm:eu-west-1:123456789012:parameter/shop/api-key';

type Props = Omit<EcsServiceProps, 'cluster'>;
const BASE: Props = {
  serviceName: 'shop-api',
  vpcId: 'vpc-123',
  subnetIds: ['subnet-a', 'subnet-b'],
  image: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/api:1.0',
  logGroupName: '/ecs/shop',
  region: 'eu-west-1',
};

/** A cluster `c` and a service `svc` built from BASE plus `props`; `after` runs on the service before synth. */
function build(props: Partial<Props> = {}, after?: (svc: EcsService) => void): { text: string; json: Synthesized } {
  return synthConstructs((stack) => {
    const cluster = new EcsCluster(stack, 'cluster', { clusterName: 'c' });
    const svc = new EcsService(stack, 'svc', { ...BASE, ...props, cluster });
    after?.(svc);
  });
}

/** The single container of the single task definition. */
function containerOf(json: Synthesized): Record<string, any> {
  const defs = parseField<Record<string, any>[]>(onlyOf(json, 'aws_ecs_task_definition'), 'container_definitions');
  expect(defs).toHaveLength(1);
  return defs[0];
}

function buildError(props: Partial<Props>): string {
  return errorOf(() => build(props));
}

describe('EcsService container definition', () => {
  it('renders the image, port, sorted environment and secrets, awslogs and the hardening defaults', () => {
    const { json } = build({
      containerPort: 8000,
      environment: { ZETA: 'z', ALPHA: 'a', MIDDLE: 'm' },
      secrets: { DB_PASSWORD: `${SECRET}:password::`, API_KEY: PARAM },
      command: ['uvicorn', 'app:main'],
    });
    const c = containerOf(json);
    expect(c.name).toBe('api');
    expect(c.image).toBe(BASE.image);
    expect(c.essential).toBe(true);
    expect(c.command).toEqual(['uvicorn', 'app:main']);
    expect(c.portMappings).toEqual([{ name: 'api', containerPort: 8000, hostPort: 8000, protocol: 'tcp', appProtocol: 'http' }]);
    expect(c.environment).toEqual([
      { name: 'ALPHA', value: 'a' },
      { name: 'MIDDLE', value: 'm' },
      { name: 'ZETA', value: 'z' },
    ]);
    expect(c.secrets).toEqual([
      { name: 'API_KEY', valueFrom: PARAM },
      { name: 'DB_PASSWORD', valueFrom: `${SECRET}:password::` },
    ]);
    expect(c.logConfiguration).toEqual({
      logDriver: 'awslogs',
      options: { 'awslogs-group': '/ecs/shop', 'awslogs-region': 'eu-west-1', 'awslogs-stream-prefix': 'api' },
    });
    expect(c.readonlyRootFilesystem).toBe(true);
    expect(c.privileged).toBe(false);
    expect(c.mountPoints).toEqual([]);
    expect(c.healthCheck).toBeUndefined();
    expect(c.resourceRequirements).toBeUndefined();
  });

  it('has no port mappings without a container port, and empty environment and secrets by default', () => {
    const c = containerOf(build().json);
    expect(c.portMappings).toEqual([]);
    expect(c.environment).toEqual([]);
    expect(c.secrets).toEqual([]);
    expect(c.command).toBeUndefined();
  });

  it('fills health check defaults of 30/5/3/60 and keeps given values', () => {
    const defaults = containerOf(build({ healthCheck: { command: ['CMD-SHELL', 'curl -f http://localhost:8000/health || exit 1'] } }).json);
    expect(defaults.healthCheck).toEqual({
      command: ['CMD-SHELL', 'curl -f http://localhost:8000/health || exit 1'],
      interval: 30,
      timeout: 5,
      retries: 3,
      startPeriod: 60,
    });
    const custom = containerOf(build({ healthCheck: { command: ['CMD', 'true'], intervalSec: 10, timeoutSec: 2, retries: 5, startPeriodSec: 120 } }).json);
    expect(custom.healthCheck).toEqual({ command: ['CMD', 'true'], interval: 10, timeout: 2, retries: 5, startPeriod: 120 });
  });

  it('honours containerName, logStreamPrefix and a writable root filesystem', () => {
    const c = containerOf(build({ containerName: 'web', logStreamPrefix: 'shop', readonlyRootFilesystem: false, containerPort: 80 }).json);
    expect(c.name).toBe('web');
    expect(c.portMappings[0].name).toBe('web');
    expect(c.logConfiguration.options['awslogs-stream-prefix']).toBe('shop');
    expect(c.readonlyRootFilesystem).toBe(false);
    expect(c.privileged).toBe(false);
  });

  it('reserves GPUs only when gpuCount > 0', () => {
    const gpu = containerOf(build({ compatibility: 'EC2', launchType: 'EC2', gpuCount: 2, cpu: 4096, memoryMiB: 15000 }).json);
    expect(gpu.resourceRequirements).toEqual([{ type: 'GPU', value: '2' }]);
    const none = containerOf(build({ compatibility: 'EC2', launchType: 'EC2', gpuCount: 0 }).json);
    expect(none.resourceRequirements).toBeUndefined();
  });
});

describe('EcsService task definition', () => {
  it('is a Fargate awsvpc task of 256 CPU / 512 MiB on Linux x86_64 by default', () => {
    const { text, json } = build();
    expect(text).toHaveResourceWithProperties(EcsTaskDefinition, {
      family: 'shop-api',
      network_mode: 'awsvpc',
      requires_compatibilities: ['FARGATE'],
      cpu: '256',
      memory: '512',
      runtime_platform: { operating_system_family: 'LINUX', cpu_architecture: 'X86_64' },
    });
    const task = onlyOf(json, 'aws_ecs_task_definition');
    expect(task.execution_role_arn).toMatch(/^\$\{aws_iam_role\.svc_execution-role_\w+\.arn\}$/);
    expect(task.task_role_arn).toMatch(/^\$\{aws_iam_role\.svc_task-role_\w+\.arn\}$/);
    expect(task.volume).toBeUndefined();
  });

  it('accepts any valid Fargate size and renders cpu and memory as strings', () => {
    const task = onlyOf(build({ cpu: 4096, memoryMiB: 30720 }).json, 'aws_ecs_task_definition');
    expect(task.cpu).toBe('4096');
    expect(task.memory).toBe('30720');
  });

  it('on EC2 requires EC2 compatibility, has no runtime platform and allows non-Fargate sizes', () => {
    const task = onlyOf(build({ compatibility: 'EC2', launchType: 'EC2', cpu: 3000, memoryMiB: 7000 }).json, 'aws_ecs_task_definition');
    expect(task.requires_compatibilities).toEqual(['EC2']);
    expect(task.cpu).toBe('3000');
    expect(task.memory).toBe('7000');
    expect(isAbsent(task, 'runtime_platform')).toBe(true);
  });

  it('mounts EFS volumes with transit encryption, and IAM authorization through an access point', () => {
    const { json } = build({
      efsVolumes: [
        { name: 'models', fileSystemId: 'fs-1', accessPointId: 'fsap-1', containerPath: '/models', readOnly: true },
        { name: 'scratch', fileSystemId: 'fs-2', containerPath: '/scratch' },
      ],
    });
    const task = onlyOf(json, 'aws_ecs_task_definition');
    expect(task.volume).toEqual([
      {
        name: 'models',
        efs_volume_configuration: { file_system_id: 'fs-1', transit_encryption: 'ENABLED', authorization_config: { access_point_id: 'fsap-1', iam: 'ENABLED' } },
      },
      { name: 'scratch', efs_volume_configuration: { file_system_id: 'fs-2', transit_encryption: 'ENABLED' } },
    ]);
    expect(containerOf(json).mountPoints).toEqual([
      { sourceVolume: 'models', containerPath: '/models', readOnly: true },
      { sourceVolume: 'scratch', containerPath: '/scratch', readOnly: false },
    ]);
  });
});

describe('EcsService IAM', () => {
  it('gives the execution role the managed ECS policy and no other policy without secrets', () => {
    const { text, json } = build();
    const roles = allOf(json, 'aws_iam_role');
    expect(roles.map((r) => r.name).sort()).toEqual(['shop-api-execution', 'shop-api-task']);
    for (const role of roles) {
      expect(statementsOf(role, 'assume_role_policy')).toEqual([{ Effect: 'Allow', Principal: { Service: 'ecs-tasks.amazonaws.com' }, Action: 'sts:AssumeRole' }]);
    }
    expect(text).toHaveResourceWithProperties(IamRolePolicyAttachment, {
      policy_arn: 'arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy',
      role: expect.stringMatching(/^\$\{aws_iam_role\.svc_execution-role_\w+\.name\}$/),
    });
    // Neither a secrets policy on the execution role nor an application policy on the task role.
    expect(countOf(json, 'aws_iam_role_policy')).toBe(0);
  });

  it('lets the execution role read exactly the injected secrets', () => {
    const { json } = build({
      secrets: {
        DB_USER: `${SECRET}:username::`,
        DB_PASSWORD: `${SECRET}:password::`,
        TOKEN: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:shop/token-XyZ123',
        API_KEY: PARAM,
      },
    });
    const policy = onlyOf(json, 'aws_iam_role_policy');
    expect(policy.name).toBe('read-secrets');
    expect(policy.role).toMatch(/^\$\{aws_iam_role\.svc_execution-role_\w+\.id\}$/);
    expect(statementsOf(policy)).toEqual([
      { Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: [SECRET, 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:shop/token-XyZ123'] },
      { Effect: 'Allow', Action: 'ssm:GetParameters', Resource: [PARAM] },
    ]);
  });

  it('grants reading a Secrets Manager secret created in the same stack (an ARN known only at plan time)', () => {
    const { json } = synthConstructs((stack) => {
      const cluster = new EcsCluster(stack, 'cluster', { clusterName: 'c' });
      const secret = new SecretsmanagerSecret(stack, 'db', { name: 'shop/db' });
      new EcsService(stack, 'svc', { ...BASE, cluster, secrets: { DB: secret.arn } });
    });
    const [statement, ...rest] = statementsOf(onlyOf(json, 'aws_iam_role_policy'));
    expect(rest).toEqual([]);
    expect(statement).toEqual({ Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: [expect.stringContaining('aws_secretsmanager_secret.db')] });
  });

  it('grants only SSM when every secret is a parameter', () => {
    const policy = onlyOf(build({ secrets: { A: PARAM, B: PARAM } }).json, 'aws_iam_role_policy');
    expect(statementsOf(policy)).toEqual([{ Effect: 'Allow', Action: 'ssm:GetParameters', Resource: [PARAM] }]);
  });

  it('collects task role statements from props and addToPolicy into one application policy', () => {
    const read = { Effect: 'Allow' as const, Action: 's3:GetObject', Resource: 'arn:aws:s3:::bucket/*' };
    const send = { Effect: 'Allow' as const, Action: ['sqs:SendMessage'], Resource: 'arn:aws:sqs:eu-west-1:123456789012:q' };
    const { json } = build({ taskRoleStatements: [read] }, (svc) => svc.addToPolicy(send));
    const policy = onlyOf(json, 'aws_iam_role_policy');
    expect(policy.name).toBe('application');
    expect(policy.role).toMatch(/^\$\{aws_iam_role\.svc_task-role_\w+\.id\}$/);
    expect(statementsOf(policy)).toEqual([read, send]);
  });

  it('creates the task role policy on the first addToPolicy call', () => {
    const statement = { Effect: 'Allow' as const, Action: 'dynamodb:GetItem', Resource: 'arn:aws:dynamodb:eu-west-1:123456789012:table/t' };
    const policy = onlyOf(build({}, (svc) => svc.addToPolicy(statement)).json, 'aws_iam_role_policy');
    expect(statementsOf(policy)).toEqual([statement]);
  });

  it('adds the SSM messages permissions to the task role for ECS Exec', () => {
    const { text, json } = build({ enableExecuteCommand: true });
    expect(statementsOf(findBy(json, 'aws_iam_role_policy', 'name', 'application'))).toEqual([
      {
        Effect: 'Allow',
        Action: ['ssmmessages:CreateControlChannel', 'ssmmessages:CreateDataChannel', 'ssmmessages:OpenControlChannel', 'ssmmessages:OpenDataChannel'],
        Resource: '*',
      },
    ]);
    expect(text).toHaveResourceWithProperties(EcsServiceResource, { enable_execute_command: true });
  });
});

describe('EcsService security group', () => {
  it('allows all egress and no ingress without sources', () => {
    const { text, json } = build({ containerPort: 8000 });
    expect(text).toHaveResourceWithProperties(SecurityGroup, { name: 'shop-api-sg', vpc_id: 'vpc-123', description: 'ECS service shop-api' });
    expect(text).toHaveResourceWithProperties(VpcSecurityGroupEgressRule, { cidr_ipv4: '0.0.0.0/0', ip_protocol: '-1' });
    expect(countOf(json, 'aws_vpc_security_group_ingress_rule')).toBe(0);
  });

  it('opens only the container port, only to the given security groups and CIDRs', () => {
    const { json } = build({ containerPort: 8000, allowFromSecurityGroupIds: ['sg-alb', 'sg-gateway'], allowFromCidrs: ['10.0.0.0/16'] });
    const rules = allOf(json, 'aws_vpc_security_group_ingress_rule');
    expect(rules).toHaveLength(3);
    for (const r of rules) {
      expect(r).toMatchObject({ ip_protocol: 'tcp', from_port: 8000, to_port: 8000 });
      expect(r.security_group_id).toMatch(/^\$\{aws_security_group\.svc_sg_\w+\.id\}$/);
    }
    const sources = rules.map((r) => ({ sg: r.referenced_security_group_id, cidr: r.cidr_ipv4 }));
    expect(sources).toHaveLength(3);
    expect(sources).toEqual(
      expect.arrayContaining([
        { sg: 'sg-alb', cidr: undefined },
        { sg: 'sg-gateway', cidr: undefined },
        { sg: undefined, cidr: '10.0.0.0/16' },
      ]),
    );
  });

  it('allowFrom adds one rule per source security group', () => {
    const { json } = build({ containerPort: 9000, allowFromSecurityGroupIds: ['sg-alb'] }, (svc) => {
      svc.allowFrom('sg-alb');
      svc.allowFrom('sg-worker', 'From the worker');
      svc.allowFrom('sg-worker');
    });
    const rules = allOf(json, 'aws_vpc_security_group_ingress_rule');
    expect(rules.map((r) => r.referenced_security_group_id)).toEqual(['sg-alb', 'sg-worker']);
    expect(rules[1]).toMatchObject({ description: 'From the worker', from_port: 9000, to_port: 9000 });
  });

  it('allowFrom needs a container port', () => {
    expect(errorOf(() => build({}, (svc) => svc.allowFrom('sg-alb')))).toBe('test/svc: allowFrom: "sg-alb" cannot be opened: the service has no containerPort');
  });
});

describe('EcsService service', () => {
  it('uses the cluster default strategy, a rolling deployment with circuit breaker and waits for the capacity providers', () => {
    const { text, json } = build();
    expect(text).toHaveResourceWithProperties(EcsServiceResource, {
      name: 'shop-api',
      desired_count: 1,
      deployment_minimum_healthy_percent: 100,
      deployment_maximum_percent: 200,
      deployment_circuit_breaker: { enable: true, rollback: true },
      enable_execute_command: false,
      propagate_tags: 'SERVICE',
      enable_ecs_managed_tags: true,
      wait_for_steady_state: false,
      network_configuration: {
        subnets: ['subnet-a', 'subnet-b'],
        security_groups: [expect.stringMatching(/^\$\{aws_security_group\.svc_sg_\w+\.id\}$/)],
        assign_public_ip: false,
      },
    });
    const svc = onlyOf(json, 'aws_ecs_service');
    expect(svc.cluster).toMatch(/^\$\{aws_ecs_cluster\.cluster_this_\w+\.arn\}$/);
    expect(svc.task_definition).toMatch(/^\$\{aws_ecs_task_definition\.svc_task_\w+\.arn\}$/);
    expect(svc.depends_on).toEqual([expect.stringMatching(/^aws_ecs_cluster_capacity_providers\.cluster_capacity-providers_\w+$/)]);
    for (const field of ['capacity_provider_strategy', 'launch_type', 'load_balancer', 'health_check_grace_period_seconds', 'service_registries', 'service_connect_configuration', 'lifecycle']) {
      expect(isAbsent(svc, field)).toBe(true);
    }
  });

  it('passes a capacity provider strategy, deployment settings and public IPs', () => {
    const { json } = build({
      capacityProviderStrategy: [
        { capacityProvider: 'FARGATE', weight: 1, base: 2 },
        { capacityProvider: 'FARGATE_SPOT', weight: 3 },
      ],
      circuitBreaker: false,
      minHealthyPercent: 50,
      maxHealthyPercent: 150,
      desiredCount: 4,
      assignPublicIp: true,
    });
    const svc = onlyOf(json, 'aws_ecs_service');
    expect(svc.capacity_provider_strategy).toEqual([
      { capacity_provider: 'FARGATE', weight: 1, base: 2 },
      { capacity_provider: 'FARGATE_SPOT', weight: 3, base: 0 },
    ]);
    expect(svc.deployment_circuit_breaker).toEqual({ enable: false, rollback: false });
    expect(svc.deployment_minimum_healthy_percent).toBe(50);
    expect(svc.deployment_maximum_percent).toBe(150);
    expect(svc.desired_count).toBe(4);
    expect(svc.network_configuration.assign_public_ip).toBe(true);
  });

  it('registers with a target group and waits 60 s for load balancer health checks by default', () => {
    const { text } = build({ containerPort: 8000, targetGroupArn: TG_ARN });
    expect(text).toHaveResourceWithProperties(EcsServiceResource, {
      load_balancer: [{ target_group_arn: TG_ARN, container_name: 'api', container_port: 8000 }],
      health_check_grace_period_seconds: 60,
    });
    const custom = onlyOf(build({ containerPort: 8000, targetGroupArn: TG_ARN, healthCheckGracePeriodSec: 180 }).json, 'aws_ecs_service');
    expect(custom.health_check_grace_period_seconds).toBe(180);
  });

  it('registers in Cloud Map as A records in the namespace', () => {
    const { text, json } = build({ containerPort: 8000, cloudMap: { namespaceId: 'ns-123', name: 'search' } });
    expect(text).toHaveResourceWithProperties(ServiceDiscoveryService, {
      name: 'search',
      dns_config: { namespace_id: 'ns-123', dns_records: [{ type: 'A', ttl: 10 }], routing_policy: 'MULTIVALUE' },
    });
    expect(onlyOf(json, 'aws_ecs_service').service_registries).toEqual({
      registry_arn: expect.stringMatching(/^\$\{aws_service_discovery_service\.svc_discovery_\w+\.arn\}$/),
    });
    const ttl = onlyOf(build({ containerPort: 8000, cloudMap: { namespaceId: 'ns-123', name: 'search', dnsTtlSec: 30 } }).json, 'aws_service_discovery_service');
    expect(ttl.dns_config.dns_records).toEqual([{ type: 'A', ttl: 30 }]);
  });

  it('configures Service Connect with the container port name and a client alias', () => {
    const arn = 'arn:aws:servicediscovery:eu-west-1:123456789012:namespace/ns-123';
    const defaults = onlyOf(build({ containerPort: 8000, serviceConnect: { namespaceArn: arn } }).json, 'aws_ecs_service');
    expect(defaults.service_connect_configuration).toEqual({
      enabled: true,
      namespace: arn,
      service: [{ port_name: 'api', discovery_name: 'api', client_alias: { dns_name: 'api', port: 8000 } }],
      log_configuration: {
        log_driver: 'awslogs',
        options: { 'awslogs-group': '/ecs/shop', 'awslogs-region': 'eu-west-1', 'awslogs-stream-prefix': 'api-service-connect' },
      },
    });
    expect(countOf(build({ containerPort: 8000, serviceConnect: { namespaceArn: arn } }).json, 'aws_service_discovery_service')).toBe(0);
    const custom = onlyOf(build({ containerPort: 8000, serviceConnect: { namespaceArn: arn, dnsName: 'search', port: 80 } }).json, 'aws_ecs_service');
    expect(custom.service_connect_configuration.service).toEqual([{ port_name: 'api', discovery_name: 'search', client_alias: { dns_name: 'search', port: 80 } }]);
  });

  it('ignores task_definition changes when CI/CD owns the revision', () => {
    const svc = onlyOf(build({ taskDefinitionManagedExternally: true }).json, 'aws_ecs_service');
    expect(svc.lifecycle).toEqual({ ignore_changes: ['task_definition'] });
  });
});

describe('EcsService.autoScaleTaskCount', () => {
  it('ignores desired_count and targets service/<cluster>/<service>', () => {
    const { text, json } = build({ desiredCount: 2 }, (svc) => svc.autoScaleTaskCount({ minCapacity: 2, maxCapacity: 10, cpu: { target: 60 } }));
    expect(onlyOf(json, 'aws_ecs_service').lifecycle).toEqual({ ignore_changes: ['desired_count'] });
    expect(text).toHaveResourceWithProperties(AppautoscalingTarget, {
      service_namespace: 'ecs',
      scalable_dimension: 'ecs:service:DesiredCount',
      min_capacity: 2,
      max_capacity: 10,
      resource_id: expect.stringMatching(/^service\/\$\{aws_ecs_cluster\.cluster_this_\w+\.name\}\/\$\{aws_ecs_service\.svc_this_\w+\.name\}$/),
    });
    // Policies are named after the literal service name, not the service's name attribute.
    expect(onlyOf(json, 'aws_appautoscaling_policy').name).toBe('shop-api-cpu-scaling');
  });

  it('lets the caller choose the policy name prefix', () => {
    const { json } = build({}, (svc) => svc.autoScaleTaskCount({ namePrefix: 'api', minCapacity: 1, maxCapacity: 2, memory: { target: 70 } }));
    expect(onlyOf(json, 'aws_appautoscaling_policy').name).toBe('api-memory-scaling');
  });

  it('keeps ignoring task_definition when it is managed externally', () => {
    const { json } = build({ taskDefinitionManagedExternally: true }, (svc) => svc.autoScaleTaskCount({ minCapacity: 1, maxCapacity: 2 }));
    expect(onlyOf(json, 'aws_ecs_service').lifecycle).toEqual({ ignore_changes: ['task_definition', 'desired_count'] });
  });
});

describe('EcsService validation', () => {
  it('rejects a CPU size Fargate does not have', () => {
    expect(buildError({ cpu: 300 })).toBe('test/svc: cpu: 300 is not a Fargate CPU size; allowed: 256, 512, 1024, 2048, 4096, 8192, 16384');
  });

  it('rejects a memory size not valid for the CPU and lists the valid ones', () => {
    expect(buildError({ cpu: 1024, memoryMiB: 1024 })).toBe(
      'test/svc: memoryMiB: 1024 is not valid with 1024 CPU units on Fargate; allowed: 2048, 3072, 4096, 5120, 6144, 7168, 8192',
    );
    expect(buildError({ cpu: 256, memoryMiB: 4096 })).toBe('test/svc: memoryMiB: 4096 is not valid with 256 CPU units on Fargate; allowed: 512, 1024, 2048');
  });

  it('rejects GPUs on Fargate', () => {
    expect(buildError({ gpuCount: 1 })).toBe('test/svc: gpuCount: 1 needs EC2: Fargate has no GPUs; set compatibility "EC2" with a GPU capacity provider');
  });

  it('rejects a Fargate provider for an EC2 task and an EC2 provider for a Fargate task', () => {
    expect(buildError({ compatibility: 'EC2', capacityProviderStrategy: [{ capacityProvider: 'FARGATE_SPOT', weight: 1 }] })).toBe(
      'test/svc: capacityProviderStrategy: names a Fargate provider for an EC2 task definition; use the EC2 capacity provider',
    );
    expect(buildError({ capacityProviderStrategy: [{ capacityProvider: 'gpu-pool', weight: 1 }] })).toBe(
      'test/svc: capacityProviderStrategy: names an EC2 provider for a Fargate task definition; allowed: "FARGATE", "FARGATE_SPOT"',
    );
  });

  it('rejects "base" on two providers', () => {
    expect(
      buildError({
        capacityProviderStrategy: [
          { capacityProvider: 'FARGATE', weight: 1, base: 1 },
          { capacityProvider: 'FARGATE_SPOT', weight: 1, base: 1 },
        ],
      }),
    ).toBe('test/svc: capacityProviderStrategy: sets "base" on more than one provider; ECS allows one');
  });

  it('rejects a target group or service discovery without a container port', () => {
    expect(buildError({ targetGroupArn: TG_ARN })).toBe('test/svc: targetGroupArn: needs containerPort');
    expect(buildError({ cloudMap: { namespaceId: 'ns-1', name: 'api' } })).toBe('test/svc: cloudMap: needs containerPort');
  });

  it('rejects a malformed CIDR and a secret that is not an ARN', () => {
    expect(buildError({ containerPort: 80, allowFromCidrs: ['10.0.0.0/16', '10.0.0.0/33'] })).toBe('test/svc: allowFromCidrs[1]: "10.0.0.0/33" is not an IPv4 CIDR block');
    expect(buildError({ secrets: { DB_PASSWORD: 'shop/db-password' } })).toBe(
      'test/svc: secrets.DB_PASSWORD: "shop/db-password" is not the ARN of a Secrets Manager secret or SSM parameter',
    );
  });

  it('reports every problem at once', () => {
    expect(buildError({ serviceName: 'shop api', cpu: 512, memoryMiB: 512, containerPort: 70000, desiredCount: -1 })).toBe(
      [
        'test/svc: invalid props:',
        '  serviceName: "shop api" is not an ECS service name; allowed: 1-255 letters, digits, "-" and "_"',
        '  desiredCount: -1 is out of range; allowed: 0 to 10000',
        '  containerPort: 70000 is out of range; allowed: 1 to 65535',
        '  memoryMiB: 512 is not valid with 512 CPU units on Fargate; allowed: 1024, 2048, 3072, 4096',
      ].join('\n'),
    );
  });
});

describe('EcsService secrets known only at plan time', () => {
  function secretsPolicy(json: Synthesized) {
    return statementsOf(filterOf(json, 'aws_iam_role_policy', (p) => p.name === 'read-secrets')[0]);
  }

  it('reads a JSON key of a secret made in the same stack, and an SSM parameter made there', () => {
    const { json } = synthConstructs((stack) => {
      const cluster = new EcsCluster(stack, 'cluster', { clusterName: 'c' });
      const secret = new SecretsmanagerSecret(stack, 'secret', { name: 'db' });
      const param = new SsmParameter(stack, 'param', { name: '/shop/key', type: 'SecureString', value: 'x' });
      new EcsService(stack, 'svc', {
        ...BASE,
        cluster,
        secrets: { DB_PASSWORD: { secretArn: secret.arn, jsonKey: 'password' }, API_KEY: { parameterArn: param.arn }, WHOLE: secret.arn },
      });
    });
    const c = containerOf(json);
    expect(c.secrets).toEqual([
      { name: 'API_KEY', valueFrom: expect.stringMatching(/^\$\{aws_ssm_parameter\.param\.arn\}$/) },
      { name: 'DB_PASSWORD', valueFrom: expect.stringMatching(/^\$\{aws_secretsmanager_secret\.secret\.arn\}:password::$/) },
      { name: 'WHOLE', valueFrom: expect.stringMatching(/^\$\{aws_secretsmanager_secret\.secret\.arn\}$/) },
    ]);
    // (Two references to one plan-time ARN cannot be told apart at synth: the list may repeat it.)
    const [sm, ssm] = secretsPolicy(json);
    expect({ ...sm, Resource: [...new Set(sm.Resource)] }).toEqual({ Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: ['${aws_secretsmanager_secret.secret.arn}'] });
    expect(ssm).toEqual({ Effect: 'Allow', Action: 'ssm:GetParameters', Resource: ['${aws_ssm_parameter.param.arn}'] });
  });

  it('rejects an object form whose ARN is of the other service', () => {
    expect(buildError({ secrets: { X: { parameterArn: SECRET } } })).toBe(`test/svc: secrets.X: "${SECRET}" is not the ARN of a SSM parameter`);
  });
});

describe('EcsService ECS Exec', () => {
  it('makes the root filesystem writable by default when ECS Exec is on', () => {
    expect(containerOf(build({ enableExecuteCommand: true }).json).readonlyRootFilesystem).toBe(false);
    expect(containerOf(build({}).json).readonlyRootFilesystem).toBe(true);
  });

  it('rejects ECS Exec with an explicitly read-only root filesystem', () => {
    expect(buildError({ enableExecuteCommand: true, readonlyRootFilesystem: true })).toBe(
      'test/svc: readonlyRootFilesystem: true breaks ECS Exec (its agent writes to the root filesystem); set it false or turn enableExecuteCommand off',
    );
  });

  it('rejects opening a port-less service to CIDRs instead of silently dropping the rule', () => {
    expect(buildError({ allowFromCidrs: ['10.0.0.0/16'] })).toBe('test/svc: allowFrom: opening the container port needs containerPort');
  });
});

describe('EcsService launch type and dependencies', () => {
  it('uses a launch type instead of a strategy when asked', () => {
    const svc = onlyOf(build({ compatibility: 'EC2', launchType: 'EC2' }).json, 'aws_ecs_service');
    expect(svc.launch_type).toBe('EC2');
    expect(isAbsent(svc, 'capacity_provider_strategy')).toBe(true);
  });

  it('rejects an EC2 service that would fall back to the Fargate cluster default', () => {
    expect(buildError({ compatibility: 'EC2' })).toBe(
      'test/svc: capacityProviderStrategy: is required for an EC2 task definition (the cluster default is Fargate); name the EC2 capacity provider, or set launchType "EC2"',
    );
    expect(buildError({ launchType: 'FARGATE', capacityProviderStrategy: [{ capacityProvider: 'FARGATE', weight: 1 }] })).toBe(
      'test/svc: launchType: and capacityProviderStrategy exclude each other; give one',
    );
  });

  it('waits for the given resources besides the capacity provider association', () => {
    const { json } = synthConstructs((stack) => {
      const cluster = new EcsCluster(stack, 'cluster', { clusterName: 'c' });
      const listenerLike = new EcsCluster(stack, 'other', { clusterName: 'o' }).cluster;
      new EcsService(stack, 'svc', { ...BASE, cluster, dependsOn: [listenerLike] });
    });
    expect(onlyOf(json, 'aws_ecs_service').depends_on).toEqual([
      expect.stringMatching(/^aws_ecs_cluster_capacity_providers\.cluster_capacity-providers_\w+$/),
      expect.stringMatching(/^aws_ecs_cluster\.other_this_\w+$/),
    ]);
  });
});
