import { Construct } from 'constructs';
import { Token } from 'cdktf';
import { BackupVault } from '@cdktf/provider-aws/lib/backup-vault';
import { BackupPlan as BackupPlanResource } from '@cdktf/provider-aws/lib/backup-plan';
import { BackupSelection } from '@cdktf/provider-aws/lib/backup-selection';
import { nameTags } from '../core/tags';
import { PropsValidator, isArn } from '../core/validation';
import { ServiceRole } from '../security/iam';
import type { EncryptionKey } from '../security/kms';
import type { SecureBucket } from './bucket';

/** AWS managed policies of the backup role: EFS and the other services, and S3 (separate policies). */
const BACKUP_POLICY_ARNS = {
  backup: 'arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup',
  restore: 'arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForRestores',
  s3Backup: 'arn:aws:iam::aws:policy/AWSBackupServiceRolePolicyForS3Backup',
  s3Restore: 'arn:aws:iam::aws:policy/AWSBackupServiceRolePolicyForS3Restore',
} as const;

/** A cron expression as AWS Backup takes it: `cron(<6 fields>)`, in UTC unless a time zone is given. */
const CRON = /^cron\(\S+( \S+){5}\)$/;

/** An EFS file system to back up (`SharedFileSystem` has these). */
export interface BackupFileSystem {
  /** ARN of the file system (`arn:aws:elasticfilesystem:...:file-system/fs-...`). */
  readonly fileSystemArn: string;
}

export interface BackupPlanProps {
  /**
   * Base of every name: the vault (`<name>`), the plan (`<name>-daily`), the rule, the selection
   * and the role's `name_prefix`. 2-43 letters, digits, "-" and "_". The vault's name and key are
   * fixed for its life: changing either replaces the vault, which AWS refuses while it holds
   * recovery points (delete them, or keep the name).
   */
  readonly name: string;
  /**
   * Customer managed key that encrypts the vault's recovery points (a vault's key cannot change
   * after it is created). Backups of an EFS file system or an S3 bucket encrypted with another key
   * are re-encrypted with this one.
   */
  readonly kmsKey: EncryptionKey;
  /**
   * When backups start: an AWS Backup cron expression (`cron(minutes hours day-of-month month
   * day-of-week year)`), in UTC unless `scheduleTimezone` is set.
   * @default "cron(0 3 * * ? *)" (every day at 03:00 UTC)
   */
  readonly schedule?: string;
  /**
   * IANA time zone of `schedule`, e.g. `Europe/Dublin`.
   * @default - UTC
   */
  readonly scheduleTimezone?: string;
  /**
   * Days a recovery point is kept before AWS Backup deletes it (1-36500).
   * @default 35
   */
  readonly retentionDays?: number;
  /**
   * Minutes after the scheduled time within which a backup must start, or it is cancelled (at
   * least 60, which AWS requires).
   * @default 60
   */
  readonly startWindowMinutes?: number;
  /**
   * Minutes after its start within which a backup must finish, or it is cancelled; longer than
   * `startWindowMinutes`.
   * @default 1440 (one day)
   */
  readonly completionWindowMinutes?: number;
  /**
   * EFS file systems to back up. A `SharedFileSystem` with `backup: true` (its default) is also
   * backed up daily into the account's default vault by its own EFS backup policy: turn that off
   * when this plan covers it, or pay for both.
   * @default []
   */
  readonly fileSystems?: readonly BackupFileSystem[];
  /**
   * S3 buckets to back up. AWS Backup for S3 requires versioning on the bucket: a bucket without
   * it is refused here. Keep noncurrent versions expiring (`noncurrentVersionExpirationDays`):
   * backups copy every version that exists, and versions kept for ever grow both bills.
   * @default []
   */
  readonly buckets?: readonly SecureBucket[];
  /**
   * More resources by ARN (EFS file systems, S3 buckets, DynamoDB tables, ...). Versioning of a
   * bucket given by ARN cannot be checked here; AWS Backup fails its jobs when it is off.
   * @default []
   */
  readonly resourceArns?: readonly string[];
  /**
   * Let `terraform destroy` delete the vault with its recovery points.
   * @default false
   */
  readonly forceDestroy?: boolean;
}

/**
 * AWS Backup for a stack's data: a vault encrypted with a customer managed key, a plan with one
 * rule (schedule, start and completion windows, retention), a selection of resources by ARN, and
 * the service role AWS Backup uses, with the AWS managed backup and restore policies (and the S3
 * ones when a bucket is selected; they are separate policies).
 *
 * Names: the role uses `name_prefix` with `create_before_destroy`; the vault and plan keep their
 * names (stateful, pin their logical ids); the selection is replaced on any change (AWS cannot
 * update one) and keeps its name, so it is destroyed before its replacement is created: the gap
 * is seconds, between daily backups.
 */
export class BackupPlan extends Construct {
  public readonly vault: BackupVault;
  /** The backup plan resource. */
  public readonly resource: BackupPlanResource;
  public readonly selection: BackupSelection;
  public readonly role: ServiceRole;
  public readonly vaultName: string;
  public readonly vaultArn: string;
  public readonly planId: string;
  /** ARNs of every selected resource. */
  public readonly resourceArns: readonly string[];

  constructor(scope: Construct, id: string, props: BackupPlanProps) {
    super(scope, id);
    const schedule = props.schedule ?? 'cron(0 3 * * ? *)';
    const retention = props.retentionDays ?? 35;
    const start = props.startWindowMinutes ?? 60;
    const completion = props.completionWindowMinutes ?? 1440;
    const fileSystems = props.fileSystems ?? [];
    const buckets = props.buckets ?? [];
    const others = props.resourceArns ?? [];
    const v = new PropsValidator(this)
      .matches('name', props.name, /^[A-Za-z0-9_-]{2,43}$/, 'a backup name base (2-43 letters, digits, "-" and "_")')
      .matches('schedule', schedule, CRON, 'an AWS Backup cron expression such as "cron(0 3 * * ? *)" (six fields: minutes hours day-of-month month day-of-week year)')
      .matches('scheduleTimezone', props.scheduleTimezone, /^[A-Za-z]+(\/[A-Za-z0-9_+-]+)*$|^UTC$/, 'an IANA time zone such as "Europe/Dublin"')
      .check(Number.isInteger(retention), 'retentionDays', retention, 'is not a whole number of days')
      .range('retentionDays', retention, 1, 36500, 'days')
      .range('startWindowMinutes', start, 60, 52560000, 'minutes')
      .range('completionWindowMinutes', completion, 60, 52560000, 'minutes')
      .check(fileSystems.length + buckets.length + others.length > 0, 'fileSystems', fileSystems, 'and buckets and resourceArns are all empty; a plan needs something to back up');
    if (completion <= start) v.fail('completionWindowMinutes', `${completion} is not longer than startWindowMinutes ${start}`);
    buckets.forEach((b, i) => v.check(b.versioned, `buckets[${i}]`, b.node.path, 'has versioning off; AWS Backup for S3 needs a versioned bucket (set versioned: true)'));
    others.forEach((arn, i) =>
      v.check(Token.isUnresolved(arn) || isArn(arn) || /^arn:aws:s3:::[a-z0-9.-]{3,63}$/.test(arn), `resourceArns[${i}]`, arn, 'is not an ARN'),
    );
    fileSystems.forEach((f, i) => v.check(Token.isUnresolved(f.fileSystemArn) || isArn(f.fileSystemArn, 'elasticfilesystem'), `fileSystems[${i}].fileSystemArn`, f.fileSystemArn, 'is not an EFS file system ARN'));
    v.throwIfInvalid();

    const arns = [...fileSystems.map((f) => f.fileSystemArn), ...buckets.map((b) => b.bucketArn), ...others];
    this.resourceArns = arns;
    const selectsS3 = buckets.length > 0 || others.some((a) => a.startsWith('arn:aws:s3:::'));

    this.vault = new BackupVault(this, 'vault', {
      name: props.name,
      kmsKeyArn: props.kmsKey.keyArn,
      forceDestroy: props.forceDestroy ?? false,
      tags: nameTags(props.name),
    });
    this.vaultName = this.vault.name;
    this.vaultArn = this.vault.arn;

    this.resource = new BackupPlanResource(this, 'plan', {
      name: `${props.name}-daily`,
      rule: [
        {
          ruleName: `${props.name}-daily`.slice(0, 50),
          targetVaultName: this.vault.name,
          schedule,
          scheduleExpressionTimezone: props.scheduleTimezone,
          startWindow: start,
          completionWindow: completion,
          lifecycle: { deleteAfter: retention },
        },
      ],
      tags: nameTags(`${props.name}-daily`),
    });
    this.planId = this.resource.id;

    this.role = new ServiceRole(this, 'role', {
      name: `${props.name}-backup`,
      assumedBy: 'backup.amazonaws.com',
      description: `AWS Backup for ${props.name}`,
      managedPolicyArns: [BACKUP_POLICY_ARNS.backup, BACKUP_POLICY_ARNS.restore, ...(selectsS3 ? [BACKUP_POLICY_ARNS.s3Backup, BACKUP_POLICY_ARNS.s3Restore] : [])],
    });

    this.selection = new BackupSelection(this, 'selection', {
      name: `${props.name}-resources`.slice(0, 50),
      planId: this.resource.id,
      iamRoleArn: this.role.roleArn,
      resources: arns,
    });
    // AWS Backup checks the role when the selection is created; its policies must be attached.
    this.role.addDependent(this.selection);
  }
}
