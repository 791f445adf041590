/**
 * One customer managed key per stack: it encrypts every log group of the stack's region, every
 * secret, every function environment and the alarm topic; the repositories and the search index
 * file system only when asked (a key on an existing one replaces it). The ECS stacks' key takes
 * over 0.5's alarm key in place, and whoever reads a secret may decrypt with it.
 */
import { TerraformStack } from 'cdktf';
import { check } from '../../tools/guardrails';
import { allOf, buildStack, errorOf, resourcesOf, statementsOf, synth } from '../helpers/synth';

const ECS_STACKS = ['artwork-matcher-demo', 'artwork-matcher-production', 'vision-validator', 'karmacadabra', 'ai-predictor'];
const KEY = 'aws_kms_key.key_F64E54E4';
const KEY_ARN = `\${${KEY}.arn}`;

function synthesized(name: string, overrides: Record<string, unknown> = {}) {
  return synth(buildStack<TerraformStack>(name, { stacks: { [name]: overrides } }));
}

describe.each(ECS_STACKS)('%s', (name) => {
  const { json, document } = synthesized(name);

  it('has one stack key, which takes over 0.5\'s alarm key in place', () => {
    const keys = resourcesOf(json, 'aws_kms_key').map(([id]) => `aws_kms_key.${id}`);
    expect(keys.filter((k) => k !== 'aws_kms_key.backup-key_3D56A38B')).toEqual([KEY]);
    expect((document as { moved?: unknown[] }).moved).toEqual([{ from: 'aws_kms_key.monitoring_alarms-key_9183C15A', to: KEY }]);
    expect(resourcesOf(json, 'aws_kms_alias').map(([, a]) => a.name)).toContain(`alias/${json.resource!.aws_kms_key.key_F64E54E4.tags.Name}`);
  });

  it('encrypts every log group, secret and the alarm topic with it, and lets CloudWatch Logs use it for those groups only', () => {
    const groups = allOf(json, 'aws_cloudwatch_log_group');
    expect(groups.length).toBeGreaterThan(0);
    for (const g of groups) expect({ group: g.name, key: g.kms_key_id }).toEqual({ group: g.name, key: KEY_ARN });
    for (const s of allOf(json, 'aws_secretsmanager_secret')) expect({ secret: s.name, key: s.kms_key_id }).toEqual({ secret: s.name, key: KEY_ARN });
    expect(allOf(json, 'aws_sns_topic').map((t) => t.kms_master_key_id)).toEqual([KEY_ARN]);
    const logStatements = statementsOf(json.resource!.aws_kms_key.key_F64E54E4).filter((st) => /^logs\./.test(st.Principal?.Service ?? ''));
    expect(logStatements.map((st) => st.Condition.ArnLike['kms:EncryptionContext:aws:logs:arn'].split(':log-group:')[1]).sort()).toEqual(groups.map((g) => g.name).sort());
  });

  it('lets every role that reads a secret decrypt with the key', () => {
    const policies = allOf(json, 'aws_iam_role_policy').map((p) => statementsOf(p));
    const readers = policies.filter((st) => st.some((x) => [x.Action].flat().includes('secretsmanager:GetSecretValue')));
    if (allOf(json, 'aws_secretsmanager_secret').length > 0) expect(readers.length).toBeGreaterThan(0);
    for (const st of readers) expect(st).toContainEqual({ Effect: 'Allow', Action: ['kms:Decrypt'], Resource: KEY_ARN });
  });

  it('leaves no customer-key finding open: repositories and file systems keep their own encryption with a reason', () => {
    const findings = check(document).filter((f) => ['AWS-LOG-002', 'AWS-SM-003', 'AWS-LMB-008', 'AWS-ECR-005', 'AWS-EFS-004'].includes(f.rule));
    expect(findings.filter((f) => !f.suppressed)).toEqual([]);
    for (const f of findings) expect([f.rule, f.suppressed]).toEqual([f.rule, expect.stringMatching(/replaces it/)]);
  });
});

describe('asking for the key on repositories and the index file system', () => {
  it('encrypts the repositories and the file system with the stack key, with no suppression left', () => {
    const { json, document } = synthesized('artwork-matcher-demo', { ecr: { customerManagedKey: true }, searchIndexer: { customerManagedKey: true } });
    for (const r of allOf(json, 'aws_ecr_repository')) expect(r.encryption_configuration).toEqual([{ encryption_type: 'KMS', kms_key: KEY_ARN }]);
    expect(allOf(json, 'aws_efs_file_system').map((f) => f.kms_key_id)).toEqual([KEY_ARN]);
    expect(check(document).filter((f) => ['AWS-ECR-005', 'AWS-EFS-004'].includes(f.rule))).toEqual([]);
    expect(json.resource!.aws_kms_key.key_F64E54E4.description).toBe('Encrypts the artwork-matcher-demo log groups, secrets, function environments and alarm topic, repositories, file systems');
  });

  it('keeps the key for the logs when the alarms go to an existing topic', () => {
    const { json } = synthesized('ai-predictor', { monitoring: { alarmTopicArn: 'arn:aws:sns:us-east-1:123456789012:oncall' } });
    expect(Object.keys(json.resource!.aws_kms_key)).toEqual(['key_F64E54E4']);
    for (const g of allOf(json, 'aws_cloudwatch_log_group')) expect(g.kms_key_id).toBe(KEY_ARN);
  });

  it('refuses nutrition\'s repositories key without its stack key', () => {
    expect(errorOf(() => synthesized('nutrition-video-analysis', { enableEncryption: false, ecr: { customerManagedKey: true } }))).toBe(
      'invalid settings for stack "nutrition-video-analysis":\n  ecr.customerManagedKey: true has no effect with enableEncryption false (the stack\'s key exists only with it); set enableEncryption true or remove it',
    );
  });
});

describe('a CloudFront web ACL\'s logs', () => {
  it('stay in us-east-1 without the stack key (keys are regional), with the reason in the report', () => {
    const { json, document } = synthesized('artwork-matcher-demo', { cloudfront: { enabled: true }, waf: { enabled: true } });
    const groups = allOf(json, 'aws_cloudwatch_log_group');
    const edge = groups.filter((g) => g.provider === 'aws.us_east_1');
    expect(edge.map((g) => [g.name.startsWith('aws-waf-logs-'), g.kms_key_id])).toEqual([[true, undefined]]);
    const finding = check(document).find((f) => f.rule === 'AWS-LOG-002');
    expect(finding?.suppressed).toMatch(/us-east-1, where the stack has no key/);
  });
});
