import { EfsAccessPoint } from '@cdktf/provider-aws/lib/efs-access-point';
import { EfsBackupPolicy } from '@cdktf/provider-aws/lib/efs-backup-policy';
import { EfsFileSystem } from '@cdktf/provider-aws/lib/efs-file-system';
import { IamPolicy } from '@cdktf/provider-aws/lib/iam-policy';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { policyDocument, PolicyStatement } from '../../../src/core/iam';
import { SharedFileSystem, SharedFileSystemProps } from '../../../src/data/efs';
import { Vpc } from '../../../src/network/vpc';
import { allOf, countOf, errorOf, findBy, isAbsent, onlyOf, resourcesOf, statementsOf, Synthesized, synthConstructs } from '../../helpers/synth';

const BASE: SharedFileSystemProps = { name: 'demo', vpcId: 'vpc-1', subnetIds: ['subnet-a', 'subnet-b'] };

function synthFs(props: Partial<SharedFileSystemProps> = {}, use?: (fs: SharedFileSystem) => void) {
  return synthConstructs((stack) => {
    const fs = new SharedFileSystem(stack, 'fs', { ...BASE, ...props });
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

  it('has one mount target per subnet, behind its own security group that admits nothing until allowFrom', () => {
    const { text, json } = synthFs({ subnetIds: ['subnet-a', 'subnet-b', 'subnet-c'] });
    expect(text).toHaveResourceWithProperties(SecurityGroup, { name_prefix: 'demo-efs-', description: 'NFS to demo', vpc_id: 'vpc-1', tags: { Name: 'demo-efs' }, lifecycle: { create_before_destroy: true } });
    const fsId = refOnly(json, 'aws_efs_file_system');
    const sgId = refOnly(json, 'aws_security_group');
    expect(allOf(json, 'aws_efs_mount_target')).toEqual(
      ['subnet-a', 'subnet-b', 'subnet-c'].map((subnetId) => ({ file_system_id: fsId, subnet_id: subnetId, security_groups: [sgId] })),
    );
    expect(countOf(json, 'aws_vpc_security_group_ingress_rule')).toBe(0);
  });

  it('mounts the VPC private subnets when given them', () => {
    const { json } = synthConstructs((stack) => {
      const vpc = new Vpc(stack, 'vpc', { flowLogs: false, namePrefix: 'demo', region: 'eu-west-1', availabilityZones: ['eu-west-1a', 'eu-west-1b'], natGateways: 'none' });
      new SharedFileSystem(stack, 'fs', { name: 'demo', vpcId: vpc.vpcId, subnetIds: vpc.privateSubnetIds });
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
    const { json } = synthFs({
      kmsKeyArn: 'arn:aws:kms:eu-west-1:123456789012:key/k',
      throughputMode: 'bursting',
      transitionToIa: 'AFTER_7_DAYS',
      backup: false,
      accessPoint: { path: '/models/index', uid: 2000, gid: 3000, permissions: '0750' },
    });
    expect(onlyOf(json, 'aws_efs_file_system')).toMatchObject({
      encrypted: true,
      kms_key_id: 'arn:aws:kms:eu-west-1:123456789012:key/k',
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
      const client = new SecurityGroup(stack, 'client', { name: 'client', vpcId: 'vpc-1' });
      const fs = new SharedFileSystem(stack, 'fs', BASE);
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

  describe('validation', () => {
    it('rejects an empty subnet list', () => {
      expect(errorOf(() => synthFs({ subnetIds: [] }))).toBe('test/fs: subnetIds: [] is empty; give one subnet per zone');
    });

    it('lists every problem together', () => {
      expect(errorOf(() => synthFs({ subnetIds: [], accessPoint: { path: 'data' } }))).toBe(
        ['test/fs: invalid props:', '  subnetIds: [] is empty; give one subnet per zone', '  accessPoint.path: "data" does not start with "/"'].join('\n'),
      );
    });
  });
});
