import { Construct, IConstruct } from 'constructs';
import { Fn, ITerraformDependable, Token } from 'cdktf';
import { Vpc as VpcResource } from '@cdktf/provider-aws/lib/vpc';
import { Subnet } from '@cdktf/provider-aws/lib/subnet';
import { InternetGateway } from '@cdktf/provider-aws/lib/internet-gateway';
import { Eip } from '@cdktf/provider-aws/lib/eip';
import { NatGateway } from '@cdktf/provider-aws/lib/nat-gateway';
import { RouteTable } from '@cdktf/provider-aws/lib/route-table';
import { Route } from '@cdktf/provider-aws/lib/route';
import { RouteTableAssociation } from '@cdktf/provider-aws/lib/route-table-association';
import { VpcEndpoint } from '@cdktf/provider-aws/lib/vpc-endpoint';
import { DataAwsAvailabilityZones } from '@cdktf/provider-aws/lib/data-aws-availability-zones';
import { FlowLog } from '@cdktf/provider-aws/lib/flow-log';
import { DefaultSecurityGroup } from '@cdktf/provider-aws/lib/default-security-group';
import type { Instance } from '@cdktf/provider-aws/lib/instance';
import { AwsStack } from '../core/aws-stack';
import { didYouMean } from '../core/format';
import { RETENTION_DAYS } from '../core/naming';
import { nameTags } from '../core/tags';
import { PropsValidator, isCidr } from '../core/validation';
import { ServiceRole } from '../security/iam';
import { LogGroup } from '../observability/logs';
import { SecurityGroup } from './security-group';
import { NatInstanceProps, natInstance } from './nat-instance';

/**
 * How private subnets reach the internet: not at all, one NAT gateway, one per zone, or one small
 * EC2 NAT instance (a tenth of a NAT gateway's price, one instance's availability: for demos).
 */
export type NatStrategy = 'none' | 'single' | 'perAz' | 'instance';

/** Every NAT strategy. */
export const NAT_STRATEGIES: readonly NatStrategy[] = ['none', 'single', 'perAz', 'instance'];

/** Gateway endpoints (free; routed through the route tables). */
export type GatewayEndpointService = 's3' | 'dynamodb';

/**
 * Interface endpoint services the constructs know (suffixes of `com.amazonaws.<region>.`). A name
 * outside this list is rejected with a suggestion, so a typo does not surface only at apply.
 */
export const INTERFACE_ENDPOINT_SERVICES = [
  'application-autoscaling', 'autoscaling', 'batch', 'dynamodb', 'ec2', 'ec2messages', 'ecr.api', 'ecr.dkr', 'ecs', 'ecs-agent', 'ecs-telemetry',
  'elasticfilesystem', 'elasticloadbalancing', 'events', 'execute-api', 'kms', 'lambda', 'logs', 'monitoring', 's3', 'secretsmanager',
  'servicediscovery', 'sns', 'sqs', 'ssm', 'ssmmessages', 'states', 'sts', 'xray',
] as const;

/** What the tasks in private subnets must reach to start and run, as endpoint service names. */
export type EgressNeed = (typeof INTERFACE_ENDPOINT_SERVICES)[number];

/** The network paths of a VPC, for `egressProblems`. */
export interface EgressConfig {
  /** How the private subnets reach the internet (`none`: only through endpoints). */
  readonly natGateways: NatStrategy;
  /** Gateway endpoints attached to the private route tables. */
  readonly gatewayEndpoints: readonly GatewayEndpointService[];
  /** Interface endpoints in the private subnets, by service suffix. */
  readonly interfaceEndpoints: readonly string[];
}

/** Endpoints a Fargate task in a subnet without NAT needs to pull from ECR and ship logs. */
export const FARGATE_WITHOUT_NAT: readonly EgressNeed[] = ['ecr.api', 'ecr.dkr', 's3', 'logs'];

/**
 * Why private subnets with `config` cannot reach each of `needs`, one message per missing path:
 * nothing is missing with a NAT gateway; without one, every need must have an endpoint (S3 and
 * DynamoDB as gateway or interface endpoints). Shared by the constructs and the settings.
 */
export function egressProblems(config: EgressConfig, needs: readonly EgressNeed[]): string[] {
  if (config.natGateways !== 'none') return [];
  const reachable = new Set<string>([...config.gatewayEndpoints, ...config.interfaceEndpoints]);
  return [...new Set(needs)]
    .filter((n) => !reachable.has(n))
    .map((n) => `without a NAT gateway, private subnets reach ${JSON.stringify(n)} only through a VPC endpoint; add ${n === 's3' || n === 'dynamodb' ? `${JSON.stringify(n)} to gatewayEndpoints` : `${JSON.stringify(n)} to interfaceEndpoints`} or use a NAT gateway`);
}

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
  /** Prefix of every name, e.g. `artwork-matcher-demo`. (Endpoint service names take the stack's region.) */
  readonly namePrefix: string;
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
   * Bits added to the VPC prefix for each subnet (/20s of a /16 by default); see `subnetLayoutZones`
   * for which network number each subnet takes.
   * @default 4
   */
  readonly subnetNewBits?: number;
  /**
   * The zone count the subnet layout was first made for. Its zones keep the documents' layout
   * (public subnet i is `cidrsubnet(cidr, bits, i)`, private subnet i is
   * `cidrsubnet(cidr, bits, subnetLayoutZones + i)`); each zone beyond it takes the next free pair
   * (public `2i`, private `2i + 1`). Adding a zone therefore only adds subnets: no range moves,
   * nothing is replaced. Set it to the zone count of a deployment made with release 0.4 or earlier
   * that did not have 2 zones.
   * @default 2
   */
  readonly subnetLayoutZones?: number;
  /**
   * A fixed network number for the first private subnet instead of the zone layout: private
   * subnet i is `cidrsubnet(cidr, subnetNewBits, privateSubnetOffset + i)`, public subnet i is
   * `cidrsubnet(cidr, subnetNewBits, i)` (e.g. 8, the upper half of a /16).
   * @default - the zone layout of `subnetLayoutZones`
   */
  readonly privateSubnetOffset?: number;
  /**
   * Public subnets and an internet gateway. A system with no load balancer and no NAT gateway
   * needs neither.
   * @default true
   */
  readonly publicSubnets?: boolean;
  /**
   * NAT gateways: none, one shared by every zone, one per zone (zone-independent egress), or one
   * EC2 NAT instance in the first public subnet (see `natInstance`).
   * @default "perAz"
   */
  readonly natGateways?: NatStrategy;
  /**
   * The NAT instance, with `natGateways: "instance"`: Amazon Linux 2023 forwarding and masquerading
   * the private subnets' traffic, an Elastic IP, IMDSv2, an encrypted root volume, Session Manager
   * access (no SSH), EC2 automatic recovery. Terraform ignores later AMI releases (the instance is
   * not replaced by a plan); replace it on purpose to patch (`terraform apply -replace=...`).
   * @default t4g.nano, the latest AMI from its public SSM parameter
   */
  readonly natInstance?: NatInstanceProps;
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
   * Interface endpoints by service suffix (`ecr.api`, `ecr.dkr`, `logs`, `secretsmanager`, ...; see
   * `INTERFACE_ENDPOINT_SERVICES`), with private DNS and their own security group that allows
   * HTTPS from the VPC CIDR. Each costs about 7.30 USD a month per zone it is in.
   * @default []
   */
  readonly interfaceEndpoints?: readonly string[];
  /**
   * How many zones (the first ones) get an interface in each interface endpoint. Fewer zones cost
   * less; tasks in the other zones reach the endpoint across zones (and lose it with its zone).
   * @default every zone
   */
  readonly interfaceEndpointZones?: number;
  /**
   * VPC flow logs to CloudWatch Logs (`false`: none). Rejected traffic only by default: the record
   * of what was refused (scans, a dependency the security groups do not allow) at a fraction of the
   * volume, hence cost, of all traffic; `trafficType: "ALL"` for a full record.
   * @default - rejected traffic, kept 30 days
   */
  readonly flowLogs?: FlowLogsProps | false;
  /**
   * Manage the VPC's default security group with no rules, so anything launched without a group of
   * its own can reach nothing (AWS creates it allowing all traffic between its members and all
   * egress; every construct here uses its own groups). Removing it from the stack later leaves the
   * group as it is.
   * @default true
   */
  readonly restrictDefaultSecurityGroup?: boolean;
}

/** What the constructs need of a VPC: one made by `Vpc`, or one made elsewhere (`Vpc.fromAttributes`). */
export interface IVpc extends IConstruct {
  /** Id of the VPC. */
  readonly vpcId: string;
  /** The VPC's CIDR block as a reference to the VPC (for a VPC made elsewhere, its configured `cidr`). */
  readonly vpcCidr: string;
  /** The VPC's CIDR block as configured: a literal, for rules that need no reference to the VPC. */
  readonly cidr: string;
  /** Public subnets, one per zone (empty without public subnets). */
  readonly publicSubnetIds: readonly string[];
  /** Private subnets, one per zone: services, functions, file systems and caches go there. */
  readonly privateSubnetIds: readonly string[];
  /** How the private subnets reach the outside. */
  readonly egress: EgressConfig;
  /**
   * What a workload in the private subnets must wait for before it can reach the outside: NAT
   * routes and endpoints. A task started before its route exists cannot pull its image.
   */
  readonly egressDependables: readonly ITerraformDependable[];
  /**
   * What a workload in the public subnets (with a public IP) must wait for: the internet route and
   * the public subnets' route table associations (before them a subnet uses the VPC's main route
   * table, which has no way out).
   */
  readonly publicEgressDependables: readonly ITerraformDependable[];
  /** Why the private subnets cannot reach each of `needs` (empty when they can). */
  egressProblems(needs: readonly EgressNeed[]): string[];
}

/** A VPC made elsewhere, described for `Vpc.fromAttributes` (nothing is looked up). */
export interface VpcAttributes {
  /** Id of the VPC, e.g. `vpc-0123456789abcdef0`. */
  readonly vpcId: string;
  /** Its IPv4 CIDR block, e.g. `10.0.0.0/16`: the rules that admit traffic from the VPC use it. */
  readonly cidr: string;
  /** Its private subnets, one per zone (`subnet-...`). */
  readonly privateSubnetIds: readonly string[];
  /**
   * Its public subnets, one per zone (internet-facing load balancers need two or more).
   * @default []
   */
  readonly publicSubnetIds?: readonly string[];
  /**
   * How its private subnets reach the outside, for the constructs' egress checks.
   * @default - through a NAT gateway (`{ natGateways: "single", gatewayEndpoints: [], interfaceEndpoints: [] }`): no egress check fails
   */
  readonly egress?: EgressConfig;
}

/** A VPC id (`vpc-` and 8 or 17 hexadecimal digits). */
const VPC_ID_PATTERN = /^vpc-([0-9a-f]{8}|[0-9a-f]{17})$/;
/** A subnet id (`subnet-` and 8 or 17 hexadecimal digits). */
const SUBNET_ID_PATTERN = /^subnet-([0-9a-f]{8}|[0-9a-f]{17})$/;

/** The props of a `Vpc` with their defaults applied, as its parts read them. */
interface VpcLayout {
  readonly cidr: string;
  readonly bits: number;
  readonly nat: NatStrategy;
  readonly hasPublic: boolean;
  readonly azCount: number;
  readonly layout: ReturnType<typeof subnetLayout>;
  readonly interfaces: readonly string[];
  readonly endpointZones: number;
}

/**
 * A VPC with public and private subnets over N availability zones, an internet gateway, NAT
 * gateways by strategy, one private route table per zone, and optional endpoints and flow logs.
 * Endpoint service names take the stack's region.
 */
export class Vpc extends Construct implements IVpc {
  /**
   * A VPC made elsewhere (another stack, the console), described by its id, CIDR block and
   * subnets: nothing is created or looked up. Constructs that take an `IVpc` place their
   * resources in its subnets; `egress` tells their egress checks how the private subnets reach
   * the outside.
   */
  public static fromAttributes(scope: Construct, id: string, attributes: VpcAttributes): IVpc {
    return new ImportedVpc(scope, id, attributes);
  }

  /** The VPC resource. */
  public readonly resource: VpcResource;
  public readonly vpcId: string;
  /** The VPC's CIDR block, as a reference to the VPC. */
  public readonly vpcCidr: string;
  /** The VPC's CIDR block as configured: a literal, for rules that need no reference to the VPC. */
  public readonly cidr: string;
  /** Zone names (tokens when looked up). */
  public readonly availabilityZones: string[];
  public readonly publicSubnetIds: string[];
  public readonly privateSubnetIds: string[];
  public readonly publicRouteTableId?: string;
  public readonly privateRouteTableIds: string[];
  /** Public IPs of the NAT gateways (empty without NAT). */
  public readonly natPublicIps: string[];
  /** The NAT instance, with `natGateways: "instance"`. */
  public readonly natInstance?: { readonly instance: Instance; readonly publicIp: string };
  /** Security group of the interface endpoints, when there are any. */
  public readonly endpointSecurityGroupId?: string;
  /** How the private subnets reach the outside. */
  public readonly egress: EgressConfig;
  /**
   * What a workload in the private subnets must wait for before it can reach the outside: NAT
   * routes and endpoints. A task started before its route exists cannot pull its image.
   */
  public readonly egressDependables: ITerraformDependable[] = [];
  public readonly publicEgressDependables: ITerraformDependable[] = [];

  constructor(scope: Construct, id: string, props: VpcProps) {
    super(scope, id);
    const c = this.validate(props);
    this.egress = { natGateways: c.nat, gatewayEndpoints: props.gatewayEndpoints ?? [], interfaceEndpoints: c.interfaces };

    this.resource = new VpcResource(this, 'this', { cidrBlock: c.cidr, enableDnsHostnames: true, enableDnsSupport: true, tags: nameTags(props.namePrefix) });
    this.vpcId = this.resource.id;
    this.vpcCidr = this.resource.cidrBlock;
    this.cidr = c.cidr;
    this.availabilityZones = this.zones(props, c.azCount);

    const { publicSubnets, privateSubnets } = this.subnets(props, c);
    this.publicSubnetIds = publicSubnets.map((s) => s.id);
    this.privateSubnetIds = privateSubnets.map((s) => s.id);

    const internet = c.hasPublic ? this.publicRouting(props.namePrefix, publicSubnets) : undefined;
    this.publicRouteTableId = internet?.routeTable.id;
    const nats = this.natGateways(props.namePrefix, c.nat === 'single' ? 1 : c.nat === 'perAz' ? c.azCount : 0, publicSubnets, internet?.gateway);
    this.natInstance = c.nat === 'instance' ? natInstance(this, props.namePrefix, props.natInstance ?? {}, { vpcId: this.vpcId, cidr: c.cidr, subnetId: publicSubnets[0].id, internetGateway: internet!.gateway }) : undefined;
    this.natPublicIps = this.natInstance ? [this.natInstance.publicIp] : nats.map((n) => n.eip.publicIp);

    const privateRts = this.privateRouting(props.namePrefix, privateSubnets, nats);
    this.privateRouteTableIds = privateRts.map((rt) => rt.id);
    this.gatewayEndpoints(props, [...(internet ? [internet.routeTable.id] : []), ...this.privateRouteTableIds]);
    this.endpointSecurityGroupId = c.interfaces.length > 0 ? this.interfaceEndpoints(props.namePrefix, c) : undefined;

    if (props.restrictDefaultSecurityGroup ?? true) {
      // No ingress or egress: adopting the group removes its rules. (Written as `ingress = []` the
      // plan would also catch rules added later by hand, but cdktf's HCL drops empty lists, and the
      // two forms must plan the same.)
      new DefaultSecurityGroup(this, 'default-security-group', { vpcId: this.vpcId, tags: nameTags(`${props.namePrefix}-default-closed`) });
    }
    const flowLogs = props.flowLogs === false ? undefined : props.flowLogs ?? {};
    if (flowLogs) this.flowLogs(props.namePrefix, flowLogs);
  }

  /** Why the private subnets cannot reach each of `needs` (empty when they can). */
  public egressProblems(needs: readonly EgressNeed[]): string[] {
    return egressProblems(this.egress, needs);
  }

  /** Checks every prop (before any resource exists) and applies the defaults. */
  private validate(props: VpcProps): VpcLayout {
    const cidr = props.cidr ?? '10.0.0.0/16';
    const bits = props.subnetNewBits ?? 4;
    const nat = props.natGateways ?? 'perAz';
    const hasPublic = props.publicSubnets ?? true;
    const azCount = props.availabilityZones?.length ?? props.azCount ?? 2;
    const layout = subnetLayout(azCount, hasPublic, props.privateSubnetOffset, props.subnetLayoutZones ?? 2);
    const prefixLength = Number(cidr.split('/')[1]);
    const interfaces = props.interfaceEndpoints ?? [];
    const v = new PropsValidator(this).check(isCidr(cidr), 'cidr', cidr, 'is not an IPv4 CIDR block; allowed: e.g. "10.0.0.0/16"');
    if (isCidr(cidr)) {
      v.check(prefixLength >= 16 && prefixLength <= 28, 'cidr', cidr, 'has a prefix AWS does not allow for a VPC; allowed: /16 to /28');
      v.check(cidrSubnet(cidr, 0, 0) === cidr, 'cidr', cidr, `has host bits set; allowed: the network address ${JSON.stringify(cidrSubnet(cidr, 0, 0))}`);
      if (prefixLength + bits > 28) v.fail('subnetNewBits', `${bits} on a /${prefixLength} gives /${prefixLength + bits} subnets; AWS allows /28 at the smallest`);
    }
    if (props.availabilityZones) v.check(azCount >= 1 && azCount <= 6, 'availabilityZones', props.availabilityZones, 'must name 1 to 6 zones');
    else v.range('azCount', azCount, 1, 6);
    v.range('subnetNewBits', bits, 1, 12).oneOf('natGateways', nat, NAT_STRATEGIES);
    if (props.natInstance && nat !== 'instance') v.fail('natInstance', `has no effect with natGateways ${JSON.stringify(nat)}; set natGateways "instance" or remove it`);
    if (props.natInstance?.instanceType !== undefined) v.matches('natInstance.instanceType', props.natInstance.instanceType, /^[a-z][a-z0-9-]*\.[a-z0-9]+$/, 'an EC2 instance type such as "t4g.nano"');
    if (props.natInstance?.amiId !== undefined) v.matches('natInstance.amiId', props.natInstance.amiId, /^ami-[0-9a-f]{8,17}$/, 'an AMI id such as "ami-0123456789abcdef0"');
    if (props.privateSubnetOffset !== undefined && hasPublic && props.privateSubnetOffset < azCount) v.fail('privateSubnetOffset', `${props.privateSubnetOffset} overlaps the ${azCount} public subnets; allowed: ${azCount} or more`);
    if (props.subnetLayoutZones !== undefined) v.range('subnetLayoutZones', props.subnetLayoutZones, 1, 6);
    if (layout.needed > 2 ** bits) v.fail('subnetNewBits', `${bits} bits give ${2 ** bits} subnets, fewer than the ${layout.needed} the layout needs`);
    if (!hasPublic && nat !== 'none') v.fail('natGateways', `${JSON.stringify(nat)} needs public subnets (a NAT gateway lives in one); set publicSubnets true or natGateways "none"`);
    interfaces.forEach((s, i) => v.check((INTERFACE_ENDPOINT_SERVICES as readonly string[]).includes(s), `interfaceEndpoints[${i}]`, s, `is not an interface endpoint service${didYouMean(s, INTERFACE_ENDPOINT_SERVICES)}; allowed: ${INTERFACE_ENDPOINT_SERVICES.join(', ')}`));
    if (props.interfaceEndpointZones !== undefined) {
      v.range('interfaceEndpointZones', props.interfaceEndpointZones, 1, azCount);
      if (interfaces.length === 0) v.fail('interfaceEndpointZones', 'has no effect without interfaceEndpoints');
    }
    if (props.flowLogs && props.flowLogs.retentionDays !== undefined) {
      v.check(RETENTION_DAYS.includes(props.flowLogs.retentionDays), 'flowLogs.retentionDays', props.flowLogs.retentionDays, `is not a CloudWatch retention; allowed: ${RETENTION_DAYS.join(', ')}`);
    }
    v.throwIfInvalid();
    return { cidr, bits, nat, hasPublic, azCount, layout, interfaces, endpointZones: props.interfaceEndpointZones ?? azCount };
  }

  /** The pinned zones, or the first `azCount` zones of the region, looked up at plan time. */
  private zones(props: VpcProps, azCount: number): string[] {
    if (props.availabilityZones) return [...props.availabilityZones];
    const zones = new DataAwsAvailabilityZones(this, 'zones', { state: 'available', filter: [{ name: 'opt-in-status', values: ['opt-in-not-required'] }] });
    return Array.from({ length: azCount }, (_, i) => Fn.element(zones.names, i));
  }

  /**
   * The public and private subnet of every zone: separate resources keyed by zone position (no
   * count-index cascade), their ranges by zone too (subnetLayoutZones): adding a zone only adds subnets.
   */
  private subnets(props: VpcProps, c: VpcLayout): { publicSubnets: Subnet[]; privateSubnets: Subnet[] } {
    const publicSubnets = c.hasPublic
      ? this.availabilityZones.map(
          (az, i) =>
            new Subnet(this, `public-${i + 1}`, {
              vpcId: this.vpcId,
              cidrBlock: cidrSubnet(c.cidr, c.bits, c.layout.publicNetnum(i)),
              availabilityZone: az,
              mapPublicIpOnLaunch: props.mapPublicIpOnLaunch ?? false,
              tags: nameTags(`${props.namePrefix}-public-${i + 1}`, { Type: 'public' }),
            }),
        )
      : [];
    const privateSubnets = this.availabilityZones.map(
      (az, i) =>
        new Subnet(this, `private-${i + 1}`, {
          vpcId: this.vpcId,
          cidrBlock: cidrSubnet(c.cidr, c.bits, c.layout.privateNetnum(i)),
          availabilityZone: az,
          tags: nameTags(`${props.namePrefix}-private-${i + 1}`, { Type: 'private' }),
        }),
    );
    return { publicSubnets, privateSubnets };
  }

  /** The internet gateway and the public route table every public subnet shares. */
  private publicRouting(prefix: string, publicSubnets: readonly Subnet[]): { gateway: InternetGateway; routeTable: RouteTable } {
    const gateway = new InternetGateway(this, 'igw', { vpcId: this.vpcId, tags: nameTags(`${prefix}-igw`) });
    const routeTable = new RouteTable(this, 'public-rt', { vpcId: this.vpcId, tags: nameTags(`${prefix}-public-rt`) });
    this.publicEgressDependables.push(new Route(this, 'public-internet', { routeTableId: routeTable.id, destinationCidrBlock: '0.0.0.0/0', gatewayId: gateway.id }));
    publicSubnets.forEach((s, i) => this.publicEgressDependables.push(new RouteTableAssociation(this, `public-${i + 1}-rta`, { subnetId: s.id, routeTableId: routeTable.id })));
    return { gateway, routeTable };
  }

  /** `count` NAT gateways with their Elastic IPs, in the first public subnets. */
  private natGateways(prefix: string, count: number, publicSubnets: readonly Subnet[], igw: InternetGateway | undefined): { eip: Eip; gw: NatGateway }[] {
    return Array.from({ length: count }, (_, i) => {
      const eip = new Eip(this, `nat-eip-${i + 1}`, { domain: 'vpc', tags: nameTags(`${prefix}-nat-${i + 1}`), dependsOn: [igw!] });
      const gw = new NatGateway(this, `nat-${i + 1}`, { allocationId: eip.id, subnetId: publicSubnets[i].id, tags: nameTags(`${prefix}-nat-${i + 1}`), dependsOn: [igw!] });
      return { eip, gw };
    });
  }

  /** One route table per private subnet, routed through its zone's NAT gateway (or the shared one, or the NAT instance). */
  private privateRouting(prefix: string, privateSubnets: readonly Subnet[], nats: readonly { gw: NatGateway }[]): RouteTable[] {
    return privateSubnets.map((s, i) => {
      const rt = new RouteTable(this, `private-rt-${i + 1}`, { vpcId: this.vpcId, tags: nameTags(`${prefix}-private-rt-${i + 1}`) });
      if (nats.length > 0) {
        this.egressDependables.push(new Route(this, `private-${i + 1}-nat`, { routeTableId: rt.id, destinationCidrBlock: '0.0.0.0/0', natGatewayId: nats[Math.min(i, nats.length - 1)].gw.id }));
      }
      if (this.natInstance) {
        this.egressDependables.push(new Route(this, `private-${i + 1}-nat`, { routeTableId: rt.id, destinationCidrBlock: '0.0.0.0/0', networkInterfaceId: this.natInstance.instance.primaryNetworkInterfaceId }));
      }
      this.egressDependables.push(new RouteTableAssociation(this, `private-${i + 1}-rta`, { subnetId: s.id, routeTableId: rt.id }));
      return rt;
    });
  }

  /** Gateway endpoints (S3, DynamoDB), attached to every route table. */
  private gatewayEndpoints(props: VpcProps, routeTableIds: readonly string[]): void {
    const region = AwsStack.of(this).region;
    for (const service of props.gatewayEndpoints ?? []) {
      this.egressDependables.push(
        new VpcEndpoint(this, `gateway-endpoint-${service}`, {
          vpcId: this.vpcId,
          serviceName: `com.amazonaws.${region}.${service}`,
          vpcEndpointType: 'Gateway',
          routeTableIds: [...routeTableIds],
          tags: nameTags(`${props.namePrefix}-${service}`),
        }),
      );
    }
  }

  /** Interface endpoints in the first `endpointZones` private subnets, behind a group open to HTTPS from the VPC; returns the group's id. */
  private interfaceEndpoints(prefix: string, c: VpcLayout): string {
    const region = AwsStack.of(this).region;
    const sg = new SecurityGroup(this, 'endpoints-sg', { name: `${prefix}-vpc-endpoints`, description: 'HTTPS from the VPC to its interface endpoints', vpcId: this.vpcId, allowAllOutbound: false });
    sg.addIngress({ peer: { cidr: c.cidr }, port: 443, description: 'HTTPS from the VPC' });
    for (const service of c.interfaces) {
      this.egressDependables.push(
        new VpcEndpoint(this, `interface-endpoint-${service.replace(/\./g, '-')}`, {
          vpcId: this.vpcId,
          serviceName: `com.amazonaws.${region}.${service}`,
          vpcEndpointType: 'Interface',
          subnetIds: this.privateSubnetIds.slice(0, c.endpointZones),
          securityGroupIds: [sg.securityGroupId],
          privateDnsEnabled: true,
          tags: nameTags(`${prefix}-${service}`),
        }),
      );
    }
    return sg.securityGroupId;
  }

  /** Flow logs to a log group, written by a role the flow-logs service assumes. */
  private flowLogs(prefix: string, flowLogs: FlowLogsProps): void {
    const group = new LogGroup(this, 'flow-logs', { name: `/vpc/${prefix}/flow-logs`, retentionDays: flowLogs.retentionDays ?? 30 });
    const role = new ServiceRole(this, 'flow-logs-role', { name: `${prefix}-vpc-flow-logs`, assumedBy: 'vpc-flow-logs.amazonaws.com' });
    role.addToPolicy({ Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'], Resource: `${group.logGroupArn}:*` });
    const flowLog = new FlowLog(this, 'flow-log', {
      vpcId: this.vpcId,
      trafficType: flowLogs.trafficType ?? 'REJECT',
      logDestinationType: 'cloud-watch-logs',
      logDestination: group.logGroupArn,
      iamRoleArn: role.roleArn,
      tags: nameTags(`${prefix}-flow-log`),
    });
    role.addDependent(flowLog);
  }
}

/** A VPC made elsewhere, as `Vpc.fromAttributes` describes it: no resource. */
class ImportedVpc extends Construct implements IVpc {
  public readonly vpcId: string;
  public readonly vpcCidr: string;
  public readonly cidr: string;
  public readonly publicSubnetIds: readonly string[];
  public readonly privateSubnetIds: readonly string[];
  public readonly egress: EgressConfig;
  /** Nothing to wait for: the VPC and its routes exist already. */
  public readonly egressDependables: readonly ITerraformDependable[] = [];
  public readonly publicEgressDependables: readonly ITerraformDependable[] = [];

  constructor(scope: Construct, id: string, attributes: VpcAttributes) {
    super(scope, id);
    const publicSubnetIds = attributes.publicSubnetIds ?? [];
    const egress = attributes.egress ?? { natGateways: 'single', gatewayEndpoints: [], interfaceEndpoints: [] };
    const v = new PropsValidator(this)
      .check(Token.isUnresolved(attributes.vpcId) || VPC_ID_PATTERN.test(attributes.vpcId), 'vpcId', attributes.vpcId, 'is not a VPC id; allowed: "vpc-" and 8 or 17 hexadecimal digits, e.g. "vpc-0123456789abcdef0"')
      .check(isCidr(attributes.cidr), 'cidr', attributes.cidr, 'is not an IPv4 CIDR block; allowed: e.g. "10.0.0.0/16"')
      .check(attributes.privateSubnetIds.length > 0, 'privateSubnetIds', attributes.privateSubnetIds, 'is empty; give the private subnets, one per zone')
      .oneOf('egress.natGateways', egress.natGateways, NAT_STRATEGIES);
    for (const [prop, ids] of [['privateSubnetIds', attributes.privateSubnetIds], ['publicSubnetIds', publicSubnetIds]] as const) {
      ids.forEach((s, i) => v.check(Token.isUnresolved(s) || SUBNET_ID_PATTERN.test(s), `${prop}[${i}]`, s, 'is not a subnet id; allowed: "subnet-" and 8 or 17 hexadecimal digits'));
    }
    v.throwIfInvalid();
    this.vpcId = attributes.vpcId;
    this.cidr = attributes.cidr;
    this.vpcCidr = attributes.cidr;
    this.privateSubnetIds = [...attributes.privateSubnetIds];
    this.publicSubnetIds = [...publicSubnetIds];
    this.egress = egress;
  }

  public egressProblems(needs: readonly EgressNeed[]): string[] {
    return egressProblems(this.egress, needs);
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

/**
 * Which network number (`cidrsubnet`'s third argument) each zone's subnets take. A fixed private
 * offset: public i, private offset + i. Without public subnets: private i. Otherwise the zone
 * layout: the first `baseZones` zones as the documents number them (public i, private
 * baseZones + i), every further zone the next free pair (public 2i, private 2i + 1).
 */
function subnetLayout(zones: number, hasPublic: boolean, privateOffset: number | undefined, baseZones: number): { publicNetnum(i: number): number; privateNetnum(i: number): number; readonly needed: number } {
  const publicNetnum = (i: number) => (privateOffset !== undefined || i < baseZones ? i : 2 * i);
  const privateNetnum = (i: number) => (privateOffset !== undefined ? privateOffset + i : !hasPublic ? i : i < baseZones ? baseZones + i : 2 * i + 1);
  const used = Array.from({ length: zones }, (_, i) => [...(hasPublic ? [publicNetnum(i)] : []), privateNetnum(i)]).flat();
  return { publicNetnum, privateNetnum, needed: Math.max(...used) + 1 };
}
