/** Rules for S3, EFS, DynamoDB. */
import type { Rule } from '../engine';
import { Resource, StackModel, block, blocks, isExpression, isFalse, isTrue, referenceTarget } from '../../model';
import { deniesInsecureTransport, describe, publicAllows } from '../policy';

/** Companion resources of a bucket point to it by reference, or by its literal name. */
function ofBucket(stack: StackModel, type: string, bucket: Resource): Resource[] {
  return stack.attached(type, 'bucket', bucket, ['bucket']);
}

export const STORAGE_RULES: readonly Rule[] = [
  {
    id: 'AWS-S3-001',
    severity: 'error',
    title: 'Buckets declare default encryption',
    rationale: 'An explicit SSE configuration names the key every object is written with (SSE-S3 or a KMS key the stack controls), instead of whatever the account default becomes.',
    checkov: 'CKV_AWS_19, CKV_AWS_145',
    cdkNag: 'NIST.800.53.R5-S3DefaultEncryptionKMS',
    types: ['aws_s3_bucket'],
    check(r, stack) {
      const configured = ofBucket(stack, 'aws_s3_bucket_server_side_encryption_configuration', r).some((c) => blocks(c.body.rule).some((rule) => block(rule.apply_server_side_encryption_by_default)?.sse_algorithm));
      return configured ? undefined : 'has no aws_s3_bucket_server_side_encryption_configuration with a default algorithm';
    },
  },
  {
    id: 'AWS-S3-002',
    severity: 'error',
    title: 'Buckets block all public access',
    rationale: 'A public access block with its four flags on stops an ACL or a policy written later from exposing the data.',
    checkov: 'CKV_AWS_53, CKV_AWS_54, CKV_AWS_55, CKV_AWS_56, CKV2_AWS_6',
    cdkNag: 'AwsSolutions-S2',
    types: ['aws_s3_bucket'],
    check(r, stack) {
      const flags = ['block_public_acls', 'block_public_policy', 'ignore_public_acls', 'restrict_public_buckets'];
      const blocks_ = ofBucket(stack, 'aws_s3_bucket_public_access_block', r);
      if (blocks_.length === 0) return 'has no aws_s3_bucket_public_access_block';
      const off = flags.filter((f) => !blocks_.some((b) => isTrue(b.body[f])));
      return off.length ? `has a public access block without ${off.join(', ')}` : undefined;
    },
  },
  {
    id: 'AWS-S3-003',
    severity: 'error',
    title: 'Buckets refuse requests without TLS',
    rationale: 'A bucket policy denying aws:SecureTransport=false keeps every client, including misconfigured SDKs, on HTTPS.',
    cdkNag: 'AwsSolutions-S10',
    types: ['aws_s3_bucket'],
    check(r, stack) {
      const ok = ofBucket(stack, 'aws_s3_bucket_policy', r).some((p) => deniesInsecureTransport(stack.document(p, 'policy')));
      return ok ? undefined : 'has no bucket policy denying requests with aws:SecureTransport false';
    },
  },
  {
    id: 'AWS-S3-004',
    severity: 'warning',
    title: 'Buckets keep object versions',
    rationale: 'Versioning turns an overwrite or a delete (a bug, a leaked key, ransomware) into something that can be undone.',
    checkov: 'CKV_AWS_21',
    cdkNag: 'NIST.800.53.R5-S3BucketVersioningEnabled',
    types: ['aws_s3_bucket'],
    check(r, stack) {
      const ok = ofBucket(stack, 'aws_s3_bucket_versioning', r).some((v) => block(v.body.versioning_configuration)?.status === 'Enabled');
      return ok ? undefined : 'has no versioning (aws_s3_bucket_versioning with status Enabled)';
    },
  },
  {
    id: 'AWS-S3-005',
    severity: 'warning',
    title: 'Production buckets log access',
    rationale: 'Server access logs answer who read or changed production data; without them an incident has no record below the API calls CloudTrail keeps.',
    checkov: 'CKV_AWS_18',
    cdkNag: 'AwsSolutions-S1',
    types: ['aws_s3_bucket'],
    check(r, stack) {
      if (!stack.production) return undefined;
      return stack.hasAttached('aws_s3_bucket_logging', 'bucket', r, ['bucket']) ? undefined : `has no server access logging (aws_s3_bucket_logging) in the ${stack.environment} environment`;
    },
  },
  {
    id: 'AWS-S3-006',
    severity: 'warning',
    title: 'Buckets disable ACLs',
    rationale: 'Object ownership BucketOwnerEnforced turns ACLs off, so access is decided by policies alone and uploads cannot belong to another account.',
    checkov: 'CKV2_AWS_65',
    types: ['aws_s3_bucket'],
    check(r, stack) {
      const ok = ofBucket(stack, 'aws_s3_bucket_ownership_controls', r).some((o) => block(o.body.rule)?.object_ownership === 'BucketOwnerEnforced');
      return ok ? undefined : 'does not enforce bucket-owner object ownership (ACLs stay enabled)';
    },
  },
  {
    id: 'AWS-S3-007',
    severity: 'warning',
    title: 'Bucket lifecycles abort incomplete multipart uploads',
    rationale: 'Parts of abandoned uploads are stored and billed forever, invisible in object listings.',
    checkov: 'CKV_AWS_300',
    types: ['aws_s3_bucket'],
    check(r, stack) {
      const ok = ofBucket(stack, 'aws_s3_bucket_lifecycle_configuration', r).some((l) => blocks(l.body.rule).some((rule) => rule.status === 'Enabled' && blocks(rule.abort_incomplete_multipart_upload).length > 0));
      return ok ? undefined : 'has no enabled lifecycle rule aborting incomplete multipart uploads';
    },
  },
  {
    id: 'AWS-S3-008',
    severity: 'error',
    title: 'Bucket policies grant nothing to everyone',
    rationale: 'An Allow for Principal "*" without a condition publishes the bucket to the internet.',
    checkov: 'CKV_AWS_70',
    cdkNag: 'NIST.800.53.R5-S3BucketPublicReadProhibited',
    types: ['aws_s3_bucket_policy'],
    check(r, stack) {
      return publicAllows(stack.document(r, 'policy')).map((s) => `allows everyone: statement ${describe(s)} has Principal "*" and no condition`);
    },
  },
  {
    id: 'AWS-S3-009',
    severity: 'error',
    title: 'Buckets have no public canned ACL',
    rationale: 'public-read, public-read-write and authenticated-read ACLs open the bucket to anyone (with any AWS account).',
    checkov: 'CKV_AWS_20',
    cdkNag: 'NIST.800.53.R5-S3BucketPublicReadProhibited',
    types: ['aws_s3_bucket_acl', 'aws_s3_bucket'],
    check(r) {
      const acl = r.body.acl;
      return ['public-read', 'public-read-write', 'authenticated-read'].includes(acl) ? `has the canned ACL "${acl}"` : undefined;
    },
  },
  {
    id: 'AWS-EFS-001',
    severity: 'error',
    title: 'File systems are encrypted at rest',
    rationale: 'EFS encryption can only be chosen at creation: an unencrypted file system must be copied to fix it.',
    checkov: 'CKV_AWS_42',
    cdkNag: 'AwsSolutions-EFS1',
    types: ['aws_efs_file_system'],
    check(r) {
      return isTrue(r.body.encrypted) || isExpression(r.body.encrypted) ? undefined : 'is not encrypted (encrypted = true)';
    },
  },
  {
    id: 'AWS-EFS-002',
    severity: 'warning',
    title: 'File systems are backed up',
    rationale: 'AWS Backup of the file system (its automatic backup policy, or a backup plan selecting it) is the only way back from a deleted or corrupted file.',
    checkov: 'CKV2_AWS_18',
    cdkNag: 'NIST.800.53.R5-EFSInBackupPlan',
    types: ['aws_efs_file_system'],
    check(r, stack) {
      const ok = stack.attached('aws_efs_backup_policy', 'file_system_id', r).some((b) => block(b.body.backup_policy)?.status === 'ENABLED');
      // A backup selection naming the file system's ARN (`${aws_efs_file_system.x.arn}`).
      const selected = stack.resources('aws_backup_selection').some((sel) => (Array.isArray(sel.body.resources) ? sel.body.resources : []).some((a: unknown) => referenceTarget(a) === r.address));
      return ok || selected ? undefined : 'is in no backup: no aws_efs_backup_policy with status ENABLED and no aws_backup_selection of its ARN';
    },
  },
  {
    id: 'AWS-EFS-003',
    severity: 'warning',
    title: 'Access points enforce a user and a root directory',
    rationale: 'A POSIX user and a root directory on the access point confine every client to its own directory with fixed ownership, whatever user its container runs as.',
    checkov: 'CKV_AWS_329, CKV_AWS_330',
    types: ['aws_efs_access_point'],
    check(r) {
      const missing = [!block(r.body.posix_user) && 'posix_user', !block(r.body.root_directory)?.path && 'root_directory.path'].filter(Boolean);
      return missing.length ? `does not enforce ${missing.join(' and ')}` : undefined;
    },
  },
  {
    id: 'AWS-DDB-001',
    severity: 'error',
    title: 'Tables have point-in-time recovery',
    rationale: 'PITR restores a table to any second of the last 35 days after a bad write or delete; without it there is no way back.',
    checkov: 'CKV_AWS_28',
    cdkNag: 'AwsSolutions-DDB3',
    types: ['aws_dynamodb_table'],
    check(r) {
      const pitr = block(r.body.point_in_time_recovery);
      return isTrue(pitr?.enabled) || isExpression(pitr?.enabled) ? undefined : 'has no point-in-time recovery (point_in_time_recovery.enabled = true)';
    },
  },
  {
    id: 'AWS-DDB-002',
    severity: 'warning',
    title: 'Production tables are protected from deletion',
    rationale: 'Deletion protection makes a destroy or replacement of a production table fail instead of losing its data.',
    noEquivalent: 'checkov and cdk-nag check backups of tables (PITR), not their deletion protection',
    types: ['aws_dynamodb_table'],
    check(r, stack) {
      if (!stack.production) return undefined;
      return isTrue(r.body.deletion_protection_enabled) || isExpression(r.body.deletion_protection_enabled) ? undefined : `has no deletion protection in the ${stack.environment} environment`;
    },
  },
  {
    id: 'AWS-DDB-003',
    severity: 'error',
    title: 'Table encryption is not switched off',
    rationale: 'server_side_encryption.enabled = false with a key would fall back silently; a customer key must be enabled to be used.',
    checkov: 'CKV_AWS_119',
    types: ['aws_dynamodb_table'],
    check(r) {
      const sse = block(r.body.server_side_encryption);
      return sse && isFalse(sse.enabled) && sse.kms_key_arn ? 'names a KMS key with server_side_encryption.enabled = false (the key is not used)' : undefined;
    },
  },
];
