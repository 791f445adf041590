import { Token } from 'cdktf';
import { IConstruct } from 'constructs';
import { UserError } from './errors';
import { show } from './format';

/** A construct was given props it cannot build; the message names the construct path, the prop,
 * the bad value and what is allowed. */
export class ValidationError extends UserError {
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

// ----- leaf rules, shared by construct props and settings ------------------------------------

/** An IPv4 CIDR block such as "10.0.0.0/16" (host bits are not checked). */
export const CIDR_PATTERN = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}\/(3[0-2]|[12]?\d)$/;
/** True when `value` is an IPv4 CIDR block (host bits are not checked). */
export function isCidr(value: string): boolean {
  return CIDR_PATTERN.test(value);
}

/** An AWS region code such as "eu-west-1". */
export const REGION_PATTERN = /^(us|eu|ap|sa|ca|me|af|il|mx|cn|us-gov)-(north|south|east|west|central|northeast|northwest|southeast|southwest)-\d$/;
/** An availability zone name such as "eu-west-1a". */
export const ZONE_PATTERN = /^[a-z]{2}(-gov)?-[a-z]+-\d[a-z]$/;
/** An AMI id. */
export const AMI_PATTERN = /^ami-[0-9a-f]{8,17}$/;
/** An environment variable name. */
export const ENV_VAR_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** An e-mail address, loosely. */
export const EMAIL_PATTERN = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
/** An S3 bucket name (3-63 lowercase letters, digits, dots and hyphens). */
export const BUCKET_PATTERN = /^(?!xn--)(?!.*\.\.)[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
/** An ECR repository name. */
export const REPOSITORY_PATTERN = /^(?=.{2,256}$)[a-z0-9]+(?:[._-][a-z0-9]+)*(?:\/[a-z0-9]+(?:[._-][a-z0-9]+)*)*$/;
/** A container image tag. */
export const IMAGE_TAG_PATTERN = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;

/** True when `value` is an ARN, of `service` when given. */
export function isArn(value: string, service?: string): boolean {
  return new RegExp(`^arn:aws(-cn|-us-gov)?:${service ?? '[a-z0-9-]+'}:[a-z0-9-]*:(\\d{12})?:.+$`).test(value);
}

/** True when availability zone `zone` belongs to `region`. */
export function zoneInRegion(zone: string, region: string): boolean {
  return zone.startsWith(region) && /^[a-z]$/.test(zone.slice(region.length));
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

  /** Records `problem` (a rule's message starting with the value) when it is defined. */
  rule(prop: string, problem: string | undefined): this {
    if (problem !== undefined) this.problems.push(`${prop}: ${problem}`);
    return this;
  }

  /** Number range check with the standard message. */
  range(prop: string, value: number | undefined, min: number, max: number, unit = ''): this {
    if (value === undefined) return this;
    const ok = Number.isFinite(value) && value >= min && value <= max;
    return this.check(ok, prop, value, `is out of range; allowed: ${min} to ${max}${unit ? ` ${unit}` : ''}`);
  }

  /** Pattern check: `value` must match `pattern`; `what` names the kind ("an AMI id"). */
  matches(prop: string, value: string | undefined, pattern: RegExp, what: string): this {
    if (value === undefined) return this;
    return this.check(pattern.test(value), prop, value, `is not ${what}`);
  }

  /** One of a fixed set. */
  oneOf<T>(prop: string, value: T | undefined, allowed: readonly T[]): this {
    if (value === undefined) return this;
    return this.check(allowed.includes(value), prop, value, `is not allowed; allowed: ${allowed.map((a) => show(a)).join(', ')}`);
  }

  /** Whether any problem was recorded so far. */
  get failed(): boolean {
    return this.problems.length > 0;
  }

  /** Throws a `ValidationError` listing every recorded problem, if any. */
  throwIfInvalid(): void {
    if (this.problems.length === 0) return;
    const path = this.scope.node.path;
    if (this.problems.length === 1) throw new ValidationError(`${path}: ${this.problems[0]}`);
    throw new ValidationError([`${path}: invalid props:`, ...this.problems.map((p) => `  ${p}`)].join('\n'));
  }
}
