import { SecurityGroup } from '../../../src/network/security-group';
import { allOf, countOf, errorOf, onlyOf, resourcesOf, synthConstructs } from '../../helpers/synth';

describe('SecurityGroup', () => {
  it('is named by prefix and replaced create-first, with all outbound by default', () => {
    const { json } = synthConstructs((stack) => new SecurityGroup(stack, 'sg', { name: 'shop-api', description: 'API', vpcId: 'vpc-1' }));
    expect(onlyOf(json, 'aws_security_group')).toEqual({ name_prefix: 'shop-api-', description: 'API', vpc_id: 'vpc-1', tags: { Name: 'shop-api' }, lifecycle: { create_before_destroy: true } });
    expect(onlyOf(json, 'aws_vpc_security_group_egress_rule')).toMatchObject({ cidr_ipv4: '0.0.0.0/0', ip_protocol: '-1', description: 'All outbound' });
    expect(countOf(synthConstructs((stack) => new SecurityGroup(stack, 'sg', { name: 'x', description: 'x', vpcId: 'v', allowAllOutbound: false })).json, 'aws_vpc_security_group_egress_rule')).toBe(0);
  });

  it('adds each rule once, named after the rule itself so that adding one never renames another', () => {
    const ids = (order: string[]) =>
      resourcesOf(
        synthConstructs((stack) => {
          const sg = new SecurityGroup(stack, 'sg', { name: 'x', description: 'x', vpcId: 'v', allowAllOutbound: false });
          for (const cidr of order) sg.addIngress({ peer: { cidr }, port: 443, description: cidr });
        }).json,
        'aws_vpc_security_group_ingress_rule',
      ).map(([id, r]) => `${r.cidr_ipv4}=${id}`).sort();
    const one = ids(['10.0.0.0/8', '10.0.0.0/8']);
    expect(one).toHaveLength(1);
    const both = ids(['192.168.0.0/16', '10.0.0.0/8']);
    expect(both).toContain(one[0]);
  });

  it('opens ports and ranges to CIDRs, groups and prefix lists, and lets a resource wait for its rules', () => {
    const { json } = synthConstructs((stack) => {
      const sg = new SecurityGroup(stack, 'sg', { name: 'x', description: 'x', vpcId: 'v', allowAllOutbound: false });
      sg.addIngress({ peer: { securityGroupId: 'sg-1' }, port: 8000, toPort: 8010, description: 'range' });
      sg.addEgress({ peer: { prefixListId: 'pl-1' }, port: 443, description: 'S3' });
      sg.addEgress({ peer: { cidr: '10.0.0.0/16' }, protocol: 'udp', port: 53, description: 'DNS' });
    });
    expect(allOf(json, 'aws_vpc_security_group_ingress_rule')).toEqual([
      { security_group_id: expect.stringMatching(/aws_security_group/), referenced_security_group_id: 'sg-1', ip_protocol: 'tcp', from_port: 8000, to_port: 8010, description: 'range' },
    ]);
    expect(allOf(json, 'aws_vpc_security_group_egress_rule').map((r) => [r.prefix_list_id ?? r.cidr_ipv4, r.ip_protocol, r.from_port])).toEqual(
      expect.arrayContaining([
        ['pl-1', 'tcp', 443],
        ['10.0.0.0/16', 'udp', 53],
      ]),
    );
  });

  it('rejects a malformed CIDR, a port with "all traffic", and a missing port', () => {
    const build = (rule: Parameters<SecurityGroup['addIngress']>[0]) => errorOf(() => synthConstructs((stack) => new SecurityGroup(stack, 'sg', { name: 'x', description: 'x', vpcId: 'v' }).addIngress(rule)));
    expect(build({ peer: { cidr: '10.0.0.0/33' }, port: 80, description: 'x' })).toBe('test/sg: ingress.peer.cidr: "10.0.0.0/33" is not an IPv4 CIDR block');
    expect(build({ peer: { cidr: '10.0.0.0/8' }, protocol: '-1', port: 80, description: 'x' })).toBe('test/sg: ingress.port: 80 must be omitted with protocol "-1" (all traffic)');
    expect(build({ peer: { cidr: '10.0.0.0/8' }, description: 'x' })).toBe('test/sg: ingress.port: is required with protocol "tcp"');
  });
});
