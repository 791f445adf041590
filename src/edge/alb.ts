import { Construct } from 'constructs';
import { TerraformResource, Token } from 'cdktf';
import { Lb } from '@cdktf/provider-aws/lib/lb';
import { LbListener } from '@cdktf/provider-aws/lib/lb-listener';
import { LbListenerRule, LbListenerRuleCondition } from '@cdktf/provider-aws/lib/lb-listener-rule';
import { LbTargetGroup } from '@cdktf/provider-aws/lib/lb-target-group';
import { DependencyGroup } from '../core/dependencies';
import { Metric } from '../core/metric';
import { NameLimits, fitName } from '../core/naming';
import { nameTags } from '../core/tags';
import { PropsValidator, isArn, isCidr } from '../core/validation';
import { Relations } from '../core/relations';
import { SecurityGroup } from '../network/security-group';
import type { IVpc } from '../network/vpc';

/** TLS policy of HTTPS listeners: TLS 1.3 and 1.2 (older clients and most load testers need 1.2). */
const DEFAULT_SSL_POLICY = 'ELBSecurityPolicy-TLS13-1-2-2021-06';
/** Priority of the rule that forwards to the default target group under `requireHeader` (the last one ALB allows). */
const DEFAULT_ROUTE_PRIORITY = 50000;
/** TLS 1.3 only. */
export const TLS13_ONLY_SSL_POLICY = 'ELBSecurityPolicy-TLS13-1-3-2021-06';

/** A bucket load balancers write access logs to (`AccessLogBucket` in src/data/access-logs.ts). */
export interface ILoadBalancerLogDestination {
  readonly bucketName: string;
  /**
   * Lets the region's load balancers write under `prefix`; returns the policy to wait for
   * (undefined for a bucket made elsewhere, whose policy allows it already).
   */
  allowLoadBalancerLogs(prefix: string): TerraformResource | undefined;
}

export interface AlbAccessLogs {
  /**
   * The bucket: an `AccessLogBucket` (its policy is extended and the load balancer waits for it),
   * or one made elsewhere (`AccessLogBucket.fromBucketName`) whose policy already allows the
   * region's log delivery.
   */
  readonly bucket: ILoadBalancerLogDestination;
  /** @default - `alb/<load balancer name>` */
  readonly prefix?: string;
}

export interface ApplicationLoadBalancerProps {
  /** Name of the load balancer (fitted to 32 characters) and prefix of its parts. */
  readonly namePrefix: string;
  /**
   * The VPC: the load balancer sits in its public subnets (its private ones when `internal`), its
   * target groups in the VPC, and its traffic to targets and health checks goes to the VPC's
   * CIDR block only.
   */
  readonly vpc: IVpc;
  /**
   * Internal (private subnets) instead of internet-facing (public subnets).
   * @default false
   */
  readonly internal?: boolean;
  /**
   * Clients allowed to reach the listeners. Empty: no CIDR block may, only what is added to
   * `securityGroup` (e.g. CloudFront's origin-facing prefix list in front of the ALB).
   * @default ["0.0.0.0/0"]
   */
  readonly allowedCidrs?: readonly string[];
  /**
   * ACM certificate: adds an HTTPS listener and turns HTTP into a redirect to HTTPS.
   * @default - HTTP only
   */
  readonly certificateArn?: string;
  /**
   * TLS policy of the HTTPS listener.
   * @default "ELBSecurityPolicy-TLS13-1-2-2021-06" (TLS 1.3 and 1.2; `TLS13_ONLY_SSL_POLICY` for 1.3 only)
   */
  readonly sslPolicy?: string;
  /**
   * Deletion protection (turn off to let `terraform destroy` delete the ALB).
   * @default true
   */
  readonly deletionProtection?: boolean;
  /** @default 60 */
  readonly idleTimeoutSec?: number;
  /** @default - no access logs */
  readonly accessLogs?: AlbAccessLogs;
}

export interface TargetGroupHealthCheck {
  /** @default "/health" */
  readonly path?: string;
  /** @default "200" */
  readonly matcher?: string;
  /** @default 30 */
  readonly intervalSec?: number;
  /** @default 5 */
  readonly timeoutSec?: number;
  /** @default 2 */
  readonly healthyThreshold?: number;
  /** @default 3 */
  readonly unhealthyThreshold?: number;
}

export interface TargetGroupProps {
  /** Name tag (the group itself uses a 6-character `name_prefix`; see `TargetGroup`). */
  readonly name: string;
  /** Target port. */
  readonly port: number;
  /** @default {} (GET /health expecting 200) */
  readonly healthCheck?: TargetGroupHealthCheck;
  /** Seconds in-flight requests may finish on a deregistering target. @default 30 */
  readonly deregistrationDelaySec?: number;
}

/**
 * An ip-target group of an ALB. It uses `name_prefix` and `create_before_destroy`: a new port or
 * health check protocol replaces the group, and the new one must exist (and take over the
 * listener rule and the service) before the old one can go. It knows what attaches it to the load
 * balancer (a listener rule or a listener's default action): ECS rejects a service whose target
 * group is not attached yet, so services wait for that (`addDependent`).
 */
export class TargetGroup extends Construct {
  /** The target group resource. */
  public readonly resource: LbTargetGroup;
  public readonly targetGroupArn: string;
  /** `targetgroup/<name>/<id>`, for CloudWatch dimensions and request-count scaling. */
  public readonly targetGroupArnSuffix: string;
  /** `app/<name>/<id>` of the load balancer the group belongs to. */
  public readonly loadBalancerArnSuffix: string;
  public readonly port: number;
  public readonly name: string;
  private readonly attachments = new DependencyGroup();

  constructor(scope: Construct, id: string, props: TargetGroupProps & { readonly vpc: IVpc; readonly loadBalancerArnSuffix: string }) {
    super(scope, id);
    const hc = props.healthCheck ?? {};
    const v = new PropsValidator(this).range('port', props.port, 1, 65535).range('deregistrationDelaySec', props.deregistrationDelaySec, 0, 3600);
    if (hc.path !== undefined) v.check(hc.path.startsWith('/'), 'healthCheck.path', hc.path, 'does not start with "/"');
    v.range('healthCheck.intervalSec', hc.intervalSec, 5, 300).range('healthCheck.timeoutSec', hc.timeoutSec, 2, 120);
    if ((hc.timeoutSec ?? 5) >= (hc.intervalSec ?? 30)) v.fail('healthCheck.timeoutSec', `${hc.timeoutSec ?? 5} is not below intervalSec ${hc.intervalSec ?? 30}`);
    v.throwIfInvalid();
    this.port = props.port;
    this.name = props.name;
    this.loadBalancerArnSuffix = props.loadBalancerArnSuffix;
    const shortName = (props.name.split('-').pop() ?? props.name).replace(/[^A-Za-z0-9]/g, '').slice(0, NameLimits.targetGroupPrefix - 1) || 'tg';
    this.resource = new LbTargetGroup(this, 'this', {
      namePrefix: `${shortName}-`,
      port: props.port,
      protocol: 'HTTP',
      targetType: 'ip',
      vpcId: props.vpc.vpcId,
      deregistrationDelay: String(props.deregistrationDelaySec ?? 30),
      healthCheck: {
        enabled: true,
        path: hc.path ?? '/health',
        matcher: hc.matcher ?? '200',
        protocol: 'HTTP',
        port: 'traffic-port',
        interval: hc.intervalSec ?? 30,
        timeout: hc.timeoutSec ?? 5,
        healthyThreshold: hc.healthyThreshold ?? 2,
        unhealthyThreshold: hc.unhealthyThreshold ?? 3,
      },
      tags: nameTags(props.name),
      lifecycle: { createBeforeDestroy: true },
    });
    this.targetGroupArn = this.resource.arn;
    this.targetGroupArnSuffix = this.resource.arnSuffix;
  }

  /** Whether a listener rule or default action forwards to the group. */
  public get attached(): boolean {
    return this.attachments.all.length > 0;
  }

  /** Records what attaches the group to the load balancer (called by the load balancer). */
  public attachedBy(resource: TerraformResource): void {
    this.attachments.add(resource);
    Relations.route(resource, this.resource);
  }

  /** Makes `resource` wait until the group is attached to the load balancer. */
  public addDependent(resource: TerraformResource): void {
    this.attachments.addDependent(resource);
  }

  private metric(metricName: string, stat: string, label?: string): Metric {
    return { namespace: 'AWS/ApplicationELB', metricName, dimensions: { LoadBalancer: this.loadBalancerArnSuffix, TargetGroup: this.targetGroupArnSuffix }, stat, label };
  }

  /** Healthy targets (minimum over the period). */
  public metricHealthyHosts(): Metric {
    return this.metric('HealthyHostCount', 'Minimum', `${this.name} healthy targets`);
  }

  /** Unhealthy targets (maximum over the period). */
  public metricUnhealthyHosts(): Metric {
    return this.metric('UnHealthyHostCount', 'Maximum', `${this.name} unhealthy targets`);
  }

  /** Requests routed to the group. */
  public metricRequestCount(): Metric {
    return this.metric('RequestCount', 'Sum', `${this.name} requests`);
  }

  /** Target response time (`p99` by default). */
  public metricTargetResponseTime(stat = 'p99'): Metric {
    return this.metric('TargetResponseTime', stat, `${this.name} ${stat} latency`);
  }

  /** 5xx answers of the targets. */
  public metricTarget5xx(): Metric {
    return this.metric('HTTPCode_Target_5XX_Count', 'Sum', `${this.name} target 5xx`);
  }
}

export interface RouteProps {
  /** Where matching requests go. */
  readonly targetGroup: TargetGroup;
  /** Rule priority, 1-50000, unique per listener. */
  readonly priority: number;
  /** @default - any path */
  readonly pathPatterns?: readonly string[];
  /** @default - any host */
  readonly hostHeaders?: readonly string[];
}

/**
 * An Application Load Balancer with its security group, an HTTP listener (fixed 404, or a redirect
 * to HTTPS when a certificate is given), an optional HTTPS listener, target groups (ip targets)
 * and path/host routing rules.
 */
/**
 * A listener rule is replaced only when its listener is (turning HTTPS on moves every rule from
 * the HTTP listener to the HTTPS one): the new rule is created first, on the new listener, so
 * path routing never has a gap. (Priorities are unique per listener, and a rule on the same
 * listener is updated in place, never replaced.)
 */
const RULE_LIFECYCLE = { createBeforeDestroy: true };

export class ApplicationLoadBalancer extends Construct {
  /** The load balancer resource. */
  public readonly resource: Lb;
  public readonly loadBalancerArn: string;
  /** `app/<name>/<id>`, for CloudWatch dimensions. */
  public readonly loadBalancerArnSuffix: string;
  public readonly dnsName: string;
  public readonly zoneId: string;
  public readonly securityGroup: SecurityGroup;
  public readonly securityGroupId: string;
  public readonly httpListener: LbListener;
  public readonly httpsListener?: LbListener;
  /** The listener routes attach to (HTTPS when there is one). */
  public readonly listener: LbListener;
  /** `https` with a certificate, else `http`. */
  public readonly protocol: 'http' | 'https';
  /** Whether the load balancer is internal (in the private subnets). */
  public readonly internal: boolean;
  private readonly vpc: IVpc;
  private readonly priorities = new Set<number>();
  private defaultTarget?: TargetGroup;
  private readonly routes: { rule: LbListenerRule; conditions: LbListenerRuleCondition[] }[] = [];
  private requiredHeader?: { readonly name: string; readonly value: string };
  private headerDefaultRule?: LbListenerRule;

  constructor(scope: Construct, id: string, props: ApplicationLoadBalancerProps) {
    super(scope, id);
    const allowed = props.allowedCidrs ?? ['0.0.0.0/0'];
    this.internal = props.internal ?? false;
    const subnetIds = this.internal ? props.vpc.privateSubnetIds : props.vpc.publicSubnetIds;
    const kind = this.internal ? 'private' : 'public';
    const v = new PropsValidator(this)
      .check(subnetIds.length >= 2, 'vpc', props.vpc.node.path, `has ${subnetIds.length} ${kind} subnet${subnetIds.length === 1 ? '' : 's'}; an ${this.internal ? 'internal' : 'internet-facing'} ALB needs ${kind} subnets in at least two availability zones`)
      .range('idleTimeoutSec', props.idleTimeoutSec, 1, 4000);
    allowed.forEach((c, i) => v.check(isCidr(c), `allowedCidrs[${i}]`, c, 'is not an IPv4 CIDR block'));
    if (props.certificateArn !== undefined) v.check(isArn(props.certificateArn, 'acm'), 'certificateArn', props.certificateArn, 'is not an ACM certificate ARN');
    if (props.sslPolicy !== undefined) v.check(/^ELBSecurityPolicy-/.test(props.sslPolicy), 'sslPolicy', props.sslPolicy, 'is not an ELB security policy name (ELBSecurityPolicy-...)');
    if (props.sslPolicy !== undefined && props.certificateArn === undefined) v.fail('sslPolicy', 'has no effect without certificateArn (there is no HTTPS listener)');
    v.throwIfInvalid();
    this.vpc = props.vpc;
    const name = fitName(props.namePrefix, NameLimits.loadBalancer);
    const logs = props.accessLogs ? accessLogTarget(props.accessLogs, `alb/${name}`) : undefined;

    this.securityGroup = new SecurityGroup(this, 'sg', { name: `${props.namePrefix}-alb`, description: `Load balancer ${props.namePrefix}`, vpcId: props.vpc.vpcId, allowAllOutbound: false });
    this.securityGroupId = this.securityGroup.securityGroupId;
    for (const port of props.certificateArn ? [80, 443] : [80]) {
      for (const cidr of allowed) this.securityGroup.addIngress({ peer: { cidr }, port, description: `${port === 443 ? 'HTTPS' : 'HTTP'} from ${cidr}` });
    }
    // The configured CIDR block (a literal): the rule needs no reference to the VPC.
    this.securityGroup.addEgress({ peer: { cidr: props.vpc.cidr }, protocol: '-1', description: 'To targets and health checks' });

    this.resource = new Lb(this, 'this', {
      name,
      loadBalancerType: 'application',
      internal: this.internal,
      securityGroups: [this.securityGroupId],
      subnets: [...subnetIds],
      dropInvalidHeaderFields: true,
      enableDeletionProtection: props.deletionProtection ?? true,
      idleTimeout: props.idleTimeoutSec ?? 60,
      accessLogs: logs ? { bucket: logs.bucketName, prefix: logs.prefix, enabled: true } : undefined,
      // AWS checks that it may write to the bucket when access logging is turned on.
      dependsOn: logs?.policy ? [logs.policy] : undefined,
      tags: nameTags(name),
    });
    this.loadBalancerArn = this.resource.arn;
    this.loadBalancerArnSuffix = this.resource.arnSuffix;
    this.dnsName = this.resource.dnsName;
    this.zoneId = this.resource.zoneId;
    this.protocol = props.certificateArn ? 'https' : 'http';

    const notFound = [{ type: 'fixed-response', fixedResponse: { contentType: 'text/plain', messageBody: 'Not Found', statusCode: '404' } }];
    this.httpListener = new LbListener(this, 'http', {
      loadBalancerArn: this.resource.arn,
      port: 80,
      protocol: 'HTTP',
      defaultAction: props.certificateArn ? [{ type: 'redirect', redirect: { port: '443', protocol: 'HTTPS', statusCode: 'HTTP_301' } }] : notFound,
      tags: nameTags(`${name}-http`),
    });
    if (props.certificateArn) {
      this.httpsListener = new LbListener(this, 'https', {
        loadBalancerArn: this.resource.arn,
        port: 443,
        protocol: 'HTTPS',
        sslPolicy: props.sslPolicy ?? DEFAULT_SSL_POLICY,
        certificateArn: props.certificateArn,
        defaultAction: notFound,
        tags: nameTags(`${name}-https`),
      });
    }
    this.listener = this.httpsListener ?? this.httpListener;
  }

  /** `http(s)://<dns name>` of the load balancer. */
  public get url(): string {
    return `${this.protocol}://${this.dnsName}`;
  }

  /** Adds an ip-target group in the ALB's VPC; attach it with `addRoute` or `setDefaultTargetGroup`. */
  public addTargetGroup(id: string, props: TargetGroupProps): TargetGroup {
    return new TargetGroup(this, id, { ...props, vpc: this.vpc, loadBalancerArnSuffix: this.loadBalancerArnSuffix });
  }

  /** Sends every request no rule matches to `targetGroup` (instead of the fixed 404). */
  public setDefaultTargetGroup(targetGroup: TargetGroup): void {
    if (this.defaultTarget) new PropsValidator(this).fail('defaultTargetGroup', `is already ${this.defaultTarget.node.id}; a listener has one default action`).throwIfInvalid();
    this.defaultTarget = targetGroup;
    if (this.requiredHeader) this.forwardDefaultWithHeader();
    else {
      this.listener.putDefaultAction([{ type: 'forward', targetGroupArn: targetGroup.targetGroupArn }]);
      targetGroup.attachedBy(this.listener);
    }
  }

  /**
   * Answers 403 to every request without the header `name: value` (CloudFront's origin custom
   * header, `AlbDistribution.originVerifyHeader`): every route gets the header as a condition, and
   * the default target group moves from the listener's default action (now the 403) to a rule of
   * priority `DEFAULT_ROUTE_PRIORITY` (50000, the last) with only that condition. `value` must be a
   * plan-time value (a sensitive variable), never a literal, which would be written into the
   * configuration. Changing it is not atomic: between the distribution's update and the rule's,
   * requests get 403s.
   */
  public requireHeader(name: string, value: string): void {
    new PropsValidator(this)
      .check(this.requiredHeader === undefined, 'requireHeader', name, 'is called twice; a load balancer requires one header')
      .check(/^[A-Za-z0-9-]{1,40}$/.test(name), 'requireHeader.name', name, 'is not a header name of 1-40 letters, digits and "-" (the limit of ALB header conditions)')
      .check(Token.isUnresolved(value), 'requireHeader.value', '(a literal)', 'would be written into the synthesized configuration; give a plan-time value such as a sensitive Terraform variable')
      .throwIfInvalid();
    this.requiredHeader = { name, value };
    const forbidden = [{ type: 'fixed-response', fixedResponse: { contentType: 'text/plain', messageBody: 'Forbidden', statusCode: '403' } }];
    this.listener.putDefaultAction(forbidden);
    Relations.withdrawRoutes(this.listener);
    for (const r of this.routes) r.rule.putCondition([...r.conditions, this.headerCondition()]);
    if (this.defaultTarget) this.forwardDefaultWithHeader();
  }

  private headerCondition(): LbListenerRuleCondition {
    return { httpHeader: { httpHeaderName: this.requiredHeader!.name, values: [this.requiredHeader!.value] } };
  }

  private forwardDefaultWithHeader(): void {
    const target = this.defaultTarget!;
    if (!this.headerDefaultRule && this.priorities.has(DEFAULT_ROUTE_PRIORITY)) {
      new PropsValidator(this).fail('requireHeader', `needs priority ${DEFAULT_ROUTE_PRIORITY} for the default target group's rule, and a route already has it; give that route a lower priority`).throwIfInvalid();
    }
    this.priorities.add(DEFAULT_ROUTE_PRIORITY);
    this.headerDefaultRule ??= new LbListenerRule(this, 'default-with-header', {
      listenerArn: this.listener.arn,
      priority: DEFAULT_ROUTE_PRIORITY,
      action: [{ type: 'forward', targetGroupArn: target.targetGroupArn }],
      condition: [this.headerCondition()],
      tags: nameTags(`${target.name}-route`),
      lifecycle: RULE_LIFECYCLE,
    });
    target.attachedBy(this.headerDefaultRule);
  }

  /** Adds a listener rule forwarding matching requests to a target group. */
  public addRoute(id: string, props: RouteProps): LbListenerRule {
    const v = new PropsValidator(this).range(`${id}.priority`, props.priority, 1, 50000);
    if (this.priorities.has(props.priority)) v.fail(`${id}.priority`, `${props.priority} is already used by another rule; priorities must be unique`);
    if (!props.pathPatterns?.length && !props.hostHeaders?.length) v.fail(id, 'needs pathPatterns or hostHeaders');
    if (props.priority === DEFAULT_ROUTE_PRIORITY && this.requiredHeader) v.fail(`${id}.priority`, `${DEFAULT_ROUTE_PRIORITY} is the default route's under requireHeader; use a lower priority`);
    v.throwIfInvalid();
    const conditions: LbListenerRuleCondition[] = [
      ...(props.pathPatterns?.length ? [{ pathPattern: { values: [...props.pathPatterns] } }] : []),
      ...(props.hostHeaders?.length ? [{ hostHeader: { values: [...props.hostHeaders] } }] : []),
    ];
    this.priorities.add(props.priority);
    const rule = new LbListenerRule(this, id, {
      listenerArn: this.listener.arn,
      priority: props.priority,
      action: [{ type: 'forward', targetGroupArn: props.targetGroup.targetGroupArn }],
      condition: this.requiredHeader ? [...conditions, this.headerCondition()] : conditions,
      tags: nameTags(`${props.targetGroup.name}-route`),
      lifecycle: RULE_LIFECYCLE,
    });
    this.routes.push({ rule, conditions });
    props.targetGroup.attachedBy(rule);
    return rule;
  }

  private metric(metricName: string, stat: string, label?: string): Metric {
    return { namespace: 'AWS/ApplicationELB', metricName, dimensions: { LoadBalancer: this.loadBalancerArnSuffix }, stat, label };
  }

  /** Requests for which the load balancer chose a target. */
  public metricRequestCount(): Metric {
    return this.metric('RequestCount', 'Sum', 'Requests');
  }

  /** Target response time (`p99` by default). */
  public metricTargetResponseTime(stat = 'p99'): Metric {
    return this.metric('TargetResponseTime', stat, `${stat.toUpperCase()} latency`);
  }

  /** 5xx answers of the targets. */
  public metricTarget5xx(): Metric {
    return this.metric('HTTPCode_Target_5XX_Count', 'Sum', 'Target 5xx');
  }

  /** 5xx answers of the load balancer itself (503 when no target is registered or healthy, 502/504 from targets). */
  public metricElb5xx(): Metric {
    return this.metric('HTTPCode_ELB_5XX_Count', 'Sum', 'Load balancer 5xx');
  }
}

/** Bucket name, prefix and (for a bucket of this app) the policy the load balancer waits for. */
function accessLogTarget(logs: AlbAccessLogs, defaultPrefix: string): { bucketName: string; prefix: string; policy?: TerraformResource } {
  const prefix = logs.prefix ?? defaultPrefix;
  return { bucketName: logs.bucket.bucketName, prefix, policy: logs.bucket.allowLoadBalancerLogs(prefix) };
}
