import { Construct } from 'constructs';
import { Fn } from 'cdktf';
import { Vpc as VpcResource } from '@cdktf/provider-aws/lib/vpc';
import { Subnet } from '@cdktf/provider-aws/lib/subnet';
import { InternetGateway } from '@cdktf/provider-aws/lib/internet-gateway';
import { Eip } from '@cdktf/provider-aws/lib/eip';
import { NatGateway } from '@cdktf/provider-aws/lib/nat-gateway';
import { RouteTable } from '@cdktf/provider-aws/lib/route-table';
import { Route } from '@cdktf/provider-aws/lib/route';
import { RouteTableAssociation } from '@cdktf/provider-aws/lib/route-table-association';
import { VpcEndpoint } from '@cdktf/provider-aws/lib/vpc-endpoint';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { DataAwsAvailabilityZones } from '@cdktf/provider-aws/lib/data-aws-availability-zones';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { FlowLog } from '@cdktf/provider-aws/lib/flow-log';
import { assumeRolePolicy, policyDocument } from '../core/iam';
import { NameLimits, RETENTION_DAYS, fitName } from '../core/naming';
import { nameTags } from '../core/tags';
import { PropsValidator } from '../core/validation';
import { isCidr } from '../settings/schema';

/** How private subnets reach the internet. */
export type NatStrategy = 'none' | 'single' | 'perAz';

/** Gateway endpoints (free; routed through the route tables). */
export type GatewayEndpointService = 's3' | 'dynamodb';

export interface FlowLogsProps {
  /**
   * Days the flow log group keeps records.
   * @default 30
   */
  readonly retentionDays?: number;
  /**
   * Which traffic to record.
   * @default "REJECT"
   */
  readonly trafficType?: 'ACCEPT' | 'REJECT' | 'ALL';
}

export interface VpcProps {
  /** Prefix of every name, e.g. `artwork-matcher-demo`. */
  readonly namePrefix: string;
  /** AWS region (used for endpoint service names). */
  readonly region: string;
  /**
   * IPv4 CIDR block of the VPC.
   * @default "10.0.0.0/16"
   */
  readonly cidr?: string;
  /**
   * Availability zones, pinned. Subnets are keyed by position in this list: append zones at the end.
   * @default - the first `azCount` zones of the region, looked up at plan time
   */
  readonly availabilityZones?: readonly string[];
  /**
   * How many zones to look up when `availabilityZones` is not given.
   * @default 2
   */
  readonly azCount?: number;
  /**
   * Bits added to the VPC prefix for each subnet: public subnet i is `cidrsubnet(cidr, bits, i)`,
   * private subnet i is `cidrsubnet(cidr, bits, privateSubnetOffset + i)` (/20s of a /16).
   * @default 4
   */
  readonly subnetNewBits?: number;
  /**
   * Network number of the first private subnet: private subnet i is
   * `cidrsubnet(cidr, subnetNewBits, privateSubnetOffset + i)`. The default is the documents'
   * layout, which renumbers every private subnet when a zone is added; set a fixed offset (e.g. 8,
   * the upper half of a /16) for a layout that can grow.
   * @default the number of zones
   */
  readonly privateSubnetOffset?: number;
  /**
   * NAT gateways: none, one shared by every zone, or one per zone (zone-independent egress).
   * @default "perAz"
   */
  readonly natGateways?: NatStrategy;
  /**
   * Give instances launched in public subnets a public IP. Nothing here launches instances in
   * public subnets (ALBs and NAT gateways do not need it), so it is off.
   * @default false
   */
  readonly mapPublicIpOnLaunch?: boolean;
  /**
   * Gateway endpoints, attached to every route table.
   * @default []
   */
  readonly gatewayEndpoints?: readonly GatewayEndpointService[];
  /**
   * Interface endpoints by service suffix (`ecr.api`, `ecr.dkr`, `logs`, `secretsmanager`, `ssm`,
   * `sts`, ...), in the private subnets, with private DNS and their own security group that allows
   * HTTPS from the VPC CIDR.
   * @default []
   */
  readonly interfaceEndpoints?: readonly string[];
  /**
   * VPC flow logs to CloudWatch Logs.
   * @default - no flow logs
   */
  readonly flowLogs?: FlowLogsProps;
}

/**
 * A VPC with public and private subnets over N availability zones, an internet gateway, NAT
 * gateways by strategy, one private route table per zone, and optional endpoints and flow logs.
 */
export class Vpc extends Construct {
  public readonly vpcId: string;
  public readonly vpcCidr: string;
  /** Zone names (tokens when looked up). */
  public readonly availabilityZones: string[];
  public readonly publicSubnetIds: string[];
  public readonly privateSubnetIds: string[];
  public readonly publicRouteTableId: string;
  public readonly privateRouteTableIds: string[];
  /** Public IPs of the NAT gateways (empty without NAT). */
  public readonly natPublicIps: string[];
  /** Security group of the interface endpoints, when there are any. */
  public readonly endpointSecurityGroupId?: string;

  constructor(scope: Construct, id: string, props: VpcProps) {
    super(scope, id);
    const cidr = props.cidr ?? '10.0.0.0/16';
    const bits = props.subnetNewBits ?? 4;
    const nat = props.natGateways ?? 'perAz';
    const azCount = props.availabilityZones?.length ?? props.azCount ?? 2;
    const privateOffset = props.privateSubnetOffset ?? azCount;
    const prefixLength = Number(cidr.split('/')[1]);
    const v = new PropsValidator(this).check(isCidr(cidr), 'cidr', cidr, 'is not an IPv4 CIDR block; allowed: e.g. "10.0.0.0/16"');
    if (isCidr(cidr)) {
      v.check(prefixLength >= 16 && prefixLength <= 28, 'cidr', cidr, 'has a prefix AWS does not allow for a VPC; allowed: /16 to /28');
      v.check(cidrSubnet(cidr, 0, 0) === cidr, 'cidr', cidr, `has host bits set; allowed: the network address ${JSON.stringify(cidrSubnet(cidr, 0, 0))}`);
      if (prefixLength + bits > 28) v.fail('subnetNewBits', `${bits} on a /${prefixLength} gives /${prefixLength + bits} subnets; AWS allows /28 at the smallest`);
    }
    if (props.availabilityZones) v.check(azCount >= 1 && azCount <= 6, 'availabilityZones', props.availabilityZones, 'must name 1 to 6 zones');
    else v.range('azCount', azCount, 1, 6);
    v.range('subnetNewBits', bits, 1, 12)
      .check(['none', 'single', 'perAz'].includes(nat), 'natGateways', nat, 'is not a NAT strategy; allowed: "none", "single", "perAz"');
    if (privateOffset < azCount) v.fail('privateSubnetOffset', `${privateOffset} overlaps the ${azCount} public subnets; allowed: ${azCount} or more`);
    if (privateOffset + azCount > 2 ** bits) v.fail('subnetNewBits', `${bits} bits give ${2 ** bits} subnets, fewer than the ${privateOffset + azCount} the layout needs`);
    if (props.flowLogs?.retentionDays !== undefined) {
      v.check(RETENTION_DAYS.includes(props.flowLogs.retentionDays), 'flowLogs.retentionDays', props.flowLogs.retentionDays, `is not a CloudWatch retention; allowed: ${RETENTION_DAYS.join(', ')}`);
    }
    v.throwIfInvalid();

    const vpc = new VpcResource(this, 'this', {
      cidrBlock: cidr,
      enableDnsHostnames: true,
      enableDnsSupport: true,
      tags: nameTags(props.namePrefix),
    });
    this.vpcId = vpc.id;
    this.vpcCidr = vpc.cidrBlock;

    if (props.availabilityZones) {
      this.availabilityZones = [...props.availabilityZones];
    } else {
      const zones = new DataAwsAvailabilityZones(this, 'zones', { state: 'available', filter: [{ name: 'opt-in-status', values: ['opt-in-not-required'] }] });
      this.availabilityZones = Array.from({ length: azCount }, (_, i) => Fn.element(zones.names, i));
    }

    const igw = new InternetGateway(this, 'igw', { vpcId: vpc.id, tags: nameTags(`${props.namePrefix}-igw`) });

    // Subnets are separate resources keyed by position (no count-index cascade). With the default
    // private offset, adding a zone still renumbers the private CIDRs: see privateSubnetOffset.
    const publicSubnets = this.availabilityZones.map(
      (az, i) =>
        new Subnet(this, `public-${i + 1}`, {
          vpcId: vpc.id,
          cidrBlock: cidrSubnet(cidr, bits, i),
          availabilityZone: az,
          mapPublicIpOnLaunch: props.mapPublicIpOnLaunch ?? false,
          tags: nameTags(`${props.namePrefix}-public-${i + 1}`, { Type: 'public' }),
        }),
    );
    const privateSubnets = this.availabilityZones.map(
      (az, i) =>
        new Subnet(this, `private-${i + 1}`, {
          vpcId: vpc.id,
          cidrBlock: cidrSubnet(cidr, bits, privateOffset + i),
          availabilityZone: az,
          tags: nameTags(`${props.namePrefix}-private-${i + 1}`, { Type: 'private' }),
        }),
    );
    this.publicSubnetIds = publicSubnets.map((s) => s.id);
    this.privateSubnetIds = privateSubnets.map((s) => s.id);

    const publicRt = new RouteTable(this, 'public-rt', { vpcId: vpc.id, tags: nameTags(`${props.namePrefix}-public-rt`) });
    new Route(this, 'public-internet', { routeTableId: publicRt.id, destinationCidrBlock: '0.0.0.0/0', gatewayId: igw.id });
    publicSubnets.forEach((s, i) => new RouteTableAssociation(this, `public-${i + 1}-rta`, { subnetId: s.id, routeTableId: publicRt.id }));
    this.publicRouteTableId = publicRt.id;

    const natCount = nat === 'none' ? 0 : nat === 'single' ? 1 : azCount;
    const nats = Array.from({ length: natCount }, (_, i) => {
      const eip = new Eip(this, `nat-eip-${i + 1}`, { domain: 'vpc', tags: nameTags(`${props.namePrefix}-nat-${i + 1}`), dependsOn: [igw] });
      const gw = new NatGateway(this, `nat-${i + 1}`, {
        allocationId: eip.id,
        subnetId: publicSubnets[i].id,
        tags: nameTags(`${props.namePrefix}-nat-${i + 1}`),
        dependsOn: [igw],
      });
      return { eip, gw };
    });
    this.natPublicIps = nats.map((n) => n.eip.publicIp);

    const privateRts = privateSubnets.map((s, i) => {
      const rt = new RouteTable(this, `private-rt-${i + 1}`, { vpcId: vpc.id, tags: nameTags(`${props.namePrefix}-private-rt-${i + 1}`) });
      if (nats.length > 0) {
        new Route(this, `private-${i + 1}-nat`, { routeTableId: rt.id, destinationCidrBlock: '0.0.0.0/0', natGatewayId: nats[Math.min(i, nats.length - 1)].gw.id });
      }
      new RouteTableAssociation(this, `private-${i + 1}-rta`, { subnetId: s.id, routeTableId: rt.id });
      return rt;
    });
    this.privateRouteTableIds = privateRts.map((rt) => rt.id);

    for (const service of props.gatewayEndpoints ?? []) {
      new VpcEndpoint(this, `gateway-endpoint-${service}`, {
        vpcId: vpc.id,
        serviceName: `com.amazonaws.${props.region}.${service}`,
        vpcEndpointType: 'Gateway',
        routeTableIds: [publicRt.id, ...privateRts.map((rt) => rt.id)],
        tags: nameTags(`${props.namePrefix}-${service}`),
      });
    }

    const interfaces = props.interfaceEndpoints ?? [];
    if (interfaces.length > 0) {
      const sg = new SecurityGroup(this, 'endpoints-sg', {
        name: `${props.namePrefix}-vpc-endpoints`,
        description: 'HTTPS from the VPC to its interface endpoints',
        vpcId: vpc.id,
        tags: nameTags(`${props.namePrefix}-vpc-endpoints`),
      });
      new VpcSecurityGroupIngressRule(this, 'endpoints-https', {
        securityGroupId: sg.id,
        cidrIpv4: vpc.cidrBlock,
        ipProtocol: 'tcp',
        fromPort: 443,
        toPort: 443,
        description: 'HTTPS from the VPC',
      });
      this.endpointSecurityGroupId = sg.id;
      for (const service of interfaces) {
        new VpcEndpoint(this, `interface-endpoint-${service.replace(/\./g, '-')}`, {
          vpcId: vpc.id,
          serviceName: `com.amazonaws.${props.region}.${service}`,
          vpcEndpointType: 'Interface',
          subnetIds: this.privateSubnetIds,
          securityGroupIds: [sg.id],
          privateDnsEnabled: true,
          tags: nameTags(`${props.namePrefix}-${service}`),
        });
      }
    }

    if (props.flowLogs) {
      const group = new CloudwatchLogGroup(this, 'flow-logs', {
        name: `/vpc/${props.namePrefix}/flow-logs`,
        retentionInDays: props.flowLogs.retentionDays ?? 30,
        tags: nameTags(`${props.namePrefix}-flow-logs`),
      });
      const role = new IamRole(this, 'flow-logs-role', {
        name: fitName(`${props.namePrefix}-vpc-flow-logs`, NameLimits.iamRole),
        assumeRolePolicy: assumeRolePolicy('vpc-flow-logs.amazonaws.com'),
      });
      new IamRolePolicy(this, 'flow-logs-policy', {
        role: role.id,
        policy: policyDocument([
          { Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'], Resource: `${group.arn}:*` },
        ]),
      });
      new FlowLog(this, 'flow-log', {
        vpcId: vpc.id,
        trafficType: props.flowLogs.trafficType ?? 'REJECT',
        logDestinationType: 'cloud-watch-logs',
        logDestination: group.arn,
        iamRoleArn: role.arn,
        tags: nameTags(`${props.namePrefix}-flow-log`),
      });
    }
  }
}

/** Terraform's `cidrsubnet(prefix, newbits, netnum)` for IPv4, computed at synth time. */
export function cidrSubnet(prefix: string, newBits: number, netNum: number): string {
  const [ip, lenText] = prefix.split('/');
  const len = Number(lenText);
  const newLen = len + newBits;
  if (newLen > 32) throw new Error(`cidrSubnet: ${prefix} + ${newBits} bits exceeds /32`);
  if (netNum < 0 || netNum >= 2 ** newBits) throw new Error(`cidrSubnet: network number ${netNum} does not fit in ${newBits} bits`);
  const base = ip.split('.').reduce((acc, octet) => acc * 256 + Number(octet), 0);
  const mask = len === 0 ? 0 : (0xffffffff << (32 - len)) >>> 0;
  const network = (base & mask) >>> 0;
  const addr = (network + netNum * 2 ** (32 - newLen)) >>> 0;
  return `${[24, 16, 8, 0].map((s) => (addr >>> s) & 255).join('.')}/${newLen}`;
}
