/**
 * Every stack against the real Terraform CLI and AWS provider, offline: a real `terraform plan`
 * (which validates against the provider schema) with fake credentials, asserting the number of
 * resources it would create. The stacks are planned side by side, one Terraform per core.
 */
import { TerraformStack } from 'cdktf';
import { STACK_NAMES } from '../../stacks';
import type { PlanSummary } from '../../tools/terraform-cli';
import { buildStack, totalResources } from '../helpers/synth';
import { TERRAFORM_PARALLELISM, describeWithTerraform, mapLimit, planOffline, writeStack } from '../helpers/terraform';

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

describeWithTerraform('offline plan', () => {
  const plans = new Map<string, { synthesized: number; plan: PlanSummary }>();

  beforeAll(async () => {
    const names = Object.keys(CASES);
    const results = await mapLimit(names, TERRAFORM_PARALLELISM, async (name) => {
      const stack = buildStack<TerraformStack>(name, CASES[name].overrides ?? {});
      const { dir, json } = writeStack(stack, 'json');
      return { synthesized: totalResources(json), plan: await planOffline(dir) };
    });
    names.forEach((n, i) => plans.set(n, results[i]));
  });

  it.each(Object.entries(CASES))('%s plans, creating the expected number of resources', (name, c) => {
    const { synthesized, plan } = plans.get(name)!;
    expect({ update: plan.update, replace: plan.replace, destroy: plan.destroy }).toEqual({ update: 0, replace: 0, destroy: 0 });
    expect(plan.create).toBe(c.creates);
    expect(plan.create).toBe(synthesized);
  });
});
