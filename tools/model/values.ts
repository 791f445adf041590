/**
 * Reading the values of a synthesized document: cdktf writes a single block as an object or as a
 * one-element list, some booleans and numbers as strings, and anything known only at plan time
 * as a `${...}` expression.
 */

/** A resource's arguments, or a nested block, as synthesized. */
export type Body = Record<string, any>;

/** True when `value` is (or holds) a Terraform expression only known at plan time. */
export function isExpression(value: unknown): boolean {
  return typeof value === 'string' && value.includes('${');
}

/** A block argument that cdktf writes as an object or as a one-element list. */
export function block(value: unknown): Body | undefined {
  if (Array.isArray(value)) return value[0];
  return value && typeof value === 'object' ? (value as Body) : undefined;
}

/** A repeatable block argument (or any value that may be one or many) as a list. */
export function blocks<T = Body>(value: unknown): T[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? [...value] : [value as T];
}

/** True for `true` and `"true"` (cdktf writes some booleans as strings). */
export function isTrue(value: unknown): boolean {
  return value === true || value === 'true';
}

/** True for `false` and `"false"`. */
export function isFalse(value: unknown): boolean {
  return value === false || value === 'false';
}

/** A boolean written as a boolean or a string; undefined otherwise. */
export function bool(value: unknown): boolean | undefined {
  if (isTrue(value)) return true;
  if (isFalse(value)) return false;
  return undefined;
}

/** A number written as a number or a numeric string; undefined when absent or an expression. */
export function num(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value.trim())) return Number(value);
  return undefined;
}

/** A string known before plan (no expression in it); undefined otherwise. */
export function literalString(value: unknown): string | undefined {
  return typeof value === 'string' && !isExpression(value) ? value : undefined;
}
