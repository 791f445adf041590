/**
 * Every stack against the real Terraform CLI and AWS provider, offline, in both of cdktf's output
 * forms: a real `terraform plan` (which validates against the provider schema) of the JSON
 * (`cdk.tf.json`) and of the HCL (`cdk.tf`, the users' exit from cdktf), with fake credentials and
 * the stack's plan-time look-ups pinned (as `npm run plan` previews). Both plans must create the
 * same resources with the same values. Stacks are planned side by side, one Terraform per core.
 */
import { TerraformStack } from 'cdktf';
import { STACK_NAMES } from '../../stacks';
import type { PlanSummary } from '../../tools/terraform-cli';
import { buildStack, totalResources } from '../helpers/synth';
import { TERRAFORM_PARALLELISM, describeWithTerraform, mapLimit, planOffline, writeStack } from '../helpers/terraform';

/** Resources a fresh plan of each stack creates (look-ups pinned, settings at their defaults). */
const CREATES: Record<string, number> = {
  'state-bootstrap': 8,
  'artwork-matcher-demo': 126,
  'artwork-matcher-staging': 122,
  'artwork-matcher-production': 131,
  'vision-validator': 65,
  karmacadabra: 184,
  'ai-predictor': 60,
  'nutrition-video-analysis': 170,
};

it('covers every stack of the app', () => {
  expect(Object.keys(CREATES).sort()).toEqual([...STACK_NAMES].sort());
});

describeWithTerraform('offline plan, JSON and HCL', () => {
  const plans = new Map<string, { synthesized: number; json: PlanSummary; hcl: PlanSummary }>();

  beforeAll(async () => {
    const stacks = STACK_NAMES.map((name) => {
      const stack = buildStack<TerraformStack>(name, {}, undefined, true);
      const json = writeStack(stack, 'json');
      const hcl = writeStack(stack, 'hcl');
      return { name, synthesized: totalResources(json.json), dirs: [json.dir, hcl.dir] };
    });
    const jobs = stacks.flatMap((s) => s.dirs.map((dir) => ({ name: s.name, dir })));
    const results = await mapLimit(jobs, TERRAFORM_PARALLELISM, (job) => planOffline(job.dir));
    stacks.forEach((s, i) => plans.set(s.name, { synthesized: s.synthesized, json: results[2 * i], hcl: results[2 * i + 1] }));
  });

  it.each(Object.entries(CREATES))('%s plans from JSON, creating %i resources and nothing else', (name, creates) => {
    const { synthesized, json } = plans.get(name)!;
    expect({ update: json.update, replace: json.replace, destroy: json.destroy }).toEqual({ update: 0, replace: 0, destroy: 0 });
    expect(json.create).toBe(creates);
    expect(json.create).toBe(synthesized);
  });

  it.each(STACK_NAMES.map((n) => [n]))('%s plans the same from HCL as from JSON', (name) => {
    const { json, hcl } = plans.get(name)!;
    expect(hcl.actions).toEqual(json.actions);
    expect(hcl.text).toBe(json.text);
  });
});
