/**
 * A Terraform state made from a plan, offline: what applying the plan would leave. The plan's
 * planned values become the state's resources (attributes known only after apply filled with
 * well-formed fakes) and its known outputs the state's outputs. Planning a changed configuration
 * against that state then shows what the real provider would do to a deployed stack (updated in
 * place, replaced, in which order), without an account: `npm run plan -- <stack> --from ...` and
 * the journey and change tests (`__tests__/helpers/journey.ts`, `changes.ts`) all seed this way.
 *
 * `planAndSettle` adds the settle loop: an attribute known only once the resources it reads exist
 * (a task definition reading a new repository's URL) gets its value from a plan of the same
 * configuration against the state just made, until that plan changes nothing.
 */
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { CLI_DIR, PREVIEW_STATE, terraform } from './cli';
import { PlanJson, ResourceChange, planAndShow, summarizePlan } from './plan';

/** An attribute type of the provider schema: `string`, `number`, `bool`, `dynamic`, or `[kind, element]`. */
export type AttributeType = string | [string, unknown];

/** What the seeding reads of one resource type's schema. */
export interface ResourceSchema {
  readonly version: number;
  readonly attributes: Readonly<Record<string, AttributeType>>;
}

/** One resource of a seeded state (format 4). */
export interface StateResource {
  readonly mode: 'managed';
  readonly type: string;
  readonly name: string;
  readonly provider: string;
  readonly instances: readonly { readonly schema_version: number; readonly attributes: Record<string, any>; readonly sensitive_attributes: unknown[] }[];
}

/** One root module output of a seeded state. */
export interface StateOutput {
  readonly value: unknown;
  readonly type: unknown;
  readonly sensitive?: boolean;
}

/** Terraform state, format 4, as the seeding writes it. */
export interface SeededState {
  readonly version: 4;
  readonly terraform_version: string;
  readonly serial: number;
  readonly lineage: string;
  readonly outputs: Readonly<Record<string, StateOutput>>;
  readonly resources: readonly StateResource[];
}

let schemas: Record<string, ResourceSchema> | undefined;

/** The AWS provider's resource schemas (versions and attribute types), read once and cached in `.terraform-cli`. */
export async function providerSchemas(dir: string, env: NodeJS.ProcessEnv): Promise<Record<string, ResourceSchema>> {
  if (schemas) return schemas;
  const cache = path.join(CLI_DIR, 'aws-resource-schemas.json');
  if (fs.existsSync(cache)) return (schemas = JSON.parse(fs.readFileSync(cache, 'utf8')) as Record<string, ResourceSchema>);
  const full = JSON.parse(await terraform(dir, ['providers', 'schema', '-json'], env));
  const aws = Object.values(full.provider_schemas as Record<string, { resource_schemas: Record<string, { version: number; block: { attributes?: Record<string, { type: AttributeType }> } }> }>)[0];
  schemas = Object.fromEntries(
    Object.entries(aws.resource_schemas).map(([type, s]) => [type, { version: s.version, attributes: Object.fromEntries(Object.entries(s.block.attributes ?? {}).map(([k, a]) => [k, a.type])) }]),
  );
  fs.writeFileSync(cache, JSON.stringify(schemas));
  return schemas;
}

/** Ids whose shape the provider checks when another resource references them. */
const ID_PREFIXES: Readonly<Record<string, string>> = { aws_launch_template: 'lt-' };

/** A fake id: `fake-<address>`, or an id of the shape the provider checks (`lt-<17 hex digits>`). */
function fakeId(address: string): string {
  const prefix = ID_PREFIXES[address.split('.')[0]];
  return prefix ? `${prefix}${createHash('md5').update(address).digest('hex').slice(0, 17)}` : `fake-${address}`;
}

/** A well-formed value for an attribute known only after apply. */
function fake(type: AttributeType, address: string, attribute: string): unknown {
  if (type === 'string' && attribute === 'id') return fakeId(address);
  if (type === 'string') return `arn:aws:fake:eu-west-1:123456789012:${address}/${attribute}`;
  if (type === 'number') return 1;
  if (type === 'bool') return false;
  if (Array.isArray(type)) return type[0] === 'map' || type[0] === 'object' ? {} : [];
  return null;
}

/**
 * Whether an attribute known only after apply needs a value in the seeded state: something reads
 * it (another resource or an output), or it names the object (ids, ARNs, names, URLs). Other
 * computed attributes (a table's capacities under on-demand billing, a topic's FIFO scope) stay
 * null, as the provider leaves them: a made-up value would break its own checks on the next plan.
 */
function needsValue(referenced: ReadonlySet<string>, address: string, attribute: string): boolean {
  return referenced.has(`${address}.${attribute}`) || /(^|_)(id|arn|name|url|endpoint|dns_name|zone_id|address|ip|suffix|domain)$/.test(attribute);
}

/** Every `type.name.attribute` the configuration reads (resources and outputs, at any depth). */
function referencedAttributes(shown: PlanJson): Set<string> {
  const out = new Set<string>();
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        if (k === 'references' && Array.isArray(x)) for (const r of x) if (typeof r === 'string' && r.split('.').length === 3) out.add(r);
        walk(x);
      }
    }
  };
  walk(shown.configuration?.root_module?.resources);
  walk(shown.configuration?.root_module?.outputs);
  return out;
}

/**
 * The state's `sensitive_attributes` from a plan's `after_sensitive` (true where a value is
 * sensitive): without them the next plan would update the resource to mark its values sensitive.
 */
function sensitivePaths(marks: unknown, prefix: { type: string; value: unknown }[] = []): { type: string; value: unknown }[][] {
  if (marks === true) return [prefix];
  if (Array.isArray(marks)) return marks.flatMap((m, i) => sensitivePaths(m, [...prefix, { type: 'index', value: { value: i, type: 'number' } }]));
  if (marks && typeof marks === 'object') return Object.entries(marks).flatMap(([k, m]) => sensitivePaths(m, [...prefix, { type: 'get_attr', value: k }]));
  return [];
}

/** The type Terraform gives a JSON value written in a configuration: objects and tuples, not maps and lists. */
function typeOf(x: unknown): unknown {
  if (typeof x === 'number') return 'number';
  if (typeof x === 'boolean') return 'bool';
  if (typeof x === 'string') return 'string';
  if (Array.isArray(x)) return ['tuple', x.map(typeOf)];
  if (x && typeof x === 'object') return ['object', Object.fromEntries(Object.entries(x).map(([k, y]) => [k, typeOf(y)]))];
  return 'string';
}

/** Whether a plan's `after_unknown` marks any part of a value unknown. */
function anyUnknown(marks: unknown): boolean {
  if (marks === true) return true;
  if (marks && typeof marks === 'object') return Object.values(marks).some(anyUnknown);
  return false;
}

/** The root module outputs applying `shown` leaves, those whose whole value the plan knows. */
export function outputsFromPlan(shown: PlanJson): Record<string, StateOutput> {
  const planned = shown.planned_values?.outputs ?? {};
  return Object.fromEntries(
    Object.entries(planned)
      .filter(([name, o]) => 'value' in o && !anyUnknown(shown.output_changes?.[name]?.after_unknown))
      .map(([name, o]) => [name, { value: o.value, type: o.type ?? typeOf(o.value), ...(o.sensitive ? { sensitive: true } : {}) }]),
  );
}

/** A value of a resource attribute, known or made up, resolved through the references the configuration makes. */
type AttributeResolver = (address: string, attribute: string, depth?: number) => unknown;

/**
 * How attributes known only after apply get values: an attribute set from another resource's
 * attribute (`cluster = aws_ecs_cluster.x.arn`) gets the very value that attribute got, so the
 * next plan sees no change where the code made none; otherwise a well-formed fake where one is
 * needed (`needsValue`).
 */
function attributeResolver(shown: PlanJson, changes: ReadonlyMap<string, ResourceChange>, schemaOf: (type: string) => ResourceSchema): AttributeResolver {
  const referenced = referencedAttributes(shown);
  const expressions = new Map((shown.configuration?.root_module?.resources ?? []).map((r) => [r.address, r.expressions ?? {}]));
  const valueOf: AttributeResolver = (address, attribute, depth = 0) => {
    const c = changes.get(address);
    if (!c) return fake('string', address, attribute);
    const after = c.change.after as Record<string, unknown> | null | undefined;
    const known = after?.[attribute];
    if (known !== undefined && known !== null && (c.change.after_unknown as Record<string, unknown> | undefined)?.[attribute] !== true) return known;
    const type = schemaOf(c.type).attributes[attribute];
    const targets = (expressions.get(address)?.[attribute]?.references ?? []).filter((r) => r.split('.').length === 3);
    if (targets.length > 0 && depth < 10) {
      const resolve = (ref: string) => {
        const [t, name, attr] = ref.split('.');
        return valueOf(`${t}.${name}`, attr, depth + 1);
      };
      // A list or set of references (`security_groups = [aws_security_group.x.id]`) holds each value.
      if (Array.isArray(type) && (type[0] === 'list' || type[0] === 'set')) return targets.map(resolve);
      if (!Array.isArray(type)) return resolve(targets[0]);
    }
    // An unknown nested block (not an attribute of the schema) is a list of blocks.
    if (type === undefined) return [];
    // Collections are empty either way; a scalar gets a made-up value only when it must have one.
    return Array.isArray(type) || needsValue(referenced, address, attribute) ? fake(type, address, attribute) : null;
  };
  return valueOf;
}

/** The state resource of one planned change. */
function stateResource(c: ResourceChange, schema: ResourceSchema, valueOf: AttributeResolver): StateResource {
  const attributes: Record<string, any> = { ...(c.change.after as Record<string, unknown>) };
  for (const [k, unknown] of Object.entries((c.change.after_unknown ?? {}) as Record<string, unknown>)) {
    if (unknown === true) attributes[k] = valueOf(c.address, k);
  }
  // Terraform's own terraform_data: its output is its input, both of the dynamic type.
  if (c.type === 'terraform_data') Object.assign(attributes, { input: { value: attributes.input, type: typeOf(attributes.input) }, output: { value: attributes.input, type: typeOf(attributes.input) } });
  if (attributes.id === undefined || attributes.id === null) attributes.id = fakeId(c.address);
  const provider = typeof c.provider_name === 'string' ? c.provider_name : 'registry.terraform.io/hashicorp/aws';
  return { mode: 'managed', type: c.type, name: c.name, provider: `provider["${provider}"]`, instances: [{ schema_version: schema.version, attributes, sensitive_attributes: sensitivePaths(c.change.after_sensitive) }] };
}

/**
 * Terraform state (format 4) holding what applying `shown` (from `terraform show -json`) leaves:
 * what it creates, updates or keeps, not what it destroys, and its known outputs.
 */
export function stateFromPlan(shown: PlanJson, resourceSchemas: Readonly<Record<string, ResourceSchema>>): SeededState {
  const kept = (shown.resource_changes ?? []).filter((c) => c.mode === 'managed' && c.deposed === undefined && c.change.after !== null && !(c.change.actions.length === 1 && c.change.actions[0] === 'delete'));
  const changes = new Map(kept.map((c) => [c.address, c]));
  // Resources of Terraform's built-in provider (terraform_data) are not in the AWS schemas.
  const schemaOf = (type: string): ResourceSchema => resourceSchemas[type] ?? { version: 0, attributes: { id: 'string', input: 'dynamic', output: 'dynamic', triggers_replace: 'dynamic' } };
  const valueOf = attributeResolver(shown, changes, schemaOf);
  const resources = kept.map((c) => stateResource(c, schemaOf(c.type), valueOf));
  return { version: 4, terraform_version: '1.5.0', serial: 1, lineage: '00000000-0000-0000-0000-000000000000', outputs: outputsFromPlan(shown), resources };
}

/** Writes `state` as the offline preview's state in `dir` (what `previewOverride`'s local backend reads). */
export function writeState(dir: string, state: SeededState): void {
  fs.writeFileSync(path.join(dir, PREVIEW_STATE), JSON.stringify(state));
}

/** A settled plan: the plan of the configuration and the state applying it leaves. */
export interface SettledPlan {
  /** The plan against the state that was in the directory (none: a first apply). */
  readonly plan: PlanJson;
  /** What Terraform printed for it. */
  readonly stdout: string;
  /** The state applying it leaves, settled. */
  readonly state: SeededState;
}

/** How many plans of the same configuration settle a seeded state at most. */
const SETTLE_ROUNDS = 2;

/**
 * Plans `dir` (offline, against the state already there, if any) with `args`, and seeds the state
 * that applying the plan leaves, settled: planned again against it until nothing changes (at most
 * `SETTLE_ROUNDS` more plans); the outputs come from the last plan, where every resource exists.
 * Throws with Terraform's output when a plan fails.
 */
export async function planAndSettle(dir: string, args: readonly string[], env: NodeJS.ProcessEnv): Promise<SettledPlan> {
  const plan = async (): Promise<{ plan: PlanJson; stdout: string }> => {
    const run = await planAndShow(dir, args, env);
    if (!run.plan) throw new Error(`terraform plan failed in ${dir}:\n${run.stdout}\n${run.stderr}`);
    return { plan: run.plan, stdout: run.stdout };
  };
  const first = await plan();
  const resourceSchemas = await providerSchemas(dir, env);
  let state = stateFromPlan(first.plan, resourceSchemas);
  for (let round = 0; round < SETTLE_ROUNDS; round += 1) {
    writeState(dir, state);
    const settle = (await plan()).plan;
    if (Object.keys(summarizePlan(settle).actions).length === 0) {
      state = { ...state, outputs: outputsFromPlan(settle) };
      break;
    }
    state = stateFromPlan(settle, resourceSchemas);
  }
  return { ...first, state };
}
