import { TerraformVariable } from 'cdktf';
import { RedisCache, RedisCacheProps } from '../../../src/data/cache';
import { EncryptionKey } from '../../../src/security/kms';
import { ElasticacheReplicationGroup } from '@cdktf/provider-aws/lib/elasticache-replication-group';
import { EXISTING_VPC, allOf, errorOf, existingVpc, onlyOf, resourcesOf, synthConstructs } from '../../helpers/synth';

/** A cache in a VPC made elsewhere (`existingVpc`, its private subnets `privateSubnetIds`). */
function build(props: Partial<RedisCacheProps> = {}, withKey = false, privateSubnetIds: readonly string[] = EXISTING_VPC.privateSubnetIds) {
  let cache!: RedisCache;
  const { json } = synthConstructs((stack) => {
    cache = new RedisCache(stack, 'cache', { name: 'am-production-cache', vpc: existingVpc(stack, { privateSubnetIds }), kmsKey: withKey ? new EncryptionKey(stack, 'key', { alias: 'am-cache', description: 'cache' }) : undefined, ...props });
    cache.allowFrom('sg-0123456789abcdef0', 'Gateway');
  });
  return { json, cache };
}

describe('RedisCache', () => {
  it('is a single Valkey node, encrypted at rest with the key and in transit, in a subnet group of the VPC\'s private subnets and its own security group', () => {
    const { json, cache } = build({}, true);
    const [keyId] = resourcesOf(json, 'aws_kms_key')[0];
    const [subnetsId] = resourcesOf(json, 'aws_elasticache_subnet_group')[0];
    const [sgId] = resourcesOf(json, 'aws_security_group')[0];
    const [groupId] = resourcesOf(json, 'aws_elasticache_replication_group')[0];
    expect(onlyOf(json, 'aws_elasticache_subnet_group')).toMatchObject({ name: 'am-production-cache', subnet_ids: EXISTING_VPC.privateSubnetIds });
    expect(onlyOf(json, 'aws_security_group').vpc_id).toBe(EXISTING_VPC.vpcId);
    expect(cache.resource).toBeInstanceOf(ElasticacheReplicationGroup);
    expect(onlyOf(json, 'aws_elasticache_replication_group')).toMatchObject({
      replication_group_id: 'am-production-cache',
      engine: 'valkey',
      engine_version: '8.0',
      node_type: 'cache.t4g.micro',
      port: 6379,
      num_cache_clusters: 1,
      automatic_failover_enabled: false,
      multi_az_enabled: false,
      at_rest_encryption_enabled: 'true',
      kms_key_id: `\${aws_kms_key.${keyId}.arn}`,
      transit_encryption_enabled: true,
      subnet_group_name: `\${aws_elasticache_subnet_group.${subnetsId}.name}`,
      security_group_ids: [`\${aws_security_group.${sgId}.id}`],
      snapshot_retention_limit: 1,
      snapshot_window: '03:00-04:00',
      maintenance_window: 'sun:04:30-sun:05:30',
      apply_immediately: false,
    });
    expect(cache.url).toMatch(/^rediss:\/\/\$\{TfToken\[TOKEN\.\d+\]\}:6379$/);
    expect(groupId).toMatch(/^cache_this_/);
  });

  it('opens port 6379 only to the client groups it is given, and sends nothing out', () => {
    const { json } = build();
    expect(allOf(json, 'aws_vpc_security_group_ingress_rule')).toEqual([expect.objectContaining({ referenced_security_group_id: 'sg-0123456789abcdef0', from_port: 6379, to_port: 6379, ip_protocol: 'tcp', description: 'Gateway' })]);
    expect(allOf(json, 'aws_vpc_security_group_egress_rule')).toEqual([]);
  });

  it('fails over across zones only with replicas, and takes Redis OSS, node type, snapshots and an AUTH token variable', () => {
    const { json } = synthConstructs((stack) => {
      const token = new TerraformVariable(stack, 'cache_auth_token', { type: 'string', sensitive: true });
      new RedisCache(stack, 'cache', { name: 'am-cache', vpc: existingVpc(stack), engine: 'redis', nodeType: 'cache.r7g.large', replicas: 2, snapshotRetentionDays: 7, authToken: token.stringValue });
    });
    expect(onlyOf(json, 'aws_elasticache_replication_group')).toMatchObject({ engine: 'redis', engine_version: '7.1', node_type: 'cache.r7g.large', num_cache_clusters: 3, automatic_failover_enabled: true, multi_az_enabled: true, snapshot_retention_limit: 7, auth_token: '${var.cache_auth_token}' });
    const noSnapshots = onlyOf(build({ snapshotRetentionDays: 0 }).json, 'aws_elasticache_replication_group');
    expect(noSnapshots.snapshot_window).toBeUndefined();
  });

  it('lists every bad prop in one message', () => {
    const message = errorOf(() => build({ name: 'Am--cache', replicas: 6, snapshotRetentionDays: 36, snapshotWindow: '03:00-03:30', maintenanceWindow: 'sunday 4am', authToken: 'literal-token-123456', nodeType: 't4g.micro' }, false, ['subnet-0000000000000000a']));
    expect(message.split('\n')).toEqual([
      'test/cache: invalid props:',
      '  name: "Am--cache" is not a replication group id (1-40 lowercase letters, digits and "-", starting with a letter, no "--", not ending with "-")',
      '  nodeType: "t4g.micro" is not an ElastiCache node type such as "cache.t4g.micro"',
      '  replicas: 6 is out of range; allowed: 0 to 5',
      '  snapshotRetentionDays: 36 is out of range; allowed: 0 to 35 days',
      '  maintenanceWindow: "sunday 4am" is not a weekly UTC window "ddd:hh:mm-ddd:hh:mm" such as "sun:04:30-sun:05:30"',
      '  vpc: "test/vpc" has 1 private subnet; Multi-AZ with replicas needs subnets in two zones or more',
      '  authToken: "(a literal)" would be written into the synthesized configuration; give a plan-time value such as a sensitive Terraform variable',
      '  snapshotWindow: "03:00-03:30" is shorter than 60 minutes',
    ]);
  });
});
