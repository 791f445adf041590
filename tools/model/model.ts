/**
 * The one model of a synthesized stack the toolchain reads (guardrails, cost, diagrams): its
 * resources by type and address with their construct paths, data sources, outputs, variables and
 * providers, the references between resources, and the relations the constructs recorded (which
 * the document alone cannot say).
 *
 * Built from the document synth writes (`//` metadata included: construct paths, guardrail
 * suppressions) and, for the relations, the stack's construct tree (`StackModel.fromStack`). A
 * document without its stack (`StackModel.fromDocument`: a `cdk.tf.json`, a hand-written test
 * document) gives a model without relations. Resources are in a stable order whatever the
 * document's: types, then names, sorted.
 */
import { TerraformStack } from 'cdktf';
import { decodeJsonencode } from '../../src/core/json';
import { isProductionEnvironment } from '../../src/core/environment';
import { Reference, referenceTarget, referencesIn, referencesOf, walkStrings } from './references';
import { Relation, RelationKind, readRelations } from './relations';
import { AcceptanceRecord, ClosureRecord, Output, Provider, Resource, SuppressionRecord, SynthesizedDocument } from './types';
import { Body, block, blocks, isExpression } from './values';

const sorted = (o: Record<string, unknown> | undefined): string[] => Object.keys(o ?? {}).sort();

function pushTo<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function withoutMetadata(body: Body | undefined): Body {
  const out: Body = {};
  for (const [k, v] of Object.entries(body ?? {})) if (k !== '//') out[k] = v;
  return out;
}

function elements(section: Record<string, Record<string, Body>> | undefined, prefix: string): Resource[] {
  return sorted(section).flatMap((type) =>
    sorted(section![type]).map((name) => {
      const raw = section![type][name] ?? {};
      const address = `${prefix}${type}.${name}`;
      return { type, name, address, path: raw['//']?.metadata?.path ?? address, body: withoutMetadata(raw) };
    }),
  );
}

function providersOf(doc: SynthesizedDocument): Provider[] {
  return sorted(doc.provider).flatMap((type) =>
    blocks(doc.provider![type]).map((body) => ({ type, body, ...(typeof body.alias === 'string' ? { alias: body.alias } : {}), ...(typeof body.region === 'string' ? { region: body.region } : {}) })),
  );
}

/** One synthesized stack: see the module comment. */
export class StackModel {
  /** A model of `document` alone: no relations (a document holds none). */
  public static fromDocument(document: SynthesizedDocument): StackModel {
    return new StackModel(document);
  }

  /** A model of `stack`, synthesized as `document` (with its `//` metadata), with the relations its constructs recorded. */
  public static fromStack(stack: TerraformStack, document: SynthesizedDocument): StackModel {
    return new StackModel(document, stack);
  }

  /** Stack name (the `//` metadata's `stackName`). */
  public readonly name: string;
  /** Provider configurations, in the document's order per provider. */
  public readonly providers: readonly Provider[];
  /** The region of the default AWS provider configuration (the first one when all have an alias). */
  public readonly region?: string;
  /** The default AWS provider's `Environment` default tag. */
  public readonly environment?: string;
  /** Whether the environment is production (`prod`, `production`, `prd`, `live`). */
  public readonly production: boolean;
  /** Data sources (address `data.<type>.<name>`). */
  public readonly dataSources: readonly Resource[];
  /** Input variables (type `variable`, address `var.<name>`, path `<stack>/var.<name>`). */
  public readonly variables: readonly Resource[];
  public readonly outputs: readonly Output[];
  /** Guardrail suppressions written into the document. */
  public readonly suppressions: readonly SuppressionRecord[];
  /** Production-gate acceptances written into the document (the users' reasons). */
  public readonly acceptances: readonly AcceptanceRecord[];
  /** The settings that close production-gate findings, written into the document. */
  public readonly closures: readonly ClosureRecord[];
  /** The relations the constructs recorded; empty for a model of a document alone. */
  public readonly relations: readonly Relation[];
  private readonly all: readonly Resource[];
  private readonly byType = new Map<string, Resource[]>();
  private readonly byAddress = new Map<string, Resource>();
  private readonly dataByAddress = new Map<string, Resource>();
  private readonly outgoing = new Map<string, Reference[]>();
  private readonly incoming = new Map<string, Reference[]>();
  private readonly attachedIndex = new Map<string, Map<string, Resource[]>>();
  private readonly decoded = new Map<string, unknown>();

  private constructor(document: SynthesizedDocument, stack?: TerraformStack) {
    const meta = (document['//'] ?? {}) as Body;
    this.name = meta.metadata?.stackName ?? '';
    this.suppressions = meta.guardrails?.suppressions ?? [];
    this.acceptances = meta.guardrails?.accepted ?? [];
    this.closures = meta.guardrails?.closeWith ?? [];
    this.providers = providersOf(document);
    const aws = this.providers.filter((p) => p.type === 'aws');
    const main = aws.find((p) => p.alias === undefined) ?? aws[0];
    this.region = main?.region;
    const tags = block(main?.body.default_tags)?.tags ?? {};
    this.environment = typeof tags.Environment === 'string' ? tags.Environment : undefined;
    this.production = isProductionEnvironment(this.environment);
    this.all = elements(document.resource, '');
    this.dataSources = elements(document.data, 'data.');
    this.variables = sorted(document.variable).map((name) => ({ type: 'variable', name, address: `var.${name}`, path: `${this.name}/var.${name}`, body: document.variable![name] }));
    this.outputs = sorted(document.output).map((name) => ({ name, ...(document.output![name] as { value: unknown }) }));
    for (const r of this.all) this.byAddress.set(r.address, r);
    for (const d of this.dataSources) this.dataByAddress.set(d.address, d);
    for (const r of this.all) pushTo(this.byType, r.type, r);
    this.indexReferences();
    this.relations = stack ? readRelations(stack, this) : [];
  }

  private indexReferences(): void {
    for (const r of this.all) {
      const refs = referencesOf(r.address, r.body, (a) => this.byAddress.has(a) || this.dataByAddress.has(a));
      this.outgoing.set(r.address, refs);
      for (const ref of refs) pushTo(this.incoming, ref.to, ref);
    }
  }

  /** The managed resources of `type`, or all of them (types, then names, sorted). */
  public resources(type?: string): readonly Resource[] {
    return type === undefined ? this.all : this.byType.get(type) ?? [];
  }

  /** The resource types of the stack, sorted. */
  public get types(): readonly string[] {
    return [...this.byType.keys()];
  }

  /** The resource or data source at `address` (`type.name`, `data.type.name`). */
  public resource(address: string): Resource | undefined {
    return this.byAddress.get(address) ?? this.dataByAddress.get(address);
  }

  /** The resource at `address` (`type.name`), or the one a whole-value `${type.name.attr}` reference names. */
  public resolve(addressOrReference: unknown): Resource | undefined {
    if (typeof addressOrReference !== 'string') return undefined;
    return this.byAddress.get(referenceTarget(addressOrReference) ?? addressOrReference);
  }

  /** The resources of the construct at `path` and below it. */
  public resourcesAt(path: string): Resource[] {
    return this.all.filter((r) => r.path === path || r.path.startsWith(`${path}/`));
  }

  /** The recorded relations of `kind`. */
  public relationsOf(kind: RelationKind): readonly Relation[] {
    return this.relations.filter((r) => r.kind === kind);
  }

  /** The references the resource at `address` holds in its arguments. */
  public referencesFrom(address: string): readonly Reference[] {
    return this.outgoing.get(address) ?? [];
  }

  /** Every reference to `address` (a resource or data source). */
  public referencesTo(address: string): readonly Reference[] {
    return this.incoming.get(address) ?? [];
  }

  /**
   * The managed resources referenced anywhere in `value` (a field, a block, a decoded document),
   * of `type` when given, in order of appearance (object keys sorted), once each.
   */
  public refsIn(value: unknown, type?: string): Resource[] {
    const out: Resource[] = [];
    walkStrings(value, (text) => {
      for (const { to } of referencesIn(text)) {
        const r = this.byAddress.get(to);
        if (r && !out.includes(r) && (type === undefined || r.type === type)) out.push(r);
      }
    });
    return out;
  }

  /** The first managed resource referenced in `value` (of `type` when given). */
  public ref(value: unknown, type?: string): Resource | undefined {
    return this.refsIn(value, type)[0];
  }

  /** Resources of `type` whose argument `field` references `target` anywhere in its value. */
  public referrers(type: string, field: string, target: Resource): Resource[] {
    const from = new Set(this.referencesTo(target.address).filter((r) => r.field === field || r.field.startsWith(`${field}.`)).map((r) => r.from));
    return this.resources(type).filter((r) => from.has(r.address));
  }

  /**
   * Resources of `type` whose `field` is exactly a reference to `target` (`${aws_s3_bucket.x.id}`),
   * or the literal value of one of `target`'s `names` fields (a bucket given by its name).
   */
  public attached(type: string, field: string, target: Resource, names: readonly string[] = []): Resource[] {
    const index = this.attachedBy(type, field);
    const out = [...(index.get(target.address) ?? [])];
    for (const n of names) {
      const v = target.body[n];
      if (typeof v === 'string' && !isExpression(v)) out.push(...(index.get(`literal:${v}`) ?? []));
    }
    return out;
  }

  /** Whether any resource of `type` has `field` pointing to `target` (see `attached`). */
  public hasAttached(type: string, field: string, target: Resource, names: readonly string[] = []): boolean {
    return this.attached(type, field, target, names).length > 0;
  }

  private attachedBy(type: string, field: string): Map<string, Resource[]> {
    const key = `${type}|${field}`;
    let index = this.attachedIndex.get(key);
    if (!index) {
      index = new Map();
      for (const r of this.resources(type)) {
        const v = r.body[field];
        const k = referenceTarget(v) ?? (typeof v === 'string' ? `literal:${v}` : undefined);
        if (k !== undefined) pushTo(index, k, r);
      }
      this.attachedIndex.set(key, index);
    }
    return index;
  }

  /**
   * A JSON document field (`policy`, `container_definitions`, ...) decoded from `${jsonencode(...)}`
   * or JSON, once per resource; undefined when absent or built at plan time (not readable here).
   */
  public document<T = any>(r: Resource, field: string): T | undefined {
    const raw = r.body[field];
    if (raw === undefined || raw === null) return undefined;
    if (typeof raw !== 'string') return raw as T;
    const key = `${r.address}|${field}`;
    if (!this.decoded.has(key)) this.decoded.set(key, decodeOrUndefined(raw));
    return this.decoded.get(key) as T | undefined;
  }
}

function decodeOrUndefined(raw: string): unknown {
  try {
    return decodeJsonencode(raw);
  } catch {
    return undefined;
  }
}
