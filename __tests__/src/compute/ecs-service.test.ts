import { EcsService as EcsServiceResource } from '@cdktf/provider-aws/lib/ecs-service';
import { EcsTaskDefinition } from '@cdktf/provider-aws/lib/ecs-task-definition';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { ServiceDiscoveryService } from '@cdktf/provider-aws/lib/service-discovery-service';
import { AppautoscalingTarget } from '@cdktf/provider-aws/lib/appautoscaling-target';
import { SecretsmanagerSecret } from '@cdktf/provider-aws/lib/secretsmanager-secret';
import { SsmParameter } from '@cdktf/provider-aws/lib/ssm-parameter';
import { ApplicationLoadBalancer } from '../../../src/edge/alb';
import { AwsStack } from '../../../src/core/aws-stack';
import { EcsCluster } from '../../../src/compute/ecs-cluster';
import { Containers, EcsService, EcsServiceProps, HealthChecks, TaskDefinition } from '../../../src/compute/ecs-service';
import { LogGroup } from '../../../src/observability/logs';
import { SharedFileSystem } from '../../../src/data/efs';
import { Vpc, VpcProps } from '../../../src/network/vpc';
import { allOf, countOf, errorOf, findBy, isAbsent, onlyOf, parseField, resourcesOf, statementsOf, synthConstructs, Synthesized } from '../../helpers/synth';

const SECRET = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:shop/db-AbCdEf';
const PARAM = 'arn:aws:ssm:eu-west-1:123456789012:parameter/shop/api-key';
const ECR_IMAGE = '123456789012.dkr.ecr.eu-west-1.amazonaws.com/api:1.0';

type Props = Omit<EcsServiceProps, 'cluster' | 'vpc' | 'logGroup'>;
const BASE: Props = { serviceName: 'shop-api', image: ECR_IMAGE };

interface Fixture {
  readonly stack: AwsStack;
  readonly vpc: Vpc;
  readonly cluster: EcsCluster;
  readonly logs: LogGroup;
}

/** A VPC (pinned zones, one NAT), a cluster with a namespace and a log group; `build` adds a service `svc` from BASE plus `props`. */
function fixture(stack: AwsStack, vpcProps: Partial<VpcProps> = {}): Fixture {
  const vpc = new Vpc(stack, 'vpc', { flowLogs: false, namePrefix: 'shop', availabilityZones: ['eu-west-1a', 'eu-west-1b'], natGateways: 'single', ...vpcProps });
  const cluster = new EcsCluster(stack, 'cluster', { clusterName: 'c', privateNamespace: { name: 'shop.local', vpc } });
  const logs = new LogGroup(stack, 'logs', { name: '/ecs/shop' });
  return { stack, vpc, cluster, logs };
}

function build(props: Partial<Props> = {}, after?: (svc: EcsService, f: Fixture) => void, vpcProps?: Partial<VpcProps>): { text: string; json: Synthesized } {
  return synthConstructs((stack) => {
    const f = fixture(stack, vpcProps);
    const svc = new EcsService(stack, 'svc', { ...BASE, ...props, cluster: f.cluster, vpc: f.vpc, logGroup: f.logs });
    after?.(svc, f);
  });
}

function containers(json: Synthesized): Record<string, any>[] {
  return parseField<Record<string, any>[]>(onlyOf(json, 'aws_ecs_task_definition'), 'container_definitions');
}

function containerOf(json: Synthesized): Record<string, any> {
  const defs = containers(json);
  expect(defs).toHaveLength(1);
  return defs[0];
}

const buildError = (props: Partial<Props>, vpcProps?: Partial<VpcProps>) => errorOf(() => build(props, undefined, vpcProps));
const address = (json: Synthesized, type: string, match: (r: Record<string, any>) => boolean) => `${type}.${resourcesOf(json, type).find(([, r]) => match(r))![0]}`;

describe('EcsService container definition', () => {
  it('renders the image, port, sorted environment and secrets, awslogs by reference and the hardening defaults', () => {
    const { json } = build({
      containerPort: 8000,
      environment: { ZETA: 'z', ALPHA: 'a', MIDDLE: 'm' },
      secrets: { DB_PASSWORD: `${SECRET}:password::`, API_KEY: PARAM },
      command: ['uvicorn', 'app:main'],
    });
    const c = containerOf(json);
    // The whole service name by default: two services never share a container (and Service Connect) name.
    expect(c.name).toBe('shop-api');
    expect(c.image).toBe(ECR_IMAGE);
    expect(c.essential).toBe(true);
    expect(c.command).toEqual(['uvicorn', 'app:main']);
    expect(c.portMappings).toEqual([{ name: 'shop-api', containerPort: 8000, hostPort: 8000, protocol: 'tcp', appProtocol: 'http' }]);
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
      options: { 'awslogs-group': expect.stringMatching(/^\$\{aws_cloudwatch_log_group\.logs_this_\w+\.name\}$/), 'awslogs-region': 'eu-west-1', 'awslogs-stream-prefix': 'shop-api' },
    });
    expect(c.readonlyRootFilesystem).toBe(true);
    expect(c.privileged).toBe(false);
    expect(c.mountPoints).toEqual([]);
    expect(c.healthCheck).toBeUndefined();
    expect(c.resourceRequirements).toBeUndefined();
  });

  it('keeps quotes, backslashes and template markers in values intact (the document is Terraform jsonencode, valid in HCL too)', () => {
    const raw = onlyOf(build({ environment: { Q: 'a "b" \\ %{x} ${y}' } }).json, 'aws_ecs_task_definition').container_definitions;
    expect(raw).toMatch(/^\$\{jsonencode\(\[/);
    expect(containerOf(build({ environment: { Q: 'a "b" \\ %{x} ${y}' } }).json).environment).toEqual([{ name: 'Q', value: 'a "b" \\ %{x} ${y}' }]);
  });

  it('builds health checks from what the image has: Python (python:*-slim has no curl), curl or wget', () => {
    expect(HealthChecks.http(8000)).toEqual(['CMD-SHELL', `python3 -c "import urllib.request; urllib.request.urlopen('http://localhost:8000/health', timeout=4)" || exit 1`]);
    expect(HealthChecks.http(80, '/ready', 'curl')).toEqual(['CMD-SHELL', 'curl -fsS -o /dev/null http://localhost:80/ready || exit 1']);
    expect(HealthChecks.http(80, '/', 'wget')).toEqual(['CMD-SHELL', 'wget -q -O /dev/null http://localhost:80/ || exit 1']);
    const c = containerOf(build({ healthCheck: { command: HealthChecks.http(8000), startPeriodSec: 300 } }).json);
    expect(c.healthCheck).toEqual({ command: HealthChecks.http(8000), interval: 30, timeout: 5, retries: 3, startPeriod: 300 });
  });

  it('honours containerName, logStreamPrefix and a writable root filesystem', () => {
    const c = containerOf(build({ containerName: 'web', logStreamPrefix: 'shop', readonlyRootFilesystem: false, containerPort: 80 }).json);
    expect(c.name).toBe('web');
    expect(c.portMappings[0].name).toBe('web');
    expect(c.logConfiguration.options['awslogs-stream-prefix']).toBe('shop');
    expect(c.readonlyRootFilesystem).toBe(false);
  });
});

describe('TaskDefinition with several containers', () => {
  it('runs an X-Ray daemon sidecar with its own logs, UDP 2000 and the task-role permissions it needs', () => {
    const { json } = synthConstructs((stack) => {
      const f = fixture(stack);
      const xray = Containers.xrayDaemon({ logGroup: f.logs });
      new EcsService(stack, 'svc', {
        ...BASE,
        cluster: f.cluster,
        vpc: f.vpc,
        logGroup: f.logs,
        cpu: 512,
        memoryMiB: 1024,
        environment: xray.applicationEnvironment,
        sidecars: [xray.container],
        taskRoleManagedPolicies: xray.taskRoleManagedPolicies,
      });
    });
    const [app, daemon] = containers(json);
    expect(app.environment).toEqual([{ name: 'AWS_XRAY_DAEMON_ADDRESS', value: '127.0.0.1:2000' }]);
    expect(daemon).toMatchObject({
      name: 'xray-daemon',
      // A release, never `latest`: a restarted task must not pick up a daemon nobody reviewed.
      image: 'public.ecr.aws/xray/aws-xray-daemon:3.3.15',
      essential: false,
      cpu: 32,
      memoryReservation: 256,
      portMappings: [{ name: 'xray', containerPort: 2000, hostPort: 2000, protocol: 'udp' }],
      logConfiguration: { logDriver: 'awslogs', options: { 'awslogs-stream-prefix': 'xray' } },
    });
    const taskRole = findBy(json, 'aws_iam_role', 'name_prefix', 'shop-api-task-');
    const taskRoleName = `\${${address(json, 'aws_iam_role', (r) => r === taskRole)}.name}`;
    expect(allOf(json, 'aws_iam_role_policy_attachment')).toContainEqual({ role: taskRoleName, policy_arn: 'arn:aws:iam::aws:policy/AWSXRayDaemonWriteAccess' });
  });

  it('runs the CloudWatch agent sidecar with its configuration and policy', () => {
    const preset = Containers.cloudWatchAgent({ logGroup: {} as LogGroup });
    expect(preset.container.environment?.CW_CONFIG_CONTENT && JSON.parse(preset.container.environment.CW_CONFIG_CONTENT)).toEqual({
      logs: { metrics_collected: { emf: {} } },
      metrics: { metrics_collected: { statsd: { service_address: ':8125' } } },
    });
    expect(preset.taskRoleManagedPolicies).toEqual(['arn:aws:iam::aws:policy/CloudWatchAgentServerPolicy']);
    expect(preset.container.image).toBe('public.ecr.aws/cloudwatch-agent/cloudwatch-agent:1.300045.0b810');
  });

  function task(build: (t: TaskDefinition, f: Fixture) => void, props: Partial<ConstructorParameters<typeof TaskDefinition>[2]> = {}) {
    return synthConstructs((stack) => {
      const f = fixture(stack);
      const t = new TaskDefinition(stack, 'task', { family: 'worker', cpu: 512, memoryMiB: 1024, ...props });
      build(t, f);
    });
  }

  it('orders containers with dependsOn and keeps each container its log stream', () => {
    const { json } = task((t, f) => {
      t.addContainer({ name: 'migrate', image: ECR_IMAGE, essential: false, logGroup: f.logs });
      t.addContainer({ name: 'app', image: ECR_IMAGE, logGroup: f.logs, dependsOn: [{ containerName: 'migrate', condition: 'SUCCESS' }] });
    });
    const defs = containers(json);
    expect(defs.map((c) => [c.name, c.essential, c.logConfiguration.options['awslogs-stream-prefix']])).toEqual([
      ['migrate', false, 'migrate'],
      ['app', true, 'app'],
    ]);
    expect(defs[1].dependsOn).toEqual([{ containerName: 'migrate', condition: 'SUCCESS' }]);
  });

  it('checks the task size against the sum of its containers, and the start order against its containers', () => {
    expect(errorOf(() => task((t, f) => {
      t.addContainer({ name: 'app', image: ECR_IMAGE, cpu: 384, memoryReservationMiB: 768, logGroup: f.logs });
      t.addContainer({ name: 'sidecar', image: ECR_IMAGE, essential: false, cpu: 256, memoryReservationMiB: 512, logGroup: f.logs, dependsOn: [{ containerName: 'ap', condition: 'START' }] });
    }))).toBe(
      [
        'invalid app:',
        '  test/task: containers.sidecar.dependsOn: "ap" is not a container of the task; containers: app, sidecar',
        '  test/task: cpu: 512 is less than the 640 CPU units the containers reserve (app 384, sidecar 256)',
        '  test/task: memoryMiB: 1024 is less than the 1280 MiB the containers reserve',
      ].join('\n'),
    );
    expect(errorOf(() => task((t, f) => t.addContainer({ name: 'side', image: ECR_IMAGE, essential: false, logGroup: f.logs })))).toBe(
      'test/task: containers: has no essential container; at least one must be essential',
    );
    expect(errorOf(() => task(() => undefined))).toBe('test/task: containers: is empty; a task needs at least one container');
  });

  it('rejects two containers with one name, one port or a memory reservation above the hard limit', () => {
    expect(errorOf(() => task((t, f) => {
      t.addContainer({ name: 'app', image: ECR_IMAGE, logGroup: f.logs });
      t.addContainer({ name: 'app', image: ECR_IMAGE, logGroup: f.logs });
    }))).toBe('test/task: containers.app: is already a container of worker; names must be unique in a task');
    expect(errorOf(() => task((t, f) => {
      t.addContainer({ name: 'a', image: ECR_IMAGE, logGroup: f.logs, portMappings: [{ containerPort: 8080 }] });
      t.addContainer({ name: 'b', image: ECR_IMAGE, logGroup: f.logs, portMappings: [{ containerPort: 8080 }] });
    }))).toBe('test/task: containers: port 8080/tcp is used by two containers; containers of an awsvpc task share one network namespace');
    expect(errorOf(() => task((t, f) => t.addContainer({ name: 'a', image: ECR_IMAGE, logGroup: f.logs, memoryMiB: 256, memoryReservationMiB: 512 })))).toBe(
      'test/task: containers.a.memoryReservationMiB: 512 is above memoryMiB 256; the soft limit must not exceed the hard one',
    );
  });

  it('lets the execution role read registry credentials of a private image', () => {
    const { json } = task((t, f) => {
      t.addContainer({
        name: 'app',
        image: 'ghcr.io/acme/app:1',
        logGroup: f.logs,
        repositoryCredentials: { secretArn: SECRET, grantRead: (g) => g.addToPolicy({ Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: SECRET }) },
      });
    });
    expect(containerOf(json).repositoryCredentials).toEqual({ credentialsParameter: SECRET });
    const execution = findBy(json, 'aws_iam_role_policy', 'name', 'worker-execution-permissions');
    expect(statementsOf(execution)).toEqual([{ Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: SECRET }]);
  });
});

describe('EcsService task definition', () => {
  it('is a Fargate awsvpc task of 256 CPU / 512 MiB on Linux x86_64 by default, with roles named by prefix', () => {
    const { text, json } = build();
    expect(text).toHaveResourceWithProperties(EcsTaskDefinition, {
      family: 'shop-api',
      network_mode: 'awsvpc',
      requires_compatibilities: ['FARGATE'],
      cpu: '256',
      memory: '512',
      runtime_platform: { operating_system_family: 'LINUX', cpu_architecture: 'X86_64' },
    });
    const t = onlyOf(json, 'aws_ecs_task_definition');
    expect(t.execution_role_arn).toMatch(/^\$\{aws_iam_role\.svc_task-definition_roles_execution_role_\w+\.arn\}$/);
    expect(t.task_role_arn).toMatch(/^\$\{aws_iam_role\.svc_task-definition_roles_task_role_\w+\.arn\}$/);
    expect(t.volume).toBeUndefined();
  });

  it('on EC2 has no runtime platform and allows non-Fargate sizes and GPUs', () => {
    const { json } = synthConstructs((stack) => {
      const f = fixture(stack);
      const gpu = f.cluster.addAsgCapacityProvider('gpu', { name: 'c-gpu', vpc: f.vpc, instanceTypes: ['g4dn.xlarge'], gpu: true, amiId: 'ami-0123456789abcdef0', maxSize: 2 });
      new EcsService(stack, 'svc', { ...BASE, cluster: f.cluster, vpc: f.vpc, logGroup: f.logs, compatibility: 'EC2', capacityProviderStrategy: [{ capacityProvider: gpu.capacityProviderName, weight: 1 }], cpu: 3000, memoryMiB: 7000, gpuCount: 1 });
    });
    const t = onlyOf(json, 'aws_ecs_task_definition');
    expect([t.requires_compatibilities, t.cpu, t.memory]).toEqual([['EC2'], '3000', '7000']);
    expect(isAbsent(t, 'runtime_platform')).toBe(true);
    expect(containerOf(json).resourceRequirements).toEqual([{ type: 'GPU', value: '1' }]);
    // The EC2 provider by reference: Terraform creates it before the service.
    expect(onlyOf(json, 'aws_ecs_service').capacity_provider_strategy).toEqual([{ capacity_provider: expect.stringMatching(/^\$\{aws_ecs_capacity_provider\.cluster_gpu_this_\w+\.name\}$/), weight: 1, base: 0 }]);
  });

  it('mounts EFS read-only through the access point with IAM, opens NFS to the service and waits for the mount targets', () => {
    const { json } = synthConstructs((stack) => {
      const f = fixture(stack);
      const fs = new SharedFileSystem(stack, 'efs', { name: 'index', vpc: f.vpc, accessPoint: { path: '/index' } });
      new EcsService(stack, 'svc', { ...BASE, cluster: f.cluster, vpc: f.vpc, logGroup: f.logs, efsVolumes: [{ name: 'index', fileSystem: fs, containerPath: '/data/index', readOnly: true }] });
    });
    expect(onlyOf(json, 'aws_ecs_task_definition').volume).toEqual([
      {
        name: 'index',
        efs_volume_configuration: {
          file_system_id: expect.stringMatching(/aws_efs_file_system\./),
          transit_encryption: 'ENABLED',
          authorization_config: { access_point_id: expect.stringMatching(/aws_efs_access_point\./), iam: 'ENABLED' },
        },
      },
    ]);
    expect(containerOf(json).mountPoints).toEqual([{ sourceVolume: 'index', containerPath: '/data/index', readOnly: true }]);
    const task = findBy(json, 'aws_iam_role_policy', 'name', 'shop-api-task-permissions');
    expect(statementsOf(task)).toEqual([{ Effect: 'Allow', Action: ['elasticfilesystem:ClientMount'], Resource: expect.stringMatching(/aws_efs_file_system\..*\.arn/), Condition: { StringEquals: { 'elasticfilesystem:AccessPointArn': expect.stringMatching(/aws_efs_access_point\..*\.arn/) } } }]);
    const nfs = findBy(json, 'aws_vpc_security_group_ingress_rule', 'from_port', 2049);
    expect(nfs.referenced_security_group_id).toMatch(/aws_security_group\.svc_sg_this_\w+\.id/);
    const dependsOn = onlyOf(json, 'aws_ecs_service').depends_on as string[];
    expect(dependsOn.filter((d) => d.startsWith('aws_efs_mount_target.'))).toHaveLength(2);
    expect(dependsOn.filter((d) => d.startsWith('aws_efs_access_point.'))).toHaveLength(1);
    expect(dependsOn).toContain(address(json, 'aws_vpc_security_group_ingress_rule', (r) => r === nfs));
  });
});

describe('EcsService IAM', () => {
  it('gives the execution role the managed ECS policy, and the task role nothing it was not granted', () => {
    const { json } = build();
    const roles = allOf(json, 'aws_iam_role');
    expect(roles.map((r) => r.name_prefix).sort()).toEqual(['shop-api-execution-', 'shop-api-task-']);
    for (const role of roles) {
      expect(statementsOf(role, 'assume_role_policy')).toEqual([{ Effect: 'Allow', Principal: { Service: 'ecs-tasks.amazonaws.com' }, Action: 'sts:AssumeRole' }]);
    }
    expect(allOf(json, 'aws_iam_role_policy_attachment').map((a) => a.policy_arn)).toEqual(['arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy']);
    expect(countOf(json, 'aws_iam_role_policy')).toBe(0);
  });

  it('lets the execution role read exactly the injected secrets', () => {
    const { json } = build({
      secrets: { DB_USER: `${SECRET}:username::`, DB_PASSWORD: `${SECRET}:password::`, TOKEN: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:shop/token-XyZ123', API_KEY: PARAM },
    });
    const policy = onlyOf(json, 'aws_iam_role_policy');
    expect(policy.name).toBe('shop-api-execution-permissions');
    expect(statementsOf(policy)).toEqual([
      { Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: SECRET },
      { Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:shop/token-XyZ123' },
      { Effect: 'Allow', Action: 'ssm:GetParameters', Resource: PARAM },
    ]);
  });

  it('reads plan-time secrets: a JSON key of a secret, an SSM parameter and a whole secret of the same stack', () => {
    const { json } = synthConstructs((stack) => {
      const f = fixture(stack);
      const secret = new SecretsmanagerSecret(stack, 'secret', { name: 'db' });
      const param = new SsmParameter(stack, 'param', { name: '/shop/key', type: 'SecureString', value: 'x' });
      new EcsService(stack, 'svc', { ...BASE, cluster: f.cluster, vpc: f.vpc, logGroup: f.logs, secrets: { DB_PASSWORD: { secretArn: secret.arn, jsonKey: 'password' }, API_KEY: { parameterArn: param.arn }, WHOLE: secret.arn } });
    });
    expect(containerOf(json).secrets).toEqual([
      { name: 'API_KEY', valueFrom: '${aws_ssm_parameter.param.arn}' },
      { name: 'DB_PASSWORD', valueFrom: '${aws_secretsmanager_secret.secret.arn}:password::' },
      { name: 'WHOLE', valueFrom: '${aws_secretsmanager_secret.secret.arn}' },
    ]);
    expect(statementsOf(onlyOf(json, 'aws_iam_role_policy'))).toEqual(
      expect.arrayContaining([
        { Effect: 'Allow', Action: 'ssm:GetParameters', Resource: '${aws_ssm_parameter.param.arn}' },
        { Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: '${aws_secretsmanager_secret.secret.arn}' },
      ]),
    );
  });

  it('collects task role statements from props and addToPolicy into one policy on the task role', () => {
    const read = { Effect: 'Allow' as const, Action: 's3:GetObject', Resource: 'arn:aws:s3:::bucket/*' };
    const send = { Effect: 'Allow' as const, Action: ['sqs:SendMessage'], Resource: 'arn:aws:sqs:eu-west-1:123456789012:q' };
    const { json } = build({ taskRoleStatements: [read] }, (svc) => {
      svc.addToPolicy(send);
      svc.addToPolicy(send);
    });
    const policy = onlyOf(json, 'aws_iam_role_policy');
    expect(policy.name).toBe('shop-api-task-permissions');
    expect(policy.role).toMatch(/^\$\{aws_iam_role\.svc_task-definition_roles_task_role_\w+\.id\}$/);
    expect(statementsOf(policy)).toEqual([read, send]);
  });

  it('adds the SSM messages permissions and an init process for ECS Exec, with a writable root', () => {
    const { text, json } = build({ enableExecuteCommand: true });
    expect(statementsOf(onlyOf(json, 'aws_iam_role_policy'))).toEqual([
      { Effect: 'Allow', Action: ['ssmmessages:CreateControlChannel', 'ssmmessages:CreateDataChannel', 'ssmmessages:OpenControlChannel', 'ssmmessages:OpenDataChannel'], Resource: '*' },
    ]);
    expect(text).toHaveResourceWithProperties(EcsServiceResource, { enable_execute_command: true });
    expect(containerOf(json)).toMatchObject({ readonlyRootFilesystem: false, linuxParameters: { initProcessEnabled: true } });
    expect(buildError({ enableExecuteCommand: true, readonlyRootFilesystem: true })).toBe(
      'test/svc: readonlyRootFilesystem: true breaks ECS Exec (its agent writes to the root filesystem); set it false or turn enableExecuteCommand off',
    );
  });
});

describe('EcsService security group', () => {
  it('is replaceable (name_prefix, create_before_destroy), allows all egress and no ingress without sources', () => {
    const { text, json } = build({ containerPort: 8000 });
    expect(text).toHaveResourceWithProperties(SecurityGroup, { name_prefix: 'shop-api-sg-', vpc_id: expect.stringMatching(/aws_vpc/), description: 'ECS service shop-api', lifecycle: { create_before_destroy: true } });
    expect(findBy(json, 'aws_vpc_security_group_egress_rule', 'description', 'All outbound')).toMatchObject({ cidr_ipv4: '0.0.0.0/0', ip_protocol: '-1' });
    expect(countOf(json, 'aws_vpc_security_group_ingress_rule')).toBe(0);
  });

  it('opens only the container port, once per source', () => {
    const { json } = build({ containerPort: 8000, allowFromSecurityGroupIds: ['sg-alb', 'sg-gateway'], allowFromCidrs: ['10.0.0.0/16'] }, (svc) => {
      svc.allowFrom('sg-alb');
      svc.allowFrom('sg-worker', 'From the worker');
    });
    const rules = allOf(json, 'aws_vpc_security_group_ingress_rule');
    expect(rules).toHaveLength(4);
    for (const r of rules) expect(r).toMatchObject({ ip_protocol: 'tcp', from_port: 8000, to_port: 8000 });
    expect(rules.map((r) => r.referenced_security_group_id ?? r.cidr_ipv4).sort()).toEqual(['10.0.0.0/16', 'sg-alb', 'sg-gateway', 'sg-worker']);
    expect(errorOf(() => build({}, (svc) => svc.allowFrom('sg-alb')))).toBe('test/svc: allowFrom: "sg-alb" cannot be opened: the service has no containerPort');
  });
});

describe('EcsService service', () => {
  it('writes the cluster default strategy explicitly, deploys in place on strategy changes, and waits for everything its first task needs', () => {
    let service!: EcsService;
    const { text, json } = build({ containerPort: 8000 }, (svc) => {
      svc.allowFrom('sg-alb');
      service = svc;
    });
    expect(service.resource).toBeInstanceOf(EcsServiceResource);
    expect(text).toHaveResourceWithProperties(EcsServiceResource, {
      name: 'shop-api',
      desired_count: 1,
      capacity_provider_strategy: [{ capacity_provider: 'FARGATE', weight: 100, base: 1 }],
      force_new_deployment: true,
      deployment_minimum_healthy_percent: 100,
      deployment_maximum_percent: 200,
      deployment_circuit_breaker: { enable: true, rollback: true },
      propagate_tags: 'SERVICE',
      wait_for_steady_state: false,
      network_configuration: { subnets: [expect.stringMatching(/aws_subnet\.vpc_private-1/), expect.stringMatching(/aws_subnet\.vpc_private-2/)], security_groups: [expect.stringMatching(/aws_security_group\.svc_sg_this/)], assign_public_ip: false },
    });
    const svc = onlyOf(json, 'aws_ecs_service');
    const deps = svc.depends_on as string[];
    const kinds = [...new Set(deps.map((d) => d.split('.')[0]))].sort();
    expect(kinds).toEqual([
      'aws_ecs_cluster_capacity_providers',
      'aws_iam_role_policy_attachment',
      'aws_route',
      'aws_route_table_association',
      'aws_vpc_endpoint',
      'aws_vpc_security_group_egress_rule',
      'aws_vpc_security_group_ingress_rule',
    ].filter((k) => k !== 'aws_vpc_endpoint' || deps.some((d) => d.startsWith('aws_vpc_endpoint'))));
    // A role policy granted after the service was built is waited for too.
    const late = build({}, (s) => s.addToPolicy({ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' })).json;
    expect(onlyOf(late, 'aws_ecs_service').depends_on).toContain(address(late, 'aws_iam_role_policy', () => true));
    for (const field of ['launch_type', 'load_balancer', 'health_check_grace_period_seconds', 'service_registries', 'service_connect_configuration', 'lifecycle']) {
      expect(isAbsent(svc, field)).toBe(true);
    }
  });

  it('passes a strategy, deployment settings, and public IPs in the public subnets', () => {
    const svc = onlyOf(
      build({
        capacityProviderStrategy: [
          { capacityProvider: 'FARGATE', weight: 1, base: 2 },
          { capacityProvider: 'FARGATE_SPOT', weight: 3 },
        ],
        circuitBreaker: false,
        minHealthyPercent: 50,
        maxHealthyPercent: 150,
        desiredCount: 4,
        assignPublicIp: true,
      }).json,
      'aws_ecs_service',
    );
    expect(svc.capacity_provider_strategy).toEqual([
      { capacity_provider: 'FARGATE', weight: 1, base: 2 },
      { capacity_provider: 'FARGATE_SPOT', weight: 3, base: 0 },
    ]);
    expect([svc.deployment_circuit_breaker, svc.deployment_minimum_healthy_percent, svc.deployment_maximum_percent, svc.desired_count, svc.network_configuration.assign_public_ip]).toEqual([
      { enable: false, rollback: false },
      50,
      150,
      4,
      true,
    ]);
    expect(svc.network_configuration.subnets).toEqual([expect.stringMatching(/aws_subnet\.vpc_public-1/), expect.stringMatching(/aws_subnet\.vpc_public-2/)]);
  });

  it('behind the ALB by default route: target group, listener default, ALB-only ingress, grace period from the health check, and waits for the listener', () => {
    const { json } = synthConstructs((stack) => {
      const f = fixture(stack);
      const alb = new ApplicationLoadBalancer(stack, 'alb', { namePrefix: 'shop', vpc: f.vpc });
      new EcsService(stack, 'svc', { ...BASE, cluster: f.cluster, vpc: f.vpc, logGroup: f.logs, containerPort: 8000, healthCheck: { command: HealthChecks.http(8000), startPeriodSec: 120 }, loadBalancer: { alb, route: 'default', healthCheck: { path: '/ready' } } });
    });
    const tg = onlyOf(json, 'aws_lb_target_group');
    expect(tg).toMatchObject({ port: 8000, target_type: 'ip', health_check: expect.objectContaining({ path: '/ready' }), tags: { Name: 'shop-api' } });
    const svc = onlyOf(json, 'aws_ecs_service');
    expect(svc.load_balancer).toEqual([{ target_group_arn: expect.stringMatching(/aws_lb_target_group\.alb_shop-api_this_\w+\.arn/), container_name: 'shop-api', container_port: 8000 }]);
    expect(svc.health_check_grace_period_seconds).toBe(120);
    expect(svc.depends_on).toContain(address(json, 'aws_lb_listener', () => true));
    const ingress = findBy(json, 'aws_vpc_security_group_ingress_rule', 'from_port', 8000);
    expect(ingress.referenced_security_group_id).toMatch(/aws_security_group\.alb_sg_this_\w+\.id/);
  });

  it('behind a path route: waits for its listener rule, not just the listener', () => {
    const { json } = synthConstructs((stack) => {
      const f = fixture(stack);
      const alb = new ApplicationLoadBalancer(stack, 'alb', { namePrefix: 'shop', vpc: f.vpc });
      new EcsService(stack, 'svc', { ...BASE, cluster: f.cluster, vpc: f.vpc, logGroup: f.logs, containerPort: 8000, loadBalancer: { alb, route: { priority: 10, pathPatterns: ['/api/*'] } } });
    });
    const rule = onlyOf(json, 'aws_lb_listener_rule');
    expect(rule.condition).toEqual([{ path_pattern: { values: ['/api/*'] } }]);
    expect(onlyOf(json, 'aws_ecs_service').depends_on).toContain(address(json, 'aws_lb_listener_rule', () => true));
    expect(onlyOf(json, 'aws_ecs_service').health_check_grace_period_seconds).toBe(60);
  });

  it('registers in the cluster\'s Cloud Map namespace as A records, or SRV records with the container and port (for API Gateway private integrations)', () => {
    let svc!: EcsService;
    const { text, json } = build({ containerPort: 8000, cloudMap: { name: 'search' } }, (s) => (svc = s));
    const namespace = `\${${address(json, 'aws_service_discovery_private_dns_namespace', () => true)}.id}`;
    expect(text).toHaveResourceWithProperties(ServiceDiscoveryService, { name: 'search', dns_config: { namespace_id: namespace, dns_records: [{ type: 'A', ttl: 10 }], routing_policy: 'MULTIVALUE' } });
    expect(onlyOf(json, 'aws_ecs_service').service_registries).toEqual({ registry_arn: expect.stringMatching(/^\$\{aws_service_discovery_service\.svc_discovery_\w+\.arn\}$/) });
    expect(svc.cloudMapRecordType).toBe('A');
    const srv = build({ containerPort: 8000, cloudMap: { name: 'api', recordType: 'SRV', dnsTtlSec: 30 } }).json;
    expect(onlyOf(srv, 'aws_service_discovery_service').dns_config.dns_records).toEqual([{ type: 'SRV', ttl: 30 }]);
    expect(onlyOf(srv, 'aws_ecs_service').service_registries).toEqual({ registry_arn: expect.stringMatching(/aws_service_discovery_service/), container_name: 'shop-api', container_port: 8000 });
  });

  it('configures Service Connect in the cluster\'s namespace under the whole service name, and rejects two services claiming one name', () => {
    const { json } = build({ containerPort: 8000, serviceConnect: {} });
    const svc = onlyOf(json, 'aws_ecs_service');
    expect(svc.service_connect_configuration).toEqual({
      enabled: true,
      namespace: `\${${address(json, 'aws_service_discovery_private_dns_namespace', () => true)}.arn}`,
      service: [{ port_name: 'shop-api', discovery_name: 'shop-api', client_alias: { dns_name: 'shop-api', port: 8000 } }],
      log_configuration: { log_driver: 'awslogs', options: { 'awslogs-group': expect.stringMatching(/aws_cloudwatch_log_group/), 'awslogs-region': 'eu-west-1', 'awslogs-stream-prefix': 'shop-api-service-connect' } },
    });
    const message = errorOf(() =>
      synthConstructs((stack) => {
        const f = fixture(stack);
        for (const name of ['karmacadabra-skill-extractor', 'karmacadabra-voice-extractor']) {
          new EcsService(stack, name, { ...BASE, serviceName: name, cluster: f.cluster, vpc: f.vpc, logGroup: f.logs, containerPort: 8000, serviceConnect: { dnsName: 'extractor' } });
        }
      }),
    );
    expect(message).toBe('Service Connect name "extractor" is claimed by test/karmacadabra-skill-extractor and test/karmacadabra-voice-extractor; each service needs its own discovery name in the namespace');
  });

  it('ignores task_definition changes when CI/CD owns the revision', () => {
    expect(onlyOf(build({ taskDefinitionManagedExternally: true }).json, 'aws_ecs_service').lifecycle).toEqual({ ignore_changes: ['task_definition'] });
  });

  it('offers CPU, memory and task-count metrics, with or without Container Insights', () => {
    let metrics: any[] = [];
    build({}, (svc) => {
      metrics = [svc.metricCpuUtilization(), svc.metricRunningTasks(), svc.metricDesiredTasks()];
    });
    expect(metrics.map((m) => [m.namespace, m.metricName, m.stat])).toEqual([
      ['AWS/ECS', 'CPUUtilization', 'Average'],
      ['ECS/ContainerInsights', 'RunningTaskCount', 'Minimum'],
      ['ECS/ContainerInsights', 'DesiredTaskCount', 'Maximum'],
    ]);
    expect(metrics[0].dimensions).toEqual({ ServiceName: 'shop-api', ClusterName: expect.any(String) });
    let without: any[] = [];
    synthConstructs((stack) => {
      const vpc = new Vpc(stack, 'vpc', { flowLogs: false, namePrefix: 'shop', availabilityZones: ['eu-west-1a', 'eu-west-1b'], natGateways: 'single' });
      const cluster = new EcsCluster(stack, 'cluster', { clusterName: 'c', containerInsights: 'disabled' });
      const svc = new EcsService(stack, 'svc', { ...BASE, cluster, vpc, logGroup: new LogGroup(stack, 'logs', { name: '/ecs/x' }) });
      without = [svc.metricRunningTasks(), svc.metricDesiredTasks()];
    });
    expect([without[0].metricName, without[0].stat, without[1]]).toEqual(['CPUUtilization', 'SampleCount', undefined]);
  });
});

describe('EcsService.autoScaleTaskCount', () => {
  it('ignores desired_count and targets service/<cluster>/<service>', () => {
    const { text, json } = build({ desiredCount: 2 }, (svc) => svc.autoScaleTaskCount({ minCapacity: 2, maxCapacity: 10, cpu: { target: 60 } }));
    expect(onlyOf(json, 'aws_ecs_service').lifecycle).toEqual({ ignore_changes: ['desired_count'] });
    expect(text).toHaveResourceWithProperties(AppautoscalingTarget, {
      min_capacity: 2,
      max_capacity: 10,
      resource_id: expect.stringMatching(/^service\/\$\{aws_ecs_cluster\.cluster_this_\w+\.name\}\/\$\{aws_ecs_service\.svc_this_\w+\.name\}$/),
    });
    expect(onlyOf(json, 'aws_appautoscaling_policy').name).toBe('shop-api-cpu-scaling');
  });

  it('tracks requests per target on its own target group, and only behind a load balancer', () => {
    const { json } = synthConstructs((stack) => {
      const f = fixture(stack);
      const alb = new ApplicationLoadBalancer(stack, 'alb', { namePrefix: 'shop', vpc: f.vpc });
      const svc = new EcsService(stack, 'svc', { ...BASE, cluster: f.cluster, vpc: f.vpc, logGroup: f.logs, containerPort: 8000, loadBalancer: { alb, route: 'default' } });
      svc.autoScaleTaskCount({ minCapacity: 1, maxCapacity: 4, requestsPerTarget: 500 });
    });
    expect(onlyOf(json, 'aws_appautoscaling_policy').target_tracking_scaling_policy_configuration.predefined_metric_specification).toEqual({
      predefined_metric_type: 'ALBRequestCountPerTarget',
      resource_label: expect.stringMatching(/^\$\{aws_lb\.alb_this_\w+\.arn_suffix\}\/\$\{aws_lb_target_group\.alb_shop-api_this_\w+\.arn_suffix\}$/),
    });
    expect(errorOf(() => build({}, (svc) => svc.autoScaleTaskCount({ minCapacity: 1, maxCapacity: 2, requestsPerTarget: 100 })))).toBe(
      'test/svc: requestsPerTarget: needs the service behind a load balancer (loadBalancer); without one there is no request count to track',
    );
  });

  it('keeps ignoring task_definition when it is managed externally', () => {
    const { json } = build({ taskDefinitionManagedExternally: true }, (svc) => svc.autoScaleTaskCount({ minCapacity: 1, maxCapacity: 2 }));
    expect(onlyOf(json, 'aws_ecs_service').lifecycle).toEqual({ ignore_changes: ['task_definition', 'desired_count'] });
  });
});

describe('EcsService validation', () => {
  it('rejects a Fargate size Fargate does not have', () => {
    expect(buildError({ cpu: 300 })).toBe('test/svc/task-definition: cpu: 300 is not a Fargate CPU size; allowed: 256, 512, 1024, 2048, 4096, 8192, 16384');
    expect(buildError({ cpu: 1024, memoryMiB: 1024 })).toBe('test/svc/task-definition: memoryMiB: 1024 is not valid with 1024 CPU units on Fargate; allowed: 2048 to 8192 in steps of 1024');
  });

  it('rejects GPUs on Fargate', () => {
    expect(buildError({ gpuCount: 1 })).toBe('test/svc/task-definition: containers.shop-api.gpuCount: 1 needs EC2: Fargate has no GPUs; use compatibility "EC2" with a GPU capacity provider');
  });

  it('rejects a Fargate provider for an EC2 task, an EC2 provider for a Fargate task, and a provider the cluster does not have', () => {
    expect(buildError({ compatibility: 'EC2' })).toBe('test/svc: capacityProviderStrategy (the cluster default): names a Fargate provider for an EC2 task definition; name the EC2 capacity provider');
    expect(buildError({ capacityProviderStrategy: [{ capacityProvider: 'gpu-pool', weight: 1 }] })).toBe(
      'test/svc: capacityProviderStrategy: names an EC2 provider for a Fargate task definition; allowed: "FARGATE", "FARGATE_SPOT"',
    );
    expect(buildError({ compatibility: 'EC2', capacityProviderStrategy: [{ capacityProvider: 'gpu-pool', weight: 1 }] })).toBe(
      'test/cluster: capacityProviderStrategy[0].capacityProvider: "gpu-pool" is not a capacity provider of cluster cluster; allowed: "FARGATE", "FARGATE_SPOT"',
    );
    expect(buildError({ launchType: 'FARGATE', capacityProviderStrategy: [{ capacityProvider: 'FARGATE', weight: 1 }] })).toBe('test/svc: launchType: and capacityProviderStrategy exclude each other; give one');
  });

  it('rejects a load balancer or service discovery without a container port, and a grace period without a load balancer', () => {
    expect(buildError({ cloudMap: { name: 'api' } })).toBe('test/svc: cloudMap: needs containerPort');
    expect(buildError({ containerPort: 80, healthCheckGracePeriodSec: 30 })).toBe('test/svc: healthCheckGracePeriodSec: has no effect without loadBalancer (ECS uses it for load balancer health checks only)');
  });

  it('rejects Cloud Map and Service Connect on a cluster without a namespace, naming the prop', () => {
    const withoutNamespace = (props: Partial<Props>) =>
      errorOf(() =>
        synthConstructs((stack) => {
          const vpc = new Vpc(stack, 'vpc', { flowLogs: false, namePrefix: 'shop', availabilityZones: ['eu-west-1a', 'eu-west-1b'], natGateways: 'single' });
          const cluster = new EcsCluster(stack, 'cluster', { clusterName: 'c' });
          new EcsService(stack, 'svc', { ...BASE, containerPort: 8000, ...props, cluster, vpc, logGroup: new LogGroup(stack, 'logs', { name: '/ecs/x' }) });
        }),
      );
    expect(withoutNamespace({ cloudMap: { name: 'api' } })).toBe("test/svc: cloudMap: needs the cluster's Cloud Map namespace, and cluster test/cluster has none; give the cluster privateNamespace");
    expect(withoutNamespace({ serviceConnect: { dnsName: 'api' } })).toBe("test/svc: serviceConnect: needs the cluster's Cloud Map namespace, and cluster test/cluster has none; give the cluster privateNamespace");
  });

  it('rejects public IPs in a VPC without public subnets', () => {
    expect(buildError({ assignPublicIp: true }, { publicSubnets: false, natGateways: 'none', interfaceEndpoints: ['logs', 'ecr.api', 'ecr.dkr'], gatewayEndpoints: ['s3'] })).toBe(
      'test/svc: assignPublicIp: true needs public subnets for the tasks, and the VPC test/vpc has none; allowed: false (private subnets)',
    );
  });

  it('rejects a malformed CIDR and a secret that is not an ARN', () => {
    expect(buildError({ containerPort: 80, allowFromCidrs: ['10.0.0.0/16', '10.0.0.0/33'] })).toBe('test/svc: allowFromCidrs[1]: "10.0.0.0/33" is not an IPv4 CIDR block');
    expect(buildError({ secrets: { DB_PASSWORD: 'shop/db-password' } })).toBe(
      'test/svc/task-definition: containers.shop-api.secrets.DB_PASSWORD: "shop/db-password" is not the ARN of a Secrets Manager secret or SSM parameter',
    );
    expect(buildError({ secrets: { X: { parameterArn: SECRET } } })).toBe(`test/svc/task-definition: containers.shop-api.secrets.X: "${SECRET.slice(0, 77)}..." is not the ARN of an SSM parameter`.replace(`${SECRET.slice(0, 77)}...`, SECRET));
  });

  it('without a NAT gateway, asks for the endpoints the tasks need, and rejects images from outside AWS', () => {
    expect(buildError({ secrets: { A: SECRET } }, { natGateways: 'none', gatewayEndpoints: ['s3'], interfaceEndpoints: ['ecr.api', 'ecr.dkr'] })).toBe(
      [
        'test/svc: invalid props:',
        '  vpc: without a NAT gateway, private subnets reach "logs" only through a VPC endpoint; add "logs" to interfaceEndpoints or use a NAT gateway',
        '  vpc: without a NAT gateway, private subnets reach "secretsmanager" only through a VPC endpoint; add "secretsmanager" to interfaceEndpoints or use a NAT gateway',
      ].join('\n'),
    );
    expect(buildError({ image: 'ghcr.io/acme/app:1' }, { natGateways: 'none', interfaceEndpoints: ['logs'] })).toBe(
      'test/svc: image: "ghcr.io/acme/app:1" is pulled from outside AWS, which private subnets without a NAT gateway cannot reach; push it to ECR or add a NAT gateway',
    );
    expect(() => build({}, undefined, { natGateways: 'none', gatewayEndpoints: ['s3'], interfaceEndpoints: ['ecr.api', 'ecr.dkr', 'logs'] })).not.toThrow();
  });

  it('reports every problem at once', () => {
    expect(buildError({ serviceName: 'shop api', containerPort: 70000, desiredCount: -1 })).toBe(
      [
        'test/svc: invalid props:',
        '  serviceName: "shop api" is not an ECS service name (1-255 letters, digits, "-" and "_")',
        '  desiredCount: -1 is out of range; allowed: 0 to 10000',
        '  containerPort: 70000 is out of range; allowed: 1 to 65535',
      ].join('\n'),
    );
  });
});

describe('scratch paths beside a read-only root', () => {
  it('mounts each path as a scratch volume of the task (no host path: task storage) and keeps the root read-only', () => {
    const { json } = build({ scratchPaths: ['/tmp', '/home/app/.cache'] });
    const c = containerOf(json);
    expect(c.readonlyRootFilesystem).toBe(true);
    expect(c.mountPoints).toEqual([
      { sourceVolume: 'scratch-shop-api-1', containerPath: '/tmp', readOnly: false },
      { sourceVolume: 'scratch-shop-api-2', containerPath: '/home/app/.cache', readOnly: false },
    ]);
    expect(onlyOf(json, 'aws_ecs_task_definition').volume).toEqual([{ name: 'scratch-shop-api-1' }, { name: 'scratch-shop-api-2' }]);
  });

  it('keeps EFS volumes beside the scratch ones', () => {
    const { json } = synthConstructs((stack) => {
      const f = fixture(stack);
      const fs = new SharedFileSystem(stack, 'fs', { name: 'shop-index', vpc: f.vpc });
      new EcsService(stack, 'svc', { ...BASE, cluster: f.cluster, vpc: f.vpc, logGroup: f.logs, efsVolumes: [{ name: 'index', fileSystem: fs, containerPath: '/data/index' }], scratchPaths: ['/tmp'] });
    });
    expect(onlyOf(json, 'aws_ecs_task_definition').volume.map((v: { name: string }) => v.name)).toEqual(['index', 'scratch-shop-api-1']);
    expect(containerOf(json).mountPoints.map((m: { containerPath: string }) => m.containerPath)).toEqual(['/data/index', '/tmp']);
  });

  it('refuses a relative, repeated or root path, a writable root beside them, and ECS Exec', () => {
    expect(errorOf(() => build({ scratchPaths: ['tmp', '/tmp', '/tmp', '/'] }))).toBe(
      [
        'test/svc/task-definition: invalid props:',
        '  containers.shop-api.scratchPaths[0]: "tmp" is not an absolute path below "/" (such as "/tmp")',
        '  containers.shop-api.scratchPaths[2]: "/tmp" is given twice',
        '  containers.shop-api.scratchPaths[3]: "/" is not an absolute path below "/" (such as "/tmp")',
      ].join('\n'),
    );
    expect(errorOf(() => build({ scratchPaths: ['/tmp'], readonlyRootFilesystem: false }))).toBe('test/svc/task-definition: containers.shop-api.scratchPaths: has no effect with a writable root filesystem (readonlyRootFilesystem false); give one or the other');
    expect(errorOf(() => build({ scratchPaths: ['/tmp'], enableExecuteCommand: true }))).toContain('scratchPaths: needs a read-only root filesystem, which breaks ECS Exec');
  });
});
