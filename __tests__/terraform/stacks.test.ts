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

const CASES: Record<string, Case> = {
  'state-bootstrap': { creates: 8 },
};

it('covers every stack of the app', () => {
  expect(Object.keys(CASES).sort()).toEqual([...STACK_NAMES].sort());
});

describe.each(Object.entries(CASES))('%s', (name, c) => {
  let stack: TerraformStack;
  let stackDir: string;

  beforeAll(() => {
    stack = buildStack(name, c.overrides ?? {});
    ({ stackDir } = fullSynth(stack));
  });

  it('is valid Terraform for the real provider schema', () => {
    const { outDir } = fullSynth(stack);
    expect(outDir).toBeValidTerraform();
  });

  it(`plans offline, creating ${c.creates} resources`, () => {
    const summary = plan(stackDir);
    expect(summary.other).toBe(0);
    expect(summary.create).toBe(c.creates);
    expect(summary.create).toBe(totalResources(synth(stack).json));
  });
});
