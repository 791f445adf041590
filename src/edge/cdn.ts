import { Construct } from 'constructs';
import { Token } from 'cdktf';
import { CloudfrontDistribution, CloudfrontDistributionOrderedCacheBehavior } from '@cdktf/provider-aws/lib/cloudfront-distribution';
import { DataAwsEc2ManagedPrefixList } from '@cdktf/provider-aws/lib/data-aws-ec2-managed-prefix-list';
import { domainNameProblem } from './certificate';
import { nameTags } from '../core/tags';
import { PropsValidator } from '../core/validation';
import type { SecurityGroup } from '../network/security-group';
import type { WebAcl } from './waf';

/**
 * Ids of the AWS managed CloudFront policies the distribution uses. AWS documents them as fixed
 * ids, the same in every account, so no look-up (and nothing to pin for an offline plan) is needed.
 */
const MANAGED_CACHE_POLICY = {
  /** `Managed-CachingDisabled`: TTL 0, nothing cached. */
  cachingDisabled: '4135ea2d-6df8-44a3-9df3-4b5a84be39ad',
  /** `Managed-CachingOptimized`: no query strings, headers or cookies in the key; 1 s to 1 year, 1 day default. */
  cachingOptimized: '658327ea-f89d-4fab-a63d-7e88639e58f6',
} as const;
const MANAGED_ORIGIN_REQUEST_POLICY = {
  /** `Managed-AllViewerExceptHostHeader`: every viewer header, cookie and query string, but not `Host`. */
  allViewerExceptHostHeader: 'b689b0a8-53d0-40ab-baf2-68738e2966ac',
} as const;

/** Name of the AWS managed prefix list of CloudFront's origin-facing addresses. */
const CLOUDFRONT_ORIGIN_FACING_PREFIX_LIST = 'com.amazonaws.global.cloudfront.origin-facing';

/** Header names CloudFront does not let an origin custom header set. */
const RESERVED_HEADERS = /^(cache-control|connection|content-length|cookie|host|if-match|if-modified-since|if-none-match|if-range|if-unmodified-since|max-forwards|pragma|proxy-authorization|proxy-connection|range|request-range|te|trailer|transfer-encoding|upgrade|via|x-real-ip|x-amz-.*|x-edge-.*|x-forwarded-.*)$/i;

/** The load balancer behind the distribution (`ApplicationLoadBalancer` has these). */
export interface DistributionOrigin {
  /** The load balancer's DNS name. */
  readonly dnsName: string;
  /** `https` when it has an HTTPS listener (a certificate), else `http`. */
  readonly protocol: 'http' | 'https';
}

/** A secret header CloudFront adds to every origin request, for the load balancer to require. */
export interface OriginVerifyHeader {
  /**
   * Header name.
   * @default "X-Origin-Verify"
   */
  readonly name?: string;
  /**
   * Header value: a plan-time value, such as a sensitive Terraform variable's (`TerraformVariable`
   * with `sensitive: true`), never a literal, which would be written into the synthesized
   * configuration and the repository. Terraform keeps it in state, like every argument.
   */
  readonly value: string;
}

export interface AlbDistributionProps {
  /** What the distribution is for; CloudFront shows it as the comment (at most 128 characters). */
  readonly comment: string;
  /** The ALB behind the distribution. */
  readonly loadBalancer: DistributionOrigin;
  /**
   * DNS name CloudFront connects to, when the ALB has a certificate: CloudFront checks that the
   * origin's certificate covers the origin domain name, and no ACM certificate can cover the ALB's
   * own `*.elb.amazonaws.com` name (502 from every request). Give a name on the ALB's certificate
   * that resolves to the ALB (an `AliasRecord`, e.g. `origin.example.com`). Not with an HTTP ALB.
   * @default - the ALB's DNS name (HTTP ALBs only)
   */
  readonly originDomainName?: string;
  /**
   * Path patterns CloudFront caches (managed `CachingOptimized` policy: no query strings, headers
   * or cookies in the cache key; the origin's `Cache-Control` decides, 1 day when it says
   * nothing), e.g. `["/static/*", "/docs/*"]`. Everything else goes to the ALB uncached.
   * @default []
   */
  readonly cachedPathPatterns?: readonly string[];
  /**
   * A secret header CloudFront adds to every request to the ALB (`originVerifyHeaderName/Value`),
   * for a listener rule that answers 403 without it. A speed bump, not the access control:
   * restrict the ALB's security group to CloudFront with `allowOriginFacing` (any CloudFront
   * distribution, including someone else's, comes from those addresses; the header tells yours).
   * @default - no header
   */
  readonly originVerifyHeader?: OriginVerifyHeader;
  /**
   * Serve the distribution under your names: an ACM certificate in us-east-1 (CloudFront only
   * uses certificates from there; a `DnsValidatedCertificate` with the stack's us-east-1
   * provider) and the names it covers. SNI only, TLS 1.2 or later.
   * @default - the distribution's own `*.cloudfront.net` name and certificate
   */
  readonly certificate?: { readonly certificateArn: string; readonly aliases: readonly string[] };
  /**
   * Edge locations used: `PriceClass_100` (North America, Europe, Israel), `PriceClass_200` (plus
   * most of Asia, the Middle East and Africa) or `PriceClass_All`. Viewers elsewhere are served
   * from the nearest included location, more slowly.
   * @default "PriceClass_100"
   */
  readonly priceClass?: 'PriceClass_100' | 'PriceClass_200' | 'PriceClass_All';
  /**
   * A WAFv2 web ACL with scope CLOUDFRONT (created in us-east-1: a `WebAcl` with
   * `scope: "CLOUDFRONT"` and `provider: stack.providerFor("us-east-1")`).
   * @default - no web ACL at the edge
   */
  readonly webAcl?: WebAcl;
  /**
   * Standard access logs to an S3 bucket (its regional domain name, `<bucket>.s3.amazonaws.com`).
   * The bucket must have ACLs enabled (object ownership `BucketOwnerPreferred`): CloudFront
   * standard logging writes with an ACL, which a `SecureBucket` (ACLs disabled) refuses.
   * @default - no access logs
   */
  readonly logging?: { readonly bucketDomainName: string; readonly prefix?: string };
  /**
   * Id of the `com.amazonaws.global.cloudfront.origin-facing` prefix list in the ALB's region, for
   * `allowOriginFacing`. Pin it for an offline plan; the id differs per region.
   * @default - looked up at plan time (`aws_ec2_managed_prefix_list` data source)
   */
  readonly originFacingPrefixListId?: string;
  /**
   * Seconds CloudFront waits for the ALB's response (1-60 without a quota increase). Keep it at or
   * above the slowest request the services answer.
   * @default 30
   */
  readonly originReadTimeoutSec?: number;
}

/**
 * CloudFront in front of an Application Load Balancer: the ALB's DNS name (or a name on its
 * certificate) as a custom origin over HTTPS when the ALB has a certificate, HTTP otherwise (then
 * the leg from CloudFront to the ALB is unencrypted on the internet; give the ALB a certificate
 * and `originDomainName` for production). Viewers are redirected to HTTPS; HTTP/2 and HTTP/3;
 * IPv6 on.
 *
 * The default behavior caches nothing (managed `CachingDisabled`), forwards every method, header
 * except `Host`, cookie and query string (managed `AllViewerExceptHostHeader`): the API behaves
 * as it does without CloudFront. `cachedPathPatterns` get the managed `CachingOptimized` policy.
 * Access logs are off unless asked for.
 */
export class AlbDistribution extends Construct {
  /** The distribution resource. */
  public readonly resource: CloudfrontDistribution;
  public readonly distributionId: string;
  public readonly distributionArn: string;
  /** `<id>.cloudfront.net`. */
  public readonly domainName: string;
  /** Hosted zone of every distribution, for alias records. */
  public readonly hostedZoneId: string;
  /** How CloudFront talks to the ALB. */
  public readonly originProtocol: 'http' | 'https';
  /** Port the ALB must accept from CloudFront (443 with HTTPS, else 80). */
  public readonly originPort: number;
  /** Name of the origin verify header, when there is one. */
  public readonly originVerifyHeaderName?: string;
  /** Value of the origin verify header (a plan-time value), when there is one. */
  public readonly originVerifyHeaderValue?: string;
  private readonly pinnedPrefixListId?: string;
  private readonly firstAlias?: string;
  private prefixList?: DataAwsEc2ManagedPrefixList;

  constructor(scope: Construct, id: string, props: AlbDistributionProps) {
    super(scope, id);
    const https = props.loadBalancer.protocol === 'https';
    const cached = props.cachedPathPatterns ?? [];
    const header = props.originVerifyHeader;
    const headerName = header ? header.name ?? 'X-Origin-Verify' : undefined;
    const readTimeout = props.originReadTimeoutSec ?? 30;
    const v = new PropsValidator(this)
      .check(props.comment.length > 0 && props.comment.length <= 128, 'comment', props.comment, 'is not a distribution comment (1-128 characters)')
      .oneOf('loadBalancer.protocol', props.loadBalancer.protocol, ['http', 'https'])
      .oneOf('priceClass', props.priceClass, ['PriceClass_100', 'PriceClass_200', 'PriceClass_All'])
      .check(Number.isInteger(readTimeout), 'originReadTimeoutSec', readTimeout, 'is not a whole number of seconds')
      .range('originReadTimeoutSec', readTimeout, 1, 60, 'seconds (more needs a CloudFront quota increase)')
      .check(cached.length <= 74, 'cachedPathPatterns', cached, 'has more than 74 patterns; a distribution has at most 75 cache behaviors');
    if (https) {
      if (props.originDomainName === undefined) v.fail('originDomainName', 'is required when the load balancer has a certificate: CloudFront checks the origin certificate against the origin name, and no certificate covers the ALB\'s *.elb.amazonaws.com name (every request would get 502); give a name on the ALB\'s certificate that points at it');
      else if (!Token.isUnresolved(props.originDomainName)) v.rule('originDomainName', prefixed(props.originDomainName, domainNameProblem(props.originDomainName)));
      if (props.originDomainName?.startsWith('*.')) v.fail('originDomainName', `${JSON.stringify(props.originDomainName)} is a wildcard; give one name`);
    } else if (props.originDomainName !== undefined) {
      v.fail('originDomainName', 'has no use with an HTTP load balancer (CloudFront connects to its DNS name); give the load balancer a certificate, or remove originDomainName');
    }
    cached.forEach((p, i) => {
      v.check(/^\/?[A-Za-z0-9_\-.*$/~"'@:+&]{1,255}$/.test(p) && p !== '*' && p !== '/*', `cachedPathPatterns[${i}]`, p, 'is not a CloudFront path pattern such as "/static/*" (the default behavior is "*")');
      if (cached.indexOf(p) !== i) v.fail(`cachedPathPatterns[${i}]`, `${JSON.stringify(p)} is given twice`);
    });
    if (header) {
      v.check(/^[A-Za-z0-9-]{1,256}$/.test(headerName!) && !RESERVED_HEADERS.test(headerName!), 'originVerifyHeader.name', headerName, 'is not a header CloudFront lets an origin custom header set (letters, digits and "-"; not Host, X-Amz-*, X-Forwarded-*, ...)');
      v.check(Token.isUnresolved(header.value), 'originVerifyHeader.value', '(a literal)', 'would be written into the synthesized configuration; give a plan-time value such as a sensitive Terraform variable');
    }
    if (props.certificate) {
      const arn = props.certificate.certificateArn;
      v.check(Token.isUnresolved(arn) || /^arn:aws:acm:us-east-1:\d{12}:certificate\/[0-9a-f-]+$/.test(arn), 'certificate.certificateArn', arn, 'is not an ACM certificate ARN in us-east-1 (CloudFront uses certificates from us-east-1 only)');
      v.check(props.certificate.aliases.length > 0, 'certificate.aliases', props.certificate.aliases, 'is empty; give the names the certificate covers that viewers use');
      props.certificate.aliases.forEach((a, i) => v.rule(`certificate.aliases[${i}]`, Token.isUnresolved(a) ? undefined : prefixed(a, domainNameProblem(a))));
    }
    if (props.webAcl) v.check(props.webAcl.scope === 'CLOUDFRONT', 'webAcl', props.webAcl.node.path, `has scope ${JSON.stringify(props.webAcl.scope)}; a distribution takes a CLOUDFRONT web ACL (created in us-east-1)`);
    if (props.logging) v.check(Token.isUnresolved(props.logging.bucketDomainName) || /^[a-z0-9.-]{3,63}\.s3(\.[a-z0-9-]+)?\.amazonaws\.com$/.test(props.logging.bucketDomainName), 'logging.bucketDomainName', props.logging.bucketDomainName, 'is not an S3 bucket domain name (<bucket>.s3.amazonaws.com)');
    v.matches('originFacingPrefixListId', props.originFacingPrefixListId, /^pl-[0-9a-f]{8,17}$/, 'a prefix list id (pl-...)');
    v.throwIfInvalid();

    this.originProtocol = https ? 'https' : 'http';
    this.originPort = https ? 443 : 80;
    this.originVerifyHeaderName = headerName;
    this.originVerifyHeaderValue = header?.value;
    this.pinnedPrefixListId = props.originFacingPrefixListId;
    this.firstAlias = props.certificate?.aliases[0];
    const originId = 'alb';
    const cachedBehaviors: CloudfrontDistributionOrderedCacheBehavior[] = cached.map((pathPattern) => ({
      pathPattern,
      targetOriginId: originId,
      viewerProtocolPolicy: 'redirect-to-https',
      allowedMethods: ['GET', 'HEAD', 'OPTIONS'],
      cachedMethods: ['GET', 'HEAD'],
      cachePolicyId: MANAGED_CACHE_POLICY.cachingOptimized,
      compress: true,
    }));

    this.resource = new CloudfrontDistribution(this, 'this', {
      enabled: true,
      comment: props.comment,
      isIpv6Enabled: true,
      httpVersion: 'http2and3',
      priceClass: props.priceClass ?? 'PriceClass_100',
      aliases: props.certificate ? [...props.certificate.aliases] : undefined,
      webAclId: props.webAcl?.webAclArn,
      origin: [
        {
          originId,
          domainName: props.originDomainName ?? props.loadBalancer.dnsName,
          customOriginConfig: {
            httpPort: 80,
            httpsPort: 443,
            originProtocolPolicy: https ? 'https-only' : 'http-only',
            originSslProtocols: ['TLSv1.2'],
            originReadTimeout: readTimeout,
          },
          customHeader: header ? [{ name: headerName!, value: header.value }] : undefined,
        },
      ],
      defaultCacheBehavior: {
        targetOriginId: originId,
        viewerProtocolPolicy: 'redirect-to-https',
        allowedMethods: ['DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT'],
        cachedMethods: ['GET', 'HEAD'],
        cachePolicyId: MANAGED_CACHE_POLICY.cachingDisabled,
        originRequestPolicyId: MANAGED_ORIGIN_REQUEST_POLICY.allViewerExceptHostHeader,
        compress: true,
      },
      orderedCacheBehavior: cachedBehaviors.length > 0 ? cachedBehaviors : undefined,
      restrictions: { geoRestriction: { restrictionType: 'none', locations: [] } },
      viewerCertificate: props.certificate
        ? { acmCertificateArn: props.certificate.certificateArn, sslSupportMethod: 'sni-only', minimumProtocolVersion: 'TLSv1.2_2021' }
        : { cloudfrontDefaultCertificate: true },
      loggingConfig: props.logging ? { bucket: props.logging.bucketDomainName, prefix: props.logging.prefix, includeCookies: false } : undefined,
      tags: nameTags(props.comment),
    });
    this.distributionId = this.resource.id;
    this.distributionArn = this.resource.arn;
    this.domainName = this.resource.domainName;
    this.hostedZoneId = this.resource.hostedZoneId;
  }

  /** `https://<name>`: the first alias, else the distribution's own name. */
  public get url(): string {
    return `https://${this.firstAlias ?? this.domainName}`;
  }

  /** Id of CloudFront's origin-facing prefix list in this region: pinned, or looked up once. */
  public get originFacingPrefixListId(): string {
    if (this.pinnedPrefixListId) return this.pinnedPrefixListId;
    this.prefixList ??= new DataAwsEc2ManagedPrefixList(this, 'origin-facing', { name: CLOUDFRONT_ORIGIN_FACING_PREFIX_LIST });
    return this.prefixList.id;
  }

  /**
   * Lets CloudFront's origin-facing servers reach the load balancer on the origin port (443 with
   * HTTPS, else 80), through the AWS managed prefix list. That list counts as 55 rules against the
   * security group's quota of 60 inbound rules: one port only, and remove the group's other
   * inbound rules (e.g. the ALB's `allowedCidrs`), or the apply fails with
   * `RulesPerSecurityGroupLimitExceeded` unless the quota was raised.
   */
  public allowOriginFacing(securityGroup: SecurityGroup): void {
    securityGroup.addIngress({ peer: { prefixListId: this.originFacingPrefixListId }, port: this.originPort, description: `${this.originProtocol.toUpperCase()} from CloudFront origin-facing servers` });
  }
}

function prefixed(value: string, problem: string | undefined): string | undefined {
  return problem === undefined ? undefined : `${JSON.stringify(value)} ${problem}`;
}
