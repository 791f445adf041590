import { Construct } from 'constructs';
import { Token } from 'cdktf';
import { Wafv2WebAcl, Wafv2WebAclRule } from '@cdktf/provider-aws/lib/wafv2-web-acl';
import { Wafv2WebAclAssociation } from '@cdktf/provider-aws/lib/wafv2-web-acl-association';
import { Wafv2WebAclLoggingConfiguration } from '@cdktf/provider-aws/lib/wafv2-web-acl-logging-configuration';
import { Guardrails } from '../core/suppressions';
import { LogGroup } from '../observability/logs';
import type { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { AwsStack } from '../core/aws-stack';
import { didYouMean } from '../core/format';
import { Metric } from '../core/metric';
import { nameTags } from '../core/tags';
import { PropsValidator, isArn } from '../core/validation';

/**
 * AWS managed rule groups the construct can add without configuration, with their capacity in
 * web ACL capacity units (WCU). Bot Control, account takeover and account creation fraud
 * prevention need configuration this construct does not model.
 */
export const MANAGED_RULE_GROUP_WCU: Readonly<Record<string, number>> = {
  AWSManagedRulesCommonRuleSet: 700,
  AWSManagedRulesAdminProtectionRuleSet: 100,
  AWSManagedRulesKnownBadInputsRuleSet: 200,
  AWSManagedRulesSQLiRuleSet: 200,
  AWSManagedRulesLinuxRuleSet: 200,
  AWSManagedRulesUnixRuleSet: 100,
  AWSManagedRulesWindowsRuleSet: 200,
  AWSManagedRulesPHPRuleSet: 100,
  AWSManagedRulesWordPressRuleSet: 100,
  AWSManagedRulesAmazonIpReputationList: 25,
  AWSManagedRulesAnonymousIpList: 50,
};

/** The managed rule groups of a web ACL unless told otherwise. */
export const DEFAULT_MANAGED_RULE_GROUPS = ['AWSManagedRulesCommonRuleSet', 'AWSManagedRulesKnownBadInputsRuleSet', 'AWSManagedRulesAmazonIpReputationList'];

/** Name of the rate-based rule. */
const RATE_LIMIT_RULE = 'rate-limit-per-ip';

/** Capacity of a rate-based rule on IP addresses, and the most a web ACL can hold. */
const RATE_RULE_WCU = 2;
const MAX_WCU = 5000;

export interface WebAclProps {
  /** Web ACL name (1-128 letters, digits, "-" and "_"); also its CloudWatch metric name. */
  readonly name: string;
  /**
   * `REGIONAL` protects API Gateway stages, load balancers and the like in the stack's region;
   * `CLOUDFRONT` protects distributions and must be created in us-east-1.
   * @default "REGIONAL"
   */
  readonly scope?: 'REGIONAL' | 'CLOUDFRONT';
  /**
   * AWS managed rule groups (vendor AWS), evaluated in this order, in count-or-block mode as AWS
   * defines them (override action none). Their capacity adds up to at most 5000 WCU (above 1500
   * AWS charges extra).
   * @default ["AWSManagedRulesCommonRuleSet", "AWSManagedRulesKnownBadInputsRuleSet", "AWSManagedRulesAmazonIpReputationList"]
   */
  readonly managedRuleGroups?: readonly string[];
  /**
   * Requests one IP address may send in any 5 minutes before it is blocked (100-2000000000); the
   * rate-based rule is evaluated first.
   * @default 2000
   */
  readonly rateLimitPer5Min?: number;
  /**
   * AWS provider to create the web ACL with: a CLOUDFRONT web ACL of a stack in another region
   * needs the stack's us-east-1 provider (`AwsStack.providerFor("us-east-1")`).
   * @default - the stack's provider
   */
  readonly provider?: AwsProvider;
  /**
   * Logs every request the ACL evaluates (with the rule that decided it) to a CloudWatch log group
   * `aws-waf-logs-<name>` (WAF requires the prefix), headers named in `redactedHeaders` replaced by
   * `REDACTED`; a CLOUDFRONT ACL's group is in us-east-1 with it (its `provider`). CloudWatch
   * ingestion bills per GB (about 0.50 USD).
   * @default - no logging
   */
  readonly logging?: WebAclLoggingOptions;
}

/** Request logging of a web ACL (`WebAclProps.logging`). */
export interface WebAclLoggingOptions {
  /** Days the log group keeps requests (a CloudWatch retention). @default 30 */
  readonly retentionDays?: number;
  /**
   * Request headers (lower case) whose values never reach the logs: credentials clients send.
   * @default ["authorization", "cookie", "x-api-key"]
   */
  readonly redactedHeaders?: readonly string[];
}

/** Headers a WAF log never shows by default: what carries a client's credentials. */
export const DEFAULT_REDACTED_HEADERS: readonly string[] = ['authorization', 'cookie', 'x-api-key'];

/**
 * A WAFv2 web ACL that allows by default and blocks what AWS managed rule groups and a per-IP rate
 * limit catch, with CloudWatch metrics and sampled requests for the ACL and every rule.
 * `associate` attaches it to a regional resource (an API Gateway stage, a load balancer).
 */
export class WebAcl extends Construct {
  /** The web ACL resource. */
  public readonly resource: Wafv2WebAcl;
  public readonly webAclArn: string;
  public readonly webAclId: string;
  /** Capacity the rules use, in WCU. */
  public readonly capacityUnits: number;
  /** `REGIONAL` (API Gateway stages, load balancers) or `CLOUDFRONT` (distributions). */
  public readonly scope: 'REGIONAL' | 'CLOUDFRONT';
  /** The log group of the ACL's request logs, when `logging` is on. */
  public readonly logs?: LogGroup;
  private readonly name: string;

  constructor(scope: Construct, id: string, props: WebAclProps) {
    super(scope, id);
    const aclScope = props.scope ?? 'REGIONAL';
    const groups = props.managedRuleGroups ?? DEFAULT_MANAGED_RULE_GROUPS;
    const limit = props.rateLimitPer5Min ?? 2000;
    const known = Object.keys(MANAGED_RULE_GROUP_WCU);
    const region = props.provider?.region ?? AwsStack.of(this).region;
    const v = new PropsValidator(this)
      .matches('name', props.name, /^[A-Za-z0-9_-]{1,128}$/, 'a web ACL name (1-128 letters, digits, "-" and "_")')
      .oneOf('scope', props.scope, ['REGIONAL', 'CLOUDFRONT'])
      .check(Number.isInteger(limit), 'rateLimitPer5Min', limit, 'is not a whole number of requests')
      .range('rateLimitPer5Min', limit, 100, 2000000000, 'requests');
    groups.forEach((g, i) => {
      v.check(known.includes(g), `managedRuleGroups[${i}]`, g, `is not an AWS managed rule group this construct can add${didYouMean(g, known)}; allowed: ${known.join(', ')}`);
      v.check(groups.indexOf(g) === i, `managedRuleGroups[${i}]`, g, 'is given twice');
    });
    const wcu = RATE_RULE_WCU + groups.reduce((n, g) => n + (MANAGED_RULE_GROUP_WCU[g] ?? 0), 0);
    v.check(wcu <= MAX_WCU, 'managedRuleGroups', groups, `need ${wcu} WCU with the rate rule; a web ACL holds at most ${MAX_WCU}`);
    if (aclScope === 'CLOUDFRONT') v.check(region === 'us-east-1', 'scope', aclScope, `needs the web ACL in us-east-1 (this one is in ${region}); CloudFront web ACLs live there: pass provider: stack.providerFor("us-east-1")`);
    v.throwIfInvalid();
    this.name = props.name;
    this.scope = aclScope;
    this.capacityUnits = wcu;

    const visibility = (metricName: string) => ({ cloudwatchMetricsEnabled: true, metricName, sampledRequestsEnabled: true });
    const rules: Wafv2WebAclRule[] = [
      {
        name: RATE_LIMIT_RULE,
        priority: 0,
        action: { block: {} },
        statement: { rate_based_statement: { limit, aggregate_key_type: 'IP' } },
        visibilityConfig: visibility(`${props.name}-${RATE_LIMIT_RULE}`),
      },
      ...groups.map((group, i) => ({
        name: group,
        priority: i + 1,
        overrideAction: { none: {} },
        statement: { managed_rule_group_statement: { name: group, vendor_name: 'AWS' } },
        visibilityConfig: visibility(`${props.name}-${group}`),
      })),
    ];
    this.resource = new WebAclResource(this, 'this', {
      name: props.name,
      description: `Managed rule groups and a per-IP rate limit of ${limit} requests in 5 minutes`,
      scope: aclScope,
      defaultAction: { allow: {} },
      rule: rules,
      visibilityConfig: visibility(props.name),
      tags: nameTags(props.name),
      provider: props.provider,
    });
    this.webAclArn = this.resource.arn;
    this.webAclId = this.resource.id;
    if (props.logging) this.logs = this.addLogging(props.name, props.logging, props.provider);
  }

  private addLogging(name: string, o: WebAclLoggingOptions, provider: AwsProvider | undefined): LogGroup {
    const headers = o.redactedHeaders ?? DEFAULT_REDACTED_HEADERS;
    const v = new PropsValidator(this);
    headers.forEach((h, i) => v.matches(`logging.redactedHeaders[${i}]`, h, /^[a-z0-9!#$%&'*+.^_`|~-]{1,64}$/, 'a lower-case HTTP header name'));
    v.check(headers.length <= 100, 'logging.redactedHeaders', headers, 'has more than 100 entries; WAF redacts at most 100 fields');
    v.throwIfInvalid();
    // WAF's own name rule for a log destination: aws-waf-logs-<anything>.
    const logs = new LogGroup(this, 'logs', { name: `aws-waf-logs-${name}`, retentionDays: o.retentionDays ?? 30, provider });
    if (provider && !logs.kmsKey) Guardrails.suppress(logs, 'AWS-LOG-002', 'the logs of a CloudFront web ACL live in us-east-1, where the stack has no key (KMS keys are regional); CloudWatch Logs encrypts them with its own key');
    new Wafv2WebAclLoggingConfiguration(this, 'logging', {
      provider,
      resourceArn: this.webAclArn,
      logDestinationConfigs: [logs.logGroupArn],
      redactedFields: headers.map((h) => ({ singleHeader: { name: h } })),
    });
    return logs;
  }

  /** Protects a regional resource (an API Gateway stage ARN, a load balancer ARN, ...). */
  public associate(id: string, resourceArn: string): Wafv2WebAclAssociation {
    new PropsValidator(this)
      .check(this.scope === 'REGIONAL', 'associate', resourceArn, 'cannot attach a CLOUDFRONT web ACL; set the distribution\'s web_acl_id to webAclArn instead')
      .check(Token.isUnresolved(resourceArn) || isArn(resourceArn), 'associate.resourceArn', resourceArn, 'is not an ARN')
      .throwIfInvalid();
    return new Wafv2WebAclAssociation(this, id, { resourceArn, webAclArn: this.webAclArn });
  }

  /** Requests the ACL blocked (every rule), summed. */
  public metricBlockedRequests(): Metric {
    const dimensions: Record<string, string> = { WebACL: this.name, Rule: 'ALL' };
    if (this.scope === 'REGIONAL') dimensions.Region = AwsStack.of(this).region;
    return { namespace: 'AWS/WAFV2', metricName: 'BlockedRequests', dimensions, stat: 'Sum', label: `${this.name} blocked` };
  }
}

/** An HCL attribute with the rendering hints cdktf's HCL writer reads. */
interface HclAttribute {
  readonly value: unknown;
  readonly isBlock: boolean;
  readonly type: 'list';
  readonly storageClassType: string;
}

/**
 * `aws_wafv2_web_acl` whose rule statements are written as nested blocks in HCL output too. The
 * provider binding types `statement` as `any` (its schema is too deep to generate), so cdktf
 * writes `statement = { ... }`, an attribute Terraform rejects ("An argument named "statement" is
 * not expected here"); JSON output is not affected. Every object inside a WAF statement is a block.
 */
class WebAclResource extends Wafv2WebAcl {
  protected synthesizeHclAttributes(): { [name: string]: any } {
    const attrs = super.synthesizeHclAttributes();
    const rules = attrs.rule?.value;
    if (Array.isArray(rules)) {
      for (const rule of rules) {
        const statement = rule?.statement?.value;
        if (statement && typeof statement === 'object' && !Token.isUnresolved(statement)) rule.statement = hclBlock(statement);
      }
    }
    return attrs;
  }
}

function hclBlock(value: object | object[]): HclAttribute {
  const body = (o: object) => Object.fromEntries(Object.entries(o).filter(([, x]) => x !== undefined).map(([k, x]) => [k, hclValue(x)]));
  return { value: Array.isArray(value) ? value.map(body) : body(value), isBlock: true, type: 'list', storageClassType: 'block' };
}

function hclValue(x: unknown): unknown {
  if (x !== null && typeof x === 'object' && !Token.isUnresolved(x)) {
    if (!Array.isArray(x)) return hclBlock(x);
    if (x.length > 0 && x.every((e) => e !== null && typeof e === 'object')) return hclBlock(x);
  }
  return x;
}
