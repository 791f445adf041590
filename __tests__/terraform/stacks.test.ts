/**
 * Every stack against the real Terraform CLI and AWS provider, offline: a real `terraform plan`
 * (which validates against the provider schema) with fake credentials and the stack's plan-time
 * look-ups pinned (as `npm run plan` previews). Two scopes (jest.config.js sets `PLAN_MATRIX`):
 *
 * - `npm test` (project `plans`): each stack once, its JSON (`cdk.tf.json`) at the defaults;
 * - `npm run test:all` (project `terraform`): the matrix: the defaults and every settings variant
 *   (helpers/variants.ts), each in JSON and in HCL (`cdk.tf`, the users' exit from cdktf, formatted
 *   as synth writes it). Both forms must create the same resources with the same values: their
 *   JSON plans' `resource_changes` are equal.
 *
 * Each plan is its own concurrent test (no hook holds them all), one Terraform per core at a time;
 * the HCL comparison awaits the two plans of its configuration. Each plan prints a progress line.
 */
import * as path from 'path';
import { TerraformStack } from 'cdktf';
import { STACK_NAMES } from '../../stacks';
import { check } from '../../tools/guardrails';
import { formatHclFiles } from '../../tools/synth';
import type { PlanSummary } from '../../tools/terraform/plan';
import { buildStack, totalResources } from '../helpers/synth';
import { VARIANTS } from '../helpers/variants';
import { OutputForm, TERRAFORM_PARALLELISM, describeWithTerraform, planOffline, writeStack } from '../helpers/terraform';

/** The whole matrix (`npm run test:all`), or one JSON plan per stack at its defaults (`npm test`). */
const FULL = (globalThis as { PLAN_MATRIX?: string }).PLAN_MATRIX === 'full';

/** Resources a fresh plan of each stack creates (look-ups pinned, settings at their defaults). */
const CREATES: Record<string, number> = {
  'state-bootstrap': 8,
  'artwork-matcher-demo': 132,
  'artwork-matcher-staging': 128,
  'artwork-matcher-production': 163,
  'vision-validator': 79,
  karmacadabra: 196,
  'ai-predictor': 65,
  'nutrition-video-analysis': 181,
};

/** One configuration planned: a stack with some settings. */
interface Configuration {
  readonly name: string;
  readonly stack: string;
  readonly overrides: Record<string, unknown>;
  readonly creates: number;
}

const CONFIGURATIONS: readonly Configuration[] = [
  ...STACK_NAMES.map((name) => ({ name, stack: name, overrides: {}, creates: CREATES[name] })),
  ...(FULL ? VARIANTS.map((v) => ({ name: v.label, stack: v.stack, overrides: v.overrides, creates: v.creates })) : []),
];

/** A configuration written in each form, with what its document holds. */
interface Written {
  readonly synthesized: number;
  readonly findings: string[];
  readonly dirs: Readonly<Partial<Record<OutputForm, string>>>;
}

const written = new Map<string, Written>();

/** Builds and writes a configuration once, in every form of the scope (HCL formatted as synth formats it). */
function write(c: Configuration): Written {
  const known = written.get(c.name);
  if (known) return known;
  const stack = buildStack<TerraformStack>(c.stack, c.overrides, undefined, true);
  const { dir, json } = writeStack(stack, 'json');
  const dirs: Partial<Record<OutputForm, string>> = { json: dir };
  if (FULL) {
    dirs.hcl = writeStack(stack, 'hcl').dir;
    formatHclFiles([path.join(dirs.hcl, 'cdk.tf')]);
  }
  const result = { synthesized: totalResources(json), findings: check(json).filter((f) => !f.suppressed && f.severity !== 'gate').map((f) => `${f.rule} ${f.path}: ${f.message}`), dirs };
  written.set(c.name, result);
  return result;
}

/** Runs at most `limit` of the functions given to it at a time. */
function limiter(limit: number): <T>(fn: () => Promise<T>) => Promise<T> {
  let running = 0;
  const waiting: (() => void)[] = [];
  return async (fn) => {
    if (running >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
    running += 1;
    try {
      return await fn();
    } finally {
      running -= 1;
      waiting.shift()?.();
    }
  };
}

const oneTerraformPerCore = limiter(TERRAFORM_PARALLELISM);
const plans = new Map<string, Promise<PlanSummary>>();

/** The plan of a configuration in one form (planned once, whichever test asks first). */
function planOf(c: Configuration, form: OutputForm): Promise<PlanSummary> {
  const key = `${c.name}\u0000${form}`;
  let plan = plans.get(key);
  if (!plan) {
    plan = oneTerraformPerCore(() => planOffline(write(c).dirs[form]!, { label: `${c.name}, ${form.toUpperCase()}` }));
    plans.set(key, plan);
  }
  return plan;
}

const byName = (name: string): Configuration => CONFIGURATIONS.find((c) => c.name === name)!;

it('covers every stack of the app', () => {
  expect(Object.keys(CREATES).sort()).toEqual([...STACK_NAMES].sort());
});

describeWithTerraform(FULL ? 'offline plan, JSON and HCL, defaults and every settings variant' : 'offline plan, JSON, defaults', () => {
  it.concurrent.each(CONFIGURATIONS.map((c) => [c.name, c.creates]))('%s plans from JSON, creating %i resources and nothing else', async (name, creates) => {
    const json = await planOf(byName(name), 'json');
    expect({ update: json.update, replace: json.replace, destroy: json.destroy }).toEqual({ update: 0, replace: 0, destroy: 0 });
    expect(json.create).toBe(creates);
    expect(json.create).toBe(write(byName(name)).synthesized);
  });

  if (!FULL) return;

  it.each(VARIANTS.map((v) => [v.label]))('%s breaks no guardrail (synth would stop on an error)', (name) => {
    expect(write(byName(name)).findings).toEqual([]);
  });

  it.concurrent.each(CONFIGURATIONS.map((c) => [c.name]))('%s plans the same from HCL as from JSON', async (name) => {
    const [json, hcl] = await Promise.all([planOf(byName(name), 'json'), planOf(byName(name), 'hcl')]);
    expect(hcl.actions).toEqual(json.actions);
    // Every planned value, known and unknown, sensitive or not, of every resource: the same.
    expect(hcl.changes).toEqual(json.changes);
  });
});
