import { unquoteReferences } from '../../../tools/synth';
import { AliasRecord, DnsValidatedCertificate, DnsValidatedCertificateProps, distributionAliasTarget, domainNameProblem, loadBalancerAliasTarget } from '../../../src/edge/certificate';
import { allOf, errorOf, onlyOf, resourcesOf, synthConstructs, testStack } from '../../helpers/synth';

const ZONE = 'Z0123456789ABCDEFGHIJ';

function build(props: Partial<DnsValidatedCertificateProps> = {}) {
  let cert!: DnsValidatedCertificate;
  const { json } = synthConstructs((stack) => {
    cert = new DnsValidatedCertificate(stack, 'cert', { domainName: 'api.example.com', hostedZoneId: ZONE, ...props });
  });
  return { json, cert };
}

describe('DnsValidatedCertificate', () => {
  const { json } = build({ subjectAlternativeNames: ['*.api.example.com', 'origin.example.com'] });
  const [certKey] = resourcesOf(json, 'aws_acm_certificate')[0];
  const [recordKey, record] = resourcesOf(json, 'aws_route53_record')[0];

  it('requests a DNS-validated certificate that is created before the one it replaces', () => {
    expect(onlyOf(json, 'aws_acm_certificate')).toMatchObject({
      domain_name: 'api.example.com',
      subject_alternative_names: ['*.api.example.com', 'origin.example.com'],
      validation_method: 'DNS',
      key_algorithm: 'RSA_2048',
      lifecycle: { create_before_destroy: true },
    });
  });

  it('writes one validation record per name in the zone, keyed by names known at synth (the wildcard shares its apex record)', () => {
    expect(record.for_each).toBe('${toset(["api.example.com", "origin.example.com"])}');
    expect(record).toMatchObject({ zone_id: ZONE, ttl: 300, allow_overwrite: true });
    expect(record.name).toBe(`\${one([ for key, val in toset(tolist(aws_acm_certificate.${certKey}.domain_validation_options)): val.resource_record_name if val.domain_name == each.value])}`);
    expect(record.records[0]).toContain('val.resource_record_value if val.domain_name == each.value');
  });

  it('exposes the ARN of the validation resource, which waits for issuance on every record', () => {
    const { cert } = build();
    expect(onlyOf(json, 'aws_acm_certificate_validation')).toEqual({
      certificate_arn: `\${aws_acm_certificate.${certKey}.arn}`,
      validation_record_fqdns: `\${[ for key, val in aws_route53_record.${recordKey}: val.fqdn]}`,
    });
    expect(cert.certificateArn).toMatch(/^\$\{TfToken/);
    expect(cert.certificateArn).not.toBe(cert.resource.arn);
  });

  it('is created in us-east-1 (for CloudFront) through an aliased provider, written bare in HCL', () => {
    const stack = testStack();
    new DnsValidatedCertificate(stack, 'cert', { domainName: 'www.example.com', hostedZoneId: ZONE, provider: stack.providerFor('us-east-1') });
    const hcl = unquoteReferences(stack.toHclTerraform().hcl as string);
    expect(hcl.match(/^provider = aws\.us_east_1$/gm)).toHaveLength(2); // the certificate and its validation
    expect(hcl).not.toContain('provider = "aws.us_east_1"');
  });

  it('validates names (RFC 1035, wildcard first label only), the zone id and the zone', () => {
    expect(domainNameProblem('a-b.example.co.uk')).toBeUndefined();
    expect(domainNameProblem('*.example.com')).toBeUndefined();
    expect(domainNameProblem('api.*.example.com')).toMatch(/outside the first label/);
    expect(domainNameProblem('-api.example.com')).toMatch(/RFC 1035/);
    expect(domainNameProblem('localhost')).toMatch(/at least two labels/);
    expect(domainNameProblem(`${'a'.repeat(64)}.example.com`)).toMatch(/1-63/);
    expect(domainNameProblem('example.com.')).toMatch(/trailing dot/);
    const message = errorOf(() => build({ domainName: 'api..example.com', subjectAlternativeNames: ['API.example.com', 'x.other.org'], hostedZoneId: '/hostedzone/Z0123456789ABC', hostedZoneName: 'example.com' }));
    expect(message.split('\n')).toEqual([
      'test/cert: invalid props:',
      expect.stringMatching(/^ {2}domainName: "api\.\.example\.com" is not a DNS name/),
      '  hostedZoneId: "/hostedzone/Z0123456789ABC" is not a Route 53 hosted zone id (Z followed by 4-31 capital letters and digits; drop the "/hostedzone/" prefix)',
      '  subjectAlternativeNames[1]: "x.other.org" is not in the hosted zone "example.com"; ACM could never see its validation record',
    ]);
    expect(errorOf(() => build({ subjectAlternativeNames: ['api.example.com'] }))).toBe('test/cert: subjectAlternativeNames[0]: "api.example.com" is already on the certificate as domainName');
  });
});

describe('AliasRecord', () => {
  it('points A at a load balancer, evaluating its health, with no AAAA for an IPv4 load balancer', () => {
    const { json } = synthConstructs((stack) => {
      new AliasRecord(stack, 'api', { hostedZoneId: ZONE, recordName: 'api.example.com', target: loadBalancerAliasTarget({ dnsName: 'alb-1.eu-west-1.elb.amazonaws.com', zoneId: 'Z32O12XQLNTSW2' }) });
    });
    expect(allOf(json, 'aws_route53_record')).toEqual([
      { zone_id: ZONE, name: 'api.example.com', type: 'A', alias: { name: 'alb-1.eu-west-1.elb.amazonaws.com', zone_id: 'Z32O12XQLNTSW2', evaluate_target_health: true } },
    ]);
  });

  it('points A and AAAA at a CloudFront distribution, without health evaluation (Route 53 cannot)', () => {
    const { json } = synthConstructs((stack) => {
      new AliasRecord(stack, 'www', { hostedZoneId: ZONE, recordName: 'www.example.com', target: distributionAliasTarget({ domainName: 'd111111abcdef8.cloudfront.net' }) });
    });
    const records = allOf(json, 'aws_route53_record');
    expect(records.map((r) => r.type).sort()).toEqual(['A', 'AAAA']);
    for (const r of records) expect(r.alias).toEqual({ name: 'd111111abcdef8.cloudfront.net', zone_id: 'Z2FDTNDATAQYW2', evaluate_target_health: false });
  });

  it('refuses an AAAA record for a target without IPv6, a wildcard and a name outside the zone', () => {
    const message = errorOf(() =>
      synthConstructs((stack) => {
        new AliasRecord(stack, 'x', { hostedZoneId: ZONE, recordName: '*.example.org', hostedZoneName: 'example.com', ipv6: true, target: loadBalancerAliasTarget({ dnsName: 'a.elb.amazonaws.com', zoneId: 'Z32O12XQLNTSW2' }) });
      }),
    );
    expect(message).toContain('recordName: "*.example.org" is a wildcard');
    expect(message).toContain('ipv6: true, but the target does not answer over IPv6');
    expect(message).toContain('recordName: "*.example.org" is not in the hosted zone "example.com"');
  });
});
