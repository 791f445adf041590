import { EfsAccessPoint } from '@cdktf/provider-aws/lib/efs-access-point';
import { EfsBackupPolicy } from '@cdktf/provider-aws/lib/efs-backup-policy';
import { EfsFileSystem } from '@cdktf/provider-aws/lib/efs-file-system';
import { IamPolicy } from '@cdktf/provider-aws/lib/iam-policy';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { policyDocument, PolicyStatement } from '../../../src/core/iam';
import { SharedFileSystem, SharedFileSystemProps } from '../../../src/data/efs';
import { Vpc } from '../../../src/network/vpc';
import { EncryptionKey } from '../../../src/security/kms';
import { EXISTING_VPC, allOf, countOf, errorOf, existingVpc, findBy, isAbsent, onlyOf, resourcesOf, statementsOf, Synthesized, synthConstructs } from '../../helpers/synth';

const BASE: Omit<SharedFileSystemProps, 'vpc'> = { name: 'demo' };

/** A file system in a VPC made elsewhere (`existingVpc`, its private subnets `privateSubnetIds`). */
function synthFs(props: Partial<SharedFileSystemProps> = {}, use?: (fs: SharedFileSystem) => void, privateSubnetIds: readonly string[] = EXISTING_VPC.privateSubnetIds) {
  return synthConstructs((stack) => {
    const fs = new SharedFileSystem(stack, 'fs', { ...BASE, vpc: existingVpc(stack, { privateSubnetIds }), ...props });
    use?.(fs);
  });
}

/** `${type.logicalName.attr}` of the only resource of `type`. */
function refOnly(json: Synthesized, type: string, attr = 'id'): string {
  const all = resourcesOf(json, type);
  if (all.length !== 1) throw new Error(`expected one ${type}, found ${all.length}`);
  return `\${${type}.${all[0][0]}.${attr}}`;
}

describe('SharedFileSystem', () => {
  it('is an encrypted elastic-throughput file system with daily backups and Infrequent Access after 30 days by default', () => {
    const { text, json } = synthFs();
    expect(text).toHaveResourceWithProperties(EfsFileSystem, {
      encrypted: true,
      performance_mode: 'generalPurpose',
      throughput_mode: 'elastic',
      lifecycle_policy: [{ transition_to_ia: 'AFTER_30_DAYS' }],
      tags: { Name: 'demo' },
    });
    // No customer key: the AWS managed key.
    expect(isAbsent(onlyOf(json, 'aws_efs_file_system'), 'kms_key_id')).toBe(true);
    expect(text).toHaveResourceWithProperties(EfsBackupPolicy, {
      file_system_id: refOnly(json, 'aws_efs_file_system'),
      backup_policy: { status: 'ENABLED' },
    });
  });

  it('has one mount target per private subnet of the VPC, behind its own security group that admits nothing until allowFrom', () => {
    const subnets = [...EXISTING_VPC.privateSubnetIds, 'subnet-0000000000000000e'];
    const { text, json } = synthFs({}, undefined, subnets);
    expect(text).toHaveResourceWithProperties(SecurityGroup, { name_prefix: 'demo-efs-', description: 'NFS to demo', vpc_id: EXISTING_VPC.vpcId, tags: { Name: 'demo-efs' }, lifecycle: { create_before_destroy: true } });
    const fsId = refOnly(json, 'aws_efs_file_system');
    const sgId = refOnly(json, 'aws_security_group');
    expect(allOf(json, 'aws_efs_mount_target')).toEqual(subnets.map((subnetId) => ({ file_system_id: fsId, subnet_id: subnetId, security_groups: [sgId] })));
    expect(countOf(json, 'aws_vpc_security_group_ingress_rule')).toBe(0);
  });

  it('mounts the private subnets of a VPC of the stack', () => {
    const { json } = synthConstructs((stack) => {
      const vpc = new Vpc(stack, 'vpc', { flowLogs: false, namePrefix: 'demo', availabilityZones: ['eu-west-1a', 'eu-west-1b'], natGateways: 'none' });
      new SharedFileSystem(stack, 'fs', { name: 'demo', vpc });
    });
    const privateSubnets = resourcesOf(json, 'aws_subnet')
      .filter(([, s]) => s.tags.Type === 'private')
      .map(([key]) => `\${aws_subnet.${key}.id}`);
    expect(privateSubnets).toHaveLength(2);
    expect(allOf(json, 'aws_efs_mount_target').map((m) => m.subnet_id)).toEqual(privateSubnets);
    expect(allOf(json, 'aws_security_group').find((sg) => sg.tags?.Name === 'demo-efs')?.vpc_id).toBe(refOnly(json, 'aws_vpc'));
  });

  it('exposes /data through an access point as uid/gid 1000 with 0755 by default', () => {
    const { text, json } = synthFs();
    expect(text).toHaveResourceWithProperties(EfsAccessPoint, {
      file_system_id: refOnly(json, 'aws_efs_file_system'),
      posix_user: { uid: 1000, gid: 1000 },
      root_directory: { path: '/data', creation_info: { owner_uid: 1000, owner_gid: 1000, permissions: '0755' } },
      tags: { Name: 'demo-data' },
    });
  });

  it('takes the key, throughput, IA transition, backups and access point from its props', () => {
    const { json } = synthConstructs((stack) => {
      const kmsKey = new EncryptionKey(stack, 'key', { alias: 'demo-efs', description: 'EFS' });
      new SharedFileSystem(stack, 'fs', {
        ...BASE,
        vpc: existingVpc(stack),
        kmsKey,
        throughputMode: 'bursting',
        transitionToIa: 'AFTER_7_DAYS',
        backup: false,
        accessPoint: { path: '/models/index', uid: 2000, gid: 3000, permissions: '0750' },
      });
    });
    expect(onlyOf(json, 'aws_efs_file_system')).toMatchObject({
      encrypted: true,
      kms_key_id: refOnly(json, 'aws_kms_key', 'arn'),
      throughput_mode: 'bursting',
      lifecycle_policy: [{ transition_to_ia: 'AFTER_7_DAYS' }],
    });
    expect(onlyOf(json, 'aws_efs_backup_policy').backup_policy).toEqual({ status: 'DISABLED' });
    const ap = onlyOf(json, 'aws_efs_access_point');
    expect(ap.posix_user).toEqual({ uid: 2000, gid: 3000 });
    expect(ap.root_directory).toEqual({ path: '/models/index', creation_info: { owner_uid: 2000, owner_gid: 3000, permissions: '0750' } });
    expect(ap.tags).toEqual({ Name: 'demo-models-index' });
  });

  it('allowFrom opens NFS 2049 to each client security group', () => {
    const { json } = synthConstructs((stack) => {
      const client = new SecurityGroup(stack, 'client', { name: 'client', vpcId: EXISTING_VPC.vpcId });
      const fs = new SharedFileSystem(stack, 'fs', { ...BASE, vpc: existingVpc(stack) });
      fs.allowFrom(client.id);
      fs.allowFrom('sg-0123456789abcdef0', 'NFS from the batch hosts');
    });
    const efsSg = `\${aws_security_group.${resourcesOf(json, 'aws_security_group').find(([, sg]) => sg.tags?.Name === 'demo-efs')![0]}.id}`;
    const clientSg = `\${aws_security_group.${resourcesOf(json, 'aws_security_group').find(([, sg]) => sg.name === 'client')![0]}.id}`;
    const rules = allOf(json, 'aws_vpc_security_group_ingress_rule').sort((a, b) => a.description.localeCompare(b.description));
    expect(rules).toEqual(
      [
        [clientSg, 'NFS from a client security group'],
        ['sg-0123456789abcdef0', 'NFS from the batch hosts'],
      ].map(([source, description]) => ({
        security_group_id: efsSg,
        referenced_security_group_id: source,
        ip_protocol: 'tcp',
        from_port: 2049,
        to_port: 2049,
        description,
      })),
    );
    // The file system's group allows nothing out: NFS clients open the connections.
    expect(allOf(json, 'aws_vpc_security_group_egress_rule')).toEqual([]);
  });

  it('grantMount allows mount and write on the file system only through its access point', () => {
    const readWrite: PolicyStatement[] = [];
    const readOnly: PolicyStatement[] = [];
    const { json } = synthFs({}, (fs) => {
      fs.grantMount({ addToPolicy: (st) => readWrite.push(st) });
      fs.grantMount({ addToPolicy: (st) => readOnly.push(st) }, true);
      new IamPolicy(fs, 'rw', { name: 'rw', policy: policyDocument(readWrite) });
      new IamPolicy(fs, 'ro', { name: 'ro', policy: policyDocument(readOnly) });
    });
    const condition = { StringEquals: { 'elasticfilesystem:AccessPointArn': refOnly(json, 'aws_efs_access_point', 'arn') } };
    const resource = refOnly(json, 'aws_efs_file_system', 'arn');
    const rw = statementsOf(findBy(json, 'aws_iam_policy', 'name', 'rw'));
    const ro = statementsOf(findBy(json, 'aws_iam_policy', 'name', 'ro'));
    expect(rw).toEqual([{ Effect: 'Allow', Action: ['elasticfilesystem:ClientMount', 'elasticfilesystem:ClientWrite'], Resource: resource, Condition: condition }]);
    expect(ro).toEqual([{ Effect: 'Allow', Action: ['elasticfilesystem:ClientMount'], Resource: resource, Condition: condition }]);
  });

  it('exposes the file system resource as resource', () => {
    let fs!: SharedFileSystem;
    synthFs({}, (f) => (fs = f));
    expect(fs.resource).toBeInstanceOf(EfsFileSystem);
  });

  describe('validation', () => {
    it('rejects an access point path that is not absolute', () => {
      expect(errorOf(() => synthFs({ accessPoint: { path: 'data' } }))).toBe('test/fs: accessPoint.path: "data" does not start with "/"');
    });
  });
});
