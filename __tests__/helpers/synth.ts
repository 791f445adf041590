/**
 * Test helpers over synthesized Terraform JSON, for what cdktf's matchers cannot do: count
 * resources, find all of a type, assert absence, and look inside JSON-string fields
 * (container definitions, IAM policies, dashboard bodies) — in the spirit of AWS CDK's
 * `resourceCountIs`, `Match.absent` and `Match.serializedJson`.
 */
import { App, TerraformStack, Testing } from 'cdktf';
import { Construct } from 'constructs';
import { AwsStack } from '../../src/core/aws-stack';
import { assertValid, synthesizeInMemory } from '../../tools/synth';
import { decodeJsonencode } from '../../src/core/json';

/** The account the scratch stacks pin (so nothing is looked up). */
export const TEST_ACCOUNT = '123456789012';
/** The region of the scratch stacks. */
export const TEST_REGION = 'eu-west-1';

/** The synthesized JSON document of one stack. */
export interface Synthesized {
  readonly resource?: Record<string, Record<string, Record<string, any>>>;
  readonly data?: Record<string, Record<string, Record<string, any>>>;
  readonly output?: Record<string, { value: unknown; description?: string; sensitive?: boolean }>;
  readonly variable?: Record<string, Record<string, any>>;
  readonly provider?: Record<string, Record<string, any>[]>;
  readonly terraform?: Record<string, any>;
  readonly [key: string]: unknown;
}

/**
 * Checks (as `cdktf synth` does) and synthesizes a stack: `text` and `json` as `Testing.synth`
 * gives them (for cdktf's matchers), `document` as synth writes it (with `//` metadata and the
 * guardrail suppressions, what the guardrails read).
 */
export function synth(stack: TerraformStack): { text: string; json: Synthesized; document: Record<string, any> } {
  assertValid(stack);
  const { text, document } = synthesizeInMemory(stack);
  return { text, json: JSON.parse(text) as Synthesized, document };
}

/** A scratch AwsStack (eu-west-1, pinned account) for construct tests. */
export function testStack(props: { readonly accountId?: string } = {}): AwsStack {
  return new AwsStack(Testing.app(), 'test', { region: TEST_REGION, project: 'test', environment: 'test', accountId: 'accountId' in props ? props.accountId : TEST_ACCOUNT });
}

/** Builds constructs in a scratch AwsStack and synthesizes it. */
export function synthConstructs(build: (stack: AwsStack) => void): { text: string; json: Synthesized } {
  const stack = testStack();
  build(stack);
  return synth(stack);
}

/** Ids of the VPC `existingVpc` describes. */
export const EXISTING_VPC = {
  vpcId: 'vpc-0123456789abcdef0',
  cidr: '10.0.0.0/16',
  privateSubnetIds: ['subnet-0000000000000000a', 'subnet-0000000000000000b'],
  publicSubnetIds: ['subnet-0000000000000000c', 'subnet-0000000000000000d'],
} as const;

/**
 * A VPC made elsewhere (`Vpc.fromAttributes`, id `vpc`): two private and two public subnets and a
 * NAT gateway, for constructs that only need the VPC's ids. Loaded here, not at the top: tests
 * that need no VPC do not load its provider modules.
 */
export function existingVpc(scope: Construct, attributes: Partial<import('../../src/network/vpc').VpcAttributes> = {}): import('../../src/network/vpc').IVpc {
  const { Vpc } = require('../../src/network/vpc') as typeof import('../../src/network/vpc');
  return Vpc.fromAttributes(scope, 'vpc', { ...EXISTING_VPC, ...attributes });
}

/** A fresh test app (no cdktf.json, stubbed version). */
export function testApp(): App {
  return Testing.app();
}

/**
 * Builds one named stack of the real app, with optional overrides (as a settings file would);
 * `preview` pins its plan-time look-ups the way `npm run plan` does without credentials.
 */
export function buildStack<T extends TerraformStack>(name: string, overrides: Record<string, unknown> = {}, app: Construct = testApp(), preview = false): T {
  // Loaded here, not at the top: construct tests do not pay for (or depend on) every stack.
  const { buildApp } = require('../../stacks') as typeof import('../../stacks');
  const built = buildApp(app, { context: overrides }, { only: [name], preview });
  return built.get(name) as T;
}

/** Every resource of `type` as `[logicalName, body]` pairs. */
export function resourcesOf(json: Synthesized, type: string): [string, Record<string, any>][] {
  return Object.entries(json.resource?.[type] ?? {});
}

/** Every resource body of `type`. */
export function allOf(json: Synthesized, type: string): Record<string, any>[] {
  return resourcesOf(json, type).map(([, body]) => body);
}

/** How many resources of `type` the stack has. */
export function countOf(json: Synthesized, type: string): number {
  return resourcesOf(json, type).length;
}

/** Total number of managed resources. */
export function totalResources(json: Synthesized): number {
  return Object.values(json.resource ?? {}).reduce((n, byName) => n + Object.keys(byName).length, 0);
}

/** The single resource of `type`; fails when there are none or several. */
export function onlyOf(json: Synthesized, type: string): Record<string, any> {
  const all = allOf(json, type);
  if (all.length !== 1) throw new Error(`expected exactly one ${type}, found ${all.length}`);
  return all[0];
}

/** The resource of `type` whose `field` equals `value`; fails unless exactly one matches. */
export function findBy(json: Synthesized, type: string, field: string, value: unknown): Record<string, any> {
  const matches = allOf(json, type).filter((r) => r[field] === value);
  if (matches.length !== 1) {
    const seen = allOf(json, type).map((r) => JSON.stringify(r[field])).join(', ');
    throw new Error(`expected one ${type} with ${field} = ${JSON.stringify(value)}, found ${matches.length} (have: ${seen})`);
  }
  return matches[0];
}

/** Every resource of `type` whose body satisfies `predicate`. */
export function filterOf(json: Synthesized, type: string, predicate: (r: Record<string, any>) => boolean): Record<string, any>[] {
  return allOf(json, type).filter(predicate);
}

/**
 * Reads a JSON-document field (container_definitions, policy, dashboard_body, ...): the
 * `${jsonencode(...)}` expression the constructs write, decoded; references come back as
 * `${aws_x.y.attr}` strings.
 */
export function parseField<T = any>(resource: Record<string, any>, field: string): T {
  const raw = resource[field];
  if (typeof raw !== 'string') throw new Error(`field ${field} is not a JSON document string: ${JSON.stringify(raw)}`);
  return decodeJsonencode(raw) as T;
}

/** Statements of the IAM policy in `field` of `resource`. */
export function statementsOf(resource: Record<string, any>, field = 'policy'): any[] {
  return parseField<{ Statement: any[] }>(resource, field).Statement;
}

/** Whether `path` (dotted) is absent from `obj`. */
export function isAbsent(obj: unknown, path: string): boolean {
  let cur: any = obj;
  for (const part of path.split('.')) {
    if (cur === undefined || cur === null || typeof cur !== 'object' || !(part in cur)) return true;
    cur = cur[part];
  }
  return cur === undefined;
}

/** Runs `fn` and returns the message it throws (fails the test when nothing is thrown). */
export function errorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected an error, but nothing was thrown');
}
