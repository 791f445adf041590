/**
 * Settings: typed defaults in code, overrides from cdktf.json context and from a JSON file, merged
 * and validated once, before any construct is built.
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
import { Issue, Schema, arn, boolean, didYouMean, object, optional, region, show, string, validate, bucketName } from './schema';

export * as s from './schema';
export type { Issue, Schema } from './schema';

/** Environment variable naming a JSON file of setting overrides. */
export const SETTINGS_FILE_ENV = 'STACK_SETTINGS_FILE';
/** Key under cdktf.json `context` that holds setting overrides. */
export const SETTINGS_CONTEXT_KEY = 'settings';

/** Where Terraform keeps the state of every stack except `state-bootstrap`. */
export interface RemoteStateSettings {
  /** Name of the S3 bucket holding the state (create it with the `state-bootstrap` stack). */
  readonly bucket: string;
  /** Region of the state bucket. */
  readonly region: string;
  /**
   * Prefix of every state key: `<keyPrefix>/<stack>/terraform.tfstate`.
   * @default - no prefix: `<stack>/terraform.tfstate`
   */
  readonly keyPrefix?: string;
  /**
   * DynamoDB table used for state locking (the documents' `terraform-state-lock`).
   * @default - no table: S3-native locking (`use_lockfile`, Terraform >= 1.10)
   */
  readonly dynamodbTable?: string;
  /**
   * Lock with a lock file next to the state object (S3-native locking).
   * @default - true when no `dynamodbTable` is named, false otherwise
   */
  readonly useLockfile?: boolean;
  /**
   * KMS key (ARN) that encrypts the state objects.
   * @default - the bucket's default encryption
   */
  readonly kmsKeyArn?: string;
}

export const remoteStateSchema: Schema<RemoteStateSettings> = object<RemoteStateSettings>(
  {
    bucket: bucketName(),
    region: region(),
    keyPrefix: optional(string({ pattern: /^[A-Za-z0-9!_.*'()\-/]*[A-Za-z0-9!_.*'()-]$/, describe: 'an S3 key prefix without a trailing "/"', maxLength: 512 })),
    dynamodbTable: optional(string({ pattern: /^[A-Za-z0-9_.-]{3,255}$/, describe: 'a DynamoDB table name (3-255 of A-Z a-z 0-9 _ . -)' })),
    useLockfile: optional(boolean()),
    kmsKeyArn: optional(arn('kms')),
  },
  (v, issue) => {
    if (v.useLockfile === false && v.dynamodbTable === undefined) {
      issue('useLockfile', 'false leaves the state unlocked; name a dynamodbTable or set useLockfile to true');
    }
  },
);

/** The raw override document: what a user may write in context or in the settings file. */
export interface SettingsOverrides {
  readonly remoteState?: unknown;
  readonly stacks?: Record<string, unknown>;
}

/** One or more settings are invalid; `message` lists every problem. */
export class SettingsError extends Error {
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

/** Where overrides come from; `main.ts` passes the real context and environment. */
export interface OverrideSources {
  /** The value of cdktf.json `context.settings` (or `-c settings=...`). */
  readonly context?: unknown;
  /** Path of a JSON file with overrides (from `STACK_SETTINGS_FILE`). */
  readonly file?: string;
}

/** Reads and merges the override sources (context first, then the file). */
export function readOverrides(sources: OverrideSources): SettingsOverrides {
  let context = sources.context;
  if (typeof context === 'string') {
    // `cdktf synth -c settings='{"...":...}'` hands the value over as a string
    try {
      context = JSON.parse(context);
    } catch (e) {
      throw new SettingsError(`invalid settings in cdktf.json context "${SETTINGS_CONTEXT_KEY}": not JSON (${(e as Error).message})`);
    }
  }
  let fromFile: unknown;
  if (sources.file) {
    const file = path.resolve(sources.file);
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (e) {
      throw new SettingsError(`invalid settings file ${file} (from ${SETTINGS_FILE_ENV}): cannot read it (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    }
    try {
      fromFile = JSON.parse(text);
    } catch (e) {
      throw new SettingsError(`invalid settings file ${file} (from ${SETTINGS_FILE_ENV}): not JSON (${(e as Error).message})`);
    }
  }
  const merged = deepMerge<unknown>(deepMerge<unknown>({}, context ?? {}), fromFile ?? {});
  if (!isPlainObject(merged)) {
    throw new SettingsError(`invalid settings: ${show(merged)} is not an object; expected {"remoteState": {...}, "stacks": {"<stack>": {...}}}`);
  }
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

/** A stack the app can build: its public name, settings schema and defaults, and its factory. */
export interface StackDefinition<T, A = unknown> {
  /** Public stack name (a contract: README, tests and users rely on it). */
  readonly name: string;
  /** Schema of the stack's settings. */
  readonly schema: Schema<T>;
  /** Defaults of every setting (the design document's values). */
  readonly defaults: T;
  /** Checks that need the shared settings too (reported with every other problem). */
  validateShared?(settings: T, shared: SharedSettings): Issue[];
  /** Builds the stack into `app`. */
  create(app: A, settings: T, shared: SharedSettings): unknown;
}

/** Settings every stack receives besides its own. */
export interface SharedSettings {
  /** Remote state; undefined keeps Terraform's local state. */
  readonly remoteState?: RemoteStateSettings;
}

/** Validated settings for every stack, keyed by stack name. */
export interface ResolvedSettings {
  readonly shared: SharedSettings;
  readonly stacks: ReadonlyMap<string, unknown>;
}

/**
 * Merges overrides onto each stack's defaults and validates everything. Throws one
 * `SettingsError` listing every problem of every stack.
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
        unknownStacks.map((k) => ({ path: `stacks.${k}`, message: `unknown stack${didYouMean(k, names)}; stacks: ${names.join(', ')}` })),
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
    const merged = deepMerge(def.defaults, stackOverrides[def.name]);
    const issues = validate(def.schema, merged);
    if (issues.length === 0 && def.validateShared) issues.push(...def.validateShared(merged, { remoteState }));
    if (issues.length > 0) errors.push(formatIssues(`invalid settings for stack "${def.name}":`, issues));
    else stacks.set(def.name, merged);
  }
  if (errors.length > 0) throw new SettingsError(errors.join('\n'));
  return { shared: { remoteState }, stacks };
}
