import { DefaultTokenResolver, StringConcat, Tokenization } from 'cdktf';
import { IConstruct } from 'constructs';
import { BatchGpuCompute, BatchGpuComputeProps } from '../../../src/compute/batch';
import { ServiceRole } from '../../../src/security/iam';
import { Vpc } from '../../../src/network/vpc';
import { BatchComputeEnvironment } from '@cdktf/provider-aws/lib/batch-compute-environment';
import { LaunchTemplate } from '@cdktf/provider-aws/lib/launch-template';
import { allOf, countOf, errorOf, findBy, isAbsent, onlyOf, parseField, resourcesOf, statementsOf, Synthesized, synthConstructs, TEST_REGION } from '../../helpers/synth';

type Props = Omit<BatchGpuComputeProps, 'vpc'>;

const JOB = { image: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/trainer:1.0.0', vcpus: 4, memoryMiB: 15000 };
const BASE: Props = { name: 'demo-gpu', job: JOB };

function vpcIn(stack: Parameters<Parameters<typeof synthConstructs>[0]>[0]): Vpc {
  return new Vpc(stack, 'vpc', { flowLogs: false, namePrefix: 'demo', availabilityZones: ['eu-west-1a', 'eu-west-1b'], natGateways: 'single' });
}

function synthBatch(props: Partial<Props> = {}) {
  let batch!: BatchGpuCompute;
  const { json } = synthConstructs((stack) => {
    batch = new BatchGpuCompute(stack, 'gpu', { ...BASE, ...props, vpc: vpcIn(stack) });
  });
  return { json, batch };
}

/** `${type.logicalName.attr}` of the only resource of `type` whose logical name contains `part`. */
function ref(json: Synthesized, type: string, attr: string, part = ''): string {
  const all = resourcesOf(json, type).filter(([name]) => name.includes(part));
  if (all.length !== 1) throw new Error(`expected one ${type} matching ${JSON.stringify(part)}, found ${all.length}`);
  return `\${${type}.${all[0][0]}.${attr}}`;
}

/** `type.logicalName` addresses of every resource of `type` (as `depends_on` lists them). */
function addresses(json: Synthesized, type: string, part = ''): string[] {
  return resourcesOf(json, type)
    .filter(([name]) => name.includes(part))
    .map(([name]) => `${type}.${name}`);
}

/** A token as the `${...}` string it synthesizes to. */
function resolve(scope: IConstruct, value: string): unknown {
  return Tokenization.resolve(value, { scope, resolver: new DefaultTokenResolver(new StringConcat()) });
}

function buildError(props: Partial<Props>): string {
  return errorOf(() => synthConstructs((stack) => new BatchGpuCompute(stack, 'gpu', { ...BASE, ...props, vpc: vpcIn(stack) })));
}

describe('BatchGpuCompute', () => {
  describe('compute environment', () => {
    it('runs on spot with price-capacity-optimized allocation, the Batch service-linked role and no spot fleet role by default', () => {
      const { json, batch } = synthBatch();
      const ce = onlyOf(json, 'aws_batch_compute_environment');
      expect(ce).toMatchObject({ type: 'MANAGED', state: 'ENABLED', compute_environment_name_prefix: 'demo-gpu-', tags: { Name: 'demo-gpu' } });
      expect(ce.compute_resources).toMatchObject({
        type: 'SPOT',
        allocation_strategy: 'SPOT_CAPACITY_OPTIMIZED',
        instance_type: ['g4dn.xlarge', 'g4dn.2xlarge'],
        min_vcpus: 0,
        max_vcpus: 256,
        ec2_configuration: [{ image_type: 'ECS_AL2023_NVIDIA' }],
      });
      expect(isAbsent(ce, 'service_role')).toBe(true);
      expect(isAbsent(ce, 'compute_environment_name')).toBe(true);
      expect(isAbsent(ce.compute_resources, 'spot_iam_fleet_role')).toBe(true);
      expect(isAbsent(ce.compute_resources, 'bid_percentage')).toBe(true);
      expect(isAbsent(ce.compute_resources, 'desired_vcpus')).toBe(true);
      expect(ce.lifecycle).toEqual({ create_before_destroy: true });
      expect(batch.spot).toBe(true);
      expect(batch.imageType).toBe('ECS_AL2023_NVIDIA');
    });

    it('runs on demand with BEST_FIT_PROGRESSIVE when spot is off', () => {
      const { json } = synthBatch({ spot: false });
      const resources = onlyOf(json, 'aws_batch_compute_environment').compute_resources;
      expect(resources.type).toBe('EC2');
      expect(resources.allocation_strategy).toBe('BEST_FIT_PROGRESSIVE');
      expect(isAbsent(resources, 'spot_iam_fleet_role')).toBe(true);
    });

    it('takes instance types, vCPU limits and image type from its props', () => {
      const { json } = synthConstructs((stack) => {
        new BatchGpuCompute(stack, 'gpu', {
          ...BASE,
          vpc: vpcIn(stack),
          instanceTypes: ['g5.xlarge', 'g6.2xlarge', 'p3.2xlarge'],
          imageType: 'ECS_AL2_NVIDIA',
          minVcpus: 8,
          maxVcpus: 64,
        });
      });
      const resources = onlyOf(json, 'aws_batch_compute_environment').compute_resources;
      expect(resources.instance_type).toEqual(['g5.xlarge', 'g6.2xlarge', 'p3.2xlarge']);
      expect(resources.min_vcpus).toBe(8);
      expect(resources.max_vcpus).toBe(64);
      expect(resources.ec2_configuration).toEqual([{ image_type: 'ECS_AL2_NVIDIA' }]);
    });

    it('launches into the private subnets with its instance profile, security group and launch template version', () => {
      const { json } = synthBatch();
      const resources = onlyOf(json, 'aws_batch_compute_environment').compute_resources;
      expect(resources.subnets).toEqual([ref(json, 'aws_subnet', 'id', 'private-1'), ref(json, 'aws_subnet', 'id', 'private-2')]);
      expect(resources.security_group_ids).toEqual([ref(json, 'aws_security_group', 'id')]);
      expect(resources.instance_role).toBe(ref(json, 'aws_iam_instance_profile', 'arn'));
      // The version number, not "$Latest" (which Batch resolves once, at creation).
      expect(resources.launch_template).toEqual({ launch_template_id: ref(json, 'aws_launch_template', 'id'), version: ref(json, 'aws_launch_template', 'latest_version') });
    });

    it('waits for the instance role policies, the security group rules and the VPC egress', () => {
      const { json } = synthBatch();
      const dependsOn: string[] = onlyOf(json, 'aws_batch_compute_environment').depends_on;
      const expected = [
        ...addresses(json, 'aws_iam_role_policy_attachment', 'instance'),
        ...addresses(json, 'aws_vpc_security_group_egress_rule', 'gpu'),
        ...addresses(json, 'aws_route', 'private'),
        ...addresses(json, 'aws_route_table_association', 'private'),
      ];
      expect(addresses(json, 'aws_iam_role_policy_attachment', 'instance')).toHaveLength(2);
      expect(addresses(json, 'aws_route', 'private')).toHaveLength(2);
      expect([...dependsOn].sort()).toEqual([...expected].sort());
    });
  });

  describe('instances', () => {
    it('use a launch template with IMDSv2 and an encrypted 100 GiB gp3 root, and nothing Batch sets itself', () => {
      const { json, batch } = synthBatch();
      const template = onlyOf(json, 'aws_launch_template');
      expect(template.metadata_options).toEqual({ http_endpoint: 'enabled', http_tokens: 'required', http_put_response_hop_limit: 1, instance_metadata_tags: 'disabled' });
      expect(template.block_device_mappings).toEqual([
        { device_name: '/dev/xvda', ebs: { volume_size: 100, volume_type: 'gp3', encrypted: 'true', delete_on_termination: 'true' } },
      ]);
      for (const field of ['user_data', 'image_id', 'instance_type', 'iam_instance_profile', 'vpc_security_group_ids']) expect(isAbsent(template, field)).toBe(true);
      expect(template.lifecycle).toEqual({ create_before_destroy: true });
      expect(batch.launchTemplate.resource).toBeInstanceOf(LaunchTemplate);
      expect(batch.resource).toBeInstanceOf(BatchComputeEnvironment);
    });

    it('take their root volume size from rootVolumeSizeGiB', () => {
      const { json } = synthBatch({ rootVolumeSizeGiB: 200 });
      expect(onlyOf(json, 'aws_launch_template').block_device_mappings[0].ebs.volume_size).toBe(200);
    });

    it('have an outbound-only security group and the ECS instance role', () => {
      const { json } = synthBatch();
      expect(onlyOf(json, 'aws_security_group')).toMatchObject({ name_prefix: 'demo-gpu-batch-', lifecycle: { create_before_destroy: true } });
      expect(countOf(json, 'aws_vpc_security_group_ingress_rule')).toBe(0);
      expect(onlyOf(json, 'aws_vpc_security_group_egress_rule')).toMatchObject({ cidr_ipv4: '0.0.0.0/0', ip_protocol: '-1' });
      const attached = allOf(json, 'aws_iam_role_policy_attachment')
        .filter((a) => a.role === ref(json, 'aws_iam_role', 'name', 'instance'))
        .map((a) => a.policy_arn);
      expect(attached.sort()).toEqual(['arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore', 'arn:aws:iam::aws:policy/service-role/AmazonEC2ContainerServiceforEC2Role']);
    });
  });

  describe('job queue', () => {
    it('has priority 1, is enabled and sends jobs to the compute environment', () => {
      const { json, batch } = synthBatch();
      expect(onlyOf(json, 'aws_batch_job_queue')).toEqual({
        name: 'demo-gpu',
        priority: 1,
        state: 'ENABLED',
        compute_environment_order: [{ order: 1, compute_environment: ref(json, 'aws_batch_compute_environment', 'arn') }],
        tags: { Name: 'demo-gpu' },
      });
      expect(resolve(batch, batch.jobQueueArn)).toBe(ref(json, 'aws_batch_job_queue', 'arn'));
      expect(resolve(batch, batch.jobDefinitionArn)).toBe(ref(json, 'aws_batch_job_definition', 'arn'));
    });
  });

  describe('job definition', () => {
    it('is an EC2 container job with VCPU, MEMORY and GPU requirements, roles and awslogs to its log group', () => {
      const { json } = synthBatch({ job: { ...JOB, command: ['python', 'train.py', 'Ref::epochs'], environment: { MODEL: 'resnet', BATCH_SIZE: '64' } } });
      const definition = onlyOf(json, 'aws_batch_job_definition');
      expect(definition).toMatchObject({ name: 'demo-gpu', type: 'container', platform_capabilities: ['EC2'], propagate_tags: true });
      expect(parseField(definition, 'container_properties')).toEqual({
        image: JOB.image,
        command: ['python', 'train.py', 'Ref::epochs'],
        environment: [
          { name: 'BATCH_SIZE', value: '64' },
          { name: 'MODEL', value: 'resnet' },
        ],
        resourceRequirements: [
          { type: 'VCPU', value: '4' },
          { type: 'MEMORY', value: '15000' },
          { type: 'GPU', value: '1' },
        ],
        jobRoleArn: ref(json, 'aws_iam_role', 'arn', 'job-role'),
        executionRoleArn: ref(json, 'aws_iam_role', 'arn', 'execution-role'),
        logConfiguration: {
          logDriver: 'awslogs',
          options: { 'awslogs-group': ref(json, 'aws_cloudwatch_log_group', 'name'), 'awslogs-region': TEST_REGION, 'awslogs-stream-prefix': 'demo-gpu' },
        },
      });
    });

    it('asks for the GPUs the job names', () => {
      const { json } = synthBatch({ instanceTypes: ['g5.12xlarge'], job: { ...JOB, gpus: 4 } });
      const requirements = parseField(onlyOf(json, 'aws_batch_job_definition'), 'container_properties').resourceRequirements;
      expect(requirements).toContainEqual({ type: 'GPU', value: '4' });
    });

    it('retries spot reclaims only, up to 3 attempts, and stops an attempt after an hour by default', () => {
      const { json } = synthBatch();
      const definition = onlyOf(json, 'aws_batch_job_definition');
      expect(definition.retry_strategy).toEqual({
        attempts: 3,
        evaluate_on_exit: [
          { on_status_reason: 'Host EC2*', action: 'RETRY' },
          { on_reason: '*', action: 'EXIT' },
        ],
      });
      expect(definition.timeout).toEqual({ attempt_duration_seconds: 3600 });
    });

    it('takes attempts and timeout from the job', () => {
      const { json } = synthBatch({ job: { ...JOB, attempts: 5, timeoutSec: 7200 } });
      const definition = onlyOf(json, 'aws_batch_job_definition');
      expect(definition.retry_strategy.attempts).toBe(5);
      expect(definition.timeout).toEqual({ attempt_duration_seconds: 7200 });
    });

    it('has a job role for the containers and an execution role with the ECS task execution policy, and waits for both', () => {
      expect(countOf(synthBatch().json, 'aws_iam_role_policy')).toBe(0);
      const { json: granted } = synthConstructs((stack) => {
        const batch = new BatchGpuCompute(stack, 'gpu', { ...BASE, vpc: vpcIn(stack) });
        batch.addToPolicy({ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::data/*' });
      });
      const jobRole = findBy(granted, 'aws_iam_role', 'name_prefix', 'demo-gpu-job-');
      expect(statementsOf(jobRole, 'assume_role_policy')).toEqual([{ Effect: 'Allow', Principal: { Service: 'ecs-tasks.amazonaws.com' }, Action: 'sts:AssumeRole' }]);
      const policy = onlyOf(granted, 'aws_iam_role_policy');
      expect(policy.role).toBe(ref(granted, 'aws_iam_role', 'id', 'job-role'));
      expect(statementsOf(policy)).toEqual([{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::data/*' }]);
      expect(findBy(granted, 'aws_iam_role_policy_attachment', 'policy_arn', 'arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy').role).toBe(
        ref(granted, 'aws_iam_role', 'name', 'execution-role'),
      );
      expect([...onlyOf(granted, 'aws_batch_job_definition').depends_on].sort()).toEqual(
        [...addresses(granted, 'aws_iam_role_policy_attachment', 'execution-role'), ...addresses(granted, 'aws_iam_role_policy', 'job-role')].sort(),
      );
    });

    it('logs to /aws/batch/<name> with the given retention', () => {
      const { json, batch } = synthBatch({ logRetentionDays: 90 });
      expect(onlyOf(json, 'aws_cloudwatch_log_group')).toMatchObject({ name: '/aws/batch/demo-gpu', retention_in_days: 90 });
      expect(batch.logGroup.retentionDays).toBe(90);
    });
  });

  describe('grantSubmit', () => {
    it('allows SubmitJob on exactly the queue and every revision of the definition, and DescribeJobs on *', () => {
      const { json } = synthConstructs((stack) => {
        const batch = new BatchGpuCompute(stack, 'gpu', { ...BASE, vpc: vpcIn(stack) });
        batch.grantSubmit(new ServiceRole(stack, 'submitter', { name: 'submitter', assumedBy: 'lambda.amazonaws.com' }));
      });
      expect(statementsOf(onlyOf(json, 'aws_iam_role_policy'))).toEqual([
        {
          Effect: 'Allow',
          Action: 'batch:SubmitJob',
          Resource: [ref(json, 'aws_batch_job_queue', 'arn'), `${ref(json, 'aws_batch_job_definition', 'arn_prefix')}:*`],
        },
        { Effect: 'Allow', Action: 'batch:DescribeJobs', Resource: '*' },
      ]);
    });
  });

  describe('validation', () => {
    it('rejects an instance type without an NVIDIA GPU', () => {
      const message = buildError({ instanceTypes: ['g4dn.xlarge', 'm6i.large'] });
      expect(message).toContain('test/gpu');
      expect(message).toContain('instanceTypes[1]: "m6i.large" is not an x86 NVIDIA GPU instance type');
    });

    it('rejects a job larger than the biggest instance type, naming each resource that does not fit', () => {
      const message = buildError({ job: { ...JOB, vcpus: 16, memoryMiB: 64000, gpus: 2 } });
      expect(message).toContain('invalid props');
      expect(message).toContain('job.vcpus: 16 is more than the largest instance type has (g4dn.2xlarge: 8 vCPUs); add a larger type to instanceTypes (default ["g4dn.xlarge","g4dn.2xlarge"]) or ask for fewer');
      expect(message).toMatch(/job\.memoryMiB: 64000 is more than the largest instance type leaves for jobs \(g4dn\.2xlarge: about \d+ MiB\)/);
      expect(message).toContain('job.gpus: 2 is more than the largest instance type has (g4dn.xlarge: 1 GPU)');
    });

    it('rejects a job whose resources fit only on different instance types', () => {
      // 64 vCPUs only on g4dn.16xlarge (1 GPU), 2 GPUs only on g4dn.12xlarge (48 vCPUs).
      const message = buildError({ instanceTypes: ['g4dn.16xlarge', 'g4dn.12xlarge'], maxVcpus: 256, job: { ...JOB, vcpus: 64, gpus: 2 } });
      expect(message).toBe('test/gpu: job: 64 vCPUs, 15000 MiB and 2 GPUs together fit none of instanceTypes (g4dn.16xlarge, g4dn.12xlarge); add a type that has all three');
    });

    it('accepts a job that fits one of the instance types', () => {
      expect(() => synthBatch({ instanceTypes: ['g4dn.xlarge', 'g4dn.2xlarge'], job: { ...JOB, vcpus: 8, memoryMiB: 30000 } })).not.toThrow();
    });

    it('rejects minVcpus above maxVcpus', () => {
      expect(buildError({ minVcpus: 64, maxVcpus: 32 })).toBe('test/gpu: minVcpus: 64 is above maxVcpus 32');
      expect(buildError({ minVcpus: 300 })).toBe('test/gpu: minVcpus: 300 is above maxVcpus 256 (the default)');
    });

    it('rejects a job that asks for more vCPUs than maxVcpus', () => {
      expect(buildError({ maxVcpus: 2 })).toContain('job.vcpus: 4 is above maxVcpus 2');
    });

    it('rejects p3 instances on the Amazon Linux 2023 GPU AMI', () => {
      expect(buildError({ instanceTypes: ['p3.2xlarge'] })).toContain('instanceTypes[0]: "p3.2xlarge" is not supported by imageType "ECS_AL2023_NVIDIA", the default (no p3 or g3)');
    });

    it('lists every problem at once', () => {
      const message = buildError({
        name: 'bad name',
        instanceTypes: ['t3.large'],
        rootVolumeSizeGiB: 20,
        logRetentionDays: 10,
        job: { ...JOB, gpus: 0, attempts: 11, timeoutSec: 30, environment: { AWS_BATCH_JOB_ID: 'x' } },
      });
      for (const prop of ['name:', 'instanceTypes[0]:', 'rootVolumeSizeGiB:', 'logRetentionDays:', 'job.gpus:', 'job.attempts:', 'job.timeoutSec:', 'job.environment:']) {
        expect(message).toContain(`  ${prop}`);
      }
    });
  });
});
