/**
 * Settings: declared once per stack on TypeBox (each field's constraints, description and default:
 * `schema.ts`), overrides from cdktf.json context and from a JSON file, merged onto the defaults and
 * validated once, before any construct is built.
 *
 * Override document (both sources share it; the file wins over the context):
 * ```json
 * {
 *   "remoteState": { "bucket": "my-state", "region": "eu-west-1" },
 *   "stacks": { "artwork-matcher-demo": { "region": "eu-central-1" } }
 * }
 * ```
 */
import * as fs from 'fs';
import * as path from 'path';
import { UserError } from '../../src/core/errors';
import { didYouMean, show } from '../../src/core/format';
import { JsonSyntaxError, parseJsonStrict } from './json';
import type { TSchema } from '@sinclair/typebox';
import { Issue } from './meta';
import { PREVIEW_ACCOUNT } from './preview';
import { s3KeyHint } from './rules';
import * as s from './schema';
import { deepMerge, fill, removals, validate } from './validate';

export * as s from './schema';
export type { Issue } from './meta';
export { deepMerge } from './validate';

/** Environment variable naming a JSON file of setting overrides. */
export const SETTINGS_FILE_ENV = 'STACK_SETTINGS_FILE';
/** Key under cdktf.json `context` that holds setting overrides. */
export const SETTINGS_CONTEXT_KEY = 'settings';

/** Where Terraform keeps the state of every stack except `state-bootstrap`. */
export const remoteStateSchema = s.object(
  {
    bucket: s.bucketName({ description: 'Name of the S3 bucket holding the state (create it with the `state-bootstrap` stack).' }),
    region: s.region({ description: 'Region of the state bucket.' }),
    keyPrefix: s.optional(s.string({ pattern: /^[A-Za-z0-9!_.*'()-]+(\/[A-Za-z0-9!_.*'()-]+)*$/, expected: 'an S3 key prefix without a trailing "/"', hint: s3KeyHint, maxLength: 512, description: 'Prefix of every state key: `<keyPrefix>/<stack key>`. Default: no prefix.' })),
    dynamodbTable: s.optional(s.dynamodbTableName({ description: 'DynamoDB table used for state locking. Default: no table: S3-native locking (`use_lockfile`, Terraform >= 1.10).' })),
    useLockfile: s.optional(s.boolean({ description: 'Lock with a lock file next to the state object (S3-native locking). Default: true when no `dynamodbTable` is named, false otherwise.' })),
    kmsKeyArn: s.optional(s.arn('kms', { description: 'KMS key (ARN) that encrypts the state objects. Default: SSE-S3 (AES256), which Terraform\'s S3 backend asks for on every state object whatever the bucket\'s default encryption.' })),
  },
  {
    description: 'Remote state in S3 for every stack (create the bucket with the state-bootstrap stack). Default: local state.',
    refine: (v, issue) => {
      const keyRegion = v.kmsKeyArn?.split(':')[3];
      if (keyRegion && keyRegion !== v.region) issue('kmsKeyArn', `${show(v.kmsKeyArn)} is in region ${JSON.stringify(keyRegion)}, not the state bucket's region ${JSON.stringify(v.region)}; allowed: a key in ${v.region}`);
      if (v.useLockfile === false && v.dynamodbTable === undefined) {
        issue('useLockfile', 'false leaves the state unlocked; name a dynamodbTable or set useLockfile to true');
      }
    },
  },
);

/** Where Terraform keeps the state of every stack except `state-bootstrap`. */
export type RemoteStateSettings = s.Static<typeof remoteStateSchema>;

/** The raw override document: what a user may write in context or in the settings file. */
export interface SettingsOverrides {
  readonly remoteState?: unknown;
  readonly stacks?: Record<string, unknown>;
}

/** One or more settings are invalid; `message` lists every problem. */
export class SettingsError extends UserError {
  constructor(message: string) {
    super(message);
    this.name = 'SettingsError';
  }
}

/** Formats issues the way every settings error reads. */
export function formatIssues(heading: string, issues: readonly Issue[]): string {
  return [heading, ...issues.map((i) => `  ${i.path ? `${i.path}: ` : ''}${i.message}`)].join('\n');
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Where overrides come from; `main.ts` passes the real context and environment. */
export interface OverrideSources {
  /** The value of cdktf.json `context.settings`. */
  readonly context?: unknown;
  /** Path of a JSON file with overrides (from `STACK_SETTINGS_FILE`). */
  readonly file?: string;
}

/** A path inside the settings document as the user reads it: `services.gateway.cpu`, `agents[0]`. */
const pathText = (path: readonly (string | number)[]) => path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i > 0 ? '.' : ''}${p}`)).join('');

/**
 * Malformed JSON, reported where it is: in the section of the stack (or of the remote state) it
 * lies in, at the setting path, with the line and column in `source`.
 */
function jsonError(e: JsonSyntaxError, source: string): SettingsError {
  const [top, stack, ...rest] = e.path;
  const where = `at line ${e.line}, column ${e.column} of ${source}`;
  if (top === 'stacks' && typeof stack === 'string') {
    return new SettingsError(formatIssues(`invalid settings for stack "${stack}":`, [{ path: pathText(rest) || `stacks.${stack}`, message: `not valid JSON: ${e.reason} ${where}` }]));
  }
  if (top === 'remoteState') return new SettingsError(formatIssues('invalid settings for remote state (shared by every stack):', [{ path: pathText(e.path), message: `not valid JSON: ${e.reason} ${where}` }]));
  if (e.path.length > 0) return new SettingsError(formatIssues(`invalid settings in ${source}:`, [{ path: pathText(e.path), message: `not valid JSON: ${e.reason} at line ${e.line}, column ${e.column}` }]));
  return new SettingsError(`invalid settings in ${source}: not valid JSON: ${e.message}`);
}

function parseSource(text: string, source: string): unknown {
  try {
    return parseJsonStrict(text);
  } catch (e) {
    if (e instanceof JsonSyntaxError) throw jsonError(e, source);
    throw e;
  }
}

/** What a value that should be an object is, for a message: "holds null", "[1] is a list". */
function notAnObject(v: unknown): string {
  if (v === null) return 'holds null';
  return `${show(v)} is ${Array.isArray(v) ? 'a list' : `a ${typeof v}`}`;
}

function checkDocument(doc: unknown, source: string): Record<string, unknown> {
  if (doc === undefined) return {};
  if (!isPlainObject(doc)) {
    throw new SettingsError(`invalid settings in ${source}: ${notAnObject(doc)}; expected an object {"remoteState": {...}, "stacks": {"<stack>": {...}}}`);
  }
  return doc;
}

/** Reads and merges the override sources (context first, then the file). */
export function readOverrides(sources: OverrideSources): SettingsOverrides {
  const contextSource = `cdktf.json context "${SETTINGS_CONTEXT_KEY}"`;
  // A string comes from the CLI (`-c settings=...`) or the CDKTF_CONTEXT_JSON environment.
  const context = checkDocument(typeof sources.context === 'string' ? parseSource(sources.context, contextSource) : sources.context, contextSource);
  let fromFile: Record<string, unknown> = {};
  if (sources.file) {
    const file = path.resolve(sources.file);
    const source = `settings file ${file} (from ${SETTINGS_FILE_ENV})`;
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (e) {
      throw new SettingsError(`invalid ${source}: cannot read it (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    }
    fromFile = checkDocument(parseSource(text, source), source);
  }
  const merged = deepMerge<Record<string, unknown>>(deepMerge<Record<string, unknown>>({}, context), fromFile);
  // `$schema` points editors at the published settings schema; it is not a setting.
  delete merged.$schema;
  const unknown = Object.keys(merged).filter((k) => k !== 'remoteState' && k !== 'stacks');
  if (unknown.length > 0) {
    throw new SettingsError(
      formatIssues(
        'invalid settings:',
        unknown.map((k) => ({ path: k, message: `unknown setting${didYouMean(k, ['remoteState', 'stacks'])}; allowed: remoteState, stacks` })),
      ),
    );
  }
  if (merged.stacks !== undefined && !isPlainObject(merged.stacks)) {
    throw new SettingsError(`invalid settings:\n  stacks: ${show(merged.stacks)} is not an object; expected a map of stack name to settings`);
  }
  return merged as SettingsOverrides;
}

/**
 * One line saying which settings sources were read, so that a misspelt variable or an empty
 * context does not pass for "my settings were applied".
 */
export function describeSources(sources: OverrideSources, env: NodeJS.ProcessEnv = process.env): string {
  const read: string[] = [];
  const ctx = typeof sources.context === 'string' ? 'given' : isPlainObject(sources.context) ? Object.keys(sources.context).length : 0;
  if (ctx) read.push(`cdktf.json context "${SETTINGS_CONTEXT_KEY}"`);
  if (sources.file) read.push(`${sources.file} (${SETTINGS_FILE_ENV})`);
  const near = Object.keys(env).filter((k) => k !== SETTINGS_FILE_ENV && didYouMean(k, [SETTINGS_FILE_ENV]) !== '');
  const warning = near.length > 0 ? `; ${near.join(', ')} is set but not read${didYouMean(near[0], [SETTINGS_FILE_ENV])}` : '';
  return `settings: ${read.length > 0 ? read.join(', then ') : `defaults only (no cdktf.json context, ${SETTINGS_FILE_ENV} not set)`}${warning}`;
}

/** Settings every stack receives besides its own. */
export interface SharedSettings {
  /** Remote state; undefined keeps Terraform's local state. */
  readonly remoteState?: RemoteStateSettings;
}

/** A stack the app can build: its public name, settings schema and defaults, and its factory. */
export interface StackDefinition<T, A = unknown> {
  /** Public stack name (a contract: README, tests and users rely on it). */
  readonly name: string;
  /** One line on what the system is. */
  readonly description: string;
  /** Schema of the stack's settings (with their descriptions, for the published JSON Schema). */
  readonly schema: TSchema;
  /** Defaults of every setting (the design document's values). */
  readonly defaults: T;
  /**
   * Overrides that pin every plan-time look-up (zones, AMIs, the account) given the resolved
   * settings, for an offline plan without credentials (`npm run plan` preview and the Terraform
   * tests). Values the user set stay as they are.
   * @default - nothing to pin
   */
  preview?(settings: T): Record<string, unknown>;
  /**
   * Defaults of the `lean` profile, over `defaults` (`"profile": "lean"` in the stack's settings):
   * only what differs. The user's settings go over them as over the standard defaults.
   * @default - no lean profile: `"lean"` gives the standard defaults
   */
  readonly profiles?: { readonly lean: Readonly<Record<string, unknown>> };
  /** Checks that need the shared settings too (reported with every other problem). */
  validateShared?(settings: T, shared: SharedSettings): Issue[];
  /**
   * The production gate's closing settings: for each gate rule the stack can break, the setting
   * paths (relative to the stack's settings) that close its findings, shown with each open one.
   * A stack with `guardrails.accept` in its schema records the acceptances too.
   * @default - no gate rule applies
   */
  readonly gates?: Readonly<Record<string, readonly string[]>>;
  /** Builds the stack into `app`. */
  create(app: A, settings: T, shared: SharedSettings): unknown;
}

/**
 * `; did you mean "x"?` for a misspelt stack name, never towards another environment: the last
 * part of a stack name (`demo`, `production`) must begin with what the user wrote there
 * (`artwork-matcher-prod` means production) or be a typo of it (`artwork-matcher-producton`);
 * `artwork-matcher-dev` suggests nothing rather than demo.
 */
export function stackSuggestion(word: string, names: readonly string[]): string {
  const prefixed = names.filter((n) => n.startsWith(word));
  if (prefixed.length === 1) return `; did you mean ${JSON.stringify(prefixed[0])}?`;
  if (prefixed.length > 1) return `; did you mean one of ${prefixed.map((n) => JSON.stringify(n)).join(', ')}?`;
  const suggestion = didYouMean(word, names);
  const m = /"([^"]+)"/.exec(suggestion);
  if (!m) return '';
  const tail = (n: string) => n.slice(n.lastIndexOf('-') + 1);
  const [mine, theirs] = [tail(word), tail(m[1])];
  const sameFamily = word.slice(0, word.lastIndexOf('-')) === m[1].slice(0, m[1].lastIndexOf('-'));
  if (sameFamily && mine !== theirs && !theirs.startsWith(mine) && didYouMean(mine, [theirs]) === '') return '';
  if (sameFamily && mine.length < theirs.length && !theirs.startsWith(mine) && Math.abs(mine.length - theirs.length) > 1) return '';
  return suggestion;
}

/** Services whose resources can only use a key or certificate of their own region. */
const SAME_REGION_SERVICES: Readonly<Record<string, string>> = {
  kms: 'a KMS key encrypts only resources of its own region',
  acm: 'a load balancer or regional API uses only certificates of its own region',
};

/** Resources a stack can only use from its own account: ARN service and resource type. */
const SAME_ACCOUNT: readonly { readonly service: string; readonly resource: RegExp; readonly why: string }[] = [
  { service: 'acm', resource: /^certificate\//, why: 'a load balancer or API uses only certificates of its own account' },
  { service: 'iam', resource: /^oidc-provider\//, why: 'a role trusts only an OIDC provider of its own account' },
];

/** What is wrong with an ARN at `path` given the stack's region and account, or undefined. */
function arnProblem(arn: string, path: string, region: string, account: string | undefined): string | undefined {
  const m = /^arn:aws[a-z-]*:([a-z0-9-]+):([a-z0-9-]*):(\d{12})?:(.*)$/.exec(arn);
  if (!m) return undefined;
  const [, service, arnRegion, arnAccount, resource] = m;
  // CloudFront takes its certificate from us-east-1 whatever the stack's region.
  const edge = service === 'acm' && /(^|\.)(cdn|cloudfront|distribution)/i.test(path);
  if (service in SAME_REGION_SERVICES && arnRegion !== region && !edge) {
    return `${show(arn)} is in region ${JSON.stringify(arnRegion)}, not the stack's region ${JSON.stringify(region)} (${SAME_REGION_SERVICES[service]}); allowed: an ARN in ${region}`;
  }
  if (account === undefined || arnAccount === undefined || arnAccount === account) return undefined;
  // The documentation account stands in for the real one in offline previews; next to a real account it is a placeholder left in.
  if (arnAccount === PREVIEW_ACCOUNT) return `${show(arn)} names the documentation account ${PREVIEW_ACCOUNT}, a placeholder: the stack's accountId is ${account}; allowed: the ARN in account ${account}`;
  const own = SAME_ACCOUNT.find((r) => r.service === service && r.resource.test(resource));
  return own ? `${show(arn)} is in account ${arnAccount}, not the stack's accountId ${account} (${own.why}); allowed: an ARN in account ${account}` : undefined;
}

/**
 * ARNs anywhere in a stack's settings (its own `remoteState` section excepted: the state bucket
 * has its own region and account): KMS keys and ACM certificates in the stack's `region`,
 * certificates and OIDC providers in its `accountId` when it is pinned, and no ARN of the
 * documentation account next to a real one. Whether the key or certificate exists, is enabled
 * and lets this stack use it can only be checked against the account: Terraform reports that at
 * apply.
 */
export function arnIssues(settings: unknown): Issue[] {
  const region = isPlainObject(settings) && typeof settings.region === 'string' ? settings.region : undefined;
  if (!region) return [];
  const account = isPlainObject(settings) && typeof settings.accountId === 'string' ? settings.accountId : undefined;
  const issues: Issue[] = [];
  const walk = (v: unknown, path: string): void => {
    if (typeof v === 'string') {
      const message = arnProblem(v, path, region, account);
      if (message) issues.push({ path, message });
    } else if (Array.isArray(v)) v.forEach((x, i) => walk(x, `${path}[${i}]`));
    else if (isPlainObject(v)) for (const [k, x] of Object.entries(v)) if (!(path === '' && k === 'remoteState')) walk(x, path ? `${path}.${k}` : k);
  };
  walk(settings, '');
  return issues;
}

/** Validated settings for every stack, keyed by stack name. */
export interface ResolvedSettings {
  readonly shared: SharedSettings;
  readonly stacks: ReadonlyMap<string, unknown>;
}

/** The defaults a stack's settings start from: its lean profile's when they ask for it (`"profile": "lean"`). */
function profileDefaults<T>(def: StackDefinition<T, any>, override: unknown): T {
  const profile = isPlainObject(override) ? override.profile : undefined;
  return profile === 'lean' && def.profiles ? deepMerge(def.defaults, { ...def.profiles.lean, profile: 'lean' }) : def.defaults;
}

/**
 * Merges overrides onto each stack's defaults, fills map entries from their templates and
 * validates everything. Throws one `SettingsError` listing every problem of every stack.
 */
export function resolveSettings(definitions: readonly StackDefinition<any, any>[], overrides: SettingsOverrides): ResolvedSettings {
  const errors: string[] = [];
  const names = definitions.map((d) => d.name);
  const stackOverrides = (overrides.stacks ?? {}) as Record<string, unknown>;
  const unknownStacks = Object.keys(stackOverrides).filter((k) => !names.includes(k));
  if (unknownStacks.length > 0) {
    errors.push(
      formatIssues(
        'invalid settings:',
        unknownStacks.map((k) => ({ path: `stacks.${k}`, message: `unknown stack${stackSuggestion(k, names)}; stacks: ${names.join(', ')}` })),
      ),
    );
  }

  let remoteState: RemoteStateSettings | undefined;
  if (overrides.remoteState !== undefined && overrides.remoteState !== null) {
    const issues = validate(remoteStateSchema, overrides.remoteState);
    if (issues.length > 0) {
      errors.push(formatIssues('invalid settings for remote state (shared by every stack):', issues.map((i) => ({ ...i, path: i.path ? `remoteState.${i.path}` : 'remoteState' }))));
    } else {
      remoteState = overrides.remoteState as RemoteStateSettings;
    }
  }

  const stacks = new Map<string, unknown>();
  for (const def of definitions) {
    const override = stackOverrides[def.name];
    if (override !== undefined && !isPlainObject(override)) {
      errors.push(formatIssues(`invalid settings for stack "${def.name}":`, [{ path: `stacks.${def.name}`, message: `${notAnObject(override)}; expected an object of settings such as {"region": "eu-west-1"}` }]));
      continue;
    }
    const base = profileDefaults(def, override);
    const merged = fill(def.schema, deepMerge(base, override));
    const issues = [...validate(def.schema, merged), ...removals(def.schema, base, override)];
    if (issues.length === 0) issues.push(...arnIssues(merged));
    if (issues.length === 0 && def.validateShared) issues.push(...def.validateShared(merged, { remoteState }));
    if (issues.length > 0) errors.push(formatIssues(`invalid settings for stack "${def.name}":`, issues));
    else stacks.set(def.name, merged);
  }
  if (errors.length > 0) throw new SettingsError(errors.join('\n'));
  return { shared: { remoteState }, stacks };
}
