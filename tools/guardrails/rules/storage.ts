/**
 * Rules for S3, EFS, DynamoDB.
 *
 * Each rule's counterparts were read in the checks' source: checkov (bridgecrewio/checkov at
 * 03d5fdad8d, under checkov/terraform/checks/) and cdk-nag (cdklabs/cdk-nag at ca6d1b54, under
 * src/rules/); the comment above each rule's counterparts names the files.
 */
import type { Rule } from '../engine';
import { Resource, StackModel, block, blocks, isExpression, isFalse, isTrue, referenceTarget } from '../../model';
import { deniesInsecureTransport, publicGrants } from '../policy';

/** Companion resources of a bucket point to it by reference, or by its literal name. */
function ofBucket(stack: StackModel, type: string, bucket: Resource): Resource[] {
  return stack.attached(type, 'bucket', bucket, ['bucket']);
}

const PUBLIC_ACCESS_FLAGS = ['block_public_acls', 'block_public_policy', 'ignore_public_acls', 'restrict_public_buckets'];

/** Whether a policy resource names `bucket` (by reference, or by its literal name after `:::`). */
function namesBucket(stack: StackModel, bucket: Resource, arn: string): boolean {
  const name = bucket.body.bucket;
  const path = arn.split(':::')[1] ?? '';
  return stack.refsIn(arn).includes(bucket) || (typeof name === 'string' && !isExpression(name) && (path === name || path === `${name}/*`));
}

/** Whether policy resources cover the bucket itself and every object in it (`arn` and `arn/*`), as cdk-nag's S10 asks. */
function coversBucket(stack: StackModel, bucket: Resource, resources: string[]): boolean {
  const slashes = (arn: string) => arn.split('/').length - 1;
  const named = resources.filter((arn) => namesBucket(stack, bucket, arn));
  return named.some((arn) => slashes(arn) === 0) && named.some((arn) => slashes(arn) === 1 && arn.endsWith('/*'));
}

/** Whether a lifecycle rule aborts incomplete uploads of the whole bucket: enabled, with no prefix, size or tag filter. */
function abortsEveryUpload(rule: Record<string, any>): boolean {
  const filter = block(rule.filter);
  const f = block(filter?.and) ?? filter;
  const narrowed = rule.prefix || f?.prefix || f?.object_size_greater_than || f?.object_size_less_than || block(f?.tag) || Object.keys(f?.tags ?? {}).length > 0;
  return rule.status === 'Enabled' && blocks(rule.abort_incomplete_multipart_upload).length > 0 && !narrowed;
}

/** Canned ACLs, and the grantee groups, that open a bucket to anyone (with any AWS account). */
const PUBLIC_ACLS = ['public-read', 'public-read-write', 'authenticated-read'];
const PUBLIC_GROUPS = /^https?:\/\/acs\.amazonaws\.com\/groups\/global\/(AllUsers|AuthenticatedUsers)$/;

export const STORAGE_RULES: readonly Rule[] = [
  {
    id: 'AWS-S3-001',
    severity: 'error',
    title: 'Buckets declare default encryption',
    rationale: 'An explicit SSE configuration names the key every object is written with (SSE-S3 or a KMS key the stack controls), instead of whatever the account default becomes.',
    // checkov graph_checks/aws/S3BucketEncryption.yaml, graph_checks/aws/S3KMSEncryptedByDefault.yaml; cdk-nag s3/S3DefaultEncryptionKMS.ts
    checkov: [
      { id: 'CKV_AWS_19', relation: 'narrower', difference: 'Dual-layer SSE-KMS (aws:kms:dsse) passes here and fails CKV_AWS_19, which knows AES256 and aws:kms only; a bucket with no aws_s3_bucket_server_side_encryption_configuration fails here and passes there (SSE-S3 is S3\'s default).' },
      { id: 'CKV_AWS_145', relation: 'narrower', difference: 'SSE-S3 (AES256) passes: load balancer access logs can only be delivered to an SSE-S3 bucket, and a KMS key per bucket is a cost only some data calls for.' },
    ],
    cdkNag: [{ id: 'NIST.800.53.R5-S3DefaultEncryptionKMS', relation: 'narrower', difference: 'SSE-S3 (AES256) passes, as for CKV_AWS_145.' }],
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
    // checkov resource/aws/S3BlockPublicACLs.py, S3BlockPublicPolicy.py, S3IgnorePublicACLs.py, S3RestrictPublicBuckets.py, graph_checks/aws/S3BucketHasPublicAccessBlock.yaml;
    // cdk-nag s3/S3BucketLevelPublicAccessProhibited.ts, s3/S3BucketPublicReadProhibited.ts
    checkov: [
      { id: 'CKV_AWS_53', relation: 'broader', difference: 'CKV_AWS_53 to 56 each check one flag of a public access block; this rule checks all four, and that every bucket has a block.' },
      { id: 'CKV_AWS_54', relation: 'broader' },
      { id: 'CKV_AWS_55', relation: 'broader' },
      { id: 'CKV_AWS_56', relation: 'broader' },
      { id: 'CKV2_AWS_6', relation: 'broader', difference: 'CKV2_AWS_6 asks for block_public_acls and block_public_policy only.' },
    ],
    cdkNag: [
      { id: 'AwsSolutions-S2', relation: 'broader', difference: 'cdk-nag passes a bucket with no public access block at all.' },
      { id: 'NIST.800.53.R5-S3BucketPublicReadProhibited', relation: 'broader', difference: 'cdk-nag asks for block_public_policy, and block_public_acls only when the bucket has a public canned ACL.' },
    ],
    types: ['aws_s3_bucket', 'aws_s3_bucket_public_access_block'],
    check(r, stack) {
      if (r.type === 'aws_s3_bucket') return ofBucket(stack, 'aws_s3_bucket_public_access_block', r).length > 0 ? undefined : 'has no aws_s3_bucket_public_access_block';
      const off = PUBLIC_ACCESS_FLAGS.filter((f) => !isTrue(r.body[f]));
      return off.length ? `does not turn on ${off.join(', ')}` : undefined;
    },
  },
  {
    id: 'AWS-S3-003',
    severity: 'error',
    title: 'Buckets refuse requests without TLS',
    rationale: 'A bucket policy denying aws:SecureTransport=false keeps every client, including misconfigured SDKs, on HTTPS.',
    // cdk-nag s3/S3BucketSSLRequestsOnly.ts
    cdkNag: [{ id: 'AwsSolutions-S10', relation: 'equivalent' }],
    types: ['aws_s3_bucket'],
    check(r, stack) {
      const ok = ofBucket(stack, 'aws_s3_bucket_policy', r).some((p) => deniesInsecureTransport(stack.document(p, 'policy'), ['*', 's3:*'], (resources) => coversBucket(stack, r, resources)));
      return ok ? undefined : 'has no bucket policy denying s3:* on the bucket and its objects to requests with aws:SecureTransport false';
    },
  },
  {
    id: 'AWS-S3-004',
    severity: 'warning',
    title: 'Buckets keep object versions',
    rationale: 'Versioning turns an overwrite or a delete (a bug, a leaked key, ransomware) into something that can be undone.',
    // checkov graph_checks/aws/S3BucketVersioning.yaml; cdk-nag s3/S3BucketVersioningEnabled.ts
    checkov: [{ id: 'CKV_AWS_21', relation: 'broader', difference: 'CKV_AWS_21 also accepts the deprecated versioning block of aws_s3_bucket, which this rule does not read.' }],
    cdkNag: [{ id: 'NIST.800.53.R5-S3BucketVersioningEnabled', relation: 'broader', difference: 'As for CKV_AWS_21, a deprecated inline versioning block (the CloudFormation form) does not count here.' }],
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
    // checkov graph_checks/aws/S3BucketLogging.yaml; cdk-nag s3/S3BucketLoggingEnabled.ts
    checkov: [{ id: 'CKV_AWS_18', relation: 'narrower', difference: 'Production only: the buckets of demo, staging and development environments hold nothing an incident review reads.' }],
    cdkNag: [{ id: 'AwsSolutions-S1', relation: 'narrower', difference: 'Production only, as for CKV_AWS_18; cdk-nag passes a bucket other buckets log to, which this rule flags.' }],
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
    // checkov graph_checks/aws/AWSdisableS3ACL.yaml
    checkov: [{ id: 'CKV2_AWS_65', relation: 'broader', difference: 'CKV2_AWS_65 checks ownership controls that exist; this rule also fails a bucket with none.' }],
    types: ['aws_s3_bucket', 'aws_s3_bucket_ownership_controls'],
    check(r, stack) {
      if (r.type === 'aws_s3_bucket') return ofBucket(stack, 'aws_s3_bucket_ownership_controls', r).length > 0 ? undefined : 'has no aws_s3_bucket_ownership_controls (ACLs stay enabled)';
      const ownership = block(r.body.rule)?.object_ownership;
      return ownership === 'BucketOwnerEnforced' ? undefined : `sets object ownership ${JSON.stringify(ownership)}, not "BucketOwnerEnforced" (ACLs stay enabled)`;
    },
  },
  {
    id: 'AWS-S3-007',
    severity: 'warning',
    title: 'Bucket lifecycles abort incomplete multipart uploads',
    rationale: 'Parts of abandoned uploads are stored and billed forever, invisible in object listings.',
    // checkov resource/aws/S3AbortIncompleteUploads.py
    checkov: [{ id: 'CKV_AWS_300', relation: 'broader', difference: 'CKV_AWS_300 checks lifecycle configurations that exist; this rule also fails a bucket with none.' }],
    types: ['aws_s3_bucket', 'aws_s3_bucket_lifecycle_configuration'],
    check(r, stack) {
      if (r.type === 'aws_s3_bucket') return ofBucket(stack, 'aws_s3_bucket_lifecycle_configuration', r).length > 0 ? undefined : 'has no lifecycle configuration (aws_s3_bucket_lifecycle_configuration) aborting incomplete multipart uploads';
      return blocks(r.body.rule).some(abortsEveryUpload) ? undefined : 'has no enabled rule aborting the incomplete multipart uploads of the whole bucket (one with no prefix, size or tag filter)';
    },
  },
  {
    id: 'AWS-S3-008',
    severity: 'error',
    title: 'Bucket policies grant nothing to everyone',
    rationale: 'An Allow for a wildcard principal that no account, organization, network or source condition narrows publishes the bucket to the internet.',
    // checkov resource/aws/S3AllowsAnyPrincipal.py
    checkov: [{ id: 'CKV_AWS_70', relation: 'narrower', difference: 'Conditions are read as cloudsplaining reads them for checkov\'s other resource-policy checks, so a source account, IP range or VPC endpoint condition narrows a wildcard principal, where CKV_AWS_70 accepts only its own list of condition keys.' }],
    types: ['aws_s3_bucket_policy', 'aws_s3_bucket'],
    check(r, stack) {
      return publicGrants(stack.document(r, 'policy'));
    },
  },
  {
    id: 'AWS-S3-009',
    severity: 'error',
    title: 'Buckets have no public ACL',
    rationale: 'public-read, public-read-write and authenticated-read ACLs, and grants to the AllUsers or AuthenticatedUsers groups, open the bucket to anyone (with any AWS account).',
    // checkov graph_checks/aws/S3PublicACLRead.yaml (its "website" value is no canned ACL S3 accepts)
    checkov: [{ id: 'CKV_AWS_20', relation: 'broader', difference: 'CKV_AWS_20 looks for grants to AllUsers only, not to AuthenticatedUsers.' }],
    types: ['aws_s3_bucket_acl', 'aws_s3_bucket'],
    check(r) {
      const acl = r.body.acl;
      const grants = blocks(block(r.body.access_control_policy)?.grant).filter((g) => PUBLIC_GROUPS.test(String(block(g.grantee)?.uri ?? '')));
      return [...(PUBLIC_ACLS.includes(acl) ? [`has the canned ACL "${acl}"`] : []), ...grants.map((g) => `grants ${g.permission} to ${block(g.grantee)!.uri}`)];
    },
  },
  {
    id: 'AWS-EFS-001',
    severity: 'error',
    title: 'File systems are encrypted at rest',
    rationale: 'EFS encryption can only be chosen at creation: an unencrypted file system must be copied to fix it.',
    // checkov resource/aws/EFSEncryptionEnabled.py; cdk-nag efs/EFSEncrypted.ts
    checkov: [{ id: 'CKV_AWS_42', relation: 'equivalent' }],
    cdkNag: [{ id: 'AwsSolutions-EFS1', relation: 'broader', difference: 'cdk-nag fails only encrypted = false, not a file system that leaves encrypted unset.' }],
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
    // checkov graph_checks/aws/EFSAddedBackup.yaml; cdk-nag efs/EFSInBackupPlan.ts
    checkov: [{ id: 'CKV2_AWS_18', relation: 'narrower', difference: 'The file system\'s automatic backups (aws_efs_backup_policy ENABLED, run by AWS Backup\'s default plan) count as well as a backup selection of it.' }],
    cdkNag: [{ id: 'NIST.800.53.R5-EFSInBackupPlan', relation: 'narrower', difference: 'Automatic backups count, as for CKV2_AWS_18.' }],
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
    rationale: 'A POSIX user and a root directory below "/" on the access point confine every client to its own directory with fixed ownership, whatever user its container runs as.',
    // checkov resource/aws/EFSAccessPointRoot.py, resource/aws/EFSAccessUserIdentity.py
    checkov: [
      { id: 'CKV_AWS_329', relation: 'broader', difference: 'CKV_AWS_329 checks the root directory only, CKV_AWS_330 the user only; this rule checks both.' },
      { id: 'CKV_AWS_330', relation: 'broader' },
    ],
    types: ['aws_efs_access_point'],
    check(r) {
      const path = block(r.body.root_directory)?.path;
      const missing = [!block(r.body.posix_user) && 'posix_user', (!path || path === '/') && 'root_directory.path'].filter(Boolean);
      return missing.length ? `does not enforce ${missing.join(' and ')}${path === '/' ? ' (a root directory of "/" is the whole file system)' : ''}` : undefined;
    },
  },
  {
    id: 'AWS-EFS-004',
    severity: 'warning',
    title: 'File systems are encrypted with a customer managed key',
    rationale: 'Under the stack\'s key, mounting and backing up the file system fall under its key policy, and disabling the key shuts the data at once.',
    // checkov resource/aws/EFSFileSystemEncryptedWithCMK.py
    checkov: [{ id: 'CKV_AWS_184', relation: 'equivalent' }],
    types: ['aws_efs_file_system'],
    check(r) {
      return r.body.kms_key_id ? undefined : 'is encrypted with the AWS managed key aws/elasticfilesystem (no kms_key_id)';
    },
  },
  {
    id: 'AWS-DDB-001',
    severity: 'error',
    title: 'Tables have point-in-time recovery',
    rationale: 'PITR restores a table to any second of the last 35 days after a bad write or delete; without it there is no way back.',
    // checkov resource/aws/DynamodbRecovery.py; cdk-nag dynamodb/DynamoDBPITREnabled.ts
    checkov: [{ id: 'CKV_AWS_28', relation: 'equivalent' }],
    cdkNag: [{ id: 'AwsSolutions-DDB3', relation: 'equivalent' }],
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
    // checkov resource/aws/DynamoDBTablesEncrypted.py
    checkov: [{ id: 'CKV_AWS_119', relation: 'narrower', difference: 'Only a table naming a key it does not use fails: a table on the AWS owned or AWS managed key passes, where CKV_AWS_119 asks every table for a customer managed key.' }],
    types: ['aws_dynamodb_table'],
    check(r) {
      const sse = block(r.body.server_side_encryption);
      return sse && isFalse(sse.enabled) && sse.kms_key_arn ? 'names a KMS key with server_side_encryption.enabled = false (the key is not used)' : undefined;
    },
  },
];
