/**
 * Plans a CHANGE offline: what the real provider would do to a deployed stack when the code
 * changes. The first stack is planned, its planned values become a Terraform state (computed
 * attributes filled with well-formed fakes), and the second stack is planned against that state
 * without refreshing. Terraform and the provider then decide, as they would on the tenth apply,
 * which resources are updated in place, which are replaced, and in which order
 * (`create_before_destroy` shows as `+/-`).
 */
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { TerraformStack } from 'cdktf';
import { CLI_DIR, PREVIEW_STATE, sharedProviderInstall, terraform, terraformEnv } from '../../tools/terraform/cli';
import type { PlanSummary } from '../../tools/terraform/plan';
import { savedPlan, writeStack } from './terraform';

type AttributeType = string | [string, unknown];
interface ResourceSchema {
  readonly version: number;
  readonly attributes: Record<string, AttributeType>;
}

let schemas: Record<string, ResourceSchema> | undefined;

/** The AWS provider's resource schemas (versions and attribute types), read once and cached. */
export async function providerSchemas(dir: string, env: NodeJS.ProcessEnv): Promise<Record<string, ResourceSchema>> {
  if (schemas) return schemas;
  const cache = path.join(CLI_DIR, 'aws-resource-schemas.json');
  if (fs.existsSync(cache)) return (schemas = JSON.parse(fs.readFileSync(cache, 'utf8')));
  const full = JSON.parse(await terraform(dir, ['providers', 'schema', '-json'], env));
  const aws = Object.values(full.provider_schemas as Record<string, { resource_schemas: Record<string, { version: number; block: { attributes?: Record<string, { type: AttributeType }> } }> }>)[0];
  schemas = Object.fromEntries(
    Object.entries(aws.resource_schemas).map(([type, s]) => [type, { version: s.version, attributes: Object.fromEntries(Object.entries(s.block.attributes ?? {}).map(([k, a]) => [k, a.type])) }]),
  );
  fs.writeFileSync(cache, JSON.stringify(schemas));
  return schemas;
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

/** Ids whose shape the provider checks when another resource references them. */
const ID_PREFIXES: Readonly<Record<string, string>> = { aws_launch_template: 'lt-' };

/** A fake id: `fake-<address>`, or an id of the shape the provider checks (`lt-<17 hex digits>`). */
function fakeId(address: string): string {
  const prefix = ID_PREFIXES[address.split('.')[0]];
  return prefix ? `${prefix}${createHash('md5').update(address).digest('hex').slice(0, 17)}` : `fake-${address}`;
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
function referencedAttributes(shown: any): Set<string> {
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

/** A value of Terraform's dynamic type, as the state stores it: the value with its type. */
function dynamicValue(v: unknown): { value: unknown; type: unknown } {
  const typeOf = (x: unknown): unknown => {
    if (typeof x === 'number') return 'number';
    if (typeof x === 'boolean') return 'bool';
    if (typeof x === 'string') return 'string';
    if (Array.isArray(x)) return ['tuple', x.map(typeOf)];
    if (x && typeof x === 'object') return ['object', Object.fromEntries(Object.entries(x).map(([k, y]) => [k, typeOf(y)]))];
    return 'string';
  };
  return { value: v, type: typeOf(v) };
}

/**
 * Terraform state (format 4) holding what applying `plan` (from `terraform show -json`) leaves:
 * what it creates, updates or keeps, not what it destroys. An attribute set from another
 * resource's attribute (`cluster = aws_ecs_cluster.x.arn`) gets the very value that attribute
 * got, so the next plan sees no change where the code made none.
 */
export function stateFromPlan(shown: any, resourceSchemas: Record<string, ResourceSchema>): unknown {
  const kept = (shown.resource_changes as any[]).filter((c) => c.mode === 'managed' && c.deposed === undefined && c.change.after !== null && !(c.change.actions.length === 1 && c.change.actions[0] === 'delete'));
  const changes = new Map<string, any>(kept.map((c) => [c.address, c]));
  const referenced = referencedAttributes(shown);
  // Resources of Terraform's built-in provider (terraform_data) are not in the AWS schemas.
  const schemaOf = (type: string): ResourceSchema => resourceSchemas[type] ?? { version: 0, attributes: { id: 'string', input: 'dynamic', output: 'dynamic', triggers_replace: 'dynamic' } };
  const expressions = new Map<string, Record<string, { references?: string[] }>>(
    ((shown.configuration?.root_module?.resources ?? []) as any[]).map((r) => [r.address, r.expressions ?? {}]),
  );
  const valueOf = (address: string, attribute: string, depth = 0): unknown => {
    const c = changes.get(address);
    if (!c) return fake('string', address, attribute);
    const known = c.change.after?.[attribute];
    if (known !== undefined && known !== null && c.change.after_unknown?.[attribute] !== true) return known;
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
  const resources = [...changes.values()]
    .map((c) => {
      const schema = schemaOf(c.type);
      const attributes: Record<string, unknown> = { ...c.change.after };
      for (const [k, unknown] of Object.entries(c.change.after_unknown ?? {})) {
        if (unknown === true) attributes[k] = valueOf(c.address, k);
      }
      // Terraform's own terraform_data: its output is its input, both of the dynamic type.
      if (c.type === 'terraform_data') Object.assign(attributes, { input: dynamicValue(attributes.input), output: dynamicValue(attributes.input) });
      if (attributes.id === undefined || attributes.id === null) attributes.id = fakeId(c.address);
      return {
        mode: 'managed',
        type: c.type,
        name: c.name,
        provider: c.provider_name ? `provider["${c.provider_name}"]` : 'provider["registry.terraform.io/hashicorp/aws"]',
        instances: [{ schema_version: schema.version, attributes, sensitive_attributes: sensitivePaths(c.change.after_sensitive) }],
      };
    });
  return { version: 4, terraform_version: '1.5.0', serial: 1, lineage: '00000000-0000-0000-0000-000000000000', outputs: {}, resources };
}

/** The plan of changing `before` into `after` (same stack name), offline. */
export async function planChange(before: TerraformStack, after: TerraformStack): Promise<PlanSummary> {
  const { dataDir, lockFile } = await sharedProviderInstall();
  const env = terraformEnv({ preview: true, dataDir });
  const first = writeStack(before, 'json');
  fs.copyFileSync(lockFile, path.join(first.dir, '.terraform.lock.hcl'));
  await terraform(first.dir, ['plan', '-refresh=false', '-lock=false', '-input=false', '-no-color', '-out=first.tfplan'], env);
  const shown = JSON.parse(await terraform(first.dir, ['show', '-json', 'first.tfplan'], env));
  const state = stateFromPlan(shown, await providerSchemas(first.dir, env));

  const second = writeStack(after, 'json');
  fs.copyFileSync(lockFile, path.join(second.dir, '.terraform.lock.hcl'));
  fs.writeFileSync(path.join(second.dir, PREVIEW_STATE), JSON.stringify(state));
  return savedPlan(second.dir, ['-refresh=false', '-lock=false', '-input=false', '-no-color'], env);
}
