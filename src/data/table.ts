import { Construct } from 'constructs';
import { DynamodbTable, DynamodbTableAttribute, DynamodbTableGlobalSecondaryIndex } from '@cdktf/provider-aws/lib/dynamodb-table';
import { IGrantable, IKeyUser, grantKeyUse } from '../core/iam';
import { Metric } from '../core/metric';
import { nameTags } from '../core/tags';
import { PropsValidator, isArn } from '../core/validation';
import { Relations } from '../core/relations';
import type { EncryptionKey } from '../security/kms';

/** A key attribute: its name and DynamoDB type (`S` string, `N` number, `B` binary). */
export interface TableAttribute {
  /** Attribute name (1-255 characters). */
  readonly name: string;
  /** `S` (string), `N` (number) or `B` (binary). */
  readonly type: 'S' | 'N' | 'B';
}

/** A global secondary index. */
export interface GlobalSecondaryIndex {
  /** Index name (3-255 letters, digits, "_", "." and "-"), unique in the table. */
  readonly indexName: string;
  /** Partition key of the index. */
  readonly partitionKey: TableAttribute;
  /**
   * Sort key of the index.
   * @default - none
   */
  readonly sortKey?: TableAttribute;
  /**
   * Attributes copied into the index: `ALL`, or `KEYS_ONLY` (the table's and the index's keys).
   * @default "ALL"
   */
  readonly projectionType?: 'ALL' | 'KEYS_ONLY';
}

/** A DynamoDB API operation, the `Operation` dimension of per-operation metrics. */
export type TableOperation =
  | 'GetItem'
  | 'PutItem'
  | 'UpdateItem'
  | 'DeleteItem'
  | 'Query'
  | 'Scan'
  | 'BatchGetItem'
  | 'BatchWriteItem'
  | 'TransactGetItems'
  | 'TransactWriteItems';

/** The operations `metricXxxForOperations` sums by default: every data-plane operation. */
const TABLE_OPERATIONS: readonly TableOperation[] = [
  'GetItem',
  'PutItem',
  'UpdateItem',
  'DeleteItem',
  'Query',
  'Scan',
  'BatchGetItem',
  'BatchWriteItem',
  'TransactGetItems',
  'TransactWriteItems',
];

/**
 * Metric math summing a per-operation metric over operations; spread it into the monitoring
 * module's `addMathAlarm(id, { ...table.metricThrottledRequestsForOperations(), name, threshold, ... })`.
 */
export interface OperationsMetricMath {
  /** `FILL(getitem, 0) + FILL(putitem, 0) + ...`. */
  readonly expression: string;
  /** The per-operation metrics, by lowercase id (`getitem`, `putitem`, ...). */
  readonly metrics: Readonly<Record<string, Metric>>;
  /** Label of the sum. */
  readonly label: string;
}

export interface TableProps {
  /** Table name (3-255 letters, digits, "_", "." and "-"). */
  readonly tableName: string;
  /** Partition (hash) key of the table. */
  readonly partitionKey: TableAttribute;
  /**
   * Sort (range) key of the table.
   * @default - none (one item per partition key)
   */
  readonly sortKey?: TableAttribute;
  /**
   * On-demand (`PAY_PER_REQUEST`) or provisioned capacity (`PROVISIONED`, with `readCapacity` and
   * `writeCapacity`).
   * @default "PAY_PER_REQUEST"
   */
  readonly billingMode?: 'PAY_PER_REQUEST' | 'PROVISIONED';
  /**
   * Read capacity units of the table and of each global secondary index; only with
   * `billingMode: "PROVISIONED"`, where it is required.
   * @default - none (on-demand)
   */
  readonly readCapacity?: number;
  /**
   * Write capacity units of the table and of each global secondary index; only with
   * `billingMode: "PROVISIONED"`, where it is required.
   * @default - none (on-demand)
   */
  readonly writeCapacity?: number;
  /**
   * Continuous backups: restore to any second of the last 35 days.
   * @default true
   */
  readonly pointInTimeRecovery?: boolean;
  /**
   * Customer managed key of the table (not with `kmsKeyArn`).
   * @default - the AWS managed key `aws/dynamodb` (`server_side_encryption { enabled = true }`)
   */
  readonly kmsKey?: EncryptionKey;
  /**
   * ARN of a customer managed key made elsewhere (not with `kmsKey`).
   * @default - the AWS managed key `aws/dynamodb`
   */
  readonly kmsKeyArn?: string;
  /**
   * Encryption when no customer managed key is given: the AWS managed key `aws/dynamodb` (KMS,
   * visible in CloudTrail, KMS request charges) or the AWS owned key (no KMS key in the account, no
   * charge). Not with `kmsKey` or `kmsKeyArn`.
   * @default "aws-managed"
   */
  readonly defaultEncryption?: 'aws-managed' | 'aws-owned';
  /**
   * DynamoDB deletion protection: the table cannot be deleted (by Terraform or anyone) until it is
   * turned off.
   * @default true
   */
  readonly deletionProtection?: boolean;
  /**
   * Terraform `prevent_destroy`: a plan that would delete the table fails.
   * @default false
   */
  readonly preventDestroy?: boolean;
  /**
   * Attribute holding each item's expiry time (epoch seconds); DynamoDB deletes expired items.
   * @default - items never expire
   */
  readonly timeToLiveAttribute?: string;
  /**
   * Global secondary indexes (at most 20). Their key attributes are declared once each, shared
   * with the table's.
   * @default []
   */
  readonly globalSecondaryIndexes?: readonly GlobalSecondaryIndex[];
  /**
   * Tags added to the table (provider default tags apply as well).
   * @default - only `Name`
   */
  readonly tags?: Readonly<Record<string, string>>;
}

/**
 * A DynamoDB table with the defaults a system of record needs: on-demand capacity, encryption,
 * point-in-time recovery and deletion protection. Grants cover the table and its indexes.
 */
export class Table extends Construct implements IKeyUser {
  /** The table resource. */
  public readonly resource: DynamodbTable;
  public readonly tableName: string;
  public readonly tableArn: string;
  /** The customer managed key of the table, when it has one (grants include its use). */
  public readonly kmsKeyArn?: string;
  private readonly label: string;

  constructor(scope: Construct, id: string, props: TableProps) {
    super(scope, id);
    const billingMode = props.billingMode ?? 'PAY_PER_REQUEST';
    const gsis = props.globalSecondaryIndexes ?? [];
    const v = new PropsValidator(this)
      .matches('tableName', props.tableName, /^[A-Za-z0-9_.-]{3,255}$/, 'a DynamoDB table name (3-255 letters, digits, "_", "." and "-")')
      .oneOf('billingMode', props.billingMode, ['PAY_PER_REQUEST', 'PROVISIONED'] as const)
      .check(!(props.kmsKey && props.kmsKeyArn), 'kmsKeyArn', props.kmsKeyArn, 'is set together with kmsKey; give one of them')
      .oneOf('defaultEncryption', props.defaultEncryption, ['aws-managed', 'aws-owned'] as const)
      .check(props.defaultEncryption === undefined || !(props.kmsKey || props.kmsKeyArn), 'defaultEncryption', props.defaultEncryption, 'has no effect with a customer managed key (kmsKey or kmsKeyArn); remove one of them')
      .check(props.kmsKeyArn === undefined || (isArn(props.kmsKeyArn, 'kms') && /:key\/[^/]+$/.test(props.kmsKeyArn)), 'kmsKeyArn', props.kmsKeyArn, 'is not a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>; not an alias)')
      .check(gsis.length <= 20, 'globalSecondaryIndexes', gsis.map((g) => g.indexName), `has ${gsis.length} indexes; allowed: at most 20`);
    if (props.timeToLiveAttribute !== undefined) v.matches('timeToLiveAttribute', props.timeToLiveAttribute, /^.{1,255}$/, 'an attribute name (1-255 characters)');
    if (billingMode === 'PROVISIONED') {
      for (const [prop, value] of [['readCapacity', props.readCapacity], ['writeCapacity', props.writeCapacity]] as const) {
        if (value === undefined) v.fail(prop, 'is required with billingMode "PROVISIONED"');
        else v.check(Number.isInteger(value) && value >= 1, prop, value, 'is not a capacity; allowed: a whole number of units, at least 1');
      }
    } else {
      for (const [prop, value] of [['readCapacity', props.readCapacity], ['writeCapacity', props.writeCapacity]] as const) {
        v.check(value === undefined, prop, value, `has no effect with billingMode ${JSON.stringify(billingMode)} (on-demand); remove it or set billingMode "PROVISIONED"`);
      }
    }
    const attributes = collectAttributes(v, props);
    const indexNames = new Set<string>();
    gsis.forEach((g, i) => {
      v.matches(`globalSecondaryIndexes[${i}].indexName`, g.indexName, /^[A-Za-z0-9_.-]{3,255}$/, 'an index name (3-255 letters, digits, "_", "." and "-")');
      v.check(!indexNames.has(g.indexName), `globalSecondaryIndexes[${i}].indexName`, g.indexName, 'is used by another index; index names are unique in a table');
      v.oneOf(`globalSecondaryIndexes[${i}].projectionType`, g.projectionType, ['ALL', 'KEYS_ONLY'] as const);
      indexNames.add(g.indexName);
    });
    v.throwIfInvalid();

    this.label = props.tableName;
    this.kmsKeyArn = props.kmsKey?.keyArn ?? props.kmsKeyArn;
    const provisioned = billingMode === 'PROVISIONED';
    this.resource = new DynamodbTable(this, 'this', {
      name: props.tableName,
      billingMode,
      readCapacity: provisioned ? props.readCapacity : undefined,
      writeCapacity: provisioned ? props.writeCapacity : undefined,
      hashKey: props.partitionKey.name,
      rangeKey: props.sortKey?.name,
      attribute: attributes,
      globalSecondaryIndex: gsis.length
        ? gsis.map(
            (g): DynamodbTableGlobalSecondaryIndex => ({
              name: g.indexName,
              hashKey: g.partitionKey.name,
              rangeKey: g.sortKey?.name,
              projectionType: g.projectionType ?? 'ALL',
              readCapacity: provisioned ? props.readCapacity : undefined,
              writeCapacity: provisioned ? props.writeCapacity : undefined,
            }),
          )
        : undefined,
      // Written out when off too: the provider keeps whatever AWS has when the block is missing.
      pointInTimeRecovery: { enabled: props.pointInTimeRecovery ?? true },
      // `enabled = false` is DynamoDB's default encryption with the AWS owned key, not "unencrypted".
      serverSideEncryption: props.defaultEncryption === 'aws-owned' ? { enabled: false } : { enabled: true, kmsKeyArn: this.kmsKeyArn },
      ttl: props.timeToLiveAttribute !== undefined ? { attributeName: props.timeToLiveAttribute, enabled: true } : undefined,
      deletionProtectionEnabled: props.deletionProtection ?? true,
      tags: nameTags(props.tableName, props.tags),
      lifecycle: props.preventDestroy ? { preventDestroy: true } : undefined,
    });
    this.tableName = this.resource.name;
    this.tableArn = this.resource.arn;
  }

  /** Lets `grantee` read items of the table and its indexes (and decrypt with the customer key). */
  public grantReadData(grantee: IGrantable): void {
    Relations.grant(this.resource, grantee, 'read');
    grantee.addToPolicy({ Effect: 'Allow', Action: READ_ACTIONS, Resource: this.resources() });
    grantKeyUse(grantee, this, false);
  }

  /** Lets `grantee` put, update and delete items (and encrypt with the customer key). */
  public grantWriteData(grantee: IGrantable): void {
    Relations.grant(this.resource, grantee, 'write');
    grantee.addToPolicy({ Effect: 'Allow', Action: WRITE_ACTIONS, Resource: this.resources() });
    grantKeyUse(grantee, this, true);
  }

  /** Lets `grantee` read and write items (one statement; and use the customer key). */
  public grantReadWriteData(grantee: IGrantable): void {
    Relations.grant(this.resource, grantee, 'read', 'write');
    grantee.addToPolicy({ Effect: 'Allow', Action: [...new Set([...READ_ACTIONS, ...WRITE_ACTIONS])].sort(), Resource: this.resources() });
    grantKeyUse(grantee, this, true);
  }

  /**
   * Requests of one operation that DynamoDB throttled (sum over the period). DynamoDB publishes
   * `ThrottledRequests` per table *and operation* only: a metric without the operation has no
   * data. For all operations at once, `metricThrottledRequestsForOperations()`.
   */
  public metricThrottledRequests(operation: TableOperation): Metric {
    return this.metric('ThrottledRequests', operation, `${this.label} ${operation} throttled`);
  }

  /**
   * Requests of one operation that failed with an HTTP 500 (sum over the period); per operation,
   * like `metricThrottledRequests`. For all operations, `metricSystemErrorsForOperations()`.
   */
  public metricSystemErrors(operation: TableOperation): Metric {
    return this.metric('SystemErrors', operation, `${this.label} ${operation} system errors`);
  }

  /** Throttled requests summed over `operations` (metric math, for `addMathAlarm`). */
  public metricThrottledRequestsForOperations(operations: readonly TableOperation[] = TABLE_OPERATIONS): OperationsMetricMath {
    return this.sumOver('ThrottledRequests', operations, `${this.label} throttled requests`);
  }

  /** System errors summed over `operations` (metric math, for `addMathAlarm`). */
  public metricSystemErrorsForOperations(operations: readonly TableOperation[] = TABLE_OPERATIONS): OperationsMetricMath {
    return this.sumOver('SystemErrors', operations, `${this.label} system errors`);
  }

  private sumOver(metricName: string, operations: readonly TableOperation[], label: string): OperationsMetricMath {
    const v = new PropsValidator(this).check(operations.length >= 1 && operations.length <= 10, 'operations', operations, 'is not 1 to 10 operations (a CloudWatch math alarm reads at most 10 metrics)');
    operations.forEach((op, i) => v.oneOf(`operations[${i}]`, op, TABLE_OPERATIONS));
    v.throwIfInvalid();
    const metrics: Record<string, Metric> = {};
    for (const op of new Set(operations)) metrics[op.toLowerCase()] = this.metric(metricName, op, `${this.label} ${op}`);
    return { expression: Object.keys(metrics).map((id) => `FILL(${id}, 0)`).join(' + '), metrics, label };
  }

  private metric(metricName: string, operation: TableOperation, label: string): Metric {
    return { namespace: 'AWS/DynamoDB', metricName, dimensions: { TableName: this.tableName, Operation: operation }, stat: 'Sum', label };
  }

  private resources(): string[] {
    return [this.tableArn, `${this.tableArn}/index/*`];
  }
}

const READ_ACTIONS = ['dynamodb:BatchGetItem', 'dynamodb:ConditionCheckItem', 'dynamodb:DescribeTable', 'dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:Scan'];
const WRITE_ACTIONS = ['dynamodb:BatchWriteItem', 'dynamodb:DeleteItem', 'dynamodb:DescribeTable', 'dynamodb:PutItem', 'dynamodb:UpdateItem'];

/** The key attributes of the table and its indexes, each once; one name with two types is an error. */
function collectAttributes(v: PropsValidator, props: TableProps): DynamodbTableAttribute[] {
  const keys: [string, TableAttribute | undefined][] = [
    ['partitionKey', props.partitionKey],
    ['sortKey', props.sortKey],
  ];
  (props.globalSecondaryIndexes ?? []).forEach((g, i) => keys.push([`globalSecondaryIndexes[${i}].partitionKey`, g.partitionKey], [`globalSecondaryIndexes[${i}].sortKey`, g.sortKey]));
  const byName = new Map<string, { readonly type: string; readonly prop: string }>();
  for (const [prop, key] of keys) {
    if (!key) continue;
    v.matches(`${prop}.name`, key.name, /^.{1,255}$/s, 'an attribute name (1-255 characters)');
    v.oneOf(`${prop}.type`, key.type, ['S', 'N', 'B'] as const);
    const seen = byName.get(key.name);
    if (!seen) byName.set(key.name, { type: key.type, prop });
    else v.check(seen.type === key.type, `${prop}.type`, key.type, `differs from ${seen.prop}.type (${JSON.stringify(seen.type)}) for attribute ${JSON.stringify(key.name)}; an attribute has one type`);
  }
  if (props.sortKey && props.sortKey.name === props.partitionKey.name) v.check(false, 'sortKey.name', props.sortKey.name, 'is the partition key too; give the sort key another attribute');
  return [...byName.entries()].map(([name, { type }]) => ({ name, type }));
}
