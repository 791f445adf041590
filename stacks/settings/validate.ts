/**
 * Validation of settings: TypeBox's own validator (`Value.Errors`) decides what is wrong; this file
 * puts its errors in the order a user reads a settings object (unknown keys, then each field in
 * declaration order, then the object's cross-field checks), turns each into the project's message
 * (`messages.ts`), runs the cross-field checks and fills map entries from their templates.
 */
import { Kind, OptionalKind } from '@sinclair/typebox';
import type { Static, TSchema } from '@sinclair/typebox';
// `Value.Errors` itself, from the entry point that loads the validator only (not Value's casting, diffing, ...).
import { Errors, ValueErrorType } from '@sinclair/typebox/errors';
import type { ValueError } from '@sinclair/typebox/errors';
import { Issue, metaOf, properties } from './meta';
import { didYouMean } from '../../src/core/format';
import { keyMessage, messageOf, repeatedItems, requiredMessage, show, unknownKeyMessage } from './messages';

type Json = Record<string, unknown>;

function isPlainObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The schema of a map's entries. */
const entrySchema = (schema: TSchema): TSchema => Object.values((schema as TSchema & { patternProperties: Record<string, TSchema> }).patternProperties)[0];
/** The schema of a list's items. */
const itemSchema = (schema: TSchema): TSchema => (schema as TSchema & { items: TSchema }).items;

/**
 * Deep-merges `override` onto `base`: objects merge key by key, arrays and scalars replace,
 * `null` removes the key (back to "not set").
 */
export function deepMerge<T>(base: T, override: unknown): T {
  if (override === undefined) return base;
  if (!isPlainObject(base) || !isPlainObject(override)) return override as T;
  const out: Json = { ...base };
  for (const [k, v] of Object.entries(override)) {
    if (v === null) delete out[k];
    else out[k] = deepMerge(out[k], v);
  }
  return out as T;
}

/**
 * `value` without the properties that hold `null` or `undefined` ("not set" in an override, for an optional
 * setting; a required one is then reported missing). Map entries and list items keep theirs.
 */
function withoutNulls(schema: TSchema, value: unknown): unknown {
  const kind = schema[Kind];
  if (kind === 'Array' && Array.isArray(value)) return value.map((v) => withoutNulls(itemSchema(schema), v));
  if (kind === 'Record' && isPlainObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withoutNulls(entrySchema(schema), v)]));
  if (kind !== 'Object' || !isPlainObject(value)) return value;
  const fields = properties(schema);
  const kept = Object.entries(value).filter(([k, v]) => !(k in fields && (v === null || v === undefined)));
  return Object.fromEntries(kept.map(([k, v]) => [k, k in fields ? withoutNulls(fields[k], v) : v]));
}

/** TypeBox's errors by JSON pointer, taken as the walk places them. */
class ErrorIndex {
  private readonly at = new Map<string, ValueError[]>();
  private readonly under = new Set<string>();

  constructor(errors: Iterable<ValueError>) {
    for (const e of errors) {
      this.at.set(e.path, [...(this.at.get(e.path) ?? []), e]);
      for (let p = e.path; p !== ''; p = p.slice(0, p.lastIndexOf('/'))) this.under.add(p);
      this.under.add('');
    }
  }

  /** The errors at exactly `pointer`, removed from the index. */
  take(pointer: string): ValueError[] {
    const found = this.at.get(pointer) ?? [];
    this.at.delete(pointer);
    return found;
  }

  /** The errors at exactly `pointer`, left in the index. */
  peek(pointer: string): readonly ValueError[] {
    return this.at.get(pointer) ?? [];
  }

  /** Whether any error lies at or below `pointer`. */
  has(pointer: string): boolean {
    return this.under.has(pointer);
  }

  /** Whether TypeBox found nothing wrong. */
  get empty(): boolean {
    return this.under.size === 0;
  }

  /** Errors the walk did not place (none, unless a schema kind is not walked). */
  rest(): ValueError[] {
    return [...this.at.values()].flat();
  }
}

/** Where the walk is: the path the user wrote and TypeBox's pointer to it. */
interface At {
  readonly path: string;
  readonly pointer: string;
}

function child(at: At, key: string | number): At {
  const path = typeof key === 'number' ? `${at.path}[${key}]` : at.path ? `${at.path}.${key}` : key;
  return { path, pointer: `${at.pointer}/${String(key).replace(/~/g, '~0').replace(/\//g, '~1')}` };
}


/** The schemas directly inside `schema`: an object's fields, a map's entries, a list's items. */
function inner(schema: TSchema): TSchema[] {
  const kind = schema[Kind];
  return kind === 'Object' ? Object.values(properties(schema)) : kind === 'Record' ? [entrySchema(schema)] : kind === 'Array' ? [itemSchema(schema)] : [];
}

/** Whether `schema` or a schema inside it has cross-field checks (`refine`) or an entry template (`entryDefaults`), remembered per schema. */
const found = { refine: new WeakMap<TSchema, boolean>(), entryDefaults: new WeakMap<TSchema, boolean>() };
function within(schema: TSchema, what: keyof typeof found): boolean {
  let known = found[what].get(schema);
  if (known === undefined) {
    known = metaOf(schema)[what] !== undefined || inner(schema).some((s) => within(s, what));
    found[what].set(schema, known);
  }
  return known;
}
const hasChecks = (schema: TSchema) => within(schema, 'refine');

/** The walk over one value: TypeBox's errors in, issues out. */
class Walk {
  readonly issues: Issue[] = [];

  constructor(private readonly errors: ErrorIndex) {}

  visit(schema: TSchema, value: unknown, at: At): void {
    if (!this.errors.has(at.pointer) && !hasChecks(schema)) return;
    const own = this.errors.take(at.pointer);
    const kind = schema[Kind];
    const before = this.issues.length;
    if (kind === 'Object' && isPlainObject(value)) this.object(schema, value, at, own);
    else if (kind === 'Record' && isPlainObject(value)) this.record(schema, value, at, own);
    else if (kind === 'Array' && Array.isArray(value)) this.array(schema, value, at, own);
    else if (own.length > 0) return this.report(at, messageOf(schema, own[0], value));
    this.refine(schema, value, at, before);
  }

  private report(at: At, message: string): void {
    this.issues.push({ path: at.path, message });
  }

  private object(schema: TSchema, value: Json, at: At, own: ValueError[]): void {
    for (const e of own) this.report(at, messageOf(schema, e, value));
    const fields = properties(schema);
    for (const key of Object.keys(value)) {
      if (key in fields) continue;
      const next = child(at, key);
      if (this.errors.take(next.pointer).some((e) => e.type === ValueErrorType.ObjectAdditionalProperties)) this.report(next, unknownKeyMessage(schema, key));
    }
    for (const [key, field] of Object.entries(fields)) {
      const next = child(at, key);
      if (value[key] === undefined) {
        if (this.errors.take(next.pointer).length > 0) this.report(next, requiredMessage(field));
      } else this.visit(field, value[key], next);
    }
  }

  /**
   * The schema's own checks (an object's cross-field checks, a value's rules): skipped when one
   * trips over a malformed field, never repeating a problem on a setting that has one.
   */
  private refine(schema: TSchema, value: unknown, at: At, before: number): void {
    const check = metaOf(schema).refine as ((v: unknown, issue: (p: string, m: string) => void) => void) | undefined;
    if (!check) return;
    const bad = this.issues.slice(before).map((i) => i.path);
    const overlaps = (p: string) => bad.some((b) => b === p || b.startsWith(`${p}.`) || b.startsWith(`${p}[`) || p.startsWith(`${b}.`) || p.startsWith(`${b}[`));
    const found: Issue[] = [];
    try {
      check(value, (p, message) => found.push({ path: p ? (at.path ? `${at.path}.${p}` : p) : at.path, message }));
    } catch {
      // A cross-field check read a malformed field; the field's own problem is already reported.
    }
    this.issues.push(...found.filter((i) => !overlaps(i.path)));
  }

  private record(schema: TSchema, value: Json, at: At, own: ValueError[]): void {
    for (const e of own) this.report(at, messageOf(schema, e, value));
    for (const [key, entry] of Object.entries(value)) {
      const next = child(at, key);
      // A key outside the pattern meets the `Never` of additionalProperties: its entry is checked on its own.
      if (this.errors.peek(next.pointer).some((e) => e.type === ValueErrorType.Never)) {
        this.errors.take(next.pointer);
        this.report(next, keyMessage(schema, key));
        for (const i of validate(entrySchema(schema), entry)) this.issues.push({ path: i.path ? `${next.path}${i.path.startsWith('[') ? '' : '.'}${i.path}` : next.path, message: i.message });
      } else this.visit(entrySchema(schema), entry, next);
    }
  }

  private array(schema: TSchema, value: unknown[], at: At, own: ValueError[]): void {
    const unique = own.filter((e) => e.type === ValueErrorType.ArrayUniqueItems);
    for (const e of own) if (e.type !== ValueErrorType.ArrayUniqueItems) this.report(at, messageOf(schema, e, value));
    value.forEach((item, i) => this.visit(itemSchema(schema), item, child(at, i)));
    if (unique.length > 0) for (const i of repeatedItems(value)) this.report(child(at, i), `${show(value[i])} is repeated; items must be unique`);
  }
}

/**
 * The `null`s of `override` that remove nothing from `base` (what it is merged onto): a map entry
 * that is not there, under a misspelt name (`"agents": {"validatr": null}`), or a setting that
 * does not exist. Merging drops them without a word; here each is a problem, with a did-you-mean.
 */
export function removals(schema: TSchema, base: unknown, override: unknown, path = ''): Issue[] {
  const kind = schema[Kind];
  if (!isPlainObject(override) || !isPlainObject(base) || (kind !== 'Object' && kind !== 'Record')) return [];
  const fields = properties(schema);
  return Object.entries(override).flatMap(([key, v]): Issue[] => {
    const at = path ? `${path}.${key}` : key;
    if (v === null && kind === 'Record' && !(key in base)) {
      const entries = Object.keys(base);
      return [{ path: at, message: `null removes nothing: there is no entry ${JSON.stringify(key)}${didYouMean(key, entries)}; entries: ${entries.join(', ') || 'none'}` }];
    }
    if (v === null && kind === 'Object' && !(key in fields)) return [{ path: at, message: unknownKeyMessage(schema, key) }];
    const inner = kind === 'Record' ? entrySchema(schema) : fields[key];
    return inner ? removals(inner, base[key], v, at) : [];
  });
}

/** Validates `value`, returning every problem (empty when valid), in the order the user reads them. */
export function validate(schema: TSchema, value: unknown): Issue[] {
  const clean = withoutNulls(schema, value);
  const errors = new ErrorIndex(Errors(schema, clean));
  if (errors.empty && !hasChecks(schema)) return [];
  const walk = new Walk(errors);
  walk.visit(schema, clean, { path: '', pointer: '' });
  const rest = errors.rest().map((e) => ({ path: e.path.slice(1).split('/').join('.'), message: `${show(e.value)}: ${e.message}` }));
  return [...walk.issues, ...rest];
}

/** `value` with the defaults the schema knows applied: map entries filled from their template. */
export function fill(schema: TSchema, value: unknown): unknown {
  if (!within(schema, 'entryDefaults')) return value;
  const kind = schema[Kind];
  if (kind === 'Object' && isPlainObject(value)) {
    const out: Json = { ...value };
    for (const [k, field] of Object.entries(properties(schema))) if (out[k] !== undefined && out[k] !== null) out[k] = fill(field, out[k]);
    return out;
  }
  if (kind === 'Array' && Array.isArray(value)) return value.map((x) => fill(itemSchema(schema), x));
  if (kind === 'Record' && isPlainObject(value)) {
    const template = metaOf(schema).entryDefaults;
    const entries = Object.entries(value).map(([k, e]) => [k, fill(entrySchema(schema), template !== undefined && isPlainObject(e) ? deepMerge(template, e) : e)]);
    return Object.fromEntries(entries);
  }
  return value;
}

/**
 * The defaults a schema declares (`default` annotations), as a settings value: an object's fields
 * in declaration order, an optional field only when it has a default.
 */
export function defaultsOf<T extends TSchema>(schema: T): Static<T> {
  return defaultsAt(schema) as Static<T>;
}

function defaultsAt(schema: TSchema): unknown {
  const annotated = (schema as TSchema & { default?: unknown }).default;
  if (annotated !== undefined) return structuredClone(annotated);
  if (schema[Kind] !== 'Object') return undefined;
  const out: Json = {};
  for (const [k, field] of Object.entries(properties(schema))) {
    const value = field[OptionalKind] === 'Optional' && (field as { default?: unknown }).default === undefined ? undefined : defaultsAt(field);
    if (value !== undefined) out[k] = value;
  }
  return out;
}
