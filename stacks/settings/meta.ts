/**
 * What the settings kit attaches to a TypeBox schema besides JSON Schema: the words its messages
 * use, the cross-field checks of an object, the template of new map entries. It lives under a
 * Symbol key, which JSON never shows, so the published JSON Schema is the TypeBox schema itself.
 */
import type { TSchema } from '@sinclair/typebox';

/** One problem found while validating settings. */
export interface Issue {
  /** Dotted path of the setting, e.g. `services.gateway.cpu`. Empty for the root. */
  readonly path: string;
  /** What is wrong and what is allowed, starting with the offending value. */
  readonly message: string;
}

/** Reports a problem at a path relative to the object being checked. */
export type IssueFn = (path: string, message: string) => void;

/** Cross-field check of an object: report problems with `issue(relativePath, message)`. */
export type Refinement<T> = (value: T, issue: IssueFn) => void;

/** The kit's metadata of one schema. */
export interface Meta {
  /** What is allowed, in words, for messages: `an AWS region such as "eu-west-1"`. */
  readonly expected: string;
  /** For a string or a choice: what the value should be, after "is not" (`an S3 encryption`). */
  readonly what?: string;
  /** For a number: its unit (`seconds`), for the hint given when a number is written with one. */
  readonly unit?: string;
  /** For a string the pattern rejects: `; did you mean "x"?`, or the empty string. */
  readonly hint?: (value: string) => string;
  /** For a choice: the allowed values, in order. */
  readonly values?: readonly (string | number)[];
  /**
   * The checks JSON Schema cannot state, run with the others once the value has the schema's
   * shape: an object's cross-field checks, a map's across its entries, a single value's rules.
   */
  readonly refine?: Refinement<never>;
  /** For an object: messages for the design document's variable names, used instead of "unknown setting". */
  readonly variables?: Readonly<Record<string, string>>;
  /** For a map: what each new entry starts from (an entry then names only what differs). */
  readonly entryDefaults?: unknown;
  /** For a map: what a key must be, for messages. */
  readonly key?: string;
}

/** The Symbol key the metadata lives under. */
export const META: unique symbol = Symbol('settings.meta');

/** The metadata of `schema` (every schema the kit builds has some). */
export function metaOf(schema: TSchema): Meta {
  return (schema as TSchema & { [META]?: Meta })[META] ?? { expected: 'a valid value' };
}

/** `schema` with `meta` attached (merged over what it had). */
export function withMeta<T extends TSchema>(schema: T, meta: Partial<Meta>): T {
  return { ...schema, [META]: { ...metaOf(schema), ...meta } };
}

/** The properties of an object schema (none for other schemas). */
export function properties(schema: TSchema): Readonly<Record<string, TSchema>> {
  return (schema as TSchema & { properties?: Record<string, TSchema> }).properties ?? {};
}
