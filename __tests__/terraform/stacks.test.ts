/**
 * Every stack against the real Terraform CLI and AWS provider, offline:
 * `terraform validate` (cdktf's toBeValidTerraform) and a real `terraform plan` with fake
 * credentials, asserting the number of resources it would create.
 */
import { TerraformStack } from 'cdktf';
import { STACK_NAMES } from '../../stacks';
import { buildStack, synth, totalResources } from '../helpers/synth';
import { fullSynth, plan } from '../helpers/terraform';

interface Case {
  /** Resources a fresh plan creates. */
  readonly creates: number;
  /** Settings overrides that pin plan-time look-ups (AZs, AMIs). */
  readonly overrides?: Record<string, unknown>;
}

/**
 * Plan-time look-ups pinned: zones (all artwork stacks), the GPU AMI (production), and the ECR
 * repositories staging and production look up (they create their own here, as with one account
 * per environment). lookups.test.ts covers the look-up path with a mock provider.
 */
const PINNED_ZONES = { availabilityZones: ['eu-west-1a', 'eu-west-1b'], ecr: { create: true } };
const PINNED_AMI = 'ami-0123456789abcdef0';

const CASES: Record<string, Case> = {
  'state-bootstrap': { creates: 8 },
  'artwork-matcher-demo': { creates: 107, overrides: { stacks: { 'artwork-matcher-demo': PINNED_ZONES } } },
  'artwork-matcher-staging': { creates: 109, overrides: { stacks: { 'artwork-matcher-staging': PINNED_ZONES } } },
  'artwork-matcher-production': { creates: 126, overrides: { stacks: { 'artwork-matcher-production': { ...PINNED_ZONES, gpu: { amiId: PINNED_AMI } } } } },
};

it('covers every stack of the app', () => {
  expect(Object.keys(CASES).sort()).toEqual([...STACK_NAMES].sort());
});

describe.each(Object.entries(CASES))('%s', (name, c) => {
  let stack: TerraformStack;
  let outDir: string;
  let stackDir: string;

  beforeAll(() => {
    stack = buildStack(name, c.overrides ?? {});
    ({ outDir, stackDir } = fullSynth(stack));
  });

  it('is valid Terraform for the real provider schema', () => {
    expect(outDir).toBeValidTerraform();
  });

  it(`plans offline, creating ${c.creates} resources`, () => {
    const summary = plan(stackDir);
    expect(summary.other).toBe(0);
    expect(summary.create).toBe(c.creates);
    expect(summary.create).toBe(totalResources(synth(stack).json));
  });
});
