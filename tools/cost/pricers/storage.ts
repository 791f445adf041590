/** Storage: EFS and its backups, AWS Backup selections, S3, ECR, DynamoDB, CloudWatch Logs. */
import { Resource, blocks, bool, num } from '../../model';
import { Pricer, PricingContext, nameOf } from '../context';

/** EFS file systems: Standard storage. */
export const efsFileSystems: Pricer = {
  types: ['aws_efs_file_system'],
  price(r, ctx) {
    const gb = ctx.assumptions.efsGbPerFileSystem;
    ctx.aggregate('EFS Standard storage', 'GB-month', ctx.pricesFor(r).efsStandardGbMonth.usd, gb, gb, r.address, { assumptions: ['efsGbPerFileSystem'] });
  },
};

/** EFS backup policies: AWS Backup storage while enabled. */
export const efsBackupPolicies: Pricer = {
  types: ['aws_efs_backup_policy'],
  price(r, ctx) {
    if (blocks(r.body.backup_policy)[0]?.status !== 'ENABLED') return;
    const gb = ctx.assumptions.efsBackupGbPerFileSystem;
    ctx.aggregate('AWS Backup storage (EFS)', 'GB-month', ctx.pricesFor(r).backupEfsGbMonth.usd, gb, gb, r.address, { assumptions: ['efsBackupGbPerFileSystem'] });
  },
};

/** What a backup selection's resource is: an EFS file system, an S3 bucket, or something not priced. */
function selectedKind(ctx: PricingContext, arn: unknown): 'efs' | 's3' | undefined {
  const ref = typeof arn === 'string' ? ctx.model.ref(arn)?.address : undefined;
  if (ref?.startsWith('aws_efs_file_system.') || (typeof arn === 'string' && arn.startsWith('arn:aws:elasticfilesystem:'))) return 'efs';
  if (ref?.startsWith('aws_s3_bucket.') || (typeof arn === 'string' && arn.startsWith('arn:aws:s3:::'))) return 's3';
  return undefined;
}

/** AWS Backup selections of EFS file systems and S3 buckets: backup storage per selected resource. */
export const backupSelections: Pricer = {
  types: ['aws_backup_selection'],
  price(r, ctx) {
    const arns = blocks<unknown>(r.body.resources);
    const kinds = arns.map((a) => selectedKind(ctx, a));
    if (arns.length === 0 || kinds.some((k) => k === undefined)) {
      ctx.skip(r, 'backup selection of resources other than EFS file systems and S3 buckets, or not a literal list');
      return;
    }
    const pr = ctx.pricesFor(r);
    const A = ctx.assumptions;
    const efs = kinds.filter((k) => k === 'efs').length;
    const s3 = kinds.filter((k) => k === 's3').length;
    if (efs) ctx.aggregate('AWS Backup storage (EFS)', 'GB-month', pr.backupEfsGbMonth.usd, efs * A.efsBackupGbPerFileSystem, efs * A.efsBackupGbPerFileSystem, r.address, { assumptions: ['efsBackupGbPerFileSystem'] });
    if (s3) ctx.aggregate('AWS Backup storage (S3)', 'GB-month', pr.backupS3GbMonth.usd, s3 * A.s3BackupGbPerBucket, s3 * A.s3BackupGbPerBucket, r.address, { assumptions: ['s3BackupGbPerBucket'], note: 'GET requests and objects under 128 KB billed extra' });
  },
};

/** S3 buckets: Standard storage (the same assumed size for every bucket). */
export const s3Buckets: Pricer = {
  types: ['aws_s3_bucket'],
  price(r, ctx) {
    const gb = ctx.assumptions.s3GbPerBucket;
    ctx.aggregate('S3 Standard storage', 'GB-month', ctx.pricesFor(r).s3StandardGbMonth.usd, gb, gb, r.address, { assumptions: ['s3GbPerBucket'], note: 'the same assumed size for every bucket' });
  },
};

/** ECR repositories: image storage. */
export const ecrRepositories: Pricer = {
  types: ['aws_ecr_repository'],
  price(r, ctx) {
    const gb = ctx.assumptions.ecrGbPerRepository;
    ctx.aggregate('ECR image storage', 'GB-month', ctx.pricesFor(r).ecrGbMonth.usd, gb, gb, r.address, { assumptions: ['ecrGbPerRepository'] });
  },
};

/** CloudWatch log groups: ingestion, and storage for the retention (capped by an assumption when it never expires). */
export const logGroups: Pricer = {
  types: ['aws_cloudwatch_log_group'],
  price(r, ctx) {
    const pr = ctx.pricesFor(r);
    const A = ctx.assumptions;
    const ia = r.body.log_group_class === 'INFREQUENT_ACCESS';
    ctx.aggregate(ia ? 'CloudWatch Logs ingestion (Infrequent Access)' : 'CloudWatch Logs ingestion', 'GB', (ia ? pr.cloudwatch.logIngestInfrequentAccessGb : pr.cloudwatch.logIngestGb).usd, A.logIngestGbPerGroup, A.logIngestGbPerGroup, r.address, {
      assumptions: ['logIngestGbPerGroup'],
      freeTier: ia ? undefined : 5,
    });
    const days = num(r.body.retention_in_days);
    const months = days === undefined || days === 0 ? A.logRetainedMonthsWhenNeverExpire : Math.min(days / 30, A.logRetainedMonthsWhenNeverExpire);
    const stored = A.logIngestGbPerGroup * months;
    ctx.aggregate('CloudWatch Logs storage', 'GB-month', pr.cloudwatch.logStorageGbMonth.usd, stored, stored, r.address, { assumptions: days ? ['logIngestGbPerGroup'] : ['logIngestGbPerGroup', 'logRetainedMonthsWhenNeverExpire'] });
  },
};

/** Provisioned capacity of a table (table and indexes), or its autoscaling target's range. */
function provisionedCapacity(ctx: PricingContext, r: Resource, kind: 'read' | 'write'): { floor: number; ceiling: number } {
  const gsis = blocks(r.body.global_secondary_index);
  const base = (num(r.body[`${kind}_capacity`]) ?? 0) + gsis.reduce((n, g) => n + (num(g[`${kind}_capacity`]) ?? 0), 0);
  const dimension = kind === 'read' ? 'ReadCapacityUnits' : 'WriteCapacityUnits';
  const target = ctx.model.referrers('aws_appautoscaling_target', 'resource_id', r).find((t) => String(t.body.scalable_dimension).endsWith(dimension));
  return target ? { floor: num(target.body.min_capacity) ?? base, ceiling: num(target.body.max_capacity) ?? base } : { floor: base, ceiling: base };
}

/** DynamoDB tables: provisioned capacity or on-demand requests, storage, point-in-time recovery. */
export const dynamodbTables: Pricer = {
  types: ['aws_dynamodb_table'],
  price(r, ctx) {
    const pr = ctx.pricesFor(r);
    const A = ctx.assumptions;
    const name = nameOf(r);
    if ((r.body.billing_mode ?? 'PROVISIONED') === 'PROVISIONED') {
      ctx.line({ item: `DynamoDB ${name}: provisioned reads`, quantity: provisionedCapacity(ctx, r, 'read'), unit: 'RCU-month', unitPrice: ctx.month(pr.dynamodb.rcuHour), resources: [r.address], assumptions: ['hoursPerMonth'] });
      ctx.line({ item: `DynamoDB ${name}: provisioned writes`, quantity: provisionedCapacity(ctx, r, 'write'), unit: 'WCU-month', unitPrice: ctx.month(pr.dynamodb.wcuHour), resources: [r.address], assumptions: ['hoursPerMonth'] });
    } else {
      ctx.aggregate('DynamoDB on-demand writes', '1M write units', pr.dynamodb.millionWrites.usd, A.dynamodbWritesPerTable / 1e6, A.dynamodbWritesPerTable / 1e6, r.address, { assumptions: ['dynamodbWritesPerTable'] });
      ctx.aggregate('DynamoDB on-demand reads', '1M read units', pr.dynamodb.millionReads.usd, A.dynamodbReadsPerTable / 1e6, A.dynamodbReadsPerTable / 1e6, r.address, { assumptions: ['dynamodbReadsPerTable'] });
    }
    ctx.aggregate('DynamoDB storage', 'GB-month', pr.dynamodb.storageGbMonth.usd, A.dynamodbGbPerTable, A.dynamodbGbPerTable, r.address, { assumptions: ['dynamodbGbPerTable'], note: 'the account free tier is 25 GB' });
    if (bool(blocks(r.body.point_in_time_recovery)[0]?.enabled) === true) {
      ctx.aggregate('DynamoDB point-in-time recovery', 'GB-month', pr.dynamodb.pitrGbMonth.usd, A.dynamodbGbPerTable, A.dynamodbGbPerTable, r.address, { assumptions: ['dynamodbGbPerTable'] });
    }
  },
};
