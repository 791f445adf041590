import { Testing } from 'cdktf';
import { AwsStack } from '../../../src/core/aws-stack';
import { WebAcl, WebAclProps } from '../../../src/edge/waf';
import { errorOf, onlyOf, resourcesOf, synthConstructs, Synthesized, testStack } from '../../helpers/synth';

function build(props: Partial<WebAclProps> = {}, after?: (acl: WebAcl) => void): { json: Synthesized; acl: WebAcl } {
  let acl!: WebAcl;
  const { json } = synthConstructs((stack) => {
    acl = new WebAcl(stack, 'waf', { name: 'nva-api', ...props });
    after?.(acl);
  });
  return { json, acl };
}

const visibility = (metric_name: string) => ({ cloudwatch_metrics_enabled: true, metric_name, sampled_requests_enabled: true });
const managed = (name: string, priority: number) => ({
  name,
  priority,
  override_action: { none: {} },
  statement: { managed_rule_group_statement: { name, vendor_name: 'AWS' } },
  visibility_config: visibility(`nva-api-${name}`),
});

describe('WebAcl', () => {
  it('allows by default and blocks a per-IP flood first, then what three AWS managed rule groups catch', () => {
    const { json, acl } = build();
    const webAcl = onlyOf(json, 'aws_wafv2_web_acl');
    expect(webAcl).toMatchObject({ name: 'nva-api', scope: 'REGIONAL', default_action: { allow: {} }, visibility_config: visibility('nva-api'), tags: { Name: 'nva-api' } });
    expect(webAcl.rule).toEqual([
      {
        name: 'rate-limit-per-ip',
        priority: 0,
        action: { block: {} },
        statement: { rate_based_statement: { limit: 2000, aggregate_key_type: 'IP' } },
        visibility_config: visibility('nva-api-rate-limit-per-ip'),
      },
      managed('AWSManagedRulesCommonRuleSet', 1),
      managed('AWSManagedRulesKnownBadInputsRuleSet', 2),
      managed('AWSManagedRulesAmazonIpReputationList', 3),
    ]);
    expect(acl.capacityUnits).toBe(927);
  });

  it('takes the rule groups and the rate limit from its props', () => {
    const { json } = build({ managedRuleGroups: ['AWSManagedRulesSQLiRuleSet'], rateLimitPer5Min: 500 });
    const rules = onlyOf(json, 'aws_wafv2_web_acl').rule;
    expect(rules).toHaveLength(2);
    expect(rules[0].statement.rate_based_statement.limit).toBe(500);
    expect(rules[1]).toEqual(managed('AWSManagedRulesSQLiRuleSet', 1));
  });

  it('writes rule statements as nested blocks in HCL output as well', () => {
    const stack = testStack();
    new WebAcl(stack, 'waf', { name: 'nva-api' });
    const hcl = stack.toHclTerraform().hcl as string;
    expect(hcl).not.toMatch(/statement\s*=/);
    expect(hcl).toContain('statement {\nmanaged_rule_group_statement {\nname = "AWSManagedRulesCommonRuleSet"\nvendor_name = "AWS"\n}\n}');
    expect(hcl).toContain('statement {\nrate_based_statement {\nlimit = 2000\naggregate_key_type = "IP"\n}\n}');
    expect(hcl).toContain('override_action {\nnone {');
  });

  it('associates with regional resources', () => {
    const stage = 'arn:aws:apigateway:eu-west-1::/restapis/abc123/stages/v1';
    const { json } = build({}, (acl) => acl.associate('api', stage));
    const [key] = resourcesOf(json, 'aws_wafv2_web_acl')[0];
    expect(onlyOf(json, 'aws_wafv2_web_acl_association')).toEqual({ resource_arn: stage, web_acl_arn: `\${aws_wafv2_web_acl.${key}.arn}` });
  });

  it('counts blocked requests of every rule in its region', () => {
    expect(build().acl.metricBlockedRequests()).toEqual({
      namespace: 'AWS/WAFV2',
      metricName: 'BlockedRequests',
      dimensions: { WebACL: 'nva-api', Rule: 'ALL', Region: 'eu-west-1' },
      stat: 'Sum',
      label: 'nva-api blocked',
    });
  });

  it('is a CloudFront ACL only in us-east-1, and one that cannot be associated', () => {
    expect(errorOf(() => build({ scope: 'CLOUDFRONT' }))).toBe(
      'test/waf: scope: "CLOUDFRONT" needs the web ACL in us-east-1 (this one is in eu-west-1); CloudFront web ACLs live there: pass provider: stack.providerFor("us-east-1")',
    );
    const stack = new AwsStack(Testing.app(), 'edge', { region: 'us-east-1', project: 'test', environment: 'test', accountId: '123456789012' });
    const acl = new WebAcl(stack, 'waf', { name: 'edge', scope: 'CLOUDFRONT' });
    expect(acl.metricBlockedRequests().dimensions).toEqual({ WebACL: 'edge', Rule: 'ALL' });
    expect(errorOf(() => acl.associate('cdn', 'arn:aws:cloudfront::123456789012:distribution/E1'))).toBe(
      'edge/waf: associate: "arn:aws:cloudfront::123456789012:distribution/E1" cannot attach a CLOUDFRONT web ACL; set the distribution\'s web_acl_id to webAclArn instead',
    );
  });

  it('is created in us-east-1 through the stack\'s aliased provider when the stack is elsewhere', () => {
    const { json } = synthConstructs((stack) => {
      new WebAcl(stack, 'waf', { name: 'edge', scope: 'CLOUDFRONT', provider: stack.providerFor('us-east-1') });
      expect(stack.providerFor('us-east-1')).toBe(stack.providerFor('us-east-1'));
      expect(stack.providerFor('eu-west-1')).toBe(stack.provider);
    });
    expect(json.provider!.aws).toHaveLength(2);
    expect(onlyOf(json, 'aws_wafv2_web_acl')).toMatchObject({ scope: 'CLOUDFRONT', provider: 'aws.us_east_1' });
    const aliased = (json.provider!.aws as Record<string, any>[]).find((p) => p.alias === 'us_east_1');
    expect(aliased).toMatchObject({ region: 'us-east-1', default_tags: [{ tags: { Project: 'test', Environment: 'test', ManagedBy: 'terraform' } }] });
  });

  it('lists every bad prop in one message', () => {
    const message = errorOf(() => build({ name: 'nva api', managedRuleGroups: ['AWSManagedRulesCommonRuleSets', 'AWSManagedRulesBotControlRuleSet', 'AWSManagedRulesSQLiRuleSet', 'AWSManagedRulesSQLiRuleSet'], rateLimitPer5Min: 50 }));
    expect(message.split('\n')).toEqual([
      'test/waf: invalid props:',
      '  name: "nva api" is not a web ACL name (1-128 letters, digits, "-" and "_")',
      '  rateLimitPer5Min: 50 is out of range; allowed: 100 to 2000000000 requests',
      expect.stringMatching(/^ {2}managedRuleGroups\[0\]: "AWSManagedRulesCommonRuleSets" is not an AWS managed rule group this construct can add; did you mean "AWSManagedRulesCommonRuleSet"\?; allowed: AWSManagedRulesCommonRuleSet, /),
      expect.stringMatching(/^ {2}managedRuleGroups\[1\]: "AWSManagedRulesBotControlRuleSet" is not an AWS managed rule group this construct can add/),
      '  managedRuleGroups[3]: "AWSManagedRulesSQLiRuleSet" is given twice',
    ]);
    const all = ['AWSManagedRulesCommonRuleSet', 'AWSManagedRulesAdminProtectionRuleSet', 'AWSManagedRulesKnownBadInputsRuleSet', 'AWSManagedRulesSQLiRuleSet', 'AWSManagedRulesLinuxRuleSet', 'AWSManagedRulesUnixRuleSet', 'AWSManagedRulesWindowsRuleSet', 'AWSManagedRulesPHPRuleSet', 'AWSManagedRulesWordPressRuleSet', 'AWSManagedRulesAmazonIpReputationList', 'AWSManagedRulesAnonymousIpList'];
    expect(build({ managedRuleGroups: all }).acl.capacityUnits).toBe(1977);
  });
});

describe('WebAcl request logging', () => {
  it('logs to aws-waf-logs-<name> with the credentials headers redacted', () => {
    const { json, acl } = build({ logging: {} });
    expect(onlyOf(json, 'aws_cloudwatch_log_group')).toMatchObject({ name: 'aws-waf-logs-nva-api', retention_in_days: 30 });
    const config = onlyOf(json, 'aws_wafv2_web_acl_logging_configuration');
    expect(config.resource_arn).toMatch(/^\$\{aws_wafv2_web_acl\.[\w-]+\.arn\}$/);
    expect(config.log_destination_configs).toEqual([expect.stringMatching(/^\$\{aws_cloudwatch_log_group\.[\w-]+\.arn\}$/)]);
    expect(config.redacted_fields).toEqual(['authorization', 'cookie', 'x-api-key'].map((name) => ({ single_header: { name } })));
    expect(acl.logs).toBeDefined();
  });

  it('keeps what it is told to, and logs nothing unless asked', () => {
    const { json } = build({ logging: { retentionDays: 90, redactedHeaders: ['x-token'] } });
    expect(onlyOf(json, 'aws_cloudwatch_log_group').retention_in_days).toBe(90);
    expect(onlyOf(json, 'aws_wafv2_web_acl_logging_configuration').redacted_fields).toEqual([{ single_header: { name: 'x-token' } }]);
    expect(resourcesOf(build().json, 'aws_wafv2_web_acl_logging_configuration')).toEqual([]);
  });

  it('logs a CloudFront ACL into a us-east-1 group, through the same provider as the ACL', () => {
    const { json } = synthConstructs((stack) => {
      new WebAcl(stack, 'waf', { name: 'edge', scope: 'CLOUDFRONT', provider: stack.providerFor('us-east-1'), logging: {} });
    });
    expect(onlyOf(json, 'aws_cloudwatch_log_group')).toMatchObject({ name: 'aws-waf-logs-edge', provider: 'aws.us_east_1' });
    expect(onlyOf(json, 'aws_wafv2_web_acl_logging_configuration').provider).toBe('aws.us_east_1');
  });

  it('refuses header names WAF would not match', () => {
    expect(errorOf(() => build({ logging: { redactedHeaders: ['X-Api-Key'] } }))).toContain('logging.redactedHeaders[0]: "X-Api-Key" is not a lower-case HTTP header name');
  });
});
