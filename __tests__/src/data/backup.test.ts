import { BackupPlan, BackupPlanProps } from '../../../src/data/backup';
import { AwsStack } from '../../../src/core/aws-stack';
import { EncryptionKey } from '../../../src/security/kms';
import { SecureBucket } from '../../../src/data/bucket';
import { SharedFileSystem } from '../../../src/data/efs';
import { allOf, errorOf, existingVpc, onlyOf, resourcesOf, statementsOf, synthConstructs } from '../../helpers/synth';

function build(props: Partial<BackupPlanProps> = {}, parts: { bucket?: boolean; versioned?: boolean; efs?: boolean } = { bucket: true, efs: true }) {
  return synthConstructs((stack: AwsStack) => {
    const kmsKey = new EncryptionKey(stack, 'key', { alias: 'am-backup', description: 'backups' });
    const buckets = parts.bucket ? [new SecureBucket(stack, 'data', { bucketName: 'am-data-123456789012-eu-west-1', versioned: parts.versioned ?? true })] : [];
    const fileSystems = parts.efs ? [new SharedFileSystem(stack, 'index', { name: 'am-index', vpc: existingVpc(stack), backup: false })] : [];
    new BackupPlan(stack, 'backup', { name: 'am-production', kmsKey, buckets, fileSystems, ...props });
  }).json;
}

describe('BackupPlan', () => {
  const json = build();
  const [keyId] = resourcesOf(json, 'aws_kms_key')[0];
  const [vaultId] = resourcesOf(json, 'aws_backup_vault')[0];
  const [planId] = resourcesOf(json, 'aws_backup_plan')[0];
  const [roleId] = resourcesOf(json, 'aws_iam_role')[0];
  const [fsId] = resourcesOf(json, 'aws_efs_file_system')[0];
  const [bucketId] = resourcesOf(json, 'aws_s3_bucket')[0];

  it('keeps recovery points in a vault encrypted with the customer key, which terraform destroy does not empty', () => {
    expect(onlyOf(json, 'aws_backup_vault')).toMatchObject({ name: 'am-production', kms_key_arn: `\${aws_kms_key.${keyId}.arn}`, force_destroy: false });
  });

  it('backs up daily at 03:00 UTC, starting within an hour, finishing within a day, kept 35 days', () => {
    expect(onlyOf(json, 'aws_backup_plan')).toMatchObject({
      name: 'am-production-daily',
      rule: [{ rule_name: 'am-production-daily', target_vault_name: `\${aws_backup_vault.${vaultId}.name}`, schedule: 'cron(0 3 * * ? *)', start_window: 60, completion_window: 1440, lifecycle: { delete_after: 35 } }],
    });
  });

  it('selects exactly the file system and the bucket, with a role that waits for its policies', () => {
    const selection = onlyOf(json, 'aws_backup_selection');
    expect(selection).toMatchObject({
      name: 'am-production-resources',
      plan_id: `\${aws_backup_plan.${planId}.id}`,
      iam_role_arn: `\${aws_iam_role.${roleId}.arn}`,
      resources: [`\${aws_efs_file_system.${fsId}.arn}`, `\${aws_s3_bucket.${bucketId}.arn}`],
    });
    expect(selection.depends_on).toHaveLength(4);
  });

  it('lets AWS Backup assume the role, with the managed backup and restore policies including the S3 ones', () => {
    const role = onlyOf(json, 'aws_iam_role');
    expect(role).toMatchObject({ name_prefix: 'am-production-backup-', lifecycle: { create_before_destroy: true } });
    expect(statementsOf(role, 'assume_role_policy')).toEqual([{ Effect: 'Allow', Principal: { Service: 'backup.amazonaws.com' }, Action: 'sts:AssumeRole' }]);
    expect(allOf(json, 'aws_iam_role_policy_attachment').map((a) => a.policy_arn)).toEqual([
      'arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup',
      'arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForRestores',
      'arn:aws:iam::aws:policy/AWSBackupServiceRolePolicyForS3Backup',
      'arn:aws:iam::aws:policy/AWSBackupServiceRolePolicyForS3Restore',
    ]);
  });

  it('leaves the S3 policies out when no bucket is selected, and takes its schedule and retention from props', () => {
    const efsOnly = build({ schedule: 'cron(30 1 ? * SUN *)', scheduleTimezone: 'Europe/Dublin', retentionDays: 90, startWindowMinutes: 120, completionWindowMinutes: 600 }, { efs: true });
    expect(allOf(efsOnly, 'aws_iam_role_policy_attachment').map((a) => a.policy_arn)).toEqual(['arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup', 'arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForRestores']);
    expect(onlyOf(efsOnly, 'aws_backup_plan').rule[0]).toMatchObject({ schedule: 'cron(30 1 ? * SUN *)', schedule_expression_timezone: 'Europe/Dublin', start_window: 120, completion_window: 600, lifecycle: { delete_after: 90 } });
    const byArn = build({ resourceArns: ['arn:aws:s3:::other-bucket'] }, {});
    expect(allOf(byArn, 'aws_iam_role_policy_attachment').map((a) => a.policy_arn)).toContain('arn:aws:iam::aws:policy/AWSBackupServiceRolePolicyForS3Backup');
  });

  it('refuses a bucket without versioning (AWS Backup for S3 needs it)', () => {
    expect(errorOf(() => build({}, { bucket: true, versioned: false }))).toBe('test/backup: buckets[0]: "test/data" has versioning off; AWS Backup for S3 needs a versioned bucket (set versioned: true)');
  });

  it('lists every bad prop in one message', () => {
    const message = errorOf(() => build({ name: 'am production', schedule: 'rate(1 day)', retentionDays: 0, startWindowMinutes: 30, completionWindowMinutes: 20, resourceArns: ['fs-123'] }, {}));
    expect(message.split('\n')).toEqual([
      'test/backup: invalid props:',
      '  name: "am production" is not a backup name base (2-43 letters, digits, "-" and "_")',
      '  schedule: "rate(1 day)" is not an AWS Backup cron expression such as "cron(0 3 * * ? *)" (six fields: minutes hours day-of-month month day-of-week year)',
      '  retentionDays: 0 is out of range; allowed: 1 to 36500 days',
      '  startWindowMinutes: 30 is out of range; allowed: 60 to 52560000 minutes',
      '  completionWindowMinutes: 20 is out of range; allowed: 60 to 52560000 minutes',
      '  completionWindowMinutes: 20 is not longer than startWindowMinutes 30',
      '  resourceArns[0]: "fs-123" is not an ARN',
    ]);
    expect(errorOf(() => build({}, {}))).toBe('test/backup: fileSystems: [] and buckets and resourceArns are all empty; a plan needs something to back up');
  });
});
