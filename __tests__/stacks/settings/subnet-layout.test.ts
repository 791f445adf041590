/**
 * `network.subnetLayoutZones`: a deployment made before 0.5.0 with N zones keeps its subnet ranges
 * by setting N (0.4 numbered the private ranges after all the public ones); the default, 2, keeps
 * every two-zone deployment's ranges.
 */
import { allOf, buildStack, errorOf, synth } from '../../helpers/synth';

const ranges = (stack: string, network: Record<string, unknown>) => {
  const json = synth(buildStack(stack, { stacks: { [stack]: { accountId: '123456789012', network } } })).json;
  return allOf(json, 'aws_subnet')
    .map((s) => [s.tags?.Name ?? '', s.cidr_block] as [string, string])
    .sort((a, b) => a[0].localeCompare(b[0]));
};

describe('network.subnetLayoutZones', () => {
  const zones = ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'];

  it('lays three zones out as 0.4 did when set to 3: public 0-2, private 3-5', () => {
    const cidrs = ranges('artwork-matcher-staging', { availabilityZones: zones, subnetLayoutZones: 3 }).map(([, c]) => c);
    expect(cidrs.sort()).toEqual(['10.0.0.0/20', '10.0.16.0/20', '10.0.32.0/20', '10.0.48.0/20', '10.0.64.0/20', '10.0.80.0/20'].sort());
  });

  it('keeps the two-zone ranges by default when a third zone is added: the new zone takes the next free pair', () => {
    const two = ranges('artwork-matcher-staging', { availabilityZones: zones.slice(0, 2) }).map(([, c]) => c);
    const three = ranges('artwork-matcher-staging', { availabilityZones: zones }).map(([, c]) => c);
    expect(two.sort()).toEqual(['10.0.0.0/20', '10.0.16.0/20', '10.0.32.0/20', '10.0.48.0/20']);
    expect(three.filter((c) => !two.includes(c)).sort()).toEqual(['10.0.64.0/20', '10.0.80.0/20']);
  });

  it('is refused where it has no effect (ai-predictor numbers its private subnets from a fixed range)', () => {
    expect(errorOf(() => buildStack('ai-predictor', { stacks: { 'ai-predictor': { network: { subnetLayoutZones: 3 } } } }))).toContain(
      'network.subnetLayoutZones: 3 has no effect: ai-predictor\'s private subnets start at a fixed range (the upper half of the VPC), so adding a zone never moves one; remove it',
    );
  });
});
