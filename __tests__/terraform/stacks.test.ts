/**
 * Every stack against the real Terraform CLI and AWS provider, offline, in both of cdktf's output
 * forms: a real `terraform plan` (which validates against the provider schema) of the JSON
 * (`cdk.tf.json`) and of the HCL (`cdk.tf`, the users' exit from cdktf), with fake credentials and
 * the stack's plan-time look-ups pinned (as `npm run plan` previews). Both plans must create the
 * same resources with the same values: their JSON plans' `resource_changes` are equal. Stacks are
 * planned side by side, one Terraform per core.
 */
import { TerraformStack } from 'cdktf';
import { STACK_NAMES } from '../../stacks';
import { check } from '../../tools/guardrails';
import type { PlanSummary } from '../../tools/terraform/plan';
import { buildStack, totalResources } from '../helpers/synth';
import { VARIANTS } from '../helpers/variants';
import { TERRAFORM_PARALLELISM, describeWithTerraform, mapLimit, planOffline, writeStack } from '../helpers/terraform';

/** Resources a fresh plan of each stack creates (look-ups pinned, settings at their defaults). */
const CREATES: Record<string, number> = {
  'state-bootstrap': 8,
  'artwork-matcher-demo': 132,
  'artwork-matcher-staging': 128,
  'artwork-matcher-production': 161,
  'vision-validator': 77,
  karmacadabra: 196,
  'ai-predictor': 65,
  'nutrition-video-analysis': 176,
};

it('covers every stack of the app', () => {
  expect(Object.keys(CREATES).sort()).toEqual([...STACK_NAMES].sort());
});

describeWithTerraform('offline plan, JSON and HCL', () => {
  const plans = new Map<string, { synthesized: number; json: PlanSummary; hcl: PlanSummary }>();
  const findings = new Map<string, string[]>();

  beforeAll(async () => {
    const configs = [...STACK_NAMES.map((name) => ({ name, stack: name, overrides: {} })), ...VARIANTS.map((v) => ({ name: v.label, stack: v.stack, overrides: v.overrides }))];
    const stacks = configs.map(({ name, stack: stackName, overrides }) => {
      const stack = buildStack<TerraformStack>(stackName, overrides, undefined, true);
      const json = writeStack(stack, 'json');
      const hcl = writeStack(stack, 'hcl');
      findings.set(name, check(json.json).filter((f) => !f.suppressed).map((f) => `${f.rule} ${f.path}: ${f.message}`));
      return { name, synthesized: totalResources(json.json), dirs: [json.dir, hcl.dir] };
    });
    const jobs = stacks.flatMap((s) => s.dirs.map((dir) => ({ name: s.name, dir })));
    const results = await mapLimit(jobs, TERRAFORM_PARALLELISM, (job) => planOffline(job.dir));
    stacks.forEach((s, i) => plans.set(s.name, { synthesized: s.synthesized, json: results[2 * i], hcl: results[2 * i + 1] }));
  });

  it.each([...Object.entries(CREATES), ...VARIANTS.map((v) => [v.label, v.creates] as const)])('%s plans from JSON, creating %i resources and nothing else', (name, creates) => {
    const { synthesized, json } = plans.get(name)!;
    expect({ update: json.update, replace: json.replace, destroy: json.destroy }).toEqual({ update: 0, replace: 0, destroy: 0 });
    expect(json.create).toBe(creates);
    expect(json.create).toBe(synthesized);
  });

  it.each(VARIANTS.map((v) => [v.label]))('%s breaks no guardrail (synth would stop on an error)', (name) => {
    expect(findings.get(name)).toEqual([]);
  });

  it.each([...STACK_NAMES, ...VARIANTS.map((v) => v.label)].map((n) => [n]))('%s plans the same from HCL as from JSON', (name) => {
    const { json, hcl } = plans.get(name)!;
    expect(hcl.actions).toEqual(json.actions);
    // Every planned value, known and unknown, sensitive or not, of every resource: the same.
    expect(hcl.changes).toEqual(json.changes);
  });
});
