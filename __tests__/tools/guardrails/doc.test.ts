/**
 * The rules section of docs/guardrails.md is what `npm run guardrails-doc` generates from the rule pack,
 * and the rule pack is documentable: stable unique ids, a severity, a one-line title and rationale,
 * and the checkov and cdk-nag rules each corresponds to (ids confirmed against their sources), each
 * with how the rule compares with it (and why, when the rule is narrower), or the reason there is
 * none.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Counterpart, RULES, Rule } from '../../../tools/guardrails';
import { GUARDRAILS_DOC, guardrailsSection, sectionOf, withSection } from '../../../tools/guardrails/doc';

const ROOT = path.join(__dirname, '..', '..', '..');

/**
 * checkov checks the rules name, each confirmed in checkov's source (bridgecrewio/checkov,
 * checkov/terraform/checks, commit 03d5fdad8d): add an id here only after finding its check there.
 */
const CHECKOV = new Set([
  'CKV_AWS_2', 'CKV_AWS_7', 'CKV_AWS_8', 'CKV_AWS_18', 'CKV_AWS_19', 'CKV_AWS_20', 'CKV_AWS_21', 'CKV_AWS_23', 'CKV_AWS_24', 'CKV_AWS_25',
  'CKV_AWS_26', 'CKV_AWS_27', 'CKV_AWS_28', 'CKV_AWS_32', 'CKV_AWS_33', 'CKV_AWS_40', 'CKV_AWS_42', 'CKV_AWS_45', 'CKV_AWS_50', 'CKV_AWS_51',
  'CKV_AWS_53', 'CKV_AWS_54', 'CKV_AWS_55', 'CKV_AWS_56', 'CKV_AWS_59', 'CKV_AWS_60', 'CKV_AWS_62', 'CKV_AWS_63', 'CKV_AWS_65', 'CKV_AWS_66',
  'CKV_AWS_70', 'CKV_AWS_73', 'CKV_AWS_76', 'CKV_AWS_79', 'CKV_AWS_88', 'CKV_AWS_91', 'CKV_AWS_97', 'CKV_AWS_103', 'CKV_AWS_116', 'CKV_AWS_119',
  'CKV_AWS_131', 'CKV_AWS_136', 'CKV_AWS_145', 'CKV_AWS_149', 'CKV_AWS_150', 'CKV_AWS_158', 'CKV_AWS_163', 'CKV_AWS_168', 'CKV_AWS_169', 'CKV_AWS_173', 'CKV_AWS_184', 'CKV_AWS_210', 'CKV_AWS_249', 'CKV_AWS_258', 'CKV_AWS_260',
  'CKV_AWS_261', 'CKV_AWS_274', 'CKV_AWS_276', 'CKV_AWS_277', 'CKV_AWS_286', 'CKV_AWS_300', 'CKV_AWS_301', 'CKV_AWS_309', 'CKV_AWS_315', 'CKV_AWS_328',
  'CKV_AWS_329', 'CKV_AWS_330', 'CKV_AWS_333', 'CKV_AWS_334', 'CKV_AWS_335', 'CKV_AWS_336', 'CKV_AWS_341', 'CKV_AWS_363', 'CKV_AWS_364', 'CKV_AWS_387',
  'CKV2_AWS_6', 'CKV2_AWS_11', 'CKV2_AWS_12', 'CKV2_AWS_18', 'CKV2_AWS_20', 'CKV2_AWS_64', 'CKV2_AWS_65',
]);

/**
 * cdk-nag rules the rules name, each confirmed in cdk-nag's packs (cdklabs/cdk-nag, src/packs,
 * commit ca6d1b54): `<pack name>-<rule suffix>`, where the pack names are AwsSolutions,
 * NIST.800.53.R4, NIST.800.53.R5, HIPAA.Security, PCI.DSS.321 and Serverless.
 */
const CDK_NAG = new Set([
  'AwsSolutions-APIG1', 'AwsSolutions-APIG4', 'AwsSolutions-DDB3', 'AwsSolutions-EC23', 'AwsSolutions-EC26', 'AwsSolutions-EC27', 'AwsSolutions-ECR1',
  'AwsSolutions-ECS2', 'AwsSolutions-ECS4', 'AwsSolutions-ECS7', 'AwsSolutions-EFS1', 'AwsSolutions-ELB2', 'AwsSolutions-IAM4', 'AwsSolutions-KMS5',
  'AwsSolutions-L1', 'AwsSolutions-S1', 'AwsSolutions-S10', 'AwsSolutions-S2', 'AwsSolutions-SNS3', 'AwsSolutions-SQS2', 'AwsSolutions-SQS3',
  'AwsSolutions-SQS4', 'AwsSolutions-VPC7',
  // The NIST 800-53 R5 pack has no invalid-header rule; R4, HIPAA and PCI do.
  'NIST.800.53.R4-ALBHttpDropInvalidHeaderEnabled', 'HIPAA.Security-ALBHttpDropInvalidHeaderEnabled', 'PCI.DSS.321-ALBHttpDropInvalidHeaderEnabled',
  'NIST.800.53.R5-ALBHttpToHttpsRedirection', 'NIST.800.53.R5-CloudWatchAlarmAction', 'NIST.800.53.R5-CloudWatchLogGroupEncrypted', 'NIST.800.53.R5-CloudWatchLogGroupRetentionPeriod',
  'NIST.800.53.R5-EC2IMDSv2Enabled', 'NIST.800.53.R5-EC2InstanceNoPublicIp', 'NIST.800.53.R5-EFSInBackupPlan', 'NIST.800.53.R5-ELBDeletionProtectionEnabled',
  'NIST.800.53.R5-IAMPolicyNoStatementsWithAdminAccess', 'NIST.800.53.R5-IAMPolicyNoStatementsWithFullAccess',
  'NIST.800.53.R5-IAMUserNoPolicies', 'NIST.800.53.R5-LambdaFunctionPublicAccessProhibited', 'NIST.800.53.R5-S3BucketPublicReadProhibited',
  'NIST.800.53.R5-S3BucketVersioningEnabled', 'NIST.800.53.R5-S3DefaultEncryptionKMS', 'NIST.800.53.R5-SecretsManagerUsingKMSKey', 'NIST.800.53.R5-SNSEncryptedKMS', 'NIST.800.53.R5-VPCDefaultSecurityGroupClosed',
  'Serverless-APIGWDefaultThrottling', 'Serverless-APIGWXrayEnabled', 'Serverless-CloudWatchLogGroupRetentionPeriod', 'Serverless-LambdaDLQ', 'Serverless-LambdaTracing',
]);

/**
 * Mappings known to be wrong, to be fixed in tools/guardrails/rules (then removed from here): the
 * test fails both when another wrong id appears and when one of these is fixed.
 */
const KNOWN_WRONG: readonly string[] = [];

/**
 * Rules with neither a checkov nor a cdk-nag counterpart (none exists in either source at the
 * commits above) that do not say so yet with `noEquivalent`; each should get its reason in
 * tools/guardrails/rules and leave this list.
 */
const PENDING_NO_EQUIVALENT: readonly string[] = [];

function idsOf(list: readonly Counterpart[] | undefined): string[] {
  return (list ?? []).map((c) => c.id);
}

/** Every check a rule names, with the tool that has it. */
function counterpartsOf(r: Rule): { rule: string; tool: string; c: Counterpart }[] {
  return [...(r.checkov ?? []).map((c) => ({ rule: r.id, tool: 'checkov', c })), ...(r.cdkNag ?? []).map((c) => ({ rule: r.id, tool: 'cdkNag', c }))];
}

/** The problems with how a rule says it compares with a check it names. */
function relationProblems({ rule, tool, c }: { rule: string; tool: string; c: Counterpart }): string[] {
  const at = `${rule} ${tool} ${c.id}`;
  const relation = (c as { relation?: unknown }).relation;
  if (!['equivalent', 'broader', 'narrower'].includes(relation as string)) return [`${at}: relation ${JSON.stringify(relation)} is not equivalent, broader or narrower`];
  if (c.difference === undefined) return relation === 'narrower' ? [`${at}: narrower with no difference saying why`] : [];
  return /^\S[^\n]*\.$/.test(c.difference) && c.difference.length >= 20 ? [] : [`${at}: difference ${JSON.stringify(c.difference)} is not one sentence of 20 characters or more`];
}

describe('the rules section of docs/guardrails.md', () => {
  it('is what npm run guardrails-doc generates from the rule pack', () => {
    const page = fs.readFileSync(path.join(ROOT, GUARDRAILS_DOC), 'utf8');
    const committed = sectionOf(page);
    if (committed !== guardrailsSection()) throw new Error(`the rules section of ${GUARDRAILS_DOC} is out of date: run npm run guardrails-doc`);
  });

  it('lists every rule once, with its severity and mappings', () => {
    const section = guardrailsSection();
    for (const r of RULES) expect(section.split('\n').filter((l) => l.startsWith(`| \`${r.id}\` | ${r.severity} | `))).toHaveLength(1);
    expect(section).toContain('| `AWS-S3-002` | error | Buckets block all public access |');
    expect(section).toContain(
      '| `CKV_AWS_53` (broader: CKV_AWS_53 to 56 each check one flag of a public access block; this rule checks all four, and that every bucket has a block)<br>`CKV_AWS_54` (broader)<br>`CKV_AWS_55` (broader)<br>`CKV_AWS_56` (broader)<br>`CKV2_AWS_6` (broader: CKV2_AWS_6 asks for block_public_acls and block_public_policy only) | `AwsSolutions-S2` (broader: cdk-nag passes a bucket with no public access block at all)<br>',
    );
    expect(section).toContain("Guardrails.suppress(construct, 'AWS-XXX-NNN', 'why this finding is intended here');");
  });

  it('shows the reason a rule has no checkov or cdk-nag counterpart, and escapes table pipes', () => {
    const rule: Rule = { id: 'AWS-TF-999', severity: 'warning', title: 'A | B', rationale: 'Why.', noEquivalent: 'both tools check resources, not variables', types: [], check: () => undefined };
    expect(guardrailsSection([rule])).toContain('| `AWS-TF-999` | warning | A \\| B | Why. *No checkov or cdk-nag equivalent: both tools check resources, not variables.* | - | - |');
  });

  it('shows each check a rule names with how the rule compares, and why when it is narrower', () => {
    const rule: Rule = {
      id: 'AWS-ALB-999',
      severity: 'warning',
      title: 'T',
      rationale: 'Why.',
      checkov: [
        { id: 'CKV_AWS_91', relation: 'narrower', difference: 'Production only: a demo | staging load balancer is torn down with its stack.' },
        { id: 'CKV_AWS_92', relation: 'equivalent' },
      ],
      cdkNag: [{ id: 'AwsSolutions-ELB2', relation: 'broader' }],
      types: [],
      check: () => undefined,
    };
    expect(guardrailsSection([rule])).toContain('| `AWS-ALB-999` | warning | T | Why. | `CKV_AWS_91` (narrower: Production only: a demo \\| staging load balancer is torn down with its stack)<br>`CKV_AWS_92` (equivalent) | `AwsSolutions-ELB2` (broader) |');
  });

  it('replaces only the text between the markers', () => {
    const page = 'intro\n<!-- guardrails:begin (generated) -->\nold\ntext\n<!-- guardrails:end -->\noutro\n';
    expect(withSection(page, 'new\n')).toBe('intro\n<!-- guardrails:begin (generated) -->\nnew\n<!-- guardrails:end -->\noutro\n');
    expect(sectionOf(withSection(page, 'new\n'))).toBe('new\n');
    expect(() => withSection('no markers', 'x')).toThrow(/has no "<!-- guardrails:begin \.\.\. -->" line followed by "<!-- guardrails:end -->"/);
  });
});

describe('the rule pack', () => {
  it('has at least 50 rules with unique ids of the form AWS-<SERVICE>-<NNN>', () => {
    expect(RULES.length).toBeGreaterThanOrEqual(50);
    expect(RULES.filter((r) => !/^AWS-[A-Z0-9]+-\d{3}$/.test(r.id)).map((r) => r.id)).toEqual([]);
    const seen = new Set<string>();
    expect(RULES.filter((r) => seen.has(r.id) || !seen.add(r.id)).map((r) => r.id)).toEqual([]);
  });

  it('gives every rule a severity, a title without a final period and a one-line rationale ending with one', () => {
    const bad = RULES.flatMap((r) => [
      ...(['error', 'warning', 'gate'].includes(r.severity) ? [] : [`${r.id}: severity ${JSON.stringify(r.severity)}`]),
      ...(r.title.trim() && !r.title.endsWith('.') ? [] : [`${r.id}: title ${JSON.stringify(r.title)}`]),
      ...(/^\S[^\n]*\.$/.test(r.rationale) && r.rationale.length >= 30 ? [] : [`${r.id}: rationale ${JSON.stringify(r.rationale)}`]),
      ...(r.types.length > 0 ? [] : [`${r.id}: inspects no resource type`]),
    ]);
    expect(bad).toEqual([]);
  });

  it('names checkov and cdk-nag rules that exist', () => {
    const wrong = RULES.flatMap((r) => [
      ...idsOf(r.checkov).filter((id) => !CHECKOV.has(id)).map((id) => `${r.id} checkov ${id}`),
      ...idsOf(r.cdkNag).filter((id) => !CDK_NAG.has(id)).map((id) => `${r.id} cdkNag ${id}`),
    ]);
    expect(wrong).toEqual(KNOWN_WRONG);
  });

  it('maps every rule to checkov or cdk-nag, or says why neither has one', () => {
    const mapped = (r: Rule) => counterpartsOf(r).length > 0;
    expect(RULES.filter((r) => r.noEquivalent !== undefined && mapped(r)).map((r) => `${r.id}: noEquivalent with a mapping`)).toEqual([]);
    expect(RULES.filter((r) => r.noEquivalent !== undefined && r.noEquivalent.trim().length < 20).map((r) => `${r.id}: noEquivalent too short`)).toEqual([]);
    expect(RULES.filter((r) => !mapped(r) && !r.noEquivalent).map((r) => r.id)).toEqual(PENDING_NO_EQUIVALENT);
  });

  it('says for every check a rule names whether the rule is equivalent, broader or narrower, and why when narrower', () => {
    expect(RULES.flatMap(counterpartsOf).flatMap(relationProblems)).toEqual([]);
    expect(RULES.flatMap((r) => counterpartsOf(r).filter(({ c }, i, all) => all.findIndex((o) => o.c.id === c.id) !== i).map(({ c }) => `${r.id}: ${c.id} named twice`))).toEqual([]);
  });

  it('fails a rule that names a check without a relation, or a narrower one without a difference', () => {
    const rule = (c: object) => ({ rule: 'AWS-X-001', tool: 'checkov', c: c as Counterpart });
    expect(relationProblems(rule({ id: 'CKV_AWS_1' }))).toEqual(['AWS-X-001 checkov CKV_AWS_1: relation undefined is not equivalent, broader or narrower']);
    expect(relationProblems(rule({ id: 'CKV_AWS_1', relation: 'narrower' }))).toEqual(['AWS-X-001 checkov CKV_AWS_1: narrower with no difference saying why']);
    expect(relationProblems(rule({ id: 'CKV_AWS_1', relation: 'narrower', difference: 'prod' }))).toEqual(['AWS-X-001 checkov CKV_AWS_1: difference "prod" is not one sentence of 20 characters or more']);
    expect(relationProblems(rule({ id: 'CKV_AWS_1', relation: 'narrower', difference: 'Production only: demos answer HTTP.' }))).toEqual([]);
    expect(relationProblems(rule({ id: 'CKV_AWS_1', relation: 'equivalent' }))).toEqual([]);
  });
});
