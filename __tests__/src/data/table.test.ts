import { DynamodbTable } from '@cdktf/provider-aws/lib/dynamodb-table';
import { AwsStack } from '../../../src/core/aws-stack';
import { ServiceRole } from '../../../src/security/iam';
import { EncryptionKey } from '../../../src/security/kms';
import { Table, TableProps } from '../../../src/data/table';
import { errorOf, findBy, isAbsent, onlyOf, resourcesOf, statementsOf, synthConstructs } from '../../helpers/synth';

const KEY_ARN = 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';

function synthTable(props: Partial<TableProps> = {}, extra: (stack: AwsStack, table: Table) => void = () => undefined) {
  let table!: Table;
  const out = synthConstructs((stack) => {
    table = new Table(stack, 'items', { tableName: 'items', partitionKey: { name: 'pk', type: 'S' }, ...props });
    extra(stack, table);
  });
  return { ...out, table };
}

describe('Table', () => {
  it('is on-demand, encrypted, recoverable and deletion-protected by default', () => {
    const { text, json } = synthTable();
    expect(text).toHaveResourceWithProperties(DynamodbTable, {
      name: 'items',
      billing_mode: 'PAY_PER_REQUEST',
      hash_key: 'pk',
      attribute: [{ name: 'pk', type: 'S' }],
      point_in_time_recovery: { enabled: true },
      server_side_encryption: { enabled: true },
      deletion_protection_enabled: true,
      tags: { Name: 'items' },
    });
    const table = onlyOf(json, 'aws_dynamodb_table');
    for (const path of ['range_key', 'read_capacity', 'write_capacity', 'ttl', 'global_secondary_index', 'lifecycle', 'server_side_encryption.kms_key_arn']) {
      expect([path, isAbsent(table, path)]).toEqual([path, true]);
    }
  });

  it('keeps the logical id of the table (a new id would replace it and lose its data)', () => {
    const { json } = synthTable();
    expect(resourcesOf(json, 'aws_dynamodb_table').map(([id]) => id)).toEqual(['items_this_1BF19BA0']);
  });

  it('declares each key attribute once, for the table and its indexes', () => {
    const { json } = synthTable({
      sortKey: { name: 'sk', type: 'S' },
      globalSecondaryIndexes: [
        { indexName: 'by-owner', partitionKey: { name: 'owner', type: 'S' }, sortKey: { name: 'sk', type: 'S' } },
        { indexName: 'by-status', partitionKey: { name: 'status', type: 'N' }, projectionType: 'KEYS_ONLY' },
      ],
    });
    const table = onlyOf(json, 'aws_dynamodb_table');
    expect(table.range_key).toBe('sk');
    expect(table.attribute).toEqual([
      { name: 'pk', type: 'S' },
      { name: 'sk', type: 'S' },
      { name: 'owner', type: 'S' },
      { name: 'status', type: 'N' },
    ]);
    expect(table.global_secondary_index).toEqual([
      { name: 'by-owner', hash_key: 'owner', range_key: 'sk', projection_type: 'ALL' },
      { name: 'by-status', hash_key: 'status', projection_type: 'KEYS_ONLY' },
    ]);
  });

  it('gives provisioned capacity to the table and each index', () => {
    const { json } = synthTable({ billingMode: 'PROVISIONED', readCapacity: 10, writeCapacity: 5, globalSecondaryIndexes: [{ indexName: 'by-owner', partitionKey: { name: 'owner', type: 'S' } }] });
    const table = onlyOf(json, 'aws_dynamodb_table');
    expect(table).toMatchObject({ billing_mode: 'PROVISIONED', read_capacity: 10, write_capacity: 5 });
    expect(table.global_secondary_index).toEqual([{ name: 'by-owner', hash_key: 'owner', projection_type: 'ALL', read_capacity: 10, write_capacity: 5 }]);
  });

  it('takes a customer key, TTL, opt-outs, prevent_destroy and tags from its props', () => {
    const { json, table } = synthTable({ kmsKeyArn: KEY_ARN, timeToLiveAttribute: 'expiresAt', pointInTimeRecovery: false, deletionProtection: false, preventDestroy: true, tags: { Team: 'data' } });
    const resource = onlyOf(json, 'aws_dynamodb_table');
    expect(resource).toMatchObject({
      server_side_encryption: { enabled: true, kms_key_arn: KEY_ARN },
      ttl: { attribute_name: 'expiresAt', enabled: true },
      // Written out: without the block the provider would keep recovery on.
      point_in_time_recovery: { enabled: false },
      deletion_protection_enabled: false,
      lifecycle: { prevent_destroy: true },
      tags: { Team: 'data', Name: 'items' },
    });
    expect(table.kmsKeyArn).toBe(KEY_ARN);
  });

  it('uses the AWS owned key when asked (server_side_encryption enabled = false is DynamoDB\'s default key, not plaintext)', () => {
    expect(onlyOf(synthTable({ defaultEncryption: 'aws-owned' }).json, 'aws_dynamodb_table').server_side_encryption).toEqual({ enabled: false });
    expect(onlyOf(synthTable({ defaultEncryption: 'aws-managed' }).json, 'aws_dynamodb_table').server_side_encryption).toEqual({ enabled: true });
    expect(errorOf(() => synthTable({ defaultEncryption: 'aws-owned', kmsKeyArn: KEY_ARN }))).toBe(
      'test/items: defaultEncryption: "aws-owned" has no effect with a customer managed key (kmsKey or kmsKeyArn); remove one of them',
    );
  });

  it('uses an EncryptionKey made in the stack', () => {
    const { json } = synthConstructs((stack) => {
      const key = new EncryptionKey(stack, 'key', { alias: 'items', description: 'items table' });
      new Table(stack, 'items', { tableName: 'items', partitionKey: { name: 'pk', type: 'S' }, kmsKey: key });
    });
    expect(onlyOf(json, 'aws_dynamodb_table').server_side_encryption).toEqual({ enabled: true, kms_key_arn: expect.stringMatching(/^\$\{aws_kms_key\.key_\w+\.arn\}$/) });
  });

  it('grants reading and writing items of the table and its indexes, with key use for a customer key', () => {
    const { json } = synthTable({ kmsKeyArn: KEY_ARN }, (stack, t) => {
      t.grantReadData(new ServiceRole(stack, 'reader', { name: 'reader', assumedBy: 'ecs-tasks.amazonaws.com' }));
      t.grantWriteData(new ServiceRole(stack, 'writer', { name: 'writer', assumedBy: 'ecs-tasks.amazonaws.com' }));
      t.grantReadWriteData(new ServiceRole(stack, 'both', { name: 'both', assumedBy: 'ecs-tasks.amazonaws.com' }));
    });
    const [[key]] = resourcesOf(json, 'aws_dynamodb_table');
    const resources = [`\${aws_dynamodb_table.${key}.arn}`, `\${aws_dynamodb_table.${key}.arn}/index/*`];
    const read = ['dynamodb:BatchGetItem', 'dynamodb:ConditionCheckItem', 'dynamodb:DescribeTable', 'dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:Scan'];
    const write = ['dynamodb:BatchWriteItem', 'dynamodb:DeleteItem', 'dynamodb:DescribeTable', 'dynamodb:PutItem', 'dynamodb:UpdateItem'];
    expect(statementsOf(findBy(json, 'aws_iam_role_policy', 'name', 'reader-permissions'))).toEqual([
      { Effect: 'Allow', Action: read, Resource: resources },
      { Effect: 'Allow', Action: ['kms:Decrypt'], Resource: KEY_ARN },
    ]);
    expect(statementsOf(findBy(json, 'aws_iam_role_policy', 'name', 'writer-permissions'))).toEqual([
      { Effect: 'Allow', Action: write, Resource: resources },
      { Effect: 'Allow', Action: ['kms:Decrypt', 'kms:GenerateDataKey*'], Resource: KEY_ARN },
    ]);
    expect(statementsOf(findBy(json, 'aws_iam_role_policy', 'name', 'both-permissions'))).toEqual([
      { Effect: 'Allow', Action: [...new Set([...read, ...write])].sort(), Resource: resources },
      { Effect: 'Allow', Action: ['kms:Decrypt', 'kms:GenerateDataKey*'], Resource: KEY_ARN },
    ]);
  });

  it('grants no key use with the AWS managed key', () => {
    const { json } = synthTable({}, (stack, t) => t.grantReadData(new ServiceRole(stack, 'reader', { name: 'reader', assumedBy: 'ecs-tasks.amazonaws.com' })));
    expect(statementsOf(onlyOf(json, 'aws_iam_role_policy')).map((s) => s.Action)).toEqual([expect.arrayContaining(['dynamodb:GetItem'])]);
  });

  it('offers per-operation throttling and error metrics, and their sum over operations', () => {
    const { table } = synthTable();
    expect(table.metricThrottledRequests('PutItem')).toEqual({
      namespace: 'AWS/DynamoDB',
      metricName: 'ThrottledRequests',
      dimensions: { TableName: table.tableName, Operation: 'PutItem' },
      stat: 'Sum',
      label: 'items PutItem throttled',
    });
    expect(table.metricSystemErrors('Query')).toMatchObject({ metricName: 'SystemErrors', stat: 'Sum', dimensions: { TableName: table.tableName, Operation: 'Query' } });
    const all = table.metricThrottledRequestsForOperations();
    expect(Object.keys(all.metrics)).toHaveLength(10);
    expect(all.expression).toMatch(/^FILL\(getitem, 0\) \+ FILL\(putitem, 0\) \+ .* \+ FILL\(transactwriteitems, 0\)$/);
    expect(all.metrics.getitem).toMatchObject({ metricName: 'ThrottledRequests', dimensions: { TableName: table.tableName, Operation: 'GetItem' }, stat: 'Sum' });
    const errors = table.metricSystemErrorsForOperations(['GetItem', 'Query']);
    expect(errors.expression).toBe('FILL(getitem, 0) + FILL(query, 0)');
    expect(errors.metrics.query.metricName).toBe('SystemErrors');
  });

  it('rejects bad props with the construct path, the value and what is allowed', () => {
    expect(
      errorOf(() =>
        synthTable({
          tableName: 'x',
          readCapacity: 5,
          kmsKeyArn: 'alias/aws/dynamodb',
          sortKey: { name: 'pk', type: 'N' },
          globalSecondaryIndexes: [
            { indexName: 'by-owner', partitionKey: { name: 'owner', type: 'S' } },
            { indexName: 'by-owner', partitionKey: { name: 'owner', type: 'N' } },
          ],
        }),
      ),
    ).toBe(
      [
        'test/items: invalid props:',
        '  tableName: "x" is not a DynamoDB table name (3-255 letters, digits, "_", "." and "-")',
        '  kmsKeyArn: "alias/aws/dynamodb" is not a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>; not an alias)',
        '  readCapacity: 5 has no effect with billingMode "PAY_PER_REQUEST" (on-demand); remove it or set billingMode "PROVISIONED"',
        '  sortKey.type: "N" differs from partitionKey.type ("S") for attribute "pk"; an attribute has one type',
        '  globalSecondaryIndexes[1].partitionKey.type: "N" differs from globalSecondaryIndexes[0].partitionKey.type ("S") for attribute "owner"; an attribute has one type',
        '  sortKey.name: "pk" is the partition key too; give the sort key another attribute',
        '  globalSecondaryIndexes[1].indexName: "by-owner" is used by another index; index names are unique in a table',
      ].join('\n'),
    );
  });

  it('requires capacities with PROVISIONED and one key source at most', () => {
    expect(errorOf(() => synthTable({ billingMode: 'PROVISIONED', readCapacity: 0 }))).toBe(
      [
        'test/items: invalid props:',
        '  readCapacity: 0 is not a capacity; allowed: a whole number of units, at least 1',
        '  writeCapacity: is required with billingMode "PROVISIONED"',
      ].join('\n'),
    );
    const message = errorOf(() =>
      synthConstructs((stack) => {
        const key = new EncryptionKey(stack, 'key', { alias: 'items', description: 'items table' });
        new Table(stack, 'items', { tableName: 'items', partitionKey: { name: 'pk', type: 'S' }, kmsKey: key, kmsKeyArn: KEY_ARN });
      }),
    );
    expect(message).toBe(`test/items: kmsKeyArn: "${KEY_ARN}" is set together with kmsKey; give one of them`);
  });
});
