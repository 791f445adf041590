import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
import { S3BucketVersioningA } from '@cdktf/provider-aws/lib/s3-bucket-versioning';
import { PolicyStatement } from '../../../src/core/iam';
import { SecureBucket } from '../../../src/data/bucket';
import { AccessLogBucket } from '../../../src/data/access-logs';
import { EncryptionKey } from '../../../src/security/kms';
import { allOf, countOf, errorOf, onlyOf, statementsOf, synthConstructs } from '../../helpers/synth';

describe('SecureBucket', () => {
  it('is versioned, KMS-encrypted, private and TLS-only by default', () => {
    const { text, json } = synthConstructs((stack) => new SecureBucket(stack, 'data', { bucketName: 'my-data' }));
    expect(text).toHaveResourceWithProperties(S3Bucket, { bucket: 'my-data', force_destroy: false, tags: { Name: 'my-data' } });
    expect(text).toHaveResourceWithProperties(S3BucketVersioningA, { versioning_configuration: { status: 'Enabled' } });
    expect(onlyOf(json, 'aws_s3_bucket_server_side_encryption_configuration').rule).toEqual([
      { apply_server_side_encryption_by_default: { sse_algorithm: 'aws:kms' }, bucket_key_enabled: true },
    ]);
    expect(text).toHaveResourceWithProperties(S3BucketPublicAccessBlock, {
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
    expect(onlyOf(json, 'aws_s3_bucket_ownership_controls').rule).toEqual({ object_ownership: 'BucketOwnerEnforced' });
    const [deny] = statementsOf(onlyOf(json, 'aws_s3_bucket_policy'));
    expect(deny).toEqual({
      Sid: 'DenyInsecureTransport',
      Effect: 'Deny',
      Principal: '*',
      Action: 's3:*',
      Resource: [expect.stringMatching(/^\$\{aws_s3_bucket\.data_this_\w+\.arn\}$/), expect.stringMatching(/^\$\{aws_s3_bucket\.data_this_\w+\.arn\}\/\*$/)],
      Condition: { Bool: { 'aws:SecureTransport': 'false' } },
    });
    const rules = onlyOf(json, 'aws_s3_bucket_lifecycle_configuration').rule;
    expect(rules).toEqual([
      { id: 'abort-incomplete-multipart-uploads', status: 'Enabled', filter: [{ prefix: '' }], abort_incomplete_multipart_upload: [{ days_after_initiation: 7 }] },
    ]);
    expect(onlyOf(json, 'aws_s3_bucket').lifecycle).toBeUndefined();
  });

  it('supports SSE-S3, a customer key, expirations, prevent_destroy and opt-outs', () => {
    const { json } = synthConstructs((stack) => {
      new SecureBucket(stack, 'a', { bucketName: 'bucket-a', encryption: 'AES256', versioned: false, enforceTls: false, blockPublicAccess: false, forceDestroy: true, expirationDays: 30 });
      new SecureBucket(stack, 'b', { bucketName: 'bucket-b', kmsKeyArn: 'arn:aws:kms:eu-west-1:123456789012:key/k', preventDestroy: true, noncurrentVersionExpirationDays: 90 });
    });
    expect(countOf(json, 'aws_s3_bucket_versioning')).toBe(1);
    expect(countOf(json, 'aws_s3_bucket_policy')).toBe(1);
    expect(countOf(json, 'aws_s3_bucket_public_access_block')).toBe(1);
    const sse = allOf(json, 'aws_s3_bucket_server_side_encryption_configuration').map((r) => r.rule[0].apply_server_side_encryption_by_default);
    expect(sse).toEqual([{ sse_algorithm: 'AES256' }, { sse_algorithm: 'aws:kms', kms_master_key_id: 'arn:aws:kms:eu-west-1:123456789012:key/k' }]);
    const buckets = allOf(json, 'aws_s3_bucket');
    expect(buckets[0].force_destroy).toBe(true);
    expect(buckets[1].lifecycle).toEqual({ prevent_destroy: true });
    const lifecycles = allOf(json, 'aws_s3_bucket_lifecycle_configuration').map((l) => l.rule.map((r: any) => r.id));
    expect(lifecycles).toEqual([
      ['abort-incomplete-multipart-uploads', 'expire-current-objects'],
      ['abort-incomplete-multipart-uploads', 'expire-noncurrent-versions'],
    ]);
  });

  it('grants read and read-write access as policy statements', () => {
    const read: PolicyStatement[] = [];
    const write: PolicyStatement[] = [];
    synthConstructs((stack) => {
      const b = new SecureBucket(stack, 'data', { bucketName: 'my-data' });
      b.grantRead({ addToPolicy: (st) => read.push(st) }, 'index/*');
      b.grantReadWrite({ addToPolicy: (st) => write.push(st) });
    });
    expect(read[1].Action).toEqual(['s3:GetObject', 's3:GetObjectVersion']);
    expect(String(read[1].Resource)).toMatch(/\/index\/\*$/);
    expect(write[1].Action).toContain('s3:PutObject');
    expect(write[1].Action).toContain('s3:DeleteObject');
  });

  it('includes the customer key in its grants, and only then', () => {
    const key = 'arn:aws:kms:eu-west-1:123456789012:key/0f1e2d3c';
    const grants = (kmsKeyArn?: string) => {
      const out: { read: any[]; write: any[]; rw: any[] } = { read: [], write: [], rw: [] };
      synthConstructs((stack) => {
        const b = new SecureBucket(stack, 'data', { bucketName: 'shop-data', kmsKeyArn });
        b.grantRead({ addToPolicy: (st) => out.read.push(st) });
        b.grantWrite({ addToPolicy: (st) => out.write.push(st) });
        b.grantReadWrite({ addToPolicy: (st) => out.rw.push(st) });
      });
      return out;
    };
    const withKey = grants(key);
    expect(withKey.read.at(-1)).toEqual({ Effect: 'Allow', Action: ['kms:Decrypt'], Resource: key });
    expect(withKey.write.at(-1)).toEqual({ Effect: 'Allow', Action: ['kms:Decrypt', 'kms:GenerateDataKey*'], Resource: key });
    expect(withKey.rw.at(-1)).toEqual({ Effect: 'Allow', Action: ['kms:Decrypt', 'kms:GenerateDataKey*'], Resource: key });
    const managed = grants();
    expect([...managed.read, ...managed.write, ...managed.rw].some((st) => String(st.Action).includes('kms:'))).toBe(false);
  });

  it('grants exactly the access named: ListBucket on the bucket, the object actions in one statement, the key only with a customer key', () => {
    const key = 'arn:aws:kms:eu-west-1:123456789012:key/0f1e2d3c';
    const granted = (access: Parameters<SecureBucket['grant']>[1], kmsKeyArn?: string, keyPattern?: string) => {
      const out: PolicyStatement[] = [];
      let arn = '';
      synthConstructs((stack) => {
        const b = new SecureBucket(stack, 'data', { bucketName: 'my-data', kmsKeyArn });
        arn = b.bucketArn;
        b.grant({ addToPolicy: (st) => out.push(st) }, access, keyPattern);
      });
      return { out, arn };
    };
    const all = granted(['list', 'read', 'write']);
    expect(all.out).toEqual([
      { Effect: 'Allow', Action: ['s3:ListBucket'], Resource: all.arn },
      { Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject', 's3:AbortMultipartUpload'], Resource: `${all.arn}/*` },
    ]);
    // Order of the list does not matter; no list, no bucket-level statement.
    const some = granted(['delete', 'read'], undefined, 'uploads/*');
    expect(some.out).toEqual([{ Effect: 'Allow', Action: ['s3:GetObject', 's3:DeleteObject'], Resource: `${some.arn}/uploads/*` }]);
    const list = granted(['list']);
    expect(list.out).toEqual([{ Effect: 'Allow', Action: ['s3:ListBucket'], Resource: list.arn }]);
    expect(granted(['read'], key).out.at(-1)).toEqual({ Effect: 'Allow', Action: ['kms:Decrypt'], Resource: key });
    expect(granted(['write'], key).out.at(-1)).toEqual({ Effect: 'Allow', Action: ['kms:Decrypt', 'kms:GenerateDataKey*'], Resource: key });
    expect(granted(['list', 'delete'], key).out.some((st) => String(st.Action).includes('kms:'))).toBe(false);
    expect(errorOf(() => granted([]))).toBe('test/data: grant: [] is empty; give what the grantee does: list, read, write, delete');
    expect(errorOf(() => granted(['read', 'admin' as 'read']))).toBe('test/data: grant[1]: "admin" is not a bucket access; allowed: list, read, write, delete');
  });

  it('moves objects to other storage classes on a lifecycle (Intelligent-Tiering from day 0)', () => {
    const { json } = synthConstructs((stack) => new SecureBucket(stack, 'data', { bucketName: 'shop-videos', transitions: [{ days: 0, storageClass: 'INTELLIGENT_TIERING' }], expirationDays: 30 }));
    const rules = onlyOf(json, 'aws_s3_bucket_lifecycle_configuration').rule;
    expect(rules.find((r: any) => r.id === 'transition-current-objects')).toEqual({ id: 'transition-current-objects', status: 'Enabled', filter: [{ prefix: '' }], transition: [{ days: 0, storage_class: 'INTELLIGENT_TIERING' }] });
    expect(rules.find((r: any) => r.id === 'expire-current-objects').expiration).toEqual([{ days: 30 }]);
  });

  it('encrypts with a customer key of the app (kmsKey), which its grants include', () => {
    const granted: PolicyStatement[] = [];
    let bucket!: SecureBucket;
    let kmsKey!: EncryptionKey;
    const { json } = synthConstructs((stack) => {
      kmsKey = new EncryptionKey(stack, 'key', { alias: 'shop-data', description: 'data' });
      bucket = new SecureBucket(stack, 'data', { bucketName: 'shop-data', kmsKey });
      bucket.grantRead({ addToPolicy: (s) => granted.push(s) });
    });
    const keyArn = expect.stringMatching(/^\$\{aws_kms_key\.key_\w+\.arn\}$/);
    expect(onlyOf(json, 'aws_s3_bucket_server_side_encryption_configuration').rule[0].apply_server_side_encryption_by_default).toEqual({ sse_algorithm: 'aws:kms', kms_master_key_id: keyArn });
    expect(granted).toContainEqual({ Effect: 'Allow', Action: ['kms:Decrypt'], Resource: kmsKey.keyArn });
    expect(bucket.resource).toBeInstanceOf(S3Bucket);
  });

  it('logs to an access-log bucket of the app, waiting for its policy, or to one made elsewhere, with nothing to wait for', () => {
    const { json } = synthConstructs((stack) => {
      const logs = new AccessLogBucket(stack, 'logs', { bucketName: 'shop-logs' });
      new SecureBucket(stack, 'data', { bucketName: 'shop-data', serverAccessLogs: { bucket: logs } });
      new SecureBucket(stack, 'other', { bucketName: 'shop-other', serverAccessLogs: { bucket: AccessLogBucket.fromBucketName(stack, 'org-logs', 'acme-org-logs'), prefix: 'shop/' } });
    });
    const [app, external] = allOf(json, 'aws_s3_bucket_logging').sort((a, b) => String(a.target_prefix).localeCompare(String(b.target_prefix)));
    expect(app).toMatchObject({ target_bucket: expect.stringMatching(/aws_s3_bucket\.logs_bucket_this_\w+\.bucket/), target_prefix: 's3/shop-data/', depends_on: [expect.stringMatching(/^aws_s3_bucket_policy\.logs_bucket_policy_/)] });
    expect(external).toEqual({ bucket: expect.stringMatching(/aws_s3_bucket\.other_this_/), target_bucket: 'acme-org-logs', target_prefix: 'shop/' });
    // Only the app's access-log bucket has its policy extended.
    expect(countOf(json, 'aws_s3_bucket_policy')).toBe(3);
  });

  it('takes a customer key of the app or one made elsewhere, not both', () => {
    expect(
      errorOf(() =>
        synthConstructs((stack) => {
          const kmsKey = new EncryptionKey(stack, 'key', { alias: 'shop-data', description: 'data' });
          new SecureBucket(stack, 'data', { bucketName: 'shop-data', kmsKey, kmsKeyArn: 'arn:aws:kms:eu-west-1:123456789012:key/k' });
        }),
      ),
    ).toBe('test/data: kmsKeyArn: "arn:aws:kms:eu-west-1:123456789012:key/k" is set together with kmsKey; give one of them');
  });

  it('rejects bad props with the construct path, the value and what is allowed', () => {
    const message = errorOf(() =>
      synthConstructs((stack) => new SecureBucket(stack, 'data', { bucketName: 'Bad_Name', encryption: 'AES256', kmsKeyArn: 'arn:aws:kms:eu-west-1:1:key/x', expirationDays: 0 })),
    );
    expect(message).toBe(
      [
        'test/data: invalid props:',
        '  bucketName: "Bad_Name" is not an S3 bucket name; allowed: 3-63 lowercase letters, digits, "." and "-"',
        '  kmsKeyArn: "arn:aws:kms:eu-west-1:1:key/x" needs encryption "aws:kms"',
        '  expirationDays: 0 is out of range; allowed: 1 to 36500 days',
      ].join('\n'),
    );
  });
});
