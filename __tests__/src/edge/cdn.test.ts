import { TerraformVariable } from 'cdktf';
import { CloudfrontDistribution } from '@cdktf/provider-aws/lib/cloudfront-distribution';
import { AlbDistribution, AlbDistributionProps } from '../../../src/edge/cdn';
import { WebAcl } from '../../../src/edge/waf';
import { SecurityGroup } from '../../../src/network/security-group';
import { allOf, errorOf, onlyOf, synthConstructs } from '../../helpers/synth';

const HTTP_ALB = { dnsName: 'am-demo-123.eu-west-1.elb.amazonaws.com', protocol: 'http' as const };
const HTTPS_ALB = { dnsName: 'am-prod-123.eu-west-1.elb.amazonaws.com', protocol: 'https' as const };

/** AWS managed policy ids: `Managed-CachingDisabled`, `Managed-CachingOptimized`, `Managed-AllViewerExceptHostHeader`. */
const CACHING_DISABLED = '4135ea2d-6df8-44a3-9df3-4b5a84be39ad';
const CACHING_OPTIMIZED = '658327ea-f89d-4fab-a63d-7e88639e58f6';
const ALL_VIEWER_EXCEPT_HOST = 'b689b0a8-53d0-40ab-baf2-68738e2966ac';

/** A distribution, with a web ACL of `webAclScope` (made with the stack's us-east-1 provider for CLOUDFRONT) when asked. */
function build(props: Partial<AlbDistributionProps> = {}, after?: (d: AlbDistribution, sg: SecurityGroup) => void, webAclScope?: 'CLOUDFRONT' | 'REGIONAL') {
  let dist!: AlbDistribution;
  const { json } = synthConstructs((stack) => {
    const webAcl = webAclScope ? new WebAcl(stack, 'waf', { name: 'am-edge', scope: webAclScope, provider: webAclScope === 'CLOUDFRONT' ? stack.providerFor('us-east-1') : undefined }) : undefined;
    dist = new AlbDistribution(stack, 'cdn', { comment: 'artwork-matcher demo', loadBalancer: HTTP_ALB, webAcl, ...props });
    after?.(dist, new SecurityGroup(stack, 'alb-sg', { name: 'am-alb', description: 'alb', vpcId: 'vpc-1', allowAllOutbound: false }));
  });
  return { json, dist };
}

describe('AlbDistribution', () => {
  it('sends everything to an HTTP ALB uncached, all methods, every viewer header but Host, viewers on HTTPS', () => {
    const d = onlyOf(build().json, 'aws_cloudfront_distribution');
    expect(d).toMatchObject({ enabled: true, is_ipv6_enabled: true, http_version: 'http2and3', price_class: 'PriceClass_100', comment: 'artwork-matcher demo' });
    expect(d.origin).toEqual([
      {
        origin_id: 'alb',
        domain_name: HTTP_ALB.dnsName,
        custom_origin_config: { http_port: 80, https_port: 443, origin_protocol_policy: 'http-only', origin_ssl_protocols: ['TLSv1.2'], origin_read_timeout: 30 },
      },
    ]);
    expect(d.default_cache_behavior).toEqual({
      target_origin_id: 'alb',
      viewer_protocol_policy: 'redirect-to-https',
      allowed_methods: ['DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT'],
      cached_methods: ['GET', 'HEAD'],
      cache_policy_id: CACHING_DISABLED,
      origin_request_policy_id: ALL_VIEWER_EXCEPT_HOST,
      compress: true,
    });
    expect(d.ordered_cache_behavior).toBeUndefined();
    expect(d.viewer_certificate).toEqual({ cloudfront_default_certificate: true });
    expect(d.logging_config).toBeUndefined();
    expect(d.web_acl_id).toBeUndefined();
    expect(d.restrictions).toEqual({ geo_restriction: { restriction_type: 'none', locations: [] } });
  });

  it('caches the given paths with the managed CachingOptimized policy', () => {
    const d = onlyOf(build({ cachedPathPatterns: ['/static/*', '/docs/*'] }).json, 'aws_cloudfront_distribution');
    expect(d.ordered_cache_behavior.map((b: any) => [b.path_pattern, b.cache_policy_id, b.allowed_methods])).toEqual([
      ['/static/*', CACHING_OPTIMIZED, ['GET', 'HEAD', 'OPTIONS']],
      ['/docs/*', CACHING_OPTIMIZED, ['GET', 'HEAD', 'OPTIONS']],
    ]);
    expect(d.ordered_cache_behavior[0].origin_request_policy_id).toBeUndefined();
  });

  it('connects to an HTTPS ALB over HTTPS through a name on its certificate, with aliases, an edge web ACL and a secret header from a sensitive variable', () => {
    let headerValue = '';
    const { json, dist } = build(
      {
        loadBalancer: HTTPS_ALB,
        originDomainName: 'origin.example.com',
        certificate: { certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-0000-1111-2222-333344445555', aliases: ['art.example.com'] },
        priceClass: 'PriceClass_200',
      },
      (d) => (headerValue = d.originVerifyHeaderName ?? ''),
      'CLOUDFRONT',
    );
    const d = onlyOf(json, 'aws_cloudfront_distribution');
    expect(d.origin[0]).toMatchObject({ domain_name: 'origin.example.com', custom_origin_config: { origin_protocol_policy: 'https-only' } });
    expect(d).toMatchObject({ aliases: ['art.example.com'], price_class: 'PriceClass_200', web_acl_id: expect.stringMatching(/^\$\{aws_wafv2_web_acl\.waf_this_\w+\.arn\}$/) });
    expect(dist.resource).toBeInstanceOf(CloudfrontDistribution);
    expect(d.viewer_certificate).toEqual({ acm_certificate_arn: expect.stringMatching(/^arn:aws:acm:us-east-1:/), ssl_support_method: 'sni-only', minimum_protocol_version: 'TLSv1.2_2021' });
    expect(dist.url).toBe('https://art.example.com');
    expect(dist.originPort).toBe(443);
    expect(headerValue).toBe('');

    const withHeader = synthConstructs((stack) => {
      const secret = new TerraformVariable(stack, 'origin_verify_secret', { type: 'string', sensitive: true });
      new AlbDistribution(stack, 'cdn', { comment: 'x', loadBalancer: HTTP_ALB, originVerifyHeader: { value: secret.stringValue } });
    }).json;
    expect(onlyOf(withHeader, 'aws_cloudfront_distribution').origin[0].custom_header).toEqual([{ name: 'X-Origin-Verify', value: '${var.origin_verify_secret}' }]);
    expect(JSON.stringify(withHeader)).not.toMatch(/X-Origin-Verify","value":"[^$]/);
  });

  it('restricts the ALB to CloudFront\'s origin-facing prefix list on the origin port only (the list weighs 55 rules)', () => {
    const pinned = build({ originFacingPrefixListId: 'pl-4fa04526' }, (d, sg) => d.allowOriginFacing(sg)).json;
    expect(allOf(pinned, 'aws_vpc_security_group_ingress_rule')).toEqual([expect.objectContaining({ prefix_list_id: 'pl-4fa04526', from_port: 80, to_port: 80, ip_protocol: 'tcp' })]);
    expect(pinned.data?.aws_ec2_managed_prefix_list).toBeUndefined();
    const looked = build({}, (d, sg) => d.allowOriginFacing(sg)).json;
    expect(Object.values(looked.data!.aws_ec2_managed_prefix_list)).toEqual([{ name: 'com.amazonaws.global.cloudfront.origin-facing' }]);
  });

  it('refuses what would fail or leak: an HTTPS origin without a certificate name, a literal secret, a regional certificate or web ACL', () => {
    expect(errorOf(() => build({ loadBalancer: HTTPS_ALB }))).toMatch(/^test\/cdn: originDomainName: is required when the load balancer has a certificate: CloudFront checks the origin certificate against the origin name/);
    const message = errorOf(() =>
      build({
        originDomainName: 'origin.example.com',
        originVerifyHeader: { name: 'X-Forwarded-For', value: 'hunter2' },
        certificate: { certificateArn: 'arn:aws:acm:eu-west-1:123456789012:certificate/0a1b2c3d-0000', aliases: [] },
        cachedPathPatterns: ['*'],
        originReadTimeoutSec: 120,
      }, undefined, 'REGIONAL'),
    );
    expect(message.split('\n')).toEqual([
      'test/cdn: invalid props:',
      '  originReadTimeoutSec: 120 is out of range; allowed: 1 to 60 seconds (more needs a CloudFront quota increase)',
      '  originDomainName: has no use with an HTTP load balancer (CloudFront connects to its DNS name); give the load balancer a certificate, or remove originDomainName',
      '  cachedPathPatterns[0]: "*" is not a CloudFront path pattern such as "/static/*" (the default behavior is "*")',
      '  originVerifyHeader.name: "X-Forwarded-For" is not a header CloudFront lets an origin custom header set (letters, digits and "-"; not Host, X-Amz-*, X-Forwarded-*, ...)',
      '  originVerifyHeader.value: "(a literal)" would be written into the synthesized configuration; give a plan-time value such as a sensitive Terraform variable',
      '  certificate.certificateArn: "arn:aws:acm:eu-west-1:123456789012:certificate/0a1b2c3d-0000" is not an ACM certificate ARN in us-east-1 (CloudFront uses certificates from us-east-1 only)',
      '  certificate.aliases: [] is empty; give the names the certificate covers that viewers use',
      '  webAcl: "test/waf" has scope "REGIONAL"; a distribution takes a CLOUDFRONT web ACL (created in us-east-1)',
    ]);
  });
});
