import { Construct } from 'constructs';
import { Fn, TerraformIterator, TerraformProvider, Token } from 'cdktf';
import { AcmCertificate } from '@cdktf/provider-aws/lib/acm-certificate';
import { AcmCertificateValidation } from '@cdktf/provider-aws/lib/acm-certificate-validation';
import { Route53Record } from '@cdktf/provider-aws/lib/route53-record';
import { nameTags } from '../core/tags';
import { PropsValidator } from '../core/validation';

/**
 * A DNS name after RFC 1035 (letters, digits and hyphens, labels of 1-63 characters that neither
 * start nor end with a hyphen, at least two labels, at most 253 characters), optionally with `*`
 * as its whole first label (a wildcard, as ACM accepts it). No trailing dot.
 */
const DOMAIN_NAME_PATTERN = /^(?=.{1,253}$)(\*\.)?([A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;

/** A Route 53 hosted zone id, e.g. `Z0123456789ABCDEFGHIJ` (not `/hostedzone/...`). */
const HOSTED_ZONE_ID_PATTERN = /^Z[A-Z0-9]{4,31}$/;

/**
 * Hosted zone id of every CloudFront distribution, for alias records (AWS documents it as a
 * constant; `aws_cloudfront_distribution.hosted_zone_id` returns it too).
 */
const CLOUDFRONT_HOSTED_ZONE_ID = 'Z2FDTNDATAQYW2';

/** ACM's limit of names on one certificate (the default quota is 10, adjustable to 100). */
const MAX_NAMES = 100;

/** Why `name` is not a domain name ACM accepts, or undefined when it is one. */
export function domainNameProblem(name: string): string | undefined {
  if (DOMAIN_NAME_PATTERN.test(name)) return undefined;
  if (name.endsWith('.')) return 'ends with "."; give the name without the trailing dot';
  if (name.includes('*') && !/^\*\.[^*]+$/.test(name)) return 'has "*" outside the first label; a wildcard may only be the whole first label ("*.example.com")';
  return 'is not a DNS name (RFC 1035: labels of 1-63 letters, digits and "-", not starting or ending with "-", at least two labels, at most 253 characters)';
}

/** Whether `name` (not a wildcard) lies in the zone `zone` (equal to it or below it). */
function inZone(name: string, zone: string): boolean {
  const n = name.replace(/^\*\./, '').toLowerCase();
  const z = zone.replace(/\.$/, '').toLowerCase();
  return n === z || n.endsWith(`.${z}`);
}

export interface DnsValidatedCertificateProps {
  /** The certificate's main name, e.g. `api.example.com` or `*.example.com`. */
  readonly domainName: string;
  /**
   * More names on the certificate (each a DNS name; a wildcard only as the first label). A
   * change replaces the certificate (created before the old one goes, see the class).
   * @default []
   */
  readonly subjectAlternativeNames?: readonly string[];
  /**
   * Public Route 53 hosted zone that serves the names, by id (`Z...`). The validation records are
   * written there; every name must be in this zone.
   */
  readonly hostedZoneId: string;
  /**
   * Name of that zone (e.g. `example.com`), to check at synth that every name lies in it. ACM
   * waits for a record it will never find otherwise (up to the 75-minute validation timeout).
   * @default - not checked
   */
  readonly hostedZoneName?: string;
  /**
   * Key algorithm of the certificate. `EC_prime256v1` gives smaller handshakes; RSA works with
   * every client.
   * @default "RSA_2048"
   */
  readonly keyAlgorithm?: 'RSA_2048' | 'EC_prime256v1' | 'EC_secp384r1';
  /**
   * AWS provider to create the certificate with. A certificate for CloudFront must be in
   * us-east-1: pass the stack's us-east-1 provider (`AwsStack.providerFor("us-east-1")`). The
   * validation records are in Route 53, a global service, and use the stack's provider.
   * @default - the stack's provider (its region)
   */
  readonly provider?: TerraformProvider;
  /**
   * How long `terraform apply` waits for ACM to issue the certificate.
   * @default "75m" (the provider's default)
   */
  readonly validationTimeout?: string;
}

/**
 * An ACM certificate validated by DNS in a Route 53 hosted zone: the certificate, one CNAME per
 * name that ACM asks for, and an `aws_acm_certificate_validation` that waits until ACM has issued
 * the certificate. `certificateArn` comes from that validation resource, so a listener or
 * distribution that uses it is created only once the certificate is usable (an HTTPS listener
 * with a pending certificate fails with `UnsupportedCertificate`).
 *
 * The certificate is `create_before_destroy`: a new name replaces it, and the replacement must be
 * issued and moved onto the listener before the old one is deleted (ACM refuses to delete a
 * certificate in use, `ResourceInUseException`). ACM renews DNS-validated certificates by itself
 * as long as the validation records stay in place.
 *
 * Records are created per name with `for_each` over the names (known at synth, so the plan
 * knows every instance); `example.com` and `*.example.com` share one record.
 */
export class DnsValidatedCertificate extends Construct {
  /** The certificate resource (its ARN before validation; `certificateArn` waits for it). */
  public readonly resource: AcmCertificate;
  public readonly validation: AcmCertificateValidation;
  /** The validation records (one Terraform resource with an instance per name). */
  public readonly validationRecords: Route53Record;
  /** ARN of the certificate, known once ACM has issued it (from the validation resource). */
  public readonly certificateArn: string;
  /** The names on the certificate, main name first. */
  public readonly domainNames: readonly string[];

  constructor(scope: Construct, id: string, props: DnsValidatedCertificateProps) {
    super(scope, id);
    const sans = props.subjectAlternativeNames ?? [];
    const names = [props.domainName, ...sans];
    const v = new PropsValidator(this)
      .rule('domainName', Token.isUnresolved(props.domainName) ? undefined : prefixed(props.domainName, domainNameProblem(props.domainName)))
      .check(HOSTED_ZONE_ID_PATTERN.test(props.hostedZoneId), 'hostedZoneId', props.hostedZoneId, `is not a Route 53 hosted zone id (Z followed by 4-31 capital letters and digits${props.hostedZoneId.startsWith('/hostedzone/') ? '; drop the "/hostedzone/" prefix' : ''})`)
      .oneOf('keyAlgorithm', props.keyAlgorithm, ['RSA_2048', 'EC_prime256v1', 'EC_secp384r1'])
      .check(names.length <= MAX_NAMES, 'subjectAlternativeNames', sans, `has ${sans.length} names; a certificate holds at most ${MAX_NAMES} names in all (the default ACM quota is 10)`)
      .matches('validationTimeout', props.validationTimeout, /^\d+[smh]$/, 'a duration such as "75m"');
    sans.forEach((n, i) => {
      if (!Token.isUnresolved(n)) v.rule(`subjectAlternativeNames[${i}]`, prefixed(n, domainNameProblem(n)));
      const first = names.findIndex((x) => x.toLowerCase() === n.toLowerCase());
      if (first !== i + 1) v.fail(`subjectAlternativeNames[${i}]`, `${JSON.stringify(n)} is already on the certificate${first === 0 ? ' as domainName' : ''}`);
    });
    if (props.hostedZoneName !== undefined) {
      v.rule('hostedZoneName', prefixed(props.hostedZoneName, domainNameProblem(props.hostedZoneName.replace(/\.$/, ''))));
      names.forEach((n, i) =>
        v.check(Token.isUnresolved(n) || inZone(n, props.hostedZoneName!), i === 0 ? 'domainName' : `subjectAlternativeNames[${i - 1}]`, n, `is not in the hosted zone ${JSON.stringify(props.hostedZoneName)}; ACM could never see its validation record`),
      );
    }
    v.throwIfInvalid();
    this.domainNames = names;

    this.resource = new AcmCertificate(this, 'this', {
      domainName: props.domainName,
      subjectAlternativeNames: sans.length > 0 ? [...sans] : undefined,
      validationMethod: 'DNS',
      keyAlgorithm: props.keyAlgorithm ?? 'RSA_2048',
      provider: props.provider,
      tags: nameTags(props.domainName),
      lifecycle: { createBeforeDestroy: true },
    });

    // One record per name, keyed by the names themselves: keys known at synth, so `for_each` plans
    // (keys taken from `domain_validation_options` are unknown before the certificate exists once
    // it has more than one name). `*.example.com` and `example.com` share ACM's record: one key.
    const keys = names.filter((n) => !(n.startsWith('*.') && names.includes(n.slice(2))));
    const records = TerraformIterator.fromList(keys);
    const option = (attribute: string) =>
      Fn.one(TerraformIterator.fromList(this.resource.domainValidationOptions).forExpressionForList(`val.${attribute} if val.domain_name == each.value`));
    this.validationRecords = new Route53Record(this, 'validation-record', {
      forEach: records,
      zoneId: props.hostedZoneId,
      name: option('resource_record_name'),
      type: option('resource_record_type'),
      records: [option('resource_record_value')],
      ttl: 300,
      // A record left by an earlier certificate for the same name (ACM gives the same one) is taken over.
      allowOverwrite: true,
    });

    this.validation = new AcmCertificateValidation(this, 'validation', {
      certificateArn: this.resource.arn,
      validationRecordFqdns: Token.asList(TerraformIterator.fromResources(this.validationRecords).pluckProperty('fqdn')),
      provider: props.provider,
      timeouts: props.validationTimeout ? { create: props.validationTimeout } : undefined,
    });
    this.certificateArn = this.validation.certificateArn;
  }
}

function prefixed(value: string, problem: string | undefined): string | undefined {
  return problem === undefined ? undefined : `${JSON.stringify(value)} ${problem}`;
}

/** What an alias record points at. */
export interface AliasTarget {
  /** DNS name of the target (load balancer DNS name, distribution domain name). */
  readonly dnsName: string;
  /** The target's own hosted zone id (not the zone the record is written in). */
  readonly hostedZoneId: string;
  /** Whether Route 53 answers only while the target is healthy. */
  readonly evaluateTargetHealth: boolean;
  /** Whether the target answers over IPv6 (an AAAA record is only useful then). */
  readonly ipv6: boolean;
}

/**
 * A load balancer as an alias target, evaluating its health: Route 53 stops answering with it when
 * no target group behind it has a healthy target (useful with failover records; harmless alone).
 * `ipv6` only for a dual-stack load balancer (`ApplicationLoadBalancer` is IPv4 only).
 */
export function loadBalancerAliasTarget(lb: { readonly dnsName: string; readonly zoneId: string }, options: { readonly ipv6?: boolean } = {}): AliasTarget {
  return { dnsName: lb.dnsName, hostedZoneId: lb.zoneId, evaluateTargetHealth: true, ipv6: options.ipv6 ?? false };
}

/**
 * A CloudFront distribution as an alias target. Route 53 cannot evaluate a distribution's health
 * (it must be false); IPv6 follows the distribution's `is_ipv6_enabled`.
 */
export function distributionAliasTarget(d: { readonly domainName: string; readonly ipv6Enabled?: boolean }): AliasTarget {
  return { dnsName: d.domainName, hostedZoneId: CLOUDFRONT_HOSTED_ZONE_ID, evaluateTargetHealth: false, ipv6: d.ipv6Enabled ?? true };
}

export interface AliasRecordProps {
  /** The hosted zone the record is written in (`Z...`). */
  readonly hostedZoneId: string;
  /** Full name of the record, e.g. `api.example.com`. */
  readonly recordName: string;
  /** What it points at (`loadBalancerAliasTarget`, `distributionAliasTarget`). */
  readonly target: AliasTarget;
  /**
   * Write an AAAA record beside the A record.
   * @default - when the target answers over IPv6 (`target.ipv6`)
   */
  readonly ipv6?: boolean;
  /**
   * Name of the hosted zone, to check that the record lies in it.
   * @default - not checked
   */
  readonly hostedZoneName?: string;
}

/**
 * Route 53 alias records (A, and AAAA when the target serves IPv6) for a name, pointing at a load
 * balancer or a CloudFront distribution. Alias queries to AWS resources are free, and the records
 * follow the target's addresses as they change. An existing record of the same name and type
 * makes the apply fail (no silent overwrite): import it or remove it first.
 */
export class AliasRecord extends Construct {
  /** The A record resource (the AAAA record, when there is one, is `aaaa`). */
  public readonly resource: Route53Record;
  public readonly aaaa?: Route53Record;
  /** The record name. */
  public readonly fqdn: string;

  constructor(scope: Construct, id: string, props: AliasRecordProps) {
    super(scope, id);
    const v = new PropsValidator(this)
      .check(HOSTED_ZONE_ID_PATTERN.test(props.hostedZoneId), 'hostedZoneId', props.hostedZoneId, 'is not a Route 53 hosted zone id (Z followed by 4-31 capital letters and digits)')
      .rule('recordName', Token.isUnresolved(props.recordName) ? undefined : prefixed(props.recordName, domainNameProblem(props.recordName)));
    if (props.recordName.startsWith('*.')) v.fail('recordName', `${JSON.stringify(props.recordName)} is a wildcard; alias records here are for one name`);
    if (props.ipv6 === true && !props.target.ipv6) v.fail('ipv6', 'true, but the target does not answer over IPv6: the AAAA record would resolve to nothing');
    if (props.hostedZoneName !== undefined) v.check(inZone(props.recordName, props.hostedZoneName), 'recordName', props.recordName, `is not in the hosted zone ${JSON.stringify(props.hostedZoneName)}`);
    v.throwIfInvalid();
    this.fqdn = props.recordName;
    const alias = { name: props.target.dnsName, zoneId: props.target.hostedZoneId, evaluateTargetHealth: props.target.evaluateTargetHealth };
    this.resource = new Route53Record(this, 'a', { zoneId: props.hostedZoneId, name: props.recordName, type: 'A', alias });
    if (props.ipv6 ?? props.target.ipv6) this.aaaa = new Route53Record(this, 'aaaa', { zoneId: props.hostedZoneId, name: props.recordName, type: 'AAAA', alias });
  }
}
