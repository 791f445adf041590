import { TerraformVariable, Testing } from 'cdktf';
import { AwsStack } from '../../../src/core/aws-stack';
import { ServiceRole } from '../../../src/security/iam';
import type { ISecretSource } from '../../../src/compute/ecs-service';
import { SecretsmanagerSecret } from '@cdktf/provider-aws/lib/secretsmanager-secret';
import { EncryptionKey } from '../../../src/security/kms';
import { SecretValue, SecretValueProps } from '../../../src/security/secrets';
import { countOf, errorOf, isAbsent, onlyOf, resourcesOf, statementsOf, synthConstructs, testStack } from '../../helpers/synth';

const EXISTING = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:shared/api-token-AbCdEf';

function synthSecret(props: Partial<SecretValueProps> = {}, extra: (stack: AwsStack, secret: SecretValue) => void = () => undefined) {
  let secret!: SecretValue;
  const out = synthConstructs((stack) => {
    secret = new SecretValue(stack, 'db', { secretName: 'demo/db-password', source: { kind: 'variable', variableName: 'db_password' }, ...props });
    extra(stack, secret);
  });
  return { ...out, secret };
}

describe('SecretValue', () => {
  it('stores a required, sensitive variable that has no value in the configuration', () => {
    const { text, json, secret } = synthSecret();
    expect(secret.resource).toBeInstanceOf(SecretsmanagerSecret);
    const stored = onlyOf(json, 'aws_secretsmanager_secret');
    expect(stored).toMatchObject({ name: 'demo/db-password', recovery_window_in_days: 30, tags: { Name: 'demo/db-password' } });
    expect(isAbsent(stored, 'kms_key_id')).toBe(true);
    const variable = json.variable!.db_password;
    expect(variable).toMatchObject({ type: 'string', sensitive: true, nullable: false });
    // No default: `terraform plan` without the value fails with Terraform's own error.
    expect(isAbsent(variable, 'default')).toBe(true);
    expect(variable.validation).toEqual([{ condition: '${length(var.db_password) > 0}', error_message: 'The value of secret "demo/db-password" must not be empty.' }]);
    const [[secretKey]] = resourcesOf(json, 'aws_secretsmanager_secret');
    expect(onlyOf(json, 'aws_secretsmanager_secret_version')).toMatchObject({ secret_id: `\${aws_secretsmanager_secret.${secretKey}.id}`, secret_string: '${var.db_password}' });
    expect(secret.variable).toBeInstanceOf(TerraformVariable);
    // Only the reference is in the output: no `default`, `secret_string` is `var.db_password`.
    expect(text.match(/secret_string"/g)).toHaveLength(1);
    expect(text).not.toMatch(/"default"/);
  });

  it('keeps the variable required and sensitive in HCL output too', () => {
    // cdktf 0.21 drops falsy variable attributes from HCL (`nullable = false`); SecretValue restores it.
    const stack = testStack();
    new SecretValue(stack, 'db', { secretName: 'demo/db-password', source: { kind: 'variable', variableName: 'db_password' } });
    const hcl: string = Testing.synthHcl(stack);
    const lines = hcl.slice(hcl.indexOf('variable "db_password" {')).split('\n');
    let depth = 0;
    const end = lines.findIndex((line) => (depth += (line.match(/\{/g)?.length ?? 0) - (line.match(/\}/g)?.length ?? 0)) === 0);
    // Top-level attributes only (not those of the validation block).
    const block = lines.slice(0, end + 1).join('\n').replace(/\nvalidation \{[\s\S]*?\n\}/, '');
    expect(block).toMatch(/^nullable = false$/m);
    expect(block).toMatch(/^sensitive = true$/m);
    expect(block).toMatch(/^type = string$/m);
    expect(block).not.toMatch(/^default\b/m);
  });

  it('keeps the logical id of the secret (a replacement waits out the recovery window of the old name)', () => {
    const { json } = synthSecret();
    expect(resourcesOf(json, 'aws_secretsmanager_secret').map(([id]) => id)).toEqual(['db_this_1A8FB600']);
  });

  it('creates only the secret with kind "empty", for an operator to fill', () => {
    const { json, secret } = synthSecret({ source: { kind: 'empty' }, description: 'API key of the partner', recoveryWindowDays: 0 });
    expect(onlyOf(json, 'aws_secretsmanager_secret')).toMatchObject({ name: 'demo/db-password', description: 'API key of the partner', recovery_window_in_days: 0 });
    expect(countOf(json, 'aws_secretsmanager_secret_version')).toBe(0);
    expect(json.variable).toBeUndefined();
    expect(secret.variable).toBeUndefined();
  });

  it('encrypts with a customer key and grants GetSecretValue on exactly the secret plus kms:Decrypt', () => {
    const { json } = synthConstructs((stack) => {
      const key = new EncryptionKey(stack, 'key', { alias: 'secrets', description: 'secrets' });
      const s = new SecretValue(stack, 'db', { secretName: 'demo/db-password', source: { kind: 'variable', variableName: 'db_password' }, kmsKey: key });
      s.grantRead(new ServiceRole(stack, 'task', { name: 'task', assumedBy: 'ecs-tasks.amazonaws.com' }));
    });
    const keyArn = expect.stringMatching(/^\$\{aws_kms_key\.key_\w+\.arn\}$/);
    expect(onlyOf(json, 'aws_secretsmanager_secret').kms_key_id).toEqual(keyArn);
    const [[secretKey]] = resourcesOf(json, 'aws_secretsmanager_secret');
    expect(statementsOf(onlyOf(json, 'aws_iam_role_policy'))).toEqual([
      { Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: `\${aws_secretsmanager_secret.${secretKey}.arn}` },
      { Effect: 'Allow', Action: ['kms:Decrypt'], Resource: keyArn },
    ]);
  });

  it('grants GetSecretValue only, without a key statement, with the AWS managed key', () => {
    const { json } = synthSecret({}, (stack, s) => s.grantRead(new ServiceRole(stack, 'task', { name: 'task', assumedBy: 'ecs-tasks.amazonaws.com' })));
    expect(statementsOf(onlyOf(json, 'aws_iam_role_policy'))).toEqual([{ Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: expect.stringMatching(/^\$\{aws_secretsmanager_secret\.db_this_\w+\.arn\}$/) }]);
  });

  it('fromSecretArn refers to a secret made elsewhere without creating anything, and grants reading it with its key', () => {
    const kmsKeyArn = 'arn:aws:kms:eu-west-1:123456789012:key/abcd';
    let secret!: ReturnType<typeof SecretValue.fromSecretArn>;
    const { json } = synthConstructs((stack) => {
      secret = SecretValue.fromSecretArn(stack, 'token', EXISTING, kmsKeyArn);
      secret.grantRead(new ServiceRole(stack, 'task', { name: 'task', assumedBy: 'ecs-tasks.amazonaws.com' }));
    });
    expect(countOf(json, 'aws_secretsmanager_secret')).toBe(0);
    expect(countOf(json, 'aws_secretsmanager_secret_version')).toBe(0);
    expect(json.variable).toBeUndefined();
    expect([secret.secretArn, secret.secretName, secret.kmsKeyArn]).toEqual([EXISTING, 'shared/api-token', kmsKeyArn]);
    expect(statementsOf(onlyOf(json, 'aws_iam_role_policy'))).toEqual([
      { Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: EXISTING },
      { Effect: 'Allow', Action: ['kms:Decrypt'], Resource: kmsKeyArn },
    ]);
  });

  it('fromSecretArn accepts an ARN that is only known at plan time', () => {
    expect(() =>
      synthConstructs((stack) => {
        const arn = new TerraformVariable(stack, 'token_arn', { type: 'string' }).stringValue;
        SecretValue.fromSecretArn(stack, 'token', arn);
      }),
    ).not.toThrow();
  });

  // Checked by the type checker (tsc): SecretValue fits the task definition's structural interface.
  it('is an ISecretSource of the task definition', () => {
    const { secret } = synthSecret();
    const source: ISecretSource = secret;
    expect(typeof source.grantRead).toBe('function');
    expect(source.secretArn).toBe(secret.secretArn);
  });

  it('rejects bad props with the construct path, the value and what is allowed', () => {
    expect(errorOf(() => synthSecret({ secretName: 'bad name!', source: { kind: 'variable', variableName: 'DbPassword' }, recoveryWindowDays: 3 }))).toBe(
      [
        'test/db: invalid props:',
        '  secretName: "bad name!" is not a Secrets Manager secret name (1-512 letters, digits and "/_+=.@-")',
        '  recoveryWindowDays: 3 is out of range; allowed: 7 to 30 days (or 0 to delete at once)',
        '  source.variableName: "DbPassword" is not a Terraform variable name (lowercase letters, digits and "_", starting with a letter)',
      ].join('\n'),
    );
    expect(errorOf(() => synthSecret({ source: { kind: 'variable', variableName: 'count' } }))).toBe(
      'test/db: source.variableName: "count" is reserved by Terraform; not allowed: source, version, providers, count, for_each, lifecycle, depends_on, locals',
    );
  });

  it('rejects two secrets on one variable', () => {
    expect(
      errorOf(() =>
        synthSecret({}, (stack) => new SecretValue(stack, 'db2', { secretName: 'demo/db-password-2', source: { kind: 'variable', variableName: 'db_password' } })),
      ),
    ).toBe('test/db2: source.variableName: "db_password" is already the variable of secret test/db; each secret needs its own variable');
  });

  it('fromSecretArn rejects partial ARNs, ARNs of other services and a key that is not a KMS key', () => {
    const existing = (secretArn: string, kmsKeyArn?: string) => errorOf(() => synthConstructs((stack) => SecretValue.fromSecretArn(stack, 'token', secretArn, kmsKeyArn)));
    expect(existing('arn:aws:secretsmanager:eu-west-1:123456789012:secret:shared/api-token')).toBe(
      'test/token: secretArn: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:shared/api-token" is a partial ARN (without the "-" and 6 characters Secrets Manager appends to the name), which IAM policies never match; give the full ARN (aws secretsmanager describe-secret --secret-id <name>)',
    );
    expect(existing('arn:aws:ssm:eu-west-1:123456789012:parameter/x', 'alias/aws/secretsmanager')).toBe(
      [
        'test/token: invalid props:',
        '  kmsKeyArn: "alias/aws/secretsmanager" is not a KMS key ARN',
        '  secretArn: "arn:aws:ssm:eu-west-1:123456789012:parameter/x" is not a Secrets Manager secret ARN (arn:aws:secretsmanager:<region>:<account>:secret:<name>-<6 characters>)',
      ].join('\n'),
    );
  });
});
