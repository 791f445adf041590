import * as crypto from 'crypto';
import { Construct } from 'constructs';
import { DefaultTokenResolver, StringConcat, TerraformResource, Tokenization } from 'cdktf';
import { SecurityGroup as SecurityGroupResource } from '@cdktf/provider-aws/lib/security-group';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { VpcSecurityGroupEgressRule } from '@cdktf/provider-aws/lib/vpc-security-group-egress-rule';
import { DependencyGroup } from '../core/dependencies';
import { NameLimits, namePrefix } from '../core/naming';
import { nameTags } from '../core/tags';
import { PropsValidator, isCidr } from '../core/validation';

/** Where traffic of a rule comes from (ingress) or goes to (egress). */
export type Peer =
  | { /** An IPv4 CIDR block. */ readonly cidr: string }
  | { /** Another security group (its id). */ readonly securityGroupId: string }
  | { /** A managed prefix list (its id), e.g. the S3 gateway endpoint's. */ readonly prefixListId: string };

/** One rule: a port (or range) and protocol to or from a peer. */
export interface RuleProps {
  /** Source (ingress) or destination (egress). */
  readonly peer: Peer;
  /** First port; with `toPort`, a range. Omit with protocol "-1". */
  readonly port?: number;
  /** Last port of a range. @default port */
  readonly toPort?: number;
  /** @default "tcp" */
  readonly protocol?: 'tcp' | 'udp' | 'icmp' | '-1';
  /** What the rule is for. */
  readonly description: string;
}

export interface SecurityGroupProps {
  /** Name tag and base of `name_prefix`. */
  readonly name: string;
  /** What the group protects. */
  readonly description: string;
  /**
   * Id of the group's VPC (`vpc.vpcId`). An id, not the `IVpc` the other constructs take: a
   * security group is the network's own building block, made inside `Vpc` itself (its endpoint
   * and NAT instance groups) before the VPC construct is complete, and the VPC module imports
   * this one, so it cannot import the VPC's interface back.
   */
  readonly vpcId: string;
  /**
   * Allow all outbound IPv4 traffic (images, AWS APIs, backends). Turn off and add egress rules to
   * restrict it.
   * @default true
   */
  readonly allowAllOutbound?: boolean;
}

/**
 * A security group that survives its own replacement: `name_prefix` and `create_before_destroy`
 * (a changed name or description forces a new group, which must exist before the old one goes),
 * rules as separate `aws_vpc_security_group_*_rule` resources, and a dependency group that lets
 * whatever uses the group wait until its rules exist.
 */
export class SecurityGroup extends Construct {
  public readonly resource: SecurityGroupResource;
  public readonly securityGroupId: string;
  private readonly rules = new DependencyGroup();
  private readonly seen = new Set<string>();

  constructor(scope: Construct, id: string, props: SecurityGroupProps) {
    super(scope, id);
    this.resource = new SecurityGroupResource(this, 'this', {
      namePrefix: namePrefix(props.name, NameLimits.securityGroupPrefix),
      description: props.description,
      vpcId: props.vpcId,
      tags: nameTags(props.name),
      lifecycle: { createBeforeDestroy: true },
    });
    this.securityGroupId = this.resource.id;
    if (props.allowAllOutbound ?? true) this.addEgress({ peer: { cidr: '0.0.0.0/0' }, protocol: '-1', description: 'All outbound' });
  }

  /** Allows inbound traffic (identical rules are added once). */
  public addIngress(rule: RuleProps): void {
    this.addRule('ingress', rule);
  }

  /** Allows outbound traffic (identical rules are added once). */
  public addEgress(rule: RuleProps): void {
    this.addRule('egress', rule);
  }

  /** Makes `resource` wait until every rule of the group exists, present and future. */
  public addDependent(resource: TerraformResource): void {
    this.rules.addDependent(resource);
  }

  private addRule(direction: 'ingress' | 'egress', rule: RuleProps): void {
    const protocol = rule.protocol ?? 'tcp';
    const v = new PropsValidator(this);
    if ('cidr' in rule.peer) v.check(isCidr(rule.peer.cidr), `${direction}.peer.cidr`, rule.peer.cidr, 'is not an IPv4 CIDR block');
    if (protocol === '-1') v.check(rule.port === undefined, `${direction}.port`, rule.port, 'must be omitted with protocol "-1" (all traffic)');
    else {
      v.range(`${direction}.port`, rule.port, 0, 65535).range(`${direction}.toPort`, rule.toPort, 0, 65535);
      if (rule.port === undefined) v.fail(`${direction}.port`, `is required with protocol ${JSON.stringify(protocol)}`);
    }
    v.throwIfInvalid();
    // Resolved, a peer group's id is its Terraform address: stable however the code is ordered.
    const key = JSON.stringify(Tokenization.resolve([direction, rule.peer, rule.port, rule.toPort, protocol], { scope: this, resolver: new DefaultTokenResolver(new StringConcat()) }));
    if (this.seen.has(key)) return;
    this.seen.add(key);
    // The id comes from the rule itself, not its position: adding a rule never renames (and so
    // never deletes and re-creates) another.
    const ruleId = `${direction}-${crypto.createHash('sha256').update(key).digest('hex').slice(0, 8)}`;
    const peer =
      'cidr' in rule.peer ? { cidrIpv4: rule.peer.cidr } : 'securityGroupId' in rule.peer ? { referencedSecurityGroupId: rule.peer.securityGroupId } : { prefixListId: rule.peer.prefixListId };
    const common = {
      securityGroupId: this.securityGroupId,
      ipProtocol: protocol,
      fromPort: protocol === '-1' ? undefined : rule.port,
      toPort: protocol === '-1' ? undefined : rule.toPort ?? rule.port,
      description: rule.description,
      ...peer,
    };
    const resource =
      direction === 'ingress' ? new VpcSecurityGroupIngressRule(this, ruleId, common) : new VpcSecurityGroupEgressRule(this, ruleId, common);
    this.rules.add(resource);
  }
}
