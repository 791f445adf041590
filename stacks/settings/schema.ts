/**
 * A small, dependency-free schema language for settings.
 *
 * Every stack declares its settings as a TypeScript interface (with TSDoc and `@default`) plus a
 * schema built from these functions. `object<T>()` requires a schema for every key of `T`, so the
 * interface and the schema cannot drift apart. Validation collects every problem at once, each
 * with its dotted path, the offending value and what is allowed; cross-field checks run together
 * with the field checks. Each schema also describes itself as a JSON Schema fragment
 * (`jsonSchema`), from which the published settings schema is generated.
 */
import { camelCase, didYouMean, show } from '../../src/core/format';
import { AMI_PATTERN, BUCKET_PATTERN, CIDR_PATTERN, EMAIL_PATTERN, ENV_VAR_PATTERN, IMAGE_TAG_PATTERN, REGION_PATTERN, ZONE_PATTERN, isCidr } from '../../src/core/validation';
import { RETENTION_DAYS } from '../../src/core/naming';

export { didYouMean, show };

/** One problem found while validating settings. */
export interface Issue {
  /** Dotted path of the setting, e.g. `services.gateway.cpu`. Empty for the root. */
  readonly path: string;
  /** What is wrong and what is allowed, starting with the offending value. */
  readonly message: string;
}

/** A validator for values of type `T` (the type parameter is used by `object<T>()` only). */
export interface Schema<T> {
  /** Human description of what is allowed, used in messages of enclosing schemas. */
  readonly expected: string;
  /** Whether `undefined`/`null` is acceptable. */
  readonly optional: boolean;
  /** Check `value` and push every problem onto `issues`. */
  validate(value: unknown, path: string, issues: Issue[]): void;
  /** Applies defaults the schema knows (map entries); returns the filled value. */
  fill?(value: unknown): unknown;
  /** The constraints as a JSON Schema fragment (no descriptions: those come from the TSDoc). */
  readonly jsonSchema: Record<string, unknown>;
  /** Field schemas, for objects. */
  readonly fields?: Readonly<Record<string, Schema<unknown>>>;
  /** Item schema, for lists; value schema, for maps. */
  readonly item?: Schema<unknown>;
  /** What kind of value: the published JSON Schema treats object fields and map entries as partial overrides. */
  readonly kind?: 'object' | 'array' | 'record' | 'leaf';
  /** For maps whose new entries are filled from a template (entries may then be partial). */
  readonly entryDefaults?: unknown;
  /** Phantom field carrying the value type; never set. */
  readonly __type?: T;
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  return `a ${typeof value}`;
}

function join(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  return path ? `${path}.${key}` : key;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Deep-merges `override` onto `base`: objects merge key by key, arrays and scalars replace,
 * `null` removes the key (back to "not set").
 */
export function deepMerge<T>(base: T, override: unknown): T {
  if (override === undefined) return base;
  if (!isPlainObject(base) || !isPlainObject(override)) return override as T;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(override)) {
    if (v === null) delete out[k];
    else out[k] = deepMerge(out[k], v);
  }
  return out as T;
}

interface MakeOptions {
  readonly jsonSchema: Record<string, unknown>;
  readonly fill?: (value: unknown) => unknown;
  readonly fields?: Readonly<Record<string, Schema<unknown>>>;
  readonly item?: Schema<unknown>;
  readonly kind?: Schema<unknown>['kind'];
  readonly entryDefaults?: unknown;
}

function make<T>(expected: string, options: MakeOptions, check: (value: unknown, path: string, issues: Issue[]) => void): Schema<T> {
  return {
    expected,
    optional: false,
    jsonSchema: options.jsonSchema,
    fill: options.fill,
    fields: options.fields,
    item: options.item,
    kind: options.kind ?? 'leaf',
    entryDefaults: options.entryDefaults,
    validate(value, path, issues) {
      if (value === undefined || value === null) {
        issues.push({ path, message: `is required; expected ${expected}` });
        return;
      }
      check(value, path, issues);
    },
  };
}

/** Marks a schema optional: `undefined` (or `null` in a JSON override) means "not set". */
export function optional<T>(schema: Schema<T>): Schema<T | undefined> {
  return {
    ...schema,
    optional: true,
    fill: schema.fill ? (v) => (v === undefined || v === null ? v : schema.fill!(v)) : undefined,
    validate(value, path, issues) {
      if (value === undefined || value === null) return;
      schema.validate(value, path, issues);
    },
  };
}

export interface StringOptions {
  /** Regular expression the whole value must match. */
  readonly pattern?: RegExp;
  /** What the pattern means, for messages, e.g. "an S3 bucket name". */
  readonly describe?: string;
  readonly minLength?: number;
  readonly maxLength?: number;
}

export function string(options: StringOptions = {}): Schema<string> {
  const expected = options.describe ?? 'a string';
  const jsonSchema: Record<string, unknown> = { type: 'string' };
  if (options.pattern) jsonSchema.pattern = options.pattern.source;
  if (options.minLength !== undefined) jsonSchema.minLength = options.minLength;
  if (options.maxLength !== undefined) jsonSchema.maxLength = options.maxLength;
  return make<string>(expected, { jsonSchema }, (value, path, issues) => {
    if (typeof value !== 'string') {
      issues.push({ path, message: `${show(value)} is ${typeName(value)}; expected ${expected}` });
      return;
    }
    if (options.minLength !== undefined && value.length < options.minLength) {
      issues.push({ path, message: `${show(value)} is too short; expected ${expected} of at least ${options.minLength} characters` });
    } else if (options.maxLength !== undefined && value.length > options.maxLength) {
      issues.push({ path, message: `${show(value)} is too long (${value.length} characters); expected ${expected} of at most ${options.maxLength}` });
    } else if (options.pattern && !options.pattern.test(value)) {
      issues.push({ path, message: `${show(value)} is not ${expected}` });
    }
  });
}

/** One of a fixed set of strings or numbers. */
export function oneOf<T extends string | number>(values: readonly T[], describe?: string): Schema<T> {
  const allowed = values.map((v) => (typeof v === 'string' ? JSON.stringify(v) : String(v))).join(', ');
  const expected = describe ? `${describe} (one of ${allowed})` : `one of ${allowed}`;
  return make<T>(expected, { jsonSchema: { enum: [...values] } }, (value, path, issues) => {
    if (!(values as readonly unknown[]).includes(value)) {
      const what = describe ? `is not ${describe}` : 'is not allowed';
      const hint = typeof value === 'string' ? didYouMean(value, values.filter((v): v is T & string => typeof v === 'string')) : '';
      const units = typeof value === 'string' && values.every((v) => typeof v === 'number') && /^\d/.test(value) ? '; give a number without units or quotes' : '';
      issues.push({ path, message: `${show(value)} ${what}${hint}${units}; allowed: ${allowed}` });
    }
  });
}

export interface NumberOptions {
  readonly min?: number;
  readonly max?: number;
  /** Whole numbers only. @default true */
  readonly integer?: boolean;
  /** Unit for messages, e.g. "seconds". */
  readonly unit?: string;
}

export function number(options: NumberOptions = {}): Schema<number> {
  const integer = options.integer ?? true;
  const range =
    options.min !== undefined && options.max !== undefined
      ? ` from ${options.min} to ${options.max}`
      : options.min !== undefined
        ? ` of at least ${options.min}`
        : options.max !== undefined
          ? ` of at most ${options.max}`
          : '';
  const expected = `${integer ? 'a whole number' : 'a number'}${range}${options.unit ? ` (${options.unit})` : ''}`;
  const jsonSchema: Record<string, unknown> = { type: integer ? 'integer' : 'number' };
  if (options.min !== undefined) jsonSchema.minimum = options.min;
  if (options.max !== undefined) jsonSchema.maximum = options.max;
  return make<number>(expected, { jsonSchema }, (value, path, issues) => {
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      // "2GB", "5m", "70%": a number written with its unit.
      const units = typeof value === 'string' && /^\s*-?\d/.test(value) ? `; give the number alone${options.unit ? ` in ${options.unit}` : ''}, without units or quotes` : '';
      issues.push({ path, message: `${show(value)} is ${typeName(value)}; expected ${expected}${units}` });
    } else if (integer && !Number.isInteger(value)) {
      issues.push({ path, message: `${show(value)} is not a whole number; expected ${expected}` });
    } else if ((options.min !== undefined && value < options.min) || (options.max !== undefined && value > options.max)) {
      issues.push({ path, message: `${show(value)} is out of range; expected ${expected}` });
    }
  });
}

export function boolean(): Schema<boolean> {
  return make<boolean>('true or false', { jsonSchema: { type: 'boolean' } }, (value, path, issues) => {
    if (typeof value !== 'boolean') issues.push({ path, message: `${show(value)} is ${typeName(value)}; expected true or false` });
  });
}

export interface ArrayOptions {
  readonly minLength?: number;
  readonly maxLength?: number;
  /** Reject repeated items. @default false */
  readonly unique?: boolean;
  /** The plural for messages, e.g. "IPv4 CIDR blocks". @default "items of <item>" */
  readonly plural?: string;
}

export function array<T>(item: Schema<T>, options: ArrayOptions = {}): Schema<T[]> {
  const expected = `a list of ${options.plural ?? `items (each ${item.expected})`}`;
  const jsonSchema: Record<string, unknown> = { type: 'array', items: item.jsonSchema };
  if (options.minLength !== undefined) jsonSchema.minItems = options.minLength;
  if (options.maxLength !== undefined) jsonSchema.maxItems = options.maxLength;
  if (options.unique) jsonSchema.uniqueItems = true;
  const fill = item.fill ? (v: unknown) => (Array.isArray(v) ? v.map((x) => item.fill!(x)) : v) : undefined;
  return make<T[]>(expected, { jsonSchema, fill, item: item as Schema<unknown>, kind: 'array' }, (value, path, issues) => {
    if (!Array.isArray(value)) {
      issues.push({ path, message: `${show(value)} is ${typeName(value)}; expected ${expected}` });
      return;
    }
    if (options.minLength !== undefined && value.length < options.minLength) {
      issues.push({ path, message: `${show(value)} has ${value.length} item${value.length === 1 ? '' : 's'}; expected at least ${options.minLength}` });
    }
    if (options.maxLength !== undefined && value.length > options.maxLength) {
      issues.push({ path, message: `${show(value)} has ${value.length} items; expected at most ${options.maxLength}` });
    }
    value.forEach((v, i) => item.validate(v, join(path, i), issues));
    if (options.unique) {
      const seen = new Set<string>();
      value.forEach((v, i) => {
        const k = JSON.stringify(v);
        if (seen.has(k)) issues.push({ path: join(path, i), message: `${show(v)} is repeated; items must be unique` });
        seen.add(k);
      });
    }
  });
}

export interface RecordOptions<T> {
  /** Schema of the keys. @default - any string */
  readonly key?: Schema<string>;
  /**
   * What a new entry starts from: an entry names only what differs (a sixth agent is one line).
   * @default - entries must be complete
   */
  readonly defaults?: T;
  /** Most entries. @default - no limit */
  readonly maxEntries?: number;
}

/** A map from free-form keys (optionally constrained) to values of one schema. */
export function record<T>(value: Schema<T>, options: RecordOptions<T> = {}): Schema<Record<string, T>> {
  const expected = `a map of ${value.expected}`;
  const jsonSchema: Record<string, unknown> = { type: 'object', additionalProperties: value.jsonSchema };
  if (options.key) jsonSchema.propertyNames = options.key.jsonSchema;
  if (options.maxEntries !== undefined) jsonSchema.maxProperties = options.maxEntries;
  const fill = (v: unknown): unknown => {
    if (!isPlainObject(v)) return v;
    const out: Record<string, unknown> = {};
    for (const [k, entry] of Object.entries(v)) {
      const merged = options.defaults !== undefined && isPlainObject(entry) ? deepMerge(options.defaults, entry) : entry;
      out[k] = value.fill ? value.fill(merged) : merged;
    }
    return out;
  };
  return make<Record<string, T>>(expected, { jsonSchema, fill, item: value as Schema<unknown>, kind: 'record', entryDefaults: options.defaults }, (v, path, issues) => {
    if (!isPlainObject(v)) {
      issues.push({ path, message: `${show(v)} is ${typeName(v)}; expected ${expected}` });
      return;
    }
    const entries = Object.entries(v);
    if (options.maxEntries !== undefined && entries.length > options.maxEntries) {
      issues.push({ path, message: `has ${entries.length} entries; expected at most ${options.maxEntries}` });
    }
    for (const [k, item] of entries) {
      options.key?.validate(k, join(path, k), issues);
      value.validate(item, join(path, k), issues);
    }
  });
}

/** The schema of every key of `T`; optional keys need `optional(...)` schemas. */
export type Shape<T> = { readonly [K in keyof T]-?: Schema<T[K]> };

/** Cross-field check: report problems with `issue(relativePath, message)`. */
export type Refinement<T> = (value: T, issue: (path: string, message: string) => void) => void;

/**
 * An object with exactly the keys of `shape`; unknown keys are rejected with a suggestion.
 * `refine` runs cross-field checks in the same pass as the field checks: a check that trips over
 * a malformed field is skipped, and a cross-field problem on a setting that already has one is
 * not repeated.
 */
export function object<T>(shape: Shape<T>, refine?: Refinement<T>, describe = 'an object'): Schema<T> {
  const keys = Object.keys(shape) as (keyof T & string)[];
  const fields = shape as unknown as Record<string, Schema<unknown>>;
  const properties = Object.fromEntries(keys.map((k) => [k, fields[k].jsonSchema]));
  const required = keys.filter((k) => !fields[k].optional);
  const jsonSchema: Record<string, unknown> = { type: 'object', properties, additionalProperties: false };
  if (required.length > 0) jsonSchema.required = required;
  const fill = keys.some((k) => fields[k].fill)
    ? (v: unknown) => {
        if (!isPlainObject(v)) return v;
        const out: Record<string, unknown> = { ...v };
        for (const k of keys) if (fields[k].fill && out[k] !== undefined) out[k] = fields[k].fill!(out[k]);
        return out;
      }
    : undefined;
  return make<T>(describe, { jsonSchema, fill, fields, kind: 'object' }, (value, path, issues) => {
    if (!isPlainObject(value)) {
      issues.push({ path, message: `${show(value)} is ${typeName(value)}; expected ${describe}` });
      return;
    }
    const before = issues.length;
    for (const k of Object.keys(value)) {
      if (!(keys as string[]).includes(k)) {
        issues.push({ path: join(path, k), message: `unknown setting${suggestKey(k, fields)}; allowed: ${keys.join(', ')}` });
      }
    }
    for (const k of keys) fields[k].validate(value[k], join(path, k), issues);
    if (!refine) return;
    const bad = issues.slice(before).map((i) => i.path);
    const overlaps = (p: string) => bad.some((b) => b === p || b.startsWith(`${p}.`) || b.startsWith(`${p}[`) || p.startsWith(`${b}.`) || p.startsWith(`${b}[`));
    const found: Issue[] = [];
    try {
      refine(value as T, (p, message) => found.push({ path: p ? join(path, p) : path, message }));
    } catch {
      // A cross-field check read a malformed field; the field's own problem is already reported.
    }
    issues.push(...found.filter((i) => !overlaps(i.path)));
  });
}

/**
 * `; did you mean "x"?` for an unknown key of an object with `fields`: a key close to it
 * (`didYouMean`, which knows the documents' snake_case names), else the same word without the
 * prefix of a Terraform variable (`aws_region` is `region`, `enable_gpu` is `gpu`), else the one key
 * it begins, or the one that only adds a unit (`memory` is `memoryMiB`), else the one field of a nested object it names
 * (`vpc_cidr` is `network.vpcCidr`, `instance_type` is `gpu.instanceTypes`).
 */
export function suggestKey(word: string, fields: Readonly<Record<string, Schema<unknown>>>): string {
  const keys = Object.keys(fields);
  const direct = didYouMean(word, keys);
  if (direct) return direct;
  const stripped = word.replace(/^(aws|enable|use)_/i, '');
  const same = (w: string, key: string) => [camelCase(w).toLowerCase(), `${camelCase(w).toLowerCase()}s`].includes(key.toLowerCase());
  const one = (found: string[]) => (found.length === 1 ? `; did you mean ${JSON.stringify(found[0])}?` : '');
  const plain = one(keys.filter((k) => stripped !== word && same(stripped, k)));
  if (plain) return plain;
  const start = camelCase(word).toLowerCase();
  // Several keys begin it (`memoryMiB`, `memoryTarget`): the one that only adds a unit.
  const longer = start.length >= 3 ? keys.filter((k) => k.toLowerCase().startsWith(start) && k.length > start.length) : [];
  const begun = one(longer.length === 1 ? longer : longer.filter((k) => /^(MiB|GiB|Sec|Days|Minutes|Percent|Usd)$/.test(k.slice(start.length))));
  if (begun) return begun;
  const nested = keys.flatMap((k) => {
    const f = fields[k];
    return f.kind === 'object' && f.fields ? Object.keys(f.fields).filter((n) => same(word, n) || same(stripped, n)).map((n) => `${k}.${n}`) : [];
  });
  return one(nested);
}

/**
 * `schema` with what a design document's Terraform variables became in it: an unknown key listed
 * in `variables` is reported with its message there (`"the document's aws_region is region"`,
 * `"is a secret, never a setting: ..."`) instead of "unknown setting". For the names no suggestion
 * finds (`task_cpu` is `agentDefaults.cpu`, `single_nat_gateway` is `network.natGateways`).
 */
export function documentVariables<T>(schema: Schema<T>, variables: Readonly<Record<string, string>>): Schema<T> {
  return {
    ...schema,
    validate(value, path, issues) {
      const found: Issue[] = [];
      schema.validate(value, path, found);
      const given = isPlainObject(value) ? value : {};
      for (const issue of found) {
        const key = Object.keys(variables).find((k) => k in given && issue.path === join(path, k) && issue.message.startsWith('unknown setting'));
        issues.push(key ? { path: issue.path, message: variables[key] } : issue);
      }
    },
  };
}

/** Validates `value`, returning every problem (empty when valid). */
export function validate<T>(schema: Schema<T>, value: unknown): Issue[] {
  const issues: Issue[] = [];
  schema.validate(value, '', issues);
  return issues;
}

/** `value` with the defaults the schema knows applied (map entries from their template). */
export function fill<T>(schema: Schema<T>, value: unknown): unknown {
  return schema.fill ? schema.fill(value) : value;
}

// ----- domain-specific leaves -------------------------------------------------------------

/** An IPv4 CIDR block such as "10.0.0.0/16". */
export function cidr(): Schema<string> {
  return string({ pattern: CIDR_PATTERN, describe: 'an IPv4 CIDR block such as "10.0.0.0/16"' });
}

export { isCidr };

/** An AWS region code such as "eu-west-1". */
export function region(): Schema<string> {
  return string({ pattern: REGION_PATTERN, describe: 'an AWS region such as "eu-west-1"' });
}

/** An availability zone such as "eu-west-1a". */
export function zone(): Schema<string> {
  return string({ pattern: ZONE_PATTERN, describe: 'an availability zone such as "eu-west-1a"' });
}

/** An ARN, optionally of one service (e.g. "acm", "secretsmanager"). */
export function arn(service?: string): Schema<string> {
  const svc = service ?? '[a-z0-9-]+';
  const pattern = new RegExp(`^arn:aws(-cn|-us-gov)?:${svc}:[a-z0-9-]*:(\\d{12})?:.+$`);
  return string({ pattern, describe: service ? `an ARN of ${service} (arn:aws:${service}:<region>:<account>:...)` : 'an ARN (arn:aws:<service>:...)' });
}

/** An e-mail address (loosely checked). */
export function email(): Schema<string> {
  return string({ pattern: EMAIL_PATTERN, describe: 'an e-mail address' });
}

/** An S3 bucket name (3-63 lowercase letters, digits, dots and hyphens). */
export function bucketName(): Schema<string> {
  return string({ pattern: BUCKET_PATTERN, describe: 'an S3 bucket name (3-63 lowercase letters, digits, "." and "-")' });
}

/** A DNS-safe name fragment: lowercase letters, digits and hyphens. */
export function slug(maxLength = 63): Schema<string> {
  return string({ pattern: /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/, describe: `a name of lowercase letters, digits and "-" (at most ${maxLength})`, maxLength });
}

/** An AMI id such as "ami-0123456789abcdef0". */
export function amiId(): Schema<string> {
  return string({ pattern: AMI_PATTERN, describe: 'an AMI id such as "ami-0123456789abcdef0"' });
}

/** A container image tag. */
export function imageTag(): Schema<string> {
  return string({ pattern: IMAGE_TAG_PATTERN, describe: 'an image tag (1-128 letters, digits, "_", "." and "-", not starting with "." or "-")' });
}

/** An AWS account id (12 digits, as a string). */
export function accountId(): Schema<string> {
  return string({ pattern: /^\d{12}$/, describe: 'an AWS account id (12 digits, in quotes)' });
}

/** A CloudWatch Logs retention in days. */
export function retentionDays(): Schema<number> {
  return oneOf(RETENTION_DAYS, 'a CloudWatch Logs retention in days');
}

/** Plain environment variables: name to value. */
export function environmentVariables(): Schema<Record<string, string>> {
  return record(string({ maxLength: 4096, describe: 'a string value' }), { key: string({ pattern: ENV_VAR_PATTERN, describe: 'an environment variable name (letters, digits and "_", not starting with a digit)' }) });
}

/**
 * A map of resource tags (keys 1-128 characters, values up to 256). `Project`, `Environment` and
 * `ManagedBy` are the stack's own default tags: a value given here would be silently replaced, so
 * they are refused.
 */
export function tags(): Schema<Record<string, string>> {
  return record(string({ maxLength: 256, describe: 'a tag value (at most 256 characters)' }), {
    key: string({ minLength: 1, maxLength: 128, pattern: /^(?!aws:)(?!(Project|Environment|ManagedBy)$)/, describe: 'a tag key you may set (1-128 characters, not starting with "aws:"; Project, Environment and ManagedBy are set by the stack: change projectName/environment instead)' }),
  });
}
