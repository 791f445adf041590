/**
 * A small, dependency-free schema language for settings.
 *
 * Every stack declares its settings as a TypeScript interface (with TSDoc and `@default`) plus a
 * schema built from these functions. `object<T>()` requires a schema for every key of `T`, so the
 * interface and the schema cannot drift apart. Validation collects every problem at once, each with
 * its dotted path, the offending value and what is allowed.
 */

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
  /** Phantom field carrying the value type; never set. */
  readonly __type?: T;
}

/** Renders a value for a message: strings quoted, objects as compact JSON. */
export function show(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return String(value);
  const json = JSON.stringify(value);
  return json.length > 60 ? `${json.slice(0, 57)}...` : json;
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

function make<T>(expected: string, check: (value: unknown, path: string, issues: Issue[]) => void): Schema<T> {
  return {
    expected,
    optional: false,
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
    expected: schema.expected,
    optional: true,
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
  return make<string>(expected, (value, path, issues) => {
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
  return make<T>(expected, (value, path, issues) => {
    if (!(values as readonly unknown[]).includes(value)) {
      const what = describe ? `is not ${describe}` : 'is not allowed';
      const hint = typeof value === 'string' ? didYouMean(value, values.filter((v): v is T & string => typeof v === 'string')) : '';
      issues.push({ path, message: `${show(value)} ${what}${hint}; allowed: ${allowed}` });
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
  return make<number>(expected, (value, path, issues) => {
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      issues.push({ path, message: `${show(value)} is ${typeName(value)}; expected ${expected}` });
    } else if (integer && !Number.isInteger(value)) {
      issues.push({ path, message: `${show(value)} is not a whole number; expected ${expected}` });
    } else if ((options.min !== undefined && value < options.min) || (options.max !== undefined && value > options.max)) {
      issues.push({ path, message: `${show(value)} is out of range; expected ${expected}` });
    }
  });
}

export function boolean(): Schema<boolean> {
  return make<boolean>('true or false', (value, path, issues) => {
    if (typeof value !== 'boolean') issues.push({ path, message: `${show(value)} is ${typeName(value)}; expected true or false` });
  });
}

export interface ArrayOptions {
  readonly minLength?: number;
  readonly maxLength?: number;
  /** Reject repeated items. @default false */
  readonly unique?: boolean;
}

export function array<T>(item: Schema<T>, options: ArrayOptions = {}): Schema<T[]> {
  const expected = `a list of ${item.expected}`;
  return make<T[]>(expected, (value, path, issues) => {
    if (!Array.isArray(value)) {
      issues.push({ path, message: `${show(value)} is ${typeName(value)}; expected ${expected}` });
      return;
    }
    if (options.minLength !== undefined && value.length < options.minLength) {
      issues.push({ path, message: `${show(value)} has ${value.length} items; expected at least ${options.minLength}` });
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

/** A map from free-form keys (optionally constrained) to values of one schema. */
export function record<T>(value: Schema<T>, options: { readonly key?: Schema<string> } = {}): Schema<Record<string, T>> {
  const expected = `a map of ${value.expected}`;
  return make<Record<string, T>>(expected, (v, path, issues) => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) {
      issues.push({ path, message: `${show(v)} is ${typeName(v)}; expected ${expected}` });
      return;
    }
    for (const [k, item] of Object.entries(v)) {
      options.key?.validate(k, join(path, k), issues);
      value.validate(item, join(path, k), issues);
    }
  });
}

/** The schema of every key of `T`; optional keys need `optional(...)` schemas. */
export type Shape<T> = { readonly [K in keyof T]-?: Schema<T[K]> };

/** Cross-field check: report problems with `issue(relativePath, message)`. */
export type Refinement<T> = (value: T, issue: (path: string, message: string) => void) => void;

/** An object with exactly the keys of `shape`; unknown keys are rejected with a suggestion. */
export function object<T>(shape: Shape<T>, refine?: Refinement<T>, describe = 'an object'): Schema<T> {
  const keys = Object.keys(shape) as (keyof T & string)[];
  return make<T>(describe, (value, path, issues) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      issues.push({ path, message: `${show(value)} is ${typeName(value)}; expected ${describe}` });
      return;
    }
    const before = issues.length;
    for (const k of Object.keys(value)) {
      if (!(keys as string[]).includes(k)) {
        issues.push({ path: join(path, k), message: `unknown setting${didYouMean(k, keys)}; allowed: ${keys.join(', ')}` });
      }
    }
    for (const k of keys) {
      (shape[k] as Schema<unknown>).validate((value as Record<string, unknown>)[k], join(path, k), issues);
    }
    // Cross-field checks only make sense once every field is well-formed.
    if (refine && issues.length === before) {
      refine(value as T, (p, message) => issues.push({ path: p ? join(path, p) : path, message }));
    }
  });
}

/** Validates `value`, returning every problem (empty when valid). */
export function validate<T>(schema: Schema<T>, value: unknown): Issue[] {
  const issues: Issue[] = [];
  schema.validate(value, '', issues);
  return issues;
}

// ----- domain-specific leaves -------------------------------------------------------------

const IPV4_CIDR = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}\/(3[0-2]|[12]?\d)$/;
/** An IPv4 CIDR block such as "10.0.0.0/16". */
export function cidr(): Schema<string> {
  return string({ pattern: IPV4_CIDR, describe: 'an IPv4 CIDR block such as "10.0.0.0/16"' });
}

/** True when `value` is an IPv4 CIDR block (host bits are not checked). */
export function isCidr(value: string): boolean {
  return IPV4_CIDR.test(value);
}

const REGION = /^(us|eu|ap|sa|ca|me|af|il|mx|cn|us-gov)-(north|south|east|west|central|northeast|northwest|southeast|southwest)-\d$/;
/** An AWS region code such as "eu-west-1". */
export function region(): Schema<string> {
  return string({ pattern: REGION, describe: 'an AWS region such as "eu-west-1"' });
}

/** An ARN, optionally of one service (e.g. "acm", "secretsmanager"). */
export function arn(service?: string): Schema<string> {
  const svc = service ?? '[a-z0-9-]+';
  const pattern = new RegExp(`^arn:aws(-cn|-us-gov)?:${svc}:[a-z0-9-]*:(\\d{12})?:.+$`);
  return string({ pattern, describe: service ? `an ARN of ${service} (arn:aws:${service}:<region>:<account>:...)` : 'an ARN (arn:aws:<service>:...)' });
}

/** An e-mail address (loosely checked). */
export function email(): Schema<string> {
  return string({ pattern: /^[^@\s]+@[^@\s]+\.[^@\s]+$/, describe: 'an e-mail address' });
}

/** An S3 bucket name (3-63 lowercase letters, digits, dots and hyphens). */
export function bucketName(): Schema<string> {
  return string({ pattern: /^(?!xn--)(?!.*\.\.)[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, describe: 'an S3 bucket name (3-63 lowercase letters, digits, "." and "-")' });
}

/** A DNS-safe name fragment: lowercase letters, digits and hyphens. */
export function slug(maxLength = 63): Schema<string> {
  return string({ pattern: /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/, describe: `a name of lowercase letters, digits and "-" (at most ${maxLength})`, maxLength });
}

// ----- suggestions ------------------------------------------------------------------------

function distance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0];
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j];
      prev[j] = Math.min(prev[j] + 1, prev[j - 1] + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = tmp;
    }
  }
  return prev[b.length];
}

/** `; did you mean "x"?` when one candidate is close to `word`, else the empty string. */
export function didYouMean(word: string, candidates: readonly string[]): string {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const d = distance(word.toLowerCase(), c.toLowerCase());
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  const limit = word.length <= 3 ? 1 : Math.max(2, Math.floor(word.length / 3));
  return best !== undefined && bestDistance <= limit && bestDistance < word.length ? `; did you mean ${JSON.stringify(best)}?` : '';
}

/** A map of resource tags (keys 1-128 characters, values up to 256). */
export function tags(): Schema<Record<string, string>> {
  return record(string({ maxLength: 256, describe: 'a tag value (at most 256 characters)' }), {
    key: string({ minLength: 1, maxLength: 128, pattern: /^(?!aws:)/, describe: 'a tag key (1-128 characters, not starting with "aws:")' }),
  });
}
