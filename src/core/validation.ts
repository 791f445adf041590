import { Token } from 'cdktf';
import { IConstruct } from 'constructs';
import { show } from '../settings/schema';

/** A construct was given props it cannot build; the message names the construct path, the prop,
 * the bad value and what is allowed. */
export class ValidationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ValidationError';
  }
}

/** True when `value` (or any string inside it) is an unresolved token, i.e. known only at plan time. */
export function isUnresolved(value: unknown): boolean {
  if (typeof value === 'string' || typeof value === 'number') return Token.isUnresolved(value);
  if (Array.isArray(value)) return Token.isUnresolved(value) || value.some(isUnresolved);
  return false;
}

/**
 * Collects prop problems of one construct and throws them together:
 * ```
 * artwork-matcher-production/embeddings: invalid props:
 *   cpu: 3000 is not a Fargate CPU size; allowed: 256, 512, ...
 * ```
 * Checks on values that are tokens are skipped: they are only known at plan time.
 */
export class PropsValidator {
  private readonly problems: string[] = [];

  constructor(private readonly scope: IConstruct) {}

  /** Records a problem with `prop` when `ok` is false. `allowed` says what would be accepted. */
  check(ok: boolean, prop: string, value: unknown, allowed: string): this {
    if (!ok && !isUnresolved(value)) this.problems.push(`${prop}: ${show(value)} ${allowed}`);
    return this;
  }

  /** Records a problem that is not about a single value (an inconsistent combination). */
  fail(prop: string, message: string): this {
    this.problems.push(`${prop}: ${message}`);
    return this;
  }

  /** Number range check with the standard message. */
  range(prop: string, value: number | undefined, min: number, max: number, unit = ''): this {
    if (value === undefined) return this;
    const ok = Number.isFinite(value) && value >= min && value <= max;
    return this.check(ok, prop, value, `is out of range; allowed: ${min} to ${max}${unit ? ` ${unit}` : ''}`);
  }

  /** Throws a `ValidationError` listing every recorded problem, if any. */
  throwIfInvalid(): void {
    if (this.problems.length === 0) return;
    const path = this.scope.node.path;
    if (this.problems.length === 1) throw new ValidationError(`${path}: ${this.problems[0]}`);
    throw new ValidationError([`${path}: invalid props:`, ...this.problems.map((p) => `  ${p}`)].join('\n'));
  }
}
