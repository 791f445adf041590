import { Construct } from 'constructs';
import { Token } from 'cdktf';
import { ElasticacheReplicationGroup } from '@cdktf/provider-aws/lib/elasticache-replication-group';
import { ElasticacheSubnetGroup } from '@cdktf/provider-aws/lib/elasticache-subnet-group';
import { nameTags } from '../core/tags';
import { PropsValidator } from '../core/validation';
import type { EncryptionKey } from '../security/kms';
import { SecurityGroup } from '../network/security-group';
import type { IVpc } from '../network/vpc';

/** Engine versions used unless told otherwise (Valkey needs one named; AWS has no default for it). */
const DEFAULT_ENGINE_VERSION = { valkey: '8.0', redis: '7.1' } as const;

const DAY = '(mon|tue|wed|thu|fri|sat|sun)';
const TIME = '([01]\\d|2[0-3]):[0-5]\\d';
const SNAPSHOT_WINDOW = new RegExp(`^${TIME}-${TIME}$`);
const MAINTENANCE_WINDOW = new RegExp(`^${DAY}:${TIME}-${DAY}:${TIME}$`);

export interface RedisCacheProps {
  /**
   * Replication group id and base of the other names: 1-40 lowercase letters, digits and "-",
   * starting with a letter, without "--" or a trailing "-". Changing it replaces the cache (and
   * empties it).
   */
  readonly name: string;
  /** The VPC: the subnet group holds its private subnets (two zones or more with replicas). */
  readonly vpc: IVpc;
  /**
   * `valkey` or `redis` (Redis OSS). Valkey is the open-source continuation of Redis OSS 7.2,
   * speaks the same protocol to the same clients (`redis-py`, `ioredis`, `rediss://` URLs), and
   * ElastiCache prices its nodes 20 % below Redis OSS; ElastiCache upgrades a Redis OSS cache to
   * Valkey in place. Choose `redis` only for a client that checks the server name.
   * @default "valkey"
   */
  readonly engine?: 'valkey' | 'redis';
  /**
   * Engine version (major.minor).
   * @default "8.0" for valkey, "7.1" for redis
   */
  readonly engineVersion?: string;
  /**
   * Node type, e.g. `cache.t4g.micro` (0.5 GiB), `cache.t4g.small` (1.37 GiB), `cache.r7g.large`
   * (13 GiB). Burstable `cache.t*` nodes suit caches with light, spiky load.
   * @default "cache.t4g.micro"
   */
  readonly nodeType?: string;
  /**
   * Read replicas (0-5). With one or more, the group gets automatic failover and Multi-AZ (a
   * replica in another zone is promoted when the primary fails); without, a failed node is
   * replaced empty.
   * @default 0
   */
  readonly replicas?: number;
  /**
   * Customer managed key for encryption at rest (encryption at rest and in transit are always on).
   * @default - the AWS managed ElastiCache key
   */
  readonly kmsKey?: EncryptionKey;
  /**
   * Days automatic snapshots are kept (0 turns them off; at most 35).
   * @default 1
   */
  readonly snapshotRetentionDays?: number;
  /**
   * Daily UTC window of the snapshot (`hh:mm-hh:mm`, at least 60 minutes, apart from the
   * maintenance window).
   * @default "03:00-04:00"
   */
  readonly snapshotWindow?: string;
  /**
   * Weekly UTC maintenance window (`ddd:hh:mm-ddd:hh:mm`, at least 60 minutes).
   * @default "sun:04:30-sun:05:30"
   */
  readonly maintenanceWindow?: string;
  /**
   * AUTH token clients must send: a plan-time value (a sensitive Terraform variable), never a
   * literal. 16-128 printable characters without `@`, `"` and `/`.
   * @default - no AUTH token (access is controlled by the security group; TLS is required)
   */
  readonly authToken?: string;
  /**
   * Apply changes (node type, engine version) at once instead of in the next maintenance window.
   * @default false
   */
  readonly applyImmediately?: boolean;
  /**
   * Name of a final snapshot taken when the cache is deleted.
   * @default - no final snapshot
   */
  readonly finalSnapshotName?: string;
}

/**
 * An ElastiCache replication group (cluster mode disabled: one shard, a primary and up to five
 * replicas) of Valkey or Redis OSS in private subnets: its subnet group, its own security group
 * (no inbound rule until `allowFrom`), encryption at rest (KMS) and in transit (TLS required, so
 * clients connect with `rediss://`), automatic failover and Multi-AZ only with replicas, daily
 * snapshots and a weekly maintenance window. The replication group is stateful (its logical id is
 * its identity); the security group is replaceable.
 */
export class RedisCache extends Construct {
  /** The replication group resource. */
  public readonly resource: ElasticacheReplicationGroup;
  public readonly subnetGroup: ElasticacheSubnetGroup;
  public readonly securityGroup: SecurityGroup;
  public readonly securityGroupId: string;
  /** Address of the primary (writes and reads). */
  public readonly primaryEndpoint: string;
  /** Address that spreads reads over the replicas (the primary without replicas). */
  public readonly readerEndpoint: string;
  public readonly port: number;
  /** `rediss://<primary>:<port>` (TLS). With an AUTH token, clients add it themselves. */
  public readonly url: string;
  public readonly engine: 'valkey' | 'redis';

  constructor(scope: Construct, id: string, props: RedisCacheProps) {
    super(scope, id);
    const engine = props.engine ?? 'valkey';
    const version = props.engineVersion ?? DEFAULT_ENGINE_VERSION[engine];
    const replicas = props.replicas ?? 0;
    const retention = props.snapshotRetentionDays ?? 1;
    const snapshotWindow = props.snapshotWindow ?? '03:00-04:00';
    const maintenanceWindow = props.maintenanceWindow ?? 'sun:04:30-sun:05:30';
    const nodeType = props.nodeType ?? 'cache.t4g.micro';
    const subnetIds = props.vpc.privateSubnetIds;
    const v = new PropsValidator(this)
      .check(/^[a-z](?!.*--)[a-z0-9-]{0,39}$/.test(props.name) && !props.name.endsWith('-'), 'name', props.name, 'is not a replication group id (1-40 lowercase letters, digits and "-", starting with a letter, no "--", not ending with "-")')
      .oneOf('engine', props.engine, ['valkey', 'redis'])
      .matches('engineVersion', props.engineVersion, /^\d+\.\d+$/, 'an engine version "major.minor" such as "8.0"')
      .matches('nodeType', nodeType, /^cache\.[a-z0-9]+\.[a-z0-9]+$/, 'an ElastiCache node type such as "cache.t4g.micro"')
      .check(Number.isInteger(replicas), 'replicas', replicas, 'is not a whole number')
      .range('replicas', replicas, 0, 5)
      .check(Number.isInteger(retention), 'snapshotRetentionDays', retention, 'is not a whole number of days')
      .range('snapshotRetentionDays', retention, 0, 35, 'days')
      .matches('snapshotWindow', snapshotWindow, SNAPSHOT_WINDOW, 'a daily UTC window "hh:mm-hh:mm"')
      .matches('maintenanceWindow', maintenanceWindow, MAINTENANCE_WINDOW, 'a weekly UTC window "ddd:hh:mm-ddd:hh:mm" such as "sun:04:30-sun:05:30"')
      .check(replicas === 0 || subnetIds.length >= 2, 'vpc', props.vpc.node.path, `has ${subnetIds.length} private subnet; Multi-AZ with replicas needs subnets in two zones or more`)
      .matches('finalSnapshotName', props.finalSnapshotName, /^[A-Za-z][A-Za-z0-9-]{0,254}$/, 'a snapshot name (letters, digits and "-", starting with a letter)');
    if (nodeType.startsWith('cache.t1.') && replicas > 0) v.fail('nodeType', `${JSON.stringify(nodeType)} does not support automatic failover; use cache.t3 or newer with replicas`);
    if (props.authToken !== undefined) v.check(Token.isUnresolved(props.authToken), 'authToken', '(a literal)', 'would be written into the synthesized configuration; give a plan-time value such as a sensitive Terraform variable');
    if (SNAPSHOT_WINDOW.test(snapshotWindow) && windowMinutes(snapshotWindow) < 60) v.fail('snapshotWindow', `${JSON.stringify(snapshotWindow)} is shorter than 60 minutes`);
    if (MAINTENANCE_WINDOW.test(maintenanceWindow) && windowMinutes(maintenanceWindow) < 60) v.fail('maintenanceWindow', `${JSON.stringify(maintenanceWindow)} is shorter than 60 minutes`);
    v.throwIfInvalid();
    this.engine = engine;
    this.port = 6379;

    this.securityGroup = new SecurityGroup(this, 'sg', { name: `${props.name}-cache`, description: `${engine === 'valkey' ? 'Valkey' : 'Redis'} ${props.name}`, vpcId: props.vpc.vpcId, allowAllOutbound: false });
    this.securityGroupId = this.securityGroup.securityGroupId;
    this.subnetGroup = new ElasticacheSubnetGroup(this, 'subnets', {
      name: props.name,
      description: `Private subnets of ${props.name}`,
      subnetIds: [...subnetIds],
      tags: nameTags(props.name),
    });
    const failover = replicas > 0;
    this.resource = new ElasticacheReplicationGroup(this, 'this', {
      replicationGroupId: props.name,
      description: `${engine === 'valkey' ? 'Valkey' : 'Redis OSS'} cache ${props.name}`,
      engine,
      engineVersion: version,
      nodeType,
      port: this.port,
      numCacheClusters: 1 + replicas,
      automaticFailoverEnabled: failover,
      multiAzEnabled: failover,
      subnetGroupName: this.subnetGroup.name,
      securityGroupIds: [this.securityGroupId],
      atRestEncryptionEnabled: 'true',
      kmsKeyId: props.kmsKey?.keyArn,
      transitEncryptionEnabled: true,
      authToken: props.authToken,
      snapshotRetentionLimit: retention,
      snapshotWindow: retention > 0 ? snapshotWindow : undefined,
      maintenanceWindow,
      autoMinorVersionUpgrade: 'true',
      applyImmediately: props.applyImmediately ?? false,
      finalSnapshotIdentifier: props.finalSnapshotName,
      tags: nameTags(props.name),
    });
    this.primaryEndpoint = this.resource.primaryEndpointAddress;
    this.readerEndpoint = this.resource.readerEndpointAddress;
    this.url = `rediss://${this.primaryEndpoint}:${this.port}`;
  }

  /** Opens the cache port to a client security group. */
  public allowFrom(securityGroupId: string, description = 'Cache clients'): void {
    this.securityGroup.addIngress({ peer: { securityGroupId }, port: this.port, description });
  }
}

/** Length in minutes of a `hh:mm-hh:mm` or `ddd:hh:mm-ddd:hh:mm` window (wrapping past midnight or Sunday). */
function windowMinutes(window: string): number {
  const days = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
  const at = (part: string) => {
    const bits = part.split(':');
    const day = bits.length === 3 ? days.indexOf(bits.shift()!) : 0;
    return day * 1440 + Number(bits[0]) * 60 + Number(bits[1]);
  };
  const [from, to] = window.split('-');
  const span = bits3(window) ? 7 * 1440 : 1440;
  return (((at(to) - at(from)) % span) + span) % span;
}

function bits3(window: string): boolean {
  return window.split('-')[0].split(':').length === 3;
}
