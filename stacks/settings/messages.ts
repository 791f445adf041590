/**
 * The project's messages for TypeBox's validation errors: each starts with the offending value and
 * says what is allowed, in the words attached to the schema (`meta.ts`), with a did-you-mean for a
 * near miss and a hint when a number is written with its unit ("2GB", "5m").
 */
import { Kind } from '@sinclair/typebox';
import type { TSchema } from '@sinclair/typebox';
import { ValueErrorType } from '@sinclair/typebox/errors';
import type { ValueError } from '@sinclair/typebox/errors';
import { camelCase, didYouMean, show } from '../../src/core/format';
import { metaOf, properties } from './meta';
import { placeholderIn } from './rules';

export { show };

/** What kind of value `value` is, for "is a string; expected ...". */
function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  return `a ${typeof value}`;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** A setting that must be given and is not. */
export function requiredMessage(schema: TSchema): string {
  return `is required; expected ${metaOf(schema).expected}`;
}

/** An unknown key of an object: the document's message for it, or a suggestion and the keys allowed. */
export function unknownKeyMessage(schema: TSchema, key: string): string {
  return metaOf(schema).variables?.[key] ?? `unknown setting${suggestKey(key, schema)}; allowed: ${Object.keys(properties(schema)).join(', ')}`;
}

/** A map key outside the map's key pattern. */
export function keyMessage(schema: TSchema, key: string): string {
  return `${show(key)} is not ${metaOf(schema).key ?? 'an allowed key'}`;
}

/** JSON with sorted keys: equal for values TypeBox's `uniqueItems` holds equal. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (typeof value === 'object' && value !== null) return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`).join(',')}}`;
  return JSON.stringify(value);
}

/** Indexes of the items that repeat an earlier one. */
export function repeatedItems(items: readonly unknown[]): number[] {
  const seen = new Set<string>();
  return items.flatMap((item, i) => {
    const key = canonical(item);
    const repeated = seen.has(key);
    seen.add(key);
    return repeated ? [i] : [];
  });
}

const NUMBER_TYPE = [ValueErrorType.Integer, ValueErrorType.Number];
const OUT_OF_RANGE = [
  ValueErrorType.IntegerMinimum,
  ValueErrorType.IntegerMaximum,
  ValueErrorType.IntegerExclusiveMinimum,
  ValueErrorType.IntegerExclusiveMaximum,
  ValueErrorType.NumberMinimum,
  ValueErrorType.NumberMaximum,
  ValueErrorType.NumberExclusiveMinimum,
  ValueErrorType.NumberExclusiveMaximum,
];
const WRONG_TYPE = [ValueErrorType.String, ValueErrorType.Boolean, ValueErrorType.Object, ValueErrorType.Array];

/** A value that is not a (finite, whole) number. */
function numberMessage(schema: TSchema, value: unknown): string {
  const { expected, unit } = metaOf(schema);
  if (typeof value === 'number' && Number.isFinite(value)) return `${show(value)} is not a whole number; expected ${expected}`;
  // "2GB", "5m", "70%": a number written with its unit.
  const units = typeof value === 'string' && /^\s*-?\d/.test(value) ? `; give the number alone${unit ? ` in ${unit}` : ''}, without units or quotes` : '';
  return `${show(value)} is ${typeName(value)}; expected ${expected}${units}`;
}

/** A value outside a fixed set. */
function choiceMessage(schema: TSchema, value: unknown): string {
  const { what, values = [] } = metaOf(schema);
  const allowed = values.map((v) => (typeof v === 'string' ? JSON.stringify(v) : String(v))).join(', ');
  const hint = typeof value === 'string' ? didYouMean(value, values.filter((v): v is string => typeof v === 'string')) : '';
  const units = typeof value === 'string' && values.every((v) => typeof v === 'number') && /^\d/.test(value) ? '; give a number without units or quotes' : '';
  return `${show(value)} ${what ? `is not ${what}` : 'is not allowed'}${hint}${units}; allowed: ${allowed}`;
}

/** A string the pattern or the lengths reject. */
function stringMessage(schema: TSchema, error: ValueError, value: string): string {
  const { expected, what, hint } = metaOf(schema);
  const limit = (schema as TSchema & { minLength?: number }).minLength ?? 0;
  if (error.type === ValueErrorType.StringMinLength) return `${show(value)} is too short; expected ${what} of at least ${plural(limit, 'character')}`;
  if (error.type === ValueErrorType.StringMaxLength) return `${show(value)} is too long (${value.length} characters); expected ${expected}`;
  const placeholder = placeholderIn(value, false);
  return `${show(value)} is not ${what}${hint?.(value) || (placeholder ? `; it holds the placeholder ${JSON.stringify(placeholder)}: write the real value` : '')}`;
}

/** The message for TypeBox's `error` on `value`, a value of `schema`. */
export function messageOf(schema: TSchema, error: ValueError, value: unknown): string {
  const meta = metaOf(schema);
  if (value === undefined || value === null) return requiredMessage(schema);
  if (NUMBER_TYPE.includes(error.type)) return numberMessage(schema, value);
  if (OUT_OF_RANGE.includes(error.type)) return `${show(value)} is out of range; expected ${meta.expected}`;
  if (error.type === ValueErrorType.Union || error.type === ValueErrorType.Literal) return choiceMessage(schema, value);
  if (WRONG_TYPE.includes(error.type)) return `${show(value)} is ${typeName(value)}; expected ${meta.expected}`;
  if (typeof value === 'string' && [ValueErrorType.StringMinLength, ValueErrorType.StringMaxLength, ValueErrorType.StringPattern].includes(error.type)) return stringMessage(schema, error, value);
  const count = Array.isArray(value) ? value.length : typeof value === 'object' ? Object.keys(value).length : 0;
  const bound = (schema as TSchema & { minItems?: number; maxItems?: number; maxProperties?: number });
  if (error.type === ValueErrorType.ArrayMinItems) return `${show(value)} has ${plural(count, 'item')}; expected at least ${bound.minItems}`;
  if (error.type === ValueErrorType.ArrayMaxItems) return `${show(value)} has ${count} items; expected at most ${bound.maxItems}`;
  if (error.type === ValueErrorType.ObjectMaxProperties) return `has ${count} entries; expected at most ${bound.maxProperties}`;
  return `${show(value)}: ${error.message}`;
}

/**
 * `; did you mean "x"?` for an unknown key of an object schema: a key close to it (`didYouMean`,
 * which knows the documents' snake_case names), else the same word without the prefix of a
 * Terraform variable (`aws_region` is `region`, `enable_gpu` is `gpu`), else the one key it begins,
 * or the one that only adds a unit (`memory` is `memoryMiB`), else the one field of a nested object
 * it names (`vpc_cidr` is `network.vpcCidr`, `instance_type` is `gpu.instanceTypes`).
 */
function suggestKey(word: string, schema: TSchema): string {
  const fields = properties(schema);
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
  const nested = keys.flatMap((k) => (fields[k][Kind] === 'Object' ? Object.keys(properties(fields[k])).filter((n) => same(word, n) || same(stripped, n)).map((n) => `${k}.${n}`) : []));
  return one(nested);
}
