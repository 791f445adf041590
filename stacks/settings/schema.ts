/**
 * The settings kit: settings are declared once, as TypeBox schemas. Each builder returns a plain
 * TypeBox schema (its JSON Schema constraints, a `description` and, where it is one value, a
 * `default`) with the words of its messages attached under a Symbol key (`meta.ts`); the
 * TypeScript type of a setting is `Static<typeof schema>`. TypeBox's own validator checks values
 * (`validate.ts` turns its errors into the project's messages), and the published JSON Schema is
 * these schemas as they are (`tools/schema.ts`).
 */
import { OptionalKind, Type } from '@sinclair/typebox';
import type { Static, TArray, TBoolean, TInteger, TLiteral, TNumber, TObject, TOptionalWithFlag, TProperties, TRecord, TSchema, TString, TUnion } from '@sinclair/typebox';
import { didYouMean } from '../../src/core/format';
import { AMI_PATTERN, CIDR_PATTERN, EMAIL_PATTERN, ENV_VAR_PATTERN, IMAGE_TAG_PATTERN } from '../../src/core/validation';
import { RETENTION_DAYS } from '../../src/core/naming';
import { Meta, Refinement, metaOf, withMeta } from './meta';
import { KNOWN_REGION_PATTERN, KNOWN_ZONE_PATTERN, regionHint, zoneHint } from './regions';
import { bucketHint, cronHint, cronProblem, hostBitsProblem, placeholderProblem, templateProblem, timeZoneProblem, zoneSuggestion } from './rules';

export type { Issue, IssueFn, Refinement } from './meta';
export type { Static, TObject, TSchema } from '@sinclair/typebox';
export { defaultsOf, fill, validate } from './validate';
export { didYouMean };

/** How a setting reads in the published JSON Schema (editors show both). */
export interface Doc<T> {
  /** What the setting is and does. */
  readonly description?: string;
  /** Its default, when it is one value (values that vary by environment or entry come from the stack's defaults). */
  readonly default?: T;
}

/** The JSON Schema keywords of `doc` (leaving out what is not set). */
function json(doc: Doc<unknown>, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries({ ...extra, description: doc.description, default: doc.default })) if (v !== undefined) out[k] = v;
  return out;
}

/** `schema` with another description (and default): one shape documented for each place it is used. */
export function documented<T extends TSchema>(schema: T, doc: Doc<Static<T>>): T {
  return { ...schema, ...json(doc) };
}

/** An optional property of type `T`. */
export type Optional<T extends TSchema> = TOptionalWithFlag<T, true>;

/** Marks a property optional: `undefined` (or `null` in a JSON override) means "not set". */
export function optional<T extends TSchema>(schema: T): Optional<T> {
  return Type.Optional(schema);
}

/** Options of `string`. */
export interface StringOptions extends Doc<string> {
  /** Regular expression the whole value must match. */
  readonly pattern?: RegExp;
  /** What the value should be, for messages, e.g. "an S3 bucket name". @default "a string" */
  readonly expected?: string;
  readonly minLength?: number;
  readonly maxLength?: number;
  /** A did-you-mean for a value the pattern rejects. */
  readonly hint?: (value: string) => string;
  /** A rule the pattern cannot state: the problem of a value it lets through (starting with the value), or undefined. */
  readonly check?: (value: string) => string | undefined;
  /** A name, an id or an address: the documents' placeholder words (`xxx`, `changeme`, `your-bucket`, `you@example.com`) are refused too. @default false */
  readonly name?: boolean;
}

/**
 * A string, optionally matching a pattern and within lengths. Whatever its pattern, it may not
 * hold a Terraform template sequence (`${`, `%{`) or an angle-bracket placeholder (`<account>`).
 */
export function string(options: StringOptions = {}): TString {
  const what = options.expected ?? 'a string';
  const expected = options.maxLength !== undefined ? `${what} of at most ${options.maxLength} characters` : what;
  const schema = Type.String(json(options, { pattern: options.pattern?.source, minLength: options.minLength, maxLength: options.maxLength }));
  const refine: Refinement<string> = (value, issue) => {
    const problem = templateProblem(value) ?? placeholderProblem(value, what, options.name ?? false) ?? options.check?.(value);
    if (problem) issue('', problem);
  };
  return withMeta(schema, { expected, what, hint: options.hint, refine: refine as Refinement<never> });
}

/** The literals a choice allows, as TypeBox sees them. */
export type TChoice<V extends string | number> = TUnion<TLiteral<V>[]>;

/** Options of `oneOf`. */
export interface OneOfOptions<T> extends Doc<T> {
  /** What the value should be, for messages, e.g. "a NAT strategy". */
  readonly expected?: string;
}

/** One of a fixed set of strings or numbers. */
export function oneOf<const V extends readonly (string | number)[]>(values: V, options: OneOfOptions<V[number]> = {}): TChoice<V[number]> {
  const allowed = values.map((v) => (typeof v === 'string' ? JSON.stringify(v) : String(v))).join(', ');
  const expected = options.expected ? `${options.expected} (one of ${allowed})` : `one of ${allowed}`;
  const schema = Type.Union(values.map((v) => Type.Literal(v)), json(options)) as TChoice<V[number]>;
  return withMeta(schema, { expected, what: options.expected, values });
}

/** Options of `number`. */
export interface NumberOptions extends Doc<number> {
  readonly min?: number;
  readonly max?: number;
  /** Whole numbers only. @default true */
  readonly integer?: boolean;
  /** Unit for messages, e.g. "seconds". */
  readonly unit?: string;
}

/** A number (whole unless `integer: false`) within bounds. */
export function number(options: NumberOptions = {}): TInteger | TNumber {
  const integer = options.integer ?? true;
  const { min, max } = options;
  const range = min !== undefined && max !== undefined ? ` from ${min} to ${max}` : min !== undefined ? ` of at least ${min}` : max !== undefined ? ` of at most ${max}` : '';
  const expected = `${integer ? 'a whole number' : 'a number'}${range}${options.unit ? ` (${options.unit})` : ''}`;
  const keywords = json(options, { minimum: min, maximum: max });
  return withMeta(integer ? Type.Integer(keywords) : Type.Number(keywords), { expected, unit: options.unit });
}

/** `true` or `false`. */
export function boolean(doc: Doc<boolean> = {}): TBoolean {
  return withMeta(Type.Boolean(json(doc)), { expected: 'true or false' });
}

/** Options of `array`. */
export interface ArrayOptions<T> extends Doc<T[]> {
  readonly minLength?: number;
  readonly maxLength?: number;
  /** Reject repeated items. @default false */
  readonly unique?: boolean;
  /** The plural for messages, e.g. "IPv4 CIDR blocks". @default "items (each <item>)" */
  readonly plural?: string;
}

/** A list of items of one schema. */
export function array<T extends TSchema>(item: T, options: ArrayOptions<Static<T>> = {}): TArray<T> {
  const expected = `a list of ${options.plural ?? `items (each ${metaOf(item).expected})`}`;
  const schema = Type.Array(item, json(options, { minItems: options.minLength, maxItems: options.maxLength, uniqueItems: options.unique || undefined }));
  return withMeta(schema, { expected });
}

/** Options of `record`. */
export interface RecordOptions<T> extends Doc<Record<string, T>> {
  /** What a key must be: its pattern (lengths included) and, for messages, what it is. @default any string */
  readonly key?: { readonly pattern: RegExp; readonly expected: string };
  /** What a new entry starts from: an entry then names only what differs. @default entries must be complete */
  readonly defaults?: T;
  /** Most entries. @default no limit */
  readonly maxEntries?: number;
  /** Checks across the entries (paths relative to the map). */
  readonly refine?: Refinement<Record<string, T>>;
}

/** A map from free-form keys (optionally constrained) to values of one schema. */
export function record<T extends TSchema>(entry: T, options: RecordOptions<Static<T>> = {}): TRecord<TString, T> {
  const key = Type.String(options.key ? { pattern: options.key.pattern.source } : {});
  // A key outside the pattern meets `Never`: TypeBox then reports every such key, not only the first.
  const extra = options.key ? { additionalProperties: Type.Never() } : {};
  const schema = Type.Record(key, entry, json(options, { ...extra, maxProperties: options.maxEntries }));
  return withMeta(schema, { expected: `a map of ${metaOf(entry).expected}`, key: options.key?.expected, entryDefaults: options.defaults, refine: options.refine as Refinement<never> | undefined });
}

/** Options of `object`. */
export interface ObjectOptions<T> extends Doc<T> {
  /** What the value should be, for messages. @default "an object" */
  readonly expected?: string;
  /**
   * Cross-field checks, run in the same pass as the field checks: a check that trips over a
   * malformed field is skipped, and a problem on a setting that already has one is not repeated.
   */
  readonly refine?: Refinement<T>;
  /** The design document's variable names and what they became here, reported instead of "unknown setting". */
  readonly variables?: Readonly<Record<string, string>>;
  /** Defaults of the fields (nested objects merge), when they are one value for this use of the shape. */
  readonly defaults?: DeepPartial<T>;
}

/** `T` with every field, at every depth, optional. */
export type DeepPartial<T> = T extends readonly unknown[] ? T : T extends object ? { [K in keyof T]?: DeepPartial<T[K]> } : T;

/** An object with exactly these properties; an unknown key is an error with a suggestion. */
export function object<P extends TProperties>(properties: P, options: ObjectOptions<Static<TObject<P>>> = {}): TObject<P> {
  const meta: Partial<Meta> = { expected: options.expected ?? 'an object', refine: options.refine as Refinement<never> | undefined, variables: options.variables };
  const schema = withMeta(Type.Object(properties, json(options, { additionalProperties: false })), meta);
  return options.defaults === undefined ? schema : withDefaults(schema, options.defaults);
}

/** `schema` with `values` as the defaults of its fields (into nested objects; an optional object takes them whole). */
export function withDefaults<T extends TSchema>(schema: T, values: unknown): T {
  const properties = (schema as TSchema & { properties?: TProperties }).properties;
  const whole = properties === undefined || schema[OptionalKind] === 'Optional' || typeof values !== 'object' || values === null || Array.isArray(values);
  if (whole) return { ...schema, default: values };
  const given = values as Record<string, unknown>;
  const next = Object.fromEntries(Object.entries(properties).map(([k, p]) => [k, given[k] === undefined ? p : withDefaults(p, given[k])]));
  return { ...schema, properties: next };
}

// ----- domain-specific leaves -------------------------------------------------------------

/** An IPv4 CIDR block such as "10.0.0.0/16": its network address (host bits are refused). */
export function cidr(doc: Doc<string> = {}): TString {
  return string({ ...doc, pattern: CIDR_PATTERN, expected: 'an IPv4 CIDR block such as "10.0.0.0/16"', check: hostBitsProblem });
}

const OCTET = '(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
/** The smallest VPC subnets are /28, and a stack cuts its VPC into subnets 4 bits longer: /16 to /24. */
const VPC_CIDR = new RegExp(`^${OCTET}(\\.${OCTET}){3}\\/(1[6-9]|2[0-4])$`);

/** A VPC's IPv4 CIDR block: /16 to /24 (AWS takes /16 to /28; the stack's subnets are 4 bits longer). */
export function vpcCidr(doc: Doc<string> = {}): TString {
  const hint = (v: string) => (CIDR_PATTERN.test(v) ? '; AWS takes /16 to /28 for a VPC, and the stack cuts it into subnets 4 bits longer (/28 at the smallest)' : '');
  return string({ ...doc, pattern: VPC_CIDR, expected: 'a VPC CIDR block from /16 to /24 such as "10.0.0.0/16"', hint, check: hostBitsProblem });
}

/** An AWS region code such as "eu-west-1", one AWS has (a mistyped one gets a did-you-mean). */
export function region(doc: Doc<string> = {}): TString {
  return string({ ...doc, pattern: KNOWN_REGION_PATTERN, expected: 'an AWS region such as "eu-west-1"', hint: regionHint });
}

/** An availability zone such as "eu-west-1a", of a region AWS has and with a letter in use there. */
export function zone(doc: Doc<string> = {}): TString {
  return string({ ...doc, pattern: KNOWN_ZONE_PATTERN, expected: 'an availability zone such as "eu-west-1a"', hint: zoneHint });
}

/** An ARN, optionally of one service (e.g. "acm", "secretsmanager"). */
export function arn(service: string | undefined, doc: Doc<string> = {}): TString {
  const pattern = new RegExp(`^arn:aws(-cn|-us-gov)?:${service ?? '[a-z0-9-]+'}:[a-z0-9-]*:(\\d{12})?:.+$`);
  return string({ ...doc, pattern, expected: service ? `an ARN of ${service} (arn:aws:${service}:<region>:<account>:...)` : 'an ARN (arn:aws:<service>:...)', name: true });
}

/** An e-mail address (loosely checked; the documents' `you@example.com` is refused). */
export function email(doc: Doc<string> = {}): TString {
  return string({ ...doc, pattern: EMAIL_PATTERN, expected: 'an e-mail address', name: true });
}

/**
 * An S3 bucket name: 3-63 lowercase letters, digits, dots and hyphens, beginning and ending with a
 * letter or digit, and none of the names S3 refuses (an IP address, adjacent dots, the reserved
 * prefixes `xn--`, `sthree-`, `amzn-s3-demo-` and suffixes `-s3alias`, `--ol-s3`, `.mrap`,
 * `--x-s3`, `--table-s3`).
 */
const BUCKET_NAME = /^(?!xn--|sthree-|amzn-s3-demo-)(?!\d{1,3}(\.\d{1,3}){3}$)(?!.*\.\.)(?!.*(-s3alias|--ol-s3|\.mrap|--x-s3|--table-s3)$)[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/** An S3 bucket name (3-63 lowercase letters, digits, dots and hyphens, as S3 allows them). */
export function bucketName(doc: Doc<string> = {}): TString {
  return string({ ...doc, pattern: BUCKET_NAME, expected: 'an S3 bucket name (3-63 lowercase letters, digits, "." and "-")', hint: bucketHint, name: true });
}

/** A DNS-safe name fragment: lowercase letters, digits and hyphens, at most `maxLength` of them. */
export function slug(maxLength: number, doc: Doc<string> = {}): TString {
  return string({ ...doc, pattern: /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/, expected: 'a name of lowercase letters, digits and "-"', maxLength, name: true });
}

/** An AMI id such as "ami-0123456789abcdef0". */
export function amiId(doc: Doc<string> = {}): TString {
  return string({ ...doc, pattern: AMI_PATTERN, expected: 'an AMI id such as "ami-0123456789abcdef0"' });
}

/** A container image tag. */
export function imageTag(doc: Doc<string> = {}): TString {
  return string({ ...doc, pattern: IMAGE_TAG_PATTERN, expected: 'an image tag (1-128 letters, digits, "_", "." and "-", not starting with "." or "-")', name: true });
}

/** An AWS account id (12 digits, as a string). */
export function accountId(doc: Doc<string> = {}): TString {
  return string({ ...doc, pattern: /^\d{12}$/, expected: 'an AWS account id (12 digits, in quotes)' });
}

/** A CloudWatch Logs retention in days. */
export function retentionDays(doc: Doc<number> = {}): TChoice<number> {
  return oneOf(RETENTION_DAYS, { ...doc, expected: 'a CloudWatch Logs retention in days' });
}

/** A DynamoDB table name. */
export function dynamodbTableName(doc: Doc<string> = {}): TString {
  return string({ ...doc, pattern: /^[A-Za-z0-9_.-]{3,255}$/, expected: 'a DynamoDB table name (3-255 of A-Z a-z 0-9 _ . -)', name: true });
}

/**
 * A six-field `cron(...)` expression as EventBridge, Application Auto Scaling and AWS Backup take
 * it: each field in its range, exactly one of day-of-month and day-of-week `?`.
 */
export function cron(doc: Doc<string> = {}): TString {
  return string({ ...doc, pattern: /^cron\(\S+ \S+ \S+ \S+ \S+ \S+\)$/, expected: 'a six-field cron expression such as "cron(0 20 ? * MON-FRI *)"', hint: cronHint, check: cronProblem });
}

/** An IANA time zone name such as "Europe/Paris", or "UTC" (checked against Node's time zone database). */
export function timeZone(doc: Doc<string> = {}): TString {
  return string({ ...doc, pattern: /^[A-Za-z_]+(\/[A-Za-z0-9_+-]+)*$/, expected: 'an IANA time zone such as "Europe/Paris"', hint: zoneSuggestion, check: timeZoneProblem });
}

/** A URL path starting with "/" (at most 1024 characters, as a load balancer's health check takes it). */
export function urlPath(doc: Doc<string> = {}): TString {
  return string({ ...doc, pattern: /^\/[^\s]*$/, expected: 'a path starting with "/"', maxLength: 1024 });
}

/** Plain environment variables: name to value. */
export function environmentVariables(doc: Doc<Record<string, string>> = {}): TRecord<TString, TString> {
  const key = { pattern: ENV_VAR_PATTERN, expected: 'an environment variable name (letters, digits and "_", not starting with a digit)' };
  return record(string({ maxLength: 4096, expected: 'a string value' }), { default: {}, ...doc, key });
}

/** The tags every stack sets on every resource itself (`AwsStack`): a value given for them would be replaced. */
const STACK_TAGS = ['Project', 'Environment', 'ManagedBy', 'Stack'];

/** Tag keys equal but for case (AWS takes them for one in cost allocation and Resource Groups), and the stack's own tags in another case. */
function checkTagKeys(given: Record<string, string>, issue: (path: string, message: string) => void): void {
  const seen = new Map(STACK_TAGS.map((k) => [k.toLowerCase(), k]));
  for (const key of Object.keys(given)) {
    const first = seen.get(key.toLowerCase());
    if (first === undefined) seen.set(key.toLowerCase(), key);
    else if (STACK_TAGS.includes(first)) issue(key, `is the stack's own tag ${JSON.stringify(first)} in another case; AWS takes tag keys equal but for case for one tag (change projectName/environment instead)`);
    else issue(key, `is the tag key ${JSON.stringify(first)} again in another case; AWS takes tag keys equal but for case for one tag: keep one`);
  }
}

/**
 * A map of resource tags: keys of 1-128 of the characters AWS allows in every service (letters,
 * digits, spaces and `_ . : / = + - @`), values up to 256. `Project`, `Environment`, `ManagedBy`
 * and `Stack` are the stack's own default tags: a value given here would be silently replaced, so
 * they are refused, in any case.
 */
export function tags(doc: Doc<Record<string, string>> = {}): TRecord<TString, TString> {
  const key = {
    pattern: new RegExp(`^(?!aws:)(?!(${STACK_TAGS.join('|')})$)[A-Za-z0-9 _.:/=+@-]{1,128}$`),
    expected: `a tag key you may set (1-128 letters, digits, spaces and _.:/=+@-, not starting with "aws:"; ${STACK_TAGS.slice(0, -1).join(', ')} and ${STACK_TAGS[STACK_TAGS.length - 1]} are set by the stack: change projectName/environment instead)`,
  };
  return record(string({ maxLength: 256, expected: 'a tag value' }), { description: 'Extra default tags on every resource of the stack.', default: {}, ...doc, key, refine: checkTagKeys });
}
