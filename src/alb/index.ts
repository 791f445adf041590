import { Construct } from 'constructs';
import { Lb } from '@cdktf/provider-aws/lib/lb';
import { LbListener } from '@cdktf/provider-aws/lib/lb-listener';
import { LbListenerRule } from '@cdktf/provider-aws/lib/lb-listener-rule';
import { LbTargetGroup } from '@cdktf/provider-aws/lib/lb-target-group';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { VpcSecurityGroupEgressRule } from '@cdktf/provider-aws/lib/vpc-security-group-egress-rule';
import { NameLimits, fitName } from '../core/naming';
import { nameTags } from '../core/tags';
import { PropsValidator } from '../core/validation';
import { isCidr } from '../settings/schema';

export interface AlbAccessLogs {
  /** Bucket receiving the logs (its policy must allow the regional ELB account). */
  readonly bucket: string;
  /** @default - the bucket root */
  readonly prefix?: string;
}

export interface ApplicationLoadBalancerProps {
  /** Name prefix; the ALB is named `<namePrefix>` (fitted to 32 characters). */
  readonly namePrefix: string;
  /** VPC of the load balancer and its target groups. */
  readonly vpcId: string;
  /** Subnets: public ones for an internet-facing ALB. */
  readonly subnetIds: readonly string[];
  /**
   * Internal (private) instead of internet-facing.
   * @default false
   */
  readonly internal?: boolean;
  /**
   * Clients allowed to reach the listeners.
   * @default ["0.0.0.0/0"]
   */
  readonly allowedCidrs?: readonly string[];
  /**
   * Destination of the ALB's own traffic (targets and health checks).
   * @default - the VPC CIDR when given, else anywhere
   */
  readonly vpcCidr?: string;
  /**
   * ACM certificate: adds an HTTPS listener and turns HTTP into a redirect to HTTPS.
   * @default - HTTP only
   */
  readonly certificateArn?: string;
  /**
   * TLS policy of the HTTPS listener.
   * @default "ELBSecurityPolicy-TLS13-1-3-2021-06"
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
  /** Name (fitted to 32 characters). */
  readonly name: string;
  /** Target port. */
  readonly port: number;
  /** @default {} (GET /health expecting 200) */
  readonly healthCheck?: TargetGroupHealthCheck;
  /** Seconds in-flight requests may finish on a deregistering target. @default 30 */
  readonly deregistrationDelaySec?: number;
}

/** A target group made by `ApplicationLoadBalancer.addTargetGroup`. */
export interface TargetGroup {
  /** The target group resource. */
  readonly resource: LbTargetGroup;
  /** Target group ARN. */
  readonly targetGroupArn: string;
  /** `targetgroup/<name>/<id>`, for CloudWatch dimensions and request-count scaling. */
  readonly targetGroupArnSuffix: string;
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
export class ApplicationLoadBalancer extends Construct {
  public readonly loadBalancer: Lb;
  public readonly loadBalancerArn: string;
  /** `app/<name>/<id>`, for CloudWatch dimensions. */
  public readonly loadBalancerArnSuffix: string;
  public readonly dnsName: string;
  public readonly zoneId: string;
  public readonly securityGroupId: string;
  public readonly httpListener: LbListener;
  public readonly httpsListener?: LbListener;
  /** The listener routes attach to (HTTPS when there is one). */
  public readonly listener: LbListener;
  private readonly vpcId: string;
  private readonly priorities = new Set<number>();

  constructor(scope: Construct, id: string, props: ApplicationLoadBalancerProps) {
    super(scope, id);
    const allowed = props.allowedCidrs ?? ['0.0.0.0/0'];
    const v = new PropsValidator(this)
      .check(props.subnetIds.length >= 2, 'subnetIds', props.subnetIds, 'has fewer than 2 subnets; an ALB needs subnets in at least two availability zones')
      .check(allowed.length > 0, 'allowedCidrs', allowed, 'is empty; give at least one CIDR block')
      .range('idleTimeoutSec', props.idleTimeoutSec, 1, 4000);
    allowed.forEach((c, i) => v.check(isCidr(c), `allowedCidrs[${i}]`, c, 'is not an IPv4 CIDR block'));
    if (props.certificateArn !== undefined) v.check(/^arn:aws[a-z-]*:acm:/.test(props.certificateArn), 'certificateArn', props.certificateArn, 'is not an ACM certificate ARN');
    v.throwIfInvalid();
    this.vpcId = props.vpcId;
    const name = fitName(props.namePrefix, NameLimits.loadBalancer);

    const sg = new SecurityGroup(this, 'sg', {
      name: `${props.namePrefix}-alb`,
      description: `Load balancer ${props.namePrefix}`,
      vpcId: props.vpcId,
      tags: nameTags(`${props.namePrefix}-alb`),
    });
    this.securityGroupId = sg.id;
    const ports = props.certificateArn ? [80, 443] : [80];
    for (const port of ports) {
      allowed.forEach((cidr, i) => {
        new VpcSecurityGroupIngressRule(this, `ingress-${port}-${i}`, {
          securityGroupId: sg.id,
          cidrIpv4: cidr,
          ipProtocol: 'tcp',
          fromPort: port,
          toPort: port,
          description: `${port === 443 ? 'HTTPS' : 'HTTP'} from ${cidr}`,
        });
      });
    }
    new VpcSecurityGroupEgressRule(this, 'egress', {
      securityGroupId: sg.id,
      cidrIpv4: props.vpcCidr ?? '0.0.0.0/0',
      ipProtocol: '-1',
      description: 'To targets and health checks',
    });

    this.loadBalancer = new Lb(this, 'this', {
      name,
      loadBalancerType: 'application',
      internal: props.internal ?? false,
      securityGroups: [sg.id],
      subnets: [...props.subnetIds],
      dropInvalidHeaderFields: true,
      enableDeletionProtection: props.deletionProtection ?? true,
      idleTimeout: props.idleTimeoutSec ?? 60,
      accessLogs: props.accessLogs ? { bucket: props.accessLogs.bucket, prefix: props.accessLogs.prefix, enabled: true } : undefined,
      tags: nameTags(name),
    });
    this.loadBalancerArn = this.loadBalancer.arn;
    this.loadBalancerArnSuffix = this.loadBalancer.arnSuffix;
    this.dnsName = this.loadBalancer.dnsName;
    this.zoneId = this.loadBalancer.zoneId;

    const notFound = [{ type: 'fixed-response', fixedResponse: { contentType: 'text/plain', messageBody: 'Not Found', statusCode: '404' } }];
    this.httpListener = new LbListener(this, 'http', {
      loadBalancerArn: this.loadBalancer.arn,
      port: 80,
      protocol: 'HTTP',
      defaultAction: props.certificateArn ? [{ type: 'redirect', redirect: { port: '443', protocol: 'HTTPS', statusCode: 'HTTP_301' } }] : notFound,
      tags: nameTags(`${name}-http`),
    });
    if (props.certificateArn) {
      this.httpsListener = new LbListener(this, 'https', {
        loadBalancerArn: this.loadBalancer.arn,
        port: 443,
        protocol: 'HTTPS',
        sslPolicy: props.sslPolicy ?? 'ELBSecurityPolicy-TLS13-1-3-2021-06',
        certificateArn: props.certificateArn,
        defaultAction: notFound,
        tags: nameTags(`${name}-https`),
      });
    }
    this.listener = this.httpsListener ?? this.httpListener;
  }

  /** Adds an ip-target group in the ALB's VPC. */
  public addTargetGroup(id: string, props: TargetGroupProps): TargetGroup {
    const hc = props.healthCheck ?? {};
    const v = new PropsValidator(this).range(`${id}.port`, props.port, 1, 65535).range(`${id}.deregistrationDelaySec`, props.deregistrationDelaySec, 0, 3600);
    if (hc.path !== undefined) v.check(hc.path.startsWith('/'), `${id}.healthCheck.path`, hc.path, 'does not start with "/"');
    v.throwIfInvalid();
    const name = fitName(props.name, NameLimits.targetGroup);
    const resource = new LbTargetGroup(this, id, {
      name,
      port: props.port,
      protocol: 'HTTP',
      targetType: 'ip',
      vpcId: this.vpcId,
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
      tags: nameTags(name),
    });
    return { resource, targetGroupArn: resource.arn, targetGroupArnSuffix: resource.arnSuffix };
  }

  /** Sends every request no rule matches to `targetGroup` (instead of the fixed 404). */
  public setDefaultTargetGroup(targetGroup: TargetGroup): void {
    this.listener.putDefaultAction([{ type: 'forward', targetGroupArn: targetGroup.targetGroupArn }]);
  }

  /** Adds a listener rule forwarding matching requests to a target group. */
  public addRoute(id: string, props: RouteProps): LbListenerRule {
    const v = new PropsValidator(this).range(`${id}.priority`, props.priority, 1, 50000);
    if (this.priorities.has(props.priority)) v.fail(`${id}.priority`, `${props.priority} is already used by another rule; priorities must be unique`);
    if (!props.pathPatterns?.length && !props.hostHeaders?.length) v.fail(id, 'needs pathPatterns or hostHeaders');
    v.throwIfInvalid();
    this.priorities.add(props.priority);
    return new LbListenerRule(this, id, {
      listenerArn: this.listener.arn,
      priority: props.priority,
      action: [{ type: 'forward', targetGroupArn: props.targetGroup.targetGroupArn }],
      condition: [
        ...(props.pathPatterns?.length ? [{ pathPattern: { values: [...props.pathPatterns] } }] : []),
        ...(props.hostHeaders?.length ? [{ hostHeader: { values: [...props.hostHeaders] } }] : []),
      ],
      tags: nameTags(`${id}`),
    });
  }
}
