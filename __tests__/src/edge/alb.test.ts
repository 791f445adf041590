import { Lb } from '@cdktf/provider-aws/lib/lb';
import { LbListener } from '@cdktf/provider-aws/lib/lb-listener';
import { LbListenerRule } from '@cdktf/provider-aws/lib/lb-listener-rule';
import { LbTargetGroup } from '@cdktf/provider-aws/lib/lb-target-group';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { VpcSecurityGroupEgressRule } from '@cdktf/provider-aws/lib/vpc-security-group-egress-rule';
import { TerraformOutput, TerraformVariable } from 'cdktf';
import { ApplicationLoadBalancer, ApplicationLoadBalancerProps, TLS13_ONLY_SSL_POLICY } from '../../../src/edge/alb';
import { AccessLogBucket } from '../../../src/data/access-logs';
import type { VpcAttributes } from '../../../src/network/vpc';
import { EXISTING_VPC, allOf, countOf, errorOf, existingVpc, filterOf, findBy, isAbsent, onlyOf, synthConstructs, Synthesized } from '../../helpers/synth';

const CERT = 'arn:aws:acm:eu-west-1:123456789012:certificate/0f1e2d3c-aaaa-bbbb-cccc-123456789012';
const BASE: Omit<ApplicationLoadBalancerProps, 'vpc'> = { namePrefix: 'shop' };

/** A load balancer in a VPC made elsewhere (`existingVpc`, described by `vpc`). */
function build(props: Partial<ApplicationLoadBalancerProps> = {}, after?: (alb: ApplicationLoadBalancer) => void, vpc: Partial<VpcAttributes> = {}): { text: string; json: Synthesized } {
  return synthConstructs((stack) => {
    const alb = new ApplicationLoadBalancer(stack, 'alb', { ...BASE, vpc: existingVpc(stack, vpc), ...props });
    after?.(alb);
  });
}

const NOT_FOUND = [{ type: 'fixed-response', fixed_response: { content_type: 'text/plain', message_body: 'Not Found', status_code: '404' } }];
const TG_ARN = /^\$\{aws_lb_target_group\.alb_api_this_\w+\.arn\}$/;

describe('ApplicationLoadBalancer', () => {
  it('is an internet-facing ALB in the public subnets that drops invalid headers and is protected from deletion by default', () => {
    let alb!: ApplicationLoadBalancer;
    const { text, json } = build({}, (a) => (alb = a));
    expect(text).toHaveResourceWithProperties(Lb, {
      name: 'shop',
      load_balancer_type: 'application',
      internal: false,
      drop_invalid_header_fields: true,
      enable_deletion_protection: true,
      idle_timeout: 60,
      subnets: EXISTING_VPC.publicSubnetIds,
      security_groups: [expect.stringMatching(/^\$\{aws_security_group\.alb_sg_\w+\.id\}$/)],
      tags: { Name: 'shop' },
    });
    expect(isAbsent(onlyOf(json, 'aws_lb'), 'access_logs')).toBe(true);
    expect(alb.resource).toBeInstanceOf(Lb);
    expect(alb.internal).toBe(false);
  });

  it('can be internal (in the private subnets), deletable, with another idle timeout and access logs to a bucket made elsewhere', () => {
    const { json } = synthConstructs((stack) => {
      const bucket = AccessLogBucket.fromBucketName(stack, 'logs', 'acme-logs');
      new ApplicationLoadBalancer(stack, 'alb', { ...BASE, vpc: existingVpc(stack), internal: true, deletionProtection: false, idleTimeoutSec: 300, accessLogs: { bucket, prefix: 'alb' } });
    });
    const lb = onlyOf(json, 'aws_lb');
    expect(lb.internal).toBe(true);
    expect(lb.subnets).toEqual(EXISTING_VPC.privateSubnetIds);
    expect(lb.enable_deletion_protection).toBe(false);
    expect(lb.idle_timeout).toBe(300);
    expect(lb.access_logs).toEqual({ bucket: 'acme-logs', prefix: 'alb', enabled: true });
    // A bucket made elsewhere has no policy of this app to wait for, nor to extend.
    expect(isAbsent(lb, 'depends_on')).toBe(true);
    expect(json.resource?.aws_s3_bucket_policy).toBeUndefined();
  });

  it('fits a long name into 32 characters deterministically', () => {
    const namePrefix = 'artwork-matcher-production-gateway';
    const first = onlyOf(build({ namePrefix }).json, 'aws_lb').name;
    const again = onlyOf(build({ namePrefix }).json, 'aws_lb').name;
    const sibling = onlyOf(build({ namePrefix: 'artwork-matcher-production-workers' }).json, 'aws_lb').name;
    expect(first).toMatch(/^artwork-matcher-productio-[0-9a-f]{6}$/);
    expect(first.length).toBeLessThanOrEqual(32);
    expect(again).toBe(first);
    expect(sibling).toMatch(/^artwork-matcher-productio-[0-9a-f]{6}$/);
    expect(sibling).not.toBe(first);
    // A name that fits is kept as it is.
    expect(onlyOf(build({ namePrefix: 'a'.repeat(32) }).json, 'aws_lb').name).toBe('a'.repeat(32));
  });

  it('opens port 80 to each allowed CIDR and sends its own traffic to the VPC\'s configured CIDR block', () => {
    const { text, json } = build({ allowedCidrs: ['10.0.0.0/8', '192.168.0.0/16'] }, undefined, { cidr: '10.1.0.0/16' });
    expect(text).toHaveResourceWithProperties(SecurityGroup, { name_prefix: 'shop-alb-', vpc_id: EXISTING_VPC.vpcId, lifecycle: { create_before_destroy: true } });
    const rules = allOf(json, 'aws_vpc_security_group_ingress_rule');
    expect(rules.map((r) => [r.cidr_ipv4, r.from_port, r.to_port, r.ip_protocol]).sort()).toEqual([
      ['10.0.0.0/8', 80, 80, 'tcp'],
      ['192.168.0.0/16', 80, 80, 'tcp'],
    ]);
    expect(text).toHaveResourceWithProperties(VpcSecurityGroupEgressRule, { cidr_ipv4: '10.1.0.0/16', ip_protocol: '-1' });
  });

  it('opens 80 and 443 to anywhere with a certificate, egress to the VPC only', () => {
    const { json } = build({ certificateArn: CERT });
    const rules = allOf(json, 'aws_vpc_security_group_ingress_rule');
    expect(rules.map((r) => [r.cidr_ipv4, r.from_port, r.to_port, r.description]).sort()).toEqual([
      ['0.0.0.0/0', 443, 443, 'HTTPS from 0.0.0.0/0'],
      ['0.0.0.0/0', 80, 80, 'HTTP from 0.0.0.0/0'],
    ]);
    expect(onlyOf(json, 'aws_vpc_security_group_egress_rule').cidr_ipv4).toBe('10.0.0.0/16');
  });

  it('answers HTTP with a fixed 404 without a certificate', () => {
    const { text, json } = build();
    expect(countOf(json, 'aws_lb_listener')).toBe(1);
    expect(text).toHaveResourceWithProperties(LbListener, { port: 80, protocol: 'HTTP', default_action: NOT_FOUND });
    expect(onlyOf(json, 'aws_lb_listener').load_balancer_arn).toMatch(/^\$\{aws_lb\.alb_this_\w+\.arn\}$/);
  });

  it('redirects HTTP to HTTPS and serves HTTPS with TLS 1.3 and 1.2 by default, 1.3 only on request', () => {
    const { json } = build({ certificateArn: CERT });
    expect(countOf(json, 'aws_lb_listener')).toBe(2);
    expect(findBy(json, 'aws_lb_listener', 'port', 80).default_action).toEqual([
      { type: 'redirect', redirect: { port: '443', protocol: 'HTTPS', status_code: 'HTTP_301' } },
    ]);
    const https = findBy(json, 'aws_lb_listener', 'port', 443);
    expect(https).toMatchObject({ protocol: 'HTTPS', ssl_policy: 'ELBSecurityPolicy-TLS13-1-2-2021-06', certificate_arn: CERT, default_action: NOT_FOUND });
    const custom = findBy(build({ certificateArn: CERT, sslPolicy: TLS13_ONLY_SSL_POLICY }).json, 'aws_lb_listener', 'port', 443);
    expect(custom.ssl_policy).toBe('ELBSecurityPolicy-TLS13-1-3-2021-06');
    expect(errorOf(() => build({ sslPolicy: TLS13_ONLY_SSL_POLICY }))).toBe('test/alb: sslPolicy: has no effect without certificateArn (there is no HTTPS listener)');
  });

  it('adds ip target groups in its VPC with a /health check by default, replaceable without a name clash', () => {
    const { text, json } = build({}, (alb) => {
      const tg = alb.addTargetGroup('api', { name: 'shop-api', port: 8000 });
      new TerraformOutput(alb, 'suffixes', { value: { lb: alb.loadBalancerArnSuffix, tg: tg.targetGroupArnSuffix, arn: tg.targetGroupArn } });
    });
    expect(text).toHaveResourceWithProperties(LbTargetGroup, {
      name_prefix: 'api-',
      tags: { Name: 'shop-api' },
      lifecycle: { create_before_destroy: true },
      port: 8000,
      protocol: 'HTTP',
      target_type: 'ip',
      vpc_id: EXISTING_VPC.vpcId,
      deregistration_delay: '30',
      health_check: {
        enabled: true,
        path: '/health',
        matcher: '200',
        protocol: 'HTTP',
        port: 'traffic-port',
        interval: 30,
        timeout: 5,
        healthy_threshold: 2,
        unhealthy_threshold: 3,
      },
    });
    // The suffixes (for CloudWatch dimensions and request-count scaling) are the arn_suffix attributes.
    expect(Object.values(json.output ?? {})[0].value).toEqual({
      lb: expect.stringMatching(/^\$\{aws_lb\.alb_this_\w+\.arn_suffix\}$/),
      tg: expect.stringMatching(/^\$\{aws_lb_target_group\.alb_api_this_\w+\.arn_suffix\}$/),
      arn: expect.stringMatching(TG_ARN),
    });
  });

  it('takes health check and deregistration settings, and keeps a long name in the tag and a 6-character prefix', () => {
    const { json } = build({}, (alb) =>
      alb.addTargetGroup('api', {
        name: 'artwork-matcher-production-embeddings',
        port: 80,
        deregistrationDelaySec: 5,
        healthCheck: { path: '/ready', matcher: '200-299', intervalSec: 10, timeoutSec: 3, healthyThreshold: 3, unhealthyThreshold: 2 },
      }),
    );
    const tg = onlyOf(json, 'aws_lb_target_group');
    expect(tg.name_prefix).toBe('embed-');
    expect(tg.tags.Name).toBe('artwork-matcher-production-embeddings');
    expect(tg.deregistration_delay).toBe('5');
    expect(tg.health_check).toMatchObject({ path: '/ready', matcher: '200-299', interval: 10, timeout: 3, healthy_threshold: 3, unhealthy_threshold: 2 });
  });

  it('forwards unmatched HTTP requests to the default target group instead of the 404', () => {
    const { json } = build({}, (alb) => alb.setDefaultTargetGroup(alb.addTargetGroup('api', { name: 'shop-api', port: 8000 })));
    expect(onlyOf(json, 'aws_lb_listener').default_action).toEqual([{ type: 'forward', target_group_arn: expect.stringMatching(TG_ARN) }]);
  });

  it('sets the default target group on the HTTPS listener and keeps the redirect on HTTP', () => {
    const { json } = build({ certificateArn: CERT }, (alb) => alb.setDefaultTargetGroup(alb.addTargetGroup('api', { name: 'shop-api', port: 8000 })));
    expect(findBy(json, 'aws_lb_listener', 'port', 443).default_action).toEqual([{ type: 'forward', target_group_arn: expect.stringMatching(TG_ARN) }]);
    expect(findBy(json, 'aws_lb_listener', 'port', 80).default_action[0].type).toBe('redirect');
  });

  it('routes by path and host on the HTTPS listener', () => {
    const { text, json } = build({ certificateArn: CERT }, (alb) => {
      const api = alb.addTargetGroup('api', { name: 'shop-api', port: 8000 });
      alb.addRoute('api-route', { targetGroup: api, priority: 10, pathPatterns: ['/api/*', '/v1/*'], hostHeaders: ['shop.example.com'] });
      alb.addRoute('admin-route', { targetGroup: api, priority: 20, hostHeaders: ['admin.example.com'] });
    });
    expect(text).toHaveResourceWithProperties(LbListenerRule, {
      priority: 10,
      action: [{ type: 'forward', target_group_arn: expect.stringMatching(TG_ARN) }],
      condition: [{ path_pattern: { values: ['/api/*', '/v1/*'] } }, { host_header: { values: ['shop.example.com'] } }],
    });
    const admin = findBy(json, 'aws_lb_listener_rule', 'priority', 20);
    expect(admin.condition).toEqual([{ host_header: { values: ['admin.example.com'] } }]);
    for (const rule of allOf(json, 'aws_lb_listener_rule')) expect(rule.listener_arn).toMatch(/^\$\{aws_lb_listener\.alb_https_\w+\.arn\}$/);
  });

  it('requires a header on every route and the default target group, before or after they exist, and answers 403 without it', () => {
    const secret = '${var.origin_secret}';
    const HEADER = { http_header: { http_header_name: 'X-Origin-Verify', values: [secret] } };
    for (const order of ['header first', 'routes first'] as const) {
      const { json } = build({ certificateArn: CERT }, (alb) => {
        const variable = new TerraformVariable(alb, 'origin_secret', { type: 'string', sensitive: true });
        variable.overrideLogicalId('origin_secret');
        const value = variable.stringValue;
        if (order === 'header first') alb.requireHeader('X-Origin-Verify', value);
        const api = alb.addTargetGroup('api', { name: 'shop-api', port: 8000 });
        alb.addRoute('api-route', { targetGroup: api, priority: 10, pathPatterns: ['/api/*'] });
        alb.setDefaultTargetGroup(alb.addTargetGroup('web', { name: 'shop-web', port: 8000 }));
        if (order === 'routes first') alb.requireHeader('X-Origin-Verify', value);
      });
      expect(findBy(json, 'aws_lb_listener', 'port', 443).default_action).toEqual([{ type: 'fixed-response', fixed_response: { content_type: 'text/plain', message_body: 'Forbidden', status_code: '403' } }]);
      expect(findBy(json, 'aws_lb_listener_rule', 'priority', 10).condition).toEqual([{ path_pattern: { values: ['/api/*'] } }, HEADER]);
      const fallback = findBy(json, 'aws_lb_listener_rule', 'priority', 50000);
      expect(fallback.condition).toEqual([HEADER]);
      expect(fallback.action[0].target_group_arn).toMatch(/aws_lb_target_group\.alb_web_this_\w+\.arn/);
    }
  });

  it('refuses a literal header value, which would be written into the configuration', () => {
    expect(errorOf(() => build({}, (alb) => alb.requireHeader('X-Origin-Verify', 'hunter2')))).toBe(
      'test/alb: requireHeader.value: "(a literal)" would be written into the synthesized configuration; give a plan-time value such as a sensitive Terraform variable',
    );
  });

  it('knows what attaches a target group, so that services can wait for it', () => {
    let attached: boolean[] = [];
    build({}, (alb) => {
      const a = alb.addTargetGroup('a', { name: 'shop-a', port: 8000 });
      const b = alb.addTargetGroup('b', { name: 'shop-b', port: 8000 });
      attached = [a.attached, b.attached];
      alb.setDefaultTargetGroup(a);
      alb.addRoute('b-route', { targetGroup: b, priority: 5, pathPatterns: ['/b/*'] });
      attached.push(a.attached, b.attached);
    });
    expect(attached).toEqual([false, false, true, true]);
  });

  it('offers its own and its target groups\' metrics with the right dimensions', () => {
    let metrics: any[] = [];
    const { json } = build({}, (alb) => {
      const tg = alb.addTargetGroup('api', { name: 'shop-api', port: 8000 });
      metrics = [alb.metricRequestCount(), alb.metricElb5xx(), alb.metricTargetResponseTime(), tg.metricHealthyHosts()];
      new TerraformOutput(alb, 'm', { value: metrics.map((m) => m.dimensions) });
    });
    expect(metrics.map((m) => [m.metricName, m.stat])).toEqual([
      ['RequestCount', 'Sum'],
      ['HTTPCode_ELB_5XX_Count', 'Sum'],
      ['TargetResponseTime', 'p99'],
      ['HealthyHostCount', 'Minimum'],
    ]);
    const dims = Object.values(json.output ?? {})[0].value as Record<string, string>[];
    expect(dims[0]).toEqual({ LoadBalancer: expect.stringMatching(/arn_suffix/) });
    expect(dims[3]).toEqual({ LoadBalancer: expect.stringMatching(/aws_lb\./), TargetGroup: expect.stringMatching(/aws_lb_target_group\..*arn_suffix/) });
  });

  it('routes on the HTTP listener without a certificate', () => {
    const { json } = build({}, (alb) => alb.addRoute('api-route', { targetGroup: alb.addTargetGroup('api', { name: 'shop-api', port: 8000 }), priority: 1, pathPatterns: ['/api/*'] }));
    const rule = onlyOf(json, 'aws_lb_listener_rule');
    expect(rule.listener_arn).toMatch(/^\$\{aws_lb_listener\.alb_http_\w+\.arn\}$/);
    expect(rule.condition).toEqual([{ path_pattern: { values: ['/api/*'] } }]);
  });
});

describe('ApplicationLoadBalancer validation', () => {
  it('rejects a duplicate rule priority', () => {
    const message = errorOf(() =>
      build({}, (alb) => {
        const api = alb.addTargetGroup('api', { name: 'shop-api', port: 8000 });
        alb.addRoute('first', { targetGroup: api, priority: 10, pathPatterns: ['/a/*'] });
        alb.addRoute('second', { targetGroup: api, priority: 10, pathPatterns: ['/b/*'] });
      }),
    );
    expect(message).toBe('test/alb: second.priority: 10 is already used by another rule; priorities must be unique');
  });

  it('rejects a route without conditions', () => {
    const message = errorOf(() => build({}, (alb) => alb.addRoute('all', { targetGroup: alb.addTargetGroup('api', { name: 'shop-api', port: 8000 }), priority: 1, pathPatterns: [] })));
    expect(message).toBe('test/alb: all: needs pathPatterns or hostHeaders');
  });

  it('rejects an out-of-range priority and a health check path without a slash', () => {
    expect(errorOf(() => build({}, (alb) => alb.addRoute('r', { targetGroup: alb.addTargetGroup('api', { name: 'a', port: 80 }), priority: 0, pathPatterns: ['/x'] })))).toBe(
      'test/alb: r.priority: 0 is out of range; allowed: 1 to 50000',
    );
    expect(errorOf(() => build({}, (alb) => alb.addTargetGroup('api', { name: 'a', port: 80, healthCheck: { path: 'health' } })))).toBe(
      'test/alb/api: healthCheck.path: "health" does not start with "/"',
    );
    expect(errorOf(() => build({}, (alb) => alb.addTargetGroup('api', { name: 'a', port: 80, healthCheck: { intervalSec: 5, timeoutSec: 5 } })))).toBe(
      'test/alb/api: healthCheck.timeoutSec: 5 is not below intervalSec 5',
    );
  });

  it('rejects a VPC with fewer than 2 subnets of the kind it needs', () => {
    expect(errorOf(() => build({}, undefined, { publicSubnetIds: ['subnet-0000000000000000c'] }))).toBe(
      'test/alb: vpc: "test/vpc" has 1 public subnet; an internet-facing ALB needs public subnets in at least two availability zones',
    );
    expect(errorOf(() => build({ internal: true }, undefined, { privateSubnetIds: ['subnet-0000000000000000a'] }))).toBe(
      'test/alb: vpc: "test/vpc" has 1 private subnet; an internal ALB needs private subnets in at least two availability zones',
    );
  });

  it('with no allowed CIDR opens the listeners to nothing but what is added to its security group', () => {
    const { json } = build({ allowedCidrs: [] });
    expect(filterOf(json, 'aws_vpc_security_group_ingress_rule', (r) => r.cidr_ipv4 !== undefined)).toEqual([]);
  });

  it('rejects a malformed CIDR and a certificate that is not from ACM', () => {
    expect(errorOf(() => build({ allowedCidrs: ['10.0.0.0/8', '0.0.0.0'] }))).toBe('test/alb: allowedCidrs[1]: "0.0.0.0" is not an IPv4 CIDR block');
    expect(errorOf(() => build({ certificateArn: 'arn:aws:iam::123456789012:server-certificate/shop' }))).toBe(
      'test/alb: certificateArn: "arn:aws:iam::123456789012:server-certificate/shop" is not an ACM certificate ARN',
    );
  });

  it('reports every problem at once', () => {
    expect(errorOf(() => build({ allowedCidrs: ['10.0.0.0/33'], idleTimeoutSec: 0 }, undefined, { publicSubnetIds: [] }))).toBe(
      [
        'test/alb: invalid props:',
        '  vpc: "test/vpc" has 0 public subnets; an internet-facing ALB needs public subnets in at least two availability zones',
        '  idleTimeoutSec: 0 is out of range; allowed: 1 to 4000',
        '  allowedCidrs[0]: "10.0.0.0/33" is not an IPv4 CIDR block',
      ].join('\n'),
    );
  });
});
