/**
 * `PublicEndpoint`: how a container system on an `EcsPlatform` meets the internet. The public
 * load balancer with its access logs; optionally a domain (a DNS-validated certificate and an
 * alias record), a WAF web ACL, and CloudFront in front of the load balancer (which then admits
 * only CloudFront's origin-facing addresses and, with `originVerify`, only requests carrying a
 * secret header). Without a load balancer (an API in front instead) it keeps the access logs and
 * the web ACL for the caller to attach.
 *
 * A recipe that builds into the platform's stack (see `EcsPlatform`), under the ids `certificate`
 * (or `cdn-certificate`), `access-logs`, `alb`, `waf`, `cdn`, `alias` and the sensitive variable
 * `cloudfront_origin_secret`. The certificate and CloudFront constructs load with their option:
 * they bring provider modules (CloudFront's alone is 0.8 MB) every synth would otherwise compile.
 */
import { Annotations } from 'cdktf';
import type { ApplicationLoadBalancer } from '../edge/alb';
import { WebAcl, WebAclProps } from '../edge/waf';
import { sensitiveVariable } from '../security/secrets';
import type { AlbDistribution, AlbDistributionProps } from '../edge/cdn';
import type { DnsValidatedCertificate } from '../edge/certificate';
import type { EcsPlatform, PlatformLoadBalancerProps } from './ecs-platform';

const lazy = {
  certificate: (): typeof import('../edge/certificate') => require('../edge/certificate'),
  cdn: (): typeof import('../edge/cdn') => require('../edge/cdn'),
};

/** A DNS name in a Route 53 public hosted zone. */
export interface EndpointDomain {
  /** The name clients use, e.g. `artwork.example.com`. */
  readonly name: string;
  /** The hosted zone that holds it (the certificate is validated there, the alias record written there). */
  readonly hostedZoneId: string;
}

/** CloudFront in front of the load balancer. */
export interface EndpointCdn extends Pick<AlbDistributionProps, 'comment' | 'cachedPathPatterns' | 'priceClass' | 'originFacingPrefixListId'> {
  /**
   * CloudFront sends a secret header (the sensitive variable `cloudfront_origin_secret`, at least
   * 32 characters) and the load balancer answers 403 without it.
   */
  readonly originVerify: boolean;
}

export interface PublicEndpointProps {
  /** The platform whose load balancer this is. */
  readonly platform: EcsPlatform;
  /** The load balancer (its certificate comes from `domain` when none is given). @default - no load balancer */
  readonly loadBalancer?: Omit<PlatformLoadBalancerProps, 'accessLogs'>;
  /** Keep access logs (the load balancer's, and the stack's data buckets may log there too). */
  readonly accessLogs: boolean;
  /** The public name. @default - the load balancer's (or CloudFront's) own DNS name */
  readonly domain?: EndpointDomain;
  /** A web ACL: on the load balancer, or at the edge (in us-east-1) with CloudFront. @default - none */
  readonly waf?: Pick<WebAclProps, 'managedRuleGroups' | 'rateLimitPer5Min' | 'logging'>;
  /** CloudFront in front of the load balancer. @default - none */
  readonly cdn?: EndpointCdn;
  /**
   * A warning to show when the endpoint serves plain HTTP only (no certificate, domain or CDN).
   * @default - none
   */
  readonly plainHttpWarning?: string;
}

/** The load balancer, certificate, web ACL, CloudFront and DNS name of a system. */
export class PublicEndpoint {
  public readonly alb?: ApplicationLoadBalancer;
  public readonly webAcl?: WebAcl;
  public readonly distribution?: AlbDistribution;
  public readonly certificate?: DnsValidatedCertificate;
  /** Whether clients reach the endpoint over HTTPS. */
  public readonly https: boolean;

  constructor(private readonly props: PublicEndpointProps) {
    const { platform, domain, cdn, loadBalancer } = props;
    const scope = platform.scope;
    if (domain) {
      const { DnsValidatedCertificate } = lazy.certificate();
      this.certificate = cdn
        ? new DnsValidatedCertificate(scope, 'cdn-certificate', { domainName: domain.name, hostedZoneId: domain.hostedZoneId, provider: scope.providerFor('us-east-1') })
        : new DnsValidatedCertificate(scope, 'certificate', { domainName: domain.name, hostedZoneId: domain.hostedZoneId });
    }
    if (props.accessLogs) platform.addAccessLogs();
    this.https = Boolean(loadBalancer?.certificateArn ?? domain ?? cdn);
    if (loadBalancer) {
      this.alb = platform.addLoadBalancer({
        ...loadBalancer,
        accessLogs: props.accessLogs,
        // Behind CloudFront only its origin-facing addresses may connect.
        allowedCidrs: cdn ? [] : loadBalancer.allowedCidrs,
        certificateArn: loadBalancer.certificateArn ?? (cdn ? undefined : this.certificate?.certificateArn),
      });
      if (!this.https && props.plainHttpWarning) Annotations.of(scope).addWarning(props.plainHttpWarning);
    }
    if (props.waf) this.webAcl = this.addWebAcl(props.waf);
    if (cdn && this.alb) this.distribution = this.addDistribution(this.alb, cdn);
    if (domain && this.alb) this.addAlias(this.alb, domain);
  }

  /** The public URL: the domain, CloudFront's name, or the load balancer's. */
  public get url(): string | undefined {
    if (this.props.domain) return `https://${this.props.domain.name}`;
    if (this.distribution) return `https://${this.distribution.domainName}`;
    return this.alb ? `${this.props.loadBalancer?.certificateArn ? 'https' : 'http'}://${this.alb.dnsName}` : undefined;
  }

  private addWebAcl(waf: Pick<WebAclProps, 'managedRuleGroups' | 'rateLimitPer5Min' | 'logging'>): WebAcl {
    const { platform, cdn } = this.props;
    const scope = platform.scope;
    const webAcl = new WebAcl(scope, 'waf', {
      name: cdn ? `${platform.namePrefix}-edge` : platform.namePrefix,
      scope: cdn ? 'CLOUDFRONT' : 'REGIONAL',
      provider: cdn ? scope.providerFor('us-east-1') : undefined,
      ...waf,
    });
    if (!cdn && this.alb) webAcl.associate('alb', this.alb.loadBalancerArn);
    return webAcl;
  }

  private addDistribution(alb: ApplicationLoadBalancer, cdn: EndpointCdn): AlbDistribution {
    const scope = this.props.platform.scope;
    const { originVerify, ...options } = cdn;
    const secret = originVerify
      ? sensitiveVariable(scope, 'cloudfront_origin_secret', 'Secret header value CloudFront sends and the load balancer requires (at least 32 characters, e.g. openssl rand -hex 32)', 32).stringValue
      : undefined;
    const domain = this.props.domain;
    const distribution = new (lazy.cdn().AlbDistribution)(scope, 'cdn', {
      originVerifyHeader: secret ? { value: secret } : undefined,
      comment: options.comment,
      loadBalancer: { dnsName: alb.dnsName, protocol: alb.protocol },
      cachedPathPatterns: options.cachedPathPatterns,
      certificate: this.certificate && domain ? { certificateArn: this.certificate.certificateArn, aliases: [domain.name] } : undefined,
      priceClass: options.priceClass,
      webAcl: this.webAcl,
      originFacingPrefixListId: options.originFacingPrefixListId,
    });
    distribution.allowOriginFacing(alb.securityGroup);
    if (secret) alb.requireHeader(distribution.originVerifyHeaderName!, secret);
    return distribution;
  }

  private addAlias(alb: ApplicationLoadBalancer, domain: EndpointDomain): void {
    const { AliasRecord, distributionAliasTarget, loadBalancerAliasTarget } = lazy.certificate();
    new AliasRecord(this.props.platform.scope, 'alias', {
      hostedZoneId: domain.hostedZoneId,
      recordName: domain.name,
      target: this.distribution ? distributionAliasTarget(this.distribution) : loadBalancerAliasTarget(alb),
    });
  }
}
