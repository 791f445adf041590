import { AutoscalingGroup } from '@cdktf/provider-aws/lib/autoscaling-group';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { DataAwsSsmParameter } from '@cdktf/provider-aws/lib/data-aws-ssm-parameter';
import { EcsCluster as EcsClusterResource } from '@cdktf/provider-aws/lib/ecs-cluster';
import { IamInstanceProfile } from '@cdktf/provider-aws/lib/iam-instance-profile';
import { ServiceDiscoveryPrivateDnsNamespace } from '@cdktf/provider-aws/lib/service-discovery-private-dns-namespace';
import { VpcSecurityGroupEgressRule } from '@cdktf/provider-aws/lib/vpc-security-group-egress-rule';
import { AsgCapacityProvider, AsgCapacityProviderProps, EcsCluster, EcsClusterProps } from '../../../src/compute/ecs-cluster';
import type { Construct } from 'constructs';
import type { IVpc } from '../../../src/network/vpc';
import { EXISTING_VPC, allOf, countOf, errorOf, existingVpc, findBy, isAbsent, onlyOf, resourcesOf, statementsOf, Synthesized, synthConstructs } from '../../helpers/synth';

type AsgProps = Omit<AsgCapacityProviderProps, 'cluster' | 'vpc'>;

const ASG: AsgProps = { name: 'demo-cpu', instanceTypes: ['m6i.large'], maxSize: 4 };

/** The VPC made elsewhere (`existingVpc`) of the scope, described once. */
function vpcOf(scope: Construct): IVpc {
  return (scope.node.tryFindChild('vpc') as IVpc | undefined) ?? existingVpc(scope);
}
const AMI_PARAMETER = '/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id';
const GPU_AMI_PARAMETER = '/aws/service/ecs/optimized-ami/amazon-linux-2023/gpu/recommended/image_id';

function synthCluster(props: Partial<EcsClusterProps> = {}, providers: Record<string, AsgProps> = {}) {
  return synthConstructs((stack) => {
    const cluster = new EcsCluster(stack, 'cluster', { clusterName: 'demo', ...props });
    for (const [id, p] of Object.entries(providers)) cluster.addAsgCapacityProvider(id, { ...p, vpc: vpcOf(stack) });
  });
}

/** `${type.logicalName.attr}` of the only resource of `type`. */
function refOnly(json: Synthesized, type: string, attr: string): string {
  const all = resourcesOf(json, type);
  if (all.length !== 1) throw new Error(`expected one ${type}, found ${all.length}`);
  return `\${${type}.${all[0][0]}.${attr}}`;
}

/** The user data script inside `${base64encode("...")}`, unescaped. */
function userDataScript(template: Record<string, any>): string {
  const match = /^\$\{base64encode\((".*")\)\}$/s.exec(template.user_data);
  if (!match) throw new Error(`user_data is not a base64encode() expression: ${template.user_data}`);
  return JSON.parse(match[1]) as string;
}

describe('EcsCluster', () => {
  it('has Container Insights and a Fargate-first default strategy by default', () => {
    let cluster!: EcsCluster;
    const { text, json } = synthConstructs((stack) => {
      cluster = new EcsCluster(stack, 'cluster', { clusterName: 'demo' });
    });
    expect(text).toHaveResourceWithProperties(EcsClusterResource, {
      name: 'demo',
      setting: [{ name: 'containerInsights', value: 'enabled' }],
      tags: { Name: 'demo' },
    });
    expect(isAbsent(onlyOf(json, 'aws_ecs_cluster'), 'service_connect_defaults')).toBe(true);
    // Log groups belong to the services that write them (LogGroup objects), not to the cluster.
    expect(text).not.toHaveResource(CloudwatchLogGroup);
    expect(cluster.containerInsightsEnabled).toBe(true);
    expect(cluster.defaultCapacityProviderStrategy).toEqual([{ capacityProvider: 'FARGATE', weight: 100, base: 1 }]);
    expect(onlyOf(json, 'aws_ecs_cluster_capacity_providers')).toEqual({
      cluster_name: refOnly(json, 'aws_ecs_cluster', 'name'),
      capacity_providers: ['FARGATE', 'FARGATE_SPOT'],
      default_capacity_provider_strategy: [{ capacity_provider: 'FARGATE', weight: 100, base: 1 }],
    });
    expect(countOf(json, 'aws_service_discovery_private_dns_namespace')).toBe(0);
    expect(countOf(json, 'aws_autoscaling_group')).toBe(0);
    expect(cluster.ec2CapacityProviders).toEqual([]);
  });

  it('takes Container Insights and the default strategy from its props', () => {
    const { json } = synthCluster({
      containerInsights: 'enhanced',
      defaultCapacityProviderStrategy: [
        { capacityProvider: 'FARGATE_SPOT', weight: 3 },
        { capacityProvider: 'FARGATE', weight: 1, base: 2 },
      ],
    });
    expect(onlyOf(json, 'aws_ecs_cluster').setting).toEqual([{ name: 'containerInsights', value: 'enhanced' }]);
    expect(onlyOf(json, 'aws_ecs_cluster_capacity_providers').default_capacity_provider_strategy).toEqual([
      { capacity_provider: 'FARGATE_SPOT', weight: 3, base: 0 },
      { capacity_provider: 'FARGATE', weight: 1, base: 2 },
    ]);
  });

  it('creates a private DNS namespace in the VPC and makes it the Service Connect default', () => {
    let cluster!: EcsCluster;
    const { text, json } = synthConstructs((stack) => {
      cluster = new EcsCluster(stack, 'cluster', { clusterName: 'demo', privateNamespace: { name: 'demo.local', vpc: existingVpc(stack) } });
    });
    expect(text).toHaveResourceWithProperties(ServiceDiscoveryPrivateDnsNamespace, {
      name: 'demo.local',
      vpc: EXISTING_VPC.vpcId,
      description: 'Service discovery for demo',
      tags: { Name: 'demo.local' },
    });
    expect(onlyOf(json, 'aws_ecs_cluster').service_connect_defaults).toEqual({
      namespace: refOnly(json, 'aws_service_discovery_private_dns_namespace', 'arn'),
    });
    expect(cluster.namespace).toBeInstanceOf(ServiceDiscoveryPrivateDnsNamespace);
    expect(cluster.resource).toBeInstanceOf(EcsClusterResource);
  });

  it('registers every added ASG capacity provider after FARGATE and FARGATE_SPOT', () => {
    let cluster!: EcsCluster;
    const { json } = synthConstructs((stack) => {
      cluster = new EcsCluster(stack, 'cluster', { clusterName: 'demo' });
      cluster.addAsgCapacityProvider('cpu', { ...ASG, vpc: vpcOf(stack) });
      cluster.addAsgCapacityProvider('gpu', { ...ASG, vpc: vpcOf(stack), name: 'demo-gpu', instanceTypes: ['g5.xlarge'], gpu: true });
    });
    // References to the providers' names, so Terraform creates them before the association.
    expect(onlyOf(json, 'aws_ecs_cluster_capacity_providers').capacity_providers).toEqual(['FARGATE', 'FARGATE_SPOT', expect.stringMatching(/^\$\{aws_ecs_capacity_provider\.cluster_cpu_this_\w+\.name\}$/), expect.stringMatching(/^\$\{aws_ecs_capacity_provider\.cluster_gpu_this_\w+\.name\}$/)]);
    expect(cluster.ec2CapacityProviders.map((p) => p.capacityProviderName)).toEqual(['demo-cpu', 'demo-gpu']);
    expect(cluster.ec2CapacityProviders.map((p) => p.resource.constructor.name)).toEqual(['EcsCapacityProvider', 'EcsCapacityProvider']);
    expect(countOf(json, 'aws_ecs_capacity_provider')).toBe(2);
  });

  it('without Fargate registers only the EC2 providers, which a custom strategy can name', () => {
    const { json } = synthCluster(
      { fargate: false, defaultCapacityProviderStrategy: [{ capacityProvider: 'demo-cpu', weight: 1 }] },
      { cpu: ASG },
    );
    const association = onlyOf(json, 'aws_ecs_cluster_capacity_providers');
    expect(association.capacity_providers).toEqual([expect.stringMatching(/^\$\{aws_ecs_capacity_provider\.cluster_cpu_this_\w+\.name\}$/)]);
    expect(association.default_capacity_provider_strategy).toEqual([{ capacity_provider: 'demo-cpu', weight: 1, base: 0 }]);
  });

  describe('addAsgCapacityProvider', () => {
    it('builds a hardened launch template on the ECS-optimized AMI that joins the cluster', () => {
      const { json } = synthCluster({}, { cpu: ASG });
      const ssm = json.data?.aws_ssm_parameter ?? {};
      expect(Object.values(ssm)).toEqual([{ name: AMI_PARAMETER }]);
      const template = onlyOf(json, 'aws_launch_template');
      expect(template).toMatchObject({
        name_prefix: 'demo-cpu-',
        image_id: `\${data.aws_ssm_parameter.${Object.keys(ssm)[0]}.insecure_value}`,
        instance_type: 'm6i.large',
        iam_instance_profile: { arn: refOnly(json, 'aws_iam_instance_profile', 'arn') },
        vpc_security_group_ids: [refOnly(json, 'aws_security_group', 'id')],
        metadata_options: { http_endpoint: 'enabled', http_tokens: 'required', http_put_response_hop_limit: 1, instance_metadata_tags: 'disabled' },
        block_device_mappings: [
          { device_name: '/dev/xvda', ebs: { volume_size: 30, volume_type: 'gp3', encrypted: 'true', delete_on_termination: 'true' } },
        ],
        monitoring: { enabled: true },
        update_default_version: true,
      });
      const script = userDataScript(template);
      expect(script.split('\n')).toEqual([
        '#!/bin/bash',
        "cat <<'EOF' >> /etc/ecs/ecs.config",
        `ECS_CLUSTER=${refOnly(json, 'aws_ecs_cluster', 'name')}`,
        'ECS_ENABLE_CONTAINER_METADATA=true',
        'EOF',
        '',
      ]);
      expect(script).not.toContain('ECS_ENABLE_GPU_SUPPORT');
      expect(script).not.toContain('ECS_ENABLE_SPOT_INSTANCE_DRAINING');
    });

    it('gives the instances a role with the ECS and SSM managed policies, and a security group with egress only', () => {
      const { text, json } = synthCluster({}, { cpu: ASG });
      const role = onlyOf(json, 'aws_iam_role');
      expect(role.name_prefix).toBe('demo-cpu-instance-');
      expect(statementsOf(role, 'assume_role_policy')).toEqual([{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }]);
      const roleName = refOnly(json, 'aws_iam_role', 'name');
      expect(allOf(json, 'aws_iam_role_policy_attachment')).toEqual([
        { role: roleName, policy_arn: 'arn:aws:iam::aws:policy/service-role/AmazonEC2ContainerServiceforEC2Role' },
        { role: roleName, policy_arn: 'arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore' },
      ]);
      expect(text).toHaveResourceWithProperties(IamInstanceProfile, { name_prefix: 'demo-cpu-instance-', role: roleName, lifecycle: { create_before_destroy: true } });
      expect(onlyOf(json, 'aws_security_group')).toMatchObject({ name_prefix: 'demo-cpu-instances-', vpc_id: EXISTING_VPC.vpcId, lifecycle: { create_before_destroy: true } });
      // Instances start only once their role may join the cluster.
      expect(onlyOf(json, 'aws_autoscaling_group').depends_on).toHaveLength(2);
      expect(text).toHaveResourceWithProperties(VpcSecurityGroupEgressRule, {
        security_group_id: refOnly(json, 'aws_security_group', 'id'),
        cidr_ipv4: '0.0.0.0/0',
        ip_protocol: '-1',
      });
      expect(countOf(json, 'aws_vpc_security_group_ingress_rule')).toBe(0);
    });

    it('runs an on-demand ASG tagged AmazonECSManaged whose desired capacity ECS owns, and rolls a new launch template out to running instances', () => {
      const { text, json } = synthCluster({}, { cpu: ASG });
      expect(text).toHaveResourceWithProperties(AutoscalingGroup, {
        name: 'demo-cpu',
        vpc_zone_identifier: EXISTING_VPC.privateSubnetIds,
        min_size: 0,
        max_size: 4,
        desired_capacity: 0,
        protect_from_scale_in: false,
        health_check_type: 'EC2',
        default_instance_warmup: 300,
        launch_template: { id: refOnly(json, 'aws_launch_template', 'id'), version: refOnly(json, 'aws_launch_template', 'latest_version') },
        // A new template version (AMI, type, user data) replaces instances, one started before each stops.
        instance_refresh: { strategy: 'Rolling', preferences: { min_healthy_percentage: 100, max_healthy_percentage: 200, skip_matching: true, scale_in_protected_instances: 'Refresh' } },
        tag: [
          { key: 'Name', value: 'demo-cpu', propagate_at_launch: true },
          { key: 'AmazonECSManaged', value: 'true', propagate_at_launch: true },
        ],
        lifecycle: { ignore_changes: ['desired_capacity'] },
      });
      expect(isAbsent(onlyOf(json, 'aws_autoscaling_group'), 'mixed_instances_policy')).toBe(true);
    });

    it('has a capacity provider with managed scaling to 100%, draining on and termination protection off by default', () => {
      const { json } = synthCluster({}, { cpu: ASG });
      expect(onlyOf(json, 'aws_ecs_capacity_provider')).toEqual({
        name: 'demo-cpu',
        auto_scaling_group_provider: {
          auto_scaling_group_arn: refOnly(json, 'aws_autoscaling_group', 'arn'),
          managed_termination_protection: 'DISABLED',
          managed_draining: 'ENABLED',
          managed_scaling: {
            status: 'ENABLED',
            target_capacity: 100,
            minimum_scaling_step_size: 1,
            maximum_scaling_step_size: 10,
            instance_warmup_period: 300,
          },
        },
        tags: { Name: 'demo-cpu' },
      });
    });

    it('with termination protection protects instances from scale-in too, and takes the scaling settings from its props', () => {
      const { json } = synthCluster(
        {},
        {
          cpu: {
            ...ASG,
            managedTerminationProtection: true,
            managedDraining: false,
            targetCapacityPercent: 80,
            instanceWarmupSec: 120,
            minSize: 1,
            rootVolumeSizeGiB: 100,
          },
        },
      );
      const provider = onlyOf(json, 'aws_ecs_capacity_provider').auto_scaling_group_provider;
      expect(provider.managed_termination_protection).toBe('ENABLED');
      expect(provider.managed_draining).toBe('DISABLED');
      expect(provider.managed_scaling).toMatchObject({ target_capacity: 80, instance_warmup_period: 120 });
      const asg = onlyOf(json, 'aws_autoscaling_group');
      expect(asg).toMatchObject({ protect_from_scale_in: true, min_size: 1, default_instance_warmup: 120 });
      expect(onlyOf(json, 'aws_launch_template').block_device_mappings[0].ebs.volume_size).toBe(100);
    });

    it('uses a pinned AMI without any SSM lookup', () => {
      const { text, json } = synthCluster({}, { cpu: { ...ASG, amiId: 'ami-0123456789abcdef0' } });
      expect(text).not.toHaveDataSource(DataAwsSsmParameter);
      expect(onlyOf(json, 'aws_launch_template').image_id).toBe('ami-0123456789abcdef0');
    });

    it('reads the AMI from a custom SSM parameter when asked', () => {
      const { text } = synthCluster({}, { cpu: { ...ASG, amiSsmParameter: '/my/ami' } });
      expect(text).toHaveDataSourceWithProperties(DataAwsSsmParameter, { name: '/my/ami' });
    });

    it('with gpu uses the GPU AMI, enables GPU support in the agent and a 50 GiB root volume', () => {
      const { text, json } = synthCluster({}, { gpu: { ...ASG, name: 'demo-gpu', instanceTypes: ['g4dn.xlarge'], gpu: true } });
      expect(text).toHaveDataSourceWithProperties(DataAwsSsmParameter, { name: GPU_AMI_PARAMETER });
      expect(Object.keys(json.data?.aws_ssm_parameter ?? {})).toHaveLength(1);
      const template = onlyOf(json, 'aws_launch_template');
      expect(template.instance_type).toBe('g4dn.xlarge');
      expect(template.block_device_mappings[0].ebs).toEqual({ volume_size: 50, volume_type: 'gp3', encrypted: 'true', delete_on_termination: 'true' });
      const script = userDataScript(template);
      expect(script).toContain(`\nECS_CLUSTER=${refOnly(json, 'aws_ecs_cluster', 'name')}\n`);
      expect(script).toContain('\nECS_ENABLE_GPU_SUPPORT=true\n');
    });

    it('with a pinned AMI and gpu reads no SSM parameter', () => {
      const { text } = synthCluster({}, { gpu: { ...ASG, name: 'demo-gpu', instanceTypes: ['g4dn.xlarge'], gpu: true, amiId: 'ami-0abc' } });
      expect(text).not.toHaveDataSource(DataAwsSsmParameter);
    });

    it('with spot launches through a mixed instances policy over every instance type', () => {
      const { json } = synthCluster({}, { cpu: { ...ASG, instanceTypes: ['m6i.large', 'm7i.large', 'm5.large'], spot: {} } });
      const asg = onlyOf(json, 'aws_autoscaling_group');
      expect(isAbsent(asg, 'launch_template')).toBe(true);
      expect(asg.mixed_instances_policy).toEqual({
        instances_distribution: { on_demand_base_capacity: 0, on_demand_percentage_above_base_capacity: 0, spot_allocation_strategy: 'price-capacity-optimized' },
        launch_template: {
          launch_template_specification: { launch_template_id: refOnly(json, 'aws_launch_template', 'id'), version: refOnly(json, 'aws_launch_template', 'latest_version') },
          override: [{ instance_type: 'm6i.large' }, { instance_type: 'm7i.large' }, { instance_type: 'm5.large' }],
        },
      });
      expect(onlyOf(json, 'aws_launch_template').instance_type).toBe('m6i.large');
      expect(userDataScript(onlyOf(json, 'aws_launch_template'))).toContain('\nECS_ENABLE_SPOT_INSTANCE_DRAINING=true\n');
      // Replace spot instances AWS signals as at risk before they are interrupted.
      expect(asg.capacity_rebalance).toBe(true);
    });

    it('with gpuMetrics installs the CloudWatch agent publishing NVIDIA metrics per group, and grants its policy', () => {
      let provider!: AsgCapacityProvider;
      const { json } = synthConstructs((stack) => {
        const cluster = new EcsCluster(stack, 'cluster', { clusterName: 'demo' });
        provider = cluster.addAsgCapacityProvider('gpu', { ...ASG, vpc: vpcOf(stack), name: 'demo-gpu', instanceTypes: ['g4dn.xlarge'], gpu: true, gpuMetrics: { intervalSec: 30 } });
      });
      const lines = userDataScript(onlyOf(json, 'aws_launch_template')).split('\n');
      // The agent is installed after the ECS agent is configured: a failed install cannot keep the instance out of the cluster.
      // Retried: at first boot the NAT route may not carry traffic yet.
      const install = lines.findIndex((l) => l.startsWith('for attempt in $(seq 1 60); do dnf install -y amazon-cloudwatch-agent && break;'));
      expect(install).toBeGreaterThan(lines.indexOf('EOF'));
      const encoded = /^echo ([A-Za-z0-9+/=]+) \| base64 -d > (\S+)$/.exec(lines.find((l) => l.startsWith('echo '))!)!;
      const config = JSON.parse(Buffer.from(encoded[1], 'base64').toString('utf8'));
      expect(config.metrics.namespace).toBe('CWAgent');
      expect(config.metrics.aggregation_dimensions).toEqual([['AutoScalingGroupName']]);
      expect(config.metrics.append_dimensions.AutoScalingGroupName).toBe('${aws:AutoScalingGroupName}');
      expect(config.metrics.metrics_collected.nvidia_gpu.measurement).toEqual(expect.arrayContaining(['utilization_gpu', 'utilization_memory', 'memory_used']));
      expect(config.agent.metrics_collection_interval).toBe(30);
      expect(lines).toContain(`/opt/aws/amazon-cloudwatch-agent/bin/amazon-cloudwatch-agent-ctl -a fetch-config -m ec2 -s -c file:${encoded[2]}`);
      const attached = allOf(json, 'aws_iam_role_policy_attachment').map((a) => a.policy_arn);
      expect(attached).toContain('arn:aws:iam::aws:policy/CloudWatchAgentServerPolicy');
      expect(provider.metricGpuUtilization()).toEqual({
        namespace: 'CWAgent', metricName: 'nvidia_smi_utilization_gpu', stat: 'Average', label: 'demo-gpu GPU utilization',
        dimensions: { AutoScalingGroupName: expect.stringMatching(/^\$\{TfToken\[/) },
      });
    });

    it('without gpuMetrics installs no agent and has no GPU metric to read', () => {
      let provider!: AsgCapacityProvider;
      const { json } = synthConstructs((stack) => {
        provider = new EcsCluster(stack, 'cluster', { clusterName: 'demo' }).addAsgCapacityProvider('gpu', { ...ASG, vpc: vpcOf(stack), name: 'demo-gpu', instanceTypes: ['g4dn.xlarge'], gpu: true });
      });
      expect(userDataScript(onlyOf(json, 'aws_launch_template'))).not.toContain('cloudwatch-agent');
      expect(() => provider.metricGpuUtilization()).toThrow(/gpuMetrics: is not set: the instances publish no GPU utilization metric/);
    });

    it('takes the desired capacity, more agent settings, user data and managed policies', () => {
      const { json } = synthCluster({}, {
        gpu: {
          ...ASG,
          name: 'demo-gpu',
          instanceTypes: ['g4dn.xlarge'],
          gpu: true,
          minSize: 0,
          maxSize: 3,
          desiredCapacity: 1,
          ecsAgentConfig: { ECS_IMAGE_PULL_BEHAVIOR: 'prefer-cached' },
          extraUserData: ['yum install -y amazon-cloudwatch-agent'],
          extraManagedPolicyArns: ['arn:aws:iam::aws:policy/CloudWatchAgentServerPolicy'],
        },
      });
      expect(onlyOf(json, 'aws_autoscaling_group')).toMatchObject({ min_size: 0, max_size: 3, desired_capacity: 1, lifecycle: { ignore_changes: ['desired_capacity'] } });
      const script = userDataScript(onlyOf(json, 'aws_launch_template'));
      expect(script).toContain('\nECS_IMAGE_PULL_BEHAVIOR=prefer-cached\nEOF\nyum install -y amazon-cloudwatch-agent\n');
      expect(allOf(json, 'aws_iam_role_policy_attachment').map((a) => a.policy_arn)).toContain('arn:aws:iam::aws:policy/CloudWatchAgentServerPolicy');
      expect(errorOf(() => synthCluster({}, { cpu: { ...ASG, minSize: 1, maxSize: 2, desiredCapacity: 3 } }))).toBe('test/cluster/cpu: desiredCapacity: 3 is outside minSize..maxSize; allowed: 1 to 2');
      expect(errorOf(() => synthCluster({}, { cpu: { ...ASG, ecsAgentConfig: { CLUSTER: 'x' } } }))).toBe('test/cluster/cpu: ecsAgentConfig: "CLUSTER" is not an ECS agent setting (ECS_...)');
    });

    it('registers a provider made with new, and rejects a default strategy naming a provider the cluster does not have', () => {
      let cluster!: EcsCluster;
      synthConstructs((stack) => {
        cluster = new EcsCluster(stack, 'cluster', { clusterName: 'demo' });
        new AsgCapacityProvider(stack, 'cpu', { ...ASG, vpc: vpcOf(stack), cluster });
      });
      expect(cluster.capacityProviderNames).toEqual(['FARGATE', 'FARGATE_SPOT', 'demo-cpu']);
      const message = errorOf(() =>
        synthConstructs((stack) => {
          const c = new EcsCluster(stack, 'cluster', { clusterName: 'demo', defaultCapacityProviderStrategy: [{ capacityProvider: 'demo-cpuu', weight: 1 }] });
          c.addAsgCapacityProvider('cpu', { ...ASG, vpc: vpcOf(stack) });
        }),
      );
      expect(message).toContain('defaultCapacityProviderStrategy[0].capacityProvider: "demo-cpuu" is not a capacity provider of cluster cluster; allowed: "FARGATE", "FARGATE_SPOT", "demo-cpu"');
    });

    it('takes the on-demand base, percentage and spot allocation strategy from its props', () => {
      const { json } = synthCluster({}, { cpu: { ...ASG, spot: { onDemandBaseCapacity: 1, onDemandPercentageAboveBase: 25, allocationStrategy: 'capacity-optimized' } } });
      expect(onlyOf(json, 'aws_autoscaling_group').mixed_instances_policy.instances_distribution).toEqual({
        on_demand_base_capacity: 1,
        on_demand_percentage_above_base_capacity: 25,
        spot_allocation_strategy: 'capacity-optimized',
      });
    });

    it('keeps two providers apart', () => {
      const { json } = synthCluster({}, { a: ASG, b: { ...ASG, name: 'demo-spot', spot: {} } });
      expect(allOf(json, 'aws_autoscaling_group').map((a) => a.name)).toEqual(['demo-cpu', 'demo-spot']);
      expect(findBy(json, 'aws_iam_role', 'name_prefix', 'demo-spot-instance-')).toBeDefined();
      expect(findBy(json, 'aws_security_group', 'name_prefix', 'demo-spot-instances-')).toBeDefined();
      expect(findBy(json, 'aws_launch_template', 'name_prefix', 'demo-spot-')).toBeDefined();
    });
  });

  describe('validation', () => {
    it('rejects a bad cluster name', () => {
      expect(errorOf(() => synthCluster({ clusterName: 'demo cluster' }))).toBe(
        'test/cluster: clusterName: "demo cluster" is not an ECS cluster name (1-255 letters, digits, "-" and "_")',
      );
    });

    it('lists every problem of the cluster props together', () => {
      const message = errorOf(() =>
        synthCluster({
          clusterName: 'demo',
          containerInsights: 'on' as 'enabled',
          defaultCapacityProviderStrategy: [
            { capacityProvider: 'FARGATE', weight: 0, base: 1 },
            { capacityProvider: 'FARGATE_SPOT', weight: 1001, base: 100001 },
          ],
        }),
      );
      expect(message).toBe(
        [
          'test/cluster: invalid props:',
          '  containerInsights: "on" is not allowed; allowed: "enabled", "enhanced", "disabled"',
          '  defaultCapacityProviderStrategy[1].weight: 1001 is out of range; allowed: 0 to 1000',
          '  defaultCapacityProviderStrategy[1].base: 100001 is out of range; allowed: 0 to 100000',
          '  defaultCapacityProviderStrategy: sets "base" on more than one provider; ECS allows one',
        ].join('\n'),
      );
    });

    it('rejects an empty strategy and one with only zero weights', () => {
      expect(errorOf(() => synthCluster({ defaultCapacityProviderStrategy: [] }))).toBe('test/cluster: defaultCapacityProviderStrategy: is empty; give at least one provider');
      expect(errorOf(() => synthCluster({ defaultCapacityProviderStrategy: [{ capacityProvider: 'FARGATE', weight: 0 }] }))).toBe(
        'test/cluster: defaultCapacityProviderStrategy: has only zero weights; at least one weight must be positive',
      );
    });

    it.each(['ecs-workers', 'AWS-x', 'fargate1', 'bad name'])('rejects the capacity provider name %p', (name) => {
      expect(errorOf(() => synthCluster({}, { cpu: { ...ASG, name } }))).toBe(
        `test/cluster/cpu: name: ${JSON.stringify(name)} is not a capacity provider name; allowed: 1-90 letters, digits, "-" and "_", not starting with "aws", "ecs" or "fargate"`,
      );
    });

    it('lists every problem of the capacity provider props together', () => {
      const message = errorOf(() =>
        synthCluster({}, { cpu: { ...ASG, instanceTypes: [], minSize: 2, maxSize: 0, rootVolumeSizeGiB: 20, targetCapacityPercent: 0, spot: { onDemandPercentageAboveBase: 101 } } }),
      );
      expect(message).toBe(
        [
          'test/cluster/cpu: invalid props:',
          '  instanceTypes: [] is empty; give at least one instance type',
          '  maxSize: 0 is out of range; allowed: 1 to 1000',
          '  rootVolumeSizeGiB: 20 is out of range; allowed: 30 to 16384 GiB',
          '  targetCapacityPercent: 0 is out of range; allowed: 1 to 100',
          '  spot.onDemandPercentageAboveBase: 101 is out of range; allowed: 0 to 100',
          '  minSize: 2 is above maxSize 0',
        ].join('\n'),
      );
    });

    it('rejects malformed instance types, and types without an NVIDIA GPU when gpu is on', () => {
      expect(errorOf(() => synthCluster({}, { cpu: { ...ASG, instanceTypes: ['M6i.large'] } }))).toBe(
        'test/cluster/cpu: instanceTypes: "M6i.large" is not an EC2 instance type such as "g4dn.xlarge"',
      );
      expect(errorOf(() => synthCluster({}, { gpu: { ...ASG, name: 'demo-gpu', instanceTypes: ['g5.xlarge', 'm6i.large'], gpu: true } }))).toBe(
        'test/cluster/gpu: instanceTypes: "m6i.large" is not an x86 NVIDIA GPU instance type the ECS GPU AMI supports; allowed families: g4dn, g5, g6, g6e, p3, p4d, p5',
      );
      expect(errorOf(() => synthCluster({}, { gpu: { ...ASG, name: 'demo-gpu', instanceTypes: ['g4dn.3xlarge'], gpu: true } }))).toContain('g4dn sizes: g4dn.xlarge, g4dn.2xlarge');
    });

    it('rejects GPU metrics without GPUs and an interval the agent does not offer', () => {
      const message = errorOf(() => synthCluster({}, { cpu: { ...ASG, gpuMetrics: { intervalSec: 45 } } }));
      expect(message).toContain('gpuMetrics: {"intervalSec":45} needs gpu: true');
      expect(message).toContain('gpuMetrics.intervalSec: 45 is not an agent collection interval; allowed: 10, 30, 60, 120, 300');
    });

    it('accepts the 50 GiB GPU root volume default and rejects an explicit one under 30 GiB', () => {
      expect(() => synthCluster({}, { gpu: { ...ASG, name: 'demo-gpu', instanceTypes: ['p4d.24xlarge'], gpu: true } })).not.toThrow();
      expect(errorOf(() => synthCluster({}, { gpu: { ...ASG, name: 'demo-gpu', instanceTypes: ['p4d.24xlarge'], gpu: true, rootVolumeSizeGiB: 29 } }))).toBe(
        'test/cluster/gpu: rootVolumeSizeGiB: 29 is out of range; allowed: 30 to 16384 GiB',
      );
    });
  });
});

describe('EcsCluster default strategy without Fargate', () => {
  it('rejects a Fargate default strategy when Fargate is off', () => {
    expect(errorOf(() => synthCluster({ fargate: false }))).toContain(
      'test/cluster: defaultCapacityProviderStrategy[0].capacityProvider: "FARGATE" is not a capacity provider of cluster cluster; allowed: none registered',
    );
  });
});
