import { Construct } from 'constructs';
import { EfsFileSystem } from '@cdktf/provider-aws/lib/efs-file-system';
import { EfsMountTarget } from '@cdktf/provider-aws/lib/efs-mount-target';
import { EfsAccessPoint } from '@cdktf/provider-aws/lib/efs-access-point';
import { EfsBackupPolicy } from '@cdktf/provider-aws/lib/efs-backup-policy';
import { ITerraformDependable } from 'cdktf';
import { IGrantable } from '../core/iam';
import { SecurityGroup } from '../network/security-group';
import type { IVpc } from '../network/vpc';
import { EncryptionKey } from '../security/kms';
import { nameTags } from '../core/tags';
import { PropsValidator } from '../core/validation';
import { Relations } from '../core/relations';

export interface EfsAccessPointProps {
  /** Directory the access point exposes as its root, e.g. `/index`. */
  readonly path: string;
  /** @default 1000 */
  readonly uid?: number;
  /** @default 1000 */
  readonly gid?: number;
  /** @default "0755" */
  readonly permissions?: string;
}

export interface SharedFileSystemProps {
  /** Name tag and prefix. */
  readonly name: string;
  /** The VPC: one mount target in each of its private subnets (one per zone), and the security group. */
  readonly vpc: IVpc;
  /**
   * Customer managed key of the file system.
   * @default - the AWS managed key `aws/elasticfilesystem`
   */
  readonly kmsKey?: EncryptionKey;
  /** @default "elastic" */
  readonly throughputMode?: 'elastic' | 'bursting';
  /** Move files unused this long to Infrequent Access. @default "AFTER_30_DAYS" */
  readonly transitionToIa?: string;
  /** AWS Backup daily backups. @default true */
  readonly backup?: boolean;
  /** Access point the services mount through. @default { path: "/data" } */
  readonly accessPoint?: EfsAccessPointProps;
}

/** An encrypted EFS file system with mount targets, a security group, backups and an access point. */
export class SharedFileSystem extends Construct {
  /** The file system resource. */
  public readonly resource: EfsFileSystem;
  public readonly fileSystemId: string;
  public readonly fileSystemArn: string;
  public readonly accessPoint: EfsAccessPoint;
  public readonly accessPointId: string;
  public readonly accessPointArn: string;
  public readonly securityGroup: SecurityGroup;
  public readonly securityGroupId: string;
  /** Mount targets: clients must wait for them before mounting. */
  public readonly mountTargets: EfsMountTarget[];

  constructor(scope: Construct, id: string, props: SharedFileSystemProps) {
    super(scope, id);
    const ap = props.accessPoint ?? { path: '/data' };
    new PropsValidator(this)
      .check(ap.path.startsWith('/'), 'accessPoint.path', ap.path, 'does not start with "/"')
      .throwIfInvalid();

    this.resource = new EfsFileSystem(this, 'this', {
      encrypted: true,
      kmsKeyId: (props.kmsKey ?? EncryptionKey.stackDefault(this, 'fileSystems'))?.keyArn,
      performanceMode: 'generalPurpose',
      throughputMode: props.throughputMode ?? 'elastic',
      lifecyclePolicy: [{ transitionToIa: props.transitionToIa ?? 'AFTER_30_DAYS' }],
      tags: nameTags(props.name),
    });
    this.fileSystemId = this.resource.id;
    this.fileSystemArn = this.resource.arn;
    new EfsBackupPolicy(this, 'backup', { fileSystemId: this.resource.id, backupPolicy: { status: props.backup ?? true ? 'ENABLED' : 'DISABLED' } });

    this.securityGroup = new SecurityGroup(this, 'sg', { name: `${props.name}-efs`, description: `NFS to ${props.name}`, vpcId: props.vpc.vpcId, allowAllOutbound: false });
    this.securityGroupId = this.securityGroup.securityGroupId;
    this.mountTargets = props.vpc.privateSubnetIds.map((subnetId, i) => new EfsMountTarget(this, `mount-${i + 1}`, { fileSystemId: this.resource.id, subnetId, securityGroups: [this.securityGroupId] }));

    this.accessPoint = new EfsAccessPoint(this, 'access-point', {
      fileSystemId: this.resource.id,
      posixUser: { uid: ap.uid ?? 1000, gid: ap.gid ?? 1000 },
      rootDirectory: { path: ap.path, creationInfo: { ownerUid: ap.uid ?? 1000, ownerGid: ap.gid ?? 1000, permissions: ap.permissions ?? '0755' } },
      tags: nameTags(`${props.name}${ap.path.replace(/\//g, '-')}`),
    });
    this.accessPointId = this.accessPoint.id;
    this.accessPointArn = this.accessPoint.arn;
  }

  /** What a client must wait for before it can mount: the mount targets, the access point and the NFS rules. */
  public get mountDependables(): ITerraformDependable[] {
    return [...this.mountTargets, this.accessPoint];
  }

  /** Opens NFS (2049) to a client security group. */
  public allowFrom(securityGroupId: string, description = 'NFS from a client security group'): void {
    this.securityGroup.addIngress({ peer: { securityGroupId }, port: 2049, description });
  }

  /** Lets `grantee` mount (and, unless read-only, write) through the access point. */
  public grantMount(grantee: IGrantable, readOnly = false): void {
    Relations.grant(this.resource, grantee, ...(readOnly ? (['mount'] as const) : (['mount', 'write'] as const)));
    grantee.addToPolicy({
      Effect: 'Allow',
      Action: readOnly ? ['elasticfilesystem:ClientMount'] : ['elasticfilesystem:ClientMount', 'elasticfilesystem:ClientWrite'],
      Resource: this.fileSystemArn,
      Condition: { StringEquals: { 'elasticfilesystem:AccessPointArn': this.accessPoint.arn } },
    });
  }
}
