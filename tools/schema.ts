/**
 * `npm run schema`: publishes the settings as a JSON Schema (`schema/settings.schema.json`) so that
 * editors complete and check settings files, and writes one example settings file per stack
 * (`examples/<stack>.json`, each with `$schema`).
 *
 * The schema is generated, not written: constraints (types, ranges, patterns, enums) come from the
 * runtime settings schemas (stacks/settings/schema.ts `jsonSchema`), descriptions from the TSDoc of
 * the settings interfaces (read with the TypeScript parser, no type-checking), defaults from each
 * stack's defaults. Settings are overrides deep-merged onto the defaults, so object fields are
 * optional in the published schema; list items and map entries without a template stay complete.
 * `--check` fails when a committed file differs (the test does the same).
 */
import * as fs from 'fs';
import * as path from 'path';
import type * as TS from 'typescript';
import { Schema } from '../stacks/settings/schema';
import { remoteStateSchema } from '../stacks/settings';
import { STACKS } from '../stacks';
import { ROOT } from './terraform/cli';

/** Where the settings interfaces are declared. */
const SOURCES = ['src/core/backend.ts', 'stacks/settings/shapes.ts', 'src/compute/ecs-cluster.ts', ...fs.readdirSync(path.join(ROOT, 'stacks')).flatMap((d) => ['settings.ts', 'index.ts'].map((f) => `stacks/${d}/${f}`))].filter((f) => fs.existsSync(path.join(ROOT, f)));

export const SCHEMA_FILE = 'schema/settings.schema.json';

interface Doc {
  readonly description?: string;
  /** The property's type node, to follow into nested interfaces. */
  readonly type?: TS.TypeNode;
}

/** Interfaces by name, with their own members and those they extend. */
class InterfaceIndex {
  private readonly interfaces = new Map<string, TS.InterfaceDeclaration>();
  private readonly aliases = new Map<string, TS.TypeAliasDeclaration>();

  constructor(private readonly ts: typeof TS) {
    for (const file of SOURCES) {
      const source = ts.createSourceFile(file, fs.readFileSync(path.join(ROOT, file), 'utf8'), ts.ScriptTarget.ES2022, true);
      source.forEachChild((node) => {
        if (ts.isInterfaceDeclaration(node)) this.interfaces.set(node.name.text, node);
        if (ts.isTypeAliasDeclaration(node)) this.aliases.set(node.name.text, node);
      });
    }
  }

  /** The documented members of a type (a node, or an interface name): an interface (with its `extends`), a type literal, an intersection. */
  members(type: TS.TypeNode | string | undefined): Map<string, Doc> {
    const ts = this.ts;
    const out = new Map<string, Doc>();
    if (!type) return out;
    if (typeof type === 'string') {
      const decl = this.interfaces.get(type);
      if (decl) {
        for (const h of decl.heritageClauses ?? []) for (const t of h.types) for (const [k, v] of this.members(t.expression.getText())) out.set(k, v);
        this.collect(decl.members, out);
      } else if (this.aliases.has(type)) {
        return this.members(this.aliases.get(type)!.type);
      }
      return out;
    }
    if (ts.isIntersectionTypeNode(type)) {
      for (const t of type.types) for (const [k, v] of this.members(t)) out.set(k, v);
    } else if (ts.isTypeLiteralNode(type)) {
      this.collect(type.members, out);
    } else if (ts.isTypeReferenceNode(type)) {
      return this.members(type.typeName.getText());
    }
    return out;
  }

  /** The element type of `X[]` / `readonly X[]`, or the value type of `Record<K, V>`. */
  inner(type: TS.TypeNode | undefined): TS.TypeNode | undefined {
    const ts = this.ts;
    if (!type) return undefined;
    if (ts.isTypeOperatorNode(type)) return this.inner(type.type);
    if (ts.isArrayTypeNode(type)) return type.elementType;
    if (ts.isTypeReferenceNode(type) && ['Record', 'Readonly', 'ReadonlyArray', 'Array'].includes(type.typeName.getText())) {
      const args = type.typeArguments ?? [];
      return type.typeName.getText() === 'Record' ? args[1] : args[0];
    }
    return type;
  }

  private collect(members: TS.NodeArray<TS.TypeElement>, out: Map<string, Doc>): void {
    const ts = this.ts;
    for (const m of members) {
      if (!ts.isPropertySignature(m) || !m.name) continue;
      const tags = ts.getJSDocCommentsAndTags(m).filter(ts.isJSDoc);
      const text = tags
        .map((d) => {
          const body = typeof d.comment === 'string' ? d.comment : (d.comment ?? []).map((c) => c.getText()).join('');
          const def = (d.tags ?? []).find((t) => t.tagName.text === 'default');
          const defText = def ? (typeof def.comment === 'string' ? def.comment : (def.comment ?? []).map((c) => c.getText()).join('')) : undefined;
          return [body.trim(), defText ? `Default: ${defText.trim().replace(/^- /, '')}` : ''].filter(Boolean).join(' ');
        })
        .join(' ')
        .replace(/\s+/g, ' ')
        .trim();
      out.set(m.name.getText(), { description: text || undefined, type: m.type });
    }
  }
}

/** The JSON Schema of a settings schema, with descriptions and defaults, `partial` for overrides. */
function document(index: InterfaceIndex, schema: Schema<unknown>, type: TS.TypeNode | string | undefined, defaults: unknown, partial: boolean): Record<string, unknown> {
  const base: Record<string, unknown> = { ...schema.jsonSchema };
  if (schema.kind === 'object' && schema.fields) {
    const docs = index.members(type);
    // A `Record<Name, T>` with fixed names: every field is a T.
    const entryType = docs.size === 0 && type !== undefined && typeof type !== 'string' ? index.inner(type) : undefined;
    const properties: Record<string, unknown> = {};
    for (const [key, field] of Object.entries(schema.fields)) {
      const doc = docs.get(key);
      const value = defaults && typeof defaults === 'object' ? (defaults as Record<string, unknown>)[key] : undefined;
      const prop = document(index, field, doc?.type ?? (entryType !== type ? entryType : undefined), value, partial);
      if (doc?.description) prop.description = doc.description;
      else if (entryType) prop.description = `The entry "${key}".`;
      if (value !== undefined && field.kind !== 'object' && field.kind !== 'record') prop.default = value;
      properties[key] = prop;
    }
    base.properties = properties;
    if (partial) delete base.required;
  } else if (schema.kind === 'array' && schema.item) {
    base.items = document(index, schema.item, typeof type === 'string' ? undefined : index.inner(type), undefined, false);
  } else if (schema.kind === 'record' && schema.item) {
    base.additionalProperties = document(index, schema.item, typeof type === 'string' ? undefined : index.inner(type), schema.entryDefaults, partial && schema.entryDefaults !== undefined);
  }
  return base;
}

/** The published settings schema. */
export function settingsSchema(): Record<string, unknown> {
  const ts = require('typescript') as typeof TS;
  const index = new InterfaceIndex(ts);
  const stacks: Record<string, unknown> = {};
  for (const def of STACKS) {
    stacks[def.name] = { ...document(index, def.schema, def.settingsType, def.defaults, true), description: def.description };
  }
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: 'https://github.com/cdktf-aws-deployments/settings.schema.json',
    title: 'Settings of the cdktf-aws-deployments stacks',
    description: 'Overrides deep-merged onto each stack\'s defaults (objects merge, lists replace, null unsets). Give them in cdktf.json under context.settings or in the JSON file named by STACK_SETTINGS_FILE. Generated by `npm run schema`.',
    type: 'object',
    additionalProperties: false,
    properties: {
      $schema: { type: 'string', description: 'The schema of this file, for editors.' },
      remoteState: { ...document(index, remoteStateSchema as Schema<unknown>, 'RemoteStateConfig', undefined, false), description: 'Remote state in S3 for every stack (create the bucket with the state-bootstrap stack). Default: local state.' },
      stacks: { type: 'object', additionalProperties: false, description: 'Settings per stack, by public stack name.', properties: stacks },
    },
  };
}

/** The files the command writes, by path relative to the project root. */
export function generatedFiles(): Record<string, string> {
  return { [SCHEMA_FILE]: `${JSON.stringify(settingsSchema(), null, 2)}\n` };
}

function main(): number {
  const check = process.argv.includes('--check');
  const stale: string[] = [];
  for (const [file, text] of Object.entries(generatedFiles())) {
    const full = path.join(ROOT, file);
    const current = fs.existsSync(full) ? fs.readFileSync(full, 'utf8') : undefined;
    if (current === text) continue;
    if (check) stale.push(file);
    else {
      fs.mkdirSync(path.dirname(full), { recursive: true });
      fs.writeFileSync(full, text);
      process.stdout.write(`wrote ${file}\n`);
    }
  }
  if (stale.length > 0) {
    process.stderr.write(`out of date: ${stale.join(', ')}; run npm run schema\n`);
    return 1;
  }
  return 0;
}

if (require.main === module) process.exitCode = main();
