/**
 * Plans a CHANGE offline: what the real provider would do to a deployed stack when the code
 * changes. The first stack is planned, its planned values become a Terraform state (computed
 * attributes filled with well-formed fakes), and the second stack is planned against that state
 * without refreshing. Terraform and the provider then decide, as they would on the tenth apply,
 * which resources are updated in place, which are replaced, and in which order
 * (`create_before_destroy` shows as `+/-`).
 */
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
async function providerSchemas(dir: string, env: NodeJS.ProcessEnv): Promise<Record<string, ResourceSchema>> {
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
  if (type === 'string') return attribute === 'id' ? `fake-${address}` : `arn:aws:fake:eu-west-1:123456789012:${address}/${attribute}`;
  if (type === 'number') return 1;
  if (type === 'bool') return false;
  if (Array.isArray(type)) return type[0] === 'map' || type[0] === 'object' ? {} : [];
  return null;
}

/**
 * Terraform state (format 4) holding what `plan` (from `terraform show -json`) would create.
 * An attribute set from another resource's attribute (`cluster = aws_ecs_cluster.x.arn`) gets the
 * very value that attribute got, so the second plan sees no change where the code made none.
 */
function stateFromPlan(shown: any, resourceSchemas: Record<string, ResourceSchema>): unknown {
  const changes = new Map<string, any>((shown.resource_changes as any[]).filter((c) => c.mode === 'managed').map((c) => [c.address, c]));
  const expressions = new Map<string, Record<string, { references?: string[] }>>(
    ((shown.configuration?.root_module?.resources ?? []) as any[]).map((r) => [r.address, r.expressions ?? {}]),
  );
  const valueOf = (address: string, attribute: string, depth = 0): unknown => {
    const c = changes.get(address);
    if (!c) return fake('string', address, attribute);
    const known = c.change.after?.[attribute];
    if (known !== undefined && known !== null && c.change.after_unknown?.[attribute] !== true) return known;
    const schema = resourceSchemas[c.type];
    const type = schema.attributes[attribute];
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
    return type !== undefined ? fake(type, address, attribute) : [];
  };
  const resources = [...changes.values()]
    .map((c) => {
      const schema = resourceSchemas[c.type];
      const attributes: Record<string, unknown> = { ...c.change.after };
      for (const [k, unknown] of Object.entries(c.change.after_unknown ?? {})) {
        if (unknown === true) attributes[k] = valueOf(c.address, k);
      }
      if (attributes.id === undefined || attributes.id === null) attributes.id = `fake-${c.address}`;
      return {
        mode: 'managed',
        type: c.type,
        name: c.name,
        provider: 'provider["registry.terraform.io/hashicorp/aws"]',
        instances: [{ schema_version: schema.version, attributes, sensitive_attributes: [] }],
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
