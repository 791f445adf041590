import { TerraformDataSource, TerraformOutput, TerraformResource, TerraformStack, Testing } from 'cdktf';
import { AwsStack } from '../../../src/core/aws-stack';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { DataAwsAvailabilityZones } from '@cdktf/provider-aws/lib/data-aws-availability-zones';
import { Eip } from '@cdktf/provider-aws/lib/eip';
import { FlowLog } from '@cdktf/provider-aws/lib/flow-log';
import { InternetGateway } from '@cdktf/provider-aws/lib/internet-gateway';
import { Route } from '@cdktf/provider-aws/lib/route';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { Vpc as VpcResource } from '@cdktf/provider-aws/lib/vpc';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { cidrSubnet, NatStrategy, Vpc, VpcProps } from '../../../src/network/vpc';
import { EXISTING_VPC, allOf, countOf, errorOf, existingVpc, filterOf, findBy, isAbsent, onlyOf, parseField, resourcesOf, statementsOf, Synthesized, synth, synthConstructs } from '../../helpers/synth';

const BASE: VpcProps = { namePrefix: 'demo' };
const PINNED = ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'];

function synthVpc(props: Partial<VpcProps> = {}) {
  return synthConstructs((stack) => new Vpc(stack, 'vpc', { ...BASE, ...props }));
}

/** `${type.logicalName}` of the one resource of `type` whose Name tag is `name`. */
function addressByName(json: Synthesized, type: string, name: string): string {
  const matches = resourcesOf(json, type).filter(([, body]) => body.tags?.Name === name);
  if (matches.length !== 1) throw new Error(`expected one ${type} named ${name}, found ${matches.length}`);
  return `${type}.${matches[0][0]}`;
}

/** `${address.attr}` token as it appears in the synthesized JSON. */
function ref(json: Synthesized, type: string, name: string, attr = 'id'): string {
  return `\${${addressByName(json, type, name)}.${attr}}`;
}

function subnetsOfType(json: Synthesized, type: 'public' | 'private'): Record<string, any>[] {
  return filterOf(json, 'aws_subnet', (s) => s.tags?.Type === type).sort((a, b) => a.tags.Name.localeCompare(b.tags.Name));
}

describe('Vpc', () => {
  it('builds a DNS-enabled VPC over two looked-up zones with public and private /20s and one NAT per zone by default', () => {
    const { text, json } = synthVpc();
    expect(text).toHaveResourceWithProperties(VpcResource, {
      cidr_block: '10.0.0.0/16',
      enable_dns_hostnames: true,
      enable_dns_support: true,
      tags: { Name: 'demo' },
    });
    expect(text).toHaveDataSourceWithProperties(DataAwsAvailabilityZones, {
      state: 'available',
      filter: [{ name: 'opt-in-status', values: ['opt-in-not-required'] }],
    });
    const zonesData = Object.keys(json.data?.aws_availability_zones ?? {});
    expect(zonesData).toHaveLength(1);
    const zoneOf = (i: number) => `\${element(data.aws_availability_zones.${zonesData[0]}.names, ${i})}`;

    const vpcId = ref(json, 'aws_vpc', 'demo');
    expect(subnetsOfType(json, 'public')).toEqual([
      { vpc_id: vpcId, cidr_block: '10.0.0.0/20', availability_zone: zoneOf(0), map_public_ip_on_launch: false, tags: { Name: 'demo-public-1', Type: 'public' } },
      { vpc_id: vpcId, cidr_block: '10.0.16.0/20', availability_zone: zoneOf(1), map_public_ip_on_launch: false, tags: { Name: 'demo-public-2', Type: 'public' } },
    ]);
    expect(subnetsOfType(json, 'private')).toEqual([
      { vpc_id: vpcId, cidr_block: '10.0.32.0/20', availability_zone: zoneOf(0), tags: { Name: 'demo-private-1', Type: 'private' } },
      { vpc_id: vpcId, cidr_block: '10.0.48.0/20', availability_zone: zoneOf(1), tags: { Name: 'demo-private-2', Type: 'private' } },
    ]);
    expect(countOf(json, 'aws_subnet')).toBe(4);

    expect(text).toHaveResourceWithProperties(InternetGateway, { vpc_id: vpcId, tags: { Name: 'demo-igw' } });
    expect(countOf(json, 'aws_nat_gateway')).toBe(2);
    expect(countOf(json, 'aws_eip')).toBe(2);
    // One public route table shared by the public subnets, one private route table per zone.
    expect(countOf(json, 'aws_route_table')).toBe(3);
    expect(countOf(json, 'aws_route_table_association')).toBe(4);

    // Nothing optional by default, but flow logs of rejected traffic and a closed default security group.
    expect(countOf(json, 'aws_vpc_endpoint')).toBe(0);
    expect(countOf(json, 'aws_security_group')).toBe(0);
    expect(onlyOf(json, 'aws_flow_log').traffic_type).toBe('REJECT');
    expect(onlyOf(json, 'aws_cloudwatch_log_group').retention_in_days).toBe(30);
    expect(onlyOf(json, 'aws_default_security_group')).toEqual({ vpc_id: vpcId, tags: { Name: 'demo-default-closed' } });
  });

  it('leaves out flow logs and the default security group when told to', () => {
    const { json } = synthVpc({ flowLogs: false, restrictDefaultSecurityGroup: false });
    for (const type of ['aws_flow_log', 'aws_cloudwatch_log_group', 'aws_iam_role', 'aws_default_security_group']) expect({ type, count: countOf(json, type) }).toEqual({ type, count: 0 });
  });

  it('routes public subnets to the internet gateway and each private subnet through its own zone NAT', () => {
    const { text, json } = synthVpc({ availabilityZones: PINNED });
    const publicRt = ref(json, 'aws_route_table', 'demo-public-rt');
    expect(text).toHaveResourceWithProperties(Route, {
      route_table_id: publicRt,
      destination_cidr_block: '0.0.0.0/0',
      gateway_id: ref(json, 'aws_internet_gateway', 'demo-igw'),
    });
    for (let i = 1; i <= 3; i++) {
      expect(findBy(json, 'aws_route_table_association', 'subnet_id', ref(json, 'aws_subnet', `demo-public-${i}`)).route_table_id).toBe(publicRt);
      const privateRt = ref(json, 'aws_route_table', `demo-private-rt-${i}`);
      expect(findBy(json, 'aws_route_table_association', 'subnet_id', ref(json, 'aws_subnet', `demo-private-${i}`)).route_table_id).toBe(privateRt);
      const route = findBy(json, 'aws_route', 'route_table_id', privateRt);
      expect(route).toEqual({ route_table_id: privateRt, destination_cidr_block: '0.0.0.0/0', nat_gateway_id: ref(json, 'aws_nat_gateway', `demo-nat-${i}`) });

      // NAT i lives in public subnet i, with its own EIP, after the internet gateway exists.
      const nat = findBy(json, 'aws_nat_gateway', 'subnet_id', ref(json, 'aws_subnet', `demo-public-${i}`));
      expect(nat.allocation_id).toBe(ref(json, 'aws_eip', `demo-nat-${i}`));
      expect(nat.depends_on).toEqual([addressByName(json, 'aws_internet_gateway', 'demo-igw')]);
    }
    expect(text).toHaveResourceWithProperties(Eip, { domain: 'vpc', tags: { Name: 'demo-nat-1' }, depends_on: [addressByName(json, 'aws_internet_gateway', 'demo-igw')] });
  });

  it.each<[NatStrategy, number]>([
    ['none', 0],
    ['single', 1],
    ['perAz', 3],
  ])('NAT strategy %s gives %i NAT gateways and EIPs, and still one private route table per zone', (natGateways, nats) => {
    const { json } = synthVpc({ availabilityZones: PINNED, natGateways });
    expect(countOf(json, 'aws_nat_gateway')).toBe(nats);
    expect(countOf(json, 'aws_eip')).toBe(nats);
    expect(filterOf(json, 'aws_route_table', (rt) => /^demo-private-rt-\d$/.test(rt.tags.Name))).toHaveLength(3);
    const natRoutes = filterOf(json, 'aws_route', (r) => r.nat_gateway_id !== undefined);
    expect(natRoutes).toHaveLength(nats === 0 ? 0 : 3);
    // Only the public internet route remains without NAT.
    expect(countOf(json, 'aws_route')).toBe(1 + natRoutes.length);
  });

  it('with a single NAT gateway puts it in the first public subnet and routes every zone through it', () => {
    const { json } = synthVpc({ availabilityZones: PINNED, natGateways: 'single' });
    const nat = onlyOf(json, 'aws_nat_gateway');
    expect(nat.subnet_id).toBe(ref(json, 'aws_subnet', 'demo-public-1'));
    const natId = ref(json, 'aws_nat_gateway', 'demo-nat-1');
    const targets = filterOf(json, 'aws_route', (r) => r.nat_gateway_id !== undefined).map((r) => r.nat_gateway_id);
    expect(targets).toEqual([natId, natId, natId]);
  });

  it('with a NAT instance routes every private subnet through one hardened Graviton instance with an Elastic IP, and no NAT gateway', () => {
    const { json } = synthVpc({ availabilityZones: PINNED.slice(0, 2), natGateways: 'instance' });
    expect(countOf(json, 'aws_nat_gateway')).toBe(0);
    const instance = onlyOf(json, 'aws_instance');
    expect(instance).toMatchObject({
      instance_type: 't4g.nano',
      source_dest_check: false,
      metadata_options: { http_tokens: 'required', http_endpoint: 'enabled', http_put_response_hop_limit: 1 },
      root_block_device: { encrypted: true, volume_type: 'gp3', volume_size: 8 },
      maintenance_options: { auto_recovery: 'default' },
      lifecycle: { ignore_changes: ['ami'] },
    });
    expect(instance.subnet_id).toBe(ref(json, 'aws_subnet', 'demo-public-1'));
    expect(instance.ami).toMatch(/^\$\{data\.aws_ssm_parameter\.[\w-]+\.insecure_value\}$/);
    expect(Object.values(json.data!.aws_ssm_parameter)[0].name).toBe('/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64');
    const script = Buffer.from(instance.user_data_base64, 'base64').toString('utf8');
    expect(script).toContain('iptables -t nat -A POSTROUTING -o $IFACE -j MASQUERADE');
    expect(script).toContain('systemctl enable --now nat.service');
    expect(instance.user_data_replace_on_change).toBe(true);
    const [instanceKey] = resourcesOf(json, 'aws_instance')[0];
    const eni = `\${aws_instance.${instanceKey}.primary_network_interface_id}`;
    const natRoutes = filterOf(json, 'aws_route', (r) => r.network_interface_id !== undefined);
    expect(natRoutes.map((r) => [r.destination_cidr_block, r.network_interface_id])).toEqual([['0.0.0.0/0', eni], ['0.0.0.0/0', eni]]);
    expect(onlyOf(json, 'aws_eip').instance).toBe(`\${aws_instance.${instanceKey}.id}`);
    // Only the VPC may send through it; the instance role has Session Manager and nothing else.
    const sg = ref(json, 'aws_security_group', 'demo-nat');
    expect(filterOf(json, 'aws_vpc_security_group_ingress_rule', (r) => r.security_group_id === sg).map((r) => [r.cidr_ipv4, r.ip_protocol])).toEqual([['10.0.0.0/16', '-1']]);
    expect(allOf(json, 'aws_iam_role_policy_attachment').map((a) => a.policy_arn)).toEqual(['arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore']);
  });

  it('with a NAT instance takes a pinned AMI (no look-up) and an x86 type', () => {
    const { json } = synthVpc({ availabilityZones: PINNED.slice(0, 2), natGateways: 'instance', natInstance: { instanceType: 't3.micro', amiId: 'ami-0123456789abcdef0' } });
    expect(onlyOf(json, 'aws_instance')).toMatchObject({ instance_type: 't3.micro', ami: 'ami-0123456789abcdef0', credit_specification: { cpu_credits: 'standard' } });
    expect(json.data?.aws_ssm_parameter).toBeUndefined();
    expect(errorOf(() => synthVpc({ natGateways: 'single', natInstance: { instanceType: 't4g.nano' } }))).toContain('natInstance: has no effect with natGateways "single"');
  });

  it('uses pinned zones as given, with no zone lookup, and ignores azCount', () => {
    const { text, json } = synthVpc({ availabilityZones: PINNED, azCount: 5 });
    expect(text).not.toHaveDataSource(DataAwsAvailabilityZones);
    expect(json.data).toBeUndefined();
    expect(subnetsOfType(json, 'public').map((s) => s.availability_zone)).toEqual(PINNED);
  });

  it('numbers subnets by zone: the first two as the documents do, each further zone the next free pair, so a new zone only adds subnets', () => {
    const cidrs = (props: Partial<VpcProps>) => {
      const { json } = synthVpc(props);
      return { public: subnetsOfType(json, 'public').map((s) => s.cidr_block), private: subnetsOfType(json, 'private').map((s) => s.cidr_block) };
    };
    const two = cidrs({ availabilityZones: PINNED.slice(0, 2) });
    expect(two).toEqual({ public: ['10.0.0.0/20', '10.0.16.0/20'], private: ['10.0.32.0/20', '10.0.48.0/20'] });
    const three = cidrs({ availabilityZones: PINNED });
    expect(three).toEqual({ public: [...two.public, '10.0.64.0/20'], private: [...two.private, '10.0.80.0/20'] });
    // A deployment first made with three zones (release 0.4 numbered public 0..2, private 3..5) keeps its ranges.
    expect(cidrs({ availabilityZones: PINNED, subnetLayoutZones: 3 })).toEqual({ public: ['10.0.0.0/20', '10.0.16.0/20', '10.0.32.0/20'], private: ['10.0.48.0/20', '10.0.64.0/20', '10.0.80.0/20'] });
    // A fixed private offset: public i, private offset + i.
    expect(cidrs({ availabilityZones: PINNED, privateSubnetOffset: 8 }).private).toEqual(['10.0.128.0/20', '10.0.144.0/20', '10.0.160.0/20']);
  });

  it('lays six zones out within 16 subnets, and says when the bits cannot hold the layout', () => {
    const { json } = synthVpc({ azCount: 6 });
    const cidrs = allOf(json, 'aws_subnet').map((s) => s.cidr_block);
    expect(cidrs).toHaveLength(12);
    expect(new Set(cidrs).size).toBe(12);
    expect(cidrs.every((c) => /^10\.0\.\d+\.0\/20$/.test(c) && Number(c.split('.')[2]) < 192)).toBe(true);
    expect(errorOf(() => synthVpc({ azCount: 6, subnetNewBits: 3 }))).toContain('subnetNewBits: 3 bits give 8 subnets, fewer than the 12 the layout needs');
  });

  it('looks up azCount zones by position when none are pinned', () => {
    const { json } = synthVpc({ azCount: 3 });
    const [zonesData] = Object.keys(json.data?.aws_availability_zones ?? {});
    const zones = subnetsOfType(json, 'private').map((s) => s.availability_zone);
    expect(zones).toEqual([0, 1, 2].map((i) => `\${element(data.aws_availability_zones.${zonesData}.names, ${i})}`));
    expect(countOf(json, 'aws_subnet')).toBe(6);
    expect(countOf(json, 'aws_nat_gateway')).toBe(3);
  });

  it('lays subnets out from a custom CIDR and subnetNewBits, and can map public IPs in public subnets only', () => {
    const { text, json } = synthVpc({ cidr: '10.1.0.0/16', subnetNewBits: 8, mapPublicIpOnLaunch: true, natGateways: 'none' });
    expect(text).toHaveResourceWithProperties(VpcResource, { cidr_block: '10.1.0.0/16' });
    const publics = subnetsOfType(json, 'public');
    expect(publics.map((s) => s.cidr_block)).toEqual(['10.1.0.0/24', '10.1.1.0/24']);
    expect(publics.every((s) => s.map_public_ip_on_launch === true)).toBe(true);
    const privates = subnetsOfType(json, 'private');
    expect(privates.map((s) => s.cidr_block)).toEqual(['10.1.2.0/24', '10.1.3.0/24']);
    expect(privates.every((s) => isAbsent(s, 'map_public_ip_on_launch'))).toBe(true);
  });

  it('attaches gateway endpoints to the public and every private route table, without an endpoint security group', () => {
    const { json } = synthVpc({ gatewayEndpoints: ['s3', 'dynamodb'] });
    const routeTables = [
      ref(json, 'aws_route_table', 'demo-public-rt'),
      ref(json, 'aws_route_table', 'demo-private-rt-1'),
      ref(json, 'aws_route_table', 'demo-private-rt-2'),
    ];
    for (const service of ['s3', 'dynamodb']) {
      // The service names take the stack's region (eu-west-1 here).
      expect(findBy(json, 'aws_vpc_endpoint', 'service_name', `com.amazonaws.eu-west-1.${service}`)).toEqual({
        vpc_id: ref(json, 'aws_vpc', 'demo'),
        service_name: `com.amazonaws.eu-west-1.${service}`,
        vpc_endpoint_type: 'Gateway',
        route_table_ids: routeTables,
        tags: { Name: `demo-${service}` },
      });
    }
    expect(countOf(json, 'aws_vpc_endpoint')).toBe(2);
    expect(countOf(json, 'aws_security_group')).toBe(0);
    expect(countOf(json, 'aws_vpc_security_group_ingress_rule')).toBe(0);
  });

  it('puts interface endpoints in the private subnets behind a security group open to HTTPS from the VPC CIDR', () => {
    const { text, json } = synthVpc({ interfaceEndpoints: ['ecr.api', 'ecr.dkr', 'logs'] });
    const vpcId = ref(json, 'aws_vpc', 'demo');
    expect(text).toHaveResourceWithProperties(SecurityGroup, {
      name_prefix: 'demo-vpc-endpoints-',
      vpc_id: vpcId,
      description: 'HTTPS from the VPC to its interface endpoints',
      lifecycle: { create_before_destroy: true },
    });
    const sgId = ref(json, 'aws_security_group', 'demo-vpc-endpoints');
    expect(countOf(json, 'aws_vpc_security_group_egress_rule')).toBe(0);
    expect(text).toHaveResourceWithProperties(VpcSecurityGroupIngressRule, {
      security_group_id: sgId,
      cidr_ipv4: '10.0.0.0/16',
      ip_protocol: 'tcp',
      from_port: 443,
      to_port: 443,
    });
    expect(countOf(json, 'aws_vpc_security_group_ingress_rule')).toBe(1);
    const privateSubnets = [ref(json, 'aws_subnet', 'demo-private-1'), ref(json, 'aws_subnet', 'demo-private-2')];
    const endpoints = allOf(json, 'aws_vpc_endpoint');
    expect(endpoints.map((e) => e.service_name)).toEqual(['com.amazonaws.eu-west-1.ecr.api', 'com.amazonaws.eu-west-1.ecr.dkr', 'com.amazonaws.eu-west-1.logs']);
    for (const e of endpoints) {
      expect(e).toMatchObject({
        vpc_id: vpcId,
        vpc_endpoint_type: 'Interface',
        private_dns_enabled: true,
        subnet_ids: privateSubnets,
        security_group_ids: [sgId],
      });
      expect(isAbsent(e, 'route_table_ids')).toBe(true);
    }
  });

  it('sends rejected traffic to a 30-day log group through a role the flow-logs service assumes', () => {
    const { text, json } = synthVpc({ flowLogs: {} });
    expect(text).toHaveResourceWithProperties(CloudwatchLogGroup, { name: '/vpc/demo/flow-logs', retention_in_days: 30 });
    const groupArn = ref(json, 'aws_cloudwatch_log_group', '/vpc/demo/flow-logs', 'arn');
    const role = onlyOf(json, 'aws_iam_role');
    expect(role.name_prefix).toBe('demo-vpc-flow-logs-');
    expect(statementsOf(role, 'assume_role_policy')).toEqual([
      { Effect: 'Allow', Principal: { Service: 'vpc-flow-logs.amazonaws.com' }, Action: 'sts:AssumeRole' },
    ]);
    const [roleKey] = resourcesOf(json, 'aws_iam_role')[0];
    const policy = onlyOf(json, 'aws_iam_role_policy');
    expect(policy.role).toBe(`\${aws_iam_role.${roleKey}.id}`);
    expect(parseField(policy, 'policy').Version).toBe('2012-10-17');
    expect(statementsOf(policy)).toEqual([
      { Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'], Resource: `${groupArn}:*` },
    ]);
    expect(text).toHaveResourceWithProperties(FlowLog, {
      vpc_id: ref(json, 'aws_vpc', 'demo'),
      traffic_type: 'REJECT',
      log_destination_type: 'cloud-watch-logs',
      log_destination: groupArn,
      iam_role_arn: `\${aws_iam_role.${roleKey}.arn}`,
    });
    // The flow log starts only once its role may write.
    const [policyKey] = resourcesOf(json, 'aws_iam_role_policy')[0];
    expect(onlyOf(json, 'aws_flow_log').depends_on).toEqual([`aws_iam_role_policy.${policyKey}`]);
  });

  it('takes the flow log retention and traffic type from its props', () => {
    const { json } = synthVpc({ flowLogs: { retentionDays: 90, trafficType: 'ALL' } });
    expect(onlyOf(json, 'aws_cloudwatch_log_group').retention_in_days).toBe(90);
    expect(onlyOf(json, 'aws_flow_log').traffic_type).toBe('ALL');
  });

  it('exposes subnet, route table, NAT IP and endpoint security group references', () => {
    let vpc!: Vpc;
    const { json } = synthConstructs((stack) => {
      vpc = new Vpc(stack, 'vpc', { ...BASE, availabilityZones: PINNED.slice(0, 2), natGateways: 'single', interfaceEndpoints: ['sts'] });
      new TerraformOutput(stack, 'public', { value: vpc.publicSubnetIds });
      new TerraformOutput(stack, 'private', { value: vpc.privateSubnetIds });
      new TerraformOutput(stack, 'private-rts', { value: vpc.privateRouteTableIds });
      new TerraformOutput(stack, 'public-rt', { value: vpc.publicRouteTableId });
      new TerraformOutput(stack, 'nat-ips', { value: vpc.natPublicIps });
      new TerraformOutput(stack, 'endpoint-sg', { value: vpc.endpointSecurityGroupId });
      new TerraformOutput(stack, 'cidr', { value: vpc.vpcCidr });
    });
    expect(vpc.availabilityZones).toEqual(['eu-west-1a', 'eu-west-1b']);
    const out = json.output ?? {};
    expect(out.public.value).toEqual([ref(json, 'aws_subnet', 'demo-public-1'), ref(json, 'aws_subnet', 'demo-public-2')]);
    expect(out.private.value).toEqual([ref(json, 'aws_subnet', 'demo-private-1'), ref(json, 'aws_subnet', 'demo-private-2')]);
    expect(out['private-rts'].value).toEqual([ref(json, 'aws_route_table', 'demo-private-rt-1'), ref(json, 'aws_route_table', 'demo-private-rt-2')]);
    expect(out['public-rt'].value).toBe(ref(json, 'aws_route_table', 'demo-public-rt'));
    expect(out['nat-ips'].value).toEqual([ref(json, 'aws_eip', 'demo-nat-1', 'public_ip')]);
    expect(out['endpoint-sg'].value).toBe(ref(json, 'aws_security_group', 'demo-vpc-endpoints'));
    expect(out.cidr.value).toBe(ref(json, 'aws_vpc', 'demo', 'cidr_block'));
  });

  it('has no NAT IPs and no endpoint security group when it has neither', () => {
    let vpc!: Vpc;
    synthConstructs((stack) => {
      vpc = new Vpc(stack, 'vpc', { ...BASE, natGateways: 'none' });
    });
    expect(vpc.natPublicIps).toEqual([]);
    expect(vpc.endpointSecurityGroupId).toBeUndefined();
    expect(vpc.availabilityZones).toHaveLength(2);
  });

  it('names its endpoint services after the region of its stack', () => {
    const stack = new AwsStack(Testing.app(), 'test', { region: 'us-east-2', project: 'test', environment: 'test', accountId: '123456789012' });
    new Vpc(stack, 'vpc', { ...BASE, availabilityZones: ['us-east-2a', 'us-east-2b'], gatewayEndpoints: ['s3'], interfaceEndpoints: ['logs'] });
    const { json } = synth(stack);
    expect(allOf(json, 'aws_vpc_endpoint').map((e) => e.service_name).sort()).toEqual(['com.amazonaws.us-east-2.logs', 'com.amazonaws.us-east-2.s3']);
  });

  it('exposes the VPC resource as resource', () => {
    let vpc!: Vpc;
    const { json } = synthConstructs((stack) => {
      vpc = new Vpc(stack, 'vpc', BASE);
      new TerraformOutput(stack, 'id', { value: vpc.resource.id });
    });
    expect(json.output?.id.value).toBe(ref(json, 'aws_vpc', 'demo'));
    expect(vpc.resource).toBeInstanceOf(VpcResource);
  });

  describe('fromAttributes', () => {
    it('describes a VPC made elsewhere: its ids, CIDR block and subnets, and creates nothing', () => {
      let vpc!: ReturnType<typeof Vpc.fromAttributes>;
      const { json } = synthConstructs((stack) => {
        vpc = existingVpc(stack);
      });
      expect(json.resource).toBeUndefined();
      expect(json.data).toBeUndefined();
      expect([vpc.vpcId, vpc.cidr, vpc.vpcCidr, vpc.privateSubnetIds, vpc.publicSubnetIds]).toEqual([EXISTING_VPC.vpcId, '10.0.0.0/16', '10.0.0.0/16', EXISTING_VPC.privateSubnetIds, EXISTING_VPC.publicSubnetIds]);
      expect(vpc.egressDependables).toEqual([]);
      // Unless told otherwise, the private subnets reach the outside (a NAT gateway): no egress problem.
      expect(vpc.egressProblems(['ecr.api', 'logs'])).toEqual([]);
    });

    it('checks its egress against what it is told: without NAT, only the endpoints it has', () => {
      let vpc!: ReturnType<typeof Vpc.fromAttributes>;
      synthConstructs((stack) => {
        vpc = existingVpc(stack, { publicSubnetIds: [], egress: { natGateways: 'none', gatewayEndpoints: ['s3'], interfaceEndpoints: ['logs'] } });
      });
      expect(vpc.publicSubnetIds).toEqual([]);
      expect(vpc.egressProblems(['s3', 'logs', 'ecr.api'])).toEqual([
        'without a NAT gateway, private subnets reach "ecr.api" only through a VPC endpoint; add "ecr.api" to interfaceEndpoints or use a NAT gateway',
      ]);
    });

    it('rejects ids that are not a VPC or subnet id, a malformed CIDR and no private subnet, together', () => {
      expect(errorOf(() => synthConstructs((stack) => existingVpc(stack, { vpcId: 'vpc-1', cidr: '10.0.0/16', privateSubnetIds: [], publicSubnetIds: ['subnet-a'] })))).toBe(
        [
          'test/vpc: invalid props:',
          '  vpcId: "vpc-1" is not a VPC id; allowed: "vpc-" and 8 or 17 hexadecimal digits, e.g. "vpc-0123456789abcdef0"',
          '  cidr: "10.0.0/16" is not an IPv4 CIDR block; allowed: e.g. "10.0.0.0/16"',
          '  privateSubnetIds: [] is empty; give the private subnets, one per zone',
          '  publicSubnetIds[0]: "subnet-a" is not a subnet id; allowed: "subnet-" and 8 or 17 hexadecimal digits',
        ].join('\n'),
      );
    });
  });

  describe('validation', () => {
    it('rejects a CIDR prefix AWS does not allow for a VPC', () => {
      expect(errorOf(() => synthVpc({ cidr: '10.0.0.0/8' }))).toBe('test/vpc: cidr: "10.0.0.0/8" has a prefix AWS does not allow for a VPC; allowed: /16 to /28');
    });

    it('rejects a CIDR with host bits set (the provider would at plan time)', () => {
      expect(errorOf(() => synthVpc({ cidr: '10.0.5.0/16' }))).toBe('test/vpc: cidr: "10.0.5.0/16" has host bits set; allowed: the network address "10.0.0.0/16"');
    });

    it('reports an empty zone list under availabilityZones', () => {
      expect(errorOf(() => synthVpc({ availabilityZones: [] }))).toBe('test/vpc: availabilityZones: [] must name 1 to 6 zones');
    });

    it('rejects a flow log retention CloudWatch does not offer', () => {
      expect(errorOf(() => synthVpc({ flowLogs: { retentionDays: 10 } }))).toMatch(/^test\/vpc: flowLogs\.retentionDays: 10 is not a CloudWatch retention; allowed: 1, 3, 5, 7, 14, 30/);
    });

    it('can keep private subnets in a fixed range so zones can be added', () => {
      const { json } = synthVpc({ availabilityZones: ['eu-west-1a', 'eu-west-1b'], privateSubnetOffset: 8 });
      expect(filterOf(json, 'aws_subnet', (s) => s.tags.Type === 'private').map((s) => s.cidr_block)).toEqual(['10.0.128.0/20', '10.0.144.0/20']);
      expect(errorOf(() => synthVpc({ availabilityZones: ['eu-west-1a', 'eu-west-1b'], privateSubnetOffset: 1 }))).toBe(
        'test/vpc: privateSubnetOffset: 1 overlaps the 2 public subnets; allowed: 2 or more',
      );
    });

    it('offers the same service as gateway and interface endpoint', () => {
      const { json } = synthVpc({ availabilityZones: ['eu-west-1a', 'eu-west-1b'], gatewayEndpoints: ['s3'], interfaceEndpoints: ['s3'] });
      expect(allOf(json, 'aws_vpc_endpoint').map((e) => e.vpc_endpoint_type).sort()).toEqual(['Gateway', 'Interface']);
    });

    it('rejects a malformed CIDR', () => {
      expect(errorOf(() => synthVpc({ cidr: '10.0.0/16' }))).toBe('test/vpc: cidr: "10.0.0/16" is not an IPv4 CIDR block; allowed: e.g. "10.0.0.0/16"');
    });

    it('rejects too few subnet bits for the zones', () => {
      expect(errorOf(() => synthVpc({ availabilityZones: PINNED, subnetNewBits: 2 }))).toBe(
        'test/vpc: subnetNewBits: 2 bits give 4 subnets, fewer than the 6 the layout needs',
      );
    });

    it('rejects subnets smaller than /28', () => {
      expect(errorOf(() => synthVpc({ cidr: '10.0.0.0/24', subnetNewBits: 5 }))).toBe('test/vpc: subnetNewBits: 5 on a /24 gives /29 subnets; AWS allows /28 at the smallest');
    });

    it('lists every problem together', () => {
      const message = errorOf(() => synthVpc({ cidr: '10.0.0.0/26', natGateways: 'nat' as NatStrategy, azCount: 7 }));
      expect(message).toBe(
        [
          'test/vpc: invalid props:',
          '  subnetNewBits: 4 on a /26 gives /30 subnets; AWS allows /28 at the smallest',
          '  azCount: 7 is out of range; allowed: 1 to 6',
          '  natGateways: "nat" is not allowed; allowed: "none", "single", "perAz", "instance"',
        ].join('\n'),
      );
    });

    it('reports an out-of-range subnetNewBits together with the subnet size it gives', () => {
      expect(errorOf(() => synthVpc({ subnetNewBits: 13 }))).toBe(
        ['test/vpc: invalid props:', '  subnetNewBits: 13 on a /16 gives /29 subnets; AWS allows /28 at the smallest', '  subnetNewBits: 13 is out of range; allowed: 1 to 12'].join('\n'),
      );
    });

    it('checks props before creating any resource', () => {
      const stack = new TerraformStack(Testing.app(), 'test');
      expect(errorOf(() => new Vpc(stack, 'vpc', { ...BASE, azCount: 0 }))).toBe('test/vpc: azCount: 0 is out of range; allowed: 1 to 6');
      expect(stack.node.findAll().filter((c) => c instanceof TerraformResource || c instanceof TerraformDataSource)).toEqual([]);
    });
  });
});

describe('cidrSubnet', () => {
  it.each<[string, number, number, string]>([
    ['10.0.0.0/16', 4, 0, '10.0.0.0/20'],
    ['10.0.0.0/16', 4, 2, '10.0.32.0/20'],
    ['10.0.0.0/16', 4, 15, '10.0.240.0/20'],
    ['10.1.0.0/16', 8, 3, '10.1.3.0/24'],
    ['10.0.0.0/16', 0, 0, '10.0.0.0/16'],
    ['172.16.0.0/12', 4, 15, '172.31.0.0/16'],
    ['192.168.0.0/24', 4, 3, '192.168.0.48/28'],
    // Addresses above 2^31 (no sign-bit trouble) and the whole address space.
    ['200.0.0.0/8', 8, 255, '200.255.0.0/16'],
    ['0.0.0.0/0', 1, 1, '128.0.0.0/1'],
    ['10.0.0.0/24', 8, 255, '10.0.0.255/32'],
    // Like Terraform, host bits of the prefix are ignored.
    ['10.0.5.0/16', 4, 1, '10.0.16.0/20'],
  ])('cidrsubnet("%s", %i, %i) = %s', (prefix, newBits, netNum, expected) => {
    expect(cidrSubnet(prefix, newBits, netNum)).toBe(expected);
  });

  it('fails, as Terraform does, when the subnet would be longer than /32 or the number does not fit', () => {
    expect(() => cidrSubnet('10.0.0.0/30', 4, 0)).toThrow('cidrSubnet: 10.0.0.0/30 + 4 bits exceeds /32');
    expect(() => cidrSubnet('10.0.0.0/16', 4, 16)).toThrow('cidrSubnet: network number 16 does not fit in 4 bits');
    expect(() => cidrSubnet('10.0.0.0/16', 4, -1)).toThrow('cidrSubnet: network number -1 does not fit in 4 bits');
  });
});
