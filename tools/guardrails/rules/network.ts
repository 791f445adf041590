/**
 * Rules for the VPC, security groups and load balancers.
 *
 * Each rule's counterparts were read in the checks' source: checkov (bridgecrewio/checkov at
 * 03d5fdad8d, under checkov/terraform/checks/) and cdk-nag (cdklabs/cdk-nag at ca6d1b54, under
 * src/rules/); the comment above each rule's counterparts names the files.
 */
import type { Counterpart, Rule } from '../engine';
import { Resource, StackModel, block, blocks, isExpression, isFalse, isTrue, referenceTarget } from '../../model';

/** A CIDR of every address: 0.0.0.0/0, ::/0, or any other way of writing a /0 (0000:...:0000/0). */
const ANYWHERE = /\/0$/;
/** Ports a public load balancer listens on. */
const WEB_PORTS = [80, 443];

/** One ingress or egress permission, whichever resource shape wrote it. */
interface Permission {
  readonly group?: string; // address of the security group it belongs to
  readonly protocol: string;
  readonly from?: number;
  readonly to?: number;
  readonly cidrs: string[];
  readonly description?: string;
}

function num(v: unknown): number | undefined {
  return typeof v === 'number' ? v : typeof v === 'string' && /^-?\d+$/.test(v) ? Number(v) : undefined;
}

/** The ingress permissions a resource declares (rule resources, legacy rules, inline blocks). */
function ingressOf(r: Resource): Permission[] {
  const b = r.body;
  if (r.type === 'aws_vpc_security_group_ingress_rule') {
    return [{ group: referenceTarget(b.security_group_id), protocol: String(b.ip_protocol), from: num(b.from_port), to: num(b.to_port), cidrs: [b.cidr_ipv4, b.cidr_ipv6].filter((c) => typeof c === 'string'), description: b.description }];
  }
  if (r.type === 'aws_security_group_rule') {
    if (b.type !== 'ingress') return [];
    return [{ group: referenceTarget(b.security_group_id), protocol: String(b.protocol), from: num(b.from_port), to: num(b.to_port), cidrs: [...(b.cidr_blocks ?? []), ...(b.ipv6_cidr_blocks ?? [])], description: b.description }];
  }
  if (r.type === 'aws_security_group') {
    return blocks(b.ingress).map((i) => ({ group: r.address, protocol: String(i.protocol), from: num(i.from_port), to: num(i.to_port), cidrs: [...(i.cidr_blocks ?? []), ...(i.ipv6_cidr_blocks ?? [])], description: i.description }));
  }
  return [];
}

function allProtocols(p: Permission): boolean {
  return p.protocol === '-1' || p.protocol.toLowerCase() === 'all';
}

function portText(p: Permission): string {
  if (allProtocols(p)) return 'all protocols and ports';
  return p.from === p.to ? `${p.protocol} ${p.from}` : `${p.protocol} ${p.from}-${p.to}`;
}

/** Addresses of the security groups attached to load balancers. */
function loadBalancerGroups(stack: StackModel): Set<string> {
  const out = new Set<string>();
  for (const lb of [...stack.resources('aws_lb'), ...stack.resources('aws_alb')]) {
    for (const g of lb.body.security_groups ?? []) {
      const t = referenceTarget(g);
      if (t) out.add(t);
    }
  }
  return out;
}

/**
 * Addresses of the security groups of routers: instances and interfaces with the source/destination
 * check off (a NAT instance forwards whatever the private subnets send, any protocol or port).
 */
function routerGroups(stack: StackModel): Set<string> {
  const out = new Set<string>();
  const add = (ids: unknown) => {
    for (const g of Array.isArray(ids) ? ids : []) {
      const t = referenceTarget(g);
      if (t) out.add(t);
    }
  };
  for (const i of stack.resources('aws_instance')) if (isFalse(i.body.source_dest_check)) add(i.body.vpc_security_group_ids);
  for (const n of stack.resources('aws_network_interface')) if (isFalse(n.body.source_dest_check)) add(n.body.security_groups);
  return out;
}

/** RFC 1918 private IPv4 ranges (and narrower blocks inside them). */
function isPrivateCidr(cidr: string): boolean {
  const m = /^(\d+)\.(\d+)\.\d+\.\d+\/(\d+)$/.exec(cidr);
  if (!m) return false;
  const [a, b, bits] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return (a === 10 && bits >= 8) || (a === 172 && b >= 16 && b <= 31 && bits >= 12) || (a === 192 && b === 168 && bits >= 16);
}

const INGRESS_TYPES = ['aws_vpc_security_group_ingress_rule', 'aws_security_group_rule', 'aws_security_group'];

function listenersOf(stack: StackModel, lb: Resource): Resource[] {
  return [...stack.attached('aws_lb_listener', 'load_balancer_arn', lb), ...stack.attached('aws_alb_listener', 'load_balancer_arn', lb)];
}

function isApplication(lb: Resource): boolean {
  return (lb.body.load_balancer_type ?? 'application') === 'application';
}

/** TLS policies that allow TLS 1.2 and later only. */
const MODERN_TLS = /^ELBSecurityPolicy-(TLS13-|TLS-1-2-|FS-1-2-)/;

/** Rule resources that add permissions to a security group. */
const GROUP_RULE_TYPES = ['aws_security_group_rule', 'aws_vpc_security_group_ingress_rule', 'aws_vpc_security_group_egress_rule'];

/**
 * checkov's unrestricted-ingress checks (AbsSecurityGroupUnrestrictedIngress.py) read an
 * aws_vpc_security_group_ingress_rule with no CIDR as open to everyone, whatever its source.
 */
const NO_CIDR = 'a rule whose source is another security group or a prefix list passes, where checkov reads an aws_vpc_security_group_ingress_rule without a CIDR as open to everyone';

/** Why the HTTP-to-HTTPS rule waits for an HTTPS listener. */
const HTTPS_FIRST = 'Only once the load balancer has an HTTPS listener: without a certificate (a demo, a stack without a domain) plain HTTP is the only way in, and a fixed response does not count as serving HTTP.';

function productionOnly(id: string, what: string): Counterpart {
  return { id, relation: 'narrower', difference: `Production only: ${what}.` };
}

/** The description a security group or rule gives, or the problem with it. */
function descriptionProblem(d: unknown): string | undefined {
  if (typeof d !== 'string' || d.trim() === '') return 'has no description';
  return d.trim().length < 2 || d === 'Managed by Terraform' ? `has a description that says nothing (${JSON.stringify(d)})` : undefined;
}

export const NETWORK_RULES: readonly Rule[] = [
  {
    id: 'AWS-VPC-001',
    severity: 'warning',
    title: 'VPCs record flow logs',
    rationale: 'Flow logs are the only record of which addresses talked to what: without them a compromise or a misrouted dependency cannot be traced.',
    // checkov graph_checks/aws/VPCHasFlowLog.yaml; cdk-nag vpc/VPCFlowLogsEnabled.ts
    checkov: [{ id: 'CKV2_AWS_11', relation: 'equivalent' }],
    cdkNag: [{ id: 'AwsSolutions-VPC7', relation: 'equivalent' }],
    types: ['aws_vpc'],
    check(r, stack) {
      return stack.hasAttached('aws_flow_log', 'vpc_id', r) ? undefined : 'has no flow log (aws_flow_log for this VPC)';
    },
  },
  {
    id: 'AWS-VPC-002',
    severity: 'warning',
    title: 'Default security groups allow no traffic',
    rationale: 'Anything launched without a group lands in the default one, which allows all traffic between its members and all egress; managing it with no rules closes it.',
    // checkov graph_checks/aws/VPCHasRestrictedSG.yaml; cdk-nag vpc/VPCDefaultSecurityGroupClosed.ts (the AWS CDK's restrict-default-group custom resource)
    checkov: [{ id: 'CKV2_AWS_12', relation: 'equivalent' }],
    cdkNag: [{ id: 'NIST.800.53.R5-VPCDefaultSecurityGroupClosed', relation: 'equivalent' }],
    types: ['aws_vpc', 'aws_default_security_group'],
    check(r, stack) {
      if (r.type === 'aws_default_security_group') {
        const open = [...blocks(r.body.ingress), ...blocks(r.body.egress)].length + GROUP_RULE_TYPES.flatMap((t) => stack.attached(t, 'security_group_id', r)).length;
        return open > 0 ? `keeps ${open} rule(s) on the default security group; it should have none` : undefined;
      }
      return stack.hasAttached('aws_default_security_group', 'vpc_id', r) ? undefined : 'leaves its default security group open (manage it with aws_default_security_group and no rules)';
    },
  },
  {
    id: 'AWS-SG-001',
    severity: 'error',
    title: 'Nothing is open to the internet except a load balancer on 80/443',
    rationale: 'Tasks, instances, file systems and endpoints are reached through the load balancer or from other groups; 0.0.0.0/0 anywhere else exposes them directly.',
    // checkov resource/aws/SecurityGroupUnrestrictedIngress22.py, ...3389.py, ...80.py and their base AbsSecurityGroupUnrestrictedIngress.py; cdk-nag ec2/EC2RestrictedInbound.ts
    // (CKV_AWS_277, all ports from anywhere, is AWS-SG-002's: it fails every all-ports rule.)
    checkov: [
      { id: 'CKV_AWS_24', relation: 'narrower', difference: `Port 22 is one of the ports this rule closes; ${NO_CIDR}.` },
      { id: 'CKV_AWS_25', relation: 'narrower', difference: `Port 3389 is one of the ports this rule closes; ${NO_CIDR}.` },
      { id: 'CKV_AWS_260', relation: 'narrower', difference: `A load balancer's own group may accept port 80 from anywhere, which is what an internet-facing load balancer is for; and ${NO_CIDR}.` },
    ],
    cdkNag: [{ id: 'AwsSolutions-EC23', relation: 'narrower', difference: 'A load balancer\'s own group may accept 80 and 443 from anywhere, which is what an internet-facing load balancer is for.' }],
    types: INGRESS_TYPES,
    check(r, stack) {
      const lbGroups = loadBalancerGroups(stack);
      const problems: string[] = [];
      for (const p of ingressOf(r)) {
        const open = p.cidrs.filter((c) => ANYWHERE.test(c));
        if (open.length === 0) continue;
        const web = !allProtocols(p) && p.protocol === 'tcp' && p.from !== undefined && p.from === p.to && WEB_PORTS.includes(p.from);
        if (web && p.group && lbGroups.has(p.group)) continue;
        problems.push(`allows ${portText(p)} from ${open.join(', ')}${web ? ' to a group no load balancer uses' : ''}`);
      }
      return problems;
    },
  },
  {
    id: 'AWS-SG-002',
    severity: 'error',
    title: 'No ingress rule opens every port',
    rationale: 'An all-ports or all-protocols ingress rule admits whatever the target happens to listen on, debug ports and agents included; open the service port. A NAT instance (source/destination check off) may accept every protocol from private ranges: forwarding it is its job.',
    // checkov resource/aws/SecurityGroupUnrestrictedIngressAny.py (AbsSecurityGroupUnrestrictedIngress.py, port -1)
    checkov: [{ id: 'CKV_AWS_277', relation: 'broader', difference: 'CKV_AWS_277 fails all ports from anywhere; this rule fails all ports from any source but a NAT instance\'s private ranges.' }],
    types: INGRESS_TYPES,
    check(r, stack) {
      const routers = routerGroups(stack);
      return ingressOf(r)
        .filter((p) => allProtocols(p) || (p.from === 0 && p.to === 65535))
        // A NAT instance forwards every protocol of the private subnets: all ports from private ranges is its job.
        .filter((p) => !(p.group && routers.has(p.group) && p.cidrs.length > 0 && p.cidrs.every(isPrivateCidr)))
        .map((p) => `allows ${portText(p)}${p.cidrs.length ? ` from ${p.cidrs.join(', ')}` : ''}`);
    },
  },
  {
    id: 'AWS-SG-003',
    severity: 'warning',
    title: 'Security groups and their rules say what they are for',
    rationale: 'A reviewer (and the console) reads the description to tell a needed rule from a forgotten one; "Managed by Terraform" says nothing.',
    // checkov resource/aws/SecurityGroupRuleDescription.py; cdk-nag ec2/EC2SecurityGroupDescription.ts
    checkov: [{ id: 'CKV_AWS_23', relation: 'broader', difference: 'CKV_AWS_23 accepts Terraform\'s default "Managed by Terraform".' }],
    cdkNag: [{ id: 'AwsSolutions-EC27', relation: 'broader', difference: 'cdk-nag checks groups, not their rules.' }],
    types: ['aws_security_group', 'aws_vpc_security_group_ingress_rule', 'aws_vpc_security_group_egress_rule', 'aws_security_group_rule'],
    check(r) {
      const problem = descriptionProblem(r.body.description);
      if (problem) return problem;
      if (r.type === 'aws_security_group') {
        const undocumented = [...blocks(r.body.ingress), ...blocks(r.body.egress)].filter((x) => !x.description).length;
        if (undocumented) return `has ${undocumented} inline rule(s) without a description`;
      }
      return undefined;
    },
  },
  {
    id: 'AWS-ALB-001',
    severity: 'error',
    title: 'Application load balancers drop invalid headers',
    rationale: 'Forwarding malformed header fields lets a client smuggle requests past the load balancer to the targets (HTTP desync).',
    // checkov resource/aws/ALBDropHttpHeaders.py; cdk-nag elb/ALBHttpDropInvalidHeaderEnabled.ts
    checkov: [{ id: 'CKV_AWS_131', relation: 'equivalent' }],
    cdkNag: [{ id: 'NIST.800.53.R4-ALBHttpDropInvalidHeaderEnabled', relation: 'equivalent' }],
    types: ['aws_lb', 'aws_alb'],
    check(r) {
      if (!isApplication(r)) return undefined;
      return isTrue(r.body.drop_invalid_header_fields) || isExpression(r.body.drop_invalid_header_fields) ? undefined : 'forwards invalid header fields (drop_invalid_header_fields = true)';
    },
  },
  {
    id: 'AWS-ALB-002',
    severity: 'error',
    title: 'HTTP only redirects when the load balancer has HTTPS',
    rationale: 'Once a certificate exists, a plain-HTTP listener that still forwards lets clients (and their credentials) bypass TLS.',
    // checkov resource/aws/ALBListenerHTTPS.py, graph_checks/aws/ALBRedirectsHTTPToHTTPS.yaml; cdk-nag elb/ALBHttpToHttpsRedirection.ts
    checkov: [
      { id: 'CKV_AWS_2', relation: 'narrower', difference: HTTPS_FIRST },
      { id: 'CKV2_AWS_20', relation: 'narrower', difference: HTTPS_FIRST },
    ],
    cdkNag: [{ id: 'NIST.800.53.R5-ALBHttpToHttpsRedirection', relation: 'narrower', difference: HTTPS_FIRST }],
    types: ['aws_lb_listener', 'aws_alb_listener'],
    check(r, stack) {
      if (r.body.protocol !== 'HTTP') return undefined;
      const lb = stack.resolve(r.body.load_balancer_arn);
      if (!lb || !listenersOf(stack, lb).some((l) => l.body.protocol === 'HTTPS')) return undefined;
      const problems: string[] = [];
      if (blocks(r.body.default_action).some((a) => a.type === 'forward' || a.type === 'authenticate-oidc' || a.type === 'authenticate-cognito')) problems.push('forwards plain HTTP although its load balancer has an HTTPS listener; redirect to HTTPS');
      for (const rule of [...stack.attached('aws_lb_listener_rule', 'listener_arn', r), ...stack.attached('aws_alb_listener_rule', 'listener_arn', r)]) {
        if (blocks(rule.body.action).some((a) => a.type === 'forward')) problems.push(`has listener rule ${rule.address} forwarding plain HTTP although the load balancer has an HTTPS listener`);
      }
      return problems;
    },
  },
  {
    id: 'AWS-ALB-008',
    severity: 'gate',
    title: 'Production load balancers serve HTTPS',
    rationale: 'Without an HTTPS listener, requests to a production entry point, and the API keys and tokens in them, cross the internet in clear text. The certificate (or the domain one is issued for) is the user\'s to give.',
    // checkov resource/aws/ALBListenerHTTPS.py; cdk-nag elb/ALBHttpToHttpsRedirection.ts
    checkov: [productionOnly('CKV_AWS_2', 'a demo or staging endpoint without a domain has no certificate to serve; AWS-ALB-002 covers every environment once HTTPS exists')],
    cdkNag: [productionOnly('NIST.800.53.R5-ALBHttpToHttpsRedirection', 'as for CKV_AWS_2')],
    types: ['aws_lb', 'aws_alb'],
    check(r, stack) {
      if (!stack.production || !isApplication(r) || isTrue(r.body.internal)) return undefined;
      if (listenersOf(stack, r).some((l) => l.body.protocol === 'HTTPS')) return undefined;
      // CloudFront in front serves HTTPS to viewers (its own certificate or the domain's).
      const viaCloudFront = stack.resources('aws_cloudfront_distribution').some((d) => stack.refsIn(d.body.origin).includes(r) && blocks(d.body.default_cache_behavior).every((b) => b.viewer_protocol_policy !== 'allow-all'));
      return viaCloudFront ? undefined : `serves plain HTTP only in the ${stack.environment} environment: requests, and any credentials in them, cross the internet unencrypted`;
    },
  },
  {
    id: 'AWS-ALB-003',
    severity: 'error',
    title: 'HTTPS listeners accept TLS 1.2 and later only',
    rationale: 'The default policy (ELBSecurityPolicy-2016-08) still accepts TLS 1.0 and 1.1, which PCI DSS and most auditors reject.',
    // checkov graph_checks/aws/AppLoadBalancerTLS12.yaml (cdk-nag's ELBTlsHttpsListenersOnly checks the back-end protocol of classic load balancers: no counterpart)
    checkov: [{ id: 'CKV_AWS_103', relation: 'narrower', difference: 'HTTPS and TLS listeners only: CKV_AWS_103 also fails a plain HTTP listener that does not redirect, which is AWS-ALB-002\'s finding once the load balancer has HTTPS.' }],
    types: ['aws_lb_listener', 'aws_alb_listener'],
    check(r) {
      if (r.body.protocol !== 'HTTPS' && r.body.protocol !== 'TLS') return undefined;
      const policy = r.body.ssl_policy;
      if (isExpression(policy)) return undefined;
      return typeof policy === 'string' && MODERN_TLS.test(policy) ? undefined : `uses TLS policy ${policy === undefined ? 'ELBSecurityPolicy-2016-08 (the default)' : JSON.stringify(policy)}, which accepts TLS before 1.2`;
    },
  },
  {
    id: 'AWS-ALB-004',
    severity: 'warning',
    title: 'Production load balancers are protected from deletion',
    rationale: 'A production entry point deleted by a refactor or a destroy takes its DNS name with it; deletion protection makes that an error first.',
    // checkov resource/aws/LBDeletionProtection.py; cdk-nag elb/ELBDeletionProtectionEnabled.ts
    checkov: [productionOnly('CKV_AWS_150', 'a demo or staging load balancer goes with its stack, and protection would make every teardown a two-step change')],
    cdkNag: [productionOnly('NIST.800.53.R5-ELBDeletionProtectionEnabled', 'as for CKV_AWS_150')],
    types: ['aws_lb', 'aws_alb'],
    check(r, stack) {
      if (!stack.production) return undefined;
      return isTrue(r.body.enable_deletion_protection) || isExpression(r.body.enable_deletion_protection) ? undefined : `has no deletion protection in the ${stack.environment} environment`;
    },
  },
  {
    id: 'AWS-ALB-005',
    severity: 'warning',
    title: 'Production load balancers write access logs',
    rationale: 'Access logs are the record of every request (client, path, status, latency) when investigating abuse or an outage.',
    // checkov resource/aws/ELBv2AccessLogs.py; cdk-nag elb/ELBLoggingEnabled.ts
    checkov: [productionOnly('CKV_AWS_91', 'outside production nobody reads a load balancer\'s access logs, and their bucket is one more thing to keep')],
    cdkNag: [productionOnly('AwsSolutions-ELB2', 'as for CKV_AWS_91')],
    types: ['aws_lb', 'aws_alb'],
    check(r, stack) {
      if (!stack.production) return undefined;
      const logs = block(r.body.access_logs);
      return logs && (isTrue(logs.enabled) || isExpression(logs.enabled)) && logs.bucket ? undefined : `writes no access logs in the ${stack.environment} environment`;
    },
  },
  {
    id: 'AWS-ALB-006',
    severity: 'error',
    title: 'Load balancers mitigate HTTP desync',
    rationale: 'Desync mitigation "monitor" forwards ambiguous requests that can poison other users\' connections; "defensive" (the default) or "strictest" blocks them.',
    // checkov resource/aws/ALBDesyncMode.py
    checkov: [{ id: 'CKV_AWS_328', relation: 'equivalent' }],
    types: ['aws_lb', 'aws_alb', 'aws_elb'],
    check(r) {
      return r.body.desync_mitigation_mode === 'monitor' ? 'has desync_mitigation_mode "monitor"' : undefined;
    },
  },
  {
    id: 'AWS-ALB-007',
    severity: 'warning',
    title: 'Target groups check the health of their targets',
    rationale: 'Without health checks the load balancer keeps sending requests to targets that stopped answering.',
    // checkov resource/aws/LBTargetGroupsDefinesHealthcheck.py
    checkov: [{ id: 'CKV_AWS_261', relation: 'broader', difference: 'CKV_AWS_261 passes a target group whose health check is disabled but has a path.' }],
    types: ['aws_lb_target_group', 'aws_alb_target_group'],
    check(r) {
      if (r.body.target_type === 'lambda') return undefined;
      const hc = block(r.body.health_check);
      if (hc && isFalse(hc.enabled)) return 'has health checks disabled';
      return ['HTTP', 'HTTPS'].includes(r.body.protocol) && !hc?.path ? 'has no health check path (health_check.path) for its HTTP targets' : undefined;
    },
  },
];
